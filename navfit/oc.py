"""O-C diagrams: linear, quadratic and light-travel-time fits to times of minima.

:func:`fit_oc` takes the table of :func:`navfit.times_of_minima` (or any table
of times of minima, or a file) and fits the observed minus calculated times
against a linear ephemeris with

``linear``
    a correction of the epoch and the period,
``quadratic``
    a steady period change ``dP/dE = 2 Q``,
``ltte``
    the light-travel time across the orbit of a third body (Irwin 1952),

each with parameters, errors and information criteria, and picks the best by
BIC (or AIC). :func:`minima_lines` writes IBVS/CDS-style fixed-width lines,
:func:`read_minima` reads them back (and ECSV/CSV), :func:`plot_oc` draws the
diagram. ``docs/minima.md`` has the equations.

References
----------
Irwin J. B., 1952, ApJ 116, 211 (light-time effect).
Sterken C., 2005, ASP Conf. Ser. 335, 3 (O-C diagrams).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .criteria import fit_statistics
from .errors import InputError, NavfitError
from .lsq import solve_linear
from .minima import BENIGN_FLAGS

__all__ = [
    "CDS_BYTE_BY_BYTE",
    "MODELS",
    "OCModel",
    "OCResult",
    "SeparateOC",
    "fit_oc",
    "ltte_delay",
    "minima_lines",
    "plot_oc",
    "read_minima",
]

MODELS = ("linear", "quadratic", "ltte")
#: Preferred method when a table holds several.
METHOD_ORDER = ("nav", "kvw", "poly")
#: Astronomical unit in light-days, and days per Julian year.
AU_LIGHT_DAYS = 499.00478384 / 86400.0
YEAR = 365.25
#: LTTE search: frequency oversampling, peaks kept, eccentricities, angles.
LTTE_OVERSAMPLING = 5
LTTE_PEAKS = 3
LTTE_ECCENTRICITIES = (0.0, 0.2, 0.4, 0.6, 0.8)
LTTE_ANGLES = 12
LTTE_MAX_E = 0.95
#: Eccentricity where the model stops (the search box of e cos w, e sin w reaches past 1).
LTTE_E_LIMIT = 0.99
#: Fewest minima for a model with ``k`` parameters: ``k + MIN_DOF``.
MIN_DOF = 1


# ----------------------------------------------------------------------------------
# light-travel time
# ----------------------------------------------------------------------------------
def _kepler(M, e):
    """Eccentric anomaly from the mean anomaly: Newton from Danby's start (``0 <= e < 1``)."""
    M = np.asarray(M, dtype=float)
    if e == 0:
        return M.copy()
    E = M + 0.85 * e * np.sign(np.sin(M))
    for _ in range(50):
        step = (E - e * np.sin(E) - M) / (1.0 - e * np.cos(E))
        E = E - step
        if np.all(np.abs(step) < 1e-13):
            break
    return E


def ltte_delay(t, amplitude_asini, period, e, omega, t_peri):
    """Light-travel-time delay of an eclipsing binary in a third-body orbit (Irwin 1952).

    Parameters
    ----------
    t : array_like
        Times (d).
    amplitude_asini : float
        ``a12 sin i / c`` in days (the projected semi-major axis of the
        binary's orbit about the barycentre, in light-days).
    period : float
        Orbital period of the third body (d).
    e : float
        Eccentricity, ``0 <= e < 1``.
    omega : float
        Argument of periastron of the binary's orbit (radians).
    t_peri : float
        Time of periastron passage (d).

    Returns
    -------
    ndarray
        .. math::

            \\tau = \\frac{a_{12}\\sin i}{c}\\left[\\frac{1-e^2}{1+e\\cos\\nu}
                    \\sin(\\nu+\\omega) + e\\sin\\omega\\right]

        with the true anomaly ``nu`` from Kepler's equation
        ``M = 2 pi (t - T_p)/P_3 = E - e sin E``. The semi-amplitude of ``tau``
        is ``a12 sin i / c * sqrt(1 - e^2 cos^2 omega)`` (Irwin's ``A``).
    """
    t = np.asarray(t, dtype=float)
    M = 2.0 * np.pi * (t - t_peri) / period
    E = _kepler(np.mod(M + np.pi, 2 * np.pi) - np.pi, e)
    nu = 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(E / 2.0), np.sqrt(1.0 - e) * np.cos(E / 2.0))
    return amplitude_asini * (
        (1.0 - e * e) / (1.0 + e * np.cos(nu)) * np.sin(nu + omega) + e * np.sin(omega)
    )


def _ltte_from_internal(q, t_ref):
    """``(K, P3, e, omega, T_p)`` from the fitted ``(K, P3, e cos w, e sin w, lambda)``."""
    K, P3, h, k, lam = q
    e = float(np.hypot(h, k))
    omega = float(np.arctan2(k, h)) if e > 0 else 0.0
    t_peri = t_ref - (lam - omega) / (2.0 * np.pi) * P3
    return K, P3, e, omega, t_peri


