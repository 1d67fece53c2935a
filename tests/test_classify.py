"""Classification of real and synthetic light curves (EA/EB/EW/ELL/not an eclipser)."""

import math
import sys

import numpy as np
import pytest

import navfit
from navfit.confidence import margin, near, probability_above
from navfit.decision import classify
from navfit.gcvs_types import NOT_ECLIPSER, eclipse_metrics
from navfit.manifest import load_entry
from navfit.synthetic import nav_lightcurve, pulsator_lightcurve

EXPECTED = {
    "EA_Algol_betPer_AAVSO_vis_PEP.csv": "EA",
    "EA_HD23642_V1229Tau_K2_C4.dat": "EA",
    "EA_HAT-772-0554686_HATSouth_r.csv": "EA",
    "EB_OGLE051951.22-694002.7_OGLE-II_I.csv": "EB",
    "EW_CSS_J011848.5+132107_Catalina.csv": "EW",
    "RRAB_M3_V006.lc": NOT_ECLIPSER,
    "CEP_HIP54101_HD305996_Hipparcos_Hp.csv": NOT_ECLIPSER,
    "CONST_HAT-579-0051858_HATSouth_r.csv": NOT_ECLIPSER,
}


@pytest.mark.parametrize("file", sorted(EXPECTED))
def test_real_light_curves_classified_as_labelled(catalog, file):
    row = catalog[list(catalog["file"]).index(file)]
    kwargs = {"mag": "atf_000"} if file.startswith("CONST") else {}
    lc, info = load_entry(row, **kwargs)
    period = info["period"] or 1.2345  # the constant star has none: any trial period
    nav = navfit.fit_nav(lc, period)
    tp = navfit.fit_tp(lc, period, free_period=True)
    result = classify(nav, tp)
    assert result.type == EXPECTED[file], (result.reasons, result.metrics)
    assert result.reasons
    assert all(np.isfinite(v) for v, _ in result.metrics.values())


LABELS = {
    "EA": "EA",
    "EB": "EB",
    "EW": "EW",
    "ELL": "ELL",
    "RRAB": NOT_ECLIPSER,
    "DCEP": NOT_ECLIPSER,
    "CST": NOT_ECLIPSER,
}


def test_main_job_classifies_every_labelled_star(catalog):
    """``analyze`` with its own period search (phase-folded files: at the catalogue period)."""
    wrong = {}
    for row in catalog:
        lc, info = load_entry(row)
        kwargs = {"period": info["period"]} if lc.phased else {}
        star = navfit.analyze(lc, **kwargs)
        if star.classification.type != LABELS[row["type"]]:  # star.type carries GCVS's ":"
            wrong[row["file"]] = (star.type, star.classification.reasons)
    assert len(catalog) == 9, wrong
    assert not wrong, wrong


def test_contact_binary_at_its_orbital_period_is_ew(catalog):
    row = catalog[list(catalog["file"]).index("EW_CSS_J011848.5+132107_Catalina.csv")]
    lc, _ = load_entry(row)
    nav = navfit.fit_nav(lc, 0.343978443)
    result = classify(nav, navfit.fit_tp(lc, 0.343978443, free_period=True))
    assert result.type == "EW"
    assert result.gcvs in ("EW", "EW:")


def test_degenerate_primary_depth_makes_the_type_uncertain():
    # in a contact binary the primary depth alone can fall below 3 sigma (|rho(C4, C6)| ~ 0.99
    # on sparse survey data): the rules read the type from the shape, marked uncertain
    from navfit.gcvs_types import eclipser_type

    lc, truth = nav_lightcurve("EW", n=600, rng=1)
    nav = navfit.fit_nav(lc, truth["period"])
    m = eclipse_metrics(nav)
    assert eclipser_type(nav, m)[0] == "EW"
    m["sig_C6"] = (2.5, 0.0)
    kind, uncertain, reasons, _ = eclipser_type(nav, m)
    assert kind == "EW"
    assert uncertain
    assert any("degenerate with the TP2 terms" in r for r in reasons)


