r"""Gaia DR3 epoch photometry: times, magnitudes from fluxes and the rejected rows.

The Gaia archive's DataLink product ``EPOCH_PHOTOMETRY`` (VOTable, CSV or
ECSV) has one row per transit and band, with the columns ``source_id``,
``transit_id``, ``band`` (G, BP, RP), ``time``, ``mag``, ``flux``,
``flux_error``, ``flux_over_error``, ``rejected_by_photometry`` and
``rejected_by_variability`` (Riello et al. 2021; Gaia DR3 documentation,
section 14.3.x "epoch_photometry"). ``time`` is the barycentric time in TCB
minus :data:`GAIA_TIME_ORIGIN` (BJD(TCB) - 2455197.5 d, i.e. days since
J2010.0). Magnitudes are Vega magnitudes,

.. math:: m = -2.5 \log_{10} f + ZP_b, \qquad
          \sigma_m = \frac{2.5}{\ln 10} \frac{\sigma_f}{f},

with the DR3 zero points :data:`GAIA_ZERO_POINTS` (Riello et al. 2021, A&A
649, A3, table 3; the same as EDR3); the ``mag`` column, where present and
filled, is kept as Gaia wrote it, and the error, which Gaia does not give per
transit in magnitudes, always comes from the flux. :func:`prepare_gaia` adds
the two derived columns :data:`MAG_COLUMN` and :data:`ERR_COLUMN` used by the
reader, and :func:`gaia_bad_rows` names the rows with neither a magnitude nor a
positive flux. :func:`one_gaia_source` picks one source of a table that holds
several; the archive's bulk files (one row per source) are rewritten in the
DataLink layout when they are read (:mod:`navfit.io_gaia_bulk`).

References
----------
Riello, M. et al. 2021, A&A 649, A3, "Gaia Early Data Release 3: Photometric
content and validation". Gaia Collaboration, Vallenari, A. et al. 2023, A&A
674, A1. Gaia DR3 documentation, chapter 20 (datamodel of the epoch photometry).
"""

from __future__ import annotations

import numpy as np

from .errors import InputError
from .io_columns import cells, find
from .io_formats import Source

__all__ = [
    "ERR_COLUMN",
    "GAIA_TIME_ORIGIN",
    "GAIA_ZERO_POINTS",
    "MAG_COLUMN",
    "gaia_bad_rows",
    "one_gaia_source",
    "prepare_gaia",
]

#: Origin of Gaia's ``time`` column: BJD(TCB) = time + 2455197.5 d (J2010.0).
GAIA_TIME_ORIGIN = 2455197.5
#: Vega zero points of the DR3 (= EDR3) passbands, mag (Riello et al. 2021, table 3;
#: uncertainties 0.0028, 0.0028 and 0.0027 mag).
GAIA_ZERO_POINTS = {"G": 25.6874, "BP": 25.3385, "RP": 24.7479}
#: Columns added by :func:`prepare_gaia`: the magnitude read and its error.
MAG_COLUMN = "navfit_gaia_mag"
ERR_COLUMN = "navfit_gaia_mag_error"


def _band_names(src: Source) -> np.ndarray:
    col = src.table[find(src, ["band"])]
    return np.array([str(v).strip().upper() for v in np.asarray(col)], dtype=object)


def _time_as_offset_days(src: Source) -> None:
    """Write ``time`` as days since the Gaia origin if astropy made it a Time column."""
    from astropy.time import Time

    name = find(src, ["time"])
    col = src.table[name]
    if isinstance(col, Time):
        tcb = col.tcb
        src.table[name] = (tcb.jd1 - GAIA_TIME_ORIGIN) + tcb.jd2


def prepare_gaia(src: Source) -> None:
    r"""Add the magnitude and its error (:data:`MAG_COLUMN`, :data:`ERR_COLUMN`) to the table.

    The magnitude is the ``mag`` column where it is filled, else
    :math:`-2.5 \log_{10} f + ZP_b` for a positive flux; the error is
    :math:`2.5/\ln 10\ \sigma_f / f`. Cells that cannot be computed are masked.
    """
    from astropy.table import MaskedColumn

    _time_as_offset_days(src)
    flux = cells(src, find(src, ["flux"]))[0]
    flux_err = cells(src, find(src, ["flux_error"]))[0]
    mag_col = find(src, ["mag"])
    mag = cells(src, mag_col)[0] if mag_col else np.full(flux.size, np.nan)
    zp = np.array([GAIA_ZERO_POINTS.get(b, np.nan) for b in _band_names(src)])
    with np.errstate(invalid="ignore", divide="ignore"):
        positive = np.isfinite(flux) & (flux > 0)
        from_flux = np.where(positive, -2.5 * np.log10(np.where(positive, flux, 1.0)) + zp, np.nan)
        err = np.where(
            positive, 2.5 / np.log(10.0) * flux_err / np.where(positive, flux, 1.0), np.nan
        )
    value = np.where(np.isfinite(mag), mag, from_flux)
    src.table[MAG_COLUMN] = MaskedColumn(value, mask=~np.isfinite(value))
    src.table[ERR_COLUMN] = MaskedColumn(err, mask=~np.isfinite(err))


def gaia_bad_rows(src: Source) -> dict:
    """Rows without a magnitude whose flux is zero or negative (``non_positive_flux``)."""
    flux = cells(src, find(src, ["flux"]))[0]
    mag_col = find(src, ["mag"])
    mag = cells(src, mag_col)[0] if mag_col else np.full(flux.size, np.nan)
    with np.errstate(invalid="ignore"):
        return {"non_positive_flux": ~np.isfinite(mag) & np.isfinite(flux) & (flux <= 0)}


def one_gaia_source(src: Source, source_id=None) -> Source:
    """The rows of one source of a Gaia epoch-photometry table.

    A table in the Gaia layout (columns ``source_id``, ``transit_id``,
    ``band``, ``time``; DataLink or expanded bulk) may hold several sources:
    ``source_id`` picks one, and without it the table must hold one only.

    Raises
    ------
    InputError
        Several sources and no ``source_id`` (naming how many and the first
        few), a ``source_id`` not in the table, or a ``source_id`` for a table
        that is not Gaia epoch photometry.
    """
    names = {n.lower() for n in src.names}
    if not {"source_id", "transit_id", "band", "time"} <= names:
        if source_id is not None:
            raise InputError(
                f"{src.where}: source_id= selects a source of Gaia epoch photometry; "
                "this file is not in that layout"
            )
        return src
    try:
        ids = np.asarray(src.table[find(src, ["source_id"])]).astype(np.int64)
        wanted = None if source_id is None else int(source_id)
    except (ValueError, TypeError):
        raise InputError(
            f"{src.where}: source_id must be an integer Gaia DR3 source id"
            + ("" if source_id is None else f", got {source_id!r}")
        ) from None
    unique = np.unique(ids)
    if source_id is None and unique.size == 1:
        return src
    if source_id is None:
        shown = ", ".join(str(i) for i in unique[:5]) + (", ..." if unique.size > 5 else "")
        raise InputError(
            f"{src.where}: the Gaia epoch photometry holds {unique.size} sources ({shown}); "
            "give source_id= to read one"
        )
    rows = ids == wanted
    if not rows.any():
        raise InputError(f"{src.where}: source_id {source_id} is not in the file")
    src.table = src.table[rows]
    if src.lines is not None:
        src.lines = [line for line, keep in zip(src.lines, rows, strict=True) if keep]
    return src