def _ltte_internal(t, q, t_ref):
    K, P3, e, omega, t_peri = _ltte_from_internal(q, t_ref)
    if e >= 1.0:
        return np.full(np.shape(t), np.inf)
    return ltte_delay(t, K, P3, e, omega, t_peri)


# ----------------------------------------------------------------------------------
# results
# ----------------------------------------------------------------------------------
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
        ``t_ref`` of the LTTE angles, search details.
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


@dataclass(frozen=True, eq=False)
class OCResult:
    """An O-C diagram with its fitted models.

    Attributes
    ----------
    data : astropy.table.Table
        The minima used: ``cycle``, ``kind``, ``time`` (full JD), ``time_err``,
        ``o_c`` (against the reference ephemeris), ``method``.
    epoch, period : float
        Reference ephemeris ``T0`` (full JD) and ``P`` (d) of the O-C.
    reference : str
        ``"given"`` or ``"fitted"`` (the linear fit to the minima).
    models : dict
        Name -> :class:`OCModel`.
    criterion : str
        ``"bic"`` or ``"aic"``, for :attr:`best`.
    meta : dict
        ``time_system``, ``name``, ``method``, ``kind``, minima left out and why.
    """

    data: object = field(repr=False)
    epoch: float
    period: float
    reference: str
    models: dict = field(repr=False)
    criterion: str = "bic"
    meta: dict = field(default_factory=dict, repr=False)

    @property
    def best(self) -> OCModel:
        """The model with the lowest :attr:`criterion`."""
        return min(self.models.values(), key=lambda m: getattr(m, self.criterion))

    def comparison(self):
        """Models side by side: ``k``, ``chi2``, ``chi2_red``, AIC, AICc, BIC, differences."""
        from astropy.table import Table

        rows = [
            (m.name, m.k, m.chi2, m.chi2_red, m.aic, m.aicc, m.bic) for m in self.models.values()
        ]
        tab = Table(rows=rows, names=("model", "k", "chi2", "chi2_red", "aic", "aicc", "bic"))
        for c in ("aic", "bic"):
            tab[f"d{c}"] = tab[c] - np.min(tab[c])
        tab.meta["best"] = self.best.name
        tab.meta["criterion"] = self.criterion
        return tab

    def to_table(self):
        """Parameters and derived quantities of every model: ``model, name, value, error``."""
        from astropy.table import Table

        rows = []
        for m in self.models.values():
            rows += [(m.name, k, float(v), float(m.errors[k])) for k, v in m.params.items()]
            rows += [(m.name, k, float(v), float(e)) for k, (v, e) in m.derived.items()]
        tab = Table(rows=rows, names=("model", "name", "value", "error"))
        tab.meta.update(self.meta)
        tab.meta.update({"epoch": self.epoch, "period": self.period, "best": self.best.name})
        return tab

    def summary(self) -> str:
        """Readable report: the reference ephemeris, every model, the best."""
        system = self.meta.get("time_system", "JD")
        lines = [
            (
                f"O-C of {self.meta.get('name') or 'minima'}: {len(self.data)} minima "
                f"({self.meta.get('kind', 'both')}; method {self.meta.get('method')}), "
                f"{self.reference} ephemeris T0 = {system} {self.epoch:.6f}, "
                f"P = {self.period:.9f} d"
            ),
        ]
        if self.meta.get("excluded"):
            lines.append(f"  left out: {self.meta['excluded']}")
        for m in self.models.values():
            mark = " <- best" if m is self.best else ""
            lines.append(
                f"  {m.name}: k={m.k}, chi2={m.chi2:.4g}, chi2/dof={m.chi2_red:.3g}, "
                f"AIC={m.aic:.5g}, BIC={m.bic:.5g}{mark}"
            )
            for key, (v, e) in m.derived.items():
                lines.append(f"    {key:>9s} = {v:.10g} +- {e:.2g}")
        return "\n".join(lines)

    def plot(self, ax=None, **kwargs):
        """:func:`plot_oc` of this result."""
        return plot_oc(self, ax=ax, **kwargs)


@dataclass(frozen=True, eq=False)
class SeparateOC:
    """Primary and secondary O-C fitted separately (``fit_oc(..., kind="separate")``).

    Apsidal motion makes the two drift apart: their linear periods differ.
    """

    primary: OCResult
    secondary: OCResult

    @property
    def period_difference(self) -> tuple[float, float]:
        """``P_I - P_II`` of the linear models (d) and its error."""
        a, b = self.primary.models["linear"], self.secondary.models["linear"]
        d = a.derived["P"][0] - b.derived["P"][0]
        return float(d), float(np.hypot(a.derived["P"][1], b.derived["P"][1]))

    def summary(self) -> str:
        """Both reports and the period difference."""
        d, e = self.period_difference
        return "\n".join(
            [
                "Min I:",
                self.primary.summary(),
                "Min II:",
                self.secondary.summary(),
                f"P_I - P_II = {d:.3g} +- {e:.2g} d ({abs(d) / e if e > 0 else np.inf:.1f} sigma)",
            ]
        )


