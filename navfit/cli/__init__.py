"""Command line: navfit analyze | star | period | fit | batch | report | table | minima | oc.

navfit CMD --help describes each command.

Exit codes: 0 success, 1 some stars failed (each problem is one line on
stderr), 2 usage errors (bad options or arguments), 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys

from . import catalogue, star, timing
from .common import PROG, Parser, UsageError, err

__all__ = ["main"]

#: Subcommand -> function of the parsed arguments returning the exit code.
COMMANDS = {**star.COMMANDS, **catalogue.COMMANDS, **timing.COMMANDS}


def build_parser() -> argparse.ArgumentParser:
    """The ``navfit`` argument parser with its subcommands."""
    parser = Parser(
        prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    from .. import __version__

    parser.add_argument("--version", action="version", version=f"navfit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for module in (star, catalogue, timing):
        module.add_parsers(sub)
    return parser


def main(argv=None) -> int:
    """Run the ``navfit`` command; returns the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser().parse_args(argv)
        return COMMANDS[args.command](args)
    except UsageError as exc:
        err(str(exc))
        return 2
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else 0
    except KeyboardInterrupt:
        err(f"{PROG}: interrupted (a batch continues with --resume)")
        return 130
    except BrokenPipeError:  # the reader stopped (``navfit ... | head``): nothing to report
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # "navfit: out/cat.ecsv: Not a directory", as Unix tools say it
        where = f"{exc.filename}: " if exc.filename else ""
        err(f"{PROG}: {where}{exc.strerror or ' '.join(str(exc).split())}")
        return 1
    except ValueError as exc:
        err(f"{PROG}: {' '.join(str(exc).split())}")
        return 1