def test_eb_needs_significantly_unequal_minima():
    # a short-period binary is EB, not EW, only when Min II / Min I lies below 0.7 by
    # more than EB_EVIDENCE_SIGMA standard deviations; an amplitude above 0.8 mag makes
    # an EW uncertain, not EB
    from navfit.gcvs_types import EB_EVIDENCE_SIGMA, EW_MIN_DEPTH_RATIO, eclipser_type

    lc, truth = nav_lightcurve("EW", n=600, rng=1)
    nav = navfit.fit_nav(lc, truth["period"])
    m = eclipse_metrics(nav)
    below = EW_MIN_DEPTH_RATIO - 0.1
    m["minima_ratio"] = (below, 0.1 / (EB_EVIDENCE_SIGMA + 0.5))
    kind, _, reasons, _ = eclipser_type(nav, m)
    assert kind == "EB"
    assert any(r.startswith("not EW") for r in reasons)
    m["minima_ratio"] = (below, 0.1 / (EB_EVIDENCE_SIGMA - 0.5))
    kind, uncertain, reasons, _ = eclipser_type(nav, m)
    assert kind == "EW"
    assert uncertain
    assert any("minima alike" in r for r in reasons)
    m["minima_ratio"] = eclipse_metrics(nav)["minima_ratio"]
    m["A_I"] = (0.9, 0.1 / (EB_EVIDENCE_SIGMA + 0.5))
    kind, uncertain, reasons, conf = eclipser_type(nav, m)
    assert kind == "EW"
    assert uncertain
    assert any("amplitude above the 0.8 mag" in r for r in reasons)
    # nor does it weigh on an EB's confidence
    m["minima_ratio"] = (below, 0.1 / (EB_EVIDENCE_SIGMA + 0.5))
    kind, _, _, conf = eclipser_type(nav, m)
    assert kind == "EB"
    assert conf == eclipser_type(nav, dict(m, A_I=(0.5, 0.01)))[3]
    # an undetermined ratio is no evidence of unequal minima: EW, uncertain, at most even odds
    m["A_I"] = eclipse_metrics(nav)["A_I"]
    m["minima_ratio"] = (0.3, math.inf)
    kind, uncertain, _, conf = eclipser_type(nav, m)
    assert kind == "EW"
    assert uncertain
    assert conf <= 0.5


def test_long_period_eb_with_alike_minima_is_uncertain():
    # P >= 1 d makes a continuously varying binary EB; with minima not shown unequal
    # the GCVS descriptions of EB and EW conflict: EB, uncertain, at even odds
    from navfit.gcvs_types import LONG_PERIOD_ALIKE_CONFIDENCE, eclipser_type

    lc, truth = nav_lightcurve("EW", n=600, rng=1)
    nav = navfit.fit_nav(lc, truth["period"])
    m = eclipse_metrics(nav)
    m["minima_ratio"] = (0.95, 0.03)
    m["period"] = (1.5, 0.0)
    kind, uncertain, reasons, conf = eclipser_type(nav, m)
    assert kind == "EB"
    assert uncertain
    assert conf <= LONG_PERIOD_ALIKE_CONFIDENCE
    assert any("makes it EB" in r for r in reasons)
    # unequal minima make it EB on their own: no such doubt
    m["minima_ratio"] = (0.4, 0.03)
    kind, uncertain, reasons, conf = eclipser_type(nav, m)
    assert kind == "EB"
    assert not any("makes it EB" in r for r in reasons)
    assert conf > LONG_PERIOD_ALIKE_CONFIDENCE


