"""Multi-band input (issue 15): LightCurve with a band and series per point, the reader."""

import numpy as np
import pytest

import navfit
from navfit import InputError, LightCurve, NavfitWarning, read_lightcurve


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
    np.testing.assert_allclose(g.dy[0], 0.1)  # one observation, not two


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
    with pytest.raises(InputError, match=r"no band can be used.*g: 2 points, fewer than 3; r: 2"):
        LightCurve([1, 2, 3, 4], [1.0, 2.0, 1.5, 1.2], [0.1] * 4, band=["g", "r", "g", "r"])


def test_band_of_constant_light_dropped_and_named():
    t, y, dy, band = two_band()
    y = np.where(band == "g", 16.0, y)
    lc = LightCurve(t, y, dy, band=band, source="star.dat")
    assert lc.bands == ("r",)
    assert lc.meta["dropped"] == {"band_constant": int((band == "g").sum())}
    assert lc.meta["dropped_bands"] == {
        "g": f"constant light (all {(band == 'g').sum()} values are 16)"
    }
    assert "dropped_bands" not in lc.select("r").meta
    bands6 = ["g", "r"] * 3
    y6 = [16.0, 15.0, 16.0, 15.0, 16.0, 15.0]
    with pytest.raises(
        InputError, match=r"star.dat: no band can be used.*g: constant light.*r: constant light"
    ):
        LightCurve(np.arange(6.0), y6, [0.01] * 6, band=bands6, source="star.dat")


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
        flux = "2 0" if k == 10 else "100 5"  # no flux error: DDE 60's 22.9-mag row
        rows.append(f"{58000 + 0.7 * k:.6f} {m:.3f} 0.02 {flux} {f} {err} 1.0 73.5 32.9\n")
    lc = read_lightcurve(write(tmp_path / "star-atlas.txt", head + "".join(rows)))
    assert lc.meta["layout"] == "ATLAS forced photometry"
    assert lc.meta["dropped"] == {
        "quality": 1,
        "other_filter": 1,
        "non_positive_magnitude": 2,
        "non_positive_error": 1,
    }
    assert set(lc.bands) == {"c", "o"}
    assert lc.n == 19
    assert lc.time_offset == 2400000.5


def test_several_files_each_its_own_series(tmp_path):
    a = write(tmp_path / "a-zg.csv", ztf_text(1, "zg", 12, 2))
    b = write(tmp_path / "b-zr.csv", ztf_text(2, "zr", 14, 0))
    gaia = write(
        tmp_path / "c-gdr3.dat",
        "".join(f"{3800 + 1.3 * k:.5f} {14.9 + 0.1 * np.cos(k):.4f}\n" for k in range(9)),
    )
    bad = write(tmp_path / "d-zi.csv", ztf_text(3, "zi", 5, 5))  # every row flagged
    with pytest.warns(NavfitWarning, match=r"file skipped: .*d-zi.csv: .*no usable rows"):
        lc = read_lightcurve([a, b, (gaia, {"time_format": "bjd-2455197.5", "band": "G"}), bad])
    assert lc.bands == ("zg", "zr", "G")
    assert lc.series == ("a-zg", "b-zr", "c-gdr3")
    assert lc.meta["dropped"] == {"quality": 2}
    assert list(lc.meta["skipped"]) == [str(bad)]
    assert "no usable rows" in lc.meta["skipped"][str(bad)]
    # HJD (ZTF) and BJD files: brought to BJD at the position of the ZTF file's ra, dec
    assert lc.time_system == "BJD"
    assert lc.meta["time_joined"]["coords_from"] == "a-zg.csv: columns ra, dec"
    assert lc.meta["time_systems"] == {str(a): "HJD", str(b): "HJD", str(gaia): "BJD"}
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


# ----------------------------------------------------------------------------- ASAS-SN, CRTS
ASAS_HEAD = "HJD,UT Date,Camera,FWHM,Limit,mag,mag_err,flux(mJy),flux_err,Filter\n"


def asas_row(t, camera, mag, err, band):
    return f"{t:.5f},2012-02-11.38,{camera},2.0,16.6,{mag},{err},4.0,0.2,{band}\n"


