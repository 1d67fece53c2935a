"""NAV and TP as :class:`lmfit.Model` objects, and navfit results as :class:`lmfit.Parameters`.

navfit finds the global NAV solution (grid search plus Levenberg-Marquardt with
analytic Jacobians) and the optimal TP order; lmfit offers parameter constraints,
:func:`lmfit.conf_interval`, ``emcee`` sampling and composite models. This module
connects the two without re-deriving either model:

* :class:`NAVModel` and :class:`TPModel` evaluate the same equations as
  :func:`navfit.fit_nav` and :func:`navfit.fit_tp`, with the same parameter names;
* :func:`to_lmfit` (also :meth:`navfit.FitResult.to_lmfit`) turns a fit into
  ``lmfit.Parameters`` holding navfit's values, errors, correlations, fixed and
  tied parameters and bounds, ready for ``model.fit(y, params, t=t, weights=1/dy)``.

Example
-------
>>> import navfit
>>> from navfit.lmfit_models import NAVModel
>>> result = navfit.fit_nav(lc, period)                        # doctest: +SKIP
>>> model = NAVModel(variant=result.info["variant"])            # doctest: +SKIP
>>> params = result.to_lmfit()                                  # doctest: +SKIP
>>> params["beta2"].set(expr="beta1")                           # doctest: +SKIP
>>> out = model.fit(lc.y, params, t=lc.t, weights=1 / lc.dy)    # doctest: +SKIP

Notes
-----
lmfit's ``weights`` multiply the residual, so ``weights = 1/dy`` makes lmfit's
``chisqr`` navfit's ``chi2``; both scale the covariance by the reduced
chi-square ``chi2/(n - k)`` (lmfit's default ``scale_covar=True``), so the
errors are comparable. ``leastsq`` differentiates numerically with a step of
``1e-5`` times the *internal* value of each parameter: an unbounded epoch in
full JD (~2.46e6) would be stepped by ~25 days. The parameter sets built here
therefore bound ``epoch`` to ``+-P/4`` and the period to a narrow interval
around its value (as navfit's own fits do), which makes the internal values of
order one and the steps small.
"""

from __future__ import annotations

import inspect

import lmfit
import numpy as np

from .lmfit_params import DEPTH_BOUNDS, ephemeris_bounds, nav_bounds, to_lmfit
from .nav_params import NAMES as NAV_NAMES
from .nav_params import PARAMETERS as NAV_PARAMETERS
from .nav_params import VARIANTS, free_mask
from .nav_params import profile as _profile
from .tp_params import tp_names

__all__ = ["NAVModel", "TPModel", "nav_function", "tp_function"]

#: Depth bounds by light-curve kind (magnitudes: eclipses are fainter, C6, C7 >= 0).
#: Default starting values of the NAV parameters (before :meth:`NAVModel.guess`).
_NAV_DEFAULTS = {par.name: par.default for par in NAV_PARAMETERS}


