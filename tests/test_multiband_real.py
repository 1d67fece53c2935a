"""Real multi-band evidence (issue 15): every star of the shared ``multiband`` folder.

Each star is read from ALL its photometry files together (ZTF per oid, ATLAS,
ASAS-SN, Catalina, the Gaia DR3 VizieR extract; for xi Tau the U, B, V files
with their ``dataset`` column as series and the MOST file as its own band),
analysed by :func:`navfit.analyze` (multi-band search and joint NAV fit), and
checked against ``catalog.csv`` and the MANIFEST: the period, the eclipse depth
of every band and its order where the MANIFEST states it, and the fitted ZTF
field offsets. Checks a star does not meet are marked ``xfail(strict=True)``
with the values measured on these files, not loosened.

The period search is limited to a factor 2.2 on either side of the catalogue
period (half and double included, so the EA/EW doubling decision is still
made) to keep the module near 30 s on two shared cores; the full range adds
about 30 s for DDE 60 alone.
"""

from __future__ import annotations

import csv
import re
import warnings
from decimal import Decimal

import numpy as np
import pytest

import navfit
from navfit.catalogue import CatalogueRow

GAIA = {"time_format": "bjd_tcb-2455197.5", "band": "G"}  # VizieR I/355/epphot: TimeG, Gmag
STARS = ("EA_DDE60", "EA_ZTF18acrvwcz", "EW_UCAC3-250-197400", "EA_xi_Tau")
#: Bands whose Min I depths the MANIFEST orders (deeper first): g deeper than r for the
#: ZTF18acrvwcz (2.3 against 1.5 mag) and DDE 60 (1.83 against 1.49), ATLAS c deeper
#: than o for both (1.84 / 1.49 and 1.66 / 1.53).
DEPTH_ORDER = {
    "EA_DDE60": [("zg", "zr"), ("c", "o")],
    "EA_ZTF18acrvwcz": [("zg", "zr"), ("c", "o")],
}

DDE60_PERIOD = (
    "joint fit 1.7764016 +- 5.8e-7 d, 9.6 sigma from the catalogue's 1.776396; ZTF g+r "
    "alone 1.7764020 +- 3.9e-7, ATLAS c+o 1.7764015 +- 9e-7, ASAS-SN V+g 1.7764005 +- "
    "1.4e-6, only ASAS-SN V (2012-2018) alone agrees (1.7763938 +- 3.7e-6): the catalogue "
    "period does not fit the 2015-2024 data"
)
UCAC3_PERIOD = (
    "joint fit 0.45704981 +- 6.8e-8 d, 3.07 sigma (2.1e-7 d) from the catalogue's "
    "0.4570496, whose last digit is 1e-7"
)
UCAC3_OFFSET = (
    "fitted zr2 - zr1 offset +0.008 mag; the phase-matched median difference of the two "
    "oids is +0.012 +- 0.003: the MANIFEST's 0.054 is the difference of the raw medians, "
    "a phase-sampling effect of zr2's 54 points on a 0.3-mag contact binary"
)
XI_TAU = (
    "the joint NAV fit of U, B and V gives 7.1466844 +- 1.1e-5 d, 3.5 sigma from the "
    "catalogue's 7.146646, a linear ephemeris fitted to eclipse timings of 1991-2012 about "
    "which a third body's light-time effect moves the eclipses by up to 0.06 d: photometry "
    "of 1985-2014 samples that effect differently. MOST is left "
    "out of it: with MOST the period moves by 0.42 cycle over the data (its quoted errors, "
    "0.0002 mag, are about 7.5 times below its scatter about the NAV, and its eclipses sit "
    "0.012 d from the U/B/V ephemeris), so MOST has no depth in the joint fit"
)


def xfail(reason):
    return pytest.mark.xfail(strict=True, reason=reason)


def star_files(folder):
    """Every photometry file of a star, with the options its format needs."""
    if folder.name == "EA_xi_Tau":
        ubv = [(folder / f"Lc_{b}.dat", {"band": b, "series_column": 3}) for b in "UBV"]
        return [*ubv, (folder / "Lc_quasiperiodic_removed_1234.dat", {"band": "MOST"})]
    plain = [p for p in sorted(folder.iterdir()) if p.suffix in (".csv", ".txt")]
    return plain + [(p, GAIA) for p in sorted(folder.glob("*-gdr3.dat"))]


