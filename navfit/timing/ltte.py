"""The light-travel-time effect of a third body (Irwin 1952) and its O-C model.

:func:`ltte_delay` is Irwin's delay; :func:`fit_ltte` fits ``dT0 + dP E +
tau(T)`` to an O-C diagram: a frequency grid of circular orbits (variable
projection, the linear terms solved exactly by the least-squares core), a grid
of eccentricities, periastron angles and mean longitudes around the best
periods, and ``scipy.optimize.least_squares`` from the best starts, the orbit
parametrised by ``a12 sin i / c``, ``P3``, ``e cos w``, ``e sin w`` and the
mean longitude at a reference time (no degeneracy at ``e = 0``).

References
----------
Irwin J. B., 1952, ApJ 116, 211 (light-time effect).
"""

from __future__ import annotations

import numpy as np

from ..errors import NavfitError
from ..lsq import solve_linear
from .oc_models import YEAR, OCModel, derived_errors, oc_statistics, scaled_covariance

__all__ = [
    "AU_LIGHT_DAYS",
    "LTTE_ANGLES",
    "LTTE_ECCENTRICITIES",
    "LTTE_E_LIMIT",
    "LTTE_MAX_E",
    "LTTE_OVERSAMPLING",
    "LTTE_PEAKS",
    "fit_ltte",
    "ltte_delay",
]

#: Astronomical unit in light-days.
AU_LIGHT_DAYS = 499.00478384 / 86400.0
#: LTTE search: frequency oversampling, peaks kept, eccentricities, angles.
LTTE_OVERSAMPLING = 5
LTTE_PEAKS = 3
LTTE_ECCENTRICITIES = (0.0, 0.2, 0.4, 0.6, 0.8)
LTTE_ANGLES = 12
LTTE_MAX_E = 0.95
#: Eccentricity where the model stops (the search box of e cos w, e sin w reaches past 1).
LTTE_E_LIMIT = 0.99


def _kepler(M, e):
    """Eccentric anomaly from the mean anomaly: Newton from Danby's start (``0 <= e < 1``)."""
    M = np.asarray(M, dtype=float)
    if e == 0:
        return M.copy()
    E = M + 0.85 * e * np.sign(np.sin(M))
    for _ in range(50):
        step = (E - e * np.sin(E) - M) / (1.0 - e * np.cos(E))
        E = E - step
        if np.all(np.abs(step) < 1e-13):
            break
    return E


def ltte_delay(t, amplitude_asini, period, e, omega, t_peri):
    r"""Light-travel-time delay of an eclipsing binary in a third-body orbit (Irwin 1952).

    Parameters
    ----------
    t : array_like
        Times (d).
    amplitude_asini : float
        ``a12 sin i / c`` in days (the projected semi-major axis of the
        binary's orbit about the barycentre, in light-days).
    period : float
        Orbital period of the third body (d).
    e : float
        Eccentricity, ``0 <= e < 1``.
    omega : float
        Argument of periastron of the binary's orbit (radians).
    t_peri : float
        Time of periastron passage (d).

    Returns
    -------
    ndarray
        .. math::

            \tau = \frac{a_{12}\sin i}{c}\left[\frac{1-e^2}{1+e\cos\nu}
                    \sin(\nu+\omega) + e\sin\omega\right]

        with the true anomaly ``nu`` from Kepler's equation
        ``M = 2 pi (t - T_p)/P_3 = E - e sin E``. The semi-amplitude of ``tau``
        is ``a12 sin i / c * sqrt(1 - e^2 cos^2 omega)`` (Irwin's ``A``).
    """
    t = np.asarray(t, dtype=float)
    M = 2.0 * np.pi * (t - t_peri) / period
    E = _kepler(np.mod(M + np.pi, 2 * np.pi) - np.pi, e)
    nu = 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(E / 2.0), np.sqrt(1.0 - e) * np.cos(E / 2.0))
    return amplitude_asini * (
        (1.0 - e * e) / (1.0 + e * np.cos(nu)) * np.sin(nu + omega) + e * np.sin(omega)
    )


def _ltte_from_internal(q, t_ref):
    """``(K, P3, e, omega, T_p)`` from the fitted ``(K, P3, e cos w, e sin w, lambda)``."""
    K, P3, h, k, lam = q
    e = float(np.hypot(h, k))
    omega = float(np.arctan2(k, h)) if e > 0 else 0.0
    t_peri = t_ref - (lam - omega) / (2.0 * np.pi) * P3
    return K, P3, e, omega, t_peri


def _ltte_internal(t, q, t_ref):
    K, P3, e, omega, t_peri = _ltte_from_internal(q, t_ref)
    if e >= 1.0:
        return np.full(np.shape(t), np.inf)
    return ltte_delay(t, K, P3, e, omega, t_peri)


def _ltte_design(E, t, q_nl, t_ref, secondary):
    """Linear columns ``1, E, [II], tau(K=1)`` at the non-linear ``(P3, h, k, lambda)``."""
    tau = _ltte_internal(t, np.concatenate([[1.0], q_nl]), t_ref)
    cols = [np.ones_like(E), E]
    if secondary is not None:
        cols.append(secondary)
    cols.append(tau)
    return np.vstack(cols)


