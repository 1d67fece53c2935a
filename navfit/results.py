"""FitResult: the one result type every model returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
from scipy.optimize import minimize_scalar

from .criteria import fit_statistics
from .lightcurve import LightCurve
from .lsq import jacobian, model_values, propagated_variance

__all__ = ["FitResult"]


@dataclass(frozen=True, eq=False)
class FitResult:
    """A fitted phase model (TP or NAV) with its statistics and derived quantities.

    Attributes
    ----------
    model : str
        ``"tp"`` or ``"nav"`` (with the variant in ``info``).
    params, errors : dict
        Value and 1-sigma error by parameter name, ``period`` and ``epoch``
        included (error 0 for a parameter held fixed, see ``fixed``).
    names : tuple of str
        Names of the model's parameter vector ``values``, in order.
    free_names : tuple of str
        The fitted ones, in the order of ``covariance``.
    covariance : ndarray
        Scaled covariance ``sigma0^2 (J^T W J)^{-1}`` of ``free_names``, from
        the full Jacobian at the optimum.
    covariance_unscaled : ndarray
        ``(J^T W J)^{-1}`` (right when the errors are exact).
    chi2 : float
        ``sum ((y - model)/dy)^2``.
    n, k, dof : int
        Points, fitted parameters (period/epoch included when free), ``n - k``.
    sigma0, sigma_fit, aic, aicc, bic : float
        See :mod:`navfit.criteria`. ``sigma_fit = sigma0 * sqrt(k/n)``.
    period, epoch : float
        Period (d) and epoch of primary minimum (Min I) in the light curve's
        time values (add ``lc.time_offset`` for full JD).
    derived : dict
        Derived quantities name -> ``(value, error)``: ``max``, ``min1``,
        ``min2`` (absent when the curve has no secondary minimum), amplitudes...
    flags : tuple of str
        Warnings about the fit (rank deficiency, no secondary minimum ...).
    info : dict
        Model details (TP order and criterion, NAV variant ...).
    """

    model: str
    names: tuple
    values: np.ndarray
    free: np.ndarray
    covariance: np.ndarray
    covariance_unscaled: np.ndarray
    chi2: float
    n: int
    k: int
    lc: LightCurve = field(repr=False)
    model_id: int = field(repr=False)
    iparams: np.ndarray = field(repr=False)
    fparams: np.ndarray = field(repr=False)
    t_ref: float
    epoch: float
    epoch_error: float
    status: int
    message: str
    condition: float
    rank: int
    niter: int
    derived: dict = field(default_factory=dict)
    flags: tuple = ()
    info: dict = field(default_factory=dict)
    extra_params: dict = field(default_factory=dict)

    # ----- statistics -------------------------------------------------------------
    @property
    def dof(self) -> int:
        """Degrees of freedom ``n - k``."""
        return self.n - self.k

    @cached_property
    def _stats(self) -> dict:
        w = 1.0 / self.lc.dy**2
        return fit_statistics(self.chi2, self.n, self.k, float(np.mean(w)))

    @property
    def sigma0(self) -> float:
        """Unit-weight residual scatter, in the data's units."""
        return self._stats["sigma0"]

    @property
    def sigma_fit(self) -> float:
        """Andronov's accuracy of the fit ``sigma0 * sqrt(k/n)``."""
        return self._stats["sigma_fit"]

    @property
    def aic(self) -> float:
        """Akaike information criterion (unknown error scale)."""
        return self._stats["aic"]

    @property
    def aicc(self) -> float:
        """AIC with the small-sample correction."""
        return self._stats["aicc"]

    @property
    def bic(self) -> float:
        """Bayesian information criterion (unknown error scale)."""
        return self._stats["bic"]

    @property
    def success(self) -> bool:
        """Converged with a full-rank Jacobian."""
        return self.status > 0 and self.rank == self.free.sum()

    @property
    def free_names(self) -> tuple:
        """Names of the fitted parameters (order of :attr:`covariance`)."""
        return tuple(n for n, f in zip(self.names, self.free, strict=True) if f)

    @property
    def period(self) -> float:
        """Period in days."""
        return float(self.params["period"])

    @property
    def params(self) -> dict:
        """Parameter values by name (model parameters, then ``period`` and ``epoch``)."""
        out = dict(zip(self.names, (float(v) for v in self.values), strict=True))
        out.update({k: v[0] for k, v in self.extra_params.items()})
        out["epoch"] = float(self.epoch)
        return out

    @property
    def errors(self) -> dict:
        """1-sigma errors by name; 0 for parameters held fixed."""
        err = np.sqrt(np.clip(np.diag(self.covariance), 0, None))
        out = dict.fromkeys(self.names, 0.0)
        out.update(dict(zip(self.free_names, (float(e) for e in err), strict=True)))
        out.update({k: v[1] for k, v in self.extra_params.items()})
        for name, source in self.info.get("tied", {}).items():
            out[name] = out[source]
        out["epoch"] = float(self.epoch_error)
        return out

    @property
    def fixed(self) -> tuple:
        """Names of parameters held fixed in the fit."""
        return tuple(n for n, f in zip(self.names, self.free, strict=True) if not f)

    @property
    def correlation(self) -> np.ndarray:
        """Correlation matrix of :attr:`free_names`, in [-1, 1].

        A covariance that rounding left not positive semi-definite (an
        ill-conditioned fit; NAV fits flag it, :func:`navfit.models.nav_derived.nav_flags`)
        can give ratios beyond 1; they are clipped.
        """
        d = np.sqrt(np.abs(np.diag(self.covariance)))
        d[d == 0] = 1.0
        with np.errstate(invalid="ignore", divide="ignore"):
            corr = self.covariance / np.outer(d, d)
        # undetermined parameters (infinite error) are reported uncorrelated
        corr[~np.isfinite(corr)] = 0.0
        np.fill_diagonal(corr, 1.0)
        return np.clip(corr, -1.0, 1.0)

    # ----- the curve ---------------------------------------------------------------
    def evaluate(self, t) -> np.ndarray:
        """The fitted curve at times ``t`` (same time values as the light curve)."""
        return model_values(self.model_id, t, self.values, self.iparams, self.fparams)

    def uncertainty(self, t) -> np.ndarray:
        """1-sigma error of the fitted curve at times ``t``: ``sqrt(g^T Cov g)``.

        ``inf`` where the curve depends on an undetermined parameter
        (:func:`navfit.lsq.propagated_variance`).
        """
        _, JT = jacobian(self.model_id, np.atleast_1d(t), self.values, self.iparams, self.fparams)
        var = propagated_variance(JT[self.free].T, self.covariance)
        return np.sqrt(np.maximum(var, 0.0))

    def phase_to_time(self, phase) -> np.ndarray:
        """Times in the cycle nearest ``epoch`` at the given phases (0 = Min I)."""
        return self.epoch + np.asarray(phase, dtype=float) * self.period

    def evaluate_phase(self, phase) -> np.ndarray:
        """The fitted curve at phases (0 = Min I at :attr:`epoch`)."""
        return self.evaluate(self.phase_to_time(phase))

    def uncertainty_phase(self, phase) -> np.ndarray:
        """1-sigma band half-width at phases, in the cycle nearest :attr:`epoch`."""
        return self.uncertainty(self.phase_to_time(phase))

    def phase(self, t=None) -> np.ndarray:
        """Phases of times ``t`` (default: the data) in [0, 1), 0 = Min I."""
        t = self.lc.t if t is None else np.asarray(t, dtype=float)
        x = (t - self.epoch) / self.period
        return x - np.floor(x)

    def residuals(self) -> np.ndarray:
        """Data minus model at the observed times."""
        return self.lc.y - self.evaluate(self.lc.t)

    # ----- presentation ------------------------------------------------------------
    def to_table(self):
        """Parameters, errors and fit statistics as an astropy Table (one row per parameter)."""
        from astropy.table import Table

        p, e = self.params, self.errors
        rows = [(name, p[name], e[name], name in self.fixed) for name in p]
        rows += [(name, v, s, False) for name, (v, s) in self.derived.items()]
        tab = Table(rows=rows, names=("name", "value", "error", "fixed"))
        tab.meta.update(self.statistics())
        return tab

    def to_lmfit(self):
        """The fit as ``lmfit.Parameters`` (values, errors, correlations, fixed and tied).

        Usable with :class:`navfit.lmfit_models.NAVModel` / ``TPModel``; see
        :func:`navfit.lmfit_params.to_lmfit`. Needs lmfit.
        """
        from .lmfit_params import to_lmfit

        return to_lmfit(self)

    def statistics(self) -> dict:
        """Model, n, k, chi2, sigma0, sigma_fit, AIC, AICc, BIC as a dict."""
        return {
            "model": self.label,
            "n": self.n,
            "k": self.k,
            "chi2": self.chi2,
            **self._stats,
        }

    @property
    def label(self) -> str:
        """Short model label, e.g. ``TP(s=8)`` or ``NAV``."""
        if self.model == "tp":
            return f"TP(s={self.info.get('order')})"
        return self.info.get("label", self.model.upper())

    def epoch_label(self, decimals=6) -> str:
        """Min I as text in the data's own time system: ``"BJD 2459000.123456"``.

        For phase-folded data (no dates) the phase of Min I in the input's
        phases: ``"phase 0.498930"``.
        """
        system = self.lc.time_system or "time"
        if system == "phase":
            return f"phase {(self.epoch / self.period) % 1.0:.{decimals}f}"
        offset = self.lc.time_offset
        return f"{system} {self.epoch + offset:.{decimals}f}"

    def summary(self) -> str:
        """Readable multi-line report of the fit."""
        lines = [
            (
                f"{self.label} fit of {self.lc.name}: n={self.n}, k={self.k}, "
                f"chi2={self.chi2:.6g}, sigma0={self.sigma0:.5g}, "
                f"sigma0*sqrt(k/n)={self.sigma_fit:.4g}, BIC={self.bic:.6g}"
            ),
            f"  status {self.status}: {self.message}; condition {self.condition:.3g}",
            f"  period = {self.period:.9g} +- {self.errors['period']:.2g} d"
            + (" (fixed)" if "period" in self.fixed else ""),
            f"  epoch (Min I) = {self.epoch_label()} +- {self.epoch_error:.2g}",
        ]
        p, e = self.params, self.errors
        fixed, tied = set(self.fixed), self.info.get("tied", {})
        for name in self.names:
            if name in ("period", "epoch"):
                continue
            note = f" (= {tied[name]})" if name in tied else " (fixed)" if name in fixed else ""
            lines.append(f"  {name:>8s} = {p[name]: .6g} +- {e[name]:.2g}{note}")
        for name, (v, s) in self.derived.items():
            lines.append(f"  {name:>8s} = {v: .6g} +- {s:.2g}")
        lines += [f"  flag: {f}" for f in self.flags]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return (
            f"<FitResult {self.label} {self.lc.name}: P={self.period:.8g}, n={self.n}, "
            f"k={self.k}, sigma0={self.sigma0:.4g}, BIC={self.bic:.6g}>"
        )


