"""The type of an eclipsing binary (EA, EB, EW, ELL) from its NAV fit (NAV_SPEC §6.4).

Whether a star is an eclipser at all, and its orbital period, are decided by
:func:`navfit.decision.decide` from the whole evidence of the period search;
this module reads the type of an eclipser from the NAV fit at its orbital
period. With NAV every eclipse has a distinct beginning and end, EB and EW
stars included (Tkachenko, Andronov & Chinarova 2016), so the GCVS wording
"possible to specify the moments of beginning and end" cannot separate EA from
EB/EW. The type rests instead on the out-of-eclipse variability, the ratio of
the minima, the period and the amplitude:

1. Neither eclipse significant (``C/sigma < 3``) and a peak-to-peak variation
   of at most 0.1 mag: **ELL** (GCVS: "typical brightness fluctuations do not
   exceed 0.1 magnitudes").
2. Eclipses significant but not what makes the star vary: **ELL** when the
   peak-to-peak variation is at most 0.1 mag, the eclipses do not fill the
   cycle (``D < 35 %``, the EA limit of rule 3) and the eclipse terms carry
   less than half of the light-curve variance over the cycle
   (``eclipse_share < 0.5``). GCVS ELL are close binaries whose light changes
   with the emitting area of their ellipsoidal components, "not due to
   eclipses"; with precise space photometry even a grazing eclipse or the
   transit of a white dwarf is significant, yet the light curve remains an
   ellipsoidal (plus beaming/reflection) wave with a short, shallow dip.
   KPD 1946+4340 (sdB + WD, Kepler) is the case: 0.007 mag, ``D = 2.6 %``,
   eclipse share 0.29, labelled ELL. Contact binaries (EW) are not affected:
   their eclipses fill the cycle; detached EA have eclipse shares above 0.9.
3. Light almost constant between eclipses, i.e. neither an ellipsoidal term
   (``2|C4| / A_I < 0.15``) nor eclipses that fill the cycle (``D < 35 %``):
   **EA**. GCVS allows reflection and physical (spot, O'Connell) variations in
   EA light curves, so the TP2 range as a whole (``R_out``, reported) is not
   the criterion: HAT-772-0554686, a detached EA with a 0.06 mag O'Connell
   effect, has ``R_out/A_I = 0.2`` but ``2|C4|/A_I = 0.01``. "Almost
   constant" is no sharp line: catalogue EA and EB overlap between 0.05 and
   0.15, so the type's confidence treats the threshold as uncertain by
   ``EA_BOUNDARY_WIDTH`` = 0.07 besides the metric's own error, and a star
   within about that of 0.15 is marked ":".
4. ``P < 1 d`` and the minima not significantly unequal (the depths of the
   light curve's minima below maximum, in flux, in a ratio below 0.7 by more
   than ``EB_EVIDENCE_SIGMA`` = 2 standard deviations): **EW**. GCVS EW:
   periods shorter than one day, minima "almost equal", amplitudes "usually
   < 0.8 mag in V". Equal minima are the norm among contact binaries: only 2
   of 98 in a volume-limited OGLE sample differ by more than 0.065 mag
   (Rucinski 1997, CLASSIFY §2), so EB needs "a large, significant depth
   difference" (CLASSIFY §5-6), not a point estimate below the threshold. In
   survey data a NAV fit of a contact binary can put a narrow eclipse on a
   few faint points; its large depth error then keeps the star EW. An EW
   whose ratio lies on EB's side of its threshold, though not significantly,
   is marked ":", with the probability that the ratio exceeds 0.7 as the
   type's confidence. On the development set (``bench/survey.py``) the
   point-estimate rule called 23 of the 63 ASAS EW stars EB, most with
   ratios within 1-2 sigma of 0.7. An amplitude above 0.8 mag marks an EW
   ":" but does not make it EB: GCVS says "usually", CLASSIFY §4 lets the
   period-amplitude ranges rule types out but not decide between them, and
   on the development set the four stars that an amplitude significantly
   above 0.8 mag alone had made EB (A_I 0.85-1.5 mag, minima alike, P
   0.30-0.35 d) were all catalogue EW (survey v91).
5. Otherwise **EB**. An EB with ``P >= 1 d`` whose minima are not shown
   unequal is marked ":" with a type confidence of 0.5: GCVS gives EB
   periods "mainly longer than 1 day" and a secondary "usually considerably"
   shallower, EW periods "usually shorter than 1 day" and minima "almost
   equal", so such a star fits half of each description. On the development
   set the 30 of them were 15 catalogue EB and 15 catalogue EW (12 of these
   Hipparcos EW of 1.04-8.96 d); EB is kept because contact binaries of more
   than a day are few (mostly 0.25-0.5 d, the contact sequence ending at
   1.3-1.5 d; CLASSIFY §3).

A primary eclipse whose depth alone is below 3 sigma (in contact binaries the
eclipse profiles of half-width ~0.25 and the TP2's ``cos 4 pi phase`` term
describe nearly the same wave, ``|rho(C4, C6)| ~ 0.99``) makes the type
uncertain. A metric within one sigma of the threshold that decided gets GCVS's
":" (uncertain), and so does an EW whose ratio lies on EB's side of its
threshold without reaching rule 4's two sigma, or whose amplitude exceeds 0.8 mag.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .confidence import margin, near, probability_above
from .errors import NavfitError
from .lsq import model_values
from .models.tp import fit_tp

__all__ = [
    "NOT_ECLIPSER",
    "Classification",
    "below_contact_limit",
    "eclipse_metrics",
    "eclipser_type",
]

EA_ELLIPSOIDAL_RATIO = 0.15
#: Width of the EA boundary in ``2|C4|/A_I``, added in quadrature to the metric's error
#: in the type's confidence (rule 3): catalogue EA reach 0.14 and catalogue EB go down to
#: 0.02 (between 0.05 and 0.15 the development set holds 45 EA and 14 EB). The maximum
#: likelihood of the catalogues' EA-or-not given navfit's confidences, on the 247
#: eclipsers of the development set (survey v96); the optimum is flat from 0.05 to 0.1
#: (log-likelihood -112, -110, -113), a sharp boundary gives -212.
EA_BOUNDARY_WIDTH = 0.07
EA_MAX_D = 35.0
EW_MAX_PERIOD = 1.0
EW_MIN_DEPTH_RATIO = 0.7
EW_MAX_AMPLITUDE = 0.8
#: Type confidence of an EB that only its period makes EB (rule 5, minima not shown
#: unequal): on the development set the 30 such stars were 15 EB and 15 EW by their
#: catalogues (``bench/survey.py``, survey v96).
LONG_PERIOD_ALIKE_CONFIDENCE = 0.5
#: Standard deviations by which the minima ratio must fall below ``EW_MIN_DEPTH_RATIO``
#: for a short-period binary to be EB, not EW (an EW above ``EW_MAX_AMPLITUDE`` is "EW:").
EB_EVIDENCE_SIGMA = 2.0
ELL_MAX_AMPLITUDE = 0.1
ELL_MAX_ECLIPSE_SHARE = 0.5
MIN_SIGNIFICANCE = 3.0
NOT_ECLIPSER = "not an eclipsing binary"


@dataclass(frozen=True)
class Classification:
    """A type with its metrics and reasons (:func:`navfit.decide`, :func:`navfit.classify`).

    Attributes
    ----------
    type : str
        ``"EA"``, ``"EB"``, ``"EW"``, ``"ELL"`` or ``"not an eclipsing binary"``.
    uncertain : bool
        A deciding metric lies within one sigma of its threshold, or an EW's
        ratio or amplitude on EB's side of it (GCVS ":").
    metrics : dict
        Name -> ``(value, error)``: ``R_out`` (peak-to-peak of the TP2 part
        between the eclipse windows, mag), ``A_I``
        (Min I - Max), ``R_out/A_I``, ``ellipsoidal/A_I`` (``2|C4|/A_I``), ``D``
        (percent), ``depth_ratio`` (``l2/l1``, NAV eclipse depths), ``minima_ratio``
        (depth of Min II over Min I below maximum light, in flux), ``eclipse_share`` (variance of
        the eclipse terms over the cycle / (that + variance of the TP2 part)),
        ``sig_C6``,
        ``sig_C7``, ``period``, ``dBIC_nav_tp`` (NAV - TP), ``dBIC_constant``
        (best model - constant; above -10 means no variability), ``dBIC_nav_tp2``
        (NAV - TP2 alone: the joint evidence for the eclipse terms).
    reasons : tuple of str
        The rules that decided, in order.
    """

    type: str
    uncertain: bool
    metrics: dict = field(default_factory=dict)
    reasons: tuple = ()

    @property
    def gcvs(self) -> str:
        """Type as GCVS writes it, with ":" when uncertain (``"EA:"``)."""
        if self.type == NOT_ECLIPSER:
            return self.type
        return self.type + (":" if self.uncertain else "")

    def __str__(self) -> str:
        return self.gcvs


def _variability(nav, tp):
    """BIC of the better of NAV and TP minus the BIC of a constant (negative: variable)."""
    lc = nav.lc
    w = 1.0 / lc.dy**2
    mean = np.sum(w * lc.y) / np.sum(w)
    chi2 = float(np.sum(w * (lc.y - mean) ** 2))
    bic_const = lc.n * np.log(chi2 / lc.n) + np.log(lc.n)
    best = min(nav.bic, tp.bic) if tp is not None else nav.bic
    return float(best - bic_const)


def _eclipse_share(nav, n_grid=2048):
    """Share of the light-curve variance carried by the eclipse terms, with its error.

    Over one cycle sampled uniformly, ``var(E) / (var(E) + var(TP2))`` where
    ``TP2`` is the harmonic part ``C2..C5`` of the NAV curve and ``E`` the rest
    (``C6 H1 + C7 H2``, the eclipses). 0: no eclipse; 1: constant light
    between eclipses. The error is propagated through the fit's covariance
    (central differences in every free parameter).
    """
    phase = np.linspace(0.0, 1.0, n_grid, endpoint=False)
    w = 2.0 * np.pi * phase
    harmonics = np.array([np.cos(w), np.sin(w), np.cos(2 * w), np.sin(2 * w)])
    values = np.asarray(nav.values, dtype=float)
    names = list(nav.names)
    i_c2, i_epoch, i_period = names.index("C2"), names.index("epoch"), names.index("period")

    def share(p):
        t = p[i_epoch] + phase * p[i_period]
        f = model_values(nav.model_id, t, p, nav.iparams, nav.fparams)
        tp2 = p[i_c2 : i_c2 + 4] @ harmonics
        v_e, v_tp = float(np.var(f - tp2)), float(np.var(tp2))
        return v_e / (v_e + v_tp) if v_e + v_tp > 0 else 0.0

    value = share(values)
    free = np.flatnonzero(nav.free)
    cov = np.asarray(nav.covariance, dtype=float)
    if cov.shape != (free.size, free.size):
        return value, 0.0
    # parameters the data do not determine (infinite or NaN variance) are left out
    diag = np.diag(cov)
    use = np.flatnonzero(np.isfinite(diag) & (diag > 0))
    sub = cov[np.ix_(use, use)]
    if not np.isfinite(sub).all():
        return value, 0.0
    grad = np.zeros(use.size)
    for j, k in enumerate(use):
        h = 1e-3 * np.sqrt(diag[k])
        up, down = values.copy(), values.copy()
        up[free[k]] += h
        down[free[k]] -= h
        grad[j] = (share(up) - share(down)) / (2 * h)
    var = float(grad @ sub @ grad)
    return value, float(np.sqrt(var)) if np.isfinite(var) and var > 0 else 0.0


def _eclipse_evidence(nav):
    """BIC(NAV) - BIC(TP2 alone) at NAV's period: the eclipse terms' joint evidence."""
    try:
        tp2 = fit_tp(nav.lc, nav.period, order=2, free_period=False)
    except NavfitError:  # too few points for the TP2: no evidence either way
        return 0.0
    return float(nav.bic - tp2.bic)


def _ratio_error(r, l1, dl1, dl2):
    """Error of ``r = l2 / l1`` from independent errors of ``l1`` and ``l2``.

    ``sigma_r = hypot(dl2, r dl1) / l1``, finite also where ``l2 = 0``;
    infinite when either depth is undetermined (an infinite or NaN error).
    """
    if not (np.isfinite(dl1) and np.isfinite(dl2)):
        return float("inf")
    return float(np.hypot(dl2, r * dl1) / l1)


def _minima_ratio(d, kind):
    """Depth of Min II over depth of Min I below maximum light, in flux, with its error.

    GCVS compares the minima of the light curve ("the depths of the primary
    and secondary minima are almost equal", EW), not the eclipse terms of a
    model: in a contact binary NAV's eclipse depths trade off against the TP2
    terms, while the light curve's minima are measured directly.

    A model curve without a Min II gives the ratio 0 with an infinite error:
    no second minimum was measured, which is no measurement of its depth. An
    EA is typed before the ratio is read; a binary with continuous variation
    has two minima per orbit, so a curve without one describes it badly (two
    survey EW, ASAS_022014-0252.0 and ASAS_210112-5512.0, had NAV curves with
    a single minimum where the optimal TP has two of ratio 0.86-0.88, and the
    ratio 0 +- 0 of before made them EB).
    """
    if "amplitude2" not in d:
        return 0.0, float("inf")
    (A1, e1), (A2, e2) = d["amplitude1"], d["amplitude2"]
    if kind == "mag":
        l1, l2 = 1.0 - 10 ** (-0.4 * A1), 1.0 - 10 ** (-0.4 * A2)
        dl1 = 0.4 * np.log(10) * 10 ** (-0.4 * A1) * e1
        dl2 = 0.4 * np.log(10) * 10 ** (-0.4 * A2) * e2
    else:
        l1, l2, dl1, dl2 = -A1, -A2, e1, e2
    if not l1 > 0:
        return 0.0, 0.0
    r = max(l2, 0.0) / l1
    return float(r), _ratio_error(r, l1, dl1, dl2)


def eclipse_metrics(nav, tp=None) -> dict:
    """Metrics of a NAV fit that the eclipser types are read from: name -> ``(value, error)``.

    See :class:`Classification` for the names. ``tp`` (the optimal TP at the
    same period) gives ``dBIC_nav_tp``; without it NAV's own check against the
    TP (``info["tp_bic_difference"]``) is used.
    """
    p, e, d = nav.params, nav.errors, nav.derived
    dbic = (
        float(nav.bic - tp.bic) if tp is not None else float(nav.info.get("tp_bic_difference", 0.0))
    )
    A1, A1_err = d["amplitude1"]
    A1 = abs(A1)  # Min I - Max: negative for fluxes, whose minima are the smaller values
    R_out, R_err = d.get("out_of_eclipse_range", d["tp2_range"])
    sig6 = abs(p["C6"]) / e["C6"] if e["C6"] > 0 else np.inf
    sig7 = abs(p["C7"]) / e["C7"] if e["C7"] > 0 and "C7" not in nav.fixed else 0.0
    l1 = d["depth1_flux"][0]
    l2 = d.get("depth2_flux", (0.0, 0.0))[0]
    ratio = l2 / l1 if l1 > 0 else 0.0
    ratio_err = 0.0
    if l1 > 0 and "depth2_flux" in d:
        ratio_err = _ratio_error(ratio, l1, d["depth1_flux"][1], d["depth2_flux"][1])
    ell_ratio = 2 * abs(p["C4"]) / A1 if A1 > 0 else np.inf
    ell_err = ell_ratio * np.hypot(e["C4"] / max(abs(p["C4"]), 1e-12), A1_err / max(A1, 1e-12))
    out_ratio = R_out / A1 if A1 > 0 else np.inf
    out_ratio_err = out_ratio * np.hypot(R_err / max(R_out, 1e-12), A1_err / max(A1, 1e-12))
    peak_to_peak = max(A1, abs(d.get("amplitude2", (0.0, 0.0))[0]), R_out)
    minima_ratio, minima_err = _minima_ratio(d, nav.lc.kind)
    share, share_err = _eclipse_share(nav)
    return {
        "R_out": (float(R_out), float(R_err)),
        "A_I": (float(A1), float(A1_err)),
        "peak_to_peak": (float(peak_to_peak), float(A1_err)),
        "R_out/A_I": (float(out_ratio), float(out_ratio_err)),
        "ellipsoidal/A_I": (float(ell_ratio), float(ell_err)),
        "D": (float(d["D"][0]), float(d["D"][1])),
        "depth_ratio": (float(ratio), float(ratio_err)),
        "minima_ratio": (float(minima_ratio), float(minima_err)),
        "eclipse_share": (float(share), float(share_err)),
        "sig_C6": (float(sig6), 0.0),
        "sig_C7": (float(sig7), 0.0),
        "period": (float(nav.period), float(e["period"])),
        "dBIC_nav_tp": (dbic, 0.0),
        "dBIC_constant": (_variability(nav, tp), 0.0),
        "dBIC_nav_tp2": (_eclipse_evidence(nav), 0.0),
    }


def eclipser_type(nav, m) -> tuple:
    """EA, EB, EW or ELL of a star already judged an eclipser (the rules of the module docstring).

    Parameters
    ----------
    nav : FitResult
        NAV fit at the orbital period.
    m : dict
        :func:`eclipse_metrics` of that fit.

    Returns
    -------
    kind : str
    uncertain : bool
        A deciding metric within one sigma of its threshold, or the flux scale.
    reasons : tuple of str
    confidence : float
        ``Phi(|value - threshold| / error)`` of the least certain deciding metric.
    """
    reasons = []
    uncertain = False
    if nav.lc.kind == "flux":
        reasons.append("fitted in flux: thresholds are in magnitudes, classification uncertain")
        uncertain = True
    sig6, sig7 = m["sig_C6"][0], m["sig_C7"][0]
    ptp, ptp_err = m["peak_to_peak"]
    D, D_err = m["D"]
    share, share_err = m["eclipse_share"]
    ell_ratio, ell_err = m["ellipsoidal/A_I"]
    ell_scatter = math.hypot(ell_err, EA_BOUNDARY_WIDTH)
    ratio, ratio_err = m["minima_ratio"]
    A1, A1_err = m["A_I"]
    period = m["period"][0]
    if sig6 < MIN_SIGNIFICANCE and sig7 < MIN_SIGNIFICANCE and ptp <= ELL_MAX_AMPLITUDE:
        reasons.append(
            f"no significant eclipse in the NAV fit; peak-to-peak {ptp:.3f} mag "
            f"<= {ELL_MAX_AMPLITUDE} mag: ellipsoidal"
        )
        conf = margin(ptp, ptp_err, ELL_MAX_AMPLITUDE)
        return "ELL", uncertain or near(ptp, ptp_err, ELL_MAX_AMPLITUDE), tuple(reasons), conf
    if ptp <= ELL_MAX_AMPLITUDE and D < EA_MAX_D and share < ELL_MAX_ECLIPSE_SHARE:
        reasons.append(
            f"significant but shallow eclipses (sig C6 = {sig6:.0f}, C7 = {sig7:.0f}; "
            f"D = {D:.1f} %) carry {share:.2f} < {ELL_MAX_ECLIPSE_SHARE} of the light "
            f"variance: the variation is ellipsoidal, peak-to-peak {ptp:.3f} mag "
            f"<= {ELL_MAX_AMPLITUDE} mag"
        )
        conf = min(
            margin(ptp, ptp_err, ELL_MAX_AMPLITUDE),
            margin(D, D_err, EA_MAX_D),
            margin(share, share_err, ELL_MAX_ECLIPSE_SHARE),
        )
        uncertain |= (
            near(ptp, ptp_err, ELL_MAX_AMPLITUDE)
            or near(D, D_err, EA_MAX_D)
            or near(share, share_err, ELL_MAX_ECLIPSE_SHARE)
        )
        return "ELL", uncertain, tuple(reasons), conf
    if sig6 < MIN_SIGNIFICANCE:
        reasons.append(
            f"primary eclipse depth alone {sig6:.1f} sigma (degenerate with the TP2 terms): "
            "type read from the shape with less certainty"
        )
        uncertain = True
    if ell_ratio < EA_ELLIPSOIDAL_RATIO and D < EA_MAX_D:
        reasons.append(
            f"light almost constant between eclipses: 2|C4|/A_I = {ell_ratio:.3f} "
            f"< {EA_ELLIPSOIDAL_RATIO}, D = {D:.1f} % < {EA_MAX_D:g} %"
        )
        uncertain |= near(ell_ratio, ell_err, EA_ELLIPSOIDAL_RATIO) or near(D, D_err, EA_MAX_D)
        conf = min(margin(ell_ratio, ell_scatter, EA_ELLIPSOIDAL_RATIO), margin(D, D_err, EA_MAX_D))
        return "EA", uncertain, tuple(reasons), conf
    reasons.append(f"continuous variation: 2|C4|/A_I = {ell_ratio:.3f}, D = {D:.1f} %")
    uncertain |= near(ell_ratio, ell_err, EA_ELLIPSOIDAL_RATIO) or near(D, D_err, EA_MAX_D)
    # either criterion makes the variation continuous
    conf = max(
        probability_above(ell_ratio, ell_scatter, EA_ELLIPSOIDAL_RATIO),
        probability_above(D, D_err, EA_MAX_D),
    )
    # EB only where the data show it: minima significantly unequal (rule 4)
    unequal = ratio + EB_EVIDENCE_SIGMA * ratio_err < EW_MIN_DEPTH_RATIO
    if period < EW_MAX_PERIOD and not unequal:
        reasons.append(
            f"P = {period:.4g} d < 1 d, minima alike (depth of Min II / Min I = {ratio:.2f} "
            f"+- {ratio_err:.2g} in flux, not {EB_EVIDENCE_SIGMA:g} sigma below "
            f"{EW_MIN_DEPTH_RATIO}), A_I = {A1:.2f} +- {A1_err:.2g} mag"
        )
        if A1 > EW_MAX_AMPLITUDE:
            reasons.append(
                f"amplitude above the {EW_MAX_AMPLITUDE} mag of most contact binaries: uncertain"
            )
            uncertain = True
        # minima on EB's side of their threshold, though not significantly
        uncertain |= ratio < EW_MIN_DEPTH_RATIO or near(ratio, ratio_err, EW_MIN_DEPTH_RATIO)
        conf = min(conf, probability_above(ratio, ratio_err, EW_MIN_DEPTH_RATIO))
        return "EW", uncertain, tuple(reasons), conf
    reasons.append(
        f"not EW: P = {period:.4g} d, Min II / Min I = {ratio:.2f} +- {ratio_err:.2g}, "
        f"A_I = {A1:.2f} +- {A1_err:.2g} mag"
    )
    if period < EW_MAX_PERIOD:  # EB for its unequal minima
        uncertain |= near(ratio, ratio_err, EW_MIN_DEPTH_RATIO)
        conf = min(conf, margin(ratio, ratio_err, EW_MIN_DEPTH_RATIO))
    elif not unequal:  # EB for its period alone
        reasons.append(
            f"P >= {EW_MAX_PERIOD:g} d makes it EB (GCVS: periods 'mainly longer than 1 "
            "day'), but its minima are not shown unequal, as an EW's ('almost equal'): uncertain"
        )
        uncertain = True
        conf = min(conf, LONG_PERIOD_ALIKE_CONFIDENCE)
    return "EB", uncertain, tuple(reasons), conf


def below_contact_limit(period, m, limit) -> tuple:
    """An EW light curve at ``period`` below the contact binaries' ``limit``: EB or not an eclipser.

    EW is the type of a short-period binary unless its minima are shown to
    differ (:func:`eclipser_type`), but no contact binary orbits in less than
    about 0.2 d (Rucinski 1992). Minima alike with 2 sigma confidence there
    are a pulsator's double wave: not an eclipser. Otherwise the binary is a
    short-period EB (HW Vir stars, semi-detached binaries), uncertain.

    Returns
    -------
    kind : str
        ``"EB"`` or :data:`NOT_ECLIPSER`.
    uncertain : bool
    reason : str
    """
    ratio, ratio_err = m["minima_ratio"]
    # the mirror of rule 4's test for unequal minima: alike by EB_EVIDENCE_SIGMA
    alike = ratio - EB_EVIDENCE_SIGMA * ratio_err > EW_MIN_DEPTH_RATIO
    where = f"P_orb = {period:.4g} d < {limit} d, below the contact binaries' period limit"
    if alike:
        return (
            NOT_ECLIPSER,
            False,
            f"a contact binary's light curve at {where}: not a contact binary",
        )
    why = (
        f"{where}, and the minima not shown alike (Min II / Min I = {ratio:.2f} +- "
        f"{ratio_err:.2g}): a short-period EB, uncertain"
    )
    return "EB", True, why
