"""Fitting an O-C diagram: :func:`fit_oc` and its results.

:func:`fit_oc` reads a table of times of minima (the cycles, kinds and
errors, the minima of one method, the flagged ones left out), computes the
O-C against a given or fitted linear ephemeris and fits the linear and
quadratic models (:mod:`navfit.timing.oc_models`) and the light-time model
(:mod:`navfit.timing.ltte`); :class:`OCResult` compares them,
:class:`SeparateOC` holds primaries and secondaries fitted apart.

References
----------
Sterken C., 2005, ASP Conf. Ser. 335, 3 (O-C diagrams).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .._checks import MAX_TIME_SPAN, check_number
from ..catalogue import decimals_for
from ..errors import InputError, NavfitError
from ..lsq import solve_linear
from .common import BENIGN_FLAGS
from .ltte import fit_ltte
from .oc_lines import read_minima, text_column
from .oc_models import OCModel, fit_polynomial
from .oc_plot import plot_oc

__all__ = ["METHOD_ORDER", "MIN_DOF", "MODELS", "OCResult", "SeparateOC", "fit_oc"]

MODELS = ("linear", "quadratic", "ltte")
#: Preferred method when a table holds several.
METHOD_ORDER = ("nav", "kvw", "poly")
#: Fewest minima for a model with ``k`` parameters: ``k + MIN_DOF``.
MIN_DOF = 1


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
                unit = f" ({system})" if key in TIMES else f" {UNITS[key]}" if key in UNITS else ""
                lines.append(f"    {key:>9s} = {_rounded(v, e)} +- {e:.2g}{unit}")
            lines += [f"    flag: {flag}" for flag in m.info.get("flags", ())]
        return "\n".join(lines)

    def plot(self, ax=None, **kwargs):
        """:func:`plot_oc` of this result."""
        return plot_oc(self, ax=ax, **kwargs)


#: Derived quantities of the O-C models that are times: full Julian dates in the
#: minima's own time system (:meth:`OCResult.summary` names it).
TIMES = ("T0", "T_peri")
#: Units of the other derived quantities of the O-C models in :meth:`OCResult.summary`.
UNITS = {
    "P": "d",
    "P3": "d",
    "dP/dt": "d/yr",
    "dP/dE": "d/cycle",
    "amplitude": "d",
    "omega": "deg",
    "a12sini": "au",
    "f(m3)": "Msun",
}


def _rounded(value, error):
    """``value`` to the decimal places of its ``error`` (PDG rule), scientific where tiny."""
    places = decimals_for(error, 6)
    if value != 0 and abs(value) < 1e-3 and 0 < error < 1e-3:  # a rate: its digits, not zeros
        return f"{value:.{max(0, places + math.floor(math.log10(abs(value))))}e}"
    return f"{value:.{places}f}" if places <= 12 else f"{value:.4e}"


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
    if n_in == 0:
        raise InputError(f"{where}: the table of minima has no rows")
    c_kind = _column(minima, ("kind", "type"))
    kinds = text_column(minima[c_kind]) if c_kind else np.array([""] * n_in, dtype=object)
    kinds = np.array([k.strip().upper() for k in kinds], dtype=object)
    bad_kind = [k for k in kinds if k not in ("I", "II", "")]
    if bad_kind:
        raise InputError(f"{where}: kind must be I or II, got {bad_kind[0]!r}")
    c_method = _column(minima, ("method",))
    methods = text_column(minima[c_method]) if c_method else np.array(["-"] * n_in, dtype=object)
    c_flags = _column(minima, ("flags",))
    flags = text_column(minima[c_flags]) if c_flags else np.array([""] * n_in, dtype=object)
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
    P, T0 = _checked_ephemeris(P, T0, time, where)
    if period is not None or epoch is not None or cycles is None:
        if P is None or T0 is None:
            raise InputError(
                f"{where}: the minima have no cycle numbers; give period= and epoch= "
                "(--period and --epoch), or a table with them in its meta as 'navfit minima' "
                "writes it (a light curve is timed by 'navfit minima' first)"
            )
        cycles, kinds = _count_cycles(time, kinds, P, T0)
    kinds = np.where(kinds == "", np.where(np.mod(cycles, 1.0) == 0, "I", "II"), kinds)
    if kind in ("I", "II"):
        sel = kinds == kind
        time, err, kinds, cycles, flags = time[sel], err[sel], kinds[sel], cycles[sel], flags[sel]
    if np.unique(cycles).size < 2:
        raise InputError(
            f"{where}: the minima usable ({time.size}) fall in fewer than two cycles: "
            "no ephemeris can be fitted"
        )
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


def _checked_ephemeris(P, T0, time, where):
    """The period and epoch given (or ``None``), checked; the epoch in the minima's time system."""
    if P is not None:
        P = check_number(P, "period", where, positive=True)
    if T0 is not None:
        T0 = check_number(T0, "epoch", where)
        gap = abs(float(np.median(time)) - T0) if time.size else 0.0
        if gap > MAX_TIME_SPAN:
            raise InputError(
                f"{where}: the epoch {T0:.10g} lies {gap:.4g} d from the minima (median "
                f"{np.median(time):.10g}): not one time system (JD against MJD or a "
                "reduced date?)"
            )
    return P, T0


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
                fitted[name] = fit_ltte(data, T0, P, secondary_offset, scale_errors)
            except NavfitError as exc:
                meta.setdefault("skipped", {})[name] = str(exc)
        else:
            degree = 1 if name == "linear" else 2
            fitted[name] = fit_polynomial(name, data, T0, P, degree, secondary_offset, scale_errors)
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