def test_asassn_sky_patrol_limits_and_cameras(tmp_path):
    rows = []
    for k in range(30):
        band, camera = ("V", "bb" if k % 2 else "ba") if k < 14 else ("g", "bF" if k % 2 else "bj")
        mag, err = f"{15 + 0.2 * np.sin(k):.3f}", "0.050"
        if k in (3, 20, 21):
            mag, err = ">15.680", "99.990"  # upper limit
        if k == 25:
            mag, err = "99.990", "99.990"  # no measurement
        rows.append(asas_row(2456000 + 0.9 * k, camera, mag, err, band))
    lc = read_lightcurve(write(tmp_path / "star-asas.csv", ASAS_HEAD + "".join(rows)))
    assert lc.meta["layout"] == "ASAS-SN Sky Patrol"
    assert lc.meta["dropped"] == {"upper_limit": 3, "sentinel": 1}
    assert lc.bands == ("V", "g")
    assert lc.series == ("V camera ba", "V camera bb", "g camera bj", "g camera bF")
    assert lc.time_system == "HJD"
    assert lc.n == 26
    assert read_lightcurve(tmp_path / "star-asas.csv", band="g").n == 16 - 3


def test_asassn_real_file_counts(multiband_dir):
    path = multiband_dir / "EA_DDE60" / "dde60-asas.csv"
    lc = read_lightcurve(path)
    assert lc.meta["layout"] == "ASAS-SN Sky Patrol"
    assert lc.meta["bands_found"] == {"g": 1463, "V": 566}
    v = read_lightcurve(path, band="V")
    assert v.meta["dropped"]["upper_limit"] == 20  # MANIFEST: 20 limits in V, 133 in g
    assert read_lightcurve(path, band="g").meta["dropped"]["upper_limit"] == 133
    assert v.n + sum(v.meta["dropped"].values()) == 566


def test_catalina_crts_unsorted_mjd_and_blends(tmp_path):
    head = "MasterID,Mag,Magerr,RA,Dec,MJD,Blend\n"
    order = [5, 0, 7, 2, 9, 1, 8, 3, 6, 4]
    rows = [
        f"1132023090438,{14.5 + 0.1 * np.sin(k):.3f},0.06,73.5024,32.9863,"
        f"{53480.1 + 1.7 * k:.5f},{1 if k == 7 else 0}\n"
        for k in order
    ]
    lc = read_lightcurve(write(tmp_path / "star-crts.csv", head + "".join(rows)))
    assert lc.meta["layout"] == "Catalina CRTS"
    assert lc.band == "V_CSS"
    assert lc.meta["dropped"] == {"blended": 1}
    assert (lc.time_system, lc.time_offset) == ("JD", 2400000.5)
    expected = 53480.1 + 1.7 * np.array([k for k in range(10) if k != 7])
    np.testing.assert_allclose(lc.t, expected, rtol=0, atol=1e-9)  # sorted
    assert lc.meta["coords"]["from"] == "columns RA, Dec"


# ----------------------------------------------------------------------------- Gaia DR3
def gaia_table():
    """A small Gaia DR3 epoch-photometry table in the archive's native layout.

    No real file of this layout is in the shared data (see its MANIFEST), so the
    test builds one: G, BP and RP rows, two rejected rows, a row whose magnitude
    is empty (computed from the flux) and one with a negative flux and no magnitude.
    """
    from astropy.table import MaskedColumn, Table

    n = 18
    band = np.array(["G", "BP", "RP"] * 6)
    flux = np.array([3.0e4, 1.2e4, 2.5e4] * 6) * (1 + 0.05 * np.sin(np.arange(n)))
    zp = np.array([{"G": 25.6874, "BP": 25.3385, "RP": 24.7479}[b] for b in band])
    mag = -2.5 * np.log10(flux) + zp
    flux[7] = -5.0
    table = Table()
    table["source_id"] = np.full(n, 160822645217440768, dtype=np.int64)
    table["transit_id"] = np.repeat(np.arange(6) * 1000 + 17, 3).astype(np.int64)
    table["band"] = band
    table["time"] = 1710.84 + np.repeat(np.arange(6) * 12.3, 3) + np.tile([0, 0.001, 0.002], 6)
    table["mag"] = MaskedColumn(mag, mask=np.isin(np.arange(n), [4, 7]))
    table["flux"] = flux
    table["flux_error"] = np.full(n, 60.0)
    table["flux_over_error"] = flux / 60.0
    table["rejected_by_photometry"] = np.arange(n) == 10
    table["rejected_by_variability"] = np.arange(n) == 13
    return table


