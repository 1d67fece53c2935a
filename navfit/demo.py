"""The main job on the bundled samples: ``python -m navfit.demo [DATA] [OUT]``.

For each light curve listed in ``DATA/catalog.csv`` (default ``data``), run
:func:`navfit.analyze` (period search, NAV and optimal-TP fits, comparison,
classification, catalogue row), print its summary beside the listed period and
type, and write under ``OUT`` (default ``out``): ``catalogue.ecsv`` (one row per
star, every value with its error), ``catalogue_gcvs.txt`` (GCVS-style lines),
and one PNG per star with the phased data, the NAV and TP fits and their
1-sigma bands.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from astropy.table import Table

from .analyze import analyze
from .catalogue import GCVS_HEADER, catalogue_table, gcvs_line
from .errors import NavfitError


def main(argv=None) -> int:
    """Run the demo; returns a process exit code (0 ok, 1 a star failed, 2 usage)."""
    parser = argparse.ArgumentParser(
        prog="python -m navfit.demo",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", nargs="?", default="data", help="folder with catalog.csv")
    parser.add_argument("out", nargs="?", default="out", help="output folder")
    args = parser.parse_args(argv)
    data, out = Path(args.data), Path(args.out)
    catalog = data / "catalog.csv"
    if not catalog.is_file():
        print(f"navfit demo: {catalog} not found", file=sys.stderr)
        return 2
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .plot import plot_light_curve

    out.mkdir(parents=True, exist_ok=True)
    stars, lines, failed = [], [], 0
    for entry in Table.read(catalog, format="ascii.csv"):
        path = data / entry["file"]
        try:
            star = analyze(path)
        except NavfitError as exc:
            print(f"navfit demo: {exc}", file=sys.stderr)
            stars.append({"name": path.stem, "file": str(path), "error": str(exc)})
            failed += 1
            continue
        print(f"{path.name}: listed P = {float(entry['period']):.8g} d, type {entry['type']}")
        print(star.summary(), end="\n\n")
        stars.append(star)
        lines.append(gcvs_line(star))
        ax, _ = plot_light_curve(star.nav, star.tp, title=f"{star.name}: {star.type}")
        ax.figure.savefig(out / f"{path.name.replace('.', '_')}.png", dpi=150)
        plt.close(ax.figure)
    catalogue_table(stars).write(out / "catalogue.ecsv", format="ascii.ecsv", overwrite=True)
    (out / "catalogue_gcvs.txt").write_text("\n".join([GCVS_HEADER, *lines]) + "\n")
    print(GCVS_HEADER, *lines, sep="\n")
    print(f"\nwrote {out}/catalogue.ecsv, {out}/catalogue_gcvs.txt and {len(lines)} PNGs")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
