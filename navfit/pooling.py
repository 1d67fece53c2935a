r"""All bands of a sparse multi-band light curve as one curve, and the eclipse model on it.

On survey cadences that take each epoch in one band (LSST, the sparse
multi-band case of :func:`navfit.find_period`) no band has points enough
for the decision's fits, and the bands are pooled. Moving each band to a
common level (:meth:`navfit.LightCurve.pooled`) is not enough: amplitudes
change with colour (eclipse depths by tens of percent between u and y,
pulsation amplitudes by a factor of two between g and z), so the pooled
curve scatters by the amplitude differences and hides the shape (the
unequal minima of a contact binary at twice the period). At a trial period
:func:`scaled_pool` fits one shape shared by every band, with a level per
band and series and a scale per band,

.. math::

    y_i = m_{g(i)} + k_{b(i)} \sum_{j=1}^{s}
          \left[a_j \cos 2\pi j\varphi_i + b_j \sin 2\pi j\varphi_i\right],
    \qquad \varphi_i = t_i / P,

(``g`` a band and series, ``b`` a band, ``k = 1`` in the reference band),
and returns :math:`(y_i - m_{g(i)}) / k_{b(i)}` with errors
:math:`\sigma_i / k_{b(i)}`: every band brought to the reference band's
level and amplitude. Standardising each band before pooling them is the
usual practice of multi-band period searches on sparse data (Mondrik, Long
& Marshall 2015, ApJL 811, L34; Saha & Vivas 2017, AJ 154, 231). The model
is bilinear; it is solved by alternating weighted least squares (the
levels and shape for fixed scales, then the level and scale of each band
for the fixed shape), which lowers the chi-square at every step.

A band whose scale is not positive at :data:`MIN_SCALE_SIGMA` sigma keeps
scale 1 (only its level is moved): at a wrong trial period, or in a band
where the variation is lost in the noise, a scale would only amplify noise.
The standard errors of the scales are taken from the residuals of the fit
(the reduced chi-square times the formal error, as lmfit's ``scale_covar``),
so they hold for light curves without errors and for misestimated ones.

The search's candidates are scored by trigonometric polynomials, whose
order the sampling limits to a few harmonics on sparse data: a detached
binary's narrow eclipses, seen by a handful of points, then leave every TP
at a wrong period, and the multiple test (odd harmonics) cannot establish
the orbital period either. :func:`eclipse_period` therefore fits the NAV
model to the bands pooled at their levels (one data set for every trial)
at the highest peaks of their eclipse periodogram and takes the eclipse
period when its BIC is ``BIC_STRONG`` below both the TP and the NAV at the
period the TP scoring picked ("strong" evidence, Kass & Raftery 1995, as
everywhere in navfit), unless it is that period or its double (``P``
against ``2P`` is the decision's question, with its own tests; a NAV at
``2P`` fits alternate cycles apart and beats the one at ``P`` on sparse
pulsators by chance); among eclipse periods within ``BIC_STRONG`` of the
best, the shortest of which the best is a multiple (the simpler
description; the decision then weighs ``P`` against ``2P`` as for any
period).
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from ._kernels.basis import fill_tp_basis
from .criteria import BIC_STRONG
from .errors import NavfitError
from .evidence import tp_at
from .lsq import solve_linear
from .models.nav import fit_nav

__all__ = ["MIN_SCALE_SIGMA", "SHAPE_ORDER", "eclipse_period", "scaled_pool"]

#: Order of the shared shape: the order of the search's periodogram (two
#: harmonics carry the double wave of a contact binary and the skew of an RRab).
SHAPE_ORDER = 2
#: A band's scale is used only when it is positive by this many standard errors.
MIN_SCALE_SIGMA = 3.0
#: Alternations of the bilinear fit (the scales settle to 1e-6 in a few).
MAX_ITERATIONS = 50
TOLERANCE = 1e-8


def _shape_design(lc, period, order):
    """The shape's harmonics (without the constant), shape ``(n, 2 order)``."""
    XT = np.empty((2 * order + 1, lc.n))
    fill_tp_basis((lc.t - lc.t[0]) / period, order, XT)
    return XT[1:].T


def _levels_and_shape(y, w_sqrt, harmonics, groups, n_groups, scale_per_point):
    """Levels per group and shape coefficients for fixed scales (one weighted linear fit)."""
    design = np.zeros((y.size, n_groups + harmonics.shape[1]))
    design[np.arange(y.size), groups] = 1.0
    design[:, n_groups:] = scale_per_point[:, None] * harmonics
    fit = solve_linear(design, y, 1.0 / w_sqrt)
    return fit.params[:n_groups], fit.params[n_groups:]


def _band_scales(y, w, levels_pp, shape, bands, n_bands):
    """Scale of each band and its standard error for the fixed shape and levels."""
    scale = np.ones(n_bands)
    error = np.full(n_bands, np.inf)
    for b in range(n_bands):
        rows = bands == b
        norm = float(np.sum(w[rows] * shape[rows] ** 2))
        if norm > 0:
            scale[b] = float(np.sum(w[rows] * shape[rows] * (y[rows] - levels_pp[rows]))) / norm
            error[b] = 1.0 / np.sqrt(norm)
    return scale, error


