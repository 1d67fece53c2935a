"""Figures of light-curve fits. matplotlib is imported here and nowhere else in navfit.

Conventions: magnitudes increase downward; the phase axis runs from -0.25 to
1.25 (points with phase in [0, 0.25) and [0.75, 1) are drawn twice) so that
Min I at phase 0 and 1 is seen whole; the time system and band label the axes.
"""

from __future__ import annotations

import numpy as np

__all__ = ["plot_fit"]

#: Phase range shown by the phased plots.
PHASE_RANGE = (-0.25, 1.25)


def _axes(ax, figsize=(3.5, 3.2)):
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def _extend(phase, *arrays):
    lo, hi = PHASE_RANGE
    sel_lo = phase >= 1 + lo
    sel_hi = phase < hi - 1
    ph = np.concatenate([phase[sel_lo] - 1, phase, phase[sel_hi] + 1])
    return (ph, *[np.concatenate([a[sel_lo], a, a[sel_hi]]) for a in arrays])


def ylabel(lc) -> str:
    """Axis label for the light curve's values: kind and band."""
    band = lc.meta.get("band")
    if lc.meta.get("kind") == "flux":
        return f"flux ({band})" if band else "flux"
    return f"{band} (mag)" if band else "magnitude"


def plot_fit(result, ax=None, *, label=None, color="C1", data=True, band=True):
    """Phased data with a fitted curve and its 1-sigma band.

    Parameters
    ----------
    result : FitResult
    ax : matplotlib.axes.Axes, optional
        Drawn on (a new figure is made if ``None``).
    label : str, optional
        Legend label of the curve (default the model label, e.g. ``TP(s=8)``).
    color : str
        Colour of the curve and band.
    data, band : bool
        Draw the data points / the 1-sigma band of the curve.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    lc = result.lc
    if data:
        ph, y, dy = _extend(result.phase(), lc.y, lc.dy)
        ax.errorbar(
            ph,
            y,
            yerr=dy if lc.meta.get("dy_given") else None,
            fmt=".",
            ms=2,
            color="0.35",
            ecolor="0.8",
            elinewidth=0.5,
            zorder=1,
        )
    grid = np.linspace(*PHASE_RANGE, 1501)
    curve = result.evaluate_phase(grid)
    ax.plot(grid, curve, color=color, lw=1.2, label=label or result.label, zorder=3)
    if band:
        sig = result.uncertainty_phase(grid)
        ax.fill_between(grid, curve - sig, curve + sig, color=color, alpha=0.3, lw=0, zorder=2)
    ax.set_xlim(*PHASE_RANGE)
    if lc.meta.get("kind", "mag") == "mag" and not ax.yaxis_inverted():
        ax.invert_yaxis()
    system = lc.meta.get("time_system") or "time"
    offset = lc.meta.get("time_offset", 0.0)
    ax.set_xlabel(
        f"phase (P = {result.period:.7g} d, Min I = {system} {result.epoch + offset:.5f})",
        fontsize=7,
    )
    ax.set_ylabel(ylabel(lc))
    ax.set_title(lc.name, fontsize=9)
    ax.legend(fontsize=7, loc="best")
    return ax
