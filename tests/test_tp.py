"""Trigonometric-polynomial fits and statistically optimal order selection."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import least_squares

import navfit
from navfit import NavfitError, fit_tp, select_order
from navfit._kernels import reference as ref
from navfit.lsq import solve_linear
from navfit.models.tp import order_limit, supported_order, tp_design
from navfit.synthetic import nav_lightcurve, tp_lightcurve

TRUE_COEF = np.array([12.0, 0.30, -0.20, 0.10, 0.05, -0.04, 0.03, 0.02, -0.015])


def test_noise_free_signal_recovered_exactly():
    lc, _truth = tp_lightcurve(TRUE_COEF, period=0.731, n=300, noise=1e-12, rng=1)
    # t_ref of the fit is the middle of the data; put the truth at the same origin
    res = fit_tp(lc, 0.731, order=4)
    np.testing.assert_allclose(res.evaluate(lc.t), lc.y, atol=1e-9)
    assert res.info["order"] == 4
    assert res.k == 9


@pytest.mark.parametrize("criterion", ["andronov", "bic", "aicc", "ftest"])
def test_order_recovered_from_noisy_signal(criterion):
    lc, _ = tp_lightcurve(TRUE_COEF, period=0.731, n=2000, noise=0.002, rng=2)
    tab = select_order(lc, 0.731, max_order=15, criterion=criterion)
    assert tab.meta["order"] == 4
    assert tab.meta["best"][criterion] == 4


def test_coefficients_within_errors():
    lc, _ = tp_lightcurve(TRUE_COEF, period=0.731, n=800, noise=0.01, rng=3)
    res = fit_tp(lc, 0.731, order=4)
    # the fit's phase origin is t_ref = middle of the data; evaluate the truth there
    truth_curve = ref.tp_basis(lc.t / 0.731, 4) @ TRUE_COEF
    resid = (res.evaluate(lc.t) - truth_curve) / res.uncertainty(lc.t)
    assert np.max(np.abs(resid)) < 5
    pulls = (res.values[:-1] - _rotate(TRUE_COEF, res.t_ref / 0.731)) / np.sqrt(
        np.diag(res.covariance)
    )
    assert np.all(np.abs(pulls) < 5)


def _rotate(coef, shift):
    """TP coefficients for the phase origin moved by ``shift`` cycles."""
    out = coef.copy()
    for j in range(1, (coef.size - 1) // 2 + 1):
        a, b = coef[2 * j - 1], coef[2 * j]
        c, s = np.cos(2 * np.pi * j * shift), np.sin(2 * np.pi * j * shift)
        out[2 * j - 1] = a * c + b * s
        out[2 * j] = b * c - a * s
    return out


def test_chi2_non_increasing_and_matches_separate_lstsq():
    lc, truth = nav_lightcurve("EA", n=600, rng=4)
    tab = select_order(lc, truth["period"], max_order=40)
    assert np.all(np.diff(tab["chi2"]) <= 1e-9 * tab["chi2"][:-1])
    t_ref = 0.5 * (lc.t[0] + lc.t[-1])
    for s in (1, 7, 23, 40):
        X = ref.tp_basis((lc.t - t_ref) / truth["period"], s)
        _, _, chi2 = ref.weighted_lstsq(X, lc.y, 1 / lc.dy)
        assert tab["chi2"][s - 1] == pytest.approx(chi2, rel=1e-9)
    assert set(tab.meta["best"]) == {"andronov", "aic", "aicc", "bic", "ftest"}
    # Andronov's criterion is stricter than AIC (NAV_SPEC 4.4)
    assert tab.meta["best"]["andronov"] <= tab.meta["best"]["aic"]


def test_criteria_columns_follow_their_definitions():
    lc, truth = nav_lightcurve("EW", n=300, rng=5)
    tab = select_order(lc, truth["period"], max_order=10)
    n = lc.n
    wbar = np.mean(1 / lc.dy**2)
    row = tab[3]
    k, chi2 = row["k"], row["chi2"]
    assert row["sigma0"] == pytest.approx(np.sqrt(chi2 / (n - k) / wbar))
    assert row["sigma_fit"] == pytest.approx(row["sigma0"] * np.sqrt(k / n))
    assert row["aic"] == pytest.approx(n * np.log(chi2 / n) + 2 * k)
    assert row["bic"] == pytest.approx(n * np.log(chi2 / n) + k * np.log(n))
    assert row["aicc"] == pytest.approx(row["aic"] + 2 * k * (k + 1) / (n - k - 1))


def test_free_period_agrees_with_scipy():
    lc, _ = tp_lightcurve(TRUE_COEF, period=0.731, n=600, noise=0.01, rng=6)
    res = fit_tp(lc, 0.731 * (1 + 3e-6), order=4, free_period=True)
    assert res.k == 10
    assert "period" in res.free_names
    assert abs(res.period - 0.731) < 5 * res.errors["period"]
    t_ref = res.t_ref

    def fun(p):
        return (lc.y - ref.tp_free_period_model(lc.t, p, t_ref)[0]) / lc.dy

    sp = least_squares(fun, res.values, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    assert res.chi2 == pytest.approx(2 * sp.cost, rel=1e-9)


def test_extrema_and_epoch_of_a_cosine():
    # mag = 10 + 0.5 cos(2 pi (t - T)/P): faintest at T (+ k P), brightest half a cycle later
    rng = np.random.default_rng(8)
    P, T = 1.7, 3.21
    t = np.sort(rng.uniform(0, 100, 500))
    y = 10 + 0.5 * np.cos(2 * np.pi * (t - T) / P) + rng.normal(0, 0.005, t.size)
    res = fit_tp(navfit.LightCurve(t, y, np.full(t.size, 0.005)), P, order=1)
    cycles = (res.epoch - T) / P
    assert abs(cycles - round(cycles)) * P < 5 * res.epoch_error
    assert abs(res.epoch - 50) <= P  # the cycle nearest the middle of the data
    assert res.derived["min1"][0] == pytest.approx(10.5, abs=5 * res.derived["min1"][1])
    assert res.derived["max"][0] == pytest.approx(9.5, abs=5 * res.derived["max"][1])
    assert "min2" not in res.derived
    assert any("secondary" in f for f in res.flags)


def test_flux_light_curve_extrema():
    rng = np.random.default_rng(9)
    t = np.sort(rng.uniform(0, 30, 300))
    f = 1.0 - 0.2 * np.cos(2 * np.pi * t / 1.1) + rng.normal(0, 0.001, t.size)
    res = fit_tp(navfit.LightCurve(t, f, np.full(t.size, 0.001), kind="flux"), 1.1, order=1)
    assert res.derived["min1"][0] == pytest.approx(0.8, abs=0.005)
    assert res.derived["max"][0] == pytest.approx(1.2, abs=0.005)


def test_eclipsing_binary_has_two_minima():
    lc, truth = nav_lightcurve("EW", n=600, rng=10)
    res = fit_tp(lc, truth["period"])
    assert "min2" in res.derived
    cycles = (res.epoch - truth["epoch"]) / truth["period"]
    assert abs(cycles - round(cycles)) < 0.01


def test_sigma_band_has_expected_mean():
    lc, _ = tp_lightcurve(TRUE_COEF, period=0.731, n=500, noise=0.01, rng=12)
    res = fit_tp(lc, 0.731, order=4)
    # mean of sigma^2 over the data equals sigma0^2 k / n (trace of the hat matrix)
    band = res.uncertainty(lc.t)
    assert np.mean(band**2) == pytest.approx(res.sigma0**2 * res.k / res.n, rel=1e-8)


@pytest.mark.parametrize(
    ("period", "match"),
    [(-1.0, "positive"), (np.nan, "positive"), ("abc", "number"), (1e6, "time span")],
)
def test_bad_period(period, match):
    lc, _ = tp_lightcurve(TRUE_COEF, period=0.731, n=100, rng=1)
    with pytest.raises(NavfitError, match=match):
        fit_tp(lc, period)


def test_too_few_points_and_bad_orders():
    lc = navfit.LightCurve([0.0, 0.3, 0.7, 1.1, 1.6], [1.0, 2.0, 1.5, 1.2, 1.9], name="tiny")
    with pytest.raises(NavfitError, match=r"tiny.*too few"):
        fit_tp(lc, 0.5, order=3)
    with pytest.raises(NavfitError, match="order"):
        fit_tp(lc, 0.5, order="best")
    with pytest.raises(NavfitError, match="criterion"):
        select_order(lc, 0.5, criterion="magic")
    lc3 = navfit.LightCurve([0.0, 0.3, 0.7], [1.0, 2.0, 1.5])
    with pytest.raises(NavfitError, match="at least"):
        select_order(lc3, 0.5)


def test_high_order_on_gappy_sampling_stops_before_degeneracy():
    # 60 points in a few phase clumps cannot support order 25
    rng = np.random.default_rng(13)
    P = 1.0
    t = np.sort(np.concatenate([k + rng.uniform(0.0, 0.03, 15) for k in (0, 7.3, 15.55, 21.8)]))
    y = np.cos(2 * np.pi * t) + rng.normal(0, 0.01, t.size)
    tab = select_order(navfit.LightCurve(t, y, np.full(t.size, 0.01)), P, max_order=25)
    assert tab.meta["max_usable_order"] < 25
    assert tab.meta["condition_at_max_order"] < 1e10
    assert len(tab) == tab.meta["max_usable_order"]


@settings(max_examples=25, deadline=None)
@given(cycles=st.integers(-50, 50), a=st.floats(0.1, 10), b=st.floats(-100, 100))
def test_invariances(cycles, a, b):
    lc, _ = tp_lightcurve(TRUE_COEF, period=0.731, n=200, noise=0.01, rng=14)
    base = fit_tp(lc, 0.731, order=4)
    shifted = fit_tp(navfit.LightCurve(lc.t + cycles * 0.731, lc.y, lc.dy), 0.731, order=4)
    assert shifted.chi2 == pytest.approx(base.chi2, rel=1e-9)
    scaled = fit_tp(navfit.LightCurve(lc.t, a * lc.y + b, a * lc.dy), 0.731, order=4)
    assert scaled.chi2 == pytest.approx(base.chi2, rel=1e-8)
    np.testing.assert_allclose(scaled.values[1:-1], a * base.values[1:-1], rtol=1e-7, atol=1e-9 * a)
    assert scaled.values[0] == pytest.approx(a * base.values[0] + b, rel=1e-9, abs=1e-9)


def test_permutation_and_weight_scale_invariance():
    lc, _ = tp_lightcurve(TRUE_COEF, period=0.731, n=200, noise=0.01, rng=15)
    base = fit_tp(lc, 0.731, order=4)
    perm = np.random.default_rng(0).permutation(lc.n)
    res = fit_tp(navfit.LightCurve(lc.t[perm], lc.y[perm], lc.dy[perm] * 3.0), 0.731, order=4)
    np.testing.assert_allclose(res.values, base.values, rtol=1e-10)
    np.testing.assert_allclose(res.covariance, base.covariance, rtol=1e-8)
    assert res.sigma0 == pytest.approx(base.sigma0, rel=1e-10)


def test_result_api():
    lc, truth = nav_lightcurve("EB", n=400, rng=16)
    res = fit_tp(lc, truth["period"], free_period=True)
    for name in ("period", "epoch", "c0", "a1", "b1"):
        assert name in res.params
        assert name in res.errors
        assert np.isfinite(res.params[name])
        assert res.errors[name] > 0
    tab = res.to_table()
    assert "epoch" in list(tab["name"])
    assert tab.meta["k"] == res.k
    text = res.summary()
    assert "period" in text
    assert "epoch" in text
    assert res.correlation.shape == (res.k, res.k)
    assert np.allclose(np.diag(res.correlation), 1.0)
    assert res.evaluate_phase([0.0]).shape == (1,)
    assert res.phase().min() >= 0
    assert res.phase().max() < 1
    np.testing.assert_allclose(res.residuals(), lc.y - res.evaluate(lc.t))
    with pytest.raises(AttributeError):
        res.chi2 = 0.0


def test_refine_period_equals_the_free_period_fit():
    from navfit.models.tp import refine_period
    from navfit.synthetic import tp_lightcurve

    lc, _ = tp_lightcurve([10.0, 0.3, 0.1, 0.05, 0.02], period=0.7, n=400, rng=3)
    start = 0.7 * (1 + 2e-5)
    fit = navfit.fit_tp(lc, start, order=2, free_period=True)
    assert refine_period(lc, start, 2) == pytest.approx(fit.period, rel=1e-12)
    assert abs(refine_period(lc, start, 2) - 0.7) < 3 * fit.errors["period"]
    with pytest.raises(navfit.NavfitError, match="too few"):
        refine_period(lc.subset(np.arange(0, 400, 80)), 0.7, 2)


def test_tp_design_is_the_basis_at_the_centred_phase():
    """The public design of the alias and nested tests: the reference basis, phase from mid-span."""
    from navfit.models.tp import tp_design

    rng = np.random.default_rng(7)
    t = np.sort(rng.uniform(2450000.0, 2453000.0, 120))
    lc = navfit.LightCurve(t, rng.normal(12.0, 0.1, t.size), np.full(t.size, 0.01))
    t_mid = 0.5 * (lc.t[0] + lc.t[-1])
    X = tp_design(lc, 0.613, 5)
    assert X.shape == (11, t.size)
    np.testing.assert_allclose(X.T, ref.tp_basis((lc.t - t_mid) / 0.613, 5), atol=1e-9)
    # the same centre as fit_tp: its model is the design times its coefficients
    res = fit_tp(lc, 0.613, order=5)
    np.testing.assert_allclose(res.evaluate(lc.t), res.values[: X.shape[0]] @ X, atol=1e-9)


def test_the_order_is_lowered_where_the_curve_would_swing_through_phase_gaps(survey_dir):
    # a Hipparcos Mira, 98 points over 6.5 cycles: the BIC-optimal order 12 put Max at
    # -430 mag and Min I at 8367 mag in the catalogue, in the gaps between the points
    lc = navfit.read_lightcurve(survey_dir / "lc" / "DEB_100148727.dat")
    fit = fit_tp(lc, 181.62, max_order=order_limit(lc.n))
    table = fit.info["selection"]
    assert table.meta["best"]["bic"] == 12
    assert 1 <= fit.info["order"] < 12
    assert table.meta["unsupported_orders"] == list(range(fit.info["order"] + 1, 13))
    # alone, from its own solve, or from a solve of too low an order: the same answer
    assert supported_order(lc, 181.62, 12) == fit.info["order"]
    low = solve_linear(tp_design(lc, 181.62, 2), lc.y, lc.dy, transposed=True)
    assert supported_order(lc, 181.62, 12, low) == fit.info["order"]
    span = np.ptp(lc.y)
    assert lc.y.min() - span <= fit.derived["max"][0] <= fit.derived["min1"][0]
    assert fit.derived["min1"][0] <= lc.y.max() + span
    # well-sampled data keep the BIC's order
    lc, _ = tp_lightcurve([10.0, 0.3, 0.1, 0.05, 0.0], period=0.7, n=400, rng=1)
    assert select_order(lc, 0.7, max_order=8).meta["unsupported_orders"] == []


def test_the_order_is_lowered_where_the_refined_period_lets_the_curve_swing(survey_dir):
    # a Hipparcos long-period star, 94 points over 2.4 cycles: order 11 stays in range at
    # the period it was chosen at, but once the period is refined its Max fell 30 ranges
    # outside the data (the catalogue's "Max" of such a curve is no magnitude at all)
    lc = navfit.read_lightcurve(survey_dir / "lc" / "DEB_100148526.dat")
    fixed = fit_tp(lc, 489.63, max_order=order_limit(lc.n))
    fit = fit_tp(lc, 489.63, max_order=order_limit(lc.n), free_period=True)
    assert fit.info["order"] < fixed.info["order"]
    table = fit.info["selection"]
    assert table.meta["order"] == fit.info["order"]
    assert table.meta["unsupported_orders"][0] == fit.info["order"] + 1
    curve = fit.evaluate_phase(np.arange(512) / 512)
    span = np.ptp(lc.y)
    assert lc.y.min() - span <= curve.min()
    assert curve.max() <= lc.y.max() + span
