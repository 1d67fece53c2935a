"""O-C fits: linear, quadratic and light-travel-time models, IBVS/CDS lines, ``navfit oc``."""

import json

import numpy as np
import pytest
from astropy.table import Table
from scipy.optimize import brentq

from navfit.cli import main
from navfit.errors import InputError, NavfitError
from navfit.oc import (
    CDS_BYTE_BY_BYTE,
    OCResult,
    SeparateOC,
    fit_oc,
    ltte_delay,
    minima_lines,
    plot_oc,
    read_minima,
)

P0, T00 = 1.3, 2455000.0


def minima_table(E, times, err, kinds=None, **meta):
    kinds = ["I" if e % 1 == 0 else "II" for e in E] if kinds is None else kinds
    table = Table(
        {
            "cycle": np.asarray(E, float),
            "kind": kinds,
            "time": times,
            "time_err": np.full(len(E), err) if np.isscalar(err) else err,
        }
    )
    table.meta.update(meta)
    return table


def third_body(seed, amplitude=0.005, period=1000.0, e=0.3, omega=1.0, n=50, err=5e-4):
    """50 minima over 3000 d, errors 0.0005 d, a light-time orbit of the given semi-amplitude."""
    rng = np.random.default_rng(seed)
    E = np.sort(rng.choice(np.arange(0, 2300), n, replace=False)).astype(float)
    t = T00 + P0 * E
    asini = amplitude / np.sqrt(1 - (e * np.cos(omega)) ** 2)
    times = t + ltte_delay(t, asini, period, e, omega, T00 + 400.0) + rng.normal(0, err, n)
    return minima_table(E, times, err)


# ----------------------------------------------------------------------------------
# the light-time delay
# ----------------------------------------------------------------------------------
def test_ltte_delay_against_a_direct_solution():
    t = np.linspace(0, 3000, 37)
    K, P3, e, w, tp = 0.004, 900.0, 0.6, 2.0, 120.0
    tau = ltte_delay(t, K, P3, e, w, tp)
    for ti, got in zip(t, tau, strict=True):
        M = 2 * np.pi * (ti - tp) / P3
        M = (M + np.pi) % (2 * np.pi) - np.pi
        E = brentq(lambda x, m=M: x - e * np.sin(x) - m, -4, 4, xtol=1e-14)
        nu = 2 * np.arctan(np.sqrt((1 + e) / (1 - e)) * np.tan(E / 2))
        r = (1 - e**2) / (1 + e * np.cos(nu))
        assert got == pytest.approx(K * (r * np.sin(nu + w) + e * np.sin(w)), abs=1e-12)
    # circular orbit: a sine of semi-amplitude K; eccentric: Irwin's A
    assert np.ptp(ltte_delay(np.linspace(0, 900, 2001), K, P3, 0.0, 0.0, 0.0)) == pytest.approx(
        2 * K, rel=1e-5
    )
    dense = ltte_delay(np.linspace(0, 900, 20001), K, P3, e, w, tp)
    assert np.ptp(dense) / 2 == pytest.approx(K * np.sqrt(1 - (e * np.cos(w)) ** 2), rel=1e-4)


# ----------------------------------------------------------------------------------
# model recovery
# ----------------------------------------------------------------------------------
def test_third_body_recovery():
    result = fit_oc(third_body(3), period=P0, epoch=T00)
    ltte = result.models["ltte"]
    amplitude, _ = ltte.derived["amplitude"]
    P3, _ = ltte.derived["P3"]
    assert abs(amplitude / 0.005 - 1) < 0.10
    assert abs(P3 / 1000.0 - 1) < 0.05
    assert result.best.name == "ltte"
    assert ltte.bic < result.models["quadratic"].bic - 10
    assert ltte.aic < result.models["quadratic"].aic
    assert 0.5 < ltte.chi2_red < 1.6
    assert abs(ltte.derived["e"][0] - 0.3) < 3 * ltte.derived["e"][1] + 0.05
    # the mass function follows from a12 sin i and P3
    a, p = ltte.derived["a12sini"][0], ltte.derived["P3"][0] / 365.25
    assert ltte.derived["f(m3)"][0] == pytest.approx(a**3 / p**2)


