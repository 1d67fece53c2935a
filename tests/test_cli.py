"""The ``navfit`` command: subcommands, JSON output, tables, exit codes and error lines."""

import json
import shutil
from pathlib import Path

import pytest
from astropy.table import Table

from navfit.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
RR = str(DATA / "syn_rrab.dat")  # the quickest sample to analyse
EW = str(DATA / "syn_ew.fits")

JSON_KEYS = {
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
}


def _lines(text):
    return [line for line in text.splitlines() if line.strip()]


@pytest.fixture
def junk(tmp_path):
    path = tmp_path / "junk.csv"
    path.write_text("hello world\nfoo bar\n")
    return str(path)


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    """A batch catalogue: the EW sample, the RRab sample and a junk file."""
    folder = tmp_path_factory.mktemp("cli")
    shutil.copy(EW, folder / "ew.fits")
    shutil.copy(RR, folder / "rr.dat")
    (folder / "zz_junk.txt").write_text("junk\n")
    out = folder / "out" / "cat.ecsv"
    code = main(["batch", str(folder), "-o", str(out), "--no-progress"])
    assert code == 1  # the junk file failed
    return out


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["analyze", "--help"],
        ["period", "--help"],
        ["fit", "--help"],
        ["batch", "--help"],
        ["table", "--help"],
    ],
)
def test_help(argv, capsys):
    assert main(argv) == 0
    assert "usage: navfit" in capsys.readouterr().out


def test_analyze_json(capsys):
    assert main(["analyze", "--json", EW]) == 0
    out, err = capsys.readouterr()
    d = json.loads(out)
    assert set(d) >= JSON_KEYS
    assert set(d["nav"]) >= {"params", "errors", "chi2", "k", "bic"}
    assert set(d["tp"]) >= {"order", "chi2", "k", "bic"}
    assert d["file"] == EW
    assert d["n"] == 800
    assert d["type"] == "EW"
    assert d["period"] == pytest.approx(0.344, rel=1e-4)
    assert d["gcvs"].startswith("SYN-EW-1")
    assert "Traceback" not in err


def test_analyze_summary_plot_and_bad_file(tmp_path, junk, capsys):
    plots = tmp_path / "plots"
    code = main(
        [
            "analyze",
            RR,
            junk,
            str(tmp_path / "missing.dat"),
            "--plot",
            str(plots),
            "--max-period",
            "5",
        ]
    )
    assert code == 1
    out, err = capsys.readouterr()
    assert out.startswith("syn_rrab: not an eclipsing binary, P = 0.564")
    lines = _lines(err)
    assert len(lines) == 2  # one line per bad file, no traceback
    assert "junk.csv" in lines[0]
    assert "missing.dat: file not found" in lines[1]
    assert [p.name for p in plots.iterdir()] == ["syn_rrab_dat.png"]
    assert (plots / "syn_rrab_dat.png").read_bytes()[:4] == b"\x89PNG"


def test_period(capsys):
    assert main(["period", RR]) == 0
    out = capsys.readouterr().out
    assert "P = 0.564" in out
    assert "FAP" in out
    assert "decision:" in out
    assert main(["period", "--json", RR]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["period"] == pytest.approx(0.5643, rel=1e-3)
    assert {"period_err", "fap", "decision"} <= set(d)


def test_fit(capsys):
    assert main(["fit", RR, "--period", "0.5643", "--model", "tp", "--order", "5"]) == 0
    assert capsys.readouterr().out.startswith("TP(s=5) fit of ")
    assert main(["fit", RR, "--period", "0.5643", "--model", "tp"]) == 0
    assert "TP(s=" in capsys.readouterr().out


def test_fit_nav(capsys):
    assert main(["fit", EW, "--period", "0.344", "--model", "nav"]) == 0
    assert "NAV" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["frobnicate"],
        ["analyze"],
        ["analyze", RR, "--min-period", "abc"],
        ["analyze", RR, "--min-period", "2", "--max-period", "1"],
        ["fit", RR, "--period", "-1"],
        ["fit", RR],
        ["fit", RR, "--period", "0.5", "--model", "nav", "--order", "3"],
        ["fit", RR, "--period", "0.5", "--model", "tp", "--order", "x"],
        ["batch", RR],
        ["batch", RR, "-o", "x.ecsv", "-j", "0"],
        ["batch", "no/such/file.csv", "-o", "x.ecsv"],
        ["batch", RR, "-o", "x.ecsv", "--engine", "processes", "--scheduler", "tcp://h:1"],
        ["table", "no/such/catalogue.ecsv"],
        ["table", RR, "--format", "xml"],
    ],
)
def test_usage_errors(argv, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert len(_lines(err)) == 1, err
    assert "Traceback" not in err
    assert out == ""


def test_table_not_a_catalogue(capsys):
    assert main(["table", RR]) == 2
    assert len(_lines(capsys.readouterr().err)) == 1


def test_table_gcvs_vsx(catalogue, capsys):
    assert main(["table", str(catalogue), "--format", "gcvs"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0].startswith("name")
    assert len(lines) == 3
    assert lines[1].startswith("SYN-EW-1")
    assert " EW " in lines[1]
    assert lines[2].startswith("rr ")
    assert "0.564" in lines[2]
    assert "1 failed" in err
    assert main(["table", str(catalogue), "--format", "vsx"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Name;Type;Max;Min;Min2;Band;Epoch;Period;D"
    assert lines[1].startswith("SYN-EW-1;EW;")
    assert len(lines[1].split(";")) == 9


@pytest.mark.parametrize(
    ("fmt", "suffix", "reader"),
    [("csv", "csv", "ascii.csv"), ("fits", "fits", "fits"), ("votable", "xml", "votable")],
)
def test_table_machine_formats(catalogue, tmp_path, fmt, suffix, reader):
    out = tmp_path / f"cat.{suffix}"
    assert main(["table", str(catalogue), "--format", fmt, "-o", str(out)]) == 0
    table = Table.read(out, format=reader)
    assert len(table) == 3
    assert [str(n) for n in table["name"][:2]] == ["SYN-EW-1", "rr"]
    assert table["period"][0] == pytest.approx(0.344, rel=1e-4)


def test_table_csv_to_stdout(catalogue, capsys):
    assert main(["table", str(catalogue), "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("name,file,n,type,period")
    assert len(out.splitlines()) == 4


def test_batch_summary_line(catalogue, capsys):
    folder = catalogue.parent.parent
    code = main(["batch", str(folder), "-o", str(catalogue), "--resume", "--no-progress"])
    assert code == 1
    err = _lines(capsys.readouterr().err)
    assert len(err) == 2
    assert "zz_junk.txt" in err[0]
    assert err[1].startswith("3 stars: 2 done, 1 failed, 3 from the journal")


def test_batch_threads_option(tmp_path, capsys):
    assert main(["batch", str(tmp_path), "-o", str(tmp_path / "c.ecsv"), "--threads", "0"]) == 2
    assert "--threads" in capsys.readouterr().err
    assert main(["batch", "--help"]) == 0
    assert "--threads" in capsys.readouterr().out
