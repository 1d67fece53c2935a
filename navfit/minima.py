"""Times of minima of eclipsing binaries, with errors that can be trusted.

Three methods time one eclipse:

``kvw``
    :func:`kwee_van_woerden`: the symmetry method of Kwee & van Woerden (1956)
    with the timing error of Deeg (2021), generalised to uneven sampling.
``nav``
    :func:`nav_minimum`: the eclipse profile of the global NAV fit, shifted in
    time, with the local level and the depth free.
``poly``
    :func:`polynomial_minimum`: a polynomial of a degree chosen by the BIC.

:func:`times_of_minima` finds every observed minimum of a light curve from the
fitted ephemeris and the NAV half-widths and times it with any of them.
``docs/minima.md`` describes the methods with their equations.

References
----------
Kwee K. K., van Woerden H., 1956, Bull. Astron. Inst. Netherlands 12, 327.
Deeg H. J., 2021, Galaxies 9, 1 (doi:10.3390/galaxies9010001).
Andronov I. L., 2012, Astrophysics 55, 536 (the NAV profile).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import stats

from ._kernels.models import NAV
from .criteria import fit_statistics
from .errors import InputError, NavfitError
from .lightcurve import LightCurve
from .lsq import jacobian, levenberg_marquardt, solve_linear
from .nav_params import A1, A2, C1, C6, C7, EPOCH, PERIOD, PHASE2
from .results import FitResult

__all__ = [
    "FLAGS",
    "KvWResult",
    "MinimumTime",
    "kwee_van_woerden",
    "nav_minimum",
    "polynomial_minimum",
    "times_of_minima",
]

#: The flags a minimum can carry (the ``flags`` column joins them with ``"; "``).
FLAGS = {
    "too few points": "fewer points than the method needs; no time",
    "one branch only": "the points do not cover both branches of the eclipse",
    "gap at the bottom": "no point near the minimum itself",
    "gap in a branch": "KvW: a gap longer than a third of the half-width in a branch",
    "uneven sampling": "spacing not even within 1 %: KvW interpolated the other branch",
    "no eclipse in window": "the local depth is not significant (< 5 sigma); no time",
    "no minimum": "the method found no minimum of light in the window; no time",
    "off the predicted time": "the minimum lies half a half-width or more from the ephemeris",
}
#: Flags that leave a time usable for O-C (the others mark incomplete or failed minima).
BENIGN_FLAGS = ("uneven sampling",)
#: Fewest pairs (points on each side) KvW folds (Deeg 2021).
KVW_MIN_PAIRS = 3
#: Spacings within this fraction of the median count as even (Deeg's tolerance).
EVEN_TOLERANCE = 0.01
#: A point closer than this fraction of the spacing to a fold time is its centre.
CENTRE_TOLERANCE = 0.01
#: Two points bracketing the minimum further apart than this many spacings: a gap.
GAP_SPACINGS = 1.9
#: KvW errors below this many spacings are refined (``refine="precise"``/``"auto"``).
REFINE_BELOW = 0.02
#: Default windows in units of the eclipse half-width ``a P``, by method.
WINDOWS = {"nav": 1.25, "kvw": 2.0, "poly": 0.75}
#: Range of the light "outside the eclipse" for the KvW noise, in eclipse half-widths.
OFF_ECLIPSE = (1.5, 2.5)
#: Degrees of freedom of the global residual scale pooled into every local scale.
POOL_DOF = 10
#: Depth significance (depth / error) below which a window has no eclipse.
MIN_DEPTH_SIGNIFICANCE = 5.0
#: Fewest points inside the eclipse on each side of the minimum for full coverage.
MIN_BRANCH_POINTS = 2
#: Residual profile of the template: fewest points per bin, most bins, fewest bins,
#: and the F-test p-value below which it is applied.
PROFILE_MIN_PER_BIN = 8
PROFILE_MAX_BINS = 80
PROFILE_MIN_BINS = 4
PROFILE_PVALUE = 1e-3
#: Largest residual profile, as a fraction of the eclipse depth, taken as a mismatch.
PROFILE_MAX_FRACTION = 0.1
#: Steps of the coarse shift scan of the NAV profile over +-0.5 a P.
N_SHIFTS = 41
METHODS = ("nav", "kvw", "poly")


def _faint_sign(kind: str, where: str) -> float:
    if kind == "mag":
        return 1.0
    if kind == "flux":
        return -1.0
    raise InputError(f"{where}: kind must be 'mag' or 'flux', got {kind!r}")


def _arrays(t, y, dy, where):
    t = np.asarray(t, dtype=float)
    y = np.asarray(y, dtype=float)
    if t.ndim != 1 or y.shape != t.shape:
        raise InputError(
            f"{where}: t and y must be 1-D arrays of one length, got {t.shape}, {y.shape}"
        )
    if dy is not None:
        dy = np.broadcast_to(np.asarray(dy, dtype=float), t.shape).copy()
        if not np.all(np.isfinite(dy)) or np.any(dy <= 0):
            raise InputError(f"{where}: dy must be finite and positive")
    if not (np.all(np.isfinite(t)) and np.all(np.isfinite(y))):
        raise InputError(f"{where}: t and y must be finite")
    order = np.argsort(t, kind="stable")
    t, y = t[order], y[order]
    if dy is not None:
        dy = dy[order]
    if t.size > 1 and np.any(np.diff(t) == 0):
        raise InputError(f"{where}: two points have the same time")
    return t, y, dy


def _join(flags) -> str:
    return "; ".join(dict.fromkeys(flags))


# ----------------------------------------------------------------------------------
# Kwee - van Woerden
# ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class KvWResult:
    """Time of minimum by Kwee & van Woerden (1956) with Deeg's (2021) error.

    Unpacks as ``time, error, error_1956, flags``.

    Attributes
    ----------
    time : float
        Time of minimum (the time values given); NaN when flagged untimeable.
    error : float
        Deeg's (2021) 1-sigma error.
    error_1956 : float
        Kwee & van Woerden's (1956) error; NaN where their formula fails
        (a negative minimum of the fitted S parabola).
    flags : tuple of str
        See :data:`FLAGS`.
    noise : float
        Point-to-point noise used: the one given, else estimated from ``S``.
    noise_given : bool
    z : int
        Pairs (points on each side) in every fold.
    n_left, n_right : int
        Points before and after the minimum.
    fold_times, s_values : ndarray
        The folds used in the parabola fit and their ``S``.
    coefficients : tuple of float
        ``A, B, C`` of ``S = A x^2 + B x + C``, ``x = T - t_ref``.
    t_ref : float
    sampling_factor : float
        ``kappa``, the correction of the error for uneven sampling (1 for even).
    """

    time: float
    error: float
    error_1956: float
    flags: tuple = ()
    noise: float = np.nan
    noise_given: bool = False
    z: int = 0
    n_left: int = 0
    n_right: int = 0
    fold_times: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    s_values: np.ndarray = field(default_factory=lambda: np.empty(0), repr=False)
    coefficients: tuple = (np.nan, np.nan, np.nan)
    t_ref: float = np.nan
    sampling_factor: float = 1.0

    def __iter__(self):
        return iter((self.time, self.error, self.error_1956, self.flags))


def _stencil(t, r):
    """4-point Lagrange (cubic) interpolation weights at ``r``: indices (m, 4), weights (m, 4).

    The stencil is the two points on either side of ``r``, moved inwards at the
    ends of the data. At a data point the weights are (0, 1, 0, 0), so for even
    sampling every reflection is a point and the pairs are KvW's.
    """
    n = t.size
    hi = np.clip(np.searchsorted(t, r), 1, n - 1)
    first = np.clip(hi - 2, 0, max(n - 4, 0))
    idx = first[:, None] + np.arange(min(4, n))[None, :]
    x = t[idx]
    w = np.ones(idx.shape)
    for a in range(idx.shape[1]):
        for b in range(idx.shape[1]):
            if a != b:
                w[:, a] *= (r - x[:, b]) / (x[:, a] - x[:, b])
    return idx, w


def _reflect(t, y, T, idx):
    """Differences of points ``idx`` from the other branch interpolated at their reflections.

    Returns ``d``, the kept indices (reflection inside the data) and the
    interpolation stencil and weights.
    """
    r = 2.0 * T - t[idx]
    inside = (r >= t[0]) & (r <= t[-1])
    idx, r = idx[inside], r[inside]
    sidx, w = _stencil(t, r)
    d = y[idx] - np.sum(w * y[sidx], axis=1)
    return d, idx, sidx, w


def _fold_points(t, T, z, h):
    left = np.flatnonzero(t < T - CENTRE_TOLERANCE * h)[-z:]
    right = np.flatnonzero(t > T + CENTRE_TOLERANCE * h)[:z]
    return np.concatenate([left, right])


def _fold(t, y, T, z, h):
    """``S`` of one fold from the ``z`` nearest points on each side of ``T``.

    Each point is compared with the other branch interpolated at its
    reflection, and ``S = z * mean(2 d_i^2 / c_i)`` with ``c_i = 1 + sum_k w_ik^2``
    the variance of ``d_i`` in units of the noise variance (2 for an exact pair):
    for even sampling and ``T`` on a point or midway between two this is KvW's
    sum over the ``z`` pairs, and interpolated differences, whose noise is
    smaller, do not make a fold look better.
    """
    d, _, _, w = _reflect(t, y, T, _fold_points(t, T, z, h))
    if d.size == 0:
        return np.inf
    return z * float(np.mean(2.0 * d**2 / (1.0 + np.sum(w**2, axis=1))))


def _paired_points(t, T, z, h):
    """The fold's points at ``T`` whose reflection lies well inside the data and not in a gap."""
    idx = _fold_points(t, T, z, h)
    r = 2.0 * T - t[idx]
    j = np.clip(np.searchsorted(t, r), 1, t.size - 1)
    # a margin of 2h: the reflections move by 2 dT while T is varied over +-h
    ok = (r >= t[0] + 2 * h) & (r <= t[-1] - 2 * h) & (t[j] - t[j - 1] <= GAP_SPACINGS * h)
    return idx[ok]


