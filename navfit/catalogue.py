"""The output catalogue: one row type, GCVS and VSX lines, astropy tables and JSON.

A star's catalogue entry is a :class:`CatalogueRow`, built once from a
:class:`~navfit.StarResult` (:meth:`CatalogueRow.from_result`) or read back from
a table row, a batch journal line or JSON (:meth:`CatalogueRow.from_mapping`).
Everything that writes a catalogue reads it: the GCVS-style line
(:func:`gcvs_line`), the VSX line (:func:`vsx_line`), the astropy table
(:func:`catalogue_table`, columns :data:`COLUMNS`), the JSON of
``StarResult.to_dict()`` and the command line's ``navfit table``.

Rounding follows the errors: a value is printed to the decimal of the first
significant digit of its error (two digits when that digit is 1 or 2, the
Particle Data Group convention), never further. Values whose errors exceed the
limits of :data:`UNCERTAIN_LIMITS` get GCVS's ":" after them.

GCVS-style line (one star, fixed width; blank fields where a value is absent)::

    name (30)  type (10)  Max (8)  Min I (8)  Min II (8)  band (5)  Epoch (15) system (4)
    Period (16)  D (4, integer percent of the period)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields, replace

import numpy as np
from astropy.table import Table

from .catalogue_bands import DEPTH_COLUMNS, band_details, band_rows, depth_columns
from .catalogue_values import blank_undetermined, describe_columns, epoch_fields
from .io_time import is_julian_date

__all__ = [
    "COLUMNS",
    "GCVS_HEADER",
    "UNCERTAIN_LIMITS",
    "VSX_FIELDS",
    "CatalogueRow",
    "catalogue_table",
    "format_value",
    "gcvs_line",
    "rows_from_table",
    "vsx_line",
]

#: Absolute error limits above which a value is marked uncertain (":").
UNCERTAIN_LIMITS = {"mag": 0.05, "D": 1.0, "epoch": 0.01, "period_rel": 1e-4}
GCVS_HEADER = (
    f"{'name':<30s} {'type':<10s} {'Max':>8s} {'Min I':>8s} {'Min II':>8s} "
    f"{'band':<5s} {'Epoch':>15s} {'sys':<4s} {'Period':>16s} {'D':>4s}"
)
VSX_FIELDS = ("Name", "Type", "Max", "Min", "Min2", "Band", "Epoch", "Period", "D")
NOT_ECLIPSER_TEXT = "not an eclipsing binary"


def json_number(x) -> float | None:
    """Float for output (JSON, rows): ``None`` for absent, masked, NaN or infinite values.

    Never a silent NaN in the output.
    """
    if x is None or x is np.ma.masked:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _count(x) -> int | None:
    """Count for output: ``None`` for absent or masked values and the table's -1."""
    if x is None or x is np.ma.masked:
        return None
    x = int(x)
    return None if x < 0 else x


def _text(x) -> str | None:
    """Text for output: ``None`` for absent, masked or empty values."""
    if x is None or x is np.ma.masked:
        return None
    x = x.decode() if isinstance(x, bytes) else str(x)
    return x or None


