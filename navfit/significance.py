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

from .criteria import reduction_fap
from .eclipse_periodogram import eclipse_periodogram
from .lightcurve import LightCurve
from .periodogram import Periodogram

__all__ = [
    "eclipse_fap",
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
    f : float
        The chosen frequency (1/d).
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
    freqs = np.array([f])
    fap = search_fap(pg, pg.power(freqs), rest, freqs, widths, frequency, lc.time_span)[1]
    return float(fap[0]), i


def robust_significance(lc, f, fap, widths, frequency, level):
    """Whether the period at frequency ``f`` is significant, also without its most deviant point.

    Parameters
    ----------
    lc : LightCurve or None
        One band; ``None`` (multi-band searches) keeps the plain test.
    f, fap : float
        The chosen frequency and its false-alarm probability.
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
