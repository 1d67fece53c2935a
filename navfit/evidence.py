"""Evidence about a light curve at a trial period: model orders the data support and light-curve shape.

Everything the period and type decision (:mod:`navfit.decision`) reads about
the *shape* of a light curve is computed here, from trigonometric-polynomial
(TP) fits whose order is chosen by BIC below a limit set by the sampling.

Order limit
-----------
A TP of order ``s`` has ``k = 2s + 1`` parameters. On sparse data (Stripe 82
RR Lyrae: about 55 epochs) an unlimited BIC choice rewards a TP at a multiple
of the period that passes through the points (CLASSIFY §4: TP(s, P) is nested
in TP(2s, 2P), so chi-square can only fall, and ``n ln(chi2/n)`` diverges as
``k -> n``). :func:`navfit.models.tp.order_limit` keeps at least three points
per parameter, ``k <= n/3`` (see its docstring for the measurement).

Shape features
--------------
Computed from the fitted curve on a fine phase grid, phase 0 at minimum light
(the faintest point), in the data's units (magnitudes or fluxes; "light"
below means brightness, so for magnitudes the faintest point is the largest
value):

``amplitude``
    Peak-to-peak of the curve.
``rise``
    Fraction of the cycle from minimum to maximum light: 0.5 for a symmetric
    curve, 0.1-0.35 for RRab and Cepheids (steep rise; CLASSIFY §1).
``width_max``, ``width_min``
    Fraction of the cycle within 10 % of the amplitude of maximum (minimum)
    light: 0.205 for a sinusoid (``arccos(0.8)/pi``); larger for flat
    maxima (light "almost constant between eclipses", GCVS EA), smaller
    for the sharp maxima of pulsators; a small ``width_min`` is a sharp
    minimum, the signature of an eclipse (CLASSIFY §1, sign of the second
    harmonic).
``minima``
    Number of distinct minima of light per cycle (faint local extrema at
    least 10 % of the amplitude deep and 0.2 apart in phase).
``R21``, ``phi21``
    Fourier amplitude ratio and phase difference of the cosine series with
    phase 0 at minimum light (CLASSIFY §1; ``phi21`` in [0, 2 pi)).

Errors come from 64 draws of the TP coefficients from their covariance
(fixed seed, so results repeat).
"""

from __future__ import annotations

import math
from functools import cached_property

import numpy as np

from .confidence import period_weight
from .criteria import BIC_STRONG, CURVE_PHASES, f_test_pvalue, leaves_data_range
from .errors import NavfitError
from .lsq import model_values, solve_linear
from .models.nav import fit_nav
from .models.nav_derived import MIN_IN_ECLIPSE_TRUSTED, points_in_eclipse
from .models.nav_grid import min_half_width
from .models.tp import MIN_POINTS_PER_PARAMETER, fit_tp, order_limit, select_order, tp_design
from .nav_params import C6, C7, EPOCH, PERIOD

__all__ = [
    "Evidence",
    "gather_evidence",
    "nav_at",
    "nav_or_none",
    "odd_even_test",
    "shape_features",
    "sharp_minimum",
    "tp_at",
    "trusted_eclipses",
]

#: Fraction of the amplitude that defines the widths of maximum and minimum.
WIDTH_LEVEL = 0.1
#: Phase grid for the shape features.
N_GRID = 1000
#: Draws of the coefficients for the feature errors.
N_DRAWS = 64


def tp_at(lc, period, *, free_period=False):
    """The BIC-optimal TP at ``period`` with the order limited by :func:`order_limit`.

    Returns
    -------
    FitResult
        The fit (``info["selection"]`` holds the order table).
    """
    return fit_tp(lc, period, max_order=order_limit(lc.n), free_period=free_period)


def _features(y, faint_sign):
    """Shape features of one curve sampled on the uniform phase grid (see the module docstring).

    Returns the seven features of :func:`_features_of_draws` and the curve as
    light (larger is brighter) starting at its minimum.
    """
    light = -faint_sign * y
    light = np.roll(light, -int(np.argmin(light)))
    return (*_features_of_draws(y[None, :], faint_sign)[0], light)