@dataclass(frozen=True)
class CatalogueRow:
    """One star's catalogue entry: the values every output format reads.

    Numbers absent or undefined are ``None`` (never NaN); the table writes them
    as NaN, counts as -1 and text as empty. ``details`` holds what only the JSON
    carries (the classification metrics and reasons, the period decision, the
    runner-up's reason, the TP's sigma0 and the full NAV fit).

    Examples
    --------
    >>> row = CatalogueRow.from_mapping({"name": "V1 Ori", "type": "EA", "period": 2.86720,
    ...                                  "period_err": 2e-5, "tp_order": -1})
    >>> row.period, row.tp_order, row.flags
    (2.8672, None, ())
    >>> row.gcvs_line().split()
    ['V1', 'Ori', 'EA', '2.867200']
    """

    name: str | None = None
    file: str | None = None
    n: int | None = None
    type: str | None = None
    period: float | None = None
    period_err: float | None = None
    epoch: float | None = None
    epoch_err: float | None = None
    epoch_of: str | None = None
    time_system: str | None = None
    band: str | None = None
    max: float | None = None
    max_err: float | None = None
    min1: float | None = None
    min1_err: float | None = None
    min2: float | None = None
    min2_err: float | None = None
    D: float | None = None
    D_err: float | None = None
    model: str | None = None
    fap: float | None = None
    nature: str | None = None
    photometric_period: float | None = None
    confidence_period: float | None = None
    confidence_type: float | None = None
    runner_up_period: float | None = None
    runner_up_type: str | None = None
    nav_k: int | None = None
    nav_chi2: float | None = None
    nav_bic: float | None = None
    tp_order: int | None = None
    tp_k: int | None = None
    tp_chi2: float | None = None
    tp_bic: float | None = None
    flags: tuple[str, ...] = ()
    error: str | None = None
    details: Mapping = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_result(cls, star) -> CatalogueRow:
        """The row of a :class:`~navfit.StarResult` (values of its best fit)."""
        lc, best, decision = star.lc, star.best, star.decision
        d = best.derived
        eclipser = star.type != NOT_ECLIPSER_TEXT  # the type decides (the best fit may be a TP)

        def value(key, i=0):
            return json_number(d[key][i]) if key in d else None

        runner = (decision.runner_up or {}) if decision is not None else {}
        confidence = decision.confidence if decision is not None else {}
        values = {
            "name": star.name,
            "file": star.file,
            "n": int(lc.n),
            "type": star.type,
            "period": best.period,
            "period_err": best.errors["period"],
            "epoch": best.epoch + lc.time_offset,
            "epoch_err": best.epoch_error,
            "time_system": lc.time_system,
            "band": lc.band,
            "fap": star.search.fap,
            "model": best.label,
            "nature": decision.nature if decision is not None else None,
            "photometric_period": decision.photometric_period if decision is not None else None,
            "confidence_period": confidence.get("period"),
            "confidence_type": confidence.get("type"),
            "runner_up_period": runner.get("period"),
            "runner_up_type": runner.get("type"),
            "tp_order": star.tp.info["order"],
            "tp_k": star.tp.k,
            "tp_chi2": star.tp.chi2,
            "tp_bic": star.tp.bic,
            "flags": (*best.flags, *star.search.flags),
        }
        for key in ("max", "min1") + (("min2", "D") if eclipser else ()):
            values[key], values[f"{key}_err"] = value(key), value(key, 1)
        blank_undetermined(values, star.lc, d)
        values.update(epoch_fields(star, eclipser))
        epoch = values["epoch"]
        if not star.phased and epoch is not None and not is_julian_date(epoch):
            why = f"epoch {epoch:.6f} is not a full Julian date: the times' offset is unknown"
            values["flags"] = (*values["flags"], f"{why} (give time_format, e.g. 'hjd-2450000')")
        if star.nav is not None:
            values.update(nav_k=star.nav.k, nav_chi2=star.nav.chi2, nav_bic=star.nav.bic)
        if star.phased:  # folded data: the epoch is the phase of Min I, the period was given
            phase, phase_err = star.epoch_phase()
            values.update(
                time_system="phase",
                period_err=None,
                epoch=phase,
                epoch_err=phase_err,
                epoch_of="Min I",
                fap=None,
            )
        values["details"] = {
            "kind": lc.kind,
            "classification": {
                k: [json_number(v), json_number(e)]
                for k, (v, e) in star.classification.metrics.items()
            },
            "reasons": list(star.classification.reasons),
            "period_decision": star.search.evidence.get("decision"),
            "runner_up_why": runner.get("why"),
            "tp_sigma0": json_number(star.tp.sigma0),
            "nav": _nav_details(star.nav),
            "bands": band_details(star),
        }
        return cls.from_mapping(values)

    @classmethod
    def from_mapping(cls, values: Mapping) -> CatalogueRow:
        """A row from a mapping: ``to_dict()`` JSON, a journal line or a table row.

        Accepts the table's flat columns (``confidence_type``, ``tp_order`` ...)
        and the JSON's nested objects (``confidence``, ``runner_up``, ``tp``,
        ``nav``); the table's missing-value markers (NaN, -1, empty text,
        masked) become ``None``.
        """
        flat = dict(_flatten(values))
        kw = {}
        for f in fields(cls):
            if f.name == "details" or f.name not in flat:
                continue
            raw = flat[f.name]
            if f.name == "flags":
                kw[f.name] = _flags(raw)
            elif f.name in _COUNTS:
                kw[f.name] = _count(raw)
            elif f.name in _TEXT:
                kw[f.name] = _text(raw)
            else:
                kw[f.name] = json_number(raw)
        kw["details"] = dict(values.get("details") or _details_from_json(values))
        return cls(**kw)

    def per_band(self) -> list[CatalogueRow]:
        """One row per band of a multi-band star (:func:`navfit.catalogue_bands.band_rows`).

        Shared name, type, period and epoch; each band's Max, Min I, Min II
        (and depths in ``details["depths"]``). ``[self]`` for a one-band star.
        """
        return [replace(self, **fields) for fields in band_rows(self)] or [self]

    @property
    def failed(self) -> bool:
        """Whether this is the row of a star that could not be analysed."""
        return bool(self.error)

    def to_json(self) -> dict:
        """The JSON object of ``StarResult.to_dict()`` (keys in ``docs/catalogue.rst``)."""
        d = self.details
        nav = d.get("nav")
        return {
            "name": self.name,
            "file": self.file,
            "n": self.n,
            "time_system": self.time_system,
            "band": self.band,
            "kind": d.get("kind"),
            "period": self.period,
            "period_err": self.period_err,
            "epoch": self.epoch,
            "epoch_err": self.epoch_err,
            "epoch_of": self.epoch_of,
            "fap": self.fap,
            "type": self.type,
            **{key: getattr(self, key) for key in _EXTREMA},
            "model": self.model,
            "classification": d.get("classification", {}),
            "reasons": list(d.get("reasons", [])),
            "period_decision": d.get("period_decision"),
            "nature": self.nature,
            "photometric_period": self.photometric_period,
            "confidence": (
                None
                if self.confidence_period is None and self.confidence_type is None
                else {"period": self.confidence_period, "type": self.confidence_type}
            ),
            "runner_up": (
                None
                if self.runner_up_period is None and self.runner_up_type is None
                else {
                    "period": self.runner_up_period,
                    "type": self.runner_up_type,
                    "why": d.get("runner_up_why"),
                }
            ),
            "flags": list(self.flags),
            "tp": None
            if self.tp_order is None
            else {
                "order": self.tp_order,
                "chi2": self.tp_chi2,
                "k": self.tp_k,
                "bic": self.tp_bic,
                "sigma0": d.get("tp_sigma0"),
            },
            "nav": dict(nav) if nav is not None else None,
            **({"bands": dict(d["bands"])} if d.get("bands") else {}),
            "gcvs": self.gcvs_line(),
        }

    def columns(self) -> dict:
        """The table's values: every column of :data:`COLUMNS`, missing values marked."""
        values = asdict(replace(self, details={}))
        values["gcvs"] = "" if self.failed else self.gcvs_line()
        values["flags"] = "; ".join(self.flags)
        out = {}
        for name in COLUMNS:
            v = values[name]
            if name in _TEXT or name in ("gcvs", "flags"):
                out[name] = "" if v is None else str(v)
            elif name in _COUNTS:
                out[name] = -1 if v is None else int(v)
            else:
                out[name] = math.nan if v is None else float(v)
        return out

    def _formatted(self) -> dict:
        """The GCVS fields as text, rounded to their errors."""
        mag = UNCERTAIN_LIMITS["mag"]
        p_limit = UNCERTAIN_LIMITS["period_rel"] * self.period if self.period else None
        D_text = ""
        if self.D is not None:
            D_text = f"{round(self.D):d}"
            if self.D_err is not None and self.D_err > UNCERTAIN_LIMITS["D"]:
                D_text += ":"
        phased = self.time_system == "phase"  # GCVS's Epoch is a Julian date: none here
        # GCVS and VSX give Max and Min in magnitudes: fluxes stay in the table and JSON only
        flux = self.details.get("kind") == "flux"
        return {
            "max": "" if flux else format_value(self.max, self.max_err, 3, mag, 4),
            "min1": "" if flux else format_value(self.min1, self.min1_err, 3, mag, 4),
            "min2": "" if flux else format_value(self.min2, self.min2_err, 3, mag, 4),
            "epoch": ""
            if phased
            else format_value(self.epoch, self.epoch_err, 4, UNCERTAIN_LIMITS["epoch"], 6),
            "period": _period_text(self.period, self.period_err, p_limit),
            "D": D_text,
            "system": "" if phased or self.epoch is None else (self.time_system or "")[:4],
        }

    def gcvs_line(self) -> str:
        """The GCVS-style fixed-width line (see :func:`gcvs_line`)."""
        f = self._formatted()
        kind = self.type or ""
        if kind == NOT_ECLIPSER_TEXT:
            kind = "non-EB"
        return (
            f"{(self.name or '')[:30]:<30s} {kind[:10]:<10s} {f['max']:>8s} "
            f"{f['min1']:>8s} {f['min2']:>8s} {(self.band or '')[:5]:<5s} {f['epoch']:>15s} "
            f"{f['system']:<4s} {f['period']:>16s} {f['D']:>4s}"
        )

    def vsx_line(self) -> str:
        """The VSX-submission line (see :func:`vsx_line`)."""
        f = self._formatted()
        kind = self.type or ""
        values = (
            self.name or "",
            "VAR" if kind == NOT_ECLIPSER_TEXT else kind,
            f["max"],
            f["min1"],
            f["min2"],
            self.band or "",
            f["epoch"],
            f["period"],
            f["D"],
        )
        return ";".join(values)


