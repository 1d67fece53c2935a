"""Read photometry files (text, ECSV, FITS, VOTable) into a :class:`~navfit.LightCurve`."""

from __future__ import annotations

import gzip
import io
import re
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError, NavfitWarning
from .lightcurve import TIME_OFFSETS, LightCurve, _count_reasons

__all__ = ["read_lightcurve"]

# fmt: off
#: Column names recognised without being asked for (compared case-insensitively).
TIME_NAMES = ("time", "t")
MAG_NAMES = ("mag", "magnitude", "m", "v")
FLUX_NAMES = {"pdcsap": ("pdcsap_flux",), "sap": ("sap_flux",),
              None: ("pdcsap_flux", "flux", "sap_flux")}
ERR_NAMES = ("err", "error", "e_mag", "magerr", "mag_err", "sigma", "merr", "uncertainty",
             "flux_err", "e_flux", "pdcsap_flux_err", "sap_flux_err")
BAND_NAMES = ("band", "filter", "passband")
RA_NAMES = ("ra", "raj2000", "_raj2000", "ra_deg", "ra_obj")
DEC_NAMES = ("dec", "de", "dej2000", "decj2000", "_dej2000", "dec_deg", "dec_obj")
#: Time-format names in the order a column is preferred: (time system, offset).
TIME_BASES = {
    "bjd": ("BJD", 0.0), "btjd": ("BJD", TIME_OFFSETS["BTJD"]),
    "bkjd": ("BJD", TIME_OFFSETS["BKJD"]), "bmjd": ("BJD", TIME_OFFSETS["MJD"]),
    "hjd": ("HJD", 0.0), "hmjd": ("HJD", TIME_OFFSETS["MJD"]), "jd": ("JD", 0.0),
    "mjd": ("JD", TIME_OFFSETS["MJD"]), "rjd": (None, TIME_OFFSETS["RJD"]),
}
#: Band codes that make a text column of a headerless file its band column:
#: AAVSO's (visual "Vis.", Johnson-Cousins, 2MASS, tri-colour DSLR "TG"/"TB"/"TR",
#: clear-filter "CV"/"CR", Sloan "SU".."SZ", Stromgren "STU".., "HA" ...),
#: Sloan/LSST, Gaia, Hipparcos, Kepler and TESS names.
BAND_CODES = frozenset((
    "Vis.", "Vis", "U", "B", "V", "R", "I", "J", "H", "K", "Rc", "Ic", "TG", "TB", "TR", "CV",
    "CR", "SU", "SG", "SR", "SI", "SZ", "STU", "STV", "STB", "STY", "STHBW", "STHBN", "MA", "MB",
    "MI", "ZS", "Y", "HA", "HAC", "u", "g", "r", "i", "z", "y", "G", "BP", "RP", "Hp", "Kp",
    "TESS",
))
# fmt: on

#: Missing-value markers ("sentinels") of magnitudes, with the surveys and programs that
#: write them. Rows whose magnitude (or error) equals one are dropped as ``sentinel``.
MAG_SENTINELS = {
    -99.99: "SDSS Stripe 82 light curves (Sesar et al. 2010)",
    29.999: "ASAS-3 data files ('29.999 (not measured)')",
    99.999: "DAOPHOT / IRAF photometry (undefined magnitude)",
    99.99: "named in issue 11 with the others, common in survey exports",
    99.0: "SExtractor (no positive flux)",
    9999.0: "named in issue 11, catalogue exports",
    -9999.0: "SDSS CasJobs and catalogue exports",
}
#: Missing-value markers of magnitude errors: 99.999 in SDSS Stripe 82 files (next to
#: magnitudes near 100), 9.999 and 9.9999 (DAOPHOT / IRAF), and the magnitude markers.
ERR_SENTINELS = (99.999, 99.99, 9.999, 9.9999, -99.99, 9999.0, -9999.0)
#: Magnitudes beyond +-50 are impossible: the Sun is V = -26.7 and the deepest images
#: (HST, JWST) reach about 31 mag. Errors of 5 mag or more (a flux uncertain by a factor
#: of 100) carry no measurement.
MAX_ABS_MAG = 50.0
MAX_MAG_ERROR = 5.0
#: Text cells that mark a missing value: empty, R's and pandas' NA, SQL NULL, None,
#: "--" (astropy's masked output) and IRAF's INDEF.
NULL_TOKENS = frozenset(("", "na", "n/a", "null", "none", "--", "indef"))
_LIMIT_RE = re.compile(r"^[<>]\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")
#: The SDSS Stripe 82 five-band layout (Sesar et al. 2010 light curves): no header,
#: ``ra dec`` then ``mjd mag err`` for each of u, g, r, i, z.
SDSS_UGRIZ = "SDSS Stripe 82 ugriz"
_UGRIZ = "ugriz"
_TIME_RE = re.compile(
    r"^(?P<base>[bh]?m?jd|rjd|btjd|bkjd)(?:[_ ]?(?:tdb|utc|tt))?(?:\s*-\s*(?P<off>\d+(?:\.\d*)?))?$"
)
_SYSTEMS = ("JD", "HJD", "BJD")
_MISSING_ERROR = ("auto", "drop", "ignore")


