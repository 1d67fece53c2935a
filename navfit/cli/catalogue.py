"""The subcommands about catalogues: ``batch``, ``report`` and ``table``."""

from __future__ import annotations

import sys
from pathlib import Path

from .common import (
    PROG,
    UsageError,
    analyze_kwargs,
    err,
    jobs,
    reader_options,
)


def add_parsers(sub) -> None:
    """Add the ``batch``, ``report`` and ``table`` subcommands to ``sub``."""
    p = sub.add_parser(
        "batch",
        help="analyse many files in parallel into a catalogue",
        description="Analyse files, folders (their photometry files) and glob "
        "patterns in parallel into an ECSV catalogue (rows in input order). "
        "Results go to OUTPUT.jsonl as they finish; --resume continues an "
        "interrupted run.",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders or glob patterns")
    p.add_argument(
        "-o", "--output", required=True, metavar="CATALOGUE", help="catalogue to write (ECSV)"
    )
    p.add_argument(
        "-j", "--jobs", type=jobs, default=1, metavar="N", help="worker processes (default 1)"
    )
    p.add_argument(
        "--threads",
        type=jobs,
        default=1,
        metavar="T",
        help="numba threads per worker (default 1: -j N uses N cores; with -j 1 on an idle "
        "machine, T > 1 lets one star's period search use several cores)",
    )
    p.add_argument(
        "--engine",
        choices=("processes", "dask"),
        default=None,
        help="process pool (default) or Dask (default with --scheduler)",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="address of a running Dask scheduler (implies --engine dask)",
    )
    p.add_argument(
        "--resume", action="store_true", help="skip the stars already in the journal OUTPUT.jsonl"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument(
        "--star-folders",
        action="store_true",
        help="each subfolder of an input folder is one star, analysed from all its files "
        "together (several bands, surveys or fields)",
    )
    p.add_argument(
        "--per-band",
        action="store_true",
        help="one catalogue row per band of each multi-band star, with the columns "
        "depth1, depth1_err, depth2, depth2_err (the journal keeps one line per star)",
    )
    p.add_argument(
        "--report",
        metavar="DIR",
        help="at the end, write the HTML review report of the catalogue into DIR "
        "(as 'navfit report')",
    )
    reader_options(p)
    _report_parser(sub)
    p = sub.add_parser(
        "table",
        help="convert a batch catalogue to GCVS, VSX, CSV, FITS, VOTable",
        description="Read a catalogue written by 'navfit batch' and print GCVS-"
        "style or VSX lines, or write it as CSV, FITS or VOTable.",
    )
    p.add_argument("catalogue", metavar="CATALOGUE", help="ECSV written by 'navfit batch'")
    p.add_argument(
        "--format",
        choices=("gcvs", "vsx", "csv", "fits", "votable"),
        default="gcvs",
        help="output format (default gcvs)",
    )
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")


def _report_parser(sub):
    p = sub.add_parser(
        "report",
        help="static HTML report to review a batch's catalogue by eye",
        description="Write a static site that works offline: an index of every star "
        "(sortable, filterable, with thumbnails) and a page per star with its phased light "
        "curve, fits, periodogram, decision, GCVS line and flags, where a reviewer marks stars "
        "and exports the marks as CSV. Each star's file is re-read and re-analysed: give the "
        "batch's reading options and period range.",
    )
    p.add_argument(
        "catalogue", metavar="CATALOGUE", help="ECSV catalogue or JSONL journal of 'navfit batch'"
    )
    p.add_argument("-o", "--output", required=True, metavar="DIR", help="folder of the report")
    p.add_argument(
        "-j", "--jobs", type=jobs, default=1, metavar="N", help="worker processes (default 1)"
    )
    p.add_argument(
        "--threads", type=jobs, default=1, metavar="T", help="numba threads per worker (default 1)"
    )
    p.add_argument(
        "--minima",
        action="store_true",
        help="time the minima of eclipsing binaries (EA, EB, EW) and draw their O-C diagrams",
    )
    p.add_argument(
        "--no-search",
        action="store_true",
        help="re-analyse at the catalogue's periods without repeating the period search "
        "(faster; no candidates on the star pages)",
    )
    p.add_argument("--title", metavar="TEXT", help="title of the index (default: the file name)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    reader_options(p)


def _cmd_batch(args) -> int:
    from ..batch import run_batch
    from ..errors import NavfitError

    if args.scheduler and args.engine == "processes":
        raise UsageError(f"{PROG} batch: error: --scheduler needs --engine dask")
    engine = args.engine or ("dask" if args.scheduler else "processes")
    kwargs = analyze_kwargs(args)
    try:
        summary = run_batch(
            args.inputs,
            args.output,
            jobs=args.jobs,
            engine=engine,
            scheduler=args.scheduler,
            resume=args.resume,
            progress=not args.no_progress,
            threads=args.threads,
            star_folders=args.star_folders,
            **kwargs,
        )
    except NavfitError as exc:
        raise UsageError(f"{PROG} batch: error: {exc}") from None
    if args.per_band:
        _per_band_catalogue(summary["output"], summary["journal"])
    for file, reason in summary["errors"].items():
        err(f"{PROG}: {reason if file in reason else f'{file}: {reason}'}")
    print(
        f"{summary['total']} stars: {summary['done']} done, {summary['failed']} failed, "
        f"{summary['skipped']} from the journal; {summary['analysed']} analysed in "
        f"{summary['elapsed']:.1f} s ({summary['rate']:.2f} stars/s); wrote {summary['output']}",
        file=sys.stderr,
    )
    if summary["dropped"]:
        counts = ", ".join(f"{k} {v}" for k, v in sorted(summary["dropped"].items()))
        print(f"rows dropped (per star in the journal): {counts}", file=sys.stderr)
    code = 1 if summary["failed"] else 0
    if args.report:
        code = max(code, _write_report(args, args.output, args.report, kwargs, "batch"))
    return code


def _per_band_catalogue(output, journal) -> None:
    """Rewrite a batch's catalogue with one row per band, from its journal, in its row order."""
    import os

    from astropy.table import Table

    from ..batch import journal_lines
    from ..catalogue import catalogue_table

    rows = {}
    for _, row in journal_lines(Path(journal)):
        if not row.get("crashed"):
            rows[row.get("path") or os.path.abspath(row.get("file", ""))] = row
    by_file = {row.get("file"): row for row in rows.values()}
    order = [str(f) for f in Table.read(output, format="ascii.ecsv")["file"]]
    table = catalogue_table([by_file[f] for f in order if f in by_file], per_band=True)
    table.write(output, format="ascii.ecsv", overwrite=True)


def _write_report(args, catalogue, directory, kwargs, command, **options) -> int:
    """Write the review report; returns 1 when some stars could not be drawn."""
    from ..errors import NavfitError
    from ..report import write_report

    try:
        out = write_report(
            catalogue,
            directory,
            jobs=args.jobs,
            threads=args.threads,
            progress=not args.no_progress,
            **options,
            **kwargs,
        )
    except NavfitError as exc:
        raise UsageError(f"{PROG} {command}: error: {exc}") from None
    for file, reason in out["no_figures"].items():
        err(f"{PROG}: report: {file}: {reason}")
    print(
        f"report of {out['stars']} stars ({out['failed']} failed in the batch, "
        f"{len(out['no_figures'])} without figures) in {out['elapsed']:.1f} s: {out['index']}",
        file=sys.stderr,
    )
    return 1 if out["no_figures"] else 0


def _cmd_report(args) -> int:
    kwargs = analyze_kwargs(args)
    return _write_report(
        args,
        args.catalogue,
        args.output,
        kwargs,
        "report",
        search=not args.no_search,
        minima=args.minima,
        title=args.title,
    )


def _cmd_table(args) -> int:
    from astropy.table import Table

    from ..catalogue import GCVS_HEADER, VSX_FIELDS, rows_from_table

    path = Path(args.catalogue)
    if not path.is_file():
        raise UsageError(f"{PROG} table: error: {path}: file not found")
    try:
        table = Table.read(path, format="ascii.ecsv")
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a usage error
        raise UsageError(
            f"{PROG} table: error: {path}: not an ECSV catalogue ({' '.join(str(exc).split())})"
        ) from None
    if "name" not in table.colnames or "period" not in table.colnames:
        raise UsageError(
            f"{PROG} table: error: {path}: not a navfit catalogue (no name/period columns)"
        )
    if args.format in ("gcvs", "vsx"):
        rows = rows_from_table(table)
        good = [r for r in rows if not r.failed]
        if args.format == "gcvs":
            lines = [GCVS_HEADER, *(r.gcvs_line() for r in good)]
        else:
            lines = [";".join(VSX_FIELDS), *(r.vsx_line() for r in good)]
        text = "\n".join(lines) + "\n"
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
        if len(good) < len(rows):
            err(
                f"{PROG} table: {len(rows) - len(good)} failed stars left out of the "
                f"{args.format} lines"
            )
        return 0
    fmt = {"csv": "ascii.csv", "fits": "fits", "votable": "votable"}[args.format]
    if args.output:
        table.write(args.output, format=fmt, overwrite=True)
    elif args.format == "fits":
        raise UsageError(f"{PROG} table: error: --format fits needs -o FILE")
    else:
        table.write(sys.stdout, format=fmt)
    return 0


COMMANDS = {"batch": _cmd_batch, "report": _cmd_report, "table": _cmd_table}
