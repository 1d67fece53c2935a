"""Stripe 82 RR Lyrae: navfit's multi-band period search against g alone and astropy.

Every star of ``survey/s82_ugriz`` (Sesar et al. 2010; 17 columns: ra, dec, then
MJD, mag, error for u, g, r, i, z; -99.99 or 99.99 marks a missing value) goes
through four period searches:

- ``navfit 5 bands``: :func:`navfit.find_period` of the five bands together;
- ``navfit g``: :func:`navfit.find_period` of the g points alone;
- ``astropy flexible``: the highest peak of astropy's
  ``LombScargleMultiband(nterms_base=1, nterms_band=0)`` with ``method="flexible"``
  (one shared sinusoid, an offset per band; the model of VanderPlas & Ivezic 2015,
  whose shared-phase result on these stars is 79 %) over the frequency grid of the
  five-band search;
- ``astropy fast``: the same with ``method="fast"`` (each band's Lomb-Scargle,
  combined by weight).

Astropy's flexible method costs about 40 s per star on the 590 000-frequency grid,
so its peak is found through navfit's order-1 multi-band periodogram, which is
the same model and equals it to 1e-8 (``tests/test_multiband_periodogram.py``):
the ``FLEX_CHECK`` highest navfit peaks are re-evaluated with astropy itself and
the highest of these by astropy's power is the answer; its time per star is
astropy's own, measured on ``FLEX_TIMED`` frequencies and scaled to the grid
(marked ``~``). The astropy answers do not depend on navfit's search, so
``--cache FILE`` stores them once and reuses them.

An answer ``P`` is sorted against the catalogue period ``P_cat`` (``survey/truth.csv``)
by frequency, with the tolerance ``tol = max(0.5 / T, 1e-4 / P_cat)`` (T the time span
of the points searched): *exact* ``|1/P - 1/P_cat| <= tol``; *2x* and *1/2x* the same
for ``2 P_cat`` and ``P_cat / 2``; *1-day alias* ``||1/P - 1/P_cat| - k| <= tol`` for
k = 1 or 2 cycles per day; *other* anything else.

It also prints how often navfit's period confidences are right, in bins of
confidence (:func:`navfit.survey_scores.reliability`), for five bands and g.

Usage: ``python bench/s82_multiband.py [survey folder] [processes] [--cache FILE]``.
"""

import csv
import json
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np
from astropy.timeseries import LombScargleMultiband

import navfit
from navfit.period_candidates import peaks
from navfit.survey_scores import reliability

BANDS = "ugriz"
DEFAULT = Path(__file__).resolve().parents[1] / "../shared/survey"
METHODS = ("navfit 5 bands", "navfit g", "astropy flexible", "astropy fast")
KINDS = ("exact", "2x", "1/2x", "1-day alias", "other")
#: navfit order-1 peaks re-evaluated with astropy's flexible method.
FLEX_CHECK = 10
#: Frequencies on which astropy's flexible method is timed.
FLEX_TIMED = 5000


def read_star(path: Path) -> navfit.LightCurve:
    """The five-band light curve of one star (missing and absurd values left out)."""
    a = np.loadtxt(path, ndmin=2)
    t, y, dy, band = [], [], [], []
    for j, b in enumerate(BANDS):
        mjd, mag, err = a[:, 2 + 3 * j], a[:, 3 + 3 * j], a[:, 4 + 3 * j]
        ok = (mag > 0) & (mag < 40) & (err > 0) & (err < 1)
        t.append(mjd[ok])
        y.append(mag[ok])
        dy.append(err[ok])
        band.append(np.full(ok.sum(), b))
    return navfit.LightCurve(
        np.concatenate(t),
        np.concatenate(y),
        np.concatenate(dy),
        band=np.concatenate(band),
        time_system="MJD",
        name=path.stem,
    )


def kind(period: float, p_cat: float, span: float) -> str:
    """Which of ``KINDS`` ``period`` is against the catalogue period (module docstring)."""
    if not np.isfinite(period) or period <= 0:
        return "other"
    tol = max(0.5 / span, 1e-4 / p_cat)
    df = abs(1 / period - 1 / p_cat)
    if df <= tol:
        return "exact"
    if abs(1 / period - 0.5 / p_cat) <= tol:
        return "2x"
    if abs(1 / period - 2 / p_cat) <= tol:
        return "1/2x"
    if min(abs(df - 1), abs(df - 2)) <= tol:
        return "1-day alias"
    return "other"


