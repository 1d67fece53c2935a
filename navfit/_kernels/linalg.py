"""Weighted linear least squares by Householder QR.

The design matrix arrives transposed, ``AT`` of shape ``(m, n)``, rows being the
weighted, column-scaled basis functions. Householder reflections are applied in
place; because reflection ``k`` only touches entries ``k..n-1``, the QR of the
first ``j`` columns is the leading ``j x j`` block of the full QR, and the
residual sum of squares of the fit with the first ``j`` columns is
``sum_{i >= j} (Q^T b)_i^2``. One factorization thus gives the chi-square of every
nested model (all TP orders ``1..s_max`` at once).

:func:`cholesky_solve` solves the small damped normal equations of
Levenberg-Marquardt (:mod:`navfit._kernels.lm`).
"""

import numpy as np

from ._config import jit


@jit
def householder_qr(AT, b):
    """Factor ``A = Q R`` in place by Householder reflections and apply ``Q^T`` to ``b``.

    Parameters
    ----------
    AT : ndarray, shape (m, n), float64, C-contiguous, m <= n
        Transposed design matrix; overwritten (upper triangle of ``R`` in
        ``AT[j, i]`` for ``i <= j``, reflector tails below).
    b : ndarray, shape (n,), float64
        Right-hand side, overwritten by ``Q^T b``.

    Returns
    -------
    R : ndarray, shape (m, m)
        Upper-triangular factor.

    Notes
    -----
    Reflector ``k`` is ``I - 2 v v^T / v^T v`` with ``v = x + sign(x_0) |x| e_0``,
    ``x = A[k:, k]`` (Golub & Van Loan 2013, Alg. 5.2.1). A zero column gives a
    zero diagonal entry (rank deficiency, reported by the caller).
    Reference twin: :func:`numpy.linalg.qr` in
    :func:`navfit._kernels.reference.qr_rss_prefix`.
    """
    m, n = AT.shape
    R = np.zeros((m, m))
    for k in range(m):
        col = AT[k]
        norm2 = 0.0
        for i in range(k, n):
            norm2 += col[i] * col[i]
        norm = np.sqrt(norm2)
        if norm == 0.0:
            continue
        xk = col[k]
        alpha = -norm if xk >= 0.0 else norm
        v0 = xk - alpha
        col[k] = v0
        vnorm2 = norm2 - xk * xk + v0 * v0
        if vnorm2 == 0.0:
            col[k] = alpha
            continue
        scale = 2.0 / vnorm2
        # the later columns and b, four at a time: four independent sums per
        # pass over v (each summed in index order as before, so the result is
        # bit for bit the same; one dot product at a time waits on each addition)
        j = k + 1
        while j + 4 <= m:
            _reflect4(col, AT[j], AT[j + 1], AT[j + 2], AT[j + 3], k, n, scale)
            j += 4
        if m - j == 3:
            _reflect4(col, AT[j], AT[j + 1], AT[j + 2], b, k, n, scale)
        else:
            for jj in range(j, m):
                _reflect1(col, AT[jj], k, n, scale)
            _reflect1(col, b, k, n, scale)
        col[k] = alpha
    for j in range(m):
        for i in range(j + 1):
            R[i, j] = AT[j, i]
    return R


@jit
def _reflect1(v, a, k, n, scale):
    """``a[k:] -= scale (v[k:] . a[k:]) v[k:]``: one Householder reflection of one column."""
    d = 0.0
    for i in range(k, n):
        d += v[i] * a[i]
    d *= scale
    for i in range(k, n):
        a[i] -= d * v[i]


@jit
def _reflect4(v, a0, a1, a2, a3, k, n, scale):
    """:func:`_reflect1` of four columns in one pass over ``v`` (the same sums, in the same order)."""
    d0 = d1 = d2 = d3 = 0.0
    for i in range(k, n):
        vi = v[i]
        d0 += vi * a0[i]
        d1 += vi * a1[i]
        d2 += vi * a2[i]
        d3 += vi * a3[i]
    d0 *= scale
    d1 *= scale
    d2 *= scale
    d3 *= scale
    for i in range(k, n):
        vi = v[i]
        a0[i] -= d0 * vi
        a1[i] -= d1 * vi
        a2[i] -= d2 * vi
        a3[i] -= d3 * vi


