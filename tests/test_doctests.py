"""Every example of the documentation runs: docstrings, the pages of docs/ and the README.

* The ``>>>`` examples in the docstrings of every module of the package, one
  test per docstring (the equivalent of ``pytest --doctest-modules navfit``).
* The ``>>>`` examples of each page of ``docs/``, one test per page; the
  examples of a page share their names, as a reader running them in order would.
* The ``python`` code blocks of ``README.md``, executed.

They run from the root of the repository (the examples read ``data/``), with
matplotlib's Agg backend, under doctest's ELLIPSIS and NORMALIZE_WHITESPACE.
"""

import doctest
import importlib
import pkgutil
import re
import runpy
from pathlib import Path

import pytest

import navfit

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
#: Modules whose docstrings must keep at least one example each.
MODULES_WITH_EXAMPLES = (
    "navfit.criteria",
    "navfit.catalogue",
    "navfit.lightcurve",
    "navfit.lsq",
    "navfit.models.tp",
    "navfit.periodogram",
    "navfit.synthetic",
)


def _modules():
    names = ["navfit"]
    for info in pkgutil.walk_packages(navfit.__path__, "navfit."):
        names.append(info.name)
    return sorted(names)


def _docstring_tests():
    finder = doctest.DocTestFinder(exclude_empty=True)
    tests = []
    for name in _modules():
        module = importlib.import_module(name)
        for test in finder.find(module, name):
            if any(not ex.options.get(doctest.SKIP, False) for ex in test.examples):
                tests.append(test)
    return sorted(tests, key=lambda t: t.name)


def _page_tests():
    parser = doctest.DocTestParser()
    tests = []
    for path in sorted([*DOCS.glob("*.rst"), *DOCS.glob("*.md")]):
        text = path.read_text(encoding="utf-8")
        test = parser.get_doctest(text, {}, path.stem, str(path), 0)
        if test.examples:
            tests.append(test)
    return tests


DOCSTRING_TESTS = _docstring_tests()
PAGE_TESTS = _page_tests()


@pytest.fixture
def in_repo(monkeypatch):
    """Run from the repository root with a non-interactive matplotlib; close the figures."""
    import matplotlib

    matplotlib.use("Agg")
    monkeypatch.chdir(ROOT)
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _run(test):
    runner = doctest.DocTestRunner(optionflags=FLAGS)
    test.globs = dict(test.globs)
    failures = []

    def report(out):
        failures.append(out)

    result = runner.run(test, out=report, clear_globs=True)
    assert result.failed == 0, "".join(failures)
    return result.attempted


@pytest.mark.parametrize("test", DOCSTRING_TESTS, ids=[t.name for t in DOCSTRING_TESTS])
@pytest.mark.usefixtures("in_repo")
def test_docstring_examples(test):
    assert _run(test) > 0


@pytest.mark.parametrize("test", PAGE_TESTS, ids=[t.name for t in PAGE_TESTS])
@pytest.mark.usefixtures("in_repo")
def test_docs_page_examples(test):
    assert _run(test) > 0


@pytest.mark.usefixtures("in_repo")
def test_readme_example(tmp_path):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```python\n(.*?)^```", text, flags=re.DOTALL | re.MULTILINE)
    assert blocks, "README.md has no python example"
    for i, block in enumerate(blocks):
        script = tmp_path / f"readme_{i}.py"
        script.write_text(block, encoding="utf-8")
        runpy.run_path(str(script), run_name="readme")


def test_examples_are_collected():
    """The modules of this list keep their examples, and the pages have theirs."""
    for name in MODULES_WITH_EXAMPLES:
        assert any(t.name.startswith(name + ".") for t in DOCSTRING_TESTS), name
    assert {t.name for t in PAGE_TESTS} >= {"quickstart", "reading", "tp", "nav", "period"}
