"""Arguments and inputs that once gave raw exceptions, crashes or silent nonsense.

Each case comes from a review of navfit as a new user meets it (bad arguments,
a night of data, one outlier, float32 times, dates in the wrong format): the
answer is a :class:`navfit.InputError` naming the argument, file or column, or
a result that says what it rests on.
"""

import warnings

import numpy as np
import pytest
from astropy.table import Table

import navfit
from navfit import InputError, LightCurve, NavfitWarning
from navfit.bands import merge_equal_times
from navfit.catalogue import CatalogueRow


@pytest.fixture(scope="module")
def ea():
    return navfit.read_lightcurve("data/syn_ea.csv")


def _noise(n=300, span=300.0, seed=0):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0.0, span, n))
    return t, 12.0 + rng.normal(0.0, 0.01, n), np.full(n, 0.01)


@pytest.mark.parametrize(
    ("kwargs", "text"),
    [
        ({"oversample": 0}, "oversample must be at least 1"),
        ({"oversample": 1.5}, "oversample must be a whole number"),
        ({"widths": ()}, "widths must name at least one"),
        ({"min_period": "a"}, "min_period must be a number"),
        ({"max_period": -1.0}, "max_period must be positive"),
    ],
)
def test_find_period_names_a_bad_argument(ea, kwargs, text):
    with pytest.raises(InputError, match=text):
        navfit.find_period(ea, **kwargs)


def test_functions_of_a_light_curve_refuse_a_path():
    for func in (navfit.find_period, lambda x: navfit.fit_nav(x, 1.0)):
        with pytest.raises(InputError, match=r"takes a navfit.LightCurve.*read_lightcurve"):
            func("data/syn_ea.csv")


def test_fit_arguments_are_checked(ea):
    with pytest.raises(InputError, match="order must be at least 1"):
        navfit.fit_tp(ea, 2.8672, 0, free_period=True)  # a constant has no period
    with pytest.raises(InputError, match="order must be a whole number"):
        navfit.fit_tp(ea, 2.8672, None)
    with pytest.raises(InputError, match="max_order"):
        navfit.fit_tp(ea, 2.8672, max_order="x")
    with pytest.raises(InputError, match="n_bootstrap must be at least 2"):
        navfit.fit_nav(ea, 2.8672, errors="bootstrap", n_bootstrap=0)
    with pytest.raises(InputError, match="epoch must be finite"):
        navfit.fit_nav(ea, 2.8672, np.nan)


def test_light_curve_settings_are_checked():
    t, y = np.arange(10.0), np.sin(np.arange(10.0))
    for kwargs, text in (
        ({"min_points": "3"}, "min_points must be a whole number"),
        ({"time_offset": "abc"}, "time_offset must be a number"),
        ({"meta": [1]}, "meta must be a dict"),
    ):
        with pytest.raises(InputError, match=text):
            LightCurve(t, y, **kwargs)
    for path in (None, 5):
        with pytest.raises(InputError, match="path must be a file name"):
            navfit.read_lightcurve(path)


def test_analyze_refuses_unknown_or_idle_options(ea):
    with pytest.raises(InputError, match=r"unknown option.*peroid"):
        navfit.analyze("data/syn_ea.csv", peroid=2.8)
    with pytest.raises(InputError, match="given with a LightCurve"):
        navfit.analyze(ea, time="bjd")


def test_minima_and_oc_arguments_are_checked(ea):
    fit = navfit.fit_nav(ea, 2.8672004)
    with pytest.raises(InputError, match="window"):
        navfit.times_of_minima(fit, window="x")
    with pytest.raises(InputError, match="n_bootstrap"):
        navfit.times_of_minima(fit, errors="bootstrap", n_bootstrap=0)
    # windows too small for the NAV profile's three parameters are flagged, not a KeyError
    table = navfit.times_of_minima(fit, min_points=1, method="all")
    assert "too few points" in set(table["flags"])
    with pytest.raises(InputError, match="numeric"):
        navfit.kwee_van_woerden("a", "b")
    minima = Table({"time": 2459000.3 + 2.8672 * np.arange(6.0), "time_err": np.full(6, 1e-3)})
    with pytest.raises(InputError, match="no rows"):
        navfit.fit_oc(minima[:0], period=2.8672, epoch=2459000.3)
    with pytest.raises(InputError, match="period must be a number"):
        navfit.fit_oc(minima, period="x", epoch=2459000.3)
    with pytest.raises(InputError, match="not one time system"):
        navfit.fit_oc(minima, period=2.8672, epoch=59000.3 - 0.5)
    same = Table({"time": np.full(3, 2459000.3), "time_err": np.full(3, 1e-3)})
    with pytest.raises(InputError, match="fewer than two cycles"):
        navfit.fit_oc(same, period=2.8672, epoch=2459000.3)


