"""Phase models: trigonometric polynomials (TP) and NAV."""

from .tp import fit_tp, select_order

__all__ = ["fit_tp", "select_order"]
