"""Reading photometry files into a table: FITS, VOTable, ECSV and delimited text.

:func:`load` sniffs the format from the bytes (not the file name), decodes text,
finds the delimiter and whether there is a header, and returns a :class:`Source`:
the table with the file's own metadata (FITS keywords, masked cells) and the file
line of each row, so that later messages can name the row at fault. Finding the
columns and their meaning is :mod:`navfit.io_columns`; times are
:mod:`navfit.io_time`; :func:`navfit.read_lightcurve` puts them together.
"""

from __future__ import annotations

import gzip
import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .io_gaia_bulk import expand_gaia_bulk

__all__ = [
    "DELIMITERS",
    "Source",
    "comment_notes",
    "declares_flux",
    "is_number",
    "load",
]


@dataclass
class Source:
    """A parsed table plus what is needed to describe it in messages."""

    table: Any
    where: str
    fmt: str
    headerless: bool = False
    lines: list[int] | None = None  # file line of each table row (text formats)
    header: dict = field(default_factory=dict)  # FITS keywords
    encoding: str | None = None
    layout: str | None = None  # a known headerless layout (SDSS_UGRIZ)
    notes: dict = field(default_factory=dict)  # ``key: value`` comment lines of a text file
    column_comment: str = ""  # a text file's last comment before the data (its columns' names)

    @property
    def names(self) -> list[str]:
        """Column names of the table."""
        return list(self.table.colnames)

    def row(self, i: int) -> str:
        """Row ``i`` (0-based) as messages name it: its number and its line in the file."""
        return f"row {i + 1}" + (f" (line {self.lines[i]})" if self.lines else "")


# ----------------------------------------------------------------------------- loading
#: Control characters of a binary file (C0 but tab, newline, carriage return and form
#: feed; DEL and C1), counted in the first 8 kB of a text file.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")


def load(path: Path, where: str, fmt, encoding) -> Source:
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
    if encoding is None and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        encoding = "utf-16"  # its byte-order mark: "Unicode text" as spreadsheets save it
    if b"\x00" in raw[:65536] and not (encoding or "").lower().startswith("utf-16"):
        raise InputError(f"{where}: binary data, not a text, ECSV, FITS or VOTable file")
    text, used = _decode(raw, where, encoding)
    sample = text[:8192]
    ctrl = len(_CONTROL.findall(sample))
    if ctrl > 0.02 * len(sample):
        raise InputError(f"{where}: binary data, not a text, ECSV, FITS or VOTable file")
    if fmt == "ecsv" or text.lstrip().startswith("# %ECSV"):
        from astropy.io import ascii

        table = _astropy(lambda: ascii.read(text, format="ecsv", guess=False), where, "ECSV")
        return _checked(Source(table, where, "ecsv", encoding=used))
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
    why = f"{last.reason} at byte {last.start}"  # not the decoded text, which can be the file
    raise InputError(f"{where}: cannot decode file as {encoding} ({why})") from None


def _astropy(reader, where: str, what: str):
    """Run an astropy reader, turning its exceptions into InputError naming the file."""
    from astropy.io.fits.verify import VerifyWarning
    from astropy.io.votable.exceptions import VOWarning
    from astropy.units import UnitsWarning

    try:
        # odd unit strings, VOTable spec deviations, non-standard FITS keywords (a
        # TNULLn on a floating-point column, honoured in cells)
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


def _checked(src: Source) -> Source:
    """Reject tables with no columns or rows; drop multidimensional columns.

    A Gaia DR3 bulk epoch-photometry table (arrays per source) is first
    rewritten one row per transit (:func:`navfit.io_gaia_bulk.expand_gaia_bulk`).
    """
    try:
        expanded = expand_gaia_bulk(src.table)
    except (ValueError, TypeError) as exc:
        raise InputError(
            f"{src.where}: has the columns of Gaia DR3 bulk epoch photometry, but its arrays "
            f"cannot be read as numbers ({exc}); read the archive's ECSV file as it is"
        ) from None
    if expanded is not None:
        src.table, src.lines = expanded, None
    bad = [c for c in src.table.colnames if getattr(src.table[c], "ndim", 1) != 1]
    src.table.remove_columns(bad)
    if not src.table.colnames:
        raise InputError(f"{src.where}: no one-dimensional columns in the {src.fmt} table")
    if len(src.table) == 0:
        raise InputError(f"{src.where}: the table has columns {src.names} but no data rows")
    return src


