"""Command line: ``navfit analyze | period | fit | batch | table | minima | oc``.

``navfit CMD --help`` describes each command.

Exit codes: 0 success, 1 some stars failed (each problem is one line on
stderr), 2 usage errors (bad options or arguments), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import warnings
from pathlib import Path

__all__ = ["main"]

PROG = "navfit"


class _UsageError(Exception):
    """Bad command-line arguments (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one stderr line and exit code 2 without SystemExit."""

    def error(self, message):
        raise _UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def _err(message: str) -> None:
    print(" ".join(str(message).split()), file=sys.stderr)


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"must be a positive number of days, got {text!r}")
    return value


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _finite(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"must be finite, got {text!r}")
    return value


def _nfold(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 3 or value % 2 == 0:
        raise argparse.ArgumentTypeError(f"must be an odd integer >= 3, got {text!r}")
    return value


def _models(text: str) -> tuple:
    names = tuple(x.strip() for x in text.split(",") if x.strip())
    bad = [x for x in names if x not in ("linear", "quadratic", "ltte")]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"models are linear, quadratic, ltte (comma-separated), got {text!r}"
        )
    return names


def _order(text: str):
    if text == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer or 'auto', got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def _reader_options(p, search=True):
    g = p.add_argument_group("reading the files")
    g.add_argument("--time", metavar="COL", help="time column (name or 0-based index)")
    g.add_argument("--mag", metavar="COL", help="magnitude column")
    g.add_argument(
        "--flux", metavar="COL", help="flux column instead of --mag (converted to magnitudes)"
    )
    g.add_argument("--err", metavar="COL", help="magnitude (or flux) error column")
    g.add_argument("--band", metavar="B", help="passband (keeps only its rows in AAVSO files)")
    if search:
        g = p.add_argument_group("period search")
        g.add_argument("--min-period", type=_positive, metavar="P", help="shortest period (d)")
        g.add_argument("--max-period", type=_positive, metavar="P", help="longest period (d)")


def _phased_option(p, what):
    p.add_argument(
        "--phased",
        action="store_true",
        help="the files are phase-folded (phase 0-1 instead of times, e.g. phase-binned "
        f"light curves); needs --period, which is then held fixed: {what}",
    )


def _read_kwargs(args) -> dict:
    out = {}
    if args.mag is not None and args.flux is not None:
        raise _UsageError(f"{PROG}: error: give --mag or --flux, not both")
    for key in ("time", "mag", "flux", "err"):
        value = getattr(args, key)
        if value is not None:
            out[key] = int(value) if value.isdigit() else value
    if args.band is not None:
        out["band"] = args.band
    if getattr(args, "phased", False):
        if args.period is None:
            raise _UsageError(
                f"{PROG}: error: --phased needs --period P: phase-folded data cannot give a period"
            )
        out["time_format"] = "phase"
    return out


def _analyze_kwargs(args) -> dict:
    out = _read_kwargs(args)
    if getattr(args, "period", None) is not None:
        if args.min_period is not None or args.max_period is not None:
            raise _UsageError(
                f"{PROG}: error: --period skips the period search; it cannot be combined "
                "with --min-period/--max-period"
            )
        out["period"] = args.period
    if args.min_period and args.max_period and args.min_period >= args.max_period:
        raise _UsageError(
            f"{PROG}: error: --min-period {args.min_period:g} must be below "
            f"--max-period {args.max_period:g}"
        )
    if args.min_period is not None:
        out["min_period"] = args.min_period
    if args.max_period is not None:
        out["max_period"] = args.max_period
    return out


def build_parser() -> argparse.ArgumentParser:
    """The ``navfit`` argument parser with its subcommands."""
    parser = _Parser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    from . import __version__

    parser.add_argument("--version", action="version", version=f"navfit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser(
        "analyze",
        help="period, NAV and TP fits, type and catalogue line",
        description="Find the period (or take it from --period), fit NAV and TP models, classify and print "
        "a summary (or JSON) for each file.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="photometry files")
    p.add_argument(
        "--json",
        action="store_true",
        help="print one JSON object per star, one per line (JSON Lines)",
    )
    p.add_argument(
        "--plot",
        metavar="DIR",
        help="write a PNG per star (phased data with the NAV and TP fits) into DIR",
    )
    p.add_argument(
        "--period",
        type=_positive,
        metavar="P",
        help="known period (d): no period search; refined by the fits (held fixed with --phased)",
    )
    _phased_option(
        p,
        "no period search, NAV and TP fitted at P, epoch given as the phase of "
        "Min I, time system 'phase'",
    )
    _reader_options(p)

    p = sub.add_parser(
        "period",
        help="period search only",
        description="Find the period: value, error, false-alarm probability "
        "and the decision between P/2, P and 2P.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print JSON")
    _reader_options(p)

    p = sub.add_parser(
        "fit",
        help="fit NAV or TP at a given period",
        description="Fit the NAV model or a trigonometric polynomial at a "
        "given period (period and epoch refined) and print the fit summary.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--period", type=_positive, required=True, metavar="P", help="period (d)")
    p.add_argument("--model", choices=("nav", "tp"), default="nav", help="model (default nav)")
    p.add_argument(
        "--order",
        type=_order,
        default=None,
        metavar="N|auto",
        help="TP order (default auto; only with --model tp)",
    )
    p.add_argument("--fix-period", action="store_true", help="keep the period fixed")
    _phased_option(p, "implies --fix-period")
    _reader_options(p, search=False)

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
        "-j", "--jobs", type=_jobs, default=1, metavar="N", help="worker processes (default 1)"
    )
    p.add_argument(
        "--threads",
        type=_jobs,
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
    _reader_options(p)

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

    p = sub.add_parser(
        "minima",
        help="times of minima of eclipsing binaries (NAV profile, Kwee-van Woerden, polynomial)",
        description="Time every observed minimum: windows from the fitted NAV ephemeris and "
        "eclipse half-widths (the period is searched unless --period is given), timed by the "
        "NAV profile, Kwee-van Woerden with Deeg's error, or a polynomial. Prints IBVS/CDS-"
        "style lines (flagged minima left out unless --flagged) or writes ECSV/CSV.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="photometry files")
    p.add_argument(
        "--period", type=_positive, metavar="P", help="period (d): start of the NAV fit"
    )
    p.add_argument(
        "--epoch", type=_finite, metavar="T0", help="epoch of Min I (full JD): start of the fit"
    )
    p.add_argument(
        "--method",
        choices=("nav", "kvw", "poly", "both", "all"),
        default="both",
        help="timing method; both = nav and kvw, all adds poly (default both)",
    )
    p.add_argument(
        "--format",
        choices=("ibvs", "ecsv", "csv"),
        default="ibvs",
        help="output format (default ibvs: fixed-width lines)",
    )
    p.add_argument(
        "--errors",
        choices=("covariance", "bootstrap"),
        default="covariance",
        help="errors of the NAV-profile times (default covariance)",
    )
    p.add_argument("--nfold", type=_nfold, default=5, metavar="N", help="KvW folds (default 5)")
    p.add_argument(
        "--start",
        choices=("lowest", "middle"),
        default="lowest",
        help="KvW first guess: the faintest or the middle point (default lowest)",
    )
    p.add_argument("--flagged", action="store_true", help="ibvs: also print flagged minima")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    _reader_options(p)

    p = sub.add_parser(
        "oc",
        help="O-C diagram: linear, quadratic and light-time fits to times of minima",
        description="Fit linear, quadratic and light-travel-time models to the O-C of times "
        "of minima (written by 'navfit minima' as ECSV, CSV or IBVS lines) and print the "
        "models, their parameters and the best by BIC.",
    )
    p.add_argument("minima", metavar="MINIMA", help="times of minima (ECSV, CSV or IBVS lines)")
    p.add_argument("--period", type=_positive, metavar="P", help="reference period (d)")
    p.add_argument(
        "--epoch", type=_finite, metavar="T0", help="reference epoch of Min I (full JD)"
    )
    p.add_argument(
        "--models",
        type=_models,
        default=("linear", "quadratic", "ltte"),
        metavar="LIST",
        help="comma-separated models from linear, quadratic, ltte (default all three)",
    )
    p.add_argument(
        "--kind",
        choices=("both", "I", "II", "separate"),
        default="both",
        help="minima to fit; separate fits Min I and Min II apart (default both)",
    )
    p.add_argument("--method", metavar="M", help="timing method to use (default nav, kvw, poly)")
    p.add_argument(
        "--criterion", choices=("bic", "aic"), default="bic", help="model choice (default bic)"
    )
    p.add_argument(
        "--secondary-offset",
        action="store_true",
        help="a free offset of the secondary minima (eccentric orbits)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--plot", metavar="PNG", help="write the O-C diagram here")
    return parser


def _report_warnings(caught, where=""):
    seen = set()
    for w in caught:
        text = " ".join(str(w.message).split())
        if text not in seen:
            seen.add(text)
            _err(f"{PROG}: warning: {where}{text}")


def _plot(result, folder: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plot import plot_light_curve

    ax, _ = plot_light_curve(result.nav, result.tp, title=f"{result.name}: {result.type}")
    stem = Path(result.file).name.replace(".", "_") or result.name
    path = folder / f"{stem}.png"
    ax.figure.savefig(path, dpi=150)
    plt.close(ax.figure)
    return path


def _cmd_analyze(args) -> int:
    from .analyze import analyze

    kwargs = _analyze_kwargs(args)
    folder = None
    if args.plot:
        folder = Path(args.plot)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _UsageError(
                f"{PROG}: error: cannot create plot folder {folder}: {exc.strerror}"
            ) from None
    failed = 0
    for file in args.files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = analyze(file, **kwargs)
                if args.json:
                    print(json.dumps(result.to_dict()), flush=True)
                else:
                    print(result.summary(), flush=True)
                if folder is not None:
                    _plot(result, folder)
            except Exception as exc:  # noqa: BLE001 - one line per bad file, no traceback
                failed += 1
                _err(f"{PROG}: {_message(exc, file)}")
        _report_warnings(caught, f"{file}: ")
    return 1 if failed else 0


def _message(exc, file):
    from .batch import one_line

    text = one_line(exc)
    return text if file in text else f"{file}: {text}"


def _cmd_period(args) -> int:
    from .io import read_lightcurve
    from .period_search import find_period

    kwargs = _analyze_kwargs(args)
    lo, hi = kwargs.pop("min_period", None), kwargs.pop("max_period", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            lc = read_lightcurve(args.file, **kwargs)
            s = find_period(lc, lo, hi)
        except Exception as exc:  # noqa: BLE001 - one line, no traceback
            _err(f"{PROG}: {_message(exc, args.file)}")
            return 1
    _report_warnings(caught, f"{args.file}: ")
    decision = s.evidence.get("decision")
    if args.json:
        from .catalogue import json_number

        print(
            json.dumps(
                {
                    "file": args.file,
                    "period": json_number(s.period),
                    "period_err": json_number(s.period_error),
                    "fap": json_number(s.fap),
                    "significant": bool(s.significant),
                    "decision": decision,
                    "flags": list(s.flags),
                }
            )
        )
    else:
        print(
            f"{args.file}: P = {s.period:.9g} +- {s.period_error:.2g} d, FAP {s.fap:.2g}"
            f"{'' if s.significant else ' (not significant)'}"
        )
        print(f"  decision: {decision}")
        for flag in s.flags:
            print(f"  flag: {flag}")
    return 0


def _cmd_fit(args) -> int:
    from .io import read_lightcurve
    from .models import fit_nav, fit_tp

    if args.order is not None and args.model != "tp":
        raise _UsageError(f"{PROG} fit: error: --order applies to --model tp only")
    kwargs = _read_kwargs(args)
    if args.phased:
        kwargs["period"] = args.period
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            lc = read_lightcurve(args.file, **kwargs)
            free = not (args.fix_period or args.phased)
            if args.model == "tp":
                result = fit_tp(lc, args.period, order=args.order or "auto", free_period=free)
            else:
                result = fit_nav(lc, args.period, free_period=free)
        except Exception as exc:  # noqa: BLE001 - one line, no traceback
            _err(f"{PROG}: {_message(exc, args.file)}")
            return 1
    _report_warnings(caught, f"{args.file}: ")
    print(result.summary())
    return 0


def _cmd_batch(args) -> int:
    from .batch import run_batch
    from .errors import NavfitError

    if args.scheduler and args.engine == "processes":
        raise _UsageError(f"{PROG} batch: error: --scheduler needs --engine dask")
    engine = args.engine or ("dask" if args.scheduler else "processes")
    kwargs = _analyze_kwargs(args)
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
            **kwargs,
        )
    except NavfitError as exc:
        raise _UsageError(f"{PROG} batch: error: {exc}") from None
    for file, reason in summary["errors"].items():
        _err(f"{PROG}: {reason if file in reason else f'{file}: {reason}'}")
    print(
        f"{summary['total']} stars: {summary['done']} done, {summary['failed']} failed, "
        f"{summary['skipped']} from the journal; {summary['analysed']} analysed in "
        f"{summary['elapsed']:.1f} s ({summary['rate']:.2f} stars/s); wrote {summary['output']}",
        file=sys.stderr,
    )
    return 1 if summary["failed"] else 0


def _cmd_table(args) -> int:
    from astropy.table import Table

    from .catalogue import GCVS_HEADER, VSX_FIELDS, rows_from_table

    path = Path(args.catalogue)
    if not path.is_file():
        raise _UsageError(f"{PROG} table: error: {path}: file not found")
    try:
        table = Table.read(path, format="ascii.ecsv")
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a usage error
        raise _UsageError(
            f"{PROG} table: error: {path}: not an ECSV catalogue ({' '.join(str(exc).split())})"
        ) from None
    if "name" not in table.colnames or "period" not in table.colnames:
        raise _UsageError(
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
            _err(
                f"{PROG} table: {len(rows) - len(good)} failed stars left out of the "
                f"{args.format} lines"
            )
        return 0
    fmt = {"csv": "ascii.csv", "fits": "fits", "votable": "votable"}[args.format]
    if args.output:
        table.write(args.output, format=fmt, overwrite=True)
    elif args.format == "fits":
        raise _UsageError(f"{PROG} table: error: --format fits needs -o FILE")
    else:
        table.write(sys.stdout, format=fmt)
    return 0


def _cmd_minima(args) -> int:
    from astropy.table import vstack

    from .analyze import analyze
    from .io import read_lightcurve
    from .minima import times_of_minima
    from .oc import minima_lines

    kwargs = _analyze_kwargs(args)
    period = kwargs.pop("period", None)
    search = {k: kwargs.pop(k) for k in ("min_period", "max_period") if k in kwargs}
    tables, lines, failed = [], [], 0
    for file in args.files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                lc = read_lightcurve(file, **kwargs)
                source = lc if period is not None else analyze(lc, **search)
                table = times_of_minima(
                    source,
                    period=period,
                    epoch=args.epoch,
                    method=args.method,
                    errors=args.errors,
                    nfold=args.nfold,
                    start=args.start,
                )
            except Exception as exc:  # noqa: BLE001 - one line per bad file, no traceback
                failed += 1
                _err(f"{PROG}: {_message(exc, file)}")
                continue
        _report_warnings(caught, f"{file}: ")
        if args.format == "ibvs":
            lines += minima_lines(table, flagged=args.flagged)
        else:
            table.add_column(str(table.meta["name"]), name="name", index=0)
            table.add_column(str(file), name="file", index=1)
            tables.append(table)
    if args.format == "ibvs":
        text = "\n".join(lines) + ("\n" if lines else "")
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
        else:
            sys.stdout.write(text)
    elif tables:
        table = vstack(tables, metadata_conflicts="silent")
        if len(tables) > 1:
            table.meta = {"time_format": "full Julian date", "files": list(args.files)}
        fmt = {"ecsv": "ascii.ecsv", "csv": "ascii.csv"}[args.format]
        table.write(args.output or sys.stdout, format=fmt, overwrite=True)
    return 1 if failed else 0


def _oc_json(result) -> dict:
    from .catalogue import json_number

    def model(m):
        return {
            "k": m.k,
            "n": m.n,
            "chi2": json_number(m.chi2),
            "chi2_red": json_number(m.chi2_red),
            "aic": json_number(m.aic),
            "bic": json_number(m.bic),
            "params": {k: [json_number(v), json_number(m.errors[k])] for k, v in m.params.items()},
            "derived": {k: [json_number(v), json_number(e)] for k, (v, e) in m.derived.items()},
        }

    return {
        "name": result.meta.get("name"),
        "method": result.meta.get("method"),
        "n": len(result.data),
        "epoch": json_number(result.epoch),
        "period": json_number(result.period),
        "reference": result.reference,
        "best": result.best.name,
        "models": {name: model(m) for name, m in result.models.items()},
    }


def _cmd_oc(args) -> int:
    from .errors import NavfitError
    from .oc import SeparateOC, fit_oc

    if (args.period is None) != (args.epoch is None):
        raise _UsageError(f"{PROG} oc: error: give --period and --epoch together (or neither)")
    path = Path(args.minima)
    if not path.is_file():
        raise _UsageError(f"{PROG} oc: error: {path}: file not found")
    try:
        result = fit_oc(
            path,
            period=args.period,
            epoch=args.epoch,
            models=args.models,
            kind=args.kind,
            method=args.method,
            criterion=args.criterion,
            secondary_offset=args.secondary_offset,
        )
    except NavfitError as exc:
        _err(f"{PROG}: {_message(exc, args.minima)}")
        return 1
    parts = [result.primary, result.secondary] if isinstance(result, SeparateOC) else [result]
    if args.json:
        out = [_oc_json(r) for r in parts]
        if isinstance(result, SeparateOC):
            d, e = result.period_difference
            print(json.dumps({"I": out[0], "II": out[1], "period_difference": [d, e]}))
        else:
            print(json.dumps(out[0]))
    else:
        print(result.summary())
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        for i, r in enumerate(parts):
            axes = r.plot()
            target = Path(args.plot)
            if len(parts) > 1:
                target = target.with_name(f"{target.stem}_{'I' if i == 0 else 'II'}{target.suffix}")
            axes[0].figure.savefig(target, dpi=150)
            plt.close(axes[0].figure)
    return 0


COMMANDS = {
    "analyze": _cmd_analyze,
    "period": _cmd_period,
    "fit": _cmd_fit,
    "batch": _cmd_batch,
    "table": _cmd_table,
    "minima": _cmd_minima,
    "oc": _cmd_oc,
}


def main(argv=None) -> int:
    """Run the ``navfit`` command; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except _UsageError as exc:
        _err(str(exc))
        return 2
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        _err(f"{PROG}: interrupted (a batch continues with --resume)")
        return 130
    except (OSError, ValueError) as exc:
        _err(f"{PROG}: {' '.join(str(exc).split())}")
        return 1


if __name__ == "__main__":
    sys.exit(main())
