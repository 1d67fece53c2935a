"""Candidate periods of :func:`navfit.find_period`: which, how scored, which is ``P``.

Step 2 and 3 of the search (:mod:`navfit.period_search`): the candidate
frequencies made from the periodogram peaks (:func:`candidate_frequencies`),
their TP scores (:func:`score_candidates`) and the photometric period among
them (:func:`photometric_pick`), with the TP BICs at ``P/2``, ``P`` and ``2P``
for the record (:func:`bic_at_multiples`); the peaks of a periodogram
(:func:`peaks`) and a fine-grid periodogram shown on the main grid
(:func:`cell_maxima`).
"""

from __future__ import annotations

import numpy as np

from .confidence import multiples_of, same_period
from .criteria import BIC_STRONG
from .errors import NavfitError
from .models.tp import bic_order, order_limit, refine_period

__all__ = [
    "ALIAS_SNAP",
    "N_MULTIPLES",
    "SCREEN_ORDER",
    "SCREEN_WINDOW",
    "bic_at_multiples",
    "candidate_frequencies",
    "cell_maxima",
    "peaks",
    "photometric_pick",
    "score_candidates",
]

#: Peaks of each periodogram whose multiples and 1-day aliases are candidates too.
N_MULTIPLES = 3
#: Staged search: a 1-day alias f +- k is moved to the TP2 periodogram's highest point
#: within this many cycles per day (the sidereal day's alias lies 0.0027 d^-1 away).
ALIAS_SNAP = 0.005
#: Staged search: candidates are screened with TP orders up to SCREEN_ORDER, and those
#: within SCREEN_WINDOW of the best screened BIC are scored with every order.
SCREEN_ORDER = 12
SCREEN_WINDOW = 50.0


def score_candidates(lc, grid_freqs, *, staged, parents=None, aliases=()):
    """``(bic, order, refined period)`` of every candidate (rows in the order of ``grid_freqs``).

    Staged: every candidate is first refined and scored with the TP order
    limited to ``SCREEN_ORDER``; only those within ``SCREEN_WINDOW`` of the
    best screened BIC are scored again with every order the data support.
    The screen costs a tenth of the full QR (the QR is quadratic in the
    number of columns), and a candidate that low orders already rank far
    behind does not overtake by its high harmonics alone. A multiple of a
    periodogram peak (``parents``: frequency -> (peak, multiplier)) is not
    refined on its own: its period is the refined peak's times the
    multiple, where a refinement of its own would also go (the TP at ``kP``
    contains the TP at ``P``), at a fraction of the cost. A 1-day alias
    (``aliases``, already on the periodogram's grid peak) is screened at its
    grid period and refined only when the screen leaves it within
    ``SCREEN_WINDOW`` of the best: the grid step (a tenth of ``1/T``) costs
    it far less than that window on all but the most precise data, where an
    alias is not the answer anyway.
    """
    if not staged:
        return np.array([_tp_score(lc, 1.0 / f) for f in grid_freqs])
    parents = parents or {}
    limit = min(SCREEN_ORDER, order_limit(lc.n))
    screen = np.empty((grid_freqs.size, 3))
    refined = {}
    for j, f in enumerate(grid_freqs):
        if f in aliases:
            screen[j] = (*bic_order(lc, 1.0 / f, limit), 1.0 / f)
        elif f not in parents:
            screen[j] = _tp_score(lc, 1.0 / f, SCREEN_ORDER)
            refined[f] = screen[j, 2]
    for j, f in enumerate(grid_freqs):
        if f not in parents:
            continue
        peak, m = parents[f]
        if peak in refined:
            period = refined[peak] / m
            screen[j] = (*bic_order(lc, period, limit), period)
        else:  # the peak itself was not a candidate (too close to another)
            screen[j] = _tp_score(lc, 1.0 / f, SCREEN_ORDER)
    for j, f in enumerate(grid_freqs):
        if f in aliases and screen[j, 0] <= screen[:, 0].min() + SCREEN_WINDOW:
            screen[j] = _tp_score(lc, 1.0 / f, SCREEN_ORDER)
    keep = screen[:, 0] <= screen[:, 0].min() + SCREEN_WINDOW
    if order_limit(lc.n) > SCREEN_ORDER:
        for j in np.flatnonzero(keep):
            screen[j, :2] = bic_order(lc, screen[j, 2], order_limit(lc.n))
    # candidates left out cannot be the best: keep them last in the BIC ranking
    screen[~keep, 0] = np.maximum(screen[~keep, 0], screen[keep, 0].max() + SCREEN_WINDOW)
    return screen


