"""Survey download formats recognised by their headers, and the rows their flags reject.

A table whose column names contain every column of a :data:`SURVEY_FORMATS`
entry is read by that entry's recipe: the columns of each role, the column
whose values name a *series* (a ZTF object id: one per field, CCD and
quadrant, each with its own zero point), and the rows the survey marks as
bad, counted per reason in ``meta["dropped"]``:

* ``IRSA ZTF light curve``, the CSV of the IRSA ZTF light-curve API (Masci
  et al. 2019, PASP 131, 018003): time ``hjd`` (full heliocentric JD at
  mid-exposure), ``mag``, ``magerr``, band ``filtercode`` (zg, zr, zi), one
  series per ``oid``; rows with ``catflags != 0`` are dropped as ``quality``
  (ZTF's recommendation).
* ``ATLAS forced photometry``, the output of the ATLAS forced-photometry
  server (Tonry et al. 2018, PASP 130, 064505; Shingles et al. 2021, TNS
  AstroNote 2021-7): time ``MJD`` (no heliocentric correction), ``m``, ``dm``,
  band ``F``; rows with ``err != 0`` are dropped as ``quality``, filters other
  than ``c`` (cyan) and ``o`` (orange) as ``other_filter``, ``m <= 0`` (a
  negative or absurd flux written as a magnitude) as
  ``non_positive_magnitude``, a flux error ``duJy`` of 0 as
  ``non_positive_error``, and fluxes ``uJy`` below three times their
  error ``duJy`` as ``upper_limit``: forced photometry measures a flux at the
  star's position in every exposure, and below 3 sigma it is no detection
  (exposures without a usable image give fluxes of +-1e10 uJy whose "magnitudes"
  are 0-3).
* ``ASAS-SN Sky Patrol``, the CSV of the ASAS-SN Sky Patrol (v1) light-curve
  server (Shappee et al. 2014, ApJ 788, 48; Kochanek et al. 2017, PASP 129,
  104502): time ``HJD`` (full heliocentric JD), ``mag``, ``mag_err``, band
  ``Filter`` (V, g); one series per camera within a band (``"V camera bb"``:
  each camera has its own zero point). Upper limits are written in ``mag`` as
  ``>15.680`` with ``mag_err`` 99.99; they are dropped as ``upper_limit``.
* ``Catalina CRTS``, the CSV of the Catalina Surveys data releases (Drake et
  al. 2009, ApJ 696, 870): ``MasterID, Mag, Magerr, RA, Dec, MJD, Blend``;
  time ``MJD`` (UTC, no heliocentric correction stated: read as geocentric
  JD), band :data:`CRTS_BAND` (unfiltered, V-calibrated). ``Blend`` is the
  "blending flag" of the CRTS short output format (Catalina Surveys DR2
  multi-object search, "Output format"): the detection was blended with a
  neighbour in the SExtractor aperture photometry, which the CRTS FAQ calls
  inaccurate for blended sources; such rows carry a neighbour's light, so
  they are dropped and counted as ``blended``, not silently mixed in.
* ``Gaia DR3 epoch photometry``, the archive's DataLink ``EPOCH_PHOTOMETRY``
  table (VOTable, CSV or ECSV; :mod:`navfit.io_gaia`): time ``time``
  (BJD(TCB) - 2455197.5 d, converted to BJD(TDB)), magnitudes ``mag`` or from
  ``flux`` with the DR3 zero points, errors from ``flux_error``, band ``band``
  (G, BP, RP); rows with ``rejected_by_photometry`` or
  ``rejected_by_variability`` true dropped under those names.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .io_columns import cells, find
from .io_formats import Source
from .io_gaia import ERR_COLUMN, MAG_COLUMN, gaia_bad_rows, prepare_gaia

__all__ = [
    "CRTS_BAND",
    "SURVEY_FORMATS",
    "SurveyFormat",
    "detect_survey",
    "series_labels",
    "survey_bad_rows",
    "survey_roles",
]

#: Band name of Catalina (CRTS) photometry: unfiltered, calibrated to V (Drake et al. 2013).
CRTS_BAND = "V_CSS"


@dataclass(frozen=True)
class SurveyFormat:
    """How to read one survey's download format.

    Attributes
    ----------
    name : str
        Label stored in ``meta["layout"]``.
    required : tuple of str
        Column names (any case) that identify the format.
    roles : dict
        Role (``time``, ``y``, ``dy``, ``band``, ``quality``) -> column name.
    series : str or None
        Column whose values label the series (``None``: one series per band).
    series_with_band : bool
        Prefix the series label with the row's band (a camera that observed
        in two bands is two series).
    bands : tuple of str or None
        Bands kept; rows of other bands are dropped as ``other_filter``.
    band : str or None
        Band of every row, for a format without a band column.
    positive_mag : bool
        Drop magnitudes ``<= 0`` as ``non_positive_magnitude``.
    flags : tuple of (str, str)
        ``(column, reason)``: rows whose flag is true or nonzero are dropped and
        counted under ``reason``.
    time_format : str or None
        Time format of the time column (as ``time_format=`` of the reader), when
        its name does not tell.
    prepare : callable or None
        ``prepare(src)`` adds derived columns before the roles are looked up.
    extra_bad : callable or None
        ``extra_bad(src)`` -> ``{reason: rows}`` of further rows to drop.
    """

    name: str
    required: tuple
    roles: dict = field(default_factory=dict)
    series: str | None = None
    series_with_band: bool = False
    bands: tuple | None = None
    band: str | None = None
    positive_mag: bool = False
    flags: tuple = ()
    time_format: str | None = None
    prepare: Callable | None = None
    extra_bad: Callable | None = None


#: Signal-to-noise ratio of a forced-photometry flux below which it is no detection.
MIN_DETECTION_SNR = 3.0


def atlas_bad_rows(src: Source) -> dict:
    """ATLAS rows without a flux error, then fluxes below 3 sigma (no detection).

    Reasons ``non_positive_error`` (``duJy <= 0``) and ``upper_limit``
    (``uJy`` below :data:`MIN_DETECTION_SNR` times ``duJy``).

    A flux "measured" with an error of 0 uJy is no measurement: DDE 60 has one,
    2 +- 0 uJy with a PSF fit of chi/N = 388,260, written as 22.9 mag.
    """
    flux = cells(src, find(src, ["uJy"]))[0]
    error = cells(src, find(src, ["duJy"]))[0]
    with np.errstate(invalid="ignore"):
        return {
            "non_positive_error": ~(error > 0),
            "upper_limit": ~(flux >= MIN_DETECTION_SNR * error),
        }


#: The formats recognised, in the order they are tried.
SURVEY_FORMATS = (
    SurveyFormat(
        "IRSA ZTF light curve",
        ("oid", "hjd", "mjd", "mag", "magerr", "catflags", "filtercode"),
        {"time": "hjd", "y": "mag", "dy": "magerr", "band": "filtercode", "quality": "catflags"},
        series="oid",
    ),
    SurveyFormat(
        "ATLAS forced photometry",
        ("mjd", "m", "dm", "ujy", "dujy", "f", "err"),
        {"time": "MJD", "y": "m", "dy": "dm", "band": "F", "quality": "err"},
        bands=("c", "o"),
        positive_mag=True,
        extra_bad=atlas_bad_rows,
    ),
    SurveyFormat(
        "ASAS-SN Sky Patrol",
        ("hjd", "ut date", "camera", "fwhm", "limit", "mag", "mag_err", "flux(mjy)", "filter"),
        {"time": "HJD", "y": "mag", "dy": "mag_err", "band": "Filter"},
        series="camera",
        series_with_band=True,
    ),
    SurveyFormat(
        "Catalina CRTS",
        ("masterid", "mag", "magerr", "ra", "dec", "mjd", "blend"),
        {"time": "MJD", "y": "Mag", "dy": "Magerr"},
        band=CRTS_BAND,
        flags=(("blend", "blended"),),
    ),
    SurveyFormat(
        "Gaia DR3 epoch photometry",
        (
            "source_id",
            "transit_id",
            "band",
            "time",
            "flux",
            "flux_error",
            "rejected_by_photometry",
            "rejected_by_variability",
        ),
        {"time": "time", "y": MAG_COLUMN, "dy": ERR_COLUMN, "band": "band"},
        flags=(
            ("rejected_by_photometry", "rejected_by_photometry"),
            ("rejected_by_variability", "rejected_by_variability"),
        ),
        time_format="bjd_tcb-2455197.5",
        prepare=prepare_gaia,
        extra_bad=gaia_bad_rows,
    ),
)


def detect_survey(src: Source) -> SurveyFormat | None:
    """The survey format whose columns the table has, or ``None``."""
    if src.headerless:
        return None
    names = {n.lower() for n in src.names}
    return next((f for f in SURVEY_FORMATS if set(f.required) <= names), None)


def survey_roles(src: Source, survey: SurveyFormat) -> dict:
    """Role -> actual column name (the table's spelling) for ``survey``.

    The format's ``prepare`` step (derived columns, such as Gaia magnitudes
    from fluxes) runs first.
    """
    if survey.prepare is not None:
        survey.prepare(src)
    return {role: find(src, [col]) for role, col in survey.roles.items()}


def _flag_set(src: Source, colname: str) -> np.ndarray:
    """Rows whose flag is set: true, nonzero, or a text ``true``/``t``/``yes``/nonzero number."""
    col = src.table[colname]
    mask = np.ma.getmaskarray(col)
    if col.dtype.kind in "biuf":
        values = np.ma.filled(np.ma.asarray(col, dtype=float), 0.0)
        return ~mask & (np.nan_to_num(values) != 0)
    out = np.zeros(len(col), dtype=bool)
    for i, value in enumerate(np.asarray(col)):
        text = (value.decode() if isinstance(value, bytes) else str(value)).strip().lower()
        try:
            out[i] = not mask[i] and (text in ("true", "t", "yes", "y") or float(text) != 0)
        except ValueError:
            out[i] = False  # "false", "f", "no", empty
    return out


def survey_bad_rows(src: Source, survey: SurveyFormat, band_col, mag_col: str) -> dict:
    """Rows the survey's own codes reject, by reason (see the module docstring)."""
    n = len(src.table)
    bad = {}
    for column, reason in survey.flags:
        bad[reason] = _flag_set(src, find(src, [column]))
    if survey.bands is not None:
        col = src.table[band_col]
        labels = np.array([str(v).strip() for v in np.asarray(col)], dtype=object)
        bad["other_filter"] = ~np.isin(labels, survey.bands)
    if survey.positive_mag:
        y = cells(src, mag_col)[0]
        with np.errstate(invalid="ignore"):
            bad["non_positive_magnitude"] = np.isfinite(y) & (y <= 0)
    if survey.extra_bad is not None:
        bad.update(survey.extra_bad(src))
    return bad or {"other_filter": np.zeros(n, dtype=bool)}


def series_labels(src: Source, survey: SurveyFormat, band_col=None):
    """Series label of each row (``"oid <id>"``, ``"V camera bb"``), or ``None``.

    ``None`` for a format without series (one series per band).
    """
    if survey.series is None:
        return None
    col = src.table[find(src, [survey.series])]
    labels = [f"{survey.series} {str(v).strip()}" for v in np.asarray(col)]
    if survey.series_with_band and band_col is not None:
        bands = [str(v).strip() for v in np.asarray(src.table[band_col])]
        labels = [f"{b} {lab}" for b, lab in zip(bands, labels, strict=True)]
    return np.array(labels, dtype=object)
