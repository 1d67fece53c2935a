"""Multi-band period search and analysis (issue 15, step 4)."""

import csv
import json
import sys

import numpy as np
import pytest

import navfit
from navfit.aliases import alias_contrast
from navfit.band_selection import (
    POOL_BELOW,
    band_curves,
    best_band,
    short_bands,
    without_short_bands,
    without_small_bands,
)
from navfit.catalogue import CatalogueRow
from navfit.errors import InputError, NavfitError
from navfit.models.nav_multiband_starts import start_fits
from navfit.models.tp import bic_by_order, bic_order, order_limit
from navfit.period_search_multiband import (
    MULTIPLE_ALPHA,
    MULTIPLES,
    design_effect,
    established_period,
    joint_bic,
    multiple_test,
)
from navfit.synthetic import (
    multiband_nav_lightcurve,
    nav_lightcurve,
    six_band_sparse_lightcurve,
    survey_times,
)

ZTF18ACRVWCZ_PERIOD = 3.697136  # MANIFEST.md (VSX oid 2345180)


@pytest.fixture(scope="module")
def ztf18acrvwcz(multiband_dir):
    """ZTF18acrvwcz from its ZTF and ATLAS files (ZTF g, r, i by field; ATLAS c, o)."""
    folder = multiband_dir / "EA_ZTF18acrvwcz"
    files = [*sorted(folder.glob("*-z*.csv")), folder / "18acrvwcz-atlas.txt"]
    return navfit.read_lightcurve(files)


def test_best_band_and_band_curves():
    lc = navfit.LightCurve(
        np.arange(20.0),
        np.sin(np.arange(20.0)),
        np.full(20, 0.1),
        band=["g"] * 4 + ["r"] * 12 + ["i"] * 4,
    )
    assert best_band(lc) == "r"
    assert [c.bands[0] for c in band_curves(lc, min_points=5)] == ["r"]
    assert [c.bands[0] for c in band_curves(lc, min_points=4)] == ["g", "r", "i"]
    kept = without_small_bands(lc, min_points=5)
    assert not kept.multiband
    assert kept.n == 12
    assert kept.meta["small_bands"] == ["g", "i"]
    assert without_small_bands(lc, min_points=4) is lc


def test_best_band_near_tie_takes_the_most_precise():
    band = ["u"] * 20 + ["g"] * 19 + ["r"] * 10
    dy = [0.05] * 20 + [0.01] * 19 + [0.001] * 10
    lc = navfit.LightCurve(np.arange(49.0), np.sin(np.arange(49.0)), dy, band=band)
    assert best_band(lc) == "g"  # 19 >= 0.9 * 20 points, smaller errors than u
    no_errors = navfit.LightCurve(np.arange(49.0), np.sin(np.arange(49.0)), band=band)
    assert best_band(no_errors) == "u"


def _bands_over(spans, counts):
    """A light curve of one band per (span, points), named b0, b1, ..."""
    t = np.concatenate([np.linspace(0, span, n) for span, n in zip(spans, counts, strict=True)])
    band = np.concatenate([[f"b{k}"] * n for k, n in enumerate(counts)])
    return navfit.LightCurve(t, np.sin(t), band=band)


def test_short_bands_are_measured_against_bands_that_can_carry_a_search():
    n = POOL_BELOW
    # b1 spans 200 d of b0's 1000 d; b2 (12 points) spans 500 d
    lc = _bands_over([1000, 200, 500], [n, 100, 12])
    assert short_bands(lc).tolist() == [False, True, False]
    # a band over a year is not short (Gaia's 900 days beside ATLAS's 3100)
    assert not short_bands(_bands_over([3100, 900], [n, 50])).any()
    # without b0, b1 sets the reference: nothing is short
    assert not short_bands(_bands_over([200, 500], [100, 12])).any()
    # a long band too sparse to carry a search does not make a dense one short
    assert not short_bands(_bands_over([1000, 10], [n - 1, 500])).any()
    # folded data have no time span
    phase = np.r_[np.linspace(0, 0.45, 100), np.linspace(0, 0.99, 40)]
    folded = navfit.LightCurve(
        phase, np.sin(2 * np.pi * phase), band=["g"] * 100 + ["r"] * 40, time_system="phase"
    )
    assert not short_bands(folded).any()
    assert best_band(folded) == "g"


