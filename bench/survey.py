"""Period and type accuracy of ``navfit.analyze`` on the labelled survey stars.

Runs :func:`navfit.analyze` with its defaults on every star of the survey set
(``../shared/survey``: ASAS-3, SDSS Stripe 82, OGLE, Hipparcos) in ``-j`` worker
processes of one numba thread each, and on the same stars astropy's
Lomb-Scargle (``method="fast"``) over navfit's default frequency grid, timed
beside it. Prints in one run:

* per catalogue type, how the period found relates to the catalogue period
  (exact, 2x, 1/2x, 3x, 1/3x, 4x, 1/4x, 1-day alias, other) for navfit, the
  Lomb-Scargle peak and its double, counting the stars whose catalogue period
  passes the catalogue's fold check (``period_checked``);
* the confusion matrix of types (EA, EB, EW, ELL, not an eclipser), eclipser
  precision and recall, EA against EB-or-EW among eclipsers called eclipsers,
  and the fraction of pulsators, long-period and rotating stars called eclipsers;
* how often navfit's period and type confidences are right, in bins of
  confidence (:func:`navfit.survey_scores.reliability`): periods against the
  checked catalogue periods, types in the labels' sharp classes (EA,
  EB-or-EW-or-ELL, not an eclipser; the survey README: EW against EB is partly
  in the labels). A type's confidence is the least of its rules', the EW/EB
  rule's included, so a low confidence from that rule alone counts as right;
  and once more in the five classes, EB against EW included;
* the same per rule of the decision (:func:`navfit.survey_scores.decision_rule`):
  how many stars each rule decided, how often its periods and types are right
  and how sure it said it was;
* time per star (median and 90th percentile, navfit and Lomb-Scargle), over all
  stars and per survey, and errors.

"Exact" means ``|1/P - 1/P_cat| <= max(0.5/T, 1e-4/P_cat)`` (T the time span).
Every star's answer is written to ``--journal`` (JSON lines), and ``--rescore``
prints the figures again from a journal without running anything.

    python bench/survey.py [-j 2] [--survey ../shared/survey] [--limit N]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SURVEY = ROOT / ".." / "shared" / "survey"


def read_truth(survey: Path) -> list[dict]:
    with open(survey / "truth.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["period"] = float(r["period"]) if r["period"] else None
        r["checked"] = r.get("period_checked", "").strip().lower() in ("true", "1", "yes")
        r["path"] = str(survey / r["file"])
    return rows


def _warm():
    """Compile (or load) the numba kernels in a worker before the clock starts."""
    import navfit
    from navfit.batch import limit_threads
    from navfit.synthetic import nav_lightcurve, survey_times

    limit_threads(1)  # one core per worker: numba, NUFFT and BLAS threads
    rng = np.random.default_rng(0)
    # a dense and a sparse star: the sparse one takes the direct periodogram and
    # the other kernels of few points (compiled on a Stripe 82 star otherwise: 6 s)
    for n, span in ((200, 300.0), (40, 2500.0)):
        times = survey_times(n, span=span, rng=rng)
        lc, _ = nav_lightcurve("EA", rng=rng, times=times, noise=0.01)
        navfit.analyze(lc)
        navfit.analyze(navfit.LightCurve(times, rng.normal(12.0, 0.05, n), np.full(n, 0.05)))
    # frequencies whose normal equations are too ill-conditioned take the QR path,
    # one at a time or in parallel
    low = 1e-4 / lc.time_span * (1 + np.arange(2000) / 2000)
    for f in (low[:1], low):
        navfit.Periodogram(lc, order=2).power(f, method="direct")


def analyse_one(truth: dict) -> dict:
    """One star: navfit's answer and the Lomb-Scargle peak, each timed."""
    import warnings

    from astropy.timeseries import LombScargle

    import navfit
    from navfit.period_search import _grid

    out = {"file": truth["file"]}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t0 = time.perf_counter()
        try:
            star = navfit.analyze(truth["path"])
        except Exception as exc:  # noqa: BLE001 - every failure is reported as a row
            out["error"] = f"{type(exc).__name__}: {' '.join(str(exc).split())}"
            out["seconds"] = time.perf_counter() - t0
            _numerical(caught, out)
            return out
        out["seconds"] = time.perf_counter() - t0
        _numerical(caught, out)
        d = star.to_dict()
        lc = star.lc
        out.update(
            period=star.search.period,
            type=star.type,
            model=star.best.label,
            span=lc.time_span,
            n=lc.n,
            decision=star.search.evidence.get("decision"),
            reasons=list(star.classification.reasons),
            confidence=d.get("confidence"),
            candidates=[float(p) for p in star.search.candidates["period"][:12]]
            if len(star.search.candidates)
            else [],
        )
        frequency, _ = _grid(lc, None, None, 10)
        t0 = time.perf_counter()
        power = LombScargle(lc.t, lc.y, lc.dy).power(frequency, method="fast")
        out["ls_seconds"] = time.perf_counter() - t0
        out["ls_period"] = float(1.0 / frequency[np.argmax(power)])
        out["n_frequencies"] = int(frequency.size)
    return out


