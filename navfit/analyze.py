"""The main job: from a light curve (or a file) to a catalogue entry."""

from __future__ import annotations

import inspect
import math
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
from astropy.table import Table

from ._checks import check_folding_period
from .band_selection import best_band, without_short_bands, without_small_bands
from .catalogue import CatalogueRow
from .compare import compare
from .decision import Decision, decide
from .errors import InputError, NavfitError
from .evidence import gather_evidence
from .gcvs_types import Classification
from .io import read_lightcurve
from .lightcurve import POOLED_BAND, LightCurve
from .models.nav import fit_nav
from .models.nav_multiband import MultibandNavResult, fit_nav_multiband
from .models.tp import fit_tp, order_limit
from .models.tp_multiband import MultibandTPResult, fit_tp_multiband
from .period_search import PeriodResult, find_period
from .results import FitResult
from .series_scatter import scatter_flags

__all__ = ["StarResult", "analyze"]

ECLIPSER_TYPES = ("EA", "EB", "EW", "ELL")


@dataclass(frozen=True, eq=False)
class StarResult:
    """Everything navfit found about one star.

    Attributes
    ----------
    name, file : str
        Object name and source file (``""`` for arrays).
    lc : LightCurve
    search : PeriodResult
        Period search (:func:`navfit.find_period`); when the period was given,
        a record of it (no candidates or periodograms, ``fap`` NaN, the
        decision saying so).
    nav, tp : FitResult or None
        NAV fit and optimal-TP fit at the period found, both with period and
        epoch free (the period fixed for phase-folded data). ``nav`` is
        ``None`` when NAV could not be fitted, and for a star without a
        significant period or with a pulsator's asymmetric single minimum
        (rules 1 and 2 of :mod:`navfit.decision`), which no eclipse model
        could change; :func:`navfit.fit_nav` fits one on request.
    comparison : astropy.table.Table or None
        :func:`navfit.compare` of the two.
    classification : Classification
    best : FitResult
        The fit the catalogue values come from: NAV for eclipsers, TP otherwise.
    decision : Decision
        Period, model and type decided together (:func:`navfit.decision.decide`),
        with the reasons, the runner-up and the confidence.
    multiband : MultibandNavResult, MultibandTPResult or None
        The joint fit of every band of a multi-band time series: NAV
        (:func:`navfit.fit_nav_multiband`) for an eclipser, TP with a shared
        period (:func:`navfit.fit_tp_multiband`) otherwise; ``None`` for one
        band or when no joint fit could be made. Bands of fewer than
        :data:`~navfit.band_selection.MIN_BAND_POINTS` points are not in it,
        nor bands too short in time for a period search whose joint fit
        failed (flagged; see Notes).
    multiband_lc : LightCurve or None
        The multi-band light curve analysed; ``lc`` is then its best-sampled band.
    input_lc : LightCurve or None
        The light curve as given or read, every band: what the rows dropped on
        reading (``meta["dropped"]``) were counted on. It differs from ``lc``
        when only one band of it was analysed (a phase-folded multi-band file).
    """

    name: str
    file: str
    lc: LightCurve = field(repr=False)
    search: PeriodResult = field(repr=False)
    nav: FitResult | None = field(repr=False)
    tp: FitResult = field(repr=False)
    comparison: Any = field(repr=False)
    classification: Classification
    best: FitResult = field(repr=False)
    decision: Decision = field(repr=False, default=None)
    multiband: MultibandNavResult | MultibandTPResult | None = field(repr=False, default=None)
    multiband_lc: LightCurve | None = field(repr=False, default=None)
    input_lc: LightCurve | None = field(repr=False, default=None)

    def __repr__(self) -> str:
        return (
            f"<StarResult {self.name}: {self.type}, P = {self.best.period:.9g} d, "
            f"{self.best.label}, n = {self.lc.n}>"
        )

    @property
    def type(self) -> str:
        """GCVS type string (``"EA"``, ``"EW:"``, ``"not an eclipsing binary"``)."""
        return self.classification.gcvs

    @property
    def read_lc(self) -> LightCurve:
        """The light curve as given or read (``input_lc``, else ``lc``): its ``meta["dropped"]``."""
        return self.input_lc if self.input_lc is not None else self.lc

    @property
    def phased(self) -> bool:
        """Whether the light curve is phase-folded (period fixed, epoch a phase)."""
        return self.lc.phased

    def epoch_phase(self) -> tuple[float, float]:
        """Phase of Min I in [0, 1) of phase-folded input and its error (period units).

        Raises
        ------
        InputError
            For a time series (its epoch is a Julian date: ``best.epoch``).
        """
        if not self.phased:
            raise InputError(f"{self.lc.where}: a time series has an epoch, not a Min I phase")
        period = self.best.period
        return float((self.best.epoch / period) % 1.0), float(self.best.epoch_error / period)

    def to_dict(self) -> dict:
        """JSON-ready summary: the star's :class:`~navfit.catalogue.CatalogueRow` as JSON.

        Keys are documented in the catalogue page of the docs. For phase-folded
        input ``time_system`` is ``"phase"``, ``epoch`` is the phase of Min I in
        [0, 1) with its error in phase units, ``period`` is the period given with
        ``period_err`` and ``fap`` null (not measurable from folded data), and the
        GCVS line leaves the Julian-date epoch blank.
        """
        return CatalogueRow.from_result(self).to_json()

    def summary(self) -> str:
        """Readable report: period, type, the catalogue line and the model comparison."""
        s = self.search
        row = CatalogueRow.from_result(self)
        if self.phased:
            phase, phase_err = self.epoch_phase()
            head = (
                f"{self.name}: {self.type}, P = {s.period:.9g} d (given, fixed: phase-folded "
                f"data), Min I at phase {phase:.5f} +- {phase_err:.2g}, fitted with "
                f"{self.best.label}"
            )
        elif row.period is None:
            head = (
                f"{self.name}: {self.type}, no significant period (best peak {s.period:.9g} d, "
                f"FAP {s.fap:.2g}), fitted with {self.best.label}"
            )
        else:
            fap = "period given" if not math.isfinite(s.fap) else f"FAP {s.fap:.2g}"
            fap = "FAP < 1e-300" if s.fap == 0 else fap  # as the report writes an underflow
            err = "" if row.period_err is None else f" +- {row.period_err:.2g}"
            head = f"{self.name}: {self.type}, P = {row.period:.9g}{err} d ({fap}), fitted with "
            head += self.best.label
        decision = s.evidence.get("decision")
        classification = "; ".join(self.classification.reasons)
        lines = [head, f"  period decision: {decision}"]
        if classification != decision:
            lines.append(f"  classification: {classification}")
        lines.append(f"  GCVS: {row.gcvs_line()}")
        dropped = self.read_lc.meta.get("dropped") or {}
        if dropped:
            counts = ", ".join(f"{n} {why}" for why, n in dropped.items())
            lines.append(f"  rows dropped on reading: {counts}")
        if self.comparison is not None:
            lines.append(f"  {self.comparison.meta['evidence']}")
        lines += [f"  flag: {f}" for f in (*self.best.flags, *s.flags)]
        return "\n".join(lines)


