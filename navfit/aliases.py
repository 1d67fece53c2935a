"""One-day aliases among the candidate periods, set apart by a robust BIC.

Nightly sampling from one site makes every frequency ``f`` reappear at
``f +- 1`` and ``f +- 2`` cycles per day with nearly the same power, and the
search scores every candidate by the BIC of its optimal TP, a least-squares
fit. Both :func:`navfit.find_period` searches (one band,
:func:`navfit.period_search._candidate_table`; several bands,
:mod:`navfit.period_search_multiband`) then settle every pair of aliases
near the best score by :func:`alias_contrast`: the BIC difference of the two
periods, each fitted at its own order, with a robust likelihood.

Survey photometry has outliers that no periodic model fits: a night's bad
calibration (on Stripe 82 all five bands of one visit lie 5-10 robust sigma
off at the catalogue period and fit at its alias), cosmic rays, blends. Under
least squares two such points can decide a pair of aliases that the other
fifty points separate the other way. The contrast therefore measures the
residuals in units of a robust scale (1.4826 times the median absolute residual) and sums
Huber's loss, which is quadratic near zero and linear beyond ``HUBER_C``
scales: the negative log-likelihood of Huber's least-favourable distribution,
Gaussian in the core and exponential in the tails (Huber 1964; Huber &
Ronchetti 2009, *Robust Statistics*, §4.5).
"""

from __future__ import annotations

import numpy as np

from ._checks import fit_errors
from .errors import NavfitError
from .lsq import solve_linear
from .models.tp import MAX_CONDITION, tp_design

__all__ = [
    "ALIAS_STEPS",
    "ALIAS_TOLERANCE",
    "HUBER_C",
    "MIN_RESIDUAL_DOF",
    "alias_contrast",
    "huber_loss",
    "settle_aliases",
]

#: Residual degrees of freedom a band keeps in a comparison of fits (CLASSIFY §6.6:
#: ``n - p >= ~20``): :func:`alias_contrast` leaves out the bands that cannot keep them,
#: :func:`~navfit.period_search_multiband.multiple_test` lowers its order until they do.
MIN_RESIDUAL_DOF = 20
#: One-day aliases: candidate frequencies ``k`` cycles per day apart (``k`` in ALIAS_STEPS)
#: within ALIAS_TOLERANCE (cycles per day), which spans nightly sampling on the solar
#: (1.0) and the sidereal (1.0027) day.
ALIAS_STEPS = (1.0, 2.0)
ALIAS_TOLERANCE = 0.005
#: Huber's tuning constant in robust scales: 95 % efficiency at the normal distribution
#: (Holland & Welsch 1977; Huber & Ronchetti 2009, §4.5), the customary choice.
HUBER_C = 1.345
#: Robust scale of normal residuals from their median absolute value.
_MAD_TO_SIGMA = 1.482602218505602


def huber_loss(z, c=HUBER_C):
    r"""Huber's loss of standardized residuals.

    .. math::

        \rho_c(z) = \begin{cases} z^2 & |z| \le c \\ 2 c |z| - c^2 & |z| > c \end{cases}

    (twice Huber's usual ``rho``, so that ``rho(z) = z**2`` in the core and a
    sum of it is on the scale of a chi-square).

    Parameters
    ----------
    z : array_like
        Residuals in units of their scale.
    c : float
        Where the loss turns from quadratic to linear.

    Returns
    -------
    ndarray
    """
    a = np.abs(np.asarray(z, dtype=float))
    return np.where(a <= c, a * a, 2.0 * c * a - c * c)


def _residuals(band_lc, period, order):
    """Weighted residuals of the TP of ``order`` at ``period`` in one band (``None`` if degenerate)."""
    XT = tp_design(band_lc, period, order)
    dy = fit_errors(band_lc)
    try:
        sol = solve_linear(XT, band_lc.y, dy, transposed=True)
    except NavfitError:
        return None
    if sol.condition > MAX_CONDITION:
        return None
    r = band_lc.y - sol.params @ XT
    return r if dy is None else r / dy