def _numerical(caught, out):
    """Record the RuntimeWarnings (overflow, invalid value) that navfit raised, with their place."""
    seen = sorted(
        {
            f"{w.message} ({Path(w.filename).name}:{w.lineno})"
            for w in caught
            if issubclass(w.category, RuntimeWarning)
        }
    )
    if seen:
        out["numerical_warnings"] = seen


def run(truth, jobs, journal: Path):
    journal.parent.mkdir(parents=True, exist_ok=True)
    results = []
    ctx = get_context("spawn")
    with (
        open(journal, "w") as fh,
        ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_warm) as pool,
    ):
        futures = [pool.submit(analyse_one, t) for t in truth]
        for i, fut in enumerate(as_completed(futures), 1):
            row = fut.result()
            results.append(row)
            fh.write(json.dumps(row) + "\n")
            fh.flush()
            if i % 50 == 0:
                print(f"  {i}/{len(truth)} stars", file=sys.stderr)
    return results


def _pct(x):
    return f"{100 * x:5.1f}" if np.isfinite(x) else "   - "


def report(truth, results):
    from navfit.survey_scores import (
        PERIOD_RELATIONS,
        catalogue_class,
        decision_rule,
        period_relation,
        predicted_class,
        reliability,
        score_rows,
    )

    by_file = {r["file"]: r for r in results}
    rows = {"navfit": [], "LS peak": [], "LS double": []}
    # (confidence, right) of navfit's periods (checked catalogue periods) and types,
    # types in the labels' sharp classes (the survey README: EW against EB is partly
    # the labels' own convention; EA against EB-or-EW and eclipser against not are sharp)
    calib = {"period": [], "type": [], "5 types": []}
    # the same pairs per rule of the decision, with the number of stars each rule decided
    by_rule = {}
    sharp = {"EB": "EB/EW/ELL", "EW": "EB/EW/ELL", "ELL": "EB/EW/ELL"}
    for t in truth:
        r = by_file.get(t["file"])
        if r is None:
            continue
        span = r.get("span") or float(t["span_days"])
        conf = r.get("confidence") or {}
        rule = None
        if "error" not in r:
            rule = by_rule.setdefault(
                decision_rule(r.get("decision")), {"n": 0, "period": [], "type": []}
            )
            rule["n"] += 1
        if rule is not None and conf.get("type") is not None:
            truth_class = catalogue_class(t["type"])
            got = predicted_class(r.get("type"))
            right = sharp.get(truth_class, truth_class) == sharp.get(got, got)
            calib["type"].append((conf["type"], right))
            rule["type"].append(calib["type"][-1])
            calib["5 types"].append((conf["type"], truth_class == got))
        checked = t["period"] is not None and t["checked"]
        if rule is not None and checked and conf.get("period") is not None:
            rel = period_relation(r.get("period"), t["period"], span)
            calib["period"].append((conf["period"], rel == "exact"))
            rule["period"].append(calib["period"][-1])
        for name, key, mult in (
            ("navfit", "period", 1.0),
            ("LS peak", "ls_period", 1.0),
            ("LS double", "ls_period", 2.0),
        ):
            p = r.get(key)
            rel = None
            if t["period"] is not None:
                rel = period_relation(p * mult if p is not None else None, t["period"], span)
            rows[name].append(
                {
                    "type": t["type"],
                    "predicted": r.get("type") if "error" not in r else None,
                    "relation": rel,
                    "checked": t["checked"],
                }
            )
    scores = {k: score_rows(v) for k, v in rows.items()}
    nav = scores["navfit"]
    print(f"\nStars: {len(results)} of {len(truth)}")
    print("\nPeriod against the catalogue (stars whose catalogue period passes the fold check)")
    head = f"{'type':6s} {'method':10s} {'n':>4s} " + " ".join(f"{c:>7s}" for c in PERIOD_RELATIONS)
    print(head + "   exact%  P,2P,P/2%")
    for typ in nav["period"]:
        for name in rows:
            s = scores[name]["period"].get(typ)
            if s is None:
                continue
            counts = " ".join(f"{s['counts'].get(c, 0):7d}" for c in PERIOD_RELATIONS)
            print(
                f"{typ:6s} {name:10s} {s['n']:4d} {counts}   {_pct(s['exact'])}   "
                f"{_pct(s['multiple'])}"
            )
    tot = {}
    for name in rows:
        n = sum(s["n"] for s in scores[name]["period"].values())
        ex = sum(s["counts"].get("exact", 0) for s in scores[name]["period"].values())
        tot[name] = ex / n if n else float("nan")
    print("all    " + "  ".join(f"{k}: {_pct(v)} %" for k, v in tot.items()))
    classes = ("EA", "EB", "EW", "ELL", "not")
    print("\nConfusion of types (rows: catalogue; columns: navfit)")
    print(f"{'':6s}" + "".join(f"{c:>7s}" for c in (*classes, "error")))
    for c in classes:
        print(
            f"{c:6s}"
            + "".join(f"{nav['confusion'].get((c, p), 0):7d}" for p in (*classes, "error"))
        )
    print(f"\ntype right (5 classes): {_pct(nav['type_right'])} %")
    print(f"eclipser precision / recall: {_pct(nav['precision'])} / {_pct(nav['recall'])} %")
    print(f"EA against EB-or-EW among eclipsers called eclipsers: {_pct(nav['ea_vs_ebew'])} %")
    print(f"non-eclipsers called eclipsers: {_pct(nav['false_eclipsers'])} %  (", end="")
    print(", ".join(f"{k} {_pct(v).strip()}" for k, v in nav["false_by_type"].items()) + ")")
    print(
        "\nReliability of navfit's confidences (a probability should be right as often as it "
        "says; types as EA, EB-or-EW-or-ELL, not an eclipser; '5 types' tells EB, EW and "
        "ELL apart too)"
    )
    print(f"{'decision':9s} {'confidence':>13s} {'n':>5s} {'right%':>7s} {'mean':>7s}")
    for what, pairs in calib.items():
        if not pairs:
            continue
        conf, right = zip(*pairs, strict=True)
        for b in reliability(conf, right):
            print(
                f"{what:9s} {b['lo']:6.3f}-{b['hi']:<6.3f} {b['n']:5d} "
                f"{_pct(b['right'])}   {b['mean']:.3f}"
            )
    _rule_table(by_rule)
    secs = np.array([r["seconds"] for r in results])
    ls = np.array([r["ls_seconds"] for r in results if "ls_seconds" in r])
    print(
        f"\ntime per star: navfit median {np.median(secs):.3f} s, 90th percentile "
        f"{np.percentile(secs, 90):.3f} s; astropy LS (fast, same grid) median "
        f"{np.median(ls):.4f} s, 90th percentile {np.percentile(ls, 90):.4f} s; "
        f"ratio of medians {np.median(secs) / np.median(ls):.2f}"
    )
    _time_by_survey(truth, results)
    errors = [r for r in results if "error" in r]
    print(f"errors: {len(errors)}")
    for r in errors:
        print(f"  {r['file']}: {r['error']}")
    # an overflow or invalid value inside navfit is a defect even when the result is finite
    numerical = [r for r in results if r.get("numerical_warnings")]
    print(f"stars with numerical warnings (RuntimeWarning inside navfit): {len(numerical)}")
    for r in numerical:
        print(f"  {r['file']}: {'; '.join(r['numerical_warnings'])}")
    return scores


