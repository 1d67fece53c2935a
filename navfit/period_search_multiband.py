"""Candidate scoring of :func:`navfit.find_period` on a multi-band light curve.

A multi-band light curve shares its period (and phase) across bands while
levels, amplitudes and shapes change with colour. The search of
:func:`navfit.find_period` then differs from the one-band search in three
places, all kept here:

1. The TP(2) periodogram is the shared-phase multi-band periodogram
   (:class:`navfit.Periodogram` of the whole light curve, order 2); the
   eclipse periodogram runs on the best-sampled band (:func:`navfit.band_selection.best_band`).
2. Each candidate is refined by a TP fit with the period free in the
   best-sampled band, replaced by the shorter period it is a multiple of
   when its extra harmonics fail a joint nested F-test with errors rescaled
   per band and bands observed at one visit counted by their design effect
   (:func:`established_period`, :func:`multiple_test`,
   :func:`design_effect`; CLASSIFY §4-6), and scored by the *joint* BIC
   (:func:`joint_bic`): a TP with a shared period, coefficients per band and one order chosen jointly (the
   sum over bands of each band's BIC at that order, limited to three points
   per parameter in each band; each band's BIC takes its sigma from the
   residuals, ``n ln(chi2/n)``). One-day aliases among the candidates are
   then set apart by a joint BIC difference with a robust likelihood
   (:func:`navfit.aliases.alias_contrast`).
3. The decision between ``P`` and ``2P``, the model and the type is made
   on the best-sampled band's evidence (:func:`navfit.evidence.gather_evidence`),
   or on every band pooled with a scale per band where no band has points
   enough (:func:`navfit.pooling.scaled_pool`).
"""

from __future__ import annotations

import numpy as np

from ._checks import fit_errors
from .aliases import MIN_RESIDUAL_DOF, settle_aliases
from .band_selection import POOL_BELOW, band_curves, best_band
from .criteria import f_test_pvalue, fit_statistics
from .errors import InputError, NavfitError
from .lsq import solve_linear
from .models.tp import (
    MAX_CONDITION,
    bic_by_order,
    bic_order,
    order_limit,
    refine_period,
    tp_design,
)
from .models.tp_multiband import joint_order

__all__ = [
    "MULTIPLES",
    "MULTIPLE_ALPHA",
    "VISIT_WINDOW",
    "design_effect",
    "established_period",
    "joint_bic",
    "joint_scores",
    "multiband_setup",
    "multiple_test",
]

#: Multiples ``m`` of a shorter period that a candidate ``Q`` must beat (``Q`` against
#: ``Q / m``): the doubles and fourfolds of sparse multi-year data (CLASSIFY §4, VanderPlas &
#: Ivezic 2015) and the triples the search adds as candidates.
MULTIPLES = (4, 3, 2)
#: Significance the odd harmonics of ``Q`` over ``Q / m`` must reach, for all
#: ``MULTIPLES`` together (CLASSIFY §5-6: ``p ~ 0.001``, divided by the multiples tried).
MULTIPLE_ALPHA = 1e-3
#: Points of different bands within this many days are one visit (:func:`design_effect`):
#: SDSS's ugriz drift scan takes 5 minutes; ZTF's g and r visits are 30 minutes or more apart.
VISIT_WINDOW = 0.01


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
        One-band light curves (:func:`~navfit.band_selection.band_curves`).
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
    bic, order = joint_order(tables)
    return bic + constant, order


def _refined(best, period, span):
    """The period refined by a TP fit with the period free in the best-sampled band.

    Kept only when it moves by less than a quarter of a cycle over the data
    (as in the one-band search).
    """
    try:
        _, order = bic_order(best, period, order_limit(best.n))
        refined = refine_period(best, period, min(order, 15))
    except NavfitError:
        return float(period)
    if abs(refined - period) < 0.25 * period**2 / span:
        return float(refined)
    return float(period)


