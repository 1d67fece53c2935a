"""One-day aliases settled by a robust BIC, each period at its own order (navfit.aliases)."""

import numpy as np
import pytest

import navfit
from navfit.aliases import HUBER_C, alias_contrast, huber_loss, settle_aliases

PERIOD = 0.55


def _tp_chi2(lc, period, order):
    """Chi-square of a least-squares TP of ``order`` at ``period`` (numpy, the plain way)."""
    phase = 2 * np.pi * lc.t / period
    cols = [np.ones(lc.n)] + [f(k * phase) for k in range(1, order + 1) for f in (np.cos, np.sin)]
    A = np.column_stack(cols) / lc.dy[:, None]
    coef, *_ = np.linalg.lstsq(A, lc.y / lc.dy, rcond=None)
    return float(np.sum((A @ coef - lc.y / lc.dy) ** 2))


def _nightly_star(seed, bad_nights):
    """A pulsator seen on 60 nights over 3000 d, ``bad_nights`` of them replaced by its alias's fit.

    The bad nights are those where the least-squares TP at the 1-day alias
    ``1 / (1/P + 1)`` differs most from the data: points that the alias fits
    and the true period does not, as a night's bad calibration can make them.
    """
    rng = np.random.default_rng(seed)
    t = np.sort(rng.choice(3000, 60, replace=False)).astype(float) + 0.1 * rng.uniform(size=60)
    phase = 2 * np.pi * t / PERIOD
    shape = sum(0.5**k / k * np.sin(k * phase + 0.3 * k) for k in range(1, 6))
    y = 15 + 0.4 * shape + rng.normal(0, 0.02, t.size)
    alias = 1.0 / (1.0 / PERIOD + 1.0)
    pa = 2 * np.pi * t / alias
    A = np.column_stack(
        [np.ones(t.size)] + [f(k * pa) for k in (1, 2, 3) for f in (np.cos, np.sin)]
    )
    fit_alias = A @ np.linalg.lstsq(A, y, rcond=None)[0]
    bad = np.argsort(-np.abs(fit_alias - y))[:bad_nights]
    y[bad] = fit_alias[bad] + rng.normal(0, 0.02, bad.size)
    return navfit.LightCurve(t, y, np.full(t.size, 0.02)), alias


def test_huber_loss_is_quadratic_then_linear():
    c = HUBER_C
    z = np.array([-3.0, -c, -0.5, 0.0, 0.7, c, 4.0])
    expected = [6 * c - c * c, c * c, 0.25, 0.0, 0.49, c * c, 8 * c - c * c]
    np.testing.assert_allclose(huber_loss(z), expected, rtol=1e-15)
    # continuous with a continuous slope at c
    eps = 1e-7
    assert huber_loss(c + eps) == pytest.approx(c**2, abs=1e-6)
    slope_out = (huber_loss(c + 2 * eps) - huber_loss(c + eps)) / eps
    slope_in = (huber_loss(c - eps) - huber_loss(c - 2 * eps)) / eps
    assert slope_out == pytest.approx(2 * c, rel=1e-4)
    assert slope_in == pytest.approx(2 * c, rel=1e-4)
    assert huber_loss(10.0, c=20.0) == 100.0  # within c: a chi-square term


def test_alias_contrast_resists_a_bad_night():
    clean, alias = _nightly_star(2, 0)
    assert alias_contrast([clean], PERIOD, alias, 3) < -10
    lc, _ = _nightly_star(2, 3)
    # least squares: three points that the alias fits decide for the alias
    assert _tp_chi2(lc, PERIOD, 3) - _tp_chi2(lc, alias, 3) > 5
    # the robust contrast still prefers the true period, from the other 57
    assert alias_contrast([lc], PERIOD, alias, 3) < -5
    # at different orders the BIC penalty 2 (s1 - s2) ln n enters
    assert alias_contrast([lc], PERIOD, alias, 3, 4) - alias_contrast(
        [lc], PERIOD, alias, 3, 3
    ) == pytest.approx(-2 * np.log(lc.n) + _huber_sum(lc, alias, 3) - _huber_sum(lc, alias, 4))
    assert alias_contrast([lc], alias, PERIOD, 4, 3) == pytest.approx(
        -alias_contrast([lc], PERIOD, alias, 3, 4)
    )
    with pytest.raises(ValueError, match="at least 1"):
        alias_contrast([lc], PERIOD, alias, 0)


