r"""Catalogue values per band of a multi-band star: the JSON, one row per band, eclipse colours.

GCVS and VSX give Max and Min with their passband. A multi-band star's
catalogue row (:class:`navfit.CatalogueRow`) is that of its best-sampled band;
its JSON (``details["bands"]``, :func:`band_details`) holds every band's Max,
Min I, Min II and depths with errors, from the joint fit of
:attr:`navfit.StarResult.multiband` (NAV for eclipsers, TP otherwise), and the
*colour of each eclipse*, the difference of its depth between two bands,

.. math::

    \Delta_{k}(b_1 - b_2) = D_{k,b_1} - D_{k,b_2}, \qquad
    \sigma^2 = g^T C g, \quad g = \nabla D_{k,b_1} - \nabla D_{k,b_2},

with :math:`C` the joint fit's full covariance (the bands share the period and,
for NAV, the eclipse geometry, so their depths are correlated). The depth
:math:`D_k` of eclipse :math:`k` (1: Min I, 2: Min II) is the NAV coefficient
:math:`C_6` or :math:`C_7` of the band (Andronov 2012), and for a TP the
amplitude from Max to the minimum, :math:`x(\varphi_{\min}) - x(\varphi_{\max})`,
whose gradient is the TP basis at the two phases (the extrema move with the
coefficients, but the curve's slope is zero there).

:func:`band_rows` turns a row into one row per band (shared name, type,
period and epoch; the band's Max, Min I, Min II and depths), read from the
JSON alone, so it works on rows read back from a batch journal too.

References
----------
Andronov I. L., 2012, Astrophysics 55, 536 (NAV).
Samus N. N. et al., 2017, Astron. Rep. 61, 80 (GCVS: Max and Min with their band).
"""

from __future__ import annotations

import math
from itertools import combinations

import numpy as np

from .catalogue_values import measured
from .lsq import jacobian, propagated_variance

__all__ = [
    "BAND_VALUES",
    "DEPTH_COLUMNS",
    "band_details",
    "band_rows",
    "depth_columns",
    "eclipse_colours",
]

#: Derived values of each band in the JSON of a multi-band star.
BAND_VALUES = ("max", "min1", "min2", "depth1", "depth2")
#: Extra columns of a table with one row per band.
DEPTH_COLUMNS = ("depth1", "depth1_err", "depth2", "depth2_err")
#: A TP band's depths are its amplitudes (Max to Min I, Max to Min II).
_TP_DEPTHS = {"depth1": "amplitude", "depth2": "amplitude2"}


def _number(x) -> float | None:
    """A float, or ``None`` for an absent, NaN or infinite value (never NaN in the JSON)."""
    if x is None:
        return None
    x = float(x)
    return x if math.isfinite(x) else None


def _pair(value) -> list:
    return [_number(value[0]), _number(value[1])]


def _band_values(fit) -> dict:
    """Max, Min I, Min II and the depths of one band's fit, each ``[value, error]``.

    As in the star's own row (:func:`navfit.catalogue_values.blank_undetermined`),
    a magnitude whose error exceeds the band's range of values is not measured:
    ``[None, None]``.
    """
    d = dict(fit.derived)
    if fit.model == "tp":
        d.update({key: d[src] for key, src in _TP_DEPTHS.items() if src in d})
    span = float(np.ptp(fit.lc.y))
    out = {key: _pair(d[key]) for key in BAND_VALUES if key in d}
    for key in ("max", "min1", "min2"):
        if key in d and not measured(d[key][1], span):
            out[key] = [None, None]
    return out


def _local_gradient(fit, key) -> dict | None:
    """Derivatives of depth ``key`` of a band fit by its free parameters' names."""
    if fit.model == "nav":
        name = {"depth1": "C6", "depth2": "C7"}[key]
        return {name: 1.0} if name in fit.free_names else None
    phase = (fit.epoch - fit.t_ref) / fit.period if key == "depth1" else fit.info.get("phase_min2")
    if phase is None or _TP_DEPTHS[key] not in fit.derived:
        return None
    times = fit.t_ref + np.array([phase, fit.info["phase_max"]]) * fit.period
    _, JT = jacobian(fit.model_id, times, fit.values, fit.iparams, fit.fparams)
    return {n: JT[i, 0] - JT[i, 1] for i, n in enumerate(fit.names) if fit.free[i]}


def _joint_gradient(joint, band, key, index) -> np.ndarray | None:
    """Gradient of a band's depth in the joint fit's free parameters (``index``: name -> row)."""
    local = _local_gradient(joint.band_fits[band], key)
    if local is None:
        return None
    g = np.zeros(len(index))
    for name, derivative in local.items():
        j = index.get(f"{name}[{band}]", index.get(name))
        if j is None:
            return None
        g[j] += derivative
    return g


