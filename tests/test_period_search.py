"""find_period on real light curves, synthetic narrow-eclipse EAs and bad input."""

import numpy as np
import pytest

import navfit
from navfit import NavfitError
from navfit.eclipse_periodogram import eclipse_periodogram
from navfit.manifest import load_entry
from navfit.period_search import find_period
from navfit.synthetic import nav_lightcurve, survey_times

REAL = [
    "EA_Algol_betPer_AAVSO_vis_PEP.csv",
    "EA_HD23642_V1229Tau_K2_C4.dat",
    "EA_HAT-772-0554686_HATSouth_r.csv",
    "EB_OGLE051951.22-694002.7_OGLE-II_I.csv",
    "EW_CSS_J011848.5+132107_Catalina.csv",
    "RRAB_M3_V006.lc",
    "CEP_HIP54101_HD305996_Hipparcos_Hp.csv",
]


def _found(P, P_ref, span):
    return abs(1 / P - 1 / P_ref) <= max(0.5 / span, 1e-4 / P_ref)


@pytest.mark.parametrize("file", REAL)
def test_reference_period_found_with_defaults(catalog, file):
    row = catalog[list(catalog["file"]).index(file)]
    lc, info = load_entry(row)
    res = find_period(lc)
    assert _found(res.period, info["period"], lc.time_span), (res.period, res.evidence)
    assert res.significant
    assert res.fap < 1e-6
    assert 0 < res.period_error < 1e-3 * res.period
    assert np.isfinite(res.epoch)
    assert res.epoch_error > 0
    assert len(res.candidates) >= 3
    assert "decision" in res.evidence


def test_constant_star_has_no_significant_period(catalog):
    row = catalog[list(catalog["file"]).index("CONST_HAT-579-0051858_HATSouth_r.csv")]
    lc, _ = load_entry(row, mag="atf_000")
    # a subsample keeps the test fast; the star shows no periodic signal at all
    idx = np.random.default_rng(0).choice(lc.n, 600, replace=False)
    sub = navfit.LightCurve(lc.t[idx], lc.y[idx], lc.dy[idx], name="const")
    res = find_period(sub, min_period=0.2, max_period=20)
    assert not res.significant
    assert any("no significant period" in f for f in res.flags)
    # no period is surer than the chance that the signal is real
    assert res.decision.confidence["period"] <= 1.0 - res.fap + 1e-12


@pytest.mark.parametrize("seed", range(6))
def test_narrow_eclipses_survey_sampling(seed):
    rng = np.random.default_rng(seed)
    a = rng.uniform(0.02, 0.05)  # D = 4-10 %
    period = rng.uniform(1.0, 6.0)
    times = survey_times(300, span=1000, seasons=3, rng=rng)
    lc, _truth = nav_lightcurve("EA", noise=0.02, rng=rng, times=times, period=period, a=a)
    res = find_period(lc, min_period=0.5, max_period=20)
    assert _found(res.period, period, lc.time_span), (period, res.period, res.evidence)


def test_eclipse_periodogram_finds_narrow_eclipses_where_lomb_scargle_fails():
    from astropy.timeseries import LombScargle

    rng = np.random.default_rng(3)
    times = survey_times(300, rng=rng)
    lc, _truth = nav_lightcurve("EA", noise=0.02, rng=rng, times=times, period=3.71, a=0.025)
    f = np.linspace(1 / 20, 2.0, 40000)
    power, _info = eclipse_periodogram(lc, f)
    best = 1 / f[np.argmax(power)]
    ls = 1 / f[np.argmax(LombScargle(lc.t, lc.y, lc.dy).power(f))]
    assert min(abs(best / 3.71 - k) for k in (1, 2)) < 1e-3
    # Lomb-Scargle's highest peak is not the orbital period (a harmonic or noise)
    assert abs(ls / 3.71 - 1) > 1e-3


def test_bad_input():
    lc, _ = nav_lightcurve("EA", n=200, rng=1)
    with pytest.raises(NavfitError, match="too few"):
        find_period(navfit.LightCurve(lc.t[:8], lc.y[:8], lc.dy[:8]))
    with pytest.raises(NavfitError, match="shorter than min_period"):
        find_period(lc, min_period=2 * lc.time_span)
    with pytest.raises(NavfitError, match="frequency grid"):
        find_period(lc, min_period=1e-4)
    with pytest.raises(NavfitError, match="min_period"):
        find_period(lc, min_period=-1)
    with pytest.raises(NavfitError, match="frequency"):
        eclipse_periodogram(lc, [-1.0, 2.0])
    with pytest.raises(NavfitError, match="power-of-two"):
        eclipse_periodogram(lc, [1.0], widths=(0.01, 0.03))


@pytest.mark.parametrize(
    ("nb", "factors", "sign"),
    [
        (400, [1, 2, 4, 8, 16], 1.0),
        # few coarse bins: the circular padding spans most of the binning; fluxes
        (16, [1, 2, 4], -1.0),
        # a binning of fewer bins than the template's taps: padded by repetition
        # (its design is singular, so no power; this case checks the run)
        (8, [1, 2, 4], 1.0),
    ],
)
def test_eclipse_kernel_matches_reference_twin(nb, factors, sign):
    from navfit._kernels import eclipse_scan
    from navfit._kernels import reference as ref

    lc, _ = nav_lightcurve("EA", n=400, rng=5)
    w = 1 / lc.dy**2
    y = sign * (lc.y - np.sum(w * lc.y) / np.sum(w))
    t = lc.t - lc.t[0]
    # 157 frequencies: a block of 128 and a last group of one
    f = np.linspace(0.05, 3.0, 157)
    factors = np.array(factors)
    out = np.zeros((f.size, 4))
    eclipse_scan.eclipse_power(t, y, w, f, nb, factors, 4, 2.0, sign, out)
    expected = ref.eclipse_power(t, y, w, f, nb, factors, 4, 2.0, sign)
    np.testing.assert_allclose(out, expected, rtol=1e-9, atol=1e-9 * expected[:, 0].max())


