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
   points per parameter (:func:`navfit.evidence.order_limit`). The shortest
   candidate within ``BIC_STRONG`` of the best is the photometric period
   ``P``: a TP at ``2P`` contains the TP at ``P``, so ``2P`` only wins when
   the two halves of the cycle differ by more than that (unequal minima).
4. The evidence at ``P`` and ``2P`` (:func:`navfit.evidence.gather_evidence`)
   goes to :func:`navfit.decision.decide`, which keeps ``P`` or doubles it and
   says why, with the runner-up and a confidence.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from astropy.table import Table

from .criteria import BIC_STRONG, reduction_fap
from .decision import decide
from .eclipse_periodogram import DEFAULT_WIDTHS, eclipse_periodogram
from .errors import NavfitError
from .evidence import gather_evidence, order_limit
from .lightcurve import LightCurve
from .models.tp import fit_tp, select_order
from .periodogram import Periodogram
from .results import FitResult

__all__ = ["PeriodResult", "find_period"]

#: Largest frequency grid accepted (points).
MAX_FREQUENCIES = 5_000_000
#: Peaks taken from each periodogram.
N_PEAKS = 5
#: Peaks of each periodogram whose multiples and 1-day aliases are candidates too.
N_MULTIPLES = 3
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
        ``lc.meta["time_offset"]`` for full JD) and its error.
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
        comparison, and a sentence ``decision``.
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
    if min_period is None:
        min_period = max(0.05, 2.0 * np.median(np.diff(lc.t))) if lc.n > 1 else 0.05
        min_period = min(min_period, 0.1)
    if max_period is None:
        max_period = 0.5 * span
    min_period, max_period = float(min_period), float(max_period)
    if not (np.isfinite(min_period) and min_period > 0):
        raise NavfitError(f"{lc.where}: min_period must be positive, got {min_period}")
    if min_period >= span:
        raise NavfitError(
            f"{lc.where}: the time span ({span:.4g} d) is shorter than min_period "
            f"({min_period:g} d); no period can be measured"
        )
    max_period = min(max_period, span)
    if max_period <= min_period:
        raise NavfitError(
            f"{lc.where}: max_period ({max_period:g}) must exceed min_period ({min_period:g})"
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


def _peaks(power, n, min_sep):
    """Indices of the ``n`` highest local maxima at least ``min_sep`` samples apart."""
    is_peak = np.r_[False, (power[1:-1] >= power[:-2]) & (power[1:-1] > power[2:]), False]
    idx = np.flatnonzero(is_peak)
    idx = idx[np.argsort(power[idx])[::-1]]
    chosen = []
    for i in idx:
        if all(abs(i - j) >= min_sep for j in chosen):
            chosen.append(int(i))
        if len(chosen) == n:
            break
    return chosen


def _tp_score(lc, period, span):
    """BIC and order of the optimal TP (order-limited) at a period refined from the grid value.

    The grid period is first refined by a TP fit with the period free (order
    up to 15, kept only when it moves by less than a quarter of a cycle over
    the data), since on precise data a period off by a fraction of the grid
    step costs more chi-square than the extra harmonics of a wrong multiple.
    """
    limit = order_limit(lc.n)
    tab = select_order(lc, period, max_order=limit)
    try:
        tp = fit_tp(lc, period, order=min(tab.meta["best"]["bic"], 15), free_period=True)
        if tp.success and abs(tp.period - period) < 0.25 * period**2 / span:
            period = tp.period
            tab = select_order(lc, period, max_order=limit)
    except NavfitError:
        pass
    row = tab[tab.meta["best"]["bic"] - 1]
    return float(row["bic"]), int(row["order"]), float(period)


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
) -> PeriodResult:
    """Find the period of a light curve, eclipsing binaries included.

    Parameters
    ----------
    lc : LightCurve
    min_period, max_period : float, optional
        Search range in days (default: 0.05-0.1 d up to half the time span).
    oversample : int
        Frequency steps per ``1/T`` (T the time span).
    widths : sequence of float
        Eclipse-template half-widths (phase) of the eclipse periodogram.

    Returns
    -------
    PeriodResult

    Raises
    ------
    NavfitError
        Too few points, a time span shorter than ``min_period``, a frequency
        grid above :data:`MAX_FREQUENCIES`.

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
    frequency. For order-1 periodograms :class:`navfit.Periodogram` gives
    Baluev's (2008) analytic bound. Constant
    light or noise gives ``significant=False`` and a flag, not an error.
    """
    t0 = time.perf_counter()
    if lc.n < 12:
        raise NavfitError(
            f"{lc.where}: {lc.n} points are too few for a period search (at least 12)"
        )
    frequency, df = _grid(lc, min_period, max_period, oversample)
    span = lc.time_span
    pg = Periodogram(lc, order=2)
    power = pg.power(frequency)
    epower, _einfo = eclipse_periodogram(lc, frequency, widths)
    min_sep = max(2, oversample // 2)
    peaks_tp = _peaks(power, N_PEAKS, min_sep)
    peaks_ecl = _peaks(epower, N_PEAKS, min_sep)
    cands = _candidates(frequency, df, peaks_tp, peaks_ecl)
    grid_freqs = np.array(sorted(cands))
    scores = np.array([_tp_score(lc, 1.0 / f, span) for f in grid_freqs])
    bic = scores[:, 0]
    freqs = 1.0 / scores[:, 2]
    p_tp = np.interp(freqs, frequency, power)
    p_ecl = np.interp(freqs, frequency, epower)
    m_ecl = span * (frequency[-1] - frequency[0]) / (2 * min(widths))
    fap_tp = np.atleast_1d(
        pg.false_alarm_probability(p_tp, frequency[0], frequency[-1], method="beta")
    )
    fap_ecl = reduction_fap(p_ecl, lc.n, 2, m_ecl)
    fap = np.minimum(fap_tp, fap_ecl)
    # the photometric period: the shortest period within BIC_STRONG of the best
    good = np.flatnonzero(bic <= bic.min() + BIC_STRONG)
    pick = good[np.argmax(freqs[good])]
    p_phot = 1.0 / freqs[pick]
    base = [float(frequency[i]) for i in peaks_tp + peaks_ecl]
    flags_col = ["; ".join(_flags_for(f, base, df, span)) for f in freqs]
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
            "flags": flags_col,
        }
    )
    candidates.sort("delta_bic")
    chosen_fap = float(fap[pick])
    significant = chosen_fap < FAP_LEVEL
    ev = gather_evidence(
        lc, p_phot, candidates=candidates, fap=chosen_fap, significant=significant
    )
    decision = decide(ev)
    final = decision.fit
    evidence = {
        "photometric_period": float(ev.photometric_period),
        "bic_tp": _bic_at_multiples(candidates, ev.photometric_period),
        "odd_even": dict(ev.odd_even),
        "shape": {k: v[0] for k, v in ev.shape.items()},
        "decision": "; ".join(decision.reasons),
        "runner_up": decision.runner_up,
        "confidence": decision.confidence,
    }
    flags = []
    if not significant:
        flags.append(f"no significant period (false-alarm probability {chosen_fap:.2g})")
    window = np.abs(np.mean(np.exp(2j * np.pi * (lc.t - lc.t[0]) / decision.period)))
    if window > 0.5:
        flags.append(
            f"P coincides with a peak of the spectral window (|W| = {window:.2f}): "
            "possible sampling artefact"
        )
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