def eclipse_colours(joint) -> dict:
    """The colour of each eclipse: depth differences between every two bands, with errors.

    Parameters
    ----------
    joint : MultibandNavResult or MultibandTPResult
        A joint multi-band fit (:func:`navfit.fit_nav_multiband`,
        :func:`navfit.fit_tp_multiband`).

    Returns
    -------
    dict
        ``"b1-b2"`` -> ``{"depth1": [value, error], "depth2": [value, error]}``
        for every pair of bands in the fit's order (a depth a band lacks is
        left out; a pair without any, too).
    """
    free = [n for n, f in zip(joint.names, joint.free, strict=True) if f]
    index = {name: i for i, name in enumerate(free)}
    cov = np.asarray(joint.covariance)
    out = {}
    for b1, b2 in combinations(joint.band_fits, 2):
        pair = {}
        for key in ("depth1", "depth2"):
            v1 = _band_values(joint.band_fits[b1]).get(key)
            v2 = _band_values(joint.band_fits[b2]).get(key)
            g1 = _joint_gradient(joint, b1, key, index)
            g2 = _joint_gradient(joint, b2, key, index)
            if any(x is None for x in (v1, v2, g1, g2)) or None in (v1[0], v2[0]):
                continue
            g = g1 - g2
            var = float(propagated_variance(g, cov)[0])
            error = math.sqrt(var) if math.isfinite(var) and var >= 0 else None
            pair[key] = [_number(v1[0] - v2[0]), _number(error)]
        if pair:
            out[f"{b1}-{b2}"] = pair
    return out


def band_details(star) -> dict | None:
    """The JSON of a star's joint multi-band fit: values per band, colours, offsets, fit.

    ``None`` for a star without one (one band, no joint fit).
    """
    joint = getattr(star, "multiband", None)
    if joint is None:
        return None
    errors = joint.errors
    per_band = {
        str(band): {"n": int(fit.lc.n), **_band_values(fit)}
        for band, fit in joint.band_fits.items()
    }
    return {
        "band": str(star.lc.band),
        "model": "NAV" if joint.band_fits[joint.bands[0]].model == "nav" else "TP",
        "per_band": per_band,
        "colours": eclipse_colours(joint),
        "offsets": {
            name[len("offset[") : -1]: [_number(v), _number(errors[name])]
            for name, v in joint.params.items()
            if name.startswith("offset[")
        },
        "chi2": _number(joint.chi2),
        "n": int(joint.n),
        "k": int(joint.k),
    }


def band_rows(row) -> list[dict]:
    """Field values of one catalogue row per band, from a row's ``details["bands"]``.

    Parameters
    ----------
    row : CatalogueRow
        A star's row (from a result, JSON or a journal line).

    Returns
    -------
    list of dict
        Per band, the fields that differ from the star's row: ``band``, ``n``,
        ``max``, ``min1``, ``min2`` and their errors (``None`` where the band
        has none), and ``details`` with the band's ``depths``. Empty for a row
        without values per band (one band, or a failed star).

    Examples
    --------
    >>> from navfit import CatalogueRow
    >>> row = CatalogueRow.from_mapping({"name": "V1", "type": "EA", "period": 2.5,
    ...     "band": "r", "bands": {"per_band": {"g": {"n": 90, "max": [12.1, 0.01],
    ...     "min1": [13.0, 0.02], "depth1": [0.9, 0.03]}, "r": {"n": 120,
    ...     "max": [11.8, 0.01], "min1": [12.5, 0.02]}}}})
    >>> [(r["band"], r["n"], r["min1"], r["min2"]) for r in band_rows(row)]
    [('g', 90, 13.0, None), ('r', 120, 12.5, None)]
    """
    bands = (row.details or {}).get("bands") or {}
    per_band = bands.get("per_band") or {}
    if row.failed or not per_band:
        return []
    out = []
    eclipser = row.min2 is not None or row.epoch_of != "Max"  # GCVS: Min II of eclipsers
    for band, values in per_band.items():
        fields = {"band": str(band), "n": values.get("n")}
        for key in ("max", "min1", "min2") if eclipser else ("max", "min1"):
            value, error = values.get(key) or (None, None)
            fields[key], fields[f"{key}_err"] = _number(value), _number(error)
        depths = {key: values[key] for key in ("depth1", "depth2") if key in values}
        fields["details"] = {**row.details, "depths": depths, "row_band": str(band)}
        out.append(fields)
    return out


def depth_columns(row) -> dict:
    """The :data:`DEPTH_COLUMNS` of a per-band row (NaN where absent)."""
    depths = (row.details or {}).get("depths") or {}
    out = {}
    for key in ("depth1", "depth2"):
        value, error = depths.get(key) or (None, None)
        out[key] = math.nan if _number(value) is None else float(value)
        out[f"{key}_err"] = math.nan if _number(error) is None else float(error)
    return out