def _check_read_options(lc_or_path, read_kwargs):
    """Refuse reading options that :func:`navfit.read_lightcurve` does not know, or has nothing to read."""
    if not read_kwargs:
        return
    if isinstance(lc_or_path, LightCurve):
        raise InputError(
            f"analyze: reading options ({', '.join(sorted(read_kwargs))}) given with a "
            "LightCurve, which is already read"
        )
    known = set(inspect.signature(read_lightcurve).parameters) - {"path"}
    unknown = sorted(set(read_kwargs) - known)
    if unknown:
        raise InputError(
            f"analyze: unknown option(s) {', '.join(unknown)}; analyze takes period, "
            f"min_period, max_period, name and the options of read_lightcurve: "
            f"{', '.join(sorted(known))}"
        )


def analyze(lc_or_path, *, period=None, min_period=None, max_period=None, name=None, **read_kwargs):
    """Period search, NAV and TP fits, their comparison, classification, catalogue row.

    Parameters
    ----------
    lc_or_path : LightCurve, path or list of paths
        A light curve, or a photometry file (or several files of one star, a
        list) read with :func:`navfit.read_lightcurve`
        (``read_kwargs`` are passed on: ``time``, ``mag``, ``err``, ``band``,
        ``time_format`` ...). ``time_format="phase"`` reads a phase-folded file.
    period : float, optional
        Known period (days): no period search. A time series is fitted with
        the period as the starting value, refined by the NAV fit (eclipsers)
        or a TP with the period free. Phase-folded data need it (unless the
        light curve already carries one, ``lc.period``) and are fitted with
        the period held fixed, since folded data cannot measure it.
    min_period, max_period : float, optional
        Period search range (days); not with ``period``.
    name : str, optional
        Object name (default: from the file or light curve).

    Returns
    -------
    StarResult

    Raises
    ------
    InputError
        Phase-folded data without a period, ``period`` together with a search
        range, a period that is not positive and finite.
    NavfitError
        Unreadable input or a light curve the period search cannot use.

    Notes
    -----
    Phase-folded data (phase-binned light curves published without times) are
    fitted on ``t = phase * period`` within one cycle: the optimal TP and the
    NAV model at the fixed period, the NAV epoch (Min I) free. The catalogue row
    gives the period as given, the epoch as the phase of Min I and the time
    system ``"phase"``; there is no false-alarm probability.

    A multi-band time series (``lc.multiband``, e.g. a file with a band
    column, or several files) is searched with the multi-band
    :func:`navfit.find_period`, whose decision is made in the best-sampled
    band; an eclipser is then fitted with the joint NAV model of every band
    of at least :data:`~navfit.band_selection.MIN_BAND_POINTS` points
    (:func:`navfit.fit_nav_multiband`: shared period, epoch and geometry), and
    ``nav`` (and ``best`` when NAV is the model) is that fit's view of the
    best-sampled band: ``lc`` is that band, so the catalogue row gives its Max,
    Min I and Min II and names it, and the period and epoch are the joint
    ones. ``comparison`` stays that of the one-band NAV and TP fits. A joint
    fit that fails or moves the period by more than a quarter cycle over the
    data is left out (``multiband`` ``None``), after a second try without the
    bands too short in time for a period search, if any
    (:func:`navfit.band_selection.short_bands`; the fits are then flagged).
    Any other multi-band star (a pulsator, or an eclipser whose joint NAV
    fit was left out) gets the joint
    TP (:func:`navfit.fit_tp_multiband`: shared period free, one order chosen
    by BIC at most the one-band TP's, coefficients per band), and ``tp`` (and
    ``best`` when TP is the model) is its view of the best-sampled band; so
    every multi-band star's JSON has its values per band. Phase-folded
    multi-band data are analysed in their best-sampled band only.
    """
    _check_read_options(lc_or_path, read_kwargs)
    if isinstance(lc_or_path, LightCurve):
        lc, file = lc_or_path, str(lc_or_path.meta.get("source") or "")
    elif isinstance(lc_or_path, list | tuple) and lc_or_path:
        file = ", ".join(str(p[0] if isinstance(p, tuple) else p) for p in lc_or_path)
        lc = read_lightcurve(list(lc_or_path), name=name, **read_kwargs)
    elif isinstance(lc_or_path, str | Path):
        file = str(lc_or_path)
        phased_file = str(read_kwargs.get("time_format") or "").strip().lower() == "phase"
        if phased_file and period is None:
            raise InputError(_no_period_message(file))
        if phased_file:
            read_kwargs = {**read_kwargs, "period": check_folding_period(period, file)}
        lc = read_lightcurve(lc_or_path, name=name, **read_kwargs)
    else:
        raise NavfitError(
            f"analyze: expected a LightCurve or a path, got {type(lc_or_path).__name__}"
        )
    given = lc
    multi = lc if lc.multiband and not lc.phased else None
    if lc.multiband:
        lc = lc.select(best_band(lc))
    if period is not None:
        if min_period is not None or max_period is not None:
            raise InputError(
                f"{lc.where}: period= was given, so there is no period search for "
                "min_period/max_period to limit"
            )
        period = check_folding_period(period, lc.where)
    if lc.phased:
        if period is None and lc.period is None:
            raise InputError(_no_period_message(lc.where))
        if period is not None and period != lc.period:
            lc = lc.with_period(period)
        search = _known_period(lc, lc.period, free_period=False)
    elif period is not None:
        search = _known_period(lc, period, free_period=True)
    else:
        search = find_period(lc if multi is None else multi, min_period, max_period)
    decision = search.decision
    nav, tp, best = decision.nav, decision.tp, decision.fit
    comparison = compare(nav, tp) if nav is not None else None
    joint = None
    if multi is not None and nav is not None and _eclipser(decision):
        joint = _joint_nav(multi, search)
    if joint is not None:
        band_nav = joint.band_fits[lc.bands[0]]
        best = band_nav if best is nav else best
        nav = band_nav
    elif multi is not None:
        joint = _joint_tp(multi, search, tp)
        if joint is not None and lc.bands[0] in joint.band_fits:
            band_tp = joint.band_fits[lc.bands[0]]
            best = band_tp if best is tp else best
            tp = band_tp
    if multi is not None:
        nav, tp, best = _off_pooled(lc, search, nav, tp, best)
    return StarResult(
        name=name or lc.name,
        file=file,
        lc=lc,
        search=search,
        nav=nav,
        tp=tp,
        comparison=comparison,
        classification=decision.classification,
        best=best,
        decision=decision,
        multiband=joint,
        multiband_lc=multi,
        input_lc=given,
    )


