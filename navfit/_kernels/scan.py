"""Periodogram kernels: harmonic sums and the small per-frequency solve.

Notation (all sums over the data points ``i``)::

    tau_i = t_i - t_ref                      times relative to the middle of the data
    x_i   = 2 pi f tau_i                     phase angle at frequency f
    w_i   = 1 / dy_i**2                      weights
    u_i   = w_i (y_i - ybar_w)               weighted, centred data (sum_i u_i = 0)

    wc[h] + 1j ws[h] = sum_i w_i exp(1j h x_i)     h = 0 .. 2s
    yc[h] + 1j ys[h] = sum_i u_i exp(1j h x_i)     h = 1 .. s

Everything a degree-``s`` trigonometric polynomial fit with a free mean needs
at one frequency follows from these ``3s`` complex sums (the normal matrix by
product-to-sum identities, see :func:`solve_from_sums`, which solves a batch of
frequencies at once). They come either from :func:`direct_blocks` /
:func:`power_direct` (direct sums, ``O(N s)`` per frequency, serial / ``prange``)
or from type-1 non-uniform FFTs (:mod:`navfit.periodogram`, with
:func:`chunk_phasors` and :func:`nufft_points` preparing their inputs), solved
by :func:`sums_blocks` (run on several Python threads by the caller: it
releases the GIL). :func:`qr_reduction` /
:func:`power_qr` is the slow, numerically robust fallback: Householder QR of the
full weighted design at one frequency.

Reference twin: :func:`navfit._kernels.reference.periodogram_reduction`.
"""

import numpy as np

from ._config import jit, jit_parallel, prange
from .basis import RESEED

TWO_PI = 2.0 * np.pi
#: Frequencies solved together (the batch of :func:`solve_from_sums`), and per
#: parallel task in :func:`power_direct`. On a regular grid the phasor ``exp(1j x_i)`` is carried from one frequency to
#: the next by a rotation and re-seeded exactly every ``RESEED`` frequencies, so a
#: block of 64 crosses one re-seed.
BLOCK = 64
#: A column of the centred design whose weighted variance is below this fraction
#: of ``sum w`` is constant to rounding: it is dropped (collinear with the mean).
DEAD_COLUMN = 1e-15
#: Relative Cholesky pivots (those of the normal matrix scaled to unit diagonal:
#: ``1 - R^2`` of a column on the previous ones) below this mark a numerically
#: dependent column, dropped.
PIVOT_TOL = 1e-14
#: Below this smallest relative pivot the trace of the inverse (the error
#: estimate) is computed exactly.
TRACE_PIVOT = 0.1


