"""Tests of navfit.io.read_lightcurve on the real light curves and on synthetic files."""

import csv
import gzip
import json
import re
import socket
from pathlib import Path

import numpy as np
import pytest
from astropy.coordinates import EarthLocation, SkyCoord
from astropy.io import fits
from astropy.table import MaskedColumn, Table
from astropy.time import Time
from astropy.utils import iers

from navfit import LightCurve
from navfit.batch import run_batch
from navfit.errors import InputError, NavfitWarning
from navfit.io import read_lightcurve

ALGOL = (47.0422, 40.9556)
HAT772 = (219.45046, -56.81653)  # 2MASS J14374811-5648595
ALGOL_BANDS = {"Vis.": 3449, "V": 240, "H": 47, "J": 35, "TG": 2}


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


def direct_ltt(jd_utc, kind):
    """Light travel time (days) straight from astropy, for comparison."""
    geocenter = EarthLocation.from_geocentric(0, 0, 0, unit="m")
    with iers.conf.set_temp("auto_download", False):
        tm = Time(jd_utc, format="jd", scale="utc", location=geocenter)
        ltt = tm.light_travel_time(SkyCoord(*ALGOL, unit="deg"), kind, ephemeris="builtin")
        return tm, ltt


# ----------------------------------------------------------------------------- real files
# file, kwargs, n points (None: not checked), time system, offset, (y lo, y hi), (t lo, t hi)
REAL = [
    ("CEP_HIP54101_HD305996_Hipparcos_Hp.csv", {}, 109, None, 0.0, (8.17, 9.25), (7866.5, 9016.0)),
    ("EB_OGLE051951.22-694002.7_OGLE-II_I.csv", {}, 470, None, 0.0, (16.36, 16.74),
     (2450455.6, 2451691.6)),
    ("EW_CSS_J011848.5+132107_Catalina.csv", {}, 300, "JD", 2400000.5, (13.15, 13.65),
     (53636.35, 56595.25)),
    ("RRAB_M3_V006.lc", {}, 211, None, 0.0, (15.03, 16.14), (920.7, 965.9)),
    ("EA_HD23642_V1229Tau_K2_C4.dat", {}, 2814, "BJD", 2450000.0, (-0.0034, 0.1045),
     (7064.06, 7132.64)),
    ("EA_HAT-772-0554686_HATSouth_r.csv", {"mag": "aep_000", "err": "aie_000"}, 10982, "BJD",
     0.0, (14.18, 16.31), (2456092.6, 2456921.6)),
    ("CONST_HAT-579-0051858_HATSouth_r.csv", {"mag": "atf_000"}, 10442, "BJD", 0.0,
     (14.16, 14.31), (2455103.5, 2455802.5)),
    ("EA_Algol_betPer_AAVSO_vis_PEP.csv", {}, None, "JD", 0.0, (1.5, 4.3),
     (2451549.2, 2455141.0)),
    ("EA_Algol_betPer_AAVSO_vis_PEP.csv", {"band": "V"}, None, "JD", 0.0, (2.03, 3.23),
     (2451549.2, 2455141.0)),
]  # fmt: skip


@pytest.mark.parametrize(("fname", "kwargs", "n", "system", "offset", "yr", "tr"), REAL)
def test_real_files(lightcurves_dir, fname, kwargs, n, system, offset, yr, tr):
    lc = read_lightcurve(lightcurves_dir / fname, **kwargs)
    if n is not None:
        assert lc.n + sum(lc.meta["dropped"].values()) == lc.meta["n_rows"]
        assert lc.n + lc.meta["dropped"].get("duplicate_time", 0) == n
    assert lc.meta["time_system"] == system
    assert lc.meta["time_offset"] == offset
    assert lc.meta["kind"] == "mag"
    assert yr[0] <= lc.y.min() < lc.y.max() <= yr[1]
    assert tr[0] <= lc.t[0] < lc.t[-1] <= tr[1]
    assert np.all(lc.dy > 0)


def test_algol_bands(lightcurves_dir):
    path = lightcurves_dir / "EA_Algol_betPer_AAVSO_vis_PEP.csv"
    every = read_lightcurve(path)  # every band of the band column (issue 15)
    assert every.multiband
    assert every.band is None
    assert set(every.bands) <= set(ALGOL_BANDS)
    vis = read_lightcurve(path, band="Vis.")
    assert vis.meta["band"] == "Vis."
    assert vis.meta["bands_found"] == ALGOL_BANDS
    assert vis.meta["encoding"] == "latin-1"
    assert vis.meta["n_rows"] == 3773
    assert vis.n + vis.meta["dropped"]["duplicate_time"] == 3449
    # only 2 of 3449 visual estimates have an error: the errors are ignored
    assert not vis.meta["dy_given"]
    assert vis.meta["missing_error"] == {"n_missing": 3447, "n_rows": 3449, "action": "ignored"}
    v = read_lightcurve(path, band="V")
    assert v.meta["band"] == "V"
    assert v.meta["bands_found"] == ALGOL_BANDS
    assert v.n + v.meta["dropped"].get("duplicate_time", 0) == 240
    dropped = read_lightcurve(path, band="V", missing_error="drop")
    assert dropped.n == 7
    assert dropped.meta["dropped"]["missing_error"] == 233
    assert np.all(dropped.dy <= 0.02)
    assert dropped.meta["dy_given"]
    with pytest.raises(InputError, match=r"EA_Algol.*'R'.*'Vis\.': 3449"):
        read_lightcurve(path, band="R")


def test_hat_columns(lightcurves_dir):
    path = lightcurves_dir / "EA_HAT-772-0554686_HATSouth_r.csv"
    lc = read_lightcurve(path, mag="aep_000", err="aie_000")
    assert lc.meta["columns"]["time"] == "bjd"
    assert lc.meta["time_format"] == "bjd"
    assert lc.meta["dropped"] == {"non_finite": 279}
    # no usual magnitude name: auto-detection refuses and lists the columns
    with pytest.raises(InputError, match=r"EA_HAT-772.*magnitude or flux.*'aep_000', 'aie_000'"):
        read_lightcurve(path)
    # geocentric rjd converted to BJD reproduces the file's own bjd column
    conv = read_lightcurve(path, time="rjd", mag="aep_000", err="aie_000",
                           time_format="jd-2400000", to_time_system="BJD", coords=HAT772)  # fmt: skip
    assert conv.meta["time_system"] == "BJD"
    assert conv.meta["time_offset"] == 2400000.0
    assert conv.meta["time_correction"]["from"] == "JD"
    np.testing.assert_allclose(conv.t + 2400000.0, lc.t, rtol=0, atol=2e-7)


