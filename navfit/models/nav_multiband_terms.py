"""Which terms of the joint multi-band NAV model each band fits, and the series offsets.

The layout of :func:`navfit.fit_nav_multiband`'s joint vector: C1..C7 per
band (a sparse band fits fewer of them, :func:`free_in_band`; its C2..C5
are those of the best-sampled band, :func:`ties`), a depth only where the
band has points inside that eclipse (:func:`band_terms`), and a free offset
for each series of a band but its largest (:func:`layout`).
"""

from __future__ import annotations

import numpy as np

from .._kernels.models import NAV, band_slot
from ..lsq import jacobian, solve_linear
from .nav_derived import eclipse_windows

__all__ = [
    "LEVEL_ONLY_POINTS",
    "MIN_DEPTH_POINTS",
    "NLIN",
    "SPARSE_BAND_POINTS",
    "band_offsets",
    "band_terms",
    "free_in_band",
    "held_at_fitted_mean",
    "in_eclipse_counts",
    "layout",
    "linear_start",
    "tied",
    "ties",
]

NLIN = 7  # C1..C7 per band
#: C2..C5, the TP2 terms of NAV (out-of-eclipse variation).
TP2_TERMS = slice(1, 5)
#: A band with fewer points than this (three per NAV linear parameter, the
#: package's rule for TP orders, :data:`navfit.models.tp.MIN_POINTS_PER_PARAMETER`)
#: is "sparse": its C2..C5 are held at the start fit's values.
SPARSE_BAND_POINTS = 3 * NLIN
#: A band with fewer points than this (three per parameter of C1, C6, C7) fits
#: its level C1 alone, its depths held at the start fit's too.
LEVEL_ONLY_POINTS = 3 * 3
#: A band's depth C6 (C7) is fitted where at least this many of its points lie
#: inside the primary (secondary) eclipse at the start geometry; with none the
#: depth is not determined (a rank-deficient fit whose covariance means
#: nothing), with one it is only as exact as that point. It is held otherwise,
#: at the start fit's depth or the other bands' mean (:func:`held_at_fitted_mean`).
MIN_DEPTH_POINTS = 2


def held_at_fitted_mean(params, free, nbands, eclipses, bounds):
    """``params`` with each held depth at the mean of that eclipse's fitted depths, or ``None``.

    The alternative to the start fit's value for the depths a band cannot
    fit (``free`` false): the start's depth is that of one band or of all
    bands pooled, which a wide or shifted start geometry can put far from
    every band's (a 12 mag depth has been seen); the mean of the bands
    that do fit the same eclipse is the other estimate at hand.
    ``eclipses`` are the depths' kernel indices (5, and 6 with a
    secondary); an eclipse no band fits keeps its held values; ``bounds``
    are ``(lower, upper)`` of the joint vector. ``None`` when nothing moves.
    """
    q = params.copy()
    for j in eclipses:
        slots = np.array([band_slot(b) + j for b in range(nbands)])
        fitted = slots[free[slots]]
        held = slots[~free[slots]]
        if fitted.size and held.size:
            q[held] = np.clip(np.mean(params[fitted]), bounds[0][held], bounds[1][held])
    return None if np.array_equal(q, params) else q


def ties(counts):
    """The band each band takes its C2..C5 from (its own index when not tied).

    A band with fewer than ``SPARSE_BAND_POINTS`` points cannot fit its own
    out-of-eclipse terms; it uses those of the best-sampled band (the
    *reference*), whose C2..C5 are then fitted to the points of the
    reference and of every band tied to it. In magnitudes the
    out-of-eclipse variation of a binary (ellipsoidal, reflection) changes
    little with colour compared with the eclipse depths, which stay free per
    band.
    """
    counts = np.asarray(counts)
    ref = int(np.argmax(counts))
    return np.array(
        [ref if n < SPARSE_BAND_POINTS and b != ref else b for b, n in enumerate(counts)],
        np.int64,
    )


