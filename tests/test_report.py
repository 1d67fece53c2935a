"""The HTML review report (``navfit report``, :func:`navfit.write_report`).

Unit tests check the pages and the index data without a browser. The browser
tests run a small batch of real survey stars, write its report and open it in
the system's Chromium (``/usr/bin/chromium``, Debian's package; ``.ci/run``
installs it when missing), driven by Playwright without a browser download of
its own: the pages load without console errors, every link resolves, the
screenshots are not blank, filtering by type changes the rows, and a mark
made on a star page is exported as CSV.
"""

import csv
import json
import os
import re
import shutil
import time
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import numpy as np
import pytest

import navfit.report
from navfit import write_report
from navfit.batch import run_batch
from navfit.cli import main
from navfit.errors import InputError
from navfit.report.index import write_index
from navfit.report.pages import star_page
from navfit.report.rows import read_rows, slugs
from navfit.report.summary import failed_context, index_entry

#: The report's style and scripts (package data).
STATIC = Path(navfit.report.__file__).parent / "static"
#: Survey types of the small batch: the first star of each (sorted by file name).
TYPES = ("EA", "EB", "EW", "RRAB", "CEP", "DSCT")
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# ----- helpers ----------------------------------------------------------------------------


class _Links(HTMLParser):
    """Every href and src of a page."""

    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, _tag, attrs):
        for key, value in attrs:
            if key in ("href", "src") and value is not None:
                self.links.append(value)


def links_of(path: Path) -> list[str]:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.links


def check_links(directory: Path) -> int:
    """Assert every relative link of every page resolves; returns how many were checked."""
    checked = 0
    for page in directory.rglob("*.html"):
        for link in links_of(page):
            assert not re.match(r"^[a-z]+://|^//", link), f"{page.name}: external link {link}"
            if link.startswith(("#", "data:")):
                continue
            target = (page.parent / link.split("#")[0]).resolve()
            assert target.is_file(), f"{page.name}: {link} does not resolve"
            checked += 1
    return checked


def fake_row(i: int) -> dict:
    types = ("EA", "EB:", "EW", "ELL", "not an eclipsing binary")
    return {
        "name": f"Star {i:05d}",
        "file": f"/data/survey/lc/star_{i:05d}.dat",
        "type": types[i % len(types)],
        "period": 0.3 + (i % 977) * 0.0137,
        "max": 12.0,
        "min1": 12.0 + (i % 50) * 0.01,
        "confidence": {"period": (i % 100) / 100, "type": 1 - (i % 7) / 10},
        "flags": (["beta2 at its bound"] if i % 3 == 0 else [])
        + (
            [f"no significant period (false-alarm probability {i * 1e-4:.2g})"]
            if i % 11 == 0
            else []
        ),
        "nature": "pulsating" if i % 5 == 4 else None,
        "n": 300 + i % 200,
    }


def star_ctx(**changes) -> dict:
    ctx = failed_context(
        fake_row(7),
        "0008_Star_00007",
        "",
        "report",
        {
            "position": 8,
            "total": 20,
            "prev": "0007_Star_00006",
            "next": "0009_Star_00008",
            "report_key": "abc",
        },
    )
    ctx.pop("error")
    ctx.update(
        {
            "reasons": ["NAV beats the TP at P by 29.7 in BIC", "a secondary eclipse (3.1 sigma)"],
            "runner_up": {"period": 1.8, "type": "EA", "why": "alternate cycles would differ"},
            "gcvs": "Star 00007                     EW          12.000   12.070",
            "gcvs_header": "name  type  Max  Min I",
            "figures": {
                "light_curve": "0008_Star_00007_lc.png",
                "periodogram": "0008_Star_00007_pg.png",
            },
            "candidates": [
                {
                    "rank": 1,
                    "period": 0.39,
                    "source": "TP2 peak",
                    "delta_bic": 0.0,
                    "tp_order": 4,
                    "fap": 1e-30,
                    "flags": "",
                    "chosen": True,
                }
            ],
            "comparison": [],
            "nav": None,
            "tp": None,
            "notes": ["a note for the reviewer"],
        }
    )
    ctx.update(changes)
    return ctx


