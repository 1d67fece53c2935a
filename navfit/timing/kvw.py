"""Kwee & van Woerden's (1956) time of minimum with Deeg's (2021) error.

Folding the light curve about trial times, fitting a parabola to the sum of
squared differences ``S`` of the folds and taking its vertex; Deeg's error
``sigma_T^2 = 2 sigma^2 / A``, generalised to uneven sampling by comparing
each point with the other branch interpolated at its reflection (and the
correction ``kappa`` of the error for the noise shared through the
interpolation). :func:`kwee_van_woerden` documents the method; the helpers
below are its steps.

References
----------
Kwee K. K., van Woerden H., 1956, Bull. Astron. Inst. Netherlands 12, 327.
Deeg H. J., 2021, Galaxies 9, 1 (doi:10.3390/galaxies9010001).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError
from .common import GAP_SPACINGS, check_arrays, faint_sign

__all__ = [
    "CENTRE_TOLERANCE",
    "EVEN_TOLERANCE",
    "KVW_MIN_PAIRS",
    "REFINE_BELOW",
    "KvWResult",
    "kwee_van_woerden",
]

#: Fewest pairs (points on each side) KvW folds (Deeg 2021).
KVW_MIN_PAIRS = 3
#: Spacings within this fraction of the median count as even (Deeg's tolerance).
EVEN_TOLERANCE = 0.01
#: A point closer than this fraction of the spacing to a fold time is its centre.
CENTRE_TOLERANCE = 0.01
#: KvW errors below this many spacings are refined (``refine="precise"``/``"auto"``).
REFINE_BELOW = 0.02


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
    r"""Time one eclipse by the Kwee-van Woerden method with Deeg's (2021) error.

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

    .. math:: S(T) = \sum_{k=1}^{Z} [y(T - \Delta_k) - y(T + \Delta_k)]^2,

    is fitted by ``S = A T^2 + B T + C`` over the folds, and the minimum is at
    ``T_0 = -B / 2A``. Kwee & van Woerden's error

    .. math:: \sigma_{1956}^2 = \frac{4AC - B^2}{4A^2 (Z - 1)}
              = \frac{S(T_0)}{A (Z - 1)}

    fails (negative ``S(T_0)``) or is too small for low-noise data, where
    ``S(T_0)`` is a small difference of large numbers. Deeg (2021) replaces
    ``S(T_0)`` by its expectation for the noise ``sigma``, ``2 (Z-1) sigma^2``:

    .. math:: \sigma_T^2 = \frac{2 \sigma^2}{A}.

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
    t, y, _ = check_arrays(t, y, None, where)
    sign = faint_sign(kind, where)
    noise = _checked_options(nfold, refine, noise, where)
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
    failure, z, scan = _scan_folds(t, y, _start_time(t, y, start, sign, where), nfold, h)
    if failure:
        return KvWResult(np.nan, np.nan, np.nan, (*flags, failure), z=z)
    folds, S, m, centre = scan
    keep = _kept_folds(m, nfold)
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
    jitter = _vertex_jitter(x, A, T0 - centre, z, noise)
    error = float(np.hypot(np.sqrt(2.0 * noise**2 / A) * kappa, jitter))
    precise = error < REFINE_BELOW * h
    refined = refine is True or (
        precise and (refine == "precise" or (refine == "auto" and not even))
    )
    if refined and folds[0] <= T0 <= folds[-1]:
        better = _refined_time(t, y, T0, (x, A, centre), z, h, noise, noise_given, jitter)
        if better is not None:
            T0, error, noise, kappa = better
        elif not even:
            # the points that pair without crossing a gap do not fix the axis
            return KvWResult(np.nan, np.nan, err_1956, (*flags, "no minimum"), z=z)
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


def _checked_options(nfold, refine, noise, where):
    """Check ``nfold`` and ``refine``; the noise as a float (or ``None``)."""
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
    return noise


def _start_time(t, y, start, sign, where):
    """The point the folds start from: the faintest, the middle one or the nearest a time."""
    if isinstance(start, str):
        if start == "lowest":
            i0 = int(np.argmax(sign * y))
        elif start == "middle":
            i0 = t.size // 2
        else:
            raise InputError(f"{where}: start must be 'lowest', 'middle' or a time, got {start!r}")
        return t[i0]
    return t[int(np.argmin(np.abs(t - float(start))))]


def _scan_folds(t, y, centre, nfold, h):
    """``S`` of ``nfold`` folds every ``h/2``, re-centred until the minimum is not at an end.

    Returns
    -------
    failure : str or None
        ``"one branch only"`` (fewer than :data:`KVW_MIN_PAIRS` pairs) or
        ``"no minimum"`` (the folds would move back to where they were).
    z : int
        Pairs in every fold.
    scan : tuple or None
        ``(folds, S, m, centre)``: fold times, their ``S``, the index of the
        smallest and the centre of the folds.
    """
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
            return "one branch only", z, None
        S = np.array([_fold(t, y, T, z, h) for T in folds])
        m = int(np.argmin(S))
        seen.add(round(centre / h * 4))
        if nfold >= 5 and m in (0, nfold - 1):
            # the minimum is beyond the folds: move them (Deeg would be left with 2 folds)
            nxt = folds[m]
            if round(nxt / h * 4) in seen:
                return "no minimum", z, None
            centre = nxt
            continue
        return None, z, (folds, S, m, centre)


def _kept_folds(m, nfold):
    """The folds of the parabola fit: those beyond one more fold on the longer side trimmed.

    As Deeg's code does when the smallest ``S`` (index ``m``) is not the central fold.
    """
    keep = np.ones(nfold, bool)
    if nfold >= 5:
        excess = m - (nfold - 1 - m)
        if excess >= 2:
            keep[: excess - 1] = False
        elif excess <= -2:
            keep[nfold + excess + 1 :] = False
    return keep


def _refined_time(t, y, T0, parabola, z, h, noise, noise_given, jitter):
    """The time and error from the continuous ``S(T)`` (:func:`_refine`), or None without a minimum.

    ``parabola`` is ``(x, A, centre)`` of the fold fit, whose vertex jitter is
    recomputed when the noise is estimated from ``S`` at the refined time.

    Returns
    -------
    tuple or None
        ``(time, error, noise, kappa)``.
    """
    x, A, centre = parabola
    T_ref, A_ref, S_ref, idx = _refine(t, y, T0, z, h)
    if not (np.isfinite(A_ref) and A_ref > 0):
        return None
    kappa = _sampling_factor(t, y, T_ref, idx, h)
    if not noise_given:
        noise = float(np.sqrt(S_ref / (idx.size - 2.0)))
        jitter = _vertex_jitter(x, A, T_ref - centre, z, noise)
    error = float(np.hypot(np.sqrt(2.0 * noise**2 / A_ref) * kappa, jitter))
    return T_ref, error, noise, kappa
