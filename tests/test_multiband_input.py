"""Multi-band input (issue 15): LightCurve with a band and series per point, the reader."""

import numpy as np
import pytest

from navfit import InputError, LightCurve, read_lightcurve


def two_band(n=40, seed=3):
    rng = np.random.default_rng(seed)
    t = np.sort(rng.uniform(0, 50, n))
    band = np.where(np.arange(n) % 2 == 0, "g", "r")
    y = np.where(band == "g", 15.0, 14.5) + 0.3 * np.sin(2 * np.pi * t / 1.7)
    return t, y + rng.normal(0, 0.01, n), np.full(n, 0.01), band


def test_one_band_light_curve_unchanged():
    lc = LightCurve([3.0, 1.0, 2.0, 2.0], [10.1, 10.0, 10.2, 10.4], [0.01] * 4, band="V")
    assert lc.band == "V"
    assert lc.bands == ("V",)
    assert lc.series == ("V",)
    assert not lc.multiband
    np.testing.assert_array_equal(lc.band_index, [0, 0, 0])
    assert lc.meta["dropped"] == {"duplicate_time": 1}
    assert "bands" not in lc.meta
    assert LightCurve([1.0, 2.0, 3.0], [1.0, 2.0, 1.5]).bands == (None,)


def test_band_per_point_codes_select_and_repr():
    t, y, dy, band = two_band()
    lc = LightCurve(t, y, dy, band=band, name="x")
    assert lc.multiband
    assert lc.band is None
    assert lc.bands == ("g", "r")
    assert lc.meta["bands"] == ["g", "r"]
    assert "bands=('g', 'r')" in repr(lc)
    np.testing.assert_array_equal(np.array(lc.bands)[lc.band_index], band)
    assert not lc.band_index.flags.writeable
    r = lc.select("R")  # case-insensitive
    assert r.band == "r"
    assert not r.multiband
    np.testing.assert_array_equal(r.t, t[band == "r"])
    np.testing.assert_array_equal(r.y, y[band == "r"])
    with pytest.raises(InputError, match=r"band 'i' is not in this light curve; bands: g, r"):
        lc.select("i")


def test_equal_times_merged_only_within_band_and_series():
    t = [1.0, 1.0, 1.0, 2.0, 3.0, 4.0, 4.0, 5.0]
    y = [10.0, 11.0, 10.2, 10.5, 10.7, 11.1, 11.3, 10.4]
    band = ["g", "r", "g", "g", "r", "r", "r", "g"]
    series = ["a", "a", "a", "a", "a", "a", "b", "a"]
    lc = LightCurve(t, y, [0.1] * 8, band=band, series=series)
    assert lc.meta["dropped"] == {"duplicate_time": 1}  # the two g points at t = 1
    assert lc.n == 7
    assert lc.series == ("a", "b")
    g = lc.select("g")
    np.testing.assert_allclose(g.y, [10.1, 10.5, 10.4])
    np.testing.assert_allclose(g.dy[0], 0.1 / np.sqrt(2))


def test_missing_band_label_and_small_band_dropped_and_counted():
    t, y, dy, band = two_band()
    band = np.ma.masked_array(band.astype(object), mask=np.arange(band.size) == 0)
    band[5] = "i"
    band[7] = "i"
    band[9] = ""
    lc = LightCurve(t, y, dy, band=band)
    assert lc.meta["dropped"] == {"null": 2, "band_too_few": 2}
    assert lc.bands == ("r", "g")  # "g" first appears after the masked point
    assert lc.n == t.size - 4


def test_bad_band_input_named():
    t, y, dy, band = two_band()
    with pytest.raises(InputError, match=r"star.dat: band must be one label or one label per"):
        LightCurve(t, y, dy, band=band[:-1], source="star.dat")
    with pytest.raises(InputError, match=r"no band has 3 usable points.*g: 2, r: 2"):
        LightCurve([1, 2, 3, 4], [1.0, 2.0, 1.5, 1.2], [0.1] * 4, band=["g", "r", "g", "r"])


def write(path, text):
    path.write_text(text)
    return path


def test_long_table_keeps_every_band_unless_one_is_asked_for(tmp_path):
    rows = "".join(
        f"{2459000 + k * 0.37:.5f},{12 + 0.1 * np.sin(k) + (0.5 if k % 3 else 0):.4f},0.01,"
        f"{'gri'[k % 3]}\n"
        for k in range(30)
    )
    for name in ("band", "filter", "passband", "filtercode", "fid"):
        path = write(tmp_path / f"{name}.csv", f"jd,mag,err,{name}\n" + rows)
        lc = read_lightcurve(path)
        assert lc.bands == ("g", "r", "i"), name
        assert lc.meta["columns"]["band"] == name
        assert lc.meta["bands_found"] == {"g": 10, "r": 10, "i": 10}
        one = read_lightcurve(path, band="r")
        assert one.band == "r"
        assert one.n == 10
        np.testing.assert_array_equal(one.t, lc.select("r").t)