# ----- the model functions ---------------------------------------------------------
def nav_function(
    t,
    C1=0.0,
    C2=0.0,
    C3=0.0,
    C4=0.0,
    C5=0.0,
    C6=0.1,
    C7=0.05,
    a1=0.05,
    a2=0.05,
    beta1=1.5,
    beta2=1.5,
    gamma=1.5,
    flat1=0.0,
    flat2=0.0,
    phase2=0.5,
    epoch=0.0,
    period=1.0,
):
    r"""The NAV light curve (Andronov 2012) at times ``t``, as navfit fits it.

    .. math::

        m(t) = C_1 + C_2 \cos w + C_3 \sin w + C_4 \cos 2w + C_5 \sin 2w
               + C_6 H(\Delta_1; a_1, \beta_1) + C_7 H(\Delta_2; a_2, \beta_2),

    with :math:`\varphi = (t - T_0)/P`, :math:`w = 2\pi\varphi`, the signed
    distances to the minima :math:`\Delta_1 = \varphi - \mathrm{round}(\varphi)`,
    :math:`\Delta_2 = (\varphi - \varphi_2) - \mathrm{round}(\varphi - \varphi_2)`
    and the eclipse profile

    .. math::

        H(\Delta; a, \beta) = \begin{cases}
            1 & z \le f \\
            (1 - u^\beta)^\gamma & f < z < 1 \\
            0 & z \ge 1
        \end{cases}, \qquad z = |\Delta|/a, \quad u = (z - f)/(1 - f).

    Andronov's canonical profile has :math:`\gamma = 3/2`, :math:`f = 0`,
    :math:`a_2 = a_1` and :math:`\varphi_2 = 1/2`.

    Parameters
    ----------
    t : array_like
        Times (same time values as the light curve, e.g. BJD).
    C1, C2, C3, C4, C5 : float
        Second-order trigonometric polynomial (mean level, reflection,
        ellipsoidal and O'Connell terms).
    C6, C7 : float
        Depths of the primary and secondary eclipse (positive in magnitudes).
    a1, a2 : float
        Eclipse half-widths in phase units.
    beta1, beta2 : float
        Inner profile exponents.
    gamma : float
        Outer profile exponent, shared by both eclipses.
    flat1, flat2 : float
        Flat-bottom fraction of each half-width (total eclipses).
    phase2 : float
        Phase of the secondary minimum.
    epoch : float
        Time of primary minimum :math:`T_0`.
    period : float
        Period :math:`P` in days.

    Returns
    -------
    ndarray
        Model values (magnitudes or fluxes, as the data).
    """
    x = (np.asarray(t, dtype=float) - epoch) / period
    w = 2.0 * np.pi * (x - np.floor(x))
    d1 = x - np.floor(x + 0.5)
    y2 = x - phase2
    d2 = y2 - np.floor(y2 + 0.5)
    return (
        C1
        + C2 * np.cos(w)
        + C3 * np.sin(w)
        + C4 * np.cos(2.0 * w)
        + C5 * np.sin(2.0 * w)
        + C6 * _profile(d1, a1, beta1, gamma, flat1)
        + C7 * _profile(d2, a2, beta2, gamma, flat2)
    )


def tp_function(t, coef, period, t_ref=0.0):
    r"""Trigonometric polynomial at times ``t``, as :func:`navfit.fit_tp` fits it.

    .. math::

        x(t) = c_0 + \sum_{j=1}^{s} \left[a_j \cos(2\pi j\varphi)
               + b_j \sin(2\pi j\varphi)\right], \qquad
        \varphi = (t - t_\mathrm{ref})/P .

    Parameters
    ----------
    t : array_like
        Times.
    coef : array_like
        ``(c0, a1, b1, ..., as, bs)``.
    period, t_ref : float
        Period and reference time of the phases.

    Returns
    -------
    ndarray
    """
    coef = np.asarray(coef, dtype=float)
    order = (coef.size - 1) // 2
    phase = (np.asarray(t, dtype=float) - t_ref) / period
    out = np.full(phase.shape, coef[0])
    if order:
        arg = 2.0 * np.pi * np.multiply.outer(phase, np.arange(1, order + 1))
        out = out + np.cos(arg) @ coef[1::2] + np.sin(arg) @ coef[2::2]
    return out


