"""The time of one minimum from the eclipse profile of a global NAV fit.

The whole NAV curve of the global fit (Andronov 2012), shifted in time, with
the local level and the depth of this eclipse free: :func:`nav_minimum`, and
the geometry of an eclipse in the fit (:func:`nav_geometry`) that the windows
and the residual profile of :func:`navfit.minima.times_of_minima` also use.

References
----------
Andronov I. L., 2012, Astrophysics 55, 536 (the NAV profile).
"""

from __future__ import annotations

import numpy as np

from .._kernels.models import NAV
from ..errors import NavfitError
from ..lsq import jacobian, levenberg_marquardt, lm_minimum, model_values, solve_linear
from ..nav_params import A1, A2, C1, C6, C7, EPOCH, PERIOD, PHASE2
from ..results import FitResult
from .common import (
    GAP_SPACINGS,
    MIN_DEPTH_SIGNIFICANCE,
    POOL_DOF,
    MinimumTime,
    bottom_gap,
    check_arrays,
    coverage_flags,
    pooled_scale,
)

__all__ = ["N_SHIFTS", "nav_geometry", "nav_minimum"]

#: Steps of the coarse shift scan of the NAV profile over +-0.5 a P.
N_SHIFTS = 41


def nav_geometry(fit: FitResult, kind: str):
    """Phase of the minimum, half-width (phase), index of the depth and its sign bound.

    Parameters
    ----------
    fit : FitResult
        A NAV fit.
    kind : {"I", "II"}
        Primary or secondary minimum.

    Returns
    -------
    phi, a : float
        Phase of the minimum (0 for Min I, the fitted ``phase2`` for Min II)
        and the eclipse half-width in phase.
    index : int
        Index of the eclipse depth (``C6`` or ``C7``) in the NAV parameters.

    Raises
    ------
    NavfitError
        A secondary asked of a fit without one.
    """
    p = fit.values
    if kind == "I":
        return 0.0, float(p[A1]), C6
    if fit.iparams[1] != 1:
        raise NavfitError(f"{fit.lc.where}: the NAV fit has no secondary eclipse to time")
    a2 = float(p[A1]) if fit.iparams[0] == 1 else float(p[A2])
    return float(p[PHASE2]), a2, C7


def nav_minimum(
    fit: FitResult,
    t,
    y,
    dy=None,
    *,
    cycle: float,
    errors: str = "covariance",
    global_scale: float | None = None,
    pool_dof: int = POOL_DOF,
    n_bootstrap: int = 200,
    rng=None,
    where: str | None = None,
) -> MinimumTime:
    r"""Time one minimum with the eclipse profile of a global NAV fit.

    Parameters
    ----------
    fit : FitResult
        A NAV fit (:func:`navfit.fit_nav`): the eclipse shape and the TP2 curve.
    t, y, dy : array_like
        The points around the minimum (times in the fit's time values).
        ``dy=None``: the light curve's weighting (equal weights).
    cycle : float
        Integer for a primary, half-integer for a secondary minimum (cycles
        from ``fit.epoch``); it also gives the start of the time.
    errors : {"covariance", "bootstrap"}
        ``"covariance"``: ``s^2 (J^T W J)^{-1}`` of the three free parameters,
        ``s^2`` the unit-weight variance of the local residuals (pooled, see
        ``global_scale``). ``"bootstrap"``: residuals resampled and refitted
        ``n_bootstrap`` times; error ``(q97.5 - q2.5) / 3.92``.
    global_scale : float, optional
        Unit-weight variance of the global fit; pooled with ``pool_dof`` degrees
        of freedom into the local one, ``s^2 = (chi2 + nu0 s_g^2)/(dof + nu0)``.
        ``None``: the local ``chi2/dof`` alone.
    pool_dof : int
    n_bootstrap : int
    rng : numpy.random.Generator or int, optional
    where : str, optional
        Label for messages (default: the light curve and the cycle).

    Returns
    -------
    MinimumTime
        ``info`` holds the local ``depth`` and ``depth_err``.

    Notes
    -----
    The model is the whole NAV curve of the global fit (TP2 and both eclipse
    profiles, Andronov 2012),

    .. math:: x(t) = C_1' + x_{TP2}(t - \delta) - C_1 + D' H(t - \delta),

    shifted by ``delta`` in time, with the level ``C1'`` and the depth ``D'``
    of this eclipse free: three parameters, fitted by the least-squares core
    (NAV model, every other parameter fixed) after a scan of 41 shifts over
    ``+-a P/2`` with the two linear ones solved exactly. The time is the
    centre of the eclipse profile, ``T0 + delta + (E + phi_2) P`` for the
    secondary. The shift is bounded to ``+-a P/2``; a fit at the bound is
    flagged "off the predicted time" and gets no time.
    """
    if errors not in ("covariance", "bootstrap"):
        raise NavfitError(f"errors must be 'covariance' or 'bootstrap', got {errors!r}")
    kind = "I" if float(cycle) == np.floor(cycle) else "II"
    where = where or f"{fit.lc.where}, cycle {cycle:g}"
    t, y, dy = check_arrays(t, y, dy, where)
    phi, a, jd = nav_geometry(fit, kind)
    p = np.array(fit.values, dtype=float)
    P = float(p[PERIOD])
    E = float(np.floor(cycle))
    base = fit.epoch + E * P
    centre = base + phi * P
    half = a * P
    free = np.zeros(p.size, bool)
    free[[C1, jd, EPOCH]] = True
    k = 3
    faint = 1.0 if fit.lc.meta["kind"] == "mag" else -1.0
    if t.size < k + 2:
        return MinimumTime(
            np.nan,
            np.nan,
            "nav",
            ("too few points",),
            n_left=int(np.sum(t < centre)),
            n_right=int(np.sum(t > centre)),
        )
    best = _shift_scan(fit, t, y, dy, p, base, half, jd, faint)
    if not np.isfinite(best[0]):
        return MinimumTime(np.nan, np.nan, "nav", ("no eclipse in window",))
    q0 = p.copy()
    q0[EPOCH] = base + best[1]
    q0[C1], q0[jd] = best[2], best[3]
    lower, upper = _bounds(p.size, base, half, jd, faint)
    sol = levenberg_marquardt(
        NAV,
        t,
        y,
        dy,
        q0,
        lower=lower,
        upper=upper,
        free=free,
        iparams=fit.iparams,
        fparams=fit.fparams,
    )
    qf = sol.params
    time = float(qf[EPOCH] + phi * P)
    dof = t.size - k
    s2 = pooled_scale(sol.chi2, dof, global_scale, pool_dof)
    cov = sol.covariance_unscaled * s2
    j_t = int(np.sum(free[:15]))
    j_d = int(np.sum(free[:jd]))
    err = float(np.sqrt(cov[j_t, j_t])) if np.isfinite(cov[j_t, j_t]) else np.inf
    depth, depth_err = float(qf[jd]), float(np.sqrt(max(cov[j_d, j_d], 0.0)))
    info = {
        "depth": depth,
        "depth_err": depth_err,
        "scale": float(s2),
        "error_unscaled": float(np.sqrt(sol.covariance_unscaled[j_t, j_t])),
        "rank": sol.rank,
    }
    n_left, n_right, flags = coverage_flags(t, time, half)
    h = float(np.median(np.diff(t))) if t.size > 1 else np.inf
    if not flags and bottom_gap(t, time, max(h, 0.25 * half / GAP_SPACINGS)):
        flags.append("gap at the bottom")
    failure = None
    if not (faint * depth > MIN_DEPTH_SIGNIFICANCE * depth_err):
        failure = "no eclipse in window"
    elif qf[EPOCH] <= lower[EPOCH] + 1e-9 * half or qf[EPOCH] >= upper[EPOCH] - 1e-9 * half:
        failure = "off the predicted time"
    if failure:
        flags = (*flags, failure)
        return MinimumTime(np.nan, np.nan, "nav", flags, n_left, n_right, sol.chi2, dof, info)
    if errors == "bootstrap" and np.isfinite(err):
        err = _bootstrap_nav(fit, t, y, dy, qf, free, lower, upper, phi * P, n_bootstrap, rng)
        info["n_bootstrap"] = n_bootstrap
    return MinimumTime(time, err, "nav", tuple(flags), n_left, n_right, sol.chi2, dof, info)