def _features_of_draws(curves, faint_sign):
    """Shape features of every row of ``curves``, shape ``(rows, 7)``.

    Each row is one curve on the uniform phase grid: amplitude, rise, widths
    of maximum and minimum, asymmetry, R21 and phi21 (see the module
    docstring), computed for all rows at once; a row of constant light gets
    ``0, 0.5, 1, 1, 0, 0, 0``.
    """
    light = -faint_sign * curves  # larger is brighter
    rows, n = light.shape
    r = np.arange(rows)[:, None]
    # phase 0 at minimum light
    light = light[r, (np.argmin(light, axis=1)[:, None] + np.arange(n)) % n]
    i_max = np.argmax(light, axis=1)
    amp = light[r[:, 0], i_max] - light[:, 0]
    out = np.zeros((rows, 7))
    out[:, 1:4] = (0.5, 1.0, 1.0)
    ok = amp > 0
    if not np.any(ok):
        return out
    light, i_max, amp = light[ok], i_max[ok], amp[ok]
    top = light[np.arange(light.shape[0]), i_max][:, None]
    mirror = np.roll(light[:, ::-1], 1, axis=1)  # light(-phase)
    c = np.fft.rfft(-light, axis=1)[:, 1:3] / n  # cosine series of the faintness
    # numpy's abs of a complex array rounds differently from the scalar abs; hypot does not
    c0, c1 = np.hypot(c[:, 0].real, c[:, 0].imag), np.hypot(c[:, 1].real, c[:, 1].imag)
    has = c0 > 0
    r21 = np.where(has, c1 / np.where(has, c0, 1.0), 0.0)
    phi21 = np.where(has, (np.angle(c[:, 1]) - 2 * np.angle(c[:, 0])) % (2 * np.pi), 0.0)
    width_max = np.mean(light >= top - WIDTH_LEVEL * amp[:, None], axis=1)
    width_min = np.mean(light <= light[:, :1] + WIDTH_LEVEL * amp[:, None], axis=1)
    asym = np.sqrt(np.mean((light - mirror) ** 2, axis=1)) / amp
    out[ok] = np.column_stack([amp, i_max / n, width_max, width_min, asym, r21, phi21])
    return out


def _count_minima(light, amp):
    """Distinct minima of light per cycle.

    A local minimum counts when the light between it and every other counted
    minimum rises by at least ``WIDTH_LEVEL`` of the amplitude above the
    brighter of the two (so ripples of a high-order fit are not minima).
    """
    if not amp > 0:
        return 0
    is_min = (light <= np.roll(light, 1)) & (light < np.roll(light, -1))
    kept = []
    for i in np.flatnonzero(is_min)[np.argsort(light[is_min])]:
        ok = True
        for j in kept:
            lo, hi = (j, i) if j < i else (i, j)
            inner = light[lo : hi + 1].max()
            outer = max(light[hi:].max(), light[: lo + 1].max())
            if min(inner, outer) - max(light[i], light[j]) < WIDTH_LEVEL * amp:
                ok = False
                break
        if ok:
            kept.append(int(i))
    return len(kept)


def _curve_sampler(fit):
    """Function ``values -> curve on the phase grid`` of a fit, and the grid's times."""
    t = fit.epoch + (np.arange(N_GRID) / N_GRID) * fit.period

    def curve(values):
        return model_values(fit.model_id, t, values, fit.iparams, fit.fparams)

    return curve


#: Significance (standard deviations) for a minimum sharper than a sinusoid's.
SHARP_MINIMUM_SIGMA = 2.0
#: Width of the minimum (and maximum) of a sinusoid at 10 % of its amplitude: arccos(0.8)/pi.
WIDTH_SINUSOID = math.acos(1.0 - 2.0 * WIDTH_LEVEL) / math.pi


def sharp_minimum(shape) -> float:
    """How many standard deviations the minimum is narrower than a sinusoid's (``WIDTH_SINUSOID``)."""
    wmin, err = shape["width_min"]
    return (WIDTH_SINUSOID - wmin) / err if err > 0 else 0.0


