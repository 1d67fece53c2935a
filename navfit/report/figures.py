"""Figures of the review report: PNG files drawn with matplotlib's Agg backend.

Every figure is saved through :func:`save_png`, which quantises the image to
a small palette: a light curve of a few thousand points stays a few tens of
kB, a thumbnail a few kB, so that a report of 10,000 stars stays portable.
Magnitudes increase downward; phases run over two cycles, ``-0.5`` to
``1.5``, with Min I at phase 0 and 1.
"""

from __future__ import annotations

import io
from itertools import pairwise
from pathlib import Path

import numpy as np

from ..plot import ylabel

__all__ = [
    "PHASE_RANGE",
    "light_curve_figure",
    "oc_figure",
    "periodogram_figure",
    "save_png",
    "thumbnail",
]

#: Phases shown: two cycles, Min I at 0 and 1.
PHASE_RANGE = (-0.5, 1.5)
#: Colours of the NAV and TP curves (as in :mod:`navfit.plot`).
COLORS = {"nav": "#e6730f", "tp": "#1f6fb4"}
#: Points above which error bars are left out (they would hide the light curve).
MAX_ERRORBARS = 1500
#: Points of a periodogram drawn (the upper envelope of the full grid).
PERIODOGRAM_POINTS = 3000


def _figure(figsize, **kwargs):
    """A figure on its own Agg canvas: no pyplot, so the caller's backend is left alone."""
    from matplotlib.figure import Figure

    return Figure(figsize=figsize, **kwargs)


def save_png(fig, path, *, dpi=120, colors=64) -> Path:
    """Save ``fig`` as a palette PNG (``colors`` colours) and close it.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    path : path
    dpi : float
    colors : int or None
        Palette size; ``None`` keeps full RGB.

    Returns
    -------
    pathlib.Path
    """
    from PIL import Image

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    buffer.seek(0)
    image = Image.open(buffer).convert("RGB")
    if colors:
        image = image.quantize(colors=colors, method=Image.Quantize.MEDIANCUT)
    path = Path(path)
    image.save(path, format="PNG", optimize=True)
    return path


def _two_cycles(phase, *arrays):
    """Points of phases in [0, 1) repeated over :data:`PHASE_RANGE`."""
    ph = np.concatenate([phase - 1.0, phase, phase + 1.0])
    keep = (ph >= PHASE_RANGE[0]) & (ph <= PHASE_RANGE[1])
    return (ph[keep], *[np.tile(a, 3)[keep] for a in arrays])


def _data(ax, phase, lc, size=2.5):
    ph, y, dy = _two_cycles(phase, lc.y, lc.dy)
    if lc.meta.get("dy_given") and lc.n <= MAX_ERRORBARS:
        ax.errorbar(ph, y, yerr=dy, fmt="none", ecolor="#c8ccd2", elinewidth=0.6, zorder=1)
    ax.plot(ph, y, ".", ms=size, color="#3a3f47", mew=0, zorder=2)


