"""Every observed minimum of a light curve, timed by every method asked for.

:func:`times_of_minima` places a window on each minimum of the fitted
ephemeris, fits the NAV profile in it (the eclipse test and the local noise),
pools the noise scales of the minima of one type, then times each window with
each method (:func:`~navfit.minima.nav_minimum`,
:func:`~navfit.minima.kwee_van_woerden`,
:func:`~navfit.minima.polynomial_minimum`) and returns one table row per
minimum and method, with its coverage flags.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_count, check_number
from ..errors import InputError, NavfitError
from ..io_time import is_julian_date
from ..nav_params import PERIOD
from .common import GAP_SPACINGS, POOL_DOF, MinimumTime, coverage_flags, pooled_scale
from .kvw import kwee_van_woerden
from .nav_profile import nav_geometry, nav_minimum
from .polynomial import polynomial_minimum
from .template import ResidualProfile, nav_template

__all__ = ["METHODS", "OFF_ECLIPSE", "WINDOWS", "minima_frame", "times_of_minima"]

#: Default windows in units of the eclipse half-width ``a P``, by method.
WINDOWS = {"nav": 1.25, "kvw": 2.0, "poly": 0.75}
#: Range of the light "outside the eclipse" for the KvW noise, in eclipse half-widths.
OFF_ECLIPSE = (1.5, 2.5)
METHODS = ("nav", "kvw", "poly")
#: Columns of the table of :func:`times_of_minima` and their types.
COLUMNS = (
    "cycle",
    "kind",
    "time",
    "time_err",
    "method",
    "n_left",
    "n_right",
    "flags",
    "o_c",
    "err_1956",
)
DTYPES = (float, "U2", float, float, "U4", int, int, "U120", float, float)


def _join(flags) -> str:
    return "; ".join(dict.fromkeys(flags))


def _methods(method):
    if isinstance(method, str):
        named = {"both": ("nav", "kvw"), "all": METHODS}
        out = named.get(method, (method,))
    else:
        out = tuple(method)
    bad = [m for m in out if m not in METHODS]
    if bad or not out:
        raise InputError(
            f"method must be one of {METHODS}, 'both', 'all' or a sequence of them, got {method!r}"
        )
    return tuple(dict.fromkeys(out))


def _windows(window, methods):
    factors = dict(WINDOWS)
    if isinstance(window, dict):
        factors.update(window)
    elif window is not None:
        factors = dict.fromkeys(factors, window)
    for m in methods:
        factors[m] = check_number(factors[m], f"window ({m})", "times_of_minima", positive=True)
    return factors


def times_of_minima(
    lc_or_result,
    *,
    period: float | None = None,
    epoch: float | None = None,
    method="nav",
    errors: str = "covariance",
    nfold: int = 5,
    start="lowest",
    noise=None,
    refine="precise",
    template: str = "corrected",
    window=None,
    min_points: int = 5,
    max_degree: int = 6,
    pool_dof: int = POOL_DOF,
    n_bootstrap: int = 200,
    rng=None,
):
    """Time every observed minimum of an eclipsing binary.

    Parameters
    ----------
    lc_or_result : LightCurve, FitResult, StarResult or path
        A light curve (or file) is fitted first: by :func:`navfit.analyze`
        without ``period``, else by :func:`navfit.fit_nav` at ``period`` (and
        ``epoch`` as a start). A NAV :class:`FitResult` (or the ``.nav`` of a
        :class:`StarResult`) is used as it is.
    period, epoch : float, optional
        For a light curve, the start of the NAV fit (the windows then follow
        the fitted ephemeris). For a fit, they replace its ephemeris for the
        windows and cycle numbers. ``epoch`` is a full Julian date.
    method : {"nav", "kvw", "poly", "both", "all"} or sequence
        ``"both"`` is NAV and KvW, ``"all"`` adds the polynomial; one row per
        minimum and method.
    errors : {"covariance", "bootstrap"}
        Errors of the NAV-profile times (see :func:`nav_minimum`).
    nfold, start, refine
        KvW settings (:func:`kwee_van_woerden`); ``refine="precise"`` takes
        the minimum of the continuously evaluated ``S`` when the error is a
        small fraction of the spacing (less biased than the parabola there).
    noise : None, "estimate" or float
        KvW noise: ``None`` the local noise (the pooled residual scale of the
        NAV fit in the window, see Notes, times the rms of ``dy``);
        ``"estimate"`` Deeg's estimate from ``S``; a number: given.
    template : {"corrected", "nav"}
        The eclipse shape of the NAV-profile fits: the global NAV fit plus its
        mean residual around that eclipse (:class:`~navfit.timing.template.ResidualProfile`), or the
        NAV curve alone.
    window : float or dict, optional
        Half-width of the window of each method in units of the eclipse
        half-width ``a P``; default :data:`WINDOWS` (NAV 1.25, KvW 2.0,
        polynomial 0.75), at most a quarter period.
    min_points : int
        Fewest points in a window to time it (fewer: "too few points").
    max_degree : int
        Highest polynomial degree.
    pool_dof : int
        Degrees of freedom of the light curve's in-eclipse residual scale
        pooled into each local one (0: local residuals only).
    n_bootstrap : int
    rng : numpy.random.Generator or int, optional

    Returns
    -------
    astropy.table.Table
        One row per minimum and method, ordered by cycle: ``cycle`` (from the
        epoch in ``meta``, half-integer for secondaries), ``kind`` (I, II),
        ``time`` (full Julian date in ``meta["time_system"]``), ``time_err``
        (d), ``method``, ``n_left``, ``n_right`` (points in the eclipse, or in
        the KvW window, before and after the minimum), ``flags`` (:data:`FLAGS`,
        ``"; "``-joined, empty when clean), ``o_c`` (d, from the ephemeris of the
        windows) and ``err_1956`` (KvW's 1956 error; NaN for other methods).
        ``meta``: ``name``, ``source``, ``band``, ``kind``, ``time_system``,
        ``period``, ``epoch`` (full JD), ``methods``, ``windows``, ``errors``,
        ``noise_scale`` (the in-eclipse unit-weight variance by minimum type).

    Raises
    ------
    NavfitError
        No NAV fit, a NAV fit without a significant primary eclipse (depth
        below five times its error: no eclipses at that period), bad options,
        or no minimum that could be timed (the message names the file and the
        cycles searched).

    Notes
    -----
    Windows are centred on ``T0 + (E + phi) P`` (``phi = 0`` for Min I, the
    fitted ``phase2`` for Min II) of the fitted ephemeris, with half-widths
    from the NAV eclipse half-widths ``a1``, ``a2``; a minimum is *observed*
    when a point falls inside ``+-a P`` of it. The NAV profile is fitted in
    every window first: a window whose local depth is below five times its
    error has no eclipse and is flagged for every method (five, not three: the
    shift is the best of many, and noise alone passes three times its error
    in a tenth of the windows).

    The noise scale of a window is its own unit-weight variance
    ``chi2/dof`` of the NAV-profile fit pooled with that of all windows of
    the same minimum type, ``s^2 = (chi2 + nu0 s_w^2)/(dof + nu0)``,
    ``nu0 = pool_dof``: the noise inside the eclipses, which is not that of the
    whole light curve when the light outside them varies or drifts.
    """
    fit = nav_template(lc_or_result, period, epoch)
    lc = fit.lc
    methods = _methods(method)
    factors = _windows(window, methods)
    _check_options(errors, template, noise, min_points, pool_dof, n_bootstrap)
    rng = np.random.default_rng(rng)
    kinds = ("I", "II") if fit.iparams[1] == 1 else ("I",)
    nav_factor = factors.get("nav", WINDOWS["nav"])
    points = _Points(fit, template, kinds, nav_factor)
    # pass 1: the windows and their NAV-profile fits (eclipse test, local noise)
    windows = _nav_windows(points, kinds, nav_factor, min_points, pool_dof)
    scale, white = _noise_scales(fit, windows, kinds)
    # pass 2: every method in every window
    options = {
        "min_points": min_points,
        "nfold": nfold,
        "start": start,
        "noise": noise,
        "refine": refine,
        "max_degree": max_degree,
        "pool_dof": pool_dof,
    }
    rows = []
    for cycle, kind, centre, half, where, nav, off in windows:
        if nav is not None and np.isfinite(nav.time):
            nav = _rescaled(nav, pooled_scale(nav.chi2, nav.dof, scale[kind], pool_dof))
            if errors == "bootstrap" and "nav" in methods:
                t, y, d = points.select(centre, half, nav_factor, kind)
                nav = nav_minimum(
                    fit,
                    t,
                    y,
                    d,
                    cycle=cycle,
                    errors="bootstrap",
                    global_scale=scale[kind],
                    pool_dof=pool_dof,
                    n_bootstrap=n_bootstrap,
                    rng=rng,
                    where=where,
                )
        for name in methods:
            t, y, d = points.select(centre, half, factors[name])
            rows.append(
                _method_row(
                    name,
                    t,
                    y,
                    d,
                    lc,
                    nav,
                    cycle,
                    kind,
                    centre,
                    half,
                    where,
                    **options,
                    scale=scale[kind],
                    white=white[kind],
                    off=off,
                    sign=points.sign,
                )
            )
    return _minima_table(rows, fit, methods, factors, errors, template, scale)


def _check_options(errors, template, noise, min_points, pool_dof, n_bootstrap):
    """Check the options of :func:`times_of_minima` that no step checks itself."""
    if errors not in ("covariance", "bootstrap"):
        raise NavfitError(f"errors must be 'covariance' or 'bootstrap', got {errors!r}")
    if template not in ("corrected", "nav"):
        raise InputError(f"template must be 'corrected' or 'nav', got {template!r}")
    if isinstance(noise, str) and noise != "estimate":
        raise InputError(f"noise must be None, 'estimate' or a number, got {noise!r}")
    check_count(n_bootstrap, "n_bootstrap", "times_of_minima", minimum=2)
    for name, value in (("min_points", min_points), ("pool_dof", pool_dof)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise InputError(f"{name} must be a non-negative integer, got {value!r}")


class _Points:
    """The points of the light curve in a window, corrected by the residual profile if any.

    Windows reach at most a quarter period from the minimum; with
    ``template="corrected"`` the light of the NAV windows is corrected by the
    :class:`~navfit.timing.template.ResidualProfile` of that eclipse.
    """

    def __init__(self, fit, template, kinds, nav_factor):
        lc = fit.lc
        self.fit, self.lc = fit, lc
        self.dy = lc.dy if lc.meta.get("dy_given", True) else None
        self.sign = "mag" if lc.meta["kind"] == "mag" else "flux"
        self.limit = 0.25 * float(fit.values[PERIOD])
        self.profiles = {}
        if template == "corrected":
            P = float(fit.values[PERIOD])
            self.profiles = {
                k: ResidualProfile(
                    fit, k, min(nav_factor, self.limit / (nav_geometry(fit, k)[1] * P)), self.dy
                )
                for k in kinds
            }

    def select(self, centre, half, factor, kind=None):
        """Times, values and errors within ``factor * half`` (at most the limit) of ``centre``."""
        lc, dy = self.lc, self.dy
        sel = np.abs(lc.t - centre) < min(factor * half, self.limit)
        y = lc.y[sel]
        if kind is not None and kind in self.profiles:
            y = y - self.profiles[kind].correction(lc.t[sel], sel)
        return lc.t[sel], y, None if dy is None else dy[sel]


def _nav_windows(points, kinds, nav_factor, min_points, pool_dof):
    """The windows with a point inside the eclipse, each with its NAV-profile fit.

    Returns
    -------
    list of tuple
        ``(cycle, kind, centre, half, where, nav, off)``: ``nav`` the
        :class:`~navfit.minima.MinimumTime` of the NAV profile (``None`` with
        fewer than ``min_points`` points), ``off`` the noise just outside the
        eclipse (:func:`_off_eclipse`).
    """
    fit, lc, limit = points.fit, points.lc, points.limit
    P, T0 = float(fit.values[PERIOD]), float(fit.epoch)
    windows = []
    e_lo = int(np.floor((lc.t[0] - T0) / P)) - 1
    e_hi = int(np.ceil((lc.t[-1] - T0) / P)) + 1
    for E in range(e_lo, e_hi + 1):
        for kind in kinds:
            phi, a, _ = nav_geometry(fit, kind)
            centre = T0 + (E + phi) * P
            half = a * P
            if not np.any(np.abs(lc.t - centre) < half):
                continue
            cycle = E + (0.5 if kind == "II" else 0.0)
            where = f"{lc.where}, cycle {cycle:g} (Min {kind})"
            t, y, d = points.select(centre, half, nav_factor, kind)
            nav = None
            if t.size >= min_points:
                nav = nav_minimum(
                    fit,
                    t,
                    y,
                    d,
                    cycle=cycle,
                    global_scale=fit.chi2 / fit.dof,
                    pool_dof=pool_dof,
                    where=where,
                )
            inner, outer = (min(f * half, limit) for f in OFF_ECLIPSE)
            off = _off_eclipse(lc, points.dy, centre, inner, outer, fit)
            windows.append((cycle, kind, centre, half, where, nav, off))
    return windows


def _noise_scales(fit, windows, kinds):
    """In-eclipse unit-weight variance and off-eclipse white noise, by minimum type.

    The first pools ``chi2/dof`` of the NAV-profile fits of every timed window
    of the type (the global ``chi2/dof`` when there is none); the second the
    residuals just outside the eclipses (``inf`` when there are none).
    """
    scale, white = {}, {}
    for kind in kinds:
        good = [
            w[5]
            for w in windows
            if w[1] == kind and w[5] is not None and w[5].dof > 0 and np.isfinite(w[5].time)
        ]
        dof = sum(m.dof for m in good)
        scale[kind] = sum(m.chi2 for m in good) / dof if dof else fit.chi2 / fit.dof
        off = [w[6] for w in windows if w[1] == kind and w[6][1] > 0]
        n_off = sum(o[1] for o in off)
        white[kind] = sum(o[0] for o in off) / n_off if n_off else np.inf
    return scale, white


def _minima_table(rows, fit, methods, factors, errors, template, scale):
    """The table of :func:`times_of_minima` (full Julian dates, units, meta).

    Raises
    ------
    NavfitError
        No minimum could be timed (the message names the cycles and the reasons).
    """
    lc = fit.lc
    P, T0 = float(fit.values[PERIOD]), float(fit.epoch)
    table = minima_frame(rows, lc)
    if not np.any(np.isfinite(table["time"])):
        cycles = sorted({float(c) for c in table["cycle"]})
        span = f"cycles {cycles[0]:g} to {cycles[-1]:g}" if cycles else "no window with data"
        reasons = sorted({f for r in table["flags"] for f in str(r).split("; ") if f})
        # windows short of points say nothing about the ephemeris; empty ones do
        sparse = {"too few points", "one branch only", "gap at the bottom", "gap in a branch"}
        cause = (
            "the eclipses are too sparsely observed to be timed"
            if reasons and set(reasons) <= sparse
            else "the period or epoch does not fit the eclipses"
        )
        raise NavfitError(
            f"{lc.where}: no minimum could be timed at P = {P:.8g} d ({span}"
            f"{': ' + ', '.join(reasons) if reasons else ''}); {cause}"
        )
    table.meta.update(
        {
            "period": P,
            "epoch": T0 + lc.time_offset,
            "methods": list(methods),
            "windows": {m: float(factors[m]) for m in methods},
            "errors": errors,
            "template": template,
            "noise_scale": {k: float(v) for k, v in scale.items()},
        }
    )
    return table


def minima_frame(rows, lc):
    """The table of times of minima of ``lc``: ``COLUMNS``, full Julian dates, units, meta.

    ``rows`` hold reduced times (``lc.t``); ``meta`` gets ``name``, ``source``,
    ``band``, ``kind``, ``time_system`` and ``time_format``.
    """
    from astropy.table import Table

    table = Table(rows=rows or None, names=COLUMNS, dtype=DTYPES)
    table["time"] += float(lc.time_offset)
    for name in ("time", "time_err", "o_c", "err_1956"):
        table[name].unit = "d"
    times = lc.full_jd()
    if is_julian_date(float(np.median(times))):
        system, time_format = (
            lc.meta.get("time_system") or "JD (system not stated)",
            "full Julian date",
        )
    else:  # reduced dates the reader could not recognise: their offset is unknown
        system = lc.meta.get("time_system") or "unknown"
        time_format = "as read: not Julian dates (offset unknown: give the time format of the file)"
    table.meta.update(
        {
            "name": lc.name,
            "source": lc.meta.get("source"),
            "band": lc.meta.get("band"),
            "kind": lc.kind,
            "time_system": system,
            "time_format": time_format,
        }
    )
    return table


def _off_eclipse(lc, dy, centre, inner, outer, fit):
    """Sum of squared normalised residuals just outside an eclipse, and its dof.

    The residuals of the global fit at ``inner <= |t - centre| < outer``
    (:data:`OFF_ECLIPSE` half-widths), a straight line removed (a local drift
    of the level): Deeg's noise, the rms of the light outside the eclipse, which no
    mismatch of the eclipse profile inflates. The inner edge lies beyond the
    NAV half-width because limb-darkened wings reach past it.
    """
    sel = (np.abs(lc.t - centre) >= inner) & (np.abs(lc.t - centre) < outer)
    if sel.sum() < 3:
        return 0.0, 0
    r = (lc.y[sel] - fit.evaluate(lc.t[sel])) / (1.0 if dy is None else dy[sel])
    x = lc.t[sel] - centre
    trend = np.polyval(np.polyfit(x, r, 1), x)
    return float(np.sum((r - trend) ** 2)), int(sel.sum() - 2)


def _rescaled(m: MinimumTime, s2: float) -> MinimumTime:
    from dataclasses import replace

    err = m.info["error_unscaled"] * np.sqrt(s2)
    depth_err = m.info["depth_err"] * np.sqrt(s2 / m.info["scale"])
    return replace(m, error=float(err), info={**m.info, "scale": float(s2), "depth_err": depth_err})


def _method_row(
    method,
    t,
    y,
    d,
    lc,
    nav,
    cycle,
    kind,
    centre,
    half,
    where,
    *,
    min_points,
    nfold,
    start,
    noise,
    refine,
    max_degree,
    pool_dof,
    scale,
    white,
    off,
    sign,
):
    """One row of the table: a method's time of one minimum with its flags."""
    before, after = int(np.sum(t < centre)), int(np.sum(t > centre))

    def row(time, err, n_left, n_right, flags, err_1956=np.nan):
        o_c = time - centre if np.isfinite(time) else np.nan
        return (cycle, kind, time, err, method, n_left, n_right, _join(flags), o_c, err_1956)

    if nav is None or t.size < min_points:
        return row(np.nan, np.nan, before, after, ["too few points"])
    for reason in ("too few points", "no eclipse in window"):  # the NAV profile's own
        if reason in nav.flags:
            return row(np.nan, np.nan, before, after, [reason])
    e56 = np.nan
    if method == "nav":
        res = nav
    elif method == "kvw":
        if noise is None:
            rms_dy = 1.0 if d is None else float(np.sqrt(np.mean(d**2)))
            # two estimates of the white noise, each inflated only by what it
            # sees besides the noise: drifts outside the eclipse, the profile's
            # mismatch inside it; the smaller one is nearer the noise
            if white < scale:
                s2 = (off[0] + pool_dof * white) / (off[1] + pool_dof)
            else:
                s2 = nav.info["scale"]
            sigma = float(np.sqrt(s2)) * rms_dy
        else:
            sigma = None if noise == "estimate" else float(noise)
        res = kwee_van_woerden(
            t, y, nfold=nfold, start=start, noise=sigma, kind=sign, refine=refine, where=where
        )
        e56 = res.error_1956
    else:
        res = polynomial_minimum(
            t,
            y,
            d,
            kind=sign,
            max_degree=max_degree,
            global_scale=scale,
            pool_dof=pool_dof,
            where=where,
        )
    time, err, flags = res.time, res.error, list(res.flags)
    if not np.isfinite(time):
        return row(np.nan, np.nan, before, after, flags or ["no minimum"], e56)
    # coverage of the eclipse itself, whatever the window of the method
    n_left, n_right, cover = coverage_flags(lc.t, time, half)
    flags = cover + [f for f in flags if f not in cover]
    if abs(time - centre) >= 0.5 * half:
        flags.append("off the predicted time")
    if method == "kvw":
        n_left, n_right = res.n_left, res.n_right
        if _branch_gap(t, time, half):
            flags.append("gap in a branch")
    return row(time, err, n_left, n_right, flags, e56)


def _branch_gap(t, T, half):
    """Whether a branch of the eclipse at ``T`` has a gap longer than ``half/3``.

    A branch reaches from the minimum to ``OFF_ECLIPSE[0]`` half-widths (the
    wings of limb-darkened eclipses reach past the NAV half-width); the gaps
    counted run from the minimum to the first point, between points, and from
    the last point to that end, and a gap is never shorter than
    :data:`GAP_SPACINGS` spacings. KvW pairs points across the minimum: where a
    stretch of a branch is missing, the other branch is interpolated over it.
    """
    if t.size < 2:
        return True
    limit = max(half / 3.0, GAP_SPACINGS * float(np.median(np.diff(t))))
    end = OFF_ECLIPSE[0] * half
    for side in (-1.0, 1.0):
        d = np.sort(side * (t - T))
        d = d[(d > 0) & (d < end)]
        edges = np.concatenate([[0.0], d, [end]])
        if np.max(np.diff(edges)) > limit:
            return True
    return False
