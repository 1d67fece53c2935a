r"""Goodness-of-fit statistics shared by every model (one definition, used everywhere).

Conventions
-----------
``chi2`` is the weighted residual sum of squares ``sum ((y - model)/dy)^2`` and
``k`` counts every fitted parameter, the period and the epoch included when they
are free (Andronov's ``m``). The information criteria use the Gaussian
likelihood with the error *scale* unknown (the usual case for photometry, whose
quoted errors are rarely exact), which NAV_SPEC §4.4 and Andronov's papers use:

.. math::

    \mathrm{AIC} = n \ln(\chi^2/n) + 2k, \quad
    \mathrm{AICc} = \mathrm{AIC} + \frac{2k(k+1)}{n-k-1}, \quad
    \mathrm{BIC} = n \ln(\chi^2/n) + k \ln n .

``sigma0`` is the unit-weight residual scatter in the data's units (weights
normalised to a mean of one), and Andronov's accuracy of the fit is
``sigma_fit = sigma0 * sqrt(k/n)``, the r.m.s. 1-sigma error of the smoothing
curve at the observed times (trace of the hat matrix = k).
"""

from __future__ import annotations

import numpy as np
from scipy import special

__all__ = [
    "BIC_STRONG",
    "CURVE_PHASES",
    "MAX_OVERSHOOT",
    "f_survival",
    "f_test_pvalue",
    "fit_statistics",
    "leaves_data_range",
    "reduction_fap",
]

#: A BIC difference above 10 is "very strong" evidence for the model with the
#: lower BIC (Kass & Raftery 1995, J. Am. Stat. Assoc. 90, 773, Sect. 3.2): the
#: one threshold navfit uses to prefer one fit over another.
BIC_STRONG = 10.0
#: How far beyond the range of the data, in units of that range, a model curve may reach
#: (:func:`leaves_data_range`).
MAX_OVERSHOOT = 1.0
#: Phases per cycle at which a model curve's range is read.
CURVE_PHASES = 512


def leaves_data_range(curve, y) -> bool:
    """Whether a model curve reaches beyond the data ``y`` by more than their range.

    Between the points of a light curve with gaps in phase, a flexible model is
    free to swing far: a TP of high order on sparse long-period data puts a
    "minimum" tens of magnitudes below every point, a NAV fit an "eclipse" of
    50 mag cancelled by its TP2 part where the points are. The points cannot
    support an extremum beyond the faintest or brightest of them by more than
    their whole range (``MAX_OVERSHOOT``): such a curve describes the gaps,
    not the star.

    Parameters
    ----------
    curve : array_like
        The model over a cycle (``CURVE_PHASES`` phases).
    y : array_like
        The data.

    Examples
    --------
    >>> leaves_data_range([9.0, 10.5, 11.9], [10.0, 11.0])
    False
    >>> leaves_data_range([10.0, 13.5], [10.0, 11.0])
    True
    """
    curve, y = np.asarray(curve, dtype=float), np.asarray(y, dtype=float)
    lo, hi = float(np.min(y)), float(np.max(y))
    margin = MAX_OVERSHOOT * (hi - lo)
    return bool(curve.min() < lo - margin or curve.max() > hi + margin)


