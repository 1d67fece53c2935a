"""Where the joint multi-band NAV fit starts: single-band or pooled fits, and a joint grid.

:func:`start_fits` gives the NAV fits whose geometries start
:func:`navfit.fit_nav_multiband`; when they come from pooled sparse bands,
:func:`grid_geometries` adds the best nodes of a grid search of the joint
model itself over the epoch and the half-width.
"""

from __future__ import annotations

import contextlib

import numpy as np

from .._checks import fit_errors
from .._kernels.linalg import weighted_lstsq
from .._kernels.models import NAV
from ..band_selection import short_bands
from ..errors import NavfitError
from ..lsq import jacobian
from ..nav_params import NAMES as NAV_NAMES
from ..pooling import scaled_pool
from .nav import fit_nav, moved_epoch
from .nav_grid import min_half_width
from .nav_multiband_terms import NLIN, SPARSE_BAND_POINTS, band_terms, layout, tied

__all__ = [
    "GRID_EPOCHS",
    "GRID_FINALISTS",
    "GRID_WIDTHS",
    "grid_geometries",
    "runs_grid",
    "start_fits",
]

#: Joint grid search of pooled starts (:func:`grid_geometries`): epochs per cycle,
#: half-widths (phase, those above the NAV fit's floor), and the nodes the joint fit runs from.
GRID_EPOCHS = 24
GRID_WIDTHS = (0.03, 0.05, 0.08, 0.13, 0.2)
GRID_FINALISTS = 3


def start_fits(lc, period, epoch, free_period, free_epoch, counts):
    """NAV fits whose geometries start the joint one.

    The fit of the band with the most points, bands too short in time for
    a period search left out (:func:`navfit.band_selection.short_bands`:
    the start's period and geometry must hold over the whole span), when
    that band has ``SPARSE_BAND_POINTS`` points. (The search decides in
    :func:`navfit.band_selection.best_band`, which prefers the most precise
    of the bands within 10 % of the most points: the same band unless
    such a near tie has unequal errors.) Otherwise (or when its fit fails)
    the fits of all bands pooled in two ways: each band and series at its median (which a few eclipse
    points do not move), and each band also divided by its scale
    (:func:`navfit.pooling.scaled_pool`, where a scale is significant). Their
    eclipses differ in depth from band to band, which either pooling
    describes only in part, so their best NAV basins can differ; the joint
    fit runs from each and keeps the lower BIC.

    Returns
    -------
    fits : list of FitResult
    pooled : bool
        Whether they are fits of the pooled bands.
    """
    best = int(np.argmax(np.where(short_bands(lc), 0, counts)))
    kwargs = {"free_period": free_period, "free_epoch": free_epoch}
    if counts[best] >= SPARSE_BAND_POINTS:
        try:
            return [fit_nav(lc.select(lc.bands[best]), period, epoch, **kwargs)], False
        except NavfitError:
            pass
    starts = [fit_nav(lc.pooled(), period, epoch, **kwargs)]
    pool, scales = scaled_pool(lc, period)
    if any(scale != 1.0 for scale in scales.values()):
        with contextlib.suppress(NavfitError):  # the median pool's start stands alone
            starts.append(fit_nav(pool, period, epoch, **kwargs))
    return starts, True


def runs_grid(start, pooled):
    """Whether :func:`grid_geometries` searches about ``start`` (its epoch free).

    From a pooled start, whose basin can be a quarter or half cycle from the
    joint one; and from a band too sparse for the grid's narrowest half-width
    (:func:`navfit.models.nav_grid.min_half_width` above ``GRID_WIDTHS[0]``,
    fewer than about 130 points), whose own fit cannot have a detached
    binary's narrow eclipses.
    """
    return pooled or min_half_width(start.n) > GRID_WIDTHS[0]


