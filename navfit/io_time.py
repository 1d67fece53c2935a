"""Time systems of photometry files: the label, the offset and conversions.

:func:`time_format` tells the system (JD, HJD, BJD) and offset (full JD = value
+ offset) of the chosen time column from the file's metadata (Kepler/TESS FITS
keywords), the column label or the values; :func:`convert_time` converts to
another system with astropy (light-travel time to the Sun or the barycentre
needs the star's position, from :func:`coordinates`).
"""

from __future__ import annotations

import warnings

import numpy as np

from .errors import InputError, NavfitWarning
from .io_columns import DEC_NAMES, RA_NAMES, SDSS_UGRIZ, SYSTEMS, find, numeric, parse_time_label
from .io_formats import Source
from .lightcurve import TIME_OFFSETS

__all__ = [
    "JD_RANGE",
    "as_skycoord",
    "check_declared_format",
    "convert_time",
    "coordinates",
    "declared_format",
    "is_julian_date",
    "tcb_to_tdb",
    "time_scale_of",
    "time_system_of",
    "warn_if_phases",
]


def warn_if_phases(t, where, column):
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


#: Julian dates a photometric time can hold: from the first photographic photometry
#: (JD 2.39e6, 1831) to JD 2.5e6 (2132). Times read with their format's offset beyond
#: these are in another format than the one declared.
JD_RANGE = (2.39e6, 2.5e6)


def is_julian_date(value) -> bool:
    """Whether a full date (value + offset) lies in :data:`JD_RANGE`."""
    return bool(JD_RANGE[0] <= value <= JD_RANGE[1])


def check_declared_format(t, system, offset, label, where) -> str | None:
    """Check times as read against their declared or recognised format (``label``).

    Beyond :data:`JD_RANGE` above (a column called ``mjd`` that holds full
    Julian dates, JD 4.8e6, or ``time_format="bjd-2450000"`` on full dates):
    :class:`~navfit.errors.InputError`, since every epoch would be off by
    millions of days. Below (a full-date label such as ``hjd`` on reduced
    values): the text of a warning is returned (periods stay right, but the
    epochs are not full Julian dates, and no time system can be converted);
    ``None`` when the dates are in range or no format was declared.
    """
    finite = t[np.isfinite(t)]
    if label is None or finite.size == 0:
        return None
    median = float(np.median(np.clip(finite, -1e300, 1e300)))  # two values near 1e308 overflow
    full = median + offset
    if is_julian_date(full):
        return None
    text = (
        f"{where}: times read as {label!r} ({system or 'system unknown'}, full JD = value "
        f"+ {offset:g}) give Julian dates near {full:.8g}, outside the range of photometry "
        f"(JD {JD_RANGE[0]:.3g} to {JD_RANGE[1]:.3g})"
    )
    if full > JD_RANGE[1]:
        hint = "the values are full Julian dates already? give time_format='jd', 'hjd' or 'bjd'"
        raise InputError(f"{text}: {hint}")
    return (
        f"{text}: reduced dates? give their offset (e.g. time_format='hjd-2400000', 'mjd' or "
        "'bjd-2450000'); the epochs are otherwise not full Julian dates"
    )


def declared_format(t, system, offset, label, to_time_system, where) -> None:
    """:func:`check_declared_format`, its warning, and no conversion of reduced dates.

    A conversion to HJD or BJD (``to_time_system``) needs the date (the
    Sun's and the Earth's positions); reduced dates of unknown offset would
    get the correction of another era, so it is refused.
    """
    note = check_declared_format(t, system, offset, label, where)
    if note and to_time_system is not None:
        raise InputError(f"{note}; no conversion to {to_time_system} made")
    if note:
        warnings.warn(note, NavfitWarning, stacklevel=3)


def time_system_of(src: Source, colname: str, override):
    """(time_system, time_offset, label) for the chosen time column."""
    if override is not None:
        parsed = parse_time_label(str(override))
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
    parsed = None if src.headerless else parse_time_label(colname)
    if parsed is not None:
        return (*parsed, colname)
    values = numeric(src, colname)
    values = values[np.isfinite(values)]  # a column of no finite time is refused later
    # clipped so that the median of two values near 1e308 cannot overflow
    if values.size and np.median(np.clip(values, -1e300, 1e300)) > 2.4e6:
        aavso = src.headerless and len(src.names) >= 14
        return ("JD" if aavso else None), 0.0, "JD"
    return None, 0.0, None


def as_skycoord(coords, where: str):
    """A SkyCoord from a SkyCoord or ``(ra_deg, dec_deg)``; InputError naming ``where`` else."""
    from astropy.coordinates import SkyCoord

    if isinstance(coords, SkyCoord):
        return coords
    try:
        ra, dec = (float(v) for v in coords)
        return SkyCoord(ra, dec, unit="deg")
    except (TypeError, ValueError) as exc:
        msg = f"{where}: coords must be a SkyCoord or (ra_deg, dec_deg): {exc}"
        raise InputError(msg) from None


def time_scale_of(label) -> str | None:
    """``"TCB"`` for a time-format label naming the TCB scale (``"bjd_tcb-2455197.5"``)."""
    return "TCB" if label is not None and "tcb" in str(label).lower() else None


def tcb_to_tdb(t, offset: float):
    """Barycentric times in TCB to TDB (Gaia's ``time``); values relative to ``offset``.

    A change of time scale at the same place (the barycentre), so no coordinates
    are needed: TCB - TDB grows by 1.55e-8 s per s since 1977 (about 19 s in
    2015; IAU 2006 resolution B3), done by `astropy.time.Time` with the times as
    two-part Julian dates, so float64 precision is kept. Returns
    ``(t_tdb, info)``.
    """
    from astropy.time import Time

    good = np.isfinite(t)
    out = np.array(t, dtype=float)
    tdb = Time(np.full(good.sum(), offset), out[good], format="jd", scale="tcb").tdb
    out[good] = (tdb.jd1 - offset) + tdb.jd2
    shift = out[good] - np.asarray(t, dtype=float)[good]
    info = {"from": "TCB", "to": "TDB", "method": "astropy Time tcb -> tdb"}
    if shift.size:
        info.update(min_days=float(shift.min()), max_days=float(shift.max()))
    return out, info


def coordinates(src: Source, coords, sel):
    """SkyCoord of the star and where it came from."""
    from astropy.coordinates import SkyCoord

    if coords is not None:
        return as_skycoord(coords, src.where), "argument"
    ra_col, dec_col = find(src, RA_NAMES), find(src, DEC_NAMES)
    if ra_col and dec_col:
        ra, dec = numeric(src, ra_col)[sel], numeric(src, dec_col)[sel]
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


def convert_time(t, offset, system, target, get_coord, where):
    """Convert times between geocentric JD, HJD (UTC) and BJD (TDB); coordinates on demand."""
    from astropy.coordinates import EarthLocation
    from astropy.time import Time
    from astropy.utils import iers

    target = str(target).upper()
    if target not in SYSTEMS:
        raise InputError(f"{where}: to_time_system must be one of {SYSTEMS}, got {target!r}")
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
