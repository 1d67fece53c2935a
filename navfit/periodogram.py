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
  cache), and the sums of at most :data:`~navfit.periodogram_engine.NUFFT_MEMORY` bytes of chunks are
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
  :func:`navfit.periodogram_engine.nufft_mirror`).
  ``method="auto"`` takes this path for regular grids when finufft is
  importable and :math:`N N_f` is large enough (:data:`~navfit.periodogram_engine.NUFFT_MIN_WORK`);
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
could exceed :data:`~navfit.periodogram_engine.REFINE_TOL`:

1. NUFFT sums (:math:`\epsilon` = :data:`~navfit.periodogram_engine.NUFFT_SUM_ERR`, ~1e-11, twice that for the
   packed strengths of the mirrored layout) -> direct
   sums at those frequencies;
2. direct sums (:math:`\epsilon` = :data:`~navfit.periodogram_engine.DIRECT_ERR`, ~3e-16) -> Householder
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
thread, kept for the next call when small (:data:`~navfit.periodogram_engine.NUFFT_PLAN_CACHE`; making a
plan costs about 40 ns per mode), single-threaded transforms taken as jobs by
the calling thread and a persistent pool (:data:`~navfit.periodogram_engine.NUFFT_WORKERS` in all;
finufft's own OpenMP threads, and numba's after a parallel region, spin-wait,
which on a shared machine costs far more than it saves, so the refinement of
ill-conditioned frequencies runs as jobs too), unsorted points when the fine
grid fits in cache (:data:`~navfit.periodogram_engine.NUFFT_SORT_BYTES`), the phases of all harmonics
from one phasor per chunk (:func:`navfit._kernels.scan._cossin`, a
vectorizable ``cos``/``sin`` of a phase in cycles), chunks small enough for
the FFTs to stay in cache, and a solve vectorized across frequencies. Small
problems run serially (:data:`~navfit.periodogram_engine.SERIAL_WORK`, :data:`~navfit.periodogram_engine.NUFFT_PARALLEL_SECONDS`).

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

import numpy as np

from . import periodogram_engine as engine
from . import periodogram_multiband as multiband
from ._checks import as_float_array
from .errors import NavfitError
from .lightcurve import LightCurve
from .lsq import solve_linear
from .periodogram_engine import gib

__all__ = ["NORMALIZATIONS", "Periodogram"]

#: Normalizations accepted by :meth:`Periodogram.power`.
NORMALIZATIONS = ("standard", "model", "log", "psd")


def _array(value, name, where="Periodogram"):
    """:func:`navfit._checks.as_float_array`, and finite values only."""
    arr = as_float_array(value, name, where)
    if not np.all(np.isfinite(arr)):
        raise NavfitError(f"{where}: {name} contains NaN or infinite values")
    return arr


