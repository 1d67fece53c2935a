"""Time of :func:`navfit.find_period` on the case of issue 12, and where it goes.

The case: a synthetic EA (``navfit.synthetic`` preset) with N = 1000 points over
3000 days in eight seasons, numba warm and on one thread, the default grid.
One run prints

* the median of ``--repeat`` calls of ``find_period`` (staged, the default)
  and of the exhaustive reference (``method="exhaustive"``), with the period
  each finds;
* astropy's ``LombScargle(method="fast")`` over the same frequency grid as
  the yardstick, and the ratio;
* the time of each stage of one staged call (cProfile, cumulative): the
  candidates' TP scores, the eclipse periodogram, the NAV fit of the
  decision, the shape evidence.

Run ``python bench/find_period_speed.py [--n 1000] [--span 3000] [--repeat 5]``.
No timed assertions anywhere: the numbers go in the issue's note.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time

import numpy as np

import navfit
from navfit.batch import limit_threads
from navfit.synthetic import nav_lightcurve, survey_times

#: Stages of one call: label -> function name as cProfile lists it (file:function).
STAGES = {
    # the candidates' scores live in period_candidates.py since stop 19
    "candidate TP scores": ("period_candidates.py", "score_candidates"),
    "eclipse periodogram (all passes)": ("eclipse_periodogram.py", "eclipse_periodogram"),
    "NAV fits of the decision": ("nav.py", "fit_nav"),
    "shape evidence": ("evidence.py", "shape_features"),
    "TP2 periodogram": ("periodogram.py", "power"),
}


def median_time(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t0)
    return float(np.median(times)), out


def stage_times(lc):
    prof = cProfile.Profile()
    prof.enable()
    navfit.find_period(lc)
    prof.disable()
    stats = pstats.Stats(prof).stats
    out = {}
    for label, (fname, func) in STAGES.items():
        total = 0.0
        for (path, _line, name), (_cc, _nc, _tt, ct, _callers) in stats.items():
            if name.lstrip("_") == func and path.endswith((fname, "period_search.py")):
                total = max(total, ct)
        out[label] = total
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--span", type=float, default=3000.0)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    limit_threads(1)  # one core: numba, NUFFT and BLAS threads
    rng = np.random.default_rng(args.seed)
    t = survey_times(args.n, span=args.span, seasons=8, rng=rng)
    lc, truth = nav_lightcurve("EA", times=t, rng=rng, noise=0.01)
    navfit.find_period(lc)  # compile
    navfit.find_period(lc, method="exhaustive")
    staged, res = median_time(lambda: navfit.find_period(lc), args.repeat)
    exhaustive, ref = median_time(
        lambda: navfit.find_period(lc, method="exhaustive"), max(1, args.repeat // 2)
    )
    from astropy.timeseries import LombScargle

    freq = res.frequency
    ls = LombScargle(lc.t, lc.y, lc.dy)
    ls.power(freq[:1000], method="fast")
    t_ls, _ = median_time(lambda: ls.power(freq, method="fast"), args.repeat)
    print(f"N = {lc.n}, span {lc.time_span:.0f} d, grid {freq.size} frequencies, one thread")
    print(f"true period {truth['period']}")
    print(f"find_period staged:     {staged:.3f} s  P = {res.period:.7f}")
    print(f"find_period exhaustive: {exhaustive:.3f} s  P = {ref.period:.7f}")
    print(
        f"astropy LombScargle fast, same grid: {t_ls:.3f} s; staged / astropy = {staged / t_ls:.2f}"
    )
    print("stages of one staged call (cumulative seconds):")
    for label, secs in stage_times(lc).items():
        print(f"  {label:34s} {secs:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
