r"""Joint trigonometric-polynomial (TP) fit of a multi-band light curve.

In every band :math:`b` the TP of order :math:`s` (:mod:`navfit.models.tp`) is

.. math::

    m_b(t) = C_{0,b} + \sum_{k=1}^{s} \left[a_{k,b} \cos\frac{2\pi k (t - T_0)}{P}
             + b_{k,b} \sin\frac{2\pi k (t - T_0)}{P}\right] + o_{s(t)},

with the period :math:`P` and the order :math:`s` shared by all bands, the
coefficients :math:`C_{0,b}, a_{k,b}, b_{k,b}` free per band, a free offset
:math:`o_s` for every series of a band but its largest (ZTF fields, surveys;
the largest series' zero point is :math:`C_{0,b}`), and :math:`T_0` the middle
of the data (the phase origin; the epoch of Min I is derived per band).

Order. One order for all bands, chosen by BIC: the BIC of each band at each
order, :math:`n_b \ln(\chi^2_b/n_b) + k_b \ln n_b` (:mod:`navfit.criteria`, each
band with its own error scale: bands of different surveys have differently
mis-scaled errors), summed over bands and minimised (:func:`joint_order`).
The orders tried obey the one-band rules of :func:`navfit.fit_tp` in every
band: at most ``(n_b - 3 - n_offsets - free_period) // 2`` and ``max_order``
(default 60), and only orders whose equilibrated design has a condition
number below :data:`navfit.models.tp.MAX_CONDITION` on the band's phases.

Period. At a fixed period the model is linear and the bands separate: each
band's coefficients are its weighted least-squares solution
(:func:`navfit.lsq.solve_linear`). A free period is refined by variable
projection (Golub & Pereyra 1973): Gauss-Newton steps from the full joint
Jacobian (a linear solve of the residuals), the coefficients solved exactly
at each trial period, a step halved until the chi-square falls, within a
quarter cycle over the data of the start (as :func:`navfit.fit_tp`).

Covariance. :math:`\sigma_0^2 (J^T W J)^{-1}` of the full Jacobian of every
free parameter (each band's coefficients, the offsets, the period) at the
optimum, scaled by the joint :math:`\chi^2/(N - K)`. The derived values of
band :math:`b` (Max, Min I, Min II, the amplitudes, the epochs of Min I and
Max) and their errors come from the band's coefficients and the covariance
block of these and the period, as in :func:`navfit.fit_tp`.

References
----------
Andronov I. L., 1994, Odessa Astron. Publ. 7, 49 (statistically optimal TP).
Golub G. H., Pereyra V., 1973, SIAM J. Numer. Anal. 10, 413 (variable projection).
VanderPlas J. T., Ivezić Ž., 2015, ApJ 812, 18 (multi-band periodic models).
"""

from __future__ import annotations

from collections import namedtuple
from dataclasses import dataclass, field

import numpy as np

from .._checks import check_count, check_period, fit_errors
from .._kernels.basis import fill_tp_basis
from .._kernels.models import TP_FREE_PERIOD
from ..band_selection import best_band
from ..criteria import fit_statistics
from ..errors import NavfitError
from ..lightcurve import LightCurve
from ..lsq import jacobian, solve_linear
from ..results import FitResult
from ..tp_params import tp_names
from .tp import MAX_CONDITION, MAX_ORDER, usable_order
from .tp_derived import extremum_time, tp_derived

__all__ = ["MultibandTPResult", "fit_tp_multiband", "joint_order"]

#: Gauss-Newton iterations of the period at most.
MAX_ITER = 50


def joint_order(tables) -> tuple[float, int]:
    """One TP order for several bands: the minimum over orders of the summed BIC.

    Parameters
    ----------
    tables : list of array_like
        Per band, the BIC of the TP of order ``s`` at element ``s - 1`` (the
        orders the band supports).

    Returns
    -------
    bic : float
        The summed BIC at the order chosen.
    order : int
        The order, at most the smallest band's highest order.

    Examples
    --------
    >>> joint_order([[10.0, 4.0, 5.0], [3.0, 2.0]])
    (6.0, 2)
    """
    s = min(len(t) for t in tables)
    if s < 1:
        raise NavfitError("joint_order: a band supports no TP order")
    total = np.sum([np.asarray(t[:s], dtype=float) for t in tables], axis=0)
    j = int(np.argmin(total))
    return float(total[j]), j + 1