@pytest.mark.parametrize("fmt", ["votable", "csv"])
def test_gaia_dr3_epoch_photometry(tmp_path, fmt):
    from astropy.time import Time

    table = gaia_table()
    path = tmp_path / f"gaia.{'xml' if fmt == 'votable' else 'csv'}"
    table.write(path, format="votable" if fmt == "votable" else "ascii.csv")
    lc = read_lightcurve(path)
    assert lc.meta["layout"] == "Gaia DR3 epoch photometry"
    assert lc.meta["dropped"] == {
        "rejected_by_photometry": 1,
        "rejected_by_variability": 1,
        "non_positive_flux": 1,
    }
    assert lc.bands == ("G", "BP", "RP")
    assert lc.time_system == "BJD"
    assert lc.meta["time_scale"]["from"] == "TCB"
    assert lc.t.dtype == np.float64
    tdb = Time(2455197.5, 1710.84, format="jd", scale="tcb").tdb
    np.testing.assert_allclose(lc.full_jd()[0] - tdb.jd1, tdb.jd2, rtol=0, atol=1e-9)
    bp = lc.select("BP")
    flux = np.asarray(table["flux"])
    # row 4 (BP) had no magnitude: computed from the flux with the BP zero point
    np.testing.assert_allclose(bp.y[1], -2.5 * np.log10(flux[4]) + 25.3385, rtol=0, atol=1e-9)
    np.testing.assert_allclose(
        bp.dy[1], 2.5 / np.log(10) * 60.0 / flux[4], rtol=1e-9
    )  # errors from fluxes
    g = lc.select("G")
    kept = [0, 3, 6, 9, 12, 15]
    np.testing.assert_allclose(g.y, np.asarray(table["mag"])[kept], rtol=0, atol=1e-6)


