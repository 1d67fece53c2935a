"""Joint multi-band TP fit (issue 15): one period and order, coefficients per band."""

import numpy as np
import pytest

from navfit import LightCurve, NavfitError, fit_tp, fit_tp_multiband
from navfit.band_selection import band_curves
from navfit.models.tp import bic_by_order, order_limit
from navfit.models.tp_multiband import joint_order
from navfit.period_search_multiband import joint_bic
from navfit.synthetic import tp_lightcurve

PERIOD = 0.61234
AMPLITUDES = {"g": 0.50, "r": 0.35, "i": 0.25}  # semi-amplitudes of the first harmonic
LEVELS = {"g": 15.2, "r": 14.9, "i": 14.8}


def three_band_sinusoid(n=150, noise=0.02, rng=7, second_series=False):
    """A sinusoid (plus a small second harmonic) in g, r, i at their own times."""
    rng = np.random.default_rng(rng)
    t, y, band, series = [], [], [], []
    for name, amp in AMPLITUDES.items():
        tb = np.sort(rng.uniform(0.0, 300.0, n))
        phase = 2 * np.pi * tb / PERIOD
        yb = LEVELS[name] + amp * np.cos(phase) + 0.1 * amp * np.sin(2 * phase)
        sb = np.full(n, f"{name}1", dtype=object)
        if second_series and name == "r":
            sb[tb > 150.0] = "r2"
            yb[tb > 150.0] += 0.3  # a zero point 0.3 mag fainter
        t.append(tb)
        y.append(yb + rng.normal(0.0, noise, n))
        band.append(np.full(n, name))
        series.append(sb)
    return LightCurve(
        np.concatenate(t),
        np.concatenate(y),
        np.full(3 * n, noise),
        band=np.concatenate(band),
        series=np.concatenate(series),
        time_system="BJD",
    )


@pytest.fixture(scope="module")
def three_band():
    lc = three_band_sinusoid()
    return lc, fit_tp_multiband(lc, PERIOD * (1 + 2e-5), free_period=True)


@pytest.mark.parametrize("free_period", [False, True])
def test_one_band_agrees_with_fit_tp(free_period):
    lc, _ = tp_lightcurve([10.0, 0.3, 0.1, 0.05, 0.02], period=0.7, n=400, rng=1)
    one = fit_tp(lc, 0.7001, free_period=free_period)
    joint = fit_tp_multiband(lc, 0.7001, free_period=free_period)
    band = joint.band_fits[None]
    assert joint.info["order"] == one.info["order"] == band.info["order"] == 2
    assert joint.names == (*one.names[:-1], "period")
    err_p = one.errors["period"] if free_period else 1.0
    assert abs(joint.period - one.period) < 1e-4 * err_p
    np.testing.assert_allclose(band.values[:-1], one.values[:-1], rtol=0, atol=1e-7)
    np.testing.assert_allclose(band.covariance, one.covariance, rtol=1e-6, atol=1e-14)
    np.testing.assert_allclose(joint.covariance, one.covariance, rtol=1e-6, atol=1e-14)
    assert joint.chi2 == pytest.approx(one.chi2, rel=1e-9)
    assert joint.k == one.k
    assert joint.n == one.n
    assert sorted(band.derived) == sorted(one.derived)
    for key, (value, error) in one.derived.items():
        assert band.derived[key][0] == pytest.approx(value, abs=1e-7), key
        assert band.derived[key][1] == pytest.approx(error, rel=1e-5), key
    assert band.epoch == pytest.approx(one.epoch, abs=1e-6)
    assert band.epoch_error == pytest.approx(one.epoch_error, rel=1e-5)
    assert joint.flags == one.flags
    np.testing.assert_allclose(band.evaluate(lc.t), one.evaluate(lc.t), atol=1e-7)


def test_three_bands_recover_amplitudes_and_the_shared_period(three_band):
    lc, fit = three_band
    assert fit.bands == ("g", "r", "i")
    assert fit.status > 0
    assert fit.success
    assert fit.info["order"] == 2
    assert abs(fit.period - PERIOD) < 4 * fit.errors["period"]
    assert fit.errors["period"] < 1e-5
    for band, amp in AMPLITUDES.items():
        d = fit.band_fits[band].derived
        # peak-to-peak of cos + 0.1 sin(2x), computed on a fine grid
        x = np.linspace(0, 2 * np.pi, 200001)
        truth = np.ptp(amp * np.cos(x) + 0.1 * amp * np.sin(2 * x))
        assert abs(d["amplitude"][0] - truth) < 4 * d["amplitude"][1], band
        assert abs(fit.params[f"c0[{band}]"] - LEVELS[band]) < 4 * fit.errors[f"c0[{band}]"]
        assert fit.derived[f"amplitude[{band}]"] == d["amplitude"]
        # the band fit shares the period and its error
        assert fit.band_fits[band].period == fit.period
        assert fit.band_fits[band].errors["period"] == pytest.approx(fit.errors["period"])
        # Max (the brightest, smallest magnitude) at the minimum of cos x + 0.1 sin 2x
        t_max, t_max_err = fit.band_fits[band].info["epoch_max"]
        x_max = x[np.argmin(np.cos(x) + 0.1 * np.sin(2 * x))] / (2 * np.pi)
        cycles = t_max / fit.period - x_max
        assert 0 < t_max_err < 0.01 * PERIOD
        assert abs(cycles - round(cycles)) * PERIOD < 4 * t_max_err, band
    # every band alone measures the period less well than all of them together
    for band in fit.bands:
        alone = fit_tp(lc.select(band), fit.period, order=2, free_period=True)
        assert fit.errors["period"] < alone.errors["period"], band


