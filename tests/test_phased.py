"""Phase-folded input: reading, analysing at a known period, catalogue rows, the CLI."""

import json

import numpy as np
import pytest

import navfit
from navfit._kernels.reference import nav_curve
from navfit.cli import main
from navfit.manifest import load_entry, read_catalog
from navfit.synthetic import nav_lightcurve

KPD = "EL_KPD1946+4340_Kepler_SC_phasebinned.dat"
KPD_PERIOD = 0.40375026


def _phased_curve(c, a, n=1500, noise=0.002, rng=1, shift=0.3):
    """NAV curve sampled in phase, Min I at phase ``shift`` (rows in phase order)."""
    rng = np.random.default_rng(rng)
    phase = np.sort(rng.uniform(0.0, 1.0, n))
    y = nav_curve(phase - shift, c, a, 1.6, 1.4) + rng.normal(0.0, noise, n)
    return phase, y


def _write(path, phase, y, err=None, header="phase mag err"):
    cols = [phase, y] if err is None else [phase, y, err]
    np.savetxt(path, np.column_stack(cols), header=header, comments="", fmt="%.10f")
    return path


# --------------------------------------------------------------------------- real star
@pytest.fixture(scope="module")
def kpd_star(lightcurves_dir):
    catalog = read_catalog(lightcurves_dir)
    row = catalog[list(catalog["file"]).index(KPD)]
    lc, info = load_entry(row)
    return lc, info, navfit.analyze(lc)


def test_catalogue_loads_kpd_as_phased_flux(kpd_star, lightcurves_dir):
    lc, info, _ = kpd_star
    raw = np.loadtxt(lightcurves_dir / KPD)
    assert lc.phased
    assert lc.period == info["period"] == KPD_PERIOD
    assert lc.meta["time_system"] == "phase"
    assert not lc.meta["dy_given"]
    assert lc.n == 2000
    assert lc.meta["kind"] == "mag"
    np.testing.assert_allclose(lc.phase, raw[:, 0], rtol=0, atol=1e-15)
    np.testing.assert_allclose(lc.y, -2.5 * np.log10(raw[:, 1]), rtol=0, atol=1e-12)
    assert lc.time_span == KPD_PERIOD
    assert np.isnan(lc.full_jd()).all()


def test_kpd_is_ell_through_analyze(kpd_star):
    _, info, star = kpd_star
    assert info["type"] == "ELL"
    assert star.type == "ELL", (star.classification.reasons, star.classification.metrics)
    m = star.classification.metrics
    # significant eclipses, but a small ellipsoidal variation dominated by the out-of-eclipse light
    assert m["sig_C6"][0] > 10
    assert m["A_I"][0] < 0.02
    assert m["D"][0] < 5
    assert m["eclipse_share"][0] < 0.4
    assert "shallow eclipses" in star.classification.reasons[-1]
    # period known, not measured: fixed in both fits; NAV describes the shape best
    assert "period" in star.nav.fixed
    assert "period" in star.tp.fixed
    assert star.nav.period == star.tp.period == KPD_PERIOD
    assert star.nav.bic < star.tp.bic - 10
    assert star.search.candidates is not None
    assert not np.isfinite(star.search.fap)
    assert "held fixed" in star.search.evidence["decision"]


def test_kpd_catalogue_row(kpd_star):
    _, _, star = kpd_star
    row = star.to_dict()
    json.dumps(row, allow_nan=False)
    assert row["time_system"] == "phase"
    assert row["type"] == "ELL"
    assert row["period"] == KPD_PERIOD
    assert row["period_err"] is None
    assert row["fap"] is None
    phase, phase_err = star.epoch_phase()
    assert 0 <= row["epoch"] < 1
    assert row["epoch"] == pytest.approx(phase)
    assert 0 < row["epoch_err"] < 1e-3
    assert row["epoch_err"] == pytest.approx(phase_err)
    assert row["epoch"] == pytest.approx((star.nav.epoch / KPD_PERIOD) % 1)
    # no Julian-date epoch in the GCVS line; the period is there
    line = row["gcvs"]
    assert f"{row['epoch']:.4f}" not in line
    assert "phas" not in line
    assert "0.40375026" in line  # as given: a fixed period has no error to round to
    assert navfit.gcvs_line(star) == line
    assert "phase-folded" in star.summary()
    assert f"epoch (Min I) = phase {row['epoch']:.6f}" in star.nav.summary()


def test_kpd_from_path_with_period(lightcurves_dir):
    star = navfit.analyze(
        lightcurves_dir / KPD, time=0, flux=1, time_format="phase", period=KPD_PERIOD
    )
    assert star.type == "ELL"
    assert star.lc.period == KPD_PERIOD