def _vertex_jitter(x, A, x0, z, sigma):
    """Error of the vertex from the noise of ``S`` itself (the squared noise differences).

    ``S_k`` holds ``sum (eps_a - eps_b)^2`` over the fold's pairs, which differs
    from fold to fold: variance ``8 z sigma^4``, covariance ``4 z sigma^4``
    between folds that share their points. The vertex ``x0 = -B/2A`` of the
    least-squares parabola moves by ``g^T eta`` with
    ``g_k = -(M_Bk + 2 x0 M_Ak) / 2A`` (``M`` the fit's linear map), so this
    adds ``4 z sigma^4 sum g_k^2`` (the ``g_k`` sum to 0) to the variance. It
    matters only when the noise is comparable with the change of the light
    from one point to the next (many noisy points); Deeg's error omits it.
    """
    X = np.vander(x, 3)
    M = np.linalg.pinv(X)
    g = -(M[1] + 2.0 * x0 * M[0]) / (2.0 * A)
    return float(np.sqrt(4.0 * z * sigma**4 * np.sum(g**2)))


def _refine(t, y, T0, z, h):
    """Minimum of the continuous ``S(T)`` near ``T0``, its curvature, ``S`` there and the points.

    Between the folds the parabola is only an approximation of ``S``: for
    eclipses with few points per branch its vertex is off by a few hundredths
    of the spacing, more with points missing. Here ``S(T) = sum d_i^2 / c_i``
    (:func:`_fold`; ``1/2 sum d_i^2`` for exact pairs) is computed at any ``T``
    for a fixed set of points, those of the fold at
    ``T0`` whose reflection falls between two points closer than
    ``GAP_SPACINGS h`` (no interpolation across gaps), and minimised within
    ``T0 +- h/2``; ``A`` is the curvature of a parabola through ``S`` at
    ``T_min + (-1/2 .. 1/2) h``.

    Returns
    -------
    T_min, A, S_min, idx : float, float, float, ndarray
        ``A = nan`` when fewer than 4 points remain.
    """
    from scipy.optimize import minimize_scalar

    idx = _paired_points(t, T0, z, h)
    if idx.size < 4:
        return T0, np.nan, np.nan, idx

    def s_of(u):
        d, _, _, w = _reflect(t, y, T0 + u * h, idx)
        if d.size < idx.size:
            return np.inf
        return float(np.sum(d**2 / (1.0 + np.sum(w**2, axis=1))))

    # in units of the spacing about T0: Brent's tolerances are relative to |x|
    res = minimize_scalar(s_of, bounds=(-0.5, 0.5), method="bounded", options={"xatol": 1e-7})
    u0 = float(res.x) if res.fun <= s_of(0.0) else 0.0
    if abs(u0) > 0.499:
        return T0 + u0 * h, np.nan, s_of(u0), idx  # no minimum within reach
    grid = np.linspace(-0.5, 0.5, 5)
    values = np.array([s_of(u0 + g) for g in grid])
    A = np.polyfit(grid * h, values, 2)[0]
    return T0 + u0 * h, float(A), s_of(u0), idx


def _sampling_factor(t, y, T, idx, h):
    """``kappa``: the error of the fold estimator for the actual sampling over Deeg's.

    Linearised about ``T`` with ``S = sum_i v_i d_i^2`` over the points ``idx``,
    ``v_i = 1/c_i`` (:func:`_fold`): ``dS/dT`` has the noise
    ``2 sum_j g_j eps_j``, ``g_j = v_j u_j [j in idx] - sum_i v_i w_ij u_i`` (a
    point's own difference and the interpolations it takes part in),
    ``u_i = dd_i/dT`` from the odd part of the local slope about ``T``, and
    ``kappa^2 = sum g^2 / (2 sum v u^2)``, which is 1 when every reflection
    lands on a point (``v = 1/2``, ``g_j = u_j``).
    """
    d, idx, sidx, w = _reflect(t, y, T, idx)
    if d.size < 2:
        return 1.0

    def slope(x):
        return (np.interp(x + h, t, y) - np.interp(x - h, t, y)) / (2.0 * h)

    off = t[idx] - T
    u = slope(T + off) - slope(T - off)  # 2 x the odd part of the slope: dd_i/dT
    v = 1.0 / (1.0 + np.sum(w**2, axis=1))
    g = np.zeros(t.size)
    np.add.at(g, idx, v * u)
    np.add.at(g, sidx.ravel(), -(w * (v * u)[:, None]).ravel())
    svu2 = float(np.sum(v * u**2))
    if svu2 <= 0:
        return 1.0
    return float(np.sqrt(np.sum(g**2) / (2.0 * svu2)))


