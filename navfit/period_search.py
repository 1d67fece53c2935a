"""find_period: the period of a variable star, eclipsing binaries included, without multiples.

The search combines two periodograms on one frequency grid, then decides between
the candidates and their halves and doubles with model fits:

1. a 2-harmonic trigonometric-polynomial periodogram (:class:`navfit.Periodogram`,
   order 2), which sees pulsators, ellipsoidal and contact binaries;
2. the eclipse periodogram (:func:`navfit.eclipse_periodogram.eclipse_periodogram`),
   which sees narrow eclipses that Lomb-Scargle misses.

Their highest distinct peaks, each with its half and double, are the candidates.
Every candidate period is scored by the BIC of the statistically optimal TP at
that period (one QR per candidate). The shortest period whose BIC is within
``BIC_TOLERANCE`` of the best is the photometric period: a TP at ``2P`` contains
the TP at ``P``, so ``2P`` only wins when the two halves of the cycle differ
(unequal minima, odd-even depth differences). A light curve with one minimum per
photometric cycle whose shape is symmetric and not a narrow eclipse (contact and
ellipsoidal binaries, whose two minima per orbit are alike) gets its period
doubled; asymmetric single-minimum curves (pulsators) and narrow single eclipses
(an Algol whose secondary is too shallow to see) keep it. The final period and
epoch come from the 12-parameter NAV fit when NAV describes the star better than
the TP (eclipsers), else from a TP fit with the period free.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass, field

import numpy as np
from astropy.table import Table

from .compare import compare
from .criteria import reduction_fap
from .eclipse_periodogram import DEFAULT_WIDTHS, eclipse_periodogram
from .errors import NavfitError
from .lightcurve import LightCurve
from .models.nav import fit_nav
from .models.tp import fit_tp, select_order
from .periodogram import Periodogram
from .results import FitResult

__all__ = ["PeriodResult", "find_period"]

#: Candidates within this BIC of the best count as equally good fits.
BIC_TOLERANCE = 10.0
#: |phase(Max) - phase(Min) - 0.5| below this counts as a symmetric light curve.
SYMMETRY_TOLERANCE = 0.08
#: Half-width below which a single minimum per cycle is a narrow eclipse (EA).
NARROW_ECLIPSE = 0.1
#: Largest frequency grid accepted (points).
MAX_FREQUENCIES = 5_000_000
#: Highest TP order used to score candidates.
SCORE_MAX_ORDER = 40
#: Peaks taken from each periodogram.
N_PEAKS = 5
#: A period is "significant" when its false-alarm probability is below this.
FAP_LEVEL = 0.01


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
        ``fap < 0.01``.
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


def _tp_score(lc, period):
    """BIC and order of the optimal TP at a period refined from the grid value.

    The grid period is first refined by a TP fit with the period free (order
    up to 15), since on precise data a period off by a fraction of the grid
    step costs more chi-square than the extra harmonics of a wrong multiple.
    """
    max_order = min(SCORE_MAX_ORDER, (lc.n - 5) // 2)
    tab = select_order(lc, period, max_order=max_order)
    try:
        tp = fit_tp(lc, period, order=min(tab.meta["best"]["bic"], 15), free_period=True)
        if tp.success:
            period = tp.period
            tab = select_order(lc, period, max_order=max_order)
    except NavfitError:
        pass
    row = tab[tab.meta["best"]["bic"] - 1]
    return float(row["bic"]), int(row["order"]), float(period)


def _shape(lc, period):
    """Symmetry and minima of the optimal TP at a period."""
    tp = fit_tp(lc, period, max_order=SCORE_MAX_ORDER)
    ph_max = tp.info["phase_max"]
    ph_min = (tp.epoch - tp.t_ref) / period % 1.0
    rise = (ph_max - ph_min) % 1.0
    return {
        "order": tp.info["order"],
        "rise": float(rise),
        "symmetric": abs(rise - 0.5) < SYMMETRY_TOLERANCE,
        "two_minima": "min2" in tp.derived,
        "min1": tp.derived["min1"],
        "min2": tp.derived.get("min2"),
    }


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
    base = {}
    for i in peaks_tp + peaks_ecl:
        base[float(frequency[i])] = i
    cands = {}
    for f in base:
        for mult, tag in ((1.0, "peak"), (0.5, "double"), (2.0, "half")):
            g = f * mult
            if g < frequency[0] * 0.999 or g > frequency[-1] * 1.001:
                continue
            if all(abs(g - h) > 2 * df for h in cands):
                cands[g] = tag
    grid_freqs = np.array(sorted(cands))
    scores = np.array([_tp_score(lc, 1.0 / f) for f in grid_freqs])
    bic = scores[:, 0]
    freqs = 1.0 / scores[:, 2]
    # interpolate the periodogram powers at the candidates
    p_tp = np.interp(freqs, frequency, power)
    p_ecl = np.interp(freqs, frequency, epower)
    m_ecl = span * (frequency[-1] - frequency[0]) / (2 * min(widths))
    fap_tp = np.atleast_1d(
        pg.false_alarm_probability(p_tp, frequency[0], frequency[-1], method="beta")
    )
    fap_ecl = reduction_fap(p_ecl, lc.n, 2, m_ecl)
    fap = np.minimum(fap_tp, fap_ecl)
    # the photometric period: the shortest period within BIC_TOLERANCE of the best
    good = np.flatnonzero(bic <= bic.min() + BIC_TOLERANCE)
    pick = good[np.argmax(freqs[good])]
    p_phot = 1.0 / freqs[pick]
    evidence = {"bic_tp": {}, "photometric_period": p_phot}
    for mult in (0.5, 1.0, 2.0):
        P = p_phot * mult
        if span > P:
            evidence["bic_tp"][f"{mult:g}P"] = _tp_score(lc, P)[0]
    shape = _shape(lc, p_phot)
    evidence["shape"] = shape
    period = p_phot
    decision = f"P = {p_phot:.8g} d: shortest period within {BIC_TOLERANCE:g} of the best TP BIC"
    nav_at = None
    if not shape["two_minima"] and 2 * p_phot < span:
        # one minimum per cycle: a contact/ellipsoidal binary at half its period, a
        # narrow single eclipse, or a pulsator
        try:
            nav_at = fit_nav(lc, p_phot)
        except NavfitError:
            nav_at = None
        narrow = (
            nav_at is not None
            and nav_at.params["a1"] < NARROW_ECLIPSE
            and not any("not an eclipsing binary" in f for f in nav_at.flags)
        )
        evidence["single_minimum_half_width"] = (
            None if nav_at is None else float(nav_at.params["a1"])
        )
        if shape["symmetric"] and not narrow:
            period = 2 * p_phot
            decision = (
                f"P = 2 x {p_phot:.8g} d: one symmetric minimum per photometric cycle "
                f"(rise {shape['rise']:.3f} of the cycle), not a narrow eclipse: two "
                "alike minima per orbit (contact or ellipsoidal binary)"
            )
        elif narrow:
            decision += (
                "; a single narrow eclipse per cycle (secondary too shallow to see), period kept"
            )
        else:
            decision += (
                f"; one asymmetric minimum per cycle (rise {shape['rise']:.3f}): "
                "pulsator-like, period kept"
            )
    elif shape["two_minima"]:
        decision += "; two distinct minima per cycle"
    evidence["decision"] = decision
    # final fit: NAV for eclipsers, TP otherwise
    tp_final = fit_tp(lc, period, free_period=True, max_order=SCORE_MAX_ORDER)
    try:
        nav_final = fit_nav(lc, period)
    except NavfitError:
        nav_final = None
    final = tp_final
    if nav_final is not None:
        cmp = compare(nav_final, tp_final)
        evidence["nav_vs_tp"] = cmp.meta["evidence"]
        evidence["bic_nav_minus_tp"] = float(nav_final.bic - tp_final.bic)
        eclipse_like = not any("not an eclipsing binary" in f for f in nav_final.flags)
        if cmp.meta["preferred"] == "NAV" and eclipse_like:
            final = nav_final
        if nav_final.success and eclipse_like and nav_final.bic < tp_final.bic + BIC_TOLERANCE:
            final = nav_final
    if final.model == "nav":
        d1, d2 = final.derived.get("depth1"), final.derived.get("depth2")
        evidence["depths"] = {"primary": d1, "secondary": d2}
        # NAV at the period and at its double: unequal eclipses show up at 2P
        evidence["bic_nav"] = {"P": float(final.bic)}
        if 2 * period < 0.5 * span:
            with contextlib.suppress(NavfitError):
                evidence["bic_nav"]["2P"] = float(fit_nav(lc, 2 * period).bic)
    i_best = int(np.argmin(np.abs(freqs - 1.0 / period)))
    chosen_fap = (
        float(fap[i_best])
        if abs(freqs[i_best] - 1 / period) < 3 * df
        else float(min(fap_tp.min(), fap_ecl.min()))
    )
    flags_col = ["; ".join(_flags_for(f, list(base), df, span)) for f in freqs]
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
    flags = []
    significant = chosen_fap < FAP_LEVEL
    if not significant:
        flags.append(f"no significant period (false-alarm probability {chosen_fap:.2g})")
    window = np.abs(np.mean(np.exp(2j * np.pi * (lc.t - lc.t[0]) / period)))
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
    )
