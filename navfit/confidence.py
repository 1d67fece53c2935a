r"""Confidence of a rule that compares a measured value with a threshold.

A rule of :mod:`navfit.decision` or :mod:`navfit.gcvs_types` reads a value
``v`` with its standard error ``sigma`` and compares it with a threshold
``t``. With a Gaussian error,

.. math::

    \text{margin} = \Phi\left(\frac{|v - t|}{\sigma}\right), \qquad
    P(\text{true value} > t) = \Phi\left(\frac{v - t}{\sigma}\right),

the first being the confidence that the value lies on the side it was
measured on. An exact value (``sigma = 0``) is certain; an undetermined one
(``sigma`` infinite or NaN) carries no information, confidence 0.5.

A period chosen among the search's candidates has the BIC weight of the
candidates at that period and its multiples, or the bootstrap selection
probability of that family where it is smaller
(:mod:`navfit.period_bootstrap`), times ``1 - FAP`` (:func:`period_weight`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

__all__ = [
    "UNCERTAIN_BELOW",
    "margin",
    "multiples_of",
    "near",
    "period_doubt",
    "period_weight",
    "probability_above",
    "same_period",
]

#: Confidence below which a decision is uncertain: one sigma. A type gets GCVS's ":"
#: (:mod:`navfit.decision`); a period, a flag (:func:`period_doubt`).
UNCERTAIN_BELOW = float(special.ndtr(1.0))


def margin(value, error, threshold) -> float:
    """Confidence that ``value`` lies on its measured side of ``threshold``."""
    if error == 0:
        return 1.0
    if not (error > 0 and math.isfinite(error)):
        return 0.5
    return float(special.ndtr(abs(value - threshold) / error))


def probability_above(value, error, threshold) -> float:
    """Probability that the true ``value`` lies above ``threshold``."""
    if error == 0:
        return 1.0 if value > threshold else 0.0
    if not (error > 0 and math.isfinite(error)):
        return 0.5
    return float(special.ndtr((value - threshold) / error))


def near(value, error, threshold) -> bool:
    """Whether ``value`` lies within one standard error of ``threshold`` (GCVS ":").

    True also for an undetermined error (infinite or NaN).
    """
    if error == 0:
        return False
    return not abs(value - threshold) >= error


def same_period(a, b, span):
    """Whether periods ``a`` and ``b`` are one: ``|1/a - 1/b| <= 0.5/span`` (broadcast).

    Within half a cycle of each other over the data (``span``, d): their folds
    cannot be told apart, the search's "same period" and ``bench/survey.py``'s
    "exact".
    """
    with np.errstate(divide="ignore"):
        return np.abs(1.0 / np.asarray(a, float) - 1.0 / np.asarray(b, float)) <= 0.5 / span


def multiples_of(periods, period, span, orders=None) -> np.ndarray:
    """Which ``periods`` are ``period`` or an integer multiple ``k`` of it.

    Parameters
    ----------
    periods : array_like
        Candidate periods (d).
    period : float or array_like
        The period (d), or one per candidate.
    span : float
        Time span of the data (d).
    orders : array_like of int, optional
        The candidates' TP orders: a TP at ``k P`` of order below ``k`` has no
        term at ``P`` and cannot describe a variation with that period, so it
        is no multiple.

    Returns
    -------
    ndarray of bool
        True where ``P_j`` and ``k P`` are the same period (:func:`same_period`)
        for the integer ``k >= 1`` nearest to ``P_j / P``.
    """
    periods = np.asarray(periods, dtype=float)
    k = np.round(periods / period)
    out = (k >= 1) & same_period(periods, np.maximum(k, 1.0) * period, span)
    if orders is not None:
        out &= k <= np.asarray(orders)
    return out


def period_weight(candidates, period, fap=float("nan"), bootstrap=None, *, span) -> float:
    r"""BIC weight of ``period`` (with its multiples) among a search's candidates, times ``1 - FAP``.

    .. math:: w = (1 - \mathrm{FAP})\,
        \frac{\sum_{j:\,P_j \approx k P} e^{-\Delta_j / 2}}{\sum_j e^{-\Delta_j / 2}},
        \qquad \Delta_j = \mathrm{BIC}_j - \min \mathrm{BIC},

    over the candidates' ``bic_tp``, or their ``bic`` where the search scored
    them by more than one model on one data set
    (:func:`navfit.pooling.eclipse_period`); ``k = 1, 2, ...``, each within
    half a cycle over the data (:func:`multiples_of`).
    Where the bootstrap selection probability of the period is smaller, it
    replaces ``w``'s fraction: the BIC weight assumes Gaussian errors of the
    quoted size, and on sparse data it is surer than the points allow. The
    weights compare the candidates given that the star varies periodically; the search's false-alarm probability is the chance that
    noise alone makes a peak as high, so no period is surer than
    ``1 - FAP`` (a star with no significant period has no confident one).

    Parameters
    ----------
    candidates : astropy.table.Table or None
        :attr:`navfit.PeriodResult.candidates`.
    period : float
    fap : float, optional
        False-alarm probability of the search at its chosen period, clipped
        to [0, 1]; NaN (a period given, not searched) applies no factor.
    bootstrap : float, optional
        :func:`navfit.period_bootstrap.selection_probability` of ``period``
        (``None``: not computed, as where the eclipse fits of pooled sparse
        bands chose the period).
    span : float
        Time span of the data (d), for the multiples' tolerance.

    Returns
    -------
    float
        In [0, 1]; ``1 - FAP`` without candidates or finite BICs.
    """
    alarm = 0.0 if math.isnan(fap) else min(max(fap, 0.0), 1.0)
    column = "bic" if candidates is not None and "bic" in candidates.colnames else "bic_tp"
    if candidates is None or len(candidates) == 0 or column not in candidates.colnames:
        return 1.0 - alarm
    P = np.asarray(candidates["period"], float)
    bic = np.asarray(candidates[column], float)
    ok = np.isfinite(bic)
    if not ok.any():
        return 1.0 - alarm
    w = np.exp(-0.5 * (bic[ok] - bic[ok].min()))
    near = multiples_of(P[ok], period, span, _orders(candidates)[ok])
    # the two sums add in different orders: their ratio can pass 1 by a rounding unit
    weight = min(1.0, float(w[near].sum() / w.sum())) if w.sum() > 0 else 1.0
    if bootstrap is not None:
        weight = min(weight, float(bootstrap))
    return (1.0 - alarm) * weight


def period_doubt(candidates, period, bootstrap, span) -> str | None:
    """A flag when bootstrap resamples often prefer another period, else ``None``.

    Parameters
    ----------
    candidates : astropy.table.Table or None
        :attr:`navfit.PeriodResult.candidates`.
    period : float
        The period chosen (d).
    bootstrap : float or None
        Its :func:`navfit.period_bootstrap.selection_probability`.
    span : float
        Time span of the data (d).

    Returns
    -------
    str or None
        Below :data:`UNCERTAIN_BELOW`, the flag, naming the best candidate
        outside ``period``'s family (itself and its multiples).
    """
    if bootstrap is None or bootstrap >= UNCERTAIN_BELOW or candidates is None:
        return None
    P = np.asarray(candidates["period"], float)
    bic = np.asarray(candidates["bic_tp"], float)
    other = np.flatnonzero(~multiples_of(P, period, span, _orders(candidates)) & np.isfinite(bic))
    rival = f" (next best: P = {P[other[np.argmin(bic[other])]]:.7g} d)" if other.size else ""
    return (
        f"period uncertain: another candidate has the best BIC in "
        f"{100 * (1 - bootstrap):.0f} % of bootstrap resamples of the points{rival}"
    )


def _orders(candidates):
    """The candidates' TP orders, or no limit where the table has none."""
    if "tp_order" in candidates.colnames:
        return np.asarray(candidates["tp_order"], dtype=float)
    return np.full(len(candidates), np.inf)