#: One band of the joint fit: name, rows in the light curve, offset indicators and series.
_Band = namedtuple("_Band", "name rows masks offsets")


def _layout(lc) -> list[_Band]:
    out = []
    for b, band in enumerate(lc.bands):
        rows = np.flatnonzero(lc.band_index == b)
        sidx = lc.series_index[rows]
        present, counts = np.unique(sidx, return_counts=True)
        others = present[np.argsort(-counts, kind="stable")][1:]
        out.append(
            _Band(
                band,
                rows,
                tuple((sidx == s).astype(float) for s in others),
                tuple(str(lc.series[s]) for s in others),
            )
        )
    return out


def _design(t, masks, period, t_ref, order, offsets_first=False):
    """Transposed design of one band: the TP basis and the offset indicators."""
    n_off = len(masks)
    XT = np.empty((n_off + 2 * order + 1, t.size))
    tp = slice(n_off, None) if offsets_first else slice(0, 2 * order + 1)
    fill_tp_basis((t - t_ref) / period, order, XT[tp])
    first = 0 if offsets_first else 2 * order + 1
    for j, mask in enumerate(masks):
        XT[first + j] = mask
    return XT


def _band_bics(lc, dy, band, period, t_ref, max_order, free_period, where):
    """BIC of the band's TP at orders ``1..s`` (the usable ones), offsets included."""
    n, n_off = band.rows.size, len(band.masks)
    limit = (n - 3 - n_off - int(free_period)) // 2
    if limit < 1:
        raise NavfitError(
            f"{where}: band {band.name!r} has {n} points and {n_off} series offsets: "
            "too few for a TP (drop the band, or select another)"
        )
    s_max = min(MAX_ORDER if max_order is None else max_order, limit)
    XT = _design(lc.t[band.rows], band.masks, period, t_ref, s_max, offsets_first=True)
    sol = solve_linear(XT, lc.y[band.rows], None if dy is None else dy[band.rows], transposed=True)
    s_use = usable_order(sol.R, s_max, n_off, cond_full=sol.condition)[0]
    if s_use < 1:
        raise NavfitError(f"{where}: band {band.name!r}: even a first-order TP is degenerate")
    m = n_off + 2 * np.arange(1, s_use + 1) + 1
    return np.asarray(fit_statistics(sol.rss_prefix[m], n, m + int(free_period))["bic"])


def _solve_bands(lc, dy, layout, period, t_ref, order):
    """Per band: coefficients (TP, then offsets) and chi-square at a fixed period."""
    coefs, chi2 = [], 0.0
    for band in layout:
        XT = _design(lc.t[band.rows], band.masks, period, t_ref, order)
        w = None if dy is None else dy[band.rows]
        sol = solve_linear(XT, lc.y[band.rows], w, transposed=True)
        coefs.append(sol.params)
        chi2 += sol.chi2
    return coefs, chi2


def _joint_jacobian(lc, layout, coefs, period, t_ref, order):
    """Model values and transposed Jacobian ``(K, N)``: coefficients, offsets, period."""
    m = 2 * order + 1
    n_off = sum(len(b.masks) for b in layout)
    JT = np.zeros((len(layout) * m + n_off + 1, lc.n))
    f = np.empty(lc.n)
    off = len(layout) * m
    for b, band in enumerate(layout):
        c = coefs[b]
        fb, J = jacobian(TP_FREE_PERIOD, lc.t[band.rows], np.r_[c[:m], period], None, [t_ref])
        JT[b * m : (b + 1) * m, band.rows] = J[:m]
        JT[-1, band.rows] = J[m]
        for j, mask in enumerate(band.masks):
            JT[off + j, band.rows] = mask
            fb = fb + c[m + j] * mask
        off += len(band.masks)
        f[band.rows] = fb
    return f, JT


