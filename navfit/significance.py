"""False-alarm probabilities of the period search, and their robustness to one point.

The false-alarm probabilities of :func:`navfit.find_period` assume Gaussian
errors. One wild point breaks that assumption where it hurts most: at almost any
trial period an eclipse template or a high harmonic can sit on it, and the
chi-square it removes is that of a many-sigma residual. :func:`fap_without_extreme`
measures the chosen period again without the light curve's most deviant point,
so that a period which rests on one point is not called significant (the
jackknife's leave-one-out, Efron 1982, at the one point that matters).
"""

from __future__ import annotations

import numpy as np

from .confidence import multiples_of
from .criteria import reduction_fap
from .eclipse_periodogram import eclipse_periodogram
from .lightcurve import LightCurve
from .periodogram import Periodogram

__all__ = [
    "contained_frequencies",
    "eclipse_fap",
    "family_fap",
    "fap_without_extreme",
    "most_deviant_point",
    "robust_significance",
    "search_fap",
]


def eclipse_fap(lc: LightCurve, freqs, widths, frequency, span):
    """Eclipse power at ``freqs`` and its false-alarm probability over the grid ``frequency``.

    ``M = T (f_max - f_min) / (2 a_min)`` independent trials (template epochs
    per cycle, :func:`navfit.find_period`, Notes), ``T = span``.
    """
    p_ecl = eclipse_periodogram(lc, freqs, widths)[0]
    m_ecl = span * (frequency[-1] - frequency[0]) / (2 * min(widths))
    return p_ecl, reduction_fap(p_ecl, lc.n, 2, m_ecl)


def search_fap(pg, p_tp, lc: LightCurve, freqs, widths, frequency, span):
    """Eclipse power at ``freqs`` and the search's false-alarm probability there.

    The smaller of the TP2 periodogram's (``pg`` at powers ``p_tp``, Baluev's
    beta approximation) and the eclipse periodogram's (:func:`eclipse_fap` of
    ``lc``), both over the grid ``frequency``.
    """
    fap_tp = np.atleast_1d(
        pg.false_alarm_probability(p_tp, frequency[0], frequency[-1], method="beta")
    )
    p_ecl, fap_ecl = eclipse_fap(lc, freqs, widths, frequency, span)
    return p_ecl, np.minimum(fap_tp, fap_ecl)


def family_fap(periods, orders, fap, span) -> np.ndarray:
    """Each candidate's false-alarm probability, or a shorter candidate's its TP holds.

    A TP at ``k P`` of order ``>= k`` contains the harmonic at ``P``: the
    variation it describes is at least as significant as the one at ``P``.
    The TP2 periodogram at ``1/(k P)`` holds only the harmonics ``1/(k P)``
    and ``2/(k P)``; for ``k >= 3`` it misses ``P``, and its probability alone
    would call a large periodic variation noise.

    Parameters
    ----------
    periods, orders : array_like
        The candidates' periods (d) and TP orders.
    fap : array_like
        Their own false-alarm probabilities (:func:`search_fap`).
    span : float
        Time span of the data (d), for :func:`navfit.confidence.multiples_of`.
    """
    periods, fap = np.asarray(periods, dtype=float), np.asarray(fap, dtype=float)
    return np.array(
        [fap[_contained(periods, p, s, span)].min() for p, s in zip(periods, orders, strict=True)]
    )


def contained_frequencies(candidates, pick, span) -> np.ndarray:
    """Frequencies of the candidates whose period the TP of ``pick`` contains, its own first.

    The candidates ``P_j`` with ``pick``'s period an integer multiple ``k P_j``,
    ``k`` at most ``pick``'s TP order (:func:`family_fap`).
    """
    periods = np.asarray(candidates["period"], dtype=float)
    inside = _contained(periods, float(pick["period"]), int(pick["tp_order"]), span)
    return np.r_[1.0 / float(pick["period"]), 1.0 / periods[inside]]


def _contained(periods, period, order, span):
    """Which ``periods`` are ``period / k``, ``1 <= k <= order``: the TP at ``period`` holds them."""
    return multiples_of(period, periods, span, order)


def most_deviant_point(lc: LightCurve) -> int:
    """Index of the point farthest from the median in units of its error, ``|y - med(y)| / dy``."""
    return int(np.argmax(np.abs(lc.y - np.median(lc.y)) / lc.dy))


def fap_without_extreme(lc: LightCurve, f, widths, frequency) -> tuple[float, int]:
    """False-alarm probability at frequency ``f`` of ``lc`` without its most deviant point.

    The smaller of the TP2 periodogram's (Baluev's beta approximation) and the
    eclipse periodogram's, over the same grid ``frequency`` and with the same
    number of trials as the search's own (:func:`search_fap`), so the two
    probabilities compare directly: a period the data support keeps a small
    probability when any one point is left out, while a "signal" made by one
    outlier loses it.

    Parameters
    ----------
    lc : LightCurve
        One band.
    f : float or array_like
        The chosen frequency (1/d), or it and the fractions of its period that
        its TP contains (:func:`contained_frequencies`): the smallest
        probability among them counts (:func:`family_fap`).
    widths : sequence of float
        Eclipse template half-widths of the search.
    frequency : ndarray
        The search's frequency grid.

    Returns
    -------
    fap : float
    index : int
        The point left out (:func:`most_deviant_point`).
    """
    i = most_deviant_point(lc)
    rest = lc.subset(np.arange(lc.n) != i)
    pg = Periodogram(rest, order=2)
    freqs = np.atleast_1d(np.asarray(f, dtype=float))
    fap = search_fap(pg, pg.power(freqs), rest, freqs, widths, frequency, lc.time_span)[1]
    return float(fap.min()), i


def robust_significance(lc, f, fap, widths, frequency, level):
    """Whether the period at frequency ``f`` is significant, also without its most deviant point.

    Parameters
    ----------
    lc : LightCurve or None
        One band; ``None`` (multi-band searches) keeps the plain test.
    f : float or array_like
        The chosen frequency, or it and the fractions of its period that its
        TP contains (:func:`fap_without_extreme`).
    fap : float
        The chosen period's false-alarm probability.
    widths, frequency
        As for :func:`fap_without_extreme`.
    level : float
        Significance level (:data:`navfit.period_search.FAP_LEVEL`).

    Returns
    -------
    significant : bool
        ``fap < level`` and, for one band, the same without the most deviant point.
    fap : float
        ``fap``, or the probability without that point where that one decides.
    flag : str or None
        Why the period is not significant when one point made it so.
    """
    if lc is None or not fap < level:
        return fap < level, fap, None
    loo, i = fap_without_extreme(lc, f, widths, frequency)
    if loo < level:
        return True, fap, None
    flag = (
        f"the period rests on one point: without the point at t = {lc.t[i]:.6f} "
        f"(y = {lc.y[i]:.5g}) its false-alarm probability is {loo:.2g}"
    )
    return False, loo, flag