def test_k2_commented_header(lightcurves_dir):
    path = lightcurves_dir / "EA_HD23642_V1229Tau_K2_C4.dat"
    lc = read_lightcurve(path, band="Kp")
    assert lc.meta["time_format"] == "BJD-2450000"
    assert lc.meta["columns"] == {
        "time": "BJD-2450000", "y": "mag", "dy": "e_mag", "band": None, "quality": None,
    }  # fmt: skip
    assert lc.meta["band"] == "Kp"
    assert lc.meta["dropped"] == {}
    same = read_lightcurve(path, to_time_system="BJD")  # already BJD: no coordinates needed
    assert same.meta["time_correction"]["applied"] is False
    np.testing.assert_array_equal(same.t, lc.t)
    flags = np.loadtxt(path, usecols=3)
    flagged = read_lightcurve(path, quality="Flag")
    assert flagged.meta["dropped"] == {"quality": int(np.count_nonzero(flags))}
    assert flagged.n == np.count_nonzero(flags == 0)


def test_kpd_phase_flux(lightcurves_dir):
    path = lightcurves_dir / "EL_KPD1946+4340_Kepler_SC_phasebinned.dat"
    raw = np.loadtxt(path)
    mag = read_lightcurve(path, time=0, flux=1, time_format="phase")
    assert mag.meta["kind"] == "mag"
    assert mag.n == 2000
    assert mag.meta["time_system"] == "phase"
    assert mag.phased
    assert mag.period is None
    assert mag.meta["time_format"] == "phase"
    assert not mag.meta["dy_given"]
    np.testing.assert_allclose(mag.y, -2.5 * np.log10(raw[:, 1]), rtol=0, atol=1e-12)
    with pytest.warns(NavfitWarning, match="phase-folded data"):  # read as if phases were days
        flux = read_lightcurve(path, time=0, flux=1, keep_flux=True)
    assert flux.meta["kind"] == "flux"
    assert 0.9949 <= flux.y.min() < flux.y.max() <= 1.00214
    assert 0 <= flux.t[0] < flux.t[-1] <= 1


def test_catalina_hjd_from_columns(lightcurves_dir):
    lc = read_lightcurve(lightcurves_dir / "EW_CSS_J011848.5+132107_Catalina.csv",
                         to_time_system="HJD")  # fmt: skip
    corr = lc.meta["time_correction"]
    assert lc.meta["time_system"] == "HJD"
    assert corr["coords_from"] == "columns RA, Dec"
    assert corr["ra_deg"] == pytest.approx(19.7022, abs=1e-3)
    assert corr["dec_deg"] == pytest.approx(13.3521, abs=1e-3)
    assert -0.006 < corr["min_days"] < corr["max_days"] < 0.006


def test_hipparcos_time_format_override(lightcurves_dir):
    path = lightcurves_dir / "CEP_HIP54101_HD305996_Hipparcos_Hp.csv"
    lc = read_lightcurve(path, time_format="jd-2440000")
    assert lc.meta["time_offset"] == 2440000.0
    assert lc.meta["time_system"] == "JD"
    assert lc.meta["time_format"] == "jd-2440000"


# ----------------------------------------------------------------------------- synthetic files
T = np.array([2455000.125, 2455000.25, 2455001.5, 2455002.75, 2455003.0625])
Y = np.array([12.5, 12.625, 13.0, 12.875, 12.5625])
DY = np.array([0.01, 0.02, 0.015, 0.0125, 0.03])


def check_roundtrip(lc, t=T, y=Y, dy=DY):
    np.testing.assert_array_equal(lc.t, t)
    np.testing.assert_array_equal(lc.y, y)
    np.testing.assert_array_equal(lc.dy, dy)


def r(x):
    """Shortest exact text of a float."""
    return repr(float(x))


def rows(sep, t=T, y=Y, dy=DY):
    return "".join(f"{r(a)}{sep}{r(b)}{sep}{r(c)}\n" for a, b, c in zip(t, y, dy, strict=True))


def test_csv_with_header(tmp_path):
    lc = read_lightcurve(write(tmp_path / "a.csv", "HJD,Mag,Mag_Err\n" + rows(",")))
    check_roundtrip(lc)
    assert lc.meta["time_system"] == "HJD"
    assert lc.meta["format"] == "text"
    assert lc.meta["columns"]["dy"] == "Mag_Err"
    assert lc.meta["n_rows"] == 5


def test_whitespace_without_header(tmp_path):
    lc = read_lightcurve(write(tmp_path / "b.dat", "# my star\n\n" + rows("   ")))
    check_roundtrip(lc)
    assert lc.meta["columns"] == {"time": "col0", "y": "col1", "dy": "col2", "band": None,
                                  "quality": None}  # fmt: skip
    assert lc.meta["time_format"] == "JD"
    assert lc.meta["time_system"] is None
    only_two = "".join(f"{r(a)} {r(b)}\n" for a, b in zip(T, Y, strict=True))
    lc2 = read_lightcurve(write(tmp_path / "d.dat", only_two))
    check_roundtrip(lc2, dy=np.ones(5))
    assert not lc2.meta["dy_given"]
    assert lc2.meta["columns"]["dy"] is None


def test_a_time_column_without_one_finite_value_is_refused_without_numpy_warnings(tmp_path):
    """Found by the long fuzz test: every time NaN made the time-system guess warn."""
    import warnings

    text = "nan 15.2 0.01\nnan 15.3 0.01\nNaN 15.1 0.02\n"
    for name, header in (("h.csv", "t,mag,err\n"), ("n.dat", "")):
        body = text.replace(" ", ",") if name.endswith(".csv") else text
        path = write(tmp_path / name, header + body)
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)
            with pytest.raises(InputError, match=rf"{name}: column '\w+' has no finite time"):
                read_lightcurve(path)


def test_tab_separated_and_indices(tmp_path):
    text = "when\tbrightness\tsd\tnote\n" + rows("\t").replace("\n", "\tok\n")
    path = write(tmp_path / "e.tsv", text)
    lc = read_lightcurve(path, time=0, mag="BRIGHTNESS", err=2, time_format="hjd")
    check_roundtrip(lc)
    assert lc.meta["time_format"] == "hjd"
    assert lc.meta["time_system"] == "HJD"


