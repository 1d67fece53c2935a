"""Scores of navfit's answers against a labelled catalogue (period relation, type confusion).

These are the measures of the survey-accuracy benchmark (``bench/survey.py``)
and of the survey tests: how a period found relates to the catalogue period,
and how the types compare, with the eclipser precision and recall.

The period rule is the one of the benchmark's issue: a period is *exact* when
``|1/P - 1/P_cat| <= max(0.5/T, 1e-4/P_cat)``, T the time span of the data;
half a cycle of phase drift over the data at most, or a relative 1e-4 for
short spans.
"""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import numpy as np

__all__ = [
    "DECISION_RULES",
    "ECLIPSER_LABELS",
    "PERIOD_RELATIONS",
    "catalogue_class",
    "decision_rule",
    "period_relation",
    "predicted_class",
    "reliability",
    "score_rows",
]

#: Catalogue types counted as eclipsing binaries.
ECLIPSER_LABELS = ("EA", "EB", "EW", "ELL")
#: Relations of a period to the catalogue period, in the order they are tested.
PERIOD_RELATIONS = ("exact", "2x", "1/2x", "3x", "1/3x", "4x", "1/4x", "1-day alias", "other")
#: Bin edges of :func:`reliability` (the last bin holds the confident answers).
CONFIDENCE_EDGES = (0.0, 0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 1.0)
#: The rules of :mod:`navfit.decision` (its numbering) by a phrase of the reason each
#: writes: ``(phrase, rule)``; the first phrase found in a decision names its rule, so a
#: branch comes before the rule whose reason it extends (the sinusoid before rule 4).
DECISION_RULES = (
    ("no significant period", "1 no significant period: not"),
    ("asymmetric about it (", "2 asymmetric single minimum: not"),
    ("skewed out-of-eclipse part", "2b skewed NAV curve: not"),
    ("a long-period variable", "3 long period, no flat maxima: not"),
    ("the curve is a sinusoid", "4 a sinusoid: not"),
    ("no eclipse evidence", "4 no eclipse evidence: not"),
    ("a secondary eclipse (", "5 a secondary eclipse: P"),
    ("alternate eclipses differ", "5 alternate eclipses differ: 2P"),
    ("one eclipse per cycle with continuous light", "5 continuous variation: 2P"),
    ("more than all the light", "5 too deep for twins: P"),
    ("one eclipse per cycle with ellipsoidal", "5 ellipsoidal within the cycle: P"),
    ("commoner case", "5 twins: 2P"),
    ("two minima per cycle, sharper", "6 two eclipse-like minima: P"),
    ("impossible for equal stars", "7 single minimum too deep for twins: P"),
    ("a symmetric single minimum sharper", "7 eclipse-like single minimum: 2P"),
    ("whose halves at 2P differ", "8 halves at 2P differ: 2P"),
)
_MULTIPLES = {"2x": 2.0, "1/2x": 0.5, "3x": 3.0, "1/3x": 1 / 3, "4x": 4.0, "1/4x": 0.25}


def _matches(period, reference, span):
    return abs(1.0 / period - 1.0 / reference) <= max(0.5 / span, 1e-4 / reference)


def period_relation(period, catalogue_period, span) -> str:
    """How ``period`` relates to ``catalogue_period`` (one of :data:`PERIOD_RELATIONS`).

    ``"2x"`` means navfit's period is twice the catalogue's. A 1-day alias is
    ``|1/P - 1/P_cat| = k`` cycles per day (k = 1, 2) within the same tolerance.
    A missing or non-positive period is ``"other"``.
    """
    if period is None or not np.isfinite(period) or period <= 0:
        return "other"
    if _matches(period, catalogue_period, span):
        return "exact"
    for name, mult in _MULTIPLES.items():
        if _matches(period, catalogue_period * mult, span):
            return name
    tol = max(0.5 / span, 1e-4 / catalogue_period)
    for k in (1, 2):
        if abs(abs(1.0 / period - 1.0 / catalogue_period) - k) <= tol:
            return "1-day alias"
    return "other"


def decision_rule(decision: str | None) -> str:
    """The rule of :mod:`navfit.decision` that made a decision, from its reasons' text.

    ``decision`` is ``evidence["decision"]`` of a search (the reasons joined by
    ``"; "``); the rule is the one of the first phrase of :data:`DECISION_RULES`
    found in it, ``"other"`` when none is (a period given, a fit that failed).

    Examples
    --------
    >>> decision_rule("NAV beats the TP at P by 40.1 in BIC, primary eclipse 9.0 sigma "
    ...               "with 60 points; a secondary eclipse (5.1 sigma, 50 points): both "
    ...               "eclipses in one cycle, P_orb = P")
    '5 a secondary eclipse: P'
    >>> decision_rule(None)
    'other'
    """
    text = decision or ""
    return next((rule for phrase, rule in DECISION_RULES if phrase in text), "other")


def catalogue_class(label: str) -> str:
    """Catalogue type as navfit names it: EA/EB/EW/ELL, or ``"not"`` (not an eclipser)."""
    return label if label in ECLIPSER_LABELS else "not"