# ----- unit tests, no browser ---------------------------------------------------------------


def test_index_of_10000_stars_is_small_and_quick(tmp_path):
    rows = [fake_row(i) for i in range(10_000)]
    names = slugs(rows)
    start = time.perf_counter()
    entries = [{**index_entry(r, s), "thumb": True} for r, s in zip(rows, names, strict=True)]
    data = write_index(tmp_path, entries, {"title": "big", "report_key": "k"})
    elapsed = time.perf_counter() - start
    size = (tmp_path / "assets" / "index-data.js").stat().st_size
    assert elapsed < 5.0, f"{elapsed:.1f} s"
    assert size < 1_500_000, f"{size / 1e6:.2f} MB for 10,000 stars"
    assert len(data["rows"]) == 10_000
    assert data["fields"][0] == "slug"
    # flags are shared: one kind for every "no significant period (... #)" flag
    assert len(data["flag_kinds"]) == 2
    assert len(data["flags"]) > 2
    assert data["meta"]["file_root"] == "/data/survey/lc"
    assert data["rows"][0][2] == "star_00000.dat"
    text = (tmp_path / "index.html").read_text()
    assert 'src="assets/index-data.js"' in text
    assert "200 per page" not in text
    index_js = STATIC / "index.js"
    assert "slice((page - 1) * size, page * size)" in index_js.read_text()
    assert 'loading=\\"lazy\\"' in index_js.read_text()


def test_star_page_content_and_escaping():
    html = star_page(star_ctx(name="<b>V1</b> & co"))
    assert "&lt;b&gt;V1&lt;/b&gt; &amp; co" in html
    assert "<b>V1</b>" not in html
    for text in (
        "NAV beats the TP at P by 29.7 in BIC",
        "alternate cycles would differ",
        "Star 00007                     EW",
        "a note for the reviewer",
        'data-mark="accept"',
        'data-mark="wrong-period"',
        'data-mark="wrong-type"',
        'id="note"',
        'src="0008_Star_00007_lc.png"',
        'href="0009_Star_00008.html"',
        'href="../assets/report.css"',
        "export marks (CSV)",
    ):
        assert text in html, text
    assert not re.search(r"(?:href|src)=\"(?:https?:)?//", html)
    data = json.loads(
        re.search(r'id="star-data" type="application/json">(.*?)</script>', html).group(1)
    )
    assert data["slug"] == "0008_Star_00007"
    assert data["report_key"] == "abc"


def test_failed_star_page_says_why():
    ctx = failed_context(
        {"name": "junk", "file": "junk.dat", "error": "cannot parse"},
        "0003_junk",
        "cannot parse",
        "batch",
        {"report_key": "k"},
    )
    html = star_page(ctx)
    assert "the batch could not analyse" in html
    assert "cannot parse" in html
    assert "<img" not in html
    assert 'class="badge t-failed"' in html


def test_static_files_work_offline_and_export_csv():
    text = {p.name: p.read_text() for p in STATIC.iterdir()}
    assert set(text) >= {"report.css", "report.js", "index.js", "star.js"}
    for name, body in text.items():
        assert not re.search(r"https?://", body), f"{name} names a network address"
    common = text["report.js"]
    for needle in (
        "new Blob(",
        "URL.createObjectURL",
        "localStorage",
        "a.download",
        '"mark", "note"',
        "parseCSV",
    ):
        assert needle in common, needle


