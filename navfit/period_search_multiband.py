"""Candidate scoring of :func:`navfit.find_period` on a multi-band light curve.

A multi-band light curve shares its period (and phase) across bands while
levels, amplitudes and shapes change with colour. The search of
:func:`navfit.find_period` then differs from the one-band search in three
places, all kept here:

1. The TP(2) periodogram is the shared-phase multi-band periodogram
   (:class:`navfit.Periodogram` of the whole light curve, order 2); the
   eclipse periodogram runs on the best-sampled band (:func:`best_band`).
2. Each candidate is refined by a TP fit with the period free in the
   best-sampled band and scored by the *joint* BIC (:func:`joint_bic`): a TP
   with a shared period, coefficients per band and one order chosen jointly
   (the sum over bands of each band's BIC at that order, limited to three
   points per parameter in each band).
3. The decision between ``P`` and ``2P``, the model and the type is made
   on the best-sampled band's evidence (:func:`navfit.evidence.gather_evidence`).
"""

from __future__ import annotations

import numpy as np

from .criteria import fit_statistics
from .errors import NavfitError
from .models.tp import bic_by_order, bic_order, fit_tp, order_limit

__all__ = [
    "MIN_BAND_POINTS",
    "NEAR_TIE",
    "band_curves",
    "best_band",
    "joint_bic",
    "joint_scores",
    "without_small_bands",
]

#: Bands with fewer points than this do not enter the joint score.
MIN_BAND_POINTS = 6
#: Bands with at least this fraction of the largest band's points are "best-sampled" too
#: (:func:`best_band` then takes the most precise).
NEAR_TIE = 0.9


def best_band(lc):
    """Name of the best-sampled band: the most points, the most precise on a near tie.

    Among the bands with at least ``NEAR_TIE`` of the largest number of
    points, the one with the smallest median error (the first of these on a
    tie): Stripe 82 gives u, g, r, i and z at about the same epochs, and u
    has the largest errors and the smallest amplitude over its errors.

    Parameters
    ----------
    lc : LightCurve
        A multi-band light curve.

    Returns
    -------
    str
    """
    counts = np.bincount(lc.band_index, minlength=len(lc.bands))
    near = np.flatnonzero(counts >= NEAR_TIE * counts.max())
    median = [np.median(lc.dy[lc.band_index == b]) for b in near]
    return lc.bands[int(near[int(np.argmin(median))])]


def band_curves(lc, min_points=MIN_BAND_POINTS):
    """One-band light curves of the bands with at least ``min_points`` points.

    Parameters
    ----------
    lc : LightCurve
        A multi-band light curve.
    min_points : int
        Smallest band kept.

    Returns
    -------
    list of LightCurve
        In the order of ``lc.bands``.
    """
    counts = np.bincount(lc.band_index, minlength=len(lc.bands))
    return [lc.select(b) for b, n in zip(lc.bands, counts, strict=True) if n >= min_points]


def _constant_bic(band_lc):
    """BIC of the weighted mean alone (a band the TP cannot be fitted to at a period)."""
    w = 1.0 / band_lc.dy**2
    mean = np.sum(w * band_lc.y) / np.sum(w)
    chi2 = float(np.sum(w * (band_lc.y - mean) ** 2))
    return float(fit_statistics(chi2, band_lc.n, 1)["bic"])


def joint_bic(curves, period, max_order=None):
    """Joint BIC at ``period`` of a TP with one order ``s`` and coefficients per band.

    The BIC of each band's TP of order ``s`` summed over bands, at the order
    ``s`` that minimises the sum (one order chosen jointly: a shape that needs
    ``s`` harmonics in one band needs them in all; per-band orders let each
    sparse band pass its own TP through its points at twice the period).

    Parameters
    ----------
    curves : list of LightCurve
        One-band light curves (:func:`band_curves`).
    period : float
        Trial period (days).
    max_order : int, optional
        Highest TP order tried; the orders are also limited by
        :func:`navfit.models.tp.order_limit` of each band's points and by
        what each band's sampling supports.

    Returns
    -------
    bic : float
    order : int
        The joint order (0 where no band could be fitted with a TP).
    """
    tables, constant = [], 0.0
    for band_lc in curves:
        limit = order_limit(band_lc.n)
        if max_order is not None:
            limit = min(limit, max_order)
        try:
            tables.append(bic_by_order(band_lc, period, limit))
        except NavfitError:
            constant += _constant_bic(band_lc)
    if not tables:
        return constant, 0
    s = min(t.size for t in tables)
    total = np.sum([t[:s] for t in tables], axis=0)
    j = int(np.argmin(total))
    return float(total[j]) + constant, j + 1


def _refined(best, period, span):
    """The period refined by a TP fit with the period free in the best-sampled band.

    Kept only when it moves by less than a quarter of a cycle over the data
    (as in the one-band search).
    """
    try:
        _, order = bic_order(best, period, order_limit(best.n))
        tp = fit_tp(best, period, order=min(order, 15), free_period=True)
    except NavfitError:
        return float(period)
    if tp.success and abs(tp.period - period) < 0.25 * period**2 / span:
        return float(tp.period)
    return float(period)


def joint_scores(curves, best_index, grid_freqs, span, *, screen_order, screen_window):
    """``(joint bic, joint order, refined period)`` of every candidate.

    Parameters
    ----------
    curves : list of LightCurve
        One-band light curves (:func:`band_curves`).
    best_index : int
        Index in ``curves`` of the best-sampled band.
    grid_freqs : ndarray
        Candidate frequencies (cycles per day).
    span : float
        Time span of the whole light curve (days).
    screen_order, screen_window : int, float
        Candidates are first scored with TP orders up to ``screen_order``;
        those within ``screen_window`` of the best screened BIC are scored
        again with every order the bands support (``screen_order=None``:
        every candidate with every order).

    Returns
    -------
    ndarray, shape (n, 3)
    """
    best = curves[best_index]
    periods = [_refined(best, 1.0 / f, span) for f in grid_freqs]
    scores = np.empty((len(periods), 3))
    for j, p in enumerate(periods):
        bic, order = joint_bic(curves, p, screen_order)
        scores[j] = bic, order, p
    if screen_order is None:
        return scores
    keep = scores[:, 0] <= scores[:, 0].min() + screen_window
    if any(order_limit(c.n) > screen_order for c in curves):
        for j in np.flatnonzero(keep):
            scores[j, :2] = joint_bic(curves, scores[j, 2])
    # candidates left out cannot be the best: keep them last in the BIC ranking
    scores[~keep, 0] = np.maximum(scores[~keep, 0], scores[keep, 0].max() + screen_window)
    return scores


def without_small_bands(lc, min_points=MIN_BAND_POINTS):
    """The light curve without its bands of fewer than ``min_points`` points.

    Parameters
    ----------
    lc : LightCurve
        A multi-band light curve.
    min_points : int
        Smallest band kept.

    Returns
    -------
    LightCurve
        ``lc`` itself when every band is kept (a one-band light curve when
        only one is left); ``meta["small_bands"]`` names the bands dropped.
    """
    counts = np.bincount(lc.band_index, minlength=len(lc.bands))
    small = [b for b, n in zip(lc.bands, counts, strict=True) if n < min_points]
    if not small:
        return lc
    return lc.subset(counts[lc.band_index] >= min_points, meta={"small_bands": small})
