"""Levenberg-Marquardt with bounds, the non-linear half of the least-squares core."""

import numpy as np

from ._config import jit
from .linalg import cholesky_solve
from .models import eval_model

#: Status codes returned by :func:`levenberg_marquardt`.
STATUS_MESSAGES = {
    1: "converged: relative chi-square change below ftol",
    2: "converged: relative step below xtol",
    3: "converged: gradient below gtol",
    0: "stopped: maximum number of iterations reached",
    4: "converged: no step decreases chi-square any more (rounding level)",
}


@jit
def _chi2(model_id, t, y, sw, p, iparams, fparams, f, JT):
    eval_model(model_id, t, p, iparams, fparams, f, JT, True)
    s = 0.0
    for i in range(t.shape[0]):
        r = (y[i] - f[i]) * sw[i]
        s += r * r
    return s


@jit
def _normal_equations(JT, idx, sw, y, f, W, r, N, g):
    """Weighted normal matrix ``N = J^T J`` and gradient ``g = J^T r`` of the free parameters.

    ``W`` (k, n) receives the weighted Jacobian rows and ``r`` (n,) the weighted
    residuals. The upper triangle is summed four columns per pass over the
    points (four independent sums, each in index order), then mirrored.
    """
    k = idx.shape[0]
    n = sw.shape[0]
    for a in range(k):
        row = JT[idx[a]]
        for i in range(n):
            W[a, i] = row[i] * sw[i]
    for i in range(n):
        r[i] = (y[i] - f[i]) * sw[i]
    for a in range(k):
        wa = W[a]
        b = a
        while b + 3 < k:
            w0, w1, w2, w3 = W[b], W[b + 1], W[b + 2], W[b + 3]
            s0 = s1 = s2 = s3 = 0.0
            for i in range(n):
                v = wa[i]
                s0 += v * w0[i]
                s1 += v * w1[i]
                s2 += v * w2[i]
                s3 += v * w3[i]
            N[a, b], N[a, b + 1], N[a, b + 2], N[a, b + 3] = s0, s1, s2, s3
            b += 4
        for c in range(b, k):
            wc = W[c]
            s0 = 0.0
            for i in range(n):
                s0 += wa[i] * wc[i]
            N[a, c] = s0
        s0 = 0.0
        for i in range(n):
            s0 += wa[i] * r[i]
        g[a] = s0
    for a in range(k):
        for b in range(a):
            N[a, b] = N[b, a]


@jit
def _damped_step(N, g, D, lam, active, L, z):
    """Step of ``(N + lam D^2) d = g`` over the active parameters (others 0).

    Solved in Marquardt's scaled variables ``D d``: the matrix
    ``N / (D D^T) + lam I`` has unit diagonal plus ``lam`` (Jacobi
    equilibration; 0 plus ``lam`` for a parameter without derivative, whose
    ``D`` is 1), and is factored by Cholesky (``L``, ``z`` work arrays).
    Returns ``(step, ok)``; ``ok`` is false when a pivot is not positive (the
    scaled matrix is singular to rounding at this damping), and the caller
    then raises the damping.
    """
    k = N.shape[0]
    cols = np.flatnonzero(active)
    ka = cols.shape[0]
    for u in range(ka):
        cu = cols[u]
        for v in range(u + 1):
            L[u, v] = N[cu, cols[v]] / (D[cu] * D[cols[v]])
        L[u, u] += lam
        z[u] = g[cu] / D[cu]
    if not cholesky_solve(L, z, ka):
        return np.zeros(k), False
    step = np.zeros(k)
    for u in range(ka):
        step[cols[u]] = z[u] / D[cols[u]]
    return step, True