def layout(lc):
    """Offsets: the series of each band but its largest; each point's offset (-1: none)."""
    offsets, point = [], np.full(lc.n, -1, np.int64)
    for b in range(len(lc.bands)):
        rows = lc.band_index == b
        present, counts = np.unique(lc.series_index[rows], return_counts=True)
        for s in present[np.argsort(-counts, kind="stable")][1:]:
            point[rows & (lc.series_index == s)] = len(offsets)
            offsets.append(str(lc.series[s]))
    return offsets, point


def band_offsets(lc, point, b):
    """Indices of the offsets (:func:`layout`'s ``point``) that band ``b``'s points carry."""
    rows = point[lc.band_index == b]
    return np.unique(rows[rows >= 0])


def linear_start(lc, dy, p, shared_has2, offsets, point, cfree):
    """C1..C7 of every band and the series offsets, solved exactly at the geometry ``p``.

    ``cfree[b]`` is what band ``b`` fits: the terms it does not fit stay at
    their values in ``p`` (the start fit's) and only the others and the
    offsets are solved.
    """
    has2 = shared_has2[1] == 1
    cs = np.zeros((len(lc.bands), NLIN))
    off = np.zeros(len(offsets))
    cols = np.arange(NLIN if has2 else NLIN - 1)
    for b in range(len(lc.bands)):
        rows = lc.band_index == b
        _, JT = jacobian(NAV, lc.t[rows], p, shared_has2)
        own = band_offsets(lc, point, b)
        y = lc.y[rows]
        use = cols[cfree[b][cols]]
        held = np.zeros(NLIN, bool)
        held[cols] = ~cfree[b][cols]
        if held.any():
            cs[b, held] = p[:NLIN][held]
            y = y - p[:NLIN][held] @ JT[:NLIN][held]
        design = np.vstack([JT[use], *[(point[rows] == k).astype(float) for k in own]])
        sol = solve_linear(design, y, None if dy is None else dy[rows], transposed=True)
        cs[b, use] = sol.params[: use.size]
        off[own] = sol.params[use.size :]
    return cs, off


def free_in_band(n, has2):
    """Which of C1..C7 a band of ``n`` points solves on its own at the start fit's geometry.

    All seven with at least ``SPARSE_BAND_POINTS`` points; C1, C6 (and C7)
    with at least ``LEVEL_ONLY_POINTS``; C1 alone below (the others are held
    at the start fit's values). C7 is fitted only where the start fit has a
    secondary eclipse (``has2``). In the joint fit a sparse band's C2..C5 are
    those of the band it is tied to (:func:`ties`).
    """
    free = np.r_[np.ones(NLIN - 1, bool), bool(has2)]
    if n < SPARSE_BAND_POINTS:
        free[TP2_TERMS] = False
    if n < LEVEL_ONLY_POINTS:
        free[1:] = False
    return free


def band_terms(lc, p, iparams, counts):
    """C1..C7 each band fits at the geometry ``p``: :func:`free_in_band`, depths seen by its points."""
    cfree = [free_in_band(n, iparams[1] == 1) for n in counts]
    for b, seen in enumerate(in_eclipse_counts(lc, p, iparams)):
        cfree[b][5:7] &= seen >= MIN_DEPTH_POINTS
    return cfree


def tied(cfree, counts, kind):
    """The terms of :func:`band_terms` with the ties of sparse bands (:func:`ties`): ``(cfree, tie)``.

    A tied band's C2..C5 are its reference's (held in its own slots, which
    the fit moves with the reference's); the reference fits them where its
    group has ``SPARSE_BAND_POINTS``.
    """
    nb = len(cfree)
    cfree = [c.copy() for c in cfree]
    tie = ties(counts) if kind == "mag" else np.arange(nb)
    ref = int(np.argmax(counts))
    for b in np.flatnonzero(tie != np.arange(nb)):
        cfree[b][TP2_TERMS] = False
    if counts[tie == ref].sum() >= SPARSE_BAND_POINTS:
        cfree[ref][TP2_TERMS] = True
    return cfree, tie


def in_eclipse_counts(lc, p, iparams):
    """Points of each band inside the primary and the secondary eclipse of geometry ``p``: (bands, 2)."""
    in1, in2 = eclipse_windows(lc.t, p, iparams)
    nb = len(lc.bands)
    return np.stack([np.bincount(lc.band_index[w], minlength=nb) for w in (in1, in2)], axis=1)