# --------------------------------------------------------------------------- synthetic
def test_synthetic_phased_file_round_trip(tmp_path):
    c = (12.0, 0.01, 0.002, 0.008, 0.0, 0.6, 0.2)  # an Algol: flat outside narrow eclipses
    phase, y = _phased_curve(c, a=0.05, shift=0.3)
    err = np.full(phase.size, 0.002)
    path = _write(tmp_path / "folded.txt", phase, y, err)
    lc = navfit.read_lightcurve(path, time="phase", time_format="phase", period=2.5)
    assert lc.phased
    assert lc.period == 2.5
    assert lc.meta["dy_given"]
    np.testing.assert_allclose(lc.phase, phase, atol=1e-9)
    np.testing.assert_allclose(lc.t, phase * 2.5, atol=1e-9)
    star = navfit.analyze(lc)
    assert star.type == "EA"
    assert star.nav.period == 2.5
    assert "period" in star.nav.fixed
    # Min I at phase 0.3 of the file, depth as made
    phase1, phase1_err = star.epoch_phase()
    assert abs(phase1 - 0.3) < max(5 * phase1_err, 1e-3)
    assert star.nav.params["C6"] == pytest.approx(0.6, abs=0.02)
    assert star.nav.params["C7"] == pytest.approx(0.2, abs=0.02)
    row = star.to_dict()
    json.dumps(row, allow_nan=False)
    assert row["time_system"] == "phase"
    assert row["epoch"] == pytest.approx(0.3, abs=1e-3)
    # the same through the path, and with the period attached later
    again = navfit.analyze(path, time="phase", time_format="phase", period=2.5)
    assert again.nav.chi2 == pytest.approx(star.nav.chi2, rel=1e-9)
    bare = navfit.read_lightcurve(path, time="phase", time_format="phase")
    assert bare.phased
    assert bare.period is None
    assert bare.time_span == 1.0
    later = navfit.analyze(bare, period=2.5)
    assert later.nav.chi2 == pytest.approx(star.nav.chi2, rel=1e-9)
    # another period rescales the times, not the phases
    scaled = lc.with_period(5.0)
    np.testing.assert_allclose(scaled.phase, lc.phase)
    assert scaled.period == 5.0
    assert scaled.time_span == 5.0
    assert lc.period == 2.5


def test_ellipsoidal_with_shallow_eclipses_is_ell_and_deep_ones_are_not():
    # KPD-like: ellipsoidal + beaming wave, short shallow eclipses
    ell = (0.0, 0.0001, -0.0008, 0.0012, 0.0, 0.004, 0.0013)
    phase, y = _phased_curve(ell, a=0.013, n=3000, noise=0.0001, shift=0.0)
    star = navfit.analyze(navfit.LightCurve(phase, y, time_system="phase", period=0.4))
    assert star.type == "ELL", star.classification.reasons
    # the same wave with eclipses ten times deeper: the eclipses now dominate the variance
    deep = (0.0, 0.0001, -0.0008, 0.0012, 0.0, 0.04, 0.013)
    phase, y = _phased_curve(deep, a=0.013, n=3000, noise=0.0001, shift=0.0)
    star = navfit.analyze(navfit.LightCurve(phase, y, time_system="phase", period=0.4))
    assert star.type != "ELL", star.classification.metrics
    assert star.classification.metrics["eclipse_share"][0] > 0.5


def test_known_period_time_series_skips_the_search():
    lc, truth = nav_lightcurve("EA", n=600, rng=3)
    star = navfit.analyze(lc, period=truth["period"] * (1 + 2e-6))
    assert star.type == "EA"
    assert star.search.frequency.size == 0
    assert "no period search" in star.search.evidence["decision"]
    assert "period" not in star.nav.fixed  # refined, not fixed
    assert star.nav.period == pytest.approx(truth["period"], abs=5 * star.nav.errors["period"])
    json.dumps(star.to_dict(), allow_nan=False)
    assert star.to_dict()["time_system"] == "BJD"


# --------------------------------------------------------------------------- bad input
def test_phased_without_period_names_the_argument(tmp_path):
    phase, y = _phased_curve((12.0, 0, 0, 0.01, 0, 0.3, 0.1), a=0.05, n=200)
    path = _write(tmp_path / "nop.txt", phase, y, header="phase mag")
    with pytest.raises(navfit.InputError, match=r"nop\.txt.*period="):
        navfit.analyze(path, time="phase", time_format="phase")
    lc = navfit.read_lightcurve(path, time="phase", time_format="phase")
    with pytest.raises(navfit.InputError, match=r"nop\.txt.*period="):
        navfit.analyze(lc)
    with pytest.raises(navfit.InputError, match="min_period"):
        navfit.analyze(lc, period=1.0, min_period=0.5)
    with pytest.raises(navfit.InputError, match="positive"):
        navfit.analyze(lc, period=-1.0)


