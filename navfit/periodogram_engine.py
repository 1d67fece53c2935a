r"""The periodogram's engine: harmonic sums and solves over frequency grids.

The functions here take a :class:`WeightedSeries` (times, weights and centred
values, prepared once by :class:`navfit.Periodogram`) and arrays of
frequencies; they hold no state except a process-wide thread pool and each
thread's cached finufft plan. :data:`METHODS` names the ways to compute the
chi-square reduction:

* ``"direct"``: harmonic sums by recurrences and a small solve per frequency
  (``O(s N Nf)``), QR of the design where the normal equations are too
  ill-conditioned;
* ``"nufft"``: the sums of every frequency of a regular grid by type-1
  non-uniform FFTs (finufft; ``O(s (N + Nf log Nf))``), recomputed by the direct
  sums or QR where their error bound exceeds :data:`REFINE_TOL`;
* ``"reference"``: the slow, obvious twin, one :func:`numpy.linalg.lstsq` per
  frequency (:func:`navfit._kernels.reference.periodogram_reduction`).

The mathematics, the accuracy bounds and the references are in
:mod:`navfit.periodogram`.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from ._kernels import reference as _reference
from ._kernels import scan as _scan
from ._kernels._config import get_threads
from .errors import NavfitError

try:  # optional: the NUFFT path
    import finufft as _finufft
except ImportError:  # pragma: no cover - exercised only without finufft
    _finufft = None

__all__ = ["METHODS", "WeightedSeries", "reduction"]


@dataclass(frozen=True)
class WeightedSeries:
    r"""What the engine needs of a light curve, prepared once per periodogram.

    Attributes
    ----------
    tau : ndarray
        Times minus the reference time (middle of the data).
    w, sw : ndarray
        Weights :math:`w_i = \sigma_i^{-2}` and their square roots.
    yc : ndarray
        Values minus their weighted mean.
    u : ndarray
        ``w * yc``.
    order : int
        Degree :math:`s` of the trigonometric polynomial.
    span : float
        Time span of the data.
    chi2_ref : float
        Chi-square of the constant model, :math:`\sum_i w_i y_{c,i}^2`.
    """

    tau: np.ndarray
    w: np.ndarray
    sw: np.ndarray
    yc: np.ndarray
    u: np.ndarray
    order: int
    span: float
    chi2_ref: float


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
#: estimated serial time reaches ``NUFFT_PARALLEL_SECONDS``; never more than
#: numba's thread count (:func:`navfit._kernels._config.set_threads`), the one
#: setting that limits navfit's threads in a process.
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


def gib(count):
    """``count`` float64 values in GiB, as text for messages."""
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
    nworkers = min(nworkers, get_threads())
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


def grid(data, f):
    """``(regular, df)`` of a frequency array."""
    if f.size < 2:
        return False, 0.0
    df = (f[-1] - f[0]) / (f.size - 1)
    if not df > 0:
        return False, 0.0
    dev = np.max(np.abs(f - (f[0] + df * np.arange(f.size))))
    return bool(dev * data.span <= REGULAR_TOL), float(df)


# -- the periodogram --------------------------------------------------------------


def reduction(data, f, method="auto"):
    """Chi-square reduction at the frequencies ``f`` (ascending) by the method named.

    ``method`` is ``"auto"`` (the NUFFT when finufft is importable, the grid is
    regular, ``N >=`` :data:`NUFFT_MIN_POINTS` and ``N * Nf >=``
    :data:`NUFFT_MIN_WORK`, else the direct sums) or a key of :data:`METHODS`.
    The result is clipped to ``[0, chi2_ref]`` (rounding can step outside).
    """
    regular, df = grid(data, f)
    if method == "auto":
        use_nufft = (
            _finufft is not None
            and regular
            and data.tau.size >= NUFFT_MIN_POINTS
            and data.tau.size * f.size >= NUFFT_MIN_WORK
        )
        method = "nufft" if use_nufft else "direct"
    P = METHODS[method](data, f, regular, df)
    return np.clip(P, 0.0, data.chi2_ref)


def nufft_method(data, f, regular, df):
    """Harmonic sums by NUFFT, then direct sums or QR where they could be inaccurate."""
    if _finufft is None:
        raise NavfitError("power: method='nufft' needs the finufft package")
    if not regular:
        raise NavfitError(
            "power: method='nufft' needs a regular frequency grid f0 + k*df "
            f"(deviation allowed: {REGULAR_TOL:g} cycles over the time span)"
        )
    P = np.empty(f.size)
    q = np.empty(f.size)
    nufft_err = nufft_reduction(data, f[0], df, f.size, P, q)
    refine_nufft(data, f, P, q, nufft_err)
    return P


def direct_method(data, f, regular, df):
    """Direct harmonic sums, then QR of the design where the normal equations are too ill-conditioned."""
    n = data.tau.size
    P = np.empty(f.size)
    q = np.empty(f.size)
    direct_reduction(data, f, df, regular, P, q)
    bad = np.flatnonzero(~(REFINE_TOL * q > DIRECT_ERR))
    if bad.size:
        fb = f[bad]
        if bad.size == 1 or 10 * n * data.order**2 * bad.size < SERIAL_WORK:
            P[bad] = [_scan.qr_reduction(data.tau, data.yc, data.sw, fk, data.order) for fk in fb]
        else:
            Pq = np.empty(bad.size)
            _scan.power_qr(data.tau, data.yc, data.sw, fb, data.order, Pq)
            P[bad] = Pq
    return P


def reference_method(data, f, _regular, _df):
    """The slow reference: one :func:`numpy.linalg.lstsq` of the full design per frequency."""
    P, _ = _reference.periodogram_reduction(data.tau, data.yc, 1.0 / data.sw, f, data.order)
    return P


def refine_nufft(data, f, P, q, nufft_err):
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
    s, n = data.order, data.tau.size
    tau, w, u, yc, sw = data.tau, data.w, data.u, data.yc, data.sw

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


def direct_reduction(data, f, df, regular, P, q):
    """Direct sums and solve; serial below :data:`SERIAL_WORK`."""
    args = (data.tau, data.w, data.u, f, data.order, df, regular, P, q)
    nblocks = -(-f.size // _scan.BLOCK)
    if nblocks == 1 or data.tau.size * f.size * data.order < SERIAL_WORK:
        _scan.direct_blocks(*args, 0, nblocks)
    else:
        _scan.power_direct(*args)


def nufft_reduction(data, f0, df, nf, P, q):
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
    s = data.order
    n = data.tau.size
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
        and abs(f0 - 0.5 * twice * df) * data.span <= REGULAR_TOL
        and mirror <= NUFFT_MIRROR_GAIN * chunked
        and 16 * 2 * s * nmodes <= NUFFT_MEMORY
    ):
        nworkers = NUFFT_WORKERS if mirror >= NUFFT_PARALLEL_SECONDS else 1
        return nufft_mirror(data, df, nf, m0, half, nmodes, P, q, nworkers)
    nworkers = NUFFT_WORKERS if chunked >= NUFFT_PARALLEL_SECONDS else 1
    return nufft_chunks(data, f0, df, nf, B, nchunks, P, q, nworkers)


def solve_jobs(nblocks, nworkers):
    """Ranges of solve blocks, at most :data:`NUFFT_SOLVE_JOB` frequencies, two per thread."""
    step = -(-nblocks // (2 * nworkers)) if nworkers > 1 else nblocks
    step = max(1, min(step, NUFFT_SOLVE_JOB // _scan.BLOCK))
    return [(b0, min(nblocks, b0 + step)) for b0 in range(0, nblocks, step)]


def nufft_mirror(data, df, nf, m0, half, nmodes, P, q, nworkers):
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
    s = data.order
    n = data.tau.size
    tau, w, u = data.tau, data.w, data.u
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

    _run(solve, solve_jobs(-(-nf // _scan.BLOCK), nworkers), nworkers)
    return 2.0 * NUFFT_SUM_ERR[upsampfac]


def nufft_chunks(data, f0, df, nf, B, nchunks, P, q, nworkers):
    """The chunked layout of :meth:`_nufft`: chunks of ``B`` frequencies."""
    s = data.order
    n = data.tau.size
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
    wsum = float(np.sum(data.w))
    tau, w, u = data.tau, data.w, data.u
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

        _run(solve, solve_jobs(-(-(k1 - k0) // _scan.BLOCK), nworkers), nworkers)
    return NUFFT_SUM_ERR[upsampfac]


#: Ways to compute the reduction (``method=`` of :meth:`navfit.Periodogram.power`,
#: with ``"auto"``): name -> function ``(data, f, regular, df) -> P``.
METHODS = {"direct": direct_method, "nufft": nufft_method, "reference": reference_method}