def _load_fits(raw: bytes, where: str) -> Source:
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
    return _checked(Source(table, where, "fits", header=header))


def _load_votable(raw: bytes, where: str) -> Source:
    from astropy.table import Table

    table = _astropy(lambda: Table.read(io.BytesIO(raw), format="votable"), where, "VOTable")
    return _checked(Source(table, where, "votable"))


def is_number(token: str) -> bool:
    """Whether a text token parses as a float."""
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
    spaced = {len(line.split()) for line in sample}
    # numbers separated by tabs and spaces mixed: whitespace, not the tab, separates
    mixed = len(spaced) == 1 and all(is_number(f) for f in sample[0].split())
    for delim in DELIMITERS:
        if delim not in sample[0]:
            continue
        counts = {len(row) for row in csv.reader(sample, delimiter=delim)}
        tab_in_spaces = delim == "\t" and mixed and min(spaced) > len(sample[0].split("\t"))
        if len(counts) == 1 and counts.pop() >= 2 and not tab_in_spaces:
            return delim
    if len(spaced) == 1 and len(sample[0].split()) >= 2:
        return None
    return next((d for d in DELIMITERS if d in sample[0]), None)


def _load_text(text: str, where: str, encoding: str) -> Source:
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
    if delim is None:  # whitespace: astropy splits on spaces only
        data = [line.replace("\t", " ") for line in data]
    first = _fields(data[0], delim)
    # the last comment before the data, which may name the columns (``# HJD  V  err``)
    column_comment = comments[-1][1] if comments and comments[-1][0] < linenos[0] else ""
    header = None
    if not any(is_number(f) for f in first if f):
        header, data, linenos = data[0], data[1:], linenos[1:]
        if not data:
            shown = str(first) if len(str(first)) <= 200 else f"{str(first)[:200]}..."
            raise InputError(f"{where}: header {shown} but no data rows (wrong encoding?)")
    elif column_comment and not _NOTE.match(column_comment):
        # it names the columns, unless it is a note (``# band: V``)
        cdelim = delim if delim and delim in column_comment else None
        tokens = _fields(column_comment, cdelim)
        if len(tokens) == len(first) and not any(is_number(f) for f in tokens):
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
    src = _checked(Source(table, where, "text", header is None, linenos, encoding=encoding))
    if len(src.names) < 2:
        raise InputError(f"{where}: only one column ({src.names[0]!r}); need time and magnitude")
    src.notes = comment_notes(text for _, text in comments)
    src.column_comment = column_comment
    return src


def declares_flux(text) -> bool:
    """Whether a comment naming the columns calls the values fluxes: "flux", and no "mag".

    For the last comment before the data of a headerless file, where it names
    the columns in words of its own (``# BJD-TDB  norm. flux``) and cannot be
    matched to them one by one.

    >>> declares_flux("BJD-TDB  norm. flux")
    True
    >>> declares_flux("HJD  mag  flux-weighted error")
    False
    """
    words = set(re.findall(r"[a-z]+", text.lower()))
    return "flux" in words and not words & {"mag", "mags", "magnitude", "magnitudes"}


#: A comment line ``key: value`` or ``key = value`` (``# Filter: V``, ``# object = V1 Ori``).
_NOTE = re.compile(r"^([A-Za-z][A-Za-z _-]{0,30}?)\s*[:=]\s*(\S.{0,59})$")


def comment_notes(comments) -> dict[str, str]:
    """The ``key: value`` (or ``key = value``) comment lines; the first value of each key.

    Short lines only (a one-word key of up to 31 characters, a value of up to
    60): a sentence with a colon in it is not a note.

    Parameters
    ----------
    comments : iterable of str
        Comment lines without their ``#``.

    Returns
    -------
    dict
        Lower-cased key -> value.

    >>> comment_notes(["Object: V1 Ori", "filter = V", "measured with a CCD: ST-8"])
    {'object': 'V1 Ori', 'filter': 'V'}
    """
    notes = {}
    for text in comments:
        hit = _NOTE.match(text.strip())
        if hit and " " not in hit.group(1).strip():
            notes.setdefault(hit.group(1).strip().lower(), hit.group(2).strip())
    return notes