def _eclipser(decision) -> bool:
    """Whether the decision's type is an eclipsing (or ellipsoidal) binary."""
    return decision.classification.gcvs.rstrip(":") in ECLIPSER_TYPES


def _joint(multi, search, fit, *, need_status=False):
    """``fit(lc)`` of the bands of ``multi`` with enough points, or ``None``.

    ``None`` when fewer than two bands have enough points, when the fit fails
    (or, with ``need_status``, does not converge), or when it moves the period
    by more than a quarter cycle over the data. Where bands are too short in
    time for a period search (:func:`navfit.band_selection.short_bands`, as
    the search left them out) and the fit of every band is ``None``, the fit
    is made again without them, and every band's fit is flagged: such a
    band cannot move the period by a quarter cycle over the whole span unless
    its points are at odds with the others under one linear ephemeris
    (quoted errors far below its scatter, eclipse timings moved by a third
    body), and the bands the period was found in still share their fit.
    Every band's fit is also flagged for each series that scatters far more
    than its quoted errors (:func:`navfit.series_scatter.scatter_flags`).
    """
    joint = _joint_of_bands(multi, search, fit, need_status)
    notes = []
    if joint is None:
        kept, short = without_short_bands(multi)
        joint = _joint_of_bands(kept, search, fit, need_status) if short else None
        if joint is None:
            return None
        them = "it" if len(short) == 1 else "them"
        notes.append(
            f"{', '.join(short)} left out of the joint fit: too short in time for a period "
            f"search, and the fit with {them} failed or moved the period by a quarter cycle or "
            "more over the data"
        )
    notes += scatter_flags(joint)
    if not notes:
        return joint
    flagged = {b: replace(f, flags=(*f.flags, *notes)) for b, f in joint.band_fits.items()}
    return replace(joint, band_fits=flagged)


