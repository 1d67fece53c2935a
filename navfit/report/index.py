"""The index of the review report: ``index.html`` and its data, ``assets/index-data.js``.

The index is rendered in the browser from the data file (a script, not a JSON
file, so that it loads from ``file://`` without a server), a page of rows at a
time (``static/index.js``); the data stay small for 10,000 stars: flag texts
are stored once and referred to by number, files relative to their common
folder.
"""

from __future__ import annotations

import re
from pathlib import Path

from .markup import document, esc, number, script_json

__all__ = [
    "FIELDS",
    "common_root",
    "flag_kind",
    "index_data",
    "index_page",
    "relative_file",
    "write_index",
]

#: Significant digits of periods in the index data.
PERIOD_DIGITS = 9

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_QUOTED = re.compile(r"'[^']*'")


def flag_kind(flag: str) -> str:
    """A flag with its numbers replaced by ``#`` and quoted names by ``'…'``: flags of one kind filter together.

    >>> flag_kind("no significant period (false-alarm probability 0.0021)")
    'no significant period (false-alarm probability #)'
    >>> flag_kind("series 'zg1' of band 'zg' scatters 2.1 times its errors")
    "series '…' of band '…' scatters # times its errors"
    """
    return _NUMBER.sub("#", _QUOTED.sub("'…'", flag))


def _round(x, digits):
    x = number(x)
    return None if x is None else float(f"{x:.{digits}g}")


def common_root(files) -> str:
    """The folder every file is in (``""`` when there is none, or absolute and relative mix)."""
    import os

    folders = [os.path.dirname(f) for f in files]
    if not folders or not all(folders):
        return ""
    try:
        return os.path.commonpath(folders)
    except ValueError:
        return ""


def relative_file(file: str, root: str) -> str:
    """``file`` without the leading folder ``root`` (:func:`common_root`).

    What the index shows, and the key of the star's marks.
    """
    if root and file.startswith(root):
        return file[len(root) :].lstrip("/\\")
    return file


#: Fields of an index row, in order (``assets/index-data.js``).
FIELDS = (
    "slug",
    "name",
    "file",
    "type",
    "period",
    "amplitude",
    "conf_period",
    "conf_type",
    "flags",
    "nature",
    "error",
    "thumb",
    "n",
)


def index_data(entries, meta: dict) -> dict:
    """The index as compact data: flags shared in tables, files relative to a common folder.

    Parameters
    ----------
    entries : list of dict
        :func:`~navfit.report.summary.index_entry` of each star, with ``thumb``.
    meta : dict
        ``title``, ``report_key`` and anything else shown in the header.

    Returns
    -------
    dict
        ``meta``, ``fields``, ``flags`` (distinct texts), ``flag_kinds``,
        ``flag_kind`` (flag index -> kind index), ``rows`` (lists in ``fields`` order).
    """
    root = common_root([e["file"] for e in entries if e.get("file")])
    flags, kinds, kind_of = {}, {}, []
    rows = []
    for e in entries:
        ids = []
        for f in e.get("flags") or []:
            if f not in flags:
                flags[f] = len(flags)
                kind = flag_kind(f)
                kind_of.append(kinds.setdefault(kind, len(kinds)))
            ids.append(flags[f])
        file = relative_file(e.get("file") or "", root)
        rows.append(
            [
                e["slug"],
                e["name"],
                file,
                e.get("type") or "",
                _round(e.get("period"), PERIOD_DIGITS),
                _round(e.get("amplitude"), 4),
                _round(e.get("conf_period"), 3),
                _round(e.get("conf_type"), 3),
                ids,
                e.get("nature") or "",
                e.get("error") or "",
                1 if e.get("thumb") else 0,
                e.get("n"),
            ]
        )
    return {
        "meta": {**meta, "file_root": root},
        "fields": list(FIELDS),
        "flags": list(flags),
        "flag_kinds": list(kinds),
        "flag_kind": kind_of,
        "rows": rows,
    }


def index_page(meta: dict) -> str:
    """The HTML of the index page (its rows come from ``assets/index-data.js``)."""
    title = meta.get("title") or "navfit review"
    body = (
        '<header class="topbar index-top"><h1 id="title">' + esc(title) + "</h1>"
        '<span class="summary" id="summary"></span><span class="spacer"></span>'
        '<span class="marks-count" id="marks-count"></span>'
        '<button type="button" id="export">export marks (CSV)</button>'
        '<label class="button" title="merge marks from a CSV exported earlier">import CSV'
        '<input type="file" id="import" accept=".csv,text/csv" hidden></label>'
        '<button type="button" id="clear-marks" class="quiet">clear marks</button></header>'
        '<section class="filters" id="filters"><div class="row">'
        '<input type="search" id="q" placeholder="search name, file, type or flag (/)" '
        'aria-label="search">'
        '<div class="chips" id="types" role="group" aria-label="type"></div>'
        '<label><input type="checkbox" id="uncertain"> uncertain (:) only</label></div>'
        '<div class="row small">'
        '<label>period <input type="number" step="any" min="0" id="pmin" placeholder="min">'
        ' – <input type="number" step="any" min="0" id="pmax" placeholder="max"> d</label>'
        '<label>amplitude <input type="number" step="any" min="0" id="amin" placeholder="min">'
        ' – <input type="number" step="any" min="0" id="amax" placeholder="max"></label>'
        '<label title="the lower of the period and type confidences">confidence '
        '<input type="number" step="0.05" min="0" max="1" id="cmin" placeholder="min"> – '
        '<input type="number" step="0.05" min="0" max="1" id="cmax" placeholder="max"></label>'
        '<label>flags <select id="flag"></select></label>'
        '<label>review <select id="review">'
        '<option value="">all</option><option value="unmarked">not reviewed</option>'
        '<option value="accept">accepted</option><option value="wrong-period">wrong period'
        '</option><option value="wrong-type">wrong type</option><option value="note">with a '
        "note</option></select></label>"
        '<button type="button" id="reset" class="quiet">reset</button></div></section>'
        '<section class="listing"><div class="pager" id="pager-top"></div>'
        '<table class="stars" id="stars"><thead><tr>'
        '<th data-key="pos" class="num">#</th><th class="thumb">light curve</th>'
        '<th data-key="name">name</th><th data-key="type">type</th>'
        '<th data-key="period" class="num">period (d)</th>'
        '<th data-key="amplitude" class="num">ampl.</th>'
        '<th data-key="conf_period" class="num">conf. P</th>'
        '<th data-key="conf_type" class="num">conf. type</th>'
        '<th data-key="flags">flags</th><th data-key="mark">review</th></tr></thead>'
        '<tbody id="rows"></tbody></table><p class="empty" id="empty" hidden>No star matches '
        'the filters.</p><div class="pager" id="pager-bottom"></div></section>'
        '<footer class="foot">click a column to sort (again to reverse) · the marks stay in '
        "this browser until exported · <kbd>/</kbd> search</footer>"
    )
    return document(
        title,
        body,
        depth=0,
        scripts=("index-data.js", "report.js", "index.js"),
        page_class="index-page",
    )


def write_index(directory, entries, meta: dict) -> dict:
    """Write ``index.html`` and ``assets/index-data.js``; returns the data written."""
    directory = Path(directory)
    data = index_data(entries, meta)
    (directory / "assets").mkdir(parents=True, exist_ok=True)
    (directory / "assets" / "index-data.js").write_text(
        "window.NAVFIT_REPORT = " + script_json(data) + ";\n", encoding="utf-8"
    )
    (directory / "index.html").write_text(index_page(meta), encoding="utf-8")
    return data