def fit_ltte(data, T0, P, secondary_offset, scale):
    """The light-time O-C model ``dT0 + dP E [+ dT_II] + tau(T)``.

    Parameters
    ----------
    data : dict
        ``cycle``, ``kind``, ``time`` (full JD), ``o_c`` and ``time_err`` of the minima.
    T0, P : float
        The reference ephemeris.
    secondary_offset : bool
        A free offset of the secondaries (``dT_II``).
    scale : bool
        Scale the covariance by ``chi2/dof``.

    Returns
    -------
    OCModel
        Parameters ``dT0``, ``dP`` (``dT_II``), ``asini_c``, ``P3``,
        ``e_cos_w``, ``e_sin_w``, ``lambda``; derived ``T0``, ``P``, the
        semi-amplitude, ``P3``, ``e``, ``omega`` (deg), ``T_peri``,
        ``a12sini`` (au) and ``f(m3)`` (M_sun).

    Raises
    ------
    NavfitError
        Minima spanning too short a time, or no orbit that improves on the
        linear ephemeris.

    Notes
    -----
    The third body's period is searched between ``max(20 P, 2 span / n, 2
    median gap)`` and twice the span of the minima; the least-squares
    refinement starts from the five best grid points, bounded to
    ``e <= 0.95``, and the covariance comes from the Jacobian at the optimum
    through the least-squares core.
    """
    E, t, oc, err = data["cycle"], data["time"], data["o_c"], data["time_err"]
    n = E.size
    sec = (data["kind"] == "II").astype(float) if secondary_offset else None
    n_lin = 3 + (sec is not None)
    t_ref = float(np.round(np.mean(t), 1))
    span, p_min, p_max = _period_range(t, P, n)
    # 1: circular orbits on a frequency grid (variable projection, the linear core)
    freqs, peaks = _circular_peaks(E, t, oc, err, sec, t_ref, span, p_min, p_max)
    # 2: eccentric orbits around each peak: e, omega, mean longitude on a grid
    starts = _eccentric_starts(E, t, oc, err, sec, t_ref, 1.0 / freqs[peaks])
    # 3: all parameters by least squares from the best starts
    lo, hi = _box(sec is not None, p_min, span)

    def unpack(x):
        lin = x[: n_lin - 1]
        q = x[n_lin - 1 :]
        return lin, q

    def model(x):
        lin, q = unpack(x)
        if np.hypot(q[2], q[3]) >= LTTE_E_LIMIT:
            return np.full(n, np.inf)
        out = lin[0] + lin[1] * E + (lin[2] * sec if sec is not None else 0.0)
        return out + _ltte_internal(t, q, t_ref)

    def resid(x):
        r = (oc - model(x)) / err
        return np.where(np.isfinite(r), r, 1e6)

    best = _least_squares(resid, starts, lo, hi)
    x = best.x
    r, chi2, cov = _covariance(model, x, oc, err, scale)
    k = x.size
    names = (
        ["dT0", "dP"]
        + (["dT_II"] if sec is not None else [])
        + ["asini_c", "P3", "e_cos_w", "e_sin_w", "lambda"]
    )
    se = np.sqrt(np.clip(np.diag(cov), 0, None))

    def derived(v):
        K, P3, e, omega, t_peri = _ltte_from_internal(v[n_lin - 1 :], t_ref)
        return {
            "T0": T0 + v[0],
            "P": P + v[1],
            "amplitude": K * np.sqrt(1.0 - (e * np.cos(omega)) ** 2),
            "P3": P3,
            "e": e,
            "omega": np.degrees(omega) % 360.0,
            "T_peri": t_peri,
            "a12sini": K / AU_LIGHT_DAYS,
            "f(m3)": (K / AU_LIGHT_DAYS) ** 3 / (P3 / YEAR) ** 2,
        }

    steps = np.where(se > 0, se * 1e-3, 1e-9)
    st = oc_statistics(chi2, n, k, err)

    def predict(cycle, time, v=x):
        lin, q = unpack(v)
        return lin[0] + lin[1] * cycle + _ltte_internal(time, q, t_ref)

    return OCModel(
        name="ltte",
        params=dict(zip(names, (float(v) for v in x), strict=True)),
        errors=dict(zip(names, (float(v) for v in se), strict=True)),
        derived=derived_errors(derived, x, cov, steps),
        covariance=cov,
        chi2=chi2,
        n=n,
        k=k,
        aic=st["aic"],
        aicc=st["aicc"],
        bic=st["bic"],
        residuals=r,
        info={
            "t_ref": t_ref,
            "period_range": (p_min, p_max),
            "status": int(best.status),
            "flags": _orbit_flags(x[n_lin - 1 :], span),
        },
        _predict=predict,
    )