def gaia_bulk_text(tables):
    """Gaia DR3 bulk epoch photometry (ECSV, one row per source, arrays per band) as text.

    Written by hand the way the archive writes it (comma-delimited, arrays as
    quoted JSON lists with ``null``), from DataLink-layout tables of one source each.
    """
    import json

    per_band = {
        "G": ("g_transit_time", "g_transit_flux", "g_transit_flux_error", "g_transit_mag"),
        "BP": ("bp_obs_time", "bp_flux", "bp_flux_error", "bp_mag"),
        "RP": ("rp_obs_time", "rp_flux", "rp_flux_error", "rp_mag"),
    }
    names = ["solution_id", "source_id", "n_transits", "transit_id"]
    for cols in per_band.values():
        names += list(cols)
    names += [f"variability_flag_{b.lower()}_reject" for b in per_band]
    head = ["# %ECSV 1.0", "# ---", "# delimiter: ','", "# datatype:"]
    for name in names:
        if name in ("solution_id", "source_id", "n_transits"):
            head.append(f"# - {{name: {name}, datatype: int64}}")
        else:
            sub = "bool" if name.startswith("variability") else "float64"
            head.append(f"# - {{name: {name}, datatype: string, subtype: '{sub}[null]'}}")
    head.append("# schema: astropy-2.0")
    lines = [*head, ",".join(names)]

    def cell(values):
        out = [None if v is np.ma.masked or not np.isfinite(v) else float(v) for v in values]
        return '"' + json.dumps(out, separators=(",", ":")).replace('"', '""') + '"'

    for t in tables:
        band = np.asarray(t["band"])
        g = band == "G"
        cells = ["375316653866487564", str(int(t["source_id"][0])), str(int(g.sum()))]
        cells.append(cell(np.asarray(t["transit_id"])[g]))
        for b in per_band:
            rows = band == b
            cells += [
                cell(np.asarray(t["time"])[rows]),
                cell(np.asarray(t["flux"])[rows]),
                cell(np.asarray(t["flux_error"])[rows]),
                cell(np.ma.filled(t["mag"][rows].astype(float), np.nan)),
            ]
        for b in per_band:
            flags = np.asarray(t["rejected_by_variability"])[band == b]
            cells.append('"' + json.dumps([bool(f) for f in flags]) + '"')
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def test_gaia_dr3_bulk_epoch_photometry(tmp_path):
    # the bulk download's one row per source, read as the DataLink table of the same data
    one = gaia_table()
    one["rejected_by_photometry"] = False  # the bulk layout has no such flag
    two = gaia_table()
    two["source_id"] = 160822645217440999
    two["flux"] = np.asarray(two["flux"]) * 1.1
    path = write(tmp_path / "EPOCH_PHOTOMETRY-1.ecsv", gaia_bulk_text([one, two]))
    with pytest.raises(
        InputError,
        match=r"EPOCH_PHOTOMETRY-1.ecsv: the Gaia epoch photometry "
        r"holds 2 sources \(160822645217440768, 160822645217440999\); give source_id=",
    ):
        read_lightcurve(path)
    with pytest.raises(InputError, match=r"source_id 42 is not in the file"):
        read_lightcurve(path, source_id=42)
    lc = read_lightcurve(path, source_id=160822645217440768)
    long = tmp_path / "datalink.csv"
    one.write(long, format="ascii.csv")
    ref = read_lightcurve(long)
    assert lc.meta["layout"] == "Gaia DR3 epoch photometry"
    assert lc.bands == ref.bands == ("G", "BP", "RP")
    assert (
        lc.meta["dropped"]
        == ref.meta["dropped"]
        == {
            "rejected_by_variability": 1,
            "non_positive_flux": 1,
        }
    )
    np.testing.assert_array_equal(lc.t, ref.t)
    np.testing.assert_allclose(lc.y, ref.y, rtol=0, atol=1e-9)
    np.testing.assert_allclose(lc.dy, ref.dy, rtol=1e-12)
    other = read_lightcurve(path, source_id=160822645217440999)
    np.testing.assert_allclose(other.select("BP").y[1], lc.select("BP").y[1] - 2.5 * np.log10(1.1))
    with pytest.raises(InputError, match=r"source_id must be an integer Gaia DR3 source id"):
        read_lightcurve(path, source_id="Gaia DR3 42")
    # the bulk columns without the ECSV header: arrays are text, refused with the file named
    plain = "\n".join(line for line in path.read_text().splitlines() if line[:1] != "#")
    flat = write(tmp_path / "bulk-plain.csv", plain + "\n")
    with pytest.raises(InputError, match=r"bulk-plain.csv: has the columns of Gaia DR3 bulk"):
        read_lightcurve(flat)
    with pytest.raises(InputError, match=r"source_id= selects a source of Gaia epoch photometry"):
        read_lightcurve(write(tmp_path / "p.txt", "1 2 0.1\n2 3 0.1\n3 2.5 0.1\n"), source_id=1)


def test_gaia_vizier_extract_read_by_arguments(multiband_dir):
    from astropy.time import Time

    path = multiband_dir / "EA_DDE60" / "dde60-gdr3.dat"
    raw = np.loadtxt(path)
    lc = read_lightcurve(path, time_format="bjd_tcb-2455197.5", band="G")
    assert (lc.band, lc.time_system, lc.time_offset) == ("G", "BJD", 2455197.5)
    assert lc.meta["dropped"] == {}
    tdb = Time(np.full(len(raw), 2455197.5), raw[:, 0], format="jd", scale="tcb").tdb
    order = np.argsort(raw[:, 0])
    np.testing.assert_allclose(lc.t, (tdb.jd1 - 2455197.5 + tdb.jd2)[order], rtol=0, atol=1e-10)
    np.testing.assert_array_equal(lc.y, raw[order, 1])
    shift = lc.meta["time_scale"]["max_days"] * 86400.0
    assert -21 < shift < -18  # TCB - TDB is about 19-20 s around 2015


