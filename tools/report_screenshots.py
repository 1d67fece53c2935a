"""Screenshots of a real review report for the documentation (docs/_static/report_*.png).

Analyses the curated eclipsing binaries of ``$NAVFIT_LIGHTCURVES`` (read with
the options of their ``catalog.csv``) and a few stars of each type of
``$NAVFIT_SURVEY``, writes their report with :func:`navfit.write_report`
(O-C diagrams included), marks three stars as a reviewer would, and takes two
screenshots in the system's Chromium with Playwright::

    python tools/report_screenshots.py [REPORT_DIR]

The report is kept in REPORT_DIR (default ``out/report_example``).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "docs" / "_static"
#: Curated files shown (eclipsing binaries with times, so that minima can be timed).
CURATED = (
    "EA_HD23642_V1229Tau_K2_C4.dat",
    "EA_HAT-772-0554686_HATSouth_r.csv",
    "EW_CSS_J011848.5+132107_Catalina.csv",
)
#: Survey stars per type (the first ones by file name).
SURVEY = {"EA": 3, "EB": 2, "EW": 3, "RRAB": 2, "CEP": 1, "DSCT": 1}
#: Marks shown in the index screenshot: position in the report -> (mark, note).
MARKS = {2: ("accept", ""), 4: ("wrong-period", "twice the period?"), 6: ("accept", "")}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _results():
    from navfit import analyze
    from navfit.manifest import load_entry, read_catalog

    lightcurves = Path(os.environ.get("NAVFIT_LIGHTCURVES", ROOT / "../shared/lightcurves"))
    survey = Path(os.environ.get("NAVFIT_SURVEY", ROOT / "../shared/survey"))
    catalog = read_catalog(lightcurves)
    out = []
    for row in catalog:
        if str(row["file"]) in CURATED:
            lc, _ = load_entry(row, lightcurves)
            out.append(analyze(lc))
    with open(survey / "truth.csv", encoding="utf-8") as fh:
        truth = sorted(csv.DictReader(fh), key=lambda r: r["file"])
    for kind, count in SURVEY.items():
        for row in [r for r in truth if r["type"] == kind][:count]:
            out.append(analyze(survey / row["file"]))
    return out


def _browser(playwright):
    executable = next(p for p in map(shutil.which, ("chromium", "chromium-browser")) if p)
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)


def _shoot(report: Path):
    from playwright.sync_api import sync_playwright

    data = (report / "assets" / "index-data.js").read_text()
    meta = json.loads(data[data.index("{") : data.rindex("}") + 1])
    key, rows = meta["meta"]["report_key"], meta["rows"]
    marks = {
        rows[i][0]: {
            "mark": m,
            "note": n,
            "name": rows[i][1],
            "file": rows[i][2],
            "type": rows[i][3],
            "period": rows[i][4],
            "time": "2026-01-01",
        }
        for i, (m, n) in MARKS.items()
        if i < len(rows)
    }
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1360, "height": 860})
        page.goto((report / "index.html").as_uri())
        page.evaluate(
            "([k, v]) => localStorage.setItem(k, v)", [f"navfit-review:{key}", json.dumps(marks)]
        )
        page.reload()
        page.wait_for_selector("#rows tr")
        page.wait_for_timeout(500)
        page.screenshot(path=str(STATIC / "report_index.png"))
        star = next(r[0] for r in rows if r[3].startswith("EA") and "K2" in r[2])
        page.set_viewport_size({"width": 1280, "height": 1500})
        page.goto((report / "stars" / f"{star}.html").as_uri())
        page.wait_for_load_state("load")
        page.fill("#note", "secondary eclipse shallow but clear")
        page.keyboard.press("Escape")
        page.keyboard.press("a")
        page.wait_for_timeout(400)
        page.screenshot(path=str(STATIC / "report_star.png"))
        browser.close()


def main(argv=None) -> int:
    from navfit import write_report

    argv = sys.argv[1:] if argv is None else argv
    report = Path(argv[0] if argv else ROOT / "out" / "report_example").resolve()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = _results()
        out = write_report(
            results, report, minima=True, title="navfit review: example", progress=False
        )
    print(f"report of {out['stars']} stars: {out['index']}")
    STATIC.mkdir(parents=True, exist_ok=True)
    _shoot(report)
    print(f"wrote {STATIC / 'report_index.png'} and {STATIC / 'report_star.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
