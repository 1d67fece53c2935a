"""One-day aliases settled by a robust contrast at matched order (navfit.aliases)."""

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
    z = np.array([-3.0, -HUBER_C, -0.5, 0.0, 0.7, HUBER_C, 4.0])
    expected = np.where(np.abs(z) <= HUBER_C, z**2, 2 * HUBER_C * np.abs(z) - HUBER_C**2)
    np.testing.assert_allclose(huber_loss(z), expected)
    # continuous with a continuous slope at c
    eps = 1e-7
    assert huber_loss(HUBER_C + eps) == pytest.approx(HUBER_C**2, abs=1e-6)
    slope_out = (huber_loss(HUBER_C + 2 * eps) - huber_loss(HUBER_C + eps)) / eps
    slope_in = (huber_loss(HUBER_C - eps) - huber_loss(HUBER_C - 2 * eps)) / eps
    assert slope_out == pytest.approx(2 * HUBER_C, rel=1e-4)
    assert slope_in == pytest.approx(2 * HUBER_C, rel=1e-4)
    assert huber_loss(10.0, c=20.0) == 100.0  # within c: a chi-square term


def test_alias_contrast_resists_a_bad_night():
    clean, alias = _nightly_star(2, 0)
    assert alias_contrast([clean], PERIOD, alias, 3) < -10
    lc, _ = _nightly_star(2, 3)
    # least squares: three points that the alias fits decide for the alias
    assert _tp_chi2(lc, PERIOD, 3) - _tp_chi2(lc, alias, 3) > 5
    # the robust contrast still prefers the true period, from the other 57
    delta = alias_contrast([lc], PERIOD, alias, 3)
    assert delta < -5
    assert alias_contrast([lc], alias, PERIOD, 3) == pytest.approx(-delta)


def test_alias_contrast_needs_residual_degrees_of_freedom():
    lc, alias = _nightly_star(2, 0)
    few = lc.subset(np.arange(27))
    # order 3 has 7 parameters: 27 points keep exactly MIN_RESIDUAL_DOF = 20, 26 do not
    assert alias_contrast([few], PERIOD, alias, 3) != 0.0
    assert alias_contrast([lc.subset(np.arange(26))], PERIOD, alias, 3) == 0.0
    assert alias_contrast([lc.subset(np.arange(26))], PERIOD, alias, 2) != 0.0


def test_settle_aliases_raises_the_loser_only():
    lc, alias = _nightly_star(2, 3)
    other = 0.9  # not an alias of either
    # least squares with its own order each: the alias scores best
    scores = np.array([[100.0, 4, PERIOD], [90.0, 3, alias], [95.0, 2, other]])
    settled = settle_aliases([lc], scores, window=50.0)
    delta = alias_contrast([lc], PERIOD, alias, 4)
    assert delta < 0
    assert settled[1, 0] == pytest.approx(100.0 + abs(delta))
    np.testing.assert_array_equal(settled[[0, 2]], scores[[0, 2]])
    np.testing.assert_array_equal(settled[:, 1:], scores[:, 1:])
    # outside the window nothing is compared
    np.testing.assert_array_equal(settle_aliases([lc], scores, window=5.0), scores)


@pytest.mark.parametrize("seed", range(6))
def test_find_period_keeps_the_true_period_beside_bad_nights(seed):
    # least squares chose the alias for seeds 0-2 (before navfit.aliases)
    lc, _ = _nightly_star(seed, 3)
    result = navfit.find_period(lc, min_period=0.1, max_period=5.0)
    assert abs(1 / result.period - 1 / PERIOD) < 0.5 / lc.time_span