def short_run_beside_long_series(seed):
    """An EA seen for 3000 d from the ground and for 11 d by a precise, dense space run.

    The space run carries variation the eclipse model does not (spots,
    systematics: 0.004 and 0.002 mag waves), far above its quoted 0.0005 mag.
    """
    rng = np.random.default_rng(seed)
    ground, truth = nav_lightcurve(
        "EA", times=survey_times(400, span=3000, seasons=8, rng=rng), rng=rng, period=7.3
    )
    ts = np.sort(ground.t[-1] + ground.time_offset + 100 + rng.uniform(0, 11, 1500))
    space, _ = nav_lightcurve(
        "EA", times=ts, rng=rng, noise=0.0005, period=7.3, epoch=truth["epoch"]
    )
    extra = 0.004 * np.sin(2 * np.pi * ts / 1.7 + 1) + 0.002 * np.sin(2 * np.pi * ts / 0.61)
    lc = navfit.LightCurve(
        np.r_[ground.t + ground.time_offset, ts],
        np.r_[ground.y, space.y + extra],
        np.r_[ground.dy, space.dy],
        band=["V"] * ground.n + ["space"] * space.n,
    )
    return lc, truth


@pytest.mark.parametrize("seed", [0, 1, 3])
def test_a_short_dense_band_does_not_pick_the_period(seed):
    # before: the 11-day run (1500 points) was the "best-sampled band" and its
    # misfit decided; the period came out 0.2-0.3 cycle off over the 3000 days
    lc, truth = short_run_beside_long_series(seed)
    assert best_band(lc) == "V"
    kept, short = without_short_bands(lc)
    assert kept.bands == ("V",)
    assert set(short) == {"space"}
    assert 10 < short["space"] < 11
    result = navfit.find_period(lc)
    drift = abs(result.period - truth["period"]) * lc.time_span / truth["period"] ** 2
    assert drift < 0.05
    assert set(result.evidence["short_bands"]) == {"space"}
    assert result.evidence["decided_in_band"] == "V"
    assert result.evidence["bands_scored"] == ["V"]
    # the joint fit starts from the band the search decided in, not the densest
    starts, pooled = start_fits(lc, truth["period"], truth["epoch"], True, True, lc_counts(lc))
    assert not pooled
    assert [s.lc.bands for s in starts] == [("V",)]
    # the short band still joins the joint fit at the period found
    star = navfit.analyze(lc)
    assert set(star.multiband.band_fits) == {"V", "space"}
    assert abs(star.multiband.period - truth["period"]) < 5 * star.multiband.errors["period"]


def lc_counts(lc):
    return np.bincount(lc.band_index, minlength=len(lc.bands))


def test_a_short_band_beside_two_long_ones_is_left_out_of_the_scores():
    lc, truth = short_run_beside_long_series(0)
    other, _ = nav_lightcurve(
        "EA",
        times=survey_times(300, span=2800, seasons=7, rng=np.random.default_rng(5)),
        rng=np.random.default_rng(6),
        period=truth["period"],
        epoch=truth["epoch"],
    )
    both = navfit.LightCurve(
        np.r_[lc.t + lc.time_offset, other.t + other.time_offset],
        np.r_[lc.y, other.y + 0.3],
        np.r_[lc.dy, other.dy],
        band=[*np.array(lc.bands)[lc.band_index], *["R"] * other.n],
    )
    result = navfit.find_period(both)
    assert set(result.evidence["short_bands"]) == {"space"}
    assert sorted(result.evidence["bands_scored"]) == ["R", "V"]
    drift = abs(result.period - truth["period"]) * both.time_span / truth["period"] ** 2
    assert drift < 0.05


def test_find_period_multiband_without_errors():
    lc, truth = multiband_nav_lightcurve(n=80, rng=5)
    bare = navfit.LightCurve(lc.t, lc.y, band=np.array(lc.bands)[lc.band_index])
    result = navfit.find_period(bare)
    assert abs(result.period / truth["period"] - 1) < 1e-4


def test_joint_bic_is_the_sum_over_bands_at_one_order():
    lc, truth = multiband_nav_lightcurve(n=60, rng=3)
    curves = band_curves(lc)
    bic, order = joint_bic(curves, truth["period"], 4)
    tables = [bic_by_order(c, truth["period"], min(4, order_limit(c.n))) for c in curves]
    total = np.sum([t[:4] for t in tables], axis=0)
    assert order == int(np.argmin(total)) + 1
    assert bic == pytest.approx(total.min())
    # the one-band choice is the minimum of the same table
    assert bic_order(curves[0], truth["period"], 4)[0] == pytest.approx(tables[0].min())


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_find_period_multiband_synthetic_eclipser(seed):
    lc, truth = multiband_nav_lightcurve(n=120, rng=seed)
    result = navfit.find_period(lc)
    assert abs(result.period / truth["period"] - 1) < 1e-4
    assert result.decision.classification.gcvs.startswith("EA")
    assert result.evidence["decided_in_band"] == "g"  # the first of three equal bands
    assert result.evidence["bands_scored"] == ["g", "r", "i"]
    assert result.significant
    assert len(result.frequency) == len(result.power)


