r"""NAV model kernels: eclipse profile, model value and Jacobian, global grid scan.

The parameter vector is that of :mod:`navfit.nav_params` (names, order, bounds
and the index constants used here): C1-C5 the TP2, C6, C7 the depths, a1, a2
the half-widths (a2 tied to a1 when ``iparams[0] == 1``), beta1, beta2 the
inner exponents, gamma the outer one, flat1, flat2 the flat bottoms, phase2
the phase of Min II, epoch and period.

``iparams = (shared_width, has_secondary)``. The profile is

.. math::

    H(\Delta) = 1 \;(z \le f), \quad (1 - u^\beta)^\gamma \;(f < z < 1), \quad 0 \;(z \ge 1),
    \qquad z = |\Delta|/a, \; u = (z - f)/(1 - f)

which is Andronov's (2012) profile for ``gamma = 3/2, f = 0``.
"""

import numpy as np

from ..nav_params import (
    A1,
    A2,
    BETA1,
    BETA2,
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    EPOCH,
    FLAT1,
    FLAT2,
    GAMMA,
    NPAR,
    PERIOD,
    PHASE2,
)
from ._config import jit, jit_parallel, prange

__all__ = ["NPAR", "eval_nav", "nav_grid_scan", "profile"]
TWO_PI = 2.0 * np.pi


@jit
def profile(delta, a, beta, gamma, flat, derivatives=True):
    """NAV eclipse profile and its derivatives at one signed phase distance.

    Returns
    -------
    tuple of float
        ``H, dH/ddelta, dH/da, dH/dbeta, dH/dgamma, dH/dflat`` (the
        derivatives are 0 when ``derivatives`` is false).

    Notes
    -----
    With ``u`` the scaled distance, ``dH/du = -gamma g^(gamma-1) beta u^(beta-1)``,
    ``g = 1 - u^beta``; at ``u = 0`` the slope is taken as 0 (exact for
    ``beta > 1``). Reference twin: :func:`navfit._kernels.reference.nav_profile_general`.
    """
    ad = abs(delta)
    z = ad / a
    if z >= 1.0:
        return 0.0, 0.0, 0.0, 0.0, 0.0, 0.0
    if z <= flat:
        return 1.0, 0.0, 0.0, 0.0, 0.0, 0.0
    inv1f = 1.0 / (1.0 - flat)
    u = (z - flat) * inv1f
    ub = u**beta
    g = 1.0 - ub
    gg = g ** (gamma - 1.0)
    H = gg * g
    if not derivatives:
        return H, 0.0, 0.0, 0.0, 0.0, 0.0
    if u > 0.0:
        dHdu = -gamma * gg * beta * ub / u
        dHdbeta = -gamma * gg * ub * np.log(u)
    else:
        dHdu = 0.0
        dHdbeta = 0.0
    dHdgamma = H * np.log(g) if g > 0.0 else 0.0
    sign = 1.0 if delta >= 0.0 else -1.0
    dHddelta = dHdu * inv1f * sign / a
    dHda = -dHdu * inv1f * z / a
    dHdflat = dHdu * (u - 1.0) * inv1f
    return H, dHddelta, dHda, dHdbeta, dHdgamma, dHdflat


@jit
def eval_nav(t, p, iparams, f, JT, jac=True):
    """NAV values ``f`` (n,) and transposed Jacobian ``JT`` (17, n) at times ``t``.

    With ``jac`` false only ``f`` is written (trial points of Levenberg-Marquardt).
    """
    shared = iparams[0] == 1
    has2 = iparams[1] == 1
    a1 = p[A1]
    a2 = a1 if shared else p[A2]
    gamma = p[GAMMA]
    phase2 = p[PHASE2]
    T0 = p[EPOCH]
    P = p[PERIOD]
    for i in range(t.shape[0]):
        x = (t[i] - T0) / P
        w = TWO_PI * (x - np.floor(x))
        c1 = np.cos(w)
        s1 = np.sin(w)
        c2 = c1 * c1 - s1 * s1
        s2 = 2.0 * s1 * c1
        d1 = x - np.floor(x + 0.5)
        H1, dH1, dH1a, dH1b, dH1g, dH1f = profile(d1, a1, p[BETA1], gamma, p[FLAT1], jac)
        if has2:
            y2 = x - phase2
            d2 = y2 - np.floor(y2 + 0.5)
            H2, dH2, dH2a, dH2b, dH2g, dH2f = profile(d2, a2, p[BETA2], gamma, p[FLAT2], jac)
        else:
            H2 = dH2 = dH2a = dH2b = dH2g = dH2f = 0.0
        f[i] = p[C1] + p[C2] * c1 + p[C3] * s1 + p[C4] * c2 + p[C5] * s2 + p[C6] * H1 + p[C7] * H2
        if not jac:
            continue
        JT[C1, i] = 1.0
        JT[C2, i] = c1
        JT[C3, i] = s1
        JT[C4, i] = c2
        JT[C5, i] = s2
        JT[C6, i] = H1
        JT[C7, i] = H2
        if shared:
            JT[A1, i] = p[C6] * dH1a + p[C7] * dH2a
            JT[A2, i] = 0.0
        else:
            JT[A1, i] = p[C6] * dH1a
            JT[A2, i] = p[C7] * dH2a
        JT[BETA1, i] = p[C6] * dH1b
        JT[BETA2, i] = p[C7] * dH2b
        JT[GAMMA, i] = p[C6] * dH1g + p[C7] * dH2g
        JT[FLAT1, i] = p[C6] * dH1f
        JT[FLAT2, i] = p[C7] * dH2f
        JT[PHASE2, i] = -p[C7] * dH2
        dxdphi = (
            TWO_PI * (p[C3] * c1 - p[C2] * s1)
            + 2.0 * TWO_PI * (p[C5] * c2 - p[C4] * s2)
            + p[C6] * dH1
            + p[C7] * dH2
        )
        JT[EPOCH, i] = -dxdphi / P
        JT[PERIOD, i] = -dxdphi * x / P


