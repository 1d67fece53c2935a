"""The package's shape: small modules, short functions, an acyclic import graph.

These are the maintainability rules of the architecture issue, checked on the
source with :mod:`ast` so that they hold as the package grows:

* no module above 600 lines and no function above 100 lines outside the numba
  kernels in ``navfit/_kernels/`` (docstrings not counted);
* the graph of imports between navfit's modules, including imports made inside
  functions, has no cycle;
* no private name (``_name``) is imported from another navfit module.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "navfit"
SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if "_kernels" not in p.parts)
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 100


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def docstring_lines(node) -> int:
    body = getattr(node, "body", None)
    first = body[0] if body else None
    value = getattr(first, "value", None)
    if (
        isinstance(first, ast.Expr)
        and isinstance(value, ast.Constant)
        and isinstance(value.value, str)
    ):
        return first.end_lineno - first.lineno + 1
    return 0


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    """Absolute name of the module a ``from ... import`` statement reads."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def imports(path: Path) -> list[tuple[str, str, int]]:
    """(module imported, name imported or '', line) of every navfit import in a file."""
    module = module_name(path)
    tree = ast.parse(path.read_text())
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, "", node.lineno) for a in node.names if a.name.startswith("navfit")]
        elif isinstance(node, ast.ImportFrom):
            source = resolve(module, node, path.name == "__init__.py")
            if source.startswith("navfit"):
                found += [(source, a.name, node.lineno) for a in node.names]
    return found


KNOWN = {module_name(p) for p in PACKAGE.rglob("*.py")}


def target(source: str, name: str) -> str:
    """The module an import depends on (a submodule when ``name`` is one)."""
    return f"{source}.{name}" if f"{source}.{name}" in KNOWN else source


def test_sources_found():
    assert len(SOURCES) > 20
    assert any(p.name == "analyze.py" for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_and_function_sizes(path):
    text = path.read_text()
    tree = ast.parse(text)
    lines = len(text.splitlines())
    assert lines <= MAX_MODULE_LINES, f"{path.name}: {lines} lines"
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            size = node.end_lineno - node.lineno + 1 - docstring_lines(node)
            assert size <= MAX_FUNCTION_LINES, f"{path.name}: {node.name} has {size} lines"


def test_import_graph_is_acyclic():
    graph = {}
    for path in PACKAGE.rglob("*.py"):
        module = module_name(path)
        graph[module] = {
            target(src, name) for src, name, _ in imports(path) if target(src, name) != module
        }
    # a package's __init__ re-exports its modules: importing a submodule runs its
    # package first, so an edge to "navfit" itself is not a dependency on every module
    for module, targets in graph.items():
        graph[module] = {m for m in targets if m in graph and m != "navfit"}
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                cycle = [*stack[stack.index(nxt) :], nxt]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node)


def test_no_private_name_crosses_a_module():
    crossings = []
    for path in PACKAGE.rglob("*.py"):
        for source, name, line in imports(path):
            if (
                name.startswith("_")
                and not name.startswith("__")
                and target(source, name) == source
            ):
                crossings.append(f"{path.relative_to(PACKAGE)}:{line} imports {name} from {source}")
    assert crossings == []


def test_import_navfit_does_not_import_lmfit():
    """The lmfit adapter loads on first use (``navfit.NAVModel``), not with the package."""
    import subprocess
    import sys

    code = (
        "import sys, navfit; assert 'lmfit' not in sys.modules; "
        "navfit.NAVModel; assert 'lmfit' in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_analysing_a_star_does_not_import_scipy_stats():
    """Distribution tails come from ``scipy.special``: ``scipy.stats`` would add about half a
    second to every start of navfit (a command-line call, each batch worker)."""
    import subprocess
    import sys

    code = (
        "import sys, navfit; from navfit.synthetic import nav_lightcurve; "
        "lc, _ = nav_lightcurve('EA', n=300, rng=1); star = navfit.analyze(lc); "
        "assert star.classification.type.startswith('E'); "
        "assert 'scipy.stats' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
