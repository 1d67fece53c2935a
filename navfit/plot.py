"""Figures of light-curve fits (matplotlib is imported when a figure is drawn, not with navfit).

Conventions: magnitudes increase downward; the phase axis runs from -0.25 to
1.25 (points with phase in [0, 0.25) and [0.75, 1) are drawn twice) so that
Min I at phase 0 and 1 is seen whole; the time system and band label the axes.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "plot_fit",
    "plot_light_curve",
    "plot_multiband",
    "plot_order_selection",
    "plot_periodogram",
    "plot_residual_distribution",
]

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


def _data_points(ax, phase, lc):
    """The data at their phases (over :data:`PHASE_RANGE`), grey, with errors where given."""
    ph, y, dy = _extend(phase, lc.y, lc.dy)
    ax.errorbar(
        ph,
        y,
        yerr=dy if lc.dy_given else None,
        fmt=".",
        ms=2,
        color="0.35",
        ecolor="0.8",
        elinewidth=0.5,
        zorder=1,
    )


def ylabel(lc) -> str:
    """Axis label for the light curve's values: kind and band."""
    band = lc.band
    if lc.kind == "flux":
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
        _data_points(ax, result.phase(), lc)
    grid = np.linspace(*PHASE_RANGE, 1501)
    curve = result.evaluate_phase(grid)
    ax.plot(grid, curve, color=color, lw=1.2, label=label or result.label, zorder=3)
    if band:
        sig = result.uncertainty_phase(grid)
        sig[~np.isfinite(sig)] = np.nan  # no band where the curve is not determined
        ax.fill_between(grid, curve - sig, curve + sig, color=color, alpha=0.3, lw=0, zorder=2)
    ax.set_xlim(*PHASE_RANGE)
    if lc.kind == "mag" and not ax.yaxis_inverted():
        ax.invert_yaxis()
    ax.set_xlabel(f"phase (P = {result.period:.7g} d, Min I = {result.epoch_label(5)})", fontsize=7)
    ax.set_ylabel(ylabel(lc))
    ax.set_title(lc.name, fontsize=9)
    ax.legend(fontsize=7, loc="best")
    return ax


def plot_multiband(fit, axes=None, *, color="C1"):
    """A joint multi-band fit: one panel per band, data and the band's curve.

    Parameters
    ----------
    fit : MultibandNavResult or MultibandTPResult
        A joint fit (:func:`navfit.fit_nav_multiband`, :func:`navfit.fit_tp_multiband`).
    axes : sequence of matplotlib.axes.Axes, optional
        One per band (a new figure with the panels stacked if ``None``).
    color : str
        Colour of the curves.

    Returns
    -------
    list of matplotlib.axes.Axes
        In the order of ``fit.bands``; each panel is :func:`plot_fit` of the
        band's :class:`~navfit.FitResult` (series offsets removed), titled
        with the band.
    """
    import matplotlib.pyplot as plt

    if axes is None:
        _, axes = plt.subplots(
            len(fit.bands), 1, figsize=(4.0, 2.2 * len(fit.bands)), sharex=True,
            layout="constrained", squeeze=False,
        )  # fmt: skip
        axes = axes[:, 0]
    axes = list(axes)
    for ax, band in zip(axes, fit.bands, strict=True):
        band_fit = fit.band_fits[band]
        label = "NAV" if band_fit.model == "nav" else band_fit.label
        plot_fit(band_fit, ax, label=f"{label}, joint ({band})", color=color)
        ax.set_title(f"{fit.band_fits[band].lc.name}: {band}", fontsize=9)
    return axes


def _label_models(ax):
    ax.legend(fontsize=7, loc="best", frameon=False)


def _phase_of_min2(nav, ref):
    """Phase of Min II after Min I: NAV's ``phase2``, else the TP's own Min II."""
    if nav is not None:
        return float(nav.params["phase2"])
    return float(ref.info.get("phase_min2_after_min1", 0.5))


