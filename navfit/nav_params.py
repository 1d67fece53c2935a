r"""The NAV model defined once: its parameters, their bounds and defaults, and its profile in numpy.

Every part of navfit that handles NAV parameters takes them from here: the
numba kernels (the index constants below), the model and its fit
(:mod:`navfit.models.nav`), the derived parameters, the lmfit adapter, the
synthetic generator and the slow reference twin of the kernels. The profile
and the model are written twice, once in numba (:mod:`navfit._kernels.nav`)
and once here in numpy, and the tests compare the two.

.. math::

    x(\varphi) = C_1 + C_2\cos w + C_3\sin w + C_4\cos 2w + C_5\sin 2w
                + C_6 H(\Delta_1; a_1, \beta_1) + C_7 H(\Delta_2; a_2, \beta_2),
    \qquad w = 2\pi\varphi, \quad \varphi = (t - T_0)/P,

    H(\Delta) = 1 \;(z \le f), \quad (1 - u^\beta)^\gamma \;(f < z < 1),
    \quad 0 \;(z \ge 1), \qquad z = |\Delta|/a, \; u = (z - f)/(1 - f),

``Delta_1`` the signed phase distance to phase 0 and ``Delta_2`` to ``phase2``
(Andronov 2012; Andronov, Tkachenko & Chinarova 2015; NAV_SPEC §1). The
canonical model has ``gamma = 3/2``, ``f = 0``, ``phase2 = 0.5`` and one
half-width.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = [
    "BOUNDS",
    "C_ALIASES",
    "INDEX",
    "NAMES",
    "NPAR",
    "PARAMETERS",
    "VARIANTS",
    "NavParameter",
    "curve",
    "free_mask",
    "model",
    "profile",
    "wrap_phase",
]


@dataclass(frozen=True)
class NavParameter:
    """One NAV parameter: its place in the parameter vector and what it means."""

    name: str
    index: int
    default: float
    lower: float
    upper: float
    alias: str | None
    unit: str
    description: str


_INF = math.inf
#: The 17 entries of the NAV parameter vector, in kernel order. Bounds of C6, C7 are
#: those of magnitudes (eclipses make the star fainter); for fluxes they are mirrored.
#: The bounds of the epoch and the period depend on the starting values
#: (:func:`navfit.models.nav.fit_nav`: +-P/4 and +-10 %). The C-index aliases follow
#: NAV_SPEC §1.3 (the papers' numbering of C8-C12 is not verified).
PARAMETERS = (
    NavParameter("C1", 0, 0.0, -_INF, _INF, "C1", "mag", "mean level of the TP2 part"),
    NavParameter("C2", 1, 0.0, -_INF, _INF, "C2", "mag", "cos w term (reflection)"),
    NavParameter("C3", 2, 0.0, -_INF, _INF, "C3", "mag", "sin w term (O'Connell effect)"),
    NavParameter("C4", 3, 0.0, -_INF, _INF, "C4", "mag", "cos 2w term (ellipsoidal)"),
    NavParameter("C5", 4, 0.0, -_INF, _INF, "C5", "mag", "sin 2w term"),
    NavParameter("C6", 5, 0.1, 0.0, _INF, "C6", "mag", "depth of the primary eclipse"),
    NavParameter("C7", 6, 0.05, 0.0, _INF, "C7", "mag", "depth of the secondary eclipse"),
    NavParameter("a1", 7, 0.05, 0.002, 0.45, "C8", "phase", "half-width of the primary"),
    NavParameter("a2", 8, 0.05, 0.002, 0.45, None, "phase", "half-width of the secondary"),
    NavParameter("beta1", 9, 1.5, 0.5, 12.0, "C9", "", "inner profile exponent, primary"),
    NavParameter("beta2", 10, 1.5, 0.5, 12.0, "C10", "", "inner profile exponent, secondary"),
    NavParameter("gamma", 11, 1.5, 1.0, 5.0, None, "", "outer profile exponent (3/2)"),
    NavParameter("flat1", 12, 0.0, 0.0, 0.95, None, "", "flat bottom of the primary, of a1"),
    NavParameter("flat2", 13, 0.0, 0.0, 0.95, None, "", "flat bottom of the secondary, of a2"),
    NavParameter("phase2", 14, 0.5, 0.15, 0.85, None, "phase", "phase of the secondary"),
    NavParameter("epoch", 15, 0.0, -_INF, _INF, "C11", "d", "T0, time of primary minimum"),
    NavParameter("period", 16, 1.0, -_INF, _INF, "C12", "d", "period P"),
)
#: Names in kernel order.
NAMES = tuple(p.name for p in PARAMETERS)
#: Name -> index in the parameter vector.
INDEX = {p.name: p.index for p in PARAMETERS}
#: Length of the parameter vector.
NPAR = len(PARAMETERS)
#: Finite bounds by name (the epoch and period are bounded relative to their start).
BOUNDS = {
    p.name: (p.lower, p.upper)
    for p in PARAMETERS
    if math.isfinite(p.lower) or math.isfinite(p.upper)
}
#: C-index aliases of the named parameters that are not C1-C7.
C_ALIASES = {p.alias: p.name for p in PARAMETERS if p.alias and p.alias != p.name}

# index constants (the kernels compile them in)
C1, C2, C3, C4, C5, C6, C7 = range(7)
A1, A2, BETA1, BETA2, GAMMA, FLAT1, FLAT2, PHASE2, EPOCH, PERIOD = range(7, NPAR)
#: The linear parameters C1-C7 (TP2 and the two depths), and the TP2 part C1-C5.
LINEAR = slice(C1, C7 + 1)
TP2 = slice(C1, C5 + 1)


def wrap_phase(x):
    """Signed distance to the nearest integer, in [-0.5, 0.5)."""
    x = np.asarray(x, dtype=float)
    return x - np.floor(x + 0.5)


def profile(delta, a, beta, gamma=1.5, flat=0.0):
    """The NAV eclipse profile ``H`` at signed phase distances ``delta`` (numpy).

    1 on the flat bottom (``z <= flat``), ``(1 - u^beta)^gamma`` on the walls,
    0 outside (``z >= 1``), with ``z = |delta|/a`` and
    ``u = (z - flat)/(1 - flat)``. Twin of :func:`navfit._kernels.nav.profile`.
    """
    z = np.abs(np.asarray(delta, dtype=float)) / a
    u = np.clip((z - flat) / (1.0 - flat), 0.0, 1.0)
    walls = (1.0 - u**beta) ** gamma
    return np.where(z <= flat, 1.0, np.where(z < 1.0, walls, 0.0))


def model(t, p, shared_width=True, has_secondary=True):
    """NAV values at times ``t`` for the 17-parameter vector ``p`` (numpy).

    Twin of :func:`navfit._kernels.nav.eval_nav`.
    """
    p = np.asarray(p, dtype=float)
    x = (np.asarray(t, dtype=float) - p[EPOCH]) / p[PERIOD]
    w = 2 * np.pi * x
    a2 = p[A1] if shared_width else p[A2]
    out = (
        p[C1]
        + p[C2] * np.cos(w)
        + p[C3] * np.sin(w)
        + p[C4] * np.cos(2 * w)
        + p[C5] * np.sin(2 * w)
        + p[C6] * profile(wrap_phase(x), p[A1], p[BETA1], p[GAMMA], p[FLAT1])
    )
    if has_secondary:
        out = out + p[C7] * profile(wrap_phase(x - p[PHASE2]), a2, p[BETA2], p[GAMMA], p[FLAT2])
    return out


def curve(phase, c, a, beta1, beta2):
    """Canonical NAV curve at phases (0 = Min I): ``c = (C1, ..., C7)``, one half-width ``a``."""
    v = np.array([par.default for par in PARAMETERS])
    v[LINEAR] = c
    v[A1] = v[A2] = a
    v[BETA1], v[BETA2] = beta1, beta2
    v[EPOCH], v[PERIOD] = 0.0, 1.0
    return model(phase, v)


#: Model variants of :func:`navfit.fit_nav` (see :mod:`navfit.models.nav`).
VARIANTS = ("canonical", "separate_widths", "eccentric", "no_secondary", "gamma", "flat")


def free_mask(variant, free_period, free_epoch):
    """Which parameters a variant fits: (free mask, widths shared, secondary present).

    ``variant`` is one of :data:`VARIANTS`; the period and the epoch are free
    when ``free_period`` and ``free_epoch`` say so. The linear terms C1-C7,
    a1, beta1 and beta2 are free in every variant except that
    ``no_secondary`` fixes C7 = 0 and drops beta2; ``separate_widths`` and
    ``eccentric`` free a2, ``eccentric`` the phase of Min II, ``gamma`` the
    profile's gamma and ``flat`` the flat bottoms (NAV_SPEC §2.6).
    """
    free = np.zeros(NPAR, bool)
    free[LINEAR] = True
    free[[A1, BETA1, BETA2]] = True
    shared, has2 = True, True
    if variant in ("separate_widths", "eccentric"):
        shared = False
        free[A2] = True
    if variant == "eccentric":
        free[PHASE2] = True
    if variant == "no_secondary":
        has2 = False
        free[[C7, BETA2]] = False
    if variant == "gamma":
        free[GAMMA] = True
    if variant == "flat":
        free[[FLAT1, FLAT2]] = True
    free[EPOCH] = free_epoch
    free[PERIOD] = free_period
    return free, shared, has2
