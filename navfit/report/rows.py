"""The stars of a report: rows of a batch catalogue (ECSV) or journal (JSON lines).

A batch writes both: the catalogue ``CAT.ecsv`` (rows in input order, flat
columns) and the journal ``CAT.ecsv.jsonl`` (one JSON object per star, in the
order the stars finished, with the decision's reasons, warnings and the NAV
parameters). :func:`read_rows` takes either; when both are present the rows
follow the catalogue's order and carry the journal's details.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

from ..batch import journal_lines
from ..errors import InputError

__all__ = ["read_rows", "resolve_file", "slugs"]

#: Columns a catalogue needs for a report.
REQUIRED = ("name", "file")
#: Columns of an ECSV catalogue (a table of minima has the first two as well).
CATALOGUE_COLUMNS = (*REQUIRED, "type", "period")


def _journal_rows(path: Path) -> list[dict]:
    """Rows of a journal in first-seen order, the last row of a file winning.

    A line cut short by a kill is skipped; a row whose worker crashed is kept
    (the star page says so) unless a later row of the same file replaces it.
    """
    rows: dict[str, dict] = {}
    for number, row in journal_lines(path):
        if not isinstance(row, dict):
            raise InputError(f"{path}: line {number} is not a JSON object (not a navfit journal)")
        missing = [c for c in REQUIRED if c not in row]
        if missing:
            raise InputError(
                f"{path}: line {number} has no {', '.join(missing)} (not a navfit journal)"
            )
        key = row.get("path") or os.path.abspath(str(row["file"]))
        rows[key] = row
    return list(rows.values())


def _plain(value):
    """A table cell as a JSON-like Python value (masked and NaN become ``None``)."""
    import numpy as np

    if value is np.ma.masked:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _catalogue_rows(path: Path) -> list[dict]:
    """Rows of an ECSV catalogue as dicts shaped like the journal's."""
    from astropy.table import Table

    try:
        table = Table.read(path, format="ascii.ecsv")
    except Exception as exc:  # noqa: BLE001 - any unreadable file is the user's error
        text = " ".join(str(exc).split())
        raise InputError(f"{path}: not an ECSV catalogue ({text})") from None
    missing = [c for c in CATALOGUE_COLUMNS if c not in table.colnames]
    if missing:
        raise InputError(
            f"{path}: not a navfit catalogue: no {', '.join(missing)} column "
            f"(columns: {', '.join(table.colnames[:12])})"
        )
    rows = []
    for rec in table:
        row = {name: _plain(rec[name]) for name in table.colnames}
        for key in ("n", "nav_k", "tp_order", "tp_k"):
            if row.get(key) == -1:
                row[key] = None
        row["flags"] = [f for f in (row.get("flags") or "").split("; ") if f]
        if not row.get("error"):
            row.pop("error", None)
        conf = {k: row.get(f"confidence_{k}") for k in ("period", "type")}
        row["confidence"] = conf if any(v is not None for v in conf.values()) else None
        if row.get("runner_up_period") is not None or row.get("runner_up_type"):
            row["runner_up"] = {
                "period": row.get("runner_up_period"),
                "type": row.get("runner_up_type"),
            }
        rows.append(row)
    return rows


def _merge(catalogue: list[dict], journal: list[dict]) -> list[dict]:
    """Catalogue rows with the journal's details (matched by absolute file path)."""
    by_path = {}
    for row in journal:
        by_path[row.get("path") or os.path.abspath(str(row["file"]))] = row
        by_path.setdefault(os.path.abspath(str(row["file"])), row)
    by_name: dict[str, list[dict]] = {}
    for row in journal:
        by_name.setdefault(Path(str(row["file"])).name, []).append(row)
    out = []
    for row in catalogue:
        extra = by_path.get(os.path.abspath(str(row["file"])))
        if extra is None:
            # the batch's relative paths were relative to where it ran: match by file name
            same = by_name.get(Path(str(row["file"])).name, [])
            extra = same[0] if len(same) == 1 else None
        out.append({**row, **extra} if extra else row)  # the journal has the details
    return out


def read_rows(path) -> tuple[list[dict], dict]:
    """The rows of a batch's catalogue or journal, and where they came from.

    Parameters
    ----------
    path : path
        ``CAT.ecsv`` written by ``navfit batch`` (its journal ``CAT.ecsv.jsonl``
        is read too when it is there) or the journal itself.

    Returns
    -------
    rows : list of dict
        One per star, keys as in :meth:`navfit.StarResult.to_dict` (failed
        stars: ``name``, ``file``, ``error``).
    meta : dict
        ``catalogue`` (absolute path), ``journal`` (absolute path or ``None``).

    Raises
    ------
    InputError
        A missing file, one that is neither ECSV nor JSON lines, one without the
        ``name``, ``file``, ``type`` and ``period`` columns of a catalogue (a
        table of minima has the first two), or one with no rows.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such catalogue or journal")
    with path.open("rb") as fh:
        text_start = fh.read(64).lstrip()
    is_journal = path.suffix.lower() in (".jsonl", ".json") or text_start.startswith(b"{")
    catalogue = journal = None
    if is_journal:
        journal = path
        stem = Path(str(path)[: -len(".jsonl")]) if path.name.endswith(".jsonl") else None
        if stem is not None and stem.is_file():
            catalogue = stem
    else:
        catalogue = path
        candidate = Path(str(path) + ".jsonl")
        journal = candidate if candidate.is_file() else None
    if catalogue is not None:
        rows = _catalogue_rows(catalogue)
        if journal is not None:
            rows = _merge(rows, _journal_rows(journal))
    else:
        rows = _journal_rows(journal)
    if not rows:
        raise InputError(f"{path}: the catalogue has no stars")
    meta = {
        "catalogue": str(Path(catalogue or journal).resolve()),
        "journal": str(journal.resolve()) if journal is not None else None,
    }
    return rows, meta


def resolve_file(row: dict, base: Path | None) -> Path | None:
    """The light-curve file of a row (``None`` if none exists).

    Its absolute ``path``, else ``file`` as given, else ``file`` relative to the
    catalogue's folder ``base``.
    """
    tries = []
    if row.get("path"):
        tries.append(Path(row["path"]))
    file = row.get("file")
    if file:
        tries.append(Path(file))
        if base is not None and not Path(file).is_absolute():
            tries.append(base / file)
    for p in tries:
        if p.is_file():
            return p.resolve()
    return None


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def slugs(rows: list[dict]) -> list[str]:
    """Unique file-name-safe identifiers of the stars: ``0001_name`` (numbered in row order)."""
    width = max(4, len(str(len(rows))))
    out = []
    for i, row in enumerate(rows, 1):
        name = str(row.get("name") or Path(str(row.get("file") or "star")).name)
        stem = _UNSAFE.sub("_", name).strip("._-")[:60] or "star"
        out.append(f"{i:0{width}d}_{stem}")
    return out
