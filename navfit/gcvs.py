"""Catalogue output: GCVS-style fixed-width lines, VSX lines and machine-readable tables.

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

from astropy.table import Table

__all__ = ["UNCERTAIN_LIMITS", "catalogue_table", "format_value", "gcvs_line", "vsx_line"]

#: Absolute error limits above which a value is marked uncertain (":").
UNCERTAIN_LIMITS = {"mag": 0.05, "D": 1.0, "epoch": 0.01, "period_rel": 1e-4}
GCVS_HEADER = (
    f"{'name':<30s} {'type':<10s} {'Max':>8s} {'Min I':>8s} {'Min II':>8s} "
    f"{'band':<5s} {'Epoch':>15s} {'sys':<4s} {'Period':>16s} {'D':>4s}"
)
VSX_FIELDS = ("Name", "Type", "Max", "Min", "Min2", "Band", "Epoch", "Period", "D")


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


def _row(star):
    return star if isinstance(star, dict) else star.to_dict()


def _period_text(period, error, limit):
    """The period rounded to its error; a period given without error (phase-folded data) as given."""
    if period is not None and math.isfinite(period) and (
        error is None or not math.isfinite(error) or error <= 0
    ):
        return f"{period:.10f}".rstrip("0").rstrip(".")
    return format_value(period, error, 7, limit, 10)


def _fields(row):
    mag = UNCERTAIN_LIMITS["mag"]
    period = row.get("period")
    period_err = row.get("period_err")
    p_limit = UNCERTAIN_LIMITS["period_rel"] * period if period else None
    D = row.get("D")
    D_text = ""
    if D is not None and math.isfinite(D):
        D_text = f"{round(D):d}"
        if row.get("D_err") is not None and row["D_err"] > UNCERTAIN_LIMITS["D"]:
            D_text += ":"
    return {
        "max": format_value(row.get("max"), row.get("max_err"), 3, mag, 4),
        "min1": format_value(row.get("min1"), row.get("min1_err"), 3, mag, 4),
        "min2": format_value(row.get("min2"), row.get("min2_err"), 3, mag, 4),
        "epoch": format_value(
            row.get("epoch"), row.get("epoch_err"), 4, UNCERTAIN_LIMITS["epoch"], 6
        ),
        "period": _period_text(period, period_err, p_limit),
        "D": D_text,
    }


def gcvs_line(star) -> str:
    """One GCVS-style fixed-width line for a :class:`~navfit.StarResult` (or its ``to_dict()``).

    Examples
    --------
    A row with the keys of ``StarResult.to_dict()``; Min II has an error above
    0.05 mag, so it is rounded to it and marked uncertain:

    >>> row = {"name": "V1 Ori", "type": "EA", "band": "V", "time_system": "BJD",
    ...        "max": 12.0012, "max_err": 0.0021, "min1": 12.834, "min1_err": 0.004,
    ...        "min2": 12.251, "min2_err": 0.06, "epoch": 2459398.84101,
    ...        "epoch_err": 0.00012, "period": 2.8672004, "period_err": 1.5e-6,
    ...        "D": 8.93, "D_err": 0.04}
    >>> print(gcvs_line(row))
    V1 Ori                         EA          12.0012   12.834   12.25: V       2459398.84101 BJD         2.8672004    9
    """
    row = _row(star) if not hasattr(star, "to_dict") else _star_row(star)
    f = _fields(row)
    band = (row.get("band") or "")[:5]
    system = (row.get("time_system") or "")[:4]
    if system == "phas":  # phase-folded data: no epoch, so no time system either
        system = ""
    kind = row.get("type") or ""
    if kind == "not an eclipsing binary":
        kind = "non-EB"
    return (
        f"{(row.get('name') or '')[:30]:<30s} {kind[:10]:<10s} {f['max']:>8s} "
        f"{f['min1']:>8s} {f['min2']:>8s} {band:<5s} {f['epoch']:>15s} {system:<4s} "
        f"{f['period']:>16s} {f['D']:>4s}"
    )


def _star_row(star):
    """The fields of a StarResult that the lines need (without recursing into to_dict)."""
    best, lc = star.best, star.lc
    d = best.derived
    offset = float(lc.meta.get("time_offset", 0.0))
    eclipser = star.nav is not None and best is star.nav

    def pair(key):
        return d.get(key, (None, None))

    return {
        "name": star.name,
        "type": star.type,
        "max": pair("max")[0],
        "max_err": pair("max")[1],
        "min1": pair("min1")[0],
        "min1_err": pair("min1")[1],
        "min2": pair("min2")[0],
        "min2_err": pair("min2")[1],
        "band": lc.meta.get("band"),
        "epoch": best.epoch + offset,
        "epoch_err": best.epoch_error,
        "time_system": lc.meta.get("time_system"),
        "period": best.period,
        "period_err": best.errors["period"],
        "D": pair("D")[0] if eclipser else None,
        "D_err": pair("D")[1] if eclipser else None,
    }


def vsx_line(star) -> str:
    """One VSX-submission line: ``Name;Type;Max;Min;Min2;Band;Epoch;Period;D`` (``;``-separated).

    Examples
    --------
    >>> row = {"name": "V1 Ori", "type": "EA", "band": "V", "max": 12.0012,
    ...        "max_err": 0.0021, "min1": 12.834, "min1_err": 0.004, "min2": 12.251,
    ...        "min2_err": 0.06, "epoch": 2459398.84101, "epoch_err": 0.00012,
    ...        "period": 2.8672004, "period_err": 1.5e-6, "D": 8.93, "D_err": 0.04}
    >>> vsx_line(row)
    'V1 Ori;EA;12.0012;12.834;12.25:;V;2459398.84101;2.8672004;9'
    """
    row = _star_row(star) if hasattr(star, "to_dict") else _row(star)
    f = _fields(row)
    kind = row.get("type") or ""
    values = (
        row.get("name") or "",
        kind,
        f["max"],
        f["min1"],
        f["min2"],
        row.get("band") or "",
        f["epoch"],
        f["period"],
        f["D"],
    )
    return ";".join(values)


def catalogue_table(stars) -> Table:
    """Machine-readable catalogue: one row per star with every value and its error.

    Accepts :class:`~navfit.StarResult` objects or their ``to_dict()`` output;
    rows with an ``"error"`` key (failed stars in a batch) keep their name,
    file and error message with empty values. Write it with astropy:
    ``table.write("cat.ecsv")``, ``format="ascii.csv"``, ``"fits"``, ``"votable"``.

    Examples
    --------
    >>> good = {"name": "V1 Ori", "type": "EA", "period": 2.8672004, "period_err": 1.5e-6}
    >>> bad = {"name": "V2 Ori", "file": "v2.csv", "error": "v2.csv: no data points"}
    >>> table = catalogue_table([good, bad])
    >>> table["name"].tolist(), table["period"].tolist(), table["n"].tolist()
    (['V1 Ori', 'V2 Ori'], [2.8672004, nan], [-1, -1])
    >>> table["error"].tolist()
    ['', 'v2.csv: no data points']
    """
    columns = (
        "name",
        "file",
        "n",
        "type",
        "period",
        "period_err",
        "epoch",
        "epoch_err",
        "time_system",
        "band",
        "max",
        "max_err",
        "min1",
        "min1_err",
        "min2",
        "min2_err",
        "D",
        "D_err",
        "model",
        "fap",
        "nature",
        "photometric_period",
        "confidence_period",
        "confidence_type",
        "runner_up_period",
        "runner_up_type",
        "nav_k",
        "nav_chi2",
        "nav_bic",
        "tp_order",
        "tp_k",
        "tp_chi2",
        "tp_bic",
        "gcvs",
        "flags",
        "error",
    )
    text = {
        "name",
        "file",
        "type",
        "time_system",
        "band",
        "model",
        "nature",
        "runner_up_type",
        "gcvs",
        "flags",
        "error",
    }
    rows = []
    for star in stars:
        row = _row(star)
        nav = row.get("nav") or {}
        tp = row.get("tp") or {}
        conf = row.get("confidence") or {}
        runner = row.get("runner_up") or {}
        flat = dict(row)
        flat.update(
            {
                "confidence_period": conf.get("period"),
                "confidence_type": conf.get("type"),
                "runner_up_period": runner.get("period"),
                "runner_up_type": runner.get("type"),
                "nav_k": nav.get("k"),
                "nav_chi2": nav.get("chi2"),
                "nav_bic": nav.get("bic"),
                "tp_order": tp.get("order"),
                "tp_k": tp.get("k"),
                "tp_chi2": tp.get("chi2"),
                "tp_bic": tp.get("bic"),
                "flags": "; ".join(row.get("flags") or []),
                "error": row.get("error") or "",
            }
        )
        rows.append(flat)
    data = {}
    for col in columns:
        values = [r.get(col) for r in rows]
        if col in text:
            data[col] = ["" if v is None else str(v) for v in values]
        elif col in ("n", "nav_k", "tp_order", "tp_k"):
            data[col] = [-1 if v is None else int(v) for v in values]
        else:
            data[col] = [math.nan if v is None else float(v) for v in values]
    table = Table(data)
    table.meta["COMMENT"] = [
        "navfit catalogue: NAV/TP fits, periods and GCVS-style types",
        "missing: NaN numbers, -1 counts, empty text",
    ]
    return table
