"""The main job: from a light curve (or a file) to a catalogue entry."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .classify import NOT_ECLIPSER, Classification, classify
from .compare import compare
from .errors import NavfitError
from .io import read_lightcurve
from .lightcurve import LightCurve
from .models.nav import fit_nav
from .models.tp import fit_tp
from .period_search import PeriodResult, find_period
from .results import FitResult

__all__ = ["StarResult", "analyze"]

ECLIPSER_TYPES = ("EA", "EB", "EW", "ELL")


@dataclass(frozen=True, eq=False)
class StarResult:
    """Everything navfit found about one star.

    Attributes
    ----------
    name, file : str
        Object name and source file (``""`` for arrays).
    lc : LightCurve
    search : PeriodResult
        Period search (:func:`navfit.find_period`).
    nav, tp : FitResult or None
        NAV fit (``None`` when NAV could not be fitted) and optimal-TP fit at the
        period found, both with period and epoch free.
    comparison : astropy.table.Table or None
        :func:`navfit.compare` of the two.
    classification : Classification
    best : FitResult
        The fit the catalogue values come from: NAV for eclipsers, TP otherwise.
    """

    name: str
    file: str
    lc: LightCurve = field(repr=False)
    search: PeriodResult = field(repr=False)
    nav: FitResult | None = field(repr=False)
    tp: FitResult = field(repr=False)
    comparison: Any = field(repr=False)
    classification: Classification
    best: FitResult = field(repr=False)

    @property
    def type(self) -> str:
        """GCVS type string (``"EA"``, ``"EW:"``, ``"not an eclipsing binary"``)."""
        return self.classification.gcvs

    def to_dict(self) -> dict:
        """JSON-ready summary (keys documented in the README)."""
        lc, best = self.lc, self.best
        offset = float(lc.meta.get("time_offset", 0.0))
        d = best.derived

        def val(key):
            return _clean(d[key][0]) if key in d else None

        def err(key):
            return _clean(d[key][1]) if key in d else None

        out = {
            "name": self.name,
            "file": self.file,
            "n": int(lc.n),
            "time_system": lc.meta.get("time_system"),
            "band": lc.meta.get("band"),
            "kind": lc.meta.get("kind"),
            "period": _clean(best.period),
            "period_err": _clean(best.errors["period"]),
            "epoch": _clean(best.epoch + offset),
            "epoch_err": _clean(best.epoch_error),
            "fap": _clean(self.search.fap),
            "type": self.type,
            "max": val("max"),
            "max_err": err("max"),
            "min1": val("min1"),
            "min1_err": err("min1"),
            "min2": val("min2"),
            "min2_err": err("min2"),
            "D": val("D") if self.nav is not None and best is self.nav else None,
            "D_err": err("D") if self.nav is not None and best is self.nav else None,
            "model": best.label,
            "classification": {
                k: [_clean(v), _clean(e)] for k, (v, e) in self.classification.metrics.items()
            },
            "reasons": list(self.classification.reasons),
            "period_decision": self.search.evidence.get("decision"),
            "flags": list(best.flags) + list(self.search.flags),
            "tp": {
                "order": int(self.tp.info["order"]),
                "chi2": _clean(self.tp.chi2),
                "k": int(self.tp.k),
                "bic": _clean(self.tp.bic),
                "sigma0": _clean(self.tp.sigma0),
            },
            "nav": None,
        }
        if self.nav is not None:
            nav = self.nav
            out["nav"] = {
                "variant": nav.info.get("variant"),
                "params": {k: _clean(v) for k, v in nav.params.items()},
                "errors": {k: _clean(v) for k, v in nav.errors.items()},
                "derived": {k: [_clean(v), _clean(e)] for k, (v, e) in nav.derived.items()},
                "chi2": _clean(nav.chi2),
                "k": int(nav.k),
                "bic": _clean(nav.bic),
                "sigma0": _clean(nav.sigma0),
                "flags": list(nav.flags),
            }
        from .gcvs import gcvs_line

        out["gcvs"] = gcvs_line(self)
        return out

    def summary(self) -> str:
        """Readable report: period, type, the catalogue line and the model comparison."""
        s = self.search
        lines = [
            (
                f"{self.name}: {self.type}, P = {s.period:.9g} +- {s.period_error:.2g} d "
                f"(FAP {s.fap:.2g}), fitted with {self.best.label}"
            ),
            f"  period decision: {s.evidence.get('decision')}",
            f"  classification: {'; '.join(self.classification.reasons)}",
            f"  GCVS: {self.to_dict()['gcvs']}",
        ]
        if self.comparison is not None:
            lines.append(f"  {self.comparison.meta['evidence']}")
        lines += [f"  flag: {f}" for f in (*self.best.flags, *s.flags)]
        return "\n".join(lines)


def _clean(x):
    """Float for JSON: ``None`` for NaN/inf (never a silent NaN in the output)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def analyze(lc_or_path, *, min_period=None, max_period=None, name=None, **read_kwargs):
    """Period search, NAV and TP fits, their comparison, classification, catalogue row.

    Parameters
    ----------
    lc_or_path : LightCurve or path
        A light curve, or a photometry file read with :func:`navfit.read_lightcurve`
        (``read_kwargs`` are passed on: ``time``, ``mag``, ``err``, ``band`` ...).
    min_period, max_period : float, optional
        Period search range (days).
    name : str, optional
        Object name (default: from the file or light curve).

    Returns
    -------
    StarResult

    Raises
    ------
    NavfitError
        Unreadable input or a light curve the period search cannot use.
    """
    if isinstance(lc_or_path, LightCurve):
        lc, file = lc_or_path, str(lc_or_path.meta.get("source") or "")
    elif isinstance(lc_or_path, str | Path):
        lc = read_lightcurve(lc_or_path, name=name, **read_kwargs)
        file = str(lc_or_path)
    else:
        raise NavfitError(
            f"analyze: expected a LightCurve or a path, got {type(lc_or_path).__name__}"
        )
    search = find_period(lc, min_period, max_period)
    period = search.period
    tp = search.fit if search.fit.model == "tp" else fit_tp(lc, period, free_period=True)
    try:
        nav = search.fit if search.fit.model == "nav" else fit_nav(lc, period)
    except NavfitError:
        nav = None
    if nav is not None:
        comparison = compare(nav, tp)
        classification = classify(nav, tp)
    else:
        comparison = None
        classification = Classification(
            NOT_ECLIPSER, False, {}, ("NAV could not be fitted at the period found",)
        )
    if not search.significant:
        classification = Classification(
            NOT_ECLIPSER,
            False,
            classification.metrics,
            (*classification.reasons, "no significant period"),
        )
    best = nav if (nav is not None and classification.type in ECLIPSER_TYPES) else tp
    return StarResult(
        name=name or lc.name,
        file=file,
        lc=lc,
        search=search,
        nav=nav,
        tp=tp,
        comparison=comparison,
        classification=classification,
        best=best,
    )