def kwee_van_woerden(
    t,
    y,
    *,
    nfold: int = 5,
    start="lowest",
    noise: float | None = None,
    kind: str = "flux",
    refine="auto",
    where: str = "kwee_van_woerden",
) -> KvWResult:
    """Time one eclipse by the Kwee-van Woerden method with Deeg's (2021) error.

    Parameters
    ----------
    t, y : array_like
        Times and fluxes (``kind="flux"``) or magnitudes (``kind="mag"``) of
        the eclipse only (no long stretches outside it).
    nfold : int
        Number of folds (reflections), odd, at least 3: folds every half
        spacing ``h/2`` around the start, ``nfold = 5`` (Deeg's default) spans
        ``+-h``; KvW's original is 3.
    start : {"lowest", "middle"} or float
        First guess of the minimum: the faintest point, the middle point, or
        the point nearest a given time.
    noise : float, optional
        Point-to-point noise of ``y`` (the rms of the out-of-eclipse light).
        ``None``: estimated from the ``S`` of the best fold,
        ``sigma^2 = S_min / (c (Z - 1))`` (``c = 2`` for even sampling).
    kind : {"flux", "mag"}
        Only decides which point is the faintest.
    refine : {"auto", "precise", True, False}
        Move the time from the vertex of the ``S`` parabola to the minimum of
        ``S(T)`` evaluated continuously (:func:`_refine`). ``"precise"``: when
        the error is below ``REFINE_BELOW`` spacings, where the parabola's own
        bias (up to a few hundredths of a spacing) would matter; ``"auto"``:
        the same, for uneven sampling only, so that evenly sampled data give
        Deeg's numbers exactly.
    where : str
        Label for error messages (file, cycle).

    Returns
    -------
    KvWResult
        Unpacks as ``(time, error, error_1956, flags)``.

    Raises
    ------
    InputError
        Arrays of different lengths, non-finite values, equal times, bad options.

    Notes
    -----
    Folding the light curve about a trial time ``T`` pairs each point with the
    other branch at its reflection ``2T - t``; the sum of the squared
    differences over ``Z`` pairs,

    .. math:: S(T) = \\sum_{k=1}^{Z} [y(T - \\Delta_k) - y(T + \\Delta_k)]^2,

    is fitted by ``S = A T^2 + B T + C`` over the folds, and the minimum is at
    ``T_0 = -B / 2A``. Kwee & van Woerden's error

    .. math:: \\sigma_{1956}^2 = \\frac{4AC - B^2}{4A^2 (Z - 1)}
              = \\frac{S(T_0)}{A (Z - 1)}

    fails (negative ``S(T_0)``) or is too small for low-noise data, where
    ``S(T_0)`` is a small difference of large numbers. Deeg (2021) replaces
    ``S(T_0)`` by its expectation for the noise ``sigma``, ``2 (Z-1) sigma^2``:

    .. math:: \\sigma_T^2 = \\frac{2 \\sigma^2}{A}.

    For even sampling this is Deeg's method exactly: the folds lie on points and
    midway between them, the ``Z`` pairs are points, and a fold whose ``S`` is
    not the central minimum is trimmed as in his code (at most one more fold on
    the longer side). For uneven sampling each point of the ``Z`` nearest on
    either side is compared with the other branch linearly interpolated at its
    reflection (the interpolation of the 1956 paper) and
    ``S = Z * mean(d^2)``, so points missing on one branch do not shift the
    time; the error is multiplied by ``kappa`` (:func:`_sampling_factor`),
    which accounts for the noise shared through the interpolation. When the
    ``S`` minimum is at an end fold the folds are re-centred on it.

    References
    ----------
    Kwee K. K., van Woerden H., 1956, BAN 12, 327; Deeg H. J., 2021, Galaxies 9, 1.
    """
    t, y, _ = _arrays(t, y, None, where)
    sign = _faint_sign(kind, where)
    if isinstance(nfold, bool) or not isinstance(nfold, (int, np.integer)):
        raise InputError(f"{where}: nfold must be an odd integer >= 3, got {nfold!r}")
    if nfold < 3 or nfold % 2 == 0:
        raise InputError(f"{where}: nfold must be an odd integer >= 3, got {nfold}")
    if refine not in ("auto", "precise", True, False):
        raise InputError(
            f"{where}: refine must be 'auto', 'precise', True or False, got {refine!r}"
        )
    if noise is not None:
        noise = float(noise)
        if not (np.isfinite(noise) and noise > 0):
            raise InputError(f"{where}: noise must be positive and finite, got {noise}")
    n = t.size
    noff = (nfold - 1) // 4
    if n < 2 * (KVW_MIN_PAIRS + noff) + 1:
        return KvWResult(np.nan, np.nan, np.nan, ("too few points",))
    steps = np.diff(t)
    h = float(np.median(steps))
    flags = []
    even = bool(np.all(np.abs(steps - h) <= EVEN_TOLERANCE * h))
    if not even:
        flags.append("uneven sampling")
    if isinstance(start, str):
        if start == "lowest":
            i0 = int(np.argmax(sign * y))
        elif start == "middle":
            i0 = n // 2
        else:
            raise InputError(f"{where}: start must be 'lowest', 'middle' or a time, got {start!r}")
        centre = t[i0]
    else:
        centre = t[int(np.argmin(np.abs(t - float(start))))]
    offsets = (np.arange(nfold) - (nfold - 1) / 2.0) * 0.5 * h
    seen = set()
    while True:
        folds = centre + offsets
        z = min(
            min(
                int(np.sum(t < T - CENTRE_TOLERANCE * h)), int(np.sum(t > T + CENTRE_TOLERANCE * h))
            )
            for T in folds
        )
        if z < KVW_MIN_PAIRS:
            return KvWResult(
                np.nan, np.nan, np.nan, (*flags, "one branch only"), n_left=0, n_right=0, z=z
            )
        S = np.array([_fold(t, y, T, z, h) for T in folds])
        m = int(np.argmin(S))
        seen.add(round(centre / h * 4))
        if nfold >= 5 and m in (0, nfold - 1):
            # the minimum is beyond the folds: move them (Deeg would be left with 2 folds)
            nxt = folds[m]
            if round(nxt / h * 4) in seen:
                return KvWResult(np.nan, np.nan, np.nan, (*flags, "no minimum"), z=z)
            centre = nxt
            continue
        break
    keep = np.ones(nfold, bool)
    if nfold >= 5:
        excess = m - (nfold - 1 - m)
        if excess >= 2:
            keep[: excess - 1] = False
        elif excess <= -2:
            keep[nfold + excess + 1 :] = False
    x = folds[keep] - centre
    A, B, C = np.polyfit(x, S[keep], 2)
    if not A > 0:
        return KvWResult(np.nan, np.nan, np.nan, (*flags, "no minimum"), z=z)
    T0 = centre - B / (2.0 * A)
    s_min = C - B * B / (4.0 * A)
    err_1956 = float(np.sqrt(s_min / (A * (z - 1)))) if s_min >= 0 else np.nan
    noise_given = noise is not None
    if not noise_given:
        noise = float(np.sqrt(S[m] / (2.0 * (z - 1))))
    kappa = 1.0 if even else _sampling_factor(t, y, T0, _fold_points(t, T0, z, h), h)
    curvature = A
    jitter = _vertex_jitter(x, A, T0 - centre, z, noise)
    error = float(np.hypot(np.sqrt(2.0 * noise**2 / A) * kappa, jitter))
    precise = error < REFINE_BELOW * h
    refined = refine is True or (
        precise and (refine == "precise" or (refine == "auto" and not even))
    )
    if refined and folds[0] <= T0 <= folds[-1]:
        T_ref, A_ref, S_ref, idx = _refine(t, y, T0, z, h)
        if not (np.isfinite(A_ref) and A_ref > 0):
            if not even:
                # the points that pair without crossing a gap do not fix the axis
                return KvWResult(np.nan, np.nan, err_1956, (*flags, "no minimum"), z=z)
        else:
            T0, curvature = T_ref, A_ref
            kappa = _sampling_factor(t, y, T0, idx, h)
            if not noise_given:
                noise = float(np.sqrt(S_ref / (idx.size - 2.0)))
                jitter = _vertex_jitter(x, A, T0 - centre, z, noise)
            error = float(np.hypot(np.sqrt(2.0 * noise**2 / curvature) * kappa, jitter))
    before, after = t[t < T0], t[t > T0]
    n_left, n_right = before.size, after.size
    if n_left and n_right and after[0] - before[-1] > GAP_SPACINGS * h:
        flags.append("gap at the bottom")
    if not (folds[keep][0] - 0.5 * h <= T0 <= folds[keep][-1] + 0.5 * h):
        flags.append("no minimum")
        T0 = error = err_1956 = np.nan
    return KvWResult(
        time=float(T0),
        error=float(error),
        error_1956=float(err_1956),
        flags=tuple(dict.fromkeys(flags)),
        noise=float(noise),
        noise_given=noise_given,
        z=int(z),
        n_left=int(n_left),
        n_right=int(n_right),
        fold_times=folds[keep],
        s_values=S[keep],
        coefficients=(float(A), float(B), float(C)),
        t_ref=float(centre),
        sampling_factor=float(kappa),
    )


