"""NAV and TP as lmfit Models, and FitResult.to_lmfit(): same equations, same optimum."""

import time

import lmfit
import numpy as np
import pytest
from scipy.optimize import least_squares

import navfit
from navfit._kernels import reference as ref
from navfit._kernels.models import NAV
from navfit.lmfit_models import NAVModel, TPModel, nav_function, to_lmfit, tp_function
from navfit.lsq import jacobian
from navfit.nav_params import BOUNDS as _BOUNDS
from navfit.nav_params import NAMES as NAV_NAMES
from navfit.nav_params import VARIANTS
from navfit.nav_params import free_mask as _free_mask
from navfit.synthetic import nav_lightcurve, pulsator_lightcurve, tp_lightcurve

SEEDS = {"EA": 3, "EB": 4, "EW": 5}
#: lmfit's leastsq differentiates numerically (forward differences, step 1e-5 of
#: the internal value); its errors then agree with navfit's analytic-Jacobian errors
#: to a few 1e-4 on these curves (measured worst 3e-4).
NAV_STDERR_RTOL = 1e-3
#: Correlations: measured worst absolute difference 3.2e-3 (EB, C7-period).
NAV_CORREL_ATOL = 5e-3
CHI2_RTOL = 1e-8

_cache = {}


def _nav_fit(kind, variant="canonical"):
    key = (kind, variant)
    if key not in _cache:
        lc, truth = nav_lightcurve(kind, n=600, rng=SEEDS[kind])
        _cache[key] = (lc, navfit.fit_nav(lc, truth["period"], variant=variant), truth["period"])
    return _cache[key][:2]


def _tp_fit(free_period=True):
    key = ("tp", free_period)
    if key not in _cache:
        lc, truth = pulsator_lightcurve(rng=2)
        _cache[key] = (lc, navfit.fit_tp(lc, truth["period"], 6, free_period=free_period))
    return _cache[key]


# ----- the equations ------------------------------------------------------------------
def test_nav_function_is_navfit_equation():
    """Random parameters with every option on: lmfit function = numpy reference = kernel."""
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(2459000.0, 2460000.0, 3000))
    for _ in range(20):
        p = np.array(
            [
                *rng.normal(0, 0.1, 5),
                *rng.uniform(0.05, 0.8, 2),
                *rng.uniform(0.01, 0.3, 2),
                *rng.uniform(0.6, 6.0, 2),
                rng.uniform(1.0, 3.0),
                *rng.uniform(0.0, 0.6, 2),
                rng.uniform(0.35, 0.65),
                2459500.0 + rng.uniform(-1, 1),
                rng.uniform(0.3, 5.0),
            ]
        )
        f = nav_function(t, **dict(zip(NAV_NAMES, p, strict=True)))
        np.testing.assert_allclose(f, ref.nav_model(t, p, False, True), rtol=0, atol=1e-12)
        kernel, _ = jacobian(NAV, t, p, np.array([0, 1]))
        np.testing.assert_allclose(f, kernel, rtol=0, atol=1e-12)


def test_tp_function_is_navfit_equation():
    rng = np.random.default_rng(1)
    t = rng.uniform(0, 50, 500)
    coef = rng.normal(size=9)
    want = ref.tp_basis((t - 3.0) / 0.7, 4) @ coef
    np.testing.assert_allclose(tp_function(t, coef, 0.7, 3.0), want, atol=1e-12)
    model = TPModel(4)
    pars = dict(zip(navfit.models.tp.tp_names(4), coef, strict=True))
    np.testing.assert_allclose(model.eval(t=t, period=0.7, t_ref=3.0, **pars), want, atol=1e-12)
    assert model.param_names == [*navfit.models.tp.tp_names(4), "period", "t_ref"]
    np.testing.assert_allclose(tp_function(t, [2.5], 0.7), 2.5)


