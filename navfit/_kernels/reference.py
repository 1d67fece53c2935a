"""Slow, obvious NumPy twins of the numba kernels: the oracle of the test suite."""

import numpy as np

STATUS_CONVERGED = (1, 2, 3, 4)


def tp_basis(phase, order):
    """Design matrix ``(n, 2s+1)``: ``1, cos(2 pi j phi), sin(2 pi j phi)`` by direct calls."""
    phase = np.asarray(phase, dtype=float)
    cols = [np.ones_like(phase)]
    for j in range(1, order + 1):
        cols.append(np.cos(2 * np.pi * j * phase))
        cols.append(np.sin(2 * np.pi * j * phase))
    return np.column_stack(cols)


def tp_value_dphase(phase, coef):
    """TP value and its phase derivative by direct evaluation."""
    order = (len(coef) - 1) // 2
    X = tp_basis(phase, order)
    j = np.arange(1, order + 1)
    a = np.asarray(coef[1::2])
    b = np.asarray(coef[2::2])
    x = 2 * np.pi * np.outer(phase, j)
    d = (2 * np.pi * j * (b * np.cos(x) - a * np.sin(x))).sum(axis=1)
    return X @ coef, d


def weighted_lstsq(X, y, sw):
    """Weighted least squares with :func:`numpy.linalg.lstsq` (SVD)."""
    A = X * sw[:, None]
    b = y * sw
    coef, *_ = np.linalg.lstsq(A, b, rcond=None)
    cov = np.linalg.pinv(A.T @ A)
    chi2 = float(np.sum((b - A @ coef) ** 2))
    return coef, cov, chi2


def qr_rss_prefix(X, y, sw):
    """Residual sum of squares for every leading block of columns, one lstsq each."""
    m = X.shape[1]
    out = np.empty(m + 1)
    out[0] = float(np.sum((y * sw) ** 2))
    for j in range(1, m + 1):
        out[j] = weighted_lstsq(X[:, :j], y, sw)[2]
    return out


def tp_free_period_model(t, p, t_ref):
    """Values and Jacobian ``(n, m)`` of a TP whose last parameter is the period."""
    coef, period = np.asarray(p[:-1]), p[-1]
    phase = (t - t_ref) / period
    order = (len(coef) - 1) // 2
    value, dphase = tp_value_dphase(phase, coef)
    J = np.column_stack([tp_basis(phase, order), -dphase * phase / period])
    return value, J


def levenberg_marquardt(
    model, t, y, sw, p0, lower, upper, free, maxiter=200, ftol=1e-12, xtol=1e-10, gtol=1e-12
):
    """Plain-NumPy Levenberg-Marquardt, the same algorithm as the numba kernel.

    ``model(t, p) -> (values, J)`` with ``J`` of shape ``(n, m)``.
    """
    p = np.clip(np.asarray(p0, dtype=float), lower, upper)
    idx = np.flatnonzero(free)
    f, J = model(t, p)
    chi2 = float(np.sum(((y - f) * sw) ** 2))
    lam = 1e-3
    status, niter = 0, 0
    for it in range(maxiter):
        niter = it + 1
        Jw = J[:, idx] * sw[:, None]
        r = (y - f) * sw
        D = np.sqrt(np.sum(Jw**2, axis=0))
        D[D == 0] = 1.0
        if np.max(np.abs(Jw.T @ r) / D) <= gtol * np.sqrt(chi2) or chi2 == 0:
            status = 3
            break
        accepted = False
        while lam < 1e16:
            A = np.vstack([Jw, np.diag(np.sqrt(lam) * D)])
            b = np.concatenate([r, np.zeros(len(idx))])
            step = np.linalg.lstsq(A, b, rcond=None)[0]
            ptrial = p.copy()
            ptrial[idx] = np.clip(p[idx] + step, lower[idx], upper[idx])
            ftrial, Jtrial = model(t, ptrial)
            chi2_trial = float(np.sum(((y - ftrial) * sw) ** 2))
            if chi2_trial < chi2:
                accepted = True
                rel_step = np.max(np.abs(ptrial[idx] - p[idx]) * D)
                dchi2 = chi2 - chi2_trial
                p, chi2, f, J = ptrial, chi2_trial, ftrial, Jtrial
                lam = max(lam / 10, 1e-12)
                if dchi2 <= ftol * chi2:
                    status = 1
                elif rel_step <= xtol * np.sqrt(max(chi2, 1e-300)):
                    status = 2
                break
            lam *= 10
        if not accepted:
            status = 4
            break
        if status:
            break
    return p, chi2, niter, status


def nav_profile(delta, a, beta):
    """NAV local eclipse profile ``H = (1 - |delta/a|^beta)^(3/2)`` inside ``|delta| < a``, else 0."""
    u = np.abs(np.asarray(delta, dtype=float)) / a
    inside = u < 1.0
    out = np.zeros_like(u)
    out[inside] = (1.0 - u[inside] ** beta) ** 1.5
    return out


def wrap_phase(x):
    """Signed distance to the nearest integer, in [-0.5, 0.5)."""
    x = np.asarray(x, dtype=float)
    return x - np.floor(x + 0.5)


def nav_curve(phase, c, a, beta1, beta2):
    """Canonical NAV curve (Andronov 2012) at phases (0 = Min I), by direct evaluation.

    ``c = (C1, ..., C7)``: TP2 coefficients and the two eclipse depths (mag).
    """
    phase = np.asarray(phase, dtype=float)
    w = 2 * np.pi * phase
    return (
        c[0]
        + c[1] * np.cos(w)
        + c[2] * np.sin(w)
        + c[3] * np.cos(2 * w)
        + c[4] * np.sin(2 * w)
        + c[5] * nav_profile(wrap_phase(phase), a, beta1)
        + c[6] * nav_profile(wrap_phase(phase - 0.5), a, beta2)
    )
