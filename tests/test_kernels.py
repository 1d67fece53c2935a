"""Fast kernels against their slow NumPy twins, with 1 and 2 numba threads."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from navfit._kernels import basis, linalg, lm, models
from navfit._kernels import reference as ref

KERNEL_DIR = Path(__file__).parents[1] / "navfit" / "_kernels"


@pytest.mark.parametrize("order", [0, 1, 5, 31, 32, 33, 70])
@pytest.mark.usefixtures("threads")
def test_tp_basis_matches_reference(order):
    rng = np.random.default_rng(order)
    phase = rng.uniform(-50, 50, 301)
    out = np.empty((2 * order + 1, phase.size))
    basis.fill_tp_basis(phase, order, out)
    expected = ref.tp_basis(phase - np.floor(phase), order).T
    # order 70 crosses two re-seeds of the recurrence (RESEED = 32)
    np.testing.assert_allclose(out, expected, rtol=0, atol=2e-13)


def test_tp_basis_reseed_is_exercised():
    assert basis.RESEED < 70


@pytest.mark.parametrize("order", [1, 4, 40])
def test_tp_value_dphase_matches_reference(order):
    rng = np.random.default_rng(7)
    phase = rng.uniform(0, 3, 200)
    coef = rng.normal(size=2 * order + 1)
    v = np.empty(200)
    d = np.empty(200)
    basis.tp_value_dphase(phase, coef, v, d)
    v_ref, d_ref = ref.tp_value_dphase(phase, coef)
    np.testing.assert_allclose(v, v_ref, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(d, d_ref, rtol=1e-11, atol=1e-10)


def _problem(n=400, m=9, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, m))
    c = rng.normal(size=m)
    dy = rng.uniform(0.5, 2.0, n)
    y = X @ c + rng.normal(0, 1, n) * dy
    return X, y, 1.0 / dy


@pytest.mark.usefixtures("threads")
def test_weighted_lstsq_matches_numpy():
    X, y, sw = _problem()
    coef, cov, rss, R, *_ = linalg.weighted_lstsq(np.ascontiguousarray(X.T), y, sw)
    c_ref, cov_ref, chi2_ref = ref.weighted_lstsq(X, y, sw)
    np.testing.assert_allclose(coef, c_ref, rtol=1e-10)
    np.testing.assert_allclose(cov, cov_ref, rtol=1e-10)
    assert rss[-1] == pytest.approx(chi2_ref, rel=1e-10)
    assert np.allclose(
        np.abs(np.diag(R)),
        np.abs(np.diag(np.linalg.qr(X * sw[:, None] / np.linalg.norm(X * sw[:, None], axis=0))[1])),
        rtol=1e-10,
    )


def test_nested_coefficients_from_one_qr_match_separate_fits():
    X, y, sw = _problem(n=300, m=12, seed=5)
    _, _, _, R, qtb, colscale = linalg.weighted_lstsq(np.ascontiguousarray(X.T), y, sw)
    for j in (1, 2, 5, 11, 12):
        coef = linalg.nested_coefficients(R, qtb, colscale, j)
        np.testing.assert_allclose(coef, ref.weighted_lstsq(X[:, :j], y, sw)[0], rtol=1e-10)


def test_nested_chi2_from_one_qr_matches_separate_fits():
    X, y, sw = _problem(n=300, m=12, seed=3)
    _, _, rss, *_ = linalg.weighted_lstsq(np.ascontiguousarray(X.T), y, sw)
    np.testing.assert_allclose(rss, ref.qr_rss_prefix(X, y, sw), rtol=1e-10)
    assert np.all(np.diff(rss) <= 0)


@pytest.mark.parametrize("m", [1, 2, 3, 4, 5, 6, 9, 13])
def test_householder_matches_numpy_qr(m):
    """Every grouping of the reflections (four columns, two, one, with b) against numpy."""
    X, y, sw = _problem(n=40, m=m, seed=m)
    A = X * sw[:, None]
    b = y * sw
    AT, qtb = A.T.copy(), b.copy()  # a copy: with m = 1, A.T is contiguous and a view
    R = linalg.householder_qr(AT, qtb)
    Q_np, R_np = np.linalg.qr(A)
    sign = np.sign(np.diag(R)) * np.sign(np.diag(R_np))
    np.testing.assert_allclose(R, sign[:, None] * R_np, rtol=1e-10, atol=1e-12 * np.abs(R_np).max())
    np.testing.assert_allclose(
        qtb[:m], sign * (Q_np.T @ b), rtol=1e-10, atol=1e-12 * np.abs(b).max()
    )
    resid = b - Q_np @ (Q_np.T @ b)
    assert np.sum(qtb[m:] ** 2) == pytest.approx(np.sum(resid**2), rel=1e-10)


def test_householder_on_dependent_column_gives_zero_pivot():
    X, y, sw = _problem(n=50, m=4, seed=1)
    X[:, 3] = 2 * X[:, 1]
    AT = np.ascontiguousarray((X * sw[:, None]).T)
    R = linalg.householder_qr(AT, y * sw)
    assert abs(R[3, 3]) < 1e-12 * abs(R[0, 0])


def _tp_period_problem(seed=0, n=300, order=3):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 60, n))
    period = 0.8123
    coef = np.r_[10.0, rng.normal(0, 0.2, 2 * order)]
    dy = rng.uniform(0.005, 0.02, n)
    y = ref.tp_basis(t / period, order) @ coef + rng.normal(0, 1, n) * dy
    p0 = np.r_[coef * (1 + 0.01 * rng.normal(size=coef.size)), period * (1 + 2e-5)]
    return t, y, 1.0 / dy, p0


@pytest.mark.usefixtures("threads")
def test_model_jacobian_matches_reference():
    t, _, _, p0 = _tp_period_problem()
    f = np.empty(t.size)
    JT = np.empty((p0.size, t.size))
    models.eval_model(models.TP_FREE_PERIOD, t, p0, np.zeros(1, np.int64), np.zeros(1), f, JT)
    f_ref, J_ref = ref.tp_free_period_model(t, p0, 0.0)
    np.testing.assert_allclose(f, f_ref, rtol=1e-12)
    np.testing.assert_allclose(JT.T, J_ref, rtol=1e-9, atol=1e-9 * np.abs(J_ref).max())


def test_model_jacobian_matches_finite_differences():
    t, _, _, p0 = _tp_period_problem(seed=4)
    _, J = ref.tp_free_period_model(t, p0, 0.0)
    for j in range(p0.size):
        h = 1e-7 * max(abs(p0[j]), 1e-3)
        up, dn = p0.copy(), p0.copy()
        up[j] += h
        dn[j] -= h
        fd = ref.tp_free_period_model(t, up, 0.0)[0] - ref.tp_free_period_model(t, dn, 0.0)[0]
        np.testing.assert_allclose(J[:, j], fd / (2 * h), rtol=1e-5, atol=1e-6 * np.abs(J).max())


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.usefixtures("threads")
def test_lm_kernel_matches_reference_twin(seed):
    t, y, sw, p0 = _tp_period_problem(seed)
    m = p0.size
    lo, hi = np.full(m, -np.inf), np.full(m, np.inf)
    free = np.ones(m, bool)
    p, chi2, _niter, status = lm.levenberg_marquardt(
        models.TP_FREE_PERIOD,
        t,
        y,
        sw,
        p0,
        lo,
        hi,
        free,
        np.zeros(1, np.int64),
        np.zeros(1),
        np.array([200, 1e-12, 1e-10, 1e-12]),
    )
    p_ref, chi2_ref, _, status_ref = ref.levenberg_marquardt(
        lambda tt, pp: ref.tp_free_period_model(tt, pp, 0.0), t, y, sw, p0, lo, hi, free
    )
    assert status in ref.STATUS_CONVERGED
    assert status_ref in ref.STATUS_CONVERGED
    assert chi2 == pytest.approx(chi2_ref, rel=1e-10)
    np.testing.assert_allclose(p, p_ref, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("k", [1, 2, 5, 12, 40])
def test_cholesky_solve_matches_numpy(k):
    rng = np.random.default_rng(k)
    A = rng.normal(size=(3 * k, k))
    M = A.T @ A + 1e-3 * np.eye(k)
    z = rng.normal(size=k)
    work = np.full((k + 2, k + 2), np.nan)
    work[:k, :k] = np.tril(M)
    x = np.r_[z, 7.0]
    assert linalg.cholesky_solve(work, x, k)
    np.testing.assert_allclose(x[:k], np.linalg.solve(M, z), rtol=1e-9)
    assert x[k] == 7.0


def test_cholesky_solve_reports_a_matrix_that_is_not_positive_definite():
    M = np.array([[1.0, 2.0], [2.0, 1.0]])  # eigenvalues 3 and -1
    assert not linalg.cholesky_solve(M.copy(), np.ones(2), 2)
    assert not linalg.cholesky_solve(np.zeros((3, 3)), np.ones(3), 3)


def _nav_start(period, epoch):
    from navfit.nav_params import EPOCH, PARAMETERS, PERIOD

    p = np.array([q.default for q in PARAMETERS])
    p[EPOCH], p[PERIOD] = epoch, period
    return p


def _nav_lm(t, y, sw, p0, lo, hi, free, iparams):
    return lm.levenberg_marquardt(
        models.NAV,
        t,
        y,
        sw,
        p0,
        lo,
        hi,
        free,
        iparams,
        np.zeros(1),
        np.array([300, 1e-12, 1e-10, 1e-12]),
    )


@pytest.mark.parametrize("seed", [0, 1])
@pytest.mark.usefixtures("threads")
def test_lm_kernel_matches_reference_twin_on_nav_with_bounds(seed):
    """The half-width's upper bound lies below the truth: the fit ends on it (active set)."""
    from navfit.nav_params import A1, BETA1, BETA2, C6, C7, EPOCH, FLAT1, FLAT2, PERIOD

    rng = np.random.default_rng(seed)
    period = 1.37
    t = np.sort(rng.uniform(0, 40, 500))
    truth = _nav_start(period, 3.0)
    truth[C6], truth[C7], truth[A1] = 0.5, 0.2, 0.08
    iparams = np.array([1, 1], np.int64)
    f = np.empty(t.size)
    JT = np.empty((truth.size, t.size))
    models.eval_model(models.NAV, t, truth, iparams, np.zeros(1), f, JT)
    dy = np.full(t.size, 0.01)
    y = f + rng.normal(0, 0.01, t.size)
    free = np.zeros(truth.size, bool)
    free[[0, 1, 2, 3, 4, C6, C7, A1, BETA1, BETA2, FLAT1, FLAT2, EPOCH, PERIOD]] = True
    lo, hi = np.full(truth.size, -np.inf), np.full(truth.size, np.inf)
    lo[[FLAT1, FLAT2]], hi[[FLAT1, FLAT2]] = 0.0, 0.9
    lo[[BETA1, BETA2]], hi[[BETA1, BETA2]] = 0.5, 10.0
    lo[A1], hi[A1] = 0.01, 0.07
    p0 = truth.copy()
    p0[A1] = 0.05
    p0[EPOCH] += 0.003
    p, chi2, _, status = _nav_lm(t, y, 1 / dy, p0, lo, hi, free, iparams)

    def model(tt, pp):
        ff = np.empty(tt.size)
        jj = np.empty((pp.size, tt.size))
        models.eval_model(models.NAV, tt, pp, iparams, np.zeros(1), ff, jj)
        return ff, jj.T

    p_ref, chi2_ref, _, status_ref = ref.levenberg_marquardt(
        model, t, y, 1 / dy, p0, lo, hi, free, 300
    )
    assert status in ref.STATUS_CONVERGED
    assert status_ref in ref.STATUS_CONVERGED
    assert chi2 == pytest.approx(chi2_ref, rel=1e-9)
    np.testing.assert_allclose(p, p_ref, rtol=1e-6, atol=1e-8)
    assert p[A1] == 0.07