def astropy_answers(lc, frequency):
    """``{method: (period, seconds)}`` of astropy's flexible and fast multi-band periodograms."""
    bands = np.asarray(lc.bands)[lc.band_index]
    ls = LombScargleMultiband(lc.t, lc.y, bands, lc.dy, nterms_base=1, nterms_band=0)
    start = time.perf_counter()
    fast = ls.power(frequency, method="fast")
    out = {"astropy fast": (1 / frequency[int(np.argmax(fast))], time.perf_counter() - start)}
    start = time.perf_counter()
    ls.power(frequency[:FLEX_TIMED], method="flexible")
    seconds = (time.perf_counter() - start) * frequency.size / FLEX_TIMED
    ours = navfit.Periodogram(lc, order=1).power(frequency)
    top = frequency[peaks(ours, FLEX_CHECK, 5)]
    theirs = ls.power(top, method="flexible")
    out["astropy flexible"] = (1 / top[int(np.argmax(theirs))], seconds)
    return out


def one_star(job):
    """``(name, {method: (period, seconds[, confidence])}, {method: span})`` of one star."""
    path, cached = job
    lc = read_star(path)
    g = lc.select("g")
    answers, spans, frequency = {}, {}, None
    for name, curve in (("navfit 5 bands", lc), ("navfit g", g)):
        start = time.perf_counter()
        confidence = np.nan
        try:
            result = navfit.find_period(curve)
            period, confidence = result.period, result.decision.confidence["period"]
            frequency = result.frequency if frequency is None else frequency
        except navfit.NavfitError:
            period = np.nan
        answers[name] = (period, time.perf_counter() - start, confidence)
        spans[name] = curve.time_span
    if cached is None:
        cached = astropy_answers(lc, frequency)
    answers.update(cached)
    spans.update(dict.fromkeys(METHODS[2:], lc.time_span))
    return path.stem, answers, spans


def main(folder: Path, processes: int, cache: Path | None) -> None:
    """Run every star and print the table of outcomes per method."""
    truth = {}
    with open(folder / "truth.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["file"].startswith("lc/S82RR_") and row["period"]:
                truth[Path(row["file"]).stem] = (float(row["period"]), row["type"])
    stored = json.loads(cache.read_text()) if cache is not None and cache.exists() else {}
    paths = [p for p in sorted((folder / "s82_ugriz").glob("*.dat")) if p.stem in truth]
    jobs = [(p, stored.get(p.stem)) for p in paths]
    with Pool(processes) as pool:
        rows = pool.map(one_star, jobs, chunksize=1)
    if cache is not None:
        cache.write_text(json.dumps({r[0]: {m: r[1][m] for m in METHODS[2:]} for r in rows}))
    n = len(rows)
    print(f"Stripe 82 RR Lyrae: {n} stars with a catalogue period")
    print(f"{'method':18s}" + "".join(f"{k:>12s}" for k in KINDS) + "   s/star (median, mean)")
    kinds = {}
    for m in METHODS:
        kinds[m] = [kind(r[1][m][0], truth[r[0]][0], r[2][m]) for r in rows]
        counts = [kinds[m].count(k) for k in KINDS]
        secs = [r[1][m][1] for r in rows]
        mark = "~" if m == "astropy flexible" else " "
        print(
            f"{m:18s}"
            + "".join(f"{c:12d}" for c in counts)
            + f"   {mark}{np.median(secs):.2f}, {np.mean(secs):.2f}"
            + f"   exact {counts[0] / n:.1%}"
        )
    print("misses of navfit 5 bands (star, type, P_cat, P found, kind, g alone):")
    for r, k, kg in zip(rows, kinds["navfit 5 bands"], kinds["navfit g"], strict=True):
        if k != "exact":
            p_cat, typ = truth[r[0]]
            print(f"  {r[0]:16s} {typ:5s} {p_cat:.6f} {r[1]['navfit 5 bands'][0]:.6f} {k:12s} {kg}")
    print("reliability of navfit's period confidence (bin: stars, right, mean confidence):")
    for m in METHODS[:2]:
        conf = [r[1][m][2] for r in rows]
        table = reliability(conf, [k == "exact" for k in kinds[m]])
        cells = [
            f"{b['lo']:g}-{b['hi']:g}: {b['n']}, {b['right']:.1%}, {b['mean']:.3f}" for b in table
        ]
        print(f"  {m:16s} " + "; ".join(cells))
    pairs = list(zip(kinds["navfit g"], kinds[METHODS[0]], strict=True))
    lost = sum(a == "exact" and b != "exact" for a, b in pairs)
    gained = sum(b == "exact" and a != "exact" for a, b in pairs)
    print(f"right with g only: {lost}; right with five bands only: {gained}")


if __name__ == "__main__":
    args = sys.argv[1:]
    cache_file = None
    if "--cache" in args:
        i = args.index("--cache")
        cache_file = Path(args[i + 1])
        del args[i : i + 2]
    main(
        Path(args[0]) if args else DEFAULT,
        int(args[1]) if len(args) > 1 else 1,
        cache_file,
    )
