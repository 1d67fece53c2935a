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
(:data:`SPARSE_BAND_POINTS`) takes :math:`C_{2..5}` from the best-sampled
band: the same variation in magnitudes in both, fitted to the points of
all such bands together (:func:`ties`).

The fit (:func:`fit_nav_multiband`) starts from :func:`navfit.fit_nav` on the
best-sampled band (its global grid search finds the eclipses; all bands
pooled, in two ways, when that band is too sparse: :func:`_start_fits`), solves the
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

import contextlib
from dataclasses import dataclass, field, replace

import numpy as np

from .._checks import check_period, fit_errors
from .._kernels.models import NAV, NAV_MULTIBAND, band_slot
from ..criteria import fit_statistics
from ..errors import NavfitError
from ..lightcurve import LightCurve
from ..lsq import jacobian, levenberg_marquardt, solve_linear
from ..nav_params import BOUNDS as NAV_BOUNDS
from ..nav_params import NAMES as NAV_NAMES
from ..nav_params import NPAR
from ..pooling import scaled_pool
from ..results import FitResult
from .nav import fit_nav
from .nav_derived import derived_parameters, eclipse_windows

__all__ = ["MultibandNavResult", "fit_nav_multiband"]

NLIN = 7  # C1..C7 per band
#: C2..C5, the TP2 terms of NAV (out-of-eclipse variation).
TP2_TERMS = slice(1, 5)
#: A band with fewer points than this (three per NAV linear parameter, the
#: package's rule for TP orders, :data:`navfit.models.tp.MIN_POINTS_PER_PARAMETER`)
#: is "sparse": its C2..C5 are held at the start fit's values.
SPARSE_BAND_POINTS = 3 * NLIN
#: A band with fewer points than this (three per parameter of C1, C6, C7) fits
#: its level C1 alone, its depths held at the start fit's too.
LEVEL_ONLY_POINTS = 3 * 3
#: A band's depth C6 (C7) is fitted where at least this many of its points lie
#: inside the primary (secondary) eclipse at the start geometry; with none the
#: depth is not determined (a rank-deficient fit whose covariance means
#: nothing), with one it is only as exact as that point. It stays at the start
#: fit's depth otherwise.
MIN_DEPTH_POINTS = 2
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
        ``sigma0^2 (J^T W J)^{-1}`` of the free parameters, in order.
    params, errors : dict
        Name -> value and error (0 for parameters the model fixes, ``inf``
        for ``undetermined`` depths; tied C2..C5 repeat their reference's).
    chi2 : float
    n, k : int
        Points and free parameters.
    bands : tuple of str
    band_fits : dict
        Band -> :class:`~navfit.FitResult` of the band (its C1..C7 and the
        shared parameters, the covariance block of these), with ``derived``
        (Max, Min I, Min II, depths and their errors) for that band; its
        light curve is the band's points with the fitted series offsets
        removed (on the zero point of the band's largest series).
    start : FitResult
        The single-band fit the joint fit started from.
    ties : dict
        Band -> the band whose C2..C5 it takes (:func:`ties`); its own C2..C5
        in ``values`` and ``errors`` repeat that band's.
    undetermined : tuple of str
        Depths the data of their band do not determine: held at the start
        fit's value (fewer than ``MIN_DEPTH_POINTS`` points inside that
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


def ties(counts):
    """The band each band takes its C2..C5 from (its own index when not tied).

    A band with fewer than ``SPARSE_BAND_POINTS`` points cannot fit its own
    out-of-eclipse terms; it uses those of the best-sampled band (the
    *reference*), whose C2..C5 are then fitted to the points of the
    reference and of every band tied to it. In magnitudes the
    out-of-eclipse variation of a binary (ellipsoidal, reflection) changes
    little with colour compared with the eclipse depths, which stay free per
    band.
    """
    counts = np.asarray(counts)
    ref = int(np.argmax(counts))
    return np.array(
        [ref if n < SPARSE_BAND_POINTS and b != ref else b for b, n in enumerate(counts)],
        np.int64,
    )


def _layout(lc):
    """Offsets: the series of each band but its largest; each point's offset (-1: none)."""
    offsets, point = [], np.full(lc.n, -1, np.int64)
    for b in range(len(lc.bands)):
        rows = lc.band_index == b
        present, counts = np.unique(lc.series_index[rows], return_counts=True)
        for s in present[np.argsort(-counts, kind="stable")][1:]:
            point[rows & (lc.series_index == s)] = len(offsets)
            offsets.append(str(lc.series[s]))
    return offsets, point


def _linear_start(lc, dy, p, shared_has2, offsets, point, cfree):
    """C1..C7 of every band and the series offsets, solved exactly at the geometry ``p``.

    ``cfree[b]`` is what band ``b`` fits: the terms it does not fit stay at
    their values in ``p`` (the start fit's) and only the others and the
    offsets are solved.
    """
    has2 = shared_has2[1] == 1
    cs = np.zeros((len(lc.bands), NLIN))
    off = np.zeros(len(offsets))
    cols = np.arange(NLIN if has2 else NLIN - 1)
    for b in range(len(lc.bands)):
        rows = lc.band_index == b
        _, JT = jacobian(NAV, lc.t[rows], p, shared_has2)
        own = np.unique(point[rows][point[rows] >= 0])
        y = lc.y[rows]
        use = cols[cfree[b][cols]]
        held = np.zeros(NLIN, bool)
        held[cols] = ~cfree[b][cols]
        if held.any():
            cs[b, held] = p[:NLIN][held]
            y = y - p[:NLIN][held] @ JT[:NLIN][held]
        design = np.vstack([JT[use], *[(point[rows] == k).astype(float) for k in own]])
        sol = solve_linear(design, y, None if dy is None else dy[rows], transposed=True)
        cs[b, use] = sol.params[: use.size]
        off[own] = sol.params[use.size :]
    return cs, off


def free_in_band(n, has2):
    """Which of C1..C7 a band of ``n`` points solves on its own at the start fit's geometry.

    All seven with at least ``SPARSE_BAND_POINTS`` points; C1, C6 (and C7)
    with at least ``LEVEL_ONLY_POINTS``; C1 alone below (the others are held
    at the start fit's values). C7 is fitted only where the start fit has a
    secondary eclipse (``has2``). In the joint fit a sparse band's C2..C5 are
    those of the band it is tied to (:func:`ties`).
    """
    free = np.r_[np.ones(NLIN - 1, bool), bool(has2)]
    if n < SPARSE_BAND_POINTS:
        free[TP2_TERMS] = False
    if n < LEVEL_ONLY_POINTS:
        free[1:] = False
    return free


def _start_fits(lc, period, epoch, free_period, free_epoch, counts):
    """NAV fits whose geometries start the joint one.

    The best-sampled band's fit when that band has ``SPARSE_BAND_POINTS``
    points. Otherwise (or when its fit fails) the fits of all bands pooled
    in two ways: each band and series at its median (which a few eclipse
    points do not move), and each band also divided by its scale
    (:func:`navfit.pooling.scaled_pool`, where a scale is significant). Their
    eclipses differ in depth from band to band, which either pooling
    describes only in part, so their best NAV basins can differ; the joint
    fit runs from each and keeps the lower BIC.
    """
    best = int(np.argmax(counts))
    kwargs = {"free_period": free_period, "free_epoch": free_epoch}
    if counts[best] >= SPARSE_BAND_POINTS:
        try:
            return [fit_nav(lc.select(lc.bands[best]), period, epoch, **kwargs)]
        except NavfitError:
            pass
    starts = [fit_nav(lc.pooled(), period, epoch, **kwargs)]
    pool, scales = scaled_pool(lc, period)
    if any(scale != 1.0 for scale in scales.values()):
        with contextlib.suppress(NavfitError):  # the median pool's start stands alone
            starts.append(fit_nav(pool, period, epoch, **kwargs))
    return starts


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
    a depth the fit leaves with an infinite variance). A band needs more
    points than its level and series offsets.

    Sparse bands, as on survey cadences that take each epoch in one band: a
    band with fewer than ``SPARSE_BAND_POINTS`` points
    (three per linear parameter) fits only its level C1 and its depths, and,
    for magnitudes, takes the out-of-eclipse terms C2..C5 of the
    best-sampled band, fitted to the points of both (:func:`ties`; the same
    variation in magnitudes in every band, to first order; in flux they
    scale with each band's level, so there the start fit's values are held);
    below ``LEVEL_ONLY_POINTS`` it fits only its level (:func:`free_in_band`).
    When the best-sampled band is itself too sparse, or its own NAV fit
    fails, the joint fit runs from the fits of all bands pooled at their
    median levels and pooled with each band divided by its scale
    (:func:`_start_fits`), and keeps the lower BIC
    (:func:`navfit.criteria.fit_statistics`, the held depths counted as
    parameters).
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
    for start in _start_fits(lc, period, epoch, free_period, free_epoch, counts):
        try:
            fits.append(_joint_from(lc, start, counts))
        except NavfitError as exc:
            error = error or exc
    if not fits:
        raise error

    def bic(fit):
        # a depth held at a start fit's value was estimated too: counted, so
        # that starts holding different depths compare on equal terms
        held = sum(not fit.free[fit.names.index(name)] for name in fit.undetermined)
        return fit_statistics(fit.chi2, fit.n, fit.k + held)["bic"]

    return min(fits, key=bic)


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


def _joint_from(lc, start, counts):
    """The joint fit from the geometry of one start fit (see :func:`fit_nav_multiband`)."""
    iparams = np.asarray(start.iparams, np.int64)
    has2 = iparams[1] == 1
    dy = fit_errors(lc)
    offsets, point = _layout(lc)
    nb = len(lc.bands)
    cfree = [free_in_band(counts[b], has2) for b in range(nb)]
    for b, seen in enumerate(_seen(lc, start.values, iparams)):
        cfree[b][5:7] &= seen >= MIN_DEPTH_POINTS
    cs, off = _linear_start(lc, dy, start.values, iparams, offsets, point, cfree)
    p0 = np.concatenate([cs[0], start.values[NLIN:], cs[1:].ravel(), off])
    m = p0.size
    tie = ties(counts) if lc.kind == "mag" else np.arange(nb)
    ref = int(np.argmax(counts))
    for b in np.flatnonzero(tie != np.arange(nb)):
        cfree[b][TP2_TERMS] = False  # held at the reference's, which the fit moves
    if counts[tie == ref].sum() >= SPARSE_BAND_POINTS:
        cfree[ref][TP2_TERMS] = True
    free = np.concatenate([cfree[0], start.free[NLIN:], *cfree[1:], np.ones(len(offsets), bool)])
    k = int(free.sum())
    if lc.n < k + 5:
        raise NavfitError(f"{lc.where}: a joint NAV fit has {k} parameters; {lc.n} points")
    lower, upper = _bounds(p0, m, nb, lc.kind, has2)
    joint_ip = np.concatenate([iparams[:2], [nb, len(offsets)], lc.band_index, point, tie])
    p = np.clip(p0, lower, upper)
    for attempt in range(MAX_REFITS + 1):
        sol = levenberg_marquardt(NAV_MULTIBAND, lc.t, lc.y, dy, p, lower=lower, upper=upper,
                                  free=free, iparams=joint_ip, maxiter=300)  # fmt: skip
        # the geometry moved: a depth whose band no longer has points inside
        # that eclipse is held at the start fit's, and the fit made again
        lost = [
            (band_slot(b) + j, j)
            for b, seen in enumerate(_seen(lc, sol.params[:NPAR], iparams))
            for j in (5, 6)
            if free[band_slot(b) + j] and seen[j - 5] < MIN_DEPTH_POINTS
        ]
        if not lost or attempt == MAX_REFITS:
            break
        p = sol.params.copy()
        for i, j in lost:
            free[i] = False
            p[i] = np.clip(start.values[j], lower[i], upper[i])
    k = int(free.sum())
    for b in np.flatnonzero(tie != np.arange(nb)):
        sol.params[band_slot(b) + 1 : band_slot(b) + 5] = sol.params[
            band_slot(tie[b]) + 1 : band_slot(tie[b]) + 5
        ]
    zeroed = _without_offsets(lc, np.where(point >= 0, sol.params[m - len(offsets) + point], 0.0))
    depths = [
        (b, j) for b in range(nb) for j in ((5, 6) if has2 else (5,)) if not free[band_slot(b) + j]
    ]
    infinite = ~np.isfinite(np.diag(sol.covariance))
    unfitted = [  # rank-deficient: free, but with an infinite variance
        (b, j) for b in range(nb) for j in (5, 6) if free[band_slot(b) + j]
        and infinite[np.count_nonzero(free[: band_slot(b) + j])]
    ]  # fmt: skip
    return MultibandNavResult(
        names=_names(lc.bands, offsets),
        values=sol.params,
        free=free,
        covariance=sol.covariance,
        chi2=sol.chi2,
        n=lc.n,
        k=k,
        bands=lc.bands,
        band_fits={
            band: _band_fit(
                zeroed.select(band),
                b,
                int(tie[b]),
                sol,
                free,
                iparams,
                [j for c, j in depths if c == b],
            )
            for b, band in enumerate(lc.bands)
        },
        start=start,
        status=sol.status,
        message=sol.message,
        ties={lc.bands[b]: lc.bands[tie[b]] for b in np.flatnonzero(tie != np.arange(nb))},
        undetermined=tuple(f"{NAV_NAMES[j]}[{lc.bands[b]}]" for b, j in depths + unfitted),
    )


def _without_offsets(lc, offsets):
    """The light curve with ``offsets`` (one per point) subtracted; bands and series kept."""
    return LightCurve(
        lc.t,
        lc.y - offsets,
        lc.dy if lc.dy_given else None,
        kind=lc.kind,
        band=np.array(lc.bands, dtype=object)[lc.band_index],
        series=np.array(lc.series, dtype=object)[lc.series_index],
        time_system=lc.time_system,
        time_offset=lc.time_offset,
        name=lc.name,
        source=lc.meta.get("source"),
        min_points=1,
    )


def _names(bands, offsets):
    """Names of the joint vector (see :class:`MultibandNavResult`)."""
    first = [f"{n}[{bands[0]}]" for n in NAV_NAMES[:NLIN]]
    rest = [f"{n}[{b}]" for b in bands[1:] for n in NAV_NAMES[:NLIN]]
    return (*first, *NAV_NAMES[NLIN:], *rest, *(f"offset[{s}]" for s in offsets))


def _band_fit(band_lc, b, tie, sol, free, iparams, undetermined):
    """The FitResult of band ``b``: its C1..C7 and the shared parameters, their covariance block.

    A band tied to band ``tie`` takes that band's C2..C5 (values and
    covariance). The depths in ``undetermined`` (kernel indices) count as
    free with an infinite variance, so that what depends on them
    (:func:`~navfit.models.nav_derived.derived_parameters`) has an infinite error.
    """
    c0 = band_slot(b)
    joint = np.r_[np.arange(c0, c0 + NLIN), np.arange(NLIN, NPAR)]  # kernel order -> joint
    joint[1:5] = np.arange(band_slot(tie) + 1, band_slot(tie) + 5)
    values = sol.params[joint]
    bfree = free[joint]
    pos = np.cumsum(free) - 1
    sel = pos[joint[bfree]]
    bfree[undetermined] = True
    fitted = ~np.isin(np.flatnonzero(bfree), undetermined)
    cov, cov_u = (
        _with_infinite_variance(c[np.ix_(sel, sel)], fitted)
        for c in (sol.covariance, sol.covariance_unscaled)
    )
    epoch = float(values[NAV_NAMES.index("epoch")])
    result = FitResult(
        model="nav",
        names=NAV_NAMES,
        values=values,
        free=bfree,
        covariance=cov,
        covariance_unscaled=cov_u,
        chi2=sol.chi2,
        n=band_lc.n,
        k=int(free.sum()),
        lc=band_lc,
        model_id=NAV,
        iparams=iparams,
        fparams=np.zeros(1),
        t_ref=epoch,
        epoch=epoch,
        epoch_error=_error_of(cov, bfree, NAV_NAMES.index("epoch")),
        status=sol.status,
        message=sol.message,
        condition=sol.condition,
        rank=sol.rank,
        niter=sol.niter,
        info={"variant": "canonical", "label": "NAV (joint)", "band": band_lc.band},
    )
    return replace(result, derived=derived_parameters(result))


def _seen(lc, p, iparams):
    """Points of each band inside the primary and the secondary eclipse of geometry ``p``: (bands, 2)."""
    in1, in2 = eclipse_windows(lc.t, p, iparams)
    nb = len(lc.bands)
    return np.stack([np.bincount(lc.band_index[w], minlength=nb) for w in (in1, in2)], axis=1)


def _with_infinite_variance(cov, fitted):
    """``cov`` of the ``fitted`` parameters placed among the others, whose variance is infinite."""
    out = np.zeros((fitted.size, fitted.size))
    out[np.ix_(fitted, fitted)] = cov
    out[~fitted, ~fitted] = np.inf
    return out


def _error_of(cov, free, j):
    """Standard error of parameter ``j`` (kernel order) from the covariance of the free ones."""
    if not free[j]:
        return 0.0
    k = int(np.sum(free[:j]))
    return float(np.sqrt(max(cov[k, k], 0.0)))
