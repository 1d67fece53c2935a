"""Stripe 82 RR Lyrae: the multi-band period search (u, g, r, i, z) against g alone.

Every star of ``survey/s82_ugriz`` (Sesar et al. 2010; 17 columns: ra, dec, then
MJD, mag, error for u, g, r, i, z; -99.99 or 99.99 marks a missing value) goes
through :func:`navfit.find_period` twice: with its five bands together (the
multi-band search) and with its g points alone (the one-band search). A period
is right when ``|1/P - 1/P_cat| <= max(0.5 / T, 1e-4 / P_cat)`` (T the time span
of the points searched), ``P_cat`` from ``survey/truth.csv``.

Usage: ``python bench/s82_multiband.py [survey folder] [processes]``.
"""

import csv
import sys
import time
from multiprocessing import Pool
from pathlib import Path

import numpy as np

import navfit

BANDS = "ugriz"
DEFAULT = Path(__file__).resolve().parents[1] / "../shared/survey"


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


def right(period: float, p_cat: float, span: float) -> bool:
    """Whether ``period`` is the catalogue period within the criterion of the module."""
    return abs(1 / period - 1 / p_cat) <= max(0.5 / span, 1e-4 / p_cat)


def one_star(job):
    """(name, right with five bands, right with g alone, seconds of each)."""
    path, p_cat = job
    lc = read_star(path)
    g = lc.select("g")
    out = [path.stem]
    for curve in (lc, g):
        start = time.perf_counter()
        try:
            ok = right(navfit.find_period(curve).period, p_cat, curve.time_span)
        except navfit.NavfitError:
            ok = False
        out += [ok, time.perf_counter() - start]
    return tuple(out)


def main(folder: Path, processes: int) -> None:
    """Run every star and print both fractions."""
    truth = {}
    with open(folder / "truth.csv", newline="") as fh:
        for row in csv.DictReader(fh):
            if row["file"].startswith("lc/S82RR_") and row["period"]:
                truth[Path(row["file"]).name] = float(row["period"])
    jobs = [
        (p, truth[p.name]) for p in sorted((folder / "s82_ugriz").glob("*.dat")) if p.name in truth
    ]
    with Pool(processes) as pool:
        rows = pool.map(one_star, jobs, chunksize=1)
    n = len(rows)
    multi = sum(r[1] for r in rows)
    single = sum(r[3] for r in rows)
    print(f"Stripe 82 RR Lyrae: {n} stars with a catalogue period")
    print(
        f"  five bands, multi-band find_period: {multi}/{n} = {multi / n:.1%} "
        f"(median {np.median([r[2] for r in rows]):.2f} s per star)"
    )
    print(
        f"  g alone, one-band find_period:      {single}/{n} = {single / n:.1%} "
        f"(median {np.median([r[4] for r in rows]):.2f} s per star)"
    )
    lost = [r[0] for r in rows if r[3] and not r[1]]
    gained = [r[0] for r in rows if r[1] and not r[3]]
    print(f"  right with g only: {len(lost)}; right with five bands only: {len(gained)}")


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT,
        int(sys.argv[2]) if len(sys.argv) > 2 else 2,
    )