@pytest.mark.parametrize(
    "file",
    [
        "EA_HAT-772-0554686_HATSouth_r.csv",
        "EW_CSS_J011848.5+132107_Catalina.csv",
        "RRAB_M3_V006.lc",
    ],
)
def test_staged_search_finds_the_exhaustive_peak_on_real_stars(catalog, file):
    row = catalog[list(catalog["file"]).index(file)]
    lc, _ = load_entry(row)
    staged = find_period(lc)
    full = find_period(lc, method="exhaustive")
    assert _found(staged.period, full.period, lc.time_span)
    assert staged.decision.type == full.decision.type
    # the eclipse candidates of the staged search are peaks of the exhaustive periodogram
    for p in staged.candidates["period"][staged.candidates["source"] == "eclipse peak"]:
        i = int(np.argmin(np.abs(full.frequency - 1 / p)))
        assert full.eclipse_power[i] > 0


@pytest.mark.parametrize("seed", range(3))
def test_staged_search_finds_the_exhaustive_peak_on_narrow_eclipses(seed):
    rng = np.random.default_rng(100 + seed)
    period = rng.uniform(1.0, 6.0)
    times = survey_times(300, span=1000, seasons=3, rng=rng)
    lc, _ = nav_lightcurve("EA", noise=0.02, rng=rng, times=times, period=period, a=0.03)
    staged = find_period(lc, min_period=0.5, max_period=20)
    full = find_period(lc, min_period=0.5, max_period=20, method="exhaustive")
    assert _found(staged.period, period, lc.time_span)
    assert _found(full.period, period, lc.time_span)
    with pytest.raises(NavfitError, match="method"):
        find_period(lc, method="fast")


def test_photometric_pick_prefers_fractions_not_aliases():
    from astropy.table import Table

    from navfit.period_candidates import photometric_pick

    span = 1000.0
    f0 = 1.0 / 0.5
    rows = {
        "frequency": [f0, f0 + 1.0, 2 * f0, 3 * f0, 0.5 * f0],
        "delta_bic": [0.0, 3.0, 8.0, 12.0, 1.0],
    }
    table = Table(rows)
    table["period"] = 1.0 / table["frequency"]
    # P/2 is nested in P and within 10: chosen; the 1-day alias is not nested;
    # P/3 is nested but 12 behind; 2P is longer
    assert photometric_pick(table, span)["frequency"] == pytest.approx(2 * f0)
    table["delta_bic"][2] = 11.0
    assert photometric_pick(table, span)["frequency"] == pytest.approx(f0)
    # the alias wins only by BIC
    table["delta_bic"][1] = -1.0
    assert photometric_pick(table, span)["frequency"] == pytest.approx(f0 + 1.0)
    # a fraction is P/k within half a cycle over the data: |f - k f_best| <= 0.5 k / span
    table["delta_bic"][1:3] = [3.0, 8.0]
    for offset, nested in ((0.9, True), (1.1, False)):
        table["frequency"][2] = 2 * f0 + offset / span
        table["period"] = 1.0 / table["frequency"]
        expected = table["frequency"][2] if nested else f0
        assert photometric_pick(table, span)["frequency"] == pytest.approx(expected)


def test_a_multiples_false_alarm_probability_is_that_of_the_period_it_contains():
    from astropy.table import Table

    from navfit.significance import contained_frequencies, family_fap

    periods = np.array([1.0, 3.0, 3.0, 2.5, 2.0])
    orders = np.array([2, 6, 2, 6, 2])
    fap = np.array([1e-10, 1.0, 1.0, 1.0, 0.5])
    # 3 P of order 6 holds P; of order 2 it does not; 2.5 P is no multiple; 2 P holds P
    expected = [1e-10, 1e-10, 1.0, 1.0, 1e-10]
    assert family_fap(periods, orders, fap, span=1000.0).tolist() == expected
    table = Table({"period": periods, "tp_order": orders})
    assert contained_frequencies(table, table[1], 1000.0).tolist() == [
        1 / 3.0,
        1.0,
        1 / 3.0,
        1 / 3.0,
    ]
    assert contained_frequencies(table, table[2], 1000.0).tolist() == [1 / 3.0, 1 / 3.0, 1 / 3.0]


def test_a_sparse_rr_lyrae_picked_at_a_triple_is_significant(survey_dir):
    # 42 Stripe 82 points; the best BIC is a TP of order 6 at three times the 1-day
    # alias 0.3518 d, whose own TP2 power is noise-like (FAP 1): the variation, 0.6 mag
    # with errors of 0.003 mag, was called "no significant period"
    lc = navfit.read_lightcurve(survey_dir / "lc" / "S82RR_1104006.dat")
    result = find_period(lc)
    assert result.significant
    assert result.fap < 1e-6
    assert "no significant period" not in result.evidence["decision"]


def test_a_range_below_the_default_shortest_period_says_it_is_the_default():
    lc, _ = nav_lightcurve("EA", rng=1)
    with pytest.raises(NavfitError, match=r"must exceed min_period \(0\.\d+, the default"):
        find_period(lc, max_period=0.04)
    with pytest.raises(NavfitError, match=r"must exceed min_period \(0\.5\)$"):
        find_period(lc, min_period=0.5, max_period=0.4)