# ----------------------------------------------------------------------------------
# NAV profile and polynomial
# ----------------------------------------------------------------------------------
@dataclass(frozen=True, eq=False)
class MinimumTime:
    """A time of minimum from a model fit (NAV profile or polynomial).

    Attributes
    ----------
    time, error : float
        Time of minimum and its 1-sigma error (NaN when untimeable).
    method : str
        ``"nav"`` or ``"poly"``.
    flags : tuple of str
        See :data:`FLAGS`.
    n_left, n_right : int
        Points inside the eclipse (NAV) or the window (polynomial) before and
        after the minimum.
    chi2 : float
    dof : int
    info : dict
        Method details: ``depth`` and ``depth_err`` (NAV), ``degree`` (polynomial),
        ``scale`` (the unit-weight variance the covariance was scaled by),
        ``n_bootstrap``.
    """

    time: float
    error: float
    method: str
    flags: tuple = ()
    n_left: int = 0
    n_right: int = 0
    chi2: float = np.nan
    dof: int = 0
    info: dict = field(default_factory=dict)


def _pooled_scale(chi2, dof, global_scale, pool_dof):
    """Unit-weight variance: the local ``chi2/dof`` pooled with ``pool_dof`` dof of the global one.

    ``s^2 = (chi2 + nu0 s_g^2) / (dof + nu0)``: the local residuals decide for
    well-sampled minima, the global scale steadies the few-point ones.
    """
    if global_scale is None or pool_dof <= 0:
        return chi2 / dof if dof > 0 else np.inf
    return (chi2 + pool_dof * global_scale) / (dof + pool_dof)


def _nav_geometry(fit: FitResult, kind: str):
    """Phase of the minimum, half-width (phase), index of the depth and its sign bound."""
    p = fit.values
    if kind == "I":
        return 0.0, float(p[A1]), C6
    if fit.iparams[1] != 1:
        raise NavfitError(f"{fit.lc.where}: the NAV fit has no secondary eclipse to time")
    a2 = float(p[A1]) if fit.iparams[0] == 1 else float(p[A2])
    return float(p[PHASE2]), a2, C7


def _coverage_flags(t, T, half, min_branch=MIN_BRANCH_POINTS):
    """Points inside ``|t - T| < half`` on each side, and the coverage flags."""
    inside = np.abs(t - T) < half
    n_left = int(np.sum(inside & (t < T)))
    n_right = int(np.sum(inside & (t > T)))
    flags = []
    if min(n_left, n_right) < min_branch:
        flags.append("one branch only")
    return n_left, n_right, flags


def _bottom_gap(t, T, h):
    before, after = t[t < T], t[t > T]
    return bool(before.size and after.size and after[0] - before[-1] > GAP_SPACINGS * h)


def nav_minimum(
    fit: FitResult,
    t,
    y,
    dy=None,
    *,
    cycle: float,
    errors: str = "covariance",
    global_scale: float | None = None,
    pool_dof: int = POOL_DOF,
    n_bootstrap: int = 200,
    rng=None,
    where: str | None = None,
) -> MinimumTime:
    """Time one minimum with the eclipse profile of a global NAV fit.

    Parameters
    ----------
    fit : FitResult
        A NAV fit (:func:`navfit.fit_nav`): the eclipse shape and the TP2 curve.
    t, y, dy : array_like
        The points around the minimum (times in the fit's time values).
        ``dy=None``: the light curve's weighting (equal weights).
    cycle : float
        Integer for a primary, half-integer for a secondary minimum (cycles
        from ``fit.epoch``); it also gives the start of the time.
    errors : {"covariance", "bootstrap"}
        ``"covariance"``: ``s^2 (J^T W J)^{-1}`` of the three free parameters,
        ``s^2`` the unit-weight variance of the local residuals (pooled, see
        ``global_scale``). ``"bootstrap"``: residuals resampled and refitted
        ``n_bootstrap`` times; error ``(q97.5 - q2.5) / 3.92``.
    global_scale : float, optional
        Unit-weight variance of the global fit; pooled with ``pool_dof`` degrees
        of freedom into the local one, ``s^2 = (chi2 + nu0 s_g^2)/(dof + nu0)``.
        ``None``: the local ``chi2/dof`` alone.
    pool_dof : int
    n_bootstrap : int
    rng : numpy.random.Generator or int, optional
    where : str, optional
        Label for messages (default: the light curve and the cycle).

    Returns
    -------
    MinimumTime
        ``info`` holds the local ``depth`` and ``depth_err``.

    Notes
    -----
    The model is the whole NAV curve of the global fit (TP2 and both eclipse
    profiles, Andronov 2012),

    .. math:: x(t) = C_1' + x_{TP2}(t - \\delta) - C_1 + D' H(t - \\delta),

    shifted by ``delta`` in time, with the level ``C1'`` and the depth ``D'``
    of this eclipse free: three parameters, fitted by the least-squares core
    (NAV model, every other parameter fixed) after a scan of 41 shifts over
    ``+-a P/2`` with the two linear ones solved exactly. The time is the
    centre of the eclipse profile, ``T0 + delta + (E + phi_2) P`` for the
    secondary. The shift is bounded to ``+-a P/2``; a fit at the bound is
    flagged "off the predicted time" and gets no time.
    """
    if errors not in ("covariance", "bootstrap"):
        raise NavfitError(f"errors must be 'covariance' or 'bootstrap', got {errors!r}")
    kind = "I" if float(cycle) == np.floor(cycle) else "II"
    where = where or f"{fit.lc.where}, cycle {cycle:g}"
    t, y, dy = _arrays(t, y, dy, where)
    phi, a, jd = _nav_geometry(fit, kind)
    p = np.array(fit.values, dtype=float)
    P = float(p[PERIOD])
    E = float(np.floor(cycle))
    base = fit.epoch + E * P
    centre = base + phi * P
    half = a * P
    free = np.zeros(p.size, bool)
    free[[C1, jd, EPOCH]] = True
    k = 3
    faint = 1.0 if fit.lc.meta["kind"] == "mag" else -1.0
    if t.size < k + 2:
        return MinimumTime(
            np.nan,
            np.nan,
            "nav",
            ("too few points",),
            n_left=int(np.sum(t < centre)),
            n_right=int(np.sum(t > centre)),
        )
    # coarse scan: level and depth solved exactly at each shift
    best = (np.inf, 0.0, p[C1], p[jd])
    for shift in np.linspace(-0.5, 0.5, N_SHIFTS) * half:
        q = p.copy()
        q[EPOCH] = base + shift
        f, JT = jacobian(NAV, t, q, fit.iparams, fit.fparams)
        fixed = f - q[C1] - q[jd] * JT[jd]
        X = np.vstack([np.ones_like(t), JT[jd]])
        if not np.any(JT[jd] != 0):
            continue
        sol = solve_linear(X, y - fixed, dy, transposed=True)
        if faint * sol.params[1] >= 0 and sol.chi2 < best[0]:
            best = (sol.chi2, shift, sol.params[0], sol.params[1])
    if not np.isfinite(best[0]):
        return MinimumTime(np.nan, np.nan, "nav", ("no eclipse in window",))
    q0 = p.copy()
    q0[EPOCH] = base + best[1]
    q0[C1], q0[jd] = best[2], best[3]
    lower = np.full(p.size, -np.inf)
    upper = np.full(p.size, np.inf)
    lower[EPOCH], upper[EPOCH] = base - 0.5 * half, base + 0.5 * half
    if faint > 0:
        lower[jd] = 0.0
    else:
        upper[jd] = 0.0
    sol = levenberg_marquardt(
        NAV,
        t,
        y,
        dy,
        q0,
        lower=lower,
        upper=upper,
        free=free,
        iparams=fit.iparams,
        fparams=fit.fparams,
    )
    qf = sol.params
    time = float(qf[EPOCH] + phi * P)
    dof = t.size - k
    s2 = _pooled_scale(sol.chi2, dof, global_scale, pool_dof)
    cov = sol.covariance_unscaled * s2
    j_t = int(np.sum(free[:15]))
    j_d = int(np.sum(free[:jd]))
    err = float(np.sqrt(cov[j_t, j_t])) if np.isfinite(cov[j_t, j_t]) else np.inf
    depth, depth_err = float(qf[jd]), float(np.sqrt(max(cov[j_d, j_d], 0.0)))
    info = {
        "depth": depth,
        "depth_err": depth_err,
        "scale": float(s2),
        "error_unscaled": float(np.sqrt(sol.covariance_unscaled[j_t, j_t])),
        "rank": sol.rank,
    }
    n_left, n_right, flags = _coverage_flags(t, time, half)
    h = float(np.median(np.diff(t))) if t.size > 1 else np.inf
    if not flags and _bottom_gap(t, time, max(h, 0.25 * half / GAP_SPACINGS)):
        flags.append("gap at the bottom")
    if not (faint * depth > MIN_DEPTH_SIGNIFICANCE * depth_err):
        return MinimumTime(
            np.nan,
            np.nan,
            "nav",
            (*flags, "no eclipse in window"),
            n_left,
            n_right,
            sol.chi2,
            dof,
            info,
        )
    if qf[EPOCH] <= lower[EPOCH] + 1e-9 * half or qf[EPOCH] >= upper[EPOCH] - 1e-9 * half:
        return MinimumTime(
            np.nan,
            np.nan,
            "nav",
            (*flags, "off the predicted time"),
            n_left,
            n_right,
            sol.chi2,
            dof,
            info,
        )
    if errors == "bootstrap" and np.isfinite(err):
        err = _bootstrap_nav(fit, t, y, dy, qf, free, lower, upper, phi * P, n_bootstrap, rng)
        info["n_bootstrap"] = n_bootstrap
    return MinimumTime(time, err, "nav", tuple(flags), n_left, n_right, sol.chi2, dof, info)