@dataclass
class _Source:
    """A parsed table plus what is needed to describe it in messages."""

    table: Any
    where: str
    fmt: str
    headerless: bool = False
    lines: list[int] | None = None  # file line of each table row (text formats)
    header: dict = field(default_factory=dict)  # FITS keywords
    encoding: str | None = None
    layout: str | None = None  # a known headerless layout (SDSS_UGRIZ)

    @property
    def names(self) -> list[str]:
        return list(self.table.colnames)

    def row(self, i: int) -> str:
        return f"row {i + 1}" + (f" (line {self.lines[i]})" if self.lines else "")


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
) -> LightCurve:
    """Read a photometry file into a :class:`~navfit.LightCurve`.

    Parameters
    ----------
    path : str or path-like
        Text (whitespace-, tab-, comma-, semicolon- or bar-separated), ECSV, FITS
        binary table or VOTable file; may be gzip-compressed.
    time, mag, err, flux : str or int, optional
        Column names (case-insensitive) or 0-based column indices. ``mag`` and
        ``flux`` are alternatives for the measured value. Found automatically when
        omitted (see Notes).
    band : str, optional
        Passband. If the file has a band column (AAVSO files) only rows of this band
        are kept, and in an SDSS Stripe 82 five-band file (see Notes) this band's
        columns are read; otherwise it just labels the light curve.
    time_format : str, optional
        Overrides the time format deduced from the column name or FITS header:
        ``"jd"``, ``"hjd"``, ``"bjd"``, ``"mjd"``, ``"rjd"``, ``"btjd"``, ``"bkjd"``,
        ``"phase"`` or a reduced form such as ``"bjd-2450000"`` or ``"jd-2440000"``.
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

    Returns
    -------
    LightCurve
        Cleaned light curve. Besides the keys set by `LightCurve`, ``meta`` holds
        ``format``, ``n_rows`` (data rows in the file), ``time_format`` (label of the
        original time format, or None), ``columns`` (role -> column name), and where
        they apply ``encoding``, ``bands_found`` (band -> rows; for an SDSS five-band
        file, usable rows), ``layout``, ``missing_error``, ``flux_to_mag``,
        ``telescope`` and ``time_correction``. ``meta["dropped"]`` counts every
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

    *Rows.* Without ``band`` the band with the most rows is used. Of the rows of
    the band, every dropped row is counted in ``meta["dropped"]`` under the first of
    these reasons that applies:

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
    where = str(path)
    if missing_error not in _MISSING_ERROR:
        raise InputError(f"{where}: missing_error must be one of {_MISSING_ERROR}")
    src = _load(Path(path), where, format, encoding)
    meta: dict[str, Any] = {"format": src.fmt, "n_rows": len(src.table), "columns": {}}
    if src.encoding:
        meta["encoding"] = src.encoding
    explicit = (time, mag, err, flux, band_column)
    if all(spec is None for spec in explicit) and _is_sdss_ugriz(src):
        band, roles, meta["bands_found"] = _sdss_ugriz_band(src, band, min_points)
        meta["layout"] = SDSS_UGRIZ
    else:
        roles = _choose_columns(src, time, mag, err, flux, quality, band_column, flux_column_kind)
    is_flux = roles.pop("is_flux")
    sel = np.ones(len(src.table), dtype=bool)
    dropped: dict[str, int] = {}
    if roles.get("band") is not None:
        band, sel, meta["bands_found"] = _select_band(src, roles["band"], band)
    if roles.get("quality") is not None:
        flag = np.nan_to_num(_numeric(src, roles["quality"]), nan=0.0)
        bad = sel & (flag != 0)
        dropped["quality"] = int(bad.sum())
        sel &= ~bad
    system, offset, label = _time_format(src, roles["time"], time_format)
    phased = label is not None and label.strip().lower() == "phase"
    if phased:
        system = "phase"
        if to_time_system is not None:
            raise InputError(
                f"{where}: phase-folded data (time_format='phase') have no times to "
                f"convert to {to_time_system}"
            )
    elif period is not None:
        raise InputError(
            f"{where}: period= is for phase-folded files only (time_format='phase'); "
            "a time series gives its period to the fits or to analyze"
        )
    t, t_null, _ = _cells(src, roles["time"])
    y, y_null, y_limit = _cells(src, roles["y"], limits=True)
    dy = None
    if roles.get("dy") is not None:
        dy = _cells(src, roles["dy"])[0]
    meta["columns"] = {k: roles.get(k) for k in ("time", "y", "dy", "band", "quality")}
    t, y = t[sel], y[sel]
    if not phased and time_format is None:
        _warn_if_phases(t, where, roles["time"])
    bad = _bad_rows(
        t, t_null[sel], y, y_null[sel], y_limit[sel], None if dy is None else dy[sel], not is_flux
    )
    keep = _count_reasons(bad, dropped)
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
    if dy is not None:
        dy = dy[sel][keep]
        t, y, dy = _missing_errors(t, y, dy, missing_error, dropped, meta)
    sel[sel] = keep  # rows passed on (for the coordinates of a time conversion)
    kind = "flux" if is_flux and keep_flux else "mag"
    if is_flux and not keep_flux:
        t, y, dy = _flux_to_mag(t, y, dy, zero_point, where, roles["y"], dropped)
        meta["flux_to_mag"] = {"zero_point": float(zero_point)}
    if to_time_system is not None:
        t, system, meta["time_correction"] = _convert_time(
            t, offset, system, to_time_system, lambda: _coordinates(src, coords, sel), where
        )
    telescope = str(src.header.get("TELESCOP", "")).strip()
    if telescope:
        meta["telescope"] = telescope
    if band is None and telescope:
        band = {"KEPLER": "Kp", "K2": "Kp", "TESS": "TESS"}.get(telescope.upper())
    name = name or (str(src.header["OBJECT"]).strip() if "OBJECT" in src.header else None)
    meta["time_format"] = label
    meta["dropped"] = dropped
    try:
        return LightCurve(
            t,
            y,
            dy,
            kind=kind,
            band=band,
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


# ----------------------------------------------------------------------------- loading
def _load(path: Path, where: str, fmt, encoding) -> _Source:
    """Read the file and parse it into a table."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{where}: file not found") from None
    except OSError as exc:
        raise InputError(f"{where}: cannot read file ({exc.strerror or exc})") from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as exc:
            raise InputError(f"{where}: corrupt gzip file ({exc})") from None
    if not raw.strip():
        raise InputError(f"{where}: file is empty")
    fmt = fmt or _sniff_format(raw, path)
    if fmt == "fits":
        return _load_fits(raw, where)
    if fmt == "votable":
        return _load_votable(raw, where)
    if fmt not in ("text", "ecsv"):
        raise InputError(
            f"{where}: unknown format {fmt!r}; use 'text', 'ecsv', 'fits' or 'votable'"
        )
    if b"\x00" in raw[:65536]:
        raise InputError(f"{where}: binary data, not a text, ECSV, FITS or VOTable file")
    text, used = _decode(raw, where, encoding)
    sample = text[:8192]
    ctrl = sum(
        1 for ch in sample if (ord(ch) < 32 and ch not in "\t\n\r\f") or 127 <= ord(ch) < 160
    )
    if ctrl > 0.02 * len(sample):
        raise InputError(f"{where}: binary data, not a text, ECSV, FITS or VOTable file")
    if fmt == "ecsv" or text.lstrip().startswith("# %ECSV"):
        from astropy.io import ascii

        table = _astropy(lambda: ascii.read(text, format="ecsv", guess=False), where, "ECSV")
        return _checked(_Source(table, where, "ecsv", encoding=used))
    return _load_text(text, where, used)


