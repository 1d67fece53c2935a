"""Catalogue output of multi-band stars (issue 15): joint TP in analyze, rows per band, colours."""

import json

import numpy as np
import pytest

from navfit import (
    CatalogueRow,
    LightCurve,
    analyze,
    catalogue_table,
    fit_nav_multiband,
    fit_tp_multiband,
)
from navfit.catalogue import COLUMNS
from navfit.catalogue_bands import DEPTH_COLUMNS, eclipse_colours
from navfit.models.tp_multiband import MultibandTPResult
from navfit.synthetic import multiband_nav_lightcurve, pulsator_lightcurve

AMPLITUDES = {"g": 1.0, "r": 0.75, "i": 0.6}


@pytest.fixture(scope="module")
def pulsator():
    """An RRab-like pulsator in g, r and i (amplitude falling with wavelength)."""
    parts = [pulsator_lightcurve(n=150, amplitude=a, rng=k, band=b)[0]
             for k, (b, a) in enumerate(AMPLITUDES.items())]  # fmt: skip
    lc = LightCurve(
        np.concatenate([p.t for p in parts]),
        np.concatenate([p.y for p in parts]),
        np.concatenate([p.dy for p in parts]),
        band=np.concatenate([np.full(p.n, p.band) for p in parts]),
        time_system="HJD",
        name="synthetic multi-band RRab",
    )
    return lc, analyze(lc, period=0.5643)


def test_analyze_fits_a_multiband_pulsator_with_the_joint_tp(pulsator):
    lc, star = pulsator
    assert not star.type.startswith(("EA", "EB", "EW", "ELL"))
    joint = star.multiband
    assert isinstance(joint, MultibandTPResult)
    assert joint.bands == lc.bands
    assert star.multiband_lc is lc
    assert abs(joint.period - 0.5643) < 4 * joint.errors["period"]
    # best and tp are the joint fit's view of the best-sampled band
    assert star.best is joint.band_fits[star.lc.band]
    assert star.tp is star.best
    assert star.best.info["joint"]
    details = star.to_dict()["bands"]
    assert details["model"] == "TP"
    assert set(details["per_band"]) == set(lc.bands)
    amplitudes = [details["per_band"][b]["depth1"][0] for b in AMPLITUDES]
    assert amplitudes[0] > amplitudes[1] > amplitudes[2] > 0
    for band, values in details["per_band"].items():
        fit = joint.band_fits[band]
        assert values["max"] == list(fit.derived["max"])
        assert values["depth1"] == list(fit.derived["amplitude"])
    assert set(details["colours"]) == {"g-r", "g-i", "r-i"}
    colour = details["colours"]["g-r"]["depth1"]
    g, r = details["per_band"]["g"]["depth1"], details["per_band"]["r"]["depth1"]
    assert colour[0] == pytest.approx(g[0] - r[0])
    assert 0 < colour[1] < g[1] + r[1]
    json.dumps(star.to_dict(), allow_nan=False)  # never NaN in the JSON


def test_rows_per_band(pulsator):
    lc, star = pulsator
    row = CatalogueRow.from_result(star)
    rows = row.per_band()
    assert [r.band for r in rows] == list(lc.bands)
    for r in rows:
        fit = star.multiband.band_fits[r.band]
        assert (r.max, r.max_err) == fit.derived["max"]
        assert (r.min1, r.min1_err) == fit.derived["min1"]
        assert r.n == fit.n
        assert (r.name, r.type, r.period, r.epoch) == (row.name, row.type, row.period, row.epoch)
        assert f" {r.band} " in r.gcvs_line()
        assert r.vsx_line().split(";")[5] == r.band
    # the same rows from the JSON alone (a batch journal line)
    again = CatalogueRow.from_mapping(json.loads(json.dumps(star.to_dict()))).per_band()
    assert [r.gcvs_line() for r in again] == [r.gcvs_line() for r in rows]
    # the table: one row per star by default, as before; per band on request
    default = catalogue_table([star])
    assert default.colnames == list(COLUMNS)
    assert len(default) == 1
    table = catalogue_table([star], per_band=True)
    assert table.colnames == [*COLUMNS, *DEPTH_COLUMNS]
    assert table["band"].tolist() == list(lc.bands)
    assert table["depth1"][0] == pytest.approx(
        star.multiband.band_fits["g"].derived["amplitude"][0]
    )


def test_one_band_and_failed_rows_stay_single():
    one = CatalogueRow.from_mapping({"name": "V1", "type": "EA", "period": 2.0, "band": "V"})
    failed = CatalogueRow.from_mapping({"name": "V2", "file": "v2.csv", "error": "bad file"})
    assert one.per_band() == [one]
    assert failed.per_band() == [failed]
    table = catalogue_table([one, failed], per_band=True)
    assert len(table) == 2
    assert np.isnan(table["depth1"]).all()


def test_nav_eclipse_colour_uses_the_joint_covariance():
    lc, truth = multiband_nav_lightcurve("EA", n=150, noise=0.02, rng=5)
    fit = fit_nav_multiband(lc, truth["period"])
    colours = eclipse_colours(fit)
    assert set(colours) == {"g-r", "g-i", "r-i"}
    free = [n for n, f in zip(fit.names, fit.free, strict=True) if f]
    for key, name in (("depth1", "C6"), ("depth2", "C7")):
        i, j = free.index(f"{name}[g]"), free.index(f"{name}[r]")
        C = fit.covariance
        expected = np.sqrt(C[i, i] + C[j, j] - 2 * C[i, j])
        value, error = colours["g-r"][key]
        assert value == pytest.approx(fit.params[f"{name}[g]"] - fit.params[f"{name}[r]"])
        assert error == pytest.approx(expected, rel=1e-12)
    # deeper in g than in r in the truth: the colour of Min I is positive and significant
    true = truth["c"]["g"][5] - truth["c"]["r"][5]
    value, error = colours["g-r"]["depth1"]
    assert abs(value - true) < 4 * error
    assert value > 3 * error


def _amplitude(coef):
    """Max-to-Min I amplitude of a TP, brute force on a fine phase grid."""
    x = np.linspace(0.0, 1.0, 400001)
    s = (coef.size - 1) // 2
    curve = coef[0] + sum(
        coef[2 * k - 1] * np.cos(2 * np.pi * k * x) + coef[2 * k] * np.sin(2 * np.pi * k * x)
        for k in range(1, s + 1)
    )
    return curve.max() - curve.min()


def test_tp_eclipse_colour_error_against_a_numerical_gradient(pulsator):
    lc, _ = pulsator
    fit = fit_tp_multiband(lc, 0.5643, order=3, free_period=True)
    value, error = eclipse_colours(fit)["g-r"]["depth1"]
    m = 7
    coef = {b: np.array(fit.band_fits[b].values[:m]) for b in ("g", "r")}
    assert value == pytest.approx(_amplitude(coef["g"]) - _amplitude(coef["r"]), abs=1e-6)
    grad = np.zeros(fit.k)
    free = [n for n, f in zip(fit.names, fit.free, strict=True) if f]
    for band, sign in (("g", 1.0), ("r", -1.0)):
        for j in range(m):
            h = 1e-5
            up, down = coef[band].copy(), coef[band].copy()
            up[j] += h
            down[j] -= h
            index = free.index(f"{fit.band_fits[band].names[j]}[{band}]")
            grad[index] = sign * (_amplitude(up) - _amplitude(down)) / (2 * h)
    expected = float(np.sqrt(grad @ fit.covariance @ grad))
    assert error == pytest.approx(expected, rel=2e-3)