def test_an_orbit_longer_than_the_minima_is_flagged():
    assert fit_oc(third_body(3), period=P0, epoch=T00).models["ltte"].info["flags"] == []
    # a 5000-d orbit seen over 2900 d: whatever P3 the fit reaches, it is not determined
    result = fit_oc(third_body(3, period=5000.0, amplitude=0.01), period=P0, epoch=T00)
    ltte = result.models["ltte"]
    assert ltte.derived["P3"][0] > 2899.0
    assert any("less than one orbit observed" in f for f in ltte.info["flags"])
    assert "    flag: P3 = " in result.summary()
    # noise alone: the orbit fitted to it has an eccentricity at the edge, and says so
    noise = fit_oc(third_body(2, amplitude=0.0), period=P0, epoch=T00)
    assert noise.best.name == "linear"
    assert any("edge of the eccentricities" in f for f in noise.models["ltte"].info["flags"])


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_third_body_recovery_other_realisations(seed):
    ltte = fit_oc(third_body(seed), period=P0, epoch=T00, models=("quadratic", "ltte")).best
    assert ltte.name == "ltte"
    assert abs(ltte.derived["amplitude"][0] / 0.005 - 1) < 0.10
    assert abs(ltte.derived["P3"][0] / 1000.0 - 1) < 0.05


def test_quadratic_recovery_and_errors():
    rng = np.random.default_rng(5)
    E = np.arange(0, 3000, 40.0)
    Q = 2e-9
    times = T00 + P0 * E + Q * E**2 + rng.normal(0, 2e-4, E.size)
    result = fit_oc(minima_table(E, times, 2e-4), period=P0, epoch=T00)
    quad = result.models["quadratic"]
    assert result.best.name == "quadratic"
    assert abs(quad.params["Q"] - Q) < 3 * quad.errors["Q"]
    assert quad.derived["dP/dE"][0] == pytest.approx(2 * quad.params["Q"])
    assert quad.derived["dP/dt"][0] == pytest.approx(2 * quad.params["Q"] / P0 * 365.25)
    assert 0.6 < quad.chi2_red < 1.5


def test_linear_ephemeris_fitted_or_given():
    rng = np.random.default_rng(6)
    E = np.r_[np.arange(0, 200, 7.0), np.arange(0.5, 200, 11.0)]
    times = T00 + 0.01 + (P0 + 1e-5) * E + rng.normal(0, 1e-4, E.size)
    table = minima_table(E, times, 1e-4, period=P0, epoch=T00)
    fitted = fit_oc(table, models=("linear",))
    assert fitted.reference == "fitted"
    assert fitted.epoch == pytest.approx(T00 + 0.01, abs=1e-4)
    assert fitted.period == pytest.approx(P0 + 1e-5, abs=1e-6)
    given = fit_oc(table, period=P0, epoch=T00, models=("linear",))
    lin = given.models["linear"]
    assert given.reference == "given"
    assert lin.derived["P"][0] == pytest.approx(fitted.period, abs=1e-9)
    assert abs(lin.params["dT0"] - 0.01) < 4 * lin.errors["dT0"]
    assert set(given.data["kind"]) == {"I", "II"}
    # unscaled errors trust the timing errors
    raw = fit_oc(table, period=P0, epoch=T00, models=("linear",), scale_errors=False)
    ratio = lin.errors["dP"] / raw.models["linear"].errors["dP"]
    assert ratio == pytest.approx(np.sqrt(lin.chi2_red))


def test_primary_and_secondary_apart_show_apsidal_drift():
    rng = np.random.default_rng(9)
    E1 = np.arange(0, 1500, 30.0)
    E2 = E1 + 0.5
    t1 = T00 + P0 * E1 + 2e-6 * E1 + rng.normal(0, 2e-4, E1.size)
    t2 = T00 + P0 * E2 - 2e-6 * E2 + rng.normal(0, 2e-4, E2.size)
    table = minima_table(np.r_[E1, E2], np.r_[t1, t2], 2e-4)
    sep = fit_oc(table, period=P0, epoch=T00, models=("linear",), kind="separate")
    assert isinstance(sep, SeparateOC)
    d, e = sep.period_difference
    assert abs(d - 4e-6) < 3 * e
    assert d / e > 10
    assert "P_I - P_II" in sep.summary()
    # jointly, a free offset of the secondaries absorbs a displaced Min II
    t2b = T00 + P0 * E2 + 0.003 + rng.normal(0, 2e-4, E2.size)
    joint = fit_oc(
        minima_table(np.r_[E1, E2], np.r_[T00 + P0 * E1, t2b], 2e-4),
        period=P0,
        epoch=T00,
        models=("linear",),
        secondary_offset=True,
    )
    lin = joint.models["linear"]
    assert abs(lin.params["dT_II"] - 0.003) < 3 * lin.errors["dT_II"]


