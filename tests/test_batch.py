"""navfit.batch: inputs, error rows, same catalogue for any engine and worker count, resume."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

from navfit.batch import analyze_file, collect_inputs, journal_path, run_batch
from navfit.errors import InputError
from navfit.io import read_lightcurve

DATA = Path(__file__).resolve().parents[1] / "data"


def _folder(root: Path, n_rr=3, n_ew=1, junk=True) -> Path:
    """Copies of the quickest samples, a junk file, and files a folder scan must skip."""
    folder = root / "stars"
    folder.mkdir()
    for i in range(n_rr):
        shutil.copy(DATA / "syn_rrab.dat", folder / f"rr{i + 1}.dat")
    for i in range(n_ew):
        shutil.copy(DATA / "syn_ew.fits", folder / f"ew{i + 1}.fits")
    if junk:
        (folder / "junk.txt").write_text("junk junk\n")
    shutil.copy(DATA / "catalog.csv", folder / "catalog.csv")
    (folder / "README.md").write_text("not photometry\n")
    (folder / "notes.pdf").write_bytes(b"%PDF")
    return folder


@pytest.fixture(scope="module")
def stars(tmp_path_factory):
    return _folder(tmp_path_factory.mktemp("batch"))


@pytest.fixture(scope="module")
def serial(stars, tmp_path_factory):
    out = tmp_path_factory.mktemp("serial") / "cat.ecsv"
    summary = run_batch([stars], out, jobs=1, progress=False)
    return summary, Table.read(out, format="ascii.ecsv")


def _text(col):
    """A string column as a plain list (ECSV reads empty strings back as masked)."""
    return list(col.filled("") if hasattr(col, "filled") else col)


def _same_rows(a: Table, b: Table):
    assert a.colnames == b.colnames
    assert len(a) == len(b)
    for name in a.colnames:
        if a[name].dtype.kind == "f":
            np.testing.assert_array_equal(np.asarray(a[name]), np.asarray(b[name]), err_msg=name)
        else:
            assert _text(a[name]) == _text(b[name]), name


def test_collect_inputs(stars):
    files = collect_inputs([stars])
    assert [Path(f).name for f in files] == [
        "ew1.fits",
        "junk.txt",
        "rr1.dat",
        "rr2.dat",
        "rr3.dat",
    ]
    # a glob, then a file already listed: kept once, in first-seen order
    again = collect_inputs([str(stars / "rr*.dat"), str(stars / "rr1.dat")])
    assert [Path(f).name for f in again] == ["rr1.dat", "rr2.dat", "rr3.dat"]
    with pytest.raises(InputError, match="no such file"):
        collect_inputs([stars / "missing.csv"])
    with pytest.raises(InputError, match="match"):
        collect_inputs([str(stars / "*.nothing")])


def test_analyze_file_never_raises(stars):
    row = analyze_file(stars / "junk.txt")
    assert row["error"]
    assert "\n" not in row["error"]
    assert "junk.txt" in row["error"]
    assert row["file"].endswith("junk.txt")


def test_error_row_does_not_stop_the_batch(serial, stars):
    summary, table = serial
    assert summary["total"] == 5
    assert summary["failed"] == 1
    assert summary["done"] == 4
    assert list(table["file"]) == collect_inputs([stars])  # input order
    errors = np.array(_text(table["error"]))
    bad = table[errors != ""]
    assert len(bad) == 1
    assert bad["file"][0].endswith("junk.txt")
    assert "junk.txt" in bad["error"][0]
    # a failed star is named as a good one would be: after the file's stem
    assert bad["name"][0] == "junk"
    assert {"rr1", "rr2", "rr3"} <= set(table[errors == ""]["name"])  # the FITS has OBJECT
    good = table[errors == ""]
    assert np.all(np.isfinite(good["period"]))
    assert sorted(set(good["type"])) == ["EW", "not an eclipsing binary"]
    rr = good[[f.endswith(".dat") for f in good["file"]]]
    np.testing.assert_allclose(rr["period"], 0.5643, rtol=1e-3)
    # the journal holds one line per star
    lines = journal_path(summary["output"]).read_text().splitlines()
    assert len(lines) == 5


def test_two_processes_same_catalogue(serial, stars, tmp_path):
    out = tmp_path / "cat.ecsv"
    summary = run_batch([stars], out, jobs=2, progress=False)
    assert summary["failed"] == 1
    _same_rows(serial[1], Table.read(out, format="ascii.ecsv"))


def test_dask_local_cluster_same_catalogue(serial, stars, tmp_path):
    pytest.importorskip("dask.distributed")
    out = tmp_path / "cat.ecsv"
    summary = run_batch([stars], out, jobs=2, engine="dask", progress=False)
    assert summary["failed"] == 1
    _same_rows(serial[1], Table.read(out, format="ascii.ecsv"))


def test_bad_arguments(stars, tmp_path):
    with pytest.raises(InputError, match="engine"):
        run_batch([stars], tmp_path / "c.ecsv", engine="threads")
    with pytest.raises(InputError, match="jobs"):
        run_batch([stars], tmp_path / "c.ecsv", jobs=0)


def test_resume_after_kill_9(tmp_path):
    folder = _folder(tmp_path, n_rr=6, n_ew=0, junk=False)
    out = tmp_path / "out" / "cat.ecsv"
    journal = journal_path(out)
    cmd = [
        sys.executable,
        "-m",
        "navfit.cli",
        "batch",
        str(folder),
        "-o",
        str(out),
        "-j",
        "1",
        "--no-progress",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if journal.is_file() and journal.read_text().count("\n") >= 1:
                break
            time.sleep(0.05)
        assert proc.poll() is None, f"batch ended before the kill: {proc.stderr.read()!r}"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert not out.exists()  # the catalogue is only written at the end
    done_before = [
        json.loads(line)["file"] for line in journal.read_text().splitlines() if line.strip()
    ]
    assert 1 <= len(done_before) < 6

    summary = run_batch([folder], out, resume=True, progress=False)
    assert summary["skipped"] == len(done_before)
    assert summary["analysed"] == 6 - len(done_before)
    table = Table.read(out, format="ascii.ecsv")
    assert sorted(table["file"]) == sorted(collect_inputs([folder]))  # all there, once
    assert len(set(table["file"])) == 6
    assert _text(table["error"]) == [""] * 6
    rows = [json.loads(line) for line in journal.read_text().splitlines() if line.strip()]
    assert len({r["path"] for r in rows}) == len(rows) == 6

    # resuming a finished run analyses nothing and keeps the same catalogue
    again = run_batch([folder], out, resume=True, progress=False)
    assert again["analysed"] == 0
    assert again["skipped"] == 6
    _same_rows(table, Table.read(out, format="ascii.ecsv"))


def test_torn_line_and_crashed_worker_are_redone(tmp_path):
    folder = _folder(tmp_path, n_rr=2, n_ew=0, junk=False)
    out = tmp_path / "cat.ecsv"
    row = analyze_file(folder / "rr1.dat")
    row["path"] = os.path.abspath(row["file"])
    crashed = {
        "name": "rr2.dat",
        "file": str(folder / "rr2.dat"),
        "crashed": True,
        "error": "worker failed: BrokenProcessPool",
    }
    # a complete line for rr1, a star whose worker died, then a line cut short by a kill
    journal_path(out).write_text(
        json.dumps(row) + "\n" + json.dumps(crashed) + "\n" + '{"name": "rr2", "fi'
    )
    summary = run_batch([folder], out, resume=True, progress=False)
    assert summary["skipped"] == 1
    assert summary["analysed"] == 1
    table = Table.read(out, format="ascii.ecsv")
    assert [Path(f).name for f in table["file"]] == ["rr1.dat", "rr2.dat"]
    assert _text(table["error"]) == ["", ""]


def test_dask_scheduler_address(serial, stars, tmp_path):
    distributed = pytest.importorskip("dask.distributed")
    files = [stars / "rr1.dat", stars / "junk.txt"]
    out = tmp_path / "cat.ecsv"
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=True, dashboard_address=":0"
    ) as cluster:
        summary = run_batch(
            files, out, engine="processes", scheduler=cluster.scheduler_address, progress=False
        )
        # the batch joined the running cluster and left it running
        with distributed.Client(cluster) as client:
            assert client.submit(sum, [1, 2]).result(timeout=60) == 3
    assert summary["done"] == 1, summary
    assert summary["failed"] == 1, summary
    table = Table.read(out, format="ascii.ecsv")
    expected = serial[1][[f in {str(f) for f in files} for f in serial[1]["file"]]]
    assert list(table["file"]) == [str(f) for f in files]
    _same_rows(expected[[1, 0]], table)


def test_workers_use_the_threads_asked_for_and_the_caller_gets_its_own_back(tmp_path, monkeypatch):
    import numba
    from threadpoolctl import threadpool_info

    from navfit._kernels._config import get_threads, set_threads

    analyze_module = sys.modules["navfit.analyze"]  # the package attribute is the function

    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("needs a machine where numba may use 2 threads")
    seen = []
    blas_seen = []

    def blas_threads():
        return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]

    def fake_analyze(path, **_kwargs):
        seen.append(get_threads())
        blas_seen.append(blas_threads())
        raise InputError(f"{path}: recorded")

    monkeypatch.setattr(analyze_module, "analyze", fake_analyze)
    folder = _folder(tmp_path, n_rr=2, n_ew=0, junk=False)
    set_threads(2)
    blas_before = blas_threads()
    assert blas_before  # numpy's BLAS is loaded: the check below is not vacuous
    try:
        summary = run_batch([folder], tmp_path / "c.ecsv", jobs=1, progress=False)
        assert seen == [1, 1]
        # numpy's and scipy's BLAS too: one thread each during the run, as before after it
        assert all(n == 1 for row in blas_seen for n in row)
        assert blas_threads() == blas_before
        assert summary["failed"] == 2
        assert get_threads() == 2
        run_batch([folder], tmp_path / "d.ecsv", jobs=1, threads=2, progress=False)
        assert seen[2:] == [2, 2]
    finally:
        set_threads(numba.config.NUMBA_NUM_THREADS)
    with pytest.raises(InputError, match="threads"):
        run_batch([folder], tmp_path / "e.ecsv", threads=0, progress=False)


def test_phased_multiband_row_counts_the_rows_dropped_in_every_band(tmp_path):
    """A phase-folded multi-band file is analysed in its best-sampled band only; its
    row still counts the rows dropped on reading in all bands."""
    from navfit.synthetic import nav_lightcurve

    lc, truth = nav_lightcurve("EA", n=400, rng=3)
    phase = ((lc.t - truth["epoch"]) / truth["period"]) % 1.0
    band = np.where(np.arange(lc.n) % 2 == 0, "g", "r")
    lines = ["phase,mag,err,band"]
    for i in range(lc.n):
        mag = "nan" if i in (5, 7, 9, 10) else f"{lc.y[i] - 0.3 * (band[i] == 'r'):.5f}"
        lines.append(f"{phase[i]:.6f},{mag},{lc.dy[i]:.4f},{band[i]}")
    path = tmp_path / "folded.csv"
    path.write_text("\n".join(lines) + "\n")
    kwargs = {"time": "phase", "time_format": "phase", "period": truth["period"]}
    read = read_lightcurve(path, **kwargs)
    assert read.multiband
    assert read.meta["dropped"] == {"non_finite": 4}
    row = analyze_file(path, kwargs)
    assert "error" not in row, row
    assert row["dropped"] == {"non_finite": 4}


def test_star_folders_are_one_star_each(multiband_dir, tmp_path):
    # two stars as folders of several real survey files, and one single-file star
    root = tmp_path / "survey"
    for star, files in {
        "UCAC3": ["n2fu0-zg1.csv", "n2fu0-zr1.csv"],
        # the ZTF bands alone miss the shallow secondary eclipse that ATLAS sees
        "ZTF18acrvwcz": ["18acrvwcz-zg1.csv", "18acrvwcz-zr1.csv", "18acrvwcz-atlas.txt"],
    }.items():
        src = next(p for p in multiband_dir.iterdir() if star in p.name)
        (root / star).mkdir(parents=True)
        for name in files:
            shutil.copy(src / name, root / star / name)
    shutil.copy(DATA / "syn_rrab.dat", root / "rr.dat")
    as_files = collect_inputs([root])
    assert [Path(f).name for f in as_files] == ["rr.dat"]
    items = collect_inputs([root], star_folders=True)
    assert [Path(f).name for f in items] == ["UCAC3", "ZTF18acrvwcz", "rr.dat"]
    out = tmp_path / "cat.ecsv"
    summary = run_batch([root], out, jobs=1, progress=False, star_folders=True, max_period=5.0)
    assert summary["total"] == 3
    assert summary["failed"] == 0, summary["errors"]
    lines = journal_path(out).read_text().splitlines()
    rows = {json.loads(line)["name"]: json.loads(line) for line in lines}
    assert set(rows) == {"UCAC3", "ZTF18acrvwcz", "rr"}
    assert rows["UCAC3"]["file"] == str(root / "UCAC3")
    assert abs(rows["UCAC3"]["period"] / 0.4570496 - 1) < 1e-5
    assert abs(rows["ZTF18acrvwcz"]["period"] / 3.697136 - 1) < 1e-5
    # each folder star was fitted in both of its bands
    for name in ("UCAC3", "ZTF18acrvwcz"):
        assert {"zg", "zr"} <= set(rows[name]["bands"]["per_band"]), rows[name]["bands"]
    # the rows dropped on reading are those of every band, not of the best-sampled one only
    read = read_lightcurve(sorted((root / "ZTF18acrvwcz").iterdir()))
    assert read.meta["dropped"]["quality"] > 0
    assert rows["ZTF18acrvwcz"]["dropped"] == read.meta["dropped"]
    table = Table.read(out, format="ascii.ecsv")
    assert list(table["name"]) == ["UCAC3", "ZTF18acrvwcz", "rr"]