def _refine(lc, dy, layout, period, t_ref, order):
    """The period by variable projection with Gauss-Newton steps; ``(P, coefs, chi2, niter, status)``."""
    dp = 0.25 * period**2 / lc.time_span
    lo, hi = period - dp, period + dp
    coefs, chi2 = _solve_bands(lc, dy, layout, period, t_ref, order)
    dof = lc.n - (len(layout) * (2 * order + 1) + sum(len(b.masks) for b in layout) + 1)
    for it in range(1, MAX_ITER + 1):
        f, JT = _joint_jacobian(lc, layout, coefs, period, t_ref, order)
        step = solve_linear(JT, lc.y - f, dy, transposed=True)
        dP = float(step.params[-1])
        sigma = np.sqrt(max(step.covariance_unscaled[-1, -1] * chi2 / max(dof, 1), 0.0))
        if abs(dP) <= 1e-6 * sigma:
            return period, coefs, chi2, it, 1
        for _ in range(40):
            trial = min(max(period + dP, lo), hi)
            c_t, chi2_t = _solve_bands(lc, dy, layout, trial, t_ref, order)
            if chi2_t <= chi2:
                break
            dP *= 0.5
        else:
            return period, coefs, chi2, it, 2  # no step lowers the chi-square: at the minimum
        converged = chi2 - chi2_t <= 1e-14 * chi2
        period, coefs, chi2 = trial, c_t, chi2_t
        if converged:
            return period, coefs, chi2, it, 2
    return period, coefs, chi2, MAX_ITER, 0


@dataclass(frozen=True, eq=False)
class MultibandTPResult(FitResult):
    """A joint multi-band TP fit: a :class:`~navfit.FitResult` of every parameter.

    ``names`` are ``c0[band], a1[band], b1[band], ...`` band after band, then
    ``offset[series]``, then ``period``; ``covariance`` is the full one;
    ``derived`` holds each band's values as ``max[band]``, ``min1[band]`` ...;
    ``epoch`` is Min I of the reference band
    (:func:`navfit.band_selection.best_band`, the band :func:`navfit.analyze` shows).

    Attributes
    ----------
    bands : tuple of str
    band_fits : dict
        Band -> :class:`~navfit.FitResult` of the band (a one-band TP: its
        coefficients and the period, their covariance block), with
        ``derived`` (Max, Min I, Min II, amplitudes) and ``info["epoch_max"]``;
        its light curve is the band's points with the series offsets removed.
    """

    bands: tuple = ()
    band_fits: dict = field(default_factory=dict, repr=False)

    def _band(self, band) -> FitResult:
        if band is None and len(self.bands) == 1:
            band = self.bands[0]
        if band not in self.band_fits:
            raise NavfitError(
                f"{self.lc.where}: name a band of the joint TP fit, one of "
                f"{', '.join(self.bands)} (got {band!r})"
            )
        return self.band_fits[band]

    def evaluate(self, t, band=None) -> np.ndarray:
        """The fitted curve of ``band`` at times ``t`` (on the band's largest series)."""
        return self._band(band).evaluate(t)

    def uncertainty(self, t, band=None) -> np.ndarray:
        """1-sigma error of the curve of ``band`` at times ``t``."""
        return self._band(band).uncertainty(t)

    def residuals(self) -> np.ndarray:
        """Data minus model (offsets included) at every point of the light curve."""
        out = np.empty(self.lc.n)
        for b, band in enumerate(self.bands):
            out[self.lc.band_index == b] = self.band_fits[band].residuals()
        return out

    def to_lmfit(self):
        """Not for a joint fit: use ``band_fits[band].to_lmfit()``."""
        raise NavfitError(
            f"{self.lc.where}: a joint multi-band TP has no lmfit form; use "
            "band_fits[band].to_lmfit()"
        )


def _check_input(lc, period, order):
    if not isinstance(lc, LightCurve):
        raise NavfitError(f"fit_tp_multiband: expected a LightCurve, got {type(lc).__name__}")
    if lc.phased:
        raise NavfitError(f"{lc.where}: fit_tp_multiband takes a time series, not phases")
    period = check_period(lc, period)
    if order is None or (isinstance(order, str) and order == "auto"):
        return period, None
    if isinstance(order, str) or int(order) != order or int(order) < 1:
        raise NavfitError(f"{lc.where}: order must be a positive integer or None, got {order!r}")
    return period, int(order)