def photometric_pick(candidates, span):
    """The candidate row of the photometric period ``P``.

    The best candidate by BIC, unless one of its integer fractions ``P_best / k``
    (``k = 2, 3, 4``, within half a cycle over the data: ``span``,
    :func:`navfit.confidence.multiples_of`) is within ``BIC_STRONG`` of it:
    then the shortest such fraction. A TP at ``P / k`` is nested in the TP at ``P`` (its harmonics
    are every ``k``-th harmonic at ``P``, CLASSIFY §5), so the longer period
    only wins with strong evidence of its own. A 1-day alias
    ``f +- 1 d^-1`` or another peak is not nested in the best one: there the
    BIC decides alone (for aliases, after :func:`navfit.aliases.settle_aliases`),
    and a shorter period is not preferred for being shorter (on Stripe 82,
    preferring the shortest period within the window returned the ``f + 1``
    alias of RR Lyrae).
    """
    period = np.asarray(candidates["period"], dtype=float)
    dbic = np.asarray(candidates["delta_bic"], dtype=float)
    best = int(np.argmin(dbic))
    k = np.round(period[best] / period)
    nested = (k <= 4) & multiples_of(period[best], period, span)
    good = nested & (dbic <= dbic[best] + BIC_STRONG)
    # the largest fraction; among near-equal candidates of it, the best refined one
    k_max = k[good].max()
    rows = np.flatnonzero(good & (k == k_max))
    return candidates[int(rows[np.argmin(dbic[rows])])]


def bic_at_multiples(candidates, p_phot, span):
    """TP BIC of the candidates at P/2, P and 2P (for the record and the plots).

    Keys ``"0.5P"``, ``"1P"``, ``"2P"`` where a candidate has that period
    (:func:`navfit.confidence.same_period` over ``span``, d).
    """
    out = {}
    P = np.asarray(candidates["period"], float)
    for mult in (0.5, 1.0, 2.0):
        j = np.flatnonzero(same_period(P, mult * p_phot, span))
        if j.size:
            out[f"{mult:g}P"] = float(candidates["bic_tp"][j[0]])
    return out


def _tp_score(lc, period, max_order=None):
    """BIC and order of the optimal TP (order-limited) at a period refined from the grid value.

    The grid period is first refined by a TP fit with the period free (order
    up to 15, kept only when it moves by less than a quarter of a cycle over
    the data), since on precise data a period off by a fraction of the grid
    step costs more chi-square than the extra harmonics of a wrong multiple.
    """
    limit = order_limit(lc.n) if max_order is None else min(max_order, order_limit(lc.n))
    bic, order = bic_order(lc, period, limit)
    try:
        refined = refine_period(lc, period, min(order, 15))
    except NavfitError:
        refined = period
    if refined != period:
        period = refined
        bic, order = bic_order(lc, period, limit)
    return bic, order, float(period)


def candidate_frequencies(frequency, df, f_tp, f_ecl, parents, snap=float):
    """Candidate frequencies -> source tag (see the module docstring, step 2).

    ``f_tp`` and ``f_ecl`` are the peak frequencies of the TP(2) and eclipse
    periodograms, highest first. ``parents`` is filled with ``frequency ->
    (peak frequency, multiplier)`` for the candidates that are multiples of a
    peak (halves, doubles, ...). ``snap`` moves a 1-day alias ``f +- k`` to
    the periodogram's own peak next to it (the window function peaks at the
    sidereal day, 1.0027 d^-1, as much as at the solar one).
    """
    lo, hi = frequency[0] * 0.999, frequency[-1] * 1.001
    cands = {}
    parents.clear()

    def add(g, tag, parent=None):
        if lo <= g <= hi and all(abs(g - h) > 2 * df for h in cands):
            cands[g] = tag
            if parent is not None:
                parents[g] = parent

    for f in f_tp:
        add(f, "TP2 peak")
    for f in f_ecl:
        add(f, "eclipse peak")
    for peaks, tag in ((f_tp, "TP2"), (f_ecl, "eclipse")):
        for rank, f in enumerate(peaks[:N_MULTIPLES]):
            mults = [(0.5, "double"), (2.0, "half"), (1 / 3, "triple"), (3.0, "third")]
            if rank == 0:
                mults += [(0.25, "fourfold"), (4.0, "quarter")]
            for m, name in mults:
                add(f * m, f"{name} of {tag} peak", (f, m))
            for k in (1.0, 2.0):
                add(snap(f + k), f"{k:g}-day alias of {tag} peak")
                add(snap(abs(f - k)), f"{k:g}-day alias of {tag} peak")
    return cands


def peaks(power, n, min_sep):
    """Indices of the ``n`` highest local maxima of ``power`` at least ``min_sep`` samples apart."""
    is_peak = np.r_[False, (power[1:-1] >= power[:-2]) & (power[1:-1] > power[2:]), False]
    idx = np.flatnonzero(is_peak)
    idx = idx[np.argsort(power[idx])[::-1]]
    chosen = []
    for i in idx:
        if all(abs(i - j) >= min_sep for j in chosen):
            chosen.append(int(i))
        if len(chosen) == n:
            break
    return chosen


def cell_maxima(frequency, fine, power):
    """A periodogram on the ascending grid ``fine`` shown on the coarser grid ``frequency``.

    Each value is the highest ``power`` in the cell of ``frequency`` around it
    (between the midpoints to its neighbours), so that no peak of the fine
    grid is lost; a cell without a fine frequency takes the value
    interpolated, and frequencies beyond ``fine`` take 0.
    """
    edges = np.searchsorted(fine, 0.5 * (frequency[1:] + frequency[:-1]))
    starts, ends = np.r_[0, edges], np.r_[edges, fine.size]
    out = np.interp(frequency, fine, power, left=0.0, right=0.0)
    full = ends > starts
    if full.any():
        # empty cells hold no fine frequency, so each full cell ends where the next begins
        out[full] = np.maximum.reduceat(power, starts[full])
    return out