def predicted_class(gcvs_type: str | None) -> str:
    """navfit's GCVS type without ":" as EA/EB/EW/ELL, ``"not"``, or ``"error"``."""
    if gcvs_type is None:
        return "error"
    t = gcvs_type.rstrip(":")
    return t if t in ECLIPSER_LABELS else "not"


def score_rows(rows) -> dict:
    """Accuracy figures over rows of ``{"type", "predicted", "relation", "checked"}``.

    ``type`` is the catalogue type (EA, EB, EW, ELL, RRAB, ...), ``predicted`` the
    GCVS type navfit gave (or ``None`` for an error), ``relation`` the
    :func:`period_relation` (or ``None`` without a catalogue period) and
    ``checked`` whether the catalogue period passes the catalogue's fold check.

    Returns
    -------
    dict
        ``period`` (per type: counts of each relation among checked periods,
        ``n``, ``exact`` and ``multiple`` fractions, multiple meaning exact, 2x
        or 1/2x), ``confusion`` (Counter of (true class, predicted class)),
        ``precision``, ``recall`` (eclipser against not), ``ea_vs_ebew`` (among
        true eclipsers called eclipsers, EA against EB-or-EW right),
        ``type_right`` (five classes), ``false_eclipsers`` (fraction of
        non-eclipsers called eclipsers), ``false_by_type`` (per catalogue type).
    """
    period = {}
    for r in rows:
        if r.get("relation") is None or not r.get("checked"):
            continue
        d = period.setdefault(r["type"], Counter())
        d[r["relation"]] += 1
    period_summary = {}
    for typ, counts in sorted(period.items()):
        n = sum(counts.values())
        period_summary[typ] = {
            "n": n,
            "counts": dict(counts),
            "exact": counts["exact"] / n,
            "multiple": (counts["exact"] + counts["2x"] + counts["1/2x"]) / n,
        }
    confusion = Counter()
    tp = fp = fn = 0
    ea_right = ea_total = 0
    right = 0
    false_by_type = {}
    for r in rows:
        truth = catalogue_class(r["type"])
        pred = predicted_class(r.get("predicted"))
        confusion[(truth, pred)] += 1
        right += truth == pred
        t_ecl, p_ecl = truth != "not", pred in ECLIPSER_LABELS
        tp += t_ecl and p_ecl
        fp += (not t_ecl) and p_ecl
        fn += t_ecl and not p_ecl
        if t_ecl and p_ecl and truth != "ELL" and pred != "ELL":
            ea_total += 1
            ea_right += (truth == "EA") == (pred == "EA")
        if not t_ecl:
            f = false_by_type.setdefault(r["type"], [0, 0])
            f[0] += p_ecl
            f[1] += 1
    n_not = sum(v[1] for v in false_by_type.values())
    return {
        "period": period_summary,
        "confusion": confusion,
        "precision": tp / (tp + fp) if tp + fp else float("nan"),
        "recall": tp / (tp + fn) if tp + fn else float("nan"),
        "ea_vs_ebew": ea_right / ea_total if ea_total else float("nan"),
        "type_right": right / len(rows) if rows else float("nan"),
        "false_eclipsers": (
            sum(v[0] for v in false_by_type.values()) / n_not if n_not else float("nan")
        ),
        "false_by_type": {k: v[0] / v[1] for k, v in sorted(false_by_type.items())},
        "n": len(rows),
    }


def reliability(confidence, right, edges=CONFIDENCE_EDGES) -> list[dict]:
    """How often answers of each confidence are right (a reliability table).

    A confidence that is a probability should be right about as often as it
    says: of the answers given with confidence 0.9-0.95, about 92 % right.
    Confidences outside ``[0, 1]`` or not finite are left out.

    Parameters
    ----------
    confidence : array_like of float
        navfit's confidence of each answer.
    right : array_like of bool
        Whether the answer agrees with the catalogue.
    edges : sequence of float
        Bin edges, ascending; each bin holds ``lo <= c < hi``, the last also ``c == hi``.

    Returns
    -------
    list of dict
        Per bin with answers: ``lo``, ``hi``, ``n``, ``right`` (fraction),
        ``mean`` (mean confidence).

    Examples
    --------
    >>> rows = reliability([0.6, 0.7, 0.99, 1.0], [True, False, True, True], edges=(0, 0.9, 1))
    >>> [(r["n"], r["right"], round(r["mean"], 3)) for r in rows]
    [(2, 0.5, 0.65), (2, 1.0, 0.995)]
    """
    c = np.asarray(confidence, dtype=float)
    ok = np.asarray(right, dtype=bool)
    keep = np.isfinite(c) & (c >= 0) & (c <= 1)
    c, ok = c[keep], ok[keep]
    out = []
    for i, (lo, hi) in enumerate(pairwise(edges)):
        last = i == len(edges) - 2
        m = (c >= lo) & ((c <= hi) if last else (c < hi))
        if m.any():
            out.append(
                {
                    "lo": float(lo),
                    "hi": float(hi),
                    "n": int(m.sum()),
                    "right": float(ok[m].mean()),
                    "mean": float(c[m].mean()),
                }
            )
    return out
