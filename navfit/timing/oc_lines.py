"""IBVS/CDS-style fixed-width lines of times of minima, written and read back.

:func:`minima_lines` writes the lines described by :data:`CDS_BYTE_BY_BYTE`
(with a header naming the time system and the ephemeris of the cycles);
:func:`read_minima` reads them back, or ECSV/CSV tables of minima.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..errors import InputError
from ..io_time import is_julian_date
from .common import BENIGN_FLAGS

__all__ = ["CDS_BYTE_BY_BYTE", "minima_lines", "read_minima", "text_column"]

#: Byte-by-byte description of the lines of :func:`minima_lines` (CDS ReadMe style).
CDS_BYTE_BY_BYTE = """\
Byte-by-byte Description of file: minima.dat
--------------------------------------------------------------------------------
   Bytes Format Units   Label   Explanations
--------------------------------------------------------------------------------
   1- 20  A20   ---     Name    Star name
  22- 34  F13.6 d       Tmin    Time of minimum, JD - 2400000 (time system in
                                 the header: BJD, HJD or JD)
  36- 44  F9.6  d     e_Tmin    1-sigma error of Tmin
  46- 47  A2    ---     Type    [I/II] Primary (I) or secondary (II) minimum
  49- 54  A6    ---     Filter  Passband
  56-120  A65   ---     Rem     Method (KvW = Kwee-van Woerden with Deeg's
                                 error, NAV = NAV-profile fit, poly =
                                 polynomial) and flags
--------------------------------------------------------------------------------
"""
_LABELS = {"kvw": "KvW", "nav": "NAV", "poly": "poly"}
_JD0 = 2400000.0


def text_column(col):
    """The values of a table column as an object array of ``str`` (masked and None: ``""``)."""
    out = []
    for v in col:
        if v is np.ma.masked or v is None:
            out.append("")
        else:
            out.append(v.decode() if isinstance(v, bytes) else str(v))
    return np.array(out, dtype=object)


def minima_lines(minima, *, name=None, band=None, header=True, flagged=False):
    """IBVS/CDS-style fixed-width lines of times of minima.

    Parameters
    ----------
    minima : astropy.table.Table
        :func:`navfit.times_of_minima` output (one row per minimum and method).
    name, band : str, optional
        Star name and passband (default: the table's meta).
    header : bool
        Start with ``#`` lines naming the time system and the columns.
    flagged : bool
        Also write flagged minima (their flags go into the remark); untimed
        rows are never written.

    Returns
    -------
    list of str
        One line per timed minimum and method, in the layout of
        :data:`CDS_BYTE_BY_BYTE`: ``Name, Tmin (JD - 2400000), e_Tmin, Type,
        Filter, Rem``. The header names the time system and the ephemeris of
        the cycle numbers (full JD), which :func:`read_minima` reads back.

    Raises
    ------
    InputError
        Times that are not Julian dates (a reduced time the reader could not
        recognise): the lines count ``Tmin`` from JD 2400000.
    """
    meta = minima.meta
    times = np.asarray(minima["time"], dtype=float)
    times = times[np.isfinite(times)]
    if times.size and not is_julian_date(float(np.median(times))):
        raise InputError(
            f"{meta.get('source') or meta.get('name') or 'minima'}: times near "
            f"{float(np.median(times)):.10g} are not Julian dates, and these lines count "
            "Tmin from JD 2400000: give the file's time format (time_format='bjd-2400000', "
            "or --time-format bjd-2400000 on the command line), or write ECSV or CSV"
        )
    name = str(name or meta.get("name") or "star")
    band = str(band or meta.get("band") or "-")
    system = meta.get("time_system") or "JD"
    out = []
    if header:
        out.append(f"# Times of minima of {name}; Tmin = {system} - 2400000 (d); navfit")
        if meta.get("period") and meta.get("epoch"):
            out.append(
                f"# Ephemeris: Min I = {float(meta['epoch']):.6f} + {float(meta['period']):.9f} E"
            )
        out.append("# Name                 Tmin         e_Tmin  Ty Filter Rem")
    flags = text_column(minima["flags"]) if "flags" in minima.colnames else [""] * len(minima)
    methods = text_column(minima["method"]) if "method" in minima.colnames else ["-"] * len(minima)
    for row, f, m in zip(minima, flags, methods, strict=True):
        t, e = float(row["time"]), float(row["time_err"])
        if not np.isfinite(t) or (
            f and not flagged and any(x not in BENIGN_FLAGS for x in f.split("; "))
        ):
            continue
        err = f"{e:9.6f}" if np.isfinite(e) and e < 100 else " " * 9
        rem = _LABELS.get(m, m) + (f"; {f}" if f else "")
        out.append(
            f"{name[:20]:<20s} {t - _JD0:13.6f} {err} {row['kind']:<2s} {band[:6]:<6s} {rem}"
        )
    return out


def read_minima(path):
    """Read times of minima: ECSV/CSV tables or the lines of :func:`minima_lines`.

    Returns
    -------
    astropy.table.Table
        ``time`` (full JD), ``time_err``, ``kind`` and, when present,
        ``cycle``, ``method``, ``flags``, with the file in ``meta["source"]``.

    Raises
    ------
    InputError
        A missing or unreadable file (named in the message).
    """
    from astropy.table import Table

    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: file not found")
    suffix = path.suffix.lower()
    try:
        if suffix == ".ecsv":
            table = Table.read(path, format="ascii.ecsv")
        elif suffix == ".csv":
            table = Table.read(path, format="ascii.csv")
        else:
            table = _read_lines(path)
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable file, one message
        raise InputError(f"{path}: not a table of minima ({' '.join(str(exc).split())})") from None
    table.meta["source"] = str(path)
    return table


def _read_lines(path):
    from astropy.table import Table

    rows, meta = [], {}
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("#"):
            if "Tmin =" in line and "Times of minima of" in line:
                meta["time_system"] = line.split("Tmin =")[1].split("-")[0].strip()
                meta["name"] = line.split("Times of minima of")[1].split(";")[0].strip()
            elif line.startswith("# Ephemeris: Min I ="):
                parts = line.split("=")[1].replace("E", " ").split("+")
                try:
                    meta["epoch"], meta["period"] = float(parts[0]), float(parts[1])
                except (ValueError, IndexError):
                    raise InputError(f"{path}: line {i}: unreadable ephemeris") from None
            continue
        if not line.strip():
            continue
        try:
            tmin = float(line[21:34]) + _JD0
            err = float(line[35:44]) if line[35:44].strip() else np.nan
        except ValueError:
            raise InputError(
                f"{path}: line {i} is not a minima line (Tmin in bytes 22-34, e_Tmin in 36-44)"
            ) from None
        kind = line[45:47].strip()
        rem = line[55:].strip()
        method, _, flags = rem.partition(";")
        label = {v: k for k, v in _LABELS.items()}.get(method.strip(), method.strip())
        rows.append((line[:20].strip(), tmin, err, kind, line[48:54].strip(), label, flags.strip()))
    if not rows:
        raise InputError(f"{path}: no minima lines")
    table = Table(rows=rows, names=("name", "time", "time_err", "kind", "band", "method", "flags"))
    table.meta.update(meta)
    return table
