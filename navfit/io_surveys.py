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
  than ``c`` (cyan) and ``o`` (orange) as ``other_filter``, and ``m <= 0`` (a
  negative or absurd flux written as a magnitude) as
  ``non_positive_magnitude``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .io_columns import cells, find
from .io_formats import Source

__all__ = [
    "SURVEY_FORMATS",
    "SurveyFormat",
    "detect_survey",
    "series_labels",
    "survey_bad_rows",
    "survey_roles",
]


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
        Column whose values label the series (``None``: one series).
    bands : tuple of str or None
        Bands kept; rows of other bands are dropped as ``other_filter``.
    positive_mag : bool
        Drop magnitudes ``<= 0`` as ``non_positive_magnitude``.
    """

    name: str
    required: tuple
    roles: dict = field(default_factory=dict)
    series: str | None = None
    bands: tuple | None = None
    positive_mag: bool = False


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
    ),
)


def detect_survey(src: Source) -> SurveyFormat | None:
    """The survey format whose columns the table has, or ``None``."""
    if src.headerless:
        return None
    names = {n.lower() for n in src.names}
    return next((f for f in SURVEY_FORMATS if set(f.required) <= names), None)


def survey_roles(src: Source, survey: SurveyFormat) -> dict:
    """Role -> actual column name (the table's spelling) for ``survey``."""
    return {role: find(src, [col]) for role, col in survey.roles.items()}


def survey_bad_rows(src: Source, survey: SurveyFormat, band_col: str, mag_col: str) -> dict:
    """Rows the survey's own codes reject, by reason (see the module docstring)."""
    n = len(src.table)
    bad = {}
    if survey.bands is not None:
        col = src.table[band_col]
        labels = np.array([str(v).strip() for v in np.asarray(col)], dtype=object)
        bad["other_filter"] = ~np.isin(labels, survey.bands)
    if survey.positive_mag:
        y = cells(src, mag_col)[0]
        with np.errstate(invalid="ignore"):
            bad["non_positive_magnitude"] = np.isfinite(y) & (y <= 0)
    return bad or {"other_filter": np.zeros(n, dtype=bool)}


def series_labels(src: Source, survey: SurveyFormat):
    """Series label of each row (``"oid <id>"``), or ``None`` for a format without series."""
    if survey.series is None:
        return None
    col = src.table[find(src, [survey.series])]
    return np.array([f"{survey.series} {v}" for v in np.asarray(col)], dtype=object)
