"""Figures: each function draws on the given Axes, follows the conventions, renders to PNG."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import navfit
from navfit import plot
from navfit.synthetic import nav_lightcurve


@pytest.fixture(scope="module")
def star():
    lc, _ = nav_lightcurve("EA", n=500, rng=2)
    return navfit.analyze(lc)


def _render(fig, tmp_path, name):
    path = tmp_path / f"{name}.png"
    fig.savefig(path, dpi=80)
    assert path.stat().st_size > 5000
    plt.close(fig)


def test_light_curve_panels(star, tmp_path):
    ax, axr = plot.plot_light_curve(star.nav, star.tp)
    assert ax.yaxis_inverted()
    assert axr.yaxis_inverted()
    assert ax.get_xlim() == plot.PHASE_RANGE
    assert "phase" in axr.get_xlabel()
    assert "BJD" in axr.get_xlabel()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels == ["NAV", star.tp.label]
    _render(ax.figure, tmp_path, "lc")


def test_functions_draw_on_given_axes(star, tmp_path):
    fig, axes = plt.subplots(2, 2)
    assert plot.plot_periodogram(star.search, ax=axes[0, 0]) is axes[0, 0]
    tab = navfit.select_order(star.lc, star.search.period, max_order=20)
    assert plot.plot_order_selection(tab, ax=axes[0, 1]) is axes[0, 1]
    assert plot.plot_residual_distribution(star.nav, ax=axes[1, 0]) is axes[1, 0]
    assert plot.plot_fit(star.tp, ax=axes[1, 1]) is axes[1, 1]
    assert axes[0, 0].get_xscale() == "log"
    _render(fig, tmp_path, "grid")


def test_residual_distribution_of_pulls(tmp_path):
    ax = plot.plot_residual_distribution(np.random.default_rng(0).normal(size=500), label="pulls")
    assert "std" in ax.get_title()
    _render(ax.figure, tmp_path, "pulls")


def test_light_curve_needs_a_fit():
    with pytest.raises(ValueError, match="NAV or a TP"):
        plot.plot_light_curve()