def shape_features(fit, n_draws=N_DRAWS, seed=0) -> dict:
    """Shape of a fitted curve: name -> ``(value, error)`` (see the module docstring).

    Parameters
    ----------
    fit : FitResult
        A TP or NAV fit.
    n_draws : int
        Draws of the free parameters from their covariance for the errors.
    seed : int
        Seed of those draws.

    Returns
    -------
    dict
        ``amplitude``, ``rise``, ``width_max``, ``width_min``, ``asymmetry``,
        ``R21``, ``phi21`` with their errors, and ``minima`` (error 0).
    """
    faint = 1.0 if fit.lc.kind == "mag" else -1.0
    curve = _curve_sampler(fit)
    values = np.asarray(fit.values, dtype=float)
    base = _features(curve(values), faint)
    minima = _count_minima(base[-1], base[0])
    names = ("amplitude", "rise", "width_max", "width_min", "asymmetry", "R21", "phi21")
    errors = np.zeros(len(names))
    free = np.flatnonzero(fit.free)
    cov = np.asarray(fit.covariance, dtype=float)
    if n_draws and cov.shape == (free.size, free.size):
        cov = np.where(np.isfinite(cov), cov, 0.0)
        w, V = np.linalg.eigh(0.5 * (cov + cov.T))
        L = V * np.sqrt(np.clip(w, 0.0, None))
        rng = np.random.default_rng(seed)
        curves = np.empty((n_draws, N_GRID))
        for i, z in enumerate(rng.standard_normal((n_draws, free.size))):
            v = values.copy()
            v[free] += L @ z
            curves[i] = curve(v)
        d = _features_of_draws(curves, faint) - np.array(base[:7])
        # circular quantities: differences wrapped to half a turn
        d[:, 1] = (d[:, 1] + 0.5) % 1.0 - 0.5
        d[:, 6] = (d[:, 6] + np.pi) % (2 * np.pi) - np.pi
        errors = np.sqrt(np.mean(d**2, axis=0))
    out = {name: (float(v), float(e)) for name, v, e in zip(names, base[:7], errors, strict=True)}
    out["minima"] = (float(minima), 0.0)
    return out


def order_table(lc, period):
    """:func:`navfit.select_order` at ``period`` up to :func:`order_limit`."""
    return select_order(lc, period, max_order=order_limit(lc.n))


