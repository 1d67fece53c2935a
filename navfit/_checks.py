"""Argument and array checks shared by the modules that take photometry.

One place for the checks that several modules apply to what users pass in, so
that each error message is written once.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError, NavfitError

__all__ = [
    "as_float_array",
    "check_folding_period",
    "check_period",
    "count_reasons",
    "fit_errors",
    "masked_rows",
    "one_band",
]


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
