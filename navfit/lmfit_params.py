"""navfit fits as :class:`lmfit.Parameters`: values, errors, correlations, bounds.

:func:`to_lmfit` (also :meth:`navfit.FitResult.to_lmfit`) hands a NAV or TP fit
to lmfit; :mod:`navfit.lmfit_models` has the matching lmfit Models. This module
depends only on the parameter definitions, so results can use it without
importing the fitting code.
"""

from __future__ import annotations

import lmfit
import numpy as np

from .nav_params import BOUNDS as _NAV_BOUNDS

__all__ = ["DEPTH_BOUNDS", "bounded", "ephemeris_bounds", "nav_bounds", "to_lmfit"]

#: Sign of the eclipse depths C6, C7: positive magnitudes, negative fluxes.
DEPTH_BOUNDS = {"mag": (0.0, np.inf), "flux": (-np.inf, 0.0)}


def nav_bounds(kind: str) -> dict:
    """NAV bounds of :data:`navfit.nav_params.BOUNDS` with the depths' sign for ``kind``."""
    bounds = dict(_NAV_BOUNDS)
    bounds["C6"] = bounds["C7"] = DEPTH_BOUNDS[kind]
    return bounds


def ephemeris_bounds(params, prefix, period_window, epoch_window=0.25):
    """Bound ``epoch`` to ``+-epoch_window*P`` and the period to ``+-period_window``.

    Only parameters that vary and have no bound of their own get one (see the
    module notes on lmfit's finite-difference steps).
    """
    pe, pp = params.get(f"{prefix}epoch"), params.get(f"{prefix}period")
    if pp is None or pp.value is None or not np.isfinite(pp.value):
        return
    P = float(pp.value)
    if pe is not None and pe.vary and pe.expr is None and not bounded(pe):
        pe.set(min=pe.value - epoch_window * P, max=pe.value + epoch_window * P)
    if pp.vary and pp.expr is None and not bounded(pp) and period_window > 0:
        pp.set(min=P - period_window, max=P + period_window)


def bounded(par) -> bool:
    """Whether an lmfit parameter has a finite bound."""
    return bool(np.isfinite(par.min) or np.isfinite(par.max))


def to_lmfit(result, prefix: str = "") -> lmfit.Parameters:
    """navfit's fit as :class:`lmfit.Parameters`: values, errors, correlations, constraints.

    Parameters
    ----------
    result : navfit.FitResult
        A NAV or TP fit.
    prefix : str
        Prepended to every name (for prefixed or composite lmfit models).

    Returns
    -------
    lmfit.Parameters
        One parameter per model parameter (``result.names``; for TP also
        ``t_ref``), in that order:

        * ``value``: navfit's value;
        * ``vary``: True for the fitted ones (``result.free_names``), False
          for fixed ones (NAV: ``gamma``, ``flat1``, ``flat2``, ``phase2`` in
          the canonical variant; TP: ``t_ref``, and ``period`` unless fitted);
        * ``expr`` for tied ones (``info["tied"]``, e.g. ``a2 = a1``);
        * ``stderr``: navfit's 1-sigma error (the source's for a tied one, 0
          for fixed ones, as lmfit reports after a fit);
        * ``correl``: for each varying parameter, a dict of its correlation
          with every other varying one, from ``result.correlation`` (lmfit's
          format; None for the others);
        * ``min``/``max``: navfit's bounds (NAV widths, exponents, flat
          fractions, ``phase2``, depth signs); ``epoch`` within ``+-P/4`` and
          ``period`` within ``+-10 %`` (NAV) or ``+-P^2/(4T)`` (TP, ``T`` the
          time span), centred on the fitted values.

        Directly usable with ``NAVModel(variant=result.info["variant"])`` or
        ``TPModel(order=result.info["order"])``.

    Notes
    -----
    lmfit's ``chisqr`` with ``weights = 1/dy`` is navfit's ``chi2``, and both
    scale the covariance by ``chi2/(n - k)``, so a ``leastsq`` fit started here
    stays at navfit's optimum with the same errors (up to lmfit's
    finite-difference Jacobian).
    """
    if result.model == "nav":
        bounds = nav_bounds(result.info.get("kind", result.lc.kind))
        period_window = 0.1 * result.period
    elif result.model == "tp":
        bounds = {}
        period_window = 0.25 * result.period**2 / result.lc.time_span
    else:
        raise ValueError(f"to_lmfit knows NAV and TP results, not {result.model!r}")
    tied = dict(result.info.get("tied", {}))
    free_names = result.free_names
    errors = result.errors
    corr = result.correlation
    index = {name: i for i, name in enumerate(free_names)}

    params = lmfit.Parameters()
    for name, value, free in zip(result.names, result.values, result.free, strict=True):
        value = float(value)
        lo, hi = bounds.get(name, (-np.inf, np.inf))
        if free:
            # lmfit clips values into the bounds; keep navfit's value exactly
            lo, hi = min(lo, value), max(hi, value)
        params.add(prefix + name, value=value, vary=bool(free), min=lo, max=hi)
    if result.model == "tp":
        params.add(prefix + "t_ref", value=float(result.t_ref), vary=False)
    for name, source in tied.items():
        params[prefix + name].set(expr=prefix + source)
    for name in result.names:
        par = params[prefix + name]
        if name in index:
            par.stderr = float(errors[name])
            i = index[name]
            par.correl = {
                prefix + other: float(corr[i, j]) for other, j in index.items() if other != name
            }
        elif name in tied:
            par.stderr = float(errors[tied[name]])
            par.correl = None
        else:
            par.stderr = 0.0
            par.correl = None
    if result.model == "tp":
        params[prefix + "t_ref"].stderr = 0.0
    ephemeris_bounds(params, prefix, period_window)
    return params