def fit_statistics(chi2, n, k, mean_weight=1.0):
    """Return ``sigma0, sigma_fit, aic, aicc, bic`` for a fit.

    Parameters
    ----------
    chi2 : float or ndarray
        Weighted residual sum of squares.
    n : int
        Number of points.
    k : int or ndarray
        Number of fitted parameters.
    mean_weight : float
        Mean of ``1/dy**2`` (1 for unweighted data); converts chi-square to
        the data's units for ``sigma0``.

    Returns
    -------
    dict
        ``sigma0``, ``sigma_fit``, ``aic``, ``aicc``, ``bic``; ``sigma0`` and
        ``aicc`` are ``inf`` where no degrees of freedom remain.

    Examples
    --------
    >>> stats = fit_statistics(chi2=110.0, n=100, k=5)
    >>> {name: round(value, 3) for name, value in stats.items()}
    {'sigma0': 1.076, 'sigma_fit': 0.241, 'aic': 19.531, 'aicc': 20.169, 'bic': 32.557}

    Arrays of chi-squares and parameter counts give arrays, as for a table of
    orders:

    >>> fit_statistics([150.0, 110.0], 100, [3, 5])["bic"].round(1)
    array([54.4, 32.6])
    """
    chi2 = np.asarray(chi2, dtype=float)
    k = np.asarray(k, dtype=float)
    dof = n - k
    with np.errstate(divide="ignore", invalid="ignore"):
        # no degrees of freedom left (a band's view of a joint fit): sigma0 undetermined
        sigma0 = np.where(dof > 0, np.sqrt(chi2 / dof / mean_weight), np.inf)
    loglike_term = n * np.log(np.maximum(chi2, np.finfo(float).tiny) / n)
    aic = loglike_term + 2 * k
    with np.errstate(divide="ignore"):
        aicc = np.where(n - k - 1 > 0, aic + 2 * k * (k + 1) / (n - k - 1), np.inf)
    bic = loglike_term + k * np.log(n)
    out = {
        "sigma0": sigma0,
        "sigma_fit": sigma0 * np.sqrt(k / n),
        "aic": aic,
        "aicc": aicc,
        "bic": bic,
    }
    if out["sigma0"].ndim == 0:
        out = {key: float(v) for key, v in out.items()}
    return out


def f_test_pvalue(chi2_simple, chi2_complex, k_simple, k_complex, n):
    r"""Fisher test p-value that the extra ``k_complex - k_simple`` parameters are noise.

    .. math:: F = \frac{(\chi^2_1 - \chi^2_2)/(k_2 - k_1)}{\chi^2_2/(n - k_2)}
              \sim F(k_2 - k_1, n - k_2)

    Examples
    --------
    Two more parameters that lower chi-square from 150 to 110 on 100 points
    are far from noise:

    >>> F, p = f_test_pvalue(150.0, 110.0, 3, 5, 100)
    >>> round(float(F), 2), bool(p < 1e-6)
    (17.27, True)
    """
    dk = np.asarray(k_complex, float) - np.asarray(k_simple, float)
    dof = n - np.asarray(k_complex, float)
    F = (np.asarray(chi2_simple) - np.asarray(chi2_complex)) / dk / (np.asarray(chi2_complex) / dof)
    return F, f_survival(F, dk, dof)


def f_survival(F, dfn, dfd):
    """Upper tail ``P(X > F)`` of Fisher's F distribution with ``(dfn, dfd)`` degrees of freedom.

    The value of ``scipy.stats.f.sf`` (1 for ``F <= 0``, NaN for degrees of freedom
    that are not positive), from ``scipy.special.fdtrc`` directly: importing
    ``scipy.stats`` costs about half a second more, which every navfit process would pay
    at start-up (a command-line call, each worker of a batch).

    >>> round(float(f_survival(3.02, 8, 38)), 3)
    0.01
    """
    return special.fdtrc(dfn, dfd, np.maximum(F, 0.0))


def reduction_fap(power, n, k_extra, n_trials):
    """False-alarm probability of a fractional chi-square reduction (documented approximation).

    Under white noise about a constant, the fraction of the chi-square removed by
    ``k_extra`` added linear parameters follows
    ``Beta(k_extra/2, (n - k_extra - 1)/2)``; the single-trial tail is raised to
    ``n_trials`` independent trials: ``1 - (1 - p)^M``.

    Parameters
    ----------
    power : float or ndarray
        Fractional chi-square reduction in [0, 1].
    n : int
        Number of points.
    k_extra : int
        Parameters the signal model adds to the constant.
    n_trials : float
        Effective number of independent trials ``M``.

    Examples
    --------
    Over 1000 trial frequencies, 4 parameters that remove 20 % of the
    chi-square of 100 points are unremarkable, 40 % is not:

    >>> fap = reduction_fap([0.2, 0.4], 100, 4, 1000)
    >>> round(float(fap[0]), 3), bool(fap[1] < 1e-5)
    (0.23, True)
    """
    power = np.clip(np.asarray(power, dtype=float), 0.0, 1.0)
    a, b = k_extra / 2.0, (n - k_extra - 1) / 2.0
    # the Beta survival function (scipy.stats.beta.sf, NaN without degrees of freedom left)
    single = special.betaincc(a, b, power) if b > 0 else np.full_like(power, np.nan)
    return -np.expm1(n_trials * np.log1p(-np.minimum(single, 1 - 1e-16)))