def alias_contrast(curves, period_1, period_2, order_1, order_2=None):
    r"""Robust BIC difference of two periods, each fitted at its order (negative: ``period_1`` wins).

    In each band ``b`` the two periods are fitted by least-squares TPs of
    orders ``s_1`` and ``s_2`` (``2 s + 1`` parameters each). Their weighted
    residuals ``r`` are measured in one scale for the band, the smaller of the
    two fits' robust scales ``\sigma_b = 1.4826\,\mathrm{median}|r|`` (the
    residuals of a fit with a constant term are centred on zero; survey
    errors are too small, and differently so per band; CLASSIFY §4: sigma
    from the residuals), and

    .. math::

        \Delta = \sum_b \Big[\sum_i \rho_c(r^{(1)}_{bi} / \sigma_b)
                  - \rho_c(r^{(2)}_{bi} / \sigma_b) + 2 (s_1 - s_2) \ln n_b\Big]

    with Huber's loss :func:`huber_loss`: the BIC difference of the two
    periods (Schwarz 1978; CLASSIFY §5: non-nested models by their
    likelihood and their parameter counts) with the Gaussian likelihood
    replaced by Huber's least-favourable distribution (module docstring),
    evaluated at the least-squares coefficients. Points within ``HUBER_C``
    scales of both fits count as in a chi-square; a point far off under both
    counts by the difference of its distances, not of their squares. Since
    the robust scale is below the residuals' rms wherever there are
    outliers, ``|Delta|`` runs somewhat larger than the Gaussian BIC
    difference of the same fits; it only sets how far the loser's score is
    raised.

    Each period keeps its own order: forcing the higher order on both lets
    the harmonics of the wrong period absorb the signal of the right one
    (the fourth harmonic of a 0.75 d alias is the 2-day alias of a 0.3 d
    sinusoid). Bands that cannot fit the larger order and keep
    :data:`MIN_RESIDUAL_DOF` residual degrees of freedom are left out.

    Parameters
    ----------
    curves : list of LightCurve
        One-band light curves (one for a one-band search,
        :func:`~navfit.band_selection.band_curves` for several).
    period_1, period_2 : float
        The two periods (days).
    order_1, order_2 : int
        TP orders of the two fits (at least 1); ``order_2`` defaults to ``order_1``.

    Returns
    -------
    float
        ``Delta``; 0 when no band can be compared.
    """
    s1 = int(order_1)
    s2 = s1 if order_2 is None else int(order_2)
    if min(s1, s2) < 1:
        raise ValueError(f"TP orders must be at least 1, got {order_1} and {order_2}")
    delta = 0.0
    for c in curves:
        if c.n - (2 * max(s1, s2) + 1) < MIN_RESIDUAL_DOF:
            continue
        r1, r2 = _residuals(c, period_1, s1), _residuals(c, period_2, s2)
        if r1 is None or r2 is None:
            continue
        scale = _MAD_TO_SIGMA * min(np.median(np.abs(r1)), np.median(np.abs(r2)))
        if not scale > 0:
            continue
        fit = np.sum(huber_loss(r1 / scale) - huber_loss(r2 / scale))
        delta += float(fit + 2 * (s1 - s2) * np.log(c.n))
    return delta


def settle_aliases(curves, scores, window):
    """Scores of one-day alias pairs set apart by :func:`alias_contrast`.

    For every pair of candidates within ``window`` of the best score whose
    frequencies differ by ``k`` in :data:`ALIAS_STEPS` (to
    :data:`ALIAS_TOLERANCE`), the one that loses by the robust BIC
    difference at their own orders scores at least the other's score plus
    ``|Delta|`` (CLASSIFY §6, one-day aliases). Pairs of which one
    frequency is within ``k`` :data:`ALIAS_TOLERANCE` of ``k`` times the
    other (``k >= 2``) are skipped: the nested pairs (0.25 d and 0.5 d, two
    cycles per day apart), which
    :func:`navfit.period_candidates.photometric_pick` decides, and with them
    every alias pair of a period beyond about 10 d (20 d and 0.952 d: 1.05
    is 21 times 0.05 to within 0.105), which the BIC decides alone. Settling
    those too lost a 10.1 d detached binary of the survey
    (ASAS_210608-0028.9): the robust loss treats the few points in a narrow
    eclipse as outliers of a TP. Every
    pair is judged on the scores as they came in.

    Parameters
    ----------
    curves : list of LightCurve
        The light curves :func:`alias_contrast` fits.
    scores : ndarray, shape (n, 3)
        ``(bic, order, period)`` of every candidate.
    window : float
        Pairs are examined when both are within this of the lowest BIC.

    Returns
    -------
    ndarray, shape (n, 3)
        A copy of ``scores`` with the losers' BIC raised.
    """
    out = scores.copy()
    freq = 1.0 / scores[:, 2]
    near = np.flatnonzero(scores[:, 0] <= scores[:, 0].min() + window)
    for a, i in enumerate(near):
        for j in near[a + 1 :]:
            gap = abs(freq[i] - freq[j])
            if min(abs(gap - k) for k in ALIAS_STEPS) > ALIAS_TOLERANCE:
                continue
            lo, hi = sorted((freq[i], freq[j]))
            m = round(hi / lo)
            if abs(hi - m * lo) <= m * ALIAS_TOLERANCE:
                continue
            orders = max(1, int(scores[i, 1])), max(1, int(scores[j, 1]))
            delta = alias_contrast(curves, scores[i, 2], scores[j, 2], *orders)
            if delta == 0.0:
                continue
            win, lose = (i, j) if delta < 0 else (j, i)
            out[lose, 0] = max(out[lose, 0], scores[win, 0] + abs(delta))
    return out