def _joint_of_bands(multi, search, fit, need_status):
    """:func:`_joint` of every band of ``multi`` with enough points."""
    try:
        lc = without_small_bands(multi)
    except NavfitError:  # no band is large enough
        return None
    if not lc.multiband:
        return None
    try:
        joint = fit(lc)
    except NavfitError:
        return None
    drift = abs(joint.period - search.period) * lc.time_span / search.period**2
    if not (np.isfinite(joint.period) and drift < 0.25) or (need_status and joint.status <= 0):
        return None
    return joint


def _joint_nav(multi, search):
    """The joint NAV fit of a multi-band eclipser at the period found, or ``None`` (:func:`_joint`)."""
    return _joint(multi, search, lambda lc: fit_nav_multiband(lc, search.period, search.epoch))


def _off_pooled(lc, search, nav, tp, best):
    """Fits of the best-sampled band ``lc`` instead of any fit left on the pooled bands.

    A sparse multi-band search decides on all bands pooled
    (:meth:`navfit.LightCurve.pooled`), whose levels are relative to each
    band's median: when no joint fit replaced them, the catalogue values
    would not be magnitudes of any band. The band's own NAV (when it can be
    fitted) and TP at the period found take their place, flagged.
    """

    def pooled(fit):
        return fit is not None and fit.lc.bands == (POOLED_BAND,)

    if not (pooled(nav) or pooled(tp) or pooled(best)):
        return nav, tp, best
    note = "fitted in the best-sampled band alone at the period of the pooled bands"
    new_nav = nav
    if pooled(nav):
        try:
            new_nav = fit_nav(lc, search.period, search.epoch, free_period=False)
            new_nav = replace(new_nav, flags=(*new_nav.flags, note))
        except NavfitError:
            new_nav = None
    new_tp = tp
    if pooled(tp):
        try:
            new_tp = fit_tp(lc, search.period, max_order=order_limit(lc.n))
            new_tp = replace(new_tp, flags=(*new_tp.flags, note))
        except NavfitError:
            relative = "levels relative to each band's median (all bands pooled)"
            new_tp = replace(tp, flags=(*tp.flags, relative))
    if pooled(best):
        best = new_nav if best is nav and new_nav is not None else new_tp
    return new_nav, new_tp, best