def test_lm_kernel_with_a_parameter_the_data_do_not_determine():
    """A free C7 without a secondary eclipse has a zero Jacobian column: finite result, C7 kept."""
    from navfit.nav_params import C7, EPOCH

    t, y, sw, _ = _tp_period_problem(3)
    p0 = _nav_start(0.8123, 0.0)
    p0[0] = float(np.mean(y))
    iparams = np.array([1, 0], np.int64)
    free = np.zeros(p0.size, bool)
    free[[0, 1, 2, 3, 4, C7, EPOCH]] = True
    lo, hi = np.full(p0.size, -np.inf), np.full(p0.size, np.inf)
    p, chi2, niter, status = _nav_lm(t, y, sw, p0, lo, hi, free, iparams)
    assert np.all(np.isfinite(p))
    assert p[C7] == p0[C7]
    assert status in (1, 2, 3)  # converged by a criterion, not stuck (4)
    assert niter > 1
    # the same minimum as the fit with C7 held
    free[C7] = False
    p_held, chi2_held, _, _ = _nav_lm(t, y, sw, p0, lo, hi, free, iparams)
    np.testing.assert_allclose(p_held[free], p[free], rtol=1e-6, atol=1e-9)
    assert chi2 == pytest.approx(chi2_held, rel=1e-9)
    assert chi2 < 0.5 * np.sum(((y - np.mean(y)) * sw) ** 2)


