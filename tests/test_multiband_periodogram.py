"""Multi-band periodogram (issue 15): shared phase, an offset per band."""

import numpy as np
import pytest
from astropy.timeseries import LombScargleMultiband

from navfit import LightCurve, NavfitError, Periodogram, read_lightcurve
from navfit._kernels import reference
from navfit.periodogram_multiband import QUALITY_MIN, BandedSeries

OFFSETS = {"g": 15.0, "r": 14.6, "i": 14.4}


def three_band(n=240, seed=2, span=200.0, period=0.73):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, span, n))
    bands = rng.choice(np.array(list(OFFSETS)), n)
    phase = 2 * np.pi * t / period
    y = np.array([OFFSETS[b] for b in bands]) + 0.3 * np.sin(phase) + 0.1 * np.cos(2 * phase)
    dy = rng.uniform(0.03, 0.08, n)
    y += rng.normal(0, 1, n) * dy
    return LightCurve(t, y, dy, band=bands, name="three")


def astropy_power(lc, f, order):
    ls = LombScargleMultiband(
        lc.t,
        lc.y,
        np.array(lc.bands)[lc.band_index],
        lc.dy,
        nterms_base=order,
        nterms_band=0,
        reg_base=None,
        reg_band=None,
    )
    return ls.power(f, method="flexible")


@pytest.mark.parametrize("order", [1, 2, 3])
def test_power_equals_astropy_multiband_flexible(order):
    lc = three_band()
    pg = Periodogram(lc, order=order)
    assert isinstance(pg._data, BandedSeries)
    # from half a cycle over the span to 5 c/d, irregular too
    rng = np.random.default_rng(1)
    f = np.r_[np.linspace(0.5 / 200, 5, 1500), np.sort(rng.uniform(0.01, 5, 300))]
    np.testing.assert_allclose(pg.power(f), astropy_power(lc, f, order), rtol=0, atol=1e-8)
    # below, astropy's normal equations (with a constant column that the band
    # offsets make redundant) lose digits; navfit stays with the SVD twin
    low = np.array([0.05 / 200, 0.1 / 200])
    np.testing.assert_allclose(pg.power(low), pg.power(low, method="reference"), atol=1e-9)


def test_astropy_normalization_is_reduction_over_offsets_only_chi2():
    lc = three_band(n=90)
    pg = Periodogram(lc, order=2)
    f = np.array([1 / 0.73, 0.9])
    P, chi2_ref = reference.multiband_reduction(lc.t, lc.y, lc.dy, lc.band_index, f, 2)
    np.testing.assert_allclose(astropy_power(lc, f, 2), P / chi2_ref, atol=1e-12)
    np.testing.assert_allclose(pg.power(f, normalization="psd"), 0.5 * P, rtol=1e-10)
    std = pg.power(f)
    np.testing.assert_allclose(pg.power(f, normalization="model"), std / (1 - std), rtol=1e-10)
    np.testing.assert_allclose(pg.power(f, normalization="log"), -np.log1p(-std), rtol=1e-10)


@pytest.mark.parametrize("order", [1, 4])
def test_kernel_matches_reference_twin(order, threads):
    lc = three_band(n=300, seed=threads)
    pg = Periodogram(lc, order=order)
    regular = np.linspace(0.02, 6, 4000)  # N Nf s above SERIAL_WORK: the parallel path
    irregular = np.sort(np.random.default_rng(3).uniform(0.002, 6, 200))
    for f in (regular, irregular, regular[:50]):
        direct = pg.power(f, method="direct")
        ref = pg.power(f, method="reference")
        np.testing.assert_allclose(direct, ref, rtol=0, atol=1e-9)
        assert not np.array_equal(direct, ref)  # two paths really ran


def test_low_frequencies_recomputed_where_pivots_are_small():
    lc = three_band(n=120, span=50.0)
    pg = Periodogram(lc, order=3)
    f = np.geomspace(1e-4, 0.05, 40)  # far below one cycle over the span
    np.testing.assert_allclose(pg.power(f), pg.power(f, method="reference"), atol=1e-9)
    assert QUALITY_MIN > 0


def test_one_band_is_the_single_band_periodogram():
    lc = three_band(n=150)
    g = lc.select("g")
    one = LightCurve(g.t, g.y, g.dy, band=np.full(g.n, "g"))
    f = np.linspace(0.05, 4, 500)
    assert not one.multiband
    np.testing.assert_array_equal(
        Periodogram(one, order=2).power(f), Periodogram(g, order=2).power(f)
    )


def test_joint_power_finds_the_period_where_bands_alone_are_sparse():
    lc = three_band(n=75, seed=5, span=600.0)  # 25 points per band
    f = np.linspace(0.05, 4, 60000)
    joint = Periodogram(lc, order=2).power(f)
    assert abs(1 / f[np.argmax(joint)] - 0.73) < 1e-3
    # ignoring the bands (one offset for all) the offsets swamp the signal
    mixed = Periodogram(lc.t, lc.y, lc.dy, order=2).power(f)
    assert joint.max() > 2 * mixed.max()