def light_curve_figure(fits, path, *, title=""):
    """Phased light curve over two cycles with the fitted curves and their residuals.

    Parameters
    ----------
    fits : sequence of (str, FitResult)
        ``("nav", fit)`` and/or ``("tp", fit)``; the first sets the phase origin
        (Min I at phase 0) and the period of the phase axis.
    path : path
        PNG written.
    title : str
        Written above the right end of the panel (the legend takes the left).

    Returns
    -------
    pathlib.Path
    """
    fits = [(kind, fit) for kind, fit in fits if fit is not None]
    ref = fits[0][1]
    lc = ref.lc
    ratios = [3.2] + [1.0] * len(fits)
    height = 3.4 + 1.05 * len(fits)
    fig = _figure((8.4, height))
    # fixed margins (inches): constrained layout would draw the figure twice
    head = 0.35 + (0.25 if title else 0.0)  # inches: the legend row, then the title above it
    fig.subplots_adjust(
        left=0.95 / 8.4,
        right=1 - 0.15 / 8.4,
        top=1 - head / height,
        bottom=0.55 / height,
        hspace=0.08,
    )
    axes = fig.subplots(len(fits) + 1, 1, sharex=True, gridspec_kw={"height_ratios": ratios})
    ax = axes[0]
    phase = ref.phase()
    _data(ax, phase, lc)
    grid = np.linspace(*PHASE_RANGE, 2001)
    times = ref.phase_to_time(grid)
    for rank, ((kind, fit), axr) in enumerate(zip(fits, axes[1:], strict=True)):
        color = COLORS[kind]
        top = 2 * (len(fits) - rank)  # the first fit (the catalogue's) drawn on top
        curve = fit.evaluate(times)
        sigma = fit.uncertainty(times)
        ax.fill_between(
            grid, curve - sigma, curve + sigma, color=color, alpha=0.25, lw=0, zorder=2 + top
        )
        ax.plot(
            grid,
            curve,
            color=color,
            lw=1.5 if rank == 0 else 1.1,
            zorder=3 + top,
            label=f"{fit.label}  (sigma0 = {fit.sigma0:.3g}, BIC = {fit.bic:.1f})",
        )
        ph, res = _two_cycles(phase, lc.y - fit.evaluate(lc.t))
        axr.plot(ph, res, ".", ms=2.2, color=color, mew=0)
        axr.axhline(0.0, color="#6b7280", lw=0.7)
        spread = np.nanpercentile(np.abs(res), 99) if res.size else 1.0
        axr.set_ylim(-1.15 * spread, 1.15 * spread)
        axr.set_ylabel(f"O-C\n{fit.label}", fontsize=8)
        axr.tick_params(labelsize=8)
        if lc.kind == "mag":
            axr.invert_yaxis()
    for a in axes:
        for x in (0.0, 1.0):
            a.axvline(x, color="#9ca3af", lw=0.6, ls=":", zorder=0)
    if lc.kind == "mag":
        ax.invert_yaxis()
    ax.set_xlim(*PHASE_RANGE)
    ax.set_ylabel(ylabel(lc))
    ax.legend(
        fontsize=8,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncol=2,
        frameon=False,
        borderaxespad=0.1,
    )
    if title:
        fig.text(1 - 0.15 / 8.4, 1 - 0.08 / height, title, ha="right", va="top", fontsize=10)
    axes[-1].set_xlabel(
        f"phase  (P = {ref.period:.9g} d, Min I at {ref.epoch_label(5)})", fontsize=9
    )
    return save_png(fig, path)


def _envelope(period, power, points=PERIODOGRAM_POINTS):
    """Upper envelope of a periodogram on ``points`` bins: peaks survive decimation."""
    if power.size <= 2 * points:
        return period, power
    edges = np.linspace(0, power.size, points + 1).astype(int)
    idx = np.array([lo + int(np.argmax(power[lo:hi])) for lo, hi in pairwise(edges) if hi > lo])
    return period[idx], power[idx]