def test_read_rows_errors(tmp_path):
    with pytest.raises(InputError, match="no such catalogue"):
        read_rows(tmp_path / "missing.ecsv")
    bad = tmp_path / "bad.ecsv"
    bad.write_text("# %ECSV 1.0\n# ---\n# datatype:\n# - {name: a, datatype: int64}\na\n1\n")
    with pytest.raises(InputError, match="no name, file, type, period column"):
        read_rows(bad)
    journal = tmp_path / "j.jsonl"
    journal.write_text('{"name": "a", "file": "a.dat", "error": "x"}\n{"name": "b", "fi')
    rows, meta = read_rows(journal)
    assert [r["name"] for r in rows] == ["a"]
    assert meta["journal"] == str(journal.resolve())
    journal.write_text('{"nom": "a"}\n')
    with pytest.raises(InputError, match="not a navfit journal"):
        read_rows(journal)


def test_cli_report_usage_errors(tmp_path, capsys):
    assert main(["report", str(tmp_path / "none.ecsv"), "-o", str(tmp_path / "r")]) == 2
    assert "no such catalogue" in capsys.readouterr().err
    assert main(["report", "x.ecsv"]) == 2  # -o is required


def test_slugs_are_unique_and_safe():
    names = slugs(
        [{"name": "V1 Ori"}, {"name": "V1 Ori"}, {"name": "a/b?c#d%"}, {"file": "/x/y z.dat"}]
    )
    assert len(set(names)) == 4
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", n) for n in names)
    assert names[0] == "0001_V1_Ori"
    assert names[3] == "0004_y_z.dat"


# ----- a real report ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(survey_dir, tmp_path_factory):
    """A batch of six survey stars, a junk file and a star whose file is gone, and its report."""
    root = tmp_path_factory.mktemp("report")
    with open(survey_dir / "truth.csv", encoding="utf-8") as fh:
        truth = sorted(csv.DictReader(fh), key=lambda r: r["file"])
    stars = root / "stars"
    stars.mkdir()
    for kind in TYPES:
        row = next(r for r in truth if r["type"] == kind)
        shutil.copy(survey_dir / row["file"], stars / Path(row["file"]).name)
    (stars / "junk.dat").write_text("not photometry at all\n")
    gone = stars / "zz_gone.dat"
    shutil.copy(survey_dir / truth[0]["file"], gone)
    catalogue = root / "cat.ecsv"
    run_batch([stars], catalogue, jobs=1, progress=False)
    gone.unlink()  # the report cannot re-read this one: its page must say so
    start = time.perf_counter()
    out = write_report(catalogue, root / "html", jobs=1, minima=True, progress=False)
    out["seconds"] = time.perf_counter() - start
    out["catalogue"] = catalogue
    out["survey_star"] = survey_dir / next(r for r in truth if r["type"] == "EW")["file"]
    return out


def test_report_files(report):
    html = Path(report["directory"])
    assert report["stars"] == 8
    assert report["failed"] == 1
    assert list(report["no_figures"]) == [next(f for f in report["no_figures"])]
    assert "light-curve file not found" in next(iter(report["no_figures"].values()))
    pages = sorted((html / "stars").glob("*.html"))
    assert len(pages) == 8
    assert len(list((html / "thumbs").glob("*.png"))) == 6
    assert check_links(html) > 8 * 5
    gone = [p.read_text() for p in pages if "light-curve file not found" in p.read_text()]
    assert len(gone) == 1
    assert "the report could not analyse" in gone[0]
    ea = next(p for p in pages if "_lc.png" in p.read_text() and re.search(">EA:?<", p.read_text()))
    text = ea.read_text()
    for needle in (
        "Decision",
        "GCVS line",
        "Candidates (by TP BIC)",
        "O-C diagram",
        "_pg.png",
        "runner-up",
    ):
        assert needle in text, needle
    from PIL import Image

    with Image.open(html / "thumbs" / f"{ea.stem}.png") as thumb:
        assert thumb.size == (200, 120)


