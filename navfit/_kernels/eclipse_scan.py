"""Eclipse periodogram kernel: NAV-shaped template matching on the phase-binned light curve."""

import numpy as np

from ._config import jit, jit_parallel, prange
from .nav import profile


@jit
def template(half_width_bins, beta):
    """NAV profile (:func:`navfit._kernels.nav.profile`) at bin offsets ``-m..m`` (length 2m+1)."""
    m = int(np.ceil(half_width_bins))
    h = np.zeros(2 * m + 1)
    for j in range(-m, m + 1):
        h[j + m] = profile(float(j), half_width_bins, beta, 1.5, 0.0, False)[0]
    return h


@jit
def _sweep(PW, PD, g, g2, nc, m, inv_wtot, sign, A, B, C):
    """Chi-square reductions of the symmetric template at every epoch ``0 .. nc-1``, into ``A``.

    ``PW`` are bin weights, ``PD`` the weighted deviations ``sum w (y - ybar)``
    per bin, both circularly padded by ``m`` (see :func:`_pad`); ``g[j]`` is the
    template at offsets ``+-j`` and ``g2 = g**2``. At epoch ``e`` the
    least-squares depth is ``A / (B - C^2/Wtot)`` and the reduction
    ``A^2 / (B - C^2/Wtot)`` with ``A = sum D h``, ``B = sum W h^2``,
    ``C = sum W h``; only depths of the eclipse sign (``sign * A > 0``) count
    (0 otherwise). The sums are accumulated tap by tap over all epochs
    (contiguous inner loops the compiler can vectorise); ``B``, ``C`` are work
    arrays.
    """
    for e in range(nc):
        A[e] = g[0] * PD[e + m]
        B[e] = g2[0] * PW[e + m]
        C[e] = g[0] * PW[e + m]
    for j in range(1, g.shape[0]):
        gj = g[j]
        g2j = g2[j]
        for e in range(nc):
            sd = PD[e + m - j] + PD[e + m + j]
            sw = PW[e + m - j] + PW[e + m + j]
            A[e] += gj * sd
            B[e] += g2j * sw
            C[e] += gj * sw
    for e in range(nc):
        den = B[e] - C[e] * C[e] * inv_wtot
        a = A[e]
        ok = (den > 0.0) & (sign * a > 0.0)
        # branch-free selects keep this loop vectorised
        A[e] = a * a / (den if ok else 1.0) if ok else 0.0


@jit
def _pad(X, nc, m, P):
    """``P[m + b] = X[b mod nc]`` for ``b = -m .. nc + m - 1``: circular sums without modulo."""
    if nc < m:
        for i in range(nc + 2 * m):
            P[i] = X[(i - m) % nc]
        return
    for i in range(nc):
        P[m + i] = X[i]
    for i in range(m):
        P[i] = X[nc - m + i]
        P[m + nc + i] = X[i]


@jit
def _rebin(W, D, factor, nc, Wc, Dc):
    """Sum groups of ``factor`` consecutive bins of ``W``, ``D`` into the first ``nc`` of ``Wc``, ``Dc``."""
    for c in range(nc):
        sw = 0.0
        sd = 0.0
        for j in range(c * factor, (c + 1) * factor):
            sw += W[j]
            sd += D[j]
        Wc[c] = sw
        Dc[c] = sd


@jit_parallel
def eclipse_power(t, y, w, frequency, nb, factors, bins_per_width, beta, sign, out):
    """Eclipse periodogram: for each frequency the best NAV-template chi-square reduction.

    Parameters
    ----------
    t, y, w : ndarray, shape (n,)
        Times (relative to a reference), values with their mean removed, weights ``1/dy^2``.
    frequency : ndarray, shape (nf,)
    nb : int
        Fine phase bins (a multiple of every entry of ``factors``).
    factors : ndarray of int
        For each template width, the number of fine bins merged into one coarse
        bin, ascending, each a multiple of the one before; the template
        half-width is ``bins_per_width`` coarse bins, i.e.
        ``a = bins_per_width * factor / nb`` in phase.
    bins_per_width : int
        Template half-width in coarse bins (4: epochs stepped by a quarter width).
    beta : float
        Profile exponent of the template.
    sign : float
        +1 when eclipses make ``y`` larger (magnitudes), -1 for fluxes.
    out : ndarray, shape (nf, 4)
        Written: reduction (primary + secondary), phase of the primary, index of
        the best width, reduction of the secondary alone.

    Notes
    -----
    Each template is swept over its own coarse binning (built from the previous,
    finer one), so every width costs ``(nb / factor) * m`` operations with ``m``
    the number of non-zero template taps on one side: the total per frequency
    is ``O(N + nb)`` whatever the widths. The binnings are padded circularly so
    the sweep needs no modulo, the symmetric template is applied to pairs of
    bins, the secondary reuses the primary's sweep, each thread allocates its
    work arrays once per block of frequencies, and four frequencies are binned
    in one pass over the points (:func:`_bin_group`). The secondary is searched with the same width within 0.1 cycle
    of the opposite phase. Reference twin:
    :func:`navfit._kernels.reference.eclipse_power`.
    """
    h = template(float(bins_per_width), beta)
    mfull = (h.shape[0] - 1) // 2
    m = mfull
    while m > 0 and h[mfull + m] == 0.0:
        m -= 1
    g = h[mfull : mfull + m + 1].copy()
    g2 = g * g
    nf = frequency.shape[0]
    wy = w * y
    block = 128
    nblocks = (nf + block - 1) // block
    for ib in prange(nblocks):
        W = np.empty((GROUP, nb))
        D = np.empty((GROUP, nb))
        Wc = np.empty(nb)
        Dc = np.empty(nb)
        PW = np.empty(nb + 2 * m)
        PD = np.empty(nb + 2 * m)
        A = np.empty(nb)
        B = np.empty(nb)
        C = np.empty(nb)
        k1 = min(nf, (ib + 1) * block)
        for k0 in range(ib * block, k1, GROUP):
            ng = min(GROUP, k1 - k0)
            _bin_group(t, w, wy, frequency, k0, ng, nb, W, D)
            for g_ in range(ng):
                _best_pair(
                    W[g_], D[g_], nb, factors, m, g, g2, sign, Wc, Dc, PW, PD, A, B, C, out[k0 + g_]
                )


