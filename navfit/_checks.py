"""Argument and array checks shared by the modules that take photometry.

One place for the checks that several modules apply to what users pass in, so
that each error message is written once.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError, NavfitError

__all__ = [
    "MAX_ABS_TIME",
    "MAX_FLUX_RATIO",
    "MAX_MAG_RANGE",
    "MAX_TIME_RESOLUTION",
    "MAX_TIME_SPAN",
    "MAX_WEIGHT",
    "MIN_ERROR_RATIO",
    "as_float_array",
    "check_count",
    "check_folding_period",
    "check_lightcurve",
    "check_number",
    "check_period",
    "check_phased_fit",
    "check_settings",
    "check_time_storage",
    "check_widths",
    "count_reasons",
    "fit_errors",
    "masked_rows",
    "one_band",
]

#: Refusal limits of :class:`LightCurve` (see its Notes): values that are finite but
#: make a fit meaningless. Times: no photometric record is longer than about 130 yr
#: (Harvard plates from the 1880s), so a span over 1e5 d (274 yr) means mixed time
#: formats or a bad time; times beyond 1e7 are not Julian dates in days (JD 1e7 is
#: the year 22 700), e.g. seconds.
MAX_TIME_SPAN = 1e5
MAX_ABS_TIME = 1e7
#: Magnitudes: no variable star varies by more than about 20 mag (novae), so a range
#: over 30 mag means unmarked missing values or mixed columns. Fluxes: the same
#: 30 mag, as a ratio of 1e12 between the largest value and the median.
MAX_MAG_RANGE = 30.0
MAX_FLUX_RATIO = 1e12
#: Errors: a point whose error is below 1e-6 of the median error outweighs 1e12
#: typical points, so the fit is that point alone; weights 1/dy**2 and (y/dy)**2
#: beyond 1e200 overflow the sums of the fits.
MIN_ERROR_RATIO = 1e-6
MAX_WEIGHT = 1e200


#: Coarsest rounding of stored times accepted (d): 1e-3 d (86 s) shifts the phase of
#: a 0.1-d period, the short end of eclipsing binaries and RR Lyrae stars, by 1 %.
MAX_TIME_RESOLUTION = 1e-3


def check_time_storage(dtype, t, where: str) -> None:
    """Refuse times stored in a float type too short for them (float32 Julian dates).

    A float32 holds 24 bits: at JD 2.46e6 its values are 0.25 d apart, so
    neighbouring observations merge and phases are lost before navfit sees
    them. Refused when the spacing of the stored type at the largest time
    exceeds :data:`MAX_TIME_RESOLUTION`.
    """
    dtype = np.dtype(dtype)
    if dtype.kind != "f" or dtype.itemsize >= 8:
        return
    finite = np.abs(t[np.isfinite(t)])
    if finite.size == 0:
        return
    step = float(np.spacing(dtype.type(finite.max())))
    if step > MAX_TIME_RESOLUTION:
        raise InputError(
            f"{where}: times stored as {dtype.name} are rounded to {step:.3g} d at "
            f"{finite.max():.10g}, coarser than {MAX_TIME_RESOLUTION:g} d: store them "
            "as float64, or as a reduced date (minus an offset) before the conversion"
        )


def masked_rows(value) -> np.ndarray | None:
    """Mask of a masked array or astropy MaskedColumn (cells the source marks as null)."""
    if isinstance(value, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(value)
        return mask if mask.ndim == 1 else None
    return None


def as_float_array(value, name: str, where: str, times: bool = False) -> np.ndarray:
    """Strip astropy units/Time and return a 1-D float64 copy, naming ``name`` on failure.

    Masked cells (numpy masked arrays, astropy masked columns) become NaN.
    ``times``: the values are times, refused when stored too coarsely
    (:func:`check_time_storage`).
    """
    dtype = getattr(value, "dtype", None)
    if isinstance(value, np.ma.MaskedArray):
        try:
            value = np.ma.filled(np.ma.asarray(value, dtype=np.float64), np.nan)
        except (TypeError, ValueError) as exc:
            raise InputError(f"{where}: {name} is not numeric ({exc})") from None
    try:
        from astropy.time import Time

        if isinstance(value, Time):
            value = value.jd
    except ImportError:  # pragma: no cover - astropy is a hard dependency
        pass
    if hasattr(value, "unit") and hasattr(value, "value"):
        value = value.value
    try:
        arr = np.array(value, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise InputError(f"{where}: {name} is not numeric ({exc})") from None
    if arr.ndim != 1:
        raise InputError(f"{where}: {name} must be one-dimensional, got shape {arr.shape}")
    if times and dtype is not None:
        check_time_storage(dtype, arr, f"{where}: {name}")
    return arr


def check_count(value, name: str, where: str, minimum: int = 1) -> int:
    """An integer argument of at least ``minimum`` (bools and fractions refused), naming it otherwise."""
    whole = isinstance(value, (int, np.integer)) or (
        isinstance(value, (float, np.floating)) and float(value).is_integer()
    )
    if isinstance(value, (bool, np.bool_)) or not whole:
        raise InputError(f"{where}: {name} must be a whole number, got {value!r}")
    value = int(value)
    if value < minimum:
        raise InputError(f"{where}: {name} must be at least {minimum}, got {value}")
    return value


def check_number(value, name: str, where: str, *, positive: bool = False) -> float:
    """A finite real argument (positive when asked), naming it otherwise."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise InputError(f"{where}: {name} must be a number, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InputError(f"{where}: {name} must be a number, got {value!r}") from None
    if not np.isfinite(number) or (positive and number <= 0):
        kind = "positive and finite" if positive else "finite"
        raise InputError(f"{where}: {name} must be {kind}, got {value!r}")
    return number