def fit_tp_multiband(
    lc: LightCurve,
    period: float,
    order: int | None = None,
    *,
    free_period: bool = False,
    max_order: int | None = None,
) -> MultibandTPResult:
    """Fit a TP with one period and one order to every band, coefficients per band.

    Parameters
    ----------
    lc : LightCurve
        A time series of one or more bands (``lc.bands``); the series of a
        band but its largest get a free offset each.
    period : float
        Period in days (the starting value when ``free_period``).
    order : int, optional
        TP order of every band; ``None`` (or ``"auto"``) chooses it jointly
        by BIC (see the module docstring).
    free_period : bool
        Refine the period (Gauss-Newton with variable projection).
    max_order : int, optional
        Highest order tried by the joint choice (default 60).

    Returns
    -------
    MultibandTPResult
        A :class:`~navfit.FitResult` of every parameter with ``band_fits``.

    Raises
    ------
    NavfitError
        Not a light curve, phase-folded data, a bad period or order, a band
        with too few points for the order (naming the band), a degenerate
        design.

    Examples
    --------
    >>> import numpy as np
    >>> from navfit import LightCurve
    >>> rng = np.random.default_rng(1)
    >>> t = np.sort(rng.uniform(0.0, 60.0, 600))
    >>> band = np.where(np.arange(600) % 2, "g", "r")
    >>> amp = np.where(band == "g", 0.4, 0.25)
    >>> y = 15.0 + amp * np.cos(2 * np.pi * t / 0.7) + rng.normal(0.0, 0.01, 600)
    >>> fit = fit_tp_multiband(LightCurve(t, y, np.full(600, 0.01), band=band), 0.7)
    >>> fit.info["order"], fit.bands
    (1, ('r', 'g'))
    >>> [round(fit.band_fits[b].derived["amplitude"][0], 2) for b in ("g", "r")]
    [0.8, 0.5]
    """
    period, fixed_order = _check_input(lc, period, order)
    if max_order is not None:
        max_order = check_count(max_order, "max_order", "fit_tp_multiband")
    dy = fit_errors(lc)
    layout = _layout(lc)
    t_ref = 0.5 * (lc.t[0] + lc.t[-1])
    selection = None
    if fixed_order is None:
        tables = [
            _band_bics(lc, dy, b, period, t_ref, max_order, free_period, lc.where) for b in layout
        ]
        _, order = joint_order(tables)
        selection = np.sum([t[: min(map(len, tables))] for t in tables], axis=0)
    else:
        order = fixed_order
        for b in layout:
            if b.rows.size <= 2 * order + 1 + len(b.masks):
                raise NavfitError(
                    f"{lc.where}: band {b.name!r} has {b.rows.size} points: too few for a TP "
                    f"of order {order} with {len(b.masks)} series offsets"
                )
    if free_period:
        period, coefs, chi2, niter, status = _refine(lc, dy, layout, period, t_ref, order)
    else:
        (coefs, chi2), niter, status = _solve_bands(lc, dy, layout, period, t_ref, order), 0, 1
    return _assemble(
        lc, dy, layout, coefs, chi2, period, t_ref, order, free_period, (niter, status, selection)
    )


