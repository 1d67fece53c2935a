"""NAV model: kernels against their twins, global fits, variants, flags, derived parameters."""

import warnings

import numpy as np
import pytest

import navfit
from navfit import NavfitError, compare, fit_nav
from navfit._kernels import models, nav
from navfit._kernels import reference as ref
from navfit.models.nav import grid_search, swap_minima
from navfit.synthetic import nav_lightcurve, pulsator_lightcurve

P_BASE = np.array(
    [12, 0.01, 0.002, 0.01, 0.003, 0.8, 0.3, 0.06, 0.07, 1.6, 1.3, 1.5, 0.0, 0.0, 0.5, 25.1, 2.3]
)


def _eval(t, p, shared, has2):
    f = np.empty(t.size)
    JT = np.empty((nav.NPAR, t.size))
    models.eval_model(models.NAV, t, p, np.array([shared, has2]), np.zeros(1), f, JT)
    return f, JT


@pytest.mark.parametrize("shared", [1, 0])
@pytest.mark.parametrize("has2", [1, 0])
@pytest.mark.parametrize(
    ("gamma", "flat1", "flat2", "phase2"), [(1.5, 0.0, 0.0, 0.5), (2.3, 0.3, 0.2, 0.46)]
)
def test_nav_model_and_jacobian_match_reference(shared, has2, gamma, flat1, flat2, phase2):
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 50, 500))
    p = P_BASE.copy()
    p[11], p[12], p[13], p[14] = gamma, flat1, flat2, phase2
    f, JT = _eval(t, p, shared, has2)
    np.testing.assert_allclose(f, ref.nav_model(t, p, bool(shared), bool(has2)), atol=1e-12)
    J_fd = ref.nav_jacobian_fd(t, p, np.ones(nav.NPAR, bool), bool(shared), bool(has2))
    scale = np.maximum(np.abs(J_fd).max(axis=0), 1e-12)
    assert np.max(np.abs(JT.T - J_fd) / scale) < 1e-5


def test_profile_is_canonical_for_gamma_three_halves():
    d = np.linspace(-0.1, 0.1, 41)
    H = np.array([nav.profile(x, 0.07, 1.7, 1.5, 0.0)[0] for x in d])
    np.testing.assert_allclose(H, ref.nav_profile(d, 0.07, 1.7), atol=1e-14)


@pytest.mark.usefixtures("threads")
def test_grid_scan_matches_reference_twin():
    lc, truth = nav_lightcurve("EA", n=300, rng=1)
    x = (lc.t - lc.t[0]) / truth["period"]
    phase = x - np.floor(x)
    order = np.argsort(phase)
    ph, y, sw = phase[order], lc.y[order], 1 / lc.dy[order]
    from navfit.models.nav_grid import _tp2_projection

    Q, r0 = _tp2_projection(ph, y, sw)
    # nodes 0 and 2 are each other's secondary (a shared sum), the others are summed directly
    centers = np.array([0.0, 0.13, 0.5, 0.77, 0.98, 0.48])
    widths = np.array([0.03, 0.05, 0.03, 0.2, 0.25, 0.08])
    partner = np.array([2, -1, 0, -1, -1, -1])
    betas = np.array([1.0, 2.0, 3.5])
    for gamma in (1.5, 2.2):
        out = np.zeros((6, 3, 3, 3))
        nav.nav_grid_scan(ph, sw, r0, Q, centers, widths, partner, betas, gamma, 3, out)
        expected = ref.nav_grid_scan(ph, sw, y, centers, widths, betas, gamma=gamma)
        np.testing.assert_allclose(out, expected, rtol=1e-7, atol=1e-8 * np.abs(expected).max())
        assert np.count_nonzero(out[..., 0]) > 10