def _orbit_flags(q, span):
    """What the minima leave undetermined of the orbit ``q = (asini_c, P3, e cos w, e sin w, lambda)``."""
    flags = []
    if q[1] > span:
        flags.append(
            f"P3 = {q[1]:.4g} d exceeds the span of the minima ({span:.4g} d): less than one "
            "orbit observed, P3, e and the amplitude are not determined"
        )
    e = float(np.hypot(q[2], q[3]))
    if e >= LTTE_MAX_E * (1 - 1e-6):
        flags.append(
            f"e = {e:.3g}, at the edge of the eccentricities searched (up to {LTTE_MAX_E:g}): "
            "the shape of the orbit is not determined"
        )
    return flags


def _period_range(t, P, n):
    """Span of the minima and the range of third-body periods searched (d)."""
    span = float(t.max() - t.min())
    gaps = np.diff(np.sort(t))
    p_min = max(20.0 * P, 2.0 * span / max(n, 1), float(np.median(gaps)) * 2 if gaps.size else 0)
    p_max = 2.0 * span
    if p_min >= p_max:
        raise NavfitError(f"the minima span {span:.4g} d: too short for a light-time orbit")
    return span, p_min, p_max


def _circular_peaks(E, t, oc, err, sec, t_ref, span, p_min, p_max):
    """Frequency grid of circular orbits and the indices of its :data:`LTTE_PEAKS` best peaks."""
    freqs = np.arange(1.0 / p_max, 1.0 / p_min, 1.0 / (LTTE_OVERSAMPLING * span))
    chi = np.empty(freqs.size)
    for i, f in enumerate(freqs):
        w = 2 * np.pi * f * (t - t_ref)
        cols = [np.ones_like(E), E] + ([sec] if sec is not None else []) + [np.sin(w), np.cos(w)]
        chi[i] = solve_linear(np.vstack(cols), oc, err, transposed=True).chi2
    order = np.argsort(chi)
    peaks = []
    for i in order:
        if all(abs(freqs[i] - freqs[j]) > 1.0 / span for j in peaks):
            peaks.append(i)
        if len(peaks) >= LTTE_PEAKS:
            break
    return freqs, peaks


def _eccentric_starts(E, t, oc, err, sec, t_ref, periods):
    """Grid of ``e``, ``omega`` and mean longitude at each period, best first.

    Returns
    -------
    list of tuple
        ``(chi2, (P3, h, k, lambda), linear parameters)`` of the orbits with a
        positive amplitude, sorted by ``chi2``.
    """
    starts = []
    angles = np.arange(LTTE_ANGLES) * 2 * np.pi / LTTE_ANGLES
    for P3 in periods:
        for e in LTTE_ECCENTRICITIES:
            for w in angles if e > 0 else angles[:1]:
                for lam in angles:
                    q_nl = np.array([P3, e * np.cos(w), e * np.sin(w), lam])
                    sol = solve_linear(
                        _ltte_design(E, t, q_nl, t_ref, sec), oc, err, transposed=True
                    )
                    if sol.params[-1] > 0:
                        starts.append((sol.chi2, q_nl, sol.params))
    starts.sort(key=lambda s: s[0])
    if not starts:
        raise NavfitError("no light-time orbit improves on the linear ephemeris")
    return starts


def _box(secondary, p_min, span):
    """Bounds of ``dT0, dP, [dT_II], K, P3, e cos w, e sin w, lambda``."""
    lo = np.array(
        [-np.inf, -np.inf]
        + [-np.inf] * secondary
        + [0.0, 0.5 * p_min, -LTTE_MAX_E, -LTTE_MAX_E, -np.inf]
    )
    hi = np.array(
        [np.inf, np.inf]
        + [np.inf] * secondary
        + [np.inf, 3.0 * span, LTTE_MAX_E, LTTE_MAX_E, np.inf]
    )
    return lo, hi


def _least_squares(resid, starts, lo, hi):
    """``scipy.optimize.least_squares`` from the five best starts; the lowest cost wins."""
    from scipy.optimize import least_squares

    best = None
    for _, q_nl, lin in starts[:5]:
        x0 = np.concatenate([lin[:-1], [lin[-1]], q_nl])
        x0 = np.clip(x0, lo + 1e-12, hi - 1e-12)
        res = least_squares(
            resid,
            x0,
            bounds=(lo, hi),
            x_scale="jac",
            method="trf",
            xtol=1e-12,
            ftol=1e-12,
            gtol=1e-12,
            max_nfev=2000,
        )
        if best is None or res.cost < best.cost:
            best = res
    return best


def _covariance(model, x, oc, err, scale):
    """Residuals, chi-square and covariance from the Jacobian at ``x``, through the linear core."""
    n = oc.size
    scale_x = np.maximum(np.abs(x), 1e-8) * 1e-6
    J = np.empty((x.size, n))
    for j in range(x.size):
        xp, xm = x.copy(), x.copy()
        xp[j] += scale_x[j]
        xm[j] -= scale_x[j]
        J[j] = (model(xp) - model(xm)) / (2 * scale_x[j])
    r = oc - model(x)
    lin_sol = solve_linear(J, r, err, transposed=True)
    chi2 = float(np.sum((r / err) ** 2))
    k = x.size
    cov = scaled_covariance(lin_sol.covariance_unscaled, chi2, n - k, scale)
    return r, chi2, cov
