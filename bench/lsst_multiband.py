"""Six-band eclipsing binaries with LSST-like sparse sampling: joint against single-band.

Issue 15 asks for the evidence that one ephemeris shared by every band is
worth having on survey cadences where each epoch is taken in one band only:

* **period recovery** of :func:`navfit.find_period` on all six bands together
  against the same search on the best-sampled band alone (the band with the
  most points), "exact" by the survey criterion
  ``|1/P - 1/P_true| <= max(0.5/T, 1e-4/P_true)``;
* **errors** of period and epoch of the joint NAV fit
  (:func:`navfit.fit_nav_multiband`) against the NAV fit of the best-sampled
  band (:func:`navfit.fit_nav`), both started at the true ephemeris;
* **pulls** ``(fitted - true) / error`` of the shared period and epoch of the
  joint fit over all stars (and, for the fits in the eclipses' basin, of the
  half-width and the profile exponents, with a robust standard deviation
  beside the plain one): their standard deviation should be near 1; and,
  since a fit in another basin (a quarter or half cycle off, or Min I and
  Min II exchanged) has a pull of hundreds, the number of such fits and the
  pulls of the others;
* the joint recovery by the number of points inside an eclipse window (all
  bands together, within the half-width of either eclipse centre): what the
  sampling leaves to find.

Stars: EA, EB and EW presets of :data:`navfit.synthetic.NAV_PRESETS`, periods
log-uniform in 0.5-8 d (EW 0.25-0.6 d), the eclipse depths scaled per band
(u deepest, y shallowest, as for a hot primary and a cool secondary) and a
colour offset per band. Epochs: ``--epochs`` (default 60) over three
seasons of a 1000-day span, each epoch in one band drawn at random, Gaussian
noise ``--noise`` mag.

Run ``python bench/lsst_multiband.py [--stars 60] [--seed 1]``; numbers go in
the issue's note, there are no timed assertions.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

import navfit
from navfit.band_selection import best_band
from navfit.errors import NavfitError
from navfit.nav_params import BOUNDS as NAV_BOUNDS
from navfit.nav_params import curve as nav_curve
from navfit.synthetic import LSST_BANDS, LSST_DEPTH, LSST_LEVEL, NAV_PRESETS, survey_times

BANDS, DEPTH, LEVEL = LSST_BANDS, LSST_DEPTH, LSST_LEVEL
#: The binary types drawn, in this order (the seed fixes which star is which).
KINDS = ("EA", "EB", "EW")
#: A joint fit whose epoch is more than this (cycles) from the true Min I is in another basin.
OFF_BASIN = 0.1
#: The shared eclipse parameters besides period and epoch whose pulls are reported.
SHAPE = ("a1", "beta1", "beta2")


def make_star(rng, n_epochs, noise):
    """One six-band eclipsing binary with one band per epoch; returns the light curve and truth."""
    kind = str(rng.choice(list(KINDS)))
    lo, hi = (0.25, 0.6) if kind == "EW" else (0.5, 8.0)
    period = float(np.exp(rng.uniform(np.log(lo), np.log(hi))))
    epoch = 2459000.3 + rng.uniform(0, period)
    preset = NAV_PRESETS[kind]
    t = survey_times(n_epochs, span=1000.0, seasons=3, rng=rng)
    which = rng.integers(0, len(BANDS), t.size)
    y = np.empty(t.size)
    for b in range(len(BANDS)):
        sel = which == b
        c = np.array(preset["c"], dtype=float)
        c[0] += LEVEL[b]
        c[5:7] *= DEPTH[b]
        y[sel] = nav_curve(
            (t[sel] - epoch) / period, c, preset["a"], preset["beta1"], preset["beta2"]
        )
    y += rng.normal(0.0, noise, t.size)
    lc = navfit.LightCurve(
        t,
        y,
        np.full(t.size, noise),
        band=np.array(BANDS)[which],
        time_system="BJD",
        name=f"LSST-like {kind}",
    )
    phase = (t - epoch) / period
    d1 = np.abs(phase - np.round(phase))
    d2 = np.abs(phase - 0.5 - np.round(phase - 0.5))
    in_eclipse = int(np.count_nonzero((d1 < preset["a"]) | (d2 < preset["a"])))
    shape = {"a1": preset["a"], "beta1": preset["beta1"], "beta2": preset["beta2"]}
    return lc, {"kind": kind, "period": period, "epoch": epoch, "in_eclipse": in_eclipse, **shape}


def exact(p, truth, span):
    """The survey criterion of issue 10."""
    return abs(1 / p - 1 / truth) <= max(0.5 / span, 1e-4 / truth)


def best_single_band(lc):
    """The best-sampled band (:func:`navfit.band_selection.best_band`) alone."""
    return lc.select(best_band(lc))


def epoch_pull(fit, truth):
    """``(T0 - T_true) / sigma(T0)``, ``T_true`` the true Min I in the cycle of the fitted ``T0``.

    The truth is carried to the fitted epoch's cycle with the true period;
    moving the fitted epoch to the true one's cycle with the fitted period
    instead would add the period's error times the cycle count, which
    ``sigma(T0)`` does not include.
    """
    cycles = np.round((fit.epoch - truth["epoch"]) / truth["period"])
    return (fit.epoch - truth["epoch"] - cycles * truth["period"]) / fit.errors["epoch"]


def run(n_stars, seed, n_epochs, noise):
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_stars):
        lc, truth = make_star(rng, n_epochs, noise)
        single = best_single_band(lc)
        row = {"kind": truth["kind"], "n_single": single.n, "in_eclipse": truth["in_eclipse"]}
        t0 = time.perf_counter()
        try:
            row["joint"] = exact(navfit.find_period(lc).period, truth["period"], lc.time_span)
        except NavfitError:
            row["joint"] = False
        row["t_joint"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        try:
            p1 = navfit.find_period(single).period
            row["single"] = exact(p1, truth["period"], lc.time_span)
        except NavfitError:
            row["single"] = False
        row["t_single"] = time.perf_counter() - t0
        try:
            joint = navfit.fit_nav_multiband(lc, truth["period"])
            row["pull_p"] = (joint.period - truth["period"]) / joint.errors["period"]
            row["pull_e"] = epoch_pull(joint, truth)
            row["epoch_offset"] = row["pull_e"] * joint.errors["epoch"] / truth["period"]
            for name in SHAPE:
                lo, hi = NAV_BOUNDS[name]
                if not lo < joint.params[name] < hi:
                    row[f"at_bound_{name}"] = True  # truncated there: no pull
                elif 0 < joint.errors[name] < np.inf:
                    row[f"pull_{name}"] = (joint.params[name] - truth[name]) / joint.errors[name]
            row["err_p_joint"], row["err_e_joint"] = joint.errors["period"], joint.errors["epoch"]
        except NavfitError as err:
            row["joint_fit_error"] = str(err)
        try:
            one = navfit.fit_nav(single, truth["period"])
            row["err_p_single"] = one.errors["period"]
            row["err_e_single"] = one.errors["epoch"]
        except NavfitError as err:
            row["single_fit_error"] = str(err)
        rows.append(row)
        print(
            f"  {i + 1:3d} {truth['kind']} P={truth['period']:.4f} n_single={single.n:2d} "
            f"in eclipse {truth['in_eclipse']:2d} "
            f"joint={'ok' if row['joint'] else '--'} single={'ok' if row['single'] else '--'}",
            flush=True,
        )
    return rows


def report(rows):
    n = len(rows)
    joint = sum(r["joint"] for r in rows)
    single = sum(r["single"] for r in rows)
    print(
        f"\nStars: {n}; points in the best-sampled band: median "
        f"{np.median([r['n_single'] for r in rows]):.0f}"
    )
    print(f"period exact, all six bands (find_period): {joint}/{n} = {100 * joint / n:.1f} %")
    print(f"period exact, best-sampled band alone:     {single}/{n} = {100 * single / n:.1f} %")
    for kind in KINDS:
        sub = [r for r in rows if r["kind"] == kind]
        if sub:
            print(
                f"  {kind}: joint {sum(r['joint'] for r in sub)}/{len(sub)}, "
                f"single {sum(r['single'] for r in sub)}/{len(sub)}"
            )
    # what the sampling allows: an eclipse seen by a handful of points in six bands with
    # six free zero points cannot be told from noise by any search
    print("period exact, all six bands, by points inside an eclipse (all bands together):")
    for lo, hi in ((0, 4), (4, 8), (8, 16), (16, 10**9)):
        sub = [r for r in rows if lo <= r["in_eclipse"] < hi]
        label = f"{lo}-{hi - 1}" if hi < 10**9 else f">= {lo}"
        if sub:
            kinds = ", ".join(
                f"{k} {sum(r['joint'] for r in sub if r['kind'] == k)}/"
                f"{sum(r['kind'] == k for r in sub)}"
                for k in KINDS
                if any(r["kind"] == k for r in sub)
            )
            print(f"  {label:>6s} points: {sum(r['joint'] for r in sub)}/{len(sub)} ({kinds})")
    both = [r for r in rows if "err_p_joint" in r and "err_p_single" in r]
    if both:
        rp = np.array([r["err_p_joint"] / r["err_p_single"] for r in both])
        re = np.array([r["err_e_joint"] / r["err_e_single"] for r in both])
        print(
            f"error ratio joint/single at the true ephemeris ({len(both)} stars with both fits): "
            f"period median {np.median(rp):.2f} (max {rp.max():.2f}), "
            f"epoch median {np.median(re):.2f} (max {re.max():.2f})"
        )
    print(
        f"single-band NAV fit refused: {sum('single_fit_error' in r for r in rows)}; "
        f"joint NAV fit refused: {sum('joint_fit_error' in r for r in rows)}"
    )
    for kind in ("all", *KINDS):
        pulls = [r for r in rows if "pull_p" in r and kind in ("all", r["kind"])]
        if len(pulls) < 2:
            continue
        pp = np.array([r["pull_p"] for r in pulls])
        pe = np.array([r["pull_e"] for r in pulls])
        print(
            f"pulls of the joint fit, {kind} ({len(pulls)} stars): period mean {pp.mean():+.2f} "
            f"std {pp.std(ddof=1):.2f}; epoch mean {pe.mean():+.2f} std {pe.std(ddof=1):.2f}, "
            f"median |pull| {np.median(np.abs(pe)):.2f}"
        )
    # a fit in another basin (a quarter or half cycle off) has a pull of hundreds: count
    # those apart and give the pulls of the fits at the eclipses (cycle offset <= 0.1)
    fitted = [r for r in rows if "epoch_offset" in r]
    off = [r for r in fitted if abs(r["epoch_offset"]) > OFF_BASIN]
    swaps = sum(abs(abs(r["epoch_offset"]) - 0.5) < OFF_BASIN for r in off)
    inside = [r for r in fitted if abs(r["epoch_offset"]) <= OFF_BASIN]
    print(
        f"joint fits more than {OFF_BASIN} cycle from the true epoch: {len(off)}/{len(fitted)} "
        f"({swaps} of them Min I and Min II exchanged)"
    )
    if len(inside) > 1:
        pp = np.array([r["pull_p"] for r in inside])
        pe = np.array([r["pull_e"] for r in inside])
        print(
            f"pulls of the other {len(inside)}: period std {pp.std(ddof=1):.2f}, "
            f"epoch std {pe.std(ddof=1):.2f}, median |pull| {np.median(np.abs(pe)):.2f} "
            "(0.67 for a unit normal)"
        )
        # one pull of 20 sets the standard deviation of 40: the robust one
        # (1.4826 x the median absolute deviation, 1 for a unit normal) beside it
        print("  shared parameter: std, robust std, |pull| > 3 (fits in the basin; at a bound)")
        for name in ("period", "epoch", *SHAPE):
            key = {"period": "pull_p", "epoch": "pull_e"}.get(name, f"pull_{name}")
            x = np.array([r[key] for r in inside if key in r])
            bound = sum(f"at_bound_{name}" in r for r in inside)
            if x.size > 1:
                robust = 1.4826 * np.median(np.abs(x - np.median(x)))
                print(
                    f"    {name:7s} {x.std(ddof=1):6.2f} {robust:6.2f} "
                    f"{np.sum(np.abs(x) > 3):3d}/{x.size}"
                    + (f"; {bound} at a bound" if bound else "")
                )
    tj = np.median([r["t_joint"] for r in rows])
    ts = np.median([r["t_single"] for r in rows])
    print(f"time per star (median): joint search {tj:.2f} s, single-band search {ts:.2f} s")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stars", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--epochs", type=int, default=60)
    parser.add_argument("--noise", type=float, default=0.02)
    args = parser.parse_args(argv)
    report(run(args.stars, args.seed, args.epochs, args.noise))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
