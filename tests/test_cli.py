"""The ``navfit`` command: subcommands, JSON output, tables, exit codes and error lines."""

import json
import shutil
from pathlib import Path

import numpy as np
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
        ["star", "--help"],
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
        ["star"],
        ["star", RR, "--period", "0"],
        ["analyze", RR, "--time-format", "julian"],
        ["minima", RR, "--time-format", "bjd+2400000"],
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


# ----- multi-band input (issue 15) ------------------------------------------------------
N2FU0_PERIOD = "0.4570496"


@pytest.fixture
def n2fu0(multiband_dir):
    folder = multiband_dir / "EW_UCAC3-250-197400"
    return [str(folder / "n2fu0-zg1.csv"), str(folder / "n2fu0-zr1.csv")]


def test_star_several_files_per_band_and_plot(n2fu0, tmp_path, capsys):
    plots = tmp_path / "plots"
    assert main(["star", *n2fu0, "--per-band", "--plot", str(plots)]) == 0
    out, err = capsys.readouterr()
    lines = _lines(out)
    assert lines[0].startswith("name"), out
    assert len(lines) == 3, out
    assert [line.split()[5] for line in lines[1:]] == ["zg", "zr"]  # the band column
    assert all(" EW " in line and "0.45704" in line for line in lines[1:])
    assert "Traceback" not in err
    (png,) = plots.glob("*.png")
    import matplotlib.image

    height, width = matplotlib.image.imread(png).shape[:2]
    assert height > width  # one panel per band, stacked


def test_star_json_per_band(n2fu0, capsys):
    assert main(["star", *n2fu0, "--json", "--per-band", "--period", N2FU0_PERIOD]) == 0
    rows = [json.loads(line) for line in _lines(capsys.readouterr().out)]
    assert [r["band"] for r in rows] == ["zg", "zr"]
    assert rows[0]["period"] == rows[1]["period"]
    assert rows[0]["max"] > rows[1]["max"]  # fainter in g than in r
    assert set(rows[0]["bands"]["colours"]) == {"zg-zr"}
    assert main(["star", *n2fu0, "--json", "--period", N2FU0_PERIOD]) == 0
    (row,) = [json.loads(line) for line in _lines(capsys.readouterr().out)]
    assert row["band"] == "zr"  # the best-sampled band
    assert set(row["bands"]["per_band"]) == {"zg", "zr"}


def test_source_id_option_reaches_the_reader(n2fu0, capsys):
    # --source-id picks a Gaia source; on a file that is not Gaia epoch photometry it is refused
    assert main(["star", n2fu0[0], "--source-id", "42"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert "n2fu0-zg1.csv: source_id= selects a source of Gaia epoch photometry" in err


def test_star_band_option(n2fu0, capsys):
    assert main(["star", *n2fu0, "--band", "zg", "--json", "--period", N2FU0_PERIOD]) == 0
    (row,) = [json.loads(line) for line in _lines(capsys.readouterr().out)]
    assert row["band"] == "zg"
    assert "bands" not in row
    assert main(["star", *n2fu0, "--band", "zq"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert len(_lines(err)) == 1
    assert "'zq'" in err
    assert "zg, zr" in err
    assert "n2fu0-zg1.csv" in err


def test_star_series_option_and_a_skipped_file(multiband_dir, capsys):
    folder = multiband_dir / "EA_xi_Tau"
    ubv = [str(folder / f"Lc_{b}.dat") for b in "UBV"]
    range_ = ["--min-period", "3.2", "--max-period", "15.7"]
    assert main(["star", *ubv, "--series", "3", "--json", *range_]) == 0
    (row,) = [json.loads(line) for line in _lines(capsys.readouterr().out)]
    assert row["type"] == "EA"
    assert abs(row["period"] - 7.1467) < 1e-3
    # three datasets per file: two offsets each beside the largest
    assert len(row["bands"]["offsets"]) == 6
    # a file without that column is skipped, and the user is told which and why
    most = str(folder / "Lc_quasiperiodic_removed_1234.dat")
    assert main(["star", ubv[2], most, "--series", "3", "--period", "7.1467"]) == 0
    err = capsys.readouterr().err
    assert "navfit: warning: " in err
    assert "file skipped: " in err
    assert "Lc_quasiperiodic_removed_1234.dat: series column index 3 out of range" in err


def test_star_missing_file(n2fu0, tmp_path, capsys):
    missing = str(tmp_path / "nothere.csv")
    assert main(["star", n2fu0[0], missing]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert _lines(err) == [f"navfit: {missing}: no such file"]


def test_batch_per_band(n2fu0, tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    g, r = (Path(f).read_text().splitlines() for f in n2fu0)
    (folder / "n2fu0-zgr.csv").write_text("\n".join([*g, *r[1:]]) + "\n")  # one IRSA table
    out = tmp_path / "cat.ecsv"
    argv = ["batch", str(folder), "-o", str(out), "--no-progress"]
    assert main([*argv, "--per-band"]) == 0
    table = Table.read(out)
    assert table["band"].tolist() == ["zg", "zr"]
    assert table["name"].tolist() == ["n2fu0-zgr"] * 2
    assert table["n"].tolist() == [653, 906]
    assert (table["depth1"] > 3 * table["depth1_err"]).all()
    assert main(["table", str(out), "--format", "vsx"]) == 0
    vsx = _lines(capsys.readouterr().out)[1:]
    assert [line.split(";")[5] for line in vsx] == ["zg", "zr"]
    assert main([*argv, "--band", "zr"]) == 0  # one band picked: one row, as before
    table = Table.read(out)
    assert table["band"].tolist() == ["zr"]
    assert "depth1" not in table.colnames


def test_an_output_path_through_a_file_is_one_plain_line(tmp_path, capsys):
    blocker = tmp_path / "results"
    blocker.write_text("not a folder")
    assert main(["batch", RR, "-o", str(blocker / "cat.ecsv")]) == 1
    err = capsys.readouterr().err
    assert len(_lines(err)) == 1, err
    assert str(blocker) in err
    assert "[Errno" not in err


def test_python_dash_m_navfit_is_the_command():
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "navfit", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("navfit ")


def test_a_warning_names_its_file_once(tmp_path, capsys):
    phase = np.linspace(0.0, 0.99, 60)
    path = tmp_path / "phaselike.dat"
    np.savetxt(path, np.c_[phase, 12 + 0.3 * np.cos(4 * np.pi * phase), np.full(60, 0.01)])
    main(["analyze", str(path)])
    warned = [x for x in _lines(capsys.readouterr().err) if "lies in [0, 1]" in x]
    assert len(warned) == 1
    assert warned[0].count(str(path)) == 1
