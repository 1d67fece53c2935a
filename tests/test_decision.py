"""The one decision (period, model, type) and the evidence it reads."""

import json
import sys

import numpy as np
import pytest

import navfit
from navfit.confidence import period_weight
from navfit.decision import ASYMMETRY_PULSATOR, NAV_SKEW_PULSATOR, decide
from navfit.evidence import (
    gather_evidence,
    odd_even_test,
    shape_features,
    tp_at,
    trusted_eclipses,
)
from navfit.gcvs_types import NOT_ECLIPSER
from navfit.models.nav import min_half_width
from navfit.models.tp import order_limit
from navfit.shape_rules import not_eclipse_shaped
from navfit.synthetic import nav_lightcurve, pulsator_lightcurve, survey_times, tp_lightcurve


def test_order_limit_keeps_three_points_per_parameter():
    for n in (12, 55, 64, 300, 10_000):
        s = order_limit(n)
        assert 2 * s + 1 <= max(3, n / 3)
    assert order_limit(55) == 8
    assert order_limit(64) == 10
    assert order_limit(10_000) == 40


def test_tp_order_on_sparse_data_is_limited():
    # 64 points of a sparse RRab: the old search kept a TP of order 30 (61 parameters)
    rng = np.random.default_rng(2)
    times = np.sort(rng.uniform(0, 2500, 64))
    lc, truth = pulsator_lightcurve(times=times, rng=rng, noise=0.03)
    tp = tp_at(lc, 4 * truth["period"])
    assert tp.k <= lc.n / 3


def test_shape_of_a_sinusoid_and_of_a_sawtooth():
    lc, _ = tp_lightcurve((10.0, 0.3, 0.0), period=1.0, n=800, noise=0.005, rng=1)
    s = shape_features(navfit.fit_tp(lc, 1.0, order=1))
    assert s["width_max"][0] == pytest.approx(0.205, abs=0.002)
    assert s["width_min"][0] == pytest.approx(0.205, abs=0.002)
    assert s["asymmetry"][0] < 0.01
    assert s["minima"][0] == 1
    assert abs(s["rise"][0] - 0.5) < 0.01
    lc, truth = pulsator_lightcurve(n=600, rng=3)
    s = shape_features(navfit.fit_tp(lc, truth["period"], order=6))
    assert s["asymmetry"][0] > 3 * ASYMMETRY_PULSATOR
    assert s["rise"][0] < 0.3


def test_shape_features_of_many_draws_are_those_of_each_draw_alone():
    """The vectorised features of the error draws equal the one-curve features, bit for bit."""
    from navfit.evidence import N_GRID, _features, _features_of_draws

    rng = np.random.default_rng(5)
    phase = np.arange(N_GRID) / N_GRID
    base = 0.3 * np.cos(2 * np.pi * phase) + 0.1 * np.sin(4 * np.pi * phase + 1.0)
    curves = base + rng.normal(0, 0.02, (40, N_GRID))
    curves[7] = 12.0  # constant: no amplitude
    for faint in (1.0, -1.0):
        one = np.array([_features(c, faint)[:7] for c in curves])
        np.testing.assert_array_equal(_features_of_draws(curves, faint), one)
    assert np.all(_features_of_draws(curves[7:8], 1.0) == _features(curves[7], 1.0)[:7])


def test_shape_of_an_eclipser_from_nav_has_sharp_minima_and_flat_maxima():
    lc, truth = nav_lightcurve("EA", n=800, rng=4)
    s = shape_features(navfit.fit_nav(lc, truth["period"]))
    assert s["minima"][0] == 2
    assert s["width_min"][0] < 0.05
    assert s["width_max"][0] > 0.5
    assert s["asymmetry"][0] < 0.05


def test_odd_even_test_sees_unequal_minima_not_a_sinusoid():
    lc, truth = nav_lightcurve("EB", n=600, rng=1)
    assert odd_even_test(lc, truth["period"] / 2, 4)["p"] < 1e-10
    lc, _ = tp_lightcurve((10.0, 0.3, 0.0, 0.05, 0.02), period=0.7, n=600, noise=0.01, rng=5)
    assert odd_even_test(lc, 0.7, 2)["p"] > 1e-3


