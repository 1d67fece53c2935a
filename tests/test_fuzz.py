"""Property-based test (hypothesis): mutated real light curves never crash navfit.

Real files from ``../shared/lightcurves`` and ``../shared/survey`` are mutated as
files meet an astronomer on day one: truncated, NaNs sprinkled in, rows duplicated
or shuffled, random bytes, absurd values, the error column removed, a dozen points
left, zero errors, the separator changed. Every mutant must end in a result (a
clean light curve, or an analysis whose values are finite or None) or in a
:class:`navfit.NavfitError` (a ValueError) naming the file: never another
exception, a hang or a NaN presented as a value.

The default suite runs a bounded, derandomized set of examples; the long runs
are marked ``slow`` (``pytest -m slow tests/test_fuzz.py``; the number of
examples is ``$NAVFIT_FUZZ_EXAMPLES``, default 400 analyses and 4000 reads).
"""

import faulthandler
import math
import os
import random
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import navfit
from navfit import NavfitError, read_lightcurve

#: Reading options of the curated files that need them (see their MANIFEST.md).
READ_KWARGS = {
    "EA_HAT-772-0554686_HATSouth_r.csv": {"mag": "aep_000", "err": "aie_000"},
    "CONST_HAT-579-0051858_HATSouth_r.csv": {"mag": "atf_000", "err": "aie_000"},
    "EL_KPD1946+4340_Kepler_SC_phasebinned.dat": {"time": 0, "flux": 1, "time_format": "phase"},
}
ANALYZE_KWARGS = {"EL_KPD1946+4340_Kepler_SC_phasebinned.dat": {"period": 0.40375026}}
#: Values an absurd cell takes.
ABSURD = ("1e308", "-1e308", "1e-308", "0", "-0", "inf", "-inf", "9999999999", "-99.99",
          "99.999", "29.999", "1e30", "-5", "3e9", "")  # fmt: skip
SEPARATORS = (",", ";", "\t", " ", "|")
#: Seconds after which an example counts as a hang (the whole run is stopped with tracebacks).
HANG = 300


@pytest.fixture(scope="session")
def sources(lightcurves_dir, survey_dir) -> list:
    """(path, separator, error field, first data line) of every real file mutated."""
    paths = [p for p in sorted(lightcurves_dir.iterdir()) if p.suffix in (".csv", ".dat", ".lc")]
    paths = [p for p in paths if p.name != "catalog.csv"]
    paths += sorted((survey_dir / "lc").glob("*.dat")) + sorted(
        (survey_dir / "s82_ugriz").glob("*.dat")
    )
    return [_describe(p) for p in paths]


def _is_data(line: str) -> bool:
    fields = line.replace(",", " ").replace(";", " ").split()
    return bool(fields) and not line.lstrip().startswith("#") and _number(fields[0])


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _separator(line: str):
    return next((s for s in ("\t", ",", ";") if s in line), None)


def _describe(path: Path) -> dict:
    lines = path.read_bytes().decode("latin-1").splitlines()
    first = next(i for i, line in enumerate(lines) if _is_data(line))
    sep = _separator(lines[first])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lc = read_lightcurve(path, **READ_KWARGS.get(path.name, {}))
    dy = lc.meta["columns"]["dy"]
    err_field = 2
    if lc.meta.get("layout"):  # SDSS ugriz: the error of the band read
        err_field = 4 + 3 * "ugriz".index(lc.meta["band"])
    elif isinstance(dy, str) and dy.startswith("col") and dy[3:].isdigit():
        err_field = int(dy[3:])
    elif dy is not None:
        for line in reversed(lines[:first]):
            tokens = _split(line.lstrip("#").strip(), sep)
            if dy in tokens:
                err_field = tokens.index(dy)
                break
    return {"path": path, "sep": sep, "err": err_field, "first": first}


def _split(line: str, sep):
    return line.split(sep) if sep else line.split()


def _join(fields, sep):
    return (sep or " ").join(fields)


# ----------------------------------------------------------------------------- mutations
def truncate(pre, data, sep, _src, draw):
    n = draw(st.integers(0, max(0, len(data) - 1)))
    data = data[:n]
    if data and draw(st.booleans()):  # a line cut short, as by an interrupted download
        data[-1] = data[-1][: draw(st.integers(0, len(data[-1])))]
    return pre, data, sep


def sprinkle_nans(pre, data, sep, _src, draw):
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    share = draw(st.sampled_from((0.01, 0.1, 0.5, 1.0)))
    token = draw(st.sampled_from(("nan", "NaN", "NA", "", "null", "-nan")))
    out = []
    for line in data:
        fields = _split(line, sep)
        if fields and rng.random() < share:
            fields[rng.randrange(min(len(fields), 3))] = token
        out.append(_join(fields, sep))
    return pre, out, sep


