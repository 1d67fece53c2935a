"""Sphinx configuration of navfit's documentation (``make docs``)."""

import os
import sys
from importlib.metadata import version as _version
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path.insert(0, str(DOCS / "_ext"))

project = "navfit"
author = "navfit developers"
copyright = "navfit developers, BSD-3-Clause licence"
release = _version("navfit")
version = ".".join(release.split(".")[:2])

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.intersphinx",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_automodapi.automodapi",
    "sphinx_automodapi.smart_resolver",
    "myst_nb",
    "navfit_docs",
]

root_doc = "index"
exclude_patterns = ["_build", "_scripts", "**.ipynb_checkpoints", "Thumbs.db", ".DS_Store"]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
default_role = "obj"
nitpicky = False

# -- API reference (astropy's conventions: sphinx-automodapi and numpydoc) -----------
automodapi_toctreedirnm = "api"
automodapi_inheritance_diagram = False  # would need graphviz, and the classes are flat
automodsumm_inherited_members = False
autosummary_generate = True
autodoc_typehints = "none"  # the numpydoc Parameters sections carry the types
numpydoc_show_class_members = False  # automodapi lists the members
numpydoc_class_members_toctree = False
numpydoc_xref_param_type = True
numpydoc_xref_aliases = {
    "LightCurve": "navfit.LightCurve",
    "FitResult": "navfit.FitResult",
    "StarResult": "navfit.StarResult",
    "PeriodResult": "navfit.PeriodResult",
    "LSQResult": "navfit.LSQResult",
    "Classification": "navfit.Classification",
    "Decision": "navfit.Decision",
    "Evidence": "navfit.evidence.Evidence",
    "Periodogram": "navfit.Periodogram",
    "KvWResult": "navfit.KvWResult",
    "OCResult": "navfit.OCResult",
    "ndarray": "numpy.ndarray",
    "Table": "astropy.table.Table",
    "Time": "astropy.time.Time",
    "Quantity": "astropy.units.Quantity",
    "SkyCoord": "astropy.coordinates.SkyCoord",
    "Axes": "matplotlib.axes.Axes",
    "Figure": "matplotlib.figure.Figure",
}
numpydoc_xref_ignore = {
    "of", "or", "and", "optional", "default", "shape", "with", "the", "a", "an", "from",
    "to", "in", "as", "by", "same", "one", "each", "either", "like", "them", "path",
    "path-like", "keyword-only",
}  # fmt: skip

# -- Intersphinx, offline ------------------------------------------------------------
# The build machines (and CI) reach package indexes but not the documentation sites,
# so the projects' objects.inv cannot be downloaded at build time. docs/_intersphinx/
# holds small inventories written by docs/_scripts/make_inventories.py: only the
# external objects these pages refer to, each with its address in that project's
# documentation. Links therefore go to the real pages; the build needs no network.
_INV = DOCS / "_intersphinx"
intersphinx_mapping = {
    "python": ("https://docs.python.org/3/", str(_INV / "python.inv")),
    "numpy": ("https://numpy.org/doc/stable/", str(_INV / "numpy.inv")),
    "scipy": ("https://docs.scipy.org/doc/scipy/", str(_INV / "scipy.inv")),
    "astropy": ("https://docs.astropy.org/en/stable/", str(_INV / "astropy.inv")),
    "matplotlib": ("https://matplotlib.org/stable/", str(_INV / "matplotlib.inv")),
    "lmfit": ("https://lmfit.github.io/lmfit-py/", str(_INV / "lmfit.inv")),
}
intersphinx_timeout = 1

# -- Notebooks (executed by navfit_docs before the build reads them) -----------------
nb_execution_mode = "off"
nb_merge_streams = True
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence"]
myst_heading_anchors = 3

# -- HTML ----------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = f"navfit {release}"
html_static_path = ["_static"]
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_show_sourcelink = False
html_context = {"default_mode": "light"}

os.environ.setdefault("MPLBACKEND", "Agg")  # plots made while autodoc imports modules