@jit
def solve_from_sums(wc, ws, yc, ys, order, nb, G, z, work, P, q):
    """Chi-square reductions of degree-``order`` TP fits from harmonic sums, for a batch.

    The last axis of every array runs over a batch of ``nb`` frequencies, so the
    arithmetic vectorizes across frequencies (one frequency alone is a chain
    of dependent divisions and square roots).

    Parameters
    ----------
    wc, ws : ndarray, shape (2*order + 1, >= nb)
        ``sum w cos(h x)``, ``sum w sin(h x)`` for ``h = 0..2s``; row 0 must
        hold ``W = sum w`` and 0.
    yc, ys : ndarray, shape (order + 1, >= nb)
        ``sum u cos(h x)``, ``sum u sin(h x)`` for ``h = 1..s`` (row 0 unused).
    order : int
        ``s >= 1``.
    nb : int
        Frequencies in the batch.
    G : ndarray, shape (2s, 2s, >= nb)
        Workspace: the lower triangle receives the Cholesky factor, with the
        *reciprocal* pivots ``1/L_aa`` on the diagonal.
    z : ndarray, shape (2s, >= nb)
        Workspace: ``L^{-1} b``.
    work : ndarray, shape (4 + 2s, >= nb)
        Workspace.
    P, q : ndarray, shape (>= nb,)
        Written: ``P = chi2_ref - chi2_min = b^T G^{-1} b`` and the quality
        ``min_j (G_jj / W) / trace(Gt^{-1})`` in ``[0, 1/(2s)]``, with ``Gt``
        the normal matrix scaled to unit diagonal: the smallest weighted
        variance of a design column relative to ``W`` (cancellation in the
        mean elimination) over a bound of ``1/lambda_min(Gt)``. An absolute
        error ``eps W`` in the sums moves ``P / chi2_ref`` by less than about
        ``eps / q``; the caller recomputes frequencies where that is too
        large. ``q = 0`` when a column is numerically dependent (it is then
        dropped from the fit).

    Notes
    -----
    With the mean eliminated (Schur complement of the constant column) the
    normal matrix of the columns ``cos(jx), sin(jx)`` is, for ``j >= k``::

        G[cj, ck] = (wc[j-k] + wc[j+k]) / 2 - wc[j] wc[k] / W
        G[sj, sk] = (wc[j-k] - wc[j+k]) / 2 - ws[j] ws[k] / W
        G[cj, sk] = (ws[j+k] - ws[j-k]) / 2 - wc[j] ws[k] / W
        G[sj, ck] = (ws[j+k] + ws[j-k]) / 2 - ws[j] wc[k] / W

    from ``cos a cos b = (cos(a-b) + cos(a+b))/2`` and its siblings, and the
    right-hand side is ``b = (yc[1], ys[1], ..., yc[s], ys[s])`` (the data
    are centred, so ``b`` needs no correction). ``G = L L^T`` (Cholesky; the
    relative pivots ``piv_a / G_aa`` are those of the unit-diagonal scaling,
    where they equal ``1 - R^2`` of column ``a`` on the previous ones) and
    ``P = |L^{-1} b|^2``. The trace of ``Gt^{-1}`` (``sum_c G_cc |L^{-1} e_c|^2``)
    is computed exactly only when a relative pivot is below
    :data:`TRACE_PIVOT`; otherwise ``sum_a 1/rel_pivot_a`` stands in for it.
    Columns are ordered by harmonic, so partial sums of ``z_a^2`` would give
    the nested fits of degree ``1..s`` (Palmer 2009, ApJ 695, 496).
    """
    m = 2 * order
    W = wc[0, 0]
    iW = 1.0 / W
    vmin = work[0]
    pmin = work[1]
    tr = work[2]
    acc = work[3]
    d = work[4:]
    for kk in range(nb):
        P[kk] = 0.0
        vmin[kk] = 1.0
        pmin[kk] = 1.0
        tr[kk] = 0.0
    for j in range(1, order + 1):
        cj = 2 * j - 2
        sj = cj + 1
        for kk in range(nb):
            z[cj, kk] = yc[j, kk]
            z[sj, kk] = ys[j, kk]
        for k in range(1, j + 1):
            ck = 2 * k - 2
            sk = ck + 1
            dd = j - k
            p = j + k
            for kk in range(nb):
                wcj = wc[j, kk] * iW
                wsj = ws[j, kk] * iW
                G[cj, ck, kk] = 0.5 * (wc[dd, kk] + wc[p, kk]) - wcj * wc[k, kk]
                G[sj, sk, kk] = 0.5 * (wc[dd, kk] - wc[p, kk]) - wsj * ws[k, kk]
                G[sj, ck, kk] = 0.5 * (ws[p, kk] + ws[dd, kk]) - wsj * wc[k, kk]
            if k < j:
                for kk in range(nb):
                    G[cj, sk, kk] = 0.5 * (ws[p, kk] - ws[dd, kk]) - wc[j, kk] * iW * ws[k, kk]
    for a in range(m):
        for kk in range(nb):
            acc[kk] = G[a, a, kk]
            d[a, kk] = G[a, a, kk]
        for c in range(a):
            for kk in range(nb):
                acc[kk] -= G[a, c, kk] * G[a, c, kk]
        for kk in range(nb):
            da = d[a, kk]
            piv = acc[kk]
            ok = da * iW > DEAD_COLUMN and piv > PIVOT_TOL * da
            rel = piv / da if ok else 0.0
            pmin[kk] = min(pmin[kk], rel)
            vmin[kk] = min(vmin[kk], da * iW)
            ila = 1.0 / np.sqrt(piv) if ok else 0.0  # 0 drops a dependent column
            G[a, a, kk] = ila
            tr[kk] += 1.0 / rel if ok else 0.0
        for r in range(a + 1, m):
            for kk in range(nb):
                acc[kk] = G[r, a, kk]
            for c in range(a):
                for kk in range(nb):
                    acc[kk] -= G[r, c, kk] * G[a, c, kk]
            for kk in range(nb):
                G[r, a, kk] = acc[kk] * G[a, a, kk]
        for kk in range(nb):
            acc[kk] = z[a, kk]
        for c in range(a):
            for kk in range(nb):
                acc[kk] -= G[a, c, kk] * z[c, kk]
        for kk in range(nb):
            v = acc[kk] * G[a, a, kk]
            z[a, kk] = v
            P[kk] += v * v
    for kk in range(nb):
        if pmin[kk] == 0.0 or not vmin[kk] > 0.0:
            q[kk] = 0.0
            continue
        if pmin[kk] < TRACE_PIVOT:  # rare: exact trace, columns of L^-1 in z[:, kk]
            t = 0.0
            for c in range(m):
                col = 0.0
                for a in range(c, m):
                    v = 1.0 if a == c else 0.0
                    for r in range(c, a):
                        v -= G[a, r, kk] * z[r, kk]
                    z[a, kk] = v * G[a, a, kk]
                    col += z[a, kk] * z[a, kk]
                t += d[c, kk] * col
            tr[kk] = t
        q[kk] = vmin[kk] / tr[kk]