def test_nav_half_width_has_a_floor_set_by_the_sampling():
    assert min_half_width(100) == pytest.approx(0.04)
    assert min_half_width(100_000) == 0.002
    rng = np.random.default_rng(7)
    lc, truth = nav_lightcurve("EA", n=150, rng=rng, noise=0.02)
    nav = navfit.fit_nav(lc, truth["period"])
    assert nav.params["a1"] >= min_half_width(lc.n) - 1e-12


@pytest.fixture(scope="module")
def survey_ew():
    rng = np.random.default_rng(11)
    times = survey_times(400, span=1500, seasons=4, rng=rng)
    c = (11.5, 0.0, 0.0, 0.11, 0.0, 0.30, 0.29)  # nearly equal minima
    lc, truth = nav_lightcurve("EW", rng=rng, times=times, noise=0.02, c=c, period=0.3712)
    return lc, truth, navfit.find_period(lc)


def test_contact_binary_found_at_half_period_is_doubled(survey_ew):
    _, truth, res = survey_ew
    dec = res.decision
    assert abs(dec.photometric_period / (truth["period"] / 2) - 1) < 1e-4
    assert abs(dec.period / truth["period"] - 1) < 1e-4
    assert dec.type == "EW"
    assert any("P_orb = 2P" in r for r in dec.reasons), dec.reasons
    assert dec.runner_up["period"] == pytest.approx(dec.photometric_period, rel=1e-6)
    assert 0 < dec.confidence["period"] <= 1
    assert 0 < dec.confidence["type"] <= 1
    assert res.period == dec.period
    assert res.fit is dec.fit
    assert dec.fit.model == "nav"


def test_pulsator_is_not_doubled_and_says_why():
    lc, truth = pulsator_lightcurve(n=300, rng=4)
    res = navfit.find_period(lc)
    dec = res.decision
    assert abs(dec.period / truth["period"] - 1) < 1e-3
    assert dec.type == NOT_ECLIPSER
    assert dec.nature == "pulsating"
    assert dec.fit.model == "tp"
    assert "pulsator" in dec.reasons[0]
    assert dec.confidence["type"] > 0.99
    # decided by its shape before any eclipse model: no NAV fit was made (issue 12)
    assert dec.nav is None
    ev = gather_evidence(lc, res.evidence["photometric_period"], fap=res.fap)
    assert decide(ev).type == NOT_ECLIPSER
    assert "nav" not in vars(ev)  # the lazily fitted NAV of the evidence was never asked for
    star = navfit.analyze(lc)
    assert star.nav is None
    assert star.comparison is None
    assert star.best is star.tp
    assert star.type == NOT_ECLIPSER
    assert star.to_dict()["type"] == NOT_ECLIPSER
    assert NOT_ECLIPSER in star.summary()


def test_deep_single_eclipse_keeps_its_period():
    # one eclipse per cycle 1.2 mag deep: two equal eclipses would hide more than all the light
    rng = np.random.default_rng(5)
    c = (12.0, 0.0, 0.0, 0.0, 0.0, 1.2, 0.0)
    lc, truth = nav_lightcurve("EA", n=700, rng=rng, noise=0.02, c=c, a=0.05)
    ev = gather_evidence(lc, truth["period"])
    dec = decide(ev)
    assert abs(dec.period / truth["period"] - 1) < 1e-4
    assert dec.type == "EA"
    assert not dec.uncertain
    assert any("more than all the light" in r for r in dec.reasons), dec.reasons
    # an eclipser's period is no surer than the search's signal is real
    alarmed = decide(gather_evidence(lc, truth["period"], fap=0.3))
    assert alarmed.period == dec.period
    assert alarmed.confidence["period"] == pytest.approx(0.7 * dec.confidence["period"])


