"""Many stars at once: :func:`run_batch` analyses files in parallel into one catalogue.

Each star is analysed with :func:`navfit.analyze` by a worker process
(:class:`concurrent.futures.ProcessPoolExecutor`, or a Dask cluster with
``engine="dask"``). Every result is appended as one JSON line to a *journal*
next to the output (``OUTPUT.jsonl``), flushed and fsync'ed, as soon as it
arrives: a run that is interrupted, even by ``kill -9``, loses nothing already
done, and ``resume=True`` skips the stars the journal holds. At the end the
catalogue (:func:`navfit.catalogue_table`, ECSV) is rebuilt from the journal.

Row order: the catalogue lists the stars in input order (the order of the
arguments; files of a folder or glob pattern sorted by name), whatever the
engine, the number of workers and the order in which results arrived; so
every run over the same inputs gives the same catalogue row for row.

A file that cannot be read or analysed gives a row with its name, file and
``error`` (a one-line reason) and never stops the batch.
"""

from __future__ import annotations

import functools
import glob
import json
import os
import sys
import time
import warnings
from pathlib import Path

from .errors import InputError, NavfitWarning

__all__ = [
    "PHOTOMETRY_SUFFIXES",
    "analyze_file",
    "collect_inputs",
    "journal_path",
    "limit_threads",
    "run_batch",
]

#: File name endings taken from folders (a ``.gz`` after them is accepted too).
PHOTOMETRY_SUFFIXES = (".csv", ".ecsv", ".fits", ".fit", ".vot", ".xml", ".dat", ".txt", ".lc")
#: File names never taken from folders (sample catalogues, read-me files).
EXCLUDED_NAMES = ("catalog.csv", "catalogue.csv")
ENGINES = ("processes", "dask")


def _is_photometry(path: Path) -> bool:
    name = path.name.lower()
    name = name.removesuffix(".gz")
    if name in EXCLUDED_NAMES or name.startswith("readme"):
        return False
    # our own outputs (catalogue.ecsv.jsonl is excluded by its suffix)
    return name.endswith(PHOTOMETRY_SUFFIXES)


def _folder_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_file() and _is_photometry(p))


def _star_folders(folder: Path) -> list[Path]:
    """Immediate subfolders of ``folder`` that hold photometry files, sorted by name."""
    return sorted(p for p in folder.iterdir() if p.is_dir() and _folder_files(p))


def collect_inputs(inputs, exclude=(), star_folders=False) -> list[str]:
    """Photometry files named by ``inputs``: files, folders and glob patterns.

    Folders contribute their photometry files (see :data:`PHOTOMETRY_SUFFIXES`,
    not recursively, sorted by name); glob patterns are expanded (sorted).
    With ``star_folders``, a folder's subfolders that hold photometry files
    are stars too, each listed once as the folder itself: all its files are
    one star's light curve (several bands, surveys or fields, read together by
    :func:`navfit.read_lightcurve`). A folder without such subfolders is then
    one star itself.
    Duplicates (same resolved path) are dropped, keeping the first; paths in
    ``exclude`` (e.g. the batch's own output) are left out.

    Raises
    ------
    InputError
        An input that is neither a file, a folder nor a pattern matching files.
    """
    if isinstance(inputs, str | os.PathLike):
        inputs = [inputs]
    skip = {os.path.abspath(p) for p in exclude}
    files, seen = [], set()

    def add(path):
        key = os.path.abspath(path)
        if key not in seen and key not in skip:
            seen.add(key)
            files.append(str(path))

    for item in inputs:
        path = Path(item)
        if path.is_dir() and star_folders:
            stars = _star_folders(path)
            for p in stars if stars else [path]:
                add(p)
            if stars:
                for p in _folder_files(path):
                    add(p)
        elif path.is_dir():
            for p in _folder_files(path):
                add(p)
        elif path.is_file():
            add(path)
        elif glob.has_magic(str(item)):
            matches = sorted(glob.glob(str(item)))
            found = False
            for m in matches:
                mp = Path(m)
                if mp.is_dir():
                    for p in _folder_files(mp):
                        add(p)
                        found = True
                elif mp.is_file() and _is_photometry(mp):
                    add(mp)
                    found = True
            if not found:
                raise InputError(f"{item}: no photometry files match this pattern")
        else:
            raise InputError(f"{item}: no such file or folder")
    return files