@jit
def _window(phase_sorted, center, half):
    """Index ranges of sorted phases within ``half`` of ``center`` (circular): two slices."""
    lo = center - half
    hi = center + half
    n = phase_sorted.shape[0]
    # express as up to two intervals inside [0, 1)
    lo_w = lo - np.floor(lo)
    hi_w = hi - np.floor(lo)
    i0 = np.searchsorted(phase_sorted, lo_w)
    if hi_w <= 1.0:
        i1 = np.searchsorted(phase_sorted, hi_w)
        return i0, i1, 0, 0
    i1 = n
    j1 = np.searchsorted(phase_sorted, hi_w - 1.0)
    return i0, i1, 0, j1


@jit
def _window_points(phase_sorted, center, a, idx, logz):
    """Indices of the points inside one eclipse window and ``log(|delta|/a)`` for each."""
    i0, i1, j0, j1 = _window(phase_sorted, center, a)
    count = 0
    for part in range(2):
        lo = i0 if part == 0 else j0
        hi = i1 if part == 0 else j1
        for i in range(lo, hi):
            d = phase_sorted[i] - center
            d = d - np.floor(d + 0.5)
            z = abs(d) / a
            if z >= 1.0:
                continue
            idx[count] = i
            logz[count] = np.log(z) if z > 0.0 else -np.inf
            count += 1
    return count


@jit
def _accumulate(count, idx, logz, sw, r0, Q, beta, gamma, out5):
    """Sums over the window of one eclipse column h = sw * (1 - z^beta)^gamma.

    Returns ``(sum h^2, sum h r0)``; ``out5`` receives ``Q^T h``. The canonical
    outer exponent 3/2 is computed as ``g sqrt(g)``.
    """
    for q in range(5):
        out5[q] = 0.0
    hh = 0.0
    hr = 0.0
    canonical = gamma == 1.5
    for c in range(count):
        i = idx[c]
        g = 1.0 - np.exp(beta * logz[c])
        h = (g * np.sqrt(g) if canonical else g**gamma) * sw[i]
        hh += h * h
        hr += h * r0[i]
        for q in range(5):
            out5[q] += Q[q, i] * h
    return hh, hr


@jit
def _window_sums(phase_sorted, sw, r0, Q, center, a, betas, gamma, idx, logz, hh, hr, qh):
    """One eclipse window's sums for every beta into ``hh``, ``hr``, ``qh``; returns its point count."""
    count = _window_points(phase_sorted, center, a, idx, logz)
    for b in range(betas.shape[0]):
        hh[b], hr[b] = _accumulate(count, idx, logz, sw, r0, Q, betas[b], gamma, qh[b])
    return count