def plot_light_curve(nav=None, tp=None, axes=None, *, title=None):
    """Phased light curve with the NAV and TP fits, their 1-sigma bands and residuals.

    Parameters
    ----------
    nav, tp : FitResult, optional
        Fits of the same light curve (at least one). The phase origin is the
        epoch of Min I of ``nav`` if given, else of ``tp``.
    axes : sequence of two Axes, optional
        Light-curve and residual panels (made if ``None``, sharing the x axis).
    title : str, optional

    Returns
    -------
    tuple of Axes
        ``(ax_light, ax_residuals)``.

    Notes
    -----
    Min I and Min II are marked with triangles; the NAV eclipse contacts
    (phase ``+-a1`` around Min I and ``phase2 +- a2``) with dotted lines. The
    1-sigma bands are cut at the data's range (a fit whose band is wider than
    that has no usable curve there, and would hide the data).
    """
    import matplotlib.pyplot as plt

    fits = [f for f in (nav, tp) if f is not None]
    if not fits:
        raise ValueError("plot_light_curve needs a NAV or a TP fit")
    ref = fits[0]
    if axes is None:
        _, axes = plt.subplots(
            2,
            1,
            figsize=(3.5, 4.2),
            sharex=True,
            layout="constrained",
            gridspec_kw={"height_ratios": [3, 1]},
        )
    ax, axr = axes
    lc = ref.lc
    phase = ref.phase()
    _data_points(ax, phase, lc)
    grid = np.linspace(*PHASE_RANGE, 1501)
    times = ref.phase_to_time(grid)
    for fit, color in zip(fits, ("C1", "C0"), strict=False):
        curve = fit.evaluate(times)
        sig = np.minimum(fit.uncertainty(times), np.ptp(lc.y))  # a failed fit's band: cut
        ax.plot(grid, curve, color=color, lw=1.1, label=fit.label, zorder=3)
        ax.fill_between(grid, curve - sig, curve + sig, color=color, alpha=0.3, lw=0, zorder=2)
        res = lc.y - fit.evaluate(lc.t)
        rph, rr = _extend(phase, res)
        axr.plot(
            rph,
            rr,
            ".",
            ms=1.5,
            color=color,
            alpha=0.6,
            label=f"{fit.label}: sigma0 = {fit.sigma0:.3g}",
        )
    axr.axhline(0, color="0.5", lw=0.6)
    faint = 1.0 if lc.kind == "mag" else -1.0
    for key, marker in (("min1", "v"), ("min2", "v")):
        if key in ref.derived:
            value = ref.derived[key][0]
            at = 0.0 if key == "min1" else _phase_of_min2(nav, ref)
            for x in (at, at + 1) if at < 0.25 else (at,):
                ax.plot(x, value + faint * 0.02 * np.ptp(lc.y), marker, color="k", ms=4, zorder=4)
    if nav is not None:
        a1, a2, p2 = nav.params["a1"], nav.params["a2"], nav.params["phase2"]
        for x in (-a1, a1, 1 - a1, 1 + a1, p2 - a2, p2 + a2):
            if PHASE_RANGE[0] <= x <= PHASE_RANGE[1]:
                for axis in (ax, axr):
                    axis.axvline(x, color="0.6", ls=":", lw=0.7)
    if lc.kind == "mag":
        if not ax.yaxis_inverted():
            ax.invert_yaxis()
        if not axr.yaxis_inverted():
            axr.invert_yaxis()
    ax.set_xlim(*PHASE_RANGE)
    ax.set_ylabel(ylabel(lc))
    axr.set_ylabel("O - C", fontsize=8)
    axr.set_xlabel(f"phase (P = {ref.period:.7g} d, Min I = {ref.epoch_label(5)})", fontsize=7)
    ax.set_title(title or lc.name, fontsize=9)
    _label_models(ax)
    axr.legend(fontsize=6, loc="best", frameon=False, markerscale=3)
    return ax, axr


