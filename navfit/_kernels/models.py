"""Model values and analytic Jacobians, dispatched by an integer model id.

numba cannot cache kernels that receive other jitted functions as arguments, so
the Levenberg-Marquardt kernel picks the model through ``model_id`` here.

Model ids
---------
0 : ``TP_FREE_PERIOD``. ``p = (c0, a1, b1, ..., as, bs, P)``; ``fparams = (t_ref,)``;
    phase ``(t - t_ref) / P``.
1 : ``NAV``. The 17-parameter vector of :mod:`navfit._kernels.nav`;
    ``iparams = (shared_width, has_secondary)``.
2 : ``NAV_MULTIBAND``. NAV in ``B`` bands sharing everything but C1..C7, with
    ``K`` series offsets: ``p`` = the 17-vector (its C1..C7 those of band 0),
    then C1..C7 of bands ``1..B-1``, then the ``K`` offsets;
    ``iparams = (shared_width, has_secondary, B, K, band_0..band_{n-1},
    offset_0..offset_{n-1}, tie_0..tie_{B-1})`` with ``offset_i`` the offset
    of point ``i`` (``-1``: none) and ``tie_b`` the band whose C2..C5 band
    ``b`` uses (``b`` itself: its own). See :func:`eval_nav_multiband`.
"""

import numpy as np

from ._config import jit
from .basis import fill_tp_basis, tp_value_dphase
from .nav import eval_nav

TP_FREE_PERIOD = 0
NAV = 1
NAV_MULTIBAND = 2
#: Length of the NAV parameter vector.
NAV_NPAR = 17
#: Linear parameters C1..C7 per band.
NAV_NLIN = 7


@jit
def eval_tp_free_period(t, p, fparams, f, JT):
    """TP with its period free: values ``f`` and transposed Jacobian ``JT`` (m, n)."""
    m = p.shape[0]
    order = (m - 2) // 2
    period = p[m - 1]
    t_ref = fparams[0]
    n = t.shape[0]
    phase = np.empty(n)
    for i in range(n):
        phase[i] = (t[i] - t_ref) / period
    dphase = np.empty(n)
    tp_value_dphase(phase, p[: m - 1], f, dphase)
    fill_tp_basis(phase, order, JT[: m - 1])
    for i in range(n):
        # d phase / d P = -(t - t_ref) / P^2 = -phase / P
        JT[m - 1, i] = -dphase[i] * phase[i] / period


@jit
def band_slot(b):
    """Index of band ``b``'s C1 in the ``NAV_MULTIBAND`` vector (its C1..C7 follow)."""
    return 0 if b == 0 else NAV_NPAR + NAV_NLIN * (b - 1)


@jit
def eval_nav_multiband(t, p, iparams, f, JT, jac=True):
    """Joint multi-band NAV: values ``f`` (n,) and transposed Jacobian ``JT`` (m, n).

    Each band's points are evaluated by :func:`navfit._kernels.nav.eval_nav`
    with the band's C1, C6, C7, the C2..C5 of the band it is tied to (its
    own, unless tied) and the shared parameters; the Jacobian rows of the
    shared parameters are those of :func:`eval_nav`, the rows of C1..C7 are
    their basis on the points that use them (0 elsewhere), and a series
    offset adds 1 on its points. Layout in the module docstring.
    """
    nb = iparams[2]
    nk = iparams[3]
    n = t.shape[0]
    band = iparams[4 : 4 + n]
    offset = iparams[4 + n : 4 + 2 * n]
    tie = iparams[4 + 2 * n : 4 + 2 * n + nb]
    sub = iparams[:2].copy()
    first_offset = band_slot(nb)  # the offsets follow the last band
    if jac:
        JT[:, :] = 0.0
    pb = p[:NAV_NPAR].copy()
    for b in range(nb):
        count = 0
        for i in range(n):
            if band[i] == b:
                count += 1
        if count == 0:
            continue
        idx = np.empty(count, np.int64)
        count = 0
        for i in range(n):
            if band[i] == b:
                idx[count] = i
                count += 1
        tb = t[idx]
        c0 = band_slot(b)
        ct = band_slot(tie[b])
        rows = np.empty(NAV_NLIN, np.int64)  # the parameter of each of C1..C7
        for j in range(NAV_NLIN):
            rows[j] = ct + j if 1 <= j <= 4 else c0 + j
            pb[j] = p[rows[j]]
        fb = np.empty(count)
        JTb = np.empty((NAV_NPAR, count))
        eval_nav(tb, pb, sub, fb, JTb, jac)
        for q in range(count):
            i = idx[q]
            f[i] = fb[q]
            if not jac:
                continue
            for j in range(NAV_NLIN):
                JT[rows[j], i] = JTb[j, q]
            for j in range(NAV_NLIN, NAV_NPAR):
                JT[j, i] = JTb[j, q]
    for i in range(n):
        k = offset[i]
        if k >= 0 and k < nk:
            f[i] += p[first_offset + k]
            if jac:
                JT[first_offset + k, i] = 1.0


@jit
def eval_model(model_id, t, p, iparams, fparams, f, JT, jac=True):
    """Evaluate model ``model_id`` at times ``t``: fills ``f`` (n,) and ``JT`` (m, n).

    With ``jac`` false the NAV model writes ``f`` only (the TP, whose Jacobian
    costs little beyond its values, writes both).
    """
    if model_id == TP_FREE_PERIOD:
        eval_tp_free_period(t, p, fparams, f, JT)
    elif model_id == NAV:
        eval_nav(t, p, iparams, f, JT, jac)
    elif model_id == NAV_MULTIBAND:
        eval_nav_multiband(t, p, iparams, f, JT, jac)
    else:
        raise ValueError("unknown model id")