def _shift_scan(fit, t, y, dy, p, base, half, jd, faint):
    """Coarse scan of :data:`N_SHIFTS` shifts over ``+-half/2``, level and depth solved exactly.

    Returns
    -------
    tuple
        ``(chi2, shift, level, depth)`` of the best shift whose depth has the
        sign of an eclipse; ``chi2 = inf`` when none has.
    """
    best = (np.inf, 0.0, p[C1], p[jd])
    for shift in np.linspace(-0.5, 0.5, N_SHIFTS) * half:
        q = p.copy()
        q[EPOCH] = base + shift
        f, JT = jacobian(NAV, t, q, fit.iparams, fit.fparams)
        fixed = f - q[C1] - q[jd] * JT[jd]
        X = np.vstack([np.ones_like(t), JT[jd]])
        if not np.any(JT[jd] != 0):
            continue
        sol = solve_linear(X, y - fixed, dy, transposed=True)
        if faint * sol.params[1] >= 0 and sol.chi2 < best[0]:
            best = (sol.chi2, shift, sol.params[0], sol.params[1])
    return best


def _bounds(npar, base, half, jd, faint):
    """Bounds of the fit: the epoch within ``base +- half/2``, the depth of an eclipse's sign."""
    lower = np.full(npar, -np.inf)
    upper = np.full(npar, np.inf)
    lower[EPOCH], upper[EPOCH] = base - 0.5 * half, base + 0.5 * half
    if faint > 0:
        lower[jd] = 0.0
    else:
        upper[jd] = 0.0
    return lower, upper


def _bootstrap_nav(fit, t, y, dy, qf, free, lower, upper, offset, n_boot, rng):
    rng = np.random.default_rng(rng)
    model = model_values(NAV, t, qf, fit.iparams, fit.fparams)
    w = np.ones_like(t) if dy is None else dy
    scaled = (y - model) / w
    times = np.empty(n_boot)
    for b in range(n_boot):
        yb = model + rng.choice(scaled, t.size, replace=True) * w
        params, _ = lm_minimum(
            NAV,
            t,
            yb,
            dy,
            qf,
            lower=lower,
            upper=upper,
            free=free,
            iparams=fit.iparams,
            fparams=fit.fparams,
            maxiter=100,
        )
        times[b] = params[EPOCH] + offset
    lo, hi = np.percentile(times, [2.5, 97.5])
    return float((hi - lo) / (2 * 1.96))