def test_a_night_of_data_is_searched():
    t = np.sort(np.random.default_rng(3).uniform(0.0, 0.5, 200))
    lc = LightCurve(t, 12 + 0.3 * np.sin(2 * np.pi * t / 0.07), np.full(200, 0.01))
    found = navfit.find_period(lc)  # the coarse eclipse grid holds no peak here
    assert found.period == pytest.approx(0.07, rel=1e-3)


@pytest.mark.parametrize("seed", [0, 4])
def test_one_outlier_is_not_a_period(seed):
    t, y, dy = _noise(seed=seed)
    y[150] += 1.0  # one point 100 sigma off: an "eclipse" at any period
    star = navfit.analyze(LightCurve(t, y, dy))
    assert not star.search.significant
    assert star.type == "not an eclipsing binary"
    assert any("rests on one point" in f for f in star.search.flags)
    row = star.to_dict()
    assert row["period"] is None
    assert row["epoch"] is None
    assert row["photometric_period"] is not None


def test_float32_julian_dates_are_refused(tmp_path):
    t = 2459000.0 + np.arange(200) * 0.37
    with pytest.raises(InputError, match=r"float32.*0.25 d"):
        LightCurve(t.astype(np.float32), np.sin(np.arange(200.0)))
    path = tmp_path / "f32.fits"
    Table({"bjd": t.astype(np.float32), "mag": np.sin(np.arange(200.0))}).write(path)
    with pytest.raises(InputError, match=r"column 'bjd'.*float32"):
        navfit.read_lightcurve(path)
    # a reduced date keeps its precision in float32 (0.0001 d at 2000)
    assert LightCurve((t - 2457000.0).astype(np.float32), np.sin(np.arange(200.0))).n == 200


def test_a_repeated_row_keeps_the_weight_of_one_observation():
    lc = LightCurve([1.0, 2.0, 2.0, 3.0, 4.0], [10.0, 10.5, 10.5, 10.2, 10.1], [0.01] * 5)
    assert lc.dy.tolist() == [0.01] * 4
    _t, y, dy, _, n = merge_equal_times(
        np.array([2.0, 2.0]), np.array([10.5, 10.6]), np.array([0.01, 0.02]), np.zeros(2, int)
    )
    assert n == 1
    assert y[0] == pytest.approx(10.52)
    assert dy[0] == pytest.approx((0.5 * (1 / 0.01**2 + 1 / 0.02**2)) ** -0.5)


def test_declared_time_format_is_checked_against_the_values(tmp_path):
    jd = 2459000.0 + np.arange(50) * 0.37
    mag = 12 + 0.1 * np.sin(jd)
    full_as_mjd = tmp_path / "a.csv"
    Table({"mjd": jd, "mag": mag}).write(full_as_mjd, format="ascii.csv")
    with pytest.raises(InputError, match="full Julian dates already"):
        navfit.read_lightcurve(full_as_mjd)
    reduced_as_hjd = tmp_path / "b.csv"
    Table({"hjd": jd - 2400000.5, "mag": mag}).write(reduced_as_hjd, format="ascii.csv")
    with pytest.warns(NavfitWarning, match="reduced dates"):
        navfit.read_lightcurve(reduced_as_hjd)


