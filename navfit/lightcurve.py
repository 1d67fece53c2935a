"""The validated light curve that every navfit routine takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import as_float_array, check_folding_period, count_reasons, masked_rows
from .errors import InputError

__all__ = ["LightCurve"]

#: Offsets of the usual reduced time formats: full Julian date = value + offset.
TIME_OFFSETS = {
    "JD": 0.0,
    "HJD": 0.0,
    "BJD": 0.0,
    "RJD": 2400000.0,
    "MJD": 2400000.5,
    "BTJD": 2457000.0,
    "BKJD": 2454833.0,
}


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


@dataclass(frozen=True, eq=False)
class LightCurve:
    """Photometry of one star: times, magnitudes (or fluxes) and their errors.

    Construction validates and cleans the arrays, so code downstream can rely
    on them. Rows are dropped, each counted under the first reason that applies
    (the keys of ``meta["dropped"]``):

    * ``null``: a masked time, value or error (numpy masked arrays, astropy
      masked columns: cells the source itself marks as missing);
    * ``non_finite``: a NaN or infinite time, value or error;
    * ``non_positive_error``: a zero or negative error (if every error is zero
      or negative an :class:`~navfit.errors.InputError` is raised instead);
    * ``duplicate_time``: times are sorted (stable, so equal times keep their
      input order) and points with *identical* times are merged into one, the
      inverse-variance weighted mean of the values with error
      ``(sum 1/dy**2)**-0.5``. Identical time stamps are almost always
      duplicated rows of one observation (survey exports, merged files), and
      keeping both would double its weight.

    :func:`navfit.read_lightcurve` drops more before it builds the light curve
    (survey missing-value markers, impossible magnitudes and errors, quality
    flags: see its Notes); ``meta["dropped"]`` then counts every reason.

    A light curve whose values are finite but make any fit meaningless is
    refused with an :class:`~navfit.errors.InputError` naming the source and the
    reason (see *Refused light curves* in the Notes).

    Parameters
    ----------
    t : array_like, `~astropy.time.Time` or `~astropy.units.Quantity`
        Observation times in days. ``Time`` objects are converted to JD.
    y : array_like or `~astropy.units.Quantity`
        Magnitudes (default) or fluxes (``kind="flux"``).
    dy : array_like, optional
        1-sigma errors of ``y``. ``None`` gives equal weights (``dy = 1``) and
        ``dy_given = False``: fits then take their scale from the residuals.
    kind : {"mag", "flux"}
        What ``y`` holds.
    band : str, optional
        Passband (``"V"``, ``"I"``, ``"Kp"`` ...).
    time_system : str, optional
        ``"JD"`` (geocentric), ``"HJD"``, ``"BJD"``, ``None`` when unknown, or
        ``"phase"`` for phase-folded data (see Notes).
    time_offset : float
        Full Julian date = ``t + time_offset`` (e.g. 2450000 for ``BJD-2450000``).
        Ignored for phase-folded data, which have no Julian dates (``NaN``).
    period : float, optional
        Period in days of phase-folded data (``time_system="phase"`` only).
    name : str, optional
        Object name.
    source : str, optional
        File the data came from (used in error messages).
    min_points : int
        Fewest points accepted after cleaning.
    meta : dict, optional
        Extra metadata merged into ``meta``. Its ``dropped`` (reason -> count of
        rows an earlier stage dropped, e.g. the reader) is added to the counts.

    Attributes
    ----------
    t, y, dy : ndarray
        Read-only float64 arrays, sorted by time.
    kind : {"mag", "flux"}
        What ``y`` holds.
    band : str or None
        Passband.
    time_system : str or None
        ``"JD"``, ``"HJD"``, ``"BJD"``, ``"phase"`` or ``None`` (unknown).
    time_offset : float
        Full Julian date = ``t + time_offset`` (``NaN`` for phase-folded data).
    dy_given : bool
        Whether errors were given (else ``dy = 1`` and fits scale by the residuals).
    meta : dict
        ``source``, ``name``, ``band``, ``kind``, ``time_system``, ``time_offset``,
        ``dy_given`` (as the attributes), ``n_input`` and ``dropped`` (reason -> count), plus
        whatever the reader added; phase-folded data add ``phased = True`` and
        ``period``.

    Raises
    ------
    InputError
        Arrays that are not numeric or one-dimensional, of different lengths,
        too few usable points, equal times, constant values, or a light curve
        refused as described in the Notes. Errors raised after rows were
        dropped carry the counts in their ``dropped`` attribute.

    Notes
    -----
    *Refused light curves.* After cleaning, a light curve is refused when

    * a time exceeds 1e7 in absolute value (not days: JD 1e7 is the year
      22 700; times in seconds are the usual cause), the times span more than
      1e5 d (274 yr, beyond any photometric record: mixed full and reduced
      Julian dates, or a bad time), or they differ only by rounding;
    * magnitudes range over more than 30 mag (no variable star varies by more
      than about 20 mag, novae; unmarked missing values or mixed columns are
      the usual cause), or fluxes reach more than 1e12 times their median
      absolute value (the same 30 mag);
    * the smallest error is below 1e-6 of the median error (that one point
      would outweigh 1e12 typical points), or the weights ``1/dy**2`` or
      ``(y/dy)**2`` exceed 1e200 (they would overflow the sums of the fits).

    Phase-folded data are checked the same way except for their times, which
    are phases checked to lie in [0, 1].

    *Phase-folded data* (``time_system="phase"``, e.g. a phase-binned light curve
    published without times): ``t`` holds phases, which must lie in [0, 1]
    (phase 1 is phase 0 of the next cycle and is wrapped to 0). They are stored
    as times within one cycle, ``t = phase * period``, so that every fit works
    on them unchanged at the known period with the period held fixed
    (``fit_tp(lc, lc.period)``, ``fit_nav(lc, lc.period, free_period=False)``;
    :func:`navfit.analyze` does this). The period cannot be measured from
    folded data. Without ``period`` the times are the phases themselves (one
    cycle = 1) until :meth:`with_period` attaches one. A folded light curve
    covers a whole cycle, so :attr:`time_span` is one period, and it has no
    Julian dates: ``time_offset`` is ``NaN`` and epochs are phases
    (:attr:`phase`).

    Examples
    --------
    Two rows at the same time are merged, a row with a NaN and one with a zero
    error are dropped, and each reason is counted:

    >>> import numpy as np
    >>> from navfit import LightCurve
    >>> lc = LightCurve([3.0, 1.0, 2.0, 2.0, 4.0, 5.0],
    ...                 [10.1, 10.0, 10.2, 10.4, np.nan, 10.3],
    ...                 [0.01, 0.01, 0.02, 0.02, 0.01, 0.0], band="V")
    >>> lc
    LightCurve(name='star', n=3, kind='mag', band='V', time_system=None, span=2 d)
    >>> lc.t, lc.y
    (array([1., 2., 3.]), array([10. , 10.3, 10.1]))
    >>> lc.meta["dropped"]
    {'non_finite': 1, 'non_positive_error': 1, 'duplicate_time': 1}

    Phase-folded data with a known period are stored as times within one
    cycle; phase 1 is phase 0 of the next cycle, here merged with the point
    at phase 0:

    >>> folded = LightCurve([0.0, 0.25, 0.5, 0.75, 1.0], [10.0, 9.5, 9.8, 9.5, 10.1],
    ...                     time_system="phase", period=2.0)
    >>> folded.t, folded.phase
    (array([0. , 0.5, 1. , 1.5]), array([0.  , 0.25, 0.5 , 0.75]))
    >>> folded.meta["dropped"], folded.time_span
    ({'duplicate_time': 1}, 2.0)
    """

    t: np.ndarray
    y: np.ndarray
    dy: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)
    kind: str = field(init=False, default="mag")
    band: str | None = field(init=False, default=None)
    time_system: str | None = field(init=False, default=None)
    time_offset: float = field(init=False, default=0.0)
    dy_given: bool = field(init=False, default=True)

    def __init__(
        self,
        t,
        y,
        dy=None,
        *,
        kind: str = "mag",
        band: str | None = None,
        time_system: str | None = None,
        time_offset: float = 0.0,
        name: str | None = None,
        source: str | None = None,
        min_points: int = 3,
        meta: dict | None = None,
        period: float | None = None,
    ):
        where = source or "LightCurve"
        if kind not in ("mag", "flux"):
            raise InputError(f"{where}: kind must be 'mag' or 'flux', got {kind!r}")
        phased = time_system is not None and str(time_system).strip().lower() == "phase"
        if period is not None and not phased:
            raise InputError(
                f"{where}: period= is for phase-folded data only (time_system='phase'); "
                "time series give the period to the fits instead"
            )
        t_null, y_null, dy_null = masked_rows(t), masked_rows(y), masked_rows(dy)
        t = as_float_array(t, "t (phase)" if phased else "t (time)", where)
        if phased:
            period = check_folding_period(period, where)
            t = _phases_to_times(t, period, where)
            time_system, time_offset = "phase", np.nan
        y = as_float_array(y, "y (magnitude/flux)", where)
        dy_given = dy is not None
        dy = np.ones_like(y) if dy is None else as_float_array(dy, "dy (error)", where)
        if not (t.size == y.size == dy.size):
            raise InputError(
                f"{where}: t, y and dy differ in length ({t.size}, {y.size}, {dy.size})"
            )
        n_input = t.size
        if n_input == 0:
            raise InputError(f"{where}: no data points")
        dropped = {k: int(v) for k, v in ((meta or {}).get("dropped") or {}).items()}
        null = np.zeros(n_input, dtype=bool)
        for mask in (t_null, y_null, dy_null):
            if mask is not None and mask.size == n_input:
                null |= mask
        finite = np.isfinite(t) & np.isfinite(y) & np.isfinite(dy)
        bad = {"null": null, "non_finite": ~finite, "non_positive_error": ~(dy > 0)}
        if not (finite & ~null).any():
            raise _refuse(
                f"{where}: every row has a missing, NaN or infinite time, value or error",
                count_reasons(bad, dropped),
            )
        if not (dy > 0)[finite & ~null].any():
            raise _refuse(
                f"{where}: every error (dy) is zero or negative", count_reasons(bad, dropped)
            )
        keep = count_reasons(bad, dropped)
        t, y, dy = t[keep], y[keep], dy[keep]
        order = np.argsort(t, kind="stable")
        t, y, dy = t[order], y[order], dy[order]
        if t.size > 1 and np.any(np.diff(t) == 0):
            t, y, dy, n_merged = _merge_equal_times(t, y, dy)
            dropped["duplicate_time"] = n_merged
        if t.size < min_points:
            raise _refuse(
                f"{where}: only {t.size} usable points after cleaning, at least {min_points} "
                f"needed{_dropped_text(dropped)}",
                dropped,
            )
        if t[-1] == t[0]:
            raise _refuse(f"{where}: all times are equal ({t[0]})", dropped)
        if np.all(y == y[0]):
            raise _refuse(f"{where}: the light is constant (every value is {y[0]})", dropped)
        reason = _meaningless(t, y, dy, kind, phased, dy_given)
        if reason:
            raise _refuse(f"{where}: {reason}", dropped)
        for arr in (t, y, dy):
            arr.setflags(write=False)
        info = {
            "source": source,
            "name": name,
            "band": band,
            "kind": kind,
            "time_system": time_system,
            "time_offset": float(time_offset),
            "dy_given": dy_given,
            "n_input": n_input,
            "dropped": {k: v for k, v in dropped.items() if v},
        }
        if phased:
            info.update({"phased": True, "period": period})
        if meta:
            info.update({k: v for k, v in meta.items() if k not in info or info[k] is None})
        object.__setattr__(self, "t", t)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "dy", dy)
        object.__setattr__(self, "meta", info)
        for key in ("kind", "band", "time_system", "time_offset", "dy_given"):
            object.__setattr__(self, key, info[key])

    @property
    def n(self) -> int:
        """Number of points."""
        return self.t.size

    @property
    def time_span(self) -> float:
        """``t[-1] - t[0]`` in days; one period (one cycle) for phase-folded data."""
        if self.phased:
            return float(self.meta["period"] or 1.0)
        return float(self.t[-1] - self.t[0])

    @property
    def phased(self) -> bool:
        """Whether the data are phase-folded (``time_system == "phase"``)."""
        return bool(self.meta.get("phased", False))

    @property
    def period(self) -> float | None:
        """Period (d) attached to phase-folded data; ``None`` for time series."""
        value = self.meta.get("period") if self.phased else None
        return None if value is None else float(value)

    @property
    def phase(self) -> np.ndarray:
        """Phases in [0, 1) of phase-folded data (``t / period``).

        Raises
        ------
        InputError
            For a time series, whose phases depend on a period and epoch
            (use :meth:`navfit.FitResult.phase`).
        """
        if not self.phased:
            raise InputError(
                f"{self.where}: a time series has no phases of its own; fold it with a "
                "fit (FitResult.phase) or a period and epoch"
            )
        return self.t / (self.period or 1.0)

    def with_period(self, period) -> LightCurve:
        """The same phase-folded data with ``period`` (days) attached.

        Parameters
        ----------
        period : float
            Period in days.

        Returns
        -------
        LightCurve
            A new light curve with ``t = phase * period``; the values, errors
            and metadata (cleaning counts included) are those of ``self``.

        Raises
        ------
        InputError
            For a time series, or a period that is not positive and finite.

        Examples
        --------
        >>> from navfit import LightCurve
        >>> folded = LightCurve([0.1, 0.4, 0.7], [10.0, 10.5, 10.2], time_system="phase")
        >>> folded.period, folded.t                  # no period yet: t holds the phases
        (None, array([0.1, 0.4, 0.7]))
        >>> folded.with_period(0.5).t
        array([0.05, 0.2 , 0.35])
        """
        if not self.phased:
            raise InputError(
                f"{self.where}: with_period applies to phase-folded data (time_system='phase') only"
            )
        period = check_folding_period(period, self.where)
        phase = self.phase
        new = object.__new__(LightCurve)
        t = phase * period
        t.setflags(write=False)
        object.__setattr__(new, "t", t)
        object.__setattr__(new, "y", self.y)
        object.__setattr__(new, "dy", self.dy)
        object.__setattr__(new, "meta", {**self.meta, "period": period})
        return new

    @property
    def name(self) -> str:
        """Object name, else the file name, else ``"star"``."""
        if self.meta.get("name"):
            return str(self.meta["name"])
        if self.meta.get("source"):
            from pathlib import Path

            return Path(str(self.meta["source"])).stem
        return "star"

    @property
    def where(self) -> str:
        """Label for error messages: the source file or the object name."""
        return str(self.meta.get("source") or self.name)

    def full_jd(self, t=None) -> np.ndarray:
        """Times (default: ``self.t``) as full Julian dates in the light curve's time system.

        ``NaN`` for phase-folded data, which have no Julian dates.
        """
        t = self.t if t is None else np.asarray(t, dtype=float)
        return t + self.time_offset

    def __len__(self) -> int:
        return self.t.size

    def __repr__(self) -> str:
        m = self.meta
        return (
            f"LightCurve(name={self.name!r}, n={self.n}, kind={m['kind']!r}, band={m['band']!r}, "
            f"time_system={m['time_system']!r}, span={self.time_span:.4g} d)"
        )


def _phases_to_times(phase: np.ndarray, period: float | None, where: str) -> np.ndarray:
    """Check that finite phases lie in [0, 1], wrap 1 to 0 and scale them to days."""
    finite = np.isfinite(phase)
    bad = np.flatnonzero(finite & ((phase < 0) | (phase > 1)))
    if bad.size:
        i = int(bad[0])
        raise InputError(
            f"{where}: phase-folded data need phases in [0, 1], but {bad.size} of "
            f"{phase.size} lie outside (first: row {i + 1}, {phase[i]:g}); wrap them "
            "with phase % 1 if they are not repeated points, or give real times"
        )
    phase = np.where(phase == 1.0, 0.0, phase)
    return phase * period if period is not None else phase


def _dropped_text(dropped: dict) -> str:
    counts = {k: v for k, v in dropped.items() if v}
    if not counts:
        return ""
    return " (dropped: " + ", ".join(f"{n} {reason}" for reason, n in counts.items()) + ")"


def _refuse(message: str, dropped) -> InputError:
    """An InputError carrying the rows dropped so far (``exc.dropped``)."""
    exc = InputError(message)
    exc.dropped = {k: v for k, v in dropped.items() if v} if isinstance(dropped, dict) else {}
    return exc


def _meaningless(t, y, dy, kind: str, phased: bool, dy_given: bool) -> str | None:
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


def _merge_equal_times(t, y, dy):
    """Merge runs of identical times into inverse-variance weighted means.

    Weights are taken relative to the smallest error of each run, ``(dmin / dy)**2``
    (at most 1, at least one equal to 1), so that no error overflows them.
    """
    starts = np.flatnonzero(np.r_[True, np.diff(t) != 0])
    dmin = np.minimum.reduceat(dy, starts)
    w = (np.repeat(dmin, np.diff(np.r_[starts, t.size])) / dy) ** 2
    sw = np.add.reduceat(w, starts)
    ym = np.add.reduceat(w * y, starts) / sw
    return t[starts].copy(), ym, dmin / np.sqrt(sw), int(t.size - starts.size)
