"""A static HTML report to review a catalogue by eye: :func:`write_report`.

The report is a folder that works offline, opened straight from disk::

    DIR/index.html               every star: sortable, filterable, searchable, paged
    DIR/stars/NNNN_name.html     one page per star, with its figures beside it
    DIR/thumbs/NNNN_name.png     the index's thumbnails (200 x 120 px)
    DIR/assets/                  style, scripts and the index's data (index-data.js)

Links are relative and nothing is fetched from a network. A reviewer marks
stars (accept, wrong period, wrong type, with a note); the marks are kept in
the browser's local storage and exported as CSV from the page itself.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sys
import time
from importlib import resources
from pathlib import Path

from ..errors import InputError
from .rows import read_rows, slugs
from .star import failed_page, one_line, render_result, render_star
from .summary import index_entry

__all__ = ["write_report"]

#: Files of the report's style and behaviour (package data, copied to ``assets/``).
STATIC_FILES = ("report.css", "report.js", "index.js", "star.js")


def _copy_static(directory: Path) -> None:
    folder = resources.files(__package__).joinpath("static")
    for name in STATIC_FILES:
        with resources.as_file(folder.joinpath(name)) as src:
            shutil.copyfile(src, directory / "assets" / name)


#: Files a report writes into ``stars/`` and ``thumbs/`` (an older report's are removed).
_OWN_FILE = re.compile(r"^\d{4,}_.*\.(?:html|png)$")


def _clear_old(directory: Path) -> None:
    """Remove the star pages and figures of an earlier report in ``directory``."""
    for sub in ("stars", "thumbs"):
        for path in (directory / sub).iterdir():
            if path.is_file() and _OWN_FILE.match(path.name):
                path.unlink()


def _inputs(source):
    """Rows, StarResults (or ``None`` per row) and the source's description."""
    if isinstance(source, str | os.PathLike):
        rows, meta = read_rows(source)
        return rows, [None] * len(rows), meta
    rows, results = [], []
    for item in source:
        if hasattr(item, "to_dict") and hasattr(item, "lc"):
            row = item.to_dict()
            results.append(item)
        elif isinstance(item, dict) and "name" in item:
            row = dict(item)
            results.append(None)
        else:
            raise InputError(
                "write_report takes a catalogue or journal path, or StarResults and "
                f"their to_dict() rows; got {type(item).__name__}"
            )
        rows.append(row)
    if not rows:
        raise InputError("write_report: no stars to report")
    return rows, results, {"catalogue": None, "journal": None}


def _contexts(rows, names, key):
    """Navigation of each star page, and the key of its marks (its file, see ``index.js``)."""
    from .index import common_root, relative_file

    total = len(names)
    root = common_root([str(r["file"]) for r in rows if r.get("file")])
    return [
        {
            "position": i + 1,
            "total": total,
            "report_key": key,
            "uid": relative_file(str(rows[i].get("file") or ""), root) or names[i],
            "prev": names[i - 1] if i > 0 else None,
            "next": names[i + 1] if i + 1 < total else None,
        }
        for i in range(total)
    ]


def _crashed(task, exc) -> dict:
    """Page of a star whose worker process died (the pool cannot say more than that)."""
    return failed_page(
        task, f"the report's worker process failed: {type(exc).__name__}: {exc}", "report"
    )


def _run(tasks, jobs):
    """Yield ``(index, outcome)`` of :func:`render_star` over ``tasks``, in a pool if ``jobs > 1``."""
    if jobs <= 1 or len(tasks) <= 1:
        from navfit._kernels._config import get_threads, set_threads

        before = get_threads()  # the workers' thread count, here for this run only
        set_threads(tasks[0]["threads"] if tasks else before)
        try:
            for i, task in enumerate(tasks):
                yield i, render_star({**task, "threads": None})
        finally:
            set_threads(before)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn, as navfit.batch does: no fork of a process that may run threads
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"))
    try:
        futures = {pool.submit(render_star, task): i for i, task in enumerate(tasks)}
        for fut in as_completed(futures):
            i = futures[fut]
            try:
                outcome = fut.result()
            except Exception as exc:  # noqa: BLE001 - a dead worker, not a bad star
                outcome = _crashed(tasks[i], exc)
            yield i, outcome
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _render_results(items):
    """Yield ``(index, outcome)`` for ``(index, task, StarResult)`` analysed already (here)."""
    import warnings

    for i, task, result in items:
        folder = Path(task["directory"]) / "stars"
        with warnings.catch_warnings(record=True):
            warnings.simplefilter("always")
            try:
                outcome = render_result(
                    result,
                    task["row"],
                    task["slug"],
                    folder,
                    minima=task["minima"],
                    context=task["context"],
                )
            except Exception as exc:  # noqa: BLE001 - a page saying why, never a crash
                outcome = failed_page(task, f"figures failed: {one_line(exc)}", "report")
        yield i, outcome