@jit
def back_substitute(R, z, k):
    """Solve ``R[:k, :k] x = z[:k]`` for upper-triangular ``R``; zero pivots give 0."""
    x = np.zeros(k)
    for i in range(k - 1, -1, -1):
        s = z[i]
        for j in range(i + 1, k):
            s -= R[i, j] * x[j]
        x[i] = s / R[i, i] if R[i, i] != 0.0 else 0.0
    return x


@jit
def triangular_inverse_gram(R, k):
    """Return ``(R^T R)^{-1} = R^{-1} R^{-T}`` for the leading ``k x k`` block of ``R``."""
    Rinv = np.zeros((k, k))
    for c in range(k):
        for i in range(k - 1, -1, -1):
            s = 1.0 if i == c else 0.0
            for j in range(i + 1, k):
                s -= R[i, j] * Rinv[j, c]
            Rinv[i, c] = s / R[i, i]
    out = np.zeros((k, k))
    for i in range(k):
        for j in range(i, k):
            s = 0.0
            for l in range(j, k):
                s += Rinv[i, l] * Rinv[j, l]
            out[i, j] = s
            out[j, i] = s
    return out


@jit
def weighted_lstsq(AT, y, sw):
    """Weighted linear least squares with column equilibration.

    Minimises ``sum_i sw_i^2 (y_i - sum_j c_j AT[j, i])^2``.

    Parameters
    ----------
    AT : ndarray, shape (m, n)
        Transposed design matrix (not modified).
    y : ndarray, shape (n,)
    sw : ndarray, shape (n,)
        Square roots of the weights, ``1/dy``.

    Returns
    -------
    coef : ndarray, shape (m,)
    cov : ndarray, shape (m, m)
        Unscaled covariance ``(A^T W A)^{-1}``.
    rss_prefix : ndarray, shape (m + 1,)
        ``rss_prefix[j]`` is the weighted residual sum of squares using the first
        ``j`` columns only (``rss_prefix[m]`` is the full fit's chi-square).
    R : ndarray, shape (m, m)
        Triangular factor of the equilibrated problem (all weighted columns
        scaled to unit norm): ``cond(R)`` is the condition number of the
        equilibrated design, ``|R_jj|`` near zero marks a dependent column.
    qtb : ndarray, shape (m,)
        The first ``m`` entries of ``Q^T (sw y)``.
    colscale : ndarray, shape (m,)
        The equilibration: weighted column ``j`` times ``colscale[j]`` has unit norm.

    Notes
    -----
    The fit on the first ``j`` columns only has the coefficients
    ``colscale[:j] * R[:j, :j]^{-1} qtb[:j]`` (:func:`nested_coefficients`):
    the leading columns of a QR factorisation are the QR factorisation of the
    leading columns. Reference twin: :func:`navfit._kernels.reference.weighted_lstsq`.
    """
    m, n = AT.shape
    W = np.empty((m, n))
    colscale = np.empty(m)
    for j in range(m):
        s = 0.0
        for i in range(n):
            v = AT[j, i] * sw[i]
            W[j, i] = v
            s += v * v
        s = np.sqrt(s)
        colscale[j] = 1.0 / s if s > 0.0 else 1.0
        for i in range(n):
            W[j, i] *= colscale[j]
    b = y * sw
    R = householder_qr(W, b)
    rss_prefix = np.zeros(m + 1)
    acc = 0.0
    for i in range(n - 1, m - 1, -1):
        acc += b[i] * b[i]
    rss_prefix[m] = acc
    for j in range(m - 1, -1, -1):
        acc += b[j] * b[j]
        rss_prefix[j] = acc
    z = back_substitute(R, b, m)
    coef = z * colscale
    cov = triangular_inverse_gram(R, m)
    for i in range(m):
        for j in range(m):
            cov[i, j] *= colscale[i] * colscale[j]
    return coef, cov, rss_prefix, R, b[:m].copy(), colscale


