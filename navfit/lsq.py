"""The least-squares core: weighted linear solves and bounded Levenberg-Marquardt.

Every model in navfit (TP, NAV) and the period search reach the numba kernels
through these two functions, which validate their arguments and return a
:class:`LSQResult`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._kernels import linalg as _linalg
from ._kernels import lm as _lm
from ._kernels import models as _models
from .errors import NavfitError

__all__ = [
    "LSQResult",
    "levenberg_marquardt",
    "lm_minimum",
    "model_values",
    "propagated_variance",
    "solve_linear",
    "weighted_rss",
]

#: Columns of the equilibrated design with ``|R_jj|`` below this are dependent.
RANK_TOL = 1e-10


def propagated_variance(grad, cov):
    """Variances ``g_i^T C g_i`` of quantities with gradients ``grad`` (one row each).

    A parameter of infinite variance (not determined by the data) makes
    infinite the variance of every quantity whose gradient depends on it,
    and leaves the others as if it were fixed (``0 * inf`` is not NaN here).
    """
    grad = np.atleast_2d(np.asarray(grad, dtype=float))
    cov = np.asarray(cov, dtype=float)
    var = np.einsum("ij,jk,ik->i", grad, np.where(np.isfinite(cov), cov, 0.0), grad)
    var[np.any(grad[:, ~np.isfinite(np.diag(cov))] != 0, axis=1)] = np.inf
    return var


@dataclass(frozen=True)
class LSQResult:
    """Outcome of a weighted least-squares fit.

    Attributes
    ----------
    params : ndarray, shape (m,)
        All parameters (fixed ones at their given values).
    free : ndarray of bool, shape (m,)
        Which parameters were fitted; the covariances refer to these, in order.
    covariance : ndarray, shape (k, k)
        ``sigma0^2 (J^T W J)^{-1}``: scaled by the reduced chi-square
        ``chi2 / dof``, the usual choice when the errors' scale is not trusted.
    covariance_unscaled : ndarray, shape (k, k)
        ``(J^T W J)^{-1}``: right when the errors ``dy`` are exact.
    chi2 : float
        ``sum ((y - model) / dy)^2``.
    dof : int
        ``n - k``.
    rank : int
        Numerical rank of the equilibrated Jacobian.
    condition : float
        2-norm condition number of the equilibrated (column-scaled, weighted)
        Jacobian.
    niter : int
        Iterations (0 for a linear solve).
    status : int
        1-4 converged (see ``message``), 0 iteration limit.
    message : str
    rss_prefix : ndarray or None
        Linear solves only: chi-square with the first ``j`` columns, ``j = 0..m``.
    R : ndarray or None
        Linear solves only: the triangular factor of the equilibrated design
        (leading blocks belong to the nested fits).
    nested : tuple or None
        Linear solves only: ``Q^T b`` and the column scales of the factorisation,
        for :meth:`nested_params`.
    """

    params: np.ndarray
    free: np.ndarray
    covariance: np.ndarray
    covariance_unscaled: np.ndarray
    chi2: float
    dof: int
    rank: int
    condition: float
    niter: int
    status: int
    message: str
    rss_prefix: np.ndarray | None = None
    R: np.ndarray | None = None
    nested: tuple | None = field(default=None, repr=False)

    @property
    def success(self) -> bool:
        """True when the solver converged and the problem had full rank."""
        return self.status > 0 and self.rank == int(self.free.sum())

    def nested_params(self, j: int) -> np.ndarray:
        """Coefficients of the fit on the first ``j`` columns only (linear solves).

        From the same factorisation, no new solve: ``rss_prefix[j]`` is that
        fit's chi-square.

        Examples
        --------
        >>> import numpy as np
        >>> t = np.linspace(0.0, 1.0, 50)
        >>> fit = solve_linear(np.column_stack([np.ones_like(t), t]), 2.0 + 3.0 * t)
        >>> float(fit.nested_params(1)[0].round(12))
        3.5
        """
        if self.nested is None:
            raise NavfitError("nested_params: only a linear solve keeps its factorisation")
        if not 1 <= j <= self.params.size:
            raise NavfitError(f"nested_params: j must be 1..{self.params.size}, got {j}")
        qtb, colscale = self.nested
        return _linalg.nested_coefficients(self.R, qtb, colscale, int(j))

    @property
    def errors(self) -> np.ndarray:
        """1-sigma errors of the free parameters, from :attr:`covariance`."""
        return np.sqrt(np.diag(self.covariance))


def _weights(y, dy, where):
    y = np.ascontiguousarray(y, dtype=np.float64)
    if dy is None:
        sw = np.ones_like(y)
    else:
        dy = np.ascontiguousarray(dy, dtype=np.float64)
        if dy.shape != y.shape:
            raise NavfitError(f"{where}: dy has shape {dy.shape}, y has {y.shape}")
        if not np.all(np.isfinite(dy)) or np.any(dy <= 0):
            raise NavfitError(f"{where}: dy must be finite and positive")
        sw = 1.0 / dy
    if not np.all(np.isfinite(y)):
        raise NavfitError(f"{where}: y contains NaN or infinite values")
    return y, sw


def prefix_condition(R, j):
    """Condition number of the first ``j`` equilibrated columns (``inf`` if dependent)."""
    if np.any(np.abs(np.diag(R)[:j]) <= RANK_TOL):
        return np.inf
    return float(_linalg.condition_triangular(np.ascontiguousarray(R), j))


def _rank_and_condition(R):
    rank = int(np.sum(np.abs(np.diag(R)) > RANK_TOL))
    if rank < R.shape[0]:
        return rank, np.inf
    return rank, prefix_condition(R, R.shape[0])


def solve_linear(design, y, dy=None, *, transposed=False) -> LSQResult:
    """Weighted linear least squares ``y ~ design @ coef``.

    Parameters
    ----------
    design : ndarray, shape (n, m), or (m, n) with ``transposed=True``
        Basis functions evaluated at the data points.
    y : ndarray, shape (n,)
    dy : ndarray, shape (n,), optional
        1-sigma errors; weights are ``1/dy**2``. ``None`` means equal weights.
    transposed : bool
        ``design`` is given as ``(m, n)`` (the kernels' native layout, no copy).

    Returns
    -------
    LSQResult

    Raises
    ------
    NavfitError
        Mismatched shapes, non-finite values, fewer points than parameters.

    Notes
    -----
    Householder QR of the weighted design after scaling every column to unit
    norm (equilibration), so the achievable accuracy is set by the condition
    number of the equilibrated design, not of the normal matrix (its square).
    ``rss_prefix[j]`` gives the chi-square of the nested fits on the first ``j``
    columns from the same factorization.

    Examples
    --------
    A straight line through exact data, with errors of 0.1:

    >>> import numpy as np
    >>> t = np.linspace(0.0, 1.0, 50)
    >>> design = np.column_stack([np.ones_like(t), t])
    >>> fit = solve_linear(design, 2.0 + 3.0 * t, np.full(t.size, 0.1))
    >>> fit.params.round(12), fit.rank, fit.dof, fit.success
    (array([2., 3.]), 2, 48, True)

    The chi-square of the nested fits on no column, on the constant and on
    both columns, from the same factorization:

    >>> fit.rss_prefix[:2].round(1), bool(fit.rss_prefix[2] < 1e-20)
    (array([65153.1,  3903.1]), True)
    """
    XT = np.asarray(design, dtype=np.float64)
    if XT.ndim != 2:
        raise NavfitError(f"solve_linear: design must be 2-D, got shape {XT.shape}")
    if not transposed:
        XT = XT.T
    XT = np.ascontiguousarray(XT)
    y, sw = _weights(y, dy, "solve_linear")
    m, n = XT.shape
    if n != y.size:
        raise NavfitError(f"solve_linear: design has {n} rows, y has {y.size} points")
    if n <= m:
        raise NavfitError(f"solve_linear: {n} points cannot determine {m} parameters")
    if not np.all(np.isfinite(XT)):
        raise NavfitError("solve_linear: design matrix contains NaN or infinite values")
    coef, cov, rss, R, qtb, colscale = _linalg.weighted_lstsq(XT, y, sw)
    rank, cond = _rank_and_condition(R)
    chi2 = float(rss[m])
    dof = n - m
    return LSQResult(
        params=coef,
        free=np.ones(m, dtype=bool),
        covariance=cov * (chi2 / dof),
        covariance_unscaled=cov,
        chi2=chi2,
        dof=dof,
        rank=rank,
        condition=cond,
        niter=0,
        status=1,
        message="linear least squares (Householder QR)",
        rss_prefix=rss,
        R=R,
        nested=(qtb, colscale),
    )


def weighted_rss(design_t, y, sw) -> float:
    """Chi-square of the weighted linear fit ``y ~ design_t.T @ coef``, nothing else.

    The same Householder QR as :func:`solve_linear` (the one least-squares
    core), without its input checks, rank and condition number: for callers
    that fit many resamplings of checked data (:mod:`navfit.period_bootstrap`).

    Parameters
    ----------
    design_t : ndarray, shape (m, n)
        Transposed design, C-contiguous float64, finite.
    y : ndarray, shape (n,)
    sw : ndarray, shape (n,)
        Square roots of the weights (``1/dy``), positive.

    Returns
    -------
    float
        ``sum_i sw_i^2 (y_i - fit_i)^2``.
    """
    return float(_linalg.weighted_lstsq(design_t, y, sw)[2][design_t.shape[0]])


def jacobian(model_id, t, p, iparams=None, fparams=None):
    """Model values and transposed Jacobian ``(m, n)`` from the numba model registry."""
    args, f, JT = _model_arrays(t, p, iparams, fparams)
    _models.eval_model(model_id, *args, f, JT)
    return f, JT


def model_values(model_id, t, p, iparams=None, fparams=None):
    """Model values only, from the numba model registry (the NAV skips its derivatives).

    The same values as :func:`jacobian`'s, for the callers that discard the Jacobian.
    """
    args, f, JT = _model_arrays(np.atleast_1d(t), p, iparams, fparams)
    _models.eval_model(model_id, *args, f, JT, False)
    return f


def _model_arrays(t, p, iparams, fparams):
    """``(t, p, iparams, fparams)`` as the kernels take them, and empty ``f``, ``JT``."""
    t = np.ascontiguousarray(t, dtype=np.float64)
    p = np.ascontiguousarray(p, dtype=np.float64)
    iparams = np.zeros(1, np.int64) if iparams is None else np.asarray(iparams, np.int64)
    fparams = np.zeros(1) if fparams is None else np.asarray(fparams, np.float64)
    return (t, p, iparams, fparams), np.empty(t.size), np.empty((p.size, t.size))


def levenberg_marquardt(
    model_id,
    t,
    y,
    dy,
    p0,
    *,
    lower=None,
    upper=None,
    free=None,
    iparams=None,
    fparams=None,
    maxiter=200,
    ftol=1e-12,
    xtol=1e-10,
    gtol=1e-10,
) -> LSQResult:
    """Bounded Levenberg-Marquardt fit of a model from the kernel registry.

    Parameters
    ----------
    model_id : int
        One of the ids in :mod:`navfit._kernels.models` (analytic Jacobians).
    t, y, dy : ndarray, shape (n,)
        Times, data, errors (``dy=None``: equal weights).
    p0 : array_like, shape (m,)
        Starting parameters.
    lower, upper : array_like, shape (m,), optional
        Bounds; the start is clipped into them.
    free : array_like of bool, shape (m,), optional
        Parameters to fit (default all).
    iparams, fparams : array_like, optional
        Integer and float settings of the model.
    maxiter : int
        Iteration limit.
    ftol, xtol, gtol : float
        Relative chi-square change, relative step (in units of the residual
        norm) and scaled-gradient tolerances.

    Returns
    -------
    LSQResult
        Covariances come from the full Jacobian of every free parameter at
        the optimum.

    Examples
    --------
    A first-order trigonometric polynomial with its period free (the model
    ``TP_FREE_PERIOD`` takes ``c0, a1, b1, period`` and the reference time in
    ``fparams``), started 0.1 % off the true period:

    >>> import numpy as np
    >>> from navfit._kernels.models import TP_FREE_PERIOD
    >>> rng = np.random.default_rng(3)
    >>> t = np.sort(rng.uniform(0.0, 10.0, 200))
    >>> y = 1.0 + 0.5 * np.cos(2 * np.pi * (t - 5.0) / 0.8) + rng.normal(0, 0.01, t.size)
    >>> fit = levenberg_marquardt(TP_FREE_PERIOD, t, y, np.full(t.size, 0.01),
    ...                           [1.0, 0.4, 0.1, 0.8008], fparams=[5.0])
    >>> fit.success, fit.params.round(2)
    (True, array([1. , 0.5, 0. , 0.8]))
    >>> bool(abs(fit.params[3] - 0.8) < 3 * fit.errors[3])
    True
    """
    t, y, sw, free, iparams, fparams, p, chi2, niter, status = _run_lm(
        model_id, t, y, dy, p0, lower=lower, upper=upper, free=free, iparams=iparams,
        fparams=fparams, maxiter=maxiter, ftol=ftol, xtol=xtol, gtol=gtol,
    )  # fmt: skip
    k = int(free.sum())
    _, JT = jacobian(model_id, t, p, iparams, fparams)
    _, cov, _, R, *_ = _linalg.weighted_lstsq(np.ascontiguousarray(JT[free]), y, sw)
    rank, cond = _rank_and_condition(R)
    message = _lm.STATUS_MESSAGES[int(status)]
    if rank < k:
        # undetermined directions: pseudo-inverse, and infinite errors for the
        # parameters with a zero Jacobian column
        A = (JT[free] * sw).T
        cov = np.linalg.pinv(A.T @ A)
        dead = np.abs(np.diag(R)) <= RANK_TOL
        cov[dead, :] = 0.0
        cov[:, dead] = 0.0
        cov[dead, dead] = np.inf
        message += f"; Jacobian rank {rank} < {k}: some parameters are not determined"
    dof = t.size - k
    return LSQResult(
        params=p,
        free=free,
        covariance=cov * (chi2 / dof),
        covariance_unscaled=cov,
        chi2=float(chi2),
        dof=dof,
        rank=rank,
        condition=cond,
        niter=int(niter),
        status=int(status),
        message=message,
    )


def lm_minimum(model_id, t, y, dy, p0, **options) -> tuple[np.ndarray, float]:
    """Where :func:`levenberg_marquardt` ends, without the covariance: ``(params, chi2)``.

    The same iterations and arguments (``options`` are the keywords of
    :func:`levenberg_marquardt`); for callers that only rank many starting
    points by their chi-square (the pilot runs of :func:`navfit.fit_nav`),
    which then need no Jacobian QR at the end.
    """
    *_, p, chi2, _, _ = _run_lm(model_id, t, y, dy, p0, **options)
    return p, float(chi2)


def _run_lm(model_id, t, y, dy, p0, *, lower=None, upper=None, free=None, iparams=None,
            fparams=None, maxiter=200, ftol=1e-12, xtol=1e-10, gtol=1e-10):  # fmt: skip
    """Checked inputs, then the kernel: ``t, y, sw, free, iparams, fparams, p, chi2, niter, status``."""
    t = np.ascontiguousarray(t, dtype=np.float64)
    y, sw = _weights(y, dy, "levenberg_marquardt")
    p0 = np.ascontiguousarray(p0, dtype=np.float64)
    m = p0.size
    lower = np.full(m, -np.inf) if lower is None else np.asarray(lower, np.float64)
    upper = np.full(m, np.inf) if upper is None else np.asarray(upper, np.float64)
    free = np.ones(m, dtype=bool) if free is None else np.asarray(free, dtype=bool)
    if np.any(lower > upper):
        raise NavfitError("levenberg_marquardt: some lower bound exceeds its upper bound")
    k = int(free.sum())
    if t.size <= k:
        raise NavfitError(f"levenberg_marquardt: {t.size} points cannot determine {k} parameters")
    if not np.all(np.isfinite(p0)):
        raise NavfitError("levenberg_marquardt: p0 contains NaN or infinite values")
    iparams = np.zeros(1, np.int64) if iparams is None else np.asarray(iparams, np.int64)
    fparams = np.zeros(1) if fparams is None else np.asarray(fparams, np.float64)
    settings = np.array([maxiter, ftol, xtol, gtol], dtype=np.float64)
    p, chi2, niter, status = _lm.levenberg_marquardt(
        model_id, t, y, sw, p0, lower, upper, free, iparams, fparams, settings
    )
    return t, y, sw, free, iparams, fparams, p, chi2, niter, status
