"""navfit.Periodogram against astropy's LombScargle, the NumPy twin and long-double sums.

Where the re-seeding of the recurrences is exercised:

* ``test_direct_kernel_matches_twin[regular-*]``: regular grids of 300
  frequencies, processed in blocks of ``scan.BLOCK = 64``; inside a block the
  phasor ``exp(2 pi i f tau)`` is advanced by a rotation per frequency and
  re-seeded exactly every ``basis.RESEED = 32`` steps, so every block crosses a
  re-seed (more than 64 rotation steps per point over the grid);
* ``test_direct_kernel_matches_twin[*-order20]``: harmonics up to ``2s = 40``
  come from the angle-addition recurrence, re-seeded at harmonic 32.
"""

import tracemalloc

import numpy as np
import pytest
from astropy.timeseries import LombScargle

import navfit
from navfit import NavfitError
from navfit import periodogram_engine as pgm
from navfit._kernels import basis, scan
from navfit._kernels import reference as ref
from navfit.periodogram import Periodogram

NORMS = ("standard", "model", "log", "psd")
HAVE_FINUFFT = pgm._finufft is not None
METHODS = [
    "direct",
    pytest.param(
        "nufft", marks=pytest.mark.skipif(not HAVE_FINUFFT, reason="finufft not installed")
    ),
]


@pytest.fixture
def threads(threads, monkeypatch):
    """The shared 1 and 2 numba threads, with the parallel kernels (and NUFFT worker
    threads) even for small problems."""
    monkeypatch.setattr(pgm, "SERIAL_WORK", 0)
    monkeypatch.setattr(pgm, "NUFFT_PARALLEL_SECONDS", 0.0)
    monkeypatch.setattr(pgm, "NUFFT_WORKERS", 2)
    return threads


def _data(n=300, seed=0, span=50.0):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, span, n))
    dy = rng.uniform(0.3, 3.0, n)
    y = 10 + 0.5 * np.sin(2 * np.pi * t / 0.37) + rng.normal(0, 1, n) * dy
    return t, y, dy


T, Y, DY = _data()
SPAN = T.max() - T.min()
DF = 1.0 / (5 * SPAN)
#: astropy's autofrequency grid: 300 frequencies from 0.1/T (periods 10x the span)
FREQ = DF * (0.5 + np.arange(300))


def _low_cut(order):
    """Lowest frequency index where astropy's chi2 (normal equations) is itself good.

    Below about 0.7 cycles over the span its normal equations lose digits for
    s >= 3 (1e-3 at 0.1/T for s = 4, see test_low_frequencies_beat_astropy).
    """
    return 0 if order <= 2 else 3


_ASTROPY = {}


def _astropy_chi2(order, with_dy, norm):
    key = (order, with_dy, norm)
    if key not in _ASTROPY:
        ls = LombScargle(T, Y, DY if with_dy else None, nterms=order, normalization=norm)
        _ASTROPY[key] = ls.power(FREQ, method="chi2")
    return _ASTROPY[key]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("with_dy", [True, False], ids=["dy", "nody"])
@pytest.mark.parametrize("order", range(1, 9))
@pytest.mark.usefixtures("threads")
def test_power_matches_astropy_chi2(order, with_dy, method):
    pg = Periodogram(T, Y, DY if with_dy else None, order=order)
    cut = _low_cut(order)
    scale = pg._chi2_ref
    for norm in NORMS:
        ours = pg.power(FREQ, normalization=norm, method=method)[cut:]
        theirs = _astropy_chi2(order, with_dy, norm)[cut:]
        atol = 1e-8 * (0.5 * scale if norm == "psd" else 1.0)
        np.testing.assert_allclose(ours, theirs, rtol=1e-8, atol=atol, err_msg=norm)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("order", [1, 3, 6])
@pytest.mark.usefixtures("threads")
def test_power_matches_numpy_twin(order, method):
    pg = Periodogram(T, Y, DY, order=order)
    P_ref, chi2_ref = ref.periodogram_reduction(T, Y, DY, FREQ, order)
    assert pg._chi2_ref == pytest.approx(chi2_ref, rel=1e-13)
    cut = _low_cut(order)
    np.testing.assert_allclose(
        pg.reduction(FREQ, method=method)[cut:] / chi2_ref, P_ref[cut:] / chi2_ref, atol=1e-9
    )


