"""What every ``navfit`` subcommand shares: argument types, reading options, messages."""

from __future__ import annotations

import argparse
import math
import sys

PROG = "navfit"


class UsageError(Exception):
    """Bad command-line arguments (exit code 2)."""


class Parser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one stderr line and exit code 2 without SystemExit."""

    def error(self, message):
        """Raise a :class:`UsageError` instead of exiting."""
        raise UsageError(f"{self.prog}: error: {message} (see {self.prog} --help)")


def err(message: str) -> None:
    """Print a message to stderr as one line."""
    print(" ".join(str(message).split()), file=sys.stderr)


def _number(text: str, convert, ok, requirement: str):
    """``convert(text)`` if it parses and passes ``ok``, else an argparse error saying why."""
    try:
        value = convert(text)
    except ValueError:
        kind = "an integer" if convert is int else "a number"
        raise argparse.ArgumentTypeError(f"not {kind}: {text!r}") from None
    if not ok(value):
        raise argparse.ArgumentTypeError(f"must be {requirement}, got {text!r}")
    return value


def positive(text: str) -> float:
    """Argument type: a positive, finite number of days."""
    return _number(text, float, lambda v: math.isfinite(v) and v > 0, "a positive number of days")


def jobs(text: str) -> int:
    """Argument type: an integer of at least 1."""
    return _number(text, int, lambda v: v >= 1, "at least 1")


def finite(text: str) -> float:
    """Argument type: a finite number."""
    return _number(text, float, math.isfinite, "finite")


def nfold(text: str) -> int:
    """Argument type: an odd number of Kwee-van Woerden folds, at least 3."""
    return _number(text, int, lambda v: v >= 3 and v % 2 == 1, "an odd integer >= 3")


def models_list(text: str) -> tuple:
    """Argument type: comma-separated O-C models (linear, quadratic, ltte)."""
    names = tuple(x.strip() for x in text.split(",") if x.strip())
    bad = [x for x in names if x not in ("linear", "quadratic", "ltte")]
    if bad or not names:
        raise argparse.ArgumentTypeError(
            f"models are linear, quadratic, ltte (comma-separated), got {text!r}"
        )
    return names


def order(text: str):
    """Argument type: a TP order of at least 1, or ``auto``."""
    if text == "auto":
        return "auto"
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be an integer or 'auto', got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {text!r}")
    return value


def reader_options(p, search=True):
    """Add the reading options (and the period range, with ``search``) to a subcommand."""
    g = p.add_argument_group("reading the files")
    g.add_argument("--time", metavar="COL", help="time column (name or 0-based index)")
    g.add_argument("--mag", metavar="COL", help="magnitude column")
    g.add_argument(
        "--flux", metavar="COL", help="flux column instead of --mag (converted to magnitudes)"
    )
    g.add_argument("--err", metavar="COL", help="magnitude (or flux) error column")
    g.add_argument("--band", metavar="B", help="passband (keeps only its rows in AAVSO files)")
    g.add_argument(
        "--time-format",
        metavar="FMT",
        help="time format of every file, where its column name or header does not say: jd, "
        "hjd, bjd, mjd, rjd, btjd, bkjd or reduced such as bjd-2400000 (bjd_tcb-2455197.5: "
        "Gaia)",
    )
    g.add_argument(
        "--source-id",
        type=int,
        metavar="ID",
        help="the Gaia DR3 source to read from epoch photometry that holds several",
    )
    if search:
        g = p.add_argument_group("period search")
        g.add_argument(
            "--min-period",
            type=positive,
            metavar="P",
            help="shortest period (d; default twice the median time step, within 0.05-0.1)",
        )
        g.add_argument("--max-period", type=positive, metavar="P", help="longest period (d)")


def phased_option(p, what):
    """Add ``--phased`` to a subcommand; ``what`` says what it implies there."""
    p.add_argument(
        "--phased",
        action="store_true",
        help="the files are phase-folded (phase 0-1 instead of times, e.g. phase-binned "
        f"light curves); needs --period, which is then held fixed: {what}",
    )


def read_kwargs(args) -> dict:
    """Keyword arguments of :func:`navfit.read_lightcurve` from the parsed options."""
    out = {}
    if args.mag is not None and args.flux is not None:
        raise UsageError(f"{PROG}: error: give --mag or --flux, not both")
    for key in ("time", "mag", "flux", "err"):
        value = getattr(args, key)
        if value is not None:
            out[key] = int(value) if value.isdigit() else value
    if args.band is not None:
        out["band"] = args.band
    if args.source_id is not None:
        out["source_id"] = args.source_id
    if args.time_format is not None:
        from ..io_columns import parse_time_label

        if parse_time_label(args.time_format) is None:
            raise UsageError(
                f"{PROG}: error: unknown --time-format {args.time_format!r}; use jd, hjd, bjd, "
                "mjd, rjd, btjd, bkjd or a reduced date such as bjd-2450000"
            )
        out["time_format"] = args.time_format
    if getattr(args, "phased", False):
        if args.time_format is not None:
            raise UsageError(f"{PROG}: error: --phased reads phases: no --time-format with it")
        if args.period is None:
            raise UsageError(
                f"{PROG}: error: --phased needs --period P: phase-folded data cannot give a period"
            )
        out["time_format"] = "phase"
    return out


def analyze_kwargs(args) -> dict:
    """Keyword arguments of :func:`navfit.analyze` from the parsed options (checked together)."""
    out = read_kwargs(args)
    if getattr(args, "period", None) is not None:
        if args.min_period is not None or args.max_period is not None:
            raise UsageError(
                f"{PROG}: error: --period skips the period search; it cannot be combined "
                "with --min-period/--max-period"
            )
        out["period"] = args.period
    if args.min_period and args.max_period and args.min_period >= args.max_period:
        raise UsageError(
            f"{PROG}: error: --min-period {args.min_period:g} must be below "
            f"--max-period {args.max_period:g}"
        )
    if args.min_period is not None:
        out["min_period"] = args.min_period
    if args.max_period is not None:
        out["max_period"] = args.max_period
    return out


def report_warnings(caught, where=""):
    """Print each distinct caught warning once, as one stderr line."""
    seen = set()
    for w in caught:
        text = " ".join(str(w.message).split())
        if text not in seen:
            seen.add(text)
            # most warnings name their file already
            prefix = "" if where and where.rstrip(": ") in text else where
            err(f"{PROG}: warning: {prefix}{text}")


def message(exc, file):
    """An error as one line that names the file."""
    from ..batch import one_line

    text = one_line(exc)
    return text if file in text else f"{file}: {text}"