class Periodogram:
    """Multi-harmonic (trigonometric-polynomial) periodogram, astropy-style.

    Parameters
    ----------
    t : array_like or LightCurve
        Observation times; or a :class:`~navfit.LightCurve`, whose ``y`` and
        ``dy`` are then used (``dy`` only if it was given, see
        ``lc.dy_given``), and ``y``/``dy`` must be omitted. A multi-band light
        curve (``lc.multiband``) gives the shared-phase multi-band periodogram
        (an offset per band; :mod:`navfit.periodogram_multiband`).
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
        band = None
        if isinstance(t, LightCurve):
            if y is not None or dy is not None:
                raise NavfitError(f"{where}: give y and dy inside the LightCurve, not as well")
            lc = t
            t, y = lc.t, lc.y
            dy = lc.dy if lc.dy_given else None
            band = lc.band_index if lc.multiband else None
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
        span = float(t.max() - t.min())
        if span <= 0:
            raise NavfitError(f"{where}: all times t are equal")
        self._check_normalization(normalization)
        self.t, self.y, self.dy = t, y, dy
        self.order = order
        self.normalization = normalization
        self.t_ref = 0.5 * float(t.min() + t.max())
        self._span = span
        self._tau = t - self.t_ref
        self._data = multiband.series_of(self._tau, y, dy, order, span, band, where)
        self._chi2_ref = self._data.chi2_ref
        #: Band code of each point (``lc.band_index``) of a multi-band light curve, else None.
        self.band = None if band is None else self._data.band
        self._bands = lc.bands if band is not None else None
        self._nbands = 1 if band is None else len(self._bands)

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
        if 3 * f.size * 8 > engine.MAX_MEMORY:
            raise NavfitError(
                f"power: frequency has {f.size} points; the result arrays would need "
                f"{gib(3 * f.size)} > {gib(engine.MAX_MEMORY // 8)}"
            )
        return f

    def reduction(self, frequency, method="auto"):
        r"""Chi-square reduction :math:`\Delta(f) = \chi^2_\mathrm{ref} - \chi^2(f)`.

        Parameters
        ----------
        frequency : array_like
            Positive frequencies (cycles per unit of ``t``).
        method : {"auto", "direct", "nufft", "reference"}
            See :meth:`power`.

        Returns
        -------
        ndarray or float
            :math:`\Delta(f)`, shaped like ``frequency``.
        """
        f = self._frequency(frequency)
        if method != "auto" and method not in engine.METHODS:
            methods = ("auto", *engine.METHODS)
            raise NavfitError(f"power: method must be one of {methods}, got {method!r}")
        if f.size > 1 and f[-1] < f[0]:  # a descending grid: compute it ascending
            P = multiband.reduction(self._data, f[::-1].copy(), method)[::-1].copy()
        else:
            P = multiband.reduction(self._data, f, method)
        return float(P[0]) if np.ndim(frequency) == 0 else P

    def power(self, frequency, normalization=None, method="auto"):
        """Periodogram power at the given frequencies.

        Parameters
        ----------
        frequency : array_like
            Positive frequencies (cycles per unit of ``t``), any order.
        normalization : {"standard", "model", "log", "psd"}, optional
            Default: the one given at construction. See the module docstring.
        method : {"auto", "direct", "nufft", "reference"}
            ``"direct"``: numba sums over the data, any grid,
            ``O(N Nf s)``. ``"nufft"``: non-uniform FFTs (finufft), regular grids
            ``f0 + k df`` only, ``O(s (N + Nf log Nf))``. ``"reference"``: the
            slow twin, one :func:`numpy.linalg.lstsq` per frequency.
            ``"auto"``: the NUFFT when finufft is importable, the grid is regular
            and ``N * Nf >=`` :data:`~navfit.periodogram_engine.NUFFT_MIN_WORK`,
            else direct. See :data:`navfit.periodogram_engine.METHODS`.

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
            or workspace larger than :data:`~navfit.periodogram_engine.MAX_MEMORY`.

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
            ``fmin >= fmax``, or a grid larger than :data:`~navfit.periodogram_engine.MAX_MEMORY`.

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
        if count * 8 > engine.MAX_MEMORY:
            raise NavfitError(
                f"{where}: the frequency grid would have {count:.3g} points "
                f"({gib(count)} > {gib(engine.MAX_MEMORY // 8)}); raise minimum_period "
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
        """Best-fit coefficients at one frequency: ``c0, a1, b1, ..., as, bs``.

        The model is ``c0 + sum_j a_j cos(2 pi j f (t - t_ref)) + b_j sin(...)``
        with ``t_ref`` = :attr:`t_ref`; several bands have an offset each
        instead of ``c0`` (in the order of ``lc.bands``). Solved by
        :func:`navfit.solve_linear` (Householder QR).
        """
        f = float(_array(np.atleast_1d(frequency), "frequency", "model")[0])
        if np.ndim(frequency) != 0 or not f > 0:
            raise NavfitError(f"model: frequency must be one positive number, got {frequency!r}")
        XT = multiband.design(self._tau, f, self.order, self.band, self._nbands)
        return solve_linear(XT, self.y, self.dy, transposed=True).params

    def model(self, t, frequency, band=None):
        """The best-fit model at ``frequency``, evaluated at ``t``.

        Parameters
        ----------
        t : array_like
            Times at which to evaluate the model.
        frequency : float
            One positive frequency.
        band : str, int or array_like, optional
            Several bands only (required): the band of every ``t``, or of each,
            as a name of ``lc.bands`` or its index.

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
        codes = multiband.band_codes(band, t.size, self._bands)
        XT = multiband.design(t - self.t_ref, float(frequency), self.order, codes, self._nbands)
        return coef @ XT

    def false_alarm_probability(self, power, minimum_frequency, maximum_frequency, method="auto"):
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
            approximation (more harmonics resolve finer frequency structure);
            with several bands the ``B - 1`` further offsets are taken from
            the degrees of freedom. ``"auto"``: Baluev for order 1 and one
            band, beta otherwise.

        Returns
        -------
        float or ndarray
        """
        if method == "auto":
            method = "baluev" if self.order == 1 and self.band is None else "beta"
        power = np.asarray(power, dtype=float)
        if method == "baluev":
            if self.order != 1 or self.band is not None:
                raise NavfitError(
                    "false_alarm_probability: method='baluev' needs order=1, one band"
                )
            from astropy.timeseries import LombScargle

            ls = LombScargle(self.t, self.y, self.dy)
            return ls.false_alarm_probability(
                power,
                method="baluev",
                minimum_frequency=minimum_frequency,
                maximum_frequency=maximum_frequency,
            )
        if method != "beta":
            raise NavfitError(f"false_alarm_probability: unknown method {method!r}")
        from .criteria import reduction_fap

        trials = self.order * self._span * (maximum_frequency - minimum_frequency)
        nbands = 1 if self.band is None else int(self.band.max()) + 1  # offsets beyond the mean
        return reduction_fap(power, self.t.size - nbands + 1, 2 * self.order, trials)

    def __repr__(self):
        return (
            f"Periodogram(n={self.t.size}, order={self.order}, "
            f"dy={'given' if self.dy is not None else 'None'}, normalization={self.normalization!r})"
        )
