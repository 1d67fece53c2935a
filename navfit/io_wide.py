"""Wide tables: one row per epoch, a (time, magnitude, error) column group per band.

Survey extracts often write every band of an epoch on one row:
``mjd_u mag_u err_u mjd_g mag_g err_g ...`` (a time per band), or one shared
time column with ``mag_<band>`` and ``err_<band>``. :func:`wide_columns` finds
such groups by their names; :func:`to_long` turns the table into the long form
(one row per band and epoch, with a ``band`` column) that the reader handles
like any band column, so that every band is kept with its counts of dropped
rows. The SDSS Stripe 82 five-band files (:data:`navfit.io_columns.SDSS_UGRIZ`)
are the headerless case of the same layout.
"""

from __future__ import annotations

import re

import numpy as np

from .errors import InputError
from .io_columns import (
    DEC_NAMES,
    MAG_NAMES,
    RA_NAMES,
    TIME_BASES,
    TIME_NAMES,
    cells,
    find,
    parse_time_label,
)
from .io_formats import Source

__all__ = ["WIDE", "to_long", "wide_columns"]

#: ``meta["layout"]`` of a wide table read whole.
WIDE = "wide table"
_TIME_PREFIXES = tuple(TIME_BASES) + TIME_NAMES
_MAG_RE = re.compile(
    r"^(?:mag|m)_(?P<band>[A-Za-z][A-Za-z0-9]*)$|^(?P<band2>[A-Za-z][A-Za-z0-9]*)_?mag$"
)
_NOT_BANDS = frozenset(("err", "error", "sigma", "e", "unc", "aper", "auto", "psf", "iso", "zp"))


def _band_of_mag(name: str) -> str | None:
    hit = _MAG_RE.match(name.strip())
    if not hit:
        return None
    band = hit.group("band") or hit.group("band2")
    return None if band.lower() in _NOT_BANDS else band


def wide_columns(src: Source) -> dict:
    """Band -> ``{"time", "y", "dy"}`` column names of a wide table, or ``{}``.

    A band is a column ``mag_<b>`` (also ``m_<b>``, ``<b>_mag``, ``<b>mag``);
    its error ``err_<b>``, ``e_<b>``, ``magerr_<b>``, ``<b>_err`` or ``e_``
    and the magnitude's name (``e_Vmag``, VizieR's style; none: no error); its time ``<t>_<b>`` with ``<t>`` a time
    name (``mjd``, ``hjd``, ``bjd``, ``jd``, ``time``, ``t`` ...), else the
    one time column without a band (the reader's usual choice). A table is
    wide when at least two bands are found and no plain magnitude column
    (``mag``, ``m`` ...) exists.
    """
    if src.headerless or find(src, MAG_NAMES) is not None:
        return {}
    bands = {}
    for name in src.names:
        band = _band_of_mag(name)
        if band is not None:
            bands[band] = name
    if len(bands) < 2:
        return {}
    groups = {}
    for band, mag in bands.items():
        errs = [f"err_{band}", f"e_{band}", f"magerr_{band}", f"{band}_err", f"e_{mag}"]
        times = [f"{base}_{band}" for base in _TIME_PREFIXES]
        groups[band] = {"time": find(src, times), "y": mag, "dy": find(src, errs)}
    if any(g["time"] is None for g in groups.values()):
        used = {c for g in groups.values() for c in g.values() if c}
        time = _shared_time(src, used)
        if time is None:
            missing = [b for b, g in groups.items() if g["time"] is None]
            raise InputError(
                f"{src.where}: wide table with bands {list(groups)} but no time column "
                f"for {missing}; pass time= and mag= to read one band"
            )
        for g in groups.values():
            g["time"] = g["time"] or time
    return groups


def _shared_time(src: Source, used) -> str | None:
    """The time column outside the band groups: a time-format name (bjd first), else ``time``."""
    names = [n for n in src.names if n not in used]
    timelike = [n for n in names if n.strip().lower() != "phase" and parse_time_label(n)]
    for base in TIME_BASES:
        hit = next((n for n in timelike if n.strip().lower().startswith(base)), None)
        if hit:
            return hit
    lower = {n.lower(): n for n in names}
    return next((lower[c] for c in TIME_NAMES if c in lower), None)


def to_long(src: Source, groups: dict, layout: str = WIDE) -> Source:
    """The wide table as a long one: columns ``time``, ``mag``, ``err``, ``band`` (+ RA, Dec).

    Row ``k`` of band ``b`` keeps file line ``k``; the time column is named
    after the first band's (``mjd_u`` -> ``mjd``) so that its format is read
    from the name.
    """
    from astropy.table import MaskedColumn, Table

    n = len(src.table)
    first = next(iter(groups.values()))["time"]
    base = first.rsplit("_", 1)[0] if "_" in first else first
    cols = {base: [], "mag": [], "err": [], "band": []}
    limits = False
    for band, g in groups.items():
        for key, role in ((base, "time"), ("mag", "y"), ("err", "dy")):
            if g[role] is None:
                cols[key].append((np.full(n, np.nan), np.ones(n, dtype=bool), None))
                continue
            values, null, limit = cells(src, g[role], limits=role == "y")
            limits |= bool(limit.any())
            cols[key].append((values, null, limit))
        cols["band"].append(np.full(n, band, dtype=object))
    table = Table()
    table["band"] = np.concatenate(cols.pop("band")).astype(str)
    for key, parts in cols.items():
        values = np.concatenate([p[0] for p in parts])
        null = np.concatenate([p[1] for p in parts])
        if key == "mag" and limits:  # keep ">15.68" as text so that it counts as a limit
            texts = [np.asarray(src.table[g["y"]]).astype(str) for g in groups.values()]
            limit = np.concatenate([p[2] for p in parts])
            text = np.where(limit, np.char.strip(np.concatenate(texts)), values.astype(str))
            table[key] = MaskedColumn(np.where(null, "", text), mask=null)
        else:
            table[key] = MaskedColumn(values, mask=null)
    for names in (RA_NAMES, DEC_NAMES):
        col = find(src, names)
        if col is not None:
            table[col] = np.tile(np.asarray(cells(src, col)[0]), len(groups))
    lines = None if src.lines is None else list(src.lines) * len(groups)
    return Source(table, src.where, src.fmt, False, lines, src.header, src.encoding, layout)