def test_catalogue_epochs_follow_gcvs():
    eclipser = navfit.analyze("data/syn_ea.csv").to_dict()
    assert eclipser["epoch_of"] == "Min I"
    assert eclipser["min2"] is not None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NavfitWarning)
        star = navfit.analyze("data/syn_rrab.dat")
    pulsator = star.to_dict()
    assert pulsator["type"] == "not an eclipsing binary"
    assert pulsator["epoch_of"] == "Max"
    assert pulsator["min2"] is None
    tp = star.tp
    # the epoch of maximum is where the TP is brightest
    phase = (pulsator["epoch"] - star.lc.time_offset - tp.epoch) / tp.period
    grid = tp.epoch + (phase + np.linspace(-0.2, 0.2, 4001)) * tp.period
    assert grid[np.argmin(tp.evaluate(grid))] == pytest.approx(
        pulsator["epoch"] - star.lc.time_offset, abs=1e-3 * tp.period
    )
    row = CatalogueRow.from_mapping(pulsator)
    assert row.epoch_of == "Max"


def test_reduced_times_flag_the_epoch():
    t, y, dy = _noise()
    y = y + 0.2 * np.sin(2 * np.pi * t / 0.61)
    star = navfit.analyze(LightCurve(t + 9000.0, y, dy))
    assert any("not a full Julian date" in f for f in star.to_dict()["flags"])


def test_a_file_of_reduced_dates_is_skipped_from_a_star(multiband_dir):
    star = multiband_dir / "EA_DDE60"
    files = [star / "dde60-zg1.csv", star / "dde60-zr1.csv", star / "dde60-gdr3.dat"]
    with pytest.warns(NavfitWarning, match=r"dde60-gdr3\.dat: times near .* time_format"):
        lc = navfit.read_lightcurve(files)
    assert set(lc.meta["skipped"]) == {str(files[2])}
    assert set(lc.bands) == {"zg", "zr"}


def test_atlas_fluxes_below_three_sigma_are_not_detections(multiband_dir):
    lc = navfit.read_lightcurve(multiband_dir / "EA_DDE60" / "dde60-atlas.txt")
    assert lc.meta["dropped"]["upper_limit"] > 0
    # the exposures without a usable image gave "magnitudes" of 0-3
    assert min(lc.select(band).y.min() for band in lc.bands) > 10


def test_phase_folded_data_are_fitted_only_at_their_period(lightcurves_dir):
    path = lightcurves_dir / "EL_KPD1946+4340_Kepler_SC_phasebinned.dat"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NavfitWarning)
        folded = navfit.read_lightcurve(path, time=0, flux=1, time_format="phase")
    with pytest.raises(InputError, match="phase-folded data hold one cycle"):
        navfit.find_period(folded)
    with pytest.raises(InputError, match=r"without a period.*with_period"):
        navfit.fit_tp(folded, 0.40375026)
    fit = navfit.fit_tp(folded.with_period(0.40375026), 0.40375026, free_period=True)
    assert "period" not in fit.free_names
    assert fit.period == 0.40375026
    with pytest.raises(InputError, match="only at the period they were folded with"):
        navfit.fit_nav(folded.with_period(0.40375026), 0.2)


def test_oc_summary_rounds_to_the_errors_and_gives_units():
    cycles = np.arange(-50, 60, 3.0)
    rng = np.random.default_rng(2)
    times = 2459000.3 + 2.8672 * cycles + rng.normal(0, 0.001, cycles.size)
    minima = Table({"time": times, "time_err": np.full(cycles.size, 0.001)})
    text = navfit.fit_oc(minima, period=2.8672, epoch=2459000.3).summary()
    t0 = next(line for line in text.splitlines() if line.strip().startswith("T0 ="))
    assert t0.split()[2].count(".") == 1
    assert len(t0.split()[2].split(".")[1]) == 5
    assert "d/yr" in text


def test_batch_rows_carry_navfit_warnings_in_their_flags(lightcurves_dir):
    from navfit.batch import analyze_file

    row = analyze_file(lightcurves_dir / "EL_KPD1946+4340_Kepler_SC_phasebinned.dat")
    assert any("phase-folded data?" in f for f in row["flags"])
    assert any("phase-folded data?" in w for w in row["warnings"])