# ----------------------------------------------------------------------------- wide tables
def test_wide_table_per_band_times(tmp_path):
    head = "ra dec mjd_u mag_u err_u mjd_g mag_g err_g mjd_r mag_r err_r\n"
    rows = []
    for k in range(12):
        t = 51000.1 + 3.1 * k
        mags = [f"{18 + 0.2 * np.sin(k):.3f}", f"{16.5 + 0.2 * np.sin(k):.3f}"]
        mags.append(f"{16.2 + 0.1 * np.cos(k):.3f}")
        if k == 2:
            mags[0] = ">21.0"  # upper limit
        if k == 5:
            mags[1] = "-99.99"  # missing-value marker
        cells = [f"{t + 0.001 * b:.5f} {m} 0.02" for b, m in enumerate(mags)]
        rows.append(f"10.5 -1.2 {' '.join(cells)}\n")
    path = write(tmp_path / "wide.txt", head + "".join(rows))
    lc = read_lightcurve(path)
    assert lc.meta["layout"] == "wide table"
    assert lc.bands == ("u", "g", "r")
    assert (lc.meta["n_rows"], lc.meta["n_values"]) == (12, 36)
    assert lc.meta["dropped"] == {"upper_limit": 1, "sentinel": 1}
    assert lc.n + 2 == 36
    assert (lc.time_system, lc.time_offset) == ("JD", 2400000.5)
    g = read_lightcurve(path, band="g")
    np.testing.assert_array_equal(g.t, lc.select("g").t)
    np.testing.assert_array_equal(g.y, lc.select("g").y)
    assert g.meta["dropped"] == {"sentinel": 1}
    with pytest.raises(InputError, match=r"wide.txt: band 'z' not in column 'band'"):
        read_lightcurve(path, band="z")


def test_wide_table_one_shared_time(tmp_path):
    rows = "".join(
        f"{2459000 + 0.5 * k:.4f},{11 + 0.1 * k % 3:.3f},0.01,{10.4 + 0.1 * k % 3:.3f},0.02\n"
        for k in range(10)
    )
    lc = read_lightcurve(write(tmp_path / "wide.csv", "HJD,mag_B,err_B,mag_V,err_V\n" + rows))
    assert lc.bands == ("B", "V")
    assert lc.time_system == "HJD"
    np.testing.assert_array_equal(lc.select("V").dy, np.full(10, 0.02))
    np.testing.assert_array_equal(lc.select("B").t, lc.select("V").t)
    vizier = "".join(
        f"{2450000 + 0.7 * k:.4f} {10 + 0.1 * np.sin(k):.3f} 0.01 {10.5 + 0.1 * np.cos(k):.3f} 0.02\n"
        for k in range(8)
    )
    lc = read_lightcurve(write(tmp_path / "viz.dat", "HJD Vmag e_Vmag Bmag e_Bmag\n" + vizier))
    assert lc.bands == ("V", "B")
    np.testing.assert_array_equal(lc.select("B").dy, np.full(8, 0.02))


def test_sdss_stripe82_all_five_bands(survey_dir):
    path = min((survey_dir / "s82_ugriz").glob("*.dat"))
    lc = read_lightcurve(path, band="all")
    assert lc.bands == tuple("ugriz")
    assert lc.meta["layout"] == "SDSS Stripe 82 ugriz"
    assert (lc.time_system, lc.time_offset) == ("JD", 2400000.5)
    for band in "ugriz":
        one = read_lightcurve(path, band=band)
        both = lc.select(band)
        np.testing.assert_array_equal(both.t, one.t)
        np.testing.assert_array_equal(both.y, one.y)
        np.testing.assert_array_equal(both.dy, one.dy)
    rows = len(np.loadtxt(path))
    assert lc.n + sum(lc.meta["dropped"].values()) == 5 * rows == lc.meta["n_values"]
    g = read_lightcurve(path)  # the default stays the g band
    assert g.band == "g"


# ----------------------------------------------------------------------------- time systems
def test_files_in_different_time_systems_brought_to_bjd(tmp_path):
    from astropy.coordinates import EarthLocation, SkyCoord
    from astropy.time import Time

    ztf = write(tmp_path / "s-zg.csv", ztf_text(1, "zg", 12, 0))
    atlas_head = "###MJD m dm uJy duJy F err chi/N RA Dec\n"
    atlas = write(
        tmp_path / "s-atlas.txt",
        atlas_head
        + "".join(
            f"{59000.3 + 0.8 * k:.6f} {15.1 + 0.1 * np.sin(k):.3f} 0.02 100 5 o 0 1.0 73.5 32.9\n"
            for k in range(10)
        ),
    )
    lc = read_lightcurve([ztf, atlas])
    assert lc.time_system == "BJD"
    assert lc.meta["time_systems"] == {str(ztf): "HJD", str(atlas): "JD"}
    assert lc.t.dtype == np.float64
    # the first ATLAS point, converted independently: MJD (UTC, geocentre) -> BJD_TDB
    star = SkyCoord(73.5, 32.9, unit="deg")
    geocentre = EarthLocation.from_geocentric(0.0, 0.0, 0.0, unit="m")
    when = Time(2400000.5, 59000.3, format="jd", scale="utc", location=geocentre)
    bjd = when.tdb + when.light_travel_time(star, "barycentric", ephemeris="builtin")
    first = lc.select("o").full_jd()[0]
    assert abs((first - bjd.jd1) - bjd.jd2) * 86400 < 0.05  # seconds
    shift = lc.meta["time_joined"]["shift_days"][str(atlas)]
    assert 0.0 < abs(shift[0]) * 86400 < 600


