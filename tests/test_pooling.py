"""Pooling the bands of a sparse multi-band light curve at a trial period (navfit.pooling)."""

import numpy as np
import pytest

import navfit
from navfit.criteria import BIC_STRONG
from navfit.eclipse_periodogram import DEFAULT_WIDTHS, eclipse_periodogram, resolvable_widths
from navfit.models.tp import fit_tp
from navfit.period_search import (
    MIN_ECLIPSE_PERIOD,
    _grid,
    _pooled_eclipse_search,
)
from navfit.pooling import MIN_SCALE_SIGMA, eclipse_period, scaled_pool
from navfit.synthetic import six_band_sparse_lightcurve, survey_times

PERIOD = 0.61


def _shape(t):
    phase = t / PERIOD
    return 0.3 * np.cos(2 * np.pi * phase) + 0.08 * np.sin(4 * np.pi * phase + 0.4)


def _two_bands(noise=0.0, scale_b=1.7, seed=3):
    rng = np.random.default_rng(seed)
    t = np.sort(survey_times(90, span=800.0, seasons=3, rng=rng))
    band = np.where(rng.random(t.size) < 0.6, "r", "g")  # r has the most points
    level = np.where(band == "r", 14.0, 14.6)
    scale = np.where(band == "r", 1.0, scale_b)
    y = (
        level + scale * _shape(t) + rng.normal(0.0, noise, t.size)
        if noise
        else level + scale * _shape(t)
    )
    return navfit.LightCurve(t, y, np.full(t.size, max(noise, 0.01)), band=band, time_system="BJD")


def test_scaled_pool_puts_every_band_on_the_reference_bands_curve():
    lc = _two_bands()
    pooled, scales = scaled_pool(lc, PERIOD)
    assert pooled.bands == ("pooled",)
    assert pooled.n == lc.n
    np.testing.assert_array_equal(pooled.t, lc.t)
    # g's variation (1.7 times r's on 40 % of the points) has the higher signal-to-noise
    assert scales["g"] == 1.0
    assert scales["r"] == pytest.approx(1 / 1.7, rel=1e-6)
    # one noise-free curve in both bands: g's variation about the zero mean of its cycle
    np.testing.assert_allclose(pooled.y, 1.7 * _shape(lc.t), atol=1e-6)
    fit = fit_tp(pooled, PERIOD, order=2)
    assert fit.chi2 < 1e-10
    g = lc.band_index == lc.bands.index("g")
    np.testing.assert_allclose(pooled.dy[g], lc.dy[g])
    np.testing.assert_allclose(pooled.dy[~g], lc.dy[~g] * 1.7)


def test_the_reference_is_the_band_with_the_clearest_variation():
    # r has the most points but only noise; g and i vary, i with twice g's amplitude
    rng = np.random.default_rng(4)
    t = np.sort(survey_times(150, span=800.0, seasons=3, rng=rng))
    band = np.array(["r", "r", "g", "i"])[rng.integers(0, 4, t.size)]
    amp = np.select([band == "g", band == "i"], [1.0, 2.0], 0.0)
    y = 15.0 + amp * _shape(t) + rng.normal(0.0, 0.01, t.size)
    lc = navfit.LightCurve(t, y, np.full(t.size, 0.01), band=band, time_system="BJD")
    _, scales = scaled_pool(lc, PERIOD)
    assert scales["i"] == 1.0
    assert scales["g"] == pytest.approx(0.5, rel=0.05)
    assert scales["r"] == 1.0  # not significant: level moved only


def test_a_period_at_which_the_phases_coincide_gives_bounded_values():
    # nightly sampling at whole days, trial period one day: each band's phases nearly coincide
    rng = np.random.default_rng(2)
    t = 2459000.0 + np.sort(rng.choice(900, 72, replace=False)) + rng.normal(0.0, 1e-4, 72)
    band = np.array(["u", "g", "r", "i", "z", "y"])[rng.integers(0, 6, t.size)]
    y = 15.0 + 0.3 * np.sin(2 * np.pi * t / 0.37) + rng.normal(0.0, 0.02, t.size)
    lc = navfit.LightCurve(t, y, np.full(t.size, 0.02), band=band, time_system="BJD")
    pooled, _ = scaled_pool(lc, 1.0)
    assert np.all(np.isfinite(pooled.y))
    # levels traded against the shape put these at 6e11 mag before the harmonics were centred
    assert np.max(np.abs(pooled.y)) <= 2 * np.ptp(lc.y)


