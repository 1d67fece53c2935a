r"""Trigonometric-polynomial (TP) fits with the statistically optimal order.

.. math::

    x_C(\varphi) = c_0 + \sum_{j=1}^{s} \left[a_j \cos(2\pi j\varphi)
                  + b_j \sin(2\pi j\varphi)\right], \qquad
    \varphi = (t - t_\mathrm{ref})/P

with ``k = 2s + 1`` parameters, ``+1`` when the period is fitted (the epoch is
absorbed in the harmonic phases). References: Andronov (1994, OAP 7, 49;
2003, ASPC 292, 391) for the statistically optimal degree; NAV_SPEC §4.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from .._checks import (
    check_count,
    check_lightcurve,
    check_period,
    check_phased_fit,
    fit_errors,
    one_band,
)
from .._kernels.basis import fill_tp_basis
from .._kernels.models import TP_FREE_PERIOD
from ..criteria import CURVE_PHASES, f_test_pvalue, fit_statistics, leaves_data_range
from ..errors import NavfitError
from ..lightcurve import LightCurve
from ..lsq import levenberg_marquardt, prefix_condition, solve_linear
from ..results import FitResult
from ..tp_params import tp_names
from .tp_derived import extremum_time, tp_derived

__all__ = [
    "CRITERIA",
    "DEFAULT_CRITERION",
    "MIN_POINTS_PER_PARAMETER",
    "bic_by_order",
    "bic_order",
    "fit_tp",
    "order_limit",
    "refine_period",
    "select_order",
    "supported_order",
    "tp_design",
    "tp_names",
    "usable_order",
]

#: Order-selection criteria known to :func:`select_order`.
CRITERIA = ("andronov", "aic", "aicc", "bic", "ftest")
#: BIC is the default. Andronov's minimum of ``sigma0*sqrt(k/n)`` only measures the
#: statistical error of the curve, not its bias: on noisy eclipsers it stops at s = 1
#: (AAVSO visual Algol and HATSouth HAT-772-0554686 both give s = 1, where BIC gives 12
#: and 13 and the residual sigma0 keeps falling to s ~ 20). BIC is consistent, penalises
#: harmonics less than Andronov's criterion for small k but more than AIC, and is the
#: statistic ``compare`` uses for NAV against TP. All five are reported.
DEFAULT_CRITERION = "bic"
#: Highest order considered by default (NAV_SPEC §4.2).
MAX_ORDER = 60
#: At least this many points per parameter when TP orders are compared across trial
#: periods (:func:`order_limit`).
MIN_POINTS_PER_PARAMETER = 3
#: Highest order :func:`order_limit` allows.
MAX_LIMITED_ORDER = 40
#: Design matrices whose equilibrated condition number exceeds this are not used.
MAX_CONDITION = 1e10


def order_limit(n: int) -> int:
    """Highest TP order ``n`` points support when orders are compared across periods.

    ``2s + 1 <= n / 3`` (three points per parameter), at most
    :data:`MAX_LIMITED_ORDER`. On sparse data an unlimited BIC choice rewards a
    TP at a multiple of the period that passes through the points (TP(s, P)
    is nested in TP(2s, 2P), and ``n ln(chi2/n)`` diverges as ``k -> n``;
    CLASSIFY §4). On the 98 Stripe 82 RRab of the survey development set the
    catalogue period is the shortest candidate within 10 in BIC of the best
    for 94 % of the stars with this limit, 49 % without one and 85 % with
    ``n - k >= 20`` (our measurement, ``bench/survey.py``).

    Examples
    --------
    >>> order_limit(55), order_limit(100), order_limit(10_000)
    (8, 16, 40)
    """
    return int(max(1, min(MAX_LIMITED_ORDER, (n // MIN_POINTS_PER_PARAMETER - 1) // 2)))


def _t_ref(lc: LightCurve) -> float:
    return 0.5 * (lc.t[0] + lc.t[-1])


def _design(lc, period, order, t_ref):
    XT = np.empty((2 * order + 1, lc.n))
    fill_tp_basis((lc.t - t_ref) / period, order, XT)
    return XT


def tp_design(lc: LightCurve, period: float, order: int) -> np.ndarray:
    r"""Transposed design matrix of the TP of ``order`` at ``period``, shape ``(2 order + 1, n)``.

    Rows ``1, cos(2 pi k phi), sin(2 pi k phi)`` for ``k = 1..order``, with the
    phase ``phi = (t - t_ref) / period`` counted from the middle of the time
    span, ``t_ref = (t_0 + t_{n-1}) / 2``, the reference of :func:`fit_tp` (a
    centred phase keeps the design well conditioned on long spans).

    Examples
    --------
    >>> import numpy as np
    >>> from navfit import LightCurve
    >>> lc = LightCurve(np.arange(5.0), np.arange(5.0), np.ones(5))
    >>> X = tp_design(lc, 4.0, 1)
    >>> X.shape
    (3, 5)
    >>> bool(np.allclose(X[1], np.cos(2 * np.pi * (lc.t - 2.0) / 4.0)))
    True
    """
    return _design(lc, period, int(order), _t_ref(lc))


def _max_order(n: int, max_order, free_period: bool) -> int:
    limit = (n - 3 - int(free_period)) // 2
    if limit < 1:
        raise NavfitError(f"a TP fit needs at least {4 + int(free_period)} points, got {n}")
    if max_order is None:
        return min(MAX_ORDER, limit)
    max_order = int(max_order)
    if max_order < 1:
        raise NavfitError(f"max_order must be >= 1, got {max_order}")
    return min(max_order, limit)


def select_order(
    lc: LightCurve,
    period: float,
    max_order: int | None = None,
    *,
    criterion: str = DEFAULT_CRITERION,
    free_period: bool = False,
    alpha: float = 0.01,
) -> Table:
    """Every selection criterion for TP orders ``s = 1..s_max`` and the order each picks.

    Parameters
    ----------
    lc : LightCurve
    period : float
        Trial period in days.
    max_order : int, optional
        Highest order tried (default ``min(60, (n - 3)//2)``). Orders whose
        design is rank-deficient or worse conditioned than 1e10 on this
        sampling are left out (``meta["max_usable_order"]``).
    criterion : {"andronov", "aic", "aicc", "bic", "ftest"}
        The one recorded as ``meta["order"]`` (all are in ``meta["best"]``),
        lowered where its curve leaves the data's range (:func:`supported_order`;
        the orders left out are ``meta["unsupported_orders"]``).
    free_period : bool
        Count the period as a parameter (``k = 2s + 2``). The scan itself is done
        at the given period.
    alpha : float
        Significance level of the Fisher test.

    Returns
    -------
    astropy.table.Table
        Columns ``order, k, chi2, sigma0, sigma_fit, aic, aicc, bic, f_stat,
        f_pvalue, cond_est``; ``meta``: ``best`` (criterion -> order),
        ``criterion``, ``order``, ``period``, ``max_usable_order``.

    Notes
    -----
    All orders come from a single Householder QR of the ``s_max`` design: the
    chi-square of order ``s`` is the residual of the first ``2s+1`` columns,
    available from the same factorization (see :mod:`navfit._kernels.linalg`).
    Criteria: Andronov's minimum of ``sigma0*sqrt(k/n)``; AIC, AICc, BIC
    (:mod:`navfit.criteria`); the Fisher test raises the order until two
    successive harmonics both have p-values above ``alpha`` (one insignificant
    harmonic is common in eclipsers, e.g. the first harmonic of an EW star with
    equal minima). The default is BIC; see :data:`DEFAULT_CRITERION` for why.
    ``cond_est`` is ``max|R_jj|/min|R_jj|`` of the equilibrated factor, a cheap
    lower bound of the condition number; the usable orders are found with the
    exact condition number (``meta["condition_at_max_order"]``).

    Examples
    --------
    A two-harmonic signal: every criterion finds the two harmonics.

    >>> from navfit.synthetic import tp_lightcurve
    >>> lc, truth = tp_lightcurve([10.0, 0.3, 0.1, 0.05, 0.0], period=0.7, n=400, rng=1)
    >>> table = select_order(lc, 0.7, max_order=6)
    >>> table.meta["best"]
    {'andronov': 2, 'aic': 2, 'aicc': 2, 'bic': 2, 'ftest': 2}
    >>> table["order"].tolist(), table["k"].tolist()
    ([1, 2, 3, 4, 5, 6], [3, 5, 7, 9, 11, 13])
    """
    if criterion not in CRITERIA:
        raise NavfitError(f"criterion must be one of {CRITERIA}, got {criterion!r}")
    one_band(lc, "select_order")
    period = check_period(lc, period)
    s_max = _max_order(lc.n, max_order, free_period)
    t_ref = _t_ref(lc)
    sol = solve_linear(_design(lc, period, s_max, t_ref), lc.y, fit_errors(lc), transposed=True)
    tab = _order_table(lc, period, sol, s_max, criterion, free_period, alpha)
    chosen = tab.meta["order"]
    tab.meta["order"] = supported_order(lc, period, chosen, sol)
    tab.meta["unsupported_orders"] = list(range(tab.meta["order"] + 1, chosen + 1))
    return tab


def supported_order(lc: LightCurve, period: float, order: int, sol=None) -> int:
    """Highest order up to ``order`` whose TP stays near the range of the data.

    The order is lowered until the curve does not leave the data's range by
    more than that range (:func:`navfit.criteria.leaves_data_range`): between
    points with gaps in phase, a TP of high order is free to swing far (a
    Hipparcos Mira: ``Min I`` of 8367 mag from an order of 12 on 98 points).
    Every order's coefficients come from one factorisation
    (:meth:`~navfit.lsq.LSQResult.nested_params`): ``sol`` where given, the
    solve of a TP of at least ``order`` at ``period``.

    Examples
    --------
    >>> from navfit.synthetic import tp_lightcurve
    >>> lc, truth = tp_lightcurve([10.0, 0.3, 0.1, 0.05, 0.0], period=0.7, n=400, rng=1)
    >>> supported_order(lc, 0.7, 8)
    8
    """
    if sol is None or sol.params.size < 2 * order + 1:
        design = _design(lc, period, order, _t_ref(lc))
        sol = solve_linear(design, lc.y, fit_errors(lc), transposed=True)
    phases = _curve_basis(order)
    for s in range(order, 1, -1):
        if not _swings(lc, sol.nested_params(2 * s + 1), s, phases):
            return s
    return 1


def _curve_basis(order):
    """The TP basis up to ``order`` at ``CURVE_PHASES`` phases, shape ``(2 order + 1, CURVE_PHASES)``."""
    phases = np.empty((2 * order + 1, CURVE_PHASES))
    fill_tp_basis(np.arange(CURVE_PHASES) / CURVE_PHASES, order, phases)
    return phases


def _swings(lc, coef, order, phases):
    """Whether the TP of ``order`` (``coef[:2s+1]``, ``phases`` a :func:`_curve_basis`) leaves the data."""
    return leaves_data_range(coef[: 2 * order + 1] @ phases[: 2 * order + 1], lc.y)


def bic_order(lc: LightCurve, period: float, max_order: int) -> tuple[float, int]:
    """BIC and order of the BIC-optimal TP at a fixed period, without the order table.

    The same choice as :func:`select_order` with ``criterion="bic"`` (usable
    orders only, from one QR), for callers that score many trial periods.
    """
    bic = bic_by_order(lc, period, max_order)
    j = int(np.argmin(bic))
    return float(bic[j]), j + 1


def bic_by_order(lc: LightCurve, period: float, max_order: int) -> np.ndarray:
    """BIC of the TP of every usable order ``1..s`` at a fixed period (element ``s - 1``).

    The values :func:`bic_order` minimises, for callers that choose one order
    for several light curves together (the multi-band search).
    """
    period = check_period(lc, period)
    s_max = _max_order(lc.n, max_order, False)
    design = _design(lc, period, s_max, _t_ref(lc))
    sol = solve_linear(design, lc.y, fit_errors(lc), transposed=True)
    s_use, _ = usable_order(sol.R, s_max, cond_full=sol.condition)
    if s_use < 1:
        raise NavfitError(f"{lc.where}: even a first-order TP is degenerate on this sampling")
    m = 2 * np.arange(1, s_use + 1) + 1
    return np.asarray(fit_statistics(sol.rss_prefix[m], lc.n, m)["bic"], dtype=float)


def _order_table(lc, period, sol, s_max, criterion, free_period, alpha):
    rss = sol.rss_prefix
    orders = np.arange(1, s_max + 1)
    m = 2 * orders + 1
    rd = np.abs(np.diag(sol.R))
    cond_est = np.array([rd[:j].max() / max(rd[:j].min(), 1e-300) for j in m])
    s_use, cond_limit = usable_order(sol.R, s_max, cond_full=sol.condition)
    if s_use < 1:
        raise NavfitError(f"{lc.where}: even a first-order TP is degenerate on this sampling")
    orders, m = orders[:s_use], m[:s_use]
    k = m + int(free_period)
    chi2 = rss[m]
    st = fit_statistics(chi2, lc.n, k, float(np.mean(1.0 / lc.dy**2)))
    chi2_prev = np.r_[rss[1], chi2[:-1]]
    k_prev = np.r_[1 + int(free_period), k[:-1]]
    F, p = f_test_pvalue(chi2_prev, chi2, k_prev, k, lc.n)
    tab = Table(
        {
            "order": orders,
            "k": k,
            "chi2": chi2,
            "sigma0": st["sigma0"],
            "sigma_fit": st["sigma_fit"],
            "aic": st["aic"],
            "aicc": st["aicc"],
            "bic": st["bic"],
            "f_stat": F,
            "f_pvalue": p,
            "cond_est": cond_est[: orders.size],
        }
    )
    # Fisher test: the order after which two successive harmonics are insignificant
    insig = p >= alpha
    stop = np.flatnonzero(insig[:-1] & insig[1:])
    best = {"andronov": int(orders[np.argmin(st["sigma_fit"])])}
    best.update({c: int(orders[np.argmin(st[c])]) for c in ("aic", "aicc", "bic")})
    best["ftest"] = max(int(stop[0]), 1) if stop.size else int(orders[-1])
    tab.meta.update(
        {
            "best": best,
            "criterion": criterion,
            "order": best[criterion],
            "period": period,
            "max_usable_order": int(orders[-1]),
            "condition_at_max_order": cond_limit,
            "free_period": free_period,
            "alpha": alpha,
        }
    )
    return tab


def usable_order(R, s_max, n_off=0, cond_full=None):
    """Highest order whose equilibrated design has condition below MAX_CONDITION.

    The design's first ``n_off`` columns are fixed (offsets), then ``c0`` and
    the harmonics; order ``s`` is its leading ``n_off + 2 s + 1`` columns.
    Nested designs have non-decreasing condition numbers (singular values
    interlace), so a bisection over the leading blocks of ``R`` finds it.

    Parameters
    ----------
    R : ndarray
        Triangular factor of the whole design (``n_off + 2 s_max + 1`` columns).
    s_max : int
    n_off : int
    cond_full : float, optional
        Condition of the whole design when already known
        (:attr:`navfit.lsq.LSQResult.condition`).

    Returns
    -------
    order : int
        0 when even the first order is too ill-conditioned.
    condition : float
        That order's condition.
    """
    full = n_off + 2 * s_max + 1
    cond_max = prefix_condition(R, full) if cond_full is None else cond_full
    if cond_max < MAX_CONDITION:
        return s_max, cond_max
    lo, hi = 0, s_max - 1
    cond_lo = 1.0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        c = prefix_condition(R, n_off + 2 * mid + 1)
        if c < MAX_CONDITION:
            lo, cond_lo = mid, c
        else:
            hi = mid - 1
    return lo, cond_lo


def fit_tp(
    lc: LightCurve,
    period: float,
    order="auto",
    *,
    criterion: str = DEFAULT_CRITERION,
    free_period: bool = False,
    max_order: int | None = None,
) -> FitResult:
    """Fit a trigonometric polynomial at a period, with the optimal order by default.

    Parameters
    ----------
    lc : LightCurve
    period : float
        Period in days (starting value when ``free_period``).
    order : int or "auto"
        TP degree ``s``; ``"auto"`` picks it with :func:`select_order` and,
        with ``free_period``, lowers it further where the curve at the refined
        period leaves the data's range as :func:`supported_order` tests it
        (such orders join the table's ``meta["unsupported_orders"]``).
    criterion : {"andronov", "aic", "aicc", "bic", "ftest"}
        Criterion for ``order="auto"`` (default BIC, see :data:`DEFAULT_CRITERION`).
    free_period : bool
        Refine the period by Levenberg-Marquardt with the analytic Jacobian;
        it then counts in ``k`` and has an error.
    max_order : int, optional
        Highest order tried by ``"auto"``.

    Returns
    -------
    FitResult
        Parameters ``c0, a1, b1, ..., period``; ``epoch`` is the time of the
        faintest point of the curve (Min I) in the cycle nearest the middle of
        the data; ``derived`` holds ``max``, ``min1``, ``min2`` (if the curve
        has a significant second minimum) and ``amplitude`` with errors;
        ``info`` has ``order``, ``criterion`` and, for ``"auto"``, the
        selection table.

    Raises
    ------
    NavfitError
        Bad period (not positive, longer than the data span), too few points,
        a degenerate design.

    Examples
    --------
    >>> from navfit.synthetic import tp_lightcurve
    >>> lc, truth = tp_lightcurve([10.0, 0.3, 0.1, 0.05, 0.0], period=0.7, n=400, rng=1)
    >>> fit = fit_tp(lc, 0.7)                  # order chosen by BIC
    >>> fit.label, fit.k
    ('TP(s=2)', 5)
    >>> fit = fit_tp(lc, 0.7, order=2, free_period=True)
    >>> fit.k, abs(fit.params["period"] - 0.7) < 3 * fit.errors["period"]
    (6, True)
    >>> sorted(fit.derived)
    ['amplitude', 'max', 'min1']
    """
    check_lightcurve(lc, "fit_tp")
    one_band(lc, "fit_tp")
    period = check_period(lc, period)
    free_period = check_phased_fit(lc, period, free_period)
    if max_order is not None:
        max_order = check_count(max_order, "max_order", "fit_tp")
    selection = None
    if isinstance(order, str):
        if order != "auto":
            raise NavfitError(f"order must be a positive integer or 'auto', got {order!r}")
        selection = select_order(
            lc, period, max_order, criterion=criterion, free_period=free_period
        )
        order = selection.meta["order"]
    else:
        order = check_count(order, "order", "fit_tp", minimum=int(bool(free_period)))
        k_needed = 2 * order + 1 + int(free_period)
        if lc.n <= k_needed:
            raise NavfitError(
                f"{lc.where}: a TP of order {order} has {k_needed} parameters; "
                f"{lc.n} points are too few"
            )
    t_ref = _t_ref(lc)
    lin, sol = _solve(lc, period, order, t_ref, free_period)
    phases = _curve_basis(order) if selection is not None and free_period else None
    while phases is not None and order > 1 and _swings(lc, sol.params, order, phases):
        # the refined period can let a high-order curve swing out again (supported_order)
        selection.meta["unsupported_orders"].insert(0, order)
        order -= 1
        selection.meta["order"] = order
        lin, sol = _solve(lc, period, order, t_ref, free_period)
    p = np.r_[lin.params, period]
    free = np.r_[np.ones(lin.params.size, bool), free_period]
    names = (*tp_names(order), "period")
    flags = []
    if sol.rank < free.sum():
        flags.append(f"rank-deficient design (rank {sol.rank} < {int(free.sum())})")
    if sol.condition > MAX_CONDITION:
        flags.append(f"ill-conditioned design (condition {sol.condition:.2g})")
    return _build_result(
        lc,
        names,
        np.r_[sol.params[: lin.params.size], sol.params[-1]] if free_period else p,
        free,
        sol,
        t_ref,
        order,
        criterion,
        selection,
        flags,
    )


def _solve(lc, period, order, t_ref, free_period):
    """The linear solution at ``period`` and, with ``free_period``, the LM refinement from it.

    The period may move by at most a quarter of a cycle over the time span
    (``0.25 P^2 / T``), so that the refinement stays on its periodogram peak.
    """
    dy = fit_errors(lc)
    lin = solve_linear(_design(lc, period, order, t_ref), lc.y, dy, transposed=True)
    if not free_period:
        return lin, lin
    dp = 0.25 * period**2 / lc.time_span
    n_coef = lin.params.size
    sol = levenberg_marquardt(
        TP_FREE_PERIOD,
        lc.t,
        lc.y,
        dy,
        np.r_[lin.params, period],
        free=np.ones(n_coef + 1, bool),
        lower=np.r_[np.full(n_coef, -np.inf), period - dp],
        upper=np.r_[np.full(n_coef, np.inf), period + dp],
        fparams=[t_ref],
    )
    return lin, sol


def refine_period(lc: LightCurve, period: float, order: int) -> float:
    """The period of the TP of ``order`` fitted with the period free, from ``period``.

    The same least-squares problem as ``fit_tp(lc, period, order,
    free_period=True).period`` without the derived values (extrema, epoch)
    that a full :class:`~navfit.results.FitResult` computes: the period
    search refines dozens of candidates and needs only their periods.

    Parameters
    ----------
    lc : LightCurve
    period : float
        Starting period (d).
    order : int
        TP degree ``s``.

    Returns
    -------
    float
        The refined period, or ``period`` itself when the fit fails or
        leaves the quarter-cycle window around it.

    Raises
    ------
    NavfitError
        Bad period or too few points for the order.
    """
    one_band(lc, "refine_period")
    period = check_period(lc, period)
    if lc.n <= 2 * order + 2:
        raise NavfitError(
            f"{lc.where}: a TP of order {order} with a free period has {2 * order + 2} "
            f"parameters; {lc.n} points are too few"
        )
    _, sol = _solve(lc, period, int(order), _t_ref(lc), True)
    new = float(sol.params[-1])
    inside = abs(new - period) < 0.25 * period**2 / lc.time_span
    return new if sol.success and np.isfinite(new) and inside else float(period)


def _build_result(lc, names, values, free, sol, t_ref, order, criterion, selection, flags):
    period = values[-1]
    coef = values[:-1]
    cov = sol.covariance
    k = int(free.sum())
    derived, more, (ph_max, ph_min1, ph_min2) = tp_derived(lc, coef, order, cov, sol.chi2, k)
    flags = [*flags, *more]
    # epoch of Min I in the cycle nearest t_ref (the middle of the data)
    epoch, epoch_error = extremum_time(coef, order, period, t_ref, ph_min1, bool(free[-1]), cov)
    info = {
        "order": order,
        "criterion": criterion if selection is not None else None,
        "phase_max": ph_max - np.floor(ph_max) if ph_max is not None else None,
    }
    if ph_min2 is not None:
        info["phase_min2_after_min1"] = (ph_min2 - ph_min1) % 1.0
    if ph_max is not None:  # the epoch of maximum: GCVS's for pulsating and rotating stars
        info["epoch_max"] = extremum_time(coef, order, period, t_ref, ph_max, bool(free[-1]), cov)
    if selection is not None:
        info["selection"] = selection
    extra = {}
    return FitResult(
        model="tp",
        names=names,
        values=np.asarray(values, float),
        free=free,
        covariance=cov,
        covariance_unscaled=sol.covariance_unscaled,
        chi2=sol.chi2,
        n=lc.n,
        k=int(free.sum()),
        lc=lc,
        model_id=TP_FREE_PERIOD,
        iparams=np.zeros(1, np.int64),
        fparams=np.array([t_ref]),
        t_ref=t_ref,
        epoch=float(epoch),
        epoch_error=epoch_error,
        status=sol.status,
        message=sol.message,
        condition=sol.condition,
        rank=sol.rank,
        niter=sol.niter,
        derived=derived,
        flags=tuple(flags),
        info=info,
        extra_params=extra,
    )
