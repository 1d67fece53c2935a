"""Model values and analytic Jacobians, dispatched by an integer model id.

numba cannot cache kernels that receive other jitted functions as arguments, so
the Levenberg-Marquardt kernel picks the model through ``model_id`` here.

Model ids
---------
0 : ``TP_FREE_PERIOD``. ``p = (c0, a1, b1, ..., as, bs, P)``; ``fparams = (t_ref,)``;
    phase ``(t - t_ref) / P``.
1 : ``NAV``. The 17-parameter vector of :mod:`navfit._kernels.nav`;
    ``iparams = (shared_width, has_secondary)``.
"""

import numpy as np

from ._config import jit
from .basis import fill_tp_basis, tp_value_dphase
from .nav import eval_nav

TP_FREE_PERIOD = 0
NAV = 1


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
def eval_model(model_id, t, p, iparams, fparams, f, JT, jac=True):
    """Evaluate model ``model_id`` at times ``t``: fills ``f`` (n,) and ``JT`` (m, n).

    With ``jac`` false the NAV model writes ``f`` only (the TP, whose Jacobian
    costs little beyond its values, writes both).
    """
    if model_id == TP_FREE_PERIOD:
        eval_tp_free_period(t, p, fparams, f, JT)
    elif model_id == NAV:
        eval_nav(t, p, iparams, f, JT, jac)
    else:
        raise ValueError("unknown model id")
