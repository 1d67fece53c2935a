"""Which column is what: time, magnitude or flux, error, band; missing-value markers.

Columns are found by name (:data:`TIME_NAMES`, :data:`MAG_NAMES` ...), by the
time-system labels astronomers write in headers (``BJD-2450000``, ``HJD``),
or by position in headerless files (time, magnitude, error first). Cells are
read with the survey sentinels (:data:`MAG_SENTINELS`, :data:`ERR_SENTINELS`),
impossible values (:data:`MAX_ABS_MAG`, :data:`MAX_MAG_ERROR`) and upper limits
(``>15.68``) recognised, so that :func:`bad_rows` can count each dropped row
under its reason. The SDSS Stripe 82 five-band layout is recognised here too.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import numpy as np

from ._checks import count_reasons
from .errors import InputError
from .io_formats import Source, declares_flux, is_number
from .lightcurve import TIME_OFFSETS

__all__ = [
    "BAND_CODES",
    "BAND_NAMES",
    "DEC_NAMES",
    "ERR_NAMES",
    "ERR_SENTINELS",
    "FLUX_NAMES",
    "MAG_NAMES",
    "MAG_SENTINELS",
    "MAX_ABS_MAG",
    "MAX_MAG_ERROR",
    "NULL_TOKENS",
    "RA_NAMES",
    "SDSS_UGRIZ",
    "SYSTEMS",
    "TIME_BASES",
    "TIME_NAMES",
    "bad_rows",
    "band_labels",
    "cells",
    "choose_columns",
    "column_named",
    "find",
    "is_sdss_ugriz",
    "numeric",
    "parse_time_label",
    "sdss_ugriz_band",
    "select_band",
]
# fmt: off
#: Column names recognised without being asked for (compared case-insensitively).
TIME_NAMES = ("time", "t")
MAG_NAMES = ("mag", "magnitude", "m", "v")
FLUX_NAMES = {"pdcsap": ("pdcsap_flux",), "sap": ("sap_flux",),
              None: ("pdcsap_flux", "flux", "sap_flux")}
ERR_NAMES = ("err", "error", "e_mag", "magerr", "mag_err", "sigma", "merr", "uncertainty",
             "flux_err", "e_flux", "pdcsap_flux_err", "sap_flux_err")
BAND_NAMES = ("band", "filter", "passband", "filtercode", "fid")
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
    r"^(?P<base>[bh]?m?jd|rjd|btjd|bkjd)(?:[_ ]?(?:tdb|utc|tt|tcb))?(?:\s*-\s*(?P<off>\d+(?:\.\d*)?))?$"
)
SYSTEMS = ("JD", "HJD", "BJD")


# ----------------------------------------------------------------------------- columns
def _lookup(src: Source, spec, role: str) -> str:
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


def column_named(src: Source, spec, role: str) -> str:
    """The column ``spec`` (a name, any case, or a 0-based index) names; InputError else."""
    return _lookup(src, spec, role)


def find(src: Source, candidates, used=()) -> str | None:
    """The first column named like one of ``candidates`` (any case), not among ``used``."""
    lower = {n.lower(): n for n in src.names if n not in used}
    return next((lower[c.lower()] for c in candidates if c.lower() in lower), None)


def _is_numberish(text: str) -> bool:
    """A number, a limit such as ``<12.5`` or a null token: what a numeric column may hold."""
    return is_number(text) or bool(_LIMIT_RE.match(text)) or text.lower() in NULL_TOKENS


def _numeric_like(col) -> bool:
    if col.dtype.kind in "biuf":
        return True
    vals = [str(v).strip() for v in np.ma.compressed(np.ma.asarray(col)) if str(v).strip()]
    vals = [v for v in vals if v.lower() not in NULL_TOKENS]
    return bool(vals) and sum(map(_is_numberish, vals)) >= 0.5 * len(vals)


def choose_columns(src, time, mag, err, flux, quality, band_col, flux_kind) -> dict:
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
    named = [(role, col) for role, col in roles.items() if role != "is_flux"]
    for i, (role, col) in enumerate(named):
        twice = [other for other, c in named[i + 1 :] if c == col]
        if twice:
            raise InputError(f"{where}: column {col!r} is given both as {role} and as {twice[0]}")
    if quality is not False and quality is not None:
        roles["quality"] = _lookup(src, quality, "quality")
    elif quality is None:
        roles["quality"] = find(src, ["quality"])
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
        if mag is None and flux is None and declares_flux(src.column_comment):
            roles["is_flux"] = True  # the file's comment says so (``# BJD  norm. flux``)
        nxt = names.index(roles["y"]) + 1
        if "dy" not in roles and nxt < len(names) and names[nxt] in numeric:
            roles["dy"] = names[nxt]
        if "band" not in roles:
            roles["band"] = _band_column(src, roles.get("dy") or roles["y"], roles.values())
        return roles
    roles.setdefault("time", _find_time(src))
    if "y" not in roles:
        roles["y"] = find(src, MAG_NAMES, roles.values())
        if roles["y"] is None:
            roles["y"], roles["is_flux"] = _find_flux(src, flux_kind), True
    if roles["time"] is None or roles["y"] is None:
        missing = "time" if roles["time"] is None else "magnitude or flux"
        raise InputError(
            f"{where}: cannot tell which column is the {missing}; columns found: "
            f"{names}. Name them: time=, mag= or flux= (on the command line --time, "
            "--mag or --flux)"
        )
    if "dy" not in roles:
        y = roles["y"]
        own = [f"{y}_err", f"e_{y}", f"{y}err", f"{y}_error", f"sigma_{y}"]
        roles["dy"] = find(src, own + list(ERR_NAMES), roles.values())
    roles.setdefault("band", find(src, BAND_NAMES, roles.values()))
    return roles


def _find_time(src: Source) -> str | None:
    parsed = {n: _TIME_RE.match(n.strip().lower()) for n in src.names}
    for base in TIME_BASES:
        hit = next((n for n, m in parsed.items() if m and m.group("base") == base), None)
        if hit:
            return hit
    return find(src, TIME_NAMES)


def _find_flux(src: Source, flux_kind) -> str | None:
    kind = None if flux_kind is None else str(flux_kind).lower()
    for cand in FLUX_NAMES[kind]:
        hit = find(src, [cand])
        if hit and np.isfinite(numeric(src, hit)).any():
            return hit
    return None


def numeric(src: Source, colname: str) -> np.ndarray:
    """Column as float64 with NaN for null cells; name the first non-numeric row."""
    return cells(src, colname)[0]


def cells(src: Source, colname: str, limits: bool = False):
    """``(values, null, limit)`` of a column: float64 values, missing cells, limits.

    The cells the file marks as missing and, with ``limits``, the limits such as
    ``<12.5`` (AAVSO fainter-than estimates).

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
        # a plain array: the arithmetic of the row checks on an astropy Column is slow
        values = np.asarray(np.ma.filled(np.ma.asarray(col, dtype=float), np.nan))
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