def _sniff_format(raw: bytes, path: Path) -> str:
    head = raw[:4096].lstrip()
    if raw.startswith(b"SIMPLE  ="):
        return "fits"
    if head.startswith(b"<?xml") or b"<VOTABLE" in head.upper() or path.suffix in (".vot", ".xml"):
        return "votable"
    return "text"


def _decode(raw: bytes, where: str, encoding) -> tuple[str, str]:
    for enc in [encoding] if encoding else ["utf-8-sig", "latin-1"]:
        try:
            return raw.decode(enc), enc.replace("utf-8-sig", "utf-8")
        except UnicodeDecodeError as exc:
            last = exc
        except LookupError:
            raise InputError(f"{where}: unknown encoding {encoding!r}") from None
    raise InputError(f"{where}: cannot decode file as {encoding} ({last})") from None


def _astropy(reader, where: str, what: str):
    """Run an astropy reader, turning its exceptions into InputError naming the file."""
    from astropy.io.fits.verify import VerifyWarning
    from astropy.io.votable.exceptions import VOWarning
    from astropy.units import UnitsWarning

    try:
        # odd unit strings, VOTable spec deviations, non-standard FITS keywords (a
        # TNULLn on a floating-point column, honoured in _cells)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UnitsWarning)
            warnings.simplefilter("ignore", VOWarning)
            warnings.simplefilter("ignore", VerifyWarning)
            # the fast text reader on subnormal numbers such as 1e-308 (kept, and judged later)
            warnings.filterwarnings("ignore", message="OverflowError converting to FloatType")
            return reader()
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"{where}: cannot parse as {what}: {exc}") from exc


def _checked(src: _Source) -> _Source:
    """Reject tables with no columns or rows; drop multidimensional columns."""
    bad = [c for c in src.table.colnames if getattr(src.table[c], "ndim", 1) != 1]
    src.table.remove_columns(bad)
    if not src.table.colnames:
        raise InputError(f"{src.where}: no one-dimensional columns in the {src.fmt} table")
    if len(src.table) == 0:
        raise InputError(f"{src.where}: the table has columns {src.names} but no data rows")
    return src


