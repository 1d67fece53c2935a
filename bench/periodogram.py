"""Time navfit.Periodogram against nifty-ls and astropy's fast methods, in one run.

One table: N in {1000, 3000, 30000} points, Nf in {1e4, 1e5, 1e6} frequencies,
order (astropy's ``nterms``) in {1, 4}. Columns:

* navfit: ``Periodogram(t, y, dy, order).power(f)`` (``method="auto"``, i.e.
  the NUFFT path on these grids);
* nifty-ls: backend ``finufft`` for order 1, ``finufft_chi2`` for order 4; the
  faster of its default thread heuristic and ``nthreads=1`` (on a busy
  two-core machine OpenMP's spin-waiting can make two threads much slower);
* astropy ``LombScargle(..., nterms=order)``: ``method="fast"`` (order 1 only)
  and ``method="fastchi2"``;
* the ratios nifty-ls / navfit and fastchi2 / navfit (above 1: navfit faster);
* the largest ``|power - exact|`` of each on a subsample of the grid (its 10
  lowest and 10 highest frequencies and random ones), where ``exact`` is
  navfit's direct path (numba sums over the data, QR at ill-conditioned
  frequencies), itself checked against astropy's ``method="chi2"`` (footer).

Data: ``N`` uniform random times over 1000 d, ``dy`` uniform in [0.5, 2], a
0.37 d sinusoid plus Gaussian noise. Grids are regular, ``f_k = f0 + k df``
with astropy's ``df = 1/(5 T)``, ``f0 = df/2``. Times are the best of
``--repeat`` runs after a warm-up (JIT compile, caches), navfit and nifty-ls
alternating; a method whose single
run would exceed ``--budget`` seconds is timed on the first tenth (or
hundredth) of the grid and scaled linearly, marked ``*`` (astropy fastchi2
loops over frequencies in Python, so its time is linear in Nf).

    python bench/periodogram.py [--repeat 3] [--budget 60] [--sizes N ...]
        [--grids Nf ...] [--orders s ...] [--no-eclipse]
"""

from __future__ import annotations

import argparse
import os
import time
import warnings

import numba
import numpy as np

import navfit
from navfit.periodogram import Periodogram

SIZES = (1000, 3000, 30000)
GRIDS = (10_000, 100_000, 1_000_000)
ORDERS = (1, 4)
BASELINE = 1000.0
CHECK_FREQUENCIES = 1000


def make_data(n, seed=0):
    rng = np.random.default_rng(seed + n)
    t = np.sort(rng.uniform(0, BASELINE, n))
    dy = rng.uniform(0.5, 2.0, n)
    y = 10 + 0.3 * np.sin(2 * np.pi * t / 0.37) + rng.normal(0, 1, n) * dy
    return t, y, dy


def grid(t, nf):
    df = 1.0 / (5 * (t.max() - t.min()))
    f0 = 0.5 * df
    return f0, df, f0 + df * np.arange(nf)


def best_time(func, repeat):
    times = []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return min(times), out


def subsample(nf, rng):
    k = min(nf, CHECK_FREQUENCIES)
    idx = np.r_[np.arange(10), nf - 10 + np.arange(10), rng.choice(nf, k - 20, replace=False)]
    return np.unique(np.clip(idx, 0, nf - 1))


def time_navfit_and_nifty(t, y, dy, order, f0, df, f, repeat):
    """Best times of navfit and nifty-ls, measured in alternation.

    Alternating the calls exposes both to the same load on a shared machine.
    nifty-ls gets the faster of its default thread heuristic and ``nthreads=1``.
    """
    import nifty_ls

    nf = f.size
    backend = "finufft" if order == 1 else "finufft_chi2"
    fmax = f0 + df * (nf - 1)
    pg = Periodogram(t, y, dy, order=order)

    def nifty(**kw):
        return nifty_ls.lombscargle(
            t, y, dy, fmin=f0, fmax=fmax, Nf=nf, nterms=order, backend=backend, **kw
        ).power

    calls = {
        "navfit": lambda: pg.power(f),
        "nifty": nifty,
        "nifty1": lambda: nifty(nthreads=1),
    }
    best = dict.fromkeys(calls, np.inf)
    out = {}
    for _ in range(repeat):
        for name, call in calls.items():
            elapsed, out[name] = best_time(call, 1)
            best[name] = min(best[name], elapsed)
    nif = "nifty" if best["nifty"] <= best["nifty1"] else "nifty1"
    return best["navfit"], out["navfit"], best[nif], out[nif]


