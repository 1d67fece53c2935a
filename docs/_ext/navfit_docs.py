"""Sphinx helpers of navfit's documentation.

* The notebooks of ``notebooks/`` (stored without outputs) are executed when the
  build starts, with the same kernel and working directory as the test suite
  (``tests/test_notebooks.py``), and written with their outputs into
  ``docs/notebooks/``, which myst-nb renders without executing again. An executed
  copy is reused while the notebook, the package sources and the data it reads
  are unchanged (``docs/_build/.notebook-cache``). A cell that raises stops the
  build. ``NAVFIT_DOCS_EXECUTE=0`` keeps the executed copies already in
  ``docs/notebooks/`` (for editing the pages while the package is in flux).
* ``.. navfit-help:: [COMMAND]`` prints the ``--help`` text of the command line
  (``navfit``, or one subcommand) from the parser itself, so the page cannot
  drift from the program; ``.. navfit-commands::`` makes one section per
  subcommand with its ``--help`` text, every subcommand the parser has.
* The ``api/`` pages of sphinx-automodapi are
  regenerated from scratch at every build.
* References to a navfit object through a module that defines or imports it
  (``navfit.decision.decide``, or a bare ``select_order`` in a docstring of
  ``navfit.models.tp``) resolve to the page that documents it (``navfit.decide``,
  ``navfit.select_order``): the API reference documents each object once.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from pathlib import Path

from docutils import nodes
from sphinx.errors import ExtensionError
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

DOCS = Path(__file__).resolve().parents[1]
REPO = DOCS.parent
#: Seconds a notebook may run before the build fails (the tests allow 240).
NOTEBOOK_TIMEOUT = 600
#: Width of the ``--help`` texts.
HELP_COLUMNS = 88
#: Warnings not shown, as (location contains, message starts with): docutils'
#: complaints about the enumerated list "2. ... 2b. ..." of the rules in the module
#: docstring of navfit.gcvs_types, which this documentation may not edit.
def clean_api_pages(app, config) -> None:
    """Remove the pages sphinx-automodapi wrote last time (it never removes stale ones)."""
    shutil.rmtree(DOCS / config.automodapi_toctreedirnm, ignore_errors=True)


def lightcurves_dir() -> Path:
    """The real light curves: ``$NAVFIT_LIGHTCURVES`` (relative to the repository), else
    ``../shared/lightcurves`` next to it, the default of the Makefile and of the package."""
    value = os.environ.get("NAVFIT_LIGHTCURVES") or "../shared/lightcurves"
    path = Path(value)
    return (path if path.is_absolute() else REPO / path).resolve()


def _fingerprint(notebook: Path, lightcurves: Path, survey: Path) -> str:
    """Hash of what an executed notebook depends on: itself, navfit's sources, the data."""
    h = hashlib.sha256()
    h.update(notebook.read_bytes())
    for root in (REPO / "navfit", REPO / "data"):
        for path in sorted(root.rglob("*")):
            if (
                path.is_file()
                and "__pycache__" not in path.parts
                and path.suffix
                not in (
                    ".nbi",
                    ".nbc",
                    ".pyc",
                )
            ):
                h.update(str(path.relative_to(REPO)).encode())
                h.update(path.read_bytes())
    for folder in (lightcurves, survey):
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    h.update(f"{path.relative_to(folder)}:{path.stat().st_size}".encode())
    return h.hexdigest()[:16]