@pytest.mark.parametrize("order", [1, 4, 20], ids=["order1", "order4", "order20"])
@pytest.mark.parametrize("regular", [True, False], ids=["regular", "irregular"])
@pytest.mark.usefixtures("threads")
def test_direct_kernel_matches_twin(regular, order):
    # see the module docstring: the re-seeding of both recurrences is tested here
    assert scan.BLOCK > basis.RESEED
    assert basis.RESEED < 2 * 20
    t, y, dy = _data(n=200, seed=3)
    span = t.max() - t.min()
    if regular:
        f = (1.3 + 0.2 * np.arange(300)) / span
        df = f[1] - f[0]
    else:
        f = np.sort(np.random.default_rng(4).uniform(1.0, 60.0, 300)) / span
        df = 0.0
    tau = t - 0.5 * (t.min() + t.max())
    w = dy**-2
    u = w * (y - np.sum(w * y) / np.sum(w))
    P = np.empty(f.size)
    q = np.empty(f.size)
    scan.power_direct(tau, w, u, f, order, df, regular, P, q)
    P_ref, chi2_ref = ref.periodogram_reduction(t, y, dy, f, order)
    good = q > 1e-6  # the kernel's own verdict: normal equations fine there
    assert good.mean() > 0.9
    np.testing.assert_allclose(P[good] / chi2_ref, P_ref[good] / chi2_ref, atol=1e-10)