@jit_parallel
def nav_grid_scan(phase_sorted, sw, r0, Q, centers, widths, partner, betas, gamma, min_in, out):
    """Chi-square reduction of NAV eclipse pairs over a grid of (epoch phase, a, beta1, beta2).

    Parameters
    ----------
    phase_sorted : ndarray, shape (n,)
        Phases in [0, 1) relative to a trial epoch, sorted.
    sw : ndarray, shape (n,)
        Square-root weights in the same order.
    r0 : ndarray, shape (n,)
        Weighted residuals of the TP2-only fit (orthogonal to ``Q``).
    Q : ndarray, shape (5, n)
        Orthonormal basis of the weighted TP2 columns.
    centers, widths : ndarray, shape (m,)
        Node list: primary-eclipse phase and half-width ``a`` of each node (the
        secondary is at ``center + 0.5``; both eclipses share ``a``, ``a <= 0.25``).
    partner : ndarray of int, shape (m,)
        For each node, the node whose *primary* window is this node's
        secondary window (same ``a``, center half a cycle away), so that its
        sums are reused; -1 where there is none (the window is then summed
        directly). A grid whose epoch step divides 0.5 pairs every node.
    betas : ndarray, shape (nb,)
        Profile exponents tried for each eclipse.
    gamma : float
        Outer exponent of the profile (3/2 in canonical NAV).
    min_in : int
        Fewest points inside an eclipse for it to count.
    out : ndarray, shape (m, nb, nb, 3)
        Written: chi-square *reduction* (0 for invalid nodes), C6, C7.

    Notes
    -----
    Variable projection: with ``P`` the projector off the TP2 space, the best
    depths solve the 2x2 system ``G c = b``, ``G_jk = <h_j, h_k> - (Q^T h_j).(Q^T h_k)``,
    ``b_j = <h_j, r0>`` (``r0`` is already orthogonal to TP2), and the reduction is
    ``b^T c``. The windows do not overlap for ``a <= 0.25`` so ``<h1, h2> = 0``.
    Only points inside the windows are visited: the cost per node is
    ``O(n_in * n_beta)`` after an ``O(log n)`` window search, ``O(N Nnodes a)`` in all,
    and every window is summed once (first pass over all primaries, in blocks
    of nodes that share their work arrays; second pass pairs them). Reference
    twin: :func:`navfit._kernels.reference.nav_grid_scan`.
    """
    nb = betas.shape[0]
    n = phase_sorted.shape[0]
    m = centers.shape[0]
    HH = np.empty((m, nb))
    HR = np.empty((m, nb))
    QH = np.empty((m, nb, 5))
    N1 = np.empty(m, np.int64)
    block = 64
    nblocks = (m + block - 1) // block
    for ib in prange(nblocks):
        idx = np.empty(n, np.int64)
        lz = np.empty(n)
        for k in range(ib * block, min(m, (ib + 1) * block)):
            N1[k] = _window_sums(
                phase_sorted,
                sw,
                r0,
                Q,
                centers[k],
                widths[k],
                betas,
                gamma,
                idx,
                lz,
                HH[k],
                HR[k],
                QH[k],
            )
    for ib in prange(nblocks):
        idx = np.empty(n, np.int64)
        lz = np.empty(n)
        hh2 = np.empty(nb)
        hr2 = np.empty(nb)
        q2 = np.empty((nb, 5))
        for k in range(ib * block, min(m, (ib + 1) * block)):
            j = partner[k]
            if j >= 0:
                n2 = N1[j]
                for b in range(nb):
                    hh2[b] = HH[j, b]
                    hr2[b] = HR[j, b]
                    for q in range(5):
                        q2[b, q] = QH[j, b, q]
            else:
                n2 = _window_sums(
                    phase_sorted,
                    sw,
                    r0,
                    Q,
                    centers[k] + 0.5,
                    widths[k],
                    betas,
                    gamma,
                    idx,
                    lz,
                    hh2,
                    hr2,
                    q2,
                )
            _pair_node(k, N1[k], n2, HH[k], HR[k], QH[k], hh2, hr2, q2, min_in, out)


@jit
def _pair_node(k, n1, n2, hh1, hr1, q1, hh2, hr2, q2, min_in, out):
    """Best depths and reduction of node ``k`` for every (beta1, beta2) from its two windows' sums."""
    nb = hh1.shape[0]
    for b1 in range(nb):
        for b2 in range(nb):
            out[k, b1, b2, 0] = 0.0
            out[k, b1, b2, 1] = 0.0
            out[k, b1, b2, 2] = 0.0
            if n1 < min_in:
                continue
            g11 = hh1[b1]
            g22 = hh2[b2]
            g12 = 0.0
            for q in range(5):
                g11 -= q1[b1, q] * q1[b1, q]
                g22 -= q2[b2, q] * q2[b2, q]
                g12 -= q1[b1, q] * q2[b2, q]
            if g11 <= 1e-12 * hh1[b1]:
                continue
            c6 = hr1[b1] / g11
            red = c6 * hr1[b1]
            c7 = 0.0
            if n2 >= min_in and g22 > 1e-12 * hh2[b2]:
                det = g11 * g22 - g12 * g12
                if det > 1e-12 * g11 * g22:
                    t6 = (g22 * hr1[b1] - g12 * hr2[b2]) / det
                    t7 = (g11 * hr2[b2] - g12 * hr1[b1]) / det
                    if t7 > 0.0 and t6 > 0.0:
                        c6 = t6
                        c7 = t7
                        red = t6 * hr1[b1] + t7 * hr2[b2]
            if c6 <= 0.0:
                continue
            out[k, b1, b2, 0] = red
            out[k, b1, b2, 1] = c6
            out[k, b1, b2, 2] = c7
