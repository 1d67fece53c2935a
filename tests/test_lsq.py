"""The least-squares front end against numpy and scipy."""

import numpy as np
import pytest
from scipy.optimize import least_squares

from navfit import NavfitError, levenberg_marquardt, solve_linear
from navfit._kernels import models
from navfit._kernels import reference as ref


def _linear_problem(seed, n, m):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    dy = rng.uniform(0.1, 0.3, n)
    return X, X @ rng.normal(size=m) + rng.normal(0, 1, n) * dy, dy


def test_solve_linear_matches_numpy_lstsq():
    X, y, dy = _linear_problem(11, 500, 7)
    res = solve_linear(X, y, dy)
    A, b = X / dy[:, None], y / dy
    coef, rss, rank, _sv = np.linalg.lstsq(A, b, rcond=None)
    np.testing.assert_allclose(res.params, coef, rtol=1e-10)
    assert res.chi2 == pytest.approx(rss[0], rel=1e-10)
    assert res.rank == rank == 7
    np.testing.assert_allclose(res.covariance_unscaled, np.linalg.inv(A.T @ A), rtol=1e-10)
    np.testing.assert_allclose(res.covariance, np.linalg.inv(A.T @ A) * rss[0] / 493, rtol=1e-10)
    scale = np.linalg.norm(A, axis=0)
    # power-iteration estimate (no LAPACK in the hot path): a percent is plenty
    assert res.condition == pytest.approx(np.linalg.cond(A / scale), rel=1e-2)
    assert res.success


def test_nested_params_are_the_fits_on_the_leading_columns():
    X, y, dy = _linear_problem(12, 200, 6)
    res = solve_linear(X, y, dy)
    for j in range(1, 7):
        np.testing.assert_allclose(
            res.nested_params(j), solve_linear(X[:, :j], y, dy).params, rtol=1e-10
        )
    with pytest.raises(NavfitError, match=r"j must be 1\.\.6"):
        res.nested_params(7)
    t, y, dy, p0 = _problem(0)
    fit = levenberg_marquardt(models.TP_FREE_PERIOD, t, y, dy, p0, fparams=[0.0])
    with pytest.raises(NavfitError, match="only a linear solve"):
        fit.nested_params(1)


def test_solve_linear_unweighted_equals_unit_errors():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(50, 3))
    y = rng.normal(size=50)
    a = solve_linear(X, y)
    b = solve_linear(X, y, np.ones(50))
    np.testing.assert_array_equal(a.params, b.params)


def test_solve_linear_reports_rank_deficiency():
    rng = np.random.default_rng(2)
    X = rng.normal(size=(40, 3))
    X[:, 2] = X[:, 0] - X[:, 1]
    res = solve_linear(X, rng.normal(size=40))
    assert res.rank == 2
    assert not res.success
    assert res.condition == np.inf


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"design": np.ones((5, 2)), "y": np.ones(4)}, "5 rows"),
        ({"design": np.ones((2, 3)), "y": np.ones(2)}, "cannot determine"),
        ({"design": np.ones((5, 2)), "y": np.r_[np.ones(4), np.nan]}, "NaN"),
        ({"design": np.ones((5, 2)), "y": np.ones(5), "dy": -np.ones(5)}, "positive"),
        ({"design": np.ones(5), "y": np.ones(5)}, "2-D"),
    ],
)
def test_solve_linear_bad_input(kwargs, match):
    with pytest.raises(NavfitError, match=match):
        solve_linear(**kwargs)


