"""What a star page shows, as plain data: built from a StarResult and its catalogue row.

The page (:mod:`navfit.report.pages`) is rendered from these dicts alone, so
that its content can be checked without an analysis, and a failed star gets
the same page with the reason in place of the figures.
"""

from __future__ import annotations

from ..catalogue import GCVS_HEADER
from .markup import number

__all__ = ["failed_context", "index_entry", "star_context"]

#: Candidates listed on a star page.
MAX_CANDIDATES = 10


def _gcvs(row: dict) -> str:
    if row.get("gcvs"):
        return str(row["gcvs"])
    from navfit import gcvs_line

    try:
        return gcvs_line(row)
    except Exception:  # noqa: BLE001 - a row without the fields has no line
        return ""


def _base(row: dict, slug: str, context: dict) -> dict:
    """What every page has: identity, navigation, the catalogue's own values."""
    conf = row.get("confidence") or {}
    runner = row.get("runner_up") or {}
    return {
        "slug": slug,
        "name": str(row.get("name") or slug),
        "file": str(row.get("file") or ""),
        "position": context.get("position"),
        "total": context.get("total"),
        "prev": context.get("prev"),
        "next": context.get("next"),
        "report_key": context.get("report_key", ""),
        "uid": context.get("uid") or slug,
        "type": str(row.get("type") or ""),
        "nature": row.get("nature"),
        "period": number(row.get("period")),
        "period_err": number(row.get("period_err")),
        "epoch": number(row.get("epoch")),
        "epoch_err": number(row.get("epoch_err")),
        "epoch_of": row.get("epoch_of"),
        "time_system": row.get("time_system"),
        "band": row.get("band"),
        "n": row.get("n"),
        "model": row.get("model"),
        "fap": number(row.get("fap")),
        "confidence": {k: number(conf.get(k)) for k in ("period", "type")},
        "runner_up": {
            "period": number(runner.get("period")),
            "type": runner.get("type"),
            "why": runner.get("why"),
        }
        if runner
        else None,
        "reasons": list(row.get("reasons") or []),
        "period_decision": row.get("period_decision"),
        "gcvs": _gcvs(row),
        "gcvs_header": GCVS_HEADER,
        "flags": list(row.get("flags") or []),
        "warnings": list(row.get("warnings") or []),
        "report_warnings": list(context.get("report_warnings") or []),
        "dropped": dict(row.get("dropped") or {}),
        "notes": [],
        "figures": {},
    }


def _candidates(search, chosen) -> list[dict]:
    cands = search.candidates
    if not len(cands):
        return []
    out = []
    for rank, c in enumerate(cands[:MAX_CANDIDATES], 1):
        period = float(c["period"])
        out.append(
            {
                "rank": rank,
                "period": period,
                "source": str(c["source"]),
                "delta_bic": number(c["delta_bic"]),
                "tp_order": int(c["tp_order"]),
                "fap": number(c["fap"]),
                "flags": str(c["flags"]),
                "chosen": chosen is not None and abs(period - chosen) < 1e-4 * chosen,
            }
        )
    return out


def _comparison(table) -> list[dict]:
    if table is None:
        return []
    return [
        {
            "model": str(r["model"]),
            "k": int(r["k"]),
            "chi2": number(r["chi2"]),
            "sigma0": number(r["sigma0"]),
            "bic": number(r["bic"]),
            "d_bic": number(r["d_bic"]),
            "weight": number(r["akaike_weight"]),
            "preferred": bool(r["preferred"]),
        }
        for r in table
    ]


def _fit(fit) -> dict | None:
    if fit is None:
        return None
    return {
        "label": fit.label,
        "n": int(fit.n),
        "k": int(fit.k),
        "sigma0": number(fit.sigma0),
        "bic": number(fit.bic),
        "params": [
            (k, number(v), number(fit.errors[k]), k in fit.fixed) for k, v in fit.params.items()
        ],
        "derived": [(k, number(v), number(e)) for k, (v, e) in fit.derived.items()],
        "flags": list(fit.flags),
    }


def star_context(result, row: dict, slug: str, context: dict) -> dict:
    """The page of an analysed star as plain data.

    The catalogue's values (type, period, confidence, reasons, GCVS line)
    come from ``row``, what only an analysis has (candidates, fits, model
    comparison) from ``result``; reasons missing from ``row`` (a catalogue
    without its journal) are taken from ``result``.
    """
    ctx = _base(row, slug, context)
    decision = result.decision
    if not ctx["reasons"] and decision is not None:
        ctx["reasons"] = list(decision.reasons)
    if ctx["runner_up"] is None and decision is not None and decision.runner_up:
        r = decision.runner_up
        ctx["runner_up"] = {
            "period": number(r.get("period")),
            "type": r.get("type"),
            "why": r.get("why"),
        }
    elif ctx["runner_up"] is not None and not ctx["runner_up"].get("why") and decision:
        ctx["runner_up"]["why"] = (decision.runner_up or {}).get("why")
    if not ctx["period_decision"]:
        ctx["period_decision"] = result.search.evidence.get("decision")
    ctx["candidates"] = _candidates(result.search, ctx["period"] or result.decision.period)
    ctx["bic_multiples"] = {
        k: number(v) for k, v in (result.search.evidence.get("bic_tp") or {}).items()
    }
    ctx["photometric_period"] = number(result.search.evidence.get("photometric_period"))
    ctx["comparison"] = _comparison(result.comparison)
    ctx["comparison_text"] = (
        result.comparison.meta.get("evidence", "") if result.comparison is not None else ""
    )
    ctx["nav"] = _fit(result.nav)
    ctx["tp"] = _fit(result.tp)
    ctx["best"] = result.best.label
    ctx["n"] = ctx["n"] or int(result.lc.n)
    ctx["kind"] = result.lc.meta.get("kind")
    return ctx


def failed_context(row: dict, slug: str, reason: str, origin: str, context: dict) -> dict:
    """The page of a star without figures: who failed (``"batch"`` or ``"report"``) and why."""
    ctx = _base(row, slug, context)
    ctx["error"] = reason
    ctx["error_origin"] = origin
    return ctx


def _amplitude(row: dict):
    top, bottom = number(row.get("max")), number(row.get("min1"))
    if top is None or bottom is None:
        return None
    return abs(bottom - top)


def index_entry(row: dict, slug: str) -> dict:
    """A star's line of the index, from its catalogue row."""
    conf = row.get("confidence") or {}
    return {
        "slug": slug,
        "name": str(row.get("name") or slug),
        "file": str(row.get("file") or ""),
        "type": str(row.get("type") or ""),
        "period": number(row.get("period")),
        "amplitude": _amplitude(row),
        "conf_period": number(conf.get("period")),
        "conf_type": number(conf.get("type")),
        "flags": [str(f) for f in row.get("flags") or []],
        "nature": row.get("nature") or "",
        "n": row.get("n"),
        "model": row.get("model") or "",
        "error": str(row.get("error") or ""),
    }