def test_alias_contrast_needs_residual_degrees_of_freedom():
    lc, alias = _nightly_star(2, 0)
    few = lc.subset(np.arange(27))
    # order 3 has 7 parameters: 27 points keep exactly MIN_RESIDUAL_DOF = 20, 26 do not
    assert alias_contrast([few], PERIOD, alias, 3) != 0.0
    assert alias_contrast([lc.subset(np.arange(26))], PERIOD, alias, 3) == 0.0
    assert alias_contrast([lc.subset(np.arange(26))], PERIOD, alias, 2) != 0.0
    # the larger of two orders decides
    assert alias_contrast([lc.subset(np.arange(26))], PERIOD, alias, 2, 3) == 0.0


def _huber_sum(lc, period, order):
    """Huber loss summed over the residuals of the TP at ``period``, in the scale the contrast used."""
    from navfit.aliases import _residuals

    r = _residuals(lc, period, order)
    scales = [np.median(np.abs(_residuals(lc, p, s))) for p, s in ((PERIOD, 3), (period, order))]
    return float(np.sum(huber_loss(r / (1.482602218505602 * min(scales)))))


def test_settle_aliases_raises_the_loser_only():
    lc, alias = _nightly_star(2, 3)
    other = 0.9  # not an alias of either
    # least squares with its own order each: the alias scores best
    scores = np.array([[100.0, 4, PERIOD], [90.0, 3, alias], [95.0, 2, other]])
    settled = settle_aliases([lc], scores, window=50.0)
    delta = alias_contrast([lc], PERIOD, alias, 4, 3)
    assert delta < 0
    assert settled[1, 0] == pytest.approx(100.0 + abs(delta))
    np.testing.assert_array_equal(settled[[0, 2]], scores[[0, 2]])
    np.testing.assert_array_equal(settled[:, 1:], scores[:, 1:])
    # outside the window nothing is compared
    np.testing.assert_array_equal(settle_aliases([lc], scores, window=5.0), scores)


def test_settle_aliases_leaves_nested_pairs_alone():
    lc, _ = _nightly_star(2, 0)
    # 4 and 2 cycles per day, 2 apart: 0.5 d is the double of 0.25 d, not its alias
    nested = np.array([[100.0, 2, 0.25], [95.0, 4, 0.5]])
    np.testing.assert_array_equal(settle_aliases([lc], nested, window=50.0), nested)
    # 4 and 3 cycles per day: aliases, settled
    aliases = np.array([[100.0, 2, 0.25], [95.0, 4, 1 / 3.0]])
    assert not np.array_equal(settle_aliases([lc], aliases, window=50.0), aliases)
    # a long period and its alias: 1.05 c/d is 21 times 0.05 c/d to within 21 * 0.005,
    # left to the BIC (settle_aliases' docstring)
    long = np.array([[100.0, 2, 20.0], [100.0, 2, 1 / 1.05]])
    assert alias_contrast([lc], 20.0, 1 / 1.05, 2) != 0.0
    np.testing.assert_array_equal(settle_aliases([lc], long, window=50.0), long)


def test_find_period_keeps_the_true_period_beside_bad_nights():
    found = []
    for seed in range(6):
        lc, _ = _nightly_star(seed, 3)
        result = navfit.find_period(lc, min_period=0.1, max_period=5.0)
        found.append(abs(1 / result.period - 1 / PERIOD) < 0.5 / lc.time_span)
    # least squares kept the alias for seeds 0, 1 and 2 (before navfit.aliases); seed 1
    # stays there: at its own order (2) the true period fits the 57 good nights worse
    # than the alias at order 3, so the robust BIC prefers the alias too
    assert sum(found) >= 5


def test_a_sinusoid_keeps_its_period_against_an_alias_of_higher_order():
    # forcing one order on both let the 0.75 d alias's fourth harmonic (5.33 c/d, the
    # 2-day alias of 3.33 c/d) absorb the signal: both periods keep their own orders
    rng = np.random.default_rng(3)
    t = np.sort(rng.choice(1500, 150, replace=False)).astype(float) + 0.15 * rng.uniform(size=150)
    phase = 2 * np.pi * t / 0.3
    y = 15 + 0.1 * np.sin(phase) + 0.02 * np.sin(2 * phase + 1) + rng.normal(0, 0.02, t.size)
    lc = navfit.LightCurve(t, y, np.full(t.size, 0.02))
    result = navfit.find_period(lc, min_period=0.1, max_period=5.0)
    assert abs(1 / result.period - 1 / 0.3) < 0.5 / lc.time_span