def test_cli_report_in_worker_processes_at_catalogue_periods(report, tmp_path, capsys):
    out = tmp_path / "pool"
    code = main(
        [
            "report",
            str(report["catalogue"]),
            "-o",
            str(out),
            "-j",
            "2",
            "--no-search",
            "--title",
            "pool <run>",
            "--no-progress",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1, err  # one star's file is gone: its page says so, the exit code too
    assert "light-curve file not found" in err, err
    assert "report of 8 stars" in err, err
    assert "1 without figures" in err, err
    pages = [p.read_text() for p in (out / "stars").glob("*.html")]
    assert len(pages) == 8
    assert sum("re-analysed at the catalogue" in p for p in pages) == 6, err
    assert sum("no candidates" in p for p in pages) == 6
    assert "<title>pool &lt;run&gt;</title>" in (out / "index.html").read_text()
    check_links(out)


def test_write_report_from_star_results(report, tmp_path):
    from navfit import analyze

    result = analyze(report["survey_star"])
    (tmp_path / "py" / "stars").mkdir(parents=True)
    (tmp_path / "py" / "stars" / "0009_old_star.html").write_text("an earlier report's page")
    (tmp_path / "py" / "stars" / "notes.txt").write_text("the reviewer's own file")
    out = write_report(
        [result, {"name": "bad", "file": "bad.dat", "error": "no data points"}],
        tmp_path / "py",
        progress=False,
    )
    assert out["stars"] == 2
    assert out["failed"] == 1
    assert out["no_figures"] == {}
    pages = sorted((tmp_path / "py" / "stars").glob("*.html"))
    assert [p.name[:4] for p in pages] == ["0001", "0002"]  # the old page is gone
    assert (tmp_path / "py" / "stars" / "notes.txt").is_file()
    assert "no data points" in pages[1].read_text()
    assert len(list((tmp_path / "py" / "thumbs").glob("*.png"))) == 1
    check_links(tmp_path / "py")


def test_cli_batch_writes_the_report(report, tmp_path, capsys):
    stars = tmp_path / "one"
    stars.mkdir()
    shutil.copy(report["survey_star"], stars)
    code = main(
        [
            "batch",
            str(stars),
            "-o",
            str(tmp_path / "cat.ecsv"),
            "--report",
            str(tmp_path / "html"),
            "--no-progress",
        ]
    )
    assert code == 0, capsys.readouterr().err
    assert (tmp_path / "html" / "index.html").is_file()
    assert len(list((tmp_path / "html" / "stars").glob("*_lc.png"))) == 1
    check_links(tmp_path / "html")


# ----- the browser ---------------------------------------------------------------------------


def _chromium() -> str | None:
    given = os.environ.get("NAVFIT_CHROMIUM")
    if given:
        return given
    return next((p for p in map(shutil.which, BROWSER_NAMES) if p), None)


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        executable = None
    if executable is None:
        message = "no Chromium or no Playwright: apt-get install chromium; pip install playwright"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class Page:
    """A browser page that records console errors, page errors and failed requests."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(
            viewport={"width": 1360, "height": 900}, accept_downloads=True, **options
        )
        self.page = self.context.new_page()
        self.problems = []
        self.page.on("console", lambda m: m.type == "error" and self.problems.append(m.text))
        self.page.on("pageerror", lambda e: self.problems.append(f"page error: {e}"))
        self.page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url}"))

    def open(self, path: Path):
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def screenshot_variance(self) -> float:
        from PIL import Image

        image = Image.open(BytesIO(self.page.screenshot())).convert("L")
        return float(np.asarray(image, dtype=float).std())


def shown_types(page) -> list[str]:
    return page.eval_on_selector_all(
        "#rows tr td:nth-child(4) .badge", "els => els.map(e => e.textContent)"
    )


def test_index_in_browser(report, browser):
    view = Page(browser)
    page = view.open(Path(report["index"]))
    page.wait_for_selector("#rows tr")
    assert page.locator("#rows tr").count() == 8
    assert view.screenshot_variance() > 20  # not a blank page
    thumbs = page.eval_on_selector_all(
        "#rows img", "els => els.map(e => [e.loading, e.complete && e.naturalWidth])"
    )
    assert len(thumbs) == 6
    assert all(lazy == "lazy" and width == 200 for lazy, width in thumbs)
    page.click("#types .chip[data-type='EA']")
    types = shown_types(page)
    assert 0 < len(types) < 8
    assert set(types) <= {"EA", "EA:"}
    page.click("#types .chip[data-type='failed']")
    assert shown_types(page) == ["failed"]
    page.click("#types .chip[data-type='']")
    page.fill("#q", "ASAS")
    assert 0 < page.locator("#rows tr").count() < 8
    page.click("#reset")
    page.click("th[data-key='period']")
    periods = page.eval_on_selector_all(
        "#rows tr td:nth-child(5)",
        "els => els.map(e => parseFloat(e.textContent)).filter(x => !isNaN(x))",
    )
    assert periods == sorted(periods)
    assert len(periods) == 7
    assert "sort=period" in page.evaluate("location.hash")
    assert view.problems == []
    view.context.close()


def test_index_of_10000_stars_in_browser(browser, tmp_path):
    rows = [fake_row(i) for i in range(10_000)]
    entries = [
        {**index_entry(r, s), "thumb": False} for r, s in zip(rows, slugs(rows), strict=True)
    ]
    write_index(tmp_path, entries, {"title": "big", "report_key": "big"})
    for name in ("report.css", "report.js", "index.js"):
        shutil.copy(STATIC / name, tmp_path / "assets" / name)
    view = Page(browser)
    start = time.perf_counter()
    page = view.open(tmp_path / "index.html")
    page.wait_for_selector("#rows tr")
    assert time.perf_counter() - start < 5.0
    assert page.locator("#rows tr").count() == 200
    assert "page 1 of 50" in page.inner_text("#pager-top")
    page.click("#pager-top button:has-text('next')")
    assert page.inner_text("#rows tr:first-child td:first-child") == "201"
    start = time.perf_counter()
    page.click("#types .chip[data-type='EW']")
    assert time.perf_counter() - start < 2.0
    assert "of 2000 (of 10000)" in page.inner_text("#pager-top")
    page.fill("#pmin", "5")
    page.fill("#cmax", "0.5")
    assert set(shown_types(page)) == {"EW"}
    assert view.problems == []
    view.context.close()


def test_star_page_in_browser_marks_and_export(report, browser):
    view = Page(browser)
    index = view.open(Path(report["index"]))
    index.click("#types .chip[data-type='EA']")
    index.click("#rows tr a >> nth=1")  # the name link of the first EA star
    page = view.page
    page.wait_for_selector("#review")
    assert view.screenshot_variance() > 20
    sizes = page.eval_on_selector_all("img.plot", "els => els.map(e => e.naturalWidth)")
    assert len(sizes) >= 2
    assert all(w > 500 for w in sizes)
    page.fill("#note", "eclipse depth, check")
    page.keyboard.press("Escape")
    page.keyboard.press("a")
    assert "active" in page.get_attribute("button.m-accept", "class")
    with page.expect_download() as download:
        page.click("#export")
    text = Path(download.value.path()).read_text()
    header, line = text.strip().splitlines()[:2]
    assert header.startswith("name,file,catalogue_type,catalogue_period,mark,note")
    assert ",accept,eclipse depth,check" not in line
    assert ',accept,"eclipse depth, check"' in line
    # the index shows the mark and filters by it
    page.click("#back")
    page.wait_for_selector("#rows tr")
    assert "EA" in page.evaluate("location.hash")  # the filters came back
    page.select_option("#review", "accept")
    assert page.locator("#rows tr").count() == 1
    # forget the marks, then bring them back from the exported CSV
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#clear-marks")
    assert page.locator("#rows tr").count() == 0
    page.set_input_files("#import", download.value.path())
    page.wait_for_selector("#rows tr")
    assert page.locator("#rows tr").count() == 1
    assert "1 imported" in page.inner_text("#marks-count")
    assert view.problems == []
    view.context.close()