#: Taylor coefficients of ``sin x = x + x^3 (S[0] + x^2 (S[1] + ...))`` and
#: ``cos x = 1 + x^2 (C[0] + x^2 (C[1] + ...))`` through ``x^17`` and ``x^18``:
#: on ``|x| <= pi/4`` the first omitted terms are below ``1e-19``.
_S = tuple((-1.0) ** k / float(np.prod(np.arange(1, 2 * k + 2))) for k in range(1, 9))
_C = tuple((-1.0) ** k / float(np.prod(np.arange(1, 2 * k + 1))) for k in range(1, 10))
S1, S2, S3, S4, S5, S6, S7, S8 = _S
C1, C2, C3, C4, C5, C6, C7, C8, C9 = _C


@jit
def _cossin(ph):
    """``cos(2 pi ph), sin(2 pi ph)`` to about one rounding, without a libm call.

    The phase is reduced in cycles, exactly: ``r = ph - floor(ph)``, then by
    the nearest quarter cycle ``k / 4`` (Sterbenz: the difference is exact) to
    ``|r| <= 1/8``; ``x = 2 pi r`` (``|x| <= pi/4``, one rounding) goes into
    the Taylor polynomials :data:`_S` / :data:`_C`, and the quadrant ``k``
    rotates the result. Branch-free enough to vectorize, about 15x faster
    than ``np.cos`` and ``np.sin`` of ``2 pi (ph - floor(ph))``, and more
    accurate (that angle carries up to ``7e-16`` of rounding; here ``1.1e-16``
    at most, measured on 2e5 random phases against long double).
    """
    r = ph - np.floor(ph)
    k = np.floor(4.0 * r + 0.5)
    r -= 0.25 * k
    x = TWO_PI * r
    x2 = x * x
    sn = x + x * x2 * (
        S1 + x2 * (S2 + x2 * (S3 + x2 * (S4 + x2 * (S5 + x2 * (S6 + x2 * (S7 + x2 * S8))))))
    )
    cs = 1.0 + x2 * (
        C1
        + x2
        * (C2 + x2 * (C3 + x2 * (C4 + x2 * (C5 + x2 * (C6 + x2 * (C7 + x2 * (C8 + x2 * C9)))))))
    )
    # rotate by k quarter turns: selects and exact sign products, not branches
    # (the quadrant of successive points is unpredictable)
    quadrant = int(k) & 3
    odd = (quadrant & 1) == 1
    sign_c = 1.0 - 2.0 * (((quadrant + 1) >> 1) & 1)
    sign_s = 1.0 - 2.0 * (quadrant >> 1)
    return sign_c * (sn if odd else cs), sign_s * (cs if odd else sn)