def duplicate_rows(pre, data, sep, _src, draw):
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    times = draw(st.sampled_from((1, 2, 5)))
    picked = [line for line in data if rng.random() < 0.3]
    data = data + picked * times
    if draw(st.booleans()):
        data = data + data  # the whole file twice (merged downloads)
    return pre, data, sep


def shuffle_rows(pre, data, sep, _src, draw):
    data = list(data)
    random.Random(draw(st.integers(0, 2**32 - 1))).shuffle(data)
    return pre, data, sep


def absurd_values(pre, data, sep, src, draw):
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    value = draw(st.sampled_from(ABSURD))
    column = draw(st.sampled_from((0, 1, src["err"], None)))  # None: any of the first three
    count = draw(st.sampled_from((1, 3, 10, 10**6)))
    data = list(data)
    for i in rng.sample(range(len(data)), min(count, len(data))):
        fields = _split(data[i], sep)
        j = rng.randrange(3) if column is None else column
        if j < len(fields):
            fields[j] = value
        data[i] = _join(fields, sep)
    return pre, data, sep


def remove_error_column(pre, data, sep, src, _draw):
    j = src["err"]

    def drop(line):
        fields = _split(line, sep)
        return _join(fields[:j] + fields[j + 1 :], sep) if len(fields) > j else line

    if pre:  # the header, possibly a comment line (# BJD-2450000 mag e_mag ...)
        head = pre[-1]
        head = "# " + drop(head.lstrip("#").strip()) if head.startswith("#") else drop(head)
        pre = [*pre[:-1], head]
    return pre, [drop(line) for line in data], sep


def dozen_points(pre, data, sep, _src, draw):
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.integers(1, 13))
    keep = sorted(rng.sample(range(len(data)), min(n, len(data))))
    return pre, [data[i] for i in keep], sep


def zero_errors(pre, data, sep, src, draw):
    every = draw(st.booleans())
    token = draw(st.sampled_from(("0", "0.0", "-0.01", "0.000")))
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    out = []
    for line in data:
        fields = _split(line, sep)
        if len(fields) > src["err"] and (every or rng.random() < 0.2):
            fields[src["err"]] = token
        out.append(_join(fields, sep))
    return pre, out, sep


def change_separator(pre, data, sep, _src, draw):
    new = draw(st.sampled_from([s for s in SEPARATORS if s != sep]))
    pre = [line if line.lstrip().startswith("#") else _join(_split(line, sep), new) for line in pre]
    return pre, [_join(_split(line, sep), new) for line in data], new


MUTATIONS = {
    f.__name__: f
    for f in (truncate, sprinkle_nans, duplicate_rows, shuffle_rows, absurd_values,
              remove_error_column, dozen_points, zero_errors, change_separator)
}  # fmt: skip


def random_bytes(raw: bytes, draw) -> bytes:
    rng = random.Random(draw(st.integers(0, 2**32 - 1)))
    n = draw(st.sampled_from((1, 5, 50, 2000)))
    buf = bytearray(raw)
    for _ in range(n):
        pos = rng.randrange(len(buf) + 1)
        if rng.random() < 0.5 and buf:  # overwrite or insert
            buf[min(pos, len(buf) - 1)] = rng.randrange(256)
        else:
            buf.insert(pos, rng.randrange(256))
    return bytes(buf)


def make_mutant(data, sources, folder: Path, max_lines: int):
    """Draw a source and mutations, write the mutant; (path, source, mutations, kwargs)."""
    src = data.draw(st.sampled_from(sources), label="source")
    text = src["path"].read_bytes().decode("latin-1")
    lines = text.splitlines()
    pre, rows = lines[: src["first"]], lines[src["first"] :]
    if len(rows) > max_lines:  # a window of a long file keeps examples fast
        start = data.draw(st.integers(0, len(rows) - max_lines), label="window")
        rows = rows[start : start + max_lines]
    names = data.draw(
        st.lists(st.sampled_from([*MUTATIONS, "random_bytes"]), min_size=1, max_size=3),
        label="mutations",
    )
    sep = src["sep"]
    for name in names:
        if name != "random_bytes":
            pre, rows, sep = MUTATIONS[name](pre, rows, sep, src, data.draw)
    raw = ("\n".join(pre + rows) + "\n").encode("latin-1")
    if "random_bytes" in names:
        raw = random_bytes(raw, data.draw)
    path = folder / f"mutant_{src['path'].name}"
    path.write_bytes(raw)
    return path, src, names


