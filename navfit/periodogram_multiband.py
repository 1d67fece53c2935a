r"""The multi-band periodogram's engine: one phase shared by every band, an offset per band.

:class:`navfit.Periodogram` of a multi-band light curve (``lc.multiband``)
fits, at each trial frequency :math:`f`, the *shared-phase* model

.. math::

    m(t_i) = c_{b_i} + \sum_{j=1}^{s} \left[a_j \cos 2\pi j f \tau_i
             + b_j \sin 2\pi j f \tau_i\right],

with :math:`s` harmonics shared by all bands and a free offset
:math:`c_b` per band :math:`b` (VanderPlas & Ivezić 2015, the
:math:`N_\mathrm{base} = s, N_\mathrm{band} = 0` case of their multiband
periodogram). The power is the chi-square reduction against the model of the
offsets alone,

.. math::

    \chi^2_\mathrm{ref} = \sum_i w_i \left(y_i - \bar y_{w, b_i}\right)^2,
    \qquad
    P_\mathrm{standard}(f) = 1 - \chi^2(f) / \chi^2_\mathrm{ref},

with :math:`\bar y_{w,b}` the weighted mean of band :math:`b`: exactly the
normalization of astropy's ``LombScargleMultiband(t, y, bands, dy,
nterms_base=s, nterms_band=0, reg_base=None, reg_band=None)`` with
``method="flexible"`` and ``center_data=True`` (its ``chi2_ref`` is that of the
data centred per band; the ``model``, ``log`` and ``psd`` normalizations of
:meth:`navfit.Periodogram.power` follow from the same two chi-squares). For
one band it is the periodogram of :mod:`navfit.periodogram`.

Algorithm
---------
The offsets are eliminated exactly: the band indicator columns are orthogonal
to each other, so the Schur complement of their block is a sum over bands of
each band's own mean-eliminated normal matrix. Everything follows from the
per-band trigonometric sums :math:`W_{b,h} = \sum_{i \in b} w_i e^{i h x_i}`
(:math:`h \le 2s`) and the totals :math:`Y_h = \sum_i u_i e^{i h x_i}`
(:math:`h \le s`, :math:`u_i = w_i (y_i - \bar y_{w,b_i})`), accumulated in one
pass over the points (``O(N s)`` per frequency, as for one band; the numba
kernels of :mod:`navfit._kernels.multiband`, ``prange`` over blocks of 64
frequencies, the phasor rotated along a regular grid). The :math:`2s \times 2s`
normal matrix is Cholesky-factored per frequency; where its smallest relative
pivot is below :data:`QUALITY_MIN` (frequencies below about one cycle over
the time span, where the harmonics become collinear with the offsets) the
frequency is recomputed from the full design by SVD
(:func:`navfit._kernels.reference.multiband_reduction`).

The methods (:data:`METHODS`) are ``"direct"`` (the above; ``"auto"``) and
``"reference"`` (one :func:`numpy.linalg.lstsq` of the full design per
frequency). There is no NUFFT path for several bands yet.

References
----------
VanderPlas, J. T., & Ivezić, Ž. 2015, ApJ, 812, 18 (multiband periodogram).
Zechmeister, M., & Kürster, M. 2009, A&A, 496, 577.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import periodogram_engine as engine
from ._kernels import basis as _basis
from ._kernels import multiband as _multiband
from ._kernels import reference as _reference
from ._kernels import scan as _scan
from .errors import NavfitError
from .periodogram_engine import WeightedSeries

__all__ = [
    "METHODS",
    "QUALITY_MIN",
    "BandedSeries",
    "band_codes",
    "design",
    "reduction",
    "series_of",
]

#: Frequencies whose smallest relative Cholesky pivot is below this are
#: recomputed by SVD of the full design. Calibrated on three-band random data
#: (N = 200, s = 1..6, f from 1e-4 to 0.1 over a 200 d span): the standard
#: power then differs from the SVD twin by at most 2e-11 (2e-6 with a
#: threshold of 1e-6, 2e-10 with 1e-4).
QUALITY_MIN = 1e-3


@dataclass(frozen=True)
class BandedSeries:
    r"""What the engine needs of a multi-band light curve, prepared once per periodogram.

    The sibling of :class:`navfit.periodogram_engine.WeightedSeries`.

    Attributes
    ----------
    tau : ndarray
        Times minus the reference time.
    w, sw : ndarray
        Weights :math:`\sigma_i^{-2}` and their square roots.
    yc : ndarray
        Values minus the weighted mean of their band.
    u : ndarray
        ``w * yc``.
    band : ndarray of int64
        Band of each point, ``0 .. nbands - 1``.
    wband : ndarray
        :math:`W_b`, the sum of the weights of each band.
    order : int
        Number :math:`s` of shared harmonics.
    span : float
        Time span.
    chi2_ref : float
        Chi-square of the offsets-only model.
    """

    tau: np.ndarray
    w: np.ndarray
    sw: np.ndarray
    yc: np.ndarray
    u: np.ndarray
    band: np.ndarray
    wband: np.ndarray
    order: int
    span: float
    chi2_ref: float


def series_of(tau, y, dy, order, span, band=None, where="Periodogram"):
    """The engine's view of the data: a WeightedSeries, or a BandedSeries for several bands.

    Parameters
    ----------
    tau, y : ndarray
        Times relative to the reference time, values.
    dy : ndarray or None
        Errors (``None``: equal weights).
    order : int
        Harmonics.
    span : float
        Time span.
    band : ndarray of int, optional
        Band codes ``0 .. B - 1`` (each present); ``None`` or one band gives a
        :class:`~navfit.periodogram_engine.WeightedSeries`.
    where : str
        Label for messages.

    Raises
    ------
    NavfitError
        Constant data (per band), or too few points for ``B + 2s`` parameters.
    """
    sw = np.ones_like(y) if dy is None else 1.0 / dy
    w = sw * sw
    nbands = 1 if band is None else int(band.max()) + 1
    if nbands == 1:
        yc = y - float(np.sum(w * y) / np.sum(w))
    else:
        band = np.ascontiguousarray(band, dtype=np.int64)
        wband = np.bincount(band, weights=w, minlength=nbands)
        yc = y - (np.bincount(band, weights=w * y, minlength=nbands) / wband)[band]
    if y.size <= 2 * order + nbands:
        bands = "" if nbands == 1 else f" with {nbands} bands"
        raise NavfitError(
            f"{where}: order {order}{bands} has {2 * order + nbands} parameters; "
            f"{y.size} points are too few"
        )
    chi2_ref = float(np.sum(w * yc * yc))
    if not chi2_ref > 0:
        within = "" if nbands == 1 else " within each band"
        raise NavfitError(f"{where}: y is constant{within}; there is nothing to fit")
    u = w * yc
    if nbands == 1:
        return WeightedSeries(tau, w, sw, yc, u, order, span, chi2_ref)
    return BandedSeries(tau, w, sw, yc, u, band, wband, order, span, chi2_ref)


def reduction(data, f, method="auto"):
    """Chi-square reduction at the frequencies ``f`` (ascending), one band or several.

    A :class:`~navfit.periodogram_engine.WeightedSeries` goes to
    :func:`navfit.periodogram_engine.reduction`; a :class:`BandedSeries` to
    :data:`METHODS` (``"auto"`` is ``"direct"``). Clipped to
    ``[0, chi2_ref]``.
    """
    if isinstance(data, WeightedSeries):
        return engine.reduction(data, f, method)
    if method == "nufft":
        raise NavfitError("power: method='nufft' is not available for several bands yet")
    regular, df = engine.grid(data, f)
    P = METHODS["direct" if method == "auto" else method](data, f, regular, df)
    return np.clip(P, 0.0, data.chi2_ref)


def direct_method(data, f, regular, df):
    """Per-band direct sums and a Cholesky solve; SVD where the pivots are too small."""
    P = np.empty(f.size)
    q = np.empty(f.size)
    nblocks = -(-f.size // _scan.BLOCK)
    args = (data.tau, data.w, data.u, data.band, data.wband, f, data.order, df, regular, P, q)
    if nblocks == 1 or data.tau.size * f.size * data.order < engine.SERIAL_WORK:
        _multiband.banded_blocks(*args, 0, nblocks)
    else:
        _multiband.banded_power(*args)
    bad = np.flatnonzero(~(q >= QUALITY_MIN))
    if bad.size:
        P[bad] = _reference.multiband_reduction(
            data.tau, data.yc, 1.0 / data.sw, data.band, f[bad], data.order
        )[0]
    return P


def reference_method(data, f, _regular, _df):
    """The slow reference: one :func:`numpy.linalg.lstsq` of the full design per frequency."""
    return _reference.multiband_reduction(
        data.tau, data.yc, 1.0 / data.sw, data.band, f, data.order
    )[0]


def design(tau, f, order, band=None, nbands=1):
    """Transposed design ``(nbands + 2s, n)``: the band offsets (or the constant), then harmonics.

    Rows: one indicator row per band (one row of ones without ``band``), then
    ``cos(2 pi j f tau), sin(2 pi j f tau)`` for ``j = 1..s``
    (:func:`navfit._kernels.basis.fill_tp_basis`).
    """
    XT = np.empty((nbands + 2 * order, tau.size))
    _basis.fill_tp_basis(tau * f, order, XT[nbands - 1 :])
    if band is not None:
        XT[:nbands] = band[None, :] == np.arange(nbands)[:, None]
    return XT


def band_codes(band, n, bands):
    """Band codes of ``n`` times for :meth:`navfit.Periodogram.model` (``None`` for one band).

    Raises
    ------
    NavfitError
        No band given for several bands, or a band that is not one of ``bands``.
    """
    if bands is None:
        return None
    if band is None:
        raise NavfitError(f"model: give the band of each time (one of {', '.join(bands)})")
    codes = []
    for b in np.atleast_1d(np.asarray(band, dtype=object)):
        if isinstance(b, int | np.integer) and 0 <= b < len(bands):
            codes.append(int(b))
        elif b in bands:
            codes.append(bands.index(b))
        else:
            raise NavfitError(f"model: band {b!r} is not one of {', '.join(bands)}")
    codes = np.asarray(codes, dtype=np.int64)
    if codes.size not in (1, n):
        raise NavfitError(f"model: {codes.size} bands for {n} times")
    return np.broadcast_to(codes, (n,)).copy()


#: Ways to compute the multi-band reduction: name -> function ``(data, f, regular, df) -> P``.
METHODS = {"direct": direct_method, "reference": reference_method}
