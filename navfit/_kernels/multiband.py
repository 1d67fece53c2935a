r"""Multi-band periodogram kernels: the shared-phase model with a free offset per band.

Notation as in :mod:`navfit._kernels.scan`, with a band ``b_i`` per point::

    x_i   = 2 pi f tau_i
    w_i   = 1 / dy_i**2,  W_b = sum_{i in b} w_i
    u_i   = w_i (y_i - ybar_{w,b_i})          centred per band (sum_{i in b} u_i = 0)

    wc[b, h] + 1j ws[b, h] = sum_{i in b} w_i exp(1j h x_i)     h = 0 .. 2s
    yc[h]    + 1j ys[h]    = sum_i      u_i exp(1j h x_i)     h = 1 .. s

The model ``y_i = c_{b_i} + sum_h a_h cos(h x_i) + b_h sin(h x_i)`` (``s``
harmonics shared, an offset per band: astropy's ``LombScargleMultiband`` with
``nterms_base=s, nterms_band=0``; VanderPlas & Ivezic 2015) has, with the
offsets eliminated (the Schur complement of the block of band indicators,
which is diagonal), the normal matrix of the ``2s`` harmonic columns

.. math::

    G = \sum_b \left(T_b^T W_b T_b - \frac{v_b v_b^T}{W_b}\right),
    \qquad v_b = T_b^T W_b \mathbf{1},

whose entries follow from the totals over bands of ``wc, ws`` by the
product-to-sum identities (as in :func:`navfit._kernels.scan.solve_from_sums`)
minus ``sum_b wc[b, j] wc[b, k] / W_b`` and its siblings. The right-hand side
is ``(yc[1], ys[1], ...)`` (the data are centred per band); the chi-square
reduction against the offsets-only model is ``b^T G^{-1} b``.

Reference twin: :func:`navfit._kernels.reference.multiband_reduction`.
"""

import numpy as np

from ._config import jit, jit_parallel, prange
from .basis import RESEED
from .scan import BLOCK, DEAD_COLUMN, PIVOT_TOL, phasor


@jit
def banded_solve(wc, ws, yc, ys, wband, order, kk, G, z, tot):
    """Chi-square reduction and quality at frequency ``kk`` of a block from its sums.

    Parameters
    ----------
    wc, ws : ndarray, shape (nbands, 2s + 1, BLOCK)
        Per-band sums ``sum w cos(h x)``, ``sum w sin(h x)``, ``h = 0..2s``
        (row 0 unused).
    yc, ys : ndarray, shape (s + 1, BLOCK)
        ``sum u cos(h x)``, ``sum u sin(h x)``, ``h = 1..s``.
    wband : ndarray, shape (nbands,)
        ``W_b`` (every one positive).
    order : int
    kk : int
        Column of the block.
    G : ndarray, shape (2s, 2s)
        Workspace (lower triangle: the Cholesky factor, reciprocal pivots on
        the diagonal).
    z : ndarray, shape (2s,)
        Workspace: ``L^{-1} b``.
    tot : ndarray, shape (2, 2s + 1)
        Workspace: the sums over bands.

    Returns
    -------
    P : float
        ``b^T G^{-1} b``.
    q : float
        Smallest relative Cholesky pivot (``1 - R^2`` of a column on the
        previous ones, in ``[0, 1]``); 0 when a column was numerically
        dependent and dropped.
    """
    m = 2 * order
    nbands = wband.shape[0]
    W = 0.0
    for b in range(nbands):
        W += wband[b]
    for h in range(m + 1):
        tot[0, h] = 0.0
        tot[1, h] = 0.0
    for b in range(nbands):
        for h in range(1, m + 1):
            tot[0, h] += wc[b, h, kk]
            tot[1, h] += ws[b, h, kk]
    tot[0, 0] = W
    for j in range(1, order + 1):
        cj = 2 * j - 2
        sj = cj + 1
        z[cj] = yc[j, kk]
        z[sj] = ys[j, kk]
        for k in range(1, j + 1):
            ck = 2 * k - 2
            sk = ck + 1
            dd = j - k
            p = j + k
            cc = 0.0
            ss = 0.0
            sc = 0.0
            cs = 0.0
            for b in range(nbands):
                ib = 1.0 / wband[b]
                cc += wc[b, j, kk] * wc[b, k, kk] * ib
                ss += ws[b, j, kk] * ws[b, k, kk] * ib
                sc += ws[b, j, kk] * wc[b, k, kk] * ib
                cs += wc[b, j, kk] * ws[b, k, kk] * ib
            G[cj, ck] = 0.5 * (tot[0, dd] + tot[0, p]) - cc
            G[sj, sk] = 0.5 * (tot[0, dd] - tot[0, p]) - ss
            G[sj, ck] = 0.5 * (tot[1, p] + tot[1, dd]) - sc
            if k < j:
                G[cj, sk] = 0.5 * (tot[1, p] - tot[1, dd]) - cs
    P = 0.0
    q = 1.0
    for a in range(m):
        da = G[a, a]
        piv = da
        for c in range(a):
            piv -= G[a, c] * G[a, c]
        ok = da / W > DEAD_COLUMN and piv > PIVOT_TOL * da
        q = min(q, piv / da) if ok else 0.0
        ila = 1.0 / np.sqrt(piv) if ok else 0.0  # 0 drops a dependent column
        G[a, a] = ila
        for r in range(a + 1, m):
            acc = G[r, a]
            for c in range(a):
                acc -= G[r, c] * G[a, c]
            G[r, a] = acc * ila
        acc = z[a]
        for c in range(a):
            acc -= G[a, c] * z[c]
        z[a] = acc * ila
        P += z[a] * z[a]
    return P, q