@jit
def phasor(f, tau):
    """``cos, sin`` of ``2 pi f tau`` (:func:`_cossin`, the cycle count removed first)."""
    return _cossin(f * tau)


@jit
def direct_blocks(tau, w, u, freq, order, df, regular, P_out, q_out, b0, b1):
    """Chi-square reductions from direct harmonic sums, serially, for blocks ``b0..b1-1``.

    Parameters
    ----------
    tau : ndarray, shape (n,)
        ``t - t_ref``.
    w : ndarray, shape (n,)
        Weights ``1/dy^2``.
    u : ndarray, shape (n,)
        ``w (y - ybar_w)``.
    freq : ndarray, shape (nf,)
        Frequencies (cycles per unit of ``t``).
    order : int
        TP degree ``s >= 1``.
    df : float
        Grid step, used only when ``regular``.
    regular : bool
        ``freq[k] = freq[0] + k df``: the phasor is advanced by one rotation
        per frequency (re-seeded exactly every ``RESEED`` frequencies) instead
        of a ``cos``/``sin`` call.
    P_out, q_out : ndarray, shape (nf,)
        Written for the frequencies of the blocks: ``P`` and ``quality`` of
        :func:`solve_from_sums`.
    b0, b1 : int
        Blocks of :data:`BLOCK` frequencies to do (block ``b`` holds the
        frequencies ``b BLOCK .. (b+1) BLOCK - 1``).

    Notes
    -----
    Each point is visited once per block (the loop over the block's
    frequencies inside the loop over the points); the block's ``(3s + 2) x
    BLOCK`` sums and ``2s x 2s x BLOCK`` workspace are allocated once, so memory
    is ``O(N + Nf)``, never ``N x Nf``. Harmonics ``h = 2..2s`` of each phasor
    come from the angle-addition recurrence, re-seeded exactly every ``RESEED``
    harmonics (as in :func:`navfit._kernels.basis.fill_tp_basis`).
    Reference twin: :func:`navfit._kernels.reference.periodogram_reduction`.
    """
    n = tau.shape[0]
    nf = freq.shape[0]
    m = 2 * order
    wsum = 0.0
    for i in range(n):
        wsum += w[i]
    wc = np.empty((m + 1, BLOCK))
    ws = np.empty((m + 1, BLOCK))
    yc = np.empty((order + 1, BLOCK))
    ys = np.empty((order + 1, BLOCK))
    G = np.empty((m, m, BLOCK))
    z = np.empty((m, BLOCK))
    work = np.empty((4 + m, BLOCK))
    for blk in range(b0, b1):
        k0 = blk * BLOCK
        nb = min(BLOCK, nf - k0)
        wc[:] = 0.0
        ws[:] = 0.0
        yc[:] = 0.0
        ys[:] = 0.0
        for i in range(n):
            ti = tau[i]
            wi = w[i]
            ui = u[i]
            cd = 1.0
            sd = 0.0
            if regular:
                cd, sd = phasor(df, ti)
            c1 = 1.0
            s1 = 0.0
            for kk in range(nb):
                if (not regular) or kk % RESEED == 0:
                    c1, s1 = phasor(freq[k0 + kk], ti)
                else:
                    c1, s1 = c1 * cd - s1 * sd, s1 * cd + c1 * sd
                c = c1
                s = s1
                wc[1, kk] += wi * c
                ws[1, kk] += wi * s
                yc[1, kk] += ui * c
                ys[1, kk] += ui * s
                for h in range(2, m + 1):
                    if h % RESEED == 0:
                        c, s = phasor(h * freq[k0 + kk], ti)
                    else:
                        c, s = c * c1 - s * s1, s * c1 + c * s1
                    wc[h, kk] += wi * c
                    ws[h, kk] += wi * s
                    if h <= order:
                        yc[h, kk] += ui * c
                        ys[h, kk] += ui * s
        for kk in range(nb):
            wc[0, kk] = wsum
        solve_from_sums(
            wc, ws, yc, ys, order, nb, G, z, work, P_out[k0 : k0 + nb], q_out[k0 : k0 + nb]
        )