def _nested_chi2(band_lc, period, m, order):
    """Chi-square of TP(``m * order``, ``period``) and of its sub-model TP(``order``, ``period / m``).

    The harmonics ``j m / period`` (``j = 1..order``) of the larger model are
    the harmonics ``j / (period / m)`` of the smaller one, so the two fits are
    nested exactly (CLASSIFY §5). Returns ``(chi2 small, chi2 large, weighted
    residuals of the large fit)``; ``None`` when either design is degenerate
    (condition above :data:`navfit.models.tp.MAX_CONDITION`).
    """
    XT = tp_design(band_lc, period, m * order)
    rows = [0] + [2 * j * m + r for j in range(1, order + 1) for r in (-1, 0)]
    dy = fit_errors(band_lc)
    try:
        big = solve_linear(XT, band_lc.y, dy, transposed=True)
        small = solve_linear(np.ascontiguousarray(XT[rows]), band_lc.y, dy, transposed=True)
    except NavfitError:
        return None
    if max(big.condition, small.condition) > MAX_CONDITION:
        return None
    residuals = band_lc.y - big.params @ XT
    return small.chi2, big.chi2, residuals if dy is None else residuals / dy


def multiple_test(curves, period, m, order):
    r"""Joint nested F-test of a TP at ``period`` against the TP at ``period / m``.

    In each band ``b`` the TP of order ``m s`` at ``period`` contains the TP of
    order ``s`` at ``period / m`` (CLASSIFY §5); the extra ``2 s (m - 1)``
    harmonics per band are those a multiple adds. The errors of each band are
    rescaled by its residual scatter in the larger fit,
    ``\sigma_b^2 = \chi^2_{b,m s} / (n_b - k_b)`` (SDSS errors are too small,
    and differently so in each band; CLASSIFY §4: sigma from the residuals), and

    .. math::

        F = \frac{\sum_b (\chi^2_{b,s} - \chi^2_{b,ms}) / \sigma_b^2}{\sum_b 2 s (m - 1)}
        \sim F\Big(\sum_b 2 s (m - 1),\ \sum_b (n_b - k_b)\Big).

    ``k_b = 2 m s + 1`` is the larger model's parameters in band ``b``. The
    order ``s`` is lowered until every band tested keeps
    :data:`~navfit.aliases.MIN_RESIDUAL_DOF` residual degrees of freedom, ``n_b - k_b``
    (CLASSIFY §6.6); bands too small even for ``s = 1`` are left out.

    Both degrees of freedom are divided by the design effect of the larger
    fit's residuals (:func:`design_effect`): bands observed at one visit share
    the residuals of that moment and their chi-squares count as fewer
    independent ones (``F`` itself is unchanged). Without it, five Stripe 82
    bands whose residuals correlate at 0.9 passed a 1 % test for 8.5 % of
    simulated stars with no odd-even difference.

    Parameters
    ----------
    curves : list of LightCurve
        One-band light curves (:func:`~navfit.band_selection.band_curves`).
    period : float
        The longer period (days).
    m : int
        The multiple: the shorter period is ``period / m``.
    order : int
        TP order ``s`` at ``period / m`` (before the limit above).

    Returns
    -------
    tuple or None
        ``(F, p_value, dof_extra, dof_residual)``, the degrees of freedom after the
        design effect; ``None`` when no band can be tested.

    References
    ----------
    Fisher's variance-ratio test of nested least-squares models (e.g. Bevington & Robinson
    2003, *Data Reduction and Error Analysis*, ch. 11); CLASSIFY §5 of the nesting.
    """
    room = [c.n - 1 - MIN_RESIDUAL_DOF for c in curves]
    usable = [j for j, r in enumerate(room) if r >= 2 * m]
    if not usable or order < 1:
        return None
    s = min(order, min(room[j] // (2 * m) for j in usable))
    excess, extra, dof = 0.0, 0, 0
    times, residuals = [], []
    for j in usable:
        c = curves[j]
        chi2 = _nested_chi2(c, period, m, s)
        if chi2 is None:
            continue
        k_big = 2 * m * s + 1
        scale2 = chi2[1] / (c.n - k_big)
        if scale2 <= 0:
            continue
        excess += (chi2[0] - chi2[1]) / scale2
        extra += 2 * s * (m - 1)
        dof += c.n - k_big
        times.append(c.t)
        residuals.append(chi2[2] / np.sqrt(scale2))
    if extra == 0:
        return None
    deff = design_effect(times, residuals)
    F, p = f_test_pvalue((dof + excess) / deff, dof / deff, 0, extra / deff, (dof + extra) / deff)
    return float(F), float(p), extra / deff, dof / deff


def design_effect(times, residuals, window=None):
    r"""Design effect of residuals shared by the bands of one visit, for a chi-square over bands.

    Bands observed at one visit (points within ``window`` days of each other,
    :data:`VISIT_WINDOW` by default: SDSS takes u, g, r, i, z within five
    minutes) share whatever the model leaves out at that moment: a Blazhko
    modulation or a period change of an RR Lyrae star, the night's
    calibration. Their residuals are then correlated, and the bands are not
    independent evidence for a pattern in time such as an odd-even
    difference at ``2P``. With ``s_{vb}`` the sum of the normalised residuals
    of band ``b`` in visit ``v`` and ``m_{vb}`` their number, the correlation
    between bands within a visit is estimated from the pairs of points of
    *different* bands,

    .. math::

        \rho = \frac{\sum_v \left[(\sum_b s_{vb})^2 - \sum_b s_{vb}^2\right]}
                    {\sum_v \left[(\sum_b m_{vb})^2 - \sum_b m_{vb}^2\right]},

    and with ``k_v`` the number of bands a visit holds and ``\bar k = \sum_v
    k_v^2 / \sum_v k_v``, the design effect of a chi-square summed over the
    bands is ``1 + (\bar k - 1) \rho^2`` (``rho`` clipped to [0, 1]): ``k``
    unit normal projections correlated at ``rho`` have squares of variance
    ``2 k (1 + (k - 1) rho^2)``, so their sum counts as ``k / (1 + (k - 1)
    rho^2)`` degrees of freedom (Satterthwaite 1946, Biometrics 2, 110; the
    correction of chi-square tests for clustered samples of Rao & Scott 1981,
    JASA 76, 221; Kish's ``1 + (k - 1) rho`` is that of a mean). It is at
    most the number of bands. Points of one band close in time are not
    counted as a cluster (the F-test's own assumption for one band), so dense
    sampling in one band does not raise it. It is 1 when no two bands share a visit (ZTF,
    LSST). Measured on the Stripe 82 RR Lyrae of the development set: the
    residuals of a TP at the catalogue period correlate at 0.85-0.95 between
    bands for stars with Blazhko-like residuals.

    Parameters
    ----------
    times, residuals : list of ndarray
        Per band: the times and the residuals divided by their scatter.
    window : float, optional
        Largest time difference (days) between consecutive points of one visit.

    Returns
    -------
    float
        At least 1.
    """
    window = VISIT_WINDOW if window is None else window
    if not times:
        return 1.0
    t = np.concatenate(times)
    r = np.concatenate(residuals)
    band = np.concatenate([np.full(len(x), b) for b, x in enumerate(times)])
    finite = np.isfinite(t) & np.isfinite(r)
    if np.count_nonzero(finite) < 2:
        return 1.0
    order = np.argsort(t[finite], kind="stable")
    t, r, band = t[finite][order], r[finite][order], band[finite][order]
    visit = np.concatenate([[0], np.cumsum(np.diff(t) > window)])
    # per (visit, band): sums and counts of the residuals
    cell = visit * len(times) + band
    cells, index = np.unique(cell, return_inverse=True)
    s_vb = np.bincount(index, weights=r)
    m_vb = np.bincount(index).astype(float)
    v_of_cell = cells // len(times)
    s_v = np.bincount(v_of_cell, weights=s_vb)
    m_v = np.bincount(v_of_cell, weights=m_vb)
    k_v = np.bincount(v_of_cell)
    pairs = float(np.sum(m_v**2) - np.sum(m_vb**2))
    if pairs <= 0:  # no visit holds two bands
        return 1.0
    cross = float(np.sum(s_v**2) - np.sum(s_vb**2))
    rho = min(max(cross / pairs, 0.0), 1.0)
    k_bar = float(np.sum(k_v**2) / np.sum(k_v))
    return 1.0 + (k_bar - 1.0) * rho**2


def established_period(curves, period, best, span, f_max=np.inf):
    """The shortest ``P = Q / m`` of which the candidate ``Q`` is not a significant multiple.

    A candidate ``Q`` found on sparse data is often a multiple of the signal
    period: TP(s, P) is nested in TP(m s, m P), so chi-square, and a BIC with
    errors that are too small, favour ``m P`` (CLASSIFY §4). For each ``m`` in
    :data:`MULTIPLES` (largest first) the period ``P`` near ``Q / m`` is refined
    in the best-sampled band (:func:`_refined`) and ``m P`` is tested against
    ``P`` by the joint nested F-test (:func:`multiple_test`) at the joint BIC
    order at ``P`` (:func:`joint_bic`); ``Q`` stands only when every test
    passes at ``MULTIPLE_ALPHA / len(MULTIPLES)`` (CLASSIFY §6.2: step to 2P or
    4P only if the odd harmonics pass at ``p ~ 0.001``, alpha divided by the
    multiples tried), and is otherwise ``P`` of the first ``m`` that fails,
    itself established in the same way. A binary with unequal minima keeps
    ``Q`` (its odd harmonics are real).

    Parameters
    ----------
    curves : list of LightCurve
        One-band light curves (:func:`~navfit.band_selection.band_curves`).
    period : float
        Candidate period ``Q`` (days).
    best : LightCurve
        The best-sampled band (where periods are refined).
    span : float
        Time span of the whole light curve (days).
    f_max : float
        Highest frequency searched: a ``Q / m`` above it is not considered.

    Returns
    -------
    period : float
    m : int
        ``Q / period`` (rounded): 1 when ``Q`` stands.
    """
    alpha = MULTIPLE_ALPHA / len(MULTIPLES)
    for m in MULTIPLES:
        if m / period > f_max:
            continue
        base = _refined(best, period / m, span)
        order = joint_bic(curves, base)[1]
        test = multiple_test(curves, m * base, m, order)
        if test is not None and test[1] > alpha:
            # the shorter period may itself be a multiple (4P reached through 2P)
            shorter, k = established_period(curves, base, best, span, f_max)
            return shorter, m * k
    return period, 1


def joint_scores(curves, best_index, grid_freqs, span, *, screen_order, screen_window):
    """``(joint bic, joint order, period)`` of every candidate (module docstring, step 2).

    Each candidate's period is refined (:func:`_refined`) and replaced by the
    shorter period it is a multiple of unless its extra harmonics are
    significant (:func:`established_period`); the joint BIC is then that of
    the period kept, except that the loser of a pair of one-day aliases
    scores at least the winner's BIC plus their robust BIC difference
    (:func:`navfit.aliases.alias_contrast`), for the pairs within
    ``screen_window`` of the best score in both methods.

    Parameters
    ----------
    curves : list of LightCurve
        One-band light curves (:func:`~navfit.band_selection.band_curves`).
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
    f_max = float(np.max(grid_freqs)) * 1.001
    periods = [
        established_period(curves, _refined(best, 1.0 / f, span), best, span, f_max)[0]
        for f in grid_freqs
    ]
    scores = np.empty((len(periods), 3))
    for j, p in enumerate(periods):
        bic, order = joint_bic(curves, p, screen_order)
        scores[j] = bic, order, p
    if screen_order is None:
        return settle_aliases(curves, scores, screen_window)
    keep = scores[:, 0] <= scores[:, 0].min() + screen_window
    if any(order_limit(c.n) > screen_order for c in curves):
        for j in np.flatnonzero(keep):
            scores[j, :2] = joint_bic(curves, scores[j, 2])
    # candidates left out cannot be the best: keep them last in the BIC ranking
    scores[~keep, 0] = np.maximum(scores[~keep, 0], scores[keep, 0].max() + screen_window)
    return settle_aliases(curves, scores, screen_window)


def multiband_setup(lc):
    """Best-sampled band and the joint scoring's bands of a multi-band light curve.

    Returns
    -------
    best : LightCurve
        The best-sampled band (the decision's light curve), or all bands
        pooled when that band has fewer than
        :data:`~navfit.band_selection.POOL_BELOW` points.
    joint : tuple
        ``(band curves, index of best in them)`` for :func:`navfit.period_search._candidate_table`.
    """
    best = lc.select(best_band(lc))
    curves = band_curves(lc)
    if best.n < POOL_BELOW and lc.n > best.n:
        # survey cadences with one band per epoch: no band carries the decision's
        # NAV fit alone, all of them together do (each moved to a common level)
        pooled = lc.pooled()
        if pooled.n < 12:
            raise InputError(f"{lc.where}: {pooled.n} points are too few for a period search")
        if not curves:  # no band has enough points to be scored: the pooled ones are
            return pooled, ([pooled], 0)
        scored = [c.bands[0] for c in curves]
        best_name = best.bands[0]
        return pooled, (curves, scored.index(best_name) if best_name in scored else 0)
    if best.n < 12:
        raise InputError(
            f"{lc.where}: the best-sampled band ({best.bands[0]}) has {best.n} points, too few "
            "for a period search (at least 12)"
        )
    index = [c.bands[0] for c in curves].index(best.bands[0])
    return best, (curves, index)