@pytest.mark.parametrize("bad", [(-0.25, 1.0), (0.0, 1.25), (0.0, 2451000.5)])
def test_phases_outside_unit_interval_are_refused(tmp_path, bad):
    phase = np.linspace(*bad, 100)
    y = np.sin(2 * np.pi * phase)
    path = _write(tmp_path / "wide.txt", phase, y, header="phase mag")
    with pytest.raises(navfit.InputError, match=r"wide\.txt.*phases in \[0, 1\].*row"):
        navfit.read_lightcurve(path, time="phase", time_format="phase", period=1.0)
    with pytest.raises(navfit.InputError, match=r"phases in \[0, 1\]"):
        navfit.LightCurve(phase, y, time_system="phase", period=1.0)


def test_phase_one_wraps_to_zero_and_bad_periods():
    phase = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    lc = navfit.LightCurve(phase, [1.0, 2.0, 3.0, 2.0, 1.0], time_system="phase", period=2.0)
    assert lc.n == 4
    assert lc.meta["dropped"] == {"duplicate_time": 1}
    np.testing.assert_allclose(lc.phase, [0.0, 0.25, 0.5, 0.75])
    for period in (0.0, -1.0, np.nan, "x"):
        with pytest.raises(navfit.InputError, match="period"):
            navfit.LightCurve(phase, [1.0, 2, 3, 2, 1], time_system="phase", period=period)
    with pytest.raises(navfit.InputError, match="phase-folded data only"):
        navfit.LightCurve(phase, [1.0, 2, 3, 2, 1], period=2.0)
    series = navfit.LightCurve(phase, [1.0, 2, 3, 2, 1])
    assert not series.phased
    assert series.period is None
    with pytest.raises(navfit.InputError, match="no phases"):
        series.phase  # noqa: B018
    with pytest.raises(navfit.InputError, match="phase-folded"):
        series.with_period(1.0)


def test_reader_refuses_period_for_time_series_and_time_conversion(tmp_path):
    path = _write(tmp_path / "ts.txt", np.linspace(0, 0.9, 50), np.arange(50.0), header="t mag")
    with pytest.raises(navfit.InputError, match=r"ts\.txt.*time_format='phase'"):
        navfit.read_lightcurve(path, period=1.0)
    with pytest.raises(navfit.InputError, match="no times to convert"):
        navfit.read_lightcurve(path, time_format="phase", period=1.0, to_time_system="BJD")


# --------------------------------------------------------------------------- command line
def test_cli_phased(tmp_path, capsys):
    c = (12.0, 0.01, 0.002, 0.008, 0.0, 0.6, 0.2)
    phase, y = _phased_curve(c, a=0.05, n=800, shift=0.0)
    flux = 10 ** (-0.4 * (y - 12.0))
    path = str(_write(tmp_path / "folded_flux.txt", phase, flux, header="phase flux"))
    code = main(["analyze", path, "--phased", "--period", "2.5", "--time", "phase", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    row = json.loads(out)
    assert row["time_system"] == "phase"
    assert row["period"] == 2.5
    assert row["type"] == "EA"
    assert row["kind"] == "mag"
    assert row["period_err"] is None
    # --phased without --period: usage error naming the option
    assert main(["analyze", path, "--phased", "--time", "phase"]) == 2
    assert "--period" in capsys.readouterr().err
    assert main(["analyze", path, "--period", "2.5", "--min-period", "1"]) == 2
    assert "--min-period" in capsys.readouterr().err
    assert main(["fit", path, "--phased", "--period", "2.5", "--time", "phase"]) == 0
    out = capsys.readouterr().out
    assert "(fixed)" in out
    assert "NAV fit" in out


def test_cli_help_mentions_phased(capsys):
    assert main(["analyze", "--help"]) == 0
    text = capsys.readouterr().out
    assert "--phased" in text
    assert "--period" in text
    assert "--flux" in text


def test_reader_warns_when_times_look_like_phases(tmp_path):
    phase = np.linspace(0.0, 0.999, 200)
    y = 12.0 + 0.01 * np.cos(4 * np.pi * phase)
    path = tmp_path / "folded.txt"
    _write(path, phase, y, header="t mag")
    with pytest.warns(navfit.NavfitWarning, match="folded.txt.*phase-folded data"):
        navfit.read_lightcurve(path)
    # no warning once the file is read as phases, nor for real times
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", navfit.NavfitWarning)
        navfit.read_lightcurve(path, time_format="phase", period=0.5)
        _write(path, 2459000.0 + 10 * phase, y, header="t mag")
        navfit.read_lightcurve(path)
