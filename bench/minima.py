"""The evidence of issue 14 in one run: CM Dra, synthetic pulls, HD 23642, a third body.

Prints the CM Dra timings against Deeg (2021), the pull statistics of the NAV
profile and of KvW over synthetic space-like and survey-like light curves (the
generator of ``tests/test_minima.py``), the HD 23642 (K2) table summary with
the agreement of the two methods and the O-C fit, and the recovery of injected
light-time orbits.

    python bench/minima.py [--seeds 12] [--ltte 20]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# the synthetic eclipsing binaries and the third-body minima are those of the tests
sys.path.insert(0, str(ROOT / "tests"))

from test_minima import CM_DRA, CM_DRA_NOISE, synthetic_pulls
from test_oc import P0, T00, third_body

from navfit.manifest import load_entry, read_catalog
from navfit.minima import BENIGN_FLAGS, kwee_van_woerden, times_of_minima
from navfit.models import fit_nav
from navfit.oc import fit_oc


def cm_dra(folder):
    print("CM Dra (Deeg 2021; 5 folds, lowest point, noise 0.00138)")
    for name, (time_pub, err_pub, e56_pub) in sorted(CM_DRA.items()):
        t, flux = np.loadtxt(folder / name, unpack=True)
        r = kwee_van_woerden(t, flux, noise=CM_DRA_NOISE)
        print(
            f"  {name}: T = {r.time:.7f} (published {time_pub:.7f}, diff {r.time - time_pub:+.1e})"
            f"  err = {r.error:.7f} ({r.error / err_pub - 1:+.2%})  1956 err = {r.error_1956:.7f}"
            f" (published {e56_pub if e56_pub else 'NaN'})"
        )


def pulls(n_seeds):
    print(f"Synthetic pulls ({n_seeds} light curves per regime)")
    total = {"nav": [], "kvw": []}
    for kind in ("space", "survey"):
        t0 = time.perf_counter()
        p, silent = synthetic_pulls([(kind, s) for s in range(n_seeds)])
        for m, x in p.items():
            total[m].append(x)
            print(
                f"  {kind:6s} {m}: n = {x.size:4d}  std = {np.std(x):.3f}  mean = {np.mean(x):+.3f}"
                f"  |pull| > 3: {np.sum(np.abs(x) > 3)}"
            )
        print(
            f"  {kind:6s} clean minima one-sided or > 5 sigma off: {len(silent)}"
            f"  ({time.perf_counter() - t0:.1f} s)"
        )
    for m, parts in total.items():
        x = np.concatenate(parts)
        print(f"  all    {m}: n = {x.size:4d}  std = {np.std(x):.3f}  mean = {np.mean(x):+.3f}")


def hd23642(folder):
    catalog = read_catalog(folder)
    row = next(r for r in catalog if str(r["file"]).startswith("EA_HD23642"))
    lc, info = load_entry(row, folder)
    table = times_of_minima(fit_nav(lc, info["period"]), method="both")
    nav, kvw = table[table["method"] == "nav"], table[table["method"] == "kvw"]

    def clean(f):
        return all(x in BENIGN_FLAGS for x in str(f).split("; ") if x)

    z = [
        (a["time"] - b["time"]) / np.hypot(a["time_err"], b["time_err"])
        for a, b in zip(nav, kvw, strict=True)
        if np.isfinite(a["time"])
        and np.isfinite(b["time"])
        and clean(a["flags"])
        and clean(b["flags"])
    ]
    z = np.abs(z)
    print("HD 23642 (K2 C4)")
    print(
        f"  minima observed: {len(nav)}; timed by NAV {np.isfinite(nav['time']).sum()}, "
        f"by KvW {np.isfinite(kvw['time']).sum()}; clean NAV {sum(clean(f) for f in nav['flags'])}"
        f", clean KvW {sum(clean(f) for f in kvw['flags'])}"
    )
    print(
        f"  fully covered by both: {z.size}; within 1 combined sigma {np.mean(z <= 1):.0%}, "
        f"within 2 {np.mean(z <= 2):.0%}"
    )
    for m in ("nav", "kvw"):
        r = fit_oc(table, method=m, models=("linear", "quadratic"))
        lin = r.models["linear"]
        print(
            f"  {m}: linear ephemeris on {lin.n} minima: chi2/dof = {lin.chi2_red:.2f}, "
            f"P = {lin.derived['P'][0]:.7f} +- {lin.derived['P'][1]:.1e} d, best {r.best.name}"
        )
    return table


def ltte(n):
    amp, per, best = [], [], []
    for seed in range(n):
        r = fit_oc(third_body(seed), period=P0, epoch=T00)
        m = r.models["ltte"]
        amp.append(m.derived["amplitude"][0] / 0.005 - 1)
        per.append(m.derived["P3"][0] / 1000 - 1)
        best.append(r.best.name)
    amp, per = np.abs(amp), np.abs(per)
    print(f"Third body ({n} realisations of 50 minima, 0.0005 d, A = 0.005 d, P3 = 1000 d)")
    print(
        f"  |A/A0 - 1|: median {np.median(amp):.3f}, max {amp.max():.3f}; |P3/P0 - 1|: median "
        f"{np.median(per):.4f}, max {per.max():.4f}; LTTE best in {best.count('ltte')}/{n}"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=12, help="light curves per regime")
    parser.add_argument("--ltte", type=int, default=20, help="third-body realisations")
    args = parser.parse_args()
    shared = ROOT.parent / "shared"
    cm_dra(shared / "minima")
    pulls(args.seeds)
    hd23642(shared / "lightcurves")
    ltte(args.ltte)


if __name__ == "__main__":
    main()
