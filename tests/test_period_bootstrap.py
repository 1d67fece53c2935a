"""The bootstrap confidence of a period (navfit.period_bootstrap)."""

import numpy as np
import pytest
from astropy.table import Table

import navfit
from navfit.confidence import UNCERTAIN_BELOW, multiples_of, period_doubt, period_weight
from navfit.lsq import solve_linear, weighted_rss
from navfit.models.tp import tp_design
from navfit.period_bootstrap import BOOT_WINDOW, selection_probability


def _sparse_star(seed=3, n=40):
    """A sparse sinusoid sampled once a night: its period and the 1-day alias compete."""
    rng = np.random.default_rng(seed)
    t = np.sort(rng.choice(np.arange(3000), n, replace=False) + rng.normal(0, 0.02, n))
    y = 15 + 0.3 * np.sin(2 * np.pi * t / 0.55) + rng.normal(0, 0.08, n)
    return navfit.LightCurve(t, y, np.full(n, 0.08))


PERIODS = [
    0.55,
    1.0 / (1.0 / 0.55 + 1.0),
    1.0 / (1.0 / 0.55 - 1.0),
]  # the period, its 1-day aliases


def _alias_candidates(lc):
    """A candidate table of ``PERIODS`` scored on ``lc`` as the search does, and its best period."""
    bic = [navfit.models.tp.bic_order(lc, p, 3) for p in PERIODS]
    cand = Table(
        {"period": PERIODS, "bic_tp": [b for b, _ in bic], "tp_order": [s for _, s in bic]}
    )
    return cand, PERIODS[int(np.argmin(cand["bic_tp"]))]


def test_weighted_rss_is_the_chi_square_of_solve_linear():
    lc = _sparse_star()
    X = tp_design(lc, 0.55, 3)
    rng = np.random.default_rng(0)
    w = rng.uniform(0.5, 2.0, lc.n)
    expected = solve_linear(X, lc.y, 1.0 / w, transposed=True).chi2
    assert weighted_rss(np.ascontiguousarray(X), lc.y, w) == pytest.approx(expected, rel=1e-13)


def test_multiples_of_counts_within_half_a_cycle_over_the_data():
    periods = [1.0, 2.0, 3.003, 1.5, 0.5, 2.0001]
    # 3.003 d is 3 P over 100 d (0.0003 d^-1 from 1/3 < 0.5/100) but not over 2000 d
    assert multiples_of(periods, 1.0, 100.0).tolist() == [True, True, True, False, False, True]
    assert multiples_of(periods, 1.0, 2000.0).tolist() == [True, True, False, False, False, True]
    # a TP at 49 P of order 10 has no term at P: it describes another variation
    assert multiples_of([49.0], 1.0, 100.0, orders=[10]).tolist() == [False]
    assert multiples_of([49.0, 2.0], 1.0, 100.0, orders=[49, 2]).tolist() == [True, True]


def test_no_competitor_in_the_window_means_no_doubt():
    cand = Table(
        {
            "period": [1.0, 2.0, 0.7],
            "bic_tp": [100.0, 105.0, 100.0 + BOOT_WINDOW + 1],
            "tp_order": [2, 3, 2],
        }
    )
    lc = _sparse_star()
    assert selection_probability(lc, cand, 1.0) == 1.0
    # a period the TP scores did not choose: the bootstrap says nothing about it
    assert selection_probability(lc, cand, 0.3) == 1.0


def test_the_bootstrap_doubts_an_alias_that_the_bic_weight_is_sure_of():
    lc = _sparse_star()
    cand, best = _alias_candidates(lc)
    p = selection_probability(lc, cand, best)
    assert 0.0 < p < 1.0
    assert p == selection_probability(lc, cand, best)  # seeded: the same data, the same value
    # the period weight takes the smaller of the two
    span = lc.time_span
    assert period_weight(cand, best, bootstrap=p, span=span) == pytest.approx(
        min(p, period_weight(cand, best, span=span))
    )
    assert period_weight(cand, best, 0.5, bootstrap=p, span=span) == pytest.approx(
        0.5 * period_weight(cand, best, bootstrap=p, span=span)
    )
    # the search's own adjustments of a score stay on every resample: a rival pushed
    # 30 behind (as the robust alias comparison does) no longer wins resamples
    rival = [i for i, q in enumerate(PERIODS) if q != best]
    pushed = cand.copy()
    for i in rival:
        pushed["bic_tp"][i] = cand["bic_tp"][i] + 30.0
    assert selection_probability(lc, pushed, best) > max(p, 0.95)
    with pytest.raises(navfit.InputError, match="resamples"):
        selection_probability(lc, cand, best, resamples=0)
    with pytest.raises(navfit.InputError, match="period"):
        selection_probability(lc, cand, 0.0)