@pytest.mark.usefixtures("threads")
def test_parallel_and_serial_kernels_agree():
    t, y, dy = _data(n=150, seed=11)
    tau = t - 0.5 * (t.min() + t.max())
    w = dy**-2
    u = w * (y - np.sum(w * y) / np.sum(w))
    f = np.sort(np.random.default_rng(12).uniform(0.05, 5.0, 1000))
    P1, q1, P2, q2 = (np.empty(f.size) for _ in range(4))
    scan.power_direct(tau, w, u, f, 2, 0.0, False, P1, q1)
    scan.direct_blocks(tau, w, u, f, 2, 0.0, False, P2, q2, 0, -(-f.size // scan.BLOCK))
    np.testing.assert_array_equal(P1, P2)
    np.testing.assert_array_equal(q1, q2)
    # the solve from sums, in two calls (as two NUFFT worker jobs) or one
    rng = np.random.default_rng(13)
    pair = rng.normal(size=(3, 2, 2, 640)) + 1j * rng.normal(size=(3, 2, 2, 640))
    solo = rng.normal(size=(3, 2, 640)) + 1j * rng.normal(size=(3, 2, 640))
    nf = 3 * 640 - 100
    nblocks = -(-nf // scan.BLOCK)
    P1, q1, P2, q2 = (np.empty(nf) for _ in range(4))
    scan.sums_blocks(pair, solo, 50.0, 2, nf, P1, q1, 0, 7)
    scan.sums_blocks(pair, solo, 50.0, 2, nf, P1, q1, 7, nblocks)
    scan.sums_blocks(pair, solo, 50.0, 2, nf, P2, q2, 0, nblocks)
    np.testing.assert_array_equal(P1, P2)
    np.testing.assert_array_equal(q1, q2)


@pytest.mark.usefixtures("threads")
def test_qr_kernel_matches_twin():
    t, y, dy = _data(n=200, seed=5)
    f = np.linspace(0.05, 3.0, 40)
    tau = t - 0.5 * (t.min() + t.max())
    w = dy**-2
    yc = y - np.sum(w * y) / np.sum(w)
    P = np.empty(f.size)
    scan.power_qr(tau, yc, 1.0 / dy, f, 3, P)
    P_ref, chi2_ref = ref.periodogram_reduction(t, y, dy, f, 3)
    np.testing.assert_allclose(P / chi2_ref, P_ref / chi2_ref, atol=1e-12)


def _longdouble_power(t, y, dy, freq, order):
    """Standard power by modified Gram-Schmidt (twice) in 80-bit long double."""
    ld = np.longdouble
    t, y, sw = t.astype(ld), y.astype(ld), 1 / dy.astype(ld)
    w = sw * sw
    yc = y - np.sum(w * y) / np.sum(w)
    b = yc * sw
    chi2_ref = np.sum(b * b)
    tau = t - (t.min() + t.max()) / 2
    out = []
    for f in freq:
        x = 2 * np.pi * ld(f) * tau
        cols = [np.ones_like(tau)]
        for h in range(1, order + 1):
            cols += [np.cos(h * x), np.sin(h * x)]
        Q = []
        for c in cols:
            v = c * sw
            for _ in range(2):
                for qv in Q:
                    v = v - np.sum(qv * v) * qv
            Q.append(v / np.sqrt(np.sum(v * v)))
        out.append(sum(np.sum(qv * b) ** 2 for qv in Q) / chi2_ref)
    return np.array(out, dtype=float)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("order", [1, 2, 4])
def test_low_frequencies_beat_astropy(order, method):
    """Down to 0.1 cycles over the span the QR fallback keeps the power exact."""
    f = FREQ[:12]
    truth = _longdouble_power(T, Y, DY, f, order)
    ours = Periodogram(T, Y, DY, order=order).power(f, method=method)
    np.testing.assert_allclose(ours, truth, rtol=0, atol=1e-9)
    if order == 4:  # astropy's normal equations are visibly off there
        theirs = _astropy_chi2(order, True, "standard")[:12]
        assert np.max(np.abs(theirs - truth)) > 1e-6


def test_order1_is_astropy_default_lomb_scargle():
    pg = Periodogram(T, Y, DY)
    irregular = np.sort(np.random.default_rng(6).uniform(0.01, 8, 150))  # astropy: cython
    np.testing.assert_allclose(
        pg.power(irregular), LombScargle(T, Y, DY).power(irregular), rtol=0, atol=1e-10
    )
    f, p = pg.autopower(maximum_frequency=8)  # regular: astropy's "fast" method
    f_ap, p_ap = LombScargle(T, Y, DY).autopower(maximum_frequency=8)
    np.testing.assert_array_equal(f, f_ap)
    np.testing.assert_allclose(p, p_ap, rtol=0, atol=1e-8)
    np.testing.assert_allclose(p, LombScargle(T, Y, DY).power(f, method="slow"), rtol=0, atol=1e-10)


@pytest.mark.skipif(not HAVE_FINUFFT, reason="finufft not installed")
def test_nufft_chunks_and_groups_match_direct(monkeypatch):
    t, y, dy = _data(n=400, seed=7, span=200.0)
    pg = Periodogram(t, y, dy, order=3)
    f = pg.autofrequency(samples_per_peak=4)[:5000]
    direct = pg.power(f, method="direct")
    monkeypatch.setattr(pgm, "NUFFT_MIRROR_GAIN", 0.0)  # the chunked layout
    monkeypatch.setattr(pgm, "NUFFT_CHUNK_RANGE", (256, 512))  # 10 chunks
    monkeypatch.setattr(pgm, "NUFFT_MEMORY", 3 * 48 * 3 * 512)  # solved in groups of 3
    np.testing.assert_allclose(pg.power(f, method="nufft"), direct, rtol=0, atol=1e-9)
    monkeypatch.setattr(pgm, "NUFFT_PARALLEL_SECONDS", 0.0)  # on worker threads
    monkeypatch.setattr(pgm, "NUFFT_WORKERS", 2)
    monkeypatch.setattr(pgm, "NUFFT_SOLVE_JOB", 200)
    np.testing.assert_allclose(pg.power(f, method="nufft"), direct, rtol=0, atol=1e-9)


@pytest.mark.skipif(not HAVE_FINUFFT, reason="finufft not installed")
@pytest.mark.parametrize("offset", [0.5, 3.0], ids=["half", "whole"])
@pytest.mark.parametrize("order", [1, 4])
def test_nufft_mirrored_layout_matches_direct(order, offset, monkeypatch):
    """Packed strengths over a mirrored mode range, f0 = df/2 (rot used) or 3 df (not).

    ``y`` in large units checks that the packing scale keeps the power exact.
    """
    t, y, dy = _data(n=2000, seed=14, span=100.0)
    y, dy = 1e6 * y, 1e6 * dy
    pg = Periodogram(t, y, dy, order=order)
    df = 1.0 / (5 * (t.max() - t.min()))
    f = df * (offset + np.arange(400))
    direct = pg.power(f, method="direct")
    monkeypatch.setattr(pgm, "NUFFT_MIRROR_GAIN", 0.0)
    chunked = pg.power(f, method="nufft")
    seen = []
    mirror = pgm.nufft_mirror

    def spy(data, *args):
        seen.append(args)
        return mirror(data, *args)

    monkeypatch.setattr(pgm, "nufft_mirror", spy)
    monkeypatch.setattr(pgm, "NUFFT_MIRROR_GAIN", np.inf)
    for workers in (1, 2):
        monkeypatch.setattr(pgm, "NUFFT_WORKERS", workers)
        monkeypatch.setattr(pgm, "NUFFT_PARALLEL_SECONDS", 0.0)
        monkeypatch.setattr(pgm, "NUFFT_SOLVE_JOB", 128)
        np.testing.assert_allclose(pg.power(f, method="nufft"), direct, rtol=0, atol=1e-9)
    assert len(seen) == 2
    assert seen[0][3] == (1 if offset == 0.5 else 0)
    np.testing.assert_allclose(chunked, direct, rtol=0, atol=1e-9)
    # not a multiple of df / 2: the chunked layout
    seen.clear()
    np.testing.assert_allclose(
        pg.power(f + 0.3 * df, method="nufft"),
        pg.power(f + 0.3 * df, method="direct"),
        rtol=0,
        atol=1e-9,
    )
    assert seen == []


def test_cossin_is_accurate():
    rng = np.random.default_rng(15)
    ph = np.r_[rng.uniform(-50, 50, 20000), np.arange(-8, 9) / 8, 1e-300, 0.125 - 1e-17]
    c, s = np.array([scan._cossin(p) for p in ph]).T
    ld = ph.astype(np.longdouble)
    x = (ld - np.floor(ld)) * 2 * np.arccos(np.longdouble(-1))
    assert np.max(np.abs(c - np.cos(x).astype(float))) <= 2.3e-16
    assert np.max(np.abs(s - np.sin(x).astype(float))) <= 2.3e-16


def test_auto_method_choice(monkeypatch):
    calls = []
    nufft = pgm.nufft_reduction

    def spy(data, *args):
        calls.append(args)
        return nufft(data, *args)

    monkeypatch.setattr(pgm, "nufft_reduction", spy)
    t, y, dy = _data(n=1000, seed=8)
    pg = Periodogram(t, y, dy, order=2)
    regular = pg.autofrequency()[:2000]
    pg.power(regular[:100])  # N * Nf below NUFFT_MIN_WORK: direct
    assert calls == []
    pg.power(np.sort(regular[::-1] * (1 + 1e-6 * np.arange(2000) ** 0.5)))  # irregular
    assert calls == []
    if HAVE_FINUFFT:
        pg.power(regular)
        assert len(calls) == 1
    monkeypatch.setattr(pgm, "_finufft", None)
    calls.clear()
    p = pg.power(regular[:400])  # falls back to the direct sums
    assert calls == []
    assert np.all(np.isfinite(p))
    with pytest.raises(NavfitError, match="finufft"):
        pg.power(regular, method="nufft")


def test_recovers_sinusoid_frequency():
    rng = np.random.default_rng(9)
    t = np.sort(rng.uniform(0, 80, 400))
    f_true = 1 / 0.6131
    y = 12 + 0.2 * np.cos(2 * np.pi * f_true * t + 0.4) + rng.normal(0, 0.05, t.size)
    lc = navfit.LightCurve(t, y, np.full(t.size, 0.05))
    for order in (1, 3):
        f, p = Periodogram(lc, order=order).autopower(maximum_frequency=5, samples_per_peak=10)
        assert abs(f[np.argmax(p)] - f_true) < 0.5 / (t.max() - t.min())
        assert p.max() > 0.8


def test_lightcurve_input_matches_arrays():
    lc = navfit.LightCurve(T, Y, DY)
    np.testing.assert_array_equal(
        Periodogram(lc, order=2).power(FREQ[:50]), Periodogram(T, Y, DY, order=2).power(FREQ[:50])
    )
    no_dy = navfit.LightCurve(T, Y)
    assert Periodogram(no_dy).dy is None
    f = FREQ[5:55]
    np.testing.assert_allclose(
        Periodogram(no_dy, order=2).power(f, normalization="psd"),
        LombScargle(T, Y, nterms=2, normalization="psd").power(f, method="chi2"),
        rtol=1e-10,
    )


@pytest.mark.parametrize("order", [1, 4])
def test_model_matches_astropy(order):
    t_fit = np.linspace(-3, 55, 101)
    f = FREQ[137]
    ours = Periodogram(T, Y, DY, order=order).model(t_fit, f)
    theirs = LombScargle(T, Y, DY, nterms=order).model(t_fit, f)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)


def test_autofrequency_matches_astropy_and_periods():
    pg = Periodogram(T, Y, DY)
    ls = LombScargle(T, Y, DY)
    np.testing.assert_array_equal(pg.autofrequency(), ls.autofrequency())
    np.testing.assert_array_equal(
        pg.autofrequency(samples_per_peak=3, minimum_frequency=0.2, maximum_frequency=7),
        ls.autofrequency(samples_per_peak=3, minimum_frequency=0.2, maximum_frequency=7),
    )
    f = pg.autofrequency(minimum_period=0.25, maximum_period=20)
    assert f[0] == pytest.approx(1 / 20)
    assert f[-1] == pytest.approx(4, abs=DF)
    assert pg.autofrequency(minimum_period=0.5, return_freq_limits=True)[1] == pytest.approx(
        2, abs=DF
    )


def test_memory_stays_linear():
    # an N x Nf float64 array here would take 2.4 GB
    t, y, dy = _data(n=3000, seed=10, span=300.0)
    pg = Periodogram(t, y, dy, order=2)
    f = pg.autofrequency(samples_per_peak=5, maximum_frequency=66)
    assert f.size > 98_000
    pg.power(f[:2000])  # compile / warm up outside the trace
    tracemalloc.start()
    pg.power(f)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 64 * 1024**2


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"t": [1.0, np.nan, 3.0, 4.0, 5.0], "y": [1.0, 2, 3, 4, 6]}, "t contains NaN"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [1.0, 2, np.inf, 4, 6]}, "y contains NaN"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [1.0, 2, 3, 4]}, "differ in length"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [1.0, 2, 3, 4, 6], "dy": [1, 1, 0, 1, 1]}, "dy must be"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [1.0, 2, 3, 4, 6], "dy": [1, 1, 1]}, "dy"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [1.0, 2, 3, 4, 6], "dy": [1, np.nan, 1, 1, 1]}, "dy"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [1.0, 2, 3, 4, 6], "order": 0}, "order"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [1.0, 2, 3, 4, 6], "order": 1.5}, "order"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [1.0, 2, 3, 4, 6], "order": 2}, "order 2"),
        ({"t": [2.0, 2, 2, 2, 2], "y": [1.0, 2, 3, 4, 6]}, "times t are equal"),
        ({"t": [1.0, 2, 3, 4, 5], "y": [3.0, 3, 3, 3, 3]}, "constant"),
    ],
)
def test_bad_construction_raises(kwargs, match):
    with pytest.raises(NavfitError, match=match):
        Periodogram(**kwargs)