def test_shallow_single_eclipse_is_uncertain_between_p_and_2p():
    # one flat-topped eclipse per cycle and nothing else: twins at 2P, marked ":"
    rng = np.random.default_rng(6)
    c = (12.0, 0.0, 0.0, 0.0, 0.0, 0.4, 0.0)
    lc, truth = nav_lightcurve("EA", n=700, rng=rng, noise=0.02, c=c, a=0.05)
    dec = decide(gather_evidence(lc, truth["period"]))
    assert dec.type == "EA"
    assert dec.uncertain
    assert dec.gcvs == "EA:"
    assert dec.period == pytest.approx(2 * truth["period"], rel=1e-4)
    assert dec.runner_up["period"] == pytest.approx(truth["period"], rel=1e-4)
    # the P/2P step has the measured base rate of the branch, not a coin's 0.5
    from navfit.decision import TWIN_ORBIT

    assert dec.confidence["period"] == pytest.approx(TWIN_ORBIT, abs=0.01)
    assert any("commoner case" in r for r in dec.reasons), dec.reasons


def test_wide_single_eclipse_doubles_with_the_confidence_of_its_width():
    # one eclipse per cycle lasting D >= 35 % of it, flat maxima: a double wave, 2P. The
    # flat maxima say nothing for it, so the P/2P step is as sure as D exceeds 35 %
    from scipy.special import ndtr

    from navfit.decision import EA_MAX_D

    rng = np.random.default_rng(6)
    c = (12.0, 0.0, 0.0, 0.0, 0.0, 0.4, 0.0)
    lc, truth = nav_lightcurve("EA", n=700, rng=rng, noise=0.02, c=c, a=0.2)
    ev = gather_evidence(lc, truth["period"])
    D = ev.nav.derived["D"][0]
    ev.nav.derived["D"] = (D, 5.0)
    dec = decide(ev)
    assert dec.period == pytest.approx(2 * truth["period"], rel=1e-4)
    assert any("continuous light variation" in r for r in dec.reasons), dec.reasons
    assert dec.confidence["period"] == pytest.approx(ndtr((D - EA_MAX_D) / 5.0), rel=1e-6)


def test_single_eclipse_with_ellipsoidal_variation_keeps_its_period():
    # light fainter at both conjunctions (C4 > 0 in magnitudes) puts both in one cycle
    rng = np.random.default_rng(6)
    c = (12.0, 0.0, 0.0, 0.03, 0.0, 0.4, 0.0)
    lc, truth = nav_lightcurve("EA", n=700, rng=rng, noise=0.02, c=c, a=0.05)
    dec = decide(gather_evidence(lc, truth["period"]))
    assert dec.period == pytest.approx(truth["period"], rel=1e-4)
    assert dec.type.startswith("E")
    assert any("ellipsoidal variation" in r for r in dec.reasons), dec.reasons
    assert dec.runner_up["period"] == pytest.approx(2 * truth["period"], rel=1e-4)


def test_unequal_minima_at_half_the_period_give_the_orbit():
    lc, truth = nav_lightcurve("EB", n=800, rng=3, noise=0.01)
    dec = decide(gather_evidence(lc, truth["period"] / 2))
    assert abs(dec.period / truth["period"] - 1) < 1e-4
    assert dec.type == "EB"


@pytest.mark.parametrize(("period", "ew"), [(0.15, False), (0.35, True)])
def test_no_contact_binary_below_the_period_limit(period, ew):
    # the same contact-binary light curve is EW at 0.35 d and not an eclipser at 0.15 d
    lc, _ = nav_lightcurve("EW", n=800, rng=3, noise=0.01, period=period)
    dec = decide(gather_evidence(lc, period))
    assert abs(dec.period / period - 1) < 1e-4
    assert (dec.type == "EW") is ew
    assert any("period limit" in r for r in dec.reasons) is not ew


@pytest.mark.parametrize("seed", [0, 1])
def test_nav_with_a_skewed_out_of_eclipse_curve_is_a_pulsator(seed):
    # NAV's eclipses are symmetric: a NAV fit that needs large C3/C5 sine terms to follow
    # the curve describes a pulsator's steep rise; a binary's stay far below the limit
    skewed = sys.modules["navfit.decision"]._skewed_nav
    lc, truth = pulsator_lightcurve(rng=seed)
    metrics, reasons = {}, []
    dec = skewed(gather_evidence(lc, truth["period"]), metrics, reasons)
    assert dec.type == NOT_ECLIPSER
    assert dec.nature == "pulsating"
    assert metrics["nav_skew/A_I"][0] > NAV_SKEW_PULSATOR
    assert "skewed out-of-eclipse part" in reasons[0]
    lc, truth = nav_lightcurve("EB", n=600, rng=seed)
    metrics = {}
    assert skewed(gather_evidence(lc, truth["period"]), metrics, []) is None
    assert metrics["nav_skew/A_I"][0] < 0.1 * NAV_SKEW_PULSATOR


