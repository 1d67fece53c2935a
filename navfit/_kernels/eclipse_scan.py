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


#: Frequencies handled together (:func:`_bin_group`, :func:`_best_pairs`): their
#: work arrays are interleaved, bin-major (``X[b * GROUP + k]``).
GROUP = 4


@jit
def _sweep(PW, PD, g, g2, nc, m, inv_wtot, sign, A, B, C):
    """Chi-square reductions of the symmetric template at every epoch ``0 .. nc-1``, into ``A``.

    All arrays hold ``GROUP`` frequencies interleaved (``X[e * GROUP + k]``).
    ``PW`` are bin weights, ``PD`` the weighted deviations ``sum w (y - ybar)``
    per bin, both circularly padded by ``m`` bins (see :func:`_wrap`); ``g[j]``
    is the template at offsets ``+-j`` and ``g2 = g**2``. At epoch ``e`` the
    least-squares depth is ``A / (B - C^2/Wtot)`` and the reduction
    ``A^2 / (B - C^2/Wtot)`` with ``A = sum D h``, ``B = sum W h^2``,
    ``C = sum W h``; only depths of the eclipse sign (``sign * A > 0``) count
    (0 otherwise). The sums are accumulated tap by tap over all epochs and
    frequencies (contiguous inner loops the compiler can vectorise); ``B``,
    ``C`` are work arrays.
    """
    n = nc * GROUP
    o = m * GROUP
    g0 = g[0]
    g20 = g2[0]
    # loops index views with the bare loop counter: an offset index (q + o)
    # could be negative for all the compiler knows, and its wraparound check
    # keeps the loop from being vectorised (five times slower)
    pd = PD[o : o + n]
    pw = PW[o : o + n]
    for q in range(n):
        A[q] = g0 * pd[q]
        B[q] = g20 * pw[q]
        C[q] = g0 * pw[q]
    for j in range(1, g.shape[0]):
        gj = g[j]
        g2j = g2[j]
        lo = (m - j) * GROUP
        hi = (m + j) * GROUP
        dl = PD[lo : lo + n]
        dh = PD[hi : hi + n]
        wl = PW[lo : lo + n]
        wh = PW[hi : hi + n]
        for q in range(n):
            sd = dl[q] + dh[q]
            sw = wl[q] + wh[q]
            A[q] += gj * sd
            B[q] += g2j * sw
            C[q] += gj * sw
    for e in range(nc):
        for k in range(GROUP):
            q = e * GROUP + k
            den = B[q] - C[q] * C[q] * inv_wtot[k]
            a = A[q]
            ok = (den > 0.0) & (sign * a > 0.0)
            # selects of plain values, not branches: the signs are random, and
            # mispredicted branches cost more than the division
            a = a if ok else 0.0
            A[q] = a * a / (den if ok else 1.0)


@jit
def _wrap(P, nc, m):
    """Circular padding: ``P[m + b] = P[m + (b mod nc)]`` for ``b = -m .. -1`` and ``nc .. nc + m - 1``.

    ``P`` holds ``nc`` bins from bin ``m`` on (per frequency, interleaved);
    the sweep then needs no modulo.
    """
    if nc < m:
        for i in range(m):
            src = (m + (i - m) % nc) * GROUP
            for k in range(GROUP):
                P[i * GROUP + k] = P[src + k]
        for i in range(m + nc, nc + 2 * m):
            src = (m + (i - m) % nc) * GROUP
            for k in range(GROUP):
                P[i * GROUP + k] = P[src + k]
        return
    n = nc * GROUP
    o = m * GROUP
    P[:o] = P[n : n + o]
    P[o + n : o + n + o] = P[o : o + o]


@jit
def _rebin(X, factor, nc, P, o):
    """Sum groups of ``factor`` consecutive bins of ``X`` (interleaved) into ``nc`` bins of ``P`` from ``o`` on.

    May run in place (``X`` the same memory as ``P[o:]``): bin ``c`` reads
    bins ``c * factor`` and up only. The sums run over the group in order.
    """
    src = X[: nc * factor * GROUP].reshape((nc, factor * GROUP))
    dst = P[o : o + nc * GROUP].reshape((nc, GROUP))
    for c in range(nc):
        for k in range(GROUP):
            s = src[c, k]
            for j in range(1, factor):
                s += src[c, j * GROUP + k]
            dst[c, k] = s


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
    bins, the secondary reuses the primary's sweep, and each thread allocates
    its work arrays once per block of frequencies. ``GROUP`` frequencies are
    binned in one pass over the points (:func:`_bin_group`) and swept
    together, their bins interleaved, so that the loops over bins are
    ``GROUP`` times longer (on sparse data the per-frequency overhead of
    short loops, not the points, set the cost). The secondary is searched
    with the same width within 0.1 cycle of the opposite phase. Reference
    twin: :func:`navfit._kernels.reference.eclipse_power`.
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
        W = np.empty(nb * GROUP)
        D = np.empty(nb * GROUP)
        PW = np.empty((nb + 2 * m) * GROUP)
        PD = np.empty((nb + 2 * m) * GROUP)
        A = np.empty(nb * GROUP)
        B = np.empty(nb * GROUP)
        C = np.empty(nb * GROUP)
        best = np.empty((6, GROUP))
        e0 = np.empty(GROUP, dtype=np.int64)
        idx = np.empty(t.shape[0] * GROUP, dtype=np.int64)
        fk = np.empty(GROUP)
        k1 = min(nf, (ib + 1) * block)
        for k0 in range(ib * block, k1, GROUP):
            ng = min(GROUP, k1 - k0)
            _bin_group(t, w, wy, frequency, k0, ng, nb, W, D, idx, fk)
            _best_pairs(W, D, nb, factors, m, g, g2, sign, PW, PD, A, B, C, best, e0)
            for k in range(ng):
                for c in range(4):
                    out[k0 + k, c] = best[c, k]