def test_find_period_multiband_sparse_bands_beat_one_band():
    """Three bands of 40 points: the joint search finds the photometric period (P or P/2 of
    an eclipser with near-equal minima) every time; g alone does not."""

    def found(period, p):
        return any(abs(period / (p * m) - 1) < 1e-3 for m in (0.5, 1.0))

    joint = single = 0
    for seed in range(4):
        lc, truth = multiband_nav_lightcurve(n=40, rng=100 + seed, noise=0.02)
        p = truth["period"]
        joint += found(navfit.find_period(lc).evidence["photometric_period"], p)
        single += found(navfit.find_period(lc.select("g")).evidence["photometric_period"], p)
    assert joint == 4
    assert single < joint


@pytest.fixture(scope="module")
def ztf18acrvwcz_star(ztf18acrvwcz):
    """:func:`navfit.analyze` of ZTF18acrvwcz from all its ZTF and ATLAS files."""
    return navfit.analyze(ztf18acrvwcz)


def test_find_period_multiband_ztf18acrvwcz(ztf18acrvwcz, ztf18acrvwcz_star):
    assert "zi" in ztf18acrvwcz.bands  # 4 usable points: read, but not scored
    result = ztf18acrvwcz_star.search  # navfit.find_period of the multi-band curve
    assert result.evidence["decided_in_band"] == "o"
    assert "zi" not in result.evidence["bands_scored"]
    assert result.decision.classification.gcvs.startswith("EA")
    # the published period within 3 standard errors (ATLAS times are MJD without the
    # heliocentric correction, up to 8 min off the ZTF HJD)
    assert abs(result.period - ZTF18ACRVWCZ_PERIOD) < 3 * result.period_error


def test_analyze_multiband_ztf18acrvwcz(ztf18acrvwcz_star):
    star = ztf18acrvwcz_star
    assert star.type == "EA"
    joint = star.multiband
    assert joint is not None
    assert set(joint.bands) == {"zg", "zr", "c", "o"}  # zi (4 points) left out
    assert star.best is star.nav
    assert star.best.label == "NAV (joint)"
    assert abs(joint.period - ZTF18ACRVWCZ_PERIOD) < 3 * joint.errors["period"]
    assert joint.errors["period"] < star.search.period_error  # the joint fit is sharper
    d = star.to_dict()
    assert d["band"] == "o"  # Max, Min I, Min II in the best-sampled band, named
    assert d["n"] == star.lc.n
    assert star.lc.n > 2000
    per_band = d["bands"]["per_band"]
    # eclipse depths by band (MANIFEST: 2.3 mag in g, 1.5 in r, 1.8 in c, 1.5 in o)
    depth = {b: per_band[b]["depth1"][0] for b in per_band}
    assert depth["zg"] > depth["c"] > depth["o"]
    assert depth["zg"] > depth["zr"]
    assert set(d["bands"]["offsets"]) == {"18acrvwcz-zg2", "18acrvwcz-zr2"}  # ZTF field ids


def test_analyze_multiband_synthetic_row():
    lc, truth = multiband_nav_lightcurve(n=100, rng=1)
    star = navfit.analyze(lc)
    assert star.multiband_lc is lc
    assert star.lc.bands == ("g",)
    assert abs(star.best.period / truth["period"] - 1) < 1e-5
    row = CatalogueRow.from_result(star)
    assert row.band == "g"
    assert row.model == "NAV (joint)"
    per_band = row.details["bands"]["per_band"]
    assert list(per_band) == ["g", "r", "i"]
    # depths scale as the generator's factors 1.3 : 1.0 : 0.8
    ratio = per_band["i"]["depth1"][0] / per_band["g"]["depth1"][0]
    assert ratio == pytest.approx(0.8 / 1.3, rel=0.05)
    again = CatalogueRow.from_mapping(json.loads(json.dumps(star.to_dict())))
    assert again.details["bands"] == row.details["bands"]
    assert "gcvs" in star.to_dict()