def _rule_table(by_rule):
    """How often each rule of the decision is right, and how sure it says it is.

    ``by_rule``: rule -> ``{"n", "period", "type"}``, the (confidence, right) pairs
    of the reliability table split by :func:`navfit.survey_scores.decision_rule`.
    """
    from navfit.survey_scores import DECISION_RULES, reliability

    print(
        "\nEach rule of the decision (navfit.decision's numbering): stars, then periods right "
        "and their mean confidence (checked catalogue periods), types right and theirs"
    )
    print(
        f"{'rule':36s} {'n':>4s} {'checked':>8s} {'exact%':>7s} {'conf':>6s} {'type%':>7s} {'conf':>6s}"
    )
    order = [rule for _, rule in DECISION_RULES] + ["other"]
    for rule in sorted(by_rule, key=order.index):
        s = by_rule[rule]
        cells = []
        for key in ("period", "type"):
            # one bin over [0, 1]: the fraction right and the mean confidence
            whole = reliability(*zip(*s[key], strict=True), edges=(0.0, 1.0)) if s[key] else []
            cells.append(
                f"{_pct(whole[0]['right'])} {whole[0]['mean']:6.3f}" if whole else " " * 14
            )
        print(f"{rule[:36]:36s} {s['n']:4d} {len(s['period']):8d} {cells[0]} {cells[1]}")


