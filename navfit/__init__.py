"""navfit: NAV and trigonometric-polynomial fits of variable-star light curves."""

from importlib.metadata import PackageNotFoundError, version

from .compare import compare
from .errors import InputError, NavfitError, NavfitWarning
from .io import read_lightcurve
from .lightcurve import LightCurve
from .lmfit_models import NAVModel, TPModel
from .lsq import LSQResult, levenberg_marquardt, solve_linear
from .models import fit_nav, fit_tp, select_order
from .period_search import PeriodResult, find_period
from .periodogram import Periodogram
from .results import FitResult

try:
    __version__ = version("navfit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "FitResult",
    "InputError",
    "LSQResult",
    "LightCurve",
    "NAVModel",
    "NavfitError",
    "NavfitWarning",
    "PeriodResult",
    "Periodogram",
    "TPModel",
    "__version__",
    "compare",
    "find_period",
    "fit_nav",
    "fit_tp",
    "levenberg_marquardt",
    "read_lightcurve",
    "select_order",
    "solve_linear",
]