def run_astropy(t, y, dy, order, f0, df, nf, method, repeat, budget):
    """Time astropy; extrapolate linearly in Nf from a shorter grid when too slow."""
    from astropy.timeseries import LombScargle

    ls = LombScargle(t, y, dy, nterms=order)

    def call(m):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ls.power(f0 + df * np.arange(m), method=method, assume_regular_frequency=True)

    probe = max(1000, nf // 100)
    t_probe, p = best_time(lambda: call(probe), 1)
    if t_probe * nf / probe <= budget:
        reps = repeat if t_probe * nf / probe < 5 else 1
        elapsed, p = best_time(lambda: call(nf), reps)
        return elapsed, p, False
    m = nf // 10
    if m <= probe or t_probe * m / probe > budget:
        m, elapsed = probe, t_probe
    else:
        elapsed, p = best_time(lambda: call(m), 1)
    return elapsed * nf / m, p, True


def max_error(power, idx, exact):
    """Largest ``|power - exact|`` on the subsample ``idx`` (as far as ``power`` reaches)."""
    if power is None:
        return None
    keep = idx[idx < power.size]
    return float(np.max(np.abs(power[keep] - exact[: keep.size])))


def fmt_ms(seconds, extrapolated=False):
    if seconds is None:
        return "-"
    text = f"{seconds * 1e3:.4g}" if seconds < 10 else f"{seconds * 1e3:.0f}"
    return text + ("*" if extrapolated else "")


def fmt_err(value):
    return "-" if value is None else f"{value:.1e}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=60.0)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=list(SIZES),
        help="numbers of points N (default: %(default)s)",
    )
    parser.add_argument(
        "--grids",
        type=int,
        nargs="+",
        default=list(GRIDS),
        help="numbers of frequencies Nf (default: %(default)s)",
    )
    parser.add_argument(
        "--orders",
        type=int,
        nargs="+",
        default=list(ORDERS),
        help="orders s (default: %(default)s)",
    )
    parser.add_argument(
        "--no-eclipse",
        action="store_true",
        help="skip the eclipse periodogram vs BoxLeastSquares table",
    )
    args = parser.parse_args(argv)

    import astropy
    import finufft
    import nifty_ls

    rng = np.random.default_rng(42)
    # warm-up: JIT compile (or cache load) of every path, finufft/FFTW setup
    t, y, dy = make_data(500)
    for order in ORDERS:
        pg = Periodogram(t, y, dy, order=order)
        f = grid(t, 20_000)[2]
        for method in ("direct", "nufft"):
            pg.power(f[:3000], method=method)
            pg.power(f, method=method)
        pg.power(np.sort(rng.uniform(0.001, 5, 300)), method="direct")

    print(
        f"navfit {navfit.__version__}, finufft {finufft.__version__}, nifty-ls "
        f"{nifty_ls.__version__}, astropy {astropy.__version__}, numpy {np.__version__}, "
        f"numba {numba.__version__} ({numba.get_num_threads()} threads, layer "
        f"{numba.threading_layer()}), {os.cpu_count()} CPUs; best of {args.repeat}; "
        f"* = extrapolated linearly from a tenth of the grid (run > {args.budget:g} s)"
    )
    head = (
        f"{'N':>6} {'Nf':>8} {'s':>2} | {'navfit':>8} | {'nifty-ls':>8} {'ratio':>6} | "
        f"{'ast.fast':>9} | {'fastchi2':>9} {'ratio':>6} | "
        f"{'err navfit':>10} {'nifty-ls':>8} {'ast.fast':>8} {'fastchi2':>8}"
    )
    print(" " * 17 + "time [ms]" + " " * 60 + "max |power - exact|")
    print(head)
    print("-" * len(head))
    checks = []
    for n in args.sizes:
        t, y, dy = make_data(n)
        for nf in args.grids:
            f0, df, f = grid(t, nf)
            idx = subsample(nf, rng)
            for order in args.orders:
                ref = Periodogram(t, y, dy, order=order)
                exact = ref.power(f[idx], method="direct")
                t_nav, p_nav, t_nif, p_nif = time_navfit_and_nifty(
                    t, y, dy, order, f0, df, f, args.repeat
                )
                t_fast = p_fast = None
                x_fast = False
                if order == 1:
                    t_fast, p_fast, x_fast = run_astropy(
                        t, y, dy, order, f0, df, nf, "fast", args.repeat, args.budget
                    )
                t_chi, p_chi, x_chi = run_astropy(
                    t, y, dy, order, f0, df, nf, "fastchi2", args.repeat, args.budget
                )

                print(
                    f"{n:>6} {nf:>8} {order:>2} | {fmt_ms(t_nav):>8} | {fmt_ms(t_nif):>8} "
                    f"{t_nif / t_nav:>6.2f} | {fmt_ms(t_fast, x_fast):>9} | "
                    f"{fmt_ms(t_chi, x_chi):>9} {t_chi / t_nav:>6.0f} | "
                    f"{fmt_err(max_error(p_nav, idx, exact)):>10} "
                    f"{fmt_err(max_error(p_nif, idx, exact)):>8} "
                    f"{fmt_err(max_error(p_fast, idx, exact)):>8} "
                    f"{fmt_err(max_error(p_chi, idx, exact)):>8}",
                    flush=True,
                )
                if nf == min(args.grids):
                    checks.append((n, order, t, y, dy, f[idx], exact))

    # the reference itself: navfit direct against astropy's exact chi2 method,
    # at frequencies above one cycle per time span (below it the normal equations
    # astropy solves lose digits; see navfit.periodogram)
    from astropy.timeseries import LombScargle

    worst = 0.0
    for _n, order, t, y, dy, fs, exact in checks:
        keep = fs >= 1.0 / (t.max() - t.min())
        sel = np.flatnonzero(keep)[:200]
        chi2 = LombScargle(t, y, dy, nterms=order).power(fs[sel], method="chi2")
        worst = max(worst, float(np.max(np.abs(chi2 - exact[sel]))))
    print(
        f"reference check: navfit direct vs astropy method='chi2' on 200 frequencies "
        f"f >= 1/T per (N, s) at Nf = {min(args.grids):g}: max |difference| = {worst:.1e}"
    )
    if not args.no_eclipse:
        eclipse_vs_bls(args.repeat)