@pytest.mark.parametrize(("kind", "seed"), [("EA", 3), ("EB", 4), ("EW", 5)])
def test_recovers_truth_without_initial_guess(kind, seed):
    lc, truth = nav_lightcurve(kind, n=600, rng=seed)
    res = fit_nav(lc, truth["period"] * (1 + 3e-6))
    assert res.k == 12
    assert res.success
    p, e = res.params, res.errors
    checks = {
        "C6": truth["c"][5],
        "C7": truth["c"][6],
        "a1": truth["a"],
        "beta1": truth["beta1"],
        "beta2": truth["beta2"],
        "period": truth["period"],
    }
    for name, value in checks.items():
        assert abs(p[name] - value) < 5 * e[name], name
    cycles = (p["epoch"] - truth["epoch"]) / truth["period"]
    assert abs(cycles - round(cycles)) * truth["period"] < 5 * e["epoch"]
    assert abs(p["epoch"] - 0.5 * (lc.t[0] + lc.t[-1])) <= truth["period"]
    # covariance is over every free parameter (full Jacobian), not the linear block
    assert res.covariance.shape == (12, 12)


def test_parameter_count_follows_free_period_and_epoch():
    lc, truth = nav_lightcurve("EA", n=500, rng=6)
    assert fit_nav(lc, truth["period"], free_period=False, free_epoch=True).k == 11
    fixed = fit_nav(lc, truth["period"], epoch=truth["epoch"], free_period=False, free_epoch=False)
    assert fixed.k == 10
    assert fixed.errors["period"] == 0.0
    assert fixed.errors["epoch"] == 0.0
    assert fixed.params["C6"] == pytest.approx(truth["c"][5], abs=5 * fixed.errors["C6"])


def test_variant_separate_widths():
    lc, truth = nav_lightcurve("EA", n=1500, rng=7, a=0.05)
    x = (lc.t - truth["epoch"]) / truth["period"]
    y = ref.nav_model(
        lc.t,
        np.r_[truth["c"], 0.05, 0.035, 1.6, 1.4, 1.5, 0, 0, 0.5, truth["epoch"], truth["period"]],
        shared_width=False,
    )
    y = y + np.random.default_rng(7).normal(0, 0.01, x.size)
    lc = navfit.LightCurve(lc.t, y, np.full(y.size, 0.01))
    res = fit_nav(lc, truth["period"], variant="separate_widths")
    assert res.k == 13
    assert abs(res.params["a1"] - 0.05) < 5 * res.errors["a1"]
    assert abs(res.params["a2"] - 0.035) < 5 * res.errors["a2"]
    assert "D2" in res.derived


def test_variant_eccentric_recovers_secondary_phase():
    lc, truth = nav_lightcurve("EA", n=1500, rng=8)
    p = np.r_[truth["c"], 0.045, 0.04, 1.6, 1.4, 1.5, 0, 0, 0.47, truth["epoch"], truth["period"]]
    y = ref.nav_model(lc.t, p, shared_width=False) + np.random.default_rng(8).normal(0, 0.01, lc.n)
    res = fit_nav(navfit.LightCurve(lc.t, y, lc.dy), truth["period"], variant="eccentric")
    assert res.k == 14
    assert abs(res.params["phase2"] - 0.47) < 5 * res.errors["phase2"]
    assert res.derived["ecosw"][0] == pytest.approx(0.5 * np.pi * (res.params["phase2"] - 0.5))


def test_variant_no_secondary():
    lc, truth = nav_lightcurve("EA", n=800, rng=9, c=(12.0, 0.0, 0.0, 0.0, 0.0, 0.7, 0.0))
    res = fit_nav(lc, truth["period"])
    # the canonical fit finds no secondary, drops H2 and says so
    assert res.k == 10
    assert any("no secondary" in f for f in res.flags)
    explicit = fit_nav(lc, truth["period"], variant="no_secondary")
    assert explicit.k == 10
    assert "min2" not in explicit.derived
    assert np.all(np.isfinite([v for v, _ in explicit.derived.values()]))
    assert np.all(np.isfinite([e for _, e in explicit.derived.values()]))


def test_variant_gamma_recovers_outer_exponent():
    lc, truth = nav_lightcurve("EA", n=2000, rng=10, noise=0.005)
    p = np.r_[truth["c"], 0.06, 0.06, 1.6, 1.4, 2.4, 0, 0, 0.5, truth["epoch"], truth["period"]]
    y = ref.nav_model(lc.t, p) + np.random.default_rng(10).normal(0, 0.005, lc.n)
    res = fit_nav(
        navfit.LightCurve(lc.t, y, np.full(lc.n, 0.005)), truth["period"], variant="gamma"
    )
    assert res.k == 13
    assert abs(res.params["gamma"] - 2.4) < 5 * res.errors["gamma"]


