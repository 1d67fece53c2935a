"""analyze(), StarResult.to_dict and the catalogue formats (golden strings)."""

import json
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

import navfit
from navfit.catalogue import (
    COLUMNS,
    GCVS_HEADER,
    catalogue_table,
    format_value,
    gcvs_line,
    rows_from_table,
    vsx_line,
)

DATA = Path(__file__).parents[1] / "data"

ROW = {
    "name": "V0882 Car",
    "type": "EA",
    "max": 12.34567,
    "max_err": 0.0042,
    "min1": 13.1111,
    "min1_err": 0.012,
    "min2": 12.6,
    "min2_err": 0.08,
    "band": "V",
    "epoch": 2455000.123456,
    "epoch_err": 0.00031,
    "time_system": "HJD",
    "period": 2.8673545,
    "period_err": 2.7e-06,
    "D": 12.57,
    "D_err": 0.37,
}


@pytest.mark.parametrize(
    ("value", "error", "kwargs", "expected"),
    [
        (12.34567, 0.0042, {}, "12.346"),
        (12.34567, 0.0012, {}, "12.3457"),  # leading digit 1: two significant digits
        (2.8673545, 2.7e-06, {}, "2.8673545"),
        (12.4, 0.4, {"limit": 0.05}, "12.4:"),
        (12.4, None, {"default": 3}, "12.400"),
        (float("nan"), 0.1, {}, ""),
        (1234.5, 30.0, {}, "1234"),
    ],
)
def test_format_value_golden(value, error, kwargs, expected):
    assert format_value(value, error, **kwargs) == expected


def test_gcvs_and_vsx_lines_golden():
    line = gcvs_line(ROW)
    assert line == (
        "V0882 Car                      EA           12.346   13.111   12.60: V     "
        "   2455000.1235 HJD         2.8673545   13"
    )
    assert len(GCVS_HEADER) == len(line)
    assert vsx_line(ROW) == "V0882 Car;EA;12.346;13.111;12.60:;V;2455000.1235;2.8673545;13"
    # VSX has no "not an eclipsing binary": a variable of unspecified type
    assert vsx_line({**ROW, "type": "not an eclipsing binary"}).split(";")[1] == "VAR"
    uncertain = dict(ROW, D_err=1.6, period_err=1e-3)
    assert gcvs_line(uncertain).endswith("2.8674:  13:")


@pytest.fixture(scope="module")
def star():
    return navfit.analyze(DATA / "syn_eb.ecsv")


def test_analyze_sample(star):
    # one line that says what the star is, not every metric of its classification
    assert repr(star) == f"<StarResult {star.name}: {star.type}, P = {star.best.period:.9g} d, " + (
        f"{star.best.label}, n = {star.lc.n}>"
    )
    d = star.to_dict()
    json.dumps(d, allow_nan=False)  # JSON-ready: no NaN anywhere
    for key in (
        "name",
        "file",
        "n",
        "time_system",
        "band",
        "period",
        "period_err",
        "epoch",
        "epoch_err",
        "type",
        "max",
        "min1",
        "min2",
        "D",
        "D_err",
        "nav",
        "tp",
        "gcvs",
    ):
        assert key in d
    for key in ("params", "errors", "chi2", "k", "bic"):
        assert key in d["nav"]
    for key in ("order", "chi2", "k", "bic"):
        assert key in d["tp"]
    assert d["type"].startswith("EB")
    assert abs(d["period"] - 1.324) < 1e-3
    assert d["gcvs"] == gcvs_line(star)
    assert "EB" in star.summary()


def test_catalogue_table_roundtrip(star, tmp_path):
    rows = [star, {"name": "junk", "file": "junk.csv", "error": "junk.csv: empty file"}]
    table = catalogue_table(rows)
    assert len(table) == 2
    assert table["error"][1] == "junk.csv: empty file"
    assert np.isnan(table["period"][1])
    assert table["n"][1] == -1
    for fmt, ext in (
        ("ascii.ecsv", "ecsv"),
        ("ascii.csv", "csv"),
        ("fits", "fits"),
        ("votable", "vot"),
    ):
        path = tmp_path / f"cat.{ext}"
        table.write(path, format=fmt, overwrite=True)
        back = Table.read(path, format=fmt)
        assert back["period"][0] == pytest.approx(table["period"][0], rel=1e-12)