def test_bad_power_arguments_raise():
    pg = Periodogram(T, Y, DY)
    for bad in ([0.0, 1.0], [-1.0], [1.0, np.nan], []):
        with pytest.raises(NavfitError, match="frequency"):
            pg.power(bad)
    with pytest.raises(NavfitError, match="normalization"):
        pg.power(FREQ, normalization="snr")
    with pytest.raises(NavfitError, match="method"):
        pg.power(FREQ, method="fast")
    if HAVE_FINUFFT:
        with pytest.raises(NavfitError, match="regular frequency grid"):
            pg.power(np.sort(np.random.default_rng(1).uniform(1, 2, 50)), method="nufft")
    with pytest.raises(NavfitError, match="frequency"):
        pg.model(T, -1.0)
    with pytest.raises(NavfitError, match="frequency"):
        pg.model(T, [1.0, 2.0])
    with pytest.raises(NavfitError, match="LightCurve"):
        Periodogram(navfit.LightCurve(T, Y, DY), Y)


def test_memory_guard_names_frequency(monkeypatch):
    pg = Periodogram(T, Y, DY)
    with pytest.raises(NavfitError, match=r"frequency grid would have .* GiB"):
        pg.autofrequency(minimum_period=1e-9)
    monkeypatch.setattr(pgm, "MAX_MEMORY", 3 * 8 * 100)
    with pytest.raises(NavfitError, match="frequency has 300 points"):
        pg.power(FREQ)
    with pytest.raises(NavfitError, match="maximum_period"):
        pg.autofrequency(minimum_frequency=0.1, maximum_period=3)
    with pytest.raises(NavfitError, match="samples_per_peak"):
        pg.autofrequency(samples_per_peak=0)