def test_variant_flat_gives_totality():
    lc, truth = nav_lightcurve("EA", n=2000, rng=11, noise=0.005)
    p = np.r_[truth["c"], 0.06, 0.06, 2.0, 1.4, 1.5, 0.4, 0.0, 0.5, truth["epoch"], truth["period"]]
    y = ref.nav_model(lc.t, p) + np.random.default_rng(11).normal(0, 0.005, lc.n)
    res = fit_nav(navfit.LightCurve(lc.t, y, np.full(lc.n, 0.005)), truth["period"], variant="flat")
    assert abs(res.params["flat1"] - 0.4) < 5 * res.errors["flat1"]
    d, d_err = res.derived["totality1"]
    assert d == pytest.approx(2 * res.params["flat1"] * res.params["a1"] * res.period)
    assert abs(d - 2 * 0.4 * 0.06 * truth["period"]) < 5 * d_err


@pytest.mark.parametrize("phase2", [0.5, 0.46])
def test_swap_is_an_exact_reparametrisation(phase2):
    t = np.linspace(0, 30, 400)
    p = P_BASE.copy()
    p[14] = phase2
    for shared in (True, False):
        q = swap_minima(p, shared)
        np.testing.assert_allclose(
            ref.nav_model(t, q, shared), ref.nav_model(t, p, shared), atol=1e-12
        )
        assert q[5] == p[6]
        assert q[6] == p[5]


def test_primary_is_the_fainter_minimum():
    # secondary deeper than "primary" in the truth: the fit must swap them
    lc, truth = nav_lightcurve("EA", n=800, rng=12, c=(12.0, 0.01, 0.0, 0.01, 0.0, 0.3, 0.7))
    res = fit_nav(lc, truth["period"])
    assert res.params["C6"] > res.params["C7"]
    assert res.derived["min1"][0] > res.derived["min2"][0]
    cycles = (res.epoch - (truth["epoch"] + 0.5 * truth["period"])) / truth["period"]
    assert abs(cycles - round(cycles)) < 0.01


def test_derived_parameters_follow_their_definitions():
    lc, truth = nav_lightcurve("EB", n=800, rng=13)
    res = fit_nav(lc, truth["period"])
    d, p, e = res.derived, res.params, res.errors
    assert d["D"][0] == pytest.approx(200 * p["a1"])
    assert d["D"][1] == pytest.approx(200 * e["a1"], rel=1e-4)
    assert d["depth1"][0] == p["C6"]
    assert d["depth1_flux"][0] == pytest.approx(1 - 10 ** (-0.4 * p["C6"]))
    assert d["amplitude1"][0] == pytest.approx(d["min1"][0] - d["max"][0])
    assert d["reflection"][0] == pytest.approx(2 * p["C2"])
    # O'Connell effect is 2*C3 when the eclipses do not reach quadrature (a < 0.25)
    assert d["oconnell"][0] == pytest.approx(2 * p["C3"], abs=1e-9)
    assert d["oconnell"][1] == pytest.approx(2 * e["C3"], rel=1e-3)
    l1, l2 = d["depth1_flux"][0], d["depth2_flux"][0]
    assert d["ratio_depth"][0] == pytest.approx(l1 / l2)
    assert d["ratio_flux"][0] == pytest.approx(10 ** (-0.8 * p["C2"]) * l1 / l2)
    assert d["l2_l1_min"][0] <= d["l2_l1_max"][0]
    assert d["duration1"][0] == pytest.approx(2 * p["a1"] * res.period)
    for name, (v, s) in d.items():
        assert np.isfinite(v), name
        assert np.isfinite(s), name