def ztf_text(oid, band, n, flagged, t0=2459000.0):
    head = "oid,expid,hjd,mjd,mag,magerr,catflags,filtercode,ra,dec\n"
    rows = [
        f"{oid},{k},{t0 + 0.61 * k:.6f},{t0 + 0.61 * k - 2400000.5:.6f},"
        f"{15 + 0.2 * np.sin(k):.4f},0.015,{32768 if k < flagged else 0},{band},73.5,32.9\n"
        for k in range(n)
    ]
    return head + "".join(rows)


def test_ztf_irsa_csv_recognised_catflags_dropped_one_series_per_oid(tmp_path):
    text = ztf_text(111, "zg", 20, 3) + ztf_text(222, "zg", 15, 0, 2459100.0).split("\n", 1)[1]
    lc = read_lightcurve(write(tmp_path / "star-zg.csv", text))
    assert lc.meta["layout"] == "IRSA ZTF light curve"
    assert lc.meta["dropped"] == {"quality": 3}
    assert lc.band == "zg"
    assert lc.series == ("oid 111", "oid 222")
    assert lc.time_system == "HJD"
    assert np.bincount(lc.series_index).tolist() == [17, 15]


def test_atlas_forced_photometry_recognised_and_flags_counted(tmp_path):
    head = "###MJD          m      dm   uJy   duJy F err chi/N     RA       Dec\n"
    rows = []
    for k in range(24):
        f, err, m = "co"[k % 2], 0, 15 + 0.1 * np.sin(k)
        if k == 3:
            f = "t"  # another filter
        if k == 4:
            err = 1  # a flagged row
        if k in (6, 8):
            m = -1.2  # negative flux written as a magnitude
        rows.append(f"{58000 + 0.7 * k:.6f} {m:.3f} 0.02 100 5 {f} {err} 1.0 73.5 32.9\n")
    lc = read_lightcurve(write(tmp_path / "star-atlas.txt", head + "".join(rows)))
    assert lc.meta["layout"] == "ATLAS forced photometry"
    assert lc.meta["dropped"] == {"quality": 1, "other_filter": 1, "non_positive_magnitude": 2}
    assert set(lc.bands) == {"c", "o"}
    assert lc.n == 20
    assert lc.time_offset == 2400000.5


def test_several_files_each_its_own_series(tmp_path):
    a = write(tmp_path / "a-zg.csv", ztf_text(1, "zg", 12, 2))
    b = write(tmp_path / "b-zr.csv", ztf_text(2, "zr", 14, 0))
    gaia = write(
        tmp_path / "c-gdr3.dat",
        "".join(f"{3800 + 1.3 * k:.5f} {14.9 + 0.1 * np.cos(k):.4f}\n" for k in range(9)),
    )
    bad = write(tmp_path / "d-zi.csv", ztf_text(3, "zi", 5, 5))  # every row flagged
    lc = read_lightcurve([a, b, (gaia, {"time_format": "bjd-2455197.5", "band": "G"}), bad])
    assert lc.bands == ("zg", "zr", "G")
    assert lc.series == ("a-zg", "b-zr", "c-gdr3")
    assert lc.meta["dropped"] == {"quality": 2}
    assert list(lc.meta["skipped"]) == [str(bad)]
    assert "no usable rows" in lc.meta["skipped"][str(bad)]
    assert lc.time_system is None  # HJD and BJD files: mixed systems are not converted
    assert lc.time_offset == 0.0
    g = lc.select("G")
    np.testing.assert_allclose(g.t[0], 3800 + 2455197.5)
    assert g.dy[0] == lc.meta["errors_estimated"]["c-gdr3"]
    with pytest.raises(InputError, match="no usable file among 1"):
        read_lightcurve([bad])
    with pytest.raises(InputError, match="list of files is empty"):
        read_lightcurve([])


def test_real_multiband_star_read_from_all_files(multiband_dir):
    folder = multiband_dir / "EA_ZTF18acrvwcz"
    files = [*sorted(folder.glob("*-z*.csv")), folder / "18acrvwcz-atlas.txt"]
    lc = read_lightcurve(files)
    assert set(lc.bands) == {"zg", "zr", "zi", "c", "o"}
    assert len(lc.series) == 7  # five ZTF files, ATLAS c and o
    # 24 of the 28 zi rows carry catflags 32768 (MANIFEST)
    assert lc.meta["files"][2]["dropped"]["quality"] == 24
    assert lc.meta["dropped"]["quality"] >= 24
    counts = dict(zip(lc.bands, np.bincount(lc.band_index), strict=True))
    assert counts["zg"] >= 450
    assert counts["zr"] >= 920
    assert counts["zi"] == 4