def test_a_broken_covariance_gives_correlations_in_range_and_a_flag(ea):
    from dataclasses import replace

    from navfit.models.nav_derived import nav_flags

    fit = navfit.fit_nav(ea, 2.8672004)
    cov = fit.covariance.copy()
    c = 3.0 * np.sqrt(cov[0, 0] * cov[1, 1])  # |rho| = 3: not positive semi-definite
    cov[0, 1] = cov[1, 0] = c
    broken = replace(fit, covariance=cov)
    assert np.all(np.abs(broken.correlation) <= 1.0)
    assert any("not positive semi-definite" in f for f in nav_flags(broken))
    assert not any("not positive semi-definite" in f for f in nav_flags(fit))


def test_reader_edge_cases(tmp_path):
    t = 2459000.0 + np.arange(30) * 0.37
    mag = 12 + 0.1 * np.sin(t)
    rows = [f"{a:.6f}\t {b:.5f}   0.0120" for a, b in zip(t, mag, strict=True)]
    mixed = tmp_path / "mixed.dat"  # tabs and spaces both separate the columns
    mixed.write_text("\n".join(rows) + "\n")
    lc = navfit.read_lightcurve(mixed)
    assert lc.n == 30
    assert lc.dy[0] == 0.012
    tab_late = tmp_path / "tab_late.dat"
    tab_late.write_text("\n".join(f"{a:.6f}  {b:.5f}\t0.0120" for a, b in zip(t, mag, strict=True)))
    assert navfit.read_lightcurve(tab_late).n == 30
    utf16 = tmp_path / "excel.csv"  # "Unicode text" with its byte-order mark
    utf16.write_text("jd,mag,err\n" + "".join(f"{a},{b},0.01\n" for a, b in zip(t, mag, strict=True)),
                     encoding="utf-16")  # fmt: skip
    assert navfit.read_lightcurve(utf16).n == 30
    with pytest.raises(InputError, match="wrong encoding") as info:
        navfit.read_lightcurve("data/syn_ea.csv", encoding="utf-16")
    assert len(str(info.value)) < 400
    with pytest.raises(InputError, match="column 'mag' is given both as time and as y"):
        navfit.read_lightcurve("data/syn_ea.csv", time="mag", mag="mag")


def test_nan_band_labels_are_missing():
    t = np.arange(12.0)
    band = np.array(["g", "", "g", "r", "r", np.nan, "g", "r", "g", "r", "g", "r"], dtype=object)
    lc = LightCurve(t, np.sin(t), band=band)
    assert lc.bands == ("g", "r")
    assert lc.meta["dropped"] == {"null": 2}


def test_twins_too_deep_bounds_equal_eclipses():
    from navfit.shape_rules import twins_too_deep
    from navfit.synthetic import nav_lightcurve

    deep, truth = nav_lightcurve("EA", c=(12.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0), rng=3, noise=0.01)
    P = truth["period"]
    assert "impossible for equal stars" in twins_too_deep(navfit.fit_nav(deep, 2 * P))
    shallow, _ = nav_lightcurve("EA", c=(12.0, 0.0, 0.0, 0.0, 0.0, 0.5, 0.0), rng=3, noise=0.01)
    assert twins_too_deep(navfit.fit_nav(shallow, 2 * P)) is None
    contact, truth_w = nav_lightcurve("EW", rng=3)
    assert twins_too_deep(navfit.fit_nav(contact, truth_w["period"])) is None


def test_a_deep_single_eclipse_in_ztf_bands_is_not_doubled(multiband_dir):
    star = multiband_dir / "EA_ZTF18acrvwcz"
    files = [star / f"18acrvwcz-{b}.csv" for b in ("zg1", "zg2", "zr1", "zr2")]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NavfitWarning)
        result = navfit.analyze(files)
    assert result.best.period == pytest.approx(3.6971, abs=2e-4)  # MANIFEST; 2P before
    assert "impossible for equal stars" in result.search.evidence["decision"]


