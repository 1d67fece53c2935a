"""Write the intersphinx inventories of docs/_intersphinx/ (run from anywhere).

The documentation is built without network access, so intersphinx cannot fetch
the objects.inv of numpy, scipy, astropy, matplotlib, lmfit and Python. Each
inventory written here lists only the external objects navfit's pages and
docstrings refer to, with the object's page in that project's documentation
(relative to the base URL given in ``intersphinx_mapping`` in docs/conf.py).
A reference to an external object missing here renders as plain text; to link
it, add it below, run this script, and commit the .inv files.

Each file is in Sphinx's inventory format version 2 (zlib-compressed lines
``name domain:role priority uri display-name``) and is checked by loading it
with :class:`sphinx.util.inventory.InventoryFile`.
"""

from __future__ import annotations

import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "_intersphinx"

PROJECTS = {
    # project: (name, version), [(object, domain:role, uri relative to the base URL)]
    "python": (
        ("Python", "3"),
        [
            ("None", "py:data", "library/constants.html#None"),
            ("True", "py:data", "library/constants.html#True"),
            ("False", "py:data", "library/constants.html#False"),
            ("bool", "py:class", "library/functions.html#bool"),
            ("int", "py:class", "library/functions.html#int"),
            ("float", "py:class", "library/functions.html#float"),
            ("str", "py:class", "library/stdtypes.html#str"),
            ("list", "py:class", "library/stdtypes.html#list"),
            ("tuple", "py:class", "library/stdtypes.html#tuple"),
            ("dict", "py:class", "library/stdtypes.html#dict"),
            ("callable", "py:function", "library/functions.html#callable"),
            ("ValueError", "py:exception", "library/exceptions.html#ValueError"),
            ("UserWarning", "py:exception", "library/exceptions.html#UserWarning"),
            (
                "concurrent.futures.ProcessPoolExecutor",
                "py:class",
                "library/concurrent.futures.html#concurrent.futures.ProcessPoolExecutor",
            ),
            ("bltin-boolean-values", "std:label", "library/stdtypes.html#bltin-boolean-values"),
            ("sequence", "std:term", "glossary.html#term-sequence"),
            ("iterable", "std:term", "glossary.html#term-iterable"),
            ("path-like object", "std:term", "glossary.html#term-path-like-object"),
        ],
    ),
    "numpy": (
        ("NumPy", "stable"),
        [
            ("numpy.ndarray", "py:class", "reference/generated/numpy.ndarray.html#numpy.ndarray"),
            (
                "numpy.random.Generator",
                "py:class",
                "reference/random/generator.html#numpy.random.Generator",
            ),
            (
                "numpy.random.default_rng",
                "py:function",
                "reference/random/generator.html#numpy.random.default_rng",
            ),
            (
                "numpy.linalg.lstsq",
                "py:function",
                "reference/generated/numpy.linalg.lstsq.html#numpy.linalg.lstsq",
            ),
            (
                "numpy.linalg.qr",
                "py:function",
                "reference/generated/numpy.linalg.qr.html#numpy.linalg.qr",
            ),
            (
                "numpy.linalg.cond",
                "py:function",
                "reference/generated/numpy.linalg.cond.html#numpy.linalg.cond",
            ),
            ("array_like", "std:term", "glossary.html#term-array_like"),
        ],
    ),
    "scipy": (
        ("SciPy", "stable"),
        [
            (
                "scipy.optimize.least_squares",
                "py:function",
                (
                    "reference/generated/scipy.optimize.least_squares.html"
                    "#scipy.optimize.least_squares"
                ),
            ),
        ],
    ),
    "astropy": (
        ("Astropy", "stable"),
        [
            ("astropy.table.Table", "py:class", "api/astropy.table.Table.html#astropy.table.Table"),
            (
                "astropy.table.Table.read",
                "py:method",
                "api/astropy.table.Table.html#astropy.table.Table.read",
            ),
            (
                "astropy.table.Table.write",
                "py:method",
                "api/astropy.table.Table.html#astropy.table.Table.write",
            ),
            ("astropy.table.Row", "py:class", "api/astropy.table.Row.html#astropy.table.Row"),
            ("astropy.time.Time", "py:class", "api/astropy.time.Time.html#astropy.time.Time"),
            (
                "astropy.time.Time.light_travel_time",
                "py:method",
                "api/astropy.time.Time.html#astropy.time.Time.light_travel_time",
            ),
            (
                "astropy.units.Quantity",
                "py:class",
                "api/astropy.units.Quantity.html#astropy.units.Quantity",
            ),
            (
                "astropy.coordinates.SkyCoord",
                "py:class",
                "api/astropy.coordinates.SkyCoord.html#astropy.coordinates.SkyCoord",
            ),
            (
                "astropy.timeseries.LombScargle",
                "py:class",
                "api/astropy.timeseries.LombScargle.html#astropy.timeseries.LombScargle",
            ),
            (
                "astropy.timeseries.BoxLeastSquares",
                "py:class",
                "api/astropy.timeseries.BoxLeastSquares.html#astropy.timeseries.BoxLeastSquares",
            ),
        ],
    ),
    "matplotlib": (
        ("Matplotlib", "stable"),
        [
            (
                "matplotlib.axes.Axes",
                "py:class",
                "api/_as_gen/matplotlib.axes.Axes.html#matplotlib.axes.Axes",
            ),
            (
                "matplotlib.figure.Figure",
                "py:class",
                "api/_as_gen/matplotlib.figure.Figure.html#matplotlib.figure.Figure",
            ),
        ],
    ),
    "lmfit": (
        ("lmfit", "stable"),
        [
            # lmfit documents its classes under their modules (lmfit.model.Model,
            # lmfit.parameter.Parameters); navfit's docstrings use the names they are
            # imported by (lmfit.Model, lmfit.Parameters), so both point to the same page.
            ("lmfit.model.Model", "py:class", "model.html#lmfit.model.Model"),
            ("lmfit.Model", "py:class", "model.html#lmfit.model.Model"),
            (
                "lmfit.model.Model.make_params",
                "py:method",
                "model.html#lmfit.model.Model.make_params",
            ),
            ("lmfit.Model.make_params", "py:method", "model.html#lmfit.model.Model.make_params"),
            ("lmfit.model.ModelResult", "py:class", "model.html#lmfit.model.ModelResult"),
            (
                "lmfit.parameter.Parameters",
                "py:class",
                "parameters.html#lmfit.parameter.Parameters",
            ),
            ("lmfit.Parameters", "py:class", "parameters.html#lmfit.parameter.Parameters"),
            ("lmfit.conf_interval", "py:function", "confidence.html#lmfit.conf_interval"),
        ],
    ),
}


def write(path: Path, project: str, version: str, entries) -> None:
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in sorted(entries))
    path.write_bytes(header.encode() + zlib.compress(body.encode(), 9))


def check(path: Path, base: str, entries) -> None:
    from sphinx.util.inventory import InventoryFile

    with path.open("rb") as fh:
        inv = InventoryFile.load(fh, base, lambda base, uri: base + uri)
    # Sphinx >= 8.2 returns an _Inventory object, older versions a dict
    data = getattr(inv, "data", inv)
    for name, role, uri in entries:
        item = data[role][name]
        location = item.uri if hasattr(item, "uri") else item[2]
        assert location == base + uri, (name, location)


def main() -> None:
    OUT.mkdir(exist_ok=True)
    for key, ((project, version), entries) in PROJECTS.items():
        path = OUT / f"{key}.inv"
        write(path, project, version, entries)
        check(path, "https://example.invalid/", entries)
        print(f"{path.relative_to(OUT.parent.parent)}: {len(entries)} objects")


if __name__ == "__main__":
    main()
