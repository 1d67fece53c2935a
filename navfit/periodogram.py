r"""Trigonometric-polynomial (multi-harmonic) periodograms.

:class:`Periodogram` follows the interface of astropy's
:class:`~astropy.timeseries.LombScargle` (``power``, ``autofrequency``,
``autopower``, ``model``). At each trial frequency :math:`f` it fits, by
weighted least squares, the trigonometric polynomial of degree :math:`s`

.. math::

    m(t) = c_0 + \sum_{j=1}^{s} \left[a_j \cos 2\pi j f \tau + b_j \sin 2\pi j f \tau\right],
    \qquad \tau = t - t_\mathrm{ref},

with a free mean :math:`c_0`, and reports the reduction of

.. math::

    \chi^2(f) = \sum_i w_i \left(y_i - m(t_i)\right)^2, \qquad w_i = \sigma_i^{-2},

against the constant model,
:math:`\chi^2_\mathrm{ref} = \sum_i w_i (y_i - \bar y_w)^2`. For :math:`s = 1`
this is the generalized Lomb-Scargle periodogram (Zechmeister & Kürster 2009);
for :math:`s > 1` the multi-harmonic periodogram (Schwarzenberg-Czerny 1996;
Palmer 2009). Normalizations are astropy's for ``nterms = s``
(``fit_mean=True, center_data=True``), with
:math:`\Delta = \chi^2_\mathrm{ref} - \chi^2(f)`:

============  =====================================================
``standard``  :math:`\Delta / \chi^2_\mathrm{ref} = 1 - \chi^2/\chi^2_\mathrm{ref}`
``model``     :math:`\Delta / \chi^2 = \chi^2_\mathrm{ref}/\chi^2 - 1`
``log``       :math:`-\ln(\chi^2/\chi^2_\mathrm{ref})`
``psd``       :math:`\Delta / 2` (weights :math:`\sigma_i^{-2}`; ``dy=None`` means
              :math:`\sigma_i = 1`)
============  =====================================================

Algorithm
---------
Everything the fit needs at one frequency follows from :math:`3s` complex
trigonometric sums (Palmer 2009, §2),

.. math::

    W_h(f) = \sum_i w_i e^{2\pi i h f \tau_i} \;(h = 1..2s), \qquad
    Y_h(f) = \sum_i w_i (y_i - \bar y_w) e^{2\pi i h f \tau_i} \;(h = 1..s):

with the mean eliminated, the normal matrix of the :math:`2s` harmonic
columns is built from :math:`W_{|j-k|}` and :math:`W_{j+k}` by the
product-to-sum identities and Cholesky-factored, :math:`G = L L^T`; then
:math:`\Delta = |L^{-1} b|^2` with
:math:`b = (\operatorname{Re} Y_1, \operatorname{Im} Y_1, \dots)` (see
:func:`navfit._kernels.scan.solve_from_sums`, which solves blocks of 64
frequencies at once so that the arithmetic vectorizes across frequencies).
The sums come from

* ``method="direct"``: numba, ``prange`` over blocks of 64 frequencies,
  :math:`O(N s)` per frequency; on a regular grid the phasor
  :math:`e^{2\pi i f \tau_i}` is rotated from one frequency to the next and
  re-seeded exactly every 32 steps; harmonics by the angle-addition recurrence,
  re-seeded every 32 harmonics.
* ``method="nufft"`` (regular grids :math:`f_k = f_0 + k\,\delta f` only):
  for each harmonic :math:`h` a type-1 non-uniform FFT (finufft; Barnett,
  Magland & af Klinteberg 2019) at the points
  :math:`x_i = 2\pi h\,\delta f\,\tau_i \bmod 2\pi`, with strengths
  :math:`w_i e^{2\pi i h f_c \tau_i}` (:math:`f_c` the chunk's central
  frequency), gives :math:`W_h` at all frequencies of a chunk, and a second
  transform on the same points gives :math:`Y_h`: :math:`3s` transforms, each
  :math:`O(N + N_f \log N_f)` (the approach of Garrison et al. 2024, nifty-ls).
  The per-frequency solve stays in numba. The grid is cut into chunks of
  :math:`2^{15}`-:math:`2^{20}` frequencies (about :math:`8N`; small FFTs stay in
  cache), and the sums of at most :data:`NUFFT_MEMORY` bytes of chunks are
  kept at a time, so memory is :math:`O(N + N_f)` with a bounded workspace,
  never :math:`N \times N_f`. The strength phases :math:`e^{2\pi i h f_c
  \tau_i}` are powers (by repeated squaring) of one phasor per chunk.
  On grids whose :math:`f_0` is a multiple of :math:`\delta f/2` (astropy's
  ``autofrequency``), when there are more points than modes, a *mirrored*
  layout halves the spreading of the points, the dominant cost there: per
  harmonic one transform over modes :math:`-M/2 \le m < M/2` covering the grid
  and its mirror image, with the real strengths :math:`w_i` and
  :math:`\alpha u_i` packed into :math:`c_i = (w_i + i\alpha u_i)
  e^{i\eta X_i/2}` (:math:`X_i = 2\pi h\,\delta f\,\tau_i`, :math:`\eta = 1`
  on a half-integer grid), so that, with :math:`F` the transform and
  :math:`m = m_0 + k` the mode of :math:`f_k`,
  :math:`W_h = \tfrac12[F(m) + \overline{F(-m-\eta)}]` and
  :math:`\alpha Y_h = \tfrac1{2i}[F(m) - \overline{F(-m-\eta)}]`:
  :math:`2s` transforms instead of :math:`3s` (see
  :meth:`Periodogram._nufft_mirror`).
  ``method="auto"`` takes this path for regular grids when finufft is
  importable and :math:`N N_f` is large enough (:data:`NUFFT_MIN_WORK`);
  without finufft it falls back to the direct sums.

Accuracy
--------
Normal equations square the condition number of the design. Below about one
cycle over the time span :math:`T` the harmonics become nearly collinear
with the mean and with each other, so the solve returns, with each power, a
quality :math:`q` (the smallest column variance over :math:`W = \sum w_i`,
divided by the trace of the inverse of the normal matrix scaled to unit
diagonal, which bounds its smallest eigenvalue). Sums carrying an absolute
error :math:`\epsilon W` move the standard power by about
:math:`\epsilon / q`, so frequencies are recomputed in tiers wherever that
could exceed :data:`REFINE_TOL`:

1. NUFFT sums (:math:`\epsilon` = :data:`NUFFT_SUM_ERR`, ~1e-11, twice that for the
   packed strengths of the mirrored layout) -> direct
   sums at those frequencies;
2. direct sums (:math:`\epsilon` = :data:`DIRECT_ERR`, ~3e-16) -> Householder
   QR of the full weighted design (:func:`navfit._kernels.scan.qr_reduction`,
   the reflections of :func:`navfit._kernels.linalg.householder_qr`), whose error grows only
   with the condition number itself.

On an astropy ``autofrequency`` grid only the lowest few frequencies
(:math:`f \lesssim 0.7/T`) need tier 2. The result is good to ~1e-9 or better
wherever the problem is well posed in double precision, and *more* accurate
there than astropy's ``method="chi2"``, which solves the normal equations
directly (it is off by :math:`10^{-3}` at :math:`f = 0.1/T` for :math:`s = 4`).
At the very lowest frequencies and high orders (e.g. :math:`s = 8`,
:math:`f = 0.1/T`: 17 functions describing a tenth of a cycle) no double
precision method is exact: QR's error there is about :math:`10^{-16}` times the
condition number of the design.

Speed
-----
See ``bench/periodogram.py``. The NUFFT path uses one finufft plan per
thread, kept for the next call when small (:data:`NUFFT_PLAN_CACHE`; making a
plan costs about 40 ns per mode), single-threaded transforms taken as jobs by
the calling thread and a persistent pool (:data:`NUFFT_WORKERS` in all;
finufft's own OpenMP threads, and numba's after a parallel region, spin-wait,
which on a shared machine costs far more than it saves, so the refinement of
ill-conditioned frequencies runs as jobs too), unsorted points when the fine
grid fits in cache (:data:`NUFFT_SORT_BYTES`), the phases of all harmonics
from one phasor per chunk (:func:`navfit._kernels.scan._cossin`, a
vectorizable ``cos``/``sin`` of a phase in cycles), chunks small enough for
the FFTs to stay in cache, and a solve vectorized across frequencies. Small
problems run serially (:data:`SERIAL_WORK`, :data:`NUFFT_PARALLEL_SECONDS`).

References
----------
Zechmeister, M., & Kürster, M. 2009, A&A, 496, 577 (generalized Lomb-Scargle).
Palmer, D. M. 2009, ApJ, 695, 496 (multi-harmonic periodogram from trig sums).
Schwarzenberg-Czerny, A. 1996, ApJ, 460, L107.
VanderPlas, J. T. 2018, ApJS, 236, 16 (astropy's conventions).
Barnett, A. H., Magland, J., & af Klinteberg, L. 2019, SIAM J. Sci. Comput., 41, C479 (finufft).
Garrison, L. H., Foreman-Mackey, D., Shih, Y.-h., & Barnett, A. 2024, RNAAS, 8, 250 (nifty-ls).
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from ._kernels import basis as _basis
from ._kernels import scan as _scan
from .errors import NavfitError
from .lightcurve import LightCurve, _as_float_array
from .lsq import solve_linear

try:  # optional: the NUFFT path
    import finufft as _finufft
except ImportError:  # pragma: no cover - exercised only without finufft
    _finufft = None

__all__ = ["NORMALIZATIONS", "Periodogram"]

#: Normalizations accepted by :meth:`Periodogram.power`.
NORMALIZATIONS = ("standard", "model", "log", "psd")
#: Methods accepted by :meth:`Periodogram.power`.
METHODS = ("auto", "direct", "nufft")
#: Largest frequency grid or NUFFT workspace, in bytes, navfit will allocate.
MAX_MEMORY = 2 * 1024**3
#: Frequencies whose power error bound ``eps_sums / quality`` exceeds this are
#: recomputed more accurately (NUFFT -> direct sums -> QR of the design). The
#: bound is about 3x pessimistic (calibrated on random data, s = 1..8, see
#: :data:`NUFFT_SUM_ERR` and :data:`DIRECT_ERR`), so the power is good to ~1e-9
#: or better wherever the problem itself is (see the module notes).
REFINE_TOL = 3e-9
#: Error scale of the direct sums and solve (``error * quality`` measured below
#: 2.5e-16 for N = 30..30000, s = 1..8; it shrinks with N, the sums' rounding
#: averaging out relative to ``sum w``).
DIRECT_ERR = 3e-16
#: finufft tolerance per upsampling factor. 3e-10 is the smallest it reaches
#: with the low factor 1.25 (kernel width 16); the sums then carry an absolute
#: error of at most about ``NUFFT_SUM_ERR * sum|c_i|`` (measured 2.9e-11, and
#: 6.0e-12 with factor 2 and 1e-10).
NUFFT_EPS = {1.25: 3e-10, 2.0: 1e-10}
NUFFT_SUM_ERR = {1.25: 3e-11, 2.0: 8e-12}
#: Upsampling factor 2 (a twice larger FFT, a narrower kernel) when a chunk has
#: at most this many frequencies per point: then spreading dominates.
NUFFT_WIDE_RATIO = 4
#: Threads finufft may use. One: its OpenMP threads spin-wait, which on a
#: shared two-core machine made two threads up to 50 ms slower per call; the
#: numba solve uses all numba threads.
NUFFT_THREADS = 1
#: Threads running the NUFFT path's jobs (transforms, each thread with its own
#: single-threaded plan, and solves): the calling thread and
#: ``NUFFT_WORKERS - 1`` threads of a pool kept for the process, when the
#: estimated serial time reaches ``NUFFT_PARALLEL_SECONDS``.
NUFFT_WORKERS = min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)
NUFFT_PARALLEL_SECONDS = 1e-3
#: Serial cost model of the NUFFT path (seconds): per point and transform
#: (spreading), per mode and transform (FFT), per frequency and order^2 (solve).
NUFFT_SECONDS = (2.5e-8, 1.5e-8, 5e-9)
#: Frequencies per solve job (at most; fewer so that every thread gets two).
NUFFT_SOLVE_JOB = 8192
#: The mirrored layout (two real strengths packed into one transform over a
#: mode range symmetric about zero, see :func:`navfit._kernels.scan.mirror_blocks`)
#: is taken when the cost model rates it at most this fraction of the chunked
#: layout's cost; ``0`` never takes it.
NUFFT_MIRROR_GAIN = 1.0
#: finufft sorts the points before spreading only when its fine grid exceeds
#: this many bytes; a smaller grid stays in cache, where sorting costs more
#: than it saves.
NUFFT_SORT_BYTES = 1024**2
#: Each thread keeps its most recent finufft plan (creating one costs about
#: 40 ns per mode) when its fine grid has at most this many bytes.
NUFFT_PLAN_CACHE = 16 * 1024**2
#: Frequencies per NUFFT chunk: about ``NUFFT_CHUNK_PER_POINT * N``, rounded up to
#: a power of two within ``NUFFT_CHUNK_RANGE``. Small FFTs stay in cache (the
#: per-mode cost doubles from 2^17 to 2^20 modes) while the spreading of the
#: ``N`` points, repeated for every chunk, stays cheap; the plan is made once.
NUFFT_CHUNK_PER_POINT = 8
NUFFT_CHUNK_RANGE = (1 << 15, 1 << 20)
#: Bytes of harmonic sums kept at once (the chunks they cover are transformed,
#: then solved).
NUFFT_MEMORY = 512 * 1024**2
#: ``method="auto"`` takes the NUFFT when finufft is importable, the grid is
#: regular, ``N >= NUFFT_MIN_POINTS`` and ``N * Nf >= NUFFT_MIN_WORK``. Below,
#: the direct sums (about 2 ns per point and frequency at s = 1, 6 ns at s = 4
#: on two cores) beat the NUFFT's fixed costs (plans, FFTs of the whole grid).
NUFFT_MIN_WORK = 300_000
NUFFT_MIN_POINTS = 50
#: Kernel calls with less work than this (points x frequencies x order for the
#: direct sums, 10 x points x order^2 x frequencies for QR), about a
#: millisecond, run serially: waking numba's threads costs more, and on a busy
#: machine a parallel region waits for a core.
SERIAL_WORK = 1_000_000
#: A grid is regular when every ``f_k`` is within this many cycles over the
#: time span of ``f_0 + k df`` (the phase error that the NUFFT would make).
REGULAR_TOL = 1e-10


def _array(value, name, where="Periodogram"):
    """:func:`navfit.lightcurve._as_float_array`, and finite values only."""
    arr = _as_float_array(value, name, where)
    if not np.all(np.isfinite(arr)):
        raise NavfitError(f"{where}: {name} contains NaN or infinite values")
    return arr


def _nbytes(count):
    return f"{count * 8 / 1024**3:.3g} GiB"


_POOL = [None, 0]  # the NUFFT worker pool and its size
_POOL_LOCK = threading.Lock()
_LOCAL = threading.local()  # per thread: its cached finufft plan


def _run(func, jobs, nworkers):
    """Call ``func(job)`` for every job, on the calling thread and ``nworkers - 1`` pool threads.

    The threads take jobs from a shared iterator, so a thread slowed by
    another process simply takes fewer. The pool is made once per process
    (no thread start-up per call); a pool thread that has not started on these
    jobs when the calling thread runs out of them is cancelled, not waited for.
    The first exception stops the remaining jobs and is raised.
    """
    jobs = iter(jobs)
    lock = threading.Lock()
    failed = []

    def drain():
        while not failed:
            with lock:
                job = next(jobs, None)
            if job is None:
                return
            try:
                func(job)
            except BaseException:
                failed.append(True)
                raise

    futures = []
    if nworkers > 1:
        with _POOL_LOCK:
            if _POOL[1] < nworkers - 1:
                if _POOL[0] is not None:
                    _POOL[0].shutdown(wait=False)
                _POOL[0] = ThreadPoolExecutor(nworkers - 1, thread_name_prefix="navfit-nufft")
                _POOL[1] = nworkers - 1
            pool = _POOL[0]
        futures = [pool.submit(drain) for _ in range(nworkers - 1)]
    try:
        drain()
    finally:
        for future in futures:
            if not future.cancel():
                future.result()


def _nufft_options(n, nmodes):
    """finufft options for ``n`` points and ``nmodes`` modes: ``(options, upsampfac)``."""
    # spreading-bound (at most NUFFT_WIDE_RATIO modes per point): the wider FFT
    # of upsampfac 2 is cheaper than the 16-wide kernel that 1.25 needs, and
    # more accurate
    upsampfac = 2.0 if NUFFT_WIDE_RATIO * n >= nmodes else 1.25
    opts = {
        "eps": NUFFT_EPS[upsampfac],
        "isign": 1,
        "upsampfac": upsampfac,
        "nthreads": NUFFT_THREADS,
        "fftw": 64,  # FFTW_ESTIMATE: planning costs more than it saves here
        "modeord": 0,
        "spread_sort": 0 if 16 * upsampfac * nmodes <= NUFFT_SORT_BYTES else 2,
    }
    return opts, upsampfac


def _plan(nmodes, opts):
    """A type-1 finufft plan for this thread, reused from its previous call when it matches.

    A plan is used by one thread at a time (each thread of :func:`_run` has
    its own); only plans whose fine grid has at most :data:`NUFFT_PLAN_CACHE`
    bytes are kept.
    """
    key = (nmodes, tuple(sorted(opts.items())))
    cached = getattr(_LOCAL, "plan", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    plan = _finufft.Plan(1, (nmodes,), n_trans=1, dtype="complex128", **opts)
    if 16 * opts["upsampfac"] * nmodes <= NUFFT_PLAN_CACHE:
        _LOCAL.plan = (key, plan)
    return plan


class Periodogram:
    """Multi-harmonic (trigonometric-polynomial) periodogram, astropy-style.

    Parameters
    ----------
    t : array_like or LightCurve
        Observation times; or a :class:`~navfit.LightCurve`, whose ``y`` and
        ``dy`` are then used (``dy`` only if it was given, see
        ``lc.dy_given``), and ``y``/``dy`` must be omitted.
    y : array_like
        Magnitudes or fluxes.
    dy : float or array_like, optional
        1-sigma errors; weights ``1/dy**2``. ``None``: equal weights (``dy = 1``).
    order : int
        Degree ``s >= 1`` of the trigonometric polynomial (astropy's ``nterms``);
        ``s = 1`` is the generalized Lomb-Scargle periodogram.
    normalization : {"standard", "model", "log", "psd"}
        Default normalization of :meth:`power`.

    Raises
    ------
    NavfitError
        Non-finite values, mismatched lengths, non-positive ``dy``, all times
        equal, constant data, ``order < 1`` or too few points
        (``N <= 2 s + 1``).

    Notes
    -----
    See the module docstring for the equations and the algorithm. Times are
    used relative to ``t_ref``, the middle of the time span, for phase
    precision; the power does not depend on that choice.

    Examples
    --------
    >>> import numpy as np
    >>> from navfit.periodogram import Periodogram
    >>> rng = np.random.default_rng(1)
    >>> t = np.sort(rng.uniform(0, 30, 300))
    >>> y = np.sin(2 * np.pi * t / 0.61) + rng.normal(0, 0.3, t.size)
    >>> frequency, power = Periodogram(t, y, order=2).autopower(maximum_frequency=5)
    >>> round(float(1 / frequency[np.argmax(power)]), 2)
    0.61
    """

    def __init__(self, t, y=None, dy=None, order=1, *, normalization="standard"):
        where = "Periodogram"
        if isinstance(t, LightCurve):
            if y is not None or dy is not None:
                raise NavfitError(f"{where}: give y and dy inside the LightCurve, not as well")
            lc = t
            t, y = lc.t, lc.y
            dy = lc.dy if lc.dy_given else None
        if y is None:
            raise NavfitError(f"{where}: y is required (or pass a LightCurve as t)")
        t = _array(t, "t", where)
        y = _array(y, "y", where)
        if t.size != y.size:
            raise NavfitError(f"{where}: t and y differ in length ({t.size}, {y.size})")
        if dy is not None:
            dy = _array(np.atleast_1d(dy), "dy", where)
            if dy.size not in (1, y.size):
                raise NavfitError(f"{where}: dy has {dy.size} values, y has {y.size}")
            dy = np.broadcast_to(dy, y.shape).copy()
            if np.any(dy <= 0):
                raise NavfitError(f"{where}: dy must be positive (smallest is {dy.min():g})")
        if isinstance(order, bool) or not isinstance(order, (int, np.integer)) or order < 1:
            raise NavfitError(f"{where}: order must be an integer >= 1, got {order!r}")
        order = int(order)
        if t.size <= 2 * order + 1:
            raise NavfitError(
                f"{where}: order {order} has {2 * order + 1} parameters; "
                f"{t.size} points are too few"
            )
        span = float(t.max() - t.min())
        if span <= 0:
            raise NavfitError(f"{where}: all times t are equal")
        self._check_normalization(normalization)
        sw = np.ones_like(y) if dy is None else 1.0 / dy
        w = sw * sw
        ybar = float(np.sum(w * y) / np.sum(w))
        yc = y - ybar
        chi2_ref = float(np.sum(w * yc * yc))
        if not chi2_ref > 0:
            raise NavfitError(f"{where}: y is constant; there is nothing to fit")
        self.t, self.y, self.dy = t, y, dy
        self.order = order
        self.normalization = normalization
        self.t_ref = 0.5 * float(t.min() + t.max())
        self._span = span
        self._tau = t - self.t_ref
        self._w = w
        self._sw = sw
        self._yc = yc
        self._u = w * yc
        self._chi2_ref = chi2_ref

    # -- validation -------------------------------------------------------------------

    @staticmethod
    def _check_normalization(normalization):
        if normalization not in NORMALIZATIONS:
            raise NavfitError(
                f"normalization must be one of {NORMALIZATIONS}, got {normalization!r}"
            )

    def _frequency(self, frequency):
        f = np.atleast_1d(_array(np.atleast_1d(frequency), "frequency", "power"))
        if f.size == 0:
            raise NavfitError("power: frequency is empty")
        if np.any(f <= 0):
            raise NavfitError(f"power: frequency must be positive (smallest is {f.min():g})")
        if 3 * f.size * 8 > MAX_MEMORY:
            raise NavfitError(
                f"power: frequency has {f.size} points; the result arrays would need "
                f"{_nbytes(3 * f.size)} > {_nbytes(MAX_MEMORY // 8)}"
            )
        return f

    def _grid(self, f):
        """``(regular, df)`` of a frequency array."""
        if f.size < 2:
            return False, 0.0
        df = (f[-1] - f[0]) / (f.size - 1)
        if not df > 0:
            return False, 0.0
        dev = np.max(np.abs(f - (f[0] + df * np.arange(f.size))))
        return bool(dev * self._span <= REGULAR_TOL), float(df)

    # -- the periodogram --------------------------------------------------------------

    def reduction(self, frequency, method="auto"):
        r"""Chi-square reduction :math:`\Delta(f) = \chi^2_\mathrm{ref} - \chi^2(f)`.

        Parameters
        ----------
        frequency : array_like
            Positive frequencies (cycles per unit of ``t``).
        method : {"auto", "direct", "nufft"}
            See :meth:`power`.

        Returns
        -------
        ndarray or float
            :math:`\Delta(f)`, shaped like ``frequency``.
        """
        f = self._frequency(frequency)
        if method not in METHODS:
            raise NavfitError(f"power: method must be one of {METHODS}, got {method!r}")
        if f.size > 1 and f[-1] < f[0]:  # a descending grid: compute it ascending
            P = self._reduction(f[::-1].copy(), method)[::-1].copy()
        else:
            P = self._reduction(f, method)
        return float(P[0]) if np.ndim(frequency) == 0 else P

    def _reduction(self, f, method):
        regular, df = self._grid(f)
        n = self._tau.size
        if method == "auto":
            use_nufft = (
                _finufft is not None
                and regular
                and n >= NUFFT_MIN_POINTS
                and n * f.size >= NUFFT_MIN_WORK
            )
            method = "nufft" if use_nufft else "direct"
        P = np.empty(f.size)
        q = np.empty(f.size)
        direct_err = DIRECT_ERR
        if method == "nufft":
            if _finufft is None:
                raise NavfitError("power: method='nufft' needs the finufft package")
            if not regular:
                raise NavfitError(
                    "power: method='nufft' needs a regular frequency grid f0 + k*df "
                    f"(deviation allowed: {REGULAR_TOL:g} cycles over the time span)"
                )
            nufft_err = self._nufft(f[0], df, f.size, P, q)
            self._refine_nufft(f, P, q, nufft_err)
            return np.clip(P, 0.0, self._chi2_ref)
        self._direct(f, df, regular, P, q)
        bad = np.flatnonzero(~(REFINE_TOL * q > direct_err))
        if bad.size:  # too ill-conditioned for normal equations: QR of the design
            fb = f[bad]
            if bad.size == 1 or 10 * n * self.order**2 * bad.size < SERIAL_WORK:
                P[bad] = [
                    _scan.qr_reduction(self._tau, self._yc, self._sw, fk, self.order) for fk in fb
                ]
            else:
                Pq = np.empty(bad.size)
                _scan.power_qr(self._tau, self._yc, self._sw, fb, self.order, Pq)
                P[bad] = Pq
        return np.clip(P, 0.0, self._chi2_ref)

    def _refine_nufft(self, f, P, q, nufft_err):
        """Recompute the frequencies whose NUFFT power could be off by more than :data:`REFINE_TOL`.

        Direct sums (tier 1) where ``REFINE_TOL * q <= nufft_err``; QR of the
        design (tier 2) at once where ``REFINE_TOL * q < 0.1 * DIRECT_ERR``
        (the direct sums would not do either), and after the direct sums where
        their own quality still fails. Jobs of one QR or up to ``BLOCK`` direct
        frequencies run on :func:`_run`'s threads, not in numba parallel
        regions, whose threads keep spinning for milliseconds after the region
        and would compete with the next call's NUFFT threads.
        """
        tol = REFINE_TOL * q
        sure = np.flatnonzero(~(tol >= 0.1 * DIRECT_ERR))
        tier1 = np.flatnonzero(~(tol > nufft_err) & (tol >= 0.1 * DIRECT_ERR))
        if not (sure.size or tier1.size):
            return
        s, n = self.order, self._tau.size
        tau, w, u, yc, sw = self._tau, self._w, self._u, self._yc, self._sw

        def job(item):
            kind, idx = item
            if kind == "qr":
                P[idx] = _scan.qr_reduction(tau, yc, sw, f[idx], s)
                return
            Pd = np.empty(idx.size)
            qd = np.empty(idx.size)
            _scan.direct_blocks(tau, w, u, f[idx], s, 0.0, False, Pd, qd, 0, 1)
            P[idx] = Pd
            q[idx] = qd

        def workers(jobs, work):
            return NUFFT_WORKERS if len(jobs) > 1 and work >= 0.2 * SERIAL_WORK else 1

        # QR first: the longest jobs
        jobs = [("qr", k) for k in sure]
        jobs += [("direct", tier1[i : i + _scan.BLOCK]) for i in range(0, tier1.size, _scan.BLOCK)]
        _run(job, jobs, workers(jobs, n * s * (tier1.size + 10 * s * sure.size)))
        again = tier1[~(REFINE_TOL * q[tier1] > DIRECT_ERR)]
        jobs = [("qr", k) for k in again]
        _run(job, jobs, workers(jobs, 10 * n * s * s * again.size))

    def _direct(self, f, df, regular, P, q):
        """Direct sums and solve; serial below :data:`SERIAL_WORK`."""
        args = (self._tau, self._w, self._u, f, self.order, df, regular, P, q)
        nblocks = -(-f.size // _scan.BLOCK)
        if nblocks == 1 or self._tau.size * f.size * self.order < SERIAL_WORK:
            _scan.direct_blocks(*args, 0, nblocks)
        else:
            _scan.power_direct(*args)

    def _nufft(self, f0, df, nf, P, q):
        """Harmonic sums by type-1 NUFFTs, then the numba solve.

        Writes ``P`` and ``q`` and returns the error scale of the sums (see
        :data:`NUFFT_SUM_ERR`).

        Two layouts, chosen by the cost model :data:`NUFFT_SECONDS`:

        * chunked (any regular grid): per chunk of ``B`` frequencies and
          harmonic, a transform of ``B`` modes centred on the chunk (strengths
          ``w rot^h`` and ``u rot^h``): ``3s`` spreadings of the ``N`` points
          per chunk;
        * mirrored (grids whose ``f0`` is a multiple of ``df / 2`` within
          :data:`REGULAR_TOL`, such as astropy's ``autofrequency``): per
          harmonic one transform over the modes ``-M/2 .. M/2 - 1`` covering the
          grid and its mirror image, the strengths ``w + 1j alpha u`` packing
          both real sums into one spreading (see :meth:`_nufft_mirror`): ``2s``
          spreadings, of twice or more the modes. Cheaper when there are more
          points than modes.

        Work is split into jobs (one harmonic of one chunk: a phase power, a
        ``setpts`` and one or two transforms; then solves of up to
        :data:`NUFFT_SOLVE_JOB` frequencies) that :data:`NUFFT_WORKERS`
        threads (the calling one and a pool's) take from a shared queue, each
        with its own single-threaded plan, kept for the next call
        (:func:`_plan`); finufft (through ctypes) and navfit's numba kernels
        release the GIL. Dynamic jobs keep both cores busy even when one is
        shared with another process, where a statically split parallel region
        would wait for the slower thread. Small problems (estimated below
        :data:`NUFFT_PARALLEL_SECONDS`) run in the calling thread.
        """
        s = self.order
        n = self._tau.size
        lo, hi = NUFFT_CHUNK_RANGE
        chunk = min(hi, max(lo, 1 << int(np.ceil(np.log2(NUFFT_CHUNK_PER_POINT * n)))))
        nchunks = -(-nf // chunk)
        B = -(-nf // nchunks)
        B = -(-B // _scan.BLOCK) * _scan.BLOCK  # whole solve blocks per chunk
        spread, per_mode, per_solve = NUFFT_SECONDS
        solve = nf * s * s * per_solve
        chunked = nchunks * 3 * s * (spread * n + per_mode * B) + solve
        # the mirrored layout: f0 = (m0 + half / 2) df
        twice = round(2.0 * f0 / df)
        half = twice % 2
        m0 = (twice - half) // 2
        nmodes = 2 * (m0 + nf)
        mirror = 2 * s * (spread * n + per_mode * nmodes) + solve
        if (
            twice >= 1
            and abs(f0 - 0.5 * twice * df) * self._span <= REGULAR_TOL
            and mirror <= NUFFT_MIRROR_GAIN * chunked
            and 16 * 2 * s * nmodes <= NUFFT_MEMORY
        ):
            nworkers = NUFFT_WORKERS if mirror >= NUFFT_PARALLEL_SECONDS else 1
            return self._nufft_mirror(df, nf, m0, half, nmodes, P, q, nworkers)
        nworkers = NUFFT_WORKERS if chunked >= NUFFT_PARALLEL_SECONDS else 1
        return self._nufft_chunks(f0, df, nf, B, nchunks, P, q, nworkers)

    def _solve_jobs(self, nblocks, nworkers):
        """Ranges of solve blocks, at most :data:`NUFFT_SOLVE_JOB` frequencies, two per thread."""
        step = -(-nblocks // (2 * nworkers)) if nworkers > 1 else nblocks
        step = max(1, min(step, NUFFT_SOLVE_JOB // _scan.BLOCK))
        return [(b0, min(nblocks, b0 + step)) for b0 in range(0, nblocks, step)]

    def _nufft_mirror(self, df, nf, m0, half, nmodes, P, q, nworkers):
        r"""The mirrored layout of :meth:`_nufft`.

        The grid is :math:`f_k = (m_0 + k + \eta/2)\,\delta f` with
        :math:`\eta` = ``half`` in {0, 1}. For harmonic :math:`h`, with
        :math:`X_i = 2\pi h\,\delta f\,\tau_i` and real :math:`a_i, b_i`, the
        transform :math:`F(m) = \sum_i c_i e^{i m X_i}` of the strengths
        :math:`c_i = (a_i + i b_i)\,e^{i \eta X_i / 2}` over the modes
        :math:`-M/2 \le m < M/2`, :math:`M = 2(m_0 + N_f)`, gives both

        .. math::

            S_a(m) = \tfrac12\left[F(m) + \overline{F(-m-\eta)}\right], \qquad
            S_b(m) = \tfrac{1}{2i}\left[F(m) - \overline{F(-m-\eta)}\right],

        with :math:`S_a(m) = \sum_i a_i e^{i (m + \eta/2) X_i}`: the sums at
        :math:`f_k` for :math:`m = m_0 + k`. For :math:`h \le s`, :math:`a = w`
        and :math:`b = \alpha u`, with :math:`\alpha` the largest power of two
        not above :math:`\sum w / \sum |u|`, so that the absolute error of
        the transform, about :math:`\epsilon \sum_i |c_i| \le 2 \epsilon W`,
        stays a multiple of :math:`W` whatever the units of :math:`y`; for
        :math:`h > s` only :math:`a = w` (and :math:`F(m)` is :math:`W_h`
        itself). One spreading of the points per harmonic instead of two for
        :math:`h \le s`; all :math:`2s` transforms share one plan. Returns
        twice :data:`NUFFT_SUM_ERR` (the packed strengths' bound).
        """
        s = self.order
        n = self._tau.size
        tau, w, u = self._tau, self._w, self._u
        wsum = float(np.sum(w))
        alpha = float(2.0 ** np.floor(np.log2(wsum / np.sum(np.abs(u)))))
        opts, upsampfac = _nufft_options(n, nmodes)
        F = np.empty((2 * s, nmodes), dtype=np.complex128)
        rot = np.empty(n if half else 0, dtype=np.complex128)
        if half:
            _scan.chunk_phasors(tau, 0.5 * df, rot)
        none = np.empty(0)

        def transform(h):
            plan = _plan(nmodes, opts)
            x = np.empty(n)
            c = np.empty(n, dtype=np.complex128)
            _scan.packed_points(tau, w, u if h <= s else none, alpha, h, rot, df, x, c)
            plan.setpts(x)
            plan.execute(c, out=F[h - 1])

        _run(transform, range(1, 2 * s + 1), nworkers)

        def solve(job):
            _scan.mirror_blocks(F, s, m0, half, alpha, wsum, nf, P, q, *job)

        _run(solve, self._solve_jobs(-(-nf // _scan.BLOCK), nworkers), nworkers)
        return 2.0 * NUFFT_SUM_ERR[upsampfac]

    def _nufft_chunks(self, f0, df, nf, B, nchunks, P, q, nworkers):
        """The chunked layout of :meth:`_nufft`: chunks of ``B`` frequencies."""
        s = self.order
        n = self._tau.size
        per_chunk = 16 * B * (3 * s + 2 * 2.0 * NUFFT_WORKERS)  # sums + finufft's fine grids
        if per_chunk + 16 * 4 * n > MAX_MEMORY:
            raise NavfitError(
                f"power: the NUFFT workspace for frequency chunks of {B} points at order "
                f"{s} would need {(per_chunk + 64 * n) / 1024**3:.3g} GiB "
                f"> {MAX_MEMORY / 1024**3:g} GiB"
            )
        group = max(1, min(nchunks, NUFFT_MEMORY // (48 * s * B)))
        opts, upsampfac = _nufft_options(n, B)
        pair = np.empty((group, s, 2, B), dtype=np.complex128)
        solo = np.empty((group, s, B), dtype=np.complex128)
        rot = np.empty((group, n), dtype=np.complex128)
        wsum = float(np.sum(self._w))
        tau, w, u = self._tau, self._w, self._u
        none = np.empty(0, dtype=np.complex128)

        def transform(job):
            plan = _plan(B, opts)
            g, h = job
            x = np.empty(n)
            cw = np.empty(n, dtype=np.complex128)
            cu = np.empty(n if h <= s else 0, dtype=np.complex128)
            _scan.nufft_points(tau, w, u, h, rot[g], df, x, cw, cu if h <= s else none)
            plan.setpts(x)
            if h <= s:
                plan.execute(cw, out=pair[g, h - 1, 0])
                plan.execute(cu, out=pair[g, h - 1, 1])
            else:
                plan.execute(cw, out=solo[g, h - s - 1])

        for g0 in range(0, nchunks, group):
            ng = min(group, nchunks - g0)
            for g in range(ng):
                # mode m (index m + B//2) is the frequency f0 + (k0 + B//2 + m) df
                _scan.chunk_phasors(tau, f0 + ((g0 + g) * B + B // 2) * df, rot[g])
            # the two-transform harmonics first, so that the workers end together
            jobs = sorted(
                ((g, h) for g in range(ng) for h in range(1, 2 * s + 1)),
                key=lambda job: job[1] > s,
            )
            _run(transform, jobs, nworkers)
            k0 = g0 * B
            k1 = min(nf, (g0 + group) * B)
            Pg, qg = P[k0:k1], q[k0:k1]

            def solve(job, Pg=Pg, qg=qg, k0=k0, k1=k1):
                _scan.sums_blocks(pair, solo, wsum, s, k1 - k0, Pg, qg, *job)

            _run(solve, self._solve_jobs(-(-(k1 - k0) // _scan.BLOCK), nworkers), nworkers)
        return NUFFT_SUM_ERR[upsampfac]

    def power(self, frequency, normalization=None, method="auto"):
        """Periodogram power at the given frequencies.

        Parameters
        ----------
        frequency : array_like
            Positive frequencies (cycles per unit of ``t``), any order.
        normalization : {"standard", "model", "log", "psd"}, optional
            Default: the one given at construction. See the module docstring.
        method : {"auto", "direct", "nufft"}
            ``"direct"``: numba sums over the data, any grid,
            ``O(N Nf s)``. ``"nufft"``: non-uniform FFTs (finufft), regular grids
            ``f0 + k df`` only, ``O(s (N + Nf log Nf))``. ``"auto"``: the NUFFT
            when finufft is importable, the grid is regular and
            ``N * Nf >=`` :data:`NUFFT_MIN_WORK`, else direct.

        Returns
        -------
        ndarray or float
            Power, shaped like ``frequency``; equals astropy's
            ``LombScargle(t, y, dy, nterms=order).power(frequency,
            method="chi2")`` to about ``1e-10`` wherever the latter is itself
            accurate.

        Raises
        ------
        NavfitError
            Non-positive or non-finite frequencies, an unknown normalization or
            method, ``"nufft"`` on an irregular grid or without finufft, a grid
            or workspace larger than :data:`MAX_MEMORY`.

        Examples
        --------
        >>> import numpy as np
        >>> from navfit import Periodogram
        >>> rng = np.random.default_rng(1)
        >>> t = np.sort(rng.uniform(0, 30, 300))
        >>> y = np.sin(2 * np.pi * t / 0.61) + rng.normal(0, 0.3, t.size)
        >>> pg = Periodogram(t, y, order=2)
        >>> pg.power([1 / 0.61, 1.0]).round(3)         # at the signal, and off it
        array([0.848, 0.008])
        >>> round(float(pg.power(1 / 0.61, normalization="psd")), 2)
        70.65
        """
        normalization = self.normalization if normalization is None else normalization
        self._check_normalization(normalization)
        P = self.reduction(frequency, method=method)
        ref = self._chi2_ref
        if normalization == "standard":
            return P / ref
        if normalization == "psd":
            return 0.5 * P
        with np.errstate(divide="ignore"):
            if normalization == "model":
                return P / (ref - P)
            return -np.log1p(-P / ref)

    def autofrequency(
        self,
        samples_per_peak=5,
        nyquist_factor=5,
        minimum_frequency=None,
        maximum_frequency=None,
        *,
        minimum_period=None,
        maximum_period=None,
        return_freq_limits=False,
    ):
        """A regular frequency grid suited to the data, as astropy chooses it.

        ``df = 1 / (T samples_per_peak)`` with ``T`` the time span; from
        ``minimum_frequency`` (default ``df / 2``) to ``maximum_frequency``
        (default ``nyquist_factor`` times the mean Nyquist frequency
        ``N / (2 T)``), ``Nf = 1 + round((fmax - fmin) / df)`` points.

        Parameters
        ----------
        samples_per_peak : float
            Grid points across a typical peak (width ``1/T``).
        nyquist_factor : float
            Multiple of the mean Nyquist frequency used as the default maximum.
        minimum_frequency, maximum_frequency : float, optional
        minimum_period, maximum_period : float, optional
            Conveniences: ``maximum_frequency = 1/minimum_period`` and
            ``minimum_frequency = 1/maximum_period`` (not with the frequency
            of the same end).
        return_freq_limits : bool
            Return ``(fmin, fmax)`` only.

        Returns
        -------
        ndarray
            ``fmin + df * arange(Nf)``.

        Raises
        ------
        NavfitError
            Non-positive settings, both a period and a frequency for one end,
            ``fmin >= fmax``, or a grid larger than :data:`MAX_MEMORY`.

        Examples
        --------
        >>> import numpy as np
        >>> from navfit import Periodogram
        >>> rng = np.random.default_rng(1)
        >>> t = np.sort(rng.uniform(0, 30, 300))
        >>> y = np.sin(2 * np.pi * t / 0.61) + rng.normal(0, 0.3, t.size)
        >>> frequency = Periodogram(t, y).autofrequency(minimum_period=0.5, maximum_period=2)
        >>> frequency.size, round(float(frequency[0]), 3), round(float(frequency[-1]), 3)
        (224, 0.5, 1.997)
        """
        where = "autofrequency"
        for name, value in (
            ("samples_per_peak", samples_per_peak),
            ("nyquist_factor", nyquist_factor),
            ("minimum_frequency", minimum_frequency),
            ("maximum_frequency", maximum_frequency),
            ("minimum_period", minimum_period),
            ("maximum_period", maximum_period),
        ):
            if value is not None and not (np.isfinite(value) and value > 0):
                raise NavfitError(f"{where}: {name} must be positive and finite, got {value!r}")
        if maximum_period is not None:
            if minimum_frequency is not None:
                raise NavfitError(f"{where}: give minimum_frequency or maximum_period, not both")
            minimum_frequency = 1.0 / maximum_period
        if minimum_period is not None:
            if maximum_frequency is not None:
                raise NavfitError(f"{where}: give maximum_frequency or minimum_period, not both")
            maximum_frequency = 1.0 / minimum_period
        df = 1.0 / self._span / samples_per_peak
        fmin = 0.5 * df if minimum_frequency is None else float(minimum_frequency)
        if maximum_frequency is None:
            fmax = nyquist_factor * 0.5 * self.t.size / self._span
        else:
            fmax = float(maximum_frequency)
        if not fmax > fmin:
            raise NavfitError(
                f"{where}: the minimum frequency {fmin:g} is not below the maximum {fmax:g}"
            )
        count = (fmax - fmin) / df
        if count * 8 > MAX_MEMORY:
            raise NavfitError(
                f"{where}: the frequency grid would have {count:.3g} points "
                f"({_nbytes(count)} > {_nbytes(MAX_MEMORY // 8)}); raise minimum_period "
                "or lower samples_per_peak"
            )
        nf = 1 + int(np.round(count))
        if return_freq_limits:
            return fmin, fmin + df * (nf - 1)
        return fmin + df * np.arange(nf)

    def autopower(
        self,
        normalization=None,
        method="auto",
        samples_per_peak=5,
        nyquist_factor=5,
        minimum_frequency=None,
        maximum_frequency=None,
        *,
        minimum_period=None,
        maximum_period=None,
    ):
        """Power on the grid of :meth:`autofrequency`.

        Returns
        -------
        frequency, power : ndarray
        """
        frequency = self.autofrequency(
            samples_per_peak=samples_per_peak,
            nyquist_factor=nyquist_factor,
            minimum_frequency=minimum_frequency,
            maximum_frequency=maximum_frequency,
            minimum_period=minimum_period,
            maximum_period=maximum_period,
        )
        return frequency, self.power(frequency, normalization=normalization, method=method)

    def model_parameters(self, frequency):
        """Best-fit coefficients ``c0, a1, b1, ..., as, bs`` at one frequency.

        The model is ``c0 + sum_j a_j cos(2 pi j f (t - t_ref)) + b_j sin(...)``
        with ``t_ref`` = :attr:`t_ref`; solved by :func:`navfit.solve_linear`
        (Householder QR).
        """
        f = float(_array(np.atleast_1d(frequency), "frequency", "model")[0])
        if np.ndim(frequency) != 0 or not f > 0:
            raise NavfitError(f"model: frequency must be one positive number, got {frequency!r}")
        XT = np.empty((2 * self.order + 1, self.t.size))
        _basis.fill_tp_basis(self._tau * f, self.order, XT)
        return solve_linear(XT, self.y, self.dy, transposed=True).params

    def model(self, t, frequency):
        """The best-fit trigonometric polynomial at ``frequency``, evaluated at ``t``.

        Parameters
        ----------
        t : array_like
            Times at which to evaluate the model.
        frequency : float
            One positive frequency.

        Returns
        -------
        ndarray
            Model values, shape of ``t`` (1-D).

        Examples
        --------
        >>> import numpy as np
        >>> from navfit import Periodogram
        >>> rng = np.random.default_rng(1)
        >>> t = np.sort(rng.uniform(0, 30, 300))
        >>> y = np.sin(2 * np.pi * t / 0.61) + rng.normal(0, 0.3, t.size)
        >>> Periodogram(t, y).model([0.0, 0.1525], 1 / 0.61).round(2)
        array([0.03, 0.98])
        """
        coef = self.model_parameters(frequency)
        t = _array(np.atleast_1d(t), "t", "model")
        XT = np.empty((2 * self.order + 1, t.size))
        _basis.fill_tp_basis((t - self.t_ref) * float(frequency), self.order, XT)
        return coef @ XT

    def false_alarm_probability(self, power, minimum_frequency, maximum_frequency,
                                method="auto"):
        """False-alarm probability of a peak of ``"standard"``-normalized power.

        Parameters
        ----------
        power : float or array_like
            Peak height(s), standard normalization.
        minimum_frequency, maximum_frequency : float
            Frequency range searched.
        method : {"auto", "baluev", "beta"}
            ``"baluev"`` (order 1 only): the analytic upper bound of Baluev
            (2008, MNRAS 385, 1279), computed by astropy's ``LombScargle``.
            ``"beta"`` (any order): under white noise the fractional chi-square
            reduction of ``2s`` extra parameters follows
            ``Beta(s, (n - 2s - 1)/2)``; the single-frequency tail is raised to
            ``M = s T (f_max - f_min)`` independent trials, a documented
            approximation (more harmonics resolve finer frequency structure).
            ``"auto"``: Baluev for order 1, beta otherwise.

        Returns
        -------
        float or ndarray
        """
        if method == "auto":
            method = "baluev" if self.order == 1 else "beta"
        power = np.asarray(power, dtype=float)
        if method == "baluev":
            if self.order != 1:
                raise NavfitError("false_alarm_probability: method='baluev' needs order=1")
            from astropy.timeseries import LombScargle

            ls = LombScargle(self.t, self.y, self.dy)
            return ls.false_alarm_probability(power, method="baluev",
                                              minimum_frequency=minimum_frequency,
                                              maximum_frequency=maximum_frequency)
        if method != "beta":
            raise NavfitError(f"false_alarm_probability: unknown method {method!r}")
        from .criteria import reduction_fap

        trials = self.order * self._span * (maximum_frequency - minimum_frequency)
        return reduction_fap(power, self.t.size, 2 * self.order, trials)

    def __repr__(self):
        return (
            f"Periodogram(n={self.t.size}, order={self.order}, "
            f"dy={'given' if self.dy is not None else 'None'}, normalization={self.normalization!r})"
        )