def test_false_alarm_probability():
    from astropy.timeseries import LombScargle

    rng = np.random.default_rng(3)
    t = np.sort(rng.uniform(0, 100, 300))
    dy = np.full(t.size, 0.1)
    y = rng.normal(0, 0.1, t.size)
    pg = navfit.Periodogram(t, y, dy)
    expected = LombScargle(t, y, dy).false_alarm_probability(
        0.05, method="baluev", minimum_frequency=0.01, maximum_frequency=2.0
    )
    assert pg.false_alarm_probability(0.05, 0.01, 2.0) == pytest.approx(expected)
    # the beta approximation for order 1 is close to Baluev's bound in the tail
    beta = pg.false_alarm_probability(0.08, 0.01, 2.0, method="beta")
    baluev = pg.false_alarm_probability(0.08, 0.01, 2.0)
    assert 0.1 * baluev < beta < 10 * baluev
    pg4 = navfit.Periodogram(t, y, dy, order=4)
    f = np.linspace(0.01, 2.0, 4000)
    fap = pg4.false_alarm_probability(pg4.power(f).max(), 0.01, 2.0)
    assert fap > 0.01  # pure noise is not significant
    with pytest.raises(navfit.NavfitError, match="baluev"):
        pg4.false_alarm_probability(0.1, 0.01, 2.0, method="baluev")