#: Frequencies binned together in one pass over the points (:func:`_bin_group`).
GROUP = 4


@jit
def _bin_group(t, w, wy, frequency, k0, ng, nb, W, D):
    """Phase-binned weights ``W[g]`` and weighted values ``D[g]`` at frequencies ``k0 .. k0+ng-1``.

    One pass over the points serves ``ng`` frequencies: time-sorted points
    often fall in the same bin one after the other, and each addition then
    waits for the previous one; the frequencies' independent bins fill in
    parallel. Each bin sums its points in index order, as one frequency at a
    time would.
    """
    for g_ in range(ng):
        for b in range(nb):
            W[g_, b] = 0.0
            D[g_, b] = 0.0
    if ng == GROUP:
        f0 = frequency[k0]
        f1 = frequency[k0 + 1]
        f2 = frequency[k0 + 2]
        f3 = frequency[k0 + 3]
        for i in range(t.shape[0]):
            ti = t[i]
            wi = w[i]
            di = wy[i]
            b0 = _bin(ti * f0, nb)
            b1 = _bin(ti * f1, nb)
            b2 = _bin(ti * f2, nb)
            b3 = _bin(ti * f3, nb)
            W[0, b0] += wi
            D[0, b0] += di
            W[1, b1] += wi
            D[1, b1] += di
            W[2, b2] += wi
            D[2, b2] += di
            W[3, b3] += wi
            D[3, b3] += di
        return
    for g_ in range(ng):
        f = frequency[k0 + g_]
        for i in range(t.shape[0]):
            b = _bin(t[i] * f, nb)
            W[g_, b] += w[i]
            D[g_, b] += wy[i]


@jit
def _bin(x, nb):
    """Phase bin ``0 .. nb-1`` of ``x`` cycles."""
    b = int((x - np.floor(x)) * nb)
    return nb - 1 if b >= nb else b


@jit
def _best_pair(W, D, nb, factors, m, g, g2, sign, Wc, Dc, PW, PD, A, B, C, out):
    """Best primary plus secondary over every width, from one frequency's fine bins, into ``out``."""
    nw = factors.shape[0]
    wtot = 0.0
    for b in range(nb):
        wtot += W[b]
    inv_wtot = 1.0 / wtot
    best = 0.0
    best_e = 0.0
    best_w = 0
    best_sec = 0.0
    nc = nb
    prev = 1
    for iw in range(nw):
        fac = factors[iw]
        if iw == 0:
            nc = nb // fac
            _rebin(W, D, fac, nc, Wc, Dc)
        else:
            r = fac // prev
            nc = nc // r
            _rebin(Wc, Dc, r, nc, Wc, Dc)
        prev = fac
        _pad(Wc, nc, m, PW)
        _pad(Dc, nc, m, PD)
        _sweep(PW, PD, g, g2, nc, m, inv_wtot, sign, A, B, C)
        red = 0.0
        e0 = 0
        for e in range(nc):
            if A[e] > red:
                red = A[e]
                e0 = e
        if red <= 0.0:
            continue
        span = max(1, int(0.1 * nc))
        sec = 0.0
        for de in range(-span, span + 1):
            e2 = e0 + nc // 2 + de  # span < nc / 2: one wrap at most
            if e2 >= nc:
                e2 -= nc
            elif e2 < 0:
                e2 += nc
            sec = max(sec, A[e2])
        if red + sec > best:
            best = red + sec
            best_e = (e0 + 0.5) / nc
            best_w = iw
            best_sec = sec
    out[0] = best
    out[1] = best_e
    out[2] = best_w
    out[3] = best_sec