@jit_parallel
def power_direct(tau, w, u, freq, order, df, regular, P_out, q_out):
    """:func:`direct_blocks` for all frequencies, ``prange`` over one block per task.

    Reference twin: :func:`navfit._kernels.reference.periodogram_reduction`.
    """
    nblocks = (freq.shape[0] + BLOCK - 1) // BLOCK
    for blk in prange(nblocks):
        direct_blocks(tau, w, u, freq, order, df, regular, P_out, q_out, blk, blk + 1)


@jit
def _sums_workspace(order, wsum):
    """Work arrays of :func:`solve_from_sums` for one block, with the harmonic-0 sums set.

    ``wc[0] = W``, ``ws[0] = 0``; ``yc``, ``ys`` start at zero (their row 0 stays so).
    """
    m = 2 * order
    wc = np.empty((m + 1, BLOCK))
    ws = np.empty((m + 1, BLOCK))
    yc = np.zeros((order + 1, BLOCK))
    ys = np.zeros((order + 1, BLOCK))
    G = np.empty((m, m, BLOCK))
    z = np.empty((m, BLOCK))
    work = np.empty((4 + m, BLOCK))
    for kk in range(BLOCK):
        wc[0, kk] = wsum
        ws[0, kk] = 0.0
    return wc, ws, yc, ys, G, z, work


@jit
def sums_blocks(pair, solo, wsum, order, nf, P_out, q_out, b0, b1):
    """Chi-square reductions from harmonic sums computed elsewhere, for blocks ``b0..b1-1``.

    Parameters
    ----------
    pair : ndarray, complex, shape (nchunks, s, 2, B)
        ``pair[c, h-1, 0, j] = sum w exp(1j h x)`` and ``pair[c, h-1, 1, j] =
        sum u exp(1j h x)`` for ``h = 1..s`` at frequency ``k = c B + j``.
    solo : ndarray, complex, shape (nchunks, s, B)
        ``solo[c, h-s-1, j] = sum w exp(1j h x)`` for ``h = s+1..2s``.
    wsum : float
        ``W = sum w``.
    order : int
    nf : int
        Frequencies in the chunks (the last chunk may be partly unused).
    P_out, q_out : ndarray, shape (>= nf,)
        Written for the frequencies of the blocks, as in :func:`direct_blocks`.
    b0, b1 : int
        Blocks of :data:`BLOCK` frequencies; ``B`` must be a multiple of ``BLOCK``.
    """
    B = pair.shape[3]
    m = 2 * order
    wc, ws, yc, ys, G, z, work = _sums_workspace(order, wsum)
    for blk in range(b0, b1):
        k0 = blk * BLOCK
        nb = min(BLOCK, nf - k0)
        c = k0 // B
        j0 = k0 - c * B
        for h in range(1, order + 1):
            for kk in range(nb):
                a = pair[c, h - 1, 0, j0 + kk]
                b = pair[c, h - 1, 1, j0 + kk]
                wc[h, kk] = a.real
                ws[h, kk] = a.imag
                yc[h, kk] = b.real
                ys[h, kk] = b.imag
        for h in range(order + 1, m + 1):
            for kk in range(nb):
                a = solo[c, h - order - 1, j0 + kk]
                wc[h, kk] = a.real
                ws[h, kk] = a.imag
        solve_from_sums(
            wc, ws, yc, ys, order, nb, G, z, work, P_out[k0 : k0 + nb], q_out[k0 : k0 + nb]
        )


