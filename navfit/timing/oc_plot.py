"""The O-C diagram: minima with their errors, the fitted models and the residuals."""

from __future__ import annotations

import numpy as np

__all__ = ["plot_oc"]


def plot_oc(result, ax=None, *, model=None, residuals=True, others=True):
    """Draw an O-C diagram with the fitted model and its residuals.

    Parameters
    ----------
    result : OCResult
    ax : matplotlib Axes or pair of Axes, optional
        Where to draw: one Axes for the O-C alone, two for O-C and residuals;
        default a new figure with both.
    model : str, optional
        Model drawn and whose residuals are shown (default :attr:`OCResult.best`).
    residuals : bool
        Draw the residual panel (needs two Axes or ``ax=None``).
    others : bool
        Also draw the other models, thin and dashed.

    Returns
    -------
    tuple of Axes
    """
    import matplotlib.pyplot as plt

    chosen = result.models[model] if model else result.best
    if ax is None:
        if residuals:
            fig, axes = plt.subplots(
                2, 1, sharex=True, figsize=(7, 5), gridspec_kw={"height_ratios": (3, 1)}
            )
        else:
            fig, axes = plt.subplots(figsize=(7, 4))
            axes = (axes,)
        fig.subplots_adjust(hspace=0.05, left=0.15)
    else:
        axes = tuple(np.atleast_1d(ax))
    d = result.data
    E = np.asarray(d["cycle"], float)
    grid = np.linspace(E.min(), E.max(), 600)
    t_grid = result.epoch + result.period * grid
    for kind, marker, face in (("I", "o", None), ("II", "o", "none")):
        sel = np.asarray(d["kind"]) == kind
        if np.any(sel):
            for a, y in zip(axes, (d["o_c"], d[f"res_{chosen.name}"]), strict=False):
                a.errorbar(
                    E[sel],
                    np.asarray(y)[sel],
                    np.asarray(d["time_err"])[sel],
                    fmt=marker,
                    ms=4,
                    mfc=face,
                    color="k",
                    ecolor="0.6",
                    lw=0.8,
                    label=f"Min {kind}" if a is axes[0] else None,
                )
    for m in result.models.values():
        if m is chosen or others:
            style = {"lw": 1.8, "color": "C3"} if m is chosen else {"lw": 0.8, "ls": "--"}
            axes[0].plot(grid, m.evaluate(grid, t_grid), label=m.name, **style)
    axes[0].set_ylabel("O - C (d)")
    axes[0].legend(fontsize=8)
    system = result.meta.get("time_system", "JD")
    axes[0].set_title(
        f"{result.meta.get('name') or ''} O-C, T0 = {system} {result.epoch:.5f}, "
        f"P = {result.period:.8f} d",
        fontsize=9,
    )
    if len(axes) > 1:
        axes[1].axhline(0.0, color="C3", lw=1)
        axes[1].set_ylabel("residual (d)")
    axes[-1].set_xlabel("cycle E")
    return axes