def _load_fits(raw: bytes, where: str) -> _Source:
    from astropy.io import fits
    from astropy.table import Table

    def read():
        with fits.open(io.BytesIO(raw)) as hdul:
            idx = [i for i, h in enumerate(hdul) if isinstance(h, fits.BinTableHDU | fits.TableHDU)]
            if not idx:
                raise InputError(f"{where}: FITS file has no table HDU ({len(hdul)} HDU(s) found)")
            header = {**hdul[0].header, **hdul[idx[0]].header}
            header = {k: v for k, v in header.items() if k not in ("COMMENT", "HISTORY", "")}
            # NaN stays a value (non_finite); masks come from TNULL only
            return Table.read(hdul, hdu=idx[0], mask_invalid=False), header

    table, header = _astropy(read, where, "FITS")
    return _checked(_Source(table, where, "fits", header=header))


def _load_votable(raw: bytes, where: str) -> _Source:
    from astropy.table import Table

    table = _astropy(lambda: Table.read(io.BytesIO(raw), format="votable"), where, "VOTable")
    return _checked(_Source(table, where, "votable"))


def _is_number(token: str) -> bool:
    try:
        float(token)
    except ValueError:
        return False
    return True


def _fields(line: str, delim: str | None) -> list[str]:
    parts = line.split(delim) if delim else line.split()
    return [p.strip().strip("\"'") for p in parts]


#: Field separators tried, in order of preference when several split every line alike.
DELIMITERS = ("\t", ";", ",", "|")


def _sniff_delimiter(lines: list[str]) -> str | None:
    """The separator that splits the first 200 lines into one constant number (>= 2) of fields.

    Quoted fields are honoured (:mod:`csv`). Tab is preferred, then semicolon (files
    with decimal commas), comma and bar, so that a comma inside a text field of a
    tab-separated download does not split it. ``None`` (whitespace) when no separator
    fits and whitespace does; otherwise the first separator present in the first line,
    so that the parser names the ragged line.
    """
    import csv

    sample = lines[:200]
    for delim in DELIMITERS:
        if delim not in sample[0]:
            continue
        counts = {len(row) for row in csv.reader(sample, delimiter=delim)}
        if len(counts) == 1 and counts.pop() >= 2:
            return delim
    if len({len(line.split()) for line in sample}) == 1 and len(sample[0].split()) >= 2:
        return None
    return next((d for d in DELIMITERS if d in sample[0]), None)


def _load_text(text: str, where: str, encoding: str) -> _Source:
    from astropy.io import ascii

    data, linenos, comments = [], [], []
    for no, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("#"):
            comments.append((no, stripped.lstrip("#").strip()))
        elif stripped:
            data.append(line)
            linenos.append(no)
    if not data:
        raise InputError(f"{where}: no data lines (the file holds only comments or blank lines)")
    delim = _sniff_delimiter(data)
    first = _fields(data[0], delim)
    header = None
    if not any(_is_number(f) for f in first if f):
        header, data, linenos = data[0], data[1:], linenos[1:]
        if not data:
            raise InputError(f"{where}: header {first} but no data rows")
    elif comments and comments[-1][0] < linenos[0]:
        cdelim = delim if delim and delim in comments[-1][1] else None
        tokens = _fields(comments[-1][1], cdelim)
        if len(tokens) == len(first) and not any(_is_number(f) for f in tokens):
            header = (delim or " ").join(tokens)
    kwargs = {"format": "basic" if header else "no_header", "guess": False}
    if delim:
        kwargs["delimiter"] = delim
    if delim == "\t":
        kwargs["fast_reader"] = False  # the fast reader merges consecutive tabs (empty cells)
    lines = [header, *data] if header else data
    try:
        table = _astropy(lambda: ascii.read(lines, **kwargs), where, "a text table")
    except InputError as exc:
        hit = re.search(r"data line (\d+)", str(exc))
        if hit and int(hit.group(1)) < len(linenos):
            raise InputError(f"{exc} (file line {linenos[int(hit.group(1))]})") from None
        raise
    if header is None:
        table.rename_columns(table.colnames, [f"col{i}" for i in range(len(table.colnames))])
    src = _checked(_Source(table, where, "text", header is None, linenos, encoding=encoding))
    if len(src.names) < 2:
        raise InputError(f"{where}: only one column ({src.names[0]!r}); need time and magnitude")
    return src


# ----------------------------------------------------------------------------- columns
def _lookup(src: _Source, spec, role: str) -> str:
    """Resolve an explicit column name or 0-based index."""
    names = src.names
    if isinstance(spec, int | np.integer) and not isinstance(spec, bool):
        if 0 <= spec < len(names):
            return names[spec]
        raise InputError(f"{src.where}: {role} column index {spec} out of range; columns: {names}")
    for cand in names:
        if cand == str(spec) or cand.lower() == str(spec).lower():
            return cand
    raise InputError(f"{src.where}: no {role} column {spec!r}; columns are {names}")


def _find(src: _Source, candidates, used=()) -> str | None:
    lower = {n.lower(): n for n in src.names if n not in used}
    return next((lower[c.lower()] for c in candidates if c.lower() in lower), None)