def journal_path(output) -> Path:
    """The journal of a batch writing ``output``: ``output`` + ``.jsonl``."""
    return Path(str(output) + ".jsonl")


def one_line(exc: BaseException) -> str:
    """An exception as one line of text (its type named unless it is a navfit error)."""
    from .errors import NavfitError

    text = " ".join(str(exc).split()) or type(exc).__name__
    if not isinstance(exc, NavfitError):
        text = f"{type(exc).__name__}: {text}"
    return text


def analyze_file(path, kwargs=None, threads=None) -> dict:
    """Worker: :func:`navfit.analyze` one file (or star folder) and return its JSON-ready row.

    A folder is one star: its photometry files are analysed together
    (``row["file"]`` is then the folder).

    Never raises for a bad star: failures give ``{"name", "file", "error"}``.
    Warnings are collected in the row's ``"warnings"`` list (one line each);
    navfit's own (:class:`~navfit.NavfitWarning`) are added to its ``"flags"``.
    ``"dropped"`` holds the rows the reader and :class:`~navfit.LightCurve`
    dropped, reason -> count (``meta["dropped"]`` of the light curve as read,
    all bands; for a failed star, those dropped before the error, when known,
    else ``{}``), and ``"dropped_bands"`` the bands left out, name -> reason,
    when there are any.
    ``threads`` limits numba's parallel loops in this worker (parallel batches
    use one thread per worker, so that workers do not compete for the cores).
    Top-level so that process pools and Dask can pickle it.
    """
    from .analyze import analyze

    if threads:
        _limit_worker(int(threads))
    path = str(path)
    folder = Path(path).is_dir()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if folder:
                files = [str(p) for p in _folder_files(Path(path))]
                result = analyze(files, **{"name": Path(path).name, **(kwargs or {})})
            else:
                result = analyze(path, **(kwargs or {}))
            row = result.to_dict()
            if folder:
                row["file"] = path
            read = result.read_lc
            row["dropped"] = dict(read.meta.get("dropped", {}))
            if read.meta.get("dropped_bands"):
                row["dropped_bands"] = dict(read.meta["dropped_bands"])
        except Exception as exc:  # noqa: BLE001 - one bad star must not stop the batch
            row = {"name": _star_name(path), "file": path, "error": one_line(exc)}
            row["dropped"] = dict(getattr(exc, "dropped", None) or {})
    messages = []
    for w in caught:
        text = " ".join(str(w.message).split())
        if text not in messages:
            messages.append(text)
        # navfit's own warnings are about the star (phase-folded times, dates not full
        # JD): the catalogue's flags carry them too, numerical ones stay in the journal
        flag = text.replace("; ", ", ")  # the catalogue joins its flags with "; "
        if "flags" in row and issubclass(w.category, NavfitWarning) and flag not in row["flags"]:
            row["flags"] = [*row["flags"], flag]
    row["warnings"] = messages
    return row


def limit_threads(threads: int):
    """Limit this process to ``threads`` threads of compute; returns a function that undoes it.

    Every pool a star's analysis can spread over: numba's parallel loops and
    the NUFFT threads that follow them (:func:`navfit._kernels._config.set_threads`),
    and the BLAS/LAPACK libraries of numpy and scipy (OpenBLAS starts one
    thread per core in every process; through ``threadpoolctl``). With only
    numba limited, two workers on two cores ran 1000 stars 1.62 times as fast
    as one; with every pool limited, 1.96 times (``bench/batch.py``).

    Parameters
    ----------
    threads : int
        Threads of each pool from now on.

    Returns
    -------
    callable
        Without arguments: puts the previous limits back.
    """
    from threadpoolctl import threadpool_limits

    from ._kernels._config import get_threads, set_threads

    before = get_threads()
    set_threads(threads)
    blas = threadpool_limits(limits=int(threads), user_api="blas")

    def restore():
        set_threads(before)
        blas.restore_original_limits()

    return restore


@functools.cache
def _limit_worker(threads):
    """:func:`limit_threads` once per worker process and thread count (the limits stay)."""
    limit_threads(threads)


def _star_name(path) -> str:
    """The name a star of ``path`` gets when it has no result: as the reader names it.

    A folder of one star's files is named after the folder, a file after its stem.
    """
    path = Path(path)
    return path.name if path.is_dir() else path.stem