@jit
def _bin_group(t, w, wy, frequency, k0, ng, nb, W, D, idx, fk):
    """Phase-binned weights and weighted values of frequencies ``k0 .. k0+ng-1``, interleaved.

    ``W[b * GROUP + k]`` is bin ``b`` of frequency ``k0 + k``; with fewer than
    ``GROUP`` frequencies left (``ng``), the last is repeated; ``idx`` (``n *
    GROUP`` integers) and ``fk`` (``GROUP``) are work arrays. The bins of
    every point are found first, in a loop that stores no bin, and the points
    are then added to them (one loop with both ran 1.5 times slower: the
    stores to the bins keep the bin arithmetic from overlapping). One pass
    over the points serves every frequency, and the frequencies' independent
    bins fill in parallel: time-sorted points often fall in the same bin one
    after the other, and each addition then waits for the previous one. Each
    bin sums its points in index order, as one frequency at a time would.
    """
    for q in range(nb * GROUP):
        W[q] = 0.0
        D[q] = 0.0
    for k in range(GROUP):
        fk[k] = frequency[k0 + min(k, ng - 1)]
    n = t.shape[0]
    for i in range(n):
        ti = t[i]
        for k in range(GROUP):
            idx[i * GROUP + k] = _bin(ti * fk[k], nb) * GROUP + k
    for i in range(n):
        wi = w[i]
        di = wy[i]
        for k in range(GROUP):
            b = idx[i * GROUP + k]
            W[b] += wi
            D[b] += di


@jit
def _bin(x, nb):
    """Phase bin ``0 .. nb-1`` of ``x`` cycles."""
    b = int((x - np.floor(x)) * nb)
    return nb - 1 if b >= nb else b


@jit
def _best_pairs(W, D, nb, factors, m, g, g2, sign, PW, PD, A, B, C, best, e0):
    """Best primary plus secondary over every width, for ``GROUP`` frequencies' interleaved fine bins.

    Written to ``best[:4, k]`` for frequency ``k``: the reduction (primary +
    secondary), the primary's phase, the index of its width, the secondary's
    reduction; ``best[4:]`` and ``e0`` are work arrays.
    """
    red = best[4]
    inv_wtot = best[5]
    W2 = W.reshape((nb, GROUP))
    for k in range(GROUP):
        s = W2[0, k]
        for b in range(1, nb):
            s += W2[b, k]
        inv_wtot[k] = 1.0 / s
    for k in range(GROUP):
        for c in range(4):
            best[c, k] = 0.0
    o = m * GROUP
    nc = nb
    prev = 1
    for iw in range(factors.shape[0]):
        fac = factors[iw]
        if iw == 0:
            nc = nb // fac
            _rebin(W, fac, nc, PW, o)
            _rebin(D, fac, nc, PD, o)
        else:
            r = fac // prev
            nc = nc // r
            _rebin(PW[o:], r, nc, PW, o)
            _rebin(PD[o:], r, nc, PD, o)
        prev = fac
        _wrap(PW, nc, m)
        _wrap(PD, nc, m)
        _sweep(PW, PD, g, g2, nc, m, inv_wtot, sign, A, B, C)
        A2 = A[: nc * GROUP].reshape((nc, GROUP))
        for k in range(GROUP):
            red[k] = 0.0
            e0[k] = 0
        for e in range(nc):
            for k in range(GROUP):
                if A2[e, k] > red[k]:
                    red[k] = A2[e, k]
                    e0[k] = e
        span = max(1, int(0.1 * nc))
        for k in range(GROUP):
            if red[k] <= 0.0:
                continue
            sec = 0.0
            for de in range(-span, span + 1):
                e2 = e0[k] + nc // 2 + de  # span < nc / 2: one wrap at most
                if e2 >= nc:
                    e2 -= nc
                elif e2 < 0:
                    e2 += nc
                sec = max(sec, A2[e2, k])
            if red[k] + sec > best[0, k]:
                best[0, k] = red[k] + sec
                best[1, k] = (e0[k] + 0.5) / nc
                best[2, k] = iw
                best[3, k] = sec