@jit
def chunk_phasors(tau, fshift, out):
    """``out[i] = exp(2 pi 1j fshift tau_i)`` (cycle count removed first)."""
    for i in range(tau.shape[0]):
        c, s = phasor(fshift, tau[i])
        out[i] = complex(c, s)


@jit
def nufft_points(tau, w, u, h, rot, df, x, cw, cu):
    """Points and strengths of the type-1 NUFFT giving harmonic ``h`` on a grid.

    With ``x_i = 2 pi (h df tau_i mod 1)`` in ``[-pi, pi)`` and strengths
    ``c_i rot_i^h``, ``rot_i = exp(2 pi 1j fshift tau_i)``, mode ``m`` of the
    transform ``sum_i c_i exp(1j m x_i)`` is
    ``sum_i c_i exp(2 pi 1j h (fshift + m df) tau_i)``.

    Parameters
    ----------
    tau, w, u : ndarray, shape (n,)
    h : int
    rot : ndarray, complex, shape (n,)
        From :func:`chunk_phasors`; ``rot^h`` by repeated squaring (relative
        error ``~ log2(h)`` roundings, against one ``cos``/``sin`` pair per
        point and harmonic).
    df : float
    x : ndarray, shape (n,)
        Written: the points.
    cw, cu : ndarray, complex, shape (n,)
        Written: ``w rot^h`` and ``u rot^h`` (``cu`` is skipped when its size is 0).
    """
    n = tau.shape[0]
    with_u = cu.shape[0] == n
    for i in range(n):
        ph = h * df * tau[i]
        ph -= np.floor(ph + 0.5)
        x[i] = TWO_PI * ph
        base = rot[i]
        p = complex(1.0, 0.0)
        e = h
        while e > 0:
            if e & 1:
                p *= base
            base *= base
            e >>= 1
        cw[i] = w[i] * p
        if with_u:
            cu[i] = u[i] * p


@jit
def packed_points(tau, w, u, alpha, h, rot, df, x, c):
    """Points and strengths of the type-1 NUFFT of harmonic ``h`` on a mirrored mode range.

    With ``x_i = 2 pi (h df tau_i mod 1)`` in ``[-pi, pi)``, the strengths are
    ``c_i = (w_i + 1j alpha u_i) rot_i^h`` (``c_i = w_i rot_i^h`` when ``u`` is
    empty), where ``rot`` is empty (then ``rot_i = 1``) or
    ``rot_i = exp(1j pi df tau_i)``: mode ``m`` of ``sum_i c_i exp(1j m x_i)``
    then collects the frequencies ``(m + 1/2) df`` (a half-integer grid) instead
    of ``m df``. See :func:`mirror_blocks` for how the two real strengths are
    separated again.

    Parameters
    ----------
    tau, w : ndarray, shape (n,)
    u : ndarray, shape (n,) or (0,)
        Packed into the imaginary part, scaled by ``alpha``; empty: ``w`` alone.
    alpha : float
        Scale of ``u`` (a power of two, so that it is exact).
    h : int
    rot : ndarray, complex, shape (n,) or (0,)
        From :func:`chunk_phasors` with ``fshift = df / 2``; ``rot^h`` by
        repeated squaring, as in :func:`nufft_points`.
    df : float
    x : ndarray, shape (n,)
        Written: the points.
    c : ndarray, complex, shape (n,)
        Written: the strengths.
    """
    n = tau.shape[0]
    with_u = u.shape[0] == n
    with_rot = rot.shape[0] == n
    for i in range(n):
        ph = h * df * tau[i]
        ph -= np.floor(ph + 0.5)
        x[i] = TWO_PI * ph
        v = complex(w[i], alpha * u[i]) if with_u else complex(w[i], 0.0)
        if with_rot:
            base = rot[i]
            p = complex(1.0, 0.0)
            e = h
            while e > 0:
                if e & 1:
                    p *= base
                base *= base
                e >>= 1
            v *= p
        c[i] = v