def _bootstrap_nav(fit, t, y, dy, qf, free, lower, upper, offset, n_boot, rng):
    rng = np.random.default_rng(rng)
    model, _ = jacobian(NAV, t, qf, fit.iparams, fit.fparams)
    w = np.ones_like(t) if dy is None else dy
    scaled = (y - model) / w
    times = np.empty(n_boot)
    for b in range(n_boot):
        yb = model + rng.choice(scaled, t.size, replace=True) * w
        sol = levenberg_marquardt(
            NAV,
            t,
            yb,
            dy,
            qf,
            lower=lower,
            upper=upper,
            free=free,
            iparams=fit.iparams,
            fparams=fit.fparams,
            maxiter=100,
        )
        times[b] = sol.params[EPOCH] + offset
    lo, hi = np.percentile(times, [2.5, 97.5])
    return float((hi - lo) / (2 * 1.96))


def polynomial_minimum(
    t,
    y,
    dy=None,
    *,
    kind: str = "mag",
    max_degree: int = 6,
    global_scale: float | None = None,
    pool_dof: int = POOL_DOF,
    where: str = "polynomial_minimum",
) -> MinimumTime:
    """Time a minimum with a polynomial whose degree is chosen by the BIC.

    Parameters
    ----------
    t, y, dy : array_like
        Points of the lower part of the minimum; ``dy=None``: equal weights.
    kind : {"mag", "flux"}
        Minimum of light is a maximum of magnitude, a minimum of flux.
    max_degree : int
        Highest degree tried (at most ``n - 3``); degrees from 2 up.
    global_scale, pool_dof
        As in :func:`nav_minimum` (``None``: the local ``chi2/dof``).
    where : str
        Label for messages.

    Returns
    -------
    MinimumTime
        ``info["degree"]`` is the chosen degree.

    Notes
    -----
    The polynomials ``y = sum_j c_j u^j``, ``u = (t - t_m)/s`` scaled to
    ``[-1, 1]``, are fitted by the least-squares core for degrees
    ``2..max_degree``; the degree with the lowest
    ``BIC = n ln(chi2/n) + k ln n`` whose curve has a minimum of light inside
    the points is kept. The time is the root ``u*`` of ``p'(u) = 0``; its error
    follows from the covariance of the coefficients,

    .. math:: \\frac{\\partial u^*}{\\partial c_j} = -\\frac{j u^{*\\,j-1}}{p''(u^*)},
              \\qquad \\sigma_{t}^2 = s^2\\, g^T C g.
    """
    t, y, dy = _arrays(t, y, dy, where)
    faint = _faint_sign(kind, where)
    n = t.size
    top = min(int(max_degree), n - 3)
    if top < 2:
        return MinimumTime(
            np.nan,
            np.nan,
            "poly",
            ("too few points",),
            int(np.sum(t < t.mean())),
            int(np.sum(t > t.mean())),
        )
    t_mid = 0.5 * (t[0] + t[-1])
    scale = 0.5 * (t[-1] - t[0])
    u = (t - t_mid) / scale
    mean_w = 1.0 if dy is None else float(np.mean(1.0 / dy**2))
    candidates = []
    for deg in range(2, top + 1):
        X = np.vander(u, deg + 1, increasing=True)
        sol = solve_linear(X, y, dy)
        bic = fit_statistics(sol.chi2, n, deg + 1, mean_w)["bic"]
        ustar = _poly_extremum(sol.params, faint, u[0], u[-1])
        if ustar is not None:
            candidates.append((bic, deg, sol, ustar))
    if not candidates:
        return MinimumTime(np.nan, np.nan, "poly", ("no minimum",))
    _, deg, sol, ustar = min(candidates, key=lambda c: c[0])
    c = sol.params
    j = np.arange(deg + 1)
    d2 = np.sum(j[2:] * (j[2:] - 1) * c[2:] * ustar ** (j[2:] - 2))
    g = np.zeros(deg + 1)
    g[1:] = -j[1:] * ustar ** (j[1:] - 1) / d2
    dof = n - deg - 1
    s2 = _pooled_scale(sol.chi2, dof, global_scale, pool_dof)
    err = float(np.sqrt(max(g @ sol.covariance_unscaled @ g, 0.0) * s2) * scale)
    time = float(t_mid + ustar * scale)
    n_left, n_right = int(np.sum(t < time)), int(np.sum(t > time))
    flags = ["one branch only"] if min(n_left, n_right) < MIN_BRANCH_POINTS else []
    h = float(np.median(np.diff(t)))
    if _bottom_gap(t, time, h):
        flags.append("gap at the bottom")
    info = {"degree": deg, "scale": float(s2)}
    return MinimumTime(time, err, "poly", tuple(flags), n_left, n_right, sol.chi2, dof, info)


def _poly_extremum(c, faint, lo, hi):
    """The faintest interior critical point of ``sum c_j u^j`` in ``(lo, hi)``, or None."""
    j = np.arange(c.size)
    d1 = j[1:] * c[1:]
    roots = np.roots(d1[::-1]) if np.any(d1[1:] != 0) else np.array([])
    roots = roots[np.abs(roots.imag) < 1e-9].real
    roots = roots[(roots > lo) & (roots < hi)]
    best, best_val = None, -np.inf
    for r in roots:
        d2 = np.sum(j[2:] * (j[2:] - 1) * c[2:] * r ** (j[2:] - 2))
        if faint * d2 < 0:
            val = faint * np.polyval(c[::-1], r)
            if val > best_val:
                best, best_val = float(r), val
    return best