def test_methods_flags_and_cycles_from_the_table():
    E = np.arange(0, 40.0)
    times = T00 + P0 * E
    rows = Table(
        {
            "cycle": np.r_[E, E],
            "kind": ["I"] * 80,
            "time": np.r_[times, times + 1e-4],
            "time_err": np.full(80, 1e-4),
            "method": ["kvw"] * 40 + ["nav"] * 40,
            "flags": [""] * 38 + ["one branch only", "uneven sampling"] + [""] * 40,
        }
    )
    rows.meta.update({"period": P0, "epoch": T00, "name": "X", "time_system": "BJD"})
    nav = fit_oc(rows, models=("linear",))
    assert nav.meta["method"] == "nav"
    assert len(nav.data) == 40
    kvw = fit_oc(rows, method="kvw", models=("linear",))
    assert len(kvw.data) == 39
    assert kvw.meta["excluded"] == {"flagged": 1}
    assert len(fit_oc(rows, method="kvw", models=("linear",), exclude_flagged=False).data) == 40
    # cycles recomputed from another ephemeris
    shifted = fit_oc(rows, period=P0, epoch=T00 + 10 * P0, models=("linear",))
    assert shifted.data["cycle"][0] == -10
    assert "X" in shifted.summary()
    assert "BJD" in shifted.summary()
    # every time is labelled with the minima's own system, the models' T0 as the header's
    assert " (BJD)" in next(x for x in shifted.summary().splitlines() if "T0 =" in x and "+-" in x)
    table = shifted.to_table()
    assert {"T0", "P", "dT0", "dP"} <= set(table["name"])
    comparison = fit_oc(rows, models=("linear", "quadratic")).comparison()
    assert list(comparison["model"]) == ["linear", "quadratic"]
    assert comparison.meta["best"] in ("linear", "quadratic")


def test_bad_input():
    with pytest.raises(NavfitError, match="2 usable minima"):
        fit_oc(minima_table([0, 1], T00 + P0 * np.array([0, 1.0]), 1e-4))
    table = minima_table(np.arange(10.0), T00 + P0 * np.arange(10.0), 1e-4)
    with pytest.raises(InputError, match="kind"):
        fit_oc(table, kind="primary")
    with pytest.raises(InputError, match="models"):
        fit_oc(table, models=("cubic",))
    with pytest.raises(InputError, match="criterion"):
        fit_oc(table, criterion="dic")
    with pytest.raises(InputError, match="time and time_err"):
        fit_oc(Table({"t": [1.0, 2.0]}))
    with pytest.raises(InputError, match="no cycle numbers"):
        fit_oc(Table({"time": T00 + P0 * np.arange(5.0), "time_err": np.full(5, 1e-4)}))
    with pytest.raises(InputError, match="method 'kvw'"):
        fit_oc(table, method="kvw")
    with pytest.raises(InputError, match="period"):
        fit_oc(table, period=-1.0, epoch=T00)
    # the light-time model needs 8 minima: it is left out, with the reason
    few = fit_oc(minima_table(np.arange(6.0), T00 + P0 * np.arange(6.0) + 1e-5, 1e-4))
    assert "ltte" not in few.models
    assert "ltte" in few.meta["skipped"]
    with pytest.raises(InputError, match="not found"):
        read_minima("/nonexistent/minima.txt")


# ----------------------------------------------------------------------------------
# IBVS/CDS lines, files, plot
# ----------------------------------------------------------------------------------
def _ibvs_table():
    E = np.array([0, 0.5, 1, 1.5, 2, 2.5, 3, 4])
    table = minima_table(
        E,
        T00 + P0 * E + np.linspace(0, 1e-4, E.size),
        np.linspace(1e-4, 3e-4, E.size),
        period=P0,
        epoch=T00,
        name="V1229 Tau",
        band="Kp",
        time_system="BJD",
    )
    table["method"] = ["nav", "kvw"] * 4
    table["flags"] = ["", "uneven sampling", "", "", "one branch only", "", "", ""]
    return table


