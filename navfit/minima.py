"""Times of minima of eclipsing binaries, with errors that can be trusted.

Three methods time one eclipse:

``kvw``
    :func:`kwee_van_woerden`: the symmetry method of Kwee & van Woerden (1956)
    with the timing error of Deeg (2021), generalised to uneven sampling.
``nav``
    :func:`nav_minimum`: the eclipse profile of the global NAV fit, shifted in
    time, with the local level and the depth free.
``poly``
    :func:`polynomial_minimum`: a polynomial of a degree chosen by the BIC.

:func:`times_of_minima` finds every observed minimum of a light curve from the
fitted ephemeris and the NAV half-widths and times it with any of them;
:func:`time_one_eclipse` times a light curve that holds one eclipse only
(no period, no NAV fit: KvW or the polynomial on all its points).
``docs/minima.md`` describes the methods with their equations.

This module is the front of the timing code in :mod:`navfit.timing`: the
shared flags and checks (``common``), one module per method (``kvw``,
``nav_profile``, ``polynomial``), the NAV template of a light curve
(``template``) and :func:`times_of_minima` (``minima_table``).

References
----------
Kwee K. K., van Woerden H., 1956, Bull. Astron. Inst. Netherlands 12, 327.
Deeg H. J., 2021, Galaxies 9, 1 (doi:10.3390/galaxies9010001).
Andronov I. L., 2012, Astrophysics 55, 536 (the NAV profile).
"""

# ruff: noqa: F401 - a front module: it re-exports the names of navfit.timing, the
# settings of the steps included, so that they are importable from here as before
from .timing.common import (
    BENIGN_FLAGS,
    FLAGS,
    GAP_SPACINGS,
    MIN_BRANCH_POINTS,
    MIN_DEPTH_SIGNIFICANCE,
    POOL_DOF,
    MinimumTime,
)
from .timing.kvw import (
    CENTRE_TOLERANCE,
    EVEN_TOLERANCE,
    KVW_MIN_PAIRS,
    REFINE_BELOW,
    KvWResult,
    kwee_van_woerden,
)
from .timing.minima_table import METHODS, OFF_ECLIPSE, WINDOWS, times_of_minima
from .timing.nav_profile import N_SHIFTS, nav_minimum
from .timing.polynomial import polynomial_minimum
from .timing.single import time_one_eclipse
from .timing.template import (
    PROFILE_MAX_BINS,
    PROFILE_MAX_FRACTION,
    PROFILE_MIN_BINS,
    PROFILE_MIN_PER_BIN,
    PROFILE_PVALUE,
)

__all__ = [
    "FLAGS",
    "KvWResult",
    "MinimumTime",
    "kwee_van_woerden",
    "nav_minimum",
    "polynomial_minimum",
    "time_one_eclipse",
    "times_of_minima",
]