# ----------------------------------------------------------------------------------
# every minimum of a light curve
# ----------------------------------------------------------------------------------
def _template(obj, period, epoch):
    """The NAV fit whose ephemeris and eclipse profile time the minima, and its light curve."""
    from .analyze import StarResult

    if isinstance(obj, (str, Path)):
        from .io import read_lightcurve

        obj = read_lightcurve(obj)
    if isinstance(obj, StarResult):
        if obj.nav is None:
            raise NavfitError(
                f"{obj.lc.where}: no NAV fit (not an eclipsing binary?): "
                "no eclipse profile to time minima with"
            )
        obj = obj.nav
    if isinstance(obj, FitResult):
        if obj.model != "nav":
            raise NavfitError(f"{obj.lc.where}: times of minima need a NAV fit, got {obj.label}")
        fit = obj
        if period is not None or epoch is not None:
            fit = _rephase(fit, period, epoch)
    elif isinstance(obj, LightCurve):
        if obj.phased:
            raise InputError(f"{obj.where}: phase-folded data have no times of minima")
        if period is None:
            from .analyze import analyze

            star = analyze(obj)
            if star.nav is None:
                raise NavfitError(
                    f"{obj.where}: no NAV fit at the period found "
                    f"({star.best.period:.8g} d): no minima to time"
                )
            fit = star.nav
        else:
            from .models import fit_nav

            epoch = None if epoch is None else float(epoch) - obj.meta["time_offset"]
            fit = fit_nav(obj, period, epoch)
    else:
        raise InputError(
            "times_of_minima takes a LightCurve, a NAV FitResult, a StarResult or a file, "
            f"got {type(obj).__name__}"
        )
    if fit.lc.phased:
        raise InputError(f"{fit.lc.where}: phase-folded data have no times of minima")
    depth, err = fit.params["C6"], fit.errors["C6"]
    if not abs(depth) > MIN_DEPTH_SIGNIFICANCE * err:
        raise NavfitError(
            f"{fit.lc.where}: the NAV fit at P = {fit.period:.8g} d has no significant eclipse "
            f"(depth {depth:.3g} +- {err:.2g}): the period does not fit the eclipses; no "
            "minima timed"
        )
    return fit


def _rephase(fit, period, epoch):
    """The fit with another ephemeris (full-JD epoch) for the windows; the shape is kept."""
    from dataclasses import replace

    p = np.array(fit.values, dtype=float)
    if period is not None:
        period = float(period)
        if not (np.isfinite(period) and period > 0):
            raise InputError(f"{fit.lc.where}: period must be positive and finite, got {period}")
        p[PERIOD] = period
    if epoch is not None:
        p[EPOCH] = float(epoch) - fit.lc.meta["time_offset"]
        if not np.isfinite(p[EPOCH]):
            raise InputError(f"{fit.lc.where}: epoch must be finite, got {epoch}")
    return replace(fit, values=p, epoch=float(p[EPOCH]))


def _methods(method):
    if isinstance(method, str):
        named = {"both": ("nav", "kvw"), "all": METHODS}
        out = named.get(method, (method,))
    else:
        out = tuple(method)
    bad = [m for m in out if m not in METHODS]
    if bad or not out:
        raise InputError(
            f"method must be one of {METHODS}, 'both', 'all' or a sequence of them, got {method!r}"
        )
    return tuple(dict.fromkeys(out))


def _windows(window, methods):
    factors = dict(WINDOWS)
    if isinstance(window, dict):
        factors.update(window)
    elif window is not None:
        factors = dict.fromkeys(factors, window)
    for m in methods:
        value = factors[m]
        if not (np.isfinite(value) and value > 0):
            raise InputError(f"window must be positive (in eclipse half-widths), got {value!r}")
    return factors