def test_a_magnitude_with_an_error_beyond_the_data_range_is_blank(ea):
    from navfit.catalogue_values import blank_undetermined

    values = {"max": 12.0, "max_err": 0.01, "min1": 13.5, "min1_err": 544.0, "flags": ()}
    values.update(min2=12.3, min2_err=None)  # an infinite error, written as none
    derived = {"max": (12.0, 0.01), "min1": (13.5, 544.0), "min2": (12.3, np.inf)}
    blank_undetermined(values, ea, derived)
    assert values["min2"] is None
    assert values["min1"] is None
    assert values["min1_err"] is None
    assert values["max"] == 12.0
    assert any("Min I undetermined" in f for f in values["flags"])


def test_summary_counts_the_rows_dropped_on_reading(tmp_path):
    t = 2459000.0 + np.arange(200) * 0.37
    mag = 12 + 0.3 * np.sin(2 * np.pi * t / 0.61)
    lines = [f"{a:.6f},{b:.4f},0.01" for a, b in zip(t, mag, strict=True)]
    lines[5] = lines[5].split(",")[0] + ",99.999,0.01"  # a sentinel
    path = tmp_path / "star.csv"
    path.write_text("jd,mag,err\n" + "\n".join([*lines, lines[10]]) + "\n")  # a repeated row
    text = navfit.analyze(path).summary()
    assert "rows dropped on reading: 1 sentinel, 1 duplicate_time" in text


def test_cli_json_counts_the_rows_dropped(tmp_path, capsys):
    import json

    from navfit.cli import main

    t = 2459000.0 + np.arange(100) * 0.37
    lines = [f"{a:.6f},{12 + 0.3 * np.sin(a / 0.61):.4f},0.01" for a in t]
    lines[3] = lines[3].split(",")[0] + ",99.999,0.01"
    path = tmp_path / "star.csv"
    path.write_text("jd,mag,err\n" + "\n".join(lines) + "\n")
    assert main(["analyze", str(path), "--json"]) == 0
    row = json.loads(capsys.readouterr().out.splitlines()[0])
    assert row["dropped"] == {"sentinel": 1}


def test_files_named_inside_a_star_folder_take_its_name(tmp_path, monkeypatch):
    folder = tmp_path / "V1234 Cyg"
    folder.mkdir()
    t = 2459000.0 + np.arange(40) * 0.37
    for band in ("B", "V"):
        rows = "".join(f"{a:.6f},{12 + 0.1 * np.sin(a):.4f},0.01\n" for a in t)
        (folder / f"lc_{band}.csv").write_text("jd,mag,err\n" + rows)
    monkeypatch.chdir(folder)
    assert navfit.read_lightcurve(["lc_B.csv", "lc_V.csv"]).name == "V1234 Cyg"


def test_an_ecsv_table_gives_its_own_band_and_name():
    lc = navfit.read_lightcurve("data/syn_eb.ecsv")  # meta: name SYN-EB-1, band V
    assert lc.band == "V"
    assert lc.name == "SYN-EB-1"
    assert navfit.read_lightcurve("data/syn_eb.ecsv", band="B", name="x").band == "B"


def test_a_text_file_gives_the_band_and_name_of_its_comment_lines(tmp_path):
    t = 2459000.0 + np.arange(40) * 0.37
    rows = "".join(f"{a:.6f} {12 + 0.1 * np.sin(a):.4f} 0.01\n" for a in t)
    notes = "# Object: V1234 Cyg\n# Filter = Ic\n# reduced with a pipeline: v2\n# jd mag err\n"
    path = tmp_path / "star.dat"
    path.write_text(notes + rows)
    lc = navfit.read_lightcurve(path)
    assert (lc.band, lc.name, lc.n) == ("Ic", "V1234 Cyg", 40)
    given = navfit.read_lightcurve(path, band="V", name="x")
    assert (given.band, given.name) == ("V", "x")
    # a band column wins over a comment: the comment names no row's band
    long = "# band: V\njd,mag,err,filter\n" + "".join(
        f"{a:.6f},{12 + 0.1 * np.sin(a):.4f},0.01,{'BR'[i % 2]}\n" for i, a in enumerate(t)
    )
    (tmp_path / "long.csv").write_text(long)
    assert navfit.read_lightcurve(tmp_path / "long.csv").bands == ("B", "R")
    with pytest.raises(InputError) as refused:
        navfit.read_lightcurve(tmp_path / "long.csv", min_points=100)
    assert "'V'" not in str(refused.value)
    # a note as the last comment, with as many words as the file has columns, is no header
    for last in ("# object: V1 Ori\n", "# band = V\n"):
        (tmp_path / "note_last.dat").write_text("# Filter: Ic\n" + last + rows)
        lc = navfit.read_lightcurve(tmp_path / "note_last.dat")
        assert lc.n == 40
        assert lc.band == ("V" if "band" in last else "Ic")


