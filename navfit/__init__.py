"""navfit: NAV and trigonometric-polynomial fits of variable-star light curves."""

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError, NavfitError, NavfitWarning
from .lightcurve import LightCurve

try:
    __version__ = version("navfit")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = [
    "InputError",
    "LightCurve",
    "NavfitError",
    "NavfitWarning",
    "__version__",
]