# ----------------------------------------------------------------------------- checks
def _no_nan(value, where=""):
    """No NaN or infinity presented as a value anywhere in a JSON-like result."""
    if isinstance(value, dict):
        for k, v in value.items():
            _no_nan(v, f"{where}.{k}")
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _no_nan(v, f"{where}[{i}]")
    elif isinstance(value, float | np.floating):
        assert math.isfinite(value), f"{where} = {value}"


def check_light_curve(lc):
    for arr in (lc.t, lc.y, lc.dy):
        assert np.all(np.isfinite(arr))
    assert np.all(lc.dy > 0)
    # sorted; a time repeats only across bands (Vis. and V of one night in AAVSO files)
    assert np.all(np.diff(lc.t) >= 0)
    for b, name in enumerate(lc.bands):
        rows = lc.band_index == b
        assert np.all(np.diff(lc.t[rows]) > 0), f"repeated time in band {name!r}"
    assert lc.n >= 3
    assert all(v > 0 for v in lc.meta["dropped"].values())
    if "bands_found" not in lc.meta:  # every row of the file is a point or a counted drop
        assert lc.n + sum(lc.meta["dropped"].values()) == lc.meta["n_rows"]


def run_example(path: Path, src: dict, analyze: bool):
    """Read (and analyze) a mutant; a result or a NavfitError naming the file."""
    name = src["path"].name
    faulthandler.dump_traceback_later(HANG, exit=True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                if analyze:
                    star = navfit.analyze(
                        path, **READ_KWARGS.get(name, {}), **ANALYZE_KWARGS.get(name, {})
                    )
                    lc = star.lc
                    row = star.to_dict()
                    _no_nan(row)
                    # no significant period: no period in the catalogue, the best peak kept
                    assert row["period"] is not None or not star.search.significant
                    assert (row["period"] or row["photometric_period"]) > 0
                    assert np.isfinite(star.best.period)
                    assert star.best.period > 0
                else:
                    lc = read_lightcurve(path, **READ_KWARGS.get(name, {}))
                check_light_curve(lc)
                outcome = "result"
            except NavfitError as exc:
                outcome, message = "error", str(exc)
            if outcome == "error":
                assert path.name in message, f"error does not name the file: {message}"
    finally:
        faulthandler.cancel_dump_traceback_later()
    event(outcome)
    overflow = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    assert not overflow, f"numerical warnings: {[str(w.message) for w in overflow]}"
    return outcome


FAST = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@settings(FAST, max_examples=200)
@given(data=st.data())
def test_mutated_files_read_or_fail_cleanly(sources, data):
    with tempfile.TemporaryDirectory() as tmp:
        path, src, _ = make_mutant(data, sources, Path(tmp), max_lines=300)
        run_example(path, src, analyze=False)


@settings(FAST, max_examples=25)
@given(data=st.data())
def test_mutated_files_analyze_or_fail_cleanly(sources, data):
    with tempfile.TemporaryDirectory() as tmp:
        path, src, _ = make_mutant(data, sources, Path(tmp), max_lines=150)
        run_example(path, src, analyze=True)


LONG = int(os.environ.get("NAVFIT_FUZZ_EXAMPLES", "400"))


def run_reported(path, src, names, analyze):
    """:func:`run_example`, printing what failed before Hypothesis replays it.

    Hypothesis sometimes cannot replay a failing mutant of the long runs and then
    reports only ``FlakyStrategyDefinition``; the printed line (pytest shows the
    captured output of a failed test) keeps the real failure in the log.
    """
    try:
        return run_example(path, src, analyze)
    except Exception as exc:
        print(f"failing mutant of {src['path'].name} {names}: {type(exc).__name__}: {exc}")
        raise


SLOW = settings(
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=True,
)


@pytest.mark.slow
@settings(SLOW, max_examples=10 * LONG)
@given(data=st.data())
def test_mutated_files_read_or_fail_cleanly_long(sources, data):
    with tempfile.TemporaryDirectory() as tmp:
        path, src, names = make_mutant(data, sources, Path(tmp), max_lines=20000)
        run_reported(path, src, names, analyze=False)


@pytest.mark.slow
@settings(SLOW, max_examples=LONG)
@given(data=st.data())
def test_mutated_files_analyze_or_fail_cleanly_long(sources, data):
    with tempfile.TemporaryDirectory() as tmp:
        path, src, names = make_mutant(data, sources, Path(tmp), max_lines=1500)
        run_reported(path, src, names, analyze=True)