def test_twins_too_deep_also_in_flux():
    from navfit.shape_rules import twins_too_deep
    from navfit.synthetic import nav_lightcurve

    deep, truth = nav_lightcurve("EA", c=(12.0, 0.0, 0.0, 0.0, 0.0, 1.5, 0.0), rng=3, noise=0.01)
    flux = LightCurve(deep.t, 10 ** (-0.4 * (deep.y - 12.0)), deep.dy * 0.921, kind="flux")
    assert "impossible for equal stars" in twins_too_deep(navfit.fit_nav(flux, 2 * truth["period"]))


def test_reduced_dates_under_a_full_date_label_are_not_converted(tmp_path):
    jd = 2459000.0 + np.arange(50) * 0.37
    path = tmp_path / "b.csv"
    Table({"hjd": jd - 2400000.5, "mag": 12 + 0.1 * np.sin(jd)}).write(path, format="ascii.csv")
    with pytest.raises(InputError, match="no conversion to BJD made"):
        navfit.read_lightcurve(path, to_time_system="BJD", coords=(10.0, 20.0))


def test_a_time_column_of_astropy_times_is_read(tmp_path):
    from astropy.time import Time

    jd = 2459000.0 + np.arange(50) * 0.37
    path = tmp_path / "t.ecsv"
    Table({"time": Time(jd, format="jd"), "mag": 12 + 0.1 * np.sin(jd)}).write(path)
    assert navfit.read_lightcurve(path).n == 50


def test_per_band_rows_follow_the_star_row():
    per_band = {"g": {"n": 90, "max": [13.0, 0.01], "min1": [13.5, 0.02], "min2": [13.4, 0.02]}}
    mapping = {"name": "x", "type": "not an eclipsing binary", "epoch_of": "Max",
               "details": {"bands": {"per_band": per_band}}}  # fmt: skip
    (band,) = CatalogueRow.from_mapping(mapping).per_band()
    assert band.min2 is None  # GCVS: a Min II for eclipsers only
    assert band.min1 == 13.5
    mapping["type"], mapping["epoch_of"] = "EA", "Min I"
    assert CatalogueRow.from_mapping(mapping).per_band()[0].min2 == 13.4


def test_phase_folded_multiband_data_fit_jointly_at_their_period():
    rng = np.random.default_rng(1)
    phase = np.sort(rng.uniform(0, 1, 200))
    dist = np.minimum(np.abs(phase), np.abs(phase - 1))
    y = 12 + 0.5 * np.exp(-((dist / 0.03) ** 2)) + 0.2 * np.exp(-(((phase - 0.5) / 0.03) ** 2))
    band = np.where(np.arange(200) % 2 == 0, "B", "V")
    y = y + 0.3 * (band == "B") + rng.normal(0, 0.01, 200)
    lc = LightCurve(phase, y, np.full(200, 0.01), band=band, time_system="phase", period=2.5)
    fit = navfit.fit_nav_multiband(lc, 2.5)
    assert fit.period == 2.5
    assert fit.bands == ("B", "V")
    for band_fit in fit.band_fits.values():
        assert band_fit.lc.phased
        assert np.array_equal(band_fit.lc.phase, lc.select(band_fit.lc.bands[0]).phase)
    star = navfit.analyze(lc)
    assert star.type == "EA"
    assert star.best.period == 2.5