@pytest.mark.parametrize("order", [1, 3])
def test_every_method_of_the_registry_agrees_with_the_reference(order):
    """``method=`` names the engine's ways; the slow lstsq twin is one of them."""
    assert set(pgm.METHODS) == {"direct", "nufft", "reference"}
    t, y, dy = _data(n=400, seed=21)
    pg = Periodogram(t, y, dy, order=order)
    f = pg.autofrequency()[:300]
    reference = pg.power(f, method="reference")
    for method in ("auto", *pgm.METHODS):
        if method == "nufft" and not HAVE_FINUFFT:
            continue
        np.testing.assert_allclose(pg.power(f, method=method), reference, rtol=0, atol=1e-9)
    with pytest.raises(NavfitError, match="method must be one of"):
        pg.power(f, method="fast")


def test_nufft_threads_never_exceed_numbas_thread_setting():
    """One knob limits navfit's threads: with numba at one thread, no NUFFT pool thread runs."""
    import threading
    import time

    import numba

    from navfit._kernels._config import get_threads, set_threads

    names = []

    def job(_):
        names.append(threading.current_thread().name)
        time.sleep(0.003)  # long enough for a pool thread to take jobs when it may

    before = get_threads()
    try:
        set_threads(1)
        pgm._run(job, range(64), 2)
        assert set(names) == {threading.current_thread().name}
        if numba.config.NUMBA_NUM_THREADS >= 2:
            names.clear()
            set_threads(2)
            pgm._run(job, range(64), 2)
            assert any(n.startswith("navfit-nufft") for n in names)
    finally:
        set_threads(before)