def test_minima_lines_layout_and_round_trip(tmp_path):
    table = _ibvs_table()
    lines = minima_lines(table)
    assert lines[0].startswith("# Times of minima of V1229 Tau; Tmin = BJD - 2400000")
    assert lines[1] == f"# Ephemeris: Min I = {T00:.6f} + {P0:.9f} E"
    data = [x for x in lines if not x.startswith("#")]
    assert len(data) == 7  # the flagged minimum is left out
    first = data[0]
    # bytes of CDS_BYTE_BY_BYTE (1-based, inclusive)
    assert first[0:20].strip() == "V1229 Tau"
    assert float(first[21:34]) == pytest.approx(T00 - 2400000)
    assert float(first[35:44]) == pytest.approx(1e-4)
    assert first[45:47].strip() == "I"
    assert first[48:54].strip() == "Kp"
    assert first[55:] == "NAV"
    assert data[1][55:] == "KvW; uneven sampling"
    assert "  22- 34  F13.6" in CDS_BYTE_BY_BYTE
    assert len(minima_lines(table, flagged=True, header=False)) == 8
    path = tmp_path / "minima.txt"
    path.write_text("\n".join(lines) + "\n")
    back = read_minima(path)
    assert back.meta["time_system"] == "BJD"
    assert back.meta["period"] == pytest.approx(P0)
    np.testing.assert_allclose(back["time"], np.delete(table["time"], 4), atol=1e-6)
    assert list(back["method"][:2]) == ["nav", "kvw"]
    # fit_oc reads the file and counts cycles from the ephemeris in its header
    result = fit_oc(path, method="kvw", models=("linear",))
    assert list(result.data["cycle"]) == [0.5, 1.5, 2.5, 4.0]


def test_read_minima_tables_and_junk(tmp_path):
    table = _ibvs_table()
    for suffix, fmt in ((".ecsv", "ascii.ecsv"), (".csv", "ascii.csv")):
        path = tmp_path / f"m{suffix}"
        table.write(path, format=fmt)
        back = read_minima(path)
        np.testing.assert_allclose(back["time"], table["time"])
        assert back.meta["source"] == str(path)
    junk = tmp_path / "junk.txt"
    junk.write_text("hello world, this is not a table of minima at all\n")
    with pytest.raises(InputError, match=r"junk\.txt: line 1"):
        read_minima(junk)
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing\n")
    with pytest.raises(InputError, match="no minima lines"):
        read_minima(empty)


def test_plot_oc():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    result = fit_oc(third_body(3), period=P0, epoch=T00)
    axes = plot_oc(result)
    assert len(axes) == 2
    labels = [line.get_label() for line in axes[0].get_lines()]
    assert {"linear", "quadratic", "ltte"} <= set(labels)
    # the residual panel shows the best model's residuals
    y = np.concatenate(
        [c.get_offsets()[:, 1] if hasattr(c, "get_offsets") else [] for c in axes[1].collections]
        or [[0.0]]
    )
    assert np.all(np.abs(y) < 0.01)
    plt.close(axes[0].figure)
    fig, ax = plt.subplots()
    (only,) = result.plot(ax=ax, model="quadratic", others=False)
    assert only is ax
    assert [x.get_label() for x in ax.get_lines()][-1] == "quadratic"
    plt.close(fig)
    assert isinstance(result, OCResult)


# ----------------------------------------------------------------------------------
# navfit oc
# ----------------------------------------------------------------------------------
def test_cli_oc(tmp_path, capsys):
    path = tmp_path / "minima.ecsv"
    third_body(3).write(path, format="ascii.ecsv")
    assert main(["oc", str(path), "--period", str(P0), "--epoch", str(T00)]) == 0
    out = capsys.readouterr().out
    assert "ltte" in out
    assert "<- best" in out
    png = tmp_path / "oc.png"
    code = main(
        [
            "oc",
            str(path),
            "--period",
            str(P0),
            "--epoch",
            str(T00),
            "--json",
            "--models",
            "linear,ltte",
            "--plot",
            str(png),
        ]
    )
    assert code == 0
    assert png.stat().st_size > 1000
    record = json.loads(capsys.readouterr().out)
    assert record["best"] == "ltte"
    assert set(record["models"]) == {"linear", "ltte"}
    assert abs(record["models"]["ltte"]["derived"]["P3"][0] / 1000 - 1) < 0.05


def test_cli_oc_errors(tmp_path, capsys):
    assert main(["oc", str(tmp_path / "missing.ecsv")]) == 2
    assert "not found" in capsys.readouterr().err
    path = tmp_path / "minima.ecsv"
    third_body(3).write(path, format="ascii.ecsv")
    assert main(["oc", str(path), "--period", "1.3"]) == 2
    assert main(["oc", str(path), "--models", "cubic"]) == 2
    capsys.readouterr()
    # no cycle numbers can be counted without an ephemeris: one line, exit 1
    Table({"time": [1.0, 2.0, 3.0], "time_err": [1e-3] * 3}).write(
        path, format="ascii.ecsv", overwrite=True
    )
    assert main(["oc", str(path)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "minima.ecsv" in err[0]