def _candidates(frequency, df, peaks_tp, peaks_ecl):
    """Candidate frequencies -> source tag (see the module docstring, step 2)."""
    lo, hi = frequency[0] * 0.999, frequency[-1] * 1.001
    cands = {}

    def add(g, tag):
        if lo <= g <= hi and all(abs(g - h) > 2 * df for h in cands):
            cands[g] = tag

    ordered = [(float(frequency[i]), "TP2 peak") for i in peaks_tp]
    ordered += [(float(frequency[i]), "eclipse peak") for i in peaks_ecl]
    for f, tag in ordered:
        add(f, tag)
    for peaks, tag in ((peaks_tp, "TP2"), (peaks_ecl, "eclipse")):
        for rank, i in enumerate(peaks[:N_MULTIPLES]):
            f = float(frequency[i])
            mults = [(0.5, "double"), (2.0, "half"), (1 / 3, "triple"), (3.0, "third")]
            if rank == 0:
                mults += [(0.25, "fourfold"), (4.0, "quarter")]
            for m, name in mults:
                add(f * m, f"{name} of {tag} peak")
            for k in (1.0, 2.0):
                add(f + k, f"{k:g}-day alias of {tag} peak")
                add(abs(f - k), f"{k:g}-day alias of {tag} peak")
    return cands


def _bic_at_multiples(candidates, p_phot):
    """TP BIC of the candidates at P/2, P and 2P (for the record and the plots)."""
    out = {}
    P = np.asarray(candidates["period"], float)
    for mult in (0.5, 1.0, 2.0):
        j = np.flatnonzero(np.abs(P / (mult * p_phot) - 1) < 1e-3)
        if j.size:
            out[f"{mult:g}P"] = float(candidates["bic_tp"][j[0]])
    return out