class _TPFunction:
    """Picklable TP model function of order ``s`` with explicit named parameters.

    lmfit reads the parameter names from the signature; this callable exposes
    ``(t, c0, a1, b1, ..., as, bs, period, t_ref)``.
    """

    def __init__(self, order: int):
        self.order = int(order)
        self.__name__ = f"tp{self.order}"
        self.__signature__ = inspect.Signature(
            [inspect.Parameter("t", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
            + [
                inspect.Parameter(name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=value)
                for name, value in (
                    *((n, 0.0) for n in tp_names(self.order)),
                    ("period", 1.0),
                    ("t_ref", 0.0),
                )
            ]
        )

    def __call__(self, t, **pars):
        coef = [pars[name] for name in tp_names(self.order)]
        return tp_function(t, coef, pars["period"], pars.get("t_ref", 0.0))


# ----- the models -----------------------------------------------------------------
def _free_flags(variant: str, free_period: bool, free_epoch: bool) -> dict:
    """Which NAV parameters vary, and whether ``a2`` is tied to ``a1``.

    Mirrors :func:`navfit.nav_params.free_mask` (same variants, same choices).
    """
    free, shared, _ = free_mask(variant, free_period, free_epoch)
    return dict(zip(NAV_NAMES, (bool(f) for f in free), strict=True)), shared


class NAVModel(lmfit.Model):
    r"""The NAV model of eclipsing binaries as an :class:`lmfit.Model`.

    The model function is :func:`nav_function`; the independent variable is
    ``t`` and the 17 parameters are navfit's ``C1..C7, a1, a2, beta1, beta2,
    gamma, flat1, flat2, phase2, epoch, period``:

    .. math::

        m(t) = C_1 + C_2 \cos w + C_3 \sin w + C_4 \cos 2w + C_5 \sin 2w
               + C_6 H(\Delta_1; a_1, \beta_1) + C_7 H(\Delta_2; a_2, \beta_2),
        \quad w = 2\pi (t - T_0)/P,

    :math:`H = (1 - u^\beta)^\gamma` inside the eclipse (see :func:`nav_function`).

    Parameters
    ----------
    variant : str
        One of :data:`navfit.nav_params.VARIANTS`. It sets the parameter hints
        as :func:`navfit.fit_nav` fits: ``"canonical"`` ties ``a2`` to ``a1``
        (``expr="a1"``) and fixes ``gamma = 1.5``, ``flat1 = flat2 = 0``,
        ``phase2 = 0.5``; ``"separate_widths"`` frees ``a2``; ``"eccentric"``
        frees ``a2`` and ``phase2``; ``"no_secondary"`` fixes ``C7 = 0`` and
        ``beta2``; ``"gamma"`` frees ``gamma``; ``"flat"`` frees ``flat1`` and
        ``flat2`` (starting at 0.2).
    free_period, free_epoch : bool
        Whether ``period`` and ``epoch`` vary (as in :func:`navfit.fit_nav`).
    kind : {"mag", "flux"}
        Sign of the eclipse depths: ``C6, C7 >= 0`` for magnitudes, ``<= 0``
        for fluxes.
    **kws
        Passed to :class:`lmfit.Model` (``prefix``, ``nan_policy``, ``name``).

    Notes
    -----
    Bounds (phase units for widths): ``a`` in [0.002, 0.45], ``beta`` in
    [0.5, 12], ``gamma`` in [1, 5], ``flat`` in [0, 0.95], ``phase2`` in
    [0.3, 0.7], as in navfit. :meth:`make_params` also bounds a varying
    ``epoch`` to ``+-P/4`` and ``period`` to ``+-10 %`` of their values unless
    bounds are given (lmfit's numerical derivatives need bounded or O(1)
    parameters; see the module notes). :meth:`guess` runs :func:`navfit.fit_nav`,
    so the start is navfit's global solution.

    Examples
    --------
    >>> model = NAVModel()                                               # doctest: +SKIP
    >>> params = model.guess(lc.y, lc.t, period=2.8672, dy=lc.dy)        # doctest: +SKIP
    >>> out = model.fit(lc.y, params, t=lc.t, weights=1 / lc.dy)         # doctest: +SKIP
    """

    def __init__(
        self,
        variant: str = "canonical",
        *,
        free_period: bool = True,
        free_epoch: bool = True,
        kind: str = "mag",
        **kws,
    ):
        if variant not in VARIANTS:
            raise ValueError(f"variant must be one of {VARIANTS}, got {variant!r}")
        if kind not in DEPTH_BOUNDS:
            raise ValueError(f"kind must be 'mag' or 'flux', got {kind!r}")
        kws.setdefault("name", f"NAV[{variant}]" if variant != "canonical" else "NAV")
        super().__init__(nav_function, independent_vars=["t"], **kws)
        self.variant = variant
        self.kind = kind
        self.free_period = bool(free_period)
        self.free_epoch = bool(free_epoch)
        vary, shared = _free_flags(variant, free_period, free_epoch)
        bounds = nav_bounds(kind)
        for name in NAV_NAMES:
            hint = {"value": _NAV_DEFAULTS[name], "vary": vary[name]}
            if name in bounds:
                hint["min"], hint["max"] = bounds[name]
            self.set_param_hint(name, **hint)
        if kind == "flux":
            self.set_param_hint("C6", value=-_NAV_DEFAULTS["C6"])
            self.set_param_hint("C7", value=-_NAV_DEFAULTS["C7"])
        if variant == "no_secondary":
            self.set_param_hint("C7", value=0.0)
        if variant == "flat":
            self.set_param_hint("flat1", value=0.2)
            self.set_param_hint("flat2", value=0.2)
        if shared:
            self.set_param_hint("a2", expr=f"{self.prefix}a1")

    def make_params(self, verbose=False, **kwargs):
        """Parameters with navfit's bounds and vary flags for this variant.

        Keyword arguments set values (or dicts of ``value, vary, min, max,
        expr``) as in :meth:`lmfit.Model.make_params`. A varying ``epoch`` gets
        bounds ``+-P/4`` and ``period`` ``+-10 %`` around the given values
        unless the caller bounds them.
        """
        params = super().make_params(verbose=verbose, **kwargs)
        ephemeris_bounds(params, self.prefix, 0.1 * float(params[f"{self.prefix}period"].value))
        return params

    def guess(self, data, t, period=None, *, dy=None, weights=None, **kws):
        """Start from navfit's global NAV solution.

        Runs :func:`navfit.fit_nav` with this model's variant, ``free_period``
        and ``free_epoch`` and returns :func:`to_lmfit` of the result.

        Parameters
        ----------
        data : array_like
            Magnitudes (or fluxes for ``kind="flux"``).
        t : array_like
            Times.
        period : float
            Period in days (required; navfit refines it when ``free_period``).
        dy, weights : array_like, optional
            1-sigma errors, or lmfit weights ``1/dy`` (one of them; default
            equal weights).
        **kws
            Passed to :func:`navfit.fit_nav` (``epoch``, ``errors`` ...).

        Returns
        -------
        lmfit.Parameters
        """
        from .models.nav import fit_nav

        if period is None:
            raise ValueError("NAVModel.guess needs the period: guess(data, t, period=...)")
        lc = _lightcurve(t, data, dy, weights, self.kind)
        kws.setdefault("free_period", self.free_period)
        kws.setdefault("free_epoch", self.free_epoch)
        result = fit_nav(lc, period, variant=self.variant, **kws)
        return to_lmfit(result, prefix=self.prefix)


class TPModel(lmfit.Model):
    r"""Trigonometric polynomial of order ``s`` as an :class:`lmfit.Model`.

    .. math::

        x(t) = c_0 + \sum_{j=1}^{s} \left[a_j \cos(2\pi j\varphi)
               + b_j \sin(2\pi j\varphi)\right], \qquad
        \varphi = (t - t_\mathrm{ref})/P,

    with parameters ``c0, a1, b1, ..., as, bs, period`` and ``t_ref``, a fixed
    (``vary=False``) parameter: :func:`navfit.fit_tp` uses the middle of the
    data, and :func:`to_lmfit` copies it.

    Parameters
    ----------
    order : int
        TP degree ``s`` (``2s + 1`` coefficients).
    free_period : bool
        Whether ``period`` varies in :meth:`make_params` and :meth:`guess`.
    **kws
        Passed to :class:`lmfit.Model` (``prefix``, ``nan_policy``, ``name``).

    Notes
    -----
    The model is linear in the coefficients; with a fixed period lmfit's
    ``leastsq`` converges in one step. When the period varies, give it bounds
    narrow compared with ``P^2/T`` (``T`` the time span) as :meth:`guess` and
    :func:`to_lmfit` do (``+-P^2/(4T)``, navfit's window): the phase drift of
    lmfit's finite-difference step then stays small over the data.
    """

    def __init__(self, order: int, *, free_period: bool = False, **kws):
        order = int(order)
        if order < 0:
            raise ValueError(f"order must be >= 0, got {order}")
        kws.setdefault("name", f"TP(s={order})")
        super().__init__(_TPFunction(order), independent_vars=["t"], **kws)
        self.order = order
        self.free_period = bool(free_period)
        self.set_param_hint("t_ref", value=0.0, vary=False)
        self.set_param_hint("period", value=1.0, min=0.0, vary=self.free_period)

    def guess(self, data, t, period=None, *, dy=None, weights=None, **kws):
        """Start from :func:`navfit.fit_tp` at this order.

        Parameters
        ----------
        data, t : array_like
            Values and times.
        period : float
            Period in days (refined when ``free_period``).
        dy, weights : array_like, optional
            1-sigma errors, or lmfit weights ``1/dy`` (default equal weights).
        **kws
            Passed to :func:`navfit.fit_tp` (``criterion`` ...).

        Returns
        -------
        lmfit.Parameters
        """
        from .models.tp import fit_tp

        if period is None:
            raise ValueError("TPModel.guess needs the period: guess(data, t, period=...)")
        lc = _lightcurve(t, data, dy, weights, "mag")
        kws.setdefault("free_period", self.free_period)
        result = fit_tp(lc, period, self.order, **kws)
        return to_lmfit(result, prefix=self.prefix)


def _lightcurve(t, data, dy, weights, kind):
    from .lightcurve import LightCurve

    if dy is not None and weights is not None:
        raise ValueError("give dy or weights, not both")
    if weights is not None:
        weights = np.asarray(weights, dtype=float)
        dy = np.where(weights > 0, 1.0 / np.where(weights > 0, weights, 1.0), np.inf)
    return LightCurve(t, data, dy, kind=kind)
