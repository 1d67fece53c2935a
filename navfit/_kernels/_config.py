"""The one place where numba JIT options are set.

``fastmath`` stays off: high-order trigonometric designs are ill-conditioned and
re-associated sums would change results between runs and machines.
``cache=True`` compiles each kernel once per machine (``__pycache__``).
Setting ``NUMBA_DISABLE_JIT=1`` runs every kernel as plain Python.
"""

from numba import njit, prange

JIT = {"cache": True, "fastmath": False, "nogil": True, "error_model": "numpy"}
JIT_PARALLEL = {**JIT, "parallel": True}


def jit(func):
    """Compile ``func`` with navfit's serial JIT options."""
    return njit(**JIT)(func)


def jit_parallel(func):
    """Compile ``func`` with navfit's JIT options plus ``parallel=True`` (prange loops)."""
    return njit(**JIT_PARALLEL)(func)


__all__ = ["JIT", "JIT_PARALLEL", "get_threads", "jit", "jit_parallel", "prange", "set_threads"]


def set_threads(n):
    """Limit the threads of numba's parallel loops (``prange``) in this process to ``n``."""
    import numba

    numba.set_num_threads(max(1, min(int(n), numba.config.NUMBA_NUM_THREADS)))


def get_threads():
    """Threads numba's parallel loops use in this process now."""
    import numba

    return numba.get_num_threads()