def test_analyze_multiband_given_period():
    lc, truth = multiband_nav_lightcurve(n=80, rng=2)
    star = navfit.analyze(lc, period=truth["period"])
    assert star.multiband is not None
    assert abs(star.best.period / truth["period"] - 1) < 1e-5


def test_analyze_one_band_has_no_band_details():
    lc, _ = multiband_nav_lightcurve(n=80, rng=2)
    star = navfit.analyze(lc.select("r"))
    assert star.multiband is None
    assert "bands" not in star.to_dict()


def test_find_period_multiband_too_few_points_in_best_band():
    # bands of 10 points each are searched together (pooled); noise gives no period
    rng = np.random.default_rng(0)
    n = 30
    lc = navfit.LightCurve(
        np.sort(rng.uniform(0, 100, n)),
        rng.normal(10, 0.1, n),
        np.full(n, 0.1),
        band=np.array(["g", "r", "i"])[np.arange(n) % 3],
    )
    res = navfit.find_period(lc)
    assert res.evidence["decided_in_band"] == "pooled"
    assert not res.significant
    # three bands of three points: too few even together
    few = lc.subset(np.arange(9))
    with pytest.raises(InputError, match="too few for a period search"):
        navfit.find_period(few)


def test_find_period_rejects_a_bad_method_on_multiband():
    lc, _ = multiband_nav_lightcurve(n=30, rng=1)
    with pytest.raises(NavfitError, match="method"):
        navfit.find_period(lc, method="fast")


def _rr_lyrae_like(period, seed, *, unequal_halves=0.0):
    """Five bands of 55 nightly epochs over 3000 d: a sawtooth-like pulsation, errors quoted 2x too small.

    ``unequal_halves`` adds a wave at ``2 * period`` (the odd harmonic of a binary with
    unequal minima). The quoted errors are half the true scatter (CLASSIFY §4: SDSS-like
    underestimated errors).
    """
    rng = np.random.default_rng(seed)
    nights = np.sort(rng.choice(3000, 55, replace=False)).astype(float)
    t, y, dy, band = [], [], [], []
    for j, (b, amp, noise) in enumerate(
        zip("ugriz", (0.9, 1.0, 0.75, 0.6, 0.5), (0.06, 0.02, 0.02, 0.025, 0.04), strict=True)
    ):
        tb = nights + 0.2 * rng.uniform(size=nights.size) + 0.003 * j
        phase = 2 * np.pi * tb / period
        shape = sum(0.5**k / k * np.sin(k * phase + 0.3 * k) for k in range(1, 6))
        extra = unequal_halves * np.cos(phase / 2)
        t.append(tb)
        y.append(15 + amp * (0.4 * shape + extra) + rng.normal(0, noise, tb.size))
        dy.append(np.full(tb.size, noise / 2))
        band.append([b] * tb.size)
    return navfit.LightCurve(
        np.concatenate(t), np.concatenate(y), np.concatenate(dy), band=np.concatenate(band)
    )


