"""Each band's view of a joint multi-band NAV fit (:func:`navfit.fit_nav_multiband`).

A band's :class:`~navfit.FitResult`: its C1..C7 and the shared parameters
with their covariance block, on the band's points with the fitted series
offsets removed; and the names of the joint vector.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .._checks import fit_errors
from .._kernels.models import NAV, band_slot
from ..lsq import model_values
from ..nav_params import NAMES as NAV_NAMES
from ..nav_params import NPAR
from ..results import FitResult
from .nav_derived import derived_parameters
from .nav_multiband_terms import NLIN

__all__ = ["band_fit", "error_of", "joint_names", "with_infinite_variance", "without_offsets"]


def without_offsets(lc, offsets):
    """The light curve with ``offsets`` (one per point) subtracted; bands, series, phases kept."""
    return lc.subset(slice(None), values=lc.y - offsets)


def joint_names(bands, offsets):
    """Names of the joint vector (see :class:`~navfit.models.nav_multiband.MultibandNavResult`)."""
    first = [f"{n}[{bands[0]}]" for n in NAV_NAMES[:NLIN]]
    rest = [f"{n}[{b}]" for b in bands[1:] for n in NAV_NAMES[:NLIN]]
    return (*first, *NAV_NAMES[NLIN:], *rest, *(f"offset[{s}]" for s in offsets))


def band_fit(band_lc, b, tie, sol, free, iparams, undetermined, n_offsets=0):
    """The FitResult of band ``b``: its C1..C7 and the shared parameters, their covariance block.

    A band tied to band ``tie`` takes that band's C2..C5 (values and
    covariance). The depths in ``undetermined`` (kernel indices) count as
    free with an infinite variance, so that what depends on them
    (:func:`~navfit.models.nav_derived.derived_parameters`) has an infinite error.

    The statistics are the band's own: ``chi2`` sums the band's points
    (the bands' values add up to the joint fit's), and ``k`` counts the
    parameters its model uses, its fitted C1..C7, the shared ones and its
    ``n_offsets`` series offsets, as a TP band's does
    (:func:`navfit.fit_tp_multiband`). So ``sigma0`` and the BIC describe
    the band, as in a fit of that band alone.
    """
    c0 = band_slot(b)
    joint = np.r_[np.arange(c0, c0 + NLIN), np.arange(NLIN, NPAR)]  # kernel order -> joint
    joint[1:5] = np.arange(band_slot(tie) + 1, band_slot(tie) + 5)
    values = sol.params[joint]
    bfree = free[joint]
    k = int(np.count_nonzero(bfree)) + int(n_offsets)
    pos = np.cumsum(free) - 1
    sel = pos[joint[bfree]]
    bfree[undetermined] = True
    fitted = ~np.isin(np.flatnonzero(bfree), undetermined)
    cov, cov_u = (
        with_infinite_variance(c[np.ix_(sel, sel)], fitted)
        for c in (sol.covariance, sol.covariance_unscaled)
    )
    epoch = float(values[NAV_NAMES.index("epoch")])
    resid = band_lc.y - model_values(NAV, band_lc.t, values, iparams, np.zeros(1))
    dy = fit_errors(band_lc)
    result = FitResult(
        model="nav",
        names=NAV_NAMES,
        values=values,
        free=bfree,
        covariance=cov,
        covariance_unscaled=cov_u,
        chi2=float(np.sum((resid if dy is None else resid / dy) ** 2)),
        n=band_lc.n,
        k=k,
        lc=band_lc,
        model_id=NAV,
        iparams=iparams,
        fparams=np.zeros(1),
        t_ref=epoch,
        epoch=epoch,
        epoch_error=error_of(cov, bfree, NAV_NAMES.index("epoch")),
        status=sol.status,
        message=sol.message,
        condition=sol.condition,
        rank=sol.rank,
        niter=sol.niter,
        info={
            "variant": "canonical",
            "label": "NAV (joint)",
            "band": band_lc.band,
            "tied": {"a2": "a1"} if iparams[0] == 1 else {},
        },
    )
    return replace(result, derived=derived_parameters(result))


def with_infinite_variance(cov, fitted):
    """``cov`` of the ``fitted`` parameters placed among the others, whose variance is infinite."""
    out = np.zeros((fitted.size, fitted.size))
    out[np.ix_(fitted, fitted)] = cov
    out[~fitted, ~fitted] = np.inf
    return out


def error_of(cov, free, j):
    """Standard error of parameter ``j`` (kernel order) from the covariance of the free ones."""
    if not free[j]:
        return 0.0
    k = int(np.sum(free[:j]))
    return float(np.sqrt(max(cov[k, k], 0.0)))
