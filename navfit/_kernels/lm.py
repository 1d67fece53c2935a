"""Levenberg-Marquardt with bounds, the non-linear half of the least-squares core."""

import numpy as np

from ._config import jit
from .linalg import back_substitute, householder_qr
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
def _chi2(model_id, t, y, sw, p, iparams, fparams, f, JT, jac=True):
    eval_model(model_id, t, p, iparams, fparams, f, JT, jac)
    s = 0.0
    for i in range(t.shape[0]):
        r = (y[i] - f[i]) * sw[i]
        s += r * r
    return s


@jit
def _damped_step(R, qtr, D, lam, active, S, c):
    """Step of ``min |R d - qtr|^2 + lam |D d|^2`` over the active parameters (others 0).

    ``R`` (k, k) and ``qtr`` (its first k entries) come from the QR of the
    weighted Jacobian, so each damping ``lam`` costs a QR of the small
    ``(k + k_active) x k_active`` matrix ``[R[:, act]; sqrt(lam) D[act]]``
    instead of one of the ``(n + k) x k`` stacked Jacobian (Moré 1978; the
    same minimiser). ``S`` (k, 2k) and ``c`` (2k,) are work arrays.
    """
    k = R.shape[0]
    cols = np.flatnonzero(active)
    ka = cols.shape[0]
    rows = k + ka
    sl = np.sqrt(lam)
    for a in range(ka):
        j = cols[a]
        for i in range(k):
            S[a, i] = R[i, j]
        for i in range(k, rows):
            S[a, i] = 0.0
        S[a, k + a] = sl * D[j]
    for i in range(k):
        c[i] = qtr[i]
    for i in range(k, rows):
        c[i] = 0.0
    Rs = householder_qr(S[:ka, :rows], c[:rows])
    x = back_substitute(Rs, c, ka)
    step = np.zeros(k)
    for a in range(ka):
        step[cols[a]] = x[a]
    return step


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
    Each step solves the damped problem ``min |J d - r|^2 + lam |D d|^2``
    without normal equations: one Householder QR ``J = Q R`` per iteration,
    then for each damping the QR of the small matrix ``[R; sqrt(lam) D]``
    (:func:`_damped_step`), with Marquardt's scaling ``D = sqrt(diag(J^T J))``
    (Moré 1978). ``lam`` is divided by 10 after a successful step and
    multiplied by 10 after a failed one. Reference twin:
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
    A = np.empty((k, n))
    b = np.empty(n)
    S = np.empty((k, 2 * k))
    c = np.empty(2 * k)
    for it in range(maxiter):
        niter = it + 1
        gmax = 0.0
        for a in range(k):
            row = JT[idx[a]]
            s2 = 0.0
            g = 0.0
            for i in range(n):
                v = row[i] * sw[i]
                s2 += v * v
                g += v * (y[i] - f[i]) * sw[i]
            D[a] = np.sqrt(s2) if s2 > 0.0 else 1.0
            j = idx[a]
            blocked = (p[j] <= lower[j] and g < 0.0) or (p[j] >= upper[j] and g > 0.0)
            if not blocked:
                gmax = max(gmax, abs(g) / D[a])
        if gmax <= gtol * np.sqrt(chi2) or chi2 == 0.0:
            status = 3
            break
        # one QR of the weighted Jacobian per iteration: |J d - r| = |R d - Q^T r| + const
        for a in range(k):
            row = JT[idx[a]]
            for i in range(n):
                A[a, i] = row[i] * sw[i]
        for i in range(n):
            b[i] = (y[i] - f[i]) * sw[i]
        R = householder_qr(A, b)
        accepted = False
        while lam < 1e16:
            for a in range(k):
                active[a] = True
            # active set: parameters on a bound that the step pushes outward are
            # held for this step, and the step is solved again without them
            for _ in range(k + 1):
                step = _damped_step(R, b, D, lam, active, S, c)
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
            ptrial = p.copy()
            for a in range(k):
                j = idx[a]
                if active[a]:
                    ptrial[j] = min(max(p[j] + step[a], lower[j]), upper[j])
            # values only at the trial point; the Jacobian once the step is accepted
            chi2_trial = _chi2(model_id, t, y, sw, ptrial, iparams, fparams, ftrial, JTtrial, False)
            if chi2_trial < chi2:
                accepted = True
                rel_step = 0.0
                for a in range(k):
                    j = idx[a]
                    rel_step = max(rel_step, abs(ptrial[j] - p[j]) * D[a])
                dchi2 = chi2 - chi2_trial
                p = ptrial
                chi2 = chi2_trial
                eval_model(model_id, t, p, iparams, fparams, f, JT, True)
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
