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
:math:`\sigma_i / k_{b(i)}`: every band brought to a common level and to
the amplitude of the reference band (the band whose variation has the
highest signal-to-noise). Standardising each band before pooling them is the
usual practice of multi-band period searches on sparse data (Mondrik, Long
& Marshall 2015, ApJL 811, L34; Saha & Vivas 2017, AJ 154, 231). The model
is bilinear. With the harmonics centred on their weighted mean in each
band and series (which only moves a constant into that group's level) the
levels are the groups' weighted means, and the shape and scales are found
by alternating weighted least squares (the shape for fixed scales, then
each band's scale for the fixed shape), which lowers the chi-square at
every step.

A band whose scale is not positive at :data:`MIN_SCALE_SIGMA` sigma keeps
scale 1 (only its level is moved): at a wrong trial period, or in a band
where the variation is lost in the noise, a scale would only amplify noise.
The standard errors of the scales come from the joint covariance of shape
and scales at the optimum, scaled by the residuals (the formal error times
the square root of the reduced chi-square, as lmfit's ``scale_covar``), so
they hold for light curves without errors and for misestimated ones.

The search's candidates are scored by trigonometric polynomials, whose
order the sampling limits to a few harmonics on sparse data: a detached
binary's narrow eclipses, seen by a handful of points, then leave every TP
at a wrong period, and the multiple test (odd harmonics) cannot establish
the orbital period either. :func:`eclipse_period` therefore fits the NAV
model to the bands pooled at their levels (one data set for every trial)
at the highest peaks of their eclipse periodogram and takes the eclipse
period when its BIC is ``BIC_STRONG`` below both the TP and the NAV at the
period the TP scoring picked ("strong" evidence, Kass & Raftery 1995, as
everywhere in navfit), unless it is that period; among eclipse periods
within ``BIC_STRONG`` of the best, the shortest of which the best is a
multiple (the simpler description: the best fit established the eclipses,
and a period within ``BIC_STRONG`` of it fits them as well).

When the period taken is the double of the TP's, the NAV fits have answered
the question ``P`` or ``2P`` for the TP's period, and the decision does not
ask it again one level up (``info["double"]``, :func:`navfit.find_period`);
for any other period the decision weighs ``P`` against ``2P`` as usual. On
a handful of points per band the decision's own tests at ``2P`` (the odd
harmonics of a TP limited to a few harmonics, the depths of two eclipses
seen by a few points each) cannot establish what the BIC of the NAV fits
does. Measured on ``bench/lsst_multiband.py`` (seeds 1-5, 200 six-band
binaries with 60 epochs): 174 periods exact instead of 164 when the double
was left to the decision, the stars gained detached and semi-detached
binaries whose TP pick was half the orbit, none lost (189 with the finer
eclipse search of the pooled bands that came after,
:func:`navfit.period_search.find_period`). It can also stop one level
short: where the NAV fits' double is itself half the orbit, the decision
no longer goes on to it. The price: a NAV at
``2P`` fits alternate cycles of a pulsator apart and can beat the fits at
``P`` by chance; 2 of 150 synthetic sparse RR Lyrae and delta Scuti stars
(same cadence) come out at twice their period, none before.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from ._kernels.basis import fill_tp_basis
from .confidence import multiples_of
from .criteria import BIC_STRONG
from .errors import NavfitError
from .evidence import nav_or_none, tp_at
from .lsq import solve_linear

__all__ = ["MIN_SCALE_SIGMA", "SHAPE_ORDER", "eclipse_period", "scaled_pool"]

#: Order of the shared shape: the order of the search's periodogram (two
#: harmonics carry the double wave of a contact binary and the skew of an RRab).
SHAPE_ORDER = 2
#: A band's scale is used only when it is positive by this many standard errors.
MIN_SCALE_SIGMA = 3.0
#: Alternations of the bilinear fit, and the change of the scales that ends them.
MAX_ITERATIONS = 200
TOLERANCE = 1e-6


def _centred_harmonics(lc, period, order, groups, n_groups, w):
    """The shape's harmonics at ``period``, each with its weighted mean per group removed.

    Every group has its own level, so removing a constant per group from
    the harmonics only moves it into that level: the model is the same, the
    levels become the groups' weighted means, and a period at which one
    group's phases coincide can no longer trade the level against the shape.

    Returns
    -------
    harmonics : ndarray, shape (n, 2 order)
        The centred harmonics.
    means : ndarray, shape (n_groups, 2 order)
        The weighted mean of each harmonic over each group's points.
    """
    XT = np.empty((2 * order + 1, lc.n))
    fill_tp_basis((lc.t - lc.t[0]) / period, order, XT)
    h = XT[1:].T
    wsum = np.bincount(groups, weights=w, minlength=n_groups)
    means = np.empty((n_groups, h.shape[1]))
    for j in range(h.shape[1]):
        means[:, j] = np.bincount(groups, weights=w * h[:, j], minlength=n_groups) / wsum
        h[:, j] -= means[groups, j]
    return h, means


def _shape_coefficients(y, dy, harmonics, scale_per_point):
    """Coefficients of the shared shape for fixed scales (one weighted linear fit)."""
    return solve_linear(scale_per_point[:, None] * harmonics, y, dy).params


def _band_scales(y, w, shape, bands, n_bands):
    """Scale of each band for the fixed shape (one weighted regression per band)."""
    num = np.bincount(bands, weights=w * shape * y, minlength=n_bands)
    norm = np.bincount(bands, weights=w * shape**2, minlength=n_bands)
    return np.where(norm > 0, num / np.where(norm > 0, norm, 1.0), 0.0), norm


def _scale_errors(y, dy, harmonics, bands, scale, coef, ref, n_levels):
    """Standard errors of the scales from the joint covariance of the bilinear model.

    The Jacobian of ``k_b h(phase; c)`` with respect to the shape
    coefficients and every scale but the reference band's, at the optimum
    (the covariance of a Gauss-Newton step, scaled by the residuals with the
    levels counted in the degrees of freedom, as lmfit's ``scale_covar``):
    it counts how the scales trade off against the shared shape.
    """
    n_bands = scale.size
    others = [b for b in range(n_bands) if b != ref]
    shape = harmonics @ coef
    jac = np.zeros((y.size, harmonics.shape[1] + len(others)))
    jac[:, : harmonics.shape[1]] = scale[bands][:, None] * harmonics
    for j, b in enumerate(others):
        jac[bands == b, harmonics.shape[1] + j] = shape[bands == b]
    error = np.full(n_bands, np.inf)
    error[ref] = 0.0
    resid = y - scale[bands] * shape
    dof = y.size - n_levels - jac.shape[1]
    try:
        fit = solve_linear(jac, resid, dy)
    except NavfitError:
        return error
    if dof <= 0 or fit.rank < jac.shape[1]:
        return error
    var = np.diag(fit.covariance_unscaled)[harmonics.shape[1] :] * np.sum((resid / dy) ** 2) / dof
    for j, b in enumerate(others):
        if np.isfinite(var[j]) and var[j] >= 0:
            error[b] = float(np.sqrt(var[j]))
    return error


def _alternate(y, dy, w, harmonics, bands, n_bands, ref):
    """Shape coefficients and scales (reference band 1) by alternating least squares.

    Returns ``(coef, scale, norm)`` or ``None`` when the reference band
    shows no variation. ``norm[b]`` is the band's summed weighted square of
    the shape (its signal-to-noise is ``scale[b] sqrt(norm[b])``).
    """
    scale = np.ones(n_bands)
    for _ in range(MAX_ITERATIONS):
        coef = _shape_coefficients(y, dy, harmonics, scale[bands])
        raw, norm = _band_scales(y, w, harmonics @ coef, bands, n_bands)
        if not (np.isfinite(raw[ref]) and raw[ref] > 0):
            return None
        new = raw / raw[ref]
        done = np.max(np.abs(new - scale)) < TOLERANCE
        scale = new
        if done:
            break
    # the shape in the units of the reference band's last scale
    return coef * raw[ref], scale, norm


def _level_correction(means, coef, order, y_range):
    """Weighted mean of the shared shape over each group's points (0 where not determined).

    The groups' weighted means contain the mean of the variation over each
    group's phases, which differs between sparsely sampled bands; adding it
    back puts every group on the level of the shape's zero mean over the
    cycle. Where the shape's peak-to-peak over the cycle exceeds the range
    of the data (the phases of a group nearly coincide at this period, so
    the data do not determine it) the correction is 0.
    """
    grid = np.empty((2 * order + 1, 256))
    fill_tp_basis(np.arange(256) / 256.0, order, grid)
    if np.ptp(grid[1:].T @ coef) > y_range:
        return np.zeros(means.shape[0])
    return means @ coef


def _plain(lc):
    """The bands at their medians, no scales (:meth:`navfit.LightCurve.pooled`)."""
    return lc.pooled(), dict.fromkeys(lc.bands, 1.0)


def scaled_pool(lc, period, order=SHAPE_ORDER):
    """Every band of ``lc`` as one band, at ``period``, on the reference band's scale.

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
        ``(y - level) / scale`` (levels of the shared shape's zero mean over
        the cycle, :func:`_level_correction`) and, where ``lc`` has errors,
        errors ``dy / scale`` (without errors the fits take equal weights, as
        for ``lc``). With too few points for the shape, no variation in the
        reference band or no other band's scale significant, it is
        :meth:`~navfit.LightCurve.pooled`: each band and series at its
        median (which a few eclipse points do not move), no scales.
    scales : dict
        Band name -> scale used (1 where the fitted scale is not significant).
        The reference band (scale 1 by definition) is the band whose
        variation has the highest signal-to-noise.
    """
    _, groups = np.unique(lc.band_index * len(lc.series) + lc.series_index, return_inverse=True)
    n_groups = int(groups.max()) + 1
    bands, n_bands = lc.band_index, len(lc.bands)
    order = int(min(order, max(0, (lc.n - n_groups - n_bands - 1) // 2)))
    if order < 1:
        return _plain(lc)
    w = lc.dy**-2
    level = np.bincount(groups, weights=w * lc.y) / np.bincount(groups, weights=w)
    y = lc.y - level[groups]
    harmonics, means = _centred_harmonics(lc, period, order, groups, n_groups, w)
    first = int(np.argmax(np.bincount(bands, minlength=n_bands)))
    fit = _alternate(y, lc.dy, w, harmonics, bands, n_bands, first)
    if fit is None:
        return _plain(lc)
    coef, scale, norm = fit
    snr = np.where(scale > 0, scale * np.sqrt(norm), -np.inf)
    ref = int(np.argmax(snr))
    coef, scale = coef * scale[ref], scale / scale[ref]
    error = _scale_errors(y, lc.dy, harmonics, bands, scale, coef, ref, n_groups)
    significant = scale > MIN_SCALE_SIGMA * error
    significant[ref] = True
    if not significant.sum() > 1:
        return _plain(lc)  # nothing to scale: the medians are robust to a few eclipse points
    used = np.where(significant, scale, 1.0)
    y = y + scale[bands] * _level_correction(means, coef, order, np.ptp(lc.y))[groups]
    errors = lc.dy / used[bands] if lc.dy_given else None
    return lc.pooled(y / used[bands], errors), {
        name: float(used[b]) for b, name in enumerate(lc.bands)
    }


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
        ``bic_reference`` (the better of the TP and the NAV at ``period``;
        the dict is empty when neither can be fitted), ``bic_eclipse`` and
        ``period_eclipse`` of the best eclipse fit (when one was made), and,
        only when the period is replaced, ``trials``: a Table (``period``,
        ``model``, ``bic``) of every fit made, all on ``pooled``, whose BIC
        weights (times ``1 - FAP``) give the period's confidence
        (:func:`navfit.decide`), and
        ``double``: whether the new period is the double of ``period`` (the
        question ``P`` or ``2P`` then answered by these fits).
    """
    trials = [("TP", _tp(pooled, period)), ("NAV", nav_or_none(pooled, period))]
    made = [f.bic for _, f in trials if f is not None]
    if not made:
        return None, {}
    reference = min(made)
    fits = [f for f in (nav_or_none(pooled, q) for q in eclipse_periods) if f is not None]
    info = {"bic_reference": float(reference)}
    if not fits:
        return None, info
    best = min(fits, key=lambda f: f.bic)
    info.update(bic_eclipse=float(best.bic), period_eclipse=float(best.period))
    span = pooled.time_span

    def multiple(longer, shorter):
        return round(longer / shorter) <= 4 and bool(multiples_of(longer, shorter, span))

    if best.bic >= reference - BIC_STRONG or (
        round(best.period / period) == 1 and multiple(best.period, period)
    ):
        return None, info
    half = nav_or_none(pooled, 0.5 * best.period)
    fits += [half] if half is not None else []

    # the best fit established the eclipses; a shorter period within BIC_STRONG of it
    # describes them as well, and more simply
    close = [f for f in fits if f.bic <= best.bic + BIC_STRONG and multiple(best.period, f.period)]
    trials += [("NAV", f) for f in fits]
    rows = [(float(f.period), model, float(f.bic)) for model, f in trials if f is not None]
    info["trials"] = Table(rows=rows, names=("period", "model", "bic"))
    chosen = float(min(close, key=lambda f: f.period).period)
    info["double"] = round(chosen / period) == 2 and multiple(chosen, period)
    return chosen, info