def test_derived_errors_of_a_vastly_undetermined_depth_do_not_overflow():
    """A finite but vast depth error (an eclipse with almost no points) propagates to a
    vast error, not to an overflow of ``10**(-0.4 C6)`` in the numerical derivative
    (seen on ASAS_204406-2652.9 in the long fuzz test)."""
    from dataclasses import replace

    from navfit.models.nav_derived import derived_parameters

    lc, truth = nav_lightcurve("EB", n=400, rng=13)
    res = fit_nav(lc, truth["period"])
    j = res.free_names.index("C6")
    cov = res.covariance.copy()
    cov[j, j] = 1e14  # an error of 1e7 mag
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        d = derived_parameters(replace(res, covariance=cov))
    assert d["depth1"][1] == pytest.approx(1e7)
    assert d["depth1_flux"][0] == pytest.approx(1 - 10 ** (-0.4 * res.params["C6"]))
    assert d["depth1_flux"][1] > 1e5
    for name, (v, s) in d.items():
        assert np.isfinite(v), name
        assert not np.isnan(s), name


def test_pulsator_is_flagged():
    lc, truth = pulsator_lightcurve(rng=1)
    res = fit_nav(lc, truth["period"])
    flag = next(f for f in res.flags if "describes the data better than NAV" in f)
    assert res.info["tp_bic_difference"] > 10
    # the flag says what NAV misses; the type is the decision's (docs/nav.rst, Flags)
    assert "misses part of the light curve's shape" in flag
    assert "eclipsing binary" not in flag


def test_no_points_in_primary_eclipse_is_flagged():
    lc, truth = nav_lightcurve("EA", n=800, rng=5)
    x = (lc.t - truth["epoch"]) / truth["period"]
    keep = np.abs(x - np.floor(x + 0.5)) > 0.06
    res = fit_nav(navfit.LightCurve(lc.t[keep], lc.y[keep], lc.dy[keep]), truth["period"])
    # the visible (secondary) eclipse becomes Min I; the unseen one is flagged, not invented
    assert any("0 points inside" in f or "0 points within" in f for f in res.flags)
    assert any(
        "unobserved" in f or "not determined" in f or "not significant" in f for f in res.flags
    )
    # either the secondary term was dropped, or it is undetermined / insignificant
    assert (
        "C7" in res.fixed or res.errors["C7"] == np.inf or res.params["C7"] < 3 * res.errors["C7"]
    )


def test_no_eclipse_at_all_raises_or_flags():
    rng = np.random.default_rng(3)
    t = np.sort(rng.uniform(0, 100, 400))
    y = 12 + 0.05 * np.cos(4 * np.pi * t / 1.3) + rng.normal(0, 0.01, t.size)
    message, res = "", None
    try:
        res = fit_nav(navfit.LightCurve(t, y, np.full(t.size, 0.01)), 1.3)
    except NavfitError as exc:
        message = str(exc)
    if res is None:
        assert "no eclipse" in message
    else:
        assert res.flags


def test_flux_mode_is_labelled():
    lc, truth = nav_lightcurve("EA", n=600, rng=14)
    flux = 10 ** (-0.4 * (lc.y - 12))
    res = fit_nav(
        navfit.LightCurve(lc.t, flux, flux * 0.4 * np.log(10) * lc.dy, kind="flux"), truth["period"]
    )
    assert res.params["C6"] < 0
    assert any("flux" in f for f in res.flags)
    assert res.derived["min1"][0] < res.derived["max"][0]


def test_bootstrap_errors_close_to_covariance_errors():
    lc, truth = nav_lightcurve("EA", n=500, rng=15)
    cov = fit_nav(lc, truth["period"])
    boot = fit_nav(lc, truth["period"], errors="bootstrap", n_bootstrap=150, rng=1)
    assert boot.info["n_bootstrap"] == 150
    for name in ("C6", "a1", "beta1", "period", "epoch"):
        assert boot.errors[name] == pytest.approx(cov.errors[name], rel=0.35), name


def test_bad_arguments():
    lc, truth = nav_lightcurve("EA", n=300, rng=16)
    with pytest.raises(NavfitError, match="variant"):
        fit_nav(lc, truth["period"], variant="spherical")
    with pytest.raises(NavfitError, match="errors"):
        fit_nav(lc, truth["period"], errors="jackknife")
    with pytest.raises(NavfitError, match="period"):
        fit_nav(lc, -1.0)
    few = navfit.LightCurve(lc.t[:12], lc.y[:12], lc.dy[:12], name="few")
    with pytest.raises(NavfitError, match=r"few.*too few"):
        fit_nav(few, truth["period"])