def _assemble(lc, dy, layout, coefs, chi2, period, t_ref, order, free_period, run):
    """The joint result: covariance of the full Jacobian at the optimum, band fits."""
    niter, status, selection = run
    f, JT = _joint_jacobian(lc, layout, coefs, period, t_ref, order)
    if not free_period:
        JT = JT[:-1]
    k = JT.shape[0]
    if lc.n <= k:
        raise NavfitError(
            f"{lc.where}: a joint TP of order {order} has {k} parameters; {lc.n} points"
        )
    r = lc.y - f
    lin = solve_linear(JT, r, dy, transposed=True)
    dof = lc.n - k
    cov_u = lin.covariance_unscaled
    cov = cov_u * (chi2 / dof)
    m = 2 * order + 1
    names = [_suffixed(name, b.name) for b in layout for name in tp_names(order)]
    names += [*_offset_names(layout), "period"]
    values = np.concatenate([c[:m] for c in coefs] + [c[m:] for c in coefs] + [[period]])
    free = np.ones(values.size, bool)
    free[-1] = free_period
    flags = []
    if lin.rank < k:
        flags.append(f"rank-deficient design (rank {lin.rank} < {k})")
    if lin.condition > MAX_CONDITION:
        flags.append(f"ill-conditioned design (condition {lin.condition:.2g})")
    common = {
        "model": "tp",
        "model_id": TP_FREE_PERIOD,
        "iparams": np.zeros(1, np.int64),
        "fparams": np.array([t_ref]),
        "t_ref": t_ref,
        "status": status,
        "message": "converged" if status else "iteration limit reached",
        "condition": lin.condition,
        "rank": lin.rank,
        "niter": niter,
    }
    state = (order, selection is not None, common)
    band_fits = {}
    for b, band in enumerate(layout):
        idx = list(range(b * m, (b + 1) * m)) + ([k - 1] if free_period else [])
        band_lc = _band_curve(lc, band, coefs[b][m:])
        fit_b = _band_result(
            band_lc,
            coefs[b][:m],
            period,
            free_period,
            cov[np.ix_(idx, idx)],
            cov_u[np.ix_(idx, idx)],
            float(np.sum((r[band.rows] / (1.0 if dy is None else dy[band.rows])) ** 2)),
            t_ref,
            state,
            len(band.masks),
        )
        band_fits[band.name] = fit_b
        flags += [x if band.name is None else f"{band.name}: {x}" for x in fit_b.flags]
    ref = best_band(lc) if lc.multiband else layout[0].name
    derived = {
        _suffixed(key, band): value
        for band, fit in band_fits.items()
        for key, value in fit.derived.items()
    }
    info = {
        "order": order,
        "criterion": "bic" if selection is not None else None,
        "bands": tuple(band_fits),
        "reference_band": ref,
        "joint": True,
    }
    if selection is not None:
        info["bic_by_order"] = [float(x) for x in selection]
    return MultibandTPResult(
        **common,
        names=tuple(names),
        values=values,
        free=free,
        covariance=cov,
        covariance_unscaled=cov_u,
        chi2=float(chi2),
        n=lc.n,
        k=k,
        lc=lc,
        epoch=band_fits[ref].epoch,
        epoch_error=band_fits[ref].epoch_error,
        derived=derived,
        flags=tuple(flags),
        info=info,
        bands=tuple(band_fits),
        band_fits=band_fits,
    )


def _suffixed(name, band) -> str:
    return name if band is None else f"{name}[{band}]"


def _offset_names(layout) -> list[str]:
    """``offset[series]``; ``offset[series, band]`` where a series is in several bands."""
    seen = [s for b in layout for s in b.offsets]
    return [
        f"offset[{s}]" if seen.count(s) == 1 else f"offset[{s}, {b.name}]"
        for b in layout
        for s in b.offsets
    ]


def _band_curve(lc, band, offsets) -> LightCurve:
    """The band's points with its series offsets removed (on its largest series' zero point)."""
    y = lc.y[band.rows].copy()
    for value, mask in zip(offsets, band.masks, strict=True):
        y -= value * mask
    rows = band.rows
    return LightCurve(
        lc.t[rows],
        y,
        lc.dy[rows] if lc.dy_given else None,
        kind=lc.kind,
        band=band.name,
        series=np.array(lc.series, dtype=object)[lc.series_index[rows]],
        time_system=lc.time_system,
        time_offset=lc.time_offset,
        name=lc.name,
        source=lc.meta.get("source"),
        min_points=1,
    )


def _band_result(band_lc, coef, period, free_period, cov, cov_u, chi2, t_ref, state, n_off):
    """The :class:`~navfit.FitResult` of one band: its coefficients and the period."""
    order, auto, common = state
    k = coef.size + n_off + int(free_period)
    derived, flags, (ph_max, ph_min1, ph_min2) = tp_derived(band_lc, coef, order, cov, chi2, k)
    epoch, epoch_error = extremum_time(coef, order, period, t_ref, ph_min1, free_period, cov)
    info = {
        "order": order,
        "criterion": "bic" if auto else None,
        "phase_max": ph_max - np.floor(ph_max),
        "phase_min2": None if ph_min2 is None else ph_min2 - np.floor(ph_min2),
        "epoch_max": extremum_time(coef, order, period, t_ref, ph_max, free_period, cov),
        "band": band_lc.band,
        "joint": True,
    }
    return FitResult(
        **common,
        names=(*tp_names(order), "period"),
        values=np.r_[coef, period],
        free=np.r_[np.ones(coef.size, bool), free_period],
        covariance=cov,
        covariance_unscaled=cov_u,
        chi2=chi2,
        n=band_lc.n,
        k=k,
        lc=band_lc,
        epoch=epoch,
        epoch_error=epoch_error,
        derived=derived,
        flags=tuple(flags),
        info=info,
    )