def _fits_tnull(src: Source, colname: str):
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


def bad_rows(t, t_null, y, y_null, y_limit, dy, is_mag: bool) -> dict:
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


def is_sdss_ugriz(src: Source) -> bool:
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


def sdss_ugriz_band(src: Source, band, min_points: int):
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
        t, t_null, _ = cells(src, f"mjd_{b}")
        y, y_null, y_limit = cells(src, b)
        dy = cells(src, f"err_{b}")[0]
        keep = count_reasons(bad_rows(t, t_null, y, y_null, y_limit, dy, True), {})
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


def _band_column(src: Source, after: str, used) -> str | None:
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


def band_labels(src: Source, colname: str):
    """Band label of every row (``""`` where missing) and the rows per band, most first."""
    col = src.table[colname]
    mask = np.ma.getmaskarray(col)
    labels = ["" if m else str(v).strip() for v, m in zip(np.asarray(col), mask, strict=True)]
    found = dict(Counter(lab for lab in labels if lab).most_common())
    if not found:
        raise InputError(f"{src.where}: band column {colname!r} is empty")
    return np.array(labels, dtype=object), found


def select_band(src: Source, colname: str, band):
    """Rows of the requested band (default: the most common one) and the band counts."""
    labels, found = band_labels(src, colname)
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
    return chosen, labels == chosen, found


# ----------------------------------------------------------------------------- time
def parse_time_label(label: str):
    """(system, offset) for a time format label, or None if it is not one."""
    text = label.strip().lower()
    if text == "phase":
        return None, 0.0
    hit = _TIME_RE.match(text)
    if not hit:
        return None
    system, offset = TIME_BASES[hit.group("base")]
    return system, offset + (float(hit.group("off")) if hit.group("off") else 0.0)
