"""Gaia DR3 bulk epoch photometry: one row per source, arrays per band, made one row per transit.

The files of the Gaia archive's bulk download (``EPOCH_PHOTOMETRY_*.csv.gz``,
ECSV) hold one row per source, with the epochs of each band as arrays:
``g_transit_time``, ``g_transit_flux``, ``g_transit_flux_error``,
``g_transit_mag`` and ``variability_flag_g_reject`` for G, and
``bp_obs_time``, ``bp_flux``, ``bp_flux_error``, ``bp_mag``,
``variability_flag_bp_reject`` (likewise ``rp_``) for BP and RP (Gaia DR3
documentation, datamodel of ``epoch_photometry``). :func:`expand_gaia_bulk`
rewrites such a table in the layout of the DataLink product, one row per
transit and band with the columns ``source_id``, ``transit_id``, ``band``,
``time``, ``mag``, ``flux``, ``flux_error``, ``rejected_by_photometry`` and
``rejected_by_variability``, so that the one Gaia recipe of
:mod:`navfit.io_surveys` reads both. The bulk files carry no per-transit
photometric rejection flag (rejected transits have no flux), so
``rejected_by_photometry`` is false; a missing flux or magnitude is masked.
"""

from __future__ import annotations

import numpy as np

__all__ = ["BULK_BANDS", "expand_gaia_bulk"]

#: Band -> (time, flux, flux error, magnitude, variability rejection) columns of the bulk layout.
BULK_BANDS = {
    "G": (
        "g_transit_time",
        "g_transit_flux",
        "g_transit_flux_error",
        "g_transit_mag",
        "variability_flag_g_reject",
    ),
    "BP": ("bp_obs_time", "bp_flux", "bp_flux_error", "bp_mag", "variability_flag_bp_reject"),
    "RP": ("rp_obs_time", "rp_flux", "rp_flux_error", "rp_mag", "variability_flag_rp_reject"),
}


def _cell(table, lower, name, row, n):
    """Row ``row`` of the array column ``name`` as a float array of ``n`` (NaN where missing)."""
    if name not in lower:
        return np.full(n, np.nan)
    value = table[lower[name]][row]
    arr = np.ma.filled(np.ma.asarray(value, dtype=float).ravel(), np.nan)
    if arr.size != n:
        arr = np.resize(np.r_[arr, np.full(max(n - arr.size, 0), np.nan)], n)
    return arr


def _flags(table, lower, name, row, n):
    if name not in lower:
        return np.zeros(n, dtype=bool)
    value = np.ma.asarray(table[lower[name]][row]).ravel()
    flags = np.ma.filled(value.astype(bool), False)
    return flags if flags.size == n else np.zeros(n, dtype=bool)


def expand_gaia_bulk(table):
    """The bulk table ``table`` as one row per transit and band, or ``None`` if it is not one.

    Parameters
    ----------
    table : astropy.table.Table
        A table with ``source_id`` and at least the G time array column.

    Returns
    -------
    astropy.table.Table or None
        Columns ``source_id, transit_id, band, time, mag, flux, flux_error,
        rejected_by_photometry, rejected_by_variability``; masked where a
        value is missing. ``None`` for any other table.
    """
    from astropy.table import MaskedColumn, Table

    lower = {c.lower(): c for c in table.colnames}
    if "source_id" not in lower or BULK_BANDS["G"][0] not in lower:
        return None
    parts = {k: [] for k in ("source_id", "transit_id", "band", "time", "mag", "flux", "err")}
    parts["reject"] = []
    for row in range(len(table)):
        source = int(table[lower["source_id"]][row])
        for band, (tcol, fcol, ecol, mcol, rcol) in BULK_BANDS.items():
            if tcol not in lower:
                continue
            times = np.ma.filled(
                np.ma.asarray(table[lower[tcol]][row], dtype=float).ravel(), np.nan
            )
            n = times.size
            ids = _cell(table, lower, "transit_id", row, n)
            parts["source_id"].append(np.full(n, source, dtype=np.int64))
            parts["transit_id"].append(np.where(np.isfinite(ids), ids, -1).astype(np.int64))
            parts["band"].append(np.full(n, band, dtype=object))
            parts["time"].append(times)
            parts["mag"].append(_cell(table, lower, mcol, row, n))
            parts["flux"].append(_cell(table, lower, fcol, row, n))
            parts["err"].append(_cell(table, lower, ecol, row, n))
            parts["reject"].append(_flags(table, lower, rcol, row, n))
    joined = {k: np.concatenate(v) if v else np.empty(0) for k, v in parts.items()}
    out = Table()
    out["source_id"] = joined["source_id"].astype(np.int64)
    out["transit_id"] = joined["transit_id"].astype(np.int64)
    out["band"] = joined["band"].astype(str)
    for name, key in (("time", "time"), ("mag", "mag"), ("flux", "flux"), ("flux_error", "err")):
        values = joined[key].astype(float)
        out[name] = MaskedColumn(values, mask=~np.isfinite(values))
    out["rejected_by_photometry"] = np.zeros(len(out), dtype=bool)
    out["rejected_by_variability"] = joined["reject"].astype(bool)
    return out