def test_bad_input_named():
    lc = three_band(n=60)
    pg = Periodogram(lc)
    with pytest.raises(NavfitError, match=r"nufft.*several bands"):
        pg.power(np.linspace(0.1, 1, 10), method="nufft")
    with pytest.raises(NavfitError, match="model: give the band of each time"):
        pg.model([1.0], 1.3)
    with pytest.raises(NavfitError, match="model: band 'z' is not one of"):
        pg.model([1.0], 1.3, band="z")
    few = LightCurve(np.arange(9.0), np.r_[1.0, 2, 3, 1, 2, 3, 1, 2, 3], band=list("gggrrriii"))
    with pytest.raises(NavfitError, match="order 3 with 3 bands has 9 parameters; 9 points"):
        Periodogram(few, order=3)
    # light constant within each band: refused when the light curve is made, naming the bands
    with pytest.raises(NavfitError, match=r"no band can be used.*g: constant light"):
        LightCurve(np.arange(9.0), np.r_[1.0, 1, 1, 2, 2, 2, 3, 3, 3], band=list("gggrrriii"))


def stripe82(path):
    """The five bands of an SDSS Stripe 82 file joined into one light curve."""
    curves = [read_lightcurve(path, band=b) for b in "ugriz"]
    return LightCurve(
        np.concatenate([c.t for c in curves]),
        np.concatenate([c.y for c in curves]),
        np.concatenate([c.dy for c in curves]),
        band=np.concatenate([[c.band] * c.n for c in curves]),
    )


def test_stripe82_rr_lyrae_five_bands(survey_dir):
    import csv

    with open(survey_dir / "truth.csv") as fh:
        truth = {r["file"]: float(r["period"]) for r in csv.DictReader(fh) if r["period"]}
    files = sorted(survey_dir.glob("s82_ugriz/*.dat"))[:4]
    assert files
    for path in files:
        lc = stripe82(path)
        assert lc.bands == tuple("ugriz")
        f = np.linspace(1.0, 4.0, 200_000)
        power = Periodogram(lc, order=2).power(f)
        period = truth[f"lc/{path.name}"]
        assert abs(1 / f[np.argmax(power)] - period) < 1e-3 * period, path.name


def test_false_alarm_probability_counts_the_band_offsets():
    from navfit.criteria import reduction_fap

    lc = three_band(n=90)
    pg = Periodogram(lc, order=2)
    fap = pg.false_alarm_probability(0.3, 0.1, 5.0)
    trials = 2 * lc.time_span * 4.9
    assert fap == pytest.approx(float(reduction_fap(0.3, lc.n - 2, 4, trials)))
    with pytest.raises(NavfitError, match=r"baluev.*one band"):
        Periodogram(lc, order=1).false_alarm_probability(0.3, 0.1, 5.0, method="baluev")


def test_bands_without_overlap_in_time():
    rng = np.random.default_rng(8)
    band = np.repeat(np.array(["g", "r", "i"]), 40)
    t = rng.uniform(0, 100, band.size) + 400.0 * np.repeat([0, 1, 2], 40)  # a season per band
    y = np.array([OFFSETS[b] for b in band]) + 0.3 * np.sin(2 * np.pi * t / 0.73)
    y += rng.normal(0, 0.03, t.size)
    lc = LightCurve(t, y, np.full(t.size, 0.03), band=band)
    f = np.linspace(0.5, 2, 30000)
    power = Periodogram(lc, order=2).power(f)
    assert np.all(np.isfinite(power))
    assert abs(1 / f[np.argmax(power)] - 0.73) < 2e-3


def test_model_per_band_matches_numpy_lstsq():
    # (astropy's LombScargleMultiband.model fails for nterms_band=0 in astropy 8.0)
    lc = three_band(n=120)
    pg = Periodogram(lc, order=2)
    f = 1 / 0.73
    coef = pg.model_parameters(f)
    assert coef.size == 3 + 4
    tau = lc.t - pg.t_ref
    indicators = (lc.band_index[:, None] == np.arange(3)).astype(float)
    X = np.column_stack([indicators, reference.tp_basis(f * tau, 2)[:, 1:]]) / lc.dy[:, None]
    expected, *_ = np.linalg.lstsq(X, lc.y / lc.dy, rcond=None)
    np.testing.assert_allclose(coef, expected, rtol=1e-9, atol=1e-11)
    t = np.linspace(10, 11, 7)
    for k, band in enumerate(lc.bands):
        ours = pg.model(t, f, band=band)
        np.testing.assert_array_equal(ours, pg.model(t, f, band=k))
        harmonics = reference.tp_basis(f * (t - pg.t_ref), 2)[:, 1:] @ expected[3:]
        np.testing.assert_allclose(ours, expected[k] + harmonics, atol=1e-9)
