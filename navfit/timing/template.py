"""The template that times the minima of a light curve: a NAV fit and its residual profile.

:func:`nav_template` gives the NAV fit whose ephemeris places the windows of
:func:`navfit.minima.times_of_minima` and whose eclipse profile times them
(fitting the light curve first when needed); :class:`ResidualProfile` is the
mean residual of that fit around each eclipse, which corrects the analytic
profile where it differs from the star's eclipse.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .._checks import check_number
from ..criteria import f_survival
from ..errors import InputError, NavfitError
from ..lightcurve import LightCurve
from ..nav_params import EPOCH, PERIOD
from ..results import FitResult
from .common import MIN_DEPTH_SIGNIFICANCE
from .nav_profile import nav_geometry

__all__ = [
    "PROFILE_MAX_BINS",
    "PROFILE_MAX_FRACTION",
    "PROFILE_MIN_BINS",
    "PROFILE_MIN_PER_BIN",
    "PROFILE_PVALUE",
    "ResidualProfile",
    "nav_template",
]

#: Residual profile of the template: fewest points per bin, most bins, fewest bins,
#: and the F-test p-value below which it is applied.
PROFILE_MIN_PER_BIN = 8
PROFILE_MAX_BINS = 80
PROFILE_MIN_BINS = 4
PROFILE_PVALUE = 1e-3
#: Largest residual profile, as a fraction of the eclipse depth, taken as a mismatch.
PROFILE_MAX_FRACTION = 0.1


def nav_template(obj, period, epoch):
    """The NAV fit whose ephemeris and eclipse profile time the minima, and its light curve.

    Parameters
    ----------
    obj : LightCurve, FitResult, StarResult or path
        A light curve (or file) is fitted: by :func:`navfit.analyze` without
        ``period``, else by :func:`navfit.fit_nav` at ``period`` (``epoch`` a
        start). A NAV fit (or the ``.nav`` of a star) is used as it is, with
        ``period`` and ``epoch`` replacing its ephemeris when given.
    period, epoch : float or None
        ``epoch`` is a full Julian date.

    Returns
    -------
    FitResult
        The NAV fit; its light curve is ``fit.lc``.

    Raises
    ------
    NavfitError
        No NAV fit, or one without a significant primary eclipse (depth below
        :data:`~navfit.timing.common.MIN_DEPTH_SIGNIFICANCE` times its error).
    InputError
        Phase-folded data, another type, a bad period or epoch.
    """
    from ..analyze import StarResult

    if epoch is not None:
        epoch = check_number(epoch, "epoch", "times_of_minima")
    if isinstance(obj, (str, Path)):
        from ..io import read_lightcurve

        obj = read_lightcurve(obj)
    if isinstance(obj, StarResult):
        if obj.nav is None:
            raise NavfitError(
                f"{obj.lc.where}: no NAV fit (not an eclipsing binary?): "
                "no eclipse profile to time minima with"
            )
        obj = obj.nav
    if isinstance(obj, FitResult):
        if obj.model != "nav":
            raise NavfitError(f"{obj.lc.where}: times of minima need a NAV fit, got {obj.label}")
        fit = obj
        if period is not None or epoch is not None:
            fit = _rephase(fit, period, epoch)
    elif isinstance(obj, LightCurve):
        if obj.phased:
            raise InputError(f"{obj.where}: phase-folded data have no times of minima")
        if period is None:
            from ..analyze import analyze

            star = analyze(obj)
            if star.nav is None:
                raise NavfitError(
                    f"{obj.where}: no NAV fit at the period found "
                    f"({star.best.period:.8g} d): no minima to time"
                )
            fit = star.nav
        else:
            from ..models import fit_nav

            epoch = None if epoch is None else float(epoch) - obj.meta["time_offset"]
            fit = fit_nav(obj, period, epoch)
    else:
        raise InputError(
            "times_of_minima takes a LightCurve, a NAV FitResult, a StarResult or a file, "
            f"got {type(obj).__name__}"
        )
    if fit.lc.phased:
        raise InputError(f"{fit.lc.where}: phase-folded data have no times of minima")
    depth, err = fit.params["C6"], fit.errors["C6"]
    if not abs(depth) > MIN_DEPTH_SIGNIFICANCE * err:
        raise NavfitError(
            f"{fit.lc.where}: the NAV fit at P = {fit.period:.8g} d has no significant eclipse "
            f"(depth {depth:.3g} +- {err:.2g}): the period does not fit the eclipses; no "
            "minima timed"
        )
    return fit


def _rephase(fit, period, epoch):
    """The fit with another ephemeris (full-JD epoch) for the windows; the shape is kept."""
    from dataclasses import replace

    p = np.array(fit.values, dtype=float)
    if period is not None:
        period = float(period)
        if not (np.isfinite(period) and period > 0):
            raise InputError(f"{fit.lc.where}: period must be positive and finite, got {period}")
        p[PERIOD] = period
    if epoch is not None:
        p[EPOCH] = float(epoch) - fit.lc.meta["time_offset"]
        if not np.isfinite(p[EPOCH]):
            raise InputError(f"{fit.lc.where}: epoch must be finite, got {epoch}")
    return replace(fit, values=p, epoch=float(p[EPOCH]))


class ResidualProfile:
    """Mean residual of the global NAV fit against the phase distance from one eclipse.

    Where the analytic NAV profile differs from the star's eclipse (limb
    darkening, exposure smearing, a flat bottom ...), the difference repeats
    in every eclipse. Its mean over the eclipses, in bins of phase distance
    ``x`` from the centre (at least :data:`PROFILE_MIN_PER_BIN` points each,
    weights ``1/dy^2``), added to the template, leaves residuals that are
    noise; the mean of a window leaves out the window's own points, so that
    an eclipse is not pulled towards the ephemeris by its own residuals. The
    profile is used only when an F test finds the bin means significant
    (p < :data:`PROFILE_PVALUE`), otherwise it would only add noise that the
    points of a bin share, and when it stays below
    :data:`PROFILE_MAX_FRACTION` of the eclipse depth: a deeper profile is an
    eclipse the ephemeris misses, not a mismatch of its shape.

    Parameters
    ----------
    fit : FitResult
        The global NAV fit.
    kind : {"I", "II"}
        The eclipse.
    reach : float
        Half-width of the profile in eclipse half-widths.
    dy : ndarray or None
        Errors of the light curve (``None``: equal weights).
    """

    def __init__(self, fit, kind, reach, dy):
        self.fit, self.phi = fit, nav_geometry(fit, kind)[0]
        a = nav_geometry(fit, kind)[1]
        lc = fit.lc
        x = self._x(lc.t)
        sel = np.abs(x) < reach * a
        nb = min(PROFILE_MAX_BINS, int(sel.sum()) // PROFILE_MIN_PER_BIN)
        self.edges, self.pvalue, self.fraction = None, np.nan, np.nan
        if nb < PROFILE_MIN_BINS:
            return
        self.edges = np.linspace(-reach * a, reach * a, nb + 1)
        self.centres = 0.5 * (self.edges[1:] + self.edges[:-1])
        w = np.ones(lc.n) if dy is None else 1.0 / dy**2
        r = lc.y - fit.evaluate(lc.t)
        b = self._bin(x[sel])
        self.sum_w = np.bincount(b, w[sel], nb)
        self.sum_wr = np.bincount(b, w[sel] * r[sel], nb)
        self.r, self.w = r, w
        # F test of the bin means against 0: where the template misses less than
        # the noise shows, its correction would only add noise shared by the bins
        n = int(sel.sum())
        explained = float(np.sum(self.sum_wr**2 / np.where(self.sum_w > 0, self.sum_w, np.inf)))
        rest = float(np.sum(w[sel] * r[sel] ** 2)) - explained
        if n <= nb or rest <= 0:
            return
        F = (explained / nb) / (rest / (n - nb))
        self.pvalue = float(f_survival(F, nb, n - nb))
        means = self.sum_wr / np.where(self.sum_w > 0, self.sum_w, np.inf)
        depth = abs(float(fit.values[nav_geometry(fit, kind)[2]]))
        self.fraction = float(np.max(np.abs(means)) / depth) if depth > 0 else np.inf
        # a profile as deep as the eclipse is no mismatch of its shape but an eclipse
        # where the template has none (a wrong ephemeris): it would create one
        if self.pvalue > PROFILE_PVALUE or self.fraction > PROFILE_MAX_FRACTION:
            self.edges = None

    def _x(self, t):
        P = self.fit.values[PERIOD]
        return ((t - self.fit.epoch) / P - self.phi + 0.5) % 1.0 - 0.5

    def _bin(self, x):
        return np.clip(np.searchsorted(self.edges, x, side="right") - 1, 0, self.centres.size - 1)

    def correction(self, t, own):
        """The mean residual at times ``t``, without the points ``own`` (a boolean mask of lc)."""
        if self.edges is None:
            return np.zeros_like(t)
        x_own = self._x(self.fit.lc.t[own])
        inside = (x_own > self.edges[0]) & (x_own < self.edges[-1])
        b = self._bin(x_own[inside])
        nb = self.centres.size
        sw = self.sum_w - np.bincount(b, self.w[own][inside], nb)
        swr = self.sum_wr - np.bincount(b, (self.w * self.r)[own][inside], nb)
        ok = sw > 0
        if ok.sum() < PROFILE_MIN_BINS:
            return np.zeros_like(t)
        mean = swr[ok] / sw[ok]
        x = self._x(t)
        out = np.interp(x, self.centres[ok], mean)
        return np.where((x > self.edges[0]) & (x < self.edges[-1]), out, 0.0)