def _joint_tp(multi, search, tp):
    """The joint TP of a multi-band star at the period found (period free), or ``None``.

    The order is the one-band TP's (``tp``), lowered to what every band
    supports; ``None`` as in :func:`_joint`, or when the fit does not converge.
    """

    def fit(lc):
        return fit_tp_multiband(lc, search.period, free_period=True, max_order=tp.info["order"])

    return _joint(multi, search, fit, need_status=True)


def _no_period_message(where) -> str:
    return (
        f"{where}: phase-folded data (time_format='phase') cannot give a period: pass "
        "period= (days; --period on the command line)"
    )


def _known_period(lc, period, *, free_period):
    """The decision at a known period, and a PeriodResult recording it.

    ``free_period=False`` (phase-folded data) holds the period fixed in the
    fits; otherwise it is refined. The period is the orbital period as given:
    the decision does not double it.
    """
    start = time.perf_counter()
    ev = gather_evidence(
        lc, period, free_period=free_period, examine_double=False, given_period=True
    )
    decision = decide(ev)
    final = decision.fit
    if free_period:
        text = (
            f"period given ({period:.9g} d): no period search; refined by the "
            f"{final.label} fit to {final.period:.9g} d"
        )
    else:
        text = (
            f"period given ({period:.9g} d) and held fixed: phase-folded data "
            "cannot measure a period, so there is no period search"
        )
    empty = np.empty(0)
    return PeriodResult(
        period=float(final.period),
        period_error=float(final.errors["period"]),
        epoch=float(final.epoch),
        epoch_error=float(final.epoch_error),
        candidates=Table(),
        fap=math.nan,
        significant=True,
        evidence={
            "decision": text,
            "given_period": float(period),
            "type_decision": "; ".join(decision.reasons),
            "confidence": decision.confidence,
        },
        fit=final,
        frequency=empty,
        power=empty,
        eclipse_power=empty,
        flags=(),
        elapsed=time.perf_counter() - start,
        decision=decision,
    )
