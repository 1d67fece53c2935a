"""NAV ("New Algol Variable") fits: TP2 plus two local eclipse profiles (Andronov 2012).

.. math::

    x(\\varphi) = C_1 + C_2\\cos 2\\pi\\varphi + C_3\\sin 2\\pi\\varphi + C_4\\cos 4\\pi\\varphi
                + C_5\\sin 4\\pi\\varphi + C_6 H(\\Delta_1; a, \\beta_1) + C_7 H(\\Delta_2; a, \\beta_2),

    H(\\Delta; a, \\beta) = (1 - |\\Delta/a|^\\beta)^{3/2} \\; (|\\Delta| < a), \\; 0 \\text{ otherwise},

with ``phi = (t - T0)/P``, ``Delta_1`` the signed phase distance to phase 0 and
``Delta_2`` to ``phase2`` (0.5). 7 linear and 3 non-linear parameters (10), 12 with
the period and epoch free (Andronov, Tkachenko & Chinarova 2015). Parameter names
and their C-index aliases (NAV_SPEC §1.3; the papers' numbering of C8-C12 is not
verified): ``a1`` = C8 (a), ``beta1`` = C9, ``beta2`` = C10, ``epoch`` = C11 (T0),
``period`` = C12 (P).

Variants (``variant=``):

``"canonical"``
    one half-width for both eclipses, secondary at phase 0.5 (10/12 parameters).
``"separate_widths"``
    ``a1`` and ``a2`` free.
``"eccentric"``
    free secondary phase ``phase2`` and separate widths.
``"no_secondary"``
    the secondary term dropped (C7, beta2 removed from the fit).
``"gamma"``
    free outer exponent ``gamma`` (3/2 in the canonical profile), shared by both eclipses.
``"flat"``
    flat-bottomed profile for total eclipses: ``H = 1`` for ``|Delta| <= flat*a``;
    yields the duration of totality ``d = 2 flat1 a P``.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .._kernels import linalg as _linalg
from .._kernels import nav as _nav
from .._kernels.basis import fill_tp_basis
from .._kernels.models import NAV
from .._kernels.reference import NAV_NAMES
from ..criteria import BIC_STRONG
from ..errors import NavfitError
from ..lightcurve import LightCurve
from ..lsq import jacobian, levenberg_marquardt, solve_linear
from ..results import FitResult
from .nav_derived import derived_parameters, nav_flags
from .tp import _check_period, _sw_dy, fit_tp, order_limit, select_order

__all__ = ["C_ALIASES", "NAV_NAMES", "VARIANTS", "fit_nav"]

#: C-index aliases of the named parameters (NAV_SPEC §1.3, [R]).
C_ALIASES = {"C8": "a1", "C9": "beta1", "C10": "beta2", "C11": "epoch", "C12": "period"}
VARIANTS = ("canonical", "separate_widths", "eccentric", "no_secondary", "gamma", "flat")
#: Grid of the global search (NAV_SPEC §2.3): half-widths, log-spaced ...
GRID_WIDTHS = np.geomspace(0.008, 0.25, 18)
#: ... profile exponents, for each eclipse ...
GRID_BETAS = np.array([0.9, 1.3, 1.8, 2.6, 4.0])
#: ... and epoch steps of at most this fraction of the half-width (the step is shortened
#: to divide half a cycle, so that each node's secondary window is another's primary).
GRID_EPOCH_STEP = 0.3
#: Distinct grid basins refined by Levenberg-Marquardt.
N_SEEDS = 8
#: Fewest points inside an eclipse for the grid to consider it, and to trust it.
MIN_IN_ECLIPSE = 3
MIN_IN_ECLIPSE_TRUSTED = 8

# bounds of the non-linear parameters (phase units for widths)
_BOUNDS = {
    "a1": (0.002, 0.45),
    "a2": (0.002, 0.45),
    "beta1": (0.5, 12.0),
    "beta2": (0.5, 12.0),
    "gamma": (1.0, 5.0),
    "flat1": (0.0, 0.95),
    "flat2": (0.0, 0.95),
    "phase2": (0.15, 0.85),
}


def _free_mask(variant, free_period, free_epoch):
    free = np.zeros(_nav.NPAR, bool)
    free[:7] = True
    free[[7, 9, 10]] = True
    shared, has2 = True, True
    if variant in ("separate_widths", "eccentric"):
        shared = False
        free[8] = True
    if variant == "eccentric":
        free[14] = True
    if variant == "no_secondary":
        has2 = False
        free[[6, 10]] = False
    if variant == "gamma":
        free[11] = True
    if variant == "flat":
        free[[12, 13]] = True
    free[15] = free_epoch
    free[16] = free_period
    return free, shared, has2


def min_half_width(n: int) -> float:
    """Narrowest eclipse half-width (phase) fitted on ``n`` points.

    A window of half-width ``a`` holds ``2 a n`` points on average; below
    ``MIN_IN_ECLIPSE_TRUSTED / (2 n)`` it holds fewer than the points needed to
    trust an eclipse's width and shape, and a narrower profile only catches
    single outlying points (measured on ASAS-3 survey stars, whose unbounded NAV
    fits put "eclipses" of half-width 0.002 on one to three outliers).
    """
    return max(_BOUNDS["a1"][0], MIN_IN_ECLIPSE_TRUSTED / (2.0 * n))


def _bounds(p, free, n):
    lower = np.full(_nav.NPAR, -np.inf)
    upper = np.full(_nav.NPAR, np.inf)
    for name, (lo, hi) in _BOUNDS.items():
        j = NAV_NAMES.index(name)
        lower[j], upper[j] = lo, hi
    a_min = min(min_half_width(n), 0.5 * _BOUNDS["a1"][1])
    lower[7] = lower[8] = a_min
    lower[5], lower[6] = 0.0, 0.0  # depths in magnitudes (C6, C7 >= 0)
    P, T0 = p[16], p[15]
    lower[16], upper[16] = 0.9 * P, 1.1 * P
    lower[15], upper[15] = T0 - 0.25 * P, T0 + 0.25 * P
    return lower, upper


def _tp2_projection(phase, y, sw):
    """Orthonormal weighted TP2 basis Q (5, n) and the weighted TP2 residual r0."""
    A = np.empty((5, phase.size))
    fill_tp_basis(phase, 2, A)
    Q = _linalg.orthonormalize_rows(np.ascontiguousarray(A * sw))
    yw = y * sw
    r0 = yw - Q.T @ (Q @ yw)
    return Q, r0


def grid_search(lc, period, t_ref, n_seeds=N_SEEDS):
    """Brute-force grid over (epoch phase, a, beta1, beta2); returns the best distinct nodes.

    Returns a list of dicts ``center, a, beta1, beta2, c6, c7, reduction`` sorted by
    chi-square reduction, at most ``n_seeds`` long, no two in the same basin
    (epochs closer than half the narrower width *and* widths within a factor 1.6:
    wide eclipses of contact binaries have local minima in the width at the
    right epoch).
    """
    sw_all = 1.0 / lc.dy if lc.meta.get("dy_given", True) else np.ones(lc.n)
    x = (lc.t - t_ref) / period
    phase = x - np.floor(x)
    order = np.argsort(phase, kind="stable")
    # eclipses make magnitudes larger and fluxes smaller: scan the sign that makes them bumps
    faint = 1.0 if lc.meta["kind"] == "mag" else -1.0
    ph, y, sw = phase[order], faint * lc.y[order], sw_all[order]
    Q, r0 = _tp2_projection(ph, y, sw)
    centers, widths, partner = [], [], []
    a_min = min_half_width(lc.n)
    grid_widths = GRID_WIDTHS[a_min <= GRID_WIDTHS]
    if grid_widths.size < 3:
        grid_widths = GRID_WIDTHS[-3:]
    for a in grid_widths:
        # an epoch step that divides half a cycle: every secondary window is a primary one
        half = int(np.ceil(0.5 / (GRID_EPOCH_STEP * a)))
        j = np.arange(2 * half)
        partner.append(sum(c.size for c in centers) + (j + half) % (2 * half))
        centers.append(j * (0.5 / half))
        widths.append(np.full(j.size, a))
    centers = np.concatenate(centers)
    widths = np.concatenate(widths)
    partner = np.concatenate(partner).astype(np.int64)
    out = np.zeros((centers.size, GRID_BETAS.size, GRID_BETAS.size, 3))
    _nav.nav_grid_scan(
        ph, sw, r0, Q, centers, widths, partner, GRID_BETAS, 1.5, MIN_IN_ECLIPSE, out
    )
    red = out[..., 0]
    flat_order = np.argsort(red, axis=None)[::-1]
    seeds = []
    for idx in flat_order:
        k, b1, b2 = np.unravel_index(idx, red.shape)
        if red[k, b1, b2] <= 0 or len(seeds) >= n_seeds:
            break
        c, a = centers[k], widths[k]
        if any(_same_basin(c, a, s) for s in seeds):
            continue
        seeds.append(
            {
                "center": c,
                "a": a,
                "beta1": GRID_BETAS[b1],
                "beta2": GRID_BETAS[b2],
                "c6": out[k, b1, b2, 1],
                "c7": out[k, b1, b2, 2],
                "reduction": red[k, b1, b2],
            }
        )
    return seeds


def _same_basin(center, a, seed):
    """Nodes closer than half the narrower width in epoch and within 1.6x in width."""
    dist = abs((center - seed["center"] + 0.5) % 1.0 - 0.5)
    ratio = max(a, seed["a"]) / min(a, seed["a"])
    return dist < 0.5 * min(a, seed["a"]) and ratio < 1.6


def _linear_design(lc, p):
    """The 7 linear columns (TP2, H1, H2) at ``p``, transposed (7, n), from the NAV kernel."""
    _, JT = jacobian(NAV, lc.t, p, np.array([0, 1], np.int64))
    return np.ascontiguousarray(JT[:7])


def _start_vector(lc, period, t_ref, seed, variant):
    p = np.zeros(_nav.NPAR)
    p[7] = p[8] = seed["a"]
    p[9], p[10] = seed["beta1"], seed["beta2"]
    p[11] = 1.5
    p[12] = p[13] = 0.0 if variant != "flat" else 0.2
    p[14] = 0.5
    # epoch of the seed's primary in the cycle nearest the middle of the data
    T0 = t_ref + seed["center"] * period
    T0 += np.round((0.5 * (lc.t[0] + lc.t[-1]) - T0) / period) * period
    p[15], p[16] = T0, period
    # linear parameters exactly at the seed
    X = _linear_design(lc, p)
    if variant == "no_secondary":
        X = X[:6]
    sol = solve_linear(X, lc.y, _sw_dy(lc), transposed=True)
    p[: X.shape[0]] = sol.params
    faint = 1.0 if lc.meta["kind"] == "mag" else -1.0
    p[5] = faint * max(faint * p[5], 1e-4 * np.std(lc.y))
    p[6] = faint * max(faint * p[6], 0.0) if variant != "no_secondary" else 0.0
    return p


#: Iterations of the pilot run of every start, and how many pilots are run to convergence.
PILOT_ITERATIONS = 10
#: Pilot runs use every k-th point of longer light curves, about this many points: they
#: only rank the starts (the finalists run on every point).
PILOT_POINTS = 500
N_FINALISTS = 3
#: Seeds at least this wide also start from deep eclipses (see :func:`_deep_start`).
WIDE_ECLIPSE = 0.08
#: Half-widths of the extra deep-eclipse starts at the two best grid epochs.
DEEP_WIDTHS = (0.12, 0.18, 0.24)


def _deep_start(lc, p, variant):
    """Start with deep eclipses and the TP2 solved around them.

    For wide eclipses (contact binaries) the TP2 terms can imitate the eclipses:
    the linear solution at a grid node then sits in a basin with shallow eclipses
    and a large ``cos 4 pi phase`` term, while the true one has deep eclipses and
    a small TP2. This start puts both depths at half the data's 5-95 % range.
    """
    q = p.copy()
    faint = 1.0 if lc.meta["kind"] == "mag" else -1.0
    depth = 0.5 * float(np.subtract(*np.percentile(lc.y, [95, 5])))
    q[5] = faint * depth
    q[6] = faint * depth if variant != "no_secondary" else 0.0
    X = _linear_design(lc, q)
    ecl = q[5] * X[5] + q[6] * X[6]
    q[:5] = solve_linear(X[:5], lc.y - ecl, _sw_dy(lc), transposed=True).params
    return q


def _secondary_phase_start(lc, p):
    """Start with the secondary eclipse at the best phase in [0.3, 0.7] (eccentric orbits).

    Scans ``phase2`` in steps of a quarter of the half-width with the linear
    parameters solved exactly at each step, and keeps the phase whose fit has
    the lowest chi-square with a secondary eclipse (``C7 > 0`` in magnitudes).
    A narrow secondary away from phase 0.5 lies outside the reach of the
    least-squares steps that start at 0.5 (NAV_SPEC §1.5, §7 item 19).
    """
    lo, hi = _BOUNDS["phase2"]
    faint = 1.0 if lc.meta["kind"] == "mag" else -1.0
    step = 0.25 * max(p[8], min_half_width(lc.n))
    best, best_chi2 = p, np.inf
    dy = _sw_dy(lc)
    for phase2 in np.arange(lo, hi + 0.5 * step, step):
        q = p.copy()
        q[14] = phase2
        _, JT = jacobian(NAV, lc.t, q, np.array([0, 1], np.int64))
        sol = solve_linear(np.ascontiguousarray(JT[:7]), lc.y, dy, transposed=True)
        if faint * sol.params[6] <= 0 or faint * sol.params[5] <= 0:
            continue
        if sol.chi2 < best_chi2:
            best_chi2 = sol.chi2
            best = q.copy()
            best[:7] = sol.params
    return best


def _swap(p, shared):
    """Exchange primary and secondary: T0 -> T0 + phase2*P (NAV_SPEC §2.6)."""
    q = p.copy()
    q[1], q[2] = -p[1], -p[2]
    # C4, C5 keep their sign for phase2 = 0.5; for other phase2 the TP2 is rotated exactly
    shift = p[14]
    if shift != 0.5:
        w1 = 2 * np.pi * shift
        c, s = np.cos(w1), np.sin(w1)
        q[1], q[2] = p[1] * c + p[2] * s, p[2] * c - p[1] * s
        c2, s2 = np.cos(2 * w1), np.sin(2 * w1)
        q[3], q[4] = p[3] * c2 + p[4] * s2, p[4] * c2 - p[3] * s2
    q[5], q[6] = p[6], p[5]
    q[9], q[10] = p[10], p[9]
    q[12], q[13] = p[13], p[12]
    if not shared:
        q[7], q[8] = p[8], p[7]
    q[14] = 1.0 - p[14]
    q[15] = p[15] + shift * p[16]
    return q


def fit_nav(
    lc: LightCurve,
    period: float,
    epoch: float | None = None,
    *,
    free_period: bool = True,
    free_epoch: bool = True,
    variant: str = "canonical",
    errors: str = "covariance",
    n_bootstrap: int = 500,
    rng=None,
) -> FitResult:
    """Fit the NAV model globally, without an initial guess of the eclipse parameters.

    Parameters
    ----------
    lc : LightCurve
        Magnitudes (default) or fluxes (``kind="flux"``: the same functional
        form fitted to flux, with negative depths; labelled in every output).
    period : float
        Period in days (start value when ``free_period``).
    epoch : float, optional
        Time of primary minimum. ``None``: found by the grid (scanned over the
        whole cycle). Given: the grid is still scanned, then the seed nearest
        to it is preferred only if its chi-square is within the noise.
    free_period, free_epoch : bool
        Fit the period / epoch (12 parameters when both, 10 when neither).
    variant : str
        One of :data:`VARIANTS` (see the module docstring).
    errors : {"covariance", "bootstrap"}
        ``"covariance"``: ``sigma0^2 (J^T W J)^{-1}`` from the full Jacobian of
        every free parameter at the optimum. ``"bootstrap"``: residual bootstrap
        (residuals resampled with replacement and added to the model, each
        replicate refitted by Levenberg-Marquardt from the optimum); errors are
        ``(q97.5 - q2.5)/(2*1.96)`` (MAVKA recommendation) and the covariance is
        that of the replicates. Residuals, not pairs, are resampled so that the
        phase coverage of narrow eclipses stays that of the data.
    n_bootstrap : int
        Bootstrap replicates.
    rng : numpy.random.Generator or int, optional
        For the bootstrap.

    Returns
    -------
    FitResult
        ``model="nav"``; parameters ``C1..C7, a1, a2, beta1, beta2, gamma,
        flat1, flat2, phase2, epoch, period`` (fixed and tied ones have error
        0 or their source's error, see ``fixed`` and ``info["tied"]``);
        ``derived`` holds the phenomenological parameters of NAV_SPEC §3 with
        propagated errors; ``flags`` lists degeneracies.

    Notes
    -----
    Step 1: a grid over the epoch phase (steps of 0.3 a over the whole cycle),
    18 log-spaced half-widths 0.008-0.25 and 5 profile exponents per eclipse; at
    each node the TP2 and depth coefficients are solved exactly by variable
    projection (:func:`navfit._kernels.nav.nav_grid_scan`). Step 2:
    Levenberg-Marquardt from the 8 best distinct basins; the lowest chi-square
    wins. The primary is then made the fainter minimum (swap of NAV_SPEC §2.6).

    References
    ----------
    Andronov I. L., 2012, Astrophysics 55, 536; Andronov, Tkachenko & Chinarova
    2015, arXiv:1510.00333; Tkachenko, Andronov & Chinarova 2016, J. Phys. Stud. 20, 4902.
    """
    if variant not in VARIANTS:
        raise NavfitError(f"variant must be one of {VARIANTS}, got {variant!r}")
    if errors not in ("covariance", "bootstrap"):
        raise NavfitError(f"errors must be 'covariance' or 'bootstrap', got {errors!r}")
    period = _check_period(lc, period)
    free, shared, has2 = _free_mask(variant, free_period, free_epoch)
    k = int(free.sum())
    if lc.n < k + 5:
        raise NavfitError(f"{lc.where}: a NAV fit has {k} parameters; {lc.n} points are too few")
    t_mid = 0.5 * (lc.t[0] + lc.t[-1])
    t_ref = t_mid if epoch is None else float(epoch)
    seeds = grid_search(lc, period, t_ref)
    if not seeds:
        raise NavfitError(
            f"{lc.where}: no eclipse found at P = {period:g} d: no phase window holds "
            f"{MIN_IN_ECLIPSE} points with a fainter level than the TP2 curve"
        )
    if epoch is not None and not free_epoch:
        # the epoch is fixed: keep only seeds at phase 0 relative to it
        seeds = [dict(s, center=0.0) for s in seeds[:1]]
    dy = _sw_dy(lc)
    iparams = np.array([int(shared), int(has2)], np.int64)
    best = None
    starts = []
    for i, seed in enumerate(seeds):
        p0 = _start_vector(lc, period, t_ref, seed, variant)
        starts.append(p0)
        if seed["a"] >= WIDE_ECLIPSE:
            starts.append(_deep_start(lc, p0, variant))
        if i < 2:
            # contact binaries: wide, deep eclipses at the two best epochs ...
            for a in DEEP_WIDTHS:
                q = p0.copy()
                q[7] = q[8] = a
                q[9] = q[10] = 1.5
                starts.append(_deep_start(lc, q, variant))
    # ... and at the faintest point of a 4th-order TP, whatever the grid says
    if lc.n > 12:
        tp_min = fit_tp(lc, period, order=4).epoch
        center = ((tp_min - t_ref) / period) % 1.0
        base = _start_vector(lc, period, t_ref, dict(seeds[0], center=center), variant)
        for a in DEEP_WIDTHS:
            q = base.copy()
            q[7] = q[8] = a
            q[9] = q[10] = 1.5
            starts.append(_deep_start(lc, q, variant))
    if variant == "eccentric":
        starts += [_secondary_phase_start(lc, q) for q in starts[: 2 * N_FINALISTS]]
    # every start gets a short run (on every k-th point of a long light curve: the pilots
    # only rank the starts); the most promising are run to convergence on all points
    rows = np.arange(0, lc.n, max(1, int(np.ceil(lc.n / PILOT_POINTS))))
    short = []
    for p0 in starts:
        if epoch is not None and not free_epoch:
            p0[15] = float(epoch)
        short.append(_refit(lc, dy, p0, free, iparams, maxiter=PILOT_ITERATIONS, rows=rows)[0])
    short.sort(key=lambda sol: sol.chi2)
    for pilot in short[:N_FINALISTS]:
        sol, lower, upper = _refit(lc, dy, pilot.params, free, iparams)
        if best is None or sol.chi2 < best[0].chi2:
            best = (sol, lower, upper)
    sol, lower, upper = best
    p = sol.params
    # primary = the fainter minimum
    faint = 1.0 if lc.meta["kind"] == "mag" else -1.0
    if has2 and faint * _center_value(p, p[14], iparams) > faint * _center_value(p, 0.0, iparams):
        q = _swap(p, shared)
        q[15] += np.round((t_mid - q[15]) / q[16]) * q[16]
        sol, lower, upper = _refit(lc, dy, q, free, iparams)
        p = sol.params
    flags = []
    if has2 and p[6] == 0.0:
        # no secondary eclipse: beta2 is then undefined and the Jacobian singular;
        # drop the H2 term and reduce k (NAV_SPEC 2.6)
        free, _, has2 = _free_mask("no_secondary", free_period, free_epoch)
        iparams = np.array([int(shared), 0], np.int64)
        k = int(free.sum())
        sol, lower, upper = _refit(lc, dy, p, free, iparams)
        p = sol.params
        flags.append(f"no secondary eclipse (C7 fell to 0): H2 term dropped, k = {k}")
    if shared:
        p = p.copy()
        p[8] = p[7]
    result = FitResult(
        model="nav",
        names=NAV_NAMES,
        values=p,
        free=free,
        covariance=sol.covariance,
        covariance_unscaled=sol.covariance_unscaled,
        chi2=sol.chi2,
        n=lc.n,
        k=k,
        lc=lc,
        model_id=NAV,
        iparams=iparams,
        fparams=np.zeros(1),
        t_ref=float(p[15]),
        epoch=float(p[15]),
        epoch_error=0.0,
        status=sol.status,
        message=sol.message,
        condition=sol.condition,
        rank=sol.rank,
        niter=sol.niter,
        info={
            "variant": variant,
            "label": "NAV" if variant == "canonical" else f"NAV[{variant}]",
            "tied": {"a2": "a1"} if shared else {},
            "errors": errors,
            "seeds": seeds,
            "kind": lc.meta["kind"],
            "at_bound": [
                NAV_NAMES[j] for j in np.flatnonzero(free) if p[j] <= lower[j] or p[j] >= upper[j]
            ],
        },
    )
    if errors == "bootstrap":
        result = _bootstrap(result, lower, upper, n_bootstrap, rng)
    cov_epoch = _epoch_error(result)
    result = replace(result, epoch_error=cov_epoch)
    derived = derived_parameters(result)
    flags += _tp_check(result, lc)
    return replace(result, derived=derived, flags=(*flags, *nav_flags(result, derived)))




def _tp_check(result, lc):
    """Flag light curves the optimal TP describes much better than NAV (pulsators, rotators)."""
    tab = select_order(
        lc, result.period, order_limit(lc.n), free_period="period" in result.free_names
    )
    row = tab[tab.meta["order"] - 1]
    delta = result.bic - float(row["bic"])
    result.info["tp_bic_difference"] = delta
    if delta > BIC_STRONG:
        return [
            (
                f"the optimal TP (s={int(row['order'])}) describes the data better than NAV "
                f"(Delta BIC = {delta:.1f}): probably not an eclipsing binary at this period"
            )
        ]
    return []


def _refit(lc, dy, p0, free, iparams, maxiter=300, rows=None):
    """Levenberg-Marquardt from ``p0`` within the NAV bounds (on ``rows`` only, if given)."""
    lower, upper = _bounds(p0, free, lc.n)
    p0 = np.clip(p0, lower, upper)
    t, y = lc.t, lc.y
    if rows is not None and rows.size < lc.n:
        t, y = t[rows], y[rows]
        dy = dy[rows] if dy is not None else None
    if lc.meta["kind"] == "flux":
        lower[5], lower[6], upper[5], upper[6] = -np.inf, -np.inf, 0.0, 0.0
    sol = levenberg_marquardt(
        NAV,
        t,
        y,
        dy,
        p0,
        lower=lower,
        upper=upper,
        free=free,
        iparams=iparams,
        maxiter=maxiter,
    )
    return sol, lower, upper


def _center_value(p, phase, iparams):
    f, _ = jacobian(NAV, np.array([p[15] + phase * p[16]]), p, iparams)
    return f[0]


def _epoch_error(result):
    if "epoch" not in result.free_names:
        return 0.0
    j = result.free_names.index("epoch")
    return float(np.sqrt(result.covariance[j, j]))


def _bootstrap(result, lower, upper, n_boot, rng):
    rng = np.random.default_rng(rng)
    lc = result.lc
    model = result.evaluate(lc.t)
    resid = lc.y - model
    scaled = resid / lc.dy
    dy = _sw_dy(lc)
    free = result.free
    samples = np.empty((n_boot, int(free.sum())))
    for b in range(n_boot):
        y = model + rng.choice(scaled, lc.n, replace=True) * lc.dy
        sol = levenberg_marquardt(
            NAV,
            lc.t,
            y,
            dy,
            result.values,
            lower=lower,
            upper=upper,
            free=free,
            iparams=result.iparams,
            maxiter=100,
        )
        samples[b] = sol.params[free]
    cov = np.cov(samples, rowvar=False)
    half = (np.percentile(samples, 97.5, axis=0) - np.percentile(samples, 2.5, axis=0)) / (2 * 1.96)
    # rescale the replicate covariance to the percentile-based errors
    sd = np.sqrt(np.diag(cov))
    sd[sd == 0] = 1.0
    cov = cov * np.outer(half / sd, half / sd)
    info = dict(result.info, n_bootstrap=n_boot)
    return replace(result, covariance=cov, info=info)