class _ResidualProfile:
    """Mean residual of the global NAV fit against the phase distance from one eclipse.

    Where the analytic NAV profile differs from the star's eclipse (limb
    darkening, exposure smearing, a flat bottom ...), the difference repeats
    in every eclipse. Its mean over the eclipses, in bins of phase distance
    ``x`` from the centre (at least :data:`PROFILE_MIN_PER_BIN` points each,
    weights ``1/dy^2``), added to the template, leaves residuals that are
    noise; the mean of a window leaves out the window's own points, so that
    an eclipse is not pulled towards the ephemeris by its own residuals. The
    profile is used only when an F test finds the bin means significant
    (p < :data:`PROFILE_PVALUE`), otherwise it would only add noise that the
    points of a bin share, and when it stays below
    :data:`PROFILE_MAX_FRACTION` of the eclipse depth: a deeper profile is an
    eclipse the ephemeris misses, not a mismatch of its shape.
    """

    def __init__(self, fit, kind, reach, dy):
        self.fit, self.phi = fit, _nav_geometry(fit, kind)[0]
        a = _nav_geometry(fit, kind)[1]
        lc = fit.lc
        x = self._x(lc.t)
        sel = np.abs(x) < reach * a
        nb = min(PROFILE_MAX_BINS, int(sel.sum()) // PROFILE_MIN_PER_BIN)
        self.edges, self.pvalue, self.fraction = None, np.nan, np.nan
        if nb < PROFILE_MIN_BINS:
            return
        self.edges = np.linspace(-reach * a, reach * a, nb + 1)
        self.centres = 0.5 * (self.edges[1:] + self.edges[:-1])
        w = np.ones(lc.n) if dy is None else 1.0 / dy**2
        r = lc.y - fit.evaluate(lc.t)
        b = self._bin(x[sel])
        self.sum_w = np.bincount(b, w[sel], nb)
        self.sum_wr = np.bincount(b, w[sel] * r[sel], nb)
        self.r, self.w = r, w
        # F test of the bin means against 0: where the template misses less than
        # the noise shows, its correction would only add noise shared by the bins
        n = int(sel.sum())
        explained = float(np.sum(self.sum_wr**2 / np.where(self.sum_w > 0, self.sum_w, np.inf)))
        rest = float(np.sum(w[sel] * r[sel] ** 2)) - explained
        if n <= nb or rest <= 0:
            return
        F = (explained / nb) / (rest / (n - nb))
        self.pvalue = float(stats.f.sf(F, nb, n - nb))
        means = self.sum_wr / np.where(self.sum_w > 0, self.sum_w, np.inf)
        depth = abs(float(fit.values[_nav_geometry(fit, kind)[2]]))
        self.fraction = float(np.max(np.abs(means)) / depth) if depth > 0 else np.inf
        # a profile as deep as the eclipse is no mismatch of its shape but an eclipse
        # where the template has none (a wrong ephemeris): it would create one
        if self.pvalue > PROFILE_PVALUE or self.fraction > PROFILE_MAX_FRACTION:
            self.edges = None

    def _x(self, t):
        P = self.fit.values[PERIOD]
        return ((t - self.fit.epoch) / P - self.phi + 0.5) % 1.0 - 0.5

    def _bin(self, x):
        return np.clip(np.searchsorted(self.edges, x, side="right") - 1, 0, self.centres.size - 1)

    def correction(self, t, own):
        """The mean residual at times ``t``, without the points ``own`` (a boolean mask of lc)."""
        if self.edges is None:
            return np.zeros_like(t)
        x_own = self._x(self.fit.lc.t[own])
        inside = (x_own > self.edges[0]) & (x_own < self.edges[-1])
        b = self._bin(x_own[inside])
        nb = self.centres.size
        sw = self.sum_w - np.bincount(b, self.w[own][inside], nb)
        swr = self.sum_wr - np.bincount(b, (self.w * self.r)[own][inside], nb)
        ok = sw > 0
        if ok.sum() < PROFILE_MIN_BINS:
            return np.zeros_like(t)
        mean = swr[ok] / sw[ok]
        x = self._x(t)
        out = np.interp(x, self.centres[ok], mean)
        return np.where((x > self.edges[0]) & (x < self.edges[-1]), out, 0.0)


def times_of_minima(
    lc_or_result,
    *,
    period: float | None = None,
    epoch: float | None = None,
    method="nav",
    errors: str = "covariance",
    nfold: int = 5,
    start="lowest",
    noise=None,
    refine="precise",
    template: str = "corrected",
    window=None,
    min_points: int = 5,
    max_degree: int = 6,
    pool_dof: int = POOL_DOF,
    n_bootstrap: int = 200,
    rng=None,
):
    """Time every observed minimum of an eclipsing binary.

    Parameters
    ----------
    lc_or_result : LightCurve, FitResult, StarResult or path
        A light curve (or file) is fitted first: by :func:`navfit.analyze`
        without ``period``, else by :func:`navfit.fit_nav` at ``period`` (and
        ``epoch`` as a start). A NAV :class:`FitResult` (or the ``.nav`` of a
        :class:`StarResult`) is used as it is.
    period, epoch : float, optional
        For a light curve, the start of the NAV fit (the windows then follow
        the fitted ephemeris). For a fit, they replace its ephemeris for the
        windows and cycle numbers. ``epoch`` is a full Julian date.
    method : {"nav", "kvw", "poly", "both", "all"} or sequence
        ``"both"`` is NAV and KvW, ``"all"`` adds the polynomial; one row per
        minimum and method.
    errors : {"covariance", "bootstrap"}
        Errors of the NAV-profile times (see :func:`nav_minimum`).
    nfold, start, refine
        KvW settings (:func:`kwee_van_woerden`); ``refine="precise"`` takes
        the minimum of the continuously evaluated ``S`` when the error is a
        small fraction of the spacing (less biased than the parabola there).
    noise : None, "estimate" or float
        KvW noise: ``None`` the local noise (the pooled residual scale of the
        NAV fit in the window, see Notes, times the rms of ``dy``);
        ``"estimate"`` Deeg's estimate from ``S``; a number: given.
    template : {"corrected", "nav"}
        The eclipse shape of the NAV-profile fits: the global NAV fit plus its
        mean residual around that eclipse (:class:`_ResidualProfile`), or the
        NAV curve alone.
    window : float or dict, optional
        Half-width of the window of each method in units of the eclipse
        half-width ``a P``; default :data:`WINDOWS` (NAV 1.25, KvW 2.0,
        polynomial 0.75), at most a quarter period.
    min_points : int
        Fewest points in a window to time it (fewer: "too few points").
    max_degree : int
        Highest polynomial degree.
    pool_dof : int
        Degrees of freedom of the light curve's in-eclipse residual scale
        pooled into each local one (0: local residuals only).
    n_bootstrap : int
    rng : numpy.random.Generator or int, optional

    Returns
    -------
    astropy.table.Table
        One row per minimum and method, ordered by cycle: ``cycle`` (from the
        epoch in ``meta``, half-integer for secondaries), ``kind`` (I, II),
        ``time`` (full Julian date in ``meta["time_system"]``), ``time_err``
        (d), ``method``, ``n_left``, ``n_right`` (points in the eclipse, or in
        the KvW window, before and after the minimum), ``flags`` (:data:`FLAGS`,
        ``"; "``-joined, empty when clean), ``o_c`` (d, from the ephemeris of the
        windows) and ``err_1956`` (KvW's 1956 error; NaN for other methods).
        ``meta``: ``name``, ``source``, ``band``, ``kind``, ``time_system``,
        ``period``, ``epoch`` (full JD), ``methods``, ``windows``, ``errors``,
        ``noise_scale`` (the in-eclipse unit-weight variance by minimum type).

    Raises
    ------
    NavfitError
        No NAV fit, a NAV fit without a significant primary eclipse (depth
        below five times its error: no eclipses at that period), bad options,
        or no minimum that could be timed (the message names the file and the
        cycles searched).

    Notes
    -----
    Windows are centred on ``T0 + (E + phi) P`` (``phi = 0`` for Min I, the
    fitted ``phase2`` for Min II) of the fitted ephemeris, with half-widths
    from the NAV eclipse half-widths ``a1``, ``a2``; a minimum is *observed*
    when a point falls inside ``+-a P`` of it. The NAV profile is fitted in
    every window first: a window whose local depth is below five times its
    error has no eclipse and is flagged for every method (five, not three: the
    shift is the best of many, and noise alone passes three times its error
    in a tenth of the windows).

    The noise scale of a window is its own unit-weight variance
    ``chi2/dof`` of the NAV-profile fit pooled with that of all windows of
    the same minimum type, ``s^2 = (chi2 + nu0 s_w^2)/(dof + nu0)``,
    ``nu0 = pool_dof``: the noise inside the eclipses, which is not that of the
    whole light curve when the light outside them varies or drifts.
    """
    from astropy.table import Table

    fit = _template(lc_or_result, period, epoch)
    lc = fit.lc
    methods = _methods(method)
    factors = _windows(window, methods)
    if errors not in ("covariance", "bootstrap"):
        raise NavfitError(f"errors must be 'covariance' or 'bootstrap', got {errors!r}")
    if template not in ("corrected", "nav"):
        raise InputError(f"template must be 'corrected' or 'nav', got {template!r}")
    if isinstance(noise, str) and noise != "estimate":
        raise InputError(f"noise must be None, 'estimate' or a number, got {noise!r}")
    for name, value in (("min_points", min_points), ("pool_dof", pool_dof)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
            raise InputError(f"{name} must be a non-negative integer, got {value!r}")
    rng = np.random.default_rng(rng)
    offset = float(lc.meta["time_offset"])
    P, T0 = float(fit.values[PERIOD]), float(fit.epoch)
    kinds = ("I", "II") if fit.iparams[1] == 1 else ("I",)
    dy = lc.dy if lc.meta.get("dy_given", True) else None
    sign = "mag" if lc.meta["kind"] == "mag" else "flux"
    limit = 0.25 * P

    def select(centre, half, factor, kind=None):
        sel = np.abs(lc.t - centre) < min(factor * half, limit)
        y = lc.y[sel]
        if kind is not None and kind in profiles:
            y = y - profiles[kind].correction(lc.t[sel], sel)
        return lc.t[sel], y, None if dy is None else dy[sel]

    nav_factor = factors.get("nav", WINDOWS["nav"])
    profiles = {}
    if template == "corrected":
        profiles = {
            k: _ResidualProfile(fit, k, min(nav_factor, limit / (_nav_geometry(fit, k)[1] * P)), dy)
            for k in kinds
        }

    # pass 1: the windows and their NAV-profile fits (eclipse test, local noise)
    windows = []
    e_lo = int(np.floor((lc.t[0] - T0) / P)) - 1
    e_hi = int(np.ceil((lc.t[-1] - T0) / P)) + 1
    for E in range(e_lo, e_hi + 1):
        for kind in kinds:
            phi, a, _ = _nav_geometry(fit, kind)
            centre = T0 + (E + phi) * P
            half = a * P
            if not np.any(np.abs(lc.t - centre) < half):
                continue
            cycle = E + (0.5 if kind == "II" else 0.0)
            where = f"{lc.where}, cycle {cycle:g} (Min {kind})"
            t, y, d = select(centre, half, nav_factor, kind)
            nav = None
            if t.size >= min_points:
                nav = nav_minimum(
                    fit,
                    t,
                    y,
                    d,
                    cycle=cycle,
                    global_scale=fit.chi2 / fit.dof,
                    pool_dof=pool_dof,
                    where=where,
                )
            windows.append(
                (
                    cycle,
                    kind,
                    centre,
                    half,
                    where,
                    nav,
                    _off_eclipse(
                        lc,
                        dy,
                        centre,
                        min(OFF_ECLIPSE[0] * half, limit),
                        min(OFF_ECLIPSE[1] * half, limit),
                        fit,
                    ),
                )
            )
    scale, white = {}, {}
    for kind in kinds:
        good = [
            w[5]
            for w in windows
            if w[1] == kind and w[5] is not None and w[5].dof > 0 and np.isfinite(w[5].time)
        ]
        dof = sum(m.dof for m in good)
        scale[kind] = sum(m.chi2 for m in good) / dof if dof else fit.chi2 / fit.dof
        off = [w[6] for w in windows if w[1] == kind and w[6][1] > 0]
        n_off = sum(o[1] for o in off)
        white[kind] = sum(o[0] for o in off) / n_off if n_off else np.inf
    # pass 2: every method in every window
    rows = []
    for cycle, kind, centre, half, where, nav, off in windows:
        if nav is not None and np.isfinite(nav.time):
            s2 = _pooled_scale(nav.chi2, nav.dof, scale[kind], pool_dof)
            nav = _rescaled(nav, s2)
            if errors == "bootstrap" and "nav" in methods:
                t, y, d = select(centre, half, nav_factor, kind)
                nav = nav_minimum(
                    fit,
                    t,
                    y,
                    d,
                    cycle=cycle,
                    errors="bootstrap",
                    global_scale=scale[kind],
                    pool_dof=pool_dof,
                    n_bootstrap=n_bootstrap,
                    rng=rng,
                    where=where,
                )
        for name in methods:
            t, y, d = select(centre, half, factors[name])
            rows.append(
                _method_row(
                    name,
                    t,
                    y,
                    d,
                    lc,
                    nav,
                    cycle,
                    kind,
                    centre,
                    half,
                    where,
                    min_points=min_points,
                    nfold=nfold,
                    start=start,
                    noise=noise,
                    refine=refine,
                    max_degree=max_degree,
                    pool_dof=pool_dof,
                    scale=scale[kind],
                    white=white[kind],
                    off=off,
                    sign=sign,
                )
            )
    names = (
        "cycle",
        "kind",
        "time",
        "time_err",
        "method",
        "n_left",
        "n_right",
        "flags",
        "o_c",
        "err_1956",
    )
    dtype = (float, "U2", float, float, "U4", int, int, "U120", float, float)
    table = Table(rows=rows or None, names=names, dtype=dtype)
    table["time"] += offset
    if not np.any(np.isfinite(table["time"])):
        cycles = sorted({float(c) for c in table["cycle"]})
        span = f"cycles {cycles[0]:g} to {cycles[-1]:g}" if cycles else "no window with data"
        reasons = sorted({f for r in table["flags"] for f in str(r).split("; ") if f})
        raise NavfitError(
            f"{lc.where}: no minimum could be timed at P = {P:.8g} d ({span}"
            f"{': ' + ', '.join(reasons) if reasons else ''}); the period or epoch does not "
            "fit the eclipses"
        )
    table["time"].unit = table["time_err"].unit = table["o_c"].unit = "d"
    table["err_1956"].unit = "d"
    table.meta.update(
        {
            "name": lc.name,
            "source": lc.meta.get("source"),
            "band": lc.meta.get("band"),
            "kind": lc.meta["kind"],
            "time_system": lc.meta.get("time_system") or "JD (system not stated)",
            "time_format": "full Julian date",
            "period": P,
            "epoch": T0 + offset,
            "methods": list(methods),
            "windows": {m: float(factors[m]) for m in methods},
            "errors": errors,
            "template": template,
            "noise_scale": {k: float(v) for k, v in scale.items()},
        }
    )
    return table


def _off_eclipse(lc, dy, centre, inner, outer, fit):
    """Sum of squared normalised residuals just outside an eclipse, and its dof.

    The residuals of the global fit at ``inner <= |t - centre| < outer``
    (:data:`OFF_ECLIPSE` half-widths), a straight line removed (a local drift
    of the level): Deeg's noise, the rms of the light outside the eclipse, which no
    mismatch of the eclipse profile inflates. The inner edge lies beyond the
    NAV half-width because limb-darkened wings reach past it.
    """
    sel = (np.abs(lc.t - centre) >= inner) & (np.abs(lc.t - centre) < outer)
    if sel.sum() < 3:
        return 0.0, 0
    r = (lc.y[sel] - fit.evaluate(lc.t[sel])) / (1.0 if dy is None else dy[sel])
    x = lc.t[sel] - centre
    trend = np.polyval(np.polyfit(x, r, 1), x)
    return float(np.sum((r - trend) ** 2)), int(sel.sum() - 2)


def _rescaled(m: MinimumTime, s2: float) -> MinimumTime:
    from dataclasses import replace

    err = m.info["error_unscaled"] * np.sqrt(s2)
    depth_err = m.info["depth_err"] * np.sqrt(s2 / m.info["scale"])
    return replace(m, error=float(err), info={**m.info, "scale": float(s2), "depth_err": depth_err})


def _method_row(
    method,
    t,
    y,
    d,
    lc,
    nav,
    cycle,
    kind,
    centre,
    half,
    where,
    *,
    min_points,
    nfold,
    start,
    noise,
    refine,
    max_degree,
    pool_dof,
    scale,
    white,
    off,
    sign,
):
    """One row of the table: a method's time of one minimum with its flags."""
    before, after = int(np.sum(t < centre)), int(np.sum(t > centre))

    def row(time, err, n_left, n_right, flags, err_1956=np.nan):
        o_c = time - centre if np.isfinite(time) else np.nan
        return (cycle, kind, time, err, method, n_left, n_right, _join(flags), o_c, err_1956)

    if nav is None or t.size < min_points:
        return row(np.nan, np.nan, before, after, ["too few points"])
    if "no eclipse in window" in nav.flags:
        return row(np.nan, np.nan, before, after, ["no eclipse in window"])
    e56 = np.nan
    if method == "nav":
        res = nav
    elif method == "kvw":
        if noise is None:
            rms_dy = 1.0 if d is None else float(np.sqrt(np.mean(d**2)))
            # two estimates of the white noise, each inflated only by what it
            # sees besides the noise: drifts outside the eclipse, the profile's
            # mismatch inside it; the smaller one is nearer the noise
            if white < scale:
                s2 = (off[0] + pool_dof * white) / (off[1] + pool_dof)
            else:
                s2 = nav.info["scale"]
            sigma = float(np.sqrt(s2)) * rms_dy
        else:
            sigma = None if noise == "estimate" else float(noise)
        res = kwee_van_woerden(
            t, y, nfold=nfold, start=start, noise=sigma, kind=sign, refine=refine, where=where
        )
        e56 = res.error_1956
    else:
        res = polynomial_minimum(
            t,
            y,
            d,
            kind=sign,
            max_degree=max_degree,
            global_scale=scale,
            pool_dof=pool_dof,
            where=where,
        )
    time, err, flags = res.time, res.error, list(res.flags)
    if not np.isfinite(time):
        return row(np.nan, np.nan, before, after, flags or ["no minimum"], e56)
    # coverage of the eclipse itself, whatever the window of the method
    n_left, n_right, cover = _coverage_flags(lc.t, time, half)
    flags = cover + [f for f in flags if f not in cover]
    if abs(time - centre) >= 0.5 * half:
        flags.append("off the predicted time")
    if method == "kvw":
        n_left, n_right = res.n_left, res.n_right
        if _branch_gap(t, time, half):
            flags.append("gap in a branch")
    return row(time, err, n_left, n_right, flags, e56)


def _branch_gap(t, T, half):
    """Whether a branch of the eclipse at ``T`` has a gap longer than ``half/3``.

    A branch reaches from the minimum to ``OFF_ECLIPSE[0]`` half-widths (the
    wings of limb-darkened eclipses reach past the NAV half-width); the gaps
    counted run from the minimum to the first point, between points, and from
    the last point to that end, and a gap is never shorter than
    :data:`GAP_SPACINGS` spacings. KvW pairs points across the minimum: where a
    stretch of a branch is missing, the other branch is interpolated over it.
    """
    if t.size < 2:
        return True
    limit = max(half / 3.0, GAP_SPACINGS * float(np.median(np.diff(t))))
    end = OFF_ECLIPSE[0] * half
    for side in (-1.0, 1.0):
        d = np.sort(side * (t - T))
        d = d[(d > 0) & (d < end)]
        edges = np.concatenate([[0.0], d, [end]])
        if np.max(np.diff(edges)) > limit:
            return True
    return False
