"""Slow, obvious NumPy twins of the numba kernels: the oracle of the test suite.

The NAV profile and model twins are those of :mod:`navfit.nav_params`, where
the model is defined once in numpy; they are named here as the tests know them.
"""

import numpy as np

from ..nav_params import NAMES as NAV_NAMES
from ..nav_params import curve as nav_curve
from ..nav_params import model as nav_model
from ..nav_params import profile as nav_profile_general
from ..nav_params import wrap_phase

__all__ = [
    "NAV_NAMES",
    "STATUS_CONVERGED",
    "eclipse_power",
    "levenberg_marquardt",
    "multiband_reduction",
    "nav_curve",
    "nav_grid_scan",
    "nav_jacobian_fd",
    "nav_model",
    "nav_profile",
    "nav_profile_general",
    "periodogram_reduction",
    "qr_rss_prefix",
    "tp_basis",
    "tp_free_period_model",
    "tp_value_dphase",
    "weighted_lstsq",
    "wrap_phase",
]

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
        g = Jw.T @ r
        blocked = ((p[idx] <= lower[idx]) & (g < 0)) | ((p[idx] >= upper[idx]) & (g > 0))
        gfree = np.abs(g / D)[~blocked]
        if (gfree.size == 0 or gfree.max() <= gtol * np.sqrt(chi2)) or chi2 == 0:
            status = 3
            break
        accepted = False
        while lam < 1e16:
            active = np.ones(len(idx), bool)
            for _ in range(len(idx) + 1):
                cols = np.flatnonzero(active)
                A = np.vstack([Jw[:, cols], np.diag(np.sqrt(lam) * D[cols])])
                b = np.concatenate([r, np.zeros(cols.size)])
                step = np.zeros(len(idx))
                step[cols] = np.linalg.lstsq(A, b, rcond=None)[0]
                out = active & (
                    ((p[idx] <= lower[idx]) & (step < 0)) | ((p[idx] >= upper[idx]) & (step > 0))
                )
                if not out.any():
                    break
                active &= ~out
            ptrial = p.copy()
            ptrial[idx] = np.where(active, np.clip(p[idx] + step, lower[idx], upper[idx]), p[idx])
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
    """Canonical NAV profile ``(1 - |delta/a|^beta)^(3/2)`` inside ``|delta| < a``, else 0."""
    return nav_profile_general(delta, a, beta)


def nav_jacobian_fd(t, p, free, shared_width=True, has_secondary=True, rel=1e-7):
    """Central finite-difference Jacobian ``(n, m)`` of :func:`nav_model`."""
    J = np.zeros((np.size(t), len(p)))
    for j in np.flatnonzero(free):
        h = rel * max(abs(p[j]), 1e-2) if j != 15 else rel * p[16]
        up, dn = np.array(p, float), np.array(p, float)
        up[j] += h
        dn[j] -= h
        J[:, j] = (
            nav_model(t, up, shared_width, has_secondary)
            - nav_model(t, dn, shared_width, has_secondary)
        ) / (2 * h)
    return J


def nav_grid_scan(phase, sw, y, centers, widths, betas, gamma=1.5, min_in=3):
    """Chi-square reduction of every grid node by a full weighted lstsq per node (slow)."""
    w = 2 * np.pi * phase
    base = np.column_stack(
        [np.ones_like(phase), np.cos(w), np.sin(w), np.cos(2 * w), np.sin(2 * w)]
    )
    _, _, chi2_0 = weighted_lstsq(base, y, sw)
    out = np.zeros((len(centers), len(betas), len(betas), 3))
    for k, (c, a) in enumerate(zip(centers, widths, strict=True)):
        d1 = wrap_phase(phase - c)
        d2 = wrap_phase(phase - c - 0.5)
        in1 = int(np.sum(np.abs(d1) < a))
        in2 = int(np.sum(np.abs(d2) < a))
        for i, b1 in enumerate(betas):
            h1 = nav_profile_general(d1, a, b1, gamma)
            for j, b2 in enumerate(betas):
                h2 = nav_profile_general(d2, a, b2, gamma)
                if in1 < min_in:
                    continue
                cols = [base, h1[:, None]]
                two = in2 >= min_in
                if two:
                    coef, _, chi2 = weighted_lstsq(np.hstack([*cols, h2[:, None]]), y, sw)
                    if not (coef[5] > 0 and coef[6] > 0):
                        two = False
                if not two:
                    coef, _, chi2 = weighted_lstsq(np.hstack(cols), y, sw)
                    coef = np.r_[coef, 0.0]
                if coef[5] <= 0:
                    continue
                out[k, i, j] = (chi2_0 - chi2, coef[5], coef[6])
    return out


