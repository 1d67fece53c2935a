"""The models of an O-C diagram: :class:`OCModel`, the linear and quadratic ephemerides.

With cycles ``E`` and a reference ephemeris ``T0 + P E``, the O-C is fitted
by ``dT0 + dP E`` (linear) or ``dT0 + dP E + Q E^2`` (quadratic, a period
change ``dP/dE = 2 Q``) through the least-squares core. The statistics, the
scaling of the covariance and the propagation of errors to derived quantities
defined here serve every O-C model (the light-time model of
:mod:`navfit.timing.ltte` too).

References
----------
Sterken C., 2005, ASP Conf. Ser. 335, 3 (O-C diagrams).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..criteria import fit_statistics
from ..lsq import solve_linear

__all__ = [
    "YEAR",
    "OCModel",
    "derived_errors",
    "fit_polynomial",
    "oc_statistics",
    "scaled_covariance",
]

#: Days per Julian year.
YEAR = 365.25


@dataclass(frozen=True, eq=False)
class OCModel:
    """One model fitted to an O-C diagram.

    Attributes
    ----------
    name : str
        ``"linear"``, ``"quadratic"`` or ``"ltte"``.
    params, errors : dict
        Fitted parameters and 1-sigma errors by name (see :func:`fit_oc`).
    derived : dict
        Derived quantities, name -> ``(value, error)``: the ephemeris ``T0``
        (full JD) and ``P``, ``dP/dt`` (d/yr), the third body's ``amplitude``,
        ``e``, ``omega`` (deg), ``T_peri``, ``a12sini`` (au), ``f(m3)`` (M_sun).
    covariance : ndarray
        Of ``params`` in order, scaled by ``chi2/dof`` when ``scaled``.
    chi2 : float
        ``sum ((O-C - model)/err)^2``.
    n, k : int
        Minima and fitted parameters.
    aic, aicc, bic : float
        :func:`navfit.criteria.fit_statistics` (Gaussian likelihood, error scale
        unknown: the convention of every navfit model comparison).
    residuals : ndarray
        O-C minus the model at the minima (d).
    info : dict
        ``t_ref`` of the LTTE angles, search details; ``flags`` (LTTE): what the minima
        leave undetermined of the orbit (less than one orbit observed, e at its bound).
    """

    name: str
    params: dict
    errors: dict
    derived: dict
    covariance: np.ndarray = field(repr=False)
    chi2: float
    n: int
    k: int
    aic: float
    aicc: float
    bic: float
    residuals: np.ndarray = field(repr=False)
    info: dict = field(default_factory=dict, repr=False)
    _predict: object = field(default=None, repr=False)

    @property
    def dof(self) -> int:
        """``n - k``."""
        return self.n - self.k

    @property
    def chi2_red(self) -> float:
        """Reduced chi-square ``chi2 / (n - k)``: near 1 when model and errors agree."""
        return self.chi2 / self.dof if self.dof > 0 else np.nan

    def evaluate(self, cycle, time) -> np.ndarray:
        """The model O-C (d) at cycles ``cycle`` and full-JD times ``time``."""
        return self._predict(np.asarray(cycle, float), np.asarray(time, float))


def oc_statistics(chi2, n, k, err):
    """AIC, AICc and BIC of an O-C model (:func:`navfit.criteria.fit_statistics`).

    Parameters
    ----------
    chi2 : float
    n, k : int
        Minima and fitted parameters.
    err : ndarray
        Timing errors (d): their mean weight ``mean(1/err^2)`` enters the likelihood.

    Returns
    -------
    dict
    """
    return fit_statistics(chi2, n, k, float(np.mean(1.0 / err**2)))


def scaled_covariance(cov_unscaled, chi2, dof, scale):
    """The covariance times ``chi2/dof`` when ``scale`` (and ``dof > 0``), else as it is."""
    return cov_unscaled * (chi2 / dof if scale and dof > 0 else 1.0)


def derived_errors(func, q, cov, steps):
    """Values and errors of ``func(q)`` (a dict of floats) by central differences.

    Parameters
    ----------
    func : callable
        ``func(q) -> dict`` of derived quantities.
    q : ndarray
        Fitted parameters.
    cov : ndarray
        Their covariance.
    steps : ndarray
        Difference steps, one per parameter.

    Returns
    -------
    dict
        Name -> ``(value, error)``, the error ``sqrt(J C J^T)`` with the full
        covariance ``C``.
    """
    """Values and errors of ``func(q)`` (a dict of floats) by central differences."""
    base = func(q)
    J = np.zeros((len(base), q.size))
    for j in range(q.size):
        h = steps[j]
        qp, qm = q.copy(), q.copy()
        qp[j] += h
        qm[j] -= h
        fp, fm = func(qp), func(qm)
        J[:, j] = [(fp[k] - fm[k]) / (2 * h) for k in base]
    var = np.einsum("ij,jk,ik->i", J, cov, J)
    return {
        k: (float(v), float(np.sqrt(max(s, 0.0))))
        for (k, v), s in zip(base.items(), var, strict=True)
    }


def fit_polynomial(name, data, T0, P, degree, secondary_offset, scale):
    """The linear (``degree=1``) or quadratic (``degree=2``) O-C model.

    Parameters
    ----------
    name : str
        ``"linear"`` or ``"quadratic"``.
    data : dict
        ``cycle``, ``kind``, ``o_c`` and ``time_err`` of the minima.
    T0, P : float
        The reference ephemeris.
    degree : int
    secondary_offset : bool
        A free offset of the secondaries (``dT_II``).
    scale : bool
        Scale the covariance by ``chi2/dof``.

    Returns
    -------
    OCModel
        Parameters ``dT0``, ``dP`` (and ``Q``); derived ``T0``, ``P`` (and
        ``dP/dE = 2 Q``, ``dP/dt = 2 Q / P`` in d/yr).
    """
    E, oc, err = data["cycle"], data["o_c"], data["time_err"]
    cols = [E**j for j in range(degree + 1)]
    names = ["dT0", "dP", "Q"][: degree + 1]
    if secondary_offset:
        cols.append((data["kind"] == "II").astype(float))
        names.append("dT_II")
    X = np.vstack(cols)
    sol = solve_linear(X, oc, err, transposed=True)
    n, k = E.size, X.shape[0]
    cov = scaled_covariance(sol.covariance_unscaled, sol.chi2, n - k, scale)
    q = sol.params
    se = np.sqrt(np.clip(np.diag(cov), 0, None))

    def derived(v):
        out = {"T0": T0 + v[0], "P": P + v[1]}
        if degree == 2:
            out["dP/dE"] = 2.0 * v[2]
            out["dP/dt"] = 2.0 * v[2] / P * YEAR
        return out

    steps = np.where(se > 0, se * 1e-3, 1e-9)
    st = oc_statistics(sol.chi2, n, k, err)

    def predict(cycle, _time, v=q):
        return sum(v[j] * cycle**j for j in range(degree + 1))

    return OCModel(
        name=name,
        params=dict(zip(names, (float(v) for v in q), strict=True)),
        errors=dict(zip(names, (float(v) for v in se), strict=True)),
        derived=derived_errors(derived, q, cov, steps),
        covariance=cov,
        chi2=sol.chi2,
        n=n,
        k=k,
        aic=st["aic"],
        aicc=st["aicc"],
        bic=st["bic"],
        residuals=oc - X.T @ q,
        info={"degree": degree},
        _predict=predict,
    )
