"""The subcommands about eclipse timings: ``minima`` and ``oc``."""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

from .common import (
    PROG,
    UsageError,
    analyze_kwargs,
    err,
    finite,
    message,
    models_list,
    nfold,
    positive,
    reader_options,
    report_warnings,
)


def add_parsers(sub) -> None:
    """Add the ``minima`` and ``oc`` subcommands to ``sub``."""
    p = sub.add_parser(
        "minima",
        help="times of minima of eclipsing binaries (NAV profile, Kwee-van Woerden, polynomial)",
        description="Time every observed minimum: windows from the fitted NAV ephemeris and "
        "eclipse half-widths (the period is searched unless --period is given), timed by the "
        "NAV profile, Kwee-van Woerden with Deeg's error, or a polynomial. Prints IBVS/CDS-"
        "style lines (flagged minima left out unless --flagged) or writes ECSV/CSV.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="photometry files")
    p.add_argument("--period", type=positive, metavar="P", help="period (d): start of the NAV fit")
    p.add_argument(
        "--epoch", type=finite, metavar="T0", help="epoch of Min I (full JD): start of the fit"
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
    p.add_argument("--nfold", type=nfold, default=5, metavar="N", help="KvW folds (default 5)")
    p.add_argument(
        "--start",
        choices=("lowest", "middle"),
        default="lowest",
        help="KvW first guess: the faintest or the middle point (default lowest)",
    )
    p.add_argument(
        "--noise",
        type=positive,
        metavar="SIGMA",
        help="KvW point-to-point noise in the units of the light: magnitudes, or flux with "
        "--keep-flux; default the local noise of the NAV fit, or Deeg's estimate for one eclipse",
    )
    p.add_argument(
        "--keep-flux",
        action="store_true",
        help="keep a flux column as flux instead of converting it to magnitudes (a noise "
        "given in flux, as published timings of normalised light curves quote it)",
    )
    p.add_argument(
        "--single",
        action="store_true",
        help="each file holds one eclipse: time it on all its points (KvW; the polynomial too "
        "with --method all or poly), no period needed; also chosen when the file spans less "
        "than half of --period",
    )
    p.add_argument("--flagged", action="store_true", help="ibvs: also print flagged minima")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    reader_options(p)
    p = sub.add_parser(
        "oc",
        help="O-C diagram: linear, quadratic and light-time fits to times of minima",
        description="Fit linear, quadratic and light-travel-time models to the O-C of times "
        "of minima (written by 'navfit minima' as ECSV, CSV or IBVS lines) and print the "
        "models, their parameters and the best by BIC.",
    )
    p.add_argument("minima", metavar="MINIMA", help="times of minima (ECSV, CSV or IBVS lines)")
    p.add_argument("--period", type=positive, metavar="P", help="reference period (d)")
    p.add_argument("--epoch", type=finite, metavar="T0", help="reference epoch of Min I (full JD)")
    p.add_argument(
        "--models",
        type=models_list,
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


def _cmd_minima(args) -> int:
    from astropy.table import vstack

    from ..analyze import analyze
    from ..io import read_lightcurve
    from ..minima import time_one_eclipse, times_of_minima
    from ..oc import minima_lines

    kwargs = analyze_kwargs(args)
    period = kwargs.pop("period", None)
    search = {k: kwargs.pop(k) for k in ("min_period", "max_period") if k in kwargs}
    if args.keep_flux:
        kwargs["keep_flux"] = True
    tables, lines, failed = [], [], 0
    for file in args.files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                lc = read_lightcurve(file, **kwargs)
                if args.single or (period is not None and lc.time_span < 0.5 * period):
                    table = time_one_eclipse(
                        lc, method=args.method, nfold=args.nfold, start=args.start, noise=args.noise
                    )
                else:
                    table = times_of_minima(
                        lc if period is not None else analyze(lc, **search),
                        period=period,
                        epoch=args.epoch,
                        method=args.method,
                        errors=args.errors,
                        nfold=args.nfold,
                        start=args.start,
                        noise=args.noise,
                    )
                new = minima_lines(table, flagged=args.flagged) if args.format == "ibvs" else []
            except BrokenPipeError:  # the reader left: main() ends quietly
                raise
            except Exception as exc:  # noqa: BLE001 - one line per bad file, no traceback
                failed += 1
                err(f"{PROG}: {message(exc, file)}")
                continue
        report_warnings(caught, f"{file}: ")
        if args.format == "ibvs":
            lines += new
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
            formats = {str(t.meta.get("time_format")) for t in tables}
            table.meta = {"time_format": " / ".join(sorted(formats)), "files": list(args.files)}
        fmt = {"ecsv": "ascii.ecsv", "csv": "ascii.csv"}[args.format]
        table.write(args.output or sys.stdout, format=fmt, overwrite=True)
    return 1 if failed else 0


def _oc_json(result) -> dict:
    from ..catalogue import json_number

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
    from ..errors import NavfitError
    from ..oc import SeparateOC, fit_oc

    if (args.period is None) != (args.epoch is None):
        raise UsageError(f"{PROG} oc: error: give --period and --epoch together (or neither)")
    path = Path(args.minima)
    if not path.is_file():
        raise UsageError(f"{PROG} oc: error: {path}: file not found")
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
        err(f"{PROG}: {message(exc, args.minima)}")
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


COMMANDS = {"minima": _cmd_minima, "oc": _cmd_oc}
