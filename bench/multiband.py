"""Time navfit's multi-band periodogram against astropy's LombScargleMultiband.

The shared-phase model (``order`` harmonics shared, an offset per band):
navfit ``Periodogram(lc, order=s).power(f)`` on a multi-band light curve
(numba, ``method="auto"``) against astropy ``LombScargleMultiband(t, y, bands,
dy, nterms_base=s, nterms_band=0, reg_base=None, reg_band=None)
.power(f, method="flexible")``, whose loop over frequencies is in Python.
astropy's ``method="fast"`` fits another model (a free harmonic term per
band) and is not compared.

Data: ``N`` points over 1000 d in five bands (LSST-like: each epoch in one
band), a 0.37 d signal with an offset per band. Grids: astropy's
``df = 1/(5 T)`` from ``df/2``. Times are the best of ``--repeat`` runs after a
warm-up (JIT compile); astropy is timed on a slice of the grid when its run
would exceed ``--budget`` seconds and scaled linearly (marked ``*``). The
last column is the largest ``|power difference|`` on the slice both computed, from one cycle over the time span up (below, astropy's
normal equations, with a constant column that the band offsets make redundant,
lose digits; navfit's agree there with its SVD twin, see the tests).

    python bench/multiband.py [--repeat 3] [--budget 20] [--sizes N ...]
        [--grids Nf ...] [--orders s ...]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from astropy.timeseries import LombScargleMultiband

import navfit

BANDS = np.array(list("ugrizy"))


def data(n, seed=0):
    """``N`` points in six bands over 1000 d: a 0.37 d signal plus offsets and noise."""
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 1000, n))
    band = rng.choice(BANDS, n)
    offset = {b: 15 + 0.2 * k for k, b in enumerate(BANDS)}
    dy = rng.uniform(0.02, 0.06, n)
    y = np.array([offset[b] for b in band]) + 0.3 * np.sin(2 * np.pi * t / 0.37)
    return navfit.LightCurve(t, y + rng.normal(0, 1, n) * dy, dy, band=band)


def best(func, repeat):
    """Best wall time of ``repeat`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = func()
        times.append(time.perf_counter() - t0)
    return min(times), out


def main(argv=None) -> int:
    """Print the table; returns 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--budget", type=float, default=20.0)
    parser.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    parser.add_argument("--grids", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--orders", type=int, nargs="+", default=[1, 3])
    args = parser.parse_args(argv)
    print(
        f"{'N':>6} {'Nf':>8} {'s':>2} {'navfit s':>10} {'astropy s':>11} {'ratio':>8} {'max|dP|':>9}"
    )
    for n in args.sizes:
        lc = data(n)
        bands = np.array(lc.bands)[lc.band_index]
        span = lc.t[-1] - lc.t[0]
        df = 1 / (5 * span)
        for nf in args.grids:
            f = df / 2 + df * np.arange(nf)
            for s in args.orders:
                pg = navfit.Periodogram(lc, order=s)
                pg.power(f[:100])  # warm-up: JIT compile
                t_nav, p_nav = best(lambda pg=pg, f=f: pg.power(f), args.repeat)
                ls = LombScargleMultiband(
                    lc.t, lc.y, bands, lc.dy, nterms_base=s, nterms_band=0,
                    reg_base=None, reg_band=None,
                )  # fmt: skip
                probe = f[:200]
                t_probe, _ = best(lambda ls=ls, p=probe: ls.power(p, method="flexible"), 1)
                part = f if t_probe * nf / probe.size <= args.budget else f[: max(200, nf // 100)]
                t_ast, p_ast = best(lambda ls=ls, p=part: ls.power(p, method="flexible"), 1)
                scaled = t_ast * nf / part.size
                mark = "*" if part.size < nf else " "
                above = part >= 1 / span  # below one cycle over the span astropy loses digits
                diff = float(np.max(np.abs(p_ast - p_nav[: part.size])[above]))
                print(
                    f"{n:>6} {nf:>8} {s:>2} {t_nav:>10.4f} {scaled:>10.2f}{mark} "
                    f"{scaled / t_nav:>8.0f} {diff:>9.1e}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