_EXTREMA = ("max", "max_err", "min1", "min1_err", "min2", "min2_err", "D", "D_err")
_TEXT = {
    "epoch_of",
    "name",
    "file",
    "type",
    "time_system",
    "band",
    "model",
    "nature",
    "runner_up_type",
    "error",
}
_COUNTS = {"n", "nav_k", "tp_order", "tp_k"}
#: The catalogue table's columns, in order (the row's fields and its GCVS line).
COLUMNS = tuple(f.name for f in fields(CatalogueRow) if f.name not in ("flags", "error", "details"))
COLUMNS = (*COLUMNS, "gcvs", "flags", "error")


def _nav_details(nav) -> dict | None:
    """The JSON of a NAV fit (``None`` without one)."""
    if nav is None:
        return None
    return {
        "variant": nav.info.get("variant"),
        "params": {k: json_number(v) for k, v in nav.params.items()},
        "errors": {k: json_number(v) for k, v in nav.errors.items()},
        "derived": {k: [json_number(v), json_number(e)] for k, (v, e) in nav.derived.items()},
        "chi2": json_number(nav.chi2),
        "k": int(nav.k),
        "bic": json_number(nav.bic),
        "sigma0": json_number(nav.sigma0),
        "flags": list(nav.flags),
    }


def _flatten(values: Mapping):
    """(column, value) pairs of a mapping, the JSON's nested objects flattened."""
    for key, value in values.items():
        if key in ("confidence", "runner_up", "tp", "nav") and isinstance(value, Mapping):
            names = {"order": "tp_order"} if key == "tp" else {}
            for sub, v in value.items():
                yield names.get(sub, f"{key}_{sub}"), v
        else:
            yield key, value


