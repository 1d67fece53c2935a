"""Compare fits of one light curve (NAV against TP, TP orders, NAV variants)."""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from .errors import NavfitError

__all__ = ["compare"]


def compare(*results, criterion: str = "bic") -> Table:
    """Goodness-of-fit table of several fits of the same light curve.

    Parameters
    ----------
    *results : FitResult
        Two or more fits of the same data (same points).
    criterion : {"bic", "aic", "aicc", "sigma_fit"}
        Statistic that decides which model the data prefer.

    Returns
    -------
    astropy.table.Table
        One row per fit, in the given order: ``model``, ``k``, ``chi2``,
        ``sigma0``, ``sigma_fit`` (``sigma0*sqrt(k/n)``), ``aic``, ``aicc``,
        ``bic``, ``d_aic``, ``d_aicc``, ``d_bic`` (differences to the best of
        each), ``akaike_weight`` and ``preferred`` (True on the best row by
        ``criterion``). ``meta``: ``n``, ``criterion``, ``preferred`` (label),
        ``evidence`` (a sentence: ``Delta BIC > 10`` is strong, 6-10 positive,
        2-6 weak, < 2 none; Kass & Raftery 1995).

    Raises
    ------
    NavfitError
        Fewer than two results, or results from different data.

    Notes
    -----
    All statistics use the conventions of :mod:`navfit.criteria` (unknown error
    scale, ``k`` counting period and epoch when free), so NAV with 12 parameters
    and TP with ``2s + 2`` compare on equal terms.
    """
    if len(results) < 2:
        raise NavfitError("compare needs at least two fits")
    if criterion not in ("bic", "aic", "aicc", "sigma_fit"):
        raise NavfitError(f"criterion must be bic, aic, aicc or sigma_fit, got {criterion!r}")
    base = results[0]
    for r in results[1:]:
        same = r.n == base.n and np.array_equal(r.lc.t, base.lc.t)
        if not same or not np.array_equal(r.lc.y, base.lc.y):
            raise NavfitError(
                f"compare: {r.label} and {base.label} were fitted to different data "
                f"({r.n} and {base.n} points)"
            )
    stats = [r.statistics() for r in results]
    tab = Table(
        {
            "model": [s["model"] for s in stats],
            "k": [s["k"] for s in stats],
            "chi2": [s["chi2"] for s in stats],
            "sigma0": [s["sigma0"] for s in stats],
            "sigma_fit": [s["sigma_fit"] for s in stats],
            "aic": [s["aic"] for s in stats],
            "aicc": [s["aicc"] for s in stats],
            "bic": [s["bic"] for s in stats],
        }
    )
    for name in ("aic", "aicc", "bic"):
        tab[f"d_{name}"] = tab[name] - np.min(tab[name])
    w = np.exp(-0.5 * np.asarray(tab["d_aic"]))
    tab["akaike_weight"] = w / w.sum()
    best = int(np.argmin(tab[criterion]))
    tab["preferred"] = np.arange(len(tab)) == best
    if criterion in ("bic", "aic", "aicc"):
        gap = np.sort(np.asarray(tab[criterion]))
        delta = float(gap[1] - gap[0])
        strength = (
            "strong"
            if delta > 10
            else "positive"
            if delta > 6
            else "weak"
            if delta > 2
            else "no clear"
        )
        evidence = (
            f"{tab['model'][best]} preferred: Delta {criterion.upper()} = {delta:.1f} "
            f"to the next model ({strength} evidence)"
        )
    else:
        evidence = f"{tab['model'][best]} has the smallest sigma0*sqrt(k/n)"
    tab.meta.update(
        {
            "n": base.n,
            "criterion": criterion,
            "preferred": str(tab["model"][best]),
            "evidence": evidence,
        }
    )
    return tab