def grid_geometries(lc, start, counts, pooled=True):
    """The joint model's best geometries on a grid of epochs and half-widths about a start.

    A pooled start's eclipses come from a curve that the joint model
    describes only in part (each band's depth and level differ), so its
    basin can be a quarter or half cycle, or a factor in width, from the
    joint likelihood's; the joint fit's epoch is bounded to a quarter
    period about its start. At ``GRID_EPOCHS`` epochs per cycle
    (:func:`navfit.models.nav.moved_epoch`) and each of ``GRID_WIDTHS`` above the NAV fit's
    floor (:func:`navfit.models.nav_grid.min_half_width`), at the start's
    period and shapes, every band's C1..C7 and the series offsets are
    solved exactly (:func:`joint_linear_chi2`, no brightening eclipses) and the
    ``GRID_FINALISTS`` lowest chi-squares at epochs an eighth of a cycle
    apart are returned, as in the global search of :func:`navfit.fit_nav`.

    The depths a band cannot fit are held at the start's, or, from a
    single band's start (not ``pooled``), at the mean of the depths the
    other bands fit at that node where this fits no worse. Such a start is
    a band too sparse for the eclipses' width (:func:`runs_grid`), whose
    wide, cusped profile makes up for the width with depth (3-13 mag for
    0.7 mag eclipses on six bands of 30 points): no estimate at the grid's
    narrower widths. A pooled start's depths come from every band's
    points; at about ten points per band they keep the joint fit nearer
    the truth than the node's few fitted depths (LSST-like bench, seeds
    1-4: 22 of 160 fits off the basin with the mean at every node, 15
    without).
    """
    iparams = np.asarray(start.iparams, np.int64)
    dy = fit_errors(lc)
    floor = min_half_width(lc.n)
    widths = [w for w in GRID_WIDTHS if w >= floor] or [max(GRID_WIDTHS)]
    offsets, point = layout(lc)
    fixed = [(point == k).astype(float) for k in range(len(offsets))]
    nodes = []
    for shift in np.arange(GRID_EPOCHS) / GRID_EPOCHS:
        moved = moved_epoch(start.values, shift)
        for width in widths:
            q = moved.copy()
            q[NAV_NAMES.index("a1")] = q[NAV_NAMES.index("a2")] = width
            chi2, q = joint_linear_chi2(lc, dy, q, iparams, counts, fixed, not pooled)
            nodes.append((chi2, shift, q))
    chosen = []
    for _chi2, shift, q in sorted(nodes, key=lambda node: node[0]):
        if all(abs((shift - s + 0.5) % 1.0 - 0.5) >= 0.125 for s, _ in chosen):
            chosen.append((shift, q))
        if len(chosen) == GRID_FINALISTS:
            break
    return [q for _, q in chosen]


def joint_linear_chi2(lc, dy, p, iparams, counts, offset_columns, held_at_mean=False):
    """Chi-square of the joint model at the geometry ``p``, its linear terms solved at once.

    The linear terms are those :func:`navfit.fit_nav_multiband` fits (:func:`tied`):
    each band's C1, depths and, unless tied, C2..C5, the tied bands' C2..C5
    shared with their reference, the series offsets; the others are held at
    their values in ``p``. A depth of the wrong sign (a brightening, which
    the joint fit's bounds forbid) is held at zero and the terms solved again.
    ``offset_columns`` are the series offsets' (:func:`layout`). The
    solve is the least-squares kernel's own (:func:`navfit.lsq.solve_linear`
    without its checks and condition number: only the chi-square ranks).

    Returns the chi-square and the NAV vector whose C1..C7 the held terms
    took. With ``held_at_mean``, the depths some bands hold for want of
    points are also tried at the mean of those the other bands fit (the
    alternative held value of :func:`navfit.fit_nav_multiband`), on the same
    Jacobian; that vector is returned where it fits no worse.
    """
    cfree, tie = tied(band_terms(lc, p, iparams, counts), counts, lc.kind)
    _, JT = jacobian(NAV, lc.t, p, iparams)
    sw = np.ones(lc.n) if dy is None else 1.0 / dy
    faint = 1.0 if lc.kind == "mag" else -1.0
    # a band's own points, and those of the bands whose C2..C5 are its (itself included)
    own = [lc.band_index == b for b in range(len(lc.bands))]
    group = [tie[lc.band_index] == b for b in range(len(lc.bands))]

    def solve(values):
        """``(chi2, [((band, j), depth), ...])`` with the held terms at ``values``' C1..C7."""
        fits = [c.copy() for c in cfree]
        held_value = np.tile(values[:NLIN], (len(lc.bands), 1))
        while True:
            cols, held, depth_of = [], np.zeros(lc.n), []
            for b in range(len(lc.bands)):
                for j in range(NLIN):
                    tp2 = j in range(1, 5)
                    if tp2 and tie[b] != b:
                        continue  # its reference's column covers it
                    rows = group[b] if tp2 else own[b]
                    if fits[b][j]:
                        cols.append(JT[j] * rows)
                        depth_of.append((b, j) if j >= 5 else None)
                    else:
                        held += held_value[b, j] * JT[j] * rows
            design = np.ascontiguousarray(np.vstack(cols + offset_columns))
            if design.shape[0] >= lc.n:
                return np.inf, []  # no more points than linear terms: the node ranks last
            coef, _, rss, *_ = weighted_lstsq(design, lc.y - held, sw)
            depths = [(d, c) for d, c in zip(depth_of, coef[: len(depth_of)], strict=True) if d]
            wrong = [d for d, c in depths if faint * c < 0]
            if not wrong:
                return float(rss[-1]), depths
            for b, j in wrong:
                fits[b][j] = False
                held_value[b, j] = 0.0

    chi2, depths = solve(p)
    if not held_at_mean:
        return chi2, p
    other = p.copy()
    for j in (5, 6):  # depths some band holds for want of points (not for their sign)
        fitted = [c for (_, k), c in depths if k == j]
        if fitted and not all(c[j] for c in cfree):
            other[j] = np.mean(fitted)
    if np.array_equal(other, p):
        return chi2, p
    chi2_other, _ = solve(other)
    return (chi2_other, other) if chi2_other <= chi2 else (chi2, p)