@jit
def nested_coefficients(R, qtb, colscale, j):
    """Coefficients of the fit on the first ``j`` columns, from :func:`weighted_lstsq`'s factors."""
    return back_substitute(R, qtb, j) * colscale[:j]


@jit
def condition_triangular(R, k, iterations=60):
    """2-norm condition number of the leading ``k x k`` block of upper-triangular ``R``.

    Power iteration on ``R^T R`` for the largest singular value and inverse
    iteration (two triangular solves per step) for the smallest; no LAPACK call,
    so it never competes with BLAS threads. Returns ``inf`` for a zero pivot.
    Accurate to about a percent after the default iterations, which is all a
    conditioning threshold needs. Reference twin: :func:`numpy.linalg.cond`.
    """
    for i in range(k):
        if R[i, i] == 0.0:
            return np.inf
    v = np.ones(k) / np.sqrt(k)
    smax = 0.0
    for _ in range(iterations):
        w = np.zeros(k)
        for i in range(k):
            s = 0.0
            for j in range(i, k):
                s += R[i, j] * v[j]
            w[i] = s
        u = np.zeros(k)
        for j in range(k):
            s = 0.0
            for i in range(j + 1):
                s += R[i, j] * w[i]
            u[j] = s
        norm = np.sqrt(np.sum(u * u))
        if norm == 0.0:
            return np.inf
        smax = np.sqrt(norm)
        v = u / norm
    v = np.ones(k) / np.sqrt(k)
    smin_inv = 0.0
    for _ in range(iterations):
        # solve R^T w = v (forward), then R u = w (backward): u = (R^T R)^{-1} v
        w = np.zeros(k)
        for i in range(k):
            s = v[i]
            for j in range(i):
                s -= R[j, i] * w[j]
            w[i] = s / R[i, i]
        u = back_substitute(R, w, k)
        norm = np.sqrt(np.sum(u * u))
        smin_inv = np.sqrt(norm)
        v = u / norm
    return smax * smin_inv


@jit
def orthonormalize_rows(A):
    """Orthonormal basis of the rows of ``A`` (m, n), m small: Gram-Schmidt applied twice.

    Returns ``Q`` (m, n) with ``Q Q^T = I`` spanning the same space (rows that are
    dependent come out as zero rows). Reference twin: :func:`numpy.linalg.qr` of
    ``A.T``.
    """
    m, n = A.shape
    Q = A.copy()
    for _ in range(2):
        for i in range(m):
            for j in range(i):
                d = 0.0
                for l in range(n):
                    d += Q[i, l] * Q[j, l]
                for l in range(n):
                    Q[i, l] -= d * Q[j, l]
            norm = 0.0
            for l in range(n):
                norm += Q[i, l] * Q[i, l]
            norm = np.sqrt(norm)
            scale = 1.0 / norm if norm > 0.0 else 0.0
            for l in range(n):
                Q[i, l] *= scale
    return Q


@jit
def cholesky_solve(M, z, k):
    """Solve ``M x = z`` for the leading ``k x k`` block of a symmetric positive-definite ``M``.

    Only the lower triangle of ``M`` is read; it is overwritten by the Cholesky
    factor ``L`` (``M = L L^T``) and ``z[:k]`` by the solution. Returns false,
    leaving ``z`` undefined, when a pivot is not positive (``M`` not positive
    definite to rounding).
    """
    for j in range(k):
        s = M[j, j]
        for q in range(j):
            s -= M[j, q] * M[j, q]
        if not s > 0.0:
            return False
        d = np.sqrt(s)
        M[j, j] = d
        for u in range(j + 1, k):
            s = M[u, j]
            for q in range(j):
                s -= M[u, q] * M[j, q]
            M[u, j] = s / d
    for u in range(k):
        s = z[u]
        for q in range(u):
            s -= M[u, q] * z[q]
        z[u] = s / M[u, u]
    for u in range(k - 1, -1, -1):
        s = z[u]
        for q in range(u + 1, k):
            s -= M[q, u] * z[q]
        z[u] = s / M[u, u]
    return True