def test_commented_header_reduced_time(tmp_path):
    text = "# source: nowhere\n# HJD-2450000  v  e_v\n" + rows("  ", t=T - 2450000)
    lc = read_lightcurve(write(tmp_path / "f.txt", text))
    check_roundtrip(lc, t=T - 2450000)
    assert lc.meta["time_system"] == "HJD"
    assert lc.meta["time_offset"] == 2450000.0
    np.testing.assert_allclose(lc.full_jd(), T, rtol=0, atol=1e-8)


def test_a_comment_that_calls_the_values_fluxes_makes_them_fluxes(tmp_path):
    # the TESS eclipses of CM Dra: "# BJD-TDB  norm. flux" names two columns in three words
    flux = 1.0 - 0.2 * np.exp(-(((T - T.mean()) / 0.01) ** 2))
    body = "".join(f"{t:.8f} {f:.7f}\n" for t, f in zip(T - 2400000, flux, strict=True))
    lc = read_lightcurve(write(tmp_path / "f.lc", "# CM Dra\n# BJD-TDB  norm. flux\n" + body))
    np.testing.assert_allclose(lc.y, -2.5 * np.log10(flux), atol=1e-6)
    # a comment that names magnitudes keeps them, flux-weighted or not; so does a file
    # whose comment before the data says nothing, whatever earlier comments say
    lc = read_lightcurve(write(tmp_path / "m.lc", "# HJD  mag (flux-weighted)\n" + body))
    np.testing.assert_allclose(lc.y, flux, atol=1e-6)
    text = "# calibrated on the flux of comparison stars\n# JD-2400000 and Johnson V\n" + body
    np.testing.assert_allclose(read_lightcurve(write(tmp_path / "v.lc", text)).y, flux, atol=1e-6)


def test_ecsv(tmp_path):
    path = tmp_path / "g.ecsv"
    Table({"bjd": T, "mag": Y, "mag_err": DY}).write(path, format="ascii.ecsv")
    lc = read_lightcurve(path)
    check_roundtrip(lc)
    assert lc.meta["format"] == "ecsv"
    assert lc.meta["time_system"] == "BJD"


def test_votable(tmp_path):
    path = tmp_path / "h.vot"
    Table({"MJD": T - 2400000.5, "Vmag": Y, "e_Vmag": DY}).write(path, format="votable")
    lc = read_lightcurve(path, mag="Vmag")
    check_roundtrip(lc, t=T - 2400000.5)
    assert lc.meta["format"] == "votable"
    assert lc.meta["time_offset"] == 2400000.5
    assert lc.meta["columns"]["dy"] == "e_Vmag"


def kepler_fits(path, telescope="Kepler", bjdref=(2454833, 0.0), n=8):
    time = np.linspace(100.0, 101.0, n)
    time[2] = np.nan
    sap = np.linspace(1000.0, 1100.0, n)
    pdc = sap * 1.01
    quality = np.zeros(n, dtype=np.int32)
    quality[[1, 5]] = [128, 1]
    cols = [
        fits.Column("TIME", "D", array=time, unit="d"),
        fits.Column("SAP_FLUX", "E", array=sap, unit="e-/s"),
        fits.Column("SAP_FLUX_ERR", "E", array=np.full(n, 2.0), unit="e-/s"),
        fits.Column("PDCSAP_FLUX", "E", array=pdc, unit="e-/s"),
        fits.Column("PDCSAP_FLUX_ERR", "E", array=np.full(n, 3.0), unit="e-/s"),
        fits.Column("QUALITY", "J", array=quality),
    ]
    table = fits.BinTableHDU.from_columns(cols, name="LIGHTCURVE")
    if bjdref:
        table.header["BJDREFI"], table.header["BJDREFF"] = bjdref
    primary = fits.PrimaryHDU()
    primary.header["TELESCOP"] = telescope
    primary.header["OBJECT"] = "KIC 1234"
    fits.HDUList([primary, table]).writeto(path)
    return time, sap.astype(np.float32), pdc.astype(np.float32), quality


def test_fits_kepler(tmp_path):
    path = tmp_path / "kplr.fits"
    time, sap, pdc, quality = kepler_fits(path)
    lc = read_lightcurve(path)
    good = (quality == 0) & np.isfinite(time)
    np.testing.assert_array_equal(lc.t, time[good])
    np.testing.assert_allclose(lc.y, -2.5 * np.log10(pdc[good].astype(float)), rtol=1e-15)
    np.testing.assert_allclose(lc.dy, 2.5 / np.log(10) * 3.0 / pdc[good], rtol=1e-6)
    m = lc.meta
    assert m["dropped"] == {"quality": 2, "non_finite": 1}
    assert m["n_rows"] == 8
    assert (m["time_system"], m["time_offset"], m["time_format"]) == ("BJD", 2454833.0, "BKJD")
    assert m["band"] == "Kp"
    assert m["name"] == "KIC 1234"
    assert m["telescope"] == "Kepler"
    assert m["columns"]["y"] == "PDCSAP_FLUX"
    assert m["columns"]["quality"] == "QUALITY"
    sap_lc = read_lightcurve(path, flux_column_kind="sap", keep_flux=True, quality=False)
    assert sap_lc.meta["kind"] == "flux"
    assert sap_lc.n == 7
    np.testing.assert_array_equal(sap_lc.y, sap[np.isfinite(time)])
    np.testing.assert_array_equal(sap_lc.dy, np.full(7, 2.0))


def test_fits_tess(tmp_path):
    path = tmp_path / "tess.fits"
    time, _, _, quality = kepler_fits(path, telescope="TESS", bjdref=(2457000, 0.5))
    lc = read_lightcurve(path)
    np.testing.assert_array_equal(lc.t, time[(quality == 0) & np.isfinite(time)])
    assert lc.meta["time_offset"] == 2457000.5
    assert lc.meta["time_format"] == "BTJD"
    assert lc.meta["band"] == "TESS"
    assert lc.meta["time_system"] == "BJD"
    bare = tmp_path / "tess_noref.fits"
    kepler_fits(bare, telescope="TESS", bjdref=None)
    assert read_lightcurve(bare).meta["time_offset"] == 2457000.0