def _time_by_survey(truth, results):
    """Time per star in each survey: its stars' sizes and cadences differ (ASAS dominates the median)."""
    survey_of = {t["file"]: t["survey"].strip() for t in truth}
    groups = {}
    for r in results:
        if "ls_seconds" in r:
            groups.setdefault(survey_of.get(r["file"], "?"), []).append(
                (r["seconds"], r["ls_seconds"], r.get("n", 0))
            )
    for name, rows in sorted(groups.items()):
        nav, ls, n = (np.array(c, dtype=float) for c in zip(*rows, strict=True))
        print(
            f"  {name[:24]:24s} {nav.size:4d} stars, median {np.median(n):5.0f} points: navfit "
            f"median {np.median(nav):.3f} s, 90th percentile {np.percentile(nav, 90):.3f} s; "
            f"astropy median {np.median(ls):.3f} s; ratio of medians "
            f"{np.median(nav) / np.median(ls):.2f}"
        )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--survey", type=Path, default=DEFAULT_SURVEY)
    parser.add_argument("--limit", type=int, default=None, help="first N stars only")
    parser.add_argument("--types", default=None, help="comma-separated catalogue types only")
    parser.add_argument("--journal", type=Path, default=ROOT / "out" / "survey.jsonl")
    parser.add_argument("--rescore", action="store_true", help="score an existing journal")
    args = parser.parse_args(argv)
    if not (args.survey / "truth.csv").is_file():
        print(f"survey set not found: {args.survey}/truth.csv", file=sys.stderr)
        return 1
    truth = read_truth(args.survey.resolve())
    if args.types:
        keep = set(args.types.split(","))
        truth = [t for t in truth if t["type"] in keep]
    if args.limit:
        truth = truth[: args.limit]
    if args.rescore:
        with open(args.journal) as fh:
            results = [json.loads(line) for line in fh if line.strip()]
        wanted = {t["file"] for t in truth}
        results = [r for r in results if r["file"] in wanted]
    else:
        # one thread per worker: numba, and the BLAS behind numpy's linear algebra
        for var in (
            "NUMBA_NUM_THREADS",
            "OMP_NUM_THREADS",
            "OPENBLAS_NUM_THREADS",
            "MKL_NUM_THREADS",
        ):
            os.environ.setdefault(var, "1")
        t0 = time.perf_counter()
        results = run(truth, args.jobs, args.journal)
        print(f"wall clock {time.perf_counter() - t0:.0f} s with {args.jobs} workers")
    report(truth, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
