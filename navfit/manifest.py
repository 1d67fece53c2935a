"""Light-curve collections described by a ``catalog.csv`` (the shared real data, ``data/``).

A catalogue lists one light curve per row: ``file``, ``object``, ``type``,
``period``, ``epoch`` and the ``time_column``, ``mag_column``, ``err_column``
and ``time_system`` needed to read it. Entries whose columns are given as
0-based integers are read by index.

Entries with ``time_system`` ``phase`` are phase-folded files (phase-binned light
curves without times): they are read as phased light curves
(:class:`~navfit.LightCurve` with ``time_system == "phase"``) with the row's
``period`` attached. Their phase column defaults to the first column and the
value column to the second; the value is read as a flux (converted to
magnitudes) when the optional ``flux_column`` is given, or when no
``mag_column`` is given and the row's ``notes`` describe the values as flux.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
from astropy.table import Table

from .errors import InputError
from .io import read_lightcurve
from .lightcurve import LightCurve

__all__ = ["default_lightcurves_dir", "load_entry", "read_catalog"]

_SYSTEM_RE = re.compile(r"\b(BJD|HJD|MJD|JD)(\s*-\s*\d+)?", re.IGNORECASE)


def default_lightcurves_dir() -> Path:
    """``$NAVFIT_LIGHTCURVES``, else ``../shared/lightcurves`` next to the repository."""
    env = os.environ.get("NAVFIT_LIGHTCURVES")
    if env:
        return Path(env).resolve()
    return (Path(__file__).resolve().parents[1] / ".." / "shared" / "lightcurves").resolve()


def read_catalog(folder=None) -> Table:
    """Read ``folder/catalog.csv`` as an astropy Table (masked cells become empty strings/NaN)."""
    folder = Path(folder) if folder is not None else default_lightcurves_dir()
    path = folder / "catalog.csv"
    if not path.is_file():
        raise InputError(f"{path}: catalogue not found")
    tab = Table.read(path, format="ascii.csv")
    tab.meta["folder"] = str(folder)
    return tab


def _column(value):
    if value is None or np.ma.is_masked(value) or str(value).strip() == "":
        return None
    text = str(value).strip()
    return int(text) if text.isdigit() else text


def _time_format(system) -> str | None:
    if system is None or np.ma.is_masked(system):
        return None
    match = _SYSTEM_RE.search(str(system))
    if not match:
        return None
    return (match.group(1) + (match.group(2) or "").replace(" ", "")).lower()


def _is_phase(system) -> bool:
    return (
        system is not None
        and not np.ma.is_masked(system)
        and str(system).strip().lower() == "phase"
    )


def _value(x) -> float | None:
    if x is None or np.ma.is_masked(x):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


def _phased_args(row, folder, args) -> dict:
    """Reader arguments of a phase-folded entry: phase and value columns, flux, period."""
    where = folder / str(row["file"])
    period = _value(row["period"])
    if period is None or period <= 0:
        raise InputError(
            f"{where}: phase-folded entry without a period: the catalogue's period "
            "column must give it (phased data cannot yield a period)"
        )
    flux = _column(row["flux_column"]) if "flux_column" in row.colnames else None
    notes = row["notes"] if "notes" in row.colnames else None
    notes = "" if notes is None or np.ma.is_masked(notes) else str(notes).lower()
    out = {
        "time": 0 if args["time"] is None else args["time"],
        "time_format": "phase",
        "period": period,
    }
    if flux is None and args["mag"] is None and "flux" in notes:
        flux = 1
    if flux is not None:
        out.update({"flux": flux, "mag": None})
    elif args["mag"] is None:
        out["mag"] = 1
    return out


def load_entry(row, folder=None, **kwargs) -> tuple[LightCurve, dict]:
    """Read the light curve of one catalogue row.

    Parameters
    ----------
    row : astropy.table.Row or dict
        A row of :func:`read_catalog`.
    folder : path, optional
        Folder of the files (default: the catalogue's folder or
        :func:`default_lightcurves_dir`).
    **kwargs
        Passed to :func:`navfit.read_lightcurve` (override the catalogue).

    Returns
    -------
    lc : LightCurve
    info : dict
        ``file, object, type, period, epoch`` (``None`` when not given).

    Raises
    ------
    InputError
        Unreadable files; phase-folded entries (``time_system == "phase"``)
        without a period.

    Notes
    -----
    A phase-folded entry gives a phased light curve with the catalogue period
    attached (``lc.phased``, ``lc.period``): analyse it with
    ``navfit.analyze(lc)``, which fits at that period without a period search.
    """
    if folder is None:
        folder = getattr(row, "meta", {}).get("folder") if hasattr(row, "meta") else None
        folder = Path(folder) if folder else default_lightcurves_dir()
    folder = Path(folder)
    system = row["time_system"] if "time_system" in row.colnames else None
    args = {
        "time": _column(row["time_column"]),
        "mag": _column(row["mag_column"]) if "mag_column" in row.colnames else None,
        "err": _column(row["err_column"]) if "err_column" in row.colnames else None,
        "time_format": _time_format(system),
        "name": str(row["object"]),
    }
    if _time_format(system) is None and _is_phase(system):
        args.update(_phased_args(row, folder, args))
    args.update(kwargs)
    lc = read_lightcurve(folder / str(row["file"]), **args)
    if lc.multiband and args.get("band") is None:
        # a curated entry is one light curve: its file's most common band
        args["band"] = next(iter(lc.meta["bands_found"]))
        lc = read_lightcurve(folder / str(row["file"]), **args)
    info = {
        "file": str(row["file"]),
        "object": str(row["object"]),
        "type": str(row["type"]),
        "period": _value(row["period"]),
        "epoch": _value(row["epoch"]),
    }
    return lc, info