@jit
def levenberg_marquardt(model_id, t, y, sw, p0, lower, upper, free, iparams, fparams, settings):
    """Minimise ``sum (sw * (y - model(t; p)))^2`` over the free parameters.

    Parameters
    ----------
    model_id : int
        Model selector of :func:`navfit._kernels.models.eval_model`.
    t, y, sw : ndarray, shape (n,)
        Times, data and square-root weights (``1/dy``).
    p0 : ndarray, shape (m,)
        Start; fixed parameters keep these values.
    lower, upper : ndarray, shape (m,)
        Bounds (``-inf``/``inf`` for none); trial points are projected onto them.
    free : ndarray of bool, shape (m,)
    iparams, fparams : ndarray
        Integer and float model settings passed through to the model.
    settings : ndarray, shape (4,)
        ``maxiter, ftol, xtol, gtol``.

    Returns
    -------
    p : ndarray, shape (m,)
    chi2 : float
    niter : int
    status : int
        See :data:`STATUS_MESSAGES`.

    Notes
    -----
    Each step solves the damped problem ``min |J d - r|^2 + lam |D d|^2``,
    that is ``(J^T J + lam D^2) d = J^T r``, with Marquardt's (1963) scaling
    ``D = sqrt(diag(J^T J))``: the normal matrix is formed once per iteration
    (:func:`_normal_equations`, about ``k^2 n / 2`` products against ``k^2 n``
    for a QR of ``J``) and each damping costs one Cholesky factorisation of a
    ``k x k`` matrix (:func:`_damped_step`). Normal equations square the
    condition number of ``J`` (Nocedal & Wright 2006, §10.2); the scaling
    gives the matrix a unit diagonal, the damping bounds it away from
    singular, and a damping at which it is still singular to rounding counts
    as a failed step. ``lam`` is divided by 10 after a successful step and
    multiplied by 10 after a failed one. Reference twin (the same steps,
    solved by ``numpy.linalg.lstsq`` on the stacked ``[J; sqrt(lam) D]``):
    :func:`navfit._kernels.reference.levenberg_marquardt`.
    """
    maxiter = int(settings[0])
    ftol = settings[1]
    xtol = settings[2]
    gtol = settings[3]
    n = t.shape[0]
    m = p0.shape[0]
    idx = np.flatnonzero(free)
    k = idx.shape[0]
    p = p0.copy()
    for j in range(m):
        p[j] = min(max(p[j], lower[j]), upper[j])
    f = np.empty(n)
    JT = np.empty((m, n))
    ftrial = np.empty(n)
    JTtrial = np.empty((m, n))
    chi2 = _chi2(model_id, t, y, sw, p, iparams, fparams, f, JT)
    lam = 1e-3
    status = 0
    niter = 0
    D = np.empty(k)
    active = np.ones(k, dtype=np.bool_)
    W = np.empty((k, n))
    r = np.empty(n)
    N = np.empty((k, k))
    g = np.empty(k)
    L = np.empty((k, k))
    z = np.empty(k)
    for it in range(maxiter):
        niter = it + 1
        _normal_equations(JT, idx, sw, y, f, W, r, N, g)
        gmax = 0.0
        for a in range(k):
            D[a] = np.sqrt(N[a, a]) if N[a, a] > 0.0 else 1.0
            j = idx[a]
            blocked = (p[j] <= lower[j] and g[a] < 0.0) or (p[j] >= upper[j] and g[a] > 0.0)
            if not blocked:
                gmax = max(gmax, abs(g[a]) / D[a])
        if gmax <= gtol * np.sqrt(chi2) or chi2 == 0.0:
            status = 3
            break
        accepted = False
        while lam < 1e16:
            for a in range(k):
                active[a] = True
            ok = True
            # active set: parameters on a bound that the step pushes outward are
            # held for this step, and the step is solved again without them
            for _ in range(k + 1):
                step, ok = _damped_step(N, g, D, lam, active, L, z)
                if not ok:
                    break
                changed = False
                for a in range(k):
                    j = idx[a]
                    if active[a] and (
                        (p[j] <= lower[j] and step[a] < 0.0) or (p[j] >= upper[j] and step[a] > 0.0)
                    ):
                        active[a] = False
                        changed = True
                if not changed:
                    break
            if not ok:
                lam *= 10.0
                continue
            ptrial = p.copy()
            for a in range(k):
                j = idx[a]
                if active[a]:
                    ptrial[j] = min(max(p[j] + step[a], lower[j]), upper[j])
            # the Jacobian with the values: most steps are accepted, and a separate
            # evaluation after acceptance would compute the values twice
            chi2_trial = _chi2(model_id, t, y, sw, ptrial, iparams, fparams, ftrial, JTtrial)
            if chi2_trial < chi2:
                accepted = True
                rel_step = 0.0
                for a in range(k):
                    j = idx[a]
                    rel_step = max(rel_step, abs(ptrial[j] - p[j]) * D[a])
                dchi2 = chi2 - chi2_trial
                p = ptrial
                chi2 = chi2_trial
                f, ftrial = ftrial, f
                JT, JTtrial = JTtrial, JT
                lam = max(lam / 10.0, 1e-12)
                if dchi2 <= ftol * chi2:
                    status = 1
                elif rel_step <= xtol * np.sqrt(max(chi2, 1e-300)):
                    status = 2
                break
            lam *= 10.0
        if not accepted:
            status = 4
            break
        if status != 0:
            break
    return p, chi2, niter, status