def test_time_systems_differ_without_coordinates(tmp_path):
    asas = write(
        tmp_path / "s-asas.csv",
        ASAS_HEAD
        + "".join(
            asas_row(2459000 + 0.7 * k, "bb", f"{15 + 0.1 * k % 3:.2f}", 0.05, "g")
            for k in range(8)
        ),
    )
    gaia = write(
        tmp_path / "s-gdr3.dat",
        "".join(f"{3800 + 1.3 * k:.5f} {14.9 + 0.1 * np.cos(k):.4f}\n" for k in range(9)),
    )
    files = [asas, (gaia, {"time_format": "bjd_tcb-2455197.5", "band": "G"})]
    with pytest.warns(NavfitWarning, match=r"time systems differ.*no position is known"):
        lc = read_lightcurve(files)
    assert lc.time_system is None
    assert "coords=" in lc.meta["time_systems_differ"]
    np.testing.assert_allclose(lc.select("g").t[0], 2459000.0, rtol=0, atol=1e-9)  # kept
    given = read_lightcurve(files, coords=(73.5, 32.9))
    assert given.time_system == "BJD"
    assert given.meta["time_joined"]["coords_from"] == "argument coords"


# ----------------------------------------------------------------------------- bad input
def test_band_with_two_points_dropped_and_counted(tmp_path):
    text = ztf_text(1, "zg", 20, 0) + ztf_text(2, "zi", 2, 0).split("\n", 1)[1]
    lc = read_lightcurve(write(tmp_path / "s-z.csv", text))
    assert lc.bands == ("zg",)
    assert lc.meta["dropped"] == {"band_too_few": 2}
    two = write(tmp_path / "s-zi.csv", ztf_text(3, "zi", 2, 0))
    with pytest.warns(NavfitWarning, match=r"file skipped: .*s-zi.csv: only 2 usable points"):
        joined = read_lightcurve([tmp_path / "s-z.csv", two])
    assert str(two) in joined.meta["skipped"]
    assert "only 2 usable points" in joined.meta["skipped"][str(two)]
    with pytest.raises(InputError, match=r"s-zi.csv: only 2 usable points"):
        read_lightcurve(two)


def test_series_entirely_flagged_is_gone_with_its_rows_counted(tmp_path):
    text = ztf_text(111, "zr", 9, 9) + ztf_text(222, "zr", 15, 0, 2459100.0).split("\n", 1)[1]
    lc = read_lightcurve(write(tmp_path / "s-zr.csv", text))
    assert lc.series == ("oid 222",)
    assert lc.meta["dropped"] == {"quality": 9}
    assert lc.n == 15


def test_bands_without_overlap_in_time(tmp_path):
    early = write(tmp_path / "early-zg.csv", ztf_text(1, "zg", 30, 0, 2455000.0))
    late = write(tmp_path / "late-zr.csv", ztf_text(2, "zr", 30, 0, 2459000.0))
    lc = read_lightcurve([early, late])
    assert lc.meta["bands_without_overlap"] == [["zg", "zr"]]
    assert lc.meta["spans"]["zg"][1] < lc.meta["spans"]["zr"][0]
    assert lc.multiband
    # a joint fit across the gap still runs and shares one ephemeris
    from navfit.synthetic import multiband_nav_lightcurve

    syn, truth = multiband_nav_lightcurve(bands=("g", "r"), n=200, rng=5)
    rows = np.where(syn.band_index == 0, syn.t < np.median(syn.t), syn.t > np.median(syn.t))
    apart = syn.subset(rows)
    fit = navfit.fit_nav_multiband(apart, period=truth["period"])
    assert abs(fit.period - truth["period"]) < 4 * fit.errors["period"]