def periodogram_reduction(t, y, dy, freq, order):
    """Chi-square reduction of a degree-``order`` TP fit (free mean) at each frequency.

    One weighted :func:`numpy.linalg.lstsq` (SVD) on the full design per
    frequency: the twin of :mod:`navfit._kernels.scan`. ``dy=None`` means
    equal weights. Returns ``(P, chi2_ref)`` with ``P = chi2_ref - chi2(f)``
    and ``chi2_ref = sum ((y - ybar_w) / dy)^2``.
    """
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    sw = np.ones_like(y) if dy is None else 1.0 / np.asarray(dy, dtype=float)
    w = sw**2
    yc = y - np.sum(w * y) / np.sum(w)
    b = yc * sw
    chi2_ref = float(b @ b)
    tau = t - 0.5 * (t.min() + t.max())
    out = np.empty(len(freq))
    for k, f in enumerate(np.asarray(freq, dtype=float)):
        X = tp_basis(f * tau, order) * sw[:, None]
        coef, *_ = np.linalg.lstsq(X, b, rcond=None)
        r = b - X @ coef
        out[k] = chi2_ref - float(r @ r)
    return out, chi2_ref


def multiband_reduction(t, y, dy, band, freq, order):
    """Chi-square reduction of the shared-phase multi-band model at each frequency.

    The model: an offset per band plus ``order`` harmonics shared by all bands
    (astropy's ``LombScargleMultiband`` with ``nterms_base=order,
    nterms_band=0``). One weighted :func:`numpy.linalg.lstsq` (SVD) of the full
    design, band indicator columns then harmonics, per frequency: the twin of
    :mod:`navfit._kernels.multiband`. ``band`` holds integer codes.
    Returns ``(P, chi2_ref)``, ``chi2_ref`` the chi-square of the offsets-only
    model, ``P = chi2_ref - chi2(f)``.
    """
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    band = np.asarray(band)
    sw = np.ones_like(y) if dy is None else 1.0 / np.asarray(dy, dtype=float)
    w = sw**2
    codes = np.unique(band)
    indicators = np.column_stack([(band == b).astype(float) for b in codes])
    yc = y.copy()
    for b in codes:
        rows = band == b
        yc[rows] -= np.sum(w[rows] * y[rows]) / np.sum(w[rows])
    b_vec = yc * sw
    chi2_ref = float(b_vec @ b_vec)
    tau = t - 0.5 * (t.min() + t.max())
    out = np.empty(len(freq))
    for k, f in enumerate(np.asarray(freq, dtype=float)):
        X = np.column_stack([indicators, tp_basis(f * tau, order)[:, 1:]]) * sw[:, None]
        coef, *_ = np.linalg.lstsq(X, b_vec, rcond=None)
        r = b_vec - X @ coef
        out[k] = chi2_ref - float(r @ r)
    return out, chi2_ref


def eclipse_power(t, y, w, frequency, nb, factors, bins_per_width, beta, sign):
    """Slow twin of :func:`navfit._kernels.eclipse_scan.eclipse_power` (numpy, per frequency).

    Returns the (nf, 4) array: reduction (primary + secondary), primary phase,
    width index, secondary reduction.
    """
    m = bins_per_width
    j = np.arange(-m, m + 1)
    z = np.abs(j) / m
    h = np.where(z < 1, (1 - z**beta) ** 1.5, 0.0)
    out = np.zeros((len(frequency), 4))
    for k, f in enumerate(frequency):
        x = t * f
        b = np.minimum(((x - np.floor(x)) * nb).astype(int), nb - 1)
        W = np.bincount(b, weights=w, minlength=nb)
        D = np.bincount(b, weights=w * y, minlength=nb)
        wtot = W.sum()
        best = (0.0, 0.0, 0, 0.0)
        for iw, fac in enumerate(factors):
            nc = nb // fac
            Wc = W.reshape(nc, fac).sum(axis=1)
            Dc = D.reshape(nc, fac).sum(axis=1)

            def red_at(e, Wc=Wc, Dc=Dc, nc=nc, wtot=wtot):
                idx = (e + j) % nc
                A = np.sum(Dc[idx] * h)
                den = np.sum(Wc[idx] * h * h) - np.sum(Wc[idx] * h) ** 2 / wtot
                return A * A / den if den > 0 and sign * A > 0 else 0.0

            reds = np.array([red_at(e) for e in range(nc)])
            e0 = int(np.argmax(reds))
            if reds[e0] <= 0:
                continue
            span = max(1, int(0.1 * nc))
            sec = max(red_at((e0 + nc // 2 + de) % nc) for de in range(-span, span + 1))
            if reds[e0] + sec > best[0]:
                best = (reds[e0] + sec, (e0 + 0.5) / nc, iw, sec)
        out[k] = best
    return out