@pytest.mark.parametrize("kind", ["EA", "EW"])
def test_grid_seeds_are_distinct(kind):
    """No two seeds in one basin, counting a node half a cycle from a seed (its mirror)."""
    lc, truth = nav_lightcurve(kind, n=600, rng=17)
    seeds = grid_search(lc, truth["period"], lc.t[0])
    assert 1 < len(seeds) <= 4
    for i, s in enumerate(seeds):
        for other in seeds[:i]:
            dist = abs((s["center"] - other["center"] + 0.5) % 1.0 - 0.5)
            dist = min(dist, 0.5 - dist)
            ratio = max(s["a"], other["a"]) / min(s["a"], other["a"])
            assert dist >= 0.5 * min(s["a"], other["a"]) or ratio >= 1.6
    assert seeds[0]["reduction"] == max(s["reduction"] for s in seeds)


def test_compare_nav_with_tp():
    lc, truth = nav_lightcurve("EA", n=800, rng=18)
    nav_res = fit_nav(lc, truth["period"])
    tp_res = navfit.fit_tp(lc, truth["period"], free_period=True)
    tab = compare(nav_res, tp_res)
    assert list(tab["model"]) == ["NAV", tp_res.label]
    assert tab["preferred"][0]
    assert tab["d_bic"][0] == 0
    assert tab["d_bic"][1] > 10
    assert tab["k"][0] == 12
    assert tab["k"][1] == tp_res.k
    assert tab["sigma_fit"][0] == pytest.approx(tab["sigma0"][0] * np.sqrt(12 / lc.n))
    assert "strong" in tab.meta["evidence"]
    other, _ = nav_lightcurve("EA", n=700, rng=19)
    with pytest.raises(NavfitError, match="different data"):
        compare(nav_res, navfit.fit_tp(other, truth["period"], order=3))
    with pytest.raises(NavfitError, match="two"):
        compare(nav_res)


@pytest.mark.parametrize(("kind", "seed"), [("EW", 1), ("EW", 2), ("EA", 0)])
@pytest.mark.parametrize("variant", ["separate_widths", "gamma", "flat"])
def test_nested_variants_never_fit_worse_than_canonical(kind, seed, variant):
    # these variants contain the canonical model; a bounded LM that stalls on a
    # bound (flat = 0) used to end above the canonical chi-square
    lc, truth = nav_lightcurve(kind, n=600, rng=seed)
    canonical = fit_nav(lc, truth["period"])
    extended = fit_nav(lc, truth["period"], variant=variant)
    assert extended.chi2 <= canonical.chi2 * (1 + 1e-9)
    assert extended.success


def test_a_long_light_curve_supports_a_period_just_below_its_span():
    """The pilot runs see every k-th point of a long light curve, and the last one:
    a period the full span supports must not be refused because the pilots' span is shorter."""
    from navfit.models.nav import _pilot_rows

    n = 3000
    assert _pilot_rows(n)[-1] == n - 1
    assert np.array_equal(_pilot_rows(1999), np.arange(1999))
    t = np.linspace(0.0, 10.0, n)
    period = 10.0 - (t[-1] - t[-2])  # longer than the span of every 3rd point from the first
    lc, _ = nav_lightcurve("EB", times=t + 2459000.0, period=period, epoch=2459002.0, rng=1)
    fit = fit_nav(lc, period)
    assert fit.chi2 / fit.dof < 1.2


def test_a_flux_start_keeps_its_depths():
    """Fluxes: the depth bounds are mirrored before the start is clipped (it used to lose them)."""
    from navfit.models.nav import _nav_bounds
    from navfit.nav_params import C6, C7, EPOCH, PARAMETERS, PERIOD

    p0 = np.array([q.default for q in PARAMETERS])
    p0[EPOCH], p0[PERIOD], p0[C6], p0[C7] = 100.0, 2.0, -0.3, -0.1
    start, lower, upper = _nav_bounds(p0, "flux", 500)
    assert (start[C6], start[C7]) == (-0.3, -0.1)
    assert (upper[C6], lower[C6]) == (0.0, -np.inf)
    start, lower, _ = _nav_bounds(p0, "mag", 500)
    assert (start[C6], start[C7], lower[C6]) == (0.0, 0.0, 0.0)
