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
"""

from __future__ import annotations

import math

from scipy import stats

__all__ = ["margin", "near", "probability_above"]


def margin(value, error, threshold) -> float:
    """Confidence that ``value`` lies on its measured side of ``threshold``."""
    if error == 0:
        return 1.0
    if not (error > 0 and math.isfinite(error)):
        return 0.5
    return float(stats.norm.cdf(abs(value - threshold) / error))


def probability_above(value, error, threshold) -> float:
    """Probability that the true ``value`` lies above ``threshold``."""
    if error == 0:
        return 1.0 if value > threshold else 0.0
    if not (error > 0 and math.isfinite(error)):
        return 0.5
    return float(stats.norm.cdf((value - threshold) / error))


def near(value, error, threshold) -> bool:
    """Whether ``value`` lies within one standard error of ``threshold`` (GCVS ":").

    True also for an undetermined error (infinite or NaN).
    """
    if error == 0:
        return False
    return not abs(value - threshold) >= error
