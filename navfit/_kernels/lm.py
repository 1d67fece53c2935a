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
def _chi2(model_id, t, y, sw, p, iparams, fparams, f, JT):
    eval_model(model_id, t, p, iparams, fparams, f, JT)
    s = 0.0
    for i in range(t.shape[0]):
        r = (y[i] - f[i]) * sw[i]
        s += r * r
    return s


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
    Each step solves the damped problem ``min |J d - r|^2 + lam |D d|^2`` by
    Householder QR of the stacked matrix ``[J; sqrt(lam) D]`` (no normal
    equations), with Marquardt's scaling ``D = sqrt(diag(J^T J))``
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
    A = np.empty((k, n + k))
    b = np.empty(n + k)
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
        accepted = False
        while lam < 1e16:
            for a in range(k):
                active[a] = True
            # active set: parameters on a bound that the step pushes outward are
            # held for this step, and the step is solved again without them
            for _ in range(k + 1):
                for a in range(k):
                    row = JT[idx[a]]
                    for c in range(k):
                        A[a, n + c] = 0.0
                    if active[a]:
                        for i in range(n):
                            A[a, i] = row[i] * sw[i]
                        A[a, n + a] = np.sqrt(lam) * D[a]
                    else:
                        for i in range(n):
                            A[a, i] = 0.0
                        A[a, n + a] = 1.0
                for i in range(n):
                    b[i] = (y[i] - f[i]) * sw[i]
                for c in range(k):
                    b[n + c] = 0.0
                R = householder_qr(A, b)
                step = back_substitute(R, b, k)
                changed = False
                for a in range(k):
                    j = idx[a]
                    if active[a] and ((p[j] <= lower[j] and step[a] < 0.0)
                                      or (p[j] >= upper[j] and step[a] > 0.0)):
                        active[a] = False
                        changed = True
                if not changed:
                    break
            ptrial = p.copy()
            for a in range(k):
                j = idx[a]
                if active[a]:
                    ptrial[j] = min(max(p[j] + step[a], lower[j]), upper[j])
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
                f[:] = ftrial
                JT[:, :] = JTtrial
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