def _crashed(path, exc) -> dict:
    """Error row of a star whose worker died; ``resume`` tries such stars again."""
    return {
        "name": _star_name(path),
        "file": str(path),
        "crashed": True,
        "error": f"worker failed: {one_line(exc)}",
    }


def journal_lines(journal: Path):
    """``(line number, row)`` of every complete JSON line of a batch journal.

    Empty lines and a line cut short by a kill (not valid JSON) are skipped.
    """
    with open(journal, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            line = line.strip()
            if not line:
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError:
                continue


def _read_journal(journal: Path) -> dict:
    """Rows of a journal by absolute file path (the last row wins; a torn last line is skipped)."""
    rows = {}
    if not journal.is_file():
        return rows
    for _, row in journal_lines(journal):
        key = row.get("path") or os.path.abspath(row.get("file", ""))
        if row.get("crashed"):
            rows.pop(key, None)  # the worker died: try this star again
        else:
            rows[key] = row
    return rows


class _Journal:
    """Append-only JSON-lines file; every line is flushed and fsync'ed."""

    def __init__(self, path: Path, fresh: bool):
        path.parent.mkdir(parents=True, exist_ok=True)
        if not fresh and path.is_file() and path.stat().st_size:
            with open(path, "rb") as fh:
                fh.seek(-1, os.SEEK_END)
                torn = fh.read(1) != b"\n"
        else:
            torn = False
        self.fh = open(path, "w" if fresh else "a", encoding="utf-8")  # noqa: SIM115
        if torn:
            self.fh.write("\n")

    def write(self, row: dict):
        self.fh.write(json.dumps(row) + "\n")
        self.fh.flush()
        os.fsync(self.fh.fileno())

    def close(self):
        self.fh.close()


def _run_processes(todo, kwargs, jobs, threads):
    """Yield rows as they finish, from a pool of ``jobs`` processes (or in-process for 1)."""
    if jobs <= 1:
        restore = limit_threads(threads)
        try:
            for path in todo:
                yield analyze_file(path, kwargs)
        finally:
            restore()
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    # spawn: no fork of a process that may run threads (numba, tqdm)
    ctx = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=ctx)
    try:
        futures = {pool.submit(analyze_file, p, kwargs, threads): p for p in todo}
        for fut in as_completed(futures):
            try:
                row = fut.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker, not a bad star
                row = _crashed(futures[fut], exc)
            yield row
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _run_dask(todo, kwargs, jobs, scheduler, threads):
    """Yield rows as they finish, from a local Dask cluster or the scheduler at ``scheduler``."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise InputError(
            "engine 'dask' needs dask.distributed: pip install 'navfit[dask]'"
        ) from exc
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        import dask

        # the workers' statistical profiler samples the running task's stack every 10 ms;
        # measured on 200 stars with 2 workers: 1.05 -> 1.01 s per star without it
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(
                n_workers=max(1, jobs),
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
            )
        client = Client(cluster)
    try:
        futures = client.map(analyze_file, todo, kwargs=kwargs, threads=threads, pure=False)
        paths = {fut.key: p for fut, p in zip(futures, todo, strict=True)}
        for fut in as_completed(futures):
            try:
                row = fut.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker, not a bad star
                row = _crashed(paths[fut.key], exc)
            fut.release()
            yield row
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_batch(
    inputs,
    output,
    jobs=1,
    engine="processes",
    scheduler=None,
    resume=False,
    progress=True,
    threads=1,
    star_folders=False,
    **analyze_kwargs,
) -> dict:
    """Analyse many light curves in parallel into one catalogue (ECSV).

    Parameters
    ----------
    inputs : path, pattern or list of them
        Files, folders (their photometry files) and glob patterns
        (:func:`collect_inputs`).
    output : path
        Catalogue written at the end (ECSV, :func:`navfit.catalogue_table`, rows
        in input order). The journal ``output + ".jsonl"`` is written as stars finish.
    jobs : int
        Worker processes (1: analysed in this process, unless ``engine="dask"``).
    engine : {"processes", "dask"}
        :class:`~concurrent.futures.ProcessPoolExecutor` or Dask
        (``LocalCluster(n_workers=jobs, threads_per_worker=1)``, dashboard on a free port,
        the workers' statistical profiler off).
    scheduler : str, optional
        Address of a running Dask scheduler to use instead of a local cluster
        (its workers need navfit installed); implies ``engine="dask"``.
    resume : bool
        Keep the journal of an earlier run and skip the stars it holds (by
        absolute file path; stars that failed count as done, those whose worker
        crashed are tried again). Otherwise the journal
        is started afresh.
    progress : bool
        tqdm progress bar on stderr (shown only when stderr is a terminal).
    threads : int
        Threads of numba's parallel loops in each worker (with ``jobs=1``, in
        this process for the duration of the run). The default 1 makes ``jobs``
        the number of cores used: workers that each spread over every core
        would compete for them. With ``jobs=1`` on an otherwise idle machine,
        ``threads`` > 1 lets one star's period search use several cores.
    star_folders : bool
        Subfolders of the input folders are stars, each analysed from all its
        files together (:func:`collect_inputs`); their row's ``file`` is the
        folder.
    **analyze_kwargs
        Passed to :func:`navfit.analyze` (``min_period``, ``max_period``, and
        reader options such as ``time``, ``mag``, ``err``, ``band``).

    Returns
    -------
    dict
        ``total``, ``done`` (rows without error), ``failed``, ``skipped`` (taken
        from the journal), ``analysed`` (this run), ``elapsed`` (s), ``rate``
        (stars analysed per second in this run), ``output``, ``journal``,
        ``errors`` (``{file: reason}``), ``dropped`` (rows dropped over all
        stars, reason -> count; the journal holds each star's counts).
    """
    if engine not in ENGINES:
        raise InputError(f"engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    if scheduler and engine != "dask":
        engine = "dask"
    jobs = int(jobs)
    if jobs < 1:
        raise InputError(f"jobs must be at least 1, got {jobs}")
    threads = int(threads)
    if threads < 1:
        raise InputError(f"threads must be at least 1, got {threads}")
    output = Path(output)
    journal = journal_path(output)
    files = collect_inputs(inputs, exclude=(output, journal), star_folders=star_folders)
    if not files:
        raise InputError(f"no photometry files in {', '.join(map(str, _as_list(inputs)))}")
    keys = [os.path.abspath(f) for f in files]
    previous = _read_journal(journal) if resume else {}
    todo = [f for f, k in zip(files, keys, strict=True) if k not in previous]
    by_path = {os.path.abspath(f): f for f in todo}

    from tqdm.auto import tqdm

    start = time.perf_counter()
    failed_now = 0
    log = _Journal(journal, fresh=not resume)
    bar = tqdm(
        total=len(todo),
        unit="star",
        file=sys.stderr,
        dynamic_ncols=True,
        disable=None if progress else True,
        desc="navfit batch",
    )
    try:
        if not todo:
            rows = iter(())
        elif engine == "dask":
            rows = _run_dask(todo, analyze_kwargs, jobs, scheduler, threads)
        else:
            rows = _run_processes(todo, analyze_kwargs, jobs, threads)
        for n_done, row in enumerate(rows, 1):
            key = os.path.abspath(row["file"])
            row["path"] = key
            if key in by_path:
                row["file"] = by_path[key]
            log.write(row)
            previous[key] = row
            failed_now += "error" in row
            rate = n_done / max(time.perf_counter() - start, 1e-9)
            bar.set_postfix(
                done=n_done - failed_now, failed=failed_now, rate=f"{rate:.2f}/s", refresh=False
            )
            bar.update()
    finally:
        bar.close()
        log.close()
    elapsed = time.perf_counter() - start

    from .catalogue import catalogue_table

    ordered = [previous[k] for k in keys if k in previous]
    table = catalogue_table(ordered)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".tmp")
    table.write(tmp, format="ascii.ecsv", overwrite=True)
    os.replace(tmp, output)
    errors = {r["file"]: r["error"] for r in ordered if "error" in r}
    dropped: dict[str, int] = {}
    for r in ordered:
        for reason, count in (r.get("dropped") or {}).items():
            dropped[reason] = dropped.get(reason, 0) + int(count)
    return {
        "total": len(files),
        "done": len(ordered) - len(errors),
        "failed": len(errors),
        "skipped": len(files) - len(todo),
        "analysed": len(todo),
        "elapsed": elapsed,
        "rate": len(todo) / elapsed if elapsed > 0 else float("nan"),
        "output": str(output),
        "journal": str(journal),
        "errors": errors,
        "dropped": dropped,
    }


def _as_list(inputs):
    return [inputs] if isinstance(inputs, str | os.PathLike) else list(inputs)