def execute_notebooks(app) -> None:
    """Write every notebook of ``notebooks/``, executed, into ``docs/notebooks/``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    sources = sorted((REPO / "notebooks").glob("*.ipynb"))
    out_dir = DOCS / "notebooks"
    if os.environ.get("NAVFIT_DOCS_EXECUTE", "1") == "0" and all(
        (out_dir / source.name).is_file() for source in sources
    ):
        logger.info("navfit: NAVFIT_DOCS_EXECUTE=0, notebooks not executed again")
        return
    cache = Path(app.outdir).parent / ".notebook-cache"
    out_dir.mkdir(exist_ok=True)
    cache.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("*.ipynb"):
        if not (REPO / "notebooks" / stale.name).is_file():
            stale.unlink()
    lightcurves = lightcurves_dir()
    survey = Path(os.environ.get("NAVFIT_SURVEY") or REPO / "../shared/survey")
    survey = (survey if survey.is_absolute() else REPO / survey).resolve()
    env = dict(os.environ)
    env["NAVFIT_SURVEY"] = str(survey)
    env["NAVFIT_LIGHTCURVES"] = str(lightcurves)
    # the inline backend (ipykernel's default) puts the figures into the outputs;
    # MPLBACKEND=Agg, which the test suite sets, would leave them out
    env.pop("MPLBACKEND", None)
    for source in sources:
        key = _fingerprint(source, lightcurves, survey)
        cached = cache / f"{source.stem}-{key}.ipynb"
        target = out_dir / source.name
        if not cached.is_file():
            if not lightcurves.is_dir():
                raise ExtensionError(
                    f"the notebooks need the real light curves: '{lightcurves}' "
                    "(NAVFIT_LIGHTCURVES) does not exist"
                )
            book = nbformat.read(source, as_version=4)
            start = time.perf_counter()
            client = NotebookClient(
                book,
                timeout=NOTEBOOK_TIMEOUT,
                kernel_name="python3",
                resources={"metadata": {"path": str(source.parent)}},
            )
            try:
                client.execute(env=env)
            except CellExecutionError as exc:
                raise ExtensionError(f"notebook {source.name} failed:\n{exc}") from None
            logger.info(f"navfit: executed {source.name} in {time.perf_counter() - start:.0f} s")
            for old in cache.glob(f"{source.stem}-*.ipynb"):
                old.unlink()
            nbformat.write(book, cached)
        else:
            logger.info(f"navfit: {source.name} unchanged, executed copy reused")
        if not target.is_file() or target.read_bytes() != cached.read_bytes():
            shutil.copyfile(cached, target)


class NavfitHelp(SphinxDirective):
    """``.. navfit-help:: [COMMAND]``: the ``--help`` text of ``navfit [COMMAND]``."""

    optional_arguments = 1

    def run(self):
        from navfit.cli import build_parser

        previous = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = str(HELP_COLUMNS)
        try:
            parser = build_parser()
            if self.arguments:
                name = self.arguments[0]
                commands = _subcommands(parser)
                if name not in commands:
                    raise self.error(f"navfit has no subcommand {name!r}")
                text = commands[name].format_help()
            else:
                text = parser.format_help()
        finally:
            if previous is None:
                os.environ.pop("COLUMNS", None)
            else:
                os.environ["COLUMNS"] = previous
        block = nodes.literal_block(text, text)
        block["language"] = "text"
        return [block]


class NavfitCommands(SphinxDirective):
    """``.. navfit-commands::``: a section ``navfit NAME`` with the help of every subcommand."""

    def run(self):
        from docutils.statemachine import StringList
        from sphinx.util.nodes import nested_parse_with_titles

        from navfit.cli import build_parser

        lines = []
        for name in _subcommands(build_parser()):
            title = f"navfit {name}"
            lines += [title, "-" * len(title), "", f".. navfit-help:: {name}", ""]
        container = nodes.container()
        nested_parse_with_titles(self.state, StringList(lines, source="navfit-commands"), container)
        return container.children


def _subcommands(parser):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _documented_name(dotted: str) -> str | None:
    """Where the API reference documents the navfit object ``dotted`` names, if elsewhere.

    ``navfit.<module>.<name>[.<attr>]`` becomes ``navfit.<name>[.<attr>]`` when
    ``navfit.<name>`` is the same object, else ``<defining module>.<name>[.<attr>]``
    for an object imported into another module.
    """
    import importlib

    import navfit

    parts = dotted.split(".")
    if parts[0] != "navfit":
        return None
    for i in range(len(parts) - 1, 0, -1):
        try:
            module = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        name, rest = parts[i], parts[i + 1 :]
        obj = getattr(module, name, None)
        if obj is None:
            return None
        if name in navfit.__all__ and getattr(navfit, name, None) is obj:
            return ".".join(["navfit", name, *rest])
        home = getattr(obj, "__module__", None)
        if isinstance(home, str) and home.startswith("navfit") and home != module.__name__:
            return ".".join([home, getattr(obj, "__qualname__", name), *rest])
        return None
    return None


def resolve_reexport(app, env, node, contnode):
    """Resolve a reference to a navfit object by a module that imports it to the page
    that documents it (``navfit.decision.decide`` -> ``navfit.decide``; a bare
    ``select_order`` in a docstring of ``navfit.models.tp`` -> ``navfit.select_order``)."""
    if node.get("refdomain") != "py":
        return None
    target = node.get("reftarget", "")
    candidates = [target]
    module = node.get("py:module")
    if module and not target.startswith("navfit."):
        candidates.append(f"{module}.{target}")
    domain = env.get_domain("py")
    for candidate in candidates:
        new = _documented_name(candidate)
        if new and new != target:
            found = domain.resolve_xref(
                env,
                node.get("refdoc", env.docname),
                app.builder,
                node["reftype"],
                new,
                node,
                contnode,
            )
            if found is not None:
                return found
    return None


def setup(app):
    app.connect("config-inited", clean_api_pages)
    app.connect("builder-inited", execute_notebooks)
    app.add_directive("navfit-help", NavfitHelp)
    app.add_directive("navfit-commands", NavfitCommands)
    app.connect("missing-reference", resolve_reexport)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
