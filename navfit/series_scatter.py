r"""How far each series scatters about a joint multi-band fit, in units of its errors.

A joint fit weights every point by its error, ``1/dy^2`` (as quoted, or
estimated on reading where a file has none, ``meta["errors_estimated"]``).
Surveys quote errors of very different quality: about the joint NAV fits of
the real stars of ``../shared/multiband``, ATLAS forced photometry scatters
3-9 times its quoted errors (with outliers beyond 100 sigma), ZTF, ASAS-SN,
CRTS and the ground U, B, V at most 1.9 times theirs. A series that
scatters ``s`` times its errors weighs ``s^2`` times too much against the
others, so it pulls the shared period and epoch more than its information
warrants; and the joint fit's covariance, scaled by the *overall* reduced
chi-square, spreads the excess over every band's errors.
:func:`series_scatter` measures each series' scatter in each band with a
robust scale (outliers do not set it),

.. math::

    s = 1.4826\,\mathrm{median}\,|z - \mathrm{median}\,z|, \qquad z = (y - \mathrm{model}) / dy,

whose standard error for Gaussian residuals is about ``1.17 s / sqrt(n)``
(the median absolute deviation's efficiency of 37 %); :func:`scatter_flags`
names the series whose errors are too small by a factor :data:`ERRORS_OFF_BY`
or more (weights four times too high). A series of :data:`MIN_SERIES_POINTS`
Gaussian points with the right errors shows that by chance about 0.3 % of
the time (simulated), larger ones less. Errors far too *large* (a scale well
below 1) are not flagged: they only take weight away from their series. The
fit is not changed: reweighting moves the real stars' periods by one to two
of their errors (:doc:`/multiband`), which is the user's choice to make with
this information. A model that leaves out real variation (the Blazhko
modulation of an RR Lyrae star under a joint TP) raises the scatter as
errors quoted too small do: on the five-band Stripe 82 RR Lyrae, 75 of 123
stars have a flagged band, g most often (66), whose amplitude is the largest.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "ERRORS_OFF_BY",
    "MIN_SERIES_POINTS",
    "OUTLIER_SCALES",
    "scatter_flags",
    "series_scatter",
]

#: A series is flagged when it scatters this many times its quoted errors or more.
ERRORS_OFF_BY = 2.0
#: Fewest points of a series for a flag (the robust scale's error is then under 0.4).
MIN_SERIES_POINTS = 10
#: Residuals beyond this many robust scales (and quoted errors) count as outliers.
OUTLIER_SCALES = 5.0


def series_scatter(joint) -> dict:
    """Robust scatter of every series about a joint fit, in units of its quoted errors.

    Parameters
    ----------
    joint : MultibandNavResult or MultibandTPResult
        A joint fit whose ``band_fits`` carry each band's points (series
        labels kept) and model.

    Returns
    -------
    dict
        ``(series label, band)`` -> ``n``, ``scale`` (robust scatter of
        ``z = residual / dy``), ``rms`` (of ``z``, outliers included) and
        ``outliers`` (points with ``|z - median z|`` beyond
        :data:`OUTLIER_SCALES` times the larger of ``scale`` and 1); a series
        seen in several bands has an entry per band. Empty where the light
        curve has no errors (unit weights).
    """
    out = {}
    for band, fit in joint.band_fits.items():
        lc = fit.lc
        if not lc.dy_given:
            continue
        z = fit.residuals() / lc.dy
        for s, label in enumerate(lc.series):
            zs = z[lc.series_index == s]
            if zs.size == 0:
                continue
            dev = np.abs(zs - np.median(zs))
            scale = float(1.4826 * np.median(dev))
            out[(str(label), str(band))] = {
                "n": int(zs.size),
                "scale": scale,
                "rms": float(np.sqrt(np.mean(zs**2))),
                "outliers": int(np.count_nonzero(dev > OUTLIER_SCALES * max(scale, 1.0))),
            }
    return out


def scatter_flags(joint) -> list[str]:
    """One flag per series (and band) of ``joint`` whose errors are :data:`ERRORS_OFF_BY` times too small or worse.

    The text names the series and band quoted (``'...'``) and holds no
    ``"; "``, the catalogue's separator of flags.
    """
    flags = []
    for (label, band), s in series_scatter(joint).items():
        if s["n"] < MIN_SERIES_POINTS or not s["scale"] >= ERRORS_OFF_BY:
            continue
        flags.append(
            f"series {label!r} of band {band!r} scatters {s['scale']:.1f} times its errors "
            f"about the joint fit (robust scale, {s['outliers']} of {s['n']} points beyond "
            f"{OUTLIER_SCALES:g} times it), from errors too small or variation the model "
            f"leaves out: its points weigh about {s['scale'] ** 2:.0f} times what their "
            "scatter warrants in the shared parameters, and the joint errors are scaled by "
            "the overall chi-square"
        )
    return flags