def scaled_pool(lc, period, order=SHAPE_ORDER):
    """Every band of ``lc`` as one band, at ``period``, on the reference band's level and scale.

    Parameters
    ----------
    lc : LightCurve
        A multi-band light curve.
    period : float
        Trial period (days).
    order : int
        Harmonics of the shared shape (lowered when the points are too few).

    Returns
    -------
    pooled : LightCurve
        One band (:data:`navfit.lightcurve.POOLED_BAND`), values
        ``(y - level) / scale``, errors ``dy / scale``.
    scales : dict
        Band name -> scale used (1 where the fitted scale is not significant;
        the reference band, the one with the most points, is 1).
    """
    groups = lc.band_index * len(lc.series) + lc.series_index
    _, groups = np.unique(groups, return_inverse=True)
    n_groups = int(groups.max()) + 1
    bands, n_bands = lc.band_index, len(lc.bands)
    ref = int(np.argmax(np.bincount(bands, minlength=n_bands)))
    order = int(min(order, max(0, (lc.n - n_groups - n_bands - 1) // 2)))
    if order < 1:
        return lc.pooled(), dict.fromkeys(lc.bands, 1.0)
    w = 1.0 / lc.dy**2
    harmonics = _shape_design(lc, period, order)
    scale = np.ones(n_bands)
    for _ in range(MAX_ITERATIONS):
        levels, coef = _levels_and_shape(
            lc.y, np.sqrt(w), harmonics, groups, n_groups, scale[bands]
        )
        shape = harmonics @ coef
        new, error = _band_scales(lc.y, w, levels[groups], shape, bands, n_bands)
        if not (np.isfinite(new[ref]) and new[ref] > 0):  # no variation in the reference band
            return lc.pooled(), dict.fromkeys(lc.bands, 1.0)
        error /= new[ref]
        new /= new[ref]
        done = np.max(np.abs(new - scale)) < TOLERANCE
        scale = new
        if done:
            break
    levels, coef = _levels_and_shape(lc.y, np.sqrt(w), harmonics, groups, n_groups, scale[bands])
    resid = lc.y - levels[groups] - scale[bands] * (harmonics @ coef)
    dof = max(lc.n - n_groups - n_bands + 1 - harmonics.shape[1], 1)
    error *= np.sqrt(
        np.sum(w * resid**2) / dof
    )  # errors from the residuals, as lmfit's scale_covar
    significant = (scale > 0) & (scale > MIN_SCALE_SIGMA * error)
    significant[ref] = True
    used = np.where(significant, scale, 1.0)
    y = (lc.y - levels[groups]) / used[bands]
    dy = lc.dy / used[bands]
    errors = dy if lc.dy_given else None
    return lc.pooled(y, errors), {name: float(used[b]) for b, name in enumerate(lc.bands)}


def _nav(lc, period):
    """The NAV fit with the period free, or ``None`` where it cannot be made."""
    try:
        return fit_nav(lc, period, free_period=True)
    except NavfitError:
        return None


def _tp(lc, period):
    """The order-limited TP fit (:func:`navfit.evidence.tp_at`), or ``None``."""
    try:
        return tp_at(lc, period)
    except NavfitError:
        return None


def eclipse_period(pooled, eclipse_periods, period):
    """The period of the pooled bands' NAV model where it beats the TP scoring's pick strongly.

    Parameters
    ----------
    pooled : LightCurve
        The bands pooled at their levels (:meth:`navfit.LightCurve.pooled`).
    eclipse_periods : sequence of float
        Periods of the highest peaks of ``pooled``'s eclipse periodogram
        (at least :data:`navfit.period_search.MIN_ECLIPSE_PERIOD`).
    period : float
        The period the TP scoring picked.

    Returns
    -------
    new_period : float or None
        The eclipse period (refined by the NAV fit), or ``None`` to keep ``period``.
    info : dict
        ``bic_reference`` (the better of the TP and the NAV at ``period``),
        ``bic_eclipse`` and ``period_eclipse`` of the best eclipse fit, and
        ``trials``: a Table (``period``, ``model``, ``bic``) of every fit
        made, all on ``pooled``, whose BIC weights give the period's
        confidence (:func:`navfit.decide`).
    """
    trials = [("TP", _tp(pooled, period)), ("NAV", _nav(pooled, period))]
    made = [f.bic for _, f in trials if f is not None]
    if not made:
        return None, {}
    reference = min(made)
    fits = [f for f in (_nav(pooled, q) for q in eclipse_periods) if f is not None]
    info = {"bic_reference": float(reference)}
    if not fits:
        return None, info
    best = min(fits, key=lambda f: f.bic)
    info.update(bic_eclipse=float(best.bic), period_eclipse=float(best.period))
    span = pooled.time_span

    def multiple(longer, shorter):
        k = round(longer / shorter)
        return 1 <= k <= 4 and abs(1.0 / shorter - k / longer) <= 1.0 / span

    # the TP's period or its double: the decision's question (P or 2P), with its own tests
    same_or_double = round(best.period / period) in (1, 2) and multiple(best.period, period)
    if best.bic >= reference - BIC_STRONG or same_or_double:
        return None, info
    half = _nav(pooled, 0.5 * best.period)
    fits += [half] if half is not None else []

    def fraction(f):
        return multiple(best.period, f.period)

    close = [f for f in fits if f.bic <= best.bic + BIC_STRONG and fraction(f)]
    trials += [("NAV", f) for f in fits]
    rows = [(float(f.period), model, float(f.bic)) for model, f in trials if f is not None]
    info["trials"] = Table(rows=rows, names=("period", "model", "bic"))
    return float(min(close, key=lambda f: f.period).period), info
