"""Batch throughput: stars per second of ``navfit.batch.run_batch`` with 1 and 2 workers.

Makes ``--n`` survey-like light curves (500 points over three seasons, a mix of
EA, EB, EW eclipsers and RRab pulsators from :mod:`navfit.synthetic`, seeded),
writes them as CSV files into a temporary folder, and times the whole batch
(worker start-up included, wall clock) with the process pool and with a local
Dask cluster. The issue's target is a speed-up of at least 1.9 from 1 to 2
workers on 1000 stars.

    python bench/batch.py --n 1000
    python bench/batch.py --n 100 --engines processes
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

import numpy as np
from astropy.table import Table

from navfit.analyze import analyze
from navfit.batch import run_batch
from navfit.synthetic import NAV_PRESETS, nav_lightcurve, pulsator_lightcurve, survey_times

KINDS = ("EA", "EB", "EW", "RRAB")


def make_stars(folder: Path, n: int, points: int = 500, seed: int = 20261124) -> list[Path]:
    """Write ``n`` light curves of ``points`` points each; returns their paths."""
    rng = np.random.default_rng(seed)
    paths = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        times = survey_times(points, rng=rng)
        scale = rng.uniform(0.8, 1.25)
        if kind == "RRAB":
            lc, _ = pulsator_lightcurve(times=times, period=0.5643 * scale, rng=rng)
        else:
            lc, _ = nav_lightcurve(
                kind, times=times, noise=0.012, rng=rng, period=NAV_PRESETS[kind]["period"] * scale
            )
        path = folder / f"star{i:05d}_{kind.lower()}.csv"
        Table({"bjd": lc.t, "mag": lc.y, "err": lc.dy}).write(
            path,
            format="ascii.csv",
            overwrite=True,
            formats={"bjd": "%.6f", "mag": "%.5f", "err": "%.4f"},
        )
        paths.append(path)
    return paths


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=1000, help="number of stars (default 1000)")
    parser.add_argument(
        "--jobs", type=int, nargs="+", default=[1, 2], help="worker counts to time (default 1 2)"
    )
    parser.add_argument(
        "--engines", nargs="+", default=["processes", "dask"], choices=["processes", "dask"]
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="navfit-bench-") as tmp:
        folder = Path(tmp) / "stars"
        folder.mkdir()
        t0 = time.perf_counter()
        paths = make_stars(folder, args.n)
        print(f"{args.n} light curves of 500 points written in {time.perf_counter() - t0:.1f} s")
        analyze(paths[0])  # load numba's compiled kernels in this process (jobs=1 runs here)

        results = {}
        print(
            f"{'engine':<10s} {'jobs':>4s} {'seconds':>8s} {'stars/s':>8s} {'speed-up':>8s} "
            f"{'failed':>6s} {'peak MB/worker':>14s}"
        )
        for engine in args.engines:
            if engine == "dask":
                try:
                    import dask.distributed  # noqa: F401
                except ImportError:
                    print("dask        (not installed: pip install 'navfit[dask]')")
                    continue
            for jobs in args.jobs:
                out = Path(tmp) / f"cat_{engine}_{jobs}.ecsv"
                summary = run_batch([folder], out, jobs=jobs, engine=engine, progress=False)
                rate = summary["total"] / summary["elapsed"]
                results[engine, jobs] = rate
                base = results.get((engine, args.jobs[0]), rate)
                # peak resident memory of a worker: this process for one job (it runs
                # the stars itself), else the largest child process waited for so far
                who = resource.RUSAGE_SELF if jobs == 1 else resource.RUSAGE_CHILDREN
                peak = resource.getrusage(who).ru_maxrss / 1024  # kB on Linux
                print(
                    f"{engine:<10s} {jobs:>4d} {summary['elapsed']:>8.1f} {rate:>8.2f} "
                    f"{rate / base:>8.2f} {summary['failed']:>6d} {peak:>14.0f}",
                    flush=True,
                )
        catalogues = [Table.read(p, format="ascii.ecsv") for p in sorted(Path(tmp).glob("*.ecsv"))]
        same = all(list(c["gcvs"]) == list(catalogues[0]["gcvs"]) for c in catalogues)
        print(f"catalogues identical across engines and worker counts: {same}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