def test_multiple_test_needs_odd_harmonics():
    p = 0.55
    curves = band_curves(_rr_lyrae_like(p, 11))
    order = joint_bic(curves, p)[1]
    assert order >= 3
    # no odd harmonics at 2P: the test does not step from P to 2P, although the errors
    # are quoted 2x too small (sigma comes from the residuals)
    _, pvalue, extra, dof = multiple_test(curves, 2 * p, 2, order)
    # the bands' nights are the same, their times up to 0.2 d apart: the few points of
    # two bands that fall within one visit (0.01 d) lower the degrees of freedom a little
    assert extra == pytest.approx(5 * 2 * min(order, (55 - 1 - 20) // 4), rel=0.03)
    assert pvalue > MULTIPLE_ALPHA / len(MULTIPLES)
    assert dof >= 5 * 20  # every band keeps n - p >= 20
    # unequal halves: the odd harmonics are real
    binary = band_curves(_rr_lyrae_like(p, 11, unequal_halves=0.05))
    assert multiple_test(binary, 2 * p, 2, order)[1] < 1e-6


def _one_visit_bands(period, seed, common):
    """Five bands taken within five minutes at each of 55 nightly visits (SDSS-like), with
    noise ``common`` (mag) shared by the bands of a visit, as a Blazhko modulation or a
    night's calibration is; no odd-even difference."""
    rng = np.random.default_rng(seed)
    visits = np.sort(rng.choice(3000, 55, replace=False) + 0.2 * rng.uniform(size=55))
    shared = rng.normal(0.0, common, visits.size)
    t, y, dy, band = [], [], [], []
    for j, (b, amp) in enumerate(zip("ugriz", (0.9, 1.0, 0.75, 0.6, 0.5), strict=True)):
        tb = visits + 0.0008 * j
        phase = 2 * np.pi * tb / period
        shape = sum(0.5**k / k * np.sin(k * phase + 0.3 * k) for k in range(1, 6))
        t.append(tb)
        y.append(15 + amp * (0.4 * shape + shared) + rng.normal(0, 0.01, tb.size))
        dy.append(np.full(tb.size, 0.01))
        band.append([b] * tb.size)
    return navfit.LightCurve(
        np.concatenate(t), np.concatenate(y), np.concatenate(dy), band=np.concatenate(band)
    )


def test_design_effect_of_bands_sharing_visits():
    rng = np.random.default_rng(3)
    visits = np.arange(100.0)
    times = [visits + 0.001 * j for j in range(5)]
    common = rng.normal(size=100)
    # residuals common to the visit: five bands are worth one
    assert design_effect(times, [common] * 5) == pytest.approx(5.0)
    # independent residuals: no loss (rho estimated near 0, clipped at 0 from below)
    independent = [rng.normal(size=100) for _ in range(5)]
    assert design_effect(times, independent) < 1.5
    # no two bands in one visit (ZTF-like alternation): exactly 1
    apart = [visits + 0.3 * j for j in range(3)]
    assert design_effect(apart, [rng.normal(size=100) for _ in range(3)]) == 1.0
    # one band sampled densely within each visit (100 points a minute apart), the other
    # once: at most the two bands' worth, and near 1 for independent residuals
    nights = np.arange(50.0)
    dense = (nights[:, None] + 0.0007 * np.arange(100)).ravel()
    times2 = [dense, nights + 0.03]
    assert design_effect(times2, [rng.normal(size=dense.size), rng.normal(size=50)]) < 1.3
    shared = np.repeat(rng.normal(size=50), 100)
    both = design_effect([dense, nights + 0.0005], [shared, shared[::100]])
    assert both == pytest.approx(2.0)


def test_multiple_test_counts_bands_of_one_visit_once(monkeypatch):
    """Noise shared by the bands of a visit: the joint odd-even test keeps its level.

    Each band alone sees white noise, but the five bands of one visit repeat it:
    summed as independent, the odd harmonics at 2P pass a 1 % test for 8.5 % of
    400 such stars (34); counted with the design effect, for 1.5 % (6).
    """
    p = 0.52
    seeds = range(400)

    def passes():
        hits = 0
        for seed in seeds:
            curves = band_curves(_one_visit_bands(p, seed, common=0.05))
            order = joint_bic(curves, p)[1]
            hits += multiple_test(curves, 2 * p, 2, order)[1] < 0.01
        return hits

    assert passes() <= 10
    module = sys.modules["navfit.period_search_multiband"]
    monkeypatch.setattr(module, "design_effect", lambda *_args, **_kwargs: 1.0)
    assert passes() >= 20


def test_established_period_reduces_multiples():
    p = 0.55
    lc = _rr_lyrae_like(p, 12)
    curves = band_curves(lc)
    best = curves[1]
    for m in (2, 4):
        period, k = established_period(curves, m * p, best, lc.time_span)
        assert k == m
        assert abs(1 / period - 1 / p) < 0.5 / lc.time_span
    assert established_period(curves, p, best, lc.time_span) == (p, 1)
    binary = _rr_lyrae_like(p, 12, unequal_halves=0.05)
    assert established_period(band_curves(binary), 2 * p, best, lc.time_span)[1] == 1


def test_alias_contrast_prefers_the_true_period():
    p = 0.55
    curves = band_curves(_rr_lyrae_like(p, 13))
    alias = 1.0 / (1.0 / p + 1.0)
    delta = alias_contrast(curves, p, alias, 4)
    assert delta < -10
    assert alias_contrast(curves, alias, p, 4) == pytest.approx(-delta)


def _stripe82_star(folder, name):
    """The five-band light curve of one Stripe 82 star (``survey/README.md``)."""
    a = np.loadtxt(folder / "s82_ugriz" / f"{name}.dat", ndmin=2)
    t, y, dy, band = [], [], [], []
    for j, b in enumerate("ugriz"):
        mjd, mag, err = a[:, 2 + 3 * j], a[:, 3 + 3 * j], a[:, 4 + 3 * j]
        ok = (mag > 0) & (mag < 40) & (err > 0) & (err < 1)
        t += [mjd[ok]]
        y += [mag[ok]]
        dy += [err[ok]]
        band += [[b] * int(ok.sum())]
    return navfit.LightCurve(
        np.concatenate(t), np.concatenate(y), np.concatenate(dy), band=np.concatenate(band)
    )


#: Ten Stripe 82 RR Lyrae, stratified: five RRab and two RRc that both the old and the new
#: scoring get right (every 19th RRab, every 10th RRc of the development set in name order),
#: S82RR_3565718 (the joint BIC preferred 3P, 1.99 d, before the nested test) and two the
#: scoring still misses (S82RR_93149 at 2P near one day, S82RR_2445511 at a one-day alias
#: that fits better at every TP order).
STRIPE82_SAMPLE = (
    "S82RR_1060996",
    "S82RR_1646523",
    "S82RR_2368337",
    "S82RR_3307501",
    "S82RR_4076916",
    "S82RR_1217801",
    "S82RR_2528013",
    "S82RR_3565718",
    "S82RR_93149",
    "S82RR_2445511",
)


def test_find_period_stripe82_sample(survey_dir):
    """The catalogue period (Sesar et al. 2010) within ``max(0.5/T, 1e-4/P)`` in frequency.

    The scoring before the nested F-test (joint BIC alone) gets 7 of these 10.
    """
    with open(survey_dir / "truth.csv", newline="") as fh:
        truth = {row["file"][3:-4]: float(row["period"] or "nan") for row in csv.DictReader(fh)}
    right = []
    for name in STRIPE82_SAMPLE:
        lc = _stripe82_star(survey_dir, name)
        p_cat = truth[name]
        period = navfit.find_period(lc).period
        if abs(1 / period - 1 / p_cat) <= max(0.5 / lc.time_span, 1e-4 / p_cat):
            right.append(name)
    assert "S82RR_3565718" in right
    assert len(right) >= 8


def test_pooled_light_curve_puts_every_band_on_one_level():
    lc, _ = multiband_nav_lightcurve("EB", n=40, rng=4, level=(0.4, 0.0, -0.2))
    pooled = lc.pooled()
    assert pooled.bands == ("pooled",)
    assert pooled.n == lc.n
    np.testing.assert_array_equal(pooled.t, lc.t)
    np.testing.assert_array_equal(pooled.dy, lc.dy)
    for b in range(len(lc.bands)):
        rows = lc.band_index == b
        assert np.median(pooled.y[rows]) == pytest.approx(0.0, abs=1e-12)
        np.testing.assert_allclose(pooled.y[rows] - lc.y[rows], -np.median(lc.y[rows]))


def _six_sparse_bands(seed):
    """An EB in six bands of 12 points each (72 epochs, one band per epoch)."""
    return six_band_sparse_lightcurve("EB", rng=seed)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_sparse_bands_are_searched_together(seed):
    # one band per epoch, six bands, 72 epochs: no band has the points for the decision
    lc, truth = _six_sparse_bands(seed)
    res = navfit.find_period(lc)
    assert res.evidence["decided_in_band"] == "pooled"
    f, f_true = 1.0 / res.period, 1.0 / truth["period"]
    assert abs(f - f_true) <= max(0.5 / lc.time_span, 1e-4 * f_true), (res.period, truth)


def test_catalogue_values_never_come_from_the_pooled_bands(monkeypatch):
    # a sparse six-band EB decided on the pooled bands, with the joint fits made to fail:
    # the values must be magnitudes of the best-sampled band, not pooled levels near 0
    import sys

    analyze_module = sys.modules["navfit.analyze"]  # the module, not navfit.analyze()
    lc, truth = _six_sparse_bands(0)

    def no_joint_fit(*_):
        return None

    monkeypatch.setattr(analyze_module, "_joint_nav", no_joint_fit)
    monkeypatch.setattr(analyze_module, "_joint_tp", no_joint_fit)
    star = navfit.analyze(lc)
    assert star.search.evidence["decided_in_band"] == "pooled"
    band = star.lc.bands[0]
    level = truth["c"][band][0]
    for fit in (star.best, star.tp):
        assert fit.lc.bands == (band,)
        assert any("best-sampled band alone" in f for f in fit.flags), fit.flags
    row = star.to_dict()
    assert abs(row["max"] - level) < 0.3, (row["max"], level)