class Evidence:
    """What the decision reads about a light curve at its photometric period ``P`` and at ``2P``.

    The TP at ``P`` and its shape are computed on construction; every other
    fit is made the first time the decision reads it and kept (so a pulsator
    that the shape of its TP already decides costs no NAV fit: the search
    spends its time where the answer is still open).

    Parameters
    ----------
    lc : LightCurve
    tp : FitResult
        Optimal TP at ``P`` (order limited by :func:`order_limit`).
    free_period : bool
        Refine the period in the fits made on demand.
    examine_double : bool
        Whether ``2P`` is examined (``False`` for a given period).
    candidates : astropy.table.Table, optional
        The period search's candidates (``period``, ``bic_tp`` ...).
    significant : bool
    fap : float
        False-alarm probability of ``P`` (NaN for a given period).
    given_period : bool
        ``P`` was given, not searched: it is the period to report.
    nav : FitResult, optional
        A NAV fit at ``P`` already made (else made on demand by :func:`nav_at`).
    eclipse_peaks : sequence of float, optional
        Frequencies of the eclipse periodogram's peaks (for :attr:`nav_worth_fitting`).

    Attributes
    ----------
    photometric_period : float
        ``P``: the period at which the light curve repeats (refined by the TP fit).
    shape : dict
        :func:`shape_features` of the TP at ``P``.
    nav : FitResult or None
        NAV fit at ``P`` (``None`` when it cannot be fitted, or when
        :attr:`nav_worth_fitting` is false).
    nav_worth_fitting : bool
        Whether a NAV fit at ``P`` can add eclipse evidence to the TP's: the
        TP has order 3 or more, or a minimum sharper than a sinusoid's
        (:func:`sharp_minimum`), or ``P``, ``P/2`` or ``2P`` is a peak of the
        eclipse periodogram, or no search was made. A lower-order TP with a
        sinusoid's minimum at a period where the eclipse periodogram has no
        peak leaves no room for eclipses that NAV could see: BIC would have
        raised the order for eclipses sampled by several points, and the
        eclipse periodogram peaks where they are sampled by few.
    nav_shape : dict or None
        :func:`shape_features` of the NAV curve (no ringing next to narrow
        eclipses, where a high-order TP oscillates).
    tp2, nav2 : FitResult or None
        The TP and NAV at ``2P`` (``None`` when ``2P`` is not examined: a
        given period, or ``2P`` longer than the data).
    shape2 : dict or None
        :func:`shape_features` of the TP at ``2P``.
    odd_even : dict
        :func:`odd_even_test` at ``P`` (NaN entries when ``2P`` is not examined).
    bootstrap : float or None
        Bootstrap selection probability of ``P`` among the candidates
        (:func:`navfit.period_bootstrap.selection_probability`), read by
        :meth:`period_weight`; :func:`navfit.find_period` sets it.
    """

    def __init__(
        self,
        lc,
        tp,
        *,
        free_period=True,
        examine_double=True,
        candidates=None,
        significant=True,
        fap=float("nan"),
        given_period=False,
        nav=None,
        eclipse_peaks=None,
    ):
        self.lc = lc
        self.tp = tp
        self.photometric_period = float(tp.period)
        self.shape = shape_features(tp)
        self.free_period = bool(free_period)
        self.examine_double = bool(examine_double) and lc.time_span >= 2.0 * tp.period
        self.candidates = candidates
        self.significant = bool(significant)
        self.fap = float(fap)
        self.given_period = bool(given_period)
        self.eclipse_peaks = None if eclipse_peaks is None else tuple(eclipse_peaks)
        self.bootstrap = None  # set by find_period (see Attributes)
        if nav is not None:
            self.__dict__["nav"] = nav

    def period_weight(self, period) -> float:
        """:func:`navfit.confidence.period_weight` of ``period`` from this evidence's search."""
        return period_weight(
            self.candidates, period, self.fap, self.bootstrap, span=self.lc.time_span
        )

    def __repr__(self) -> str:
        return (
            f"<Evidence P={self.photometric_period:.9g} {self.tp.label} "
            f"significant={self.significant}>"
        )

    @cached_property
    def nav_worth_fitting(self) -> bool:
        """Whether NAV could add eclipse evidence at P: a sharp minimum, a rich TP or an eclipse peak near P, P/2 or 2P."""
        if self.eclipse_peaks is None or self.tp.info["order"] >= 3:
            return True
        if sharp_minimum(self.shape) > SHARP_MINIMUM_SIGMA:
            return True
        f = 1.0 / self.photometric_period
        tol = 1.0 / self.lc.time_span
        return any(abs(g - m * f) < tol for g in self.eclipse_peaks for m in (0.5, 1.0, 2.0))

    @cached_property
    def nav(self):
        """The NAV fit at P (``None`` where not worth fitting or not possible)."""
        if not self.nav_worth_fitting:
            return None
        return nav_at(self.lc, self.photometric_period, self.tp, free_period=self.free_period)

    @cached_property
    def nav_shape(self):
        """Shape features of the NAV curve at P (``None`` without NAV)."""
        return shape_features(self.nav) if self.nav is not None else None

    @cached_property
    def tp2(self):
        """The optimal TP at 2P (``None`` when the double period is not examined)."""
        if not self.examine_double:
            return None
        return tp_at(self.lc, 2.0 * self.photometric_period, free_period=self.free_period)

    @cached_property
    def nav2(self):
        """The NAV fit at 2P (``None`` when not examined or not possible)."""
        if not self.examine_double:
            return None
        return nav_or_none(self.lc, 2.0 * self.photometric_period, self.free_period)

    @cached_property
    def shape2(self):
        """Shape features of the TP curve at 2P."""
        return shape_features(self.tp2) if self.tp2 is not None else None

    @cached_property
    def odd_even(self):
        """Odd-even test at 2P: F, p and the orders (NaN when 2P is not examined)."""
        if not self.examine_double:
            return {"F": float("nan"), "p": float("nan"), "orders": None}
        return odd_even_test(self.lc, self.photometric_period, self.tp.info["order"])

    def fits_at(self, period):
        """``(nav, tp)`` at ``P`` or at ``2P``, whichever ``period`` is closer to."""
        if self.examine_double and abs(period / self.photometric_period - 2.0) < 0.5:
            return self.nav2, self.tp2
        return self.nav, self.tp


#: An eclipse must be at least this deep, as a fraction of its profile, in the median of
#: the points in the inner half of its window (a profile on a few outliers is not).
MIN_MEDIAN_DEPTH = 0.5


