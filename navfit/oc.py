"""O-C diagrams: linear, quadratic and light-travel-time fits to times of minima.

:func:`fit_oc` takes the table of :func:`navfit.times_of_minima` (or any table
of times of minima, or a file) and fits the observed minus calculated times
against a linear ephemeris with

``linear``
    a correction of the epoch and the period,
``quadratic``
    a steady period change ``dP/dE = 2 Q``,
``ltte``
    the light-travel time across the orbit of a third body (Irwin 1952),

each with parameters, errors and information criteria, and picks the best by
BIC (or AIC). :func:`minima_lines` writes IBVS/CDS-style fixed-width lines,
:func:`read_minima` reads them back (and ECSV/CSV), :func:`plot_oc` draws the
diagram. ``docs/minima.md`` has the equations.

This module is the front of the O-C code in :mod:`navfit.timing`: the models
(``oc_models``, ``ltte``), the fit and its results (``oc_fit``), the lines of
minima (``oc_lines``) and the diagram (``oc_plot``).

References
----------
Irwin J. B., 1952, ApJ 116, 211 (light-time effect).
Sterken C., 2005, ASP Conf. Ser. 335, 3 (O-C diagrams).
"""

# ruff: noqa: F401 - a front module: it re-exports the names of navfit.timing, the
# settings of the steps included, so that they are importable from here as before
from .timing.ltte import (
    AU_LIGHT_DAYS,
    LTTE_ANGLES,
    LTTE_E_LIMIT,
    LTTE_ECCENTRICITIES,
    LTTE_MAX_E,
    LTTE_OVERSAMPLING,
    LTTE_PEAKS,
    ltte_delay,
)
from .timing.oc_fit import METHOD_ORDER, MIN_DOF, MODELS, OCResult, SeparateOC, fit_oc
from .timing.oc_lines import CDS_BYTE_BY_BYTE, minima_lines, read_minima
from .timing.oc_models import YEAR, OCModel
from .timing.oc_plot import plot_oc

__all__ = [
    "CDS_BYTE_BY_BYTE",
    "MODELS",
    "OCModel",
    "OCResult",
    "SeparateOC",
    "fit_oc",
    "ltte_delay",
    "minima_lines",
    "plot_oc",
    "read_minima",
]
