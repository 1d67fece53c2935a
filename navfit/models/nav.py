r"""NAV ("New Algol Variable") fits: TP2 plus two local eclipse profiles (Andronov 2012).

.. math::

    x(\varphi) = C_1 + C_2\cos 2\pi\varphi + C_3\sin 2\pi\varphi + C_4\cos 4\pi\varphi
                + C_5\sin 4\pi\varphi + C_6 H(\Delta_1; a, \beta_1) + C_7 H(\Delta_2; a, \beta_2),

    H(\Delta; a, \beta) = (1 - |\Delta/a|^\beta)^{3/2} \; (|\Delta| < a), \; 0 \text{ otherwise},

with ``phi = (t - T0)/P``, ``Delta_1`` the signed phase distance to phase 0 and
``Delta_2`` to ``phase2`` (0.5). 7 linear and 3 non-linear parameters (10), 12 with
the period and epoch free (Andronov, Tkachenko & Chinarova 2015). Parameter names
and their C-index aliases (NAV_SPEC §1.3; the papers' numbering of C8-C12 is not
verified): ``a1`` = C8 (a), ``beta1`` = C9, ``beta2`` = C10, ``epoch`` = C11 (T0),
``period`` = C12 (P).

Variants (``variant=``):

``"canonical"``
    one half-width for both eclipses, secondary at phase 0.5 (10/12 parameters).
``"separate_widths"``
    ``a1`` and ``a2`` free.
``"eccentric"``
    free secondary phase ``phase2`` and separate widths.
``"no_secondary"``
    the secondary term dropped (C7, beta2 removed from the fit).
``"gamma"``
    free outer exponent ``gamma`` (3/2 in the canonical profile), shared by both eclipses.
``"flat"``
    flat-bottomed profile for total eclipses: ``H = 1`` for ``|Delta| <= flat*a``;
    yields the duration of totality ``d = 2 flat1 a P``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .._checks import (
    check_count,
    check_lightcurve,
    check_number,
    check_period,
    check_phased_fit,
    fit_errors,
    one_band,
)
from .._kernels.models import NAV
from ..criteria import BIC_STRONG
from ..errors import NavfitError
from ..lightcurve import LightCurve
from ..lsq import jacobian, levenberg_marquardt, lm_minimum, model_values, solve_linear
from ..nav_params import (
    A1,
    A2,
    BETA1,
    BETA2,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    C_ALIASES,
    EPOCH,
    FLAT1,
    FLAT2,
    GAMMA,
    LINEAR,
    NPAR,
    PERIOD,
    PHASE2,
    TP2,
    VARIANTS,
    free_mask,
)
from ..nav_params import BOUNDS as _BOUNDS
from ..nav_params import NAMES as NAV_NAMES
from ..results import FitResult
from .nav_derived import derived_parameters, nav_flags
from .nav_grid import MIN_IN_ECLIPSE, grid_search, min_half_width
from .tp import fit_tp, order_limit, select_order

__all__ = ["C_ALIASES", "NAV_NAMES", "fit_nav", "moved_epoch", "swap_minima", "swap_order"]


def _linear_design(lc, p):
    """The 7 linear columns (TP2, H1, H2) at ``p``, transposed (7, n), from the NAV kernel."""
    _, JT = jacobian(NAV, lc.t, p, np.array([0, 1], np.int64))
    return np.ascontiguousarray(JT[LINEAR])


def _start_vector(lc, period, t_ref, t_mid, seed, variant):
    p = np.zeros(NPAR)
    p[A1] = p[A2] = seed["a"]
    p[BETA1], p[BETA2] = seed["beta1"], seed["beta2"]
    p[GAMMA] = 1.5
    p[FLAT1] = p[FLAT2] = 0.0 if variant != "flat" else 0.2
    p[PHASE2] = 0.5
    # epoch of the seed's primary in the cycle nearest the middle of the data
    T0 = t_ref + seed["center"] * period
    T0 += np.round((t_mid - T0) / period) * period
    p[EPOCH], p[PERIOD] = T0, period
    # linear parameters exactly at the seed
    X = _linear_design(lc, p)
    if variant == "no_secondary":
        X = X[: C6 + 1]
    sol = solve_linear(X, lc.y, fit_errors(lc), transposed=True)
    p[: X.shape[0]] = sol.params
    faint = 1.0 if lc.kind == "mag" else -1.0
    p[C6] = faint * max(faint * p[C6], 1e-4 * np.std(lc.y))
    p[C7] = faint * max(faint * p[C7], 0.0) if variant != "no_secondary" else 0.0
    return p


#: Iterations of the pilot run of every start, and how many pilots are run to convergence.
PILOT_ITERATIONS = 10


#: Pilot runs use every k-th point, k = n // PILOT_POINTS, of light curves with at least
#: twice this many points: they only rank the starts (the finalists run on every point).
#: On 800 points, pilots on every 2nd point ranked a wrong basin of a contact binary
#: first (pull study, 1 of 1200 realizations with C1 off by 34 sigma).
PILOT_POINTS = 1000


N_FINALISTS = 3


#: Seeds at least this wide also start from deep eclipses (see :func:`_deep_start`).
WIDE_ECLIPSE = 0.08


#: Half-widths of the extra deep-eclipse starts at the two best grid epochs.
DEEP_WIDTHS = (0.12, 0.18, 0.24)


def _deep_start(lc, p, variant):
    """Start with deep eclipses and the TP2 solved around them.

    For wide eclipses (contact binaries) the TP2 terms can imitate the eclipses:
    the linear solution at a grid node then sits in a basin with shallow eclipses
    and a large ``cos 4 pi phase`` term, while the true one has deep eclipses and
    a small TP2. This start puts both depths at half the data's 5-95 % range.
    """
    q = p.copy()
    faint = 1.0 if lc.kind == "mag" else -1.0
    depth = 0.5 * float(np.subtract(*np.percentile(lc.y, [95, 5])))
    q[C6] = faint * depth
    q[C7] = faint * depth if variant != "no_secondary" else 0.0
    X = _linear_design(lc, q)
    ecl = q[C6] * X[C6] + q[C7] * X[C7]
    q[TP2] = solve_linear(X[TP2], lc.y - ecl, fit_errors(lc), transposed=True).params
    return q


def _secondary_phase_start(lc, p, n_full):
    """Start with the secondary eclipse at the best phase in [0.3, 0.7] (eccentric orbits).

    Scans ``phase2`` in steps of a quarter of the half-width with the linear
    parameters solved exactly at each step, and keeps the phase whose fit has
    the lowest chi-square with a secondary eclipse (``C7 > 0`` in magnitudes).
    A narrow secondary away from phase 0.5 lies outside the reach of the
    least-squares steps that start at 0.5 (NAV_SPEC §1.5, §7 item 19).
    """
    lo, hi = _BOUNDS["phase2"]
    faint = 1.0 if lc.kind == "mag" else -1.0
    step = 0.25 * max(p[A2], min_half_width(n_full))
    best, best_chi2 = p, np.inf
    dy = fit_errors(lc)
    for phase2 in np.arange(lo, hi + 0.5 * step, step):
        q = p.copy()
        q[PHASE2] = phase2
        _, JT = jacobian(NAV, lc.t, q, np.array([0, 1], np.int64))
        sol = solve_linear(np.ascontiguousarray(JT[LINEAR]), lc.y, dy, transposed=True)
        if faint * sol.params[C7] <= 0 or faint * sol.params[C6] <= 0:
            continue
        if sol.chi2 < best_chi2:
            best_chi2 = sol.chi2
            best = q.copy()
            best[LINEAR] = sol.params
    return best


def moved_epoch(p, shift):
    """NAV vector ``p`` with its epoch moved by ``shift`` cycles, the out-of-eclipse curve kept.

    The eclipses move with the epoch; ``C2..C5`` are rotated so that the
    TP2 part describes the same light curve in the new phase
    (``w = w' + 2 pi shift``); for half a cycle exactly, ``C2`` and ``C3``
    change sign and ``C4``, ``C5`` stay.
    """
    q = np.array(p, dtype=float)
    q[EPOCH] = p[EPOCH] + shift * p[PERIOD]
    if shift == 0.5:
        q[C2], q[C3] = -p[C2], -p[C3]
        return q
    w1 = 2 * np.pi * shift
    c, s = np.cos(w1), np.sin(w1)
    q[C2], q[C3] = p[C2] * c + p[C3] * s, p[C3] * c - p[C2] * s
    c2, s2 = np.cos(2 * w1), np.sin(2 * w1)
    q[C4], q[C5] = p[C4] * c2 + p[C5] * s2, p[C5] * c2 - p[C4] * s2
    return q


def swap_order(shared):
    """The permutation of NAV parameters that exchanges Min I and Min II's labels.

    Depths, profile exponents and flat bottoms, and the half-widths unless
    one is ``shared`` (it then stays ``a1``): ``p[swap_order(shared)]``.
    """
    order = np.arange(NPAR)
    pairs = [(C6, C7), (BETA1, BETA2), (FLAT1, FLAT2)] + ([] if shared else [(A1, A2)])
    for i, j in pairs:
        order[i], order[j] = j, i
    return order


def swap_minima(p, shared):
    """Exchange primary and secondary: T0 -> T0 + phase2*P (NAV_SPEC §2.6).

    The epoch moved by ``phase2`` cycles (:func:`moved_epoch`), the labels
    exchanged (:func:`swap_order`), ``phase2 -> 1 - phase2``.
    """
    q = moved_epoch(p, p[PHASE2])[swap_order(shared)]
    q[PHASE2] = 1.0 - p[PHASE2]
    return q


def fit_nav(
    lc: LightCurve,
    period: float,
    epoch: float | None = None,
    *,
    free_period: bool = True,
    free_epoch: bool = True,
    variant: str = "canonical",
    errors: str = "covariance",
    n_bootstrap: int = 500,
    rng=None,
) -> FitResult:
    """Fit the NAV model globally, without an initial guess of the eclipse parameters.

    Parameters
    ----------
    lc : LightCurve
        Magnitudes (default) or fluxes (``kind="flux"``: the same functional
        form fitted to flux, with negative depths; labelled in every output).
    period : float
        Period in days (start value when ``free_period``).
    epoch : float, optional
        Time of primary minimum. ``None``: found by the grid (scanned over the
        whole cycle). Given: the grid is still scanned, then the seed nearest
        to it is preferred only if its chi-square is within the noise.
    free_period, free_epoch : bool
        Fit the period / epoch (12 parameters when both, 10 when neither).
    variant : str
        One of :data:`VARIANTS` (see the module docstring).
    errors : {"covariance", "bootstrap"}
        ``"covariance"``: ``sigma0^2 (J^T W J)^{-1}`` from the full Jacobian of
        every free parameter at the optimum. ``"bootstrap"``: residual bootstrap
        (residuals resampled with replacement and added to the model, each
        replicate refitted by Levenberg-Marquardt from the optimum); errors are
        ``(q97.5 - q2.5)/(2*1.96)`` (MAVKA recommendation) and the covariance is
        that of the replicates. Residuals, not pairs, are resampled so that the
        phase coverage of narrow eclipses stays that of the data.
    n_bootstrap : int
        Bootstrap replicates.
    rng : numpy.random.Generator or int, optional
        For the bootstrap.

    Returns
    -------
    FitResult
        ``model="nav"``; parameters ``C1..C7, a1, a2, beta1, beta2, gamma,
        flat1, flat2, phase2, epoch, period`` (fixed and tied ones have error
        0 or their source's error, see ``fixed`` and ``info["tied"]``);
        ``derived`` holds the phenomenological parameters of NAV_SPEC §3 with
        propagated errors; ``flags`` lists degeneracies.

    Notes
    -----
    Step 1: a grid over the epoch phase (steps of 0.3 a over the whole cycle),
    18 log-spaced half-widths 0.008-0.25 and 5 profile exponents per eclipse; at
    each node the TP2 and depth coefficients are solved exactly by variable
    projection (:func:`navfit._kernels.nav.nav_grid_scan`). Step 2:
    Levenberg-Marquardt from the 4 best distinct basins (a node and its
    partner half a cycle away are one basin,
    :func:`~navfit.models.nav_grid.same_basin`); the lowest chi-square wins.
    The primary is then made the fainter minimum (swap of NAV_SPEC §2.6).

    References
    ----------
    Andronov I. L., 2012, Astrophysics 55, 536; Andronov, Tkachenko & Chinarova
    2015, arXiv:1510.00333; Tkachenko, Andronov & Chinarova 2016, J. Phys. Stud. 20, 4902.
    """
    n_bootstrap = _checked_options(variant, errors, n_bootstrap)
    check_lightcurve(lc, "fit_nav")
    one_band(lc, "fit_nav")
    period = check_period(lc, period)
    free_period = check_phased_fit(lc, period, free_period)
    free, shared, has2 = free_mask(variant, free_period, free_epoch)
    k = int(free.sum())
    if lc.n < k + 5:
        raise NavfitError(f"{lc.where}: a NAV fit has {k} parameters; {lc.n} points are too few")
    t_mid = 0.5 * (lc.t[0] + lc.t[-1])
    t_ref = t_mid if epoch is None else check_number(epoch, "epoch", lc.where)
    seeds = grid_search(lc, period, t_ref)
    if not seeds:
        raise NavfitError(
            f"{lc.where}: no eclipse found at P = {period:g} d: no phase window holds "
            f"{MIN_IN_ECLIPSE} points with a fainter level than the TP2 curve"
        )
    fixed_epoch = None if epoch is None or free_epoch else float(epoch)
    if fixed_epoch is not None:
        # the epoch is fixed: keep only seeds at phase 0 relative to it
        seeds = [dict(s, center=0.0) for s in seeds[:1]]
    dy = fit_errors(lc)
    iparams = np.array([int(shared), int(has2)], np.int64)
    rows = _pilot_rows(lc.n)
    pilot_lc = lc if rows.size == lc.n else lc.subset(rows)
    starts = _starts(pilot_lc, period, t_ref, t_mid, seeds, variant, lc.n)
    fit = _pilots_and_finalists(lc, dy, pilot_lc, starts, free, iparams, fixed_epoch)
    if has2:
        fit = _fainter_minimum_first(lc, dy, fit, free, iparams, shared, t_mid)
    sol, lower, upper = fit
    p = sol.params
    flags = []
    if has2 and p[C7] == 0.0:
        # no secondary eclipse: beta2 is then undefined and the Jacobian singular;
        # drop the H2 term and reduce k (NAV_SPEC 2.6)
        free, _, has2 = free_mask("no_secondary", free_period, free_epoch)
        iparams = np.array([int(shared), 0], np.int64)
        k = int(free.sum())
        sol, lower, upper = _refit(lc, dy, p, free, iparams)
        p = sol.params
        flags.append(f"no secondary eclipse (C7 fell to 0): H2 term dropped, k = {k}")
    if shared:
        p = p.copy()
        p[A2] = p[A1]
    result = FitResult(
        model="nav",
        names=NAV_NAMES,
        values=p,
        free=free,
        covariance=sol.covariance,
        covariance_unscaled=sol.covariance_unscaled,
        chi2=sol.chi2,
        n=lc.n,
        k=k,
        lc=lc,
        model_id=NAV,
        iparams=iparams,
        fparams=np.zeros(1),
        t_ref=float(p[EPOCH]),
        epoch=float(p[EPOCH]),
        epoch_error=0.0,
        status=sol.status,
        message=sol.message,
        condition=sol.condition,
        rank=sol.rank,
        niter=sol.niter,
        info={
            "variant": variant,
            "label": "NAV" if variant == "canonical" else f"NAV[{variant}]",
            "tied": {"a2": "a1"} if shared else {},
            "errors": errors,
            "seeds": seeds,
            "kind": lc.kind,
            "at_bound": [
                NAV_NAMES[j] for j in np.flatnonzero(free) if p[j] <= lower[j] or p[j] >= upper[j]
            ],
        },
    )
    if errors == "bootstrap":
        result = _bootstrap(result, lower, upper, n_bootstrap, rng)
    cov_epoch = _epoch_error(result)
    result = replace(result, epoch_error=cov_epoch)
    derived = derived_parameters(result)
    flags += _tp_check(result, lc)
    return replace(result, derived=derived, flags=(*flags, *nav_flags(result)))


def _checked_options(variant, errors, n_bootstrap) -> int:
    """The options of :func:`fit_nav` checked; returns ``n_bootstrap`` as an int."""
    if variant not in VARIANTS:
        raise NavfitError(f"variant must be one of {VARIANTS}, got {variant!r}")
    if errors not in ("covariance", "bootstrap"):
        raise NavfitError(f"errors must be 'covariance' or 'bootstrap', got {errors!r}")
    return check_count(n_bootstrap, "n_bootstrap", "fit_nav", minimum=2)


def _starts(lc, period, t_ref, t_mid, seeds, variant, n_full):
    """Starting vectors: every grid seed, plus deep wide eclipses for contact binaries.

    ``lc`` holds the points the pilot runs will see (:func:`_pilot_rows`): each
    start's linear terms, the deep starts' depth (the data's 5-95 % range) and
    the faintest point of the 4th-order TP come from them. Epochs are placed in
    the cycle nearest ``t_mid``; the narrowest half-width is that of the full
    light curve's ``n_full`` points.

    Wide seeds also start from deep eclipses (:func:`_deep_start`); the two
    best seeds and the faintest point of a 4th-order TP start deep eclipses of
    each of the ``DEEP_WIDTHS``; eccentric fits add starts with the secondary
    at its best phase (:func:`_secondary_phase_start`) from the first
    ``N_FINALISTS`` starts and from their mirror images (primary and
    secondary swapped, :func:`swap_minima`), since the grid's seeds hold each
    pair of eclipses once (:func:`~navfit.models.nav_grid.same_basin`).
    """
    starts = []
    for i, seed in enumerate(seeds):
        p0 = _start_vector(lc, period, t_ref, t_mid, seed, variant)
        starts.append(p0)
        if seed["a"] >= WIDE_ECLIPSE:
            starts.append(_deep_start(lc, p0, variant))
        if i < 2:
            starts += _deep_width_starts(lc, p0, variant)
    # ... and at the faintest point of a 4th-order TP, whatever the grid says
    if lc.n > 12:
        tp_min = fit_tp(lc, period, order=4).epoch
        center = ((tp_min - t_ref) / period) % 1.0
        base = _start_vector(lc, period, t_ref, t_mid, dict(seeds[0], center=center), variant)
        starts += _deep_width_starts(lc, base, variant)
    if variant == "eccentric":
        # the scan moves the secondary: from each start and from its mirror image
        mirrors = [r for q in starts[:N_FINALISTS] for r in (q, swap_minima(q, shared=False))]
        starts += [_secondary_phase_start(lc, q, n_full) for q in mirrors]
    return starts


def _deep_width_starts(lc, p0, variant):
    """Deep eclipses of each of the ``DEEP_WIDTHS`` at the epoch of ``p0`` (contact binaries)."""
    out = []
    for a in DEEP_WIDTHS:
        q = p0.copy()
        q[A1] = q[A2] = a
        q[BETA1] = q[BETA2] = 1.5
        out.append(_deep_start(lc, q, variant))
    return out


def _pilot_rows(n):
    """Points of the pilot runs: every k-th, ``k = n // PILOT_POINTS``, and the last.

    All points below ``2 PILOT_POINTS``; the last is kept so that the pilots'
    light curve spans the same time (a period the data support stays supported).
    """
    return np.unique(np.r_[np.arange(0, n, max(1, n // PILOT_POINTS)), n - 1])


def _pilots_and_finalists(lc, dy, pilot_lc, starts, free, iparams, fixed_epoch):
    """Short runs from every start, then the ``N_FINALISTS`` best to convergence.

    The pilots run ``PILOT_ITERATIONS`` on ``pilot_lc``, every k-th point of
    a long light curve (:func:`_pilot_rows`): they only rank the starts. The
    finalists run on every point of ``lc``; the lowest chi-square wins.
    Returns ``(sol, lower, upper)``.
    """
    pilot_dy = fit_errors(pilot_lc)
    short = []
    for p0 in starts:
        if fixed_epoch is not None:
            p0[EPOCH] = fixed_epoch
        short.append(_pilot(pilot_lc, pilot_dy, p0, free, iparams, lc.n))
    short.sort(key=lambda pilot: pilot[1])
    fits = [_refit(lc, dy, params, free, iparams) for params, _ in short[:N_FINALISTS]]
    return min(fits, key=lambda fit: fit[0].chi2)


def _fainter_minimum_first(lc, dy, fit, free, iparams, shared, t_mid):
    """Make Min I the fainter minimum (swap of NAV_SPEC §2.6), epoch nearest the middle.

    ``fit`` is ``(sol, lower, upper)`` of :func:`_refit`; returned unchanged
    when Min I is already the fainter.
    """
    p = fit[0].params
    faint = 1.0 if lc.kind == "mag" else -1.0
    if faint * _center_value(p, p[PHASE2], iparams) <= faint * _center_value(p, 0.0, iparams):
        return fit
    q = swap_minima(p, shared)
    q[EPOCH] += np.round((t_mid - q[EPOCH]) / q[PERIOD]) * q[PERIOD]
    return _refit(lc, dy, q, free, iparams)


def _tp_check(result, lc):
    """Flag light curves the optimal TP describes much better than NAV.

    Pulsators and rotators, but also binaries with a feature the NAV profiles
    lack: of the stars of navfit's development set that the decision called
    eclipsers, 10 had this flag and 8 of them were catalogued eclipsers, so the
    flag says what NAV misses, not what the star is (the type is
    :func:`navfit.decision.decide`'s).
    """
    tab = select_order(
        lc, result.period, order_limit(lc.n), free_period="period" in result.free_names
    )
    row = tab[tab.meta["order"] - 1]
    delta = result.bic - float(row["bic"])
    result.info["tp_bic_difference"] = delta
    if delta > BIC_STRONG:
        return [
            (
                f"the optimal TP (s={int(row['order'])}) describes the data better than NAV "
                f"(Delta BIC = {delta:.1f}): NAV misses part of the light curve's shape"
            )
        ]
    return []


def _refit(lc, dy, p0, free, iparams, maxiter=300):
    """Levenberg-Marquardt from ``p0`` within the NAV bounds: ``(sol, lower, upper)``."""
    p0, lower, upper = _nav_bounds(p0, lc.kind, lc.n)
    sol = levenberg_marquardt(
        NAV, lc.t, lc.y, dy, p0, **_lm_options(lower, upper, free, iparams, maxiter)
    )
    return sol, lower, upper


def _pilot(lc, dy, p0, free, iparams, n_full):
    """``PILOT_ITERATIONS`` from ``p0``: ``(params, chi2)``, no covariance.

    The bounds are those of the full light curve of ``n_full`` points.
    """
    p0, lower, upper = _nav_bounds(p0, lc.kind, n_full)
    options = _lm_options(lower, upper, free, iparams, PILOT_ITERATIONS)
    return lm_minimum(NAV, lc.t, lc.y, dy, p0, **options)


def _lm_options(lower, upper, free, iparams, maxiter):
    return {"lower": lower, "upper": upper, "free": free, "iparams": iparams, "maxiter": maxiter}


def _nav_bounds(p0, kind, n):
    """The start clipped into the NAV bounds about it, and the bounds.

    The table's bounds (:data:`navfit.nav_params.BOUNDS`), the narrowest
    half-width ``n`` points resolve, the period within 10 % and the epoch
    within a quarter period of the start's; the depths are those of
    magnitudes, mirrored for fluxes (eclipses make the flux smaller).
    """
    lower = np.full(NPAR, -np.inf)
    upper = np.full(NPAR, np.inf)
    for name, (lo, hi) in _BOUNDS.items():
        j = NAV_NAMES.index(name)
        lower[j], upper[j] = lo, hi
    lower[A1] = lower[A2] = min(min_half_width(n), 0.5 * _BOUNDS["a1"][1])
    if kind == "flux":
        lower[C6], lower[C7], upper[C6], upper[C7] = -np.inf, -np.inf, 0.0, 0.0
    P, T0 = p0[PERIOD], p0[EPOCH]
    lower[PERIOD], upper[PERIOD] = 0.9 * P, 1.1 * P
    lower[EPOCH], upper[EPOCH] = T0 - 0.25 * P, T0 + 0.25 * P
    return np.clip(p0, lower, upper), lower, upper


def _center_value(p, phase, iparams):
    f = model_values(NAV, np.array([p[EPOCH] + phase * p[PERIOD]]), p, iparams)
    return f[0]


def _epoch_error(result):
    if "epoch" not in result.free_names:
        return 0.0
    j = result.free_names.index("epoch")
    return float(np.sqrt(result.covariance[j, j]))


def _bootstrap(result, lower, upper, n_boot, rng):
    rng = np.random.default_rng(rng)
    lc = result.lc
    model = result.evaluate(lc.t)
    resid = lc.y - model
    scaled = resid / lc.dy
    dy = fit_errors(lc)
    free = result.free
    samples = np.empty((n_boot, int(free.sum())))
    for b in range(n_boot):
        y = model + rng.choice(scaled, lc.n, replace=True) * lc.dy
        params, _ = lm_minimum(
            NAV,
            lc.t,
            y,
            dy,
            result.values,
            lower=lower,
            upper=upper,
            free=free,
            iparams=result.iparams,
            maxiter=100,
        )
        samples[b] = params[free]
    cov = np.cov(samples, rowvar=False)
    half = (np.percentile(samples, 97.5, axis=0) - np.percentile(samples, 2.5, axis=0)) / (2 * 1.96)
    # rescale the replicate covariance to the percentile-based errors
    sd = np.sqrt(np.diag(cov))
    sd[sd == 0] = 1.0
    cov = cov * np.outer(half / sd, half / sd)
    info = dict(result.info, n_bootstrap=n_boot)
    return replace(result, covariance=cov, info=info)