@jit
def mirror_blocks(F, order, m0, half, alpha, wsum, nf, P_out, q_out, b0, b1):
    """Chi-square reductions from mirrored-range NUFFTs of packed real strengths.

    Frequency ``k`` of the grid is ``(m0 + k + half / 2) df``. Row ``h - 1`` of
    ``F`` is the transform of :func:`packed_points` for harmonic ``h`` with
    ``finufft`` mode order ``-M/2 .. M/2 - 1`` (``M = F.shape[1]``, mode ``m``
    at index ``m + M/2``), its range covering both ``m0 .. m0 + nf - 1`` and the
    mirror images ``-m - half``.

    For real ``a_i, b_i`` and ``c_i = (a_i + 1j b_i) rot_i^h``, mode ``m`` is
    ``F(m) = S_a(m) + 1j S_b(m)`` with ``S_a(m) = sum_i a_i exp(1j (m +
    half/2) X_i)`` (``X_i`` the unreduced ``2 pi h df tau_i``), and, because
    ``a`` and ``b`` are real, ``conj(F(-m - half)) = S_a(m) - 1j S_b(m)``:

        S_a(m) = (F(m) + conj(F(-m - half))) / 2,
        S_b(m) = (F(m) - conj(F(-m - half))) / 2j.

    So one transform (one spreading of the points, the dominant cost when
    there are more points than modes) gives both ``sum w exp(1j h x)`` and
    ``sum u exp(1j h x)``, at the price of a mode range twice as wide.

    Parameters
    ----------
    F : ndarray, complex, shape (2*order, M)
        Rows ``h = 1..order``: strengths ``w + 1j alpha u``; rows
        ``h = order+1..2 order``: strengths ``w``.
    order : int
    m0 : int
        Mode of the first frequency.
    half : int
        1 on a half-integer grid (``rot`` given to :func:`packed_points`), else 0.
    alpha : float
        The scale of ``u`` in the packed strengths.
    wsum : float
        ``W = sum w``.
    nf : int
        Frequencies on the grid.
    P_out, q_out : ndarray, shape (>= nf,)
        Written for the frequencies of the blocks, as in :func:`direct_blocks`.
    b0, b1 : int
        Blocks of :data:`BLOCK` frequencies to do.
    """
    M = F.shape[1]
    c0 = M // 2
    m = 2 * order
    ia = 0.5 / alpha
    wc, ws, yc, ys, G, z, work = _sums_workspace(order, wsum)
    for blk in range(b0, b1):
        k0 = blk * BLOCK
        nb = min(BLOCK, nf - k0)
        j0 = c0 + m0 + k0  # index of F(m) for kk = 0
        i0 = c0 - m0 - k0 - half  # index of F(-m - half) for kk = 0
        for h in range(1, order + 1):
            row = F[h - 1]
            for kk in range(nb):
                a = row[j0 + kk]
                b = row[i0 - kk]
                wc[h, kk] = 0.5 * (a.real + b.real)
                ws[h, kk] = 0.5 * (a.imag - b.imag)
                yc[h, kk] = ia * (a.imag + b.imag)
                ys[h, kk] = ia * (b.real - a.real)
        for h in range(order + 1, m + 1):
            row = F[h - 1]
            for kk in range(nb):
                a = row[j0 + kk]
                wc[h, kk] = a.real
                ws[h, kk] = a.imag
        solve_from_sums(
            wc, ws, yc, ys, order, nb, G, z, work, P_out[k0 : k0 + nb], q_out[k0 : k0 + nb]
        )


