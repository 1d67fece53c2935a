"""Phase models: trigonometric polynomials (TP) and NAV."""

from .nav import fit_nav
from .tp import fit_tp, select_order

__all__ = ["fit_nav", "fit_tp", "select_order"]