def test_latin1_gzip_and_aavso_header(tmp_path):
    text = (
        "JD,Magnitude,Uncertainty,Band,Comment\n"
        + "".join(f"{r(t)},{r(y)},{r(e)},V,Argeländer\n" for t, y, e in zip(T, Y, DY, strict=True))
        + "2455004.5,3.0,,Vis.,Ä\n2455005.5,3.1,,Vis.,\n"
    )
    path = write(tmp_path / "aavso.csv", text, encoding="latin-1")
    lc = read_lightcurve(path)
    check_roundtrip(lc)
    assert lc.meta["band"] == "V"
    assert lc.meta["bands_found"] == {"V": 5, "Vis.": 2}
    assert lc.meta["encoding"] == "latin-1"
    assert lc.meta["time_system"] == "JD"
    vis = read_lightcurve(path, band="vis", min_points=2)
    assert vis.meta["band"] == "Vis."
    assert not vis.meta["dy_given"]
    zipped = tmp_path / "aavso.csv.gz"
    zipped.write_bytes(gzip.compress(text.encode("cp1252")))
    check_roundtrip(read_lightcurve(zipped, encoding="cp1252"))


def test_headerless_aavso_layout_and_format_override(tmp_path):
    text = ""
    for i, (t, y) in enumerate(zip(np.r_[T, T + 10], np.r_[Y, Y + 1], strict=True)):
        fields = [r(t), r(y), "", "", "V" if i % 2 else "Vis.", "OBS", *[""] * 5, "No", "", "G"]
        text += ",".join([*fields, "", "", "", "bet per"]) + "\n"  # 18 fields
    path = write(tmp_path / "aavso.xml", text)  # misleading suffix: needs format="text"
    lc = read_lightcurve(path, band="V", format="text")
    assert lc.meta["bands_found"] == {"Vis.": 5, "V": 5}
    assert lc.meta["columns"]["band"] == "col4"
    assert lc.meta["time_system"] == "JD"
    assert not lc.meta["dy_given"]
    assert lc.n == 5
    with pytest.raises(InputError, match=r"aavso\.xml.*VOTable"):
        read_lightcurve(path)


def test_missing_errors_and_drop_counts(tmp_path):
    dy = DY.copy()
    text = "t,mag,err,quality\n" + "".join(
        f"{r(a)},{r(b)},{'' if i == 3 else r(c)},{int(i == 0)}\n"
        for i, (a, b, c) in enumerate(zip(T, Y, dy, strict=True))
    )
    text += f"{r(T[1])},{r(Y[1] + 0.1)},{r(DY[1])},0\n{r(T[4] + 1)},nan,0.1,0\n"
    lc = read_lightcurve(write(tmp_path / "m.csv", text))
    assert lc.meta["dropped"] == {
        "quality": 1, "missing_error": 1, "non_finite": 1, "duplicate_time": 1,
    }  # fmt: skip
    assert lc.n == 3
    assert lc.meta["n_rows"] == 7
    w = 1 / DY[1] ** 2
    assert lc.y[0] == pytest.approx((w * Y[1] + w * (Y[1] + 0.1)) / (2 * w))
    ignored = read_lightcurve(tmp_path / "m.csv", missing_error="ignore", quality=False)
    assert not ignored.meta["dy_given"]
    assert ignored.meta["missing_error"]["action"] == "ignored"


def test_flux_to_mag(tmp_path):
    f = np.array([1000.0, 2000.0, 500.0, -5.0, 0.0, 800.0])
    df = np.array([10.0, 30.0, 5.0, 1.0, 1.0, 4.0])
    t = np.arange(6.0)
    text = "time,flux,flux_err\n" + rows(",", t=t, y=f, dy=df)
    lc = read_lightcurve(write(tmp_path / "flux.csv", text), zero_point=25.0)
    good = f > 0
    assert lc.meta["dropped"] == {"non_positive_flux": 2}
    np.testing.assert_allclose(lc.y, 25.0 - 2.5 * np.log10(f[good]), rtol=0, atol=1e-12)
    h = 1e-3 * f[good]  # numerical derivative of the magnitude
    slope = (-2.5 * np.log10(f[good] + h) + 2.5 * np.log10(f[good] - h)) / (2 * h)
    np.testing.assert_allclose(lc.dy, np.abs(slope) * df[good], rtol=1e-6)
    np.testing.assert_allclose(lc.dy, 1.0857362047581294 * df[good] / f[good], rtol=1e-12)
    kept = read_lightcurve(tmp_path / "flux.csv", keep_flux=True)
    np.testing.assert_array_equal(kept.y, f)
    assert kept.meta["kind"] == "flux"
    assert "non_positive_flux" not in kept.meta["dropped"]


# ----------------------------------------------------------------------------- time systems
JD = np.linspace(2453400.0, 2453765.0, 40)  # one year, inside the bundled IERS-B table


def reduced_file(tmp_path, label, values):
    text = f"{label},mag,err,ra,dec\n" + "".join(
        f"{r(v)},{r(10 + 0.1 * np.sin(i))},0.01,{ALGOL[0]},{ALGOL[1]}\n"
        for i, v in enumerate(values)
    )
    return write(tmp_path / f"{label.lower()}.csv", text)