# ----------------------------------------------------------------------------------
# the data
# ----------------------------------------------------------------------------------
def _column(table, names):
    low = {c.lower(): c for c in table.colnames}
    for n in names:
        if n in low:
            return low[n]
    return None


def _strings(col):
    out = []
    for v in col:
        if v is np.ma.masked or v is None:
            out.append("")
        else:
            out.append(v.decode() if isinstance(v, bytes) else str(v))
    return np.array(out, dtype=object)


def _prepare(minima, period, epoch, kind, method, exclude_flagged):
    """The minima to fit: cycles, kinds, times, errors; the reference ephemeris if given."""
    from astropy.table import Table

    if isinstance(minima, (str, Path)):
        minima = read_minima(minima)
    if not isinstance(minima, Table):
        try:
            minima = Table(minima)
        except Exception as exc:  # noqa: BLE001 - anything that is not a table
            raise InputError(f"fit_oc: minima must be a table of times of minima ({exc})") from None
    where = minima.meta.get("source") or minima.meta.get("name") or "fit_oc"
    c_time = _column(minima, ("time", "t_min", "tmin", "bjd", "hjd", "jd"))
    c_err = _column(minima, ("time_err", "e_tmin", "error", "err", "sigma"))
    if c_time is None or c_err is None:
        raise InputError(
            f"{where}: a table of minima needs time and time_err columns, got {minima.colnames}"
        )
    time = np.asarray(np.ma.filled(np.ma.asarray(minima[c_time], float), np.nan), float)
    err = np.asarray(np.ma.filled(np.ma.asarray(minima[c_err], float), np.nan), float)
    n_in = time.size
    c_kind = _column(minima, ("kind", "type"))
    kinds = _strings(minima[c_kind]) if c_kind else np.array([""] * n_in, dtype=object)
    kinds = np.array([k.strip().upper() for k in kinds], dtype=object)
    bad_kind = [k for k in kinds if k not in ("I", "II", "")]
    if bad_kind:
        raise InputError(f"{where}: kind must be I or II, got {bad_kind[0]!r}")
    c_method = _column(minima, ("method",))
    methods = _strings(minima[c_method]) if c_method else np.array(["-"] * n_in, dtype=object)
    c_flags = _column(minima, ("flags",))
    flags = _strings(minima[c_flags]) if c_flags else np.array([""] * n_in, dtype=object)
    c_cycle = _column(minima, ("cycle", "e", "epoch"))
    cycles = (
        np.asarray(np.ma.filled(np.ma.asarray(minima[c_cycle], float), np.nan), float)
        if c_cycle
        else None
    )
    present = [m for m in dict.fromkeys(methods) if m]
    if method is None:
        ranked = [m for m in METHOD_ORDER if m in present]
        method = ranked[0] if ranked else (present[0] if present else "-")
    elif method not in present:
        raise InputError(f"{where}: no minima by method {method!r} (methods: {present})")
    keep = methods == method
    excluded = {}

    def drop(mask, reason):
        n = int(np.sum(keep & mask))
        if n:
            excluded[reason] = excluded.get(reason, 0) + n
        return keep & ~mask

    keep = drop(~np.isfinite(time), "no time")
    keep = drop(~(np.isfinite(err) & (err > 0)), "no error")
    if exclude_flagged:
        flagged = np.array(
            [any(f and f not in BENIGN_FLAGS for f in str(x).split("; ")) for x in flags]
        )
        keep = drop(flagged, "flagged")
    if kind in ("I", "II"):
        keep = drop(kinds != kind, "other kind") if c_kind else keep
    time, err, kinds, flags = time[keep], err[keep], kinds[keep], flags[keep]
    cycles = cycles[keep] if cycles is not None else None
    P = period if period is not None else minima.meta.get("period")
    T0 = epoch if epoch is not None else minima.meta.get("epoch")
    if P is not None:
        P = float(P)
        if not (np.isfinite(P) and P > 0):
            raise InputError(f"{where}: period must be positive and finite, got {P}")
    if T0 is not None:
        T0 = float(T0)
        if not np.isfinite(T0):
            raise InputError(f"{where}: epoch must be finite, got {T0}")
    if period is not None or epoch is not None or cycles is None:
        if P is None or T0 is None:
            raise InputError(
                f"{where}: the minima have no cycle numbers; give period= and epoch= "
                "(or a table with them in its meta)"
            )
        cycles, kinds = _count_cycles(time, kinds, P, T0)
    kinds = np.where(kinds == "", np.where(np.mod(cycles, 1.0) == 0, "I", "II"), kinds)
    if kind in ("I", "II"):
        sel = kinds == kind
        time, err, kinds, cycles, flags = time[sel], err[sel], kinds[sel], cycles[sel], flags[sel]
    data = {"cycle": cycles, "kind": kinds.astype(str), "time": time, "time_err": err}
    meta = {
        "name": minima.meta.get("name"),
        "time_system": minima.meta.get("time_system", "JD"),
        "method": method,
        "excluded": excluded,
        "n_input": n_in,
    }
    given = (T0, P) if (period is not None and epoch is not None) else None
    return data, meta, given, where


