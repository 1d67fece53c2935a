"""The time of one minimum from a polynomial whose degree is chosen by the BIC.

:func:`polynomial_minimum` fits polynomials of increasing degree to the lower
part of a minimum by the least-squares core, keeps the one with the lowest BIC
that has a minimum of light inside the points, and propagates the covariance
of its coefficients to the time of the extremum.
"""

from __future__ import annotations

import numpy as np

from ..criteria import fit_statistics
from ..lsq import solve_linear
from .common import (
    MIN_BRANCH_POINTS,
    POOL_DOF,
    MinimumTime,
    bottom_gap,
    check_arrays,
    faint_sign,
    pooled_scale,
)

__all__ = ["polynomial_minimum"]


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
    r"""Time a minimum with a polynomial whose degree is chosen by the BIC.

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

    .. math:: \frac{\partial u^*}{\partial c_j} = -\frac{j u^{*\,j-1}}{p''(u^*)},
              \qquad \sigma_{t}^2 = s^2\, g^T C g.
    """
    t, y, dy = check_arrays(t, y, dy, where)
    faint = faint_sign(kind, where)
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
    s2 = pooled_scale(sol.chi2, dof, global_scale, pool_dof)
    err = float(np.sqrt(max(g @ sol.covariance_unscaled @ g, 0.0) * s2) * scale)
    time = float(t_mid + ustar * scale)
    n_left, n_right = int(np.sum(t < time)), int(np.sum(t > time))
    flags = ["one branch only"] if min(n_left, n_right) < MIN_BRANCH_POINTS else []
    h = float(np.median(np.diff(t)))
    if bottom_gap(t, time, h):
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
