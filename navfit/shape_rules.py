"""Whether a single minimum is shaped like an eclipse: the shape conditions of rule 7.

Rule 7 of :mod:`navfit.decision` calls a single minimum per photometric cycle an
eclipse when it is sharper than a sinusoid's, narrower than the maximum and
symmetric (CLASSIFY §1: sharp minima and broad maxima are eclipses; eclipses are
symmetric about their minima, pulsators rise steeply). Rule 4 names the conditions
that fail. Each condition carries the confidence of its measurement
(:func:`navfit.confidence.margin`).
"""

from __future__ import annotations

import math

from .confidence import margin
from .evidence import SHARP_MINIMUM_SIGMA
from .gcvs_types import EA_ELLIPSOIDAL_RATIO

__all__ = [
    "ASYMMETRY_PULSATOR",
    "MAX_TWIN_DEPTH",
    "not_eclipse_shaped",
    "shape_failures",
    "single_too_deep",
    "twins_too_deep",
]

#: Mirror asymmetry of a single-minimum curve above which it is a pulsator.
ASYMMETRY_PULSATOR = 0.1


def not_eclipse_shaped(S, z_shape, sharpness):
    """Rule 4's failing shape conditions and the most clearly failing one's confidence.

    Parameters
    ----------
    S : dict
        Shape of the TP at ``P`` (:func:`navfit.evidence.shape_features`): ``width_min``,
        ``width_max`` and ``asymmetry``, each ``(value, error)``.
    z_shape : float
        Standard deviations by which the minimum is sharper than a sinusoid's
        (:func:`navfit.evidence.sharp_minimum`).
    sharpness : float
        ``Phi(z_shape - SHARP_MINIMUM_SIGMA)``.

    Returns
    -------
    text : str
        The failing conditions, joined by "; ".
    confidence : float
        At least one condition fails with this probability; 0.5 where none fails
        (rule 7 did not apply for another reason).
    """
    failures = shape_failures(S, z_shape, sharpness)
    if not failures:
        return "one symmetric minimum sharper than the maximum, no significant second", 0.5
    return "; ".join(t for t, _ in failures), float(max(c for _, c in failures))


def shape_failures(S, z_shape, sharpness):
    """Rule 7's shape conditions that fail: ``[(text, margin of its measurement), ...]``.

    Arguments as :func:`not_eclipse_shaped`. An error of 0 (no usable covariance)
    is unknown: 0.84 for the sharpness, else 0.5.
    """
    wmin, wmin_err = S["width_min"]
    wmax, wmax_err = S["width_max"]
    asym, asym_err = S["asymmetry"]
    wmin_err, wmax_err, asym_err = (e or math.inf for e in (wmin_err, wmax_err, asym_err))
    failed = []
    if not z_shape > SHARP_MINIMUM_SIGMA:
        text = f"minimum no sharper than a sinusoid's ({z_shape:.1f} sigma)"
        failed.append((text, 1.0 - sharpness if z_shape else 0.84))
    if not wmin < wmax:
        text = f"minimum no narrower than the maximum (widths {wmin:.3f} against {wmax:.3f})"
        failed.append((text, margin(wmin, math.hypot(wmin_err, wmax_err), wmax)))
    if not asym < ASYMMETRY_PULSATOR:
        text = (
            f"asymmetric about the minimum (asymmetry {asym:.3f} +- {asym_err:.3f} >= "
            f"{ASYMMETRY_PULSATOR:g}: eclipses are symmetric)"
        )
        failed.append((text, margin(asym, asym_err, ASYMMETRY_PULSATOR)))
    return failed


#: A single eclipse deeper than this (flux fraction) cannot be one of two equal ones:
#: two equal eclipses each hide at most half of the light, 0.753 mag (GCVS EA/EB/EW
#: definitions; one star eclipses the other, of equal size and brightness).
MAX_TWIN_DEPTH = 0.5


def twins_too_deep(nav2) -> str | None:
    """Why one sharp minimum per cycle cannot be two equal eclipses at ``2P``, or ``None``.

    Rule 7 doubles the period of a single eclipse-like minimum: the two halves
    of the orbit at ``2P`` show equal eclipses. That is impossible when each of
    them would hide more than :data:`MAX_TWIN_DEPTH` of the light, which the
    NAV fit at ``2P`` (``nav2``) measures directly where the light is constant
    between its eclipses (GCVS EA, ``2|C4|/A_I <`` :data:`EA_ELLIPSOIDAL_RATIO`);
    in contact and ellipsoidal binaries the amplitude includes the changing
    shape of the stars, and deep minima are no bound there.
    """
    if nav2 is None or nav2.iparams[1] != 1:
        return None
    p, d = nav2.params, nav2.derived
    amplitude = abs(d["amplitude1"][0])  # Min I - Max, negative for fluxes
    flat = amplitude > 0 and 2 * abs(p["C4"]) / amplitude < EA_ELLIPSOIDAL_RATIO
    depths = [d[key][0] for key in ("depth1_flux", "depth2_flux") if key in d]
    if not (flat and len(depths) == 2 and min(depths) > MAX_TWIN_DEPTH):
        return None
    return (
        f"at 2P the two eclipses, with constant light between them, would each hide "
        f"{min(depths):.2f} > {MAX_TWIN_DEPTH} of the light: impossible for equal stars, "
        "so P_orb = P (secondary eclipse absent)"
    )


def single_too_deep(depth: float) -> str | None:
    """Why one eclipse per cycle of flux ``depth`` cannot be one of two equal ones, or ``None``.

    Rule 5's bound on the NAV fit at ``P`` (:data:`MAX_TWIN_DEPTH`).
    """
    if depth <= MAX_TWIN_DEPTH:
        return None
    return (
        f"one eclipse per cycle, flux depth {depth:.2f} > {MAX_TWIN_DEPTH}: two equal "
        "eclipses would hide more than all the light, so P_orb = P "
        "(secondary eclipse absent)"
    )