def check_settings(min_points, time_offset, meta, phased: bool, where: str):
    """The :class:`~navfit.LightCurve` settings ``(min_points, time_offset)`` checked; ``meta`` a dict."""
    min_points = check_count(min_points, "min_points", where)
    if not phased:
        time_offset = check_number(time_offset, "time_offset", where)
    if meta is not None and not isinstance(meta, dict):
        raise InputError(f"{where}: meta must be a dict, got {type(meta).__name__}")
    return min_points, time_offset


def check_widths(widths, where: str) -> tuple[float, ...]:
    """Eclipse template half-widths as a non-empty tuple of floats; an error naming ``widths``."""
    try:
        out = tuple(float(w) for w in np.atleast_1d(widths))
    except (TypeError, ValueError):
        raise InputError(f"{where}: widths must be numbers, got {widths!r}") from None
    if not out:
        raise InputError(f"{where}: widths must name at least one template half-width")
    if not all(np.isfinite(w) and w > 0 for w in out):
        raise InputError(f"{where}: widths must be positive and finite, got {widths!r}")
    return out


def check_phased_fit(lc, period: float, free_period: bool) -> bool:
    """``free_period`` for a fit of ``lc`` at ``period``: ``False`` for phase-folded data.

    Folded data hold one cycle: they fit only at the period they were folded
    with (attached by :meth:`navfit.LightCurve.with_period`), held fixed.
    """
    if not lc.phased:
        return free_period
    if lc.period is None:
        raise InputError(
            f"{lc.where}: phase-folded data without a period: attach it with lc.with_period(P)"
        )
    if abs(period / lc.period - 1.0) > 1e-9:
        raise InputError(
            f"{lc.where}: phase-folded data fit only at the period they were folded with "
            f"({lc.period:.10g} d), got {period:.10g}"
        )
    return False


def check_lightcurve(lc, what: str) -> None:
    """Refuse anything but a :class:`navfit.LightCurve` where ``what`` needs one."""
    if not all(hasattr(lc, name) for name in ("t", "y", "dy", "where", "phased", "bands")):
        hint = (
            ": read the file first with navfit.read_lightcurve(path), or use navfit.analyze(path)"
            if isinstance(lc, (str, bytes)) or hasattr(lc, "__fspath__")
            else ""
        )
        raise InputError(f"{what} takes a navfit.LightCurve, got {type(lc).__name__}{hint}")


def check_folding_period(period, where: str) -> float | None:
    """``None`` or a positive, finite period of phase-folded data."""
    if period is None:
        return None
    try:
        value = float(period)
    except (TypeError, ValueError):
        raise InputError(f"{where}: period must be a number of days, got {period!r}") from None
    if not (np.isfinite(value) and value > 0):
        raise InputError(f"{where}: period must be positive and finite, got {period!r}")
    return value


