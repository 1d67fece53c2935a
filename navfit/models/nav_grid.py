"""The global grid search of the NAV fit (NAV_SPEC §2.3): starts for Levenberg-Marquardt.

Every node of a grid of epochs, half-widths and profile exponents is solved
for its linear terms (TP2 plus the two eclipse depths) by one weighted least
squares (the numba kernel :func:`navfit._kernels.nav.nav_grid_scan`); the
:data:`N_SEEDS` best nodes of distinct basins start the non-linear fits of
:func:`navfit.fit_nav`.
"""

from __future__ import annotations

import numpy as np

from .._kernels import linalg as _linalg
from .._kernels import nav as _nav
from .._kernels.basis import fill_tp_basis
from ..nav_params import BOUNDS as _BOUNDS
from .nav_derived import MIN_IN_ECLIPSE_TRUSTED

#: Grid of the global search (NAV_SPEC §2.3): half-widths, log-spaced ...
GRID_WIDTHS = np.geomspace(0.008, 0.25, 18)
#: ... profile exponents, for each eclipse ...
GRID_BETAS = np.array([0.9, 1.3, 1.8, 2.6, 4.0])
#: ... and epoch steps of at most this fraction of the half-width (the step is shortened
#: to divide half a cycle, so that each node's secondary window is another's primary).
GRID_EPOCH_STEP = 0.3
#: Distinct grid basins refined by Levenberg-Marquardt; a node and its partner half a
#: cycle away are one basin seen from either eclipse (:func:`same_basin`). Eight basins
#: changed three survey stars, each for the worse, at 5 % more time (stop 39's note).
N_SEEDS = 4
#: Fewest points inside an eclipse for the grid to consider it (trusting it needs
#: MIN_IN_ECLIPSE_TRUSTED, defined with the flags that use it).
MIN_IN_ECLIPSE = 3


def min_half_width(n: int) -> float:
    """Narrowest eclipse half-width (phase) fitted on ``n`` points.

    A window of half-width ``a`` holds ``2 a n`` points on average; below
    ``MIN_IN_ECLIPSE_TRUSTED / (2 n)`` it holds fewer than the points needed to
    trust an eclipse's width and shape, and a narrower profile only catches
    single outlying points (measured on ASAS-3 survey stars, whose unbounded NAV
    fits put "eclipses" of half-width 0.002 on one to three outliers).
    """
    return max(_BOUNDS["a1"][0], MIN_IN_ECLIPSE_TRUSTED / (2.0 * n))


def _tp2_projection(phase, y, sw):
    """Orthonormal weighted TP2 basis Q (5, n) and the weighted TP2 residual r0."""
    A = np.empty((5, phase.size))
    fill_tp_basis(phase, 2, A)
    Q = _linalg.orthonormalize_rows(np.ascontiguousarray(A * sw))
    yw = y * sw
    r0 = yw - Q.T @ (Q @ yw)
    return Q, r0


def grid_search(lc, period, t_ref, n_seeds=N_SEEDS):
    """Brute-force grid over (epoch phase, a, beta1, beta2); returns the best distinct nodes.

    Returns a list of dicts ``center, a, beta1, beta2, c6, c7, reduction`` sorted by
    chi-square reduction, at most ``n_seeds`` long, no two in the same basin
    (epochs closer than half the narrower width, or as close to half a cycle away,
    *and* widths within a factor 1.6: wide eclipses of contact binaries have
    local minima in the width at the right epoch; :func:`same_basin`).
    """
    sw_all = 1.0 / lc.dy if lc.dy_given else np.ones(lc.n)
    x = (lc.t - t_ref) / period
    phase = x - np.floor(x)
    order = np.argsort(phase, kind="stable")
    # eclipses make magnitudes larger and fluxes smaller: scan the sign that makes them bumps
    faint = 1.0 if lc.kind == "mag" else -1.0
    ph, y, sw = phase[order], faint * lc.y[order], sw_all[order]
    Q, r0 = _tp2_projection(ph, y, sw)
    centers, widths, partner = [], [], []
    a_min = min_half_width(lc.n)
    grid_widths = GRID_WIDTHS[a_min <= GRID_WIDTHS]
    if grid_widths.size < 3:
        grid_widths = GRID_WIDTHS[-3:]
    for a in grid_widths:
        # an epoch step that divides half a cycle: every secondary window is a primary one
        half = int(np.ceil(0.5 / (GRID_EPOCH_STEP * a)))
        j = np.arange(2 * half)
        partner.append(sum(c.size for c in centers) + (j + half) % (2 * half))
        centers.append(j * (0.5 / half))
        widths.append(np.full(j.size, a))
    centers = np.concatenate(centers)
    widths = np.concatenate(widths)
    partner = np.concatenate(partner).astype(np.int64)
    out = np.zeros((centers.size, GRID_BETAS.size, GRID_BETAS.size, 3))
    _nav.nav_grid_scan(
        ph, sw, r0, Q, centers, widths, partner, GRID_BETAS, 1.5, MIN_IN_ECLIPSE, out
    )
    red = out[..., 0]
    flat_order = np.argsort(red, axis=None)[::-1]
    seeds = []
    for idx in flat_order:
        k, b1, b2 = np.unravel_index(idx, red.shape)
        if red[k, b1, b2] <= 0 or len(seeds) >= n_seeds:
            break
        c, a = centers[k], widths[k]
        if any(same_basin(c, a, s) for s in seeds):
            continue
        seeds.append(
            {
                "center": c,
                "a": a,
                "beta1": GRID_BETAS[b1],
                "beta2": GRID_BETAS[b2],
                "c6": out[k, b1, b2, 1],
                "c7": out[k, b1, b2, 2],
                "reduction": red[k, b1, b2],
            }
        )
    return seeds


def same_basin(center, a, seed):
    """Nodes closer than half the narrower width in epoch and within 1.6x in width.

    The epoch is compared with the seed's primary and with its secondary, half
    a cycle away: the node whose primary sits on a seed's secondary describes
    the same two eclipses with their roles swapped (the scan gives it the
    same reduction), and the swap of :func:`navfit.fit_nav` makes the two fits
    one.
    """
    dist = abs((center - seed["center"] + 0.5) % 1.0 - 0.5)
    dist = min(dist, 0.5 - dist)
    ratio = max(a, seed["a"]) / min(a, seed["a"])
    return dist < 0.5 * min(a, seed["a"]) and ratio < 1.6
