"""HTML building blocks of the review report: escaping, numbers, the page skeleton.

Every page links its style and scripts from ``assets/`` with relative links
only, so that the report opens from disk without a server.
"""

from __future__ import annotations

import json
import math
from html import escape

__all__ = ["document", "esc", "fmt", "number", "script_json"]


def esc(text) -> str:
    """``text`` (any value; ``None`` is empty) escaped for HTML text and attributes."""
    return escape("" if text is None else str(text), quote=True)


def number(x):
    """``x`` as a finite float, else ``None``."""
    try:
        x = float(x)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def fmt(value, error=None, digits=6) -> str:
    """``value`` rounded to two significant digits of ``error`` (``+-`` it), or to ``digits``.

    >>> fmt(2.46113242, 9.8e-06)
    '2.4611324 ± 9.8e-06'
    >>> fmt(12.3456789, None, 4), fmt(None)
    ('12.35', '–')
    """
    value = number(value)
    if value is None:
        return "–"
    error = number(error)
    if error is None or error <= 0:
        return f"{value:.{digits}g}"
    places = max(0, 1 - math.floor(math.log10(error)))
    return f"{value:.{min(places, 12)}f} ± {error:.2g}"


def script_json(data) -> str:
    """JSON safe inside a ``<script>`` element."""
    return json.dumps(data, separators=(",", ":")).replace("</", "<\\/")


def document(title, body, *, depth, scripts, page_class) -> str:
    """A whole HTML page: ``body`` with the report's style and ``scripts`` from ``assets/``.

    ``depth`` is how many folders below the report's root the page lies (0 for
    the index, 1 for the star pages).
    """
    prefix = "../" * depth
    tags = "\n".join(f'<script src="{prefix}assets/{s}"></script>' for s in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        f'<link rel="icon" href="data:,">\n'
        f'<link rel="stylesheet" href="{prefix}assets/report.css">\n'
        f'</head>\n<body class="{page_class}">\n{body}\n{tags}\n</body>\n</html>\n'
    )