@pytest.mark.parametrize("seed", [0, 3])
def test_ripple_beside_one_eclipse_is_not_a_second_minimum(seed):
    # twin eclipses at half the orbit: the TP at P rings beside the one eclipse per cycle and
    # shows a second local minimum, but no significant Min II; the orbit is 2P (rule 7)
    lc, truth = nav_lightcurve(
        "EA", n=500, rng=seed, noise=0.04, c=(12.0, 0, 0, 0, 0, 0.12, 0.12), a=0.1, period=2.37
    )
    ev = gather_evidence(lc, truth["period"] / 2)
    assert ev.shape["minima"][0] >= 2
    assert "min2" not in ev.tp.derived
    dec = decide(ev)
    assert abs(dec.period / truth["period"] - 1) < 1e-3
    assert not any(r.startswith("two minima per cycle") for r in dec.reasons)


def test_short_period_binary_with_minima_not_shown_alike_stays_an_eclipser():
    # a noisy EB at 0.15 d: its minima ratio (true 0.63) is not 2 sigma below 0.7, so the type
    # rules would call it EW; below the contact limit it is a short-period EB, uncertain
    lc, _ = nav_lightcurve("EB", n=250, rng=0, noise=0.05, period=0.15)
    dec = decide(gather_evidence(lc, 0.15))
    assert dec.type == "EB"
    assert dec.uncertain
    assert any("minima not shown alike" in r for r in dec.reasons)


def test_skewed_nav_rule_decides_a_sparse_rr_lyrae(survey_dir):
    # Stripe 82 RRab (62 points): NAV beats the TP by following the steep rise with its
    # C3/C5 terms; the skew rule, not the asymmetric-minimum rule, makes it a pulsator
    lc = navfit.read_lightcurve(survey_dir / "lc" / "S82RR_1652999.dat")
    ev = gather_evidence(lc, 0.5979055)
    assert ev.nav.bic < ev.tp.bic - 10
    dec = decide(ev)
    assert dec.type == NOT_ECLIPSER
    assert dec.nature == "pulsating"
    assert any("skewed out-of-eclipse part" in r for r in dec.reasons)


def test_eccentric_binary_is_fitted_with_its_secondary_off_half_phase():
    from navfit._kernels.reference import nav_curve

    rng = np.random.default_rng(8)
    t = survey_times(900, span=1200, rng=rng)
    P, T0 = 3.217, 2459000.3
    phase = (t - T0) / P
    y = nav_curve(phase, (11.0, 0, 0, 0, 0, 0.6, 0.0), 0.03, 1.5, 1.5)
    y += nav_curve(phase - 0.62, (0.0, 0, 0, 0, 0, 0.45, 0.0), 0.03, 1.5, 1.5)
    lc = navfit.LightCurve(t, y + rng.normal(0, 0.01, t.size), np.full(t.size, 0.01))
    dec = decide(gather_evidence(lc, P))
    assert dec.nav.info["variant"] == "eccentric"
    assert dec.nav.params["phase2"] == pytest.approx(0.62, abs=0.01)
    assert dec.type == "EA"
    assert abs(dec.period / P - 1) < 1e-4


def test_constant_light_is_not_an_eclipser():
    rng = np.random.default_rng(9)
    t = survey_times(300, rng=rng)
    lc = navfit.LightCurve(t, 12 + rng.normal(0, 0.01, t.size), np.full(t.size, 0.01))
    res = navfit.find_period(lc, min_period=0.2, max_period=50)
    assert not res.significant
    assert res.decision.type == NOT_ECLIPSER
    assert res.decision.nature == "constant or no significant period"