def test_too_few_points_in_every_resample_give_no_information():
    lc = _sparse_star(n=12)
    cand = Table({"period": [0.55, 0.3548], "bic_tp": [10.0, 11.0], "tp_order": [5, 5]})
    # 11 parameters on 12 points: most resamples cannot fit either candidate
    p = selection_probability(lc, cand, 0.55)
    assert 0.0 <= p <= 1.0
    reordered = Table({"period": [0.3548, 0.55], "bic_tp": [11.0, 10.0], "tp_order": [5, 5]})
    assert selection_probability(lc, reordered, 0.55) == p


def test_find_period_carries_the_bootstrap_into_the_confidence():
    lc = _sparse_star()
    res = navfit.find_period(lc)
    boot = res.evidence["bootstrap"]
    assert 0.0 <= boot <= 1.0
    assert res.decision.confidence["period"] <= boot + 1e-12


def test_sparse_rr_lyrae_at_a_wrong_alias_is_no_longer_sure(survey_dir):
    """S82RR_866986 (Stripe 82, 59 points): the search returns 0.1745 d against the catalogue's
    0.54988 d. Its BIC weight was 0.9997; a quarter of the bootstrap resamples or more prefer
    another candidate."""
    lc = navfit.read_lightcurve(survey_dir / "lc" / "S82RR_866986.dat")
    star = navfit.analyze(lc)
    assert abs(star.best.period - 0.1745) < 1e-3
    weight = period_weight(
        star.search.candidates, star.decision.photometric_period, star.search.fap, span=lc.time_span
    )
    assert weight > 0.999
    assert star.decision.confidence["period"] < 0.75
    doubt = [f for f in star.search.flags if f.startswith("period uncertain")]
    assert len(doubt) == 1
    assert "bootstrap resamples" in doubt[0]
    assert "next best: P = " in doubt[0]
    assert doubt[0] in star.summary()


def test_period_doubt_names_the_best_rival_below_one_sigma():
    cand = Table({"period": [1.0, 2.0, 0.7, 0.9], "bic_tp": [100.0, 101.0, 103.0, np.nan]})
    assert period_doubt(cand, 1.0, None, 100.0) is None
    assert period_doubt(cand, 1.0, 0.85, 100.0) is None
    text = period_doubt(cand, 1.0, 0.6, 100.0)
    assert text.startswith("period uncertain: another candidate has the best BIC in 40 %")
    assert text.endswith("(next best: P = 0.7 d)")
    assert abs(UNCERTAIN_BELOW - 0.8413) < 1e-4


def test_bands_are_resampled_each_on_its_own_and_scored_jointly():
    lc = _sparse_star()
    cand, best = _alias_candidates(lc)
    # one band given as a list is the one-band case, draw for draw
    assert selection_probability([lc], cand, best) == selection_probability(lc, cand, best)
    # a second band with the same signal, scored jointly (the sum of the bands' BICs)
    rng = np.random.default_rng(9)
    t2 = np.sort(rng.choice(np.arange(3000), 40, replace=False) + 0.3)
    y2 = 14.5 + 0.2 * np.sin(2 * np.pi * t2 / 0.55) + rng.normal(0, 0.08, 40)
    other = navfit.LightCurve(t2, y2, np.full(40, 0.08))
    joint = [navfit.models.tp.bic_order(other, p, 3)[0] for p in PERIODS]
    both = cand.copy()
    both["bic_tp"] = cand["bic_tp"] + np.array(joint)
    p2 = selection_probability([lc, other], both, PERIODS[int(np.argmin(both["bic_tp"]))])
    assert 0.0 <= p2 <= 1.0


def test_a_multiband_search_carries_a_bootstrap():
    rng = np.random.default_rng(4)
    t = np.sort(rng.choice(np.arange(2500), 90, replace=False) + rng.normal(0, 0.02, 90))
    band = np.where(np.arange(90) % 2 == 0, "g", "r")
    y = 15 + np.where(band == "g", 0.3, 0.2) * np.sin(2 * np.pi * t / 0.55)
    y = y + rng.normal(0, 0.08, 90)
    res = navfit.find_period(navfit.LightCurve(t, y, np.full(90, 0.08), band=band))
    boot = res.evidence["bootstrap"]
    assert boot is not None
    assert 0.0 <= boot <= 1.0
    assert res.decision.confidence["period"] <= boot + 1e-12