def _is_numberish(text: str) -> bool:
    """A number, a limit such as ``<12.5`` or a null token: what a numeric column may hold."""
    return _is_number(text) or bool(_LIMIT_RE.match(text)) or text.lower() in NULL_TOKENS


def _numeric_like(col) -> bool:
    if col.dtype.kind in "biuf":
        return True
    vals = [str(v).strip() for v in np.ma.compressed(np.ma.asarray(col)) if str(v).strip()]
    vals = [v for v in vals if v.lower() not in NULL_TOKENS]
    return bool(vals) and sum(map(_is_numberish, vals)) >= 0.5 * len(vals)


def _choose_columns(src, time, mag, err, flux, quality, band_col, flux_kind) -> dict:
    """Map roles (time, y, dy, band, quality) to column names."""
    where, names = src.where, src.names
    if mag is not None and flux is not None:
        raise InputError(f"{where}: give either mag or flux, not both")
    if flux_kind is not None and str(flux_kind).lower() not in ("pdcsap", "sap"):
        raise InputError(f"{where}: flux_column_kind must be 'pdcsap' or 'sap', got {flux_kind!r}")
    roles: dict[str, Any] = {"is_flux": flux is not None}
    explicit = {"time": time, "y": mag if flux is None else flux, "dy": err, "band": band_col}
    for role, spec in explicit.items():
        if spec is not None:
            roles[role] = _lookup(src, spec, role)
    if quality is not False and quality is not None:
        roles["quality"] = _lookup(src, quality, "quality")
    elif quality is None:
        roles["quality"] = _find(src, ["quality"])
    aavso = (
        src.headerless
        and len(names) >= 14
        and not _numeric_like(src.table[names[4]])
        and _numeric_like(src.table[names[0]])
    )
    if src.headerless:
        if aavso:
            auto = {"time": names[0], "y": names[1], "dy": names[2], "band": names[4]}
            roles.update({k: v for k, v in auto.items() if k not in roles})
        numeric = [n for n in names if _numeric_like(src.table[n]) and n not in roles.values()]
        for role in ("time", "y"):
            if role not in roles:
                if not numeric:
                    raise InputError(f"{where}: no numeric column left for {role}; columns {names}")
                roles[role] = numeric.pop(0)
        nxt = names.index(roles["y"]) + 1
        if "dy" not in roles and nxt < len(names) and names[nxt] in numeric:
            roles["dy"] = names[nxt]
        if "band" not in roles:
            roles["band"] = _band_column(src, roles.get("dy") or roles["y"], roles.values())
        return roles
    roles.setdefault("time", _find_time(src))
    if "y" not in roles:
        roles["y"] = _find(src, MAG_NAMES, roles.values())
        if roles["y"] is None:
            roles["y"], roles["is_flux"] = _find_flux(src, flux_kind), True
    if roles["time"] is None or roles["y"] is None:
        missing = "time" if roles["time"] is None else "magnitude or flux"
        raise InputError(
            f"{where}: cannot tell which column is the {missing}; columns found: "
            f"{names}. Pass time=, mag= or flux= explicitly"
        )
    if "dy" not in roles:
        y = roles["y"]
        own = [f"{y}_err", f"e_{y}", f"{y}err", f"{y}_error", f"sigma_{y}"]
        roles["dy"] = _find(src, own + list(ERR_NAMES), roles.values())
    roles.setdefault("band", _find(src, BAND_NAMES, roles.values()))
    return roles


def _find_time(src: _Source) -> str | None:
    parsed = {n: _TIME_RE.match(n.strip().lower()) for n in src.names}
    for base in TIME_BASES:
        hit = next((n for n, m in parsed.items() if m and m.group("base") == base), None)
        if hit:
            return hit
    return _find(src, TIME_NAMES)


def _find_flux(src: _Source, flux_kind) -> str | None:
    kind = None if flux_kind is None else str(flux_kind).lower()
    for cand in FLUX_NAMES[kind]:
        hit = _find(src, [cand])
        if hit and np.isfinite(_numeric(src, hit)).any():
            return hit
    return None


def _numeric(src: _Source, colname: str) -> np.ndarray:
    """Column as float64 with NaN for null cells; name the first non-numeric row."""
    return _cells(src, colname)[0]