# ----- lmfit and scipy reach navfit's optimum -------------------------------------------
@pytest.mark.parametrize("kind", ["EA", "EB", "EW"])
def test_lmfit_refit_of_nav_stays_at_navfit_optimum(kind):
    lc, res = _nav_fit(kind)
    model = NAVModel(variant=res.info["variant"])
    params = res.to_lmfit()
    np.testing.assert_allclose(model.eval(params, t=lc.t), res.evaluate(lc.t), rtol=0, atol=1e-12)
    out = model.fit(lc.y, params, t=lc.t, weights=1 / lc.dy, method="leastsq")
    assert out.success
    assert (out.ndata, out.nvarys) == (res.n, res.k)
    # navfit's optimum is a minimum: lmfit does not go lower, and does not leave it
    assert abs(out.chisqr - res.chi2) <= CHI2_RTOL * res.chi2
    np.testing.assert_allclose(out.redchi, res.chi2 / res.dof, rtol=CHI2_RTOL)
    err = res.errors
    for name in res.free_names:
        par = out.params[name]
        assert abs(par.value - res.params[name]) <= 1e-6 * err[name], name
        np.testing.assert_allclose(par.stderr, err[name], rtol=NAV_STDERR_RTOL, err_msg=name)
    # the tied width: lmfit propagates a1's error through expr="a1"
    np.testing.assert_allclose(out.params["a2"].value, out.params["a1"].value)
    np.testing.assert_allclose(out.params["a2"].stderr, err["a2"], rtol=NAV_STDERR_RTOL)
    # lmfit's correlations agree with navfit's
    corr = res.correlation
    names = res.free_names
    for i, a in enumerate(names):
        for j, b in enumerate(names):
            if i != j:
                assert abs(out.params[a].correl[b] - corr[i, j]) < NAV_CORREL_ATOL, (a, b)


def _nav_residual_free(lc, res):
    """Weighted residual of the NAV equation as a function of the free parameters only.

    The epoch is an offset from navfit's so that finite-difference steps are sensible.
    """
    names = list(res.free_names)
    ie = names.index("epoch")
    T0 = res.params["epoch"]
    base = dict(zip(NAV_NAMES, res.values, strict=True))

    def resid(x):
        p = dict(base, **dict(zip(names, x, strict=True)))
        p["epoch"] = T0 + x[ie]
        if "a2" in res.info["tied"]:
            p["a2"] = p["a1"]
        return (lc.y - nav_function(lc.t, **p)) / lc.dy

    x0 = np.array([res.params[n] for n in names])
    x0[ie] = 0.0
    params = res.to_lmfit()
    lo = np.array([params[n].min for n in names])
    hi = np.array([params[n].max for n in names])
    lo[ie] -= T0
    hi[ie] -= T0
    scale = np.array([res.errors[n] for n in names])
    return resid, x0, (lo, hi), scale


@pytest.mark.parametrize("kind", ["EA", "EB", "EW"])
def test_scipy_least_squares_reaches_navfit_chi2(kind):
    lc, res = _nav_fit(kind)
    resid, x0, bounds, scale = _nav_residual_free(lc, res)
    np.testing.assert_allclose(np.sum(resid(x0) ** 2), res.chi2, rtol=1e-12)
    tol = {"xtol": 1e-14, "ftol": 1e-14, "gtol": 1e-14, "x_scale": "jac"}
    rng = np.random.default_rng(SEEDS[kind])
    # from navfit's solution, and from half a sigma away in every free parameter
    starts = [x0, np.clip(x0 + 0.5 * scale * rng.standard_normal(x0.size), *bounds)]
    for start in starts:
        for method, kw in (("trf", {"bounds": bounds}), ("lm", {})):
            sol = least_squares(resid, start, method=method, **kw, **tol)
            chi2 = 2 * sol.cost
            assert abs(chi2 - res.chi2) <= CHI2_RTOL * res.chi2, (method, chi2, res.chi2)


@pytest.mark.parametrize("free_period", [True, False])
def test_lmfit_refit_of_tp_stays_at_navfit_optimum(free_period):
    lc, res = _tp_fit(free_period)
    model = TPModel(order=res.info["order"])
    params = res.to_lmfit()
    np.testing.assert_allclose(model.eval(params, t=lc.t), res.evaluate(lc.t), atol=1e-12)
    out = model.fit(lc.y, params, t=lc.t, weights=1 / lc.dy, method="leastsq")
    assert out.success
    assert (out.ndata, out.nvarys) == (res.n, res.k)
    assert abs(out.chisqr - res.chi2) <= CHI2_RTOL * res.chi2
    for name in res.free_names:
        np.testing.assert_allclose(out.params[name].stderr, res.errors[name], rtol=1e-5)
    assert out.params["t_ref"].value == res.t_ref