def test_star_result_carries_confidence_and_runner_up(survey_ew):
    lc, _, _ = survey_ew
    star = navfit.analyze(lc)
    d = star.to_dict()
    json.dumps(d, allow_nan=False)
    assert set(d["confidence"]) == {"period", "type"}
    assert d["runner_up"]["period"] > 0
    assert d["runner_up"]["why"]
    assert d["photometric_period"] == pytest.approx(d["period"] / 2, rel=1e-4)
    assert star.decision.type == "EW"
    assert star.best is star.decision.fit
    tab = navfit.catalogue_table([star])
    assert 0 < tab["confidence_type"][0] <= 1
    assert 0 < tab["confidence_period"][0] <= 1
    assert tab["runner_up_period"][0] == pytest.approx(d["runner_up"]["period"])
    assert tab["photometric_period"][0] == pytest.approx(d["photometric_period"])


def test_each_eclipse_is_resolved_by_its_own_width():
    """An unresolved primary (a spike at the sampling limit) does not make the secondary
    untrusted, and an unresolved secondary is not trusted beside a resolved primary."""
    from dataclasses import replace

    from navfit.evidence import trusted_eclipses
    from navfit.models.nav import min_half_width
    from navfit.synthetic import nav_lightcurve

    lc, truth = nav_lightcurve("EB", n=800, rng=13)
    fit = navfit.fit_nav(lc, truth["period"], variant="separate_widths")
    both = trusted_eclipses(fit)
    assert both["primary"]
    assert both["secondary"]
    floor = min_half_width(fit.n)
    for name, lost, kept in (("a1", "primary", "secondary"), ("a2", "secondary", "primary")):
        values = fit.values.copy()
        values[fit.names.index(name)] = floor
        ecl = trusted_eclipses(replace(fit, values=values))
        assert not ecl[lost], name
        assert ecl[kept], name


def _shape(width_min, width_max, asymmetry):
    return {"width_min": width_min, "width_max": width_max, "asymmetry": asymmetry}


def test_no_eclipse_evidence_names_the_condition_that_fails():
    # a minimum far sharper than a sinusoid's and than the maximum, but asymmetric
    # (ASAS_082918-4108.3): the reason said "not sharper than the maximum" and the
    # confidence, 1 - sharpness, was 0.0
    text, conf = not_eclipse_shaped(_shape((0.047, 0.002), (0.297, 0.13), (0.121, 0.033)), 87, 1)
    assert text.startswith("asymmetric about the minimum (asymmetry 0.121 +- 0.033")
    assert "sharper" not in text
    assert "narrower" not in text
    assert conf == pytest.approx(0.738, abs=0.001)  # Phi(0.021 / 0.033)
    # a sinusoid: sharpness and widths fail; the sharpness is the clearer
    text, conf = not_eclipse_shaped(_shape((0.205, 0.01), (0.205, 0.01), (0.0, 0.01)), -0.3, 0.01)
    assert "no sharper than a sinusoid's" in text
    assert "no narrower than the maximum" in text
    assert conf == pytest.approx(0.99)
    # errors of 0 (no usable covariance) are unknown, not exact
    assert not_eclipse_shaped(_shape((0.4, 0.0), (0.3, 0.0), (0.0, 0.0)), 5, 1)[1] == 0.5
    assert not_eclipse_shaped(_shape((0.1, 0.0), (0.3, 0.0), (0.0, 0.0)), 0, 0.02)[1] == 0.84
    # every condition holds: no failure to name
    assert not_eclipse_shaped(_shape((0.05, 0.01), (0.3, 0.1), (0.0, 0.01)), 10, 1)[1] == 0.5
    assert ASYMMETRY_PULSATOR == 0.1