@jit
def _dot(a, b, k):
    """``sum_{i >= k} a_i b_i`` in eight partial sums, added in a fixed order.

    Deterministic, like a plain loop (``fastmath`` stays off), but not one
    serial chain of additions, which bounds a plain loop at one addition per
    floating-point latency.
    """
    n = a.shape[0]
    s0 = s1 = s2 = s3 = s4 = s5 = s6 = s7 = 0.0
    i = k
    while i + 8 <= n:
        s0 += a[i] * b[i]
        s1 += a[i + 1] * b[i + 1]
        s2 += a[i + 2] * b[i + 2]
        s3 += a[i + 3] * b[i + 3]
        s4 += a[i + 4] * b[i + 4]
        s5 += a[i + 5] * b[i + 5]
        s6 += a[i + 6] * b[i + 6]
        s7 += a[i + 7] * b[i + 7]
        i += 8
    while i < n:
        s0 += a[i] * b[i]
        i += 1
    return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7))


@jit
def qr_reduction(tau, yc, sw, f, order):
    """Chi-square reduction at one frequency by Householder QR of the full design.

    The slow path (``O(N s^2)``) for the few frequencies whose normal equations
    are too ill-conditioned (typically ``f < 1/T``): the columns
    ``1, cos(2 pi j f tau), sin(2 pi j f tau)`` (each harmonic from
    :func:`_cossin`, no recurrence) are weighted and scaled to unit norm; Householder reflections ``I - 2 v v^T / v^T v``, ``v = x +
    sign(x_0) |x| e_0`` (Golub & Van Loan 2013, Alg. 5.2.1, as
    :func:`navfit._kernels.linalg.householder_qr`, with the dot products split
    into eight partial sums) reduce them to ``R`` and ``b = sw (y - ybar_w)``
    to ``Q^T b``; then ``P = sum_k (Q^T b)_k^2`` over the ``2s + 1`` pivots with
    ``|R_kk| > 1e-13 max|R_jj|`` (smaller ones are rounding noise).

    Parameters
    ----------
    tau : ndarray, shape (n,)
    yc : ndarray, shape (n,)
        Centred data ``y - ybar_w``.
    sw : ndarray, shape (n,)
        ``1/dy``.
    f : float
    order : int

    Returns
    -------
    float
    """
    n = tau.shape[0]
    m = 2 * order + 1
    AT = np.empty((m, n))
    for i in range(n):
        AT[0, i] = 1.0
    for j in range(1, order + 1):
        fj = j * f
        for i in range(n):
            c, s = _cossin(fj * tau[i])
            AT[2 * j - 1, i] = c
            AT[2 * j, i] = s
    for j in range(m):
        col = AT[j]
        for i in range(n):
            col[i] *= sw[i]
        s = _dot(col, col, 0)
        sc = 1.0 / np.sqrt(s) if s > 0.0 else 0.0
        for i in range(n):
            col[i] *= sc
    b = yc * sw
    R = np.zeros(m)
    for k in range(m):
        v = AT[k]
        norm2 = _dot(v, v, k)
        norm = np.sqrt(norm2)
        if norm == 0.0:
            continue
        xk = v[k]
        alpha = -norm if xk >= 0.0 else norm
        v0 = xk - alpha
        vnorm2 = norm2 - xk * xk + v0 * v0
        R[k] = alpha
        if vnorm2 == 0.0:
            continue
        v[k] = v0
        beta = 2.0 / vnorm2
        for j in range(k + 1, m + 1):  # the later columns, then b
            a = b if j == m else AT[j]
            d = beta * _dot(v, a, k)
            for i in range(k, n):
                a[i] -= d * v[i]
    rmax = 0.0
    for j in range(m):
        rmax = max(rmax, abs(R[j]))
    P = 0.0
    for j in range(m):
        if abs(R[j]) > 1e-13 * rmax:
            P += b[j] * b[j]
    return P


@jit_parallel
def power_qr(tau, yc, sw, freq, order, P_out):
    """:func:`qr_reduction` at each frequency, ``prange`` over frequencies."""
    for k in prange(freq.shape[0]):
        P_out[k] = qr_reduction(tau, yc, sw, freq[k], order)
