"""What every timing method shares: flags, the time of a minimum, checks, coverage.

The flags a time can carry (:data:`FLAGS`), the result of the model-fit
timings (:class:`MinimumTime`), the checks of the input arrays, the pooled
unit-weight variance of the NAV-profile and polynomial timings, and the
coverage tests of an eclipse (both branches, a gap at the bottom).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import InputError

__all__ = [
    "BENIGN_FLAGS",
    "FLAGS",
    "GAP_SPACINGS",
    "MIN_BRANCH_POINTS",
    "MIN_DEPTH_SIGNIFICANCE",
    "POOL_DOF",
    "MinimumTime",
    "bottom_gap",
    "check_arrays",
    "coverage_flags",
    "faint_sign",
    "pooled_scale",
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
#: Two points bracketing the minimum further apart than this many spacings: a gap.
GAP_SPACINGS = 1.9
#: Degrees of freedom of the global residual scale pooled into every local scale.
POOL_DOF = 10
#: Depth significance (depth / error) below which a window has no eclipse.
MIN_DEPTH_SIGNIFICANCE = 5.0
#: Fewest points inside the eclipse on each side of the minimum for full coverage.
MIN_BRANCH_POINTS = 2


def faint_sign(kind: str, where: str) -> float:
    """The sign that makes fainter larger: ``+1`` for magnitudes, ``-1`` for fluxes.

    Parameters
    ----------
    kind : {"mag", "flux"}
    where : str
        Label for the error message.

    Raises
    ------
    InputError
        Any other ``kind``.
    """
    if kind == "mag":
        return 1.0
    if kind == "flux":
        return -1.0
    raise InputError(f"{where}: kind must be 'mag' or 'flux', got {kind!r}")


def check_arrays(t, y, dy, where):
    """Checked float arrays ``t, y, dy`` sorted by time.

    Parameters
    ----------
    t, y : array_like
        Times and values, 1-D, of one length, finite.
    dy : array_like or None
        Errors (broadcast to ``t``), finite and positive; ``None`` stays ``None``.
    where : str
        Label for the error messages.

    Returns
    -------
    t, y, dy : ndarray
        Sorted by time (stable).

    Raises
    ------
    InputError
        Arrays of different shapes, non-finite values, non-positive errors or
        two points at one time.
    """
    try:
        t = np.asarray(t, dtype=float)
        y = np.asarray(y, dtype=float)
        dy = None if dy is None else np.asarray(dy, dtype=float)
    except (TypeError, ValueError):
        raise InputError(f"{where}: t, y and dy must be numeric arrays") from None
    if t.ndim != 1 or y.shape != t.shape:
        raise InputError(
            f"{where}: t and y must be 1-D arrays of one length, got {t.shape}, {y.shape}"
        )
    if dy is not None:
        try:
            dy = np.broadcast_to(dy, t.shape).copy()
        except ValueError:
            raise InputError(f"{where}: dy has shape {dy.shape}, t has {t.shape}") from None
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


def pooled_scale(chi2, dof, global_scale, pool_dof):
    """Unit-weight variance: the local ``chi2/dof`` pooled with ``pool_dof`` dof of the global one.

    ``s^2 = (chi2 + nu0 s_g^2) / (dof + nu0)``: the local residuals decide for
    well-sampled minima, the global scale steadies the few-point ones.
    """
    if global_scale is None or pool_dof <= 0:
        return chi2 / dof if dof > 0 else np.inf
    return (chi2 + pool_dof * global_scale) / (dof + pool_dof)


def coverage_flags(t, T, half, min_branch=MIN_BRANCH_POINTS):
    """Points inside ``|t - T| < half`` on each side, and the coverage flags.

    Returns
    -------
    n_left, n_right : int
    flags : list of str
        ``["one branch only"]`` when a side holds fewer than ``min_branch``
        points, else empty.
    """
    inside = np.abs(t - T) < half
    n_left = int(np.sum(inside & (t < T)))
    n_right = int(np.sum(inside & (t > T)))
    flags = []
    if min(n_left, n_right) < min_branch:
        flags.append("one branch only")
    return n_left, n_right, flags


def bottom_gap(t, T, h):
    """Whether the two points bracketing ``T`` lie more than :data:`GAP_SPACINGS` ``h`` apart."""
    before, after = t[t < T], t[t > T]
    return bool(before.size and after.size and after[0] - before[-1] > GAP_SPACINGS * h)
