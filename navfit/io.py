"""Read photometry files (text, ECSV, FITS, VOTable) into a :class:`~navfit.LightCurve`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from ._checks import check_time_storage, count_reasons
from .errors import InputError
from .io_columns import (
    DEC_NAMES,
    RA_NAMES,
    SDSS_UGRIZ,
    bad_rows,
    band_labels,
    cells,
    choose_columns,
    column_named,
    find,
    is_sdss_ugriz,
    numeric,
    sdss_ugriz_band,
    select_band,
)
from .io_formats import load
from .io_gaia import one_gaia_source
from .io_surveys import detect_survey, series_labels, survey_bad_rows, survey_roles
from .io_time import (
    convert_time,
    coordinates,
    declared_format,
    tcb_to_tdb,
    time_scale_of,
    time_system_of,
    warn_if_phases,
)
from .io_wide import WIDE, to_long, wide_columns
from .lightcurve import LightCurve

__all__ = ["read_lightcurve"]


_MISSING_ERROR = ("auto", "drop", "ignore")
#: ``band=ALL_BANDS`` keeps every band, also of an SDSS Stripe 82 file (default g there).
ALL_BANDS = "all"


def read_lightcurve(
    path,
    time=None,
    mag=None,
    err=None,
    flux=None,
    band=None,
    time_format=None,
    *,
    quality=None,
    flux_column_kind=None,
    keep_flux=False,
    coords=None,
    to_time_system=None,
    name=None,
    encoding=None,
    min_points=3,
    format=None,
    zero_point=0.0,
    missing_error="auto",
    band_column=None,
    period=None,
    series_column=None,
    source_id=None,
) -> LightCurve:
    """Read a photometry file into a :class:`~navfit.LightCurve`.

    Parameters
    ----------
    path : str, path-like or list
        Text (whitespace-, tab-, comma-, semicolon- or bar-separated), ECSV, FITS
        binary table or VOTable file; may be gzip-compressed. A list (or tuple)
        of files of one star gives one multi-band light curve, each file its
        own series; an entry may be ``(path, {option: value})`` with options
        for that file only (see :func:`navfit.io_files.read_files`).
    time, mag, err, flux : str or int, optional
        Column names (case-insensitive) or 0-based column indices. ``mag`` and
        ``flux`` are alternatives for the measured value. Found automatically when
        omitted (see Notes).
    band : str, optional
        Passband. If the file has a band column (AAVSO files, survey long
        tables) or is a wide table (see Notes), only rows of this band are
        kept; without it every band is kept (a multi-band light curve,
        ``lc.bands``). ``"all"`` keeps every band too, also of an SDSS Stripe 82
        five-band file, where the default is the g band (see Notes).
        Otherwise it just labels the light curve (``band="G"`` for a Gaia
        VizieR extract).
    time_format : str, optional
        Overrides the time format deduced from the column name or FITS header:
        ``"jd"``, ``"hjd"``, ``"bjd"``, ``"mjd"``, ``"rjd"``, ``"btjd"``, ``"bkjd"``,
        ``"phase"`` or a reduced form such as ``"bjd-2450000"`` or ``"jd-2440000"``;
        a ``_tcb`` suffix (``"bjd_tcb-2455197.5"``, Gaia's times) marks
        barycentric times in TCB, converted to TDB on reading.
        ``"phase"`` reads phase-folded data: the time column holds phases in
        [0, 1] (see *Phase-folded files* in the Notes).
    quality : str, int or False, optional
        Flag column; rows with a nonzero flag are dropped. Default: a column named
        ``QUALITY`` if there is one. ``False`` disables quality filtering.
    flux_column_kind : {"pdcsap", "sap"}, optional
        Which Kepler/TESS flux to use when ``flux`` is not given. Default: PDCSAP if
        it has any finite value, else SAP.
    keep_flux : bool
        Keep fluxes (``kind="flux"``) instead of converting them to magnitudes.
    coords : `~astropy.coordinates.SkyCoord` or (ra_deg, dec_deg), optional
        Star position for ``to_time_system``. Default: the median of RA/Dec columns,
        else the FITS keywords ``RA_OBJ``/``DEC_OBJ``.
    to_time_system : {"JD", "HJD", "BJD"}, optional
        Convert the times to this system (needs a known time system and coordinates).
    name : str, optional
        Object name (default: FITS ``OBJECT`` keyword, else none).
    encoding : str, optional
        Text encoding. Default: UTF-8, falling back to latin-1.
    min_points : int
        Fewest usable points accepted.
    format : {"text", "ecsv", "fits", "votable"}, optional
        Skip format detection.
    zero_point : float
        Added to ``-2.5 log10(flux)`` when fluxes are converted.
    missing_error : {"auto", "drop", "ignore"}
        What to do when only some rows have an error (see Notes).
    band_column : str or int, optional
        Band column, when it is not found automatically.
    period : float, optional
        Period in days of phase-folded data (``time_format="phase"`` only).
    series_column : str or int, optional
        Column whose values label the series of each row (a dataset,
        observatory or field code; label ``"<column> <value>"``), so that joint
        fits give each its own zero point.
    source_id : int, optional
        The Gaia DR3 source to read from Gaia epoch photometry that holds
        several (a bulk-download file, or a DataLink table of several sources).

    Returns
    -------
    LightCurve
        Cleaned light curve. Besides the keys set by `LightCurve`, ``meta`` holds
        ``format``, ``n_rows`` (data rows in the file), ``time_format`` (label of the
        original time format, or None), ``columns`` (role -> column name), and where
        they apply ``encoding``, ``bands_found`` (band -> rows; for an SDSS five-band
        file, usable rows), ``layout``, ``missing_error``, ``flux_to_mag``,
        ``telescope``, ``time_correction``, ``time_scale`` (a TCB -> TDB
        conversion), ``coords`` (the star's position from RA/Dec columns or
        ``coords=``) and ``n_values`` (rows of a wide table read in long form:
        ``n_rows`` times the bands). ``meta["dropped"]`` counts every
        dropped row by reason (see *Rows* in the Notes): those dropped here and
        those dropped by `LightCurve`. Rows of other bands are not counted.

    Raises
    ------
    InputError
        For any unreadable file, missing or non-numeric column, unknown band, too
        few usable points, or a light curve `LightCurve` refuses (times, spread or
        errors that make a fit meaningless); the message names the file and the
        column, band, row or reason at fault, and ``exc.dropped`` holds the rows
        dropped before the error by reason. Phases outside [0, 1], ``period``
        without ``time_format="phase"`` and a time-system conversion of
        phase-folded data are refused the same way.

    Notes
    -----
    *Text files.* ``#`` lines are comments. The separator is the first of tab,
    semicolon, comma and bar that splits the first 200 lines into one constant
    number of fields (quotes honoured), else whitespace; so a comma in a comment
    field of a tab-separated download does not split it. The header is the first
    non-comment line if none of its fields is a number, or else the last comment
    line before the data if it has as many non-numeric fields as the data have
    columns (as in ``# BJD-2450000 mag e_mag Flag Phase``). Astropy parses the rest.

    *Columns.* Time: a name parsed as a time format (``bjd`` preferred over ``hjd``,
    ``jd``, ``mjd``, ``rjd``; also ``BJD-2450000``, ``BTJD``, ``BKJD``), else ``time``
    or ``t``. Value: ``mag``, ``magnitude``, ``m``, ``v``, else a flux column. Error:
    ``<value>_err``, ``e_<value>``, ``<value>err``, else a usual error name; no error
    column gives equal weights. Without a header the first three numeric columns are
    time, magnitude and error (two columns: no errors); a later text column whose
    every value is a band code (:data:`BAND_CODES`: AAVSO's, Johnson-Cousins, Sloan,
    Gaia ...) is the band column. A headerless file with at least 14 fields and text
    in field 4 is read as an AAVSO download (comma- or tab-separated): fields 0, 1,
    2 and 4 are JD (geocentric), magnitude, error and band. A headerless file of 17
    numeric columns, RA and Dec then (MJD, magnitude, error) for u, g, r, i and z
    with times agreeing within a day on each row, is an SDSS Stripe 82 five-band
    file (Sesar et al. 2010): ``band`` picks the band (default g, unless g has fewer
    than ``min_points`` usable rows: then the band with the most), times are MJD and
    RA/Dec serve ``to_time_system``.

    *Bands.* A column named ``band``, ``filter``, ``passband``, ``filtercode`` or
    ``fid`` (any case) is the band column. Without ``band`` every band is kept,
    with each row's band (``lc.band_index``); a band with fewer than
    ``min_points`` usable rows is dropped (``band_too_few``).

    *Wide tables* (:mod:`navfit.io_wide`): a header with ``mag_<band>`` (or
    ``<band>_mag``) columns for at least two bands and no plain magnitude
    column, each band with its error ``err_<band>`` (``e_<band>``,
    ``<band>_err``) and its time ``mjd_<band>`` (any time name) or one shared
    time column, is read as a long table, every band kept (``band=`` picks
    one); ``meta["layout"]`` is ``"wide table"``.

    *Survey formats* (:mod:`navfit.io_surveys`), recognised by their column
    names when no column is named explicitly: the IRSA ZTF light-curve CSV
    (``catflags != 0`` dropped as ``quality``; one series per ``oid``),
    ATLAS forced photometry (``err != 0`` dropped as ``quality``, filters other
    than c and o as ``other_filter``, ``m <= 0`` as
    ``non_positive_magnitude``, fluxes below 3 sigma as ``upper_limit``), the ASAS-SN Sky Patrol CSV (``>15.68``
    limits dropped as ``upper_limit``; one series per band and camera), the
    Catalina (CRTS) CSV (band ``V_CSS``; ``Blend != 0`` dropped as
    ``blended``) and Gaia DR3 epoch photometry (:mod:`navfit.io_gaia`; times
    BJD(TCB) - 2455197.5 to BJD(TDB), magnitudes from fluxes where ``mag`` is
    empty, rows ``rejected_by_photometry`` and ``rejected_by_variability``
    dropped under these names; the archive's bulk files, one row per source with
    arrays per band, are read too, ``source_id`` picking one source of several);
    ``meta["layout"]`` names the format. A Gaia
    DR3 extract of VizieR I/355/epphot (``TimeG``, ``Gmag``) is read with
    ``time_format="bjd_tcb-2455197.5", band="G"``.

    *Rows.* Of the rows of the band (or bands) read, every dropped row is
    counted in ``meta["dropped"]`` under the first of these reasons that
    applies:

    ``quality``
        Nonzero quality flag.
    ``null``
        Time or value missing by the file's own marking: an empty cell, a masked
        value (ECSV), FITS ``TNULLn`` (astropy's mask for integer columns, and
        equality for floating-point columns, where astropy ignores it), a VOTable
        ``null``, or a text cell ``NA``, ``N/A``, ``null``, ``None``, ``--`` or
        ``INDEF`` (:data:`NULL_TOKENS`). A missing *error* is not a dropped row but
        a missing error (below).
    ``upper_limit``
        A value written as a limit, such as ``<12.5`` (AAVSO fainter-than
        estimates): not a measurement.
    ``sentinel``
        Magnitudes only: a magnitude or its error equal (to float32 precision) to a
        missing-value marker: magnitudes :data:`MAG_SENTINELS` (-99.99 SDSS
        Stripe 82, 29.999 ASAS-3, 99.999 DAOPHOT/IRAF, 99.0 SExtractor, 99.99,
        9999, -9999), errors :data:`ERR_SENTINELS` (99.999 as in the Stripe 82
        files, 9.999, 9.9999 and the magnitude markers).
    ``impossible_magnitude``
        ``|mag| > 50``: brighter than the Sun (-26.7) or far fainter than the
        deepest images (about 31).
    ``error_too_large``
        Magnitude error of 5 mag or more (a flux uncertain by a factor of 100).
    ``missing_error``
        No error where others have one (see *Missing errors*).
    ``non_positive_flux``
        Zero or negative flux converted to magnitudes (see *Flux*).

    `LightCurve` then counts ``non_finite`` (NaN or infinite time, value or
    error), ``non_positive_error`` (zero or negative error) and
    ``duplicate_time`` (rows merged with another at the same time). The marker,
    magnitude and error rules apply to magnitudes read as such and to rows whose
    time and value are finite; fluxes have no markers of their own (a negative
    marker is a ``non_positive_flux``). So ``lc.n + sum(meta["dropped"].values())``
    is the number of rows of the band read.

    *Missing errors.* If no selected row has an error, ``dy`` is None. If only some
    have, ``"drop"`` drops the others (counted as ``missing_error``), ``"ignore"``
    discards all errors, and ``"auto"`` drops when at most half the rows lack an
    error and ignores the errors otherwise (AAVSO visual estimates rarely have one).

    *Time.* ``LightCurve.time_offset`` is such that full JD = t + offset. ``mjd`` is
    taken as geocentric JD, ``rjd`` (JD - 2400000) as of unknown system. A plain
    ``time``/``t`` column is full JD (system unknown) when its values exceed 2.4e6.
    FITS ``TIME`` with ``BJDREFI``/``BJDREFF`` or ``TELESCOP`` Kepler, K2 or TESS is
    BJD (BKJD or BTJD). HJD = JD(UTC) + heliocentric light time; BJD = JD(TDB) +
    barycentric light time (BJD_TDB), both from `astropy.time.Time.light_travel_time`
    at the geocentre with the built-in ephemeris and no IERS download. HJD and BJD
    input (BJD taken as BJD_TDB) are converted by first going back to geocentric JD
    (iterated twice; agrees with a direct conversion to about 1e-8 d).

    *Flux.* ``m = -2.5 log10(f) + zero_point`` and ``dm = 2.5 / ln(10) * df / f``;
    rows with a zero or negative flux are dropped (counted as ``non_positive_flux``).
    With ``keep_flux`` fluxes are kept as they are.

    *Phase-folded files* (``time_format="phase"``), such as a phase-binned light
    curve published without times: the time column holds phases in [0, 1] and
    the light curve is phased (``time_system == "phase"``, ``lc.phased``). With
    ``period`` the phases become times within one cycle, ``t = phase * period``
    (``lc.period``); without it they stay phases until
    :meth:`~navfit.LightCurve.with_period` or :func:`navfit.analyze` attaches one.
    Such data fit only at their known period, held fixed; they cannot give a
    period (see :class:`~navfit.LightCurve`). Missing errors give equal weights
    as for any file, and the fits take their error scale from the residuals.
    """
    if not isinstance(path, str | os.PathLike | list | tuple):
        raise InputError(
            f"read_lightcurve: path must be a file name (str or Path) or a list of them, "
            f"got {type(path).__name__}"
        )
    if isinstance(path, list | tuple):
        options = {k: v for k, v in locals().items() if k != "path"}
        from .io_files import read_files

        return read_files(path, options, read_lightcurve)
    where = str(path)
    if missing_error not in _MISSING_ERROR:
        raise InputError(f"{where}: missing_error must be one of {_MISSING_ERROR}")
    src = one_gaia_source(load(Path(path), where, format, encoding), source_id)
    meta: dict[str, Any] = {"format": src.fmt, "n_rows": len(src.table), "columns": {}}
    if src.encoding:
        meta["encoding"] = src.encoding
    explicit = (time, mag, err, flux, band_column)
    src, band, roles, survey = _roles(
        src, explicit, band, quality, flux_column_kind, min_points, meta
    )
    is_flux = roles.pop("is_flux")
    dropped: dict[str, int] = {}
    band, sel, labels = _flagged_rows(src, roles, band, survey, dropped, meta)
    if survey is not None and time_format is None:
        time_format = survey.time_format
    system, offset, label = time_system_of(src, roles["time"], time_format)
    phased = _phased(where, label, to_time_system, period)
    system = "phase" if phased else system
    meta["columns"] = {k: roles.get(k) for k in ("time", "y", "dy", "band", "quality")}
    check_phases = not phased and time_format is None
    t, y, dy, keep = _usable_rows(src, roles, sel, is_flux, check_phases, dropped, meta, band)
    sel[sel] = keep  # rows passed on (for the coordinates of a time conversion)
    rows = np.flatnonzero(sel)
    if dy is not None:
        t, y, dy, kept = _missing_errors(t, y, dy, missing_error, dropped, meta)
        rows = rows[kept]
    kind = "flux" if is_flux and keep_flux else "mag"
    if is_flux and not keep_flux:
        t, y, dy, kept = _flux_to_mag(t, y, dy, zero_point, where, roles["y"], dropped)
        rows = rows[kept]
        meta["flux_to_mag"] = {"zero_point": float(zero_point)}
    if not phased:  # the times as read, before any conversion
        declared_format(t, system, offset, label, to_time_system, f"{where}, {roles['time']!r}")
    if time_scale_of(label) == "TCB" and not phased:
        t, meta["time_scale"] = tcb_to_tdb(t, offset)
    if to_time_system is not None:
        t, system, meta["time_correction"] = convert_time(
            t, offset, system, to_time_system, lambda: coordinates(src, coords, sel), where
        )
    _position(src, coords, sel, meta)
    band, name = _from_header(src, band, name, meta, band_column=labels is not None)
    series = _series(src, survey, roles, series_column)
    meta["time_format"] = label
    meta["dropped"] = dropped
    try:
        lc = LightCurve(
            t,
            y,
            dy,
            kind=kind,
            band=band if labels is None else labels[rows],
            series=None if series is None else series[rows],
            time_system=system,
            time_offset=offset,
            name=name,
            source=where,
            min_points=min_points,
            meta=meta,
            period=period if phased else None,
        )
    except InputError as exc:
        raise _refused(str(exc), getattr(exc, "dropped", None) or dropped, meta, band) from None
    return lc


def _flagged_rows(src, roles, band, survey, dropped, meta):
    """``(band, sel, labels)``: the band read, the rows of it not flagged, each row's band.

    ``labels`` is ``None`` when one band is read. Flagged rows (the quality
    column, the survey's own codes) are counted in ``dropped``.
    """
    sel = np.ones(len(src.table), dtype=bool)
    labels = None  # every band kept: the band of each row
    if roles.get("band") is not None and band in (None, ALL_BANDS):
        band = None
        labels, meta["bands_found"] = band_labels(src, roles["band"])
    elif roles.get("band") is not None:
        band, sel, meta["bands_found"] = select_band(src, roles["band"], band)
    elif band == ALL_BANDS:
        band = None  # no band column: every row is of the one band
    if roles.get("quality") is not None:
        flag = np.nan_to_num(numeric(src, roles["quality"]), nan=0.0)
        bad = sel & (flag != 0)
        dropped["quality"] = int(bad.sum())
        sel &= ~bad
    if survey is not None:
        bad = survey_bad_rows(src, survey, roles.get("band"), roles["y"])
        sel &= count_reasons({k: sel & rows for k, rows in bad.items()}, dropped)
    return band, sel, labels


def _roles(src, explicit, band, quality, flux_column_kind, min_points, meta):
    """``(src, band, roles, survey)``: the table read, the columns of each role, the survey format.

    An SDSS Stripe 82 five-band file names the band it reads (all five with
    ``band="all"``); a wide table (:mod:`navfit.io_wide`) is read in long form;
    a survey format (:mod:`navfit.io_surveys`) gives its roles. Layouts are
    recognised only when no column is named explicitly.
    """
    time, mag, err, flux, band_column = explicit
    auto = all(spec is None for spec in explicit)
    if auto and is_sdss_ugriz(src):
        if band != ALL_BANDS:
            band, roles, meta["bands_found"] = sdss_ugriz_band(src, band, min_points)
            meta["layout"] = SDSS_UGRIZ
            return src, band, roles, None
        sdss_ugriz_band(src, "g", 0)  # names the columns mjd_u, u, err_u, ...
        groups = {b: {"time": f"mjd_{b}", "y": b, "dy": f"err_{b}"} for b in "ugriz"}
        return _long(src, groups, SDSS_UGRIZ, band, meta)
    groups = wide_columns(src) if auto else {}
    if groups:
        return _long(src, groups, WIDE, band, meta)
    survey = detect_survey(src) if auto else None
    if survey is None:
        roles = choose_columns(src, time, mag, err, flux, quality, band_column, flux_column_kind)
        return src, band, roles, None
    meta["layout"] = survey.name
    roles = {"is_flux": False, **survey_roles(src, survey)}
    if quality is False:
        roles["quality"] = None
    if survey.band is not None and band in (None, ALL_BANDS):
        band = survey.band
    return src, band, roles, survey


def _long(src, groups, layout, band, meta):
    """A wide table's long form and its roles (see :func:`navfit.io_wide.to_long`)."""
    long = to_long(src, groups, layout)
    meta["layout"] = layout
    meta["n_values"] = len(long.table)
    roles = choose_columns(long, None, "mag", "err", None, False, "band", None)
    return long, band, roles, None


def _series(src, survey, roles, series_column):
    """Series label of every row: from ``series_column``, the survey format, or ``None``."""
    if series_column is not None:
        name = column_named(src, series_column, "series")
        col = src.table[name]
        mask = np.ma.getmaskarray(col)
        values = np.asarray(col)
        return np.array(
            ["" if m else f"{name} {str(v).strip()}" for v, m in zip(values, mask, strict=True)],
            dtype=object,
        )
    return None if survey is None else series_labels(src, survey, roles.get("band"))


def _position(src, coords, sel, meta) -> None:
    """``meta["coords"]``: the star's position from ``coords`` or RA/Dec columns, if any."""
    has_columns = find(src, RA_NAMES) is not None and find(src, DEC_NAMES) is not None
    if coords is None and not has_columns and "RA_OBJ" not in src.header:
        return
    try:
        coord, origin = coordinates(src, coords, sel)
    except InputError:
        if coords is not None:
            raise
        return  # RA/Dec columns without a usable value: no position
    icrs = coord.icrs
    meta["coords"] = {"ra_deg": float(icrs.ra.deg), "dec_deg": float(icrs.dec.deg), "from": origin}


def _phased(where: str, label, to_time_system, period) -> bool:
    """Whether the time column holds phases; the options that only one kind allows checked."""
    phased = label is not None and label.strip().lower() == "phase"
    if phased and to_time_system is not None:
        raise InputError(
            f"{where}: phase-folded data (time_format='phase') have no times to "
            f"convert to {to_time_system}"
        )
    if not phased and period is not None:
        raise InputError(
            f"{where}: period= is for phase-folded files only (time_format='phase'); "
            "a time series gives its period to the fits or to analyze"
        )
    return phased


def _usable_rows(src, roles, sel, is_flux, check_phases, dropped, meta, band):
    """Times, values and errors of the selected rows that hold usable values.

    Rows are dropped for the reasons of :func:`navfit.io_columns.bad_rows`, each
    counted in ``dropped``; ``sel`` (rows of the table) is left unchanged. Returns
    ``(t, y, dy, keep)`` with ``keep`` the selected rows kept.
    """
    where = src.where
    t, t_null, _ = cells(src, roles["time"])
    dtype = getattr(src.table[roles["time"]], "dtype", None)  # none for an astropy Time column
    if dtype is not None:
        check_time_storage(dtype, t, f"{where}, column {roles['time']!r}")
    y, y_null, y_limit = cells(src, roles["y"], limits=True)
    dy = cells(src, roles["dy"])[0] if roles.get("dy") is not None else None
    t, y = t[sel], y[sel]
    if check_phases:
        warn_if_phases(t, where, roles["time"])
    bad = bad_rows(
        t, t_null[sel], y, y_null[sel], y_limit[sel], None if dy is None else dy[sel], not is_flux
    )
    keep = count_reasons(bad, dropped)
    if not keep.any():
        raise _refused(
            f"{where}: no usable rows: every row was dropped ({_counts_text(dropped)})",
            dropped,
            meta,
            band,
        )
    t, y = t[keep], y[keep]
    for role, arr in (("time", t), ("y", y)):
        if not np.isfinite(arr).any():
            raise InputError(f"{where}: column {roles[role]!r} has no finite {role} values")
    return t, y, None if dy is None else dy[sel][keep], keep


def _from_header(src, band, name, meta, band_column=False):
    """Band and object name from FITS keywords, an ECSV/VOTable's meta or a text's comments.

    Only where not given: TELESCOP and OBJECT; ``band`` and ``name`` (or
    ``object``) of the table's own metadata, as navfit's sample files and
    astropy-written tables carry them; in a text file, the comment lines
    ``# band: V`` (or ``filter``, ``passband``) and ``# object: V1 Ori`` (or
    ``name``, ``star``). A file with a band column (``band_column``) takes
    its bands from that column only.
    """
    telescope = str(src.header.get("TELESCOP", "")).strip()
    if telescope:
        meta["telescope"] = telescope
    if band is None and telescope:
        band = {"KEPLER": "Kp", "K2": "Kp", "TESS": "TESS"}.get(telescope.upper())
    name = name or (str(src.header["OBJECT"]).strip() if "OBJECT" in src.header else None)
    own = {str(k).lower(): v for k, v in (src.table.meta or {}).items() if isinstance(v, str)}
    notes = src.notes
    if src.fmt in ("ecsv", "votable"):
        notes = {**notes, **own}
    if band is None and not band_column:
        band = notes.get("band", notes.get("filter", notes.get("passband")))
    name = name or notes.get("name") or notes.get("object") or notes.get("star")
    return band, name


def _refused(message: str, dropped: dict, meta: dict, band) -> InputError:
    """InputError naming the columns (and band) read, carrying the dropped-row counts."""
    cols = ", ".join(f"{k}={v!r}" for k, v in meta["columns"].items() if v is not None)
    exc = InputError(f"{message} (columns: {cols}{_band_text(band, meta)})")
    exc.dropped = {k: v for k, v in dropped.items() if v}
    return exc


def _band_text(band, meta) -> str:
    return f"; band {band!r}" if band is not None and "bands_found" in meta else ""


def _counts_text(dropped: dict) -> str:
    return ", ".join(f"{n} {reason}" for reason, n in dropped.items() if n)


def _missing_errors(t, y, dy, policy: str, dropped: dict, meta: dict):
    """Apply the missing-error rule (see read_lightcurve Notes); also the rows kept."""
    usable = np.isfinite(t) & np.isfinite(y)
    missing = usable & ~np.isfinite(dy)
    n_miss, n_use = int(missing.sum()), int(usable.sum())
    every = np.ones(t.size, dtype=bool)
    if n_miss == 0:
        return t, y, dy, every
    if n_miss == n_use:
        action = "none given"
    elif policy == "drop" or (policy == "auto" and 2 * n_miss <= n_use):
        action = "dropped"
    else:
        action = "ignored"
    meta["missing_error"] = {"n_missing": n_miss, "n_rows": n_use, "action": action}
    if action != "dropped":
        return t, y, None, every
    dropped["missing_error"] = n_miss
    keep = ~missing
    return t[keep], y[keep], dy[keep], keep


def _flux_to_mag(t, f, df, zero_point, where, colname, dropped):
    """Magnitudes from fluxes, non-positive fluxes dropped; also the rows kept."""
    bad = np.isfinite(f) & (f <= 0)
    if bad.any():
        dropped["non_positive_flux"] = int(bad.sum())
        t, f = t[~bad], f[~bad]
        df = None if df is None else df[~bad]
        if not np.isfinite(f).any():
            raise InputError(f"{where}: every flux in column {colname!r} is zero or negative")
    m = -2.5 * np.log10(f) + zero_point
    return t, m, None if df is None else 2.5 / np.log(10.0) * df / f, ~bad
