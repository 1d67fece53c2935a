"""Phase models: trigonometric polynomials (TP) and NAV."""

from .nav import fit_nav
from .nav_multiband import fit_nav_multiband
from .tp import fit_tp, select_order
from .tp_multiband import fit_tp_multiband

__all__ = ["fit_nav", "fit_nav_multiband", "fit_tp", "fit_tp_multiband", "select_order"]
