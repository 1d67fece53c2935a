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
    "MAX_TIME_SPAN",
    "MAX_WEIGHT",
    "MIN_ERROR_RATIO",
    "as_float_array",
    "check_folding_period",
    "check_period",
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


def masked_rows(value) -> np.ndarray | None:
    """Mask of a masked array or astropy MaskedColumn (cells the source marks as null)."""
    if isinstance(value, np.ma.MaskedArray):
        mask = np.ma.getmaskarray(value)
        return mask if mask.ndim == 1 else None
    return None


def as_float_array(value, name: str, where: str) -> np.ndarray:
    """Strip astropy units/Time and return a 1-D float64 copy, naming ``name`` on failure.

    Masked cells (numpy masked arrays, astropy masked columns) become NaN.
    """
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
    return arr


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
