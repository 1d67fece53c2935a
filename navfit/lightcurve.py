"""The validated light curve that every navfit routine takes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ._checks import (
    as_float_array,
    check_folding_period,
    check_settings,
    count_reasons,
    masked_rows,
    meaningless,
)
from .bands import band_rows, point_labels, sort_and_merge
from .errors import InputError

__all__ = ["POOLED_BAND", "LightCurve"]

#: Band name of :meth:`LightCurve.pooled`: every band of a light curve taken together.
POOLED_BAND = "pooled"
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
      inverse-variance weighted mean of the values with the error of one of
      them, ``(mean 1/dy**2)**-0.5``. Identical time stamps are almost always
      duplicated rows of one observation (survey exports, merged files), and
      keeping both, or the error of their mean, would double its weight.

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
    band : str or array_like, optional
        Passband (``"V"``, ``"I"``, ``"Kp"`` ...) of every point, or one label per
        point for a multi-band light curve (see *Multi-band light curves* in the
        Notes).
    series : str or array_like, optional
        Series of every point, or one label per point: the instrument, field or
        file it comes from, where one band holds data with different zero
        points (joint fits give each band and series its own offset). Default:
        the band.
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
        Passband of a one-band light curve; ``None`` for a multi-band one (and
        when unknown).
    bands : tuple
        Distinct passbands in order of first appearance in the input
        (``(band,)`` for a one-band light curve).
    band_index : ndarray of int
        Read-only: each point's index into :attr:`bands`.
    series, series_index : tuple, ndarray of int
        Distinct series labels (default: the bands) and each point's index
        into them.
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

    *Multi-band light curves* (``band=`` one label per point): a point with a
    missing label (masked or empty) counts as ``null``; identical times are
    merged only within one band and series (two bands observed at once stay
    two points); a band with fewer than ``min_points`` points, or whose light is
    constant, is dropped, its points counted under ``band_too_few`` or
    ``band_constant`` and the band named with the reason in
    ``meta["dropped_bands"]``, unless no band can be used (then an
    :class:`~navfit.errors.InputError` names each band and why). The light
    curve stays sorted by time with the bands interleaved; :meth:`select`
    gives one band, :attr:`band_index` codes them for the fits.

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
    bands: tuple = field(init=False, default=(None,))
    band_index: np.ndarray = field(init=False, default=None)
    series: tuple = field(init=False, default=(None,))
    series_index: np.ndarray = field(init=False, default=None)

    def __init__(
        self,
        t,
        y,
        dy=None,
        *,
        kind: str = "mag",
        band=None,
        series=None,
        time_system: str | None = None,
        time_offset: float = 0.0,
        name: str | None = None,
        source: str | None = None,
        min_points: int = 3,
        meta: dict | None = None,
        period: float | None = None,
    ):
        where = source or "LightCurve"
        phased = _check_options(kind, time_system, period, where)
        min_points, time_offset = check_settings(min_points, time_offset, meta, phased, where)
        t_null, y_null, dy_null = masked_rows(t), masked_rows(y), masked_rows(dy)
        t = as_float_array(t, "t (phase)" if phased else "t (time)", where, times=not phased)
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
        blab, slab, label_null = point_labels(band, series, n_input, where)
        null = np.zeros(n_input, dtype=bool)
        for mask in (t_null, y_null, dy_null, label_null):
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
        t, y, dy, coded = sort_and_merge(
            t[keep], y[keep], dy[keep], blab[keep], slab[keep], dropped, min_points, where
        )
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
        reason = meaningless(t, y, dy, kind, phased, dy_given)
        if reason:
            raise _refuse(f"{where}: {reason}", dropped)
        for arr in (t, y, dy):
            arr.setflags(write=False)
        band = coded["bands"][0] if len(coded["bands"]) == 1 else None
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
        if len(coded["bands"]) > 1:
            info["bands"] = list(coded["bands"])
        if coded["dropped_bands"]:
            info["dropped_bands"] = dict(coded["dropped_bands"])
        if phased:
            info.update({"phased": True, "period": period})
        if meta:
            info.update({k: v for k, v in meta.items() if k not in info or info[k] is None})
        object.__setattr__(self, "t", t)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "dy", dy)
        object.__setattr__(self, "meta", info)
        for key in _TYPED:
            object.__setattr__(self, key, coded[key] if key in coded else info[key])

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
        for key in _TYPED:
            object.__setattr__(new, key, getattr(self, key))
        return new

    @property
    def multiband(self) -> bool:
        """Whether the light curve holds more than one passband."""
        return len(self.bands) > 1

    def select(self, band) -> LightCurve:
        """The points of one passband, as a one-band light curve.

        Parameters
        ----------
        band : str
            One of :attr:`bands` (compared as given, then case-insensitively).

        Returns
        -------
        LightCurve
            The band's points and series; ``meta["dropped"]`` is empty (the
            rows dropped on reading are counted in ``self.meta``).

        Raises
        ------
        InputError
            A band that is not among :attr:`bands`, naming the bands there are.

        Examples
        --------
        >>> from navfit import LightCurve
        >>> lc = LightCurve([1, 2, 3, 4, 5, 6], [10.0, 11.0, 10.2, 11.3, 10.1, 11.1],
        ...                 [0.01] * 6, band=["g", "r", "g", "r", "g", "r"])
        >>> lc.bands, lc.band_index
        (('g', 'r'), array([0, 1, 0, 1, 0, 1]))
        >>> lc.select("r").y
        array([11. , 11.3, 11.1])
        """
        name, rows = band_rows(self.bands, self.band_index, band, self.where)
        return self.subset(rows, band=name, meta={"band": name, "selected_from": self.n})

    def subset(self, rows, *, band=None, meta=None, values=None) -> LightCurve:
        """Some of the points, as a new light curve with the same kind, times and labels.

        Parameters
        ----------
        rows : array_like of bool or int
            The points kept (a mask or indices).
        band : str, optional
            One band name for every point kept; by default each keeps its own.
        meta : dict, optional
            Added to a copy of :attr:`meta` without ``dropped``, ``bands`` and
            ``dropped_bands`` (the rows dropped on reading are counted in
            ``self.meta``).
        values : array_like, optional
            New values of the points kept (e.g. with offsets removed).
        """
        if band is None:
            band = np.array(self.bands, dtype=object)[self.band_index[rows]]
        series = np.array(self.series, dtype=object)[self.series_index[rows]]
        y = self.y[rows] if values is None else np.asarray(values, dtype=float)
        return self._rebuilt(rows, y, band, series, meta)

    def pooled(self, values=None, errors=None) -> LightCurve:
        """Every band and series as one band (``POOLED_BAND``), each moved to a common level.

        Each band and series has its median subtracted (errors kept), so that
        the eclipses and phases of all bands line up in one curve: a search or
        a start fit can use it where no band alone has points enough. Levels
        and the colour-dependent depths are left to the joint fits
        (:func:`navfit.fit_nav_multiband`).

        Parameters
        ----------
        values, errors : ndarray, optional
            Pooled values and errors computed elsewhere, one per point in this
            light curve's order (:func:`navfit.pooling.scaled_pool` scales the
            bands as well); the medians are then not subtracted.
        """
        if values is None:
            y = self.y.copy()
            key = self.band_index * len(self.series) + self.series_index
            for k in np.unique(key):
                rows = key == k
                y[rows] -= np.median(y[rows])
        else:
            y = np.asarray(values, dtype=float)
        return self._rebuilt(slice(None), y, POOLED_BAND, None, None, dy=errors)

    def _rebuilt(self, rows, y, band, series, meta, dy=None) -> LightCurve:
        """A light curve of this one's points ``rows`` with values ``y``, labels and meta.

        Kind, times (phases stay phases), time system, name and source are
        kept; ``meta`` is added to a copy of :attr:`meta` without ``dropped``,
        ``bands`` and ``dropped_bands``.
        """
        drop = ("dropped", "bands", "dropped_bands")
        kept = {key: v for key, v in self.meta.items() if key not in drop}
        return LightCurve(
            self.t[rows] / (self.period or 1.0) if self.phased else self.t[rows],
            y,
            dy if dy is not None else (self.dy[rows] if self.dy_given else None),
            kind=self.kind,
            band=band,
            series=series,
            time_system=self.time_system,
            time_offset=self.time_offset,
            source=self.meta.get("source"),
            name=self.meta.get("name"),
            min_points=1,
            meta={**kept, **(meta or {})},
            period=self.period if self.phased else None,
        )

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
        band = f"bands={self.bands!r}" if self.multiband else f"band={m['band']!r}"
        return (
            f"LightCurve(name={self.name!r}, n={self.n}, kind={m['kind']!r}, {band}, "
            f"time_system={m['time_system']!r}, span={self.time_span:.4g} d)"
        )


#: The typed fields set by the constructor (besides ``t``, ``y``, ``dy``, ``meta``).
_TYPED = ("kind", "band", "time_system", "time_offset", "dy_given")
_TYPED += ("bands", "band_index", "series", "series_index")


def _check_options(kind, time_system, period, where) -> bool:
    """Check ``kind`` and that ``period`` comes with phase-folded data; whether they are."""
    if kind not in ("mag", "flux"):
        raise InputError(f"{where}: kind must be 'mag' or 'flux', got {kind!r}")
    phased = time_system is not None and str(time_system).strip().lower() == "phase"
    if period is not None and not phased:
        raise InputError(
            f"{where}: period= is for phase-folded data only (time_system='phase'); "
            "time series give the period to the fits instead"
        )
    return phased


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