@jit
def banded_blocks(tau, w, u, band, wband, freq, order, df, regular, P_out, q_out, b0, b1):
    """Multi-band chi-square reductions from direct sums, serially, for blocks ``b0..b1-1``.

    Parameters
    ----------
    tau, w, u : ndarray, shape (n,)
        ``t - t_ref``, weights, ``w (y - ybar_{w,b})`` (centred per band).
    band : ndarray of int64, shape (n,)
        Band of each point, ``0 .. nbands - 1``.
    wband : ndarray, shape (nbands,)
        ``W_b = sum_{i in b} w_i``.
    freq : ndarray, shape (nf,)
    order : int
    df : float
        Grid step, used only when ``regular``.
    regular : bool
        ``freq[k] = freq[0] + k df`` (the phasor is rotated from one frequency
        to the next, re-seeded every ``RESEED``).
    P_out, q_out : ndarray, shape (nf,)
        Written: reduction and quality (:func:`banded_solve`).
    b0, b1 : int
        Blocks of :data:`~navfit._kernels.scan.BLOCK` frequencies to do.

    Notes
    -----
    The sums of :func:`navfit._kernels.scan.direct_blocks`, accumulated per
    band: the same ``O(N s)`` work per frequency, and ``O(B s^2 + s^3)`` for
    the solve.
    """
    n = tau.shape[0]
    nf = freq.shape[0]
    nbands = wband.shape[0]
    m = 2 * order
    wc = np.empty((nbands, m + 1, BLOCK))
    ws = np.empty((nbands, m + 1, BLOCK))
    yc = np.empty((order + 1, BLOCK))
    ys = np.empty((order + 1, BLOCK))
    G = np.empty((m, m))
    z = np.empty(m)
    tot = np.empty((2, m + 1))
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
            bi = band[i]
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
                wc[bi, 1, kk] += wi * c
                ws[bi, 1, kk] += wi * s
                yc[1, kk] += ui * c
                ys[1, kk] += ui * s
                for h in range(2, m + 1):
                    if h % RESEED == 0:
                        c, s = phasor(h * freq[k0 + kk], ti)
                    else:
                        c, s = c * c1 - s * s1, s * c1 + c * s1
                    wc[bi, h, kk] += wi * c
                    ws[bi, h, kk] += wi * s
                    if h <= order:
                        yc[h, kk] += ui * c
                        ys[h, kk] += ui * s
        for kk in range(nb):
            P, q = banded_solve(wc, ws, yc, ys, wband, order, kk, G, z, tot)
            P_out[k0 + kk] = P
            q_out[k0 + kk] = q


@jit_parallel
def banded_power(tau, w, u, band, wband, freq, order, df, regular, P_out, q_out):
    """:func:`banded_blocks` for all frequencies, ``prange`` over blocks."""
    nblocks = (freq.shape[0] + BLOCK - 1) // BLOCK
    for blk in prange(nblocks):
        banded_blocks(tau, w, u, band, wband, freq, order, df, regular, P_out, q_out, blk, blk + 1)
