"""Time navfit.select_order (s = 1..50) against a plain numpy loop, in one run.

The numpy loop is what a user would write: build the design matrix of each
order and call ``numpy.linalg.lstsq`` on the weighted system. Both give the
chi-square of every order; the script prints the times, the ratio and the
largest relative chi-square difference.

    python bench/tp_order.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import time

import numba
import numpy as np

import navfit
from navfit.synthetic import nav_lightcurve

MAX_ORDER = 50


def numpy_loop(lc, period, max_order=MAX_ORDER):
    """Chi-square of TP orders 1..max_order, one numpy lstsq per order."""
    phase = (lc.t - 0.5 * (lc.t[0] + lc.t[-1])) / period
    w = 1.0 / lc.dy
    chi2 = []
    for s in range(1, max_order + 1):
        cols = [np.ones_like(phase)]
        for j in range(1, s + 1):
            cols += [np.cos(2 * np.pi * j * phase), np.sin(2 * np.pi * j * phase)]
        X = np.column_stack(cols)
        _, rss, _, _ = np.linalg.lstsq(X * w[:, None], lc.y * w, rcond=None)
        chi2.append(rss[0])
    return np.array(chi2)


def best_time(func, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    print(
        f"navfit {navfit.__version__}, numpy {np.__version__}, numba {numba.__version__}, "
        f"{numba.get_num_threads()} numba threads; best of {args.repeat}"
    )
    print(
        f"{'N':>6} {'orders':>7} {'navfit [ms]':>12} {'numpy loop [ms]':>16} {'ratio':>7} "
        f"{'max |dchi2|/chi2':>17}"
    )
    for n in (1000, 10000):
        lc, truth = nav_lightcurve("EA", n=n, rng=n)
        period = truth["period"]
        navfit.select_order(lc, period, max_order=MAX_ORDER)  # JIT warm-up
        t_nav, tab = best_time(
            lambda lc=lc, period=period: navfit.select_order(lc, period, max_order=MAX_ORDER),
            args.repeat,
        )
        t_np, chi2 = best_time(lambda lc=lc, period=period: numpy_loop(lc, period), args.repeat)
        diff = np.max(np.abs(np.asarray(tab["chi2"]) - chi2) / chi2)
        print(
            f"{n:>6} {'1-50':>7} {1e3 * t_nav:>12.2f} {1e3 * t_np:>16.2f} "
            f"{t_np / t_nav:>7.1f} {diff:>17.2e}"
        )


if __name__ == "__main__":
    main()