def _median_depth_fraction(nav, centre, half_width):
    """Median over the points near an eclipse's centre of (data - no-eclipse curve) / eclipse depth.

    About 1 for an eclipse the data show, about 0 for a profile that the
    least-squares fit has put on a few outlying points among normal ones
    (ASAS-3 photometry has such points); NaN with fewer than 3 points.
    """
    p = np.asarray(nav.values, dtype=float)
    x = (nav.lc.t - p[EPOCH]) / p[PERIOD] - centre
    d = np.abs(x - np.round(x))
    inner = d < 0.5 * half_width
    if np.count_nonzero(inner) < 3:
        return math.nan
    t = nav.lc.t[inner]
    full = model_values(nav.model_id, t, p, nav.iparams, nav.fparams)
    q = p.copy()
    q[C6] = q[C7] = 0.0
    base = model_values(nav.model_id, t, q, nav.iparams, nav.fparams)
    depth = full - base
    ok = np.abs(depth) > 0
    if np.count_nonzero(ok) < 3:
        return math.nan
    return float(np.median((nav.lc.y[inner][ok] - base[ok]) / depth[ok]))


def trusted_eclipses(nav):
    """Points in the primary and secondary windows and whether each eclipse is trustworthy.

    An eclipse is trusted when its window holds ``MIN_IN_ECLIPSE_TRUSTED``
    points, its depth is 3 sigma, its own half-width exceeds the narrowest the
    sampling resolves (:func:`navfit.models.nav.min_half_width`), the points in the
    inner half of its window are at least half as deep as the profile in
    their median (:data:`MIN_MEDIAN_DEPTH`), and the curve stays near the data's range
    (:func:`navfit.criteria.leaves_data_range`: no "eclipse" of 50 mag in a gap).
    """
    if nav is None:
        return None
    grid = np.arange(CURVE_PHASES) / CURVE_PHASES
    inside = not leaves_data_range(nav.evaluate_phase(grid), nav.lc.y)
    n1, n2 = points_in_eclipse(nav)
    p, e = nav.params, nav.errors
    # an eclipse as narrow as the sampling allows is unresolved: it may be one outlier;
    # each eclipse by its own width
    floor = 1.05 * min_half_width(nav.n)
    a2 = p["a2"] if nav.iparams[0] != 1 else p["a1"]
    med1 = _median_depth_fraction(nav, 0.0, p["a1"])
    sig6 = abs(p["C6"]) / e["C6"] if e["C6"] > 0 else 0.0
    has2 = "C7" not in nav.fixed and nav.iparams[1] == 1
    sig7 = abs(p["C7"]) / e["C7"] if has2 and e["C7"] > 0 else 0.0
    med2 = _median_depth_fraction(nav, p["phase2"], a2) if has2 else math.nan
    return {
        "n1": n1,
        "n2": n2,
        "sig1": sig6,
        "sig2": sig7,
        "median1": med1,
        "median2": med2,
        "primary": (
            inside
            and p["a1"] > floor
            and n1 >= MIN_IN_ECLIPSE_TRUSTED
            and sig6 >= 3.0
            and med1 >= MIN_MEDIAN_DEPTH
        ),
        "secondary": (
            inside
            and a2 > floor
            and has2
            and n2 >= MIN_IN_ECLIPSE_TRUSTED
            and sig7 >= 3.0
            and med2 >= MIN_MEDIAN_DEPTH
        ),
    }


def nav_or_none(lc, period, free_period=True, variant="canonical"):
    """The NAV fit (:func:`navfit.fit_nav`), or ``None`` where it cannot be made."""
    try:
        return fit_nav(lc, period, free_period=free_period, variant=variant)
    except NavfitError:
        return None


def nav_at(lc, period, tp, *, free_period=True):
    """The NAV fit at ``period``: canonical, or eccentric where that describes the data better.

    The canonical NAV puts Min II at phase 0.5. When it does not beat the TP
    ``tp`` at the same period by ``BIC_STRONG``, the eccentric variant (free
    phase of Min II, separate widths; NAV_SPEC §1.5) is fitted too, and the
    lower BIC wins: on the development set the canonical model is beaten by
    a TP by 80 to 940 in BIC on detached ASAS-3 binaries whose Min II lies at
    phase 0.42 to 0.70, and the eccentric one beats the same TP by 80 to 250.
    The eccentric variant is also tried when the canonical fit's primary
    eclipse is not trusted (:func:`trusted_eclipses`: a profile put on a few
    outlying points), and a fit with a trusted primary is preferred; it is
    tried only when the TP has two minima per cycle, since an eccentric
    orbit's secondary eclipse is a second minimum of the light curve.
    """
    nav = nav_or_none(lc, period, free_period)
    two_minima = shape_features(tp, n_draws=0)["minima"][0] >= 2
    if two_minima and (
        nav is None or nav.bic > tp.bic - BIC_STRONG or not trusted_eclipses(nav)["primary"]
    ):
        ecc = nav_or_none(lc, period, free_period, "eccentric")
        if ecc is not None and (nav is None or _preferred(ecc, nav)):
            nav = ecc
    return nav


