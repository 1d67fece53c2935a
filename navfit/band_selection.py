"""Which bands of a multi-band light curve take part in what.

A multi-band light curve is searched and decided on some of its bands and
fitted jointly on all of them. The rules that choose them are kept here:

* :func:`best_band`: the band the one-band steps use (the eclipse
  periodogram, the decision, the joint fit's start, the one-band view of
  :func:`navfit.analyze`);
* :func:`short_bands`, :func:`without_short_bands`: bands too short in time
  to take part in a period search;
* :func:`band_curves`, :func:`without_small_bands`: bands with points enough
  for a joint score or a joint fit.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "MIN_BAND_POINTS",
    "NEAR_TIE",
    "POOL_BELOW",
    "SHORT_SPAN_DAYS",
    "SHORT_SPAN_FRACTION",
    "band_curves",
    "best_band",
    "short_bands",
    "without_short_bands",
    "without_small_bands",
]

#: Bands with fewer points than this do not enter the joint score.
MIN_BAND_POINTS = 6
#: Bands with at least this fraction of the largest band's points are "best-sampled" too
#: (:func:`best_band` then takes the most precise).
NEAR_TIE = 0.9
#: Multi-band: when the best-sampled band has fewer points than this (three per parameter
#: of the decision's NAV fit), the eclipse periodogram and the decision of
#: :func:`navfit.find_period` use all bands pooled (:meth:`navfit.LightCurve.pooled`)
#: instead; a band with this many points can carry a period search alone.
POOL_BELOW = 36
#: A band is *short* (:func:`short_bands`) when its time span is below this fraction of the
#: longest span among the bands of at least ``POOL_BELOW`` points, and below
#: ``SHORT_SPAN_DAYS``.
SHORT_SPAN_FRACTION = 0.5
#: Absolute limit of a short band's span (days): one year. A band over a year or more
#: resolves the yearly aliases of seasonal ground-based sampling (Gaia's 900 days beside
#: ATLAS's 3100 take part), and covers hundreds of cycles of the periods an eclipse
#: search finds.
SHORT_SPAN_DAYS = 365.25


def short_bands(lc) -> np.ndarray:
    """Which bands cover too short a time to take part in a period search.

    A band's frequency resolution is ``1 / T_b`` (``T_b`` its time span). A
    band over less than ``SHORT_SPAN_FRACTION`` of the longest span ``T`` among
    the bands able to carry a search alone (``POOL_BELOW`` points), and under
    a year (``SHORT_SPAN_DAYS``), resolves frequencies less than half as
    finely as that band and cannot separate yearly aliases: its fits cannot
    tell apart the candidates that the search compares, while each of its
    points weighs as much as any other in a joint score. A dense series of a
    few cycles (a space-photometry run beside decades of ground data) would
    then pick the period by the stretch of light curve it happens to cover.
    Such bands are searched over by the others and join the joint fits at
    the period found (:func:`navfit.analyze` leaves them out of a joint fit
    they throw off, with a flag).

    Parameters
    ----------
    lc : LightCurve
        A multi-band light curve.

    Returns
    -------
    ndarray of bool, shape (len(lc.bands),)
        True for a short band; all False for phase-folded data (no time
        span) and when no band has ``POOL_BELOW`` points (sparse survey
        cadences, where every band is needed).
    """
    return _short_and_spans(lc)[0]


def _short_and_spans(lc):
    """:func:`short_bands` and the time span (days) of each band's points."""
    span = _band_spans(lc)
    reference = np.bincount(lc.band_index, minlength=len(lc.bands)) >= POOL_BELOW
    if lc.phased or not reference.any():
        return np.zeros(len(lc.bands), dtype=bool), span
    return span < min(SHORT_SPAN_FRACTION * span[reference].max(), SHORT_SPAN_DAYS), span


def _band_spans(lc) -> np.ndarray:
    """Time span (days) of each band's points."""
    lo = np.full(len(lc.bands), np.inf)
    hi = np.full(len(lc.bands), -np.inf)
    np.minimum.at(lo, lc.band_index, lc.t)
    np.maximum.at(hi, lc.band_index, lc.t)
    return hi - lo  # a LightCurve's bands all hold points


def best_band(lc):
    """Name of the best-sampled band: the most points, the most precise on a near tie.

    Among the bands with at least ``NEAR_TIE`` of the largest number of
    points, the one with the smallest median error (the first of these on a
    tie): Stripe 82 gives u, g, r, i and z at about the same epochs, and u
    has the largest errors and the smallest amplitude over its errors.
    Bands too short in time to take part in a period search
    (:func:`short_bands`) are not considered.

    Parameters
    ----------
    lc : LightCurve
        A multi-band light curve.

    Returns
    -------
    str
    """
    counts = np.bincount(lc.band_index, minlength=len(lc.bands))
    counts[short_bands(lc)] = 0
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


def without_short_bands(lc):
    """The light curve without the bands too short in time for a period search.

    See :func:`short_bands`.

    Parameters
    ----------
    lc : LightCurve
        A multi-band light curve.

    Returns
    -------
    kept : LightCurve
        ``lc`` itself when no band is short (a one-band light curve when only
        one band is left).
    short : dict
        Band -> time span (days) of each band left out.
    """
    short, span = _short_and_spans(lc)
    if not short.any():
        return lc, {}
    spans = {b: float(d) for b, d, s in zip(lc.bands, span, short, strict=True) if s}
    return lc.subset(~short[lc.band_index]), spans


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