def _details_from_json(values: Mapping) -> dict:
    """The JSON-only parts of a ``to_dict()`` mapping (empty for a table row)."""
    tp = values.get("tp") if isinstance(values.get("tp"), Mapping) else {}
    runner = values.get("runner_up") if isinstance(values.get("runner_up"), Mapping) else {}
    out = {
        "kind": values.get("kind"),
        "classification": values.get("classification"),
        "reasons": values.get("reasons"),
        "period_decision": values.get("period_decision"),
        "runner_up_why": runner.get("why"),
        "tp_sigma0": tp.get("sigma0"),
        "nav": values.get("nav") if isinstance(values.get("nav"), Mapping) else None,
        "bands": values.get("bands") if isinstance(values.get("bands"), Mapping) else None,
    }
    return {k: v for k, v in out.items() if v is not None}


def _flags(raw) -> tuple[str, ...]:
    if raw is None or raw is np.ma.masked:
        return ()
    if isinstance(raw, str | bytes):
        text = raw.decode() if isinstance(raw, bytes) else raw
        return tuple(s for s in text.split("; ") if s)
    return tuple(str(s) for s in raw)


def as_row(star) -> CatalogueRow:
    """A :class:`CatalogueRow` from a row, a StarResult or a mapping."""
    if isinstance(star, CatalogueRow):
        return star
    if isinstance(star, Mapping):
        return CatalogueRow.from_mapping(star)
    return CatalogueRow.from_result(star)


