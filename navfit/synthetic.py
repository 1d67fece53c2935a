"""Seeded synthetic light curves with known truth: NAV eclipsers, TP signals, pulsators.

Used by the tests, the benchmarks, the notebooks and to make the samples in
``data/`` (:func:`write_samples`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ._kernels.basis import fill_tp_basis
from .lightcurve import LightCurve
from .nav_params import curve as nav_curve

__all__ = [
    "NAV_PRESETS",
    "multiband_nav_lightcurve",
    "nav_lightcurve",
    "pulsator_lightcurve",
    "six_band_sparse_lightcurve",
    "survey_times",
    "tp_lightcurve",
    "write_samples",
]

#: Typical NAV parameters (magnitudes, Min I at phase 0) for the three classic types.
NAV_PRESETS = {
    "EA": {
        "c": (12.0, 0.010, 0.002, 0.008, 0.0, 0.80, 0.25),
        "a": 0.045,
        "beta1": 1.6,
        "beta2": 1.4,
        "period": 2.8672,
    },
    "EB": {
        "c": (13.0, 0.040, 0.004, 0.120, 0.0, 0.45, 0.20),
        "a": 0.11,
        "beta1": 1.5,
        "beta2": 1.3,
        "period": 1.3240,
    },
    "EW": {
        "c": (11.5, 0.010, 0.006, 0.110, 0.0, 0.30, 0.24),
        "a": 0.20,
        "beta1": 1.6,
        "beta2": 1.5,
        "period": 0.3440,
    },
}


def survey_times(n, span=1000.0, seasons=3, rng=None, start=2459000.0, nightly=True):
    """Survey-like observation times: seasons with gaps, one point per night or so.

    Parameters
    ----------
    n : int
        Number of points.
    span : float
        Total time span in days (seasons spread evenly over it).
    seasons : int
        Number of observing seasons (each ~40 % of the interval between them).
    rng : numpy.random.Generator or int, optional
        Random generator or seed.
    start : float
        First time (full JD).
    nightly : bool
        Restrict times to an 8-hour window each night (the source of 1-day aliases).

    Returns
    -------
    ndarray
        Sorted times.

    Examples
    --------
    >>> t = survey_times(500, rng=1)
    >>> t.size, bool(t[0] >= 2459000.0), bool(t[-1] < 2459000.0 + 1000.0)
    (500, True, True)
    >>> (t % 1.0).max() < 1 / 3          # within the 8-hour window of each night
    np.True_
    """
    rng = np.random.default_rng(rng)
    season_len = span / seasons * 0.4
    starts = start + np.arange(seasons) * span / seasons
    which = rng.integers(0, seasons, n)
    t = starts[which] + rng.uniform(0, season_len, n)
    if nightly:
        t = np.floor(t) + rng.uniform(0.0, 1.0 / 3.0, n)
    return np.sort(t)


def nav_lightcurve(
    kind="EA",
    n=1000,
    noise=0.01,
    rng=None,
    times=None,
    period=None,
    epoch=2459000.3,
    name=None,
    band="V",
    **overrides,
):
    """A NAV light curve with Gaussian noise and the truth that made it.

    Parameters
    ----------
    kind : {"EA", "EB", "EW"}
        Preset from :data:`NAV_PRESETS`.
    n : int
        Points (ignored when ``times`` is given).
    noise : float
        1-sigma noise in magnitudes; also the quoted error ``dy``.
    rng : numpy.random.Generator or int, optional
    times : ndarray, optional
        Observation times (default :func:`survey_times` over 1000 d).
    period, epoch : float, optional
        Ephemeris of Min I (period default from the preset).
    name, band : str
    **overrides
        Replace preset entries (``c``, ``a``, ``beta1``, ``beta2``).

    Returns
    -------
    lc : LightCurve
    truth : dict
        ``c`` (C1..C7), ``a``, ``beta1``, ``beta2``, ``period``, ``epoch``.

    Examples
    --------
    >>> lc, truth = nav_lightcurve("EA", n=300, noise=0.01, rng=1)
    >>> lc
    LightCurve(name='synthetic EA', n=300, kind='mag', band='V', time_system='BJD', span=795.9 d)
    >>> truth["period"], truth["a"], truth["epoch"]
    (2.8672, 0.045, 2459000.3)

    Presets can be changed, e.g. a wider eclipse:

    >>> lc, truth = nav_lightcurve("EA", n=300, rng=1, a=0.08)
    >>> truth["a"]
    0.08
    """
    rng = np.random.default_rng(rng)
    truth = {**NAV_PRESETS[kind], **overrides}
    truth["period"] = float(period if period is not None else truth["period"])
    truth["epoch"] = float(epoch)
    t = survey_times(n, rng=rng) if times is None else np.asarray(times, float)
    phase = (t - epoch) / truth["period"]
    y = nav_curve(phase, truth["c"], truth["a"], truth["beta1"], truth["beta2"])
    y = y + rng.normal(0.0, noise, t.size)
    lc = LightCurve(
        t, y, np.full(t.size, noise), band=band, time_system="BJD", name=name or f"synthetic {kind}"
    )
    return lc, truth


def multiband_nav_lightcurve(
    kind="EA",
    bands=("g", "r", "i"),
    n=300,
    noise=0.01,
    rng=None,
    depth=(1.3, 1.0, 0.8),
    level=(0.4, 0.0, -0.2),
    period=None,
    epoch=2459000.3,
):
    """A NAV eclipsing binary in several bands: one geometry, depths and levels per band.

    Band ``b`` has the preset's C1..C7 with C1 moved by ``level[b]`` and the
    depths C6, C7 multiplied by ``depth[b]``; the period, epoch, half-width
    and profile exponents are shared. Each band has its own ``n`` times
    (:func:`survey_times`) and Gaussian noise ``noise``.

    Returns
    -------
    lc : LightCurve
        Multi-band light curve (``lc.bands == bands``).
    truth : dict
        As :func:`nav_lightcurve`, with ``c`` a dict band -> C1..C7.

    Examples
    --------
    >>> lc, truth = multiband_nav_lightcurve(n=100, rng=1)
    >>> lc.bands, round(truth["c"]["g"][5], 2)
    (('g', 'r', 'i'), 1.04)
    """
    rng = np.random.default_rng(rng)
    t, y, dy, band, cs = [], [], [], [], {}
    truth = None
    for b, name in enumerate(bands):
        c = np.array(NAV_PRESETS[kind]["c"], dtype=float)
        c[0] += level[b]
        c[5:7] *= depth[b]
        lc_b, truth = nav_lightcurve(
            kind, n, noise, rng, period=period, epoch=epoch, band=name, c=tuple(c)
        )
        cs[name] = tuple(float(v) for v in c)
        t.append(lc_b.t)
        y.append(lc_b.y)
        dy.append(lc_b.dy)
        band.append(np.full(lc_b.n, name))
    lc = LightCurve(
        np.concatenate(t),
        np.concatenate(y),
        np.concatenate(dy),
        band=np.concatenate(band),
        time_system="BJD",
        name=f"synthetic multi-band {kind}",
    )
    return lc, {**truth, "c": cs}


#: LSST's six passbands, with the eclipse-depth scale and level (mag) of a hot primary
#: eclipsed by a cool companion in each (u deepest, y shallowest).
LSST_BANDS = ("u", "g", "r", "i", "z", "y")
LSST_DEPTH = (1.35, 1.2, 1.0, 0.9, 0.85, 0.8)
LSST_LEVEL = (1.2, 0.4, 0.0, -0.15, -0.25, -0.3)


def six_band_sparse_lightcurve(kind="EB", n=12, noise=0.01, rng=None):
    """An eclipsing binary in LSST's six bands with ``n`` epochs each, one band per epoch.

    :func:`multiband_nav_lightcurve` with :data:`LSST_BANDS`, :data:`LSST_DEPTH`
    and :data:`LSST_LEVEL`: no band alone has the points for a decision.

    Examples
    --------
    >>> lc, truth = six_band_sparse_lightcurve("EW", rng=0)
    >>> lc.bands, lc.n
    (('u', 'g', 'r', 'i', 'z', 'y'), 72)
    """
    return multiband_nav_lightcurve(
        kind, bands=LSST_BANDS, n=n, rng=rng, noise=noise, depth=LSST_DEPTH, level=LSST_LEVEL
    )


def tp_lightcurve(
    coef,
    period=1.0,
    n=500,
    noise=0.01,
    rng=None,
    times=None,
    t_ref=0.0,
    kind="mag",
    name="synthetic TP",
):
    """A trigonometric-polynomial signal ``c0 + sum a_j cos + b_j sin`` plus noise.

    ``coef`` is ``(c0, a1, b1, ..., as, bs)``; phase ``(t - t_ref)/period``.
    Returns the light curve and the truth dict.

    Examples
    --------
    >>> lc, truth = tp_lightcurve([10.0, 0.3, 0.1], period=0.7, n=200, rng=1)
    >>> lc.n, truth["period"], truth["coef"].tolist()
    (200, 0.7, [10.0, 0.3, 0.1])
    """
    rng = np.random.default_rng(rng)
    coef = np.asarray(coef, dtype=float)
    t = np.sort(rng.uniform(0.0, 100.0 * period, n)) if times is None else np.asarray(times)
    XT = np.empty((coef.size, t.size))
    fill_tp_basis((np.asarray(t, float) - t_ref) / period, (coef.size - 1) // 2, XT)
    y = coef @ XT + rng.normal(0.0, noise, t.size)
    lc = LightCurve(t, y, np.full(t.size, noise), kind=kind, name=name)
    return lc, {"coef": coef, "period": period, "t_ref": t_ref}


def pulsator_lightcurve(
    n=400,
    period=0.5643,
    amplitude=0.9,
    noise=0.02,
    rng=None,
    times=None,
    epoch=2459000.1,
    name="synthetic RRab",
    band="V",
):
    """An RRab-like saw-tooth light curve (fast rise, slow decline) from a Fourier series.

    Uses the classic ``a_j ~ A/j`` sine series of a saw-tooth, which gives one
    minimum and one maximum per cycle. Returns the light curve and the truth dict.

    Examples
    --------
    >>> lc, truth = pulsator_lightcurve(n=200, rng=2)
    >>> lc.n, lc.time_system, truth
    (200, 'HJD', {'period': 0.5643, 'epoch': 2459000.1, 'order': 8})
    """
    rng = np.random.default_rng(rng)
    t = survey_times(n, span=600.0, seasons=2, rng=rng) if times is None else np.asarray(times)
    phase = (t - epoch) / period
    order = 8
    j = np.arange(1, order + 1)
    # sum sin(jx)/j falls linearly then jumps; negated, the star fades slowly and
    # brightens quickly, as RRab stars do
    y = 15.0 - (amplitude / np.pi) * np.sum(
        np.sin(2 * np.pi * np.outer(phase, j)) / j * (0.85**j), axis=1
    )
    y = y + rng.normal(0.0, noise, t.size)
    lc = LightCurve(t, y, np.full(t.size, noise), band=band, time_system="HJD", name=name)
    return lc, {"period": period, "epoch": epoch, "order": order}


def write_samples(folder, seed=20261124):
    """Write the sample light curves of ``data/`` (and their catalogue) into ``folder``.

    Files: an EA in CSV, an EB in ECSV, an EW in FITS, a pulsator in whitespace
    text with ``#`` comments, and the EA again as VOTable; ``catalog.csv`` lists
    each file's type, period, epoch and columns. Deterministic for a seed.
    """
    from astropy.table import Table

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    rows = []

    def table(lc, tcol="bjd"):
        return Table({tcol: lc.t, "mag": lc.y, "err": lc.dy})

    ea, tr = nav_lightcurve("EA", n=1200, noise=0.012, rng=rng, name="SYN-EA-1")
    table(ea).write(
        folder / "syn_ea.csv",
        format="ascii.csv",
        overwrite=True,
        formats={"bjd": "%.6f", "mag": "%.5f", "err": "%.4f"},
    )
    rows.append(("syn_ea.csv", "SYN-EA-1", "EA", tr, "bjd", "BJD"))
    tab = table(ea)
    tab.meta["description"] = "navfit synthetic EA (NAV model), BJD, V mag"
    tab.write(folder / "syn_ea.vot", format="votable", overwrite=True)
    rows.append(("syn_ea.vot", "SYN-EA-1", "EA", tr, "bjd", "BJD"))

    eb, tr = nav_lightcurve("EB", n=600, noise=0.015, rng=rng, name="SYN-EB-1")
    tab = table(eb)
    tab.meta.update({"name": "SYN-EB-1", "band": "V", "time_system": "BJD"})
    tab.write(folder / "syn_eb.ecsv", format="ascii.ecsv", overwrite=True)
    rows.append(("syn_eb.ecsv", "SYN-EB-1", "EB", tr, "bjd", "BJD"))

    ew, tr = nav_lightcurve("EW", n=800, noise=0.01, rng=rng, name="SYN-EW-1")
    tab = Table({"TIME": ew.t - 2457000.0, "MAG": ew.y, "MAG_ERR": ew.dy})
    tab.meta.update(
        {
            "OBJECT": "SYN-EW-1",
            "TIMESYS": "TDB",
            "BJDREFI": 2457000,
            "BJDREFF": 0.0,
            "TIMEUNIT": "d",
            "FILTER": "V",
        }
    )
    tab.write(folder / "syn_ew.fits", format="fits", overwrite=True)
    rows.append(("syn_ew.fits", "SYN-EW-1", "EW", tr, "TIME", "BJD-2457000"))

    rr, tr = pulsator_lightcurve(n=400, rng=rng, name="SYN-RRAB-1")
    with open(folder / "syn_rrab.dat", "w") as fh:
        fh.write("# navfit synthetic RRab pulsator (saw-tooth Fourier series)\n")
        fh.write("# HJD V err\n")
        fh.writelines(
            f"{ti:.6f} {yi:.5f} {ei:.4f}\n" for ti, yi, ei in zip(rr.t, rr.y, rr.dy, strict=True)
        )
    rows.append(("syn_rrab.dat", "SYN-RRAB-1", "RRAB", tr, "0", "HJD"))

    cat = Table(
        rows=[
            (f, name, typ, tr["period"], tr["epoch"], tcol, ts)
            for f, name, typ, tr, tcol, ts in rows
        ],
        names=("file", "object", "type", "period", "epoch", "time_column", "time_system"),
    )
    cat.write(folder / "catalog.csv", format="ascii.csv", overwrite=True)
    return cat