def catalogue(multiband_dir):
    with open(multiband_dir / "catalog.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return {r["star_dir"]: r["period_d"] for r in rows}


@pytest.fixture(scope="module")
def analysed(multiband_dir):
    """Star -> (light curve, StarResult), each computed once."""
    done = {}
    periods = catalogue(multiband_dir)

    def get(star):
        if star not in done:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", navfit.NavfitWarning)
                lc = navfit.read_lightcurve(star_files(multiband_dir / star))
            p = float(periods[star])
            done[star] = lc, navfit.analyze(lc, min_period=p / 2.2, max_period=2.2 * p)
        return done[star]

    return get


def test_catalogue_lists_the_four_stars(multiband_dir):
    assert set(catalogue(multiband_dir)) == set(STARS)


@pytest.mark.parametrize(
    ("star", "bands", "system"),
    [
        ("EA_DDE60", {"zg", "zr", "c", "o", "V", "g", "V_CSS", "G"}, "BJD"),
        ("EA_ZTF18acrvwcz", {"zg", "zr", "zi", "c", "o", "G"}, "BJD"),
        ("EW_UCAC3-250-197400", {"zg", "zr", "zi", "G"}, "BJD"),
        ("EA_xi_Tau", {"U", "B", "V", "MOST"}, None),
    ],
)
def test_every_file_of_the_star_is_read(analysed, multiband_dir, star, bands, system):
    lc, _ = analysed(star)
    used = {str(f["source"]) for f in lc.meta["files"]}
    wanted = {str(p[0] if isinstance(p, tuple) else p) for p in star_files(multiband_dir / star)}
    assert used == wanted
    assert lc.meta["skipped"] == {}
    assert set(lc.bands) == bands
    # ZTF HJD, ATLAS/CRTS MJD (UTC, geocentric) and Gaia BJD(TCB) brought to BJD(TDB) at
    # the position of the ZTF files; xi Tau's files are "JD as labelled" (unknown system)
    assert lc.time_system == system
    assert lc.t.dtype == np.float64
    if system is not None:
        assert lc.meta["time_joined"]["coords_from"].lower().endswith("columns ra, dec")


@pytest.mark.parametrize(
    ("star", "flagged"),
    [
        # ATLAS scatters 3-9 times its quoted errors; ZTF, Gaia, ASAS-SN, CRTS
        # and the ground U, B, V at most 1.9 times
        ("EA_DDE60", {"dde60-atlas/o", "dde60-atlas/c"}),
        ("EA_ZTF18acrvwcz", {"18acrvwcz-atlas/o", "18acrvwcz-atlas/c"}),
        ("EW_UCAC3-250-197400", set()),
        ("EA_xi_Tau", set()),
    ],
)
def test_series_far_above_their_quoted_errors_are_flagged(analysed, star, flagged):
    _, result = analysed(star)
    named = {m[1] for f in result.best.flags if (m := re.match(r"series '(.+?)' of band", f))}
    assert named == flagged
    # each flag survives the catalogue table, whose cells join flags with "; "
    row = CatalogueRow.from_result(result)
    assert CatalogueRow.from_mapping(row.columns()).flags == row.flags


def test_dde60_survey_flags_counted(analysed):
    lc, _ = analysed("EA_DDE60")
    by_file = {f["source"].rsplit("/", 1)[-1]: f for f in lc.meta["files"]}
    asas = by_file["dde60-asas.csv"]
    assert asas["layout"] == "ASAS-SN Sky Patrol"
    assert asas["dropped"]["upper_limit"] == 20 + 133  # MANIFEST: 20 in V, 133 in g
    assert by_file["dde60-crts.csv"]["layout"] == "Catalina CRTS"
    assert by_file["dde60-crts.csv"]["n"] == 116  # no blended row in this file
    assert lc.meta["bands_without_overlap"]  # CRTS 2005-2013 against ZTF 2018-2023
    cameras = [s for s in lc.series if s.startswith("dde60-asas/")]
    assert {s.split("/")[1].split()[0] for s in cameras} == {"V", "g"}
    assert len(cameras) >= 4


def period_tolerance(text: str, error: float) -> float:
    """3 sigma of the fit, or one unit of the catalogue's last digit if that is coarser."""
    last_digit = float(Decimal(10) ** Decimal(text).as_tuple().exponent)
    return max(3.0 * error, last_digit)


@pytest.mark.parametrize(
    "star",
    [
        pytest.param("EA_DDE60", marks=xfail(DDE60_PERIOD)),
        "EA_ZTF18acrvwcz",
        pytest.param("EW_UCAC3-250-197400", marks=xfail(UCAC3_PERIOD)),
        pytest.param("EA_xi_Tau", marks=xfail(XI_TAU)),
    ],
)
def test_period_equals_the_catalogue(analysed, multiband_dir, star):
    _, result = analysed(star)
    text = catalogue(multiband_dir)[star]
    joint = result.multiband
    assert joint is not None, f"no joint fit; search period {result.search.period}"
    error = joint.errors["period"]
    assert 0 < error < 1e-4
    assert abs(joint.period - float(text)) <= period_tolerance(text, error)


@pytest.mark.parametrize(
    "star",
    [
        "EA_DDE60",
        "EA_ZTF18acrvwcz",
        "EW_UCAC3-250-197400",
        pytest.param("EA_xi_Tau", marks=xfail(XI_TAU)),
    ],
)
def test_eclipse_depth_of_every_band(analysed, star):
    lc, result = analysed(star)
    joint = result.multiband
    assert joint is not None, f"no joint fit; search period {result.search.period}"
    depths = {b: fit.derived["depth1"] for b, fit in joint.band_fits.items()}
    counts = dict(zip(lc.bands, np.bincount(lc.band_index), strict=True))
    assert {b for b, n in counts.items() if n >= 20} <= set(depths)
    for band, (depth, error) in depths.items():
        assert np.isfinite(depth), band
        assert np.isfinite(error), band
        assert error > 0, band
        if counts[band] >= 100:  # sparse bands (Gaia: 45-55 points) need not be significant
            assert depth > 3 * error, (band, depth, error)
    for deep, shallow in DEPTH_ORDER.get(star, []):
        (d1, e1), (d2, e2) = depths[deep], depths[shallow]
        assert d1 - d2 > 3 * np.hypot(e1, e2), (deep, shallow, depths)


def test_xi_tau_search_leaves_the_short_most_run_out(analysed, multiband_dir):
    # before: MOST (1153 points over 11 days, 1.5 cycles) was the best-sampled band and
    # the search found 8.095 d, "not an eclipsing binary"
    _, result = analysed("EA_xi_Tau")
    search = result.search
    assert set(search.evidence["short_bands"]) == {"MOST"}
    assert search.evidence["decided_in_band"] == "V"
    catalogue_period = float(catalogue(multiband_dir)["EA_xi_Tau"])
    assert abs(search.period - catalogue_period) < 3 * search.period_error
    assert result.classification.gcvs.rstrip(":") == "EA"
    # with MOST the joint NAV fit moves the period 0.42 cycle: it is made without MOST
    joint = result.multiband
    assert joint.bands == ("U", "B", "V")
    assert abs(joint.period - search.period) * 10558 / search.period**2 < 0.05
    for band, fit in joint.band_fits.items():
        for key in ("depth1", "depth2"):
            depth, error = fit.derived[key]
            assert 0.05 < depth < 0.12, (band, key, depth)
            assert depth > 10 * error, (band, key, depth, error)


def test_xi_tau_given_period_also_leaves_most_out_of_the_joint_fit(analysed):
    lc, searched = analysed("EA_xi_Tau")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", navfit.NavfitWarning)
        given = navfit.analyze(lc, period=searched.search.period)
    assert given.multiband.bands == ("U", "B", "V")
    assert given.multiband.period == pytest.approx(searched.multiband.period, abs=1e-6)
    note = "MOST left out of the joint fit"
    assert any(note in flag for flag in given.best.flags)
    assert any(note in flag for flag in searched.best.flags)


def phase_matched_offset(lc, joint, reference, other):
    """Median of ``other`` minus ``reference``'s phase-binned median curve, and its error."""
    period, epoch = joint.period, joint.epoch - lc.time_offset

    def series(name):
        rows = lc.series_index == lc.series.index(name)
        return ((lc.t[rows] - epoch) / period) % 1.0, lc.y[rows]

    (p1, y1), (p2, y2) = series(reference), series(other)
    edges = np.linspace(0.0, 1.0, 51)
    idx = np.digitize(p1, edges) - 1
    med = np.array([np.median(y1[idx == k]) for k in range(50)])
    centre = 0.5 * (edges[1:] + edges[:-1])
    ref = np.interp(p2, np.r_[centre - 1, centre, centre + 1], np.r_[med, med, med])
    diff = y2 - ref
    return float(np.median(diff)), float(1.2533 * np.std(diff) / np.sqrt(diff.size))


@pytest.mark.parametrize(
    ("star", "reference", "other"),
    [
        ("EW_UCAC3-250-197400", "n2fu0-zr1", "n2fu0-zr2"),
        ("EW_UCAC3-250-197400", "n2fu0-zg1", "n2fu0-zg2"),
        ("EA_ZTF18acrvwcz", "18acrvwcz-zr1", "18acrvwcz-zr2"),
        ("EA_DDE60", "dde60-zr1", "dde60-zr2"),
    ],
)
def test_ztf_field_offsets_fitted(analysed, star, reference, other):
    """Each ZTF oid but a band's largest has a fitted offset, equal to the data's own.

    The data's own offset: the median difference of the second oid's points from
    the first oid's phase-binned median curve (50 bins) on the joint ephemeris.
    """
    lc, result = analysed(star)
    joint = result.multiband
    name = f"offset[{other}]"
    value, error = joint.params[name], joint.errors[name]
    assert 0 < error < 0.02
    direct, direct_error = phase_matched_offset(lc, joint, reference, other)
    assert abs(value - direct) <= 3 * np.hypot(error, direct_error), (value, error, direct)


@xfail(UCAC3_OFFSET)
def test_ucac3_zr_fields_differ_by_the_manifests_005_mag(analysed):
    _, result = analysed("EW_UCAC3-250-197400")
    offset = result.multiband.params["offset[n2fu0-zr2]"]
    assert 0.03 <= abs(offset) <= 0.08
