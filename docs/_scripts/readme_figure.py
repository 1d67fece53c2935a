"""Draw the figure of the README and of the documentation's front page.

    .venv/bin/python docs/_scripts/readme_figure.py

writes ``docs/_static/readme_figure.png``: the synthetic Algol ``data/syn_ea.csv``
analysed by :func:`navfit.analyze` (period search, NAV and TP fits), drawn by
:func:`navfit.plot.plot_light_curve`. Run it from anywhere; the data are the
committed samples, so the figure changes only when navfit's results do.
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt

import navfit
from navfit import plot

REPO = Path(__file__).resolve().parents[2]
OUT = REPO / "docs" / "_static" / "readme_figure.png"


def main() -> None:
    star = navfit.analyze(REPO / "data" / "syn_ea.csv")
    fig, axes = plt.subplots(
        2, 1, figsize=(6.4, 4.6), sharex=True, layout="constrained",
        gridspec_kw={"height_ratios": [3, 1]},
    )  # fmt: skip
    plot.plot_light_curve(
        star.nav,
        star.tp,
        axes=axes,
        title=f"{star.name}: {star.type}, P = {star.best.period:.6f} d",
    )
    fig.savefig(OUT, dpi=110)
    print(f"{OUT.relative_to(REPO)}: {OUT.stat().st_size // 1024} kB")


if __name__ == "__main__":
    main()