# ----- to_lmfit contents -----------------------------------------------------------------
def _check_correl(params, res, prefix=""):
    corr = res.correlation
    names = res.free_names
    for i, a in enumerate(names):
        correl = params[prefix + a].correl
        assert set(correl) == {prefix + b for b in names if b != a}
        for j, b in enumerate(names):
            if i != j:
                assert correl[prefix + b] == corr[i, j]
                assert correl[prefix + b] == params[prefix + b].correl[prefix + a]


def test_to_lmfit_contents_nav():
    _, res = _nav_fit("EA")
    params = res.to_lmfit()
    assert list(params) == list(NAV_NAMES)
    err = res.errors
    for name, value, free in zip(res.names, res.values, res.free, strict=True):
        par = params[name]
        assert par.value == value
        if name == "a2":
            assert par.expr == "a1"
            assert not par.vary
            assert par.stderr == err["a1"]
            assert par.correl is None
        elif free:
            assert par.vary
            assert par.expr is None
            assert par.stderr == err[name] > 0
        else:
            assert not par.vary
            assert par.stderr == 0
            assert par.correl is None
    _check_correl(params, res)
    assert [n for n, p in params.items() if p.vary] == list(res.free_names)
    assert not params["gamma"].vary
    assert params["gamma"].value == 1.5
    assert params["phase2"].value == 0.5
    assert not params["phase2"].vary
    for name, (lo, hi) in _BOUNDS.items():
        assert (params[name].min, params[name].max) == (lo, hi)
    assert (params["C6"].min, params["C7"].min) == (0.0, 0.0)
    P, T0 = res.period, res.epoch
    np.testing.assert_allclose([params["epoch"].min, params["epoch"].max], [T0 - P / 4, T0 + P / 4])
    np.testing.assert_allclose([params["period"].min, params["period"].max], [0.9 * P, 1.1 * P])
    # same as the function, with a prefix
    pre = to_lmfit(res, prefix="nav_")
    assert list(pre) == ["nav_" + n for n in NAV_NAMES]
    assert pre["nav_a2"].expr == "nav_a1"
    _check_correl(pre, res, "nav_")


def test_to_lmfit_separate_widths_and_no_secondary():
    lc, res = _nav_fit("EA", "separate_widths")
    params = res.to_lmfit()
    assert params["a2"].expr is None
    assert params["a2"].vary
    assert params["a2"].stderr == res.errors["a2"] > 0
    out = NAVModel(variant="separate_widths").fit(lc.y, params, t=lc.t, weights=1 / lc.dy)
    assert abs(out.chisqr - res.chi2) <= CHI2_RTOL * res.chi2

    lc, res = _nav_fit("EA", "no_secondary")
    params = res.to_lmfit()
    assert not params["C7"].vary
    assert params["C7"].value == 0
    assert not params["beta2"].vary
    out = NAVModel(variant="no_secondary").fit(lc.y, params, t=lc.t, weights=1 / lc.dy)
    assert abs(out.chisqr - res.chi2) <= CHI2_RTOL * res.chi2


@pytest.mark.parametrize("free_period", [True, False])
def test_to_lmfit_contents_tp(free_period):
    lc, res = _tp_fit(free_period)
    params = res.to_lmfit()
    assert list(params) == [*res.names, "t_ref"]
    assert params["t_ref"].value == res.t_ref
    assert not params["t_ref"].vary
    assert params["period"].vary is free_period
    for name in res.free_names:
        assert params[name].value == res.params[name]
        assert params[name].stderr == res.errors[name]
    _check_correl(params, res)
    if free_period:
        window = 0.25 * res.period**2 / lc.time_span
        np.testing.assert_allclose(
            [params["period"].min, params["period"].max],
            [res.period - window, res.period + window],
        )
    else:
        assert params["period"].stderr == 0
        assert params["period"].correl is None


def test_to_lmfit_rejects_unknown_models():
    _, res = _tp_fit()
    with pytest.raises(ValueError, match="NAV and TP"):
        to_lmfit(type(res)(**{**res.__dict__, "model": "spline"}))