def periodogram_figure(
    path, frequency, power, *, period, eclipse_power=None, candidates=(), runner_up=None, title=""
):
    """Periodograms against period with the chosen period and the candidates.

    Parameters
    ----------
    path : path
    frequency, power : ndarray
        The TP(2) periodogram (cycles per day, fraction of chi-square).
    period : float
        The catalogue's period: solid line; its half and double dashed.
    eclipse_power : ndarray, optional
        The eclipse periodogram on the same grid.
    candidates : sequence of float
        Candidate periods, ticked along the top and numbered by rank.
    runner_up : float, optional
        The decision's runner-up period (red line).
    title : str

    Returns
    -------
    pathlib.Path
    """
    fig = _figure((8.4, 3.0))
    fig.subplots_adjust(left=0.75 / 8.4, right=1 - 0.15 / 8.4, top=1 - 0.3 / 3.0, bottom=0.5 / 3.0)
    ax = fig.subplots()
    periods = 1.0 / np.asarray(frequency, float)
    order = np.argsort(periods)
    p, w = _envelope(periods[order], np.asarray(power, float)[order])
    ax.plot(p, w, color=COLORS["tp"], lw=0.8, label="TP(2) periodogram")
    if eclipse_power is not None and np.size(eclipse_power) == np.size(frequency):
        p, w = _envelope(periods[order], np.asarray(eclipse_power, float)[order])
        ax.plot(p, w, color="#c2410c", lw=0.8, alpha=0.85, label="eclipse periodogram")
    ax.set_xscale("log")
    ax.set_xlim(periods.min(), periods.max())
    ax.set_ylim(0, ax.get_ylim()[1] * 1.12)  # room for the candidate marks
    top = ax.get_xaxis_transform()
    for rank, cand in enumerate(candidates[:12], 1):
        ax.plot(cand, 0.97, "v", color="#4b5563", ms=5, transform=top)
        if rank <= 5:
            ax.text(cand, 0.93, str(rank), transform=top, ha="center", va="top", fontsize=7)
    ax.axvline(period, color="#111827", lw=1.2, label=f"P = {period:.9g} d")
    for mult in (0.5, 2.0):
        ax.axvline(period * mult, color="#111827", lw=0.8, ls="--", alpha=0.5)
    if runner_up and abs(runner_up - period) > 1e-3 * period:
        ax.axvline(
            runner_up, color="#dc2626", lw=1.0, ls="-.", label=f"runner-up {runner_up:.7g} d"
        )
    ax.set_xlabel("period (d)")
    ax.set_ylabel("power")
    if title:
        ax.set_title(title, fontsize=9, loc="left")
    ax.legend(
        fontsize=7,
        loc="lower right",
        bbox_to_anchor=(1.0, 1.0),
        ncol=4,
        frameon=False,
        borderaxespad=0.1,
    )
    return save_png(fig, path)


def thumbnail(fit, path, *, width=200, height=120):
    """A small phased light curve (two cycles, no labels) with the fitted curve.

    Returns
    -------
    pathlib.Path
    """
    dpi = 50
    fig = _figure((width / dpi, height / dpi))
    ax = fig.add_axes((0.01, 0.02, 0.98, 0.96))
    lc = fit.lc
    ph, y = _two_cycles(fit.phase(), lc.y)
    # dense light curves as a haze, sparse ones as dots
    alpha = float(np.clip(1500.0 / max(lc.n, 1), 0.2, 1.0))
    ax.plot(ph, y, ".", ms=2.0 if lc.n < 3000 else 1.4, mew=0, color="#374151", alpha=alpha)
    grid = np.linspace(*PHASE_RANGE, 400)
    ax.plot(
        grid,
        fit.evaluate(fit.phase_to_time(grid)),
        color=COLORS["nav" if fit.model != "tp" else "tp"],
        lw=1.2,
    )
    lo, hi = np.nanpercentile(lc.y, [0.5, 99.5])
    pad = 0.08 * (hi - lo) if hi > lo else 0.1
    ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlim(*PHASE_RANGE)
    if lc.kind == "mag":
        ax.invert_yaxis()
    ax.set_axis_off()
    return save_png(fig, path, dpi=dpi, colors=16)


def oc_figure(result, path):
    """The O-C diagram of a :class:`navfit.OCResult` with its best model and residuals.

    Returns
    -------
    pathlib.Path
    """
    from navfit import plot_oc

    fig = _figure((8.4, 4.0))
    fig.subplots_adjust(
        left=1.0 / 8.4, right=1 - 0.15 / 8.4, top=1 - 0.35 / 4.0, bottom=0.5 / 4.0, hspace=0.08
    )
    axes = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": (3, 1)})
    plot_oc(result, axes)
    return save_png(fig, path)