def count_reasons(bad: dict, dropped: dict) -> np.ndarray:
    """Count each row under the first reason (in ``bad``'s order) that applies; rows kept."""
    keep = np.ones(next(iter(bad.values())).size, dtype=bool)
    for reason, rows in bad.items():
        hit = keep & rows
        if hit.any():
            dropped[reason] = dropped.get(reason, 0) + int(hit.sum())
        keep &= ~rows
    return keep


def one_band(lc, what: str) -> None:
    """Refuse a multi-band light curve where ``what`` fits or searches one band only."""
    if getattr(lc, "multiband", False):
        raise NavfitError(
            f"{lc.where}: {what} takes one band; this light curve has {len(lc.bands)} "
            f"({', '.join(map(str, lc.bands))}): use lc.select(band), or the multi-band "
            "Periodogram and fit_nav_multiband"
        )


def check_period(lc, period) -> float:
    """A fit's trial period: a positive finite number no longer than the data's time span."""
    try:
        period = float(period)
    except (TypeError, ValueError):
        raise NavfitError(f"{lc.where}: period must be a number, got {period!r}") from None
    if not np.isfinite(period) or period <= 0:
        raise NavfitError(f"{lc.where}: period must be positive and finite, got {period}")
    if period > lc.time_span:
        raise NavfitError(
            f"{lc.where}: period {period:g} d is longer than the time span of the data "
            f"({lc.time_span:.4g} d); the data cannot support it"
        )
    return period


def fit_errors(lc):
    """The errors a fit weights by: ``lc.dy``, or ``None`` (unit weights) when none were given."""
    return lc.dy if lc.dy_given else None


def meaningless(t, y, dy, kind: str, phased: bool, dy_given: bool) -> str | None:
    """Why a cleaned light curve cannot be fitted meaningfully (see LightCurve Notes), or None."""
    if not phased:
        t_max = float(np.max(np.abs(t)))
        span = float(t[-1] - t[0])
        if t_max > MAX_ABS_TIME:
            return (
                f"times reach {t_max:.6g}: not days (JD 1e7 is the year 22 700); navfit "
                "needs times in days, e.g. JD, MJD or BJD - 2450000"
            )
        if span > MAX_TIME_SPAN:
            return (
                f"the times span {span:.6g} d (from {t[0]:.10g} to {t[-1]:.10g}), more than "
                f"{MAX_TIME_SPAN:.0e} d (274 yr): mixed full and reduced Julian dates, or a bad time"
            )
        if span <= 1e3 * np.spacing(t_max):
            return f"the times ({t[0]:.17g} to {t[-1]:.17g}) differ only by rounding"
    if kind == "mag":
        y_range = float(y.max() - y.min())
        if not y_range <= MAX_MAG_RANGE:
            return (
                f"the magnitudes range over {y_range:.4g} mag ({y.min():.6g} to {y.max():.6g}), "
                f"more than {MAX_MAG_RANGE:g} mag: unmarked missing values or mixed columns?"
            )
    else:
        typical = float(np.median(np.minimum(np.abs(y), 1e300)))  # no overflow in the mean
        y_max = float(np.max(np.abs(y)))
        if typical > 0 and not y_max <= MAX_FLUX_RATIO * typical:
            return (
                f"a flux of {y_max:.6g} is more than {MAX_FLUX_RATIO:.0e} times the median "
                f"absolute flux {typical:.6g} (30 mag): unmarked missing values or mixed columns?"
            )
    if dy_given:
        i = int(np.argmin(dy))
        typical = float(np.median(np.minimum(dy, 1e300)))
        if dy[i] < MIN_ERROR_RATIO * typical:
            where = f"phase {t[i]:.6g}" if phased else f"time {t[i]:.10g}"
            return (
                f"the error {dy[i]:.6g} at {where} is below {MIN_ERROR_RATIO:.0e} of the median "
                f"error {typical:.6g}: that point alone would decide every fit"
            )
    with np.errstate(over="ignore", divide="ignore"):
        weight = float(np.max(1.0 / dy**2))
        scaled = float(np.max((y / dy) ** 2))
    if not (weight <= MAX_WEIGHT and scaled <= MAX_WEIGHT):
        return (
            f"errors as small as {dy.min():.6g} against values up to {np.max(np.abs(y)):.6g}: "
            f"weights beyond {MAX_WEIGHT:.0e} would overflow the fits"
        )
    return None
