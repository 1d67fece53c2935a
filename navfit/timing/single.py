"""The time of minimum of a light curve that holds one eclipse only.

A light curve shorter than the orbit, taken around one eclipse (the usual
observation of a time of minimum), supports no period and so no global NAV fit:
:func:`~navfit.minima.times_of_minima` has no ephemeris to place windows with.
:func:`time_one_eclipse` times the one minimum on all the points, by Kwee &
van Woerden with Deeg's error (:func:`~navfit.minima.kwee_van_woerden`) and,
if asked, by a polynomial (:func:`~navfit.minima.polynomial_minimum`), and
returns the table of :func:`~navfit.minima.times_of_minima` with one row per
method.
"""

from __future__ import annotations

import numpy as np

from .._checks import check_count, check_lightcurve
from ..errors import InputError
from .kvw import kwee_van_woerden
from .minima_table import minima_frame
from .polynomial import polynomial_minimum

__all__ = ["SINGLE_METHODS", "time_one_eclipse"]

#: The methods :func:`time_one_eclipse` can use, by the names of ``times_of_minima``.
SINGLE_METHODS = {"kvw": ("kvw",), "both": ("kvw",), "poly": ("poly",), "all": ("kvw", "poly")}


def time_one_eclipse(lc, *, method="kvw", nfold=5, start="lowest", noise=None, max_degree=6):
    """Time the one eclipse a light curve holds.

    Parameters
    ----------
    lc : LightCurve
        One band around one minimum (no long stretches outside it).
    method : {"kvw", "poly", "both", "all"}
        ``"kvw"`` (and ``"both"``: no NAV profile without a NAV fit) Kwee-van
        Woerden; ``"poly"`` a polynomial of BIC-chosen degree; ``"all"`` both.
    nfold, start : int, str or float
        KvW folds and first guess (:func:`~navfit.minima.kwee_van_woerden`).
    noise : float, optional
        Point-to-point noise of the light in the units of ``lc.y`` (the rms
        of the light outside the eclipse); ``None``: Deeg's estimate from the
        folds' ``S``.
    max_degree : int
        Highest polynomial degree.

    Returns
    -------
    astropy.table.Table
        The columns of :func:`~navfit.minima.times_of_minima`, one row per
        method: cycle 0, kind ``I``, ``time`` a full Julian date, ``o_c`` NaN
        (no ephemeris). ``meta``: ``name``, ``source``, ``band``, ``kind``,
        ``time_system``, ``time_format``, ``methods``, ``noise``.

    Raises
    ------
    InputError
        A NAV-profile method (it needs a NAV fit, hence a period), bad options,
        or a light curve the timing methods refuse.

    Examples
    --------
    >>> import numpy as np
    >>> from navfit import LightCurve
    >>> t = np.linspace(-0.05, 0.05, 61)
    >>> y = 10 + 0.5 * np.exp(-(t / 0.02) ** 2)
    >>> lc = LightCurve(t + 2459000.0, y, np.full(61, 0.001))
    >>> row = time_one_eclipse(lc, noise=0.001)[0]
    >>> bool(abs(row["time"] - 2459000.0) < 1e-6), str(row["method"])
    (True, 'kvw')
    """
    check_lightcurve(lc, "time_one_eclipse")
    if method not in SINGLE_METHODS:
        raise InputError(
            f"{lc.where}: one eclipse without a period is timed by 'kvw', 'poly', 'both' "
            f"(KvW) or 'all' (KvW and polynomial), got method={method!r}: the NAV profile "
            "needs a NAV fit of several cycles"
        )
    max_degree = check_count(max_degree, "max_degree", "time_one_eclipse")
    t, y = lc.t, lc.y
    rows = []
    for m in SINGLE_METHODS[method]:
        if m == "kvw":
            r = kwee_van_woerden(
                t, y, nfold=nfold, start=start, noise=noise, kind=lc.kind, where=lc.where
            )
            time, error, err_1956, flags = r.time, r.error, r.error_1956, r.flags
        else:
            r = polynomial_minimum(t, y, lc.dy, kind=lc.kind, max_degree=max_degree, where=lc.where)
            time, error, err_1956, flags = r.time, r.error, np.nan, r.flags
        before = int(np.sum(t < time)) if np.isfinite(time) else 0
        rows.append(
            (0.0, "I", time, error, m, before, t.size - before, "; ".join(flags), np.nan, err_1956)
        )
    table = minima_frame(rows, lc)
    table.meta.update(
        {
            "methods": list(SINGLE_METHODS[method]),
            "noise": "Deeg's estimate from S" if noise is None else float(noise),
        }
    )
    return table