def test_jit_options_live_in_config_only():
    offenders = []
    for path in KERNEL_DIR.glob("*.py"):
        if path.name == "_config.py":
            continue
        text = path.read_text()
        if re.search(r"@(numba\.)?n?jit\(|fastmath\s*=|parallel\s*=|cache\s*=", text):
            offenders.append(path.name)
    assert offenders == []
    numba_users = [
        p.name
        for p in (KERNEL_DIR.parent).rglob("*.py")
        if "import numba" in p.read_text() or "from numba" in p.read_text()
    ]
    assert sorted(numba_users) == ["_config.py"]


def test_kernels_run_without_jit(tmp_path):
    script = tmp_path / "nojit.py"
    script.write_text(
        "import numpy as np, navfit\n"
        "from navfit._kernels import basis\n"
        "assert not hasattr(basis.fill_tp_basis, 'py_func'), 'JIT was not disabled'\n"
        "rng = np.random.default_rng(0)\n"
        "t = np.sort(rng.uniform(0, 50, 120))\n"
        "y = 10 + 0.3*np.cos(2*np.pi*t/0.9) + rng.normal(0, 0.01, t.size)\n"
        "lc = navfit.LightCurve(t, y, np.full(t.size, 0.01))\n"
        "r = navfit.fit_tp(lc, 0.9, order=2, free_period=True)\n"
        "print(repr(r.chi2), repr(r.period))\n"
    )
    env = {**os.environ, "NUMBA_DISABLE_JIT": "1"}
    out = subprocess.run(
        [sys.executable, str(script)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    chi2_nojit, period_nojit = map(float, out.stdout.split())
    import navfit

    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 50, 120))
    y = 10 + 0.3 * np.cos(2 * np.pi * t / 0.9) + rng.normal(0, 0.01, t.size)
    r = navfit.fit_tp(
        navfit.LightCurve(t, y, np.full(t.size, 0.01)), 0.9, order=2, free_period=True
    )
    assert r.chi2 == pytest.approx(chi2_nojit, rel=1e-9)
    assert r.period == pytest.approx(period_nojit, rel=1e-12)


@pytest.mark.parametrize("k", [1, 4, 30, 101])
def test_condition_estimate_matches_numpy(k):
    rng = np.random.default_rng(k)
    A = rng.normal(size=(400, k))
    if k > 1:
        A[:, -1] = A[:, 0] + 1e-5 * A[:, -1]
    R = np.linalg.qr(A)[1]
    assert linalg.condition_triangular(R, k) == pytest.approx(np.linalg.cond(R), rel=1e-3)
    R[k // 2, k // 2] = 0.0
    assert linalg.condition_triangular(R, k) == np.inf


def test_orthonormalize_rows_spans_the_same_space():
    rng = np.random.default_rng(2)
    A = rng.normal(size=(5, 300)) * np.linspace(1, 1e3, 5)[:, None]
    Q = linalg.orthonormalize_rows(A)
    np.testing.assert_allclose(Q @ Q.T, np.eye(5), atol=1e-12)
    Qref = np.linalg.qr(A.T)[0].T
    # same projector onto the row space
    np.testing.assert_allclose(Q.T @ Q, Qref.T @ Qref, atol=1e-12)