def _problem(seed=0):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 80, 400))
    period = 1.37
    coef = np.array([5.0, 0.3, -0.1, 0.05, 0.08, 0.02, -0.01])
    dy = rng.uniform(0.005, 0.02, t.size)
    y = ref.tp_basis(t / period, 3) @ coef + rng.normal(0, 1, t.size) * dy
    return t, y, dy, np.r_[coef, period * (1 + 1e-5)]


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_levenberg_marquardt_matches_scipy(seed):
    t, y, dy, p0 = _problem(seed)
    res = levenberg_marquardt(models.TP_FREE_PERIOD, t, y, dy, p0, fparams=[0.0])
    assert res.success

    def fun(p):
        return (y - ref.tp_free_period_model(t, p, 0.0)[0]) / dy

    def jac(p):
        return -ref.tp_free_period_model(t, p, 0.0)[1] / dy[:, None]

    sp = least_squares(fun, p0, jac=jac, method="lm", xtol=1e-15, ftol=1e-15, gtol=1e-15)
    assert res.chi2 == pytest.approx(2 * sp.cost, rel=1e-10)
    # parameters agree to a tiny fraction of their errors
    assert np.all(np.abs(res.params - sp.x) < 1e-5 * res.errors)
    J = jac(sp.x)
    cov = np.linalg.inv(J.T @ J) * (2 * sp.cost) / (t.size - p0.size)
    np.testing.assert_allclose(res.covariance, cov, rtol=1e-6)


def test_levenberg_marquardt_bounds_and_fixed():
    t, y, dy, p0 = _problem(5)
    lower = np.full(p0.size, -np.inf)
    upper = np.full(p0.size, np.inf)
    upper[1] = 0.2  # the true a1 is 0.3: the bound must hold
    res = levenberg_marquardt(
        models.TP_FREE_PERIOD, t, y, dy, p0, lower=lower, upper=upper, fparams=[0.0]
    )
    assert res.params[1] <= 0.2
    free = np.ones(p0.size, bool)
    free[-1] = False
    res = levenberg_marquardt(models.TP_FREE_PERIOD, t, y, dy, p0, free=free, fparams=[0.0])
    assert res.params[-1] == p0[-1]
    assert res.covariance.shape == (p0.size - 1, p0.size - 1)
    assert res.dof == t.size - p0.size + 1


def test_levenberg_marquardt_bad_input():
    t, y, dy, p0 = _problem()
    with pytest.raises(NavfitError, match="lower bound"):
        levenberg_marquardt(0, t, y, dy, p0, lower=np.ones(p0.size), upper=np.zeros(p0.size))
    with pytest.raises(NavfitError, match="cannot determine"):
        levenberg_marquardt(0, t[:5], y[:5], dy[:5], p0)
    with pytest.raises(NavfitError, match="p0"):
        levenberg_marquardt(0, t, y, dy, np.r_[p0[:-1], np.nan])


def test_lm_minimum_ends_where_levenberg_marquardt_does():
    from navfit.lsq import lm_minimum

    t, y, dy, p0 = _problem(6)
    for maxiter in (3, 200):
        full = levenberg_marquardt(
            models.TP_FREE_PERIOD, t, y, dy, p0, fparams=[0.0], maxiter=maxiter
        )
        params, chi2 = lm_minimum(
            models.TP_FREE_PERIOD, t, y, dy, p0, fparams=[0.0], maxiter=maxiter
        )
        np.testing.assert_array_equal(params, full.params)
        assert chi2 == full.chi2
    with pytest.raises(NavfitError, match="p0"):
        lm_minimum(0, t, y, dy, np.r_[p0[:-1], np.inf])


def test_model_values_are_those_of_the_jacobian_call():
    from navfit.lsq import jacobian, model_values
    from navfit.nav_params import PARAMETERS

    t, _, _, p0 = _problem(7)
    np.testing.assert_array_equal(
        model_values(models.TP_FREE_PERIOD, t, p0, fparams=[0.0]),
        jacobian(models.TP_FREE_PERIOD, t, p0, fparams=[0.0])[0],
    )
    p = np.array([q.default for q in PARAMETERS])
    p[-1] = 0.8123  # period; a wide eclipse so that most points use the profile
    p[7] = p[8] = 0.2
    for iparams in ([1, 1], [0, 1], [1, 0]):
        f = model_values(models.NAV, t, p, iparams)
        np.testing.assert_array_equal(f, jacobian(models.NAV, t, p, iparams)[0])
        assert np.ptp(f) > 0.05
