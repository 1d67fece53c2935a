"""navfit: NAV and trigonometric-polynomial fits of variable-star light curves."""

from importlib.metadata import PackageNotFoundError, version

from .analyze import StarResult, analyze
from .catalogue import CatalogueRow, catalogue_table, gcvs_line, vsx_line
from .compare import compare
from .decision import Decision, classify, decide
from .errors import InputError, NavfitError, NavfitWarning
from .gcvs_types import Classification
from .io import read_lightcurve
from .lightcurve import LightCurve
from .lsq import LSQResult, levenberg_marquardt, solve_linear
from .minima import KvWResult, kwee_van_woerden, time_one_eclipse, times_of_minima
from .models import fit_nav, fit_nav_multiband, fit_tp, fit_tp_multiband, select_order
from .oc import OCResult, fit_oc, minima_lines, plot_oc, read_minima
from .period_search import PeriodResult, find_period
from .periodogram import Periodogram
from .report import write_report
from .results import FitResult

try:
    __version__ = version("navfit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "CatalogueRow",
    "Classification",
    "Decision",
    "FitResult",
    "InputError",
    "KvWResult",
    "LSQResult",
    "LightCurve",
    "NAVModel",
    "NavfitError",
    "NavfitWarning",
    "OCResult",
    "PeriodResult",
    "Periodogram",
    "StarResult",
    "TPModel",
    "__version__",
    "analyze",
    "catalogue_table",
    "classify",
    "compare",
    "decide",
    "find_period",
    "fit_nav",
    "fit_nav_multiband",
    "fit_oc",
    "fit_tp",
    "fit_tp_multiband",
    "gcvs_line",
    "kwee_van_woerden",
    "levenberg_marquardt",
    "minima_lines",
    "plot_oc",
    "read_lightcurve",
    "read_minima",
    "select_order",
    "solve_linear",
    "time_one_eclipse",
    "times_of_minima",
    "vsx_line",
    "write_report",
]


def __getattr__(name):
    """The lmfit adapter loads on first use, so ``import navfit`` does not import lmfit."""
    if name in ("NAVModel", "TPModel"):
        from . import lmfit_models

        return getattr(lmfit_models, name)
    raise AttributeError(f"module 'navfit' has no attribute {name!r}")
