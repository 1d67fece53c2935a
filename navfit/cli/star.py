"""The subcommands about one star: ``analyze``, ``period`` and ``fit``."""

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
    """Add the ``analyze``, ``period`` and ``fit`` subcommands to ``sub``."""
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


def _plot(result, folder: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from ..plot import plot_light_curve

    ax, _ = plot_light_curve(result.nav, result.tp, title=f"{result.name}: {result.type}")
    stem = Path(result.file).name.replace(".", "_") or result.name
    path = folder / f"{stem}.png"
    ax.figure.savefig(path, dpi=150)
    plt.close(ax.figure)
    return path


def _cmd_analyze(args) -> int:
    from ..analyze import analyze

    kwargs = analyze_kwargs(args)
    folder = None
    if args.plot:
        folder = Path(args.plot)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(
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
        except Exception as exc:  # noqa: BLE001 - one line, no traceback
            err(f"{PROG}: {message(exc, args.file)}")
            return 1
    report_warnings(caught, f"{args.file}: ")
    print(result.summary())
    return 0


COMMANDS = {"analyze": _cmd_analyze, "period": _cmd_period, "fit": _cmd_fit}
