r"""Max, Min I, Min II and the times of extrema of a trigonometric polynomial, with errors.

One TP curve ``m(phi) = c0 + sum_j a_j cos(2 pi j phi) + b_j sin(2 pi j phi)``
(NAV_SPEC §1) gives the catalogue values of :func:`navfit.fit_tp` and of each
band of :func:`navfit.fit_tp_multiband`. Errors propagate the covariance of the
fit through the gradient of each quantity: a value at a fixed phase is linear
in the coefficients; the phase of an extremum moves with them by the implicit
function theorem,

.. math::

    \frac{\partial \varphi_{ext}}{\partial c} = -\frac{\partial m'(\varphi)/\partial c}
    {m''(\varphi)}, \qquad \frac{\partial t_{ext}}{\partial P} = \varphi_{ext},

and Min II is kept only when it stands out of the curve between it and Min I by
three standard deviations of the fit.
"""

from __future__ import annotations

import numpy as np

from .._kernels.basis import fill_tp_basis
from ..criteria import fit_statistics
from ..results import light_extrema

__all__ = ["extremum_time", "tp_derived"]


def extremum_time(coef, order, period, t_ref, phase, free_period, cov):
    """Time of an extremum at ``phase`` in the cycle nearest ``t_ref``, and its error.

    ``cov`` is the covariance of the fit's free parameters, the coefficients
    first and the period last when ``free_period``.
    """
    ph = phase - np.round(phase)
    w = 2 * np.pi * np.arange(1, order + 1)
    x = w * ph
    dprime = np.zeros(coef.size)
    dprime[1::2] = -w * np.sin(x)
    dprime[2::2] = w * np.cos(x)
    second = float(np.sum(-(w**2) * (coef[1::2] * np.cos(x) + coef[2::2] * np.sin(x))))
    grad = np.zeros(cov.shape[0])
    if second != 0.0:
        grad[: coef.size] = -period * dprime / second
    if free_period:
        grad[-1] = ph
    return float(t_ref + ph * period), float(np.sqrt(max(grad @ cov @ grad, 0.0)))


def tp_derived(lc, coef, order, cov, chi2, k):
    """Max, Min I, Min II and the amplitudes, with errors; the flags and the phases.

    Parameters
    ----------
    lc : LightCurve
        The points fitted (their kind decides which way is faint).
    coef : ndarray
        ``c0, a1, b1, ..., a_s, b_s``.
    order : int
    cov : ndarray
        Covariance of the free parameters, the coefficients first.
    chi2 : float
    k : int
        Free parameters of the fit (for ``sigma_fit``).

    Returns
    -------
    derived : dict
        ``max``, ``min1``, ``amplitude`` and, where significant, ``min2`` and
        ``amplitude2``: ``(value, error)``.
    flags : list of str
    phases : tuple
        Phases of Max, Min I and the significant Min II (or ``None``).
    """
    faint = 1.0 if lc.kind == "mag" else -1.0

    def curve(phase):
        XT = np.empty((coef.size, np.size(phase)))
        fill_tp_basis(np.asarray(phase, float), order, XT)
        return coef @ XT

    def value(phase):
        g = np.zeros(cov.shape[0])
        XT = np.empty((coef.size, 1))
        fill_tp_basis(np.array([phase]), order, XT)
        g[: coef.size] = XT[:, 0]
        return float(coef @ XT[:, 0]), g

    def err(g):
        return float(np.sqrt(max(g @ cov @ g, 0.0)))

    ph_max, ph_min1, ph_min2 = light_extrema(curve, faint)
    (vmax, gmax), (v1, g1) = value(ph_max), value(ph_min1)
    derived = {"max": (vmax, err(gmax)), "min1": (v1, err(g1))}
    derived["amplitude"] = (v1 - vmax, err(g1 - gmax))
    flags = []
    if ph_min2 is None:
        flags.append("no secondary minimum")
        return derived, flags, (ph_max, ph_min1, None)
    v2, g2 = value(ph_min2)
    sigma_fit = fit_statistics(chi2, lc.n, k, float(np.mean(1 / lc.dy**2)))["sigma_fit"]
    # Min II must stand out of the curve between it and Min I by 3 sigma_fit
    d = (ph_min1 - ph_min2) % 1.0
    arc1 = faint * curve(ph_min2 + np.linspace(0.0, d, 512))
    arc2 = faint * curve(ph_min2 - np.linspace(0.0, 1.0 - d, 512))
    if faint * v2 - max(arc1.min(), arc2.min()) > 3 * sigma_fit:
        derived["min2"] = (v2, err(g2))
        derived["amplitude2"] = (v2 - vmax, err(g2 - gmax))
    else:
        flags.append("no significant secondary minimum")
    return derived, flags, (ph_max, ph_min1, ph_min2 if "min2" in derived else None)
