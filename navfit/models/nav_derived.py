"""Phenomenological parameters derived from a NAV fit, with propagated errors (NAV_SPEC §3).

Every derived quantity ``F(p)`` is a function of the fitted parameter vector; its
error is ``sqrt(grad F^T Cov grad F)`` with the gradient by central differences
(steps of 1e-3 of each parameter's error), so the propagation uses the full
covariance, correlations included.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar

from .._kernels.models import NAV
from ..lsq import model_values, propagated_variance
from ..nav_params import (
    A1,
    A2,
    BETA1,
    BETA2,
    C1,
    C2,
    C3,
    C4,
    C5,
    C6,
    C7,
    EPOCH,
    FLAT1,
    FLAT2,
    PERIOD,
    PHASE2,
)

__all__ = ["MIN_IN_ECLIPSE_TRUSTED", "derived_parameters", "nav_flags"]

#: Fewest points inside an eclipse for its width and shape to be trusted.
MIN_IN_ECLIPSE_TRUSTED = 8

#: Correlations above this are flagged as degeneracies.
MAX_CORRELATION = 0.95


def _curve(p, iparams, phase):
    phase = np.atleast_1d(np.asarray(phase, dtype=float))
    return model_values(NAV, p[EPOCH] + phase * p[PERIOD], p, iparams)


def _extremum(p, iparams, lo, hi, faint_sign, brightest=False, n=801):
    """Phase of the faintest (or brightest) point of the curve in [lo, hi]."""
    grid = np.linspace(lo, hi, n)
    v = faint_sign * _curve(p, iparams, grid) * (-1 if brightest else 1)
    i = int(np.argmax(v))
    step = (hi - lo) / (n - 1)
    a, b = max(lo, grid[i] - step), min(hi, grid[i] + step)

    def g(x):
        return -faint_sign * (-1 if brightest else 1) * _curve(p, iparams, x)[0]

    res = minimize_scalar(g, bounds=(a, b), method="bounded", options={"xatol": 1e-10})
    return float(res.x) if res.fun <= g(grid[i]) else float(grid[i])


def _quantities(p, iparams, kind, phases):
    """All derived quantities at parameter vector ``p`` with extremum phases held fixed."""
    has2 = iparams[1] == 1
    a1 = p[A1]
    a2 = p[A1] if iparams[0] == 1 else p[A2]
    P = p[PERIOD]
    x = {}
    vmax = _curve(p, iparams, phases["max"])[0]
    x["max"] = vmax
    x["min1"] = _curve(p, iparams, phases["min1"])[0]
    x["amplitude1"] = x["min1"] - vmax
    if has2 and "min2" in phases:
        x["min2"] = _curve(p, iparams, phases["min2"])[0]
        x["amplitude2"] = x["min2"] - vmax
    x["depth1"] = p[C6]
    x["D"] = 200.0 * a1
    x["duration1"] = 2.0 * a1 * P
    if iparams[0] != 1:
        x["D2"] = 200.0 * a2
        x["duration2"] = 2.0 * a2 * P
    if p[FLAT1] > 0 or p[FLAT2] > 0:
        x["totality1"] = 2.0 * p[FLAT1] * a1 * P
        x["D_totality1"] = 200.0 * p[FLAT1] * a1
        if has2:
            x["totality2"] = 2.0 * p[FLAT2] * a2 * P
    q = _curve(p, iparams, [0.25, 0.75])
    x["oconnell"] = q[C1] - q[C2]
    x["reflection"] = 2.0 * p[C2]
    x["ellipsoidal"] = 2.0 * p[C4]
    grid = np.linspace(0, 1, 721)
    w = 2 * np.pi * grid
    tp2 = p[C2] * np.cos(w) + p[C3] * np.sin(w) + p[C4] * np.cos(2 * w) + p[C5] * np.sin(2 * w)
    x["tp2_range"] = float(tp2.max() - tp2.min())
    # the same between the eclipses only: the light "between eclipses" of GCVS
    d1 = np.abs(grid - np.round(grid))
    d2 = np.abs((grid - p[PHASE2]) - np.round(grid - p[PHASE2]))
    out = (d1 >= a1) & ((d2 >= a2) if has2 else True)
    if np.count_nonzero(out) > 1:
        x["out_of_eclipse_range"] = float(tp2[out].max() - tp2[out].min())
    cont1 = p[C1] + p[C2] + p[C4]  # TP2 continuation at the primary centre
    cont2 = p[C1] - p[C2] + p[C4]
    if kind == "mag":
        l1 = 1.0 - 10 ** (-0.4 * p[C6])
        x["depth1_flux"] = l1
        if has2:
            x["depth2"] = p[C7]
            l2 = 1.0 - 10 ** (-0.4 * p[C7])
            x["depth2_flux"] = l2
            if l2 > 0:
                x["ratio_depth"] = l1 / l2
                x["ratio_flux"] = 10 ** (-0.8 * p[C2]) * l1 / l2
            dF1 = 10 ** (-0.4 * (cont1 - vmax)) * l1
            dF2 = 10 ** (-0.4 * (cont2 - vmax)) * l2
            if 0 < dF1 < 1 and 0 < dF2 < 1:
                x["l2_l1_min"] = dF2 / (1 - dF2)
                x["l2_l1_max"] = (1 - dF1) / dF1
    else:
        x["depth1_flux"] = -p[C6] / cont1
        if has2:
            x["depth2"] = p[C7]
            x["depth2_flux"] = -p[C7] / cont2
            if p[C7] < 0:
                x["ratio_depth"] = (p[C6] / cont1) / (p[C7] / cont2)
                x["ratio_flux"] = p[C6] / p[C7]
    if has2:
        x["phase2"] = p[PHASE2]
        x["ecosw"] = 0.5 * np.pi * (p[PHASE2] - 0.5)
        x["esinw"] = (a2 - a1) / (a2 + a1)
    return x


def _phases(result):
    p, ip = result.values, result.iparams
    faint = 1.0 if result.lc.kind == "mag" else -1.0
    a1 = p[A1]
    a2 = p[A1] if ip[0] == 1 else p[A2]
    phases = {"min1": _extremum(p, ip, -a1, a1, faint)}
    if ip[1] == 1 and p[C7] != 0:
        phases["min2"] = _extremum(p, ip, p[PHASE2] - a2, p[PHASE2] + a2, faint)
    phases["max"] = _extremum(p, ip, 0.0, 1.0, faint, brightest=True, n=2001)
    return phases


def derived_parameters(result) -> dict:
    """Derived quantities ``name -> (value, error)`` of a NAV :class:`~navfit.FitResult`.

    Names: ``max, min1, min2`` (curve extrema, in the input's band),
    ``amplitude1/2`` (Min - Max), ``depth1/2`` (C6, C7, eclipse-only depths in
    mag relative to the TP2 continuation) and ``depth1/2_flux`` (fractional flux
    loss ``1 - 10^(-0.4 C)``), ``D`` (``200 a`` percent of the period),
    ``duration1`` (``2 a P`` days), ``D2``/``duration2`` (separate widths),
    ``totality1/2`` and ``D_totality1`` (flat variant: ``2 flat a P``),
    ``oconnell`` (``x(0.25) - x(0.75)``, positive: Max I fainter),
    ``reflection`` (``2 C2``), ``ellipsoidal`` (``2 C4``), ``tp2_range``
    (peak-to-peak of the TP2 part) and ``out_of_eclipse_range`` (the same
    between the eclipse windows only), ``ratio_depth`` (``l1/l2``, ratio of the
    fractional depths, i.e. of the mean surface brightnesses if both eclipses
    hide the same area) and ``ratio_flux`` (``10^(-0.8 C2) l1/l2``, with the
    continuation levels: absolute flux losses), ``l2_l1_min/max`` (bounds of
    the luminosity ratio, NAV_SPEC §3.6), ``phase2``, ``ecosw`` and ``esinw``
    (first-order eccentricity diagnostics, NAV_SPEC §1.5).
    """
    phases = _phases(result)
    p0 = result.values
    kind = result.lc.kind
    base = _quantities(p0, result.iparams, kind, phases)
    free_idx = np.flatnonzero(result.free)
    err = np.sqrt(np.clip(np.diag(result.covariance), 0, None))
    names = list(base)
    grad = np.zeros((len(names), free_idx.size))
    one_sided = np.zeros(grad.shape, bool)  # defined on one side of the step only
    for col, j in enumerate(free_idx):
        ok = 0 < err[col] < np.inf
        # a thousandth of the error, but no more than of the value: an undetermined
        # parameter's error can be vast, and a step of that size overflows 10**(-0.4 C)
        h = 1e-3 * min(err[col], max(abs(p0[j]), 1.0)) if ok else 1e-8 * max(abs(p0[j]), 1.0)
        up, dn = p0.copy(), p0.copy()
        up[j] += h
        dn[j] -= h
        if result.iparams[0] == 1 and j == A1:
            up[A2], dn[A2] = up[A1], dn[A1]
        qu = _quantities(up, result.iparams, kind, phases)
        qd = _quantities(dn, result.iparams, kind, phases)
        for r, name in enumerate(names):
            if name in qu and name in qd:
                grad[r, col] = (qu[name] - qd[name]) / (2 * h)
            else:
                one_sided[r, col] = True
    # quantities that depend on an undetermined parameter have an infinite error,
    # also a ratio to a depth held at zero, which exists on one side of the step only
    var = propagated_variance(grad, result.covariance)
    var[np.any(one_sided[:, ~np.isfinite(err)], axis=1)] = np.inf
    out = {
        name: (float(base[name]), float(np.sqrt(max(v, 0.0))))
        for name, v in zip(names, var, strict=True)
    }
    out["phase_max"] = (phases["max"] % 1.0, 0.0)
    return out


def points_in_eclipse(result):
    """Number of data points inside the primary and secondary eclipse windows."""
    in1, in2 = eclipse_windows(result.lc.t, result.values, result.iparams)
    return int(in1.sum()), int(in2.sum())


def eclipse_windows(t, p, iparams):
    """Which times lie inside the primary and the secondary eclipse window of NAV vector ``p``.

    The secondary window is empty when the model has no secondary (``iparams[1] == 0``).
    """
    x = (np.asarray(t, float) - p[EPOCH]) / p[PERIOD]
    d1 = x - np.floor(x + 0.5)
    y2 = x - p[PHASE2]
    d2 = y2 - np.floor(y2 + 0.5)
    a2 = p[A1] if iparams[0] == 1 else p[A2]
    in2 = np.abs(d2) < a2 if iparams[1] == 1 else np.zeros(x.size, bool)
    return np.abs(d1) < p[A1], in2


def nav_flags(result) -> list[str]:
    """Degeneracies and warnings of a NAV fit (NAV_SPEC §2.6, §7)."""
    flags = []
    p = result.values
    names = result.free_names
    err = result.errors
    n1, n2 = points_in_eclipse(result)
    if n1 < MIN_IN_ECLIPSE_TRUSTED:
        flags.append(
            f"only {n1} points inside the primary eclipse "
            f"(fewer than {MIN_IN_ECLIPSE_TRUSTED}): width and shape unreliable"
        )
    if abs(p[C6]) < 3 * err["C6"]:
        flags.append(
            "primary eclipse not significant (|C6| < 3 sigma): not an eclipser at this period?"
        )
    if result.iparams[1] != 1:
        x = (result.lc.t - p[EPOCH]) / p[PERIOD] - 0.5
        n_opp = int(np.sum(np.abs(x - np.floor(x + 0.5)) < p[A1]))
        if n_opp < MIN_IN_ECLIPSE_TRUSTED:
            flags.append(
                f"only {n_opp} points within the eclipse half-width of phase 0.5: the "
                "other eclipse may be unobserved rather than absent"
            )
    if result.iparams[1] == 1:
        if n2 < MIN_IN_ECLIPSE_TRUSTED:
            flags.append(f"only {n2} points inside the secondary eclipse")
        if abs(p[C7]) < 3 * err["C7"] or err["beta2"] > p[BETA2]:
            flags.append(
                "secondary eclipse not significant or beta2 unconstrained: "
                "consider variant='no_secondary'"
            )
    a_max = max(p[A1], p[A2] if result.iparams[0] != 1 else p[A1])
    if a_max > 0.25:
        flags.append(
            f"eclipse half-width {a_max:.3f} > 0.25: wider than the model supports "
            "(windows reach quadrature; O'Connell and reflection terms are mixed "
            "with the eclipses)"
        )
    if min(p[BETA1], p[BETA2] if result.iparams[1] == 1 else p[BETA1]) < 1.0:
        flags.append("beta < 1: cusp or infinite slope at mid-eclipse")
    cov = np.where(np.isfinite(result.covariance), result.covariance, 0.0)
    scale = np.sqrt(np.abs(np.outer(np.diag(cov), np.diag(cov))))
    if np.any(np.diag(cov) < 0) or np.any(np.abs(cov) > scale * (1.0 + 1e-6) + 1e-300):
        flags.append(
            "covariance not positive semi-definite (ill-conditioned fit): errors unreliable"
        )
    corr = result.correlation
    iu = np.triu_indices(len(names), 1)
    for i, j in zip(*iu, strict=True):
        if abs(corr[i, j]) > MAX_CORRELATION:
            flags.append(
                f"|correlation({names[i]}, {names[j]})| = {abs(corr[i, j]):.3f} > {MAX_CORRELATION}"
            )
    for name in result.info.get("at_bound", []):
        flags.append(f"{name} at its bound")
    if result.lc.kind == "flux":
        flags.append("fitted in flux: depths C6, C7 are negative flux changes, not magnitudes")
    if not result.success:
        flags.append(f"fit did not converge cleanly: {result.message}")
    return flags