def _count_cycles(time, kinds, P, T0):
    """Cycle numbers from an ephemeris: integers for Min I, half-integers for Min II."""
    x = (time - T0) / P
    nearest_half = np.round(2 * x) / 2
    out = np.where(
        kinds == "I", np.round(x), np.where(kinds == "II", np.floor(x) + 0.5, nearest_half)
    )
    kinds = np.where(np.mod(out, 1.0) == 0, "I", "II")
    return out, kinds.astype(object)


# ----------------------------------------------------------------------------------
# the models
# ----------------------------------------------------------------------------------
def _stats(chi2, n, k, err):
    return fit_statistics(chi2, n, k, float(np.mean(1.0 / err**2)))


def _scaled(cov_unscaled, chi2, dof, scale):
    return cov_unscaled * (chi2 / dof if scale and dof > 0 else 1.0)


def _derived_errors(func, q, cov, steps):
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


def _fit_polynomial(name, data, T0, P, degree, secondary_offset, scale):
    E, oc, err = data["cycle"], data["o_c"], data["time_err"]
    cols = [E**j for j in range(degree + 1)]
    names = ["dT0", "dP", "Q"][: degree + 1]
    if secondary_offset:
        cols.append((data["kind"] == "II").astype(float))
        names.append("dT_II")
    X = np.vstack(cols)
    sol = solve_linear(X, oc, err, transposed=True)
    n, k = E.size, X.shape[0]
    cov = _scaled(sol.covariance_unscaled, sol.chi2, n - k, scale)
    q = sol.params
    se = np.sqrt(np.clip(np.diag(cov), 0, None))

    def derived(v):
        out = {"T0": T0 + v[0], "P": P + v[1]}
        if degree == 2:
            out["dP/dE"] = 2.0 * v[2]
            out["dP/dt"] = 2.0 * v[2] / P * YEAR
        return out

    steps = np.where(se > 0, se * 1e-3, 1e-9)
    st = _stats(sol.chi2, n, k, err)

    def predict(cycle, time, v=q):
        return sum(v[j] * cycle**j for j in range(degree + 1))

    return OCModel(
        name=name,
        params=dict(zip(names, (float(v) for v in q), strict=True)),
        errors=dict(zip(names, (float(v) for v in se), strict=True)),
        derived=_derived_errors(derived, q, cov, steps),
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


def _ltte_design(E, t, q_nl, t_ref, secondary):
    """Linear columns ``1, E, [II], tau(K=1)`` at the non-linear ``(P3, h, k, lambda)``."""
    tau = _ltte_internal(t, np.concatenate([[1.0], q_nl]), t_ref)
    cols = [np.ones_like(E), E]
    if secondary is not None:
        cols.append(secondary)
    cols.append(tau)
    return np.vstack(cols)


def _fit_ltte(data, T0, P, secondary_offset, scale):
    from scipy.optimize import least_squares

    E, t, oc, err = data["cycle"], data["time"], data["o_c"], data["time_err"]
    n = E.size
    sec = (data["kind"] == "II").astype(float) if secondary_offset else None
    n_lin = 3 + (sec is not None)
    t_ref = float(np.round(np.mean(t), 1))
    span = float(t.max() - t.min())
    gaps = np.diff(np.sort(t))
    p_min = max(20.0 * P, 2.0 * span / max(n, 1), float(np.median(gaps)) * 2 if gaps.size else 0)
    p_max = 2.0 * span
    if p_min >= p_max:
        raise NavfitError(f"the minima span {span:.4g} d: too short for a light-time orbit")
    # 1: circular orbits on a frequency grid (variable projection, the linear core)
    freqs = np.arange(1.0 / p_max, 1.0 / p_min, 1.0 / (LTTE_OVERSAMPLING * span))
    chi = np.empty(freqs.size)
    for i, f in enumerate(freqs):
        w = 2 * np.pi * f * (t - t_ref)
        cols = [np.ones_like(E), E] + ([sec] if sec is not None else []) + [np.sin(w), np.cos(w)]
        chi[i] = solve_linear(np.vstack(cols), oc, err, transposed=True).chi2
    order = np.argsort(chi)
    peaks = []
    for i in order:
        if all(abs(freqs[i] - freqs[j]) > 1.0 / span for j in peaks):
            peaks.append(i)
        if len(peaks) >= LTTE_PEAKS:
            break
    # 2: eccentric orbits around each peak: e, omega, mean longitude on a grid
    starts = []
    angles = np.arange(LTTE_ANGLES) * 2 * np.pi / LTTE_ANGLES
    for i in peaks:
        P3 = 1.0 / freqs[i]
        for e in LTTE_ECCENTRICITIES:
            for w in angles if e > 0 else angles[:1]:
                for lam in angles:
                    q_nl = np.array([P3, e * np.cos(w), e * np.sin(w), lam])
                    sol = solve_linear(
                        _ltte_design(E, t, q_nl, t_ref, sec), oc, err, transposed=True
                    )
                    if sol.params[-1] > 0:
                        starts.append((sol.chi2, q_nl, sol.params))
    starts.sort(key=lambda s: s[0])
    if not starts:
        raise NavfitError("no light-time orbit improves on the linear ephemeris")
    # 3: all parameters by least squares from the best starts
    lo = np.array(
        [-np.inf, -np.inf]
        + [-np.inf] * (sec is not None)
        + [0.0, 0.5 * p_min, -LTTE_MAX_E, -LTTE_MAX_E, -np.inf]
    )
    hi = np.array(
        [np.inf, np.inf]
        + [np.inf] * (sec is not None)
        + [np.inf, 3.0 * span, LTTE_MAX_E, LTTE_MAX_E, np.inf]
    )

    def unpack(x):
        lin = x[: n_lin - 1]
        q = x[n_lin - 1 :]
        return lin, q

    def model(x):
        lin, q = unpack(x)
        if np.hypot(q[2], q[3]) >= LTTE_E_LIMIT:
            return np.full(n, np.inf)
        out = lin[0] + lin[1] * E + (lin[2] * sec if sec is not None else 0.0)
        return out + _ltte_internal(t, q, t_ref)

    def resid(x):
        r = (oc - model(x)) / err
        return np.where(np.isfinite(r), r, 1e6)

    best = None
    for _, q_nl, lin in starts[:5]:
        x0 = np.concatenate([lin[:-1], [lin[-1]], q_nl])
        x0 = np.clip(x0, lo + 1e-12, hi - 1e-12)
        res = least_squares(
            resid,
            x0,
            bounds=(lo, hi),
            x_scale="jac",
            method="trf",
            xtol=1e-12,
            ftol=1e-12,
            gtol=1e-12,
            max_nfev=2000,
        )
        if best is None or res.cost < best.cost:
            best = res
    x = best.x
    # covariance from the Jacobian at the optimum, through the linear core
    scale_x = np.maximum(np.abs(x), 1e-8) * 1e-6
    J = np.empty((x.size, n))
    for j in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp[j] += scale_x[j]
        xm[j] -= scale_x[j]
        J[j] = (model(xp) - model(xm)) / (2 * scale_x[j])
    r = oc - model(x)
    lin_sol = solve_linear(J, r, err, transposed=True)
    chi2 = float(np.sum((r / err) ** 2))
    k = x.size
    cov = _scaled(lin_sol.covariance_unscaled, chi2, n - k, scale)
    names = (
        ["dT0", "dP"]
        + (["dT_II"] if sec is not None else [])
        + ["asini_c", "P3", "e_cos_w", "e_sin_w", "lambda"]
    )
    se = np.sqrt(np.clip(np.diag(cov), 0, None))

    def derived(v):
        K, P3, e, omega, t_peri = _ltte_from_internal(v[n_lin - 1 :], t_ref)
        return {
            "T0": T0 + v[0],
            "P": P + v[1],
            "amplitude": K * np.sqrt(1.0 - (e * np.cos(omega)) ** 2),
            "P3": P3,
            "e": e,
            "omega": np.degrees(omega) % 360.0,
            "T_peri": t_peri,
            "a12sini": K / AU_LIGHT_DAYS,
            "f(m3)": (K / AU_LIGHT_DAYS) ** 3 / (P3 / YEAR) ** 2,
        }

    steps = np.where(se > 0, se * 1e-3, 1e-9)
    st = _stats(chi2, n, k, err)

    def predict(cycle, time, v=x):
        lin, q = unpack(v)
        return lin[0] + lin[1] * cycle + _ltte_internal(time, q, t_ref)

    return OCModel(
        name="ltte",
        params=dict(zip(names, (float(v) for v in x), strict=True)),
        errors=dict(zip(names, (float(v) for v in se), strict=True)),
        derived=_derived_errors(derived, x, cov, steps),
        covariance=cov,
        chi2=chi2,
        n=n,
        k=k,
        aic=st["aic"],
        aicc=st["aicc"],
        bic=st["bic"],
        residuals=r,
        info={"t_ref": t_ref, "period_range": (p_min, p_max), "status": int(best.status)},
        _predict=predict,
    )


# ----------------------------------------------------------------------------------
# fit_oc
# ----------------------------------------------------------------------------------
def fit_oc(
    minima,
    *,
    period: float | None = None,
    epoch: float | None = None,
    models=MODELS,
    kind: str = "both",
    method: str | None = None,
    criterion: str = "bic",
    secondary_offset: bool = False,
    exclude_flagged: bool = True,
    scale_errors: bool = True,
):
    """Fit O-C models to times of minima.

    Parameters
    ----------
    minima : astropy.table.Table or path
        :func:`navfit.times_of_minima` output (or a file of it, or IBVS lines,
        see :func:`read_minima`): columns ``time`` (full JD), ``time_err`` and,
        optionally, ``kind``, ``cycle``, ``method``, ``flags``.
    period, epoch : float, optional
        The linear ephemeris ``T = epoch + period * E`` the O-C is computed
        against (epoch a full JD); cycles are counted from it. Not given: the
        cycles of the table (or those from its meta ephemeris) and a linear
        ephemeris fitted to the minima.
    models : sequence of {"linear", "quadratic", "ltte"}
        Models to fit. ``ltte`` needs at least 8 minima.
    kind : {"both", "I", "II", "separate"}
        Which minima; ``"separate"`` fits primaries and secondaries apart and
        returns a :class:`SeparateOC` (apsidal motion shows as a difference of
        their periods).
    method : str, optional
        For tables with several methods: which one (default the first of
        ``nav``, ``kvw``, ``poly`` present).
    criterion : {"bic", "aic"}
        For :attr:`OCResult.best`.
    secondary_offset : bool
        A free offset of the secondaries in every model (eccentric orbits).
    exclude_flagged : bool
        Leave out minima with flags other than "uneven sampling".
    scale_errors : bool
        Scale the covariances by ``chi2/dof`` (as for every navfit fit);
        ``False`` trusts the timing errors.

    Returns
    -------
    OCResult or SeparateOC

    Raises
    ------
    NavfitError
        Too few minima, bad options, or a table without times and errors
        (the message names the file or table).

    Notes
    -----
    With cycles ``E`` and the reference ephemeris ``T0 + P E``, the O-C
    ``O - C = T - T0 - P E`` is fitted by

    * ``linear``: ``dT0 + dP E`` (the ephemeris is ``T0 + dT0``, ``P + dP``);
    * ``quadratic``: ``dT0 + dP E + Q E^2``, a period change
      ``dP/dE = 2Q``, ``dP/dt = 2Q/P`` (reported in d/yr);
    * ``ltte``: ``dT0 + dP E + tau(T)`` with Irwin's (1952) light-time delay
      :func:`ltte_delay`, fitted as ``a12 sin i / c``, ``P3``,
      ``e cos w``, ``e sin w`` and the mean longitude at the mean time (no
      degeneracy at ``e = 0``); the semi-amplitude
      ``A = a12 sin i / c sqrt(1 - e^2 cos^2 w)``, ``e``, ``omega``, the time of
      periastron, ``a12 sin i`` (au) and the mass function
      ``f(m3) = (a12 sin i)^3 / P3^2`` (au, yr, M_sun) are derived.

    Linear and quadratic models are solved by the least-squares core
    (:func:`navfit.solve_linear`). The LTTE model is searched first on a
    frequency grid of circular orbits (variable projection: the linear terms
    solved exactly by the core at each frequency), then on a grid of
    eccentricities, periastron angles and mean longitudes around the three
    best periods, and refined from the five best starts by
    ``scipy.optimize.least_squares`` (trust region, bounded
    ``e <= 0.95``); its covariance comes from the Jacobian at the optimum
    through the core. Derived errors propagate the full covariance. AIC and
    BIC follow :mod:`navfit.criteria`.
    """
    if kind not in ("both", "I", "II", "separate"):
        raise InputError(f"kind must be 'both', 'I', 'II' or 'separate', got {kind!r}")
    if criterion not in ("bic", "aic"):
        raise InputError(f"criterion must be 'bic' or 'aic', got {criterion!r}")
    models = (models,) if isinstance(models, str) else tuple(models)
    bad = [m for m in models if m not in MODELS]
    if bad or not models:
        raise InputError(f"models must be taken from {MODELS}, got {models!r}")
    if kind == "separate":
        args = {
            "period": period,
            "epoch": epoch,
            "models": models,
            "method": method,
            "criterion": criterion,
            "exclude_flagged": exclude_flagged,
            "scale_errors": scale_errors,
        }
        return SeparateOC(fit_oc(minima, kind="I", **args), fit_oc(minima, kind="II", **args))
    data, meta, given, where = _prepare(minima, period, epoch, kind, method, exclude_flagged)
    E, t, err = data["cycle"], data["time"], data["time_err"]
    n = t.size
    if n < 2 + MIN_DOF:
        raise NavfitError(
            f"{where}: {n} usable minima ({meta['excluded'] or 'none left out'}): "
            f"an O-C fit needs at least {2 + MIN_DOF}"
        )
    if given is None:
        sol = solve_linear(np.vstack([np.ones(n), E]), t, err, transposed=True)
        T0, P = float(sol.params[0]), float(sol.params[1])
        reference = "fitted"
    else:
        T0, P = given
        reference = "given"
    data["o_c"] = t - (T0 + P * E)
    fitted = {}
    for name in models:
        k = {"linear": 2, "quadratic": 3, "ltte": 7}[name] + int(secondary_offset)
        if n < k + MIN_DOF:
            meta.setdefault("skipped", {})[name] = f"{n} minima for {k} parameters"
            continue
        if name == "ltte":
            try:
                fitted[name] = _fit_ltte(data, T0, P, secondary_offset, scale_errors)
            except NavfitError as exc:
                meta.setdefault("skipped", {})[name] = str(exc)
        else:
            degree = 1 if name == "linear" else 2
            fitted[name] = _fit_polynomial(
                name, data, T0, P, degree, secondary_offset, scale_errors
            )
    if not fitted:
        raise NavfitError(f"{where}: no O-C model could be fitted ({meta.get('skipped')})")
    from astropy.table import Table

    table = Table({key: data[key] for key in ("cycle", "kind", "time", "time_err", "o_c")})
    table["method"] = meta["method"]
    for m in fitted.values():
        table[f"res_{m.name}"] = m.residuals
    table.meta.update({k: v for k, v in meta.items() if k != "excluded"})
    meta["kind"] = kind
    return OCResult(table, T0, P, reference, fitted, criterion, meta)


# ----------------------------------------------------------------------------------
# IBVS/CDS lines, files, plot
# ----------------------------------------------------------------------------------
#: Byte-by-byte description of the lines of :func:`minima_lines` (CDS ReadMe style).
CDS_BYTE_BY_BYTE = """\
Byte-by-byte Description of file: minima.dat
--------------------------------------------------------------------------------
   Bytes Format Units   Label   Explanations
--------------------------------------------------------------------------------
   1- 20  A20   ---     Name    Star name
  22- 34  F13.6 d       Tmin    Time of minimum, JD - 2400000 (time system in
                                 the header: BJD, HJD or JD)
  36- 44  F9.6  d     e_Tmin    1-sigma error of Tmin
  46- 47  A2    ---     Type    [I/II] Primary (I) or secondary (II) minimum
  49- 54  A6    ---     Filter  Passband
  56-120  A65   ---     Rem     Method (KvW = Kwee-van Woerden with Deeg's
                                 error, NAV = NAV-profile fit, poly =
                                 polynomial) and flags
--------------------------------------------------------------------------------
"""
_LABELS = {"kvw": "KvW", "nav": "NAV", "poly": "poly"}
_JD0 = 2400000.0


def minima_lines(minima, *, name=None, band=None, header=True, flagged=False):
    """IBVS/CDS-style fixed-width lines of times of minima.

    Parameters
    ----------
    minima : astropy.table.Table
        :func:`navfit.times_of_minima` output (one row per minimum and method).
    name, band : str, optional
        Star name and passband (default: the table's meta).
    header : bool
        Start with ``#`` lines naming the time system and the columns.
    flagged : bool
        Also write flagged minima (their flags go into the remark); untimed
        rows are never written.

    Returns
    -------
    list of str
        One line per timed minimum and method, in the layout of
        :data:`CDS_BYTE_BY_BYTE`: ``Name, Tmin (JD - 2400000), e_Tmin, Type,
        Filter, Rem``. The header names the time system and the ephemeris of
        the cycle numbers (full JD), which :func:`read_minima` reads back.
    """
    meta = minima.meta
    name = str(name or meta.get("name") or "star")
    band = str(band or meta.get("band") or "-")
    system = meta.get("time_system") or "JD"
    out = []
    if header:
        out.append(f"# Times of minima of {name}; Tmin = {system} - 2400000 (d); navfit")
        if meta.get("period") and meta.get("epoch"):
            out.append(
                f"# Ephemeris: Min I = {float(meta['epoch']):.6f} + {float(meta['period']):.9f} E"
            )
        out.append("# Name                 Tmin         e_Tmin  Ty Filter Rem")
    flags = _strings(minima["flags"]) if "flags" in minima.colnames else [""] * len(minima)
    methods = _strings(minima["method"]) if "method" in minima.colnames else ["-"] * len(minima)
    for row, f, m in zip(minima, flags, methods, strict=True):
        t, e = float(row["time"]), float(row["time_err"])
        if not np.isfinite(t) or (
            f and not flagged and any(x not in BENIGN_FLAGS for x in f.split("; "))
        ):
            continue
        err = f"{e:9.6f}" if np.isfinite(e) and e < 100 else " " * 9
        rem = _LABELS.get(m, m) + (f"; {f}" if f else "")
        out.append(
            f"{name[:20]:<20s} {t - _JD0:13.6f} {err} {row['kind']:<2s} {band[:6]:<6s} {rem}"
        )
    return out


def read_minima(path):
    """Read times of minima: ECSV/CSV tables or the lines of :func:`minima_lines`.

    Returns
    -------
    astropy.table.Table
        ``time`` (full JD), ``time_err``, ``kind`` and, when present,
        ``cycle``, ``method``, ``flags``, with the file in ``meta["source"]``.

    Raises
    ------
    InputError
        A missing or unreadable file (named in the message).
    """
    from astropy.table import Table

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    suffix = path.suffix.lower()
    try:
        if suffix == ".ecsv":
            table = Table.read(path, format="ascii.ecsv")
        elif suffix == ".csv":
            table = Table.read(path, format="ascii.csv")
        else:
            table = _read_lines(path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file, one message
        raise InputError(f"{path}: not a table of minima ({' '.join(str(exc).split())})") from None
    table.meta["source"] = str(path)
    return table


def _read_lines(path):
    from astropy.table import Table

    rows, meta = [], {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#"):
            if "Tmin =" in line and "Times of minima of" in line:
                meta["time_system"] = line.split("Tmin =")[1].split("-")[0].strip()
                meta["name"] = line.split("Times of minima of")[1].split(";")[0].strip()
            elif line.startswith("# Ephemeris: Min I ="):
                parts = line.split("=")[1].replace("E", " ").split("+")
                try:
                    meta["epoch"], meta["period"] = float(parts[0]), float(parts[1])
                except (ValueError, IndexError):
                    raise InputError(f"{path}: line {i}: unreadable ephemeris") from None
            continue
        if not line.strip():
            continue
        try:
            tmin = float(line[21:34]) + _JD0
            err = float(line[35:44]) if line[35:44].strip() else np.nan
        except ValueError:
            raise InputError(
                f"{path}: line {i} is not a minima line (Tmin in bytes 22-34, e_Tmin in 36-44)"
            ) from None
        kind = line[45:47].strip()
        rem = line[55:].strip()
        method, _, flags = rem.partition(";")
        label = {v: k for k, v in _LABELS.items()}.get(method.strip(), method.strip())
        rows.append((line[:20].strip(), tmin, err, kind, line[48:54].strip(), label, flags.strip()))
    if not rows:
        raise InputError(f"{path}: no minima lines")
    table = Table(rows=rows, names=("name", "time", "time_err", "kind", "band", "method", "flags"))
    table.meta.update(meta)
    return table


def plot_oc(result, ax=None, *, model=None, residuals=True, others=True):
    """Draw an O-C diagram with the fitted model and its residuals.

    Parameters
    ----------
    result : OCResult
    ax : matplotlib Axes or pair of Axes, optional
        Where to draw: one Axes for the O-C alone, two for O-C and residuals;
        default a new figure with both.
    model : str, optional
        Model drawn and whose residuals are shown (default :attr:`OCResult.best`).
    residuals : bool
        Draw the residual panel (needs two Axes or ``ax=None``).
    others : bool
        Also draw the other models, thin and dashed.

    Returns
    -------
    tuple of Axes
    """
    import matplotlib.pyplot as plt

    chosen = result.models[model] if model else result.best
    if ax is None:
        if residuals:
            fig, axes = plt.subplots(
                2, 1, sharex=True, figsize=(7, 5), gridspec_kw={"height_ratios": (3, 1)}
            )
        else:
            fig, axes = plt.subplots(figsize=(7, 4))
            axes = (axes,)
        fig.subplots_adjust(hspace=0.05, left=0.15)
    else:
        axes = tuple(np.atleast_1d(ax))
    d = result.data
    E = np.asarray(d["cycle"], float)
    grid = np.linspace(E.min(), E.max(), 600)
    t_grid = result.epoch + result.period * grid
    for kind, marker, face in (("I", "o", None), ("II", "o", "none")):
        sel = np.asarray(d["kind"]) == kind
        if np.any(sel):
            for a, y in zip(axes, (d["o_c"], d[f"res_{chosen.name}"]), strict=False):
                a.errorbar(
                    E[sel],
                    np.asarray(y)[sel],
                    np.asarray(d["time_err"])[sel],
                    fmt=marker,
                    ms=4,
                    mfc=face,
                    color="k",
                    ecolor="0.6",
                    lw=0.8,
                    label=f"Min {kind}" if a is axes[0] else None,
                )
    for m in result.models.values():
        if m is chosen or others:
            style = {"lw": 1.8, "color": "C3"} if m is chosen else {"lw": 0.8, "ls": "--"}
            axes[0].plot(grid, m.evaluate(grid, t_grid), label=m.name, **style)
    axes[0].set_ylabel("O - C (d)")
    axes[0].legend(fontsize=8)
    system = result.meta.get("time_system", "JD")
    axes[0].set_title(
        f"{result.meta.get('name') or ''} O-C, T0 = {system} {result.epoch:.5f}, "
        f"P = {result.period:.8f} d",
        fontsize=9,
    )
    if len(axes) > 1:
        axes[1].axhline(0.0, color="C3", lw=1)
        axes[1].set_ylabel("residual (d)")
    axes[-1].set_xlabel("cycle E")
    return axes