def test_a_band_without_the_variation_keeps_scale_one():
    # g carries only noise: its fitted scale is not MIN_SCALE_SIGMA sigma above zero
    lc = _two_bands(noise=0.01, scale_b=0.0)
    pooled, scales = scaled_pool(lc, PERIOD)
    assert scales["g"] == 1.0
    g = lc.band_index == lc.bands.index("g")
    np.testing.assert_allclose(pooled.dy[g], lc.dy[g])
    assert abs(np.mean(pooled.y[g])) < 0.01  # its level is still removed
    assert MIN_SCALE_SIGMA >= 2


def test_scaled_pool_without_errors_keeps_equal_weights():
    lc0 = _two_bands()
    lc = navfit.LightCurve(lc0.t, lc0.y, band=np.asarray(lc0.bands)[lc0.band_index])
    pooled, scales = scaled_pool(lc, PERIOD)
    assert not pooled.dy_given
    assert scales["r"] == pytest.approx(1 / 1.7, rel=1e-6)


def test_sparse_contact_binaries_are_found_at_the_orbital_period():
    # six bands, one per epoch, 12 points each: pooled without scales, the depths that change
    # with colour hid the unequal minima and every one of these came out at P/2
    found = 0
    for seed in range(5):
        lc, truth = six_band_sparse_lightcurve("EW", rng=seed, noise=0.02)
        res = navfit.find_period(lc)
        assert res.evidence["decided_in_band"] == "pooled"
        assert set(res.evidence["band_scales"]) == set(lc.bands)
        found += abs(res.period / truth["period"] - 1) < 1e-3
    assert found >= 4


def test_noise_alone_pools_without_scales():
    lc0 = _two_bands()
    rng = np.random.default_rng(5)
    flat = np.where(lc0.band_index == 0, 14.0, 14.6) + rng.normal(0.0, 0.01, lc0.n)
    lc = navfit.LightCurve(lc0.t, flat, lc0.dy, band=np.asarray(lc0.bands)[lc0.band_index])
    pooled, scales = scaled_pool(lc, PERIOD)
    assert set(scales.values()) == {1.0}
    assert np.all(np.isfinite(pooled.y))
    assert np.all(np.isfinite(pooled.dy))
    np.testing.assert_allclose(pooled.dy, lc.dy)


@pytest.fixture(scope="module")
def sparse_ea():
    """A detached binary in six bands of 12 points each, one band per epoch."""
    return six_band_sparse_lightcurve("EA", rng=7, noise=0.02)


def test_eclipse_period_replaces_an_unrelated_tp_period(sparse_ea):
    lc, truth = sparse_ea
    p = truth["period"]
    new, info = eclipse_period(lc.pooled(), [p], 0.37 * p)
    assert new == pytest.approx(p, rel=1e-4)
    assert info["bic_eclipse"] < info["bic_reference"] - BIC_STRONG
    trials = info["trials"]
    assert set(trials.colnames) == {"period", "model", "bic"}
    assert {"TP", "NAV"} <= set(trials["model"])


def test_eclipse_period_takes_the_half_of_a_doubled_eclipse_period(sparse_ea):
    # the eclipse peak at 2P: the NAV at P describes the same eclipses more simply
    lc, truth = sparse_ea
    p = truth["period"]
    new, _ = eclipse_period(lc.pooled(), [2 * p], 0.37 * p)
    assert new == pytest.approx(p, rel=1e-4)


def test_eclipse_period_leaves_the_tp_period_to_the_decision(sparse_ea):
    lc, truth = sparse_ea
    new, info = eclipse_period(lc.pooled(), [truth["period"]], truth["period"])
    assert new is None
    assert "trials" not in info


def test_eclipse_period_answers_the_double_of_the_tp_period(sparse_ea):
    # the NAV at 2P beats both fits at P strongly: P or 2P is answered by the eclipses
    lc, truth = sparse_ea
    p = truth["period"]
    new, info = eclipse_period(lc.pooled(), [p], 0.5 * p)
    assert new == pytest.approx(p, rel=1e-4)
    assert info["double"] is True
    assert info["bic_eclipse"] < info["bic_reference"] - BIC_STRONG
    # an unrelated period is not a double: the decision still weighs its 2P
    assert eclipse_period(lc.pooled(), [p], 0.37 * p)[1]["double"] is False


@pytest.mark.parametrize(("kind", "seed"), [("EA", 18), ("EB", 21)])
def test_sparse_binary_at_twice_the_tp_period_is_not_doubled_again(kind, seed):
    # the TP scoring picks half the orbit and the pooled NAV fits establish the orbit:
    # EA 18 stayed at P/2 when the double was left to the decision; EB 21 comes out at
    # twice the orbit when the decision examines the double again
    lc, truth = six_band_sparse_lightcurve(kind, rng=seed, noise=0.02)
    res = navfit.find_period(lc)
    assert res.evidence["pooled_eclipse"]["double"] is True
    assert res.period == pytest.approx(truth["period"], rel=1e-4)
    assert res.decision.type == kind