def test_hjd_bjd_against_astropy(tmp_path, monkeypatch):
    def no_network(*_args, **_kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    path = reduced_file(tmp_path, "JD-2450000", JD - 2450000.0)
    tm, ltt_h = direct_ltt(JD, "heliocentric")
    _, ltt_b = direct_ltt(JD, "barycentric")
    hjd = read_lightcurve(path, to_time_system="HJD", coords=ALGOL)
    assert hjd.meta["time_system"] == "HJD"
    assert hjd.meta["time_offset"] == 2450000.0
    np.testing.assert_allclose(hjd.t - (JD - 2450000.0), ltt_h.jd, rtol=0, atol=1e-9)
    assert np.abs(ltt_h.jd).max() < 0.006
    assert np.abs(ltt_h.jd).max() > 0.004
    bjd = read_lightcurve(path, to_time_system="bjd", coords=SkyCoord(*ALGOL, unit="deg"))
    expected = tm.tdb + ltt_b
    np.testing.assert_allclose(bjd.t, (expected.jd1 - 2450000.0) + expected.jd2, rtol=0, atol=1e-9)
    tdb_minus_utc = (tm.tdb.jd1 - tm.jd1) + (tm.tdb.jd2 - tm.jd2)
    light_time = bjd.t - (JD - 2450000.0) - tdb_minus_utc
    np.testing.assert_allclose(light_time, ltt_b.jd, rtol=0, atol=1e-9)
    assert np.abs(light_time).max() < 0.006
    info = bjd.meta["time_correction"]
    assert info["from"] == "JD"
    assert info["to"] == "BJD"
    assert info["scale"] == "tdb"
    assert info["coords_from"] == "argument"
    assert info["ephemeris"] == "builtin"
    # HJD input goes back to JD first: HJD -> BJD agrees with JD -> BJD
    path2 = reduced_file(tmp_path, "HJD-2450000", hjd.t)
    via_hjd = read_lightcurve(path2, to_time_system="BJD")  # coordinates from the columns
    np.testing.assert_allclose(via_hjd.t, bjd.t, rtol=0, atol=1e-8)
    back = read_lightcurve(path2, to_time_system="JD")
    np.testing.assert_allclose(back.t, JD - 2450000.0, rtol=0, atol=1e-8)


def test_time_conversion_errors(tmp_path):
    unknown = reduced_file(tmp_path, "time", JD - 2450000.0)
    with pytest.raises(InputError, match=r"time\.csv.*time system is unknown"):
        read_lightcurve(unknown, to_time_system="HJD")
    two = "".join(f"{r(a)},{r(b)}\n" for a, b in zip(T, Y, strict=True))
    nocoords = write(tmp_path / "nocoords.csv", "jd,mag\n" + two)
    with pytest.raises(InputError, match=r"nocoords\.csv.*coordinates"):
        read_lightcurve(nocoords, to_time_system="BJD")
    with pytest.raises(InputError, match=r"time\.csv.*to_time_system.*'TCB'"):
        read_lightcurve(unknown, to_time_system="TCB", time_format="jd-2450000")


# ----------------------------------------------------------------------------- bad input
def _fits_image(path):
    fits.PrimaryHDU(np.zeros((4, 4))).writeto(path)


def _fits_corrupt(path):
    path.write_bytes(b"SIMPLE  =                    T" + bytes(range(256)) * 20)


GOOD = "t,mag,err\n" + rows(",")
BAD = [
    ("missing.csv", None, {}, r"file not found"),
    ("empty.csv", "", {}, r"empty"),
    ("junk.bin", bytes(range(256)) * 8, {}, r"binary"),
    ("ctrl.txt", bytes(range(1, 32)) * 50, {}, r"binary"),
    ("one.txt", "1.0\n2.0\n3.0\n", {}, r"only one column \('col0'\)"),
    ("text.csv", GOOD.replace("12.875", "abc"), {}, r"column 'mag'.*row 4 \(line 5\).*'abc'"),
    ("nan.csv", "t,mag,err\n1,nan,0.1\n2,nan,0.1\n3,nan,0.1\n", {}, r"column 'mag'"),
    ("few.csv", "t,mag,err\n1,10,0.1\n2,11,0.1\n", {}, r"only 2 usable points.*'mag'"),
    ("const_t.csv", "t,mag,err\n5,10,0.1\n5,11,0.1\n5,12,0.1\n", {"min_points": 1},
     r"all times are equal"),
    ("nocol.csv", GOOD, {"mag": "vmag"}, r"no y column 'vmag'; columns are \['t', 'mag', 'err'\]"),
    ("idx.csv", GOOD, {"err": 7}, r"dy column index 7 out of range"),
    ("band.csv", "JD,Magnitude,Band\n1,2,V\n2,3,V\n3,2.5,V\n", {"band": "B"},
     r"band 'B' not in column 'Band'; bands found: \{'V': 3\}"),
    ("zero_err.csv", "t,mag,err\n1,10,0\n2,11,-1\n3,12,0\n", {}, r"zero or negative.*'err'"),
    ("header_only.csv", "# comment\nt,mag,err\n", {}, r"header \['t', 'mag', 'err'\] but no data"),
    ("comments.txt", "# nothing\n#here\n\n", {}, r"no data lines"),
    ("ragged.csv", "t,mag,err\n1,2,3\n4,5\n6,7,8\n", {}, r"cannot parse.*\(file line 3\)"),
    ("noname.csv", "alpha,beta,gamma\n1,2,3\n4,5,6\n", {}, r"time; columns found: \['alpha'"),
    ("image.fits", _fits_image, {}, r"no table HDU"),
    ("broken.fits", _fits_corrupt, {}, r"cannot parse as FITS"),
    ("bad.vot", "<?xml version='1.0'?>\n<VOTABLE><RESOURCE>", {}, r"cannot parse as VOTable"),
    ("negflux.csv", "t,flux\n1,-2\n2,0\n3,-1\n", {}, r"every flux in column 'flux'"),
    ("fmt.csv", GOOD, {"time_format": "gps"}, r"unknown time_format 'gps'"),
    ("both.csv", GOOD, {"mag": "mag", "flux": "err"}, r"either mag or flux"),
    ("enc.csv", "t,mag,err,c\n1,2,3,Ä\n".encode("latin-1"), {"encoding": "utf-8"},
     r"cannot decode file as utf-8"),
    ("policy.csv", GOOD, {"missing_error": "fill"}, r"missing_error must be one of"),
    ("flag.csv", "t,mag,err,q\n1,2,0.1,G\n2,3,0.1,B\n3,4,0.1,G\n", {"quality": "q"},
     r"column 'q' is not numeric: row 1 \(line 2\) holds 'G'"),
    ("constant.csv", "t,mag\n1,10\n2,10\n3,10\n", {}, r"light is constant"),
]  # fmt: skip


@pytest.mark.parametrize(("fname", "content", "kwargs", "match"), BAD, ids=[b[0] for b in BAD])
def test_bad_input(tmp_path, fname, content, kwargs, match):
    path = tmp_path / fname
    if callable(content):
        content(path)
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    with pytest.raises(InputError, match=re.escape(fname) + ".*" + match):
        read_lightcurve(path, **kwargs)


def test_bad_input_is_value_error(tmp_path):
    with pytest.raises(ValueError, match="directory"):
        read_lightcurve(tmp_path)


# ----------------------------------------------------------------------------- survey files


# The reader's rules written out independently of navfit.io, on the values as numpy parses
# the raw text: a missing-value marker in the magnitude or the error, then |mag| > 50, then
# an error of 5 mag or more, then a zero or negative error.
MAG_MARKERS = (-99.99, 29.999, 99.999, 99.99, 99.0, 9999.0, -9999.0)
ERR_MARKERS = (99.999, 99.99, 9.999, 9.9999, -99.99, 9999.0, -9999.0)


def expected_rows(t, m, e):
    """(kept rows, dropped counts by reason) by the rules above."""
    reasons = {
        "sentinel": np.isin(m, MAG_MARKERS) | np.isin(e, ERR_MARKERS),
        "impossible_magnitude": np.abs(m) > 50,
        "error_too_large": e >= 5,
        "non_positive_error": e <= 0,
    }
    keep = np.ones(t.size, dtype=bool)
    dropped = {}
    for reason, rows in reasons.items():
        if (keep & rows).any():
            dropped[reason] = int((keep & rows).sum())
        keep &= ~rows
    return keep, dropped


@pytest.mark.parametrize("band", list("ugriz"))
def test_sdss_stripe82_rows_of_every_band(survey_dir, band):
    files = sorted((survey_dir / "s82_ugriz").glob("*.dat"))
    assert len(files) == 123
    k = "ugriz".index(band)
    n_kept = n_dropped = 0
    for path in files:
        raw = np.loadtxt(path)
        assert raw.shape[1] == 17, path.name
        t, m, e = raw[:, 2 + 3 * k], raw[:, 3 + 3 * k], raw[:, 4 + 3 * k]
        keep, dropped = expected_rows(t, m, e)
        assert np.unique(t[keep]).size == keep.sum(), path.name  # no merged rows to expect
        lc = read_lightcurve(path, band=band)
        order = np.argsort(t[keep], kind="stable")
        np.testing.assert_array_equal(lc.t, t[keep][order], err_msg=path.name)
        np.testing.assert_array_equal(lc.y, m[keep][order], err_msg=path.name)
        np.testing.assert_array_equal(lc.dy, e[keep][order], err_msg=path.name)
        assert lc.meta["dropped"] == dropped, path.name
        assert lc.meta["n_rows"] == len(raw) == lc.n + sum(dropped.values())
        assert lc.meta["bands_found"][band] == keep.sum()
        assert lc.meta["band"] == band
        assert lc.meta["layout"] == "SDSS Stripe 82 ugriz"
        assert (lc.meta["time_system"], lc.meta["time_offset"]) == ("JD", 2400000.5)
        assert lc.meta["columns"]["y"] == band
        assert np.abs(lc.y).max() < 30
        n_kept, n_dropped = n_kept + lc.n, n_dropped + sum(dropped.values())
    assert n_dropped > 0
    assert n_kept + n_dropped == 123 * 0 + sum(len(np.loadtxt(p)) for p in files)


def test_sdss_stripe82_default_band_is_the_survey_g_file(survey_dir):
    """Read without band=, each five-band file gives its g band: the survey's own lc/ file."""
    for path in sorted((survey_dir / "s82_ugriz").glob("*.dat"))[:20]:
        lc = read_lightcurve(path)
        single = read_lightcurve(survey_dir / "lc" / path.name)
        assert lc.meta["band"] == "g"
        for a, b in ((lc.t, single.t), (lc.y, single.y), (lc.dy, single.dy)):
            np.testing.assert_array_equal(a, b, err_msg=path.name)
    path = min((survey_dir / "s82_ugriz").glob("*.dat"))
    assert read_lightcurve(path, band="G").meta["band"] == "g"
    with pytest.raises(InputError, match=re.escape(path.name) + r".*'V'.*usable rows per band"):
        read_lightcurve(path, band="V")
    ra, dec = np.loadtxt(path, usecols=(0, 1), max_rows=1)
    hjd = read_lightcurve(path, to_time_system="HJD")  # coordinates from the RA, Dec columns
    assert hjd.meta["time_correction"]["ra_deg"] == pytest.approx(ra % 360.0)
    assert hjd.meta["time_correction"]["dec_deg"] == pytest.approx(dec)


def test_survey_files_read_with_nothing_dropped(survey_dir):
    """The headerless ``time mag err`` files were cleaned by the survey: no row is dropped."""
    for path in sorted((survey_dir / "lc").glob("*.dat"))[::25]:
        lc = read_lightcurve(path)
        raw = np.loadtxt(path, ndmin=2)
        assert lc.meta["columns"]["band"] is None
        assert "bands_found" not in lc.meta
        assert set(lc.meta["dropped"]) <= {"duplicate_time"}, path.name
        assert lc.n + lc.meta["dropped"].get("duplicate_time", 0) == len(raw)


# ----------------------------------------------------------------------------- AAVSO layouts
def algol_fields(lightcurves_dir):
    with open(lightcurves_dir / "EA_Algol_betPer_AAVSO_vis_PEP.csv", encoding="latin-1") as fh:
        return list(csv.reader(fh))


def test_headerless_aavso_tab_separated(lightcurves_dir, tmp_path):
    rows = algol_fields(lightcurves_dir)
    assert {len(r) for r in rows} == {18}
    rows[0][10] = "faint, near the comparison"  # a comma in a text field of a tab file
    text = "".join("\t".join(r) + "\n" for r in rows)
    path = write(tmp_path / "algol.txt", text, encoding="latin-1")
    ref = read_lightcurve(lightcurves_dir / "EA_Algol_betPer_AAVSO_vis_PEP.csv")
    for band in (None, "V"):
        lc = read_lightcurve(path, band=band)
        ref = read_lightcurve(lightcurves_dir / "EA_Algol_betPer_AAVSO_vis_PEP.csv", band=band)
        assert lc.meta["bands_found"] == ALGOL_BANDS
        assert lc.meta["columns"]["band"] == "col4"
        assert lc.meta["band"] == ref.meta["band"]
        assert lc.meta["time_system"] == "JD"
        np.testing.assert_array_equal(lc.t, ref.t)
        np.testing.assert_array_equal(lc.y, ref.y)
        assert lc.meta["dropped"] == ref.meta["dropped"]


def test_headerless_time_mag_err_then_text_columns(lightcurves_dir, tmp_path):
    """JD, magnitude, error, band, observer: the band column is recognised by its codes."""
    rows = [[r[0], r[1], r[2], r[4], r[5]] for r in algol_fields(lightcurves_dir)]
    rows += [["2455200.5", "<4.5", "", "Vis.", "XYZ"], ["2455201.5", "NA", "", "Vis.", "XYZ"]]
    path = write(tmp_path / "algol5.tsv", "".join("\t".join(r) + "\n" for r in rows), "latin-1")
    vis = read_lightcurve(path, band="Vis.")
    assert vis.meta["columns"] == {"time": "col0", "y": "col1", "dy": "col2", "band": "col3",
                                   "quality": None}  # fmt: skip
    assert vis.meta["bands_found"] == {**ALGOL_BANDS, "Vis.": 3451}
    assert vis.meta["band"] == "Vis."
    assert not vis.meta["dy_given"]
    assert vis.meta["dropped"]["upper_limit"] == 1
    assert vis.meta["dropped"]["null"] == 1
    ref = read_lightcurve(lightcurves_dir / "EA_Algol_betPer_AAVSO_vis_PEP.csv", band="Vis.")
    np.testing.assert_array_equal(vis.t, ref.t)
    np.testing.assert_array_equal(vis.y, ref.y)
    v = read_lightcurve(path, band="V", missing_error="drop")
    assert v.n == 7
    assert v.meta["dropped"]["missing_error"] == 233
    # the same layout comma-separated, without the band column recognised: observer codes
    other = [[r[0], r[1], r[2], r[3].replace("Vis.", "visual"), r[4]] for r in rows[:50]]
    plain = read_lightcurve(write(tmp_path / "x.csv", "".join(",".join(r) + "\n" for r in other)))
    assert plain.meta["columns"]["band"] is None
    assert "bands_found" not in plain.meta


def test_separators(tmp_path):
    for sep in (";", "|", " \t "):
        check_roundtrip(read_lightcurve(write(tmp_path / "s.txt", "jd;mag;err\n".replace(";", sep)
                                              + rows(sep))))  # fmt: skip
    # a comma in every line's comment field of a semicolon file
    text = "".join(
        f"{r(a)};{r(b)};{r(c)};seeing 2, windy\n" for a, b, c in zip(T, Y, DY, strict=True)
    )
    check_roundtrip(read_lightcurve(write(tmp_path / "semi.txt", text)))


# ----------------------------------------------------------------------------- dropped rows
def test_sentinels_and_impossible_values(tmp_path):
    good = "".join(f"{r(a)},{r(b)},{r(c)}\n" for a, b, c in zip(T, Y, DY, strict=True))
    bad = [
        ("2455010.1", "-99.99", "0.01", "sentinel"),  # SDSS Stripe 82
        ("2455010.2", "29.999", "0.01", "sentinel"),  # ASAS-3
        ("2455010.3", "12.5", "99.999", "sentinel"),  # error marker
        ("2455010.4", "99.999", "9.9999", "sentinel"),  # DAOPHOT
        ("2455010.5", "1e308", "0.01", "impossible_magnitude"),
        ("2455010.6", "-60", "0.01", "impossible_magnitude"),
        ("2455010.7", "12.5", "7.5", "error_too_large"),
        ("2455010.8", "12.5", "0", "non_positive_error"),
        ("2455010.9", "", "0.01", "null"),
        ("2455011.0", "NA", "0.01", "null"),
        ("2455011.1", "INDEF", "0.01", "null"),
        ("", "12.5", "0.01", "null"),
        ("2455011.2", "<13.5", "0.01", "upper_limit"),
        ("2455011.3", "nan", "0.01", "non_finite"),
        (r(T[0]), "12.75", "0.01", "duplicate_time"),
    ]
    text = "jd,mag,err\n" + good + "".join(",".join(b[:3]) + "\n" for b in bad)
    lc = read_lightcurve(write(tmp_path / "sent.csv", text))
    counts = {}
    for *_, reason in bad:
        counts[reason] = counts.get(reason, 0) + 1
    assert lc.meta["dropped"] == counts
    assert lc.n + sum(lc.meta["dropped"].values()) == lc.meta["n_rows"] == len(T) + len(bad)
    np.testing.assert_array_equal(lc.y[1:], Y[1:])
    # fluxes have no markers: a negative one is a non-positive flux, a large one is kept
    flux = "time,flux\n" + "".join(f"{i}.5,{f}\n" for i, f in enumerate(
        ["100", "110", "-99.99", "99.99", "120", "105"]))  # fmt: skip
    f = read_lightcurve(write(tmp_path / "flux.csv", flux), keep_flux=True)
    assert f.n == 6
    assert f.meta["dropped"] == {}
    m = read_lightcurve(tmp_path / "flux.csv")
    assert m.n == 5
    assert m.meta["dropped"] == {"non_positive_flux": 1}


def test_nulls_declared_by_the_file(tmp_path):
    n = 8
    t, m, e = 2455000.0 + np.arange(n), 10.0 + 0.1 * np.sin(np.arange(n)), np.full(n, 0.01)
    # ECSV: masked time and magnitude are null; a masked error is a missing error
    tab = Table({"hjd": MaskedColumn(t, mask=np.arange(n) == 0),
                 "mag": MaskedColumn(m, mask=np.arange(n) == 4),
                 "mag_err": MaskedColumn(e, mask=np.arange(n) == 6)})  # fmt: skip
    tab.write(tmp_path / "m.ecsv")
    lc = read_lightcurve(tmp_path / "m.ecsv", missing_error="drop")
    assert lc.meta["dropped"] == {"null": 2, "missing_error": 1}
    assert lc.n == 5
    # VOTable: <VALUES null="-1"> on the magnitude (not a survey marker)
    vot = Table({"hjd": t, "mag": np.where(np.arange(n) == 3, -1.0, m), "mag_err": e})
    vot.write(tmp_path / "m.vot", format="votable")
    text = (tmp_path / "m.vot").read_text().replace(
        '<FIELD ID="mag" datatype="double" name="mag"/>',
        '<FIELD ID="mag" datatype="double" name="mag"><VALUES null="-1"/></FIELD>')  # fmt: skip
    assert 'null="-1"' in text
    (tmp_path / "m.vot").write_text(text)
    assert read_lightcurve(tmp_path / "m.vot").meta["dropped"] == {"null": 1}
    # FITS: TNULL of an integer column (astropy's mask) and, non-standard, of a float column
    cols = [
        fits.Column("TIME", "J", array=np.where(np.arange(n) == 2, -1, np.arange(n)), null=-1),
        fits.Column("MAG", "E", array=np.where(np.arange(n) == 5, -1.0, m)),
        fits.Column("MAG_ERR", "E", array=e),
    ]
    hdu = fits.BinTableHDU.from_columns(cols)
    hdu.header["TNULL2"] = -1.0
    fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(tmp_path / "m.fits")
    lc = read_lightcurve(tmp_path / "m.fits")
    assert lc.meta["dropped"] == {"null": 2}
    assert lc.n == 6


# ----------------------------------------------------------------------------- refusals
REFUSED = [
    (np.r_[0.0, 1, 2, 3] + 1.7e9, None, "flux", r"times reach 1\.7e\+09: not days"),
    (
        np.r_[0.0, 2455000, 2455001, 2455002],
        None,
        "mag",
        r"the times span 2\.455e\+06 d.*mixed full",
    ),
    (np.r_[1.0, 2, 3, 4], np.r_[10.0, 11, 45, 10], "mag", r"the magnitudes range over 35 mag"),
    (np.r_[1.0, 2, 3, 4], np.r_[1.0, 1.1, 1e20, 0.9], "flux", r"a flux of 1e\+20 is more than"),
]


@pytest.mark.parametrize(("t", "y", "kind", "match"), REFUSED)
def test_meaningless_light_curves_refused(t, y, kind, match):
    y = np.r_[10.0, 10.5, 10.2, 10.4] if y is None else y
    with pytest.raises(InputError, match="star.csv: " + match):
        LightCurve(t, y, np.full(t.size, 0.01), kind=kind, source="star.csv")


def test_absurd_errors_refused(tmp_path):
    t, y = np.arange(6.0), np.r_[10.0, 10.5, 10.2, 10.4, 10.1, 10.3]
    dy = np.r_[0.01, 0.02, 1e-300, 0.01, 0.01, 0.01]
    with pytest.raises(InputError, match=r"s\.csv: the error 1e-300 at time 2 .*below 1e-06"):
        LightCurve(t, y, dy, source="s.csv")
    with pytest.raises(InputError, match=r"s\.csv: errors as small as 1e-160.*overflow"):
        LightCurve(t, y, np.full(6, 1e-160), source="s.csv")
    # equal tiny errors of noise-free tests are fine
    assert LightCurve(t, y, np.full(6, 1e-12)).n == 6
    text = "jd,mag,err\n" + rows(",", dy=np.r_[DY[:4], 1e-308])
    with pytest.raises(InputError, match=r"tiny\.csv: the error 1e-308.*columns: time='jd'"):
        read_lightcurve(write(tmp_path / "tiny.csv", text))


def test_refusal_carries_the_dropped_rows(tmp_path):
    text = "jd,mag,err\n" + rows(",") + "0.5,-99.99,0.01\n2455005.5,12.5,0.01\n"
    text += "5.0,12.6,0.02\n"  # a reduced JD among full ones
    with pytest.raises(InputError, match=r"mixed\.csv: the times span") as info:
        read_lightcurve(write(tmp_path / "mixed.csv", text))
    assert info.value.dropped == {"sentinel": 1}
    few = "jd,mag,err\n2455001,-99.99,0.1\n2455002,12,0.1\n2455003,29.999,0.1\n2455004,12.1,0.1\n"
    with pytest.raises(InputError, match=r"only 2 usable points.*2 sentinel") as info:
        read_lightcurve(write(tmp_path / "few.csv", few))
    assert info.value.dropped == {"sentinel": 2}
    with pytest.raises(InputError, match=r"none\.csv: no usable rows.*\(4 sentinel\)"):
        read_lightcurve(write(tmp_path / "none.csv", few.replace(",12,", ",-99.99,")
                              .replace(",12.1,", ",-99.99,")))  # fmt: skip


def test_huge_magnitudes_in_a_real_file_are_dropped_before_the_fit(survey_dir, tmp_path):
    """Issue 11: 1e308 in a handful of rows made analyze raise ZeroDivisionError."""
    import navfit

    src = survey_dir / "lc" / "S82RR_1060996.dat"
    lines = src.read_text().splitlines()
    for i in (3, 17, 40):
        lines[i] = lines[i].split()[0] + " 1e308 0.004"
    path = write(tmp_path / src.name, "\n".join(lines) + "\n")
    star = navfit.analyze(path)
    assert star.lc.meta["dropped"] == {"impossible_magnitude": 3}
    assert star.lc.n == len(lines) - 3
    assert np.ptp(star.lc.y) < 5
    assert np.isfinite(star.best.period)
    assert star.to_dict()["period"] > 0


def test_batch_journal_counts_dropped_rows(survey_dir, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    lines = (survey_dir / "lc" / "S82RR_1060996.dat").read_text().splitlines()
    lines[5] = lines[5].split()[0] + " -99.99 0.01"
    lines[9] = lines[9].split()[0] + " 17.5 99.999"
    write(folder / "a.dat", "\n".join(lines) + "\n")
    write(folder / "b.dat", "\n".join([*lines[:20], "2455000.5 17.2 0.01"]) + "\n")  # a JD
    summary = run_batch([folder], tmp_path / "cat.ecsv", jobs=1, progress=False)
    assert summary["total"] == 2
    assert summary["failed"] == 1
    journal = [json.loads(x) for x in (tmp_path / "cat.ecsv.jsonl").read_text().splitlines()]
    by_name = {Path(row["file"]).name: row for row in journal}
    assert by_name["a.dat"]["dropped"] == {"sentinel": 2}
    assert "error" not in by_name["a.dat"]
    assert "b.dat: the times span" in by_name["b.dat"]["error"]
    assert by_name["b.dat"]["dropped"] == {"sentinel": 2}  # counted before the refusal
    assert summary["dropped"] == {"sentinel": 4}


def test_batch_command_reports_dropped_rows(survey_dir, tmp_path, capsys):
    from navfit.cli import main

    lines = (survey_dir / "lc" / "S82RR_1060996.dat").read_text().splitlines()
    lines[5] = lines[5].split()[0] + " -99.99 0.01"
    write(tmp_path / "a.dat", "\n".join(lines) + "\n")
    code = main(["batch", str(tmp_path / "a.dat"), "-o", str(tmp_path / "c.ecsv"), "--no-progress"])
    assert code == 0
    assert "rows dropped (per star in the journal): sentinel 1" in capsys.readouterr().err


def test_control_characters_are_those_of_the_plain_rule():
    # the reader's pattern against the obvious rule, over every Latin-1 code point and beyond
    from navfit.io_formats import _CONTROL

    def control(ch):
        return (ord(ch) < 32 and ch not in "\t\n\r\f") or 127 <= ord(ch) < 160

    text = "".join(chr(i) for i in range(600))
    assert len(_CONTROL.findall(text)) == sum(control(ch) for ch in text) == 61
    for ch in text:
        assert bool(_CONTROL.fullmatch(ch)) == control(ch), hex(ord(ch))