def _cells(src: _Source, colname: str, limits: bool = False):
    """``(values, null, limit)``: the column as float64, the cells the file marks as missing
    and, with ``limits``, the limits such as ``<12.5`` (AAVSO fainter-than estimates).

    Null cells are masked ones (empty text cells, FITS TNULL, VOTable null, ECSV masked
    values), cells equal to a FITS ``TNULLn`` keyword (also honoured for floating-point
    columns, where astropy ignores it) and text cells holding a :data:`NULL_TOKENS`
    token; they and the limits hold NaN in ``values``.
    """
    from astropy.time import Time

    col = src.table[colname]
    n = len(col)
    limit = np.zeros(n, dtype=bool)
    if isinstance(col, Time):
        null = np.asarray(getattr(col, "mask", np.zeros(n, dtype=bool)), dtype=bool)
        values = np.where(null, np.nan, np.asarray(col.jd, dtype=float))
        return values, null, limit
    null = np.ma.getmaskarray(col).copy()
    if col.dtype.kind in "biuf":
        values = np.ma.filled(np.ma.asarray(col, dtype=float), np.nan)
        tnull = _fits_tnull(src, colname)
        if tnull is not None:
            null |= _is_marker(values, [tnull])
        values[null] = np.nan
        return values, null, limit
    values = np.full(n, np.nan)
    for i, value in enumerate(np.asarray(col)):
        if null[i]:
            continue
        text = (value.decode("latin-1") if isinstance(value, bytes) else str(value)).strip()
        if text.lower() in NULL_TOKENS:
            null[i] = True
            continue
        try:
            values[i] = float(text)
        except ValueError:
            if limits and _LIMIT_RE.match(text):
                limit[i] = True
                continue
            raise InputError(
                f"{src.where}: column {colname!r} is not numeric: {src.row(i)} holds {text!r}"
            ) from None
    return values, null, limit


def _fits_tnull(src: _Source, colname: str):
    """The FITS ``TNULLn`` of a column, if its header declares one."""
    if src.fmt != "fits":
        return None
    for key, value in src.header.items():
        if key.startswith("TTYPE") and str(value).strip() == colname:
            tnull = src.header.get("TNULL" + key[5:])
            try:
                return None if tnull is None else float(tnull)
            except (TypeError, ValueError):
                return None
    return None