# ----- the models' own parameters -----------------------------------------------------------
@pytest.mark.parametrize("variant", VARIANTS)
def test_make_params_vary_flags_follow_navfit(variant):
    params = NAVModel(variant=variant).make_params(epoch=2459000.3, period=2.0)
    free, shared, _ = _free_mask(variant, True, True)
    vary = [params[n].vary and params[n].expr is None for n in NAV_NAMES]
    assert vary == [bool(f) for f in free]
    assert (params["a2"].expr == "a1") is shared
    for name, (lo, hi) in _BOUNDS.items():
        assert (params[name].min, params[name].max) == (lo, hi)
        assert lo <= params[name].value <= hi
    np.testing.assert_allclose(
        [params["epoch"].min, params["epoch"].max], [2459000.3 - 0.5, 2459000.8]
    )
    np.testing.assert_allclose([params["period"].min, params["period"].max], [1.8, 2.2])


def test_make_params_options():
    params = NAVModel(kind="flux", free_period=False, prefix="x_").make_params(
        x_period=1.5, x_epoch={"value": 10.0, "min": 9.0, "max": 11.0}
    )
    assert params["x_C6"].max == 0
    assert params["x_C6"].value < 0
    assert not params["x_period"].vary
    assert not np.isfinite(params["x_period"].max)
    assert (params["x_epoch"].min, params["x_epoch"].max) == (9.0, 11.0)
    assert params["x_a2"].expr == "x_a1"
    tp = TPModel(3, free_period=True).make_params(period=0.5)
    assert tp["period"].vary
    assert not tp["t_ref"].vary
    with pytest.raises(ValueError, match="variant"):
        NAVModel(variant="circular")
    with pytest.raises(ValueError, match="kind"):
        NAVModel(kind="counts")
    with pytest.raises(ValueError, match="order"):
        TPModel(-1)


def test_guess_is_navfit_solution():
    lc, res = _nav_fit("EB")
    period = _cache["EB", "canonical"][2]  # the start period navfit was given
    model = NAVModel()
    params = model.guess(lc.y, lc.t, period=period, weights=1 / lc.dy)
    for name in NAV_NAMES:
        assert params[name].value == res.params[name], name
        assert params[name].vary is (name in res.free_names)
    with pytest.raises(ValueError, match="period"):
        model.guess(lc.y, lc.t)
    lc, res = _tp_fit()
    tp = TPModel(res.info["order"], free_period=True)
    params = tp.guess(lc.y, lc.t, period=res.period, dy=lc.dy)
    out = tp.fit(lc.y, params, t=lc.t, weights=1 / lc.dy)
    assert abs(out.chisqr - res.chi2) <= CHI2_RTOL * res.chi2


# ----- lmfit's tools on navfit's parameters -------------------------------------------------
def test_conf_interval_on_tp_parameters():
    lc, _ = tp_lightcurve([10.0, 0.3, 0.1, 0.05, -0.02], period=0.7, n=200, rng=1)
    res = navfit.fit_tp(lc, 0.7, 2, free_period=True)
    model = TPModel(order=2)
    start = time.perf_counter()
    out = model.fit(lc.y, res.to_lmfit(), t=lc.t, weights=1 / lc.dy)
    ci = lmfit.conf_interval(out, out, sigmas=[1])
    assert time.perf_counter() - start < 5
    assert set(ci) == set(res.free_names)
    for name in res.free_names:
        (_, lo), (_, best), (_, hi) = ci[name]
        assert best == out.params[name].value
        assert abs(best - res.params[name]) < 1e-6 * res.errors[name]
        # nearly linear problem: the 68 % interval is +- the error, to the F-test correction
        for half in (best - lo, hi - best):
            assert half == pytest.approx(res.errors[name], rel=0.1), name


def test_user_constraint_on_navfit_parameters():
    """An lmfit constraint (beta2 = beta1) on navfit's start; chi2 can only go up."""
    lc, res = _nav_fit("EA")
    params = res.to_lmfit()
    params["beta2"].set(expr="beta1")
    out = NAVModel().fit(lc.y, params, t=lc.t, weights=1 / lc.dy)
    assert out.success
    assert out.nvarys == res.k - 1
    assert out.chisqr > res.chi2
    assert out.params["beta2"].value == out.params["beta1"].value