def plot_periodogram(search, ax=None):
    """The TP(2) and eclipse periodograms of a :class:`~navfit.PeriodResult` against period.

    The chosen period is marked with a solid line, its half and double with
    dashed lines, its 1-day aliases (``f +- 1`` c/d) with dotted green lines, the
    other candidates with ticks at the top; the P/2-P-2P evidence (BIC of the
    optimal TP at each, relative to the best) is written in the corner.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax, figsize=(3.5, 2.6))
    period = 1.0 / search.frequency
    ax.plot(period, search.power, color="C0", lw=0.6, label="TP(2) periodogram")
    ax.plot(
        period, search.eclipse_power, color="C3", lw=0.6, alpha=0.8, label="eclipse periodogram"
    )
    ax.set_xscale("log")
    ax.axvline(search.period, color="k", lw=1.0, label=f"P = {search.period:.7g} d")
    for mult in (0.5, 2.0):
        ax.axvline(search.period * mult, color="k", lw=0.8, ls="--", alpha=0.6)
    # 1-day aliases of the chosen frequency (nightly sampling)
    f = 1.0 / search.period
    for alias in (f - 1.0, f + 1.0):
        if alias > 0 and period.min() <= 1.0 / alias <= period.max():
            ax.axvline(1.0 / alias, color="C2", lw=0.8, ls=":", alpha=0.8)
    bic = search.evidence.get("bic_tp", {})
    evidence = ""
    if bic:
        best = min(bic.values())
        names = {"0.5P": "P'/2", "1P": "P'", "2P": "2P'"}
        pph = search.evidence.get("photometric_period", search.period)
        evidence = f"\nTP BIC - best at P' = {pph:.6g} d: " + ", ".join(
            f"{names.get(k, k)} {v - best:.0f}" for k, v in bic.items()
        )
    for p in search.candidates["period"]:
        ax.plot(p, 0.97, "v", color="0.4", ms=3, transform=ax.get_xaxis_transform())
    ax.set_xlabel("period (d)")
    ax.set_ylabel("power (fraction of chi-square)")
    ax.set_ylim(0, None)
    ax.set_title(f"{search.fit.lc.name}: FAP {search.fap:.2g}{evidence}", fontsize=8)
    ax.legend(fontsize=6, loc="best", frameon=False)
    return ax


def plot_order_selection(table, ax=None):
    """Information criteria against TP order (from :func:`navfit.select_order`).

    Each criterion is shown relative to its minimum; the order each one picks is
    marked, the default criterion's with a filled symbol.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax, figsize=(3.5, 2.6))
    order = np.asarray(table["order"])
    for name, color in (("aic", "C0"), ("aicc", "C2"), ("bic", "C3")):
        v = np.asarray(table[name]) - np.min(table[name])
        ax.plot(order, v, color=color, lw=1, label=name.upper())
        best = table.meta["best"][name]
        filled = name == table.meta["criterion"]
        ax.plot(best, v[best - 1], "o", color=color, mfc=color if filled else "none", ms=5)
    ax2 = ax.twinx()
    sf = np.asarray(table["sigma_fit"])
    ax2.plot(order, sf, color="0.3", lw=1, ls="--", label="sigma0 sqrt(k/n)")
    best = table.meta["best"]["andronov"]
    ax2.plot(best, sf[best - 1], "s", color="0.3", mfc="none", ms=5)
    ax2.set_ylabel("sigma0 sqrt(k/n) (mag)", fontsize=7)
    ax.set_yscale("symlog", linthresh=10)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("TP order s")
    ax.set_ylabel("criterion - minimum")
    ax.set_title(
        f"P = {table.meta['period']:.7g} d; chosen s = {table.meta['order']} "
        f"({table.meta['criterion']})",
        fontsize=8,
    )
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], fontsize=6, frameon=False)
    return ax


def plot_residual_distribution(values, ax=None, *, label="normalized residuals"):
    """Histogram of normalized residuals (or pulls) against the standard normal.

    Parameters
    ----------
    values : FitResult or array_like
        A fit (its residuals divided by ``dy`` and scaled by the reduced
        chi-square) or the values themselves (e.g. pulls).
    ax : matplotlib.axes.Axes, optional
    label : str

    Returns
    -------
    matplotlib.axes.Axes
    """
    from scipy import stats

    ax = _axes(ax, figsize=(3.5, 2.6))
    if hasattr(values, "residuals"):
        fit = values
        r = fit.residuals() / fit.lc.dy
        x = r / np.sqrt(fit.chi2 / fit.dof)
        label = f"{fit.label}: {label}"
    else:
        x = np.asarray(values, dtype=float)
        x = x[np.isfinite(x)]
    bins = np.linspace(-5, 5, 41)
    ax.hist(np.clip(x, -5, 5), bins=bins, density=True, color="C0", alpha=0.6, label=label)
    grid = np.linspace(-5, 5, 301)
    ax.plot(grid, stats.norm.pdf(grid), color="k", lw=1, label="N(0, 1)")
    ax.set_xlabel("(value - expectation) / sigma")
    ax.set_ylabel("density")
    ax.set_title(f"mean {np.mean(x):+.3f}, std {np.std(x, ddof=1):.3f}, n = {x.size}", fontsize=8)
    ax.legend(fontsize=6, frameon=False)
    return ax