def _is_marker(values: np.ndarray, markers) -> np.ndarray:
    """Values equal to a marker (to float32 precision: FITS and VOTable columns may be 32-bit)."""
    hit = np.zeros(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        for m in markers:
            hit |= np.abs(values - m) <= 1e-6 * abs(m)
    return hit


def _bad_rows(t, t_null, y, y_null, y_limit, dy, is_mag: bool) -> dict:
    """Rows the reader drops, by reason in order of precedence (see read_lightcurve Notes).

    The value rules apply to rows with a finite time and value; rows with a NaN are
    left to `LightCurve` (``non_finite``).
    """
    bad = {"null": t_null | y_null, "upper_limit": y_limit}
    if is_mag:
        finite = np.isfinite(t) & np.isfinite(y)
        with np.errstate(invalid="ignore"):
            sentinel = _is_marker(y, MAG_SENTINELS)
            if dy is not None:
                sentinel |= _is_marker(dy, ERR_SENTINELS)
            bad["sentinel"] = finite & sentinel
            bad["impossible_magnitude"] = finite & (np.abs(y) > MAX_ABS_MAG)
            if dy is not None:
                bad["error_too_large"] = finite & (dy >= MAX_MAG_ERROR)
    return bad


def _is_sdss_ugriz(src: _Source) -> bool:
    """A headerless table in the SDSS Stripe 82 five-band layout (:data:`SDSS_UGRIZ`).

    17 numeric columns: RA in [-180, 360] (Stripe 82 files give RA in [-180, 180]),
    Dec in [-90, 90], then five (time, mag, err)
    triples whose times are MJDs (40 000 to 80 000) that agree within a day on every
    row (SDSS images the five bands of a field within about five minutes).
    """
    if not src.headerless or len(src.names) != 17:
        return False
    if any(src.table[n].dtype.kind not in "iuf" for n in src.names):
        return False
    cols = [np.ma.filled(np.ma.asarray(src.table[n], dtype=float), np.nan) for n in src.names]
    ra, dec = cols[0], cols[1]
    times = np.array([cols[2 + 3 * k] for k in range(5)])
    with np.errstate(invalid="ignore"):
        return bool(
            np.all((ra >= -180) & (ra <= 360) & (np.abs(dec) <= 90))
            and np.all((times > 4e4) & (times < 8e4))
            and np.all(np.ptp(times, axis=0) < 1.0)
        )


def _sdss_ugriz_band(src: _Source, band, min_points: int):
    """Name the columns of an SDSS ugriz table; the band to read, its roles, usable rows per band.

    The default band is g, the band of the survey's single-band files and of the
    Stripe 82 RR Lyrae periods (Sesar et al. 2010); if g has fewer than
    ``min_points`` usable rows (rows the reader keeps), the band with the most.
    """
    names = ["ra", "dec"] + [f"{c}{b}" for b in _UGRIZ for c in ("mjd_", "", "err_")]
    src.table.rename_columns(src.names, names)
    src.layout = SDSS_UGRIZ
    found = {}
    for b in _UGRIZ:
        t, t_null, _ = _cells(src, f"mjd_{b}")
        y, y_null, y_limit = _cells(src, b)
        dy = _cells(src, f"err_{b}")[0]
        keep = _count_reasons(_bad_rows(t, t_null, y, y_null, y_limit, dy, True), {})
        with np.errstate(invalid="ignore"):
            ok = np.isfinite(t) & np.isfinite(y) & np.isfinite(dy) & (dy > 0)
        found[b] = int((keep & ok).sum())
    if band is None:
        chosen = "g" if found["g"] >= min_points else max(_UGRIZ, key=found.__getitem__)
    else:
        want = str(band).strip()
        chosen = want if want in found else want.lower() if want.lower() in found else None
        if chosen is None:
            raise InputError(
                f"{src.where}: band {want!r} is not one of this {SDSS_UGRIZ} file's bands; "
                f"usable rows per band: {found}"
            )
    roles = {"is_flux": False, "time": f"mjd_{chosen}", "y": chosen, "dy": f"err_{chosen}"}
    return chosen, roles, found


def _band_column(src: _Source, after: str, used) -> str | None:
    """The first text column after ``after`` whose every value is a band code (BAND_CODES)."""
    names = src.names
    for name in names[names.index(after) + 1 :]:
        col = src.table[name]
        if name in used or col.dtype.kind not in "SUO":
            continue
        vals = {str(v).strip() for v in np.ma.compressed(np.ma.asarray(col))} - {""}
        if vals and vals <= BAND_CODES:
            return name
    return None


def _select_band(src: _Source, colname: str, band):
    """Rows of the requested band (default: the most common one) and the band counts."""
    col = src.table[colname]
    mask = np.ma.getmaskarray(col)
    labels = ["" if m else str(v).strip() for v, m in zip(np.asarray(col), mask, strict=True)]
    found = dict(Counter(lab for lab in labels if lab).most_common())
    if not found:
        raise InputError(f"{src.where}: band column {colname!r} is empty")
    if band is None:
        chosen = next(iter(found))
    else:
        want = str(band).strip()
        chosen = next((b for b in found if b == want), None) or next(
            (b for b in found if b.lower().rstrip(".") == want.lower().rstrip(".")), None
        )
        if chosen is None:
            raise InputError(
                f"{src.where}: band {want!r} not in column {colname!r}; bands found: {found}"
            )
    return chosen, np.array([lab == chosen for lab in labels]), found


def _missing_errors(t, y, dy, policy: str, dropped: dict, meta: dict):
    """Apply the missing-error rule (see read_lightcurve Notes)."""
    usable = np.isfinite(t) & np.isfinite(y)
    missing = usable & ~np.isfinite(dy)
    n_miss, n_use = int(missing.sum()), int(usable.sum())
    if n_miss == 0:
        return t, y, dy
    if n_miss == n_use:
        action = "none given"
    elif policy == "drop" or (policy == "auto" and 2 * n_miss <= n_use):
        action = "dropped"
    else:
        action = "ignored"
    meta["missing_error"] = {"n_missing": n_miss, "n_rows": n_use, "action": action}
    if action != "dropped":
        return t, y, None
    dropped["missing_error"] = n_miss
    keep = ~missing
    return t[keep], y[keep], dy[keep]


def _flux_to_mag(t, f, df, zero_point, where, colname, dropped):
    bad = np.isfinite(f) & (f <= 0)
    if bad.any():
        dropped["non_positive_flux"] = int(bad.sum())
        t, f = t[~bad], f[~bad]
        df = None if df is None else df[~bad]
        if not np.isfinite(f).any():
            raise InputError(f"{where}: every flux in column {colname!r} is zero or negative")
    m = -2.5 * np.log10(f) + zero_point
    return t, m, None if df is None else 2.5 / np.log(10.0) * df / f


# ----------------------------------------------------------------------------- time
def _parse_time_label(label: str):
    """(system, offset) for a time format label, or None if it is not one."""
    text = label.strip().lower()
    if text == "phase":
        return None, 0.0
    hit = _TIME_RE.match(text)
    if not hit:
        return None
    system, offset = TIME_BASES[hit.group("base")]
    return system, offset + (float(hit.group("off")) if hit.group("off") else 0.0)


def _warn_if_phases(t, where, column):
    """Warn when a 'time' column looks like phases: at least 20 values, all in [0, 1], span > 0.9."""
    ok = t[np.isfinite(t)]
    if ok.size >= 20 and ok.min() >= 0.0 and ok.max() <= 1.0 and np.ptp(ok) > 0.9:
        warnings.warn(
            f"{where}: every time in column {column!r} lies in [0, 1]: phase-folded data? "
            "Read them with time_format='phase' and period= (navfit analyze --phased "
            "--period P); as times they span one day",
            NavfitWarning,
            stacklevel=3,
        )


def _time_format(src: _Source, colname: str, override):
    """(time_system, time_offset, label) for the chosen time column."""
    if override is not None:
        parsed = _parse_time_label(str(override))
        if parsed is None:
            raise InputError(
                f"{src.where}: unknown time_format {override!r}; use jd, hjd, bjd, "
                "mjd, rjd, btjd, bkjd, phase or e.g. 'bjd-2450000'"
            )
        return (*parsed, str(override))
    if src.layout == SDSS_UGRIZ:
        return "JD", TIME_OFFSETS["MJD"], "MJD"
    hdr = src.header
    telescope = str(hdr.get("TELESCOP", "")).strip().upper()
    if colname.lower() == "time" and ("BJDREFI" in hdr or telescope in ("KEPLER", "K2", "TESS")):
        default = TIME_OFFSETS["BTJD" if telescope == "TESS" else "BKJD"]
        offset = float(hdr.get("BJDREFI", default)) + float(hdr.get("BJDREFF", 0.0))
        known = {"TESS": "BTJD", "KEPLER": "BKJD", "K2": "BKJD"}
        return "BJD", offset, known.get(telescope, f"BJD-{offset:g}")
    parsed = None if src.headerless else _parse_time_label(colname)
    if parsed is not None:
        return (*parsed, colname)
    values = _numeric(src, colname)
    # clipped so that the median of two values near 1e308 cannot overflow
    if np.nanmedian(np.clip(values, -1e300, 1e300)) > 2.4e6:
        aavso = src.headerless and len(src.names) >= 14
        return ("JD" if aavso else None), 0.0, "JD"
    return None, 0.0, None


def _coordinates(src: _Source, coords, sel):
    """SkyCoord of the star and where it came from."""
    from astropy.coordinates import SkyCoord

    if coords is not None:
        if isinstance(coords, SkyCoord):
            return coords, "argument"
        try:
            ra, dec = (float(v) for v in coords)
            return SkyCoord(ra, dec, unit="deg"), "argument"
        except (TypeError, ValueError) as exc:
            msg = f"{src.where}: coords must be a SkyCoord or (ra_deg, dec_deg): {exc}"
            raise InputError(msg) from None
    ra_col, dec_col = _find(src, RA_NAMES), _find(src, DEC_NAMES)
    if ra_col and dec_col:
        ra, dec = _numeric(src, ra_col)[sel], _numeric(src, dec_col)[sel]
        ok = np.isfinite(ra) & np.isfinite(dec)
        if ok.any():
            ref = ra[ok][0]  # median around the first value, safe across RA = 0
            ra_med = (np.median((ra[ok] - ref + 180.0) % 360.0 - 180.0) + ref) % 360.0
            return SkyCoord(ra_med, np.median(dec[ok]), unit="deg"), f"columns {ra_col}, {dec_col}"
    if "RA_OBJ" in src.header and "DEC_OBJ" in src.header:
        coord = SkyCoord(float(src.header["RA_OBJ"]), float(src.header["DEC_OBJ"]), unit="deg")
        return coord, "FITS header RA_OBJ, DEC_OBJ"
    raise InputError(
        f"{src.where}: converting the time system needs the star's coordinates: "
        "pass coords=(ra_deg, dec_deg) or give RA and Dec columns"
    )


def _convert_time(t, offset, system, target, get_coord, where):
    """Convert times between geocentric JD, HJD (UTC) and BJD (TDB); coordinates on demand."""
    from astropy.coordinates import EarthLocation
    from astropy.time import Time
    from astropy.utils import iers

    target = str(target).upper()
    if target not in _SYSTEMS:
        raise InputError(f"{where}: to_time_system must be one of {_SYSTEMS}, got {target!r}")
    if system == target:
        return t, system, {"from": system, "to": target, "applied": False}
    if system is None:
        raise InputError(
            f"{where}: cannot convert to {target}: the file's time system is unknown; "
            "pass time_format= (e.g. 'jd' or 'hjd-2450000')"
        )
    coord, coord_from = get_coord()
    info = {
        "from": system,
        "to": target,
        "applied": True,
        "ra_deg": float(coord.icrs.ra.deg),
        "dec_deg": float(coord.icrs.dec.deg),
        "coords_from": coord_from,
        "method": "astropy Time.light_travel_time",
        "ephemeris": "builtin",
        "location": "geocenter",
        "scale": "tdb" if target == "BJD" else "utc",
    }
    geo = EarthLocation.from_geocentric(0.0, 0.0, 0.0, unit="m")
    good = np.isfinite(t)
    out = np.array(t, dtype=float)

    def ltt(when, kind):
        when = Time(when.utc, location=geo)
        when.delta_ut1_utc = 0.0  # irrelevant at the geocentre; avoids IERS look-ups
        return when.light_travel_time(coord, kind, ephemeris="builtin")

    with iers.conf.set_temp("auto_download", False), warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*(polar motion|dubious year|leap-second).*")
        given = Time(
            np.full(good.sum(), offset),
            t[good],
            format="jd",
            scale="tdb" if system == "BJD" else "utc",
        )
        geoc = given  # geocentric JD (UTC); for HJD/BJD input found by iteration
        kind = "barycentric" if system == "BJD" else "heliocentric"
        for _ in range(0 if system == "JD" else 2):
            geoc = (given - ltt(geoc, kind)).utc
        if target == "JD":
            result = geoc.utc
        elif target == "HJD":
            result = geoc.utc + ltt(geoc, "heliocentric")
        else:
            result = geoc.tdb + ltt(geoc, "barycentric")
        out[good] = (result.jd1 - offset) + result.jd2
    delta = out[good] - t[good]
    info.update(min_days=float(delta.min()), max_days=float(delta.max()))
    return out, target, info
