"""find_period: the period of a variable star, eclipsing binaries included, without multiples.

The search gathers candidates and evidence; the period (``P`` or ``2P``), the
model and the type are then decided together by :func:`navfit.decision.decide`.

1. Two periodograms on one frequency grid: a 2-harmonic trigonometric-polynomial
   periodogram (:class:`navfit.Periodogram`, order 2), which sees pulsators,
   ellipsoidal and contact binaries, and the eclipse periodogram
   (:func:`navfit.eclipse_periodogram.eclipse_periodogram`), which sees narrow
   eclipses that Lomb-Scargle misses.
2. Candidates: the ``N_PEAKS`` highest distinct peaks of each, the halves,
   doubles, triples and thirds of the ``N_MULTIPLES`` highest of each, the
   quarters and fourfolds of the highest, and the 1-day aliases
   (``f +- 1`` and ``f +- 2`` cycles per day) of the ``N_MULTIPLES`` highest,
   so that on sparse data the true peak is still among them (Stripe 82: the
   catalogue period is among the five highest peaks for 99 % of RR Lyrae,
   VanderPlas & Ivezic 2015; ground-based nightly sampling makes 1-day
   aliases).
3. Each candidate period is refined by a TP fit with the period free and
   scored by the BIC of the optimal TP at it, the order limited to three
   points per parameter (:func:`navfit.models.tp.order_limit`). The best
   candidate is the photometric period ``P`` unless one of its integer
   fractions is within ``BIC_STRONG`` of it (:func:`photometric_pick`): a
   TP at ``2P`` contains the TP at ``P``, so ``2P`` only wins when the two
   halves of the cycle differ by more than that (unequal minima). Two
   1-day aliases near the best score are not nested: the loser by a BIC
   difference with a robust likelihood scores at least the winner's BIC
   plus that difference (:func:`navfit.aliases.settle_aliases`).
4. The evidence at ``P`` and ``2P`` (:func:`navfit.evidence.gather_evidence`)
   goes to :func:`navfit.decision.decide`, which keeps ``P`` or doubles it and
   says why, with the runner-up and a confidence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from astropy.table import Table

from ._checks import check_count, check_lightcurve, check_number, check_widths
from .aliases import settle_aliases
from .band_selection import without_short_bands
from .confidence import period_doubt
from .decision import decide
from .eclipse_periodogram import DEFAULT_WIDTHS, eclipse_periodogram, resolvable_widths
from .errors import InputError, NavfitError
from .evidence import gather_evidence
from .lightcurve import POOLED_BAND, LightCurve
from .period_bootstrap import selection_probability
from .period_candidates import (
    ALIAS_SNAP,
    SCREEN_ORDER,
    SCREEN_WINDOW,
    bic_at_multiples,
    candidate_frequencies,
    cell_maxima,
    peaks,
    photometric_pick,
    score_candidates,
)
from .period_search_multiband import joint_scores, multiband_setup
from .periodogram import Periodogram
from .pooling import eclipse_period, scaled_pool
from .results import FitResult
from .significance import (
    contained_frequencies,
    eclipse_fap,
    family_fap,
    robust_significance,
    search_fap,
)

__all__ = ["PeriodResult", "find_period"]

#: Largest frequency grid accepted (points).
MAX_FREQUENCIES = 5_000_000
#: Peaks taken from each periodogram.
N_PEAKS = 5
#: Search methods of :func:`find_period`.
METHODS = ("staged", "exhaustive")
#: Staged search: grid steps per 1/T of the coarse eclipse pass, and its template widths.
COARSE_OVERSAMPLE = 3
COARSE_WIDTHS = (0.08, 0.16)
#: Staged search: coarse peaks examined on a fine grid of FINE_OVERSAMPLE steps per 1/T.
N_COARSE_PEAKS = 12
FINE_OVERSAMPLE = 40
#: Shortest period (d) searched for eclipses in the staged search (the shortest orbital
#: period of an eclipser in navfit.decision).
MIN_ECLIPSE_PERIOD = 0.2
#: A period is "significant" when its false-alarm probability is below this: 0.1 %, so
#: that a survey of 10,000 constant stars lists about 10 false periods, not 100 (the
#: HATSouth constant star of the curated set has FAP 0.005 from its systematics; no
#: eclipser of the survey development set has FAP above 1e-4).
FAP_LEVEL = 1e-3


@dataclass(frozen=True, eq=False)
class PeriodResult:
    """Outcome of :func:`find_period`.

    Attributes
    ----------
    period, period_error : float
        Best period (d) and its 1-sigma error from the final fit.
    epoch, epoch_error : float
        Epoch of primary minimum (light-curve time values; add
        ``lc.time_offset`` for full JD) and its error.
    candidates : astropy.table.Table
        Candidate periods with their periodogram powers, TP BIC, false-alarm
        probabilities and flags (aliases, harmonics, sampling).
    fap : float
        False-alarm probability of the chosen period's peak.
    significant : bool
        ``fap < FAP_LEVEL`` (0.1 %).
    evidence : dict
        What decided between P/2, P and 2P: BIC of the TP at each, symmetry of
        the light curve, depths of the two halves of the cycle, the NAV/TP
        comparison, a sentence ``decision``, and ``bootstrap`` (the period's
        :func:`~navfit.period_bootstrap.selection_probability`, or None).
    fit : FitResult
        The final NAV or TP fit (period and epoch free).
    frequency, power, eclipse_power : ndarray
        The periodograms.
    flags : tuple of str
    elapsed : float
        Seconds taken.
    decision : navfit.decision.Decision
        Period, model and type decided together, with reasons, runner-up and
        confidence (``None`` for a record of a given period).
    """

    period: float
    period_error: float
    epoch: float
    epoch_error: float
    candidates: Table
    fap: float
    significant: bool
    evidence: dict
    fit: FitResult
    frequency: np.ndarray = field(repr=False)
    power: np.ndarray = field(repr=False)
    eclipse_power: np.ndarray = field(repr=False)
    flags: tuple = ()
    elapsed: float = 0.0
    decision: object = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (
            f"<PeriodResult P={self.period:.9g} +- {self.period_error:.2g} d, "
            f"FAP={self.fap:.2g}, model={self.fit.label}>"
        )


def _grid(lc, min_period, max_period, oversample):
    span = lc.time_span
    default = ""
    if min_period is None:
        min_period = max(0.05, 2.0 * np.median(np.diff(lc.t))) if lc.n > 1 else 0.05
        min_period = min(min_period, 0.1)
        default = ", the default: twice the median time step, within 0.05-0.1 d"
    if max_period is None:
        max_period = 0.5 * span
    min_period = check_number(min_period, "min_period", lc.where, positive=True)
    max_period = check_number(max_period, "max_period", lc.where, positive=True)
    if min_period >= span:
        raise NavfitError(
            f"{lc.where}: the time span ({span:.4g} d) is shorter than min_period "
            f"({min_period:g} d); no period can be measured"
        )
    max_period = min(max_period, span)
    if max_period <= min_period:
        raise NavfitError(
            f"{lc.where}: max_period ({max_period:g}) must exceed min_period ({min_period:g}{default})"
        )
    df = 1.0 / (oversample * span)
    f_min, f_max = 1.0 / max_period, 1.0 / min_period
    nf = int(np.ceil((f_max - f_min) / df)) + 1
    if nf > MAX_FREQUENCIES:
        raise NavfitError(
            f"{lc.where}: the frequency grid would have {nf:.3g} points (limit "
            f"{MAX_FREQUENCIES:.0e}); raise min_period (now {min_period:g} d) or lower "
            f"max_period"
        )
    return f_min + df * np.arange(nf), df


def _checked_input(lc, method, oversample, widths):
    """The arguments of :func:`find_period` checked: ``(lc, short bands, oversample, widths)``.

    Bands too short in time for a search are set aside (:func:`without_short_bands`).
    """
    check_lightcurve(lc, "find_period")
    if lc.phased:
        raise InputError(
            f"{lc.where}: phase-folded data hold one cycle and give no period: analyze them "
            "at their known period (analyze(path, time_format='phase', period=P))"
        )
    if method not in METHODS:
        raise NavfitError(f"method must be one of {METHODS}, got {method!r}")
    oversample = check_count(oversample, "oversample", "find_period")
    widths = check_widths(widths, "find_period")
    short = {}
    if lc.multiband:
        lc, short = without_short_bands(lc)
    if lc.n < 12:
        raise InputError(f"{lc.where}: {lc.n} points are too few for a period search (at least 12)")
    return lc, short, oversample, widths


def _flags_for(f, others, df, span):
    flags = []
    for g in others:
        if g == f:
            continue
        for k in (1, 2):
            if abs(abs(f - g) - k) < 2 * df:
                flags.append(f"{k}-day alias of P={1 / g:.6g}")
        r = f / g
        for n in (2, 3):
            if abs(r - n) < 2 * df / g or abs(r - 1 / n) < 2 * df / g:
                flags.append(f"harmonic (x{n} or /{n}) of P={1 / g:.6g}")
    if 1 / f > span / 3:
        flags.append("fewer than 3 cycles in the data")
    return sorted(set(flags))


def find_period(
    lc: LightCurve,
    min_period: float | None = None,
    max_period: float | None = None,
    *,
    oversample: int = 10,
    widths=DEFAULT_WIDTHS,
    method: str = "staged",
) -> PeriodResult:
    """Find the period of a light curve, eclipsing binaries included.

    Parameters
    ----------
    lc : LightCurve
        One band, or several (``lc.multiband``): see Notes.
    min_period, max_period : float, optional
        Search range in days (default: 0.05-0.1 d up to half the time span).
    oversample : int
        Frequency steps per ``1/T`` (T the time span).
    widths : sequence of float
        Eclipse-template half-widths (phase) of the eclipse periodogram.
    method : {"staged", "exhaustive"}
        ``"staged"`` (default) spends the time where the answer is (see
        Notes); ``"exhaustive"`` is its slow reference: the eclipse
        periodogram with every width on the whole grid, every candidate
        refined.

    Returns
    -------
    PeriodResult

    Raises
    ------
    NavfitError
        Too few points, a time span shorter than ``min_period``, a frequency
        grid above :data:`MAX_FREQUENCIES`.
    InputError
        A multi-band ``lc`` whose best-sampled band has fewer than 12 points.

    Notes
    -----
    See the module docstring for the procedure. The false-alarm probability is
    a documented approximation: the single-frequency tail of the chi-square
    reduction of the periodogram's model (4 extra parameters for the order-2 TP
    periodogram, :meth:`navfit.Periodogram.false_alarm_probability` with
    ``method="beta"``; 2 for an eclipse pair, :func:`navfit.criteria.reduction_fap`) raised to ``M``
    independent trials, ``M = 2 T (f_max - f_min)`` for the TP periodogram and
    ``T (f_max - f_min) / (2 a_min)`` (template epochs per cycle) for the eclipse
    periodogram; the reported value is the smaller of the two at the chosen
    frequency, or at a shorter period whose harmonic the chosen TP contains
    (:func:`navfit.significance.family_fap`). For order-1 periodograms
    :class:`navfit.Periodogram` gives Baluev's (2008) analytic bound. Constant
    light or noise gives ``significant=False`` and a flag, not an error. One
    band's period is significant only if it stays so without the light
    curve's most deviant point (:func:`navfit.significance.robust_significance`):
    a single outlier fits an eclipse template or a harmonic at almost any
    period, and the Gaussian probabilities above do not see that. Where that
    point decides, the reported probability is the one without it, with a flag.

    The staged search differs from the exhaustive one in three places, each
    where the exhaustive work is not expected to change the answer (the
    survey benchmark and the tests compare them):

    1. The eclipse periodogram first runs on a coarse grid
       (``COARSE_OVERSAMPLE`` steps per ``1/T``) with the wide templates
       only (``COARSE_WIDTHS``): a template of half-width ``a`` loses an
       eclipse only when the period error drifts its phase by ``a`` over
       the data, so the wide templates tolerate the coarse grid, and a
       narrow eclipse still raises their power (diluted by the width
       ratio). It covers periods from ``MIN_ECLIPSE_PERIOD`` (0.2 d, the
       shortest orbital period of an eclipser, :mod:`navfit.decision`).
       Around the ``N_COARSE_PEAKS`` highest coarse peaks every width is
       then evaluated on a fine grid (``FINE_OVERSAMPLE`` steps per
       ``1/T``, one coarse step either side), and the highest fine peaks are
       the eclipse candidates. The eclipse power reported on the main grid
       is the coarse one, interpolated.
    2. The candidates are screened with low-order TPs and only those within
       ``SCREEN_WINDOW`` of the best are scored with every order
       (:func:`navfit.period_candidates.score_candidates`).
    3. The fits of the decision's evidence are made on demand
       (:class:`navfit.evidence.Evidence`).

    A multi-band light curve is searched on the shared-phase multi-band
    periodogram (order 2), its candidates refined in the best-sampled band
    and scored by the joint BIC of a TP with a shared period and per-band
    coefficients; the eclipse periodogram and the decision (P or 2P, model,
    type) are those of the best-sampled band, whose fit is ``fit``
    (:mod:`navfit.period_search_multiband`); where that band has fewer than
    :data:`~navfit.band_selection.POOL_BELOW` points, of every band pooled
    (the decision's at the photometric period with a scale per band, :func:`navfit.pooling.scaled_pool`,
    listed in ``evidence["band_scales"]``). The pooled bands' eclipse
    periodogram then covers every period from ``MIN_ECLIPSE_PERIOD`` on the
    fine grid with the templates the sampling resolves (:func:`_pooled_eclipse_search`),
    and the NAV fit at its highest peaks replaces
    the TP scoring's period where its BIC is strongly lower
    (:func:`navfit.pooling.eclipse_period`, ``evidence["pooled_eclipse"]``;
    when that period is the double of the TP scoring's, the decision does
    not examine its double again);
    the false-alarm probability is then the eclipse periodogram's of the
    pooled bands at that period (the eclipse model chose it). ``evidence`` then names the
    band decided in (``decided_in_band``) and the bands scored
    (``bands_scored``; bands of fewer than
    :data:`~navfit.band_selection.MIN_BAND_POINTS` points are not).
    Bands that cover too short a time to tell the candidates apart (a
    space-photometry run of a few cycles beside years of ground data,
    :func:`navfit.band_selection.short_bands`) take no part in the search;
    they are named with their time spans in ``evidence["short_bands"]``, and are
    fitted with the others by the joint fits of :func:`navfit.analyze` at
    the period found.
    """
    t0 = time.perf_counter()
    lc, short, oversample, widths = _checked_input(lc, method, oversample, widths)
    decide_lc, joint = (lc, None) if not lc.multiband else multiband_setup(lc)
    frequency, df = _grid(lc, min_period, max_period, oversample)
    pg = Periodogram(lc, order=2)
    power = pg.power(frequency)
    min_sep = max(2, oversample // 2)
    f_tp = [float(frequency[i]) for i in peaks(power, N_PEAKS, min_sep)]
    pooled = joint is not None and decide_lc.bands[0] == POOLED_BAND
    if method == "exhaustive":
        f_ecl, epower = _whole_grid_eclipse_search(decide_lc, frequency, widths, min_sep)
    elif pooled:
        f_ecl, epower = _pooled_eclipse_search(decide_lc, frequency, widths)
    else:
        f_ecl, epower = _staged_eclipse_search(decide_lc, frequency, widths)
    candidates = _candidate_table(
        lc, pg, frequency, df, power, f_tp, f_ecl, widths, method, joint=joint
    )
    pick = photometric_pick(candidates, lc.time_span)
    p_phot, chosen_fap = float(pick["period"]), float(pick["fap"])
    scales = pooled_eclipse = None
    weighed = candidates
    examine_double = True
    if pooled:
        new, pooled_eclipse = eclipse_period(decide_lc, [1.0 / f for f in f_ecl], p_phot)
        if new is not None:
            # the eclipse fits chose the double of the TP's period: P or 2P is answered
            examine_double = not pooled_eclipse["double"]
            p_phot, weighed = new, pooled_eclipse.pop("trials")
            fap = eclipse_fap(decide_lc, np.array([1.0 / new]), widths, frequency, lc.time_span)
            chosen_fap = float(fap[1][0])
        decide_lc, scales = scaled_pool(lc, p_phot)
    inside = contained_frequencies(candidates, pick, lc.time_span)
    significant, chosen_fap, one_point = robust_significance(
        lc if joint is None else None, inside, chosen_fap, widths, frequency, FAP_LEVEL
    )
    ev = gather_evidence(
        decide_lc,
        p_phot,
        candidates=weighed,
        fap=chosen_fap,
        significant=significant,
        eclipse_peaks=f_ecl,
        examine_double=examine_double,
    )
    # the TP scores resampled at P refined; not where the eclipse fits chose the period
    p_phot, curves = ev.photometric_period, lc if joint is None else joint[0]
    boot = selection_probability(curves, candidates, p_phot) if weighed is candidates else None
    ev.bootstrap = boot
    decision = decide(ev)
    final = decision.fit
    evidence = {
        "photometric_period": float(ev.photometric_period),
        "bic_tp": bic_at_multiples(candidates, ev.photometric_period, lc.time_span),
        "odd_even": dict(ev.odd_even),
        "shape": {k: v[0] for k, v in ev.shape.items()},
        "decision": "; ".join(decision.reasons),
        "runner_up": decision.runner_up,
        "confidence": decision.confidence,
        "bootstrap": boot,
    }
    if short:
        evidence["short_bands"] = short
    if joint is not None:
        evidence["decided_in_band"] = str(decide_lc.bands[0])
        evidence["bands_scored"] = [str(c.bands[0]) for c in joint[0]]
        if scales is not None:
            evidence["band_scales"] = scales
            evidence["pooled_eclipse"] = pooled_eclipse
    elif short:  # one band was left to search
        evidence["decided_in_band"] = str(lc.bands[0])
        evidence["bands_scored"] = [str(lc.bands[0])]
    flags = _search_flags(lc, decision.period, significant, chosen_fap)
    flags += [f for f in (one_point, period_doubt(candidates, p_phot, boot, lc.time_span)) if f]
    return PeriodResult(
        period=final.period,
        period_error=final.errors["period"],
        epoch=final.epoch,
        epoch_error=final.epoch_error,
        candidates=candidates,
        fap=chosen_fap,
        significant=significant,
        evidence=evidence,
        fit=final,
        frequency=frequency,
        power=power,
        eclipse_power=epower,
        flags=tuple(flags),
        elapsed=time.perf_counter() - t0,
        decision=decision,
    )


def _candidate_table(
    lc, pg, frequency, df, power, f_tp, f_ecl, widths, method, joint=None
) -> Table:
    """Every candidate scored: TP BIC at its refined period, both powers and FAPs, flags.

    Sorted by ``delta_bic``; the FAP of a candidate is the smaller of the TP2
    periodogram's (Baluev's beta approximation) and the eclipse periodogram's.
    ``joint`` (multi-band): ``(band curves, index of the best-sampled band)``;
    the candidates are then scored by the joint BIC
    (:func:`navfit.period_search_multiband.joint_scores`) and the eclipse
    periodogram is that of the best-sampled band.
    """
    span = lc.time_span
    parents = {}

    def snap(g):
        # the ascending grid's window around g, one step wider, then the exact test
        lo = max(0, int(np.searchsorted(frequency, g - ALIAS_SNAP)) - 1)
        hi = int(np.searchsorted(frequency, g + ALIAS_SNAP)) + 1
        near = lo + np.flatnonzero(np.abs(frequency[lo:hi] - g) <= ALIAS_SNAP)
        return float(frequency[near[np.argmax(power[near])]]) if near.size else float(g)

    staged = method == "staged"
    cands = candidate_frequencies(frequency, df, f_tp, f_ecl, parents, snap if staged else float)
    grid_freqs = np.array(sorted(cands))
    if joint is None:
        aliases = {f for f, tag in cands.items() if "alias" in tag}
        scores = score_candidates(lc, grid_freqs, staged=staged, parents=parents, aliases=aliases)
        scores = settle_aliases([lc], scores, SCREEN_WINDOW)
        ecl_lc = lc
    else:
        screen = SCREEN_ORDER if method == "staged" else None
        scores = joint_scores(
            *joint, grid_freqs, span, screen_order=screen, screen_window=SCREEN_WINDOW
        )
        ecl_lc = joint[0][joint[1]]
    bic = scores[:, 0]
    freqs = 1.0 / scores[:, 2]
    p_tp = np.interp(freqs, frequency, power)
    # the eclipse power at the refined candidates themselves (a few evaluations)
    p_ecl, fap = search_fap(pg, p_tp, ecl_lc, freqs, widths, frequency, span)
    fap = family_fap(1.0 / freqs, scores[:, 1], fap, span)
    base = f_tp + f_ecl
    candidates = Table(
        {
            "period": 1.0 / freqs,
            "frequency": freqs,
            "source": [cands[f] for f in grid_freqs],
            "power_tp2": p_tp,
            "power_eclipse": p_ecl,
            "bic_tp": bic,
            "tp_order": scores[:, 1].astype(int),
            "delta_bic": bic - bic.min(),
            "fap": fap,
            "flags": ["; ".join(_flags_for(f, base, df, span)) for f in freqs],
        }
    )
    candidates.sort("delta_bic")
    return candidates


def _whole_grid_eclipse_search(lc, frequency, widths, min_sep):
    """Eclipse candidates from the eclipse periodogram on every grid frequency.

    Returns the ``N_PEAKS`` highest peaks (frequencies) and the power on ``frequency``.
    """
    power = eclipse_periodogram(lc, frequency, widths)[0]
    return [float(frequency[i]) for i in peaks(power, N_PEAKS, min_sep)], power


def _pooled_eclipse_search(lc, frequency, widths):
    """Eclipse candidates of pooled sparse bands: every period from ``MIN_ECLIPSE_PERIOD``.

    Their few points make a full search cheap, and an eclipse seen by a handful
    of them is lost on the staged search's coarse grid. The templates are those
    that bracket a half-width the sampling resolves (each more than half of
    :func:`navfit.models.nav_grid.min_half_width`, the NAV fit's floor: a
    narrower template only catches single points; the widest of ``widths``
    when none is), on a grid of ``FINE_OVERSAMPLE`` steps per ``1/T``
    whatever the main grid's: a template of half-width ``a`` needs about
    ``1/a`` (an error ``df`` in frequency drifts the eclipse by ``df T`` in
    phase over the data). On ``bench/lsst_multiband.py`` (seeds 1-3, the 78
    EA and EB) the true period or its half is among the five highest peaks
    for 77 instead of 65 (every template on the main grid of ten steps per
    ``1/T``), at the same cost. The false-alarm probabilities stay those of
    every template in ``widths`` (:func:`navfit.significance.eclipse_fap`).

    Returns
    -------
    peaks : list of float
        The ``N_PEAKS`` highest peaks (frequencies), highest first.
    power : ndarray
        On ``frequency``: the highest power of the fine grid in each cell
        of ``frequency`` (:func:`navfit.period_candidates.cell_maxima`), 0
        beyond the fine grid (periods below ``MIN_ECLIPSE_PERIOD``).
    """
    fine = _eclipse_grid(frequency, lc.time_span, FINE_OVERSAMPLE)
    if fine.size == 0:
        return [], np.zeros_like(frequency)
    fpow, _ = eclipse_periodogram(lc, fine, resolvable_widths(widths, lc.n))
    found = [float(fine[i]) for i in peaks(fpow, N_PEAKS, FINE_OVERSAMPLE // 2)]
    return found, cell_maxima(frequency, fine, fpow)


def _eclipse_range(frequency):
    """Frequencies the eclipse search covers: ``frequency[0]`` to the lower of its top and ``1 / MIN_ECLIPSE_PERIOD``."""
    return frequency[0], min(frequency[-1], 1.0 / MIN_ECLIPSE_PERIOD)


def _eclipse_grid(frequency, span, steps_per_cycle):
    """Eclipse-search grid over :func:`_eclipse_range`, ``steps_per_cycle`` steps per ``1/span``.

    Empty when that range is.
    """
    f_lo, f_hi = _eclipse_range(frequency)
    if f_hi <= f_lo:
        return np.empty(0)
    step = 1.0 / (steps_per_cycle * span)
    return f_lo + step * np.arange(int(np.floor((f_hi - f_lo) / step)) + 1)


def _search_flags(lc, period, significant, fap) -> list[str]:
    """Warnings about the period found: not significant, or a peak of the spectral window."""
    flags = []
    if not significant:
        flags.append(f"no significant period (false-alarm probability {fap:.2g})")
    window = np.abs(np.mean(np.exp(2j * np.pi * (lc.t - lc.t[0]) / period)))
    if window > 0.5:
        flags.append(
            f"P coincides with a peak of the spectral window (|W| = {window:.2f}): "
            "possible sampling artefact"
        )
    return flags


def _staged_eclipse_search(lc, frequency, widths):
    """Eclipse candidates of the staged search (see :func:`find_period`, Notes, step 1).

    Returns
    -------
    peaks : list of float
        Frequencies of the ``N_PEAKS`` highest fine-grid peaks, highest first.
    power : ndarray
        The coarse eclipse power interpolated on ``frequency`` (0 outside its range).
    """
    span = lc.time_span
    coarse = _eclipse_grid(frequency, span, COARSE_OVERSAMPLE)
    if coarse.size == 0:
        return [], np.zeros_like(frequency)
    f_lo, f_hi = _eclipse_range(frequency)
    step = 1.0 / (COARSE_OVERSAMPLE * span)
    coarse_widths = tuple(w for w in COARSE_WIDTHS if w >= min(widths)) or (max(widths),)
    cpow, _ = eclipse_periodogram(lc, coarse, coarse_widths)
    fine_step = 1.0 / (FINE_OVERSAMPLE * span)
    local = fine_step * np.arange(
        -int(np.ceil(step / fine_step)), int(np.ceil(step / fine_step)) + 1
    )
    power = np.interp(frequency, coarse, cpow, left=0.0, right=0.0)
    tops = peaks(cpow, N_COARSE_PEAKS, 2)
    if len(tops) == 0:  # a grid of a few coarse steps (a night of data) may hold no peak
        return [], power
    fine = np.unique(np.concatenate([coarse[i] + local for i in tops]))
    fine = fine[(fine > 0) & (fine >= f_lo) & (fine <= f_hi)]
    if fine.size == 0:
        return [], power
    fpow, _ = eclipse_periodogram(lc, fine, widths)
    min_sep = int(np.ceil(step / fine_step))
    return [float(fine[i]) for i in peaks(fpow, N_PEAKS, min_sep)], power