def _preferred(a, b):
    """Whether NAV fit ``a`` is better than ``b``: a trusted primary eclipse first, then BIC."""
    ta, tb = trusted_eclipses(a)["primary"], trusted_eclipses(b)["primary"]
    if ta != tb:
        return ta
    return a.bic < b.bic


#: Odd harmonics of ``2P`` tested for a difference between alternate cycles.
ODD_HARMONICS = (1, 3)


def odd_even_test(lc, period, order):
    """Fisher test that alternate cycles differ: ``{"F", "p", "orders"}``.

    The TP of order ``s`` at ``period`` is, at ``2 * period``, the TP with the
    even harmonics ``2, 4, ..., 2s``. Adding the odd harmonics 1 and 3 of
    ``2 * period`` (:data:`ODD_HARMONICS`) describes a difference between
    alternate cycles: unequal minima (the cosine terms) and unequal maxima (the
    sine terms, the O'Connell effect). Only these low odd harmonics are
    tested: the difference of two eclipse depths or maxima lives in them,
    while the cycle-to-cycle changes of a pulsator (Blazhko effect, period
    changes) spread over every harmonic and make a test of all of them
    significant (RR Lyrae M3 V006: ``p = 5e-14`` with 17 odd harmonics).
    Periods are held fixed; ``s`` is limited so the larger model keeps three
    points per parameter.
    """
    n_odd = 2 * len(ODD_HARMONICS)
    s = max(1, min(int(order), (lc.n // MIN_POINTS_PER_PARAMETER - 1 - n_odd) // 2))
    nan = {"F": float("nan"), "p": float("nan"), "orders": (s, s)}
    if lc.n <= 2 * s + 1 + n_odd + 1:
        return nan
    order2 = max(2 * s, max(ODD_HARMONICS))
    XT = tp_design(lc, 2.0 * period, order2)
    even = [0] + [c for k in range(2, 2 * s + 1, 2) for c in (2 * k - 1, 2 * k)]
    odd = [c for k in ODD_HARMONICS for c in (2 * k - 1, 2 * k)]
    dy = lc.dy if lc.dy_given else None
    try:
        one = solve_linear(XT[even], lc.y, dy, transposed=True)
        two = solve_linear(XT[even + odd], lc.y, dy, transposed=True)
    except NavfitError:
        return nan
    F, p = f_test_pvalue(one.chi2, two.chi2, len(even), len(even) + len(odd), lc.n)
    return {"F": float(F), "p": float(p), "orders": (s, s)}


def gather_evidence(
    lc,
    period,
    *,
    free_period=True,
    examine_double=True,
    candidates=None,
    fap=float("nan"),
    significant=True,
    given_period=False,
    eclipse_peaks=None,
) -> Evidence:
    """The TP at ``period`` and the :class:`Evidence` built on it (other fits on demand).

    Parameters
    ----------
    lc : LightCurve
    period : float
        The photometric period (days).
    free_period : bool
        Refine the period in the fits (``False`` for phase-folded data).
    examine_double : bool
        Also fit at ``2 * period`` (when the data span it) and test the odd
        harmonics there.
    candidates, fap, significant, given_period, eclipse_peaks
        Carried into the :class:`Evidence` for the decision.
    """
    tp = tp_at(lc, period, free_period=free_period)
    if free_period and not tp.success:
        tp = tp_at(lc, period, free_period=False)
    return Evidence(
        lc,
        tp,
        free_period=free_period,
        examine_double=examine_double,
        candidates=candidates,
        significant=significant,
        fap=fap,
        given_period=given_period,
        eclipse_peaks=eclipse_peaks,
    )