def test_catalogue_columns_carry_units_and_descriptions(star, tmp_path):
    """Periods and epochs in days, magnitudes in mag, every column described, in every format."""
    table = catalogue_table([star])
    assert star.lc.kind == "mag"
    for fmt, ext in (("ascii.ecsv", "ecsv"), ("fits", "fits"), ("votable", "vot")):
        path = tmp_path / f"units.{ext}"
        table.write(path, format=fmt, overwrite=True)
        back = Table.read(path, format=fmt)
        for name in ("period", "period_err", "epoch", "photometric_period", "runner_up_period"):
            assert back[name].unit == "d", (fmt, name)
        for name in ("max", "min1_err", "min2"):
            assert back[name].unit == "mag", (fmt, name)
        assert back["D"].unit is None
        assert back["confidence_type"].unit is None
        if fmt != "fits":  # FITS keeps units, not descriptions
            assert "percent of the period" in back["D"].description
            assert back["epoch_err"].description == "1-sigma error of epoch"
        assert rows_from_table(back)[0] == navfit.CatalogueRow.from_result(star)
        assert catalogue_table(rows_from_table(back))["max"].unit == "mag"  # kept when read back
    every = [name for name in table.colnames if not table[name].description]
    assert every == []
    # a phase-folded row's epoch is a phase, and fluxes have no unit
    phased = {"name": "p", "epoch": 0.31, "time_system": "phase", "max": 1.2, "kind": "flux"}
    other = catalogue_table([phased])
    assert other["epoch"].unit is None
    assert other["max"].unit is None
    assert other["period"].unit == "d"


def test_lines_leave_fluxes_out_of_the_magnitude_fields():
    row = {"name": "V1", "type": "EA", "band": "V", "max": 1.2, "max_err": 0.001}
    row |= {"min1": 0.62, "min1_err": 0.002, "min2": 0.82, "min2_err": 0.002, "period": 2.5}
    in_mag, in_flux = gcvs_line({**row, "kind": "mag"}), gcvs_line({**row, "kind": "flux"})
    assert "1.2" in in_mag
    assert "0.62" in in_mag
    assert "1.2" not in in_flux
    assert "0.62" not in in_flux
    assert "0.82" not in in_flux
    assert in_flux.split()[:2] == ["V1", "EA"]
    assert "2.5" in in_flux
    assert vsx_line({**row, "kind": "flux"}).split(";")[2:5] == ["", "", ""]
    # the values themselves stay where their kind travels with them
    assert navfit.CatalogueRow.from_mapping({**row, "kind": "flux"}).max == 1.2


def test_one_row_behind_every_output(star, tmp_path):
    """JSON, table, file read back and the lines all come from one CatalogueRow."""
    row = navfit.CatalogueRow.from_result(star)
    assert row.to_json() == star.to_dict()
    assert navfit.CatalogueRow.from_mapping(star.to_dict()) == row
    assert navfit.CatalogueRow.from_mapping(star.to_dict()).to_json() == star.to_dict()
    table = catalogue_table([star])
    assert table.colnames == list(COLUMNS)
    path = tmp_path / "cat.ecsv"
    table.write(path, format="ascii.ecsv")
    (back,) = rows_from_table(Table.read(path, format="ascii.ecsv"))
    assert back == row  # every column survives the file (details are JSON only)
    assert back.gcvs_line() == gcvs_line(star) == row.gcvs_line()
    assert back.vsx_line() == vsx_line(star)
    with pytest.raises(AttributeError):
        row.period = 1.0  # frozen: a row is a record, not a workspace


def test_analyze_bad_input(tmp_path):
    with pytest.raises(navfit.NavfitError):
        navfit.analyze(tmp_path / "missing.csv")
    with pytest.raises(navfit.NavfitError, match="LightCurve or a path"):
        navfit.analyze(42)
