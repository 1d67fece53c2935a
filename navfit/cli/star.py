"""The subcommands about one star: ``analyze``, ``star``, ``period`` and ``fit``."""

from __future__ import annotations

import json
import warnings
from pathlib import Path

from .common import (
    PROG,
    UsageError,
    analyze_kwargs,
    err,
    message,
    order,
    phased_option,
    positive,
    read_kwargs,
    reader_options,
    report_warnings,
)


def add_parsers(sub) -> None:
    """Add the ``analyze``, ``star``, ``period`` and ``fit`` subcommands to ``sub``."""
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
        type=positive,
        metavar="P",
        help="known period (d): no period search; refined by the fits (held fixed with --phased)",
    )
    phased_option(
        p,
        "no period search, NAV and TP fitted at P, epoch given as the phase of "
        "Min I, time system 'phase'",
    )
    reader_options(p)
    _star_parser(sub)
    p = sub.add_parser(
        "period",
        help="period search only",
        description="Find the period: value, error, false-alarm probability "
        "and the decision between P/2, P and 2P.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print JSON")
    reader_options(p)
    p = sub.add_parser(
        "fit",
        help="fit NAV or TP at a given period",
        description="Fit the NAV model or a trigonometric polynomial at a "
        "given period (period and epoch refined) and print the fit summary.",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--period", type=positive, required=True, metavar="P", help="period (d)")
    p.add_argument("--model", choices=("nav", "tp"), default="nav", help="model (default nav)")
    p.add_argument(
        "--order",
        type=order,
        default=None,
        metavar="N|auto",
        help="TP order (default auto; only with --model tp)",
    )
    p.add_argument("--fix-period", action="store_true", help="keep the period fixed")
    phased_option(p, "implies --fix-period")
    reader_options(p, search=False)


def _star_parser(sub) -> None:
    p = sub.add_parser(
        "star",
        help="analyse several files (bands, surveys) of one star together",
        description="Read every FILE as one star (each file its own series, every band kept; "
        "see navfit.read_lightcurve) and analyse all bands together: a shared period, the "
        "joint NAV (eclipsers) or TP fit of every band, a catalogue row in the best-sampled "
        "band, or one row per band with --per-band.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="photometry files of one star")
    p.add_argument("--name", metavar="NAME", help="object name (default: from the files)")
    p.add_argument("--json", action="store_true", help="print JSON (one object per line)")
    p.add_argument(
        "--per-band",
        action="store_true",
        help="one catalogue row per band (GCVS lines, or one JSON object per band)",
    )
    p.add_argument(
        "--plot",
        metavar="DIR",
        help="write the star's PNG into DIR: one panel per band with its joint fit",
    )
    p.add_argument(
        "--period",
        type=positive,
        metavar="P",
        help="known period (d): no period search; refined by the fits",
    )
    reader_options(p)
    p.add_argument(
        "--series",
        metavar="COL",
        help="column (name or 0-based index) labelling each row's dataset, observatory or "
        "field within a file: each label gets its own zero point in the joint fits",
    )


def _plot(result, folder: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plot import plot_light_curve

    if getattr(result, "multiband", None) is not None:
        from ..plot import plot_multiband

        ax = plot_multiband(result.multiband)[0]
        ax.figure.suptitle(f"{result.name}: {result.type}", fontsize=10)
        stem = result.name.replace(" ", "_")
    else:
        ax, _ = plot_light_curve(result.nav, result.tp, title=f"{result.name}: {result.type}")
        stem = Path(result.file).name.replace(".", "_") or result.name
    path = folder / f"{stem}.png"
    ax.figure.savefig(path, dpi=150)
    plt.close(ax.figure)
    return path


def _plot_folder(args) -> Path | None:
    if not args.plot:
        return None
    folder = Path(args.plot)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(
            f"{PROG}: error: cannot create plot folder {folder}: {exc.strerror}"
        ) from None
    return folder


def _cmd_analyze(args) -> int:
    from ..analyze import analyze

    kwargs = analyze_kwargs(args)
    folder = _plot_folder(args)
    failed = 0
    for file in args.files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                result = analyze(file, **kwargs)
                if args.json:
                    dropped = dict(result.read_lc.meta.get("dropped", {}))
                    row = {**result.to_dict(), "dropped": dropped}
                    print(json.dumps(row), flush=True)
                else:
                    print(result.summary(), flush=True)
                if folder is not None:
                    _plot(result, folder)
            except BrokenPipeError:  # the reader left: main() ends quietly
                raise
            except Exception as exc:  # noqa: BLE001 - one line per bad file, no traceback
                failed += 1
                err(f"{PROG}: {message(exc, file)}")
        report_warnings(caught, f"{file}: ")
    return 1 if failed else 0


def _cmd_period(args) -> int:
    from ..io import read_lightcurve
    from ..period_search import find_period

    kwargs = analyze_kwargs(args)
    lo, hi = kwargs.pop("min_period", None), kwargs.pop("max_period", None)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            lc = read_lightcurve(args.file, **kwargs)
            s = find_period(lc, lo, hi)
        except BrokenPipeError:  # the reader left: main() ends quietly
            raise
        except Exception as exc:  # noqa: BLE001 - one line, no traceback
            err(f"{PROG}: {message(exc, args.file)}")
            return 1
    report_warnings(caught, f"{args.file}: ")
    decision = s.evidence.get("decision")
    if args.json:
        from ..catalogue import json_number

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
    from ..io import read_lightcurve
    from ..models import fit_nav, fit_tp

    if args.order is not None and args.model != "tp":
        raise UsageError(f"{PROG} fit: error: --order applies to --model tp only")
    kwargs = read_kwargs(args)
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
        except BrokenPipeError:  # the reader left: main() ends quietly
            raise
        except Exception as exc:  # noqa: BLE001 - one line, no traceback
            err(f"{PROG}: {message(exc, args.file)}")
            return 1
    report_warnings(caught, f"{args.file}: ")
    print(result.summary())
    return 0


def _read_star(files, kwargs):
    """The light curve of one star's files, ``--band`` selected after reading."""
    from ..io import read_lightcurve

    band = kwargs.pop("band", None)
    lc = read_lightcurve(list(files) if len(files) > 1 else files[0], **kwargs)
    if band is not None:
        lc = lc.select(band)  # InputError naming the bands there are
    return lc


def _print_star(result, args) -> None:
    from ..catalogue import GCVS_HEADER, CatalogueRow

    row = CatalogueRow.from_result(result)
    if args.json:
        for r in row.per_band() if args.per_band else [row]:
            print(json.dumps(r.to_json()), flush=True)
    elif args.per_band:
        print(GCVS_HEADER)
        for r in row.per_band():
            print(r.gcvs_line(), flush=True)
    else:
        print(result.summary(), flush=True)


def _cmd_star(args) -> int:
    from ..analyze import analyze

    kwargs = analyze_kwargs(args)
    analysis = {k: kwargs.pop(k) for k in ("period", "min_period", "max_period") if k in kwargs}
    if args.series is not None:
        kwargs["series_column"] = int(args.series) if args.series.isdigit() else args.series
    folder = _plot_folder(args)
    missing = [f for f in args.files if not Path(f).is_file()]
    if missing:
        err(f"{PROG}: {missing[0]}: no such file")
        return 1
    where = args.files[0] if len(args.files) == 1 else f"{args.files[0]} (+{len(args.files) - 1})"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            lc = _read_star(args.files, kwargs)
            result = analyze(lc, name=args.name, **analysis)
            _print_star(result, args)
            if folder is not None:
                _plot(result, folder)
        except BrokenPipeError:  # the reader left: main() ends quietly
            raise
        except Exception as exc:  # noqa: BLE001 - one line, no traceback
            from ..batch import one_line

            text = one_line(exc)
            named = any(str(f) in text for f in args.files)
            err(f"{PROG}: {text if named else f'{where}: {text}'}")
            return 1
    report_warnings(caught, f"{where}: ")
    return 0


COMMANDS = {"analyze": _cmd_analyze, "star": _cmd_star, "period": _cmd_period, "fit": _cmd_fit}
