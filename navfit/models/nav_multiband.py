r"""Joint NAV fit of a multi-band light curve: one ephemeris and eclipse geometry, C1..C7 per band.

In every band :math:`b` the NAV model (:mod:`navfit.nav_params`) is

.. math::

    x_b(\varphi) = C_{1,b} + C_{2,b}\cos w + C_{3,b}\sin w + C_{4,b}\cos 2w
                 + C_{5,b}\sin 2w + C_{6,b} H(\Delta_1; a, \beta_1)
                 + C_{7,b} H(\Delta_2; a, \beta_2) + o_{s},

with the period :math:`P`, the epoch :math:`T_0`, the half-width :math:`a`
and the profile exponents :math:`\beta_1, \beta_2` shared by all bands (the
geometry of the eclipses does not depend on colour, to the accuracy of a
phenomenological model; limb darkening changes the profile slightly), the
depths, levels and out-of-eclipse terms :math:`C_{1..7,b}` free per band, and
a free offset :math:`o_s` for each further series :math:`s` of a band (the
series with the most points in the band has none: its zero point is
:math:`C_{1,b}`). A band too sparse for its own out-of-eclipse terms
(:data:`~navfit.models.nav_multiband_terms.SPARSE_BAND_POINTS`) takes :math:`C_{2..5}` from the best-sampled
band: the same variation in magnitudes in both, fitted to the points of
all such bands together (:func:`~navfit.models.nav_multiband_terms.ties`).

The fit (:func:`fit_nav_multiband`) starts from :func:`navfit.fit_nav` on the
best-sampled band (its global grid search finds the eclipses; all bands
pooled, in two ways, when that band is too sparse: :func:`~navfit.models.nav_multiband_starts.start_fits`, and
then also from the best nodes of a grid search of the joint model about
them: :func:`~navfit.models.nav_multiband_starts.grid_geometries`), solves the
linear parameters of every band and series at that geometry exactly, then
runs navfit's bounded Levenberg-Marquardt (:func:`navfit.lsq.levenberg_marquardt`)
on all parameters at once with the analytic Jacobian of the joint model
(:func:`navfit._kernels.models.eval_nav_multiband`), so the covariance is the
full one, shared and per-band parameters together. Derived parameters (Max,
Min I, Min II, depths; :func:`navfit.models.nav_derived.derived_parameters`)
are given per band, from the band's parameters and the covariance block of
the band's and the shared parameters.

References
----------
Andronov I. L., 2012, Astrophysics 55, 536 (NAV).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from .._checks import check_period, fit_errors
from .._kernels.models import NAV, NAV_MULTIBAND, band_slot
from ..criteria import fit_statistics
from ..errors import NavfitError
from ..lightcurve import LightCurve
from ..lsq import levenberg_marquardt, model_values
from ..nav_params import BOUNDS as NAV_BOUNDS
from ..nav_params import NAMES as NAV_NAMES
from ..nav_params import NPAR
from ..results import FitResult
from .nav import swap_minima, swap_order
from .nav_multiband_errors import held_depth_covariance
from .nav_multiband_starts import grid_geometries, runs_grid, start_fits
from .nav_multiband_terms import (
    MIN_DEPTH_POINTS,
    NLIN,
    band_offsets,
    band_terms,
    held_at_fitted_mean,
    in_eclipse_counts,
    layout,
    linear_start,
    tied,
)
from .nav_multiband_views import band_fit, joint_names, without_offsets

__all__ = ["MultibandNavResult", "fit_nav_multiband"]

#: Joint fits made again after holding depths whose band the moving geometry left
#: without points inside that eclipse.
MAX_REFITS = 3


@dataclass(frozen=True)
class MultibandNavResult:
    """A joint multi-band NAV fit.

    Attributes
    ----------
    names : tuple of str
        Every parameter: the 17 NAV names (C1..C7 of the first band written
        ``C1[band]``), the C1..C7 of the other bands, then ``offset[series]``.
    values : ndarray
        Their values.
    free : ndarray of bool
        Which were fitted.
    covariance : ndarray
        ``sigma0^2 (J^T W J)^{-1}`` of the free parameters, in order, plus
        the held depths' part (:mod:`~navfit.models.nav_multiband_errors`).
    params, errors : dict
        Name -> value and error (0 for parameters the model fixes, ``inf``
        for ``undetermined`` depths; tied C2..C5 repeat their reference's, and
        ``a2`` repeats ``a1`` where one half-width serves both eclipses).
    chi2 : float
    n, k : int
        Points and free parameters.
    bands : tuple of str
    band_fits : dict
        Band -> :class:`~navfit.FitResult` of the band (its C1..C7 and the
        shared parameters, the covariance block of these), with ``derived``
        (Max, Min I, Min II, depths and their errors) and the statistics
        (``chi2``, ``n``, ``k``, so ``sigma0`` and the BIC) of that band; its
        light curve is the band's points with the fitted series offsets
        removed (on the zero point of the band's largest series).
    start : FitResult
        The single-band fit the joint fit started from.
    ties : dict
        Band -> the band whose C2..C5 it takes (:func:`~navfit.models.nav_multiband_terms.ties`); its own C2..C5
        in ``values`` and ``errors`` repeat that band's.
    undetermined : tuple of str
        Depths the data of their band do not determine: held at the start
        fit's value or at the mean of the other bands' (fewer than ``MIN_DEPTH_POINTS`` points inside that
        eclipse, or a band of fewer than ``LEVEL_ONLY_POINTS``), or fitted with
        an infinite variance. Their errors are ``inf``, and so are those of
        the band's derived quantities that depend on them.
    status : int
    message : str
    """

    names: tuple
    values: np.ndarray
    free: np.ndarray
    covariance: np.ndarray
    chi2: float
    n: int
    k: int
    bands: tuple
    band_fits: dict = field(repr=False)
    start: FitResult = field(repr=False)
    status: int = 0
    message: str = ""
    ties: dict = field(default_factory=dict)
    undetermined: tuple = ()

    @property
    def params(self) -> dict:
        """Name -> value."""
        return dict(zip(self.names, map(float, self.values), strict=True))

    @property
    def errors(self) -> dict:
        """Name -> standard error (see the class docstring)."""
        err = np.zeros(self.values.size)
        err[self.free] = np.sqrt(np.clip(np.diag(self.covariance), 0, None))
        for band, ref in self.ties.items():
            own, of = band_slot(self.bands.index(band)), band_slot(self.bands.index(ref))
            err[own + 1 : own + 5] = err[of + 1 : of + 5]
        if self.start.iparams[0] == 1:  # one half-width
            err[NAV_NAMES.index("a2")] = err[NAV_NAMES.index("a1")]
        out = dict(zip(self.names, map(float, err), strict=True))
        return out | dict.fromkeys(self.undetermined, np.inf)

    @property
    def period(self) -> float:
        """The shared period."""
        return float(self.values[NAV_NAMES.index("period")])

    @property
    def epoch(self) -> float:
        """The shared epoch (time of primary minimum)."""
        return float(self.values[NAV_NAMES.index("epoch")])


def _bounds(p, m, nbands, kind, has2):
    """Bounds of the joint vector: the NAV bounds, depths of every band of one sign."""
    lower, upper = np.full(m, -np.inf), np.full(m, np.inf)
    for name, (lo, hi) in NAV_BOUNDS.items():
        j = NAV_NAMES.index(name)
        if j >= NLIN:
            lower[j], upper[j] = lo, hi
    P, T0 = p[NAV_NAMES.index("period")], p[NAV_NAMES.index("epoch")]
    lower[NAV_NAMES.index("period")], upper[NAV_NAMES.index("period")] = 0.9 * P, 1.1 * P
    lower[NAV_NAMES.index("epoch")], upper[NAV_NAMES.index("epoch")] = T0 - 0.25 * P, T0 + 0.25 * P
    for b in range(nbands):
        c0 = band_slot(b)
        for j in (5, 6) if has2 else (5,):
            if kind == "mag":
                lower[c0 + j] = 0.0
            else:
                upper[c0 + j] = 0.0
    return lower, upper


def fit_nav_multiband(
    lc: LightCurve,
    period: float,
    epoch: float | None = None,
    *,
    free_period: bool = True,
    free_epoch: bool = True,
) -> MultibandNavResult:
    """Fit one NAV geometry to every band: shared P, T0, half-width, shapes; C1..C7 per band.

    Parameters
    ----------
    lc : LightCurve
        A multi-band light curve (``lc.multiband``).
    period : float
        Period in days (start value when ``free_period``).
    epoch : float, optional
        Time of primary minimum (see :func:`navfit.fit_nav`).
    free_period, free_epoch : bool
        Fit the period / epoch.

    Returns
    -------
    MultibandNavResult

    Raises
    ------
    NavfitError
        A one-band light curve (use :func:`navfit.fit_nav`), or too few
        points for the parameters; the errors of :func:`navfit.fit_nav` on the
        best-sampled band.

    Notes
    -----
    See the module docstring. The canonical NAV variant (one half-width,
    secondary at phase 0.5, ``gamma = 3/2``) is fitted; a secondary eclipse
    that the start fit dropped stays dropped in every band.

    A depth C6 (C7) is fitted in a band where at least ``MIN_DEPTH_POINTS``
    of its points lie inside that eclipse at the start geometry and at the
    fitted one (a depth the moving geometry leaves without points is held
    and the fit made again, up to ``MAX_REFITS`` times); otherwise it stays
    at the start fit's value with an infinite error (``undetermined``, as is
    a depth the fit leaves with an infinite variance), or at the mean of
    the depths of that eclipse that the other bands fit unless that gives a
    higher chi-square (the start's value is one band's or the pooled bands'
    depth at the start's geometry, and can be far from every band's). A
    band needs more points than its level and series offsets.

    Sparse bands, as on survey cadences that take each epoch in one band: a
    band with fewer than ``SPARSE_BAND_POINTS`` points
    (three per linear parameter) fits only its level C1 and its depths, and,
    for magnitudes, takes the out-of-eclipse terms C2..C5 of the
    best-sampled band, fitted to the points of both (:func:`~navfit.models.nav_multiband_terms.ties`; the same
    variation in magnitudes in every band, to first order; in flux they
    scale with each band's level, so there the start fit's values are held);
    below ``LEVEL_ONLY_POINTS`` it fits only its level (:func:`~navfit.models.nav_multiband_terms.free_in_band`).
    When the best-sampled band is itself too sparse, or its own NAV fit
    fails, the joint fit runs from the fits of all bands pooled at their
    median levels and pooled with each band divided by its scale
    (:func:`~navfit.models.nav_multiband_starts.start_fits`), and from the best nodes of a grid of epochs and
    half-widths about each on the joint model itself (:func:`~navfit.models.nav_multiband_starts.grid_geometries`:
    a pooled start's eclipses can lie a quarter or half cycle from the joint
    basin, which the joint fit, its epoch bounded to a quarter period, does
    not reach), and keeps the lowest BIC
    (:func:`navfit.criteria.fit_statistics`, the held depths counted as
    parameters). Min I is then the fainter minimum summed over the bands
    that fit both depths (:func:`_fainter_first`), as :func:`navfit.fit_nav`
    decides on one light curve. The covariance carries the uncertainty of
    the held depths (:func:`~navfit.models.nav_multiband_errors.held_depth_covariance`:
    the joint model refitted with the held depths of each eclipse moved
    together, and each alone, by plus and minus their uncertainty). The
    grid also runs from a best-sampled band too sparse for its narrowest
    half-width (:func:`~navfit.models.nav_multiband_starts.runs_grid`): that
    band's own fit cannot have a detached binary's narrow eclipses. On ten epochs
    per band (``six_band_sparse_lightcurve("EW", n=10)``, seeds 0-11) the
    epoch is within 0.05 cycle of the truth for 11 of 12 contact binaries
    with the grid, 5 without.
    """
    if not isinstance(lc, LightCurve) or not lc.multiband:
        raise NavfitError(
            f"{getattr(lc, 'where', 'fit_nav_multiband')}: a multi-band light curve is "
            "needed (one band: use fit_nav)"
        )
    period = check_period(lc, period)
    counts = np.bincount(lc.band_index, minlength=len(lc.bands))
    _check_band_sizes(lc, counts)
    fits, error = [], None
    starts, pooled = start_fits(lc, period, epoch, free_period, free_epoch, counts)
    for start in starts:
        geometries = [start.values]
        if free_epoch and runs_grid(start, pooled):
            geometries += grid_geometries(lc, start, counts, pooled)
        for values in geometries:
            try:
                fits.append(_joint_from(lc, start, counts, values))
            except NavfitError as exc:
                error = error or exc
    if not fits:
        raise error
    best = min(fits, key=lambda fit: fit.bic)
    return _result(lc, _fainter_first(lc, best) if free_epoch else best)


def _fainter_first(lc, fit):
    """Min I the fainter minimum over the bands (NAV_SPEC §2.6), as in :func:`navfit.fit_nav`.

    Each band's model (its C1..C7 and the shared geometry) at the two
    minima; the minimum fainter in the sum over the bands that fit both
    depths (over every band when none does: a held depth is a guess) is Min I, as :func:`navfit.fit_nav` decides on the bands pooled
    (:func:`~navfit.models.nav_multiband_starts.start_fits`).
    A fit whose secondary is the fainter is made again from its exchanged
    joint vector (:func:`navfit.models.nav.swap_minima` in every band: the
    same curve, the same held depths), which only relabels the minima and
    gives the covariance in the new labels.
    """
    if fit.start.iparams[1] != 1:
        return fit
    faint = 1.0 if lc.kind == "mag" else -1.0
    variance = np.full(fit.free.size, np.inf)
    variance[fit.free] = np.diag(fit.sol.covariance)
    determined = [
        b
        for b in range(len(lc.bands))
        if np.all(np.isfinite(variance[band_slot(b) + 5 : band_slot(b) + 7]))
    ]
    difference = 0.0
    for b in determined or range(len(lc.bands)):
        p = fit.band_vector(b)
        P, T0 = p[NAV_NAMES.index("period")], p[NAV_NAMES.index("epoch")]
        minima = model_values(NAV, np.array([T0, T0 + 0.5 * P]), p, fit.start.iparams)
        difference += faint * (minima[0] - minima[1])
    if difference >= 0:
        return fit
    shared = fit.start.iparams[0] == 1
    order = swap_order(shared)
    q, free = fit.sol.params.copy(), fit.free.copy()
    for b in range(len(lc.bands)):
        band = np.r_[band_slot(b) : band_slot(b) + NLIN, NLIN:NPAR]
        q[band] = swap_minima(fit.sol.params[band], shared)
        free[band] = fit.free[band][order]
    try:
        swapped = _solve(lc, fit.start, q, free, fit.tie, swap_minima(fit.start.values, shared))
    except NavfitError:
        return fit
    return replace(swapped, depth_errors=fit.depth_errors[::-1])


def _check_band_sizes(lc, counts):
    """Refuse a band with no more points than its level and series offsets."""
    for b, name in enumerate(lc.bands):
        series = np.unique(lc.series_index[lc.band_index == b]).size
        if counts[b] <= series:
            raise NavfitError(
                f"{lc.where}: band {name!r} has {counts[b]} point(s) in {series} series, too "
                f"few for its level and offsets in a joint fit (leave it out: "
                f"lc.subset(lc.band_index != {b}))"
            )


def _joint_from(lc, start, counts, values):
    """The joint fit from the NAV vector ``values`` (a start fit's, or its epoch moved).

    See :func:`fit_nav_multiband`; ``start`` gives the variant and which
    parameters are free.
    """
    iparams = np.asarray(start.iparams, np.int64)
    dy = fit_errors(lc)
    offsets, point = layout(lc)
    cfree = band_terms(lc, values, iparams, counts)
    cs, off = linear_start(lc, dy, values, iparams, offsets, point, cfree)
    p0 = np.concatenate([cs[0], values[NLIN:], cs[1:].ravel(), off])
    cfree, tie = tied(cfree, counts, lc.kind)
    free = np.concatenate([cfree[0], start.free[NLIN:], *cfree[1:], np.ones(len(offsets), bool)])
    return _solve(lc, start, p0, free, tie, values)


def _solve(lc, start, p0, free, tie, values, refits=MAX_REFITS):
    """Levenberg-Marquardt of the joint model from the joint vector ``p0``: a :class:`_Joint`.

    A depth whose band the moving geometry leaves without points inside its
    eclipse is held at its value in the NAV vector ``values`` and the fit
    made again (up to ``refits`` times; with 0 the free parameters are
    exactly ``free`` and the held values those of ``p0``). The held depths
    are then tried at the mean of the depths the other bands fit at that
    solution (:func:`~navfit.models.nav_multiband_terms.held_at_fitted_mean`),
    and the fit from there kept unless its chi-square is higher, it stops
    short of convergence where the first did not, or it leaves a fitted
    depth with fewer than ``MIN_DEPTH_POINTS`` points inside its eclipse.
    """
    iparams = np.asarray(start.iparams, np.int64)
    has2 = iparams[1] == 1
    dy = fit_errors(lc)
    offsets, point = layout(lc)
    nb, m = len(lc.bands), p0.size
    free = free.copy()
    k = int(free.sum())
    if lc.n < k + 5:
        raise NavfitError(f"{lc.where}: a joint NAV fit has {k} parameters; {lc.n} points")
    lower, upper = _bounds(p0, m, nb, lc.kind, has2)
    joint_ip = np.concatenate([iparams[:2], [nb, len(offsets)], lc.band_index, point, tie])
    p = np.clip(p0, lower, upper)

    def lm(start_vector):
        return levenberg_marquardt(NAV_MULTIBAND, lc.t, lc.y, dy, start_vector, lower=lower,
                                   upper=upper, free=free, iparams=joint_ip, maxiter=300)  # fmt: skip

    for attempt in range(refits + 1):
        sol = lm(p)
        # the geometry moved: a depth whose band no longer has points inside
        # that eclipse is held at its value in ``values``, and the fit made again
        lost = _lost_depths(lc, sol.params, iparams, free)
        if not lost or attempt == refits:
            break
        p = sol.params.copy()
        for i, j in lost:
            free[i] = False
            p[i] = np.clip(values[j], lower[i], upper[i])
    eclipses = (5, 6) if has2 else (5,)
    q = held_at_fitted_mean(sol.params, free, nb, eclipses, (lower, upper)) if refits else None
    if q is not None:
        other = lm(q)
        # the mean unless it fits worse (depths with no point inside tie to
        # rounding), stops short of a minimum the other reached, or leaves a
        # fitted depth without its points
        better = other.chi2 <= sol.chi2 * (1 + 1e-9) and (other.status > 0 or sol.status == 0)
        if better and not _lost_depths(lc, other.params, iparams, free):
            sol = other
    for b in np.flatnonzero(tie != np.arange(nb)):
        sol.params[band_slot(b) + 1 : band_slot(b) + 5] = sol.params[
            band_slot(tie[b]) + 1 : band_slot(tie[b]) + 5
        ]
    held = [(b, j) for b in range(nb) for j in eclipses if not free[band_slot(b) + j]]
    depth_errors = (start.errors.get("C6", np.inf), start.errors.get("C7", np.inf))
    return _Joint(start, sol, free, tie, held, depth_errors)


def _lost_depths(lc, params, iparams, free):
    """Free depths ``(joint index, kernel index)`` with fewer than ``MIN_DEPTH_POINTS`` inside."""
    return [
        (band_slot(b) + j, j)
        for b, seen in enumerate(in_eclipse_counts(lc, params[:NPAR], iparams))
        for j in (5, 6)
        if free[band_slot(b) + j] and seen[j - 5] < MIN_DEPTH_POINTS
    ]


@dataclass(frozen=True)
class _Joint:
    """One joint Levenberg-Marquardt solution, before its result is built (:func:`_result`).

    ``held`` lists the depths ``(band, kernel index)`` held (at a start
    fit's value or the fitted bands' mean), ``depth_errors`` that fit's errors of the depths C6 and C7
    (exchanged with them when :func:`_fainter_first` relabels the minima); ``tie`` is :func:`~navfit.models.nav_multiband_terms.ties`' (the tied C2..C5 already copied).
    """

    start: FitResult
    sol: object
    free: np.ndarray
    tie: np.ndarray
    held: list
    depth_errors: tuple

    @property
    def bic(self) -> float:
        """BIC with the held depths counted as parameters.

        They were estimated too (by a start fit), so that starts holding
        different depths compare on equal terms.
        """
        k = int(self.free.sum())
        return fit_statistics(self.sol.chi2, self.sol.dof + k, k + len(self.held))["bic"]

    def band_vector(self, b) -> np.ndarray:
        """The NAV vector of band ``b``: its C1..C7 and the shared parameters."""
        p = self.sol.params
        return np.r_[p[band_slot(b) : band_slot(b) + NLIN], p[NLIN:NPAR]]


def _result(lc, joint) -> MultibandNavResult:
    """The :class:`MultibandNavResult` of a joint solution: names, errors, each band's view.

    The covariance carries the held depths' uncertainty
    (:func:`~navfit.models.nav_multiband_errors.held_depth_covariance`).
    """
    free, tie, start = joint.free, joint.tie, joint.start

    def refit(p):
        """The free parameters fitted again from ``p``, none freed or held; ``None`` unconverged."""
        try:
            sol = _solve(lc, start, p, free, tie, p[:NPAR], refits=0).sol
        except NavfitError:
            return None
        return sol.params[free] if sol.status > 0 else None

    has2 = start.iparams[1] == 1
    bounds = _bounds(joint.sol.params, joint.sol.params.size, len(lc.bands), lc.kind, has2)
    cov, cov_u = held_depth_covariance(joint, len(lc.bands), refit, bounds)
    params = joint.sol.params.copy()
    if start.iparams[0] == 1:  # one half-width for both eclipses: a2 is a1 (as fit_nav reports)
        params[NAV_NAMES.index("a2")] = params[NAV_NAMES.index("a1")]
    sol = replace(joint.sol, params=params, covariance=cov, covariance_unscaled=cov_u)
    iparams = np.asarray(start.iparams, np.int64)
    offsets, point = layout(lc)
    nb = len(lc.bands)
    m = sol.params.size
    zeroed = without_offsets(lc, np.where(point >= 0, sol.params[m - len(offsets) + point], 0.0))
    depths = joint.held
    infinite = ~np.isfinite(np.diag(sol.covariance))
    unfitted = [  # rank-deficient: free, but with an infinite variance
        (b, j) for b in range(nb) for j in (5, 6) if free[band_slot(b) + j]
        and infinite[np.count_nonzero(free[: band_slot(b) + j])]
    ]  # fmt: skip
    k = int(free.sum())
    return MultibandNavResult(
        names=joint_names(lc.bands, offsets),
        values=sol.params,
        free=free,
        covariance=sol.covariance,
        chi2=sol.chi2,
        n=lc.n,
        k=k,
        bands=lc.bands,
        band_fits={
            band: band_fit(
                zeroed.select(band),
                b,
                int(tie[b]),
                sol,
                free,
                iparams,
                [j for c, j in depths if c == b],
                band_offsets(lc, point, b).size,
            )
            for b, band in enumerate(lc.bands)
        },
        start=start,
        status=sol.status,
        message=sol.message,
        ties={lc.bands[b]: lc.bands[tie[b]] for b in np.flatnonzero(tie != np.arange(nb))},
        undetermined=tuple(f"{NAV_NAMES[j]}[{lc.bands[b]}]" for b, j in depths + unfitted),
    )