def decimals_for(error, default):
    """Decimal places that end at the error's leading digit (two digits if it is 1 or 2)."""
    if error is None or not math.isfinite(error) or error <= 0:
        return default
    exponent = math.floor(math.log10(error))
    lead = int(error / 10**exponent)
    places = -exponent + (1 if lead < 3 else 0)
    return max(0, places)


def format_value(value, error, default=3, limit=None, max_decimals=10):
    """Value rounded to its error, with ":" when the error exceeds ``limit``.

    >>> format_value(12.34567, 0.0042)
    '12.346'
    >>> format_value(2.8673545, 2.7e-06)
    '2.8673545'
    >>> format_value(12.4, 0.4, limit=0.05)
    '12.4:'
    """
    if value is None or not math.isfinite(value):
        return ""
    places = min(decimals_for(error, default), max_decimals)
    text = f"{value:.{places}f}"
    if limit is not None and error is not None and math.isfinite(error) and error > limit:
        text += ":"
    return text


def _period_text(period, error, limit):
    """The period rounded to its error; a period given without error (phase-folded data) as given."""
    if (
        period is not None
        and math.isfinite(period)
        and (error is None or not math.isfinite(error) or error <= 0)
    ):
        return f"{period:.10f}".rstrip("0").rstrip(".")
    return format_value(period, error, 7, limit, 10)


def gcvs_line(star) -> str:
    """One GCVS-style fixed-width line of a star.

    ``star`` is a :class:`~navfit.StarResult`, a :class:`CatalogueRow` or a
    mapping with the keys of ``StarResult.to_dict()`` or the table's columns.

    Examples
    --------
    Min II has an error above 0.05 mag, so it is rounded to it and marked
    uncertain:

    >>> row = {"name": "V1 Ori", "type": "EA", "band": "V", "time_system": "BJD",
    ...        "max": 12.0012, "max_err": 0.0021, "min1": 12.834, "min1_err": 0.004,
    ...        "min2": 12.251, "min2_err": 0.06, "epoch": 2459398.84101,
    ...        "epoch_err": 0.00012, "period": 2.8672004, "period_err": 1.5e-6,
    ...        "D": 8.93, "D_err": 0.04}
    >>> print(gcvs_line(row))
    V1 Ori                         EA          12.0012   12.834   12.25: V       2459398.84101 BJD         2.8672004    9
    """
    return as_row(star).gcvs_line()