def write_report(
    source,
    directory,
    *,
    jobs=1,
    search=True,
    minima=False,
    title=None,
    progress=True,
    threads=1,
    **analyze_kwargs,
) -> dict:
    """Write a static HTML report to review a catalogue: an index and a page per star.

    Parameters
    ----------
    source : path or sequence of StarResult
        A batch's catalogue (ECSV, with its journal ``.jsonl`` beside it when
        there is one) or journal; or :class:`~navfit.StarResult` objects (drawn
        as they are, in this process) and ``to_dict()`` rows.
    directory : path
        Folder of the report, made if needed. The pages and figures of an earlier
        report there (``stars/NNNN_*``, ``thumbs/NNNN_*``) are removed first.
    jobs : int
        Worker processes that re-analyse the stars of a catalogue.
    search : bool
        Re-run the period search of each star, as the batch did, for its
        periodogram and candidates (default); ``False`` re-analyses at the
        catalogue's period only (faster; the periodogram is then a TP(2)
        periodogram without candidates).
    minima : bool
        Time the minima of the eclipsing binaries (EA, EB, EW) and draw their
        O-C diagrams.
    title : str, optional
        Title of the index (default: the catalogue's file name).
    progress : bool
        tqdm progress bar on stderr (shown only when stderr is a terminal).
    threads : int
        Numba threads of each worker.
    **analyze_kwargs
        Reading options and period range of the batch (``time``, ``mag``,
        ``err``, ``band``, ``min_period``, ``max_period``, ...), passed to
        :func:`navfit.analyze`: the re-analysis reads the files as the batch did.

    Returns
    -------
    dict
        ``directory``, ``index`` (path of ``index.html``), ``stars``,
        ``failed`` (stars the batch could not analyse), ``no_figures`` (stars
        the report could not draw: file -> reason), ``elapsed`` (s).

    Raises
    ------
    InputError
        A missing or unreadable catalogue, one without ``name``, ``file``,
        ``type`` and ``period``
        columns, bad ``jobs``.
    """
    start = time.perf_counter()
    jobs, threads = int(jobs), int(threads)
    if jobs < 1 or threads < 1:
        raise InputError(f"jobs and threads must be at least 1, got {jobs} and {threads}")
    rows, results, meta = _inputs(source)
    directory = Path(directory)
    for sub in ("assets", "stars", "thumbs"):
        (directory / sub).mkdir(parents=True, exist_ok=True)
    _clear_old(directory)
    _copy_static(directory)
    names = slugs(rows)
    origin = meta["catalogue"] or str(directory.resolve())
    key = hashlib.sha1(origin.encode()).hexdigest()[:12]
    base = str(Path(meta["catalogue"]).parent) if meta["catalogue"] else None
    tasks = [
        {
            "row": row,
            "slug": slug,
            "directory": str(directory),
            "base": base,
            "kwargs": analyze_kwargs,
            "search": search,
            "minima": minima,
            "threads": threads,
            "context": ctx,
        }
        for row, slug, ctx in zip(rows, names, _contexts(rows, names, key), strict=True)
    ]
    entries = [index_entry(row, slug) for row, slug in zip(rows, names, strict=True)]
    ready = [(i, tasks[i], r) for i, r in enumerate(results) if r is not None]
    pending = [i for i, r in enumerate(results) if r is None]

    def outcomes():
        yield from _render_results(ready)
        for j, outcome in _run([tasks[i] for i in pending], jobs):
            yield pending[j], outcome

    from tqdm.auto import tqdm

    bar = tqdm(
        total=len(tasks),
        unit="star",
        file=sys.stderr,
        dynamic_ncols=True,
        disable=None if progress else True,
        desc="navfit report",
    )
    no_figures = {}
    try:
        for i, outcome in outcomes():
            entries[i]["thumb"] = bool(outcome.get("thumb"))
            if outcome.get("error") and outcome.get("origin") == "report":
                no_figures[rows[i].get("file") or names[i]] = outcome["error"]
                entries[i]["flags"].append(f"report: {outcome['error']}")
            bar.update()
    finally:
        bar.close()
    from .index import write_index

    title = title or (Path(meta["catalogue"]).name if meta["catalogue"] else "navfit review")
    write_index(
        directory,
        entries,
        {
            "title": title,
            "report_key": key,
            "catalogue": meta["catalogue"] or "",
            "created": time.strftime("%Y-%m-%d %H:%M"),
            "search": bool(search),
        },
    )
    return {
        "directory": str(directory),
        "index": str(directory / "index.html"),
        "stars": len(rows),
        "failed": sum(1 for r in rows if r.get("error")),
        "no_figures": no_figures,
        "elapsed": time.perf_counter() - start,
    }