def light_extrema(curve, faint_sign, n_grid=4096):
    """Phases of Max, Min I and Min II of a periodic curve.

    Parameters
    ----------
    curve : callable
        ``curve(phase) -> values`` for an array of phases.
    faint_sign : {+1, -1}
        +1 for magnitudes (larger is fainter), -1 for fluxes.
    n_grid : int
        Grid points per cycle before the Brent refinement.

    Returns
    -------
    phase_max, phase_min1, phase_min2 : float or None
        Min I is the faintest point; Min II the faintest *other* local minimum of
        light at least 0.2 in phase from Min I (``None`` if there is none).
    """
    grid = np.arange(n_grid) / n_grid
    v = faint_sign * curve(grid)

    def refine(i, sign):
        def g(x):
            return -sign * faint_sign * curve(np.array([x]))[0]

        step = 1.0 / n_grid
        res = minimize_scalar(
            g,
            bounds=(grid[i] - step, grid[i] + step),
            method="bounded",
            options={"xatol": 1e-10},
        )
        return float(res.x) if res.fun <= g(grid[i]) else float(grid[i])

    i1 = int(np.argmax(v))
    imax = int(np.argmin(v))
    peaks = np.flatnonzero((v > np.roll(v, 1)) & (v >= np.roll(v, -1)))
    dist = np.abs((grid[peaks] - grid[i1] + 0.5) % 1.0 - 0.5)
    peaks = peaks[dist >= 0.2]
    ph2 = refine(int(peaks[np.argmax(v[peaks])]), 1) if peaks.size else None
    return refine(imax, -1), refine(i1, 1), ph2
