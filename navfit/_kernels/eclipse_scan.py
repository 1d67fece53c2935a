"""Eclipse periodogram kernel: NAV-shaped template matching on the phase-binned light curve."""

import numpy as np

from ._config import jit, jit_parallel, prange


@jit
def template(nb, half_width_bins, beta):
    """NAV profile ``(1 - |z|^beta)^(3/2)`` sampled at bin offsets ``-m..m`` (length 2m+1)."""
    m = int(np.ceil(half_width_bins))
    h = np.zeros(2 * m + 1)
    for j in range(-m, m + 1):
        z = abs(j) / half_width_bins
        if z < 1.0:
            h[j + m] = (1.0 - z**beta) ** 1.5
    return h


@jit
def _reduction_at(W, D, h, e, wtot, sign):
    """Chi-square reduction of template ``h`` centred on bin ``e`` (0 for the wrong sign).

    ``W`` are bin weights, ``D`` the weighted deviations ``sum w (y - ybar)`` per
    bin. The least-squares depth is ``A / (B - C^2/Wtot)`` and the reduction
    ``A^2 / (B - C^2/Wtot)`` with ``A = sum D h``, ``B = sum W h^2``,
    ``C = sum W h``; only depths of the eclipse sign (``sign * A > 0``) count.
    """
    nb = W.shape[0]
    m = (h.shape[0] - 1) // 2
    A = 0.0
    B = 0.0
    C = 0.0
    for j in range(-m, m + 1):
        b = (e + j) % nb
        hv = h[j + m]
        A += D[b] * hv
        B += W[b] * hv * hv
        C += W[b] * hv
    den = B - C * C / wtot
    if den <= 0.0 or sign * A <= 0.0:
        return 0.0
    return A * A / den


@jit
def _best_over_epochs(W, D, h, sign, out_epoch):
    """Best reduction of one template over all circular epochs (epoch in ``out_epoch[0]``)."""
    nb = W.shape[0]
    wtot = np.sum(W)
    best = 0.0
    best_e = 0
    for e in range(nb):
        red = _reduction_at(W, D, h, e, wtot, sign)
        if red > best:
            best = red
            best_e = e
    out_epoch[0] = best_e
    return best


@jit
def _rebin(W, D, factor, Wc, Dc):
    """Sum groups of ``factor`` consecutive fine bins into coarse bins."""
    nc = Wc.shape[0]
    for c in range(nc):
        sw = 0.0
        sd = 0.0
        for j in range(c * factor, (c + 1) * factor):
            sw += W[j]
            sd += D[j]
        Wc[c] = sw
        Dc[c] = sd


@jit
def _secondary(W, D, h, e0, sign):
    """Best reduction of template ``h`` with epochs within 0.1 cycle of ``e0 + nb/2``."""
    nb = W.shape[0]
    wtot = np.sum(W)
    span = max(1, int(0.1 * nb))
    best = 0.0
    for de in range(-span, span + 1):
        best = max(best, _reduction_at(W, D, h, (e0 + nb // 2 + de) % nb, wtot, sign))
    return best


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
        bin; the template half-width is ``bins_per_width`` coarse bins, i.e.
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
    Each template is swept over its own coarse binning, so every width costs
    ``(nb / factor) * (2 bins_per_width + 1)`` operations: the total per frequency
    is ``O(N + nb)`` whatever the widths. The secondary is searched with the same
    width within 0.1 cycle of the opposite phase. Reference twin:
    :func:`navfit._kernels.reference.eclipse_power`.
    """
    nw = factors.shape[0]
    h = template(bins_per_width * 2, float(bins_per_width), beta)
    for k in prange(frequency.shape[0]):
        f = frequency[k]
        W = np.zeros(nb)
        D = np.zeros(nb)
        for i in range(t.shape[0]):
            x = t[i] * f
            b = int((x - np.floor(x)) * nb)
            if b >= nb:
                b = nb - 1
            W[b] += w[i]
            D[b] += w[i] * y[i]
        best = 0.0
        best_e = 0.0
        best_w = 0
        best_sec = 0.0
        ep = np.zeros(1, np.int64)
        for iw in range(nw):
            nc = nb // factors[iw]
            Wc = np.empty(nc)
            Dc = np.empty(nc)
            _rebin(W, D, factors[iw], Wc, Dc)
            red = _best_over_epochs(Wc, Dc, h, sign, ep)
            if red <= 0.0:
                continue
            sec = _secondary(Wc, Dc, h, ep[0], sign)
            if red + sec > best:
                best = red + sec
                best_e = (ep[0] + 0.5) / nc
                best_w = iw
                best_sec = sec
        out[k, 0] = best
        out[k, 1] = best_e
        out[k, 2] = best_w
        out[k, 3] = best_sec
