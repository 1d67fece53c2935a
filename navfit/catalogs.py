"""Light-curve collections described by a ``catalog.csv`` (the shared real data, ``data/``).

A catalogue lists one light curve per row: ``file``, ``object``, ``type``,
``period``, ``epoch`` and the ``time_column``, ``mag_column``, ``err_column``
and ``time_system`` needed to read it. Entries whose columns are given as
0-based integers are read by index.
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


def _value(x) -> float | None:
    if x is None or np.ma.is_masked(x):
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return v if np.isfinite(v) else None


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
        Phase-only files (``time_system == "phase"``) and unreadable files.
    """
    if folder is None:
        folder = getattr(row, "meta", {}).get("folder") if hasattr(row, "meta") else None
        folder = Path(folder) if folder else default_lightcurves_dir()
    folder = Path(folder)
    system = row["time_system"] if "time_system" in row.colnames else None
    if system is not None and str(system).strip().lower() == "phase":
        raise InputError(f"{folder / row['file']}: phase-binned file without times")
    args = {
        "time": _column(row["time_column"]),
        "mag": _column(row["mag_column"]) if "mag_column" in row.colnames else None,
        "err": _column(row["err_column"]) if "err_column" in row.colnames else None,
        "time_format": _time_format(system),
        "name": str(row["object"]),
    }
    args.update(kwargs)
    lc = read_lightcurve(folder / str(row["file"]), **args)
    info = {
        "file": str(row["file"]),
        "object": str(row["object"]),
        "type": str(row["type"]),
        "period": _value(row["period"]),
        "epoch": _value(row["epoch"]),
    }
    return lc, info