def eclipse_vs_bls(repeat):
    """navfit's eclipse periodogram against astropy BoxLeastSquares, same trial periods.

    BLS gets the same five durations as navfit's template half-widths (full
    durations 2a P are not constant in time, so each phase width is converted at
    the shortest trial period, the most favourable setting for BLS) and its
    default ``objective="likelihood"``; both scan every epoch.
    """
    from astropy.timeseries import BoxLeastSquares

    from navfit import LightCurve
    from navfit.eclipse_periodogram import DEFAULT_WIDTHS, eclipse_periodogram
    from navfit.synthetic import nav_lightcurve, survey_times

    print("\neclipse periodogram vs astropy BoxLeastSquares (same trial periods, 5 widths)")
    print(
        f"{'N':>6} {'Nf':>8} | {'navfit [ms]':>11} | {'BLS [ms]':>10} | {'ratio':>6} | "
        f"{'navfit P':>10} {'BLS P':>10} {'true P':>8}"
    )
    for n in (1000, 3000, 30000):
        rng = np.random.default_rng(n)
        lc, truth = nav_lightcurve(
            "EA", noise=0.01, rng=rng, times=survey_times(n, rng=rng), period=2.8672, a=0.03
        )
        lc = LightCurve(lc.t, lc.y, lc.dy)
        for nf in (10_000, 100_000):
            periods = np.linspace(1.0, 10.0, nf)
            freq = 1.0 / periods
            eclipse_periodogram(lc, freq[:100])
            t_nav, (p_nav, _) = best_time(
                lambda lc=lc, freq=freq: eclipse_periodogram(lc, freq), repeat
            )
            durations = 2 * np.asarray(DEFAULT_WIDTHS) * periods.min()
            bls = BoxLeastSquares(lc.t, -lc.y, lc.dy)  # BLS looks for dips; magnitudes rise
            reps = 1 if n * nf > 3e8 else repeat
            t_bls, res = best_time(
                lambda bls=bls, periods=periods, d=durations: bls.power(periods, d), reps
            )
            print(
                f"{n:>6} {nf:>8} | {1e3 * t_nav:>11.1f} | {1e3 * t_bls:>10.1f} | "
                f"{t_bls / t_nav:>6.1f} | {periods[np.argmax(p_nav)]:>10.5f} "
                f"{periods[np.argmax(res.power)]:>10.5f} {truth['period']:>8.4f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
