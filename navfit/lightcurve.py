"""The validated light curve that every navfit routine takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

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


def _as_float_array(value, name: str, where: str) -> np.ndarray:
    """Strip astropy units/Time and return a 1-D float64 copy, naming ``name`` on failure."""
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


@dataclass(frozen=True, eq=False)
class LightCurve:
    """Photometry of one star: times, magnitudes (or fluxes) and their errors.

    Construction validates and cleans the arrays with the same rules as
    :func:`navfit.read_lightcurve`, so code downstream can rely on them:

    * rows with a non-finite time, value or error are dropped;
    * rows with a zero or negative error are dropped (if every error is zero or
      negative an :class:`~navfit.errors.InputError` is raised instead);
    * times are sorted (stable, so equal times keep their input order);
    * points with *identical* times are merged into one: the inverse-variance
      weighted mean of the values, with error ``(sum 1/dy**2)**-0.5``. Identical
      time stamps are almost always duplicated rows of one observation (survey
      exports, merged files), and keeping both would double its weight.

    Every dropped or merged row is counted in ``meta["dropped"]``.

    Parameters
    ----------
    t : array_like, `~astropy.time.Time` or `~astropy.units.Quantity`
        Observation times in days. ``Time`` objects are converted to JD.
    y : array_like or `~astropy.units.Quantity`
        Magnitudes (default) or fluxes (``kind="flux"``).
    dy : array_like, optional
        1-sigma errors of ``y``. ``None`` gives equal weights (``dy = 1``) and
        ``meta["dy_given"] = False``: fits then take their scale from the residuals.
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
        Extra metadata merged into ``meta``.

    Attributes
    ----------
    t, y, dy : ndarray
        Read-only float64 arrays, sorted by time.
    meta : dict
        ``source``, ``name``, ``band``, ``kind``, ``time_system``, ``time_offset``,
        ``dy_given``, ``n_input`` and ``dropped`` (reason -> count), plus
        whatever the reader added; phase-folded data add ``phased = True`` and
        ``period``.

    Notes
    -----
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
    """

    t: np.ndarray
    y: np.ndarray
    dy: np.ndarray
    meta: dict[str, Any] = field(default_factory=dict)

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
        t = _as_float_array(t, "t (phase)" if phased else "t (time)", where)
        if phased:
            period = _check_folding_period(period, where)
            t = _phases_to_times(t, period, where)
            time_system, time_offset = "phase", np.nan
        y = _as_float_array(y, "y (magnitude/flux)", where)
        dy_given = dy is not None
        dy = np.ones_like(y) if dy is None else _as_float_array(dy, "dy (error)", where)
        if not (t.size == y.size == dy.size):
            raise InputError(
                f"{where}: t, y and dy differ in length ({t.size}, {y.size}, {dy.size})"
            )
        n_input = t.size
        if n_input == 0:
            raise InputError(f"{where}: no data points")
        dropped: dict[str, int] = {}
        finite = np.isfinite(t) & np.isfinite(y) & np.isfinite(dy)
        if not finite.any():
            raise InputError(f"{where}: every row has a NaN or infinite time, value or error")
        if (~finite).any():
            dropped["non_finite"] = int((~finite).sum())
        positive = dy > 0
        if not positive[finite].any():
            raise InputError(f"{where}: every error (dy) is zero or negative")
        bad_err = finite & ~positive
        if bad_err.any():
            dropped["non_positive_error"] = int(bad_err.sum())
        keep = finite & positive
        t, y, dy = t[keep], y[keep], dy[keep]
        order = np.argsort(t, kind="stable")
        t, y, dy = t[order], y[order], dy[order]
        if t.size > 1 and np.any(np.diff(t) == 0):
            t, y, dy, n_merged = _merge_equal_times(t, y, dy)
            dropped["duplicate_time"] = n_merged
        if t.size < min_points:
            raise InputError(
                f"{where}: only {t.size} usable points after cleaning, at least {min_points} needed"
            )
        if t[-1] == t[0]:
            raise InputError(f"{where}: all times are equal ({t[0]})")
        if np.all(y == y[0]):
            raise InputError(f"{where}: the light is constant (every value is {y[0]})")
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
            "dropped": dropped,
        }
        if phased:
            info.update({"phased": True, "period": period})
        if meta:
            info.update({k: v for k, v in meta.items() if k not in info or info[k] is None})
        object.__setattr__(self, "t", t)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "dy", dy)
        object.__setattr__(self, "meta", info)

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
        """
        if not self.phased:
            raise InputError(
                f"{self.where}: with_period applies to phase-folded data (time_system='phase') only"
            )
        period = _check_folding_period(period, self.where)
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
        return t + self.meta["time_offset"]

    def __len__(self) -> int:
        return self.t.size

    def __repr__(self) -> str:
        m = self.meta
        return (
            f"LightCurve(name={self.name!r}, n={self.n}, kind={m['kind']!r}, band={m['band']!r}, "
            f"time_system={m['time_system']!r}, span={self.time_span:.4g} d)"
        )


def _check_folding_period(period, where: str) -> float | None:
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


def _merge_equal_times(t, y, dy):
    """Merge runs of identical times into inverse-variance weighted means."""
    starts = np.flatnonzero(np.r_[True, np.diff(t) != 0])
    w = 1.0 / dy**2
    sw = np.add.reduceat(w, starts)
    ym = np.add.reduceat(w * y, starts) / sw
    return t[starts].copy(), ym, 1.0 / np.sqrt(sw), int(t.size - starts.size)