def test_ea_boundary_is_not_sharp_in_the_confidence():
    # catalogue EA and EB overlap in 2|C4|/A_I near 0.15: a precisely measured ratio
    # just below it is EA with a confidence set by the boundary's width, not by its error
    from navfit.gcvs_types import EA_BOUNDARY_WIDTH, EA_ELLIPSOIDAL_RATIO, eclipser_type

    lc, truth = nav_lightcurve("EA", n=600, rng=1)
    nav = navfit.fit_nav(lc, truth["period"])
    m = eclipse_metrics(nav)
    m["D"] = (10.0, 0.1)
    gap = 0.5 * EA_BOUNDARY_WIDTH
    m["ellipsoidal/A_I"] = (EA_ELLIPSOIDAL_RATIO - gap, 1e-4)
    kind, _, _, conf = eclipser_type(nav, m)
    assert kind == "EA"
    assert conf == pytest.approx(0.691, abs=0.002)  # Phi(0.5)
    m["ellipsoidal/A_I"] = (EA_ELLIPSOIDAL_RATIO + gap, 1e-4)
    kind, _, _, conf = eclipser_type(nav, m)
    assert kind != "EA"
    assert conf < 0.85
    # far from the boundary the type is as sure as before
    m["ellipsoidal/A_I"] = (0.01, 1e-4)
    assert eclipser_type(nav, m)[3] > 0.975


def test_minima_ratio_error_stays_undetermined_and_confidence_of_an_undetermined_value():
    minima_ratio = sys.modules["navfit.gcvs_types"]._minima_ratio
    ratio, err = minima_ratio({"amplitude1": (0.5, 0.01), "amplitude2": (0.25, math.inf)}, "mag")
    assert ratio == pytest.approx(0.557, abs=1e-3)
    assert err == math.inf
    ratio, err = minima_ratio({"amplitude1": (0.5, 0.01), "amplitude2": (0.0, 0.02)}, "mag")
    assert ratio == 0.0
    assert 0 < err < math.inf
    # a curve without a Min II measures no ratio: 0, undetermined (not 0 +- 0)
    assert minima_ratio({"amplitude1": (0.5, 0.01)}, "mag") == (0.0, math.inf)
    assert margin(1.0, math.inf, 0.5) == probability_above(1.0, math.nan, 0.5) == 0.5
    assert margin(1.0, 0.0, 0.5) == probability_above(1.0, 0.0, 0.5) == 1.0
    assert near(1.0, math.inf, 0.5)
    assert not near(1.0, 0.0, 0.5)


@pytest.mark.parametrize("kind", ["EA", "EB", "EW"])
def test_synthetic_eclipsers(kind):
    for seed in range(3):
        lc, truth = nav_lightcurve(kind, n=600, rng=seed)
        nav = navfit.fit_nav(lc, truth["period"])
        result = classify(nav, navfit.fit_tp(lc, truth["period"], free_period=True))
        assert result.type == kind
        assert result.gcvs in (kind, kind + ":")


def test_pulsator_is_not_an_eclipser_and_gcvs_string():
    lc, truth = pulsator_lightcurve(rng=2)
    result = classify(navfit.fit_nav(lc, truth["period"]))
    assert result.type == NOT_ECLIPSER
    assert result.gcvs == NOT_ECLIPSER
    assert str(result) == NOT_ECLIPSER


def test_uncertain_near_threshold():
    # an ellipsoidal term that puts 2|C4|/A_I within 1 sigma of the EA/EB boundary
    lc, truth = nav_lightcurve(
        "EA", n=1500, rng=4, noise=0.02, c=(12.0, 0.0, 0.0, 0.0613, 0.0, 0.7, 0.3)
    )
    result = classify(navfit.fit_nav(lc, truth["period"]))
    ratio, err = result.metrics["ellipsoidal/A_I"]
    assert abs(ratio - 0.15) < err
    assert result.uncertain
    assert result.gcvs.endswith(":")
    # far from every threshold: no colon
    lc, truth = nav_lightcurve("EA", n=1500, rng=4, noise=0.02)
    assert classify(navfit.fit_nav(lc, truth["period"])).gcvs == "EA"