def test_period_weight_counts_the_period_and_its_multiples():
    from astropy.table import Table

    cand = Table({"period": [1.0, 2.0, 1.5, 3.0], "bic_tp": [100.0, 102.0, 104.0, np.nan]})
    w = np.exp(-0.5 * np.array([0.0, 2.0, 4.0]))
    span = 100.0
    assert period_weight(cand, 1.0, span=span) == pytest.approx((w[0] + w[1]) / w.sum())
    assert period_weight(cand, 2.0, span=span) == pytest.approx(w[1] / w.sum())
    # 1, 1.5, 2 are its multiples
    assert period_weight(cand, 0.5, span=span) == pytest.approx(1.0)
    # a multiple counts within half a cycle over the data: 2.02 is 2 over 100 d, not 1000 d
    cand["period"][1] = 2.02
    assert period_weight(cand, 1.0, span=span) == pytest.approx((w[0] + w[1]) / w.sum())
    assert period_weight(cand, 1.0, span=1000.0) == pytest.approx(w[0] / w.sum())
    cand["period"][1] = 2.0
    assert period_weight(None, 1.0, span=span) == 1.0
    cand["bic"] = [110.0, 100.0, 120.0, 130.0]  # scored by more than one model: bic wins
    assert period_weight(cand, 2.0, span=span) > 0.99
    # times 1 - FAP: a peak that noise makes as often as not is no sure period
    assert period_weight(cand, 2.0, 0.5, span=span) == pytest.approx(
        0.5 * period_weight(cand, 2.0, span=span)
    )
    assert period_weight(None, 1.0, 1.0, span=span) == 0.0
    # a period given, not searched
    assert period_weight(None, 1.0, float("nan"), span=span) == 1.0


def test_period_weight_is_a_probability_to_the_last_bit():
    # DEB_100148898's candidates (survey set): the weight's two sums add in different
    # orders, and their ratio was 1.0000000000000002, which the reliability table dropped
    from astropy.table import Table

    period = [0.39046667638678745, 0.7809346000374094, 1.1714000291603623, 1.5618667055471498]
    bic = [200.60155835199487, 217.1850875093085, 225.61223969178621, 231.39936647635574]
    period += [1.2834456892058872, 3.1237336327739538, 1.7910999427180294, 2.3428038001122284]
    bic += [281.39936647635574] * 4
    cand = Table({"period": period, "bic_tp": bic})
    weight = period_weight(cand, 0.3904666763829949, span=1200.0)
    assert weight <= 1.0
    assert weight == pytest.approx(1.0)
    assert period_weight(None, 1.0, -0.1, span=1200.0) == 1.0  # clipped to [0, 1]
    assert period_weight(None, 1.0, np.inf, span=1200.0) == 0.0


def test_a_sinusoid_says_its_shape_cannot_decide():
    """A sinusoid (TP order 1) has no shape to measure: the measured base rate, not a margin."""
    from navfit.decision import SINUSOID_NOT_ECLIPSER

    rng = np.random.default_rng(11)
    t = survey_times(400, span=2500.0, seasons=7, rng=rng)
    lc, _ = tp_lightcurve((11.0, 0.12, 0.05), period=0.2413, times=t, noise=0.08, rng=rng)
    dec = navfit.find_period(lc).decision
    assert abs(dec.period / 0.2413 - 1) < 1e-3
    assert dec.type == NOT_ECLIPSER
    assert dec.fit.info["order"] == 1
    assert any("sinusoid (TP order 1)" in r for r in dec.reasons)
    assert dec.confidence["type"] == pytest.approx(SINUSOID_NOT_ECLIPSER)
    assert dec.confidence["period"] <= SINUSOID_NOT_ECLIPSER
    assert dec.runner_up["period"] == pytest.approx(2 * dec.period)
    # a resolved non-sinusoidal curve keeps the margin of its shape test
    lc, _ = pulsator_lightcurve(n=300, rng=4)
    assert navfit.find_period(lc).decision.confidence["type"] > 0.99


def test_a_nav_eclipse_of_fifty_magnitudes_in_a_phase_gap_is_no_eclipse(survey_dir):
    # an ASAS-3 Mira (range 3.8 mag, 2.3 cycles): the NAV fit at its period puts a
    # 52-mag "eclipse" where there are no points, cancelled by its TP2 part where there
    # are, and beat the TP by 48 in BIC: a trusted eclipse made it an EB
    lc = navfit.read_lightcurve(survey_dir / "lc" / "ASAS_150145-3621.4.dat")
    ev = gather_evidence(lc, 1064.18)
    assert ev.nav.params["C6"] > 10 * np.ptp(lc.y)
    assert not trusted_eclipses(ev.nav)["primary"]
    decision = decide(ev)
    assert decision.type == NOT_ECLIPSER
    assert "long-period variable" in "; ".join(decision.reasons)