def test_eclipse_period_keeps_the_tp_period_on_noise():
    rng = np.random.default_rng(11)
    t = np.sort(survey_times(72, span=1000.0, seasons=3, rng=rng))
    band = np.array(["u", "g", "r", "i", "z", "y"])[rng.integers(0, 6, t.size)]
    lc = navfit.LightCurve(
        t, 15.0 + rng.normal(0.0, 0.02, t.size), np.full(t.size, 0.02), band=band
    )
    new, info = eclipse_period(lc.pooled(), [1.3, 2.9], 0.77)
    assert new is None
    assert info["bic_eclipse"] > info["bic_reference"] - BIC_STRONG


def test_sparse_detached_binary_found_through_its_eclipses():
    # the TP scoring picks a quarter of the period here; the eclipses give it
    lc, truth = six_band_sparse_lightcurve("EA", rng=6, noise=0.02)
    res = navfit.find_period(lc)
    assert res.period == pytest.approx(truth["period"], rel=1e-4)
    assert (
        res.evidence["pooled_eclipse"]["bic_eclipse"]
        < res.evidence["pooled_eclipse"]["bic_reference"] - BIC_STRONG
    )
    assert res.decision.confidence["period"] > 0.5


def test_eclipse_period_keeps_the_tp_period_when_no_fit_can_be_made(monkeypatch, sparse_ea):
    from navfit import evidence, pooling
    from navfit.errors import NavfitError

    def refuse(*_args, **_kwargs):
        raise NavfitError("too few points")

    monkeypatch.setattr(pooling, "tp_at", refuse)
    monkeypatch.setattr(evidence, "fit_nav", refuse)
    lc, truth = sparse_ea
    assert eclipse_period(lc.pooled(), [truth["period"]], 0.37 * truth["period"]) == (None, {})


def test_sparse_search_below_the_shortest_eclipse_period():
    # every trial period under 0.2 d: no eclipse periodogram, no error
    lc, _ = six_band_sparse_lightcurve("EW", rng=1, noise=0.02)
    res = navfit.find_period(lc, min_period=0.05, max_period=0.19)
    assert 0.05 <= res.period <= 0.19 * 2


def test_pooled_eclipse_search_resolves_narrow_eclipses_of_sparse_bands():
    # 72 points: the NAV fit's floor half-width is 8 / 144 = 0.056, so the templates
    # kept bracket it (0.04 and wider); the fine grid keeps the eclipses of a detached
    # binary aligned over 1000 d, where the main grid smeared them (1 of these 6 found)
    found = 0
    for seed in range(6):
        lc, truth = six_band_sparse_lightcurve("EA", rng=seed, noise=0.02)
        frequency, _ = _grid(lc, None, None, 10)
        peaks, power = _pooled_eclipse_search(lc.pooled(), frequency, DEFAULT_WIDTHS)
        widths = resolvable_widths(DEFAULT_WIDTHS, lc.n)
        assert widths == (0.04, 0.08, 0.16)
        assert power.shape == frequency.shape
        # the main grid shows the fine grid's highest peak (each cell's maximum)
        top = eclipse_periodogram(lc.pooled(), [peaks[0]], widths)[0][0]
        assert power.max() == pytest.approx(top, rel=1e-12)
        assert len(peaks) == 5
        assert all(0 < f <= 1.0 / MIN_ECLIPSE_PERIOD for f in peaks)
        found += abs(navfit.find_period(lc).period / truth["period"] - 1) < 1e-4
    assert found >= 5


def test_cell_maxima_keeps_every_fine_peak():
    from navfit.period_candidates import cell_maxima

    fine = np.linspace(1.0, 2.0, 401)
    power = np.zeros_like(fine)
    power[[8, 9, 203, 397]] = [0.3, 0.9, 0.5, 0.7]  # 8 and 9 share a cell
    coarse = np.linspace(1.0, 2.2, 121)  # cells of 4 fine steps, and beyond the fine grid
    shown = cell_maxima(coarse, fine, power)
    assert shown.max() == 0.9
    assert sorted(shown[shown > 0]) == [0.5, 0.7, 0.9]
    assert np.all(shown[coarse > 2.0 + 0.005] == 0.0)
    # a main grid finer than the fine one: empty cells are interpolated
    finer = np.linspace(1.0, 2.0, 1601)
    np.testing.assert_allclose(cell_maxima(finer, fine, fine**2)[::4], fine**2, rtol=1e-12)