def test_covariance_matches_a_numpy_reference():
    lc = three_band_sinusoid(n=60, rng=3, second_series=True)
    fit = fit_tp_multiband(lc, PERIOD, order=2, free_period=True)
    assert "offset[r2]" in fit.names
    assert fit.params["offset[r2]"] == pytest.approx(0.3, abs=4 * fit.errors["offset[r2]"])
    # the numpy model and its analytic Jacobian at the fitted parameters, column by column
    p, P, t_ref = fit.params, fit.period, fit.t_ref
    cols = []
    for band in fit.bands:
        rows = lc.band_index == lc.bands.index(band)
        x = 2 * np.pi * (lc.t - t_ref) / P
        cols.append(rows * 1.0)
        for j in (1, 2):
            cols += [rows * np.cos(j * x), rows * np.sin(j * x)]
    cols.append((lc.series_index == lc.series.index("r2")) * 1.0)
    dmodel_dP = np.zeros(lc.n)
    for b, band in enumerate(lc.bands):
        rows = lc.band_index == b
        x = 2 * np.pi * (lc.t[rows] - t_ref) / P
        for j in (1, 2):
            a, s = p[f"a{j}[{band}]"], p[f"b{j}[{band}]"]
            dmodel_dP[rows] += (a * np.sin(j * x) - s * np.cos(j * x)) * j * x / P
    J = np.column_stack([*cols, dmodel_dP])
    A = J / lc.dy[:, None]
    # weighted least squares of the residuals: a zero step at the optimum
    model = J[:, :-1] @ fit.values[:-1]
    step, *_ = np.linalg.lstsq(A, (lc.y - model) / lc.dy, rcond=None)
    assert np.all(np.abs(step) < 1e-6 * np.sqrt(np.diag(fit.covariance)))
    chi2 = float(np.sum(((lc.y - model) / lc.dy) ** 2))
    assert fit.chi2 == pytest.approx(chi2, rel=1e-10)
    reference = np.linalg.inv(A.T @ A) * chi2 / (lc.n - J.shape[1])
    np.testing.assert_allclose(fit.covariance, reference, rtol=1e-7, atol=1e-16)
    np.testing.assert_allclose(fit.residuals(), lc.y - model, atol=1e-10)


def test_order_is_chosen_jointly_by_summed_bic(three_band):
    lc, fit = three_band
    curves = band_curves(lc)
    tables = [bic_by_order(c, PERIOD, 8) for c in curves]
    total = np.sum([t[: min(map(len, tables))] for t in tables], axis=0)
    assert joint_order(tables) == (float(total.min()), int(np.argmin(total)) + 1)
    # the search's score is the same joint choice (joint_bic calls joint_order)
    limits = [min(order_limit(c.n), 8) for c in curves]
    tables = [bic_by_order(c, PERIOD, s) for c, s in zip(curves, limits, strict=True)]
    assert joint_bic(curves, PERIOD, 8) == joint_order(tables)
    fixed = fit_tp_multiband(lc, PERIOD, order=fit.info["order"])
    auto = fit_tp_multiband(lc, PERIOD)
    assert auto.info["order"] == fixed.info["order"]
    assert len(auto.info["bic_by_order"]) >= 3
    assert int(np.argmin(auto.info["bic_by_order"])) + 1 == auto.info["order"]


def test_bad_input_names_the_band_or_argument():
    lc = three_band_sinusoid(n=40)
    i_rows = np.flatnonzero(lc.band_index == lc.bands.index("i"))
    thin = lc.subset(
        np.sort(np.r_[np.flatnonzero(lc.band_index != lc.bands.index("i")), i_rows[:5]])
    )
    with pytest.raises(NavfitError, match="band 'i' has 5 points"):
        fit_tp_multiband(thin, PERIOD, order=3)
    with pytest.raises(NavfitError, match="order must be a positive integer"):
        fit_tp_multiband(lc, PERIOD, order=0)
    with pytest.raises(NavfitError, match="period"):
        fit_tp_multiband(lc, -1.0)
    with pytest.raises(NavfitError, match="expected a LightCurve"):
        fit_tp_multiband(np.arange(10), PERIOD)
    fit = fit_tp_multiband(lc, PERIOD, order=1)
    with pytest.raises(NavfitError, match="one of g, r, i"):
        fit.evaluate(lc.t)
    with pytest.raises(NavfitError, match="band_fits"):
        fit.to_lmfit()
    assert np.all(np.isfinite(fit.evaluate(lc.t, band="r")))
    assert np.all(np.isfinite(fit.uncertainty(lc.t[:5], band="g")))
    assert all(np.isfinite(v) and np.isfinite(e) for v, e in fit.derived.values())


def test_sparse_band_does_not_set_the_order_of_the_others():
    """A band with few points caps the joint order at what it supports."""
    lc = three_band_sinusoid(n=200)
    i_rows = np.flatnonzero(lc.band_index == lc.bands.index("i"))
    keep = np.sort(
        np.r_[np.flatnonzero(lc.band_index != lc.bands.index("i")), i_rows[::20]]
    )  # i: ten points
    fit = fit_tp_multiband(lc.subset(keep), PERIOD)
    assert fit.info["order"] <= (10 - 3) // 2
    assert fit.band_fits["i"].n == 10