def vsx_line(star) -> str:
    """One VSX-submission line: ``Name;Type;Max;Min;Min2;Band;Epoch;Period;D`` (``;``-separated).

    A star that is not an eclipsing binary has VSX's type ``VAR`` (a variable
    of unspecified type): navfit does not classify it further.

    Examples
    --------
    >>> row = {"name": "V1 Ori", "type": "EA", "band": "V", "max": 12.0012,
    ...        "max_err": 0.0021, "min1": 12.834, "min1_err": 0.004, "min2": 12.251,
    ...        "min2_err": 0.06, "epoch": 2459398.84101, "epoch_err": 0.00012,
    ...        "period": 2.8672004, "period_err": 1.5e-6, "D": 8.93, "D_err": 0.04}
    >>> vsx_line(row)
    'V1 Ori;EA;12.0012;12.834;12.25:;V;2459398.84101;2.8672004;9'
    """
    return as_row(star).vsx_line()


def catalogue_table(stars, per_band=False) -> Table:
    """Machine-readable catalogue: one row per star with every value and its error.

    Accepts :class:`~navfit.StarResult` objects, :class:`CatalogueRow` objects or
    mappings (``to_dict()`` output, journal lines); rows with an ``"error"``
    (failed stars in a batch) keep their name, file and error message with
    empty values. Columns: :data:`COLUMNS`, with units (periods in days,
    the epoch in days unless a row is phase-folded, magnitudes
    in mag when every star's are) and descriptions
    (:func:`navfit.catalogue_values.describe_columns`). Write it with astropy:
    ``table.write("cat.ecsv")``, ``format="ascii.csv"``, ``"fits"``, ``"votable"``;
    :func:`rows_from_table` reads the rows back. ``per_band=True`` gives one
    row per band of each multi-band star (:meth:`CatalogueRow.per_band`) and
    the columns ``depth1, depth1_err, depth2, depth2_err``.

    Examples
    --------
    >>> good = {"name": "V1 Ori", "type": "EA", "period": 2.8672004, "period_err": 1.5e-6}
    >>> bad = {"name": "V2 Ori", "file": "v2.csv", "error": "v2.csv: no data points"}
    >>> table = catalogue_table([good, bad])
    >>> table["name"].tolist(), table["period"].tolist(), table["n"].tolist()
    (['V1 Ori', 'V2 Ori'], [2.8672004, nan], [-1, -1])
    >>> table["error"].tolist()
    ['', 'v2.csv: no data points']
    >>> rows_from_table(table)[0] == as_row(good)
    True
    """
    entries = [as_row(s) for s in stars]
    names = (*COLUMNS, *DEPTH_COLUMNS) if per_band else COLUMNS
    if per_band:
        rows = [{**r.columns(), **depth_columns(r)} for e in entries for r in e.per_band()]
    else:
        rows = [e.columns() for e in entries]
    table = Table({name: [r[name] for r in rows] for name in names})
    kinds = [e.details.get("kind") for e in entries if not e.failed]
    describe_columns(table, kinds, {e.time_system for e in entries})
    table.meta["COMMENT"] = [
        "navfit catalogue: NAV/TP fits, periods and GCVS-style types",
        "missing: NaN numbers, -1 counts, empty text",
    ]
    return table


def rows_from_table(table: Table) -> list[CatalogueRow]:
    """The :class:`CatalogueRow` of every row of a catalogue table (as read back from a file).

    Magnitude columns in ``mag`` mark every row's values as magnitudes.
    """
    unit = getattr(table["max"], "unit", None) if "max" in table.colnames else None
    kind = {"kind": "mag"} if unit is not None and str(unit) == "mag" else {}
    return [
        CatalogueRow.from_mapping({**{n: row[n] for n in table.colnames}, **kind}) for row in table
    ]
