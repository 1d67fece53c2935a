"""Write navfit's notebooks (stored without outputs)."""

from pathlib import Path

import nbformat as nbf

OUT = Path(__file__).resolve().parents[1] / "notebooks"


def nb(cells):
    book = nbf.v4.new_notebook()
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    book.cells = [
        nbf.v4.new_markdown_cell(c[1]) if c[0] == "md" else nbf.v4.new_code_cell(c[1])
        for c in cells
    ]
    return book


LC_SETUP = """import os
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np

import navfit
from navfit import plot

# The real light curves are not part of the repository: set NAVFIT_LIGHTCURVES to the
# folder that holds them (with its catalog.csv); the default is ../shared/lightcurves
# next to the repository.
from navfit.manifest import default_lightcurves_dir, load_entry, read_catalog

folder = default_lightcurves_dir()
print("light curves from", folder)
catalog = read_catalog(folder)"""

nb1 = nb(
    [
        (
            "md",
            (
                "# 1. Quick start\n\nLoad a sample light curve from `data/`, find its period, fit NAV "
                "and the statistically optimal trigonometric polynomial (TP), compare them and read "
                "the catalogue row. Everything here uses the public API only."
            ),
        ),
        (
            "code",
            """from pathlib import Path

import matplotlib.pyplot as plt

import navfit
from navfit import plot

data = Path("..") / "data" if Path("../data").is_dir() else Path("data")
lc = navfit.read_lightcurve(data / "syn_ea.csv")
lc""",
        ),
        (
            "md",
            (
                "## The period\n\n`find_period` searches a two-harmonic TP periodogram and the "
                "eclipse periodogram, and decides between P/2, P and 2P from model fits."
            ),
        ),
        (
            "code",
            """search = navfit.find_period(lc)
print(f"P = {search.period:.8f} +- {search.period_error:.1e} d, FAP = {search.fap:.2g}")
print(search.evidence["decision"])
search.candidates["period", "source", "bic_tp", "delta_bic", "fap"][:6]""",
        ),
        ("code", "plot.plot_periodogram(search);"),
        (
            "md",
            (
                "## NAV and TP fits\n\nNAV: 12 parameters (period and epoch free). TP: the order "
                "chosen by BIC."
            ),
        ),
        (
            "code",
            """nav = navfit.fit_nav(lc, search.period)
tp = navfit.fit_tp(lc, search.period, free_period=True)
print(nav.summary())
navfit.compare(nav, tp)""",
        ),
        ("code", "plot.plot_light_curve(nav, tp);"),
        (
            "md",
            (
                "## The catalogue row\n\n`analyze` does all of the above in one call and classifies "
                "the star."
            ),
        ),
        (
            "code",
            """star = navfit.analyze(lc)
print(star.summary())
print(navfit.gcvs_line(star))
print(navfit.vsx_line(star))""",
        ),
    ]
)

CONCLUSION = (
    "## Where the data agree or disagree with the NAV papers\n\n"
    "Measured when this notebook was written (2026-11-24, the light curves of "
    "`NAVFIT_LIGHTCURVES`):\n\n"
    "* **Agree:** for the three Algols (AAVSO visual Algol, K2 HD 23642, HATSouth "
    "HAT-772-0554686) and the OGLE beta Lyrae star NAV has the lower BIC by 40-444 with 10-12 "
    "parameters against 22-86 for the optimal TP, and its accuracy sigma0*sqrt(k/n) is 1.3-2.7 "
    "times better (Andronov 2012: 1.5-2). For Algol the half-width a = 0.0628(18) is close to "
    "the published 0.0617(7) from other data.\n"
    "* **Disagree:** for the sparse Catalina W UMa star (300 points) NAV and TP are close "
    "(BIC difference about 4 in NAV's favour) and the TP's sigma0*sqrt(k/n) is slightly better: "
    "the papers report NAV better even for EW stars (Andronov, Tkachenko & Chinarova 2015), "
    "which these data do not show clearly.\n"
    "* The raw sigma0 of the TP is a little lower for HD 23642 and the OGLE star: it buys that "
    "with 22-86 parameters, which the criteria penalise."
)

nb2 = nb(
    [
        (
            "md",
            (
                "# 2. NAV against TP on real eclipsing binaries\n\n"
                "**Needs the real light curves**: the folder named by the environment variable "
                "`NAVFIT_LIGHTCURVES` (default `../shared/lightcurves` next to the repository).\n\n"
                "For each EA, EB and EW star we fit NAV (10-12 parameters) and the TP of optimal "
                "order at the reference period, and compare the number of parameters each needs, "
                "sigma0, Andronov's accuracy sigma0*sqrt(k/n) and BIC."
            ),
        ),
        ("code", LC_SETUP),
        (
            "code",
            """from astropy.table import Table

rows, fits = [], {}
for row in catalog:
    if row["type"] not in ("EA", "EB", "EW"):
        continue
    lc, info = load_entry(row)
    nav = navfit.fit_nav(lc, info["period"])
    tp = navfit.fit_tp(lc, info["period"], free_period=True)
    fits[info["object"]] = (nav, tp)
    rows.append({"star": info["object"], "type": info["type"], "n": lc.n,
                 "k NAV": nav.k, "k TP": tp.k,
                 "sigma0 NAV": nav.sigma0, "sigma0 TP": tp.sigma0,
                 "acc NAV": nav.sigma_fit, "acc TP": tp.sigma_fit,
                 "BIC NAV - TP": nav.bic - tp.bic, "D %": nav.derived["D"][0]})
table = Table(rows=rows)
for col in table.colnames[5:]:
    table[col].format = ".4g"
table""",
        ),
        (
            "md",
            (
                "## What the data say\n\nThe NAV papers (Andronov 2012; Andronov, Tkachenko & "
                "Chinarova 2015) find NAV better than the optimal TP for Algols with narrow eclipses, "
                "by a factor 1.5-2 in the accuracy of the fit. The table lets us check this star by "
                "star: a negative `BIC NAV - TP` and a smaller `acc NAV` mean NAV describes the data "
                "better with fewer parameters."
            ),
        ),
        (
            "code",
            """for star, (nav, tp) in fits.items():
    verdict = "NAV better" if nav.bic < tp.bic else "TP better"
    print(f"{star:28s} {verdict:10s} acc ratio TP/NAV = {tp.sigma_fit / nav.sigma_fit:.2f}, "
          f"k {nav.k} vs {tp.k}")""",
        ),
        (
            "md",
            (
                "## Gibbs ripples\n\nNear narrow eclipses a high-order TP overshoots and rings; NAV's "
                "local profiles have none. Zoom on the out-of-eclipse light of the K2 light curve of "
                "HD 23642."
            ),
        ),
        (
            "code",
            """nav, tp = fits["HD 23642 = V1229 Tau"]
ax, axr = plot.plot_light_curve(nav, tp)
ax.set_xlim(-0.12, 0.12)
ax.set_ylim(0.02, -0.01)
axr.set_ylim(0.004, -0.004);""",
        ),
        (
            "md",
            (
                "## The eclipse width only NAV gives\n\nThe half-width `a` and `D = 200 a` percent of "
                "the period, with errors from the full covariance. For Algol, Tkachenko, Andronov & "
                "Chinarova (2016) give a = 0.0617(7)."
            ),
        ),
        (
            "code",
            """for star, (nav, tp) in fits.items():
    a, ea = nav.params["a1"], nav.errors["a1"]
    D, eD = nav.derived["D"]
    print(f"{star:28s} a = {a:.4f} +- {ea:.4f}   D = {D:.2f} +- {eD:.2f} %   flags: "
          f"{len(nav.flags)}")""",
        ),
        ("md", CONCLUSION),
    ]
)

nb3 = nb(
    [
        (
            "md",
            (
                "# 3. Period search pitfalls\n\nP against 2P, narrow eclipses that Lomb-Scargle "
                "misses, aliases, and how `navfit.find_period` decides. Synthetic light curves "
                "(seeded) so the truth is known; the last section uses a real one.\n\n"
                "**The last section needs the real light curves** (`NAVFIT_LIGHTCURVES`)."
            ),
        ),
        (
            "code",
            """import matplotlib.pyplot as plt
import numpy as np
from astropy.timeseries import LombScargle

import navfit
from navfit import plot
from navfit.synthetic import nav_lightcurve, survey_times

rng = np.random.default_rng(7)
times = survey_times(300, span=1000, seasons=3, rng=rng)
lc, truth = nav_lightcurve("EA", noise=0.02, rng=rng, times=times, period=3.71, a=0.025)
print("true period", truth["period"], "d; eclipse duration D =", 200 * truth["a"], "%")""",
        ),
        (
            "md",
            (
                "## Lomb-Scargle misses narrow eclipses\n\nA sinusoid is a poor template for "
                "eclipses covering 5 % of the cycle: the highest Lomb-Scargle peak is a harmonic or "
                "noise."
            ),
        ),
        (
            "code",
            """f = np.linspace(1 / 20, 2.0, 40000)
ls = LombScargle(lc.t, lc.y, lc.dy).power(f)
print("Lomb-Scargle peak:", 1 / f[np.argmax(ls)], "d")
search = navfit.find_period(lc, min_period=0.5, max_period=20)
print("navfit:", search.period, "+-", search.period_error, "d")
plot.plot_periodogram(search);""",
        ),
        (
            "md",
            (
                "## P against 2P\n\nAt twice the period the TP contains the TP at P, so BIC only "
                "prefers 2P when the two halves of the cycle differ (unequal minima). A contact "
                "binary with alike minima shows one minimum per photometric cycle; navfit doubles "
                "that period when the single minimum is symmetric and not a narrow eclipse, and "
                "keeps it for asymmetric (pulsating) light curves."
            ),
        ),
        (
            "code",
            """ew, ew_truth = nav_lightcurve("EW", n=400, rng=3)
res = navfit.find_period(ew)
print("true", ew_truth["period"], "found", res.period)
print(res.evidence["decision"])
print({k: round(v, 1) for k, v in res.evidence["bic_tp"].items()})""",
        ),
        (
            "md",
            (
                "## Aliases\n\nGround-based data taken once a night produce 1-day aliases; the "
                "candidates table flags them, and the decision uses model fits, not peak heights."
            ),
        ),
        (
            "code",
            """res.candidates["period", "power_tp2", "power_eclipse", "delta_bic", "flags"][:8]""",
        ),
        (
            "md",
            (
                "## A real case: the OGLE beta Lyrae star\n\nThe source repository gives the "
                "Lomb-Scargle period, which is half the orbital period."
            ),
        ),
        (
            "code",
            """from navfit.manifest import default_lightcurves_dir, load_entry, read_catalog

catalog = read_catalog(default_lightcurves_dir())
row = catalog[list(catalog["file"]).index("EB_OGLE051951.22-694002.7_OGLE-II_I.csv")]
lc, info = load_entry(row)
res = navfit.find_period(lc)
print("reference", info["period"], "found", res.period, "+-", res.period_error)
print(res.evidence["decision"])""",
        ),
    ]
)

nb4 = nb(
    [
        (
            "md",
            (
                "# 4. A catalogue\n\nAnalyze a few dozen real stars, classify them and look at the "
                "catalogue as astronomers look at one: a **period-amplitude diagram** coloured by "
                "type, and **phased light curves** of each type. Then compare the types with the "
                "labels and print the GCVS table.\n\n**Needs the real light curves** "
                "(`NAVFIT_LIGHTCURVES`). With the survey development set (`NAVFIT_SURVEY`, default "
                "`../shared/survey`) a stratified handful of its labelled stars joins in."
            ),
        ),
        ("code", LC_SETUP),
        (
            "code",
            """import tempfile
import warnings

from astropy.table import Table

from navfit.batch import run_batch

stars = []  # (source, label, StarResult)


def add(source, label, target, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", navfit.NavfitWarning)
        try:
            stars.append((source, label, navfit.analyze(target, **kwargs)))
        except navfit.NavfitError as exc:
            print(source, "failed:", exc)


# the samples in data/: one batch (in parallel with jobs > 1; rows in input order)
data = Path("..") / "data" if Path("../data").is_dir() else Path("data")
workdir = Path(tempfile.mkdtemp())
summary = run_batch([data], workdir / "samples.ecsv", jobs=1, progress=False)
samples = Table.read(workdir / "samples.ecsv")
print({k: summary[k] for k in ("total", "done", "failed", "dropped")})

# the curated real light curves need their own columns (catalog.csv)
for row in catalog:
    if row["file"].startswith("EL_"):  # phase-binned: no times, no period search
        continue
    kwargs = {"mag": "atf_000"} if row["file"].startswith("CONST") else {}
    lc, info = load_entry(row, **kwargs)
    add("curated", info["type"], lc)

# a stratified handful of the labelled survey stars, if the survey set is at hand
# NAVFIT_SURVEY relative to the repository (as make exports it), default ../shared/survey
repo = Path(navfit.__file__).resolve().parents[1]
survey = Path(os.environ.get("NAVFIT_SURVEY") or "../shared/survey")
survey = survey if survey.is_absolute() else (repo / survey).resolve()
if (survey / "truth.csv").is_file():
    truth = Table.read(survey / "truth.csv", format="ascii.csv")
    for kind in ("EA", "EB", "EW", "ELL", "RRAB", "RRC", "CEP", "DSCT"):
        rows = truth[(truth["type"] == kind) & (truth["n"] <= 1500)]
        for row in rows[:: max(1, len(rows) // 3)][:3]:
            add("survey", kind, survey / row["file"])
else:
    print("no survey set at", survey, "- the curated stars only")
print(len(stars), "stars analysed")""",
        ),
        ("md", "## The catalogue"),
        (
            "code",
            """table = navfit.catalogue_table([star for *_, star in stars])
table["label"] = [label for _, label, _ in stars]
# the class drawn: the eclipser type, else what the evidence says the star is
table["class"] = [
    star.decision.type if star.decision.type != "not an eclipsing binary"
    else (star.decision.nature or "unclassified")
    for *_, star in stars
]
table["amplitude"] = table["min1"] - table["max"]  # magnitudes: faintest minus brightest
table["name", "label", "type", "class", "period", "amplitude", "D", "confidence_type"]""",
        ),
        ("md", "## Period-amplitude diagram"),
        (
            "code",
            """classes = sorted(set(table["class"]))
colours = dict(zip(classes, plt.cm.tab10.colors, strict=False))
fig, ax = plt.subplots(figsize=(6.5, 4.2))
for cls in classes:
    sel = (table["class"] == cls) & np.isfinite(table["period"]) & np.isfinite(table["amplitude"])
    ax.scatter(table["period"][sel], table["amplitude"][sel], s=28, color=colours[cls],
               edgecolor="k", linewidth=0.3, label=f"{cls} ({sel.sum()})")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("period (d)")
ax.set_ylabel("amplitude (mag)")
ax.set_title("navfit catalogue: period-amplitude diagram by type")
ax.legend(fontsize=7, loc="best");""",
        ),
        (
            "md",
            (
                "Contact binaries (EW) sit below a day with amplitudes under a magnitude; "
                "detached systems (EA) spread over periods and depths; RR Lyrae stars "
                "(pulsating) crowd near half a day with 0.3-1.3 mag; Cepheids lie at days to "
                "weeks."
            ),
        ),
        ("md", "## Phased light curves of each type"),
        (
            "code",
            """per_class = {cls: [s for s, c in zip(stars, table["class"], strict=True) if c == cls][:3]
             for cls in classes}
ncol = max(len(v) for v in per_class.values())
fig, axes = plt.subplots(len(classes), ncol, figsize=(3.2 * ncol, 2.5 * len(classes)),
                         squeeze=False)
for row_axes, cls in zip(axes, classes, strict=True):
    for ax, (_, label, star) in zip(row_axes, per_class[cls], strict=False):
        plot.plot_fit(star.best, ax=ax, band=False)
        ax.set_title(f"{star.name[:24]}: {star.type} (label {label})", fontsize=8)
        ax.get_legend().remove()
    for ax in row_axes[len(per_class[cls]):]:
        ax.axis("off")
    row_axes[0].annotate(cls, (-0.45, 0.5), xycoords="axes fraction", rotation=90,
                         va="center", fontsize=10, weight="bold", color=colours[cls])
fig.tight_layout()""",
        ),
        ("md", "## Classification against the labels"),
        (
            "code",
            """for source, label, star in stars:
    print(f"{source:8s} {star.name[:28]:28s} label {label:5s} navfit {star.type}")
samples["name", "type", "period", "D", "error"]""",
        ),
        ("md", "## The GCVS table"),
        (
            "code",
            """from navfit.catalogue import GCVS_HEADER

print(GCVS_HEADER)
for *_, star in stars:
    print(navfit.gcvs_line(star))
for line in samples["gcvs"]:
    print(line)""",
        ),
    ]
)

SURVEY_CONCLUSION = (
    "## Where the claim holds and where it fails\n\n"
    "Measured when this notebook was written (2026-11-29, the 218 ASAS-3 eclipsers with a "
    "catalogue period of `NAVFIT_SURVEY`; the tables and figures above are recomputed at every "
    "run, this text is not):\n\n"
    "* **Algols (EA, 94 stars): the claim holds.** NAV has the lower BIC for 93 % of them "
    "(90 % by more than 10), with a median ΔBIC of -110, and 12 parameters against a median "
    "of 26 for the optimal TP; its accuracy `sigma0*sqrt(k/n)` is better for 90 %, by a median "
    "factor of 1.52, the low end of the 1.5-2 of Andronov (2012). The gain grows as the "
    "eclipses narrow from D = 30 % to 5 % of the period (the scatter against D).\n"
    "* **It fails for eccentric Algols.** Every Algol where the TP wins by BIC (7 stars, "
    "ΔBIC +110 to +940) has its secondary eclipse away from phase 0.5, where canonical NAV "
    "puts it. The `eccentric` variant (free secondary phase, 14 parameters) beats the TP on "
    "each of them, but it was chosen after looking at the failures, so the counts stay "
    "those of canonical NAV.\n"
    "* **Detached systems with thinly sampled eclipses split the two criteria.** For 7 "
    "Algols NAV wins by BIC but loses by `sigma0*sqrt(k/n)`, against a TP of order 1 or 2. "
    "Where the few points in eclipse are real (ASAS 081512-0618.9), the TP passes over the "
    "eclipses and its small `sigma0*sqrt(k/n)` comes from its small k, not from describing "
    "the star: the criterion measures the precision of the curve, not its bias. Where they "
    "are a few faint outliers (ASAS 104327-6005.9), NAV's spike through them is what BIC "
    "rewards and the accuracy criterion rightly does not. NAV's half-width is at its lower "
    "bound (`a1 at its bound` in its flags) for 22 of the 218 stars, and NAV wins by BIC on "
    "21 of them: a BIC win with that flag is not evidence for NAV.\n"
    "* **EB (61 stars): the claim mostly holds, more weakly.** NAV is better by BIC for 92 % "
    "(75 % by more than 10) and by accuracy for 74 %, median ratio 1.09 (1.17 for the stars "
    "that pass the fold check): the eclipses are wider than an Algol's. The 5 TP wins by "
    "BIC are near ties (ΔBIC +2 to +14) on noisy light curves with wide minima that a "
    "TP of order 2-4 follows.\n"
    "* **EW (63 stars): the claim that NAV is better even for contact binaries is not "
    "supported.** NAV wins by BIC for 62 % of them, but only 44 % by more than 10 (median "
    "ΔBIC -7.5), and the TP is very strongly better for 17 %. By Andronov's own accuracy "
    "criterion NAV is better for **only 22 %** of the contact binaries (median ratio 0.92), "
    "although it leaves smaller residuals (lower sigma0) for 87 %. A W UMa light curve is "
    "close to a TP of low order (median k = 10); NAV spends 12 parameters on the same shape, "
    "and `sigma0*sqrt(k/n)` charges for each: with k = 12 against 10 at n = 500, NAV must lower "
    "chi-square by 17 % to win by accuracy, while BIC asks for 2.5 %.\n"
    "* The two criteria agree only for Algols. BIC rewards NAV when its extra parameters "
    "buy a small chi-square gain; `sigma0*sqrt(k/n)` only when NAV needs fewer parameters "
    "than the TP, i.e. when the eclipses are narrow.\n"
    "* Caveats: the catalogue periods are fitted as given, and 15 of the 19 stars that fail "
    "the survey's fold check are among the stars where NAV loses by one criterion or the "
    "other; one sparse EW star (66 points) gets a TP of order 31, an interpolation that BIC "
    "accepts because n ln(chi2/n) diverges as k approaches n; all the stars are ASAS-3 V "
    "light curves of a few hundred points (median about 570), and a denser, more precise "
    "survey would give NAV more points in eclipse."
)

SURVEY_SETUP = """import os
import time
import warnings
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from astropy.table import Table

import navfit
from navfit import plot
from matplotlib.ticker import FixedLocator, NullFormatter, ScalarFormatter

from navfit.criteria import BIC_STRONG

TYPES = ("EA", "EB", "EW")
COLOURS = {"EA": "C3", "EB": "C2", "EW": "C0"}

# The survey development set is not part of the repository: set NAVFIT_SURVEY to its folder
# (a relative value is taken relative to the repository); the default is ../shared/survey
# next to the repository.
repo = Path(navfit.__file__).resolve().parents[1]
survey = Path(os.environ.get("NAVFIT_SURVEY") or "../shared/survey")
survey = survey if survey.is_absolute() else (repo / survey).resolve()
if not (survey / "truth.csv").is_file():
    raise FileNotFoundError(f"survey set not found: {survey}/truth.csv (set NAVFIT_SURVEY)")
print("survey from", survey)

truth = Table.read(survey / "truth.csv", format="ascii.csv")
eclipser = np.isin(truth["type"], TYPES)
has_period = ~np.ma.getmaskarray(truth["period"])
stars = truth[eclipser & has_period]
# the survey's own check that the light curve folds cleanly at the catalogue period
fold_ok = np.array([str(v) == "yes" for v in stars["period_checked"]])
print(f"{eclipser.sum()} eclipsers, {len(stars)} with a catalogue period, all fitted:")
for kind in TYPES:
    sel = stars["type"] == kind
    print(f"  {kind}: {sel.sum():3d} stars ({', '.join(sorted(set(stars['survey'][sel])))}), "
          f"{fold_ok[sel].sum()} fold cleanly at the catalogue period")"""

SURVEY_FITS = """rows, fits, failed = [], {}, []
start = time.perf_counter()
for row, ok in zip(stars, fold_ok, strict=True):
    name = Path(row["file"]).stem
    lc = navfit.read_lightcurve(survey / row["file"])
    with warnings.catch_warnings():
        # hard fits (few points in an eclipse ...) are flagged in the results, not warned of
        warnings.simplefilter("ignore", navfit.NavfitWarning)
        try:
            nav = navfit.fit_nav(lc, row["period"])
            tp = navfit.fit_tp(lc, row["period"], free_period=True)
        except navfit.NavfitError as exc:
            failed.append(name)
            print(name, "not fitted:", exc)
            continue
    fits[name] = (nav, tp)
    rows.append({"star": name, "type": row["type"], "fold ok": ok, "n": lc.n,
                 "P": row["period"], "k NAV": nav.k, "k TP": tp.k,
                 "sigma0 NAV": nav.sigma0, "sigma0 TP": tp.sigma0,
                 "acc NAV": nav.sigma_fit, "acc TP": tp.sigma_fit,
                 "dBIC": nav.bic - tp.bic, "acc TP/NAV": tp.sigma_fit / nav.sigma_fit,
                 "D %": nav.derived["D"][0],
                 # NAV's half-width at its lower bound: a spike through a few points
                 "a1 at bound": "a1 at its bound" in nav.flags})
res = Table(rows=rows)
for col in ("sigma0 NAV", "sigma0 TP", "acc NAV", "acc TP", "dBIC", "acc TP/NAV", "D %"):
    res[col].format = ".4g"
print(f"{len(res)} of {len(stars)} stars fitted in {time.perf_counter() - start:.0f} s; "
      f"not fitted: {failed or 'none'}")"""

SURVEY_SUMMARY = """def summary(table, sample):
    out = []
    for kind in TYPES:
        s = table[table["type"] == kind]
        out.append({
            "type": kind, "stars": sample, "n stars": len(s),
            "NAV better by BIC %": 100 * np.mean(s["dBIC"] < 0),
            "dBIC < -10 %": 100 * np.mean(s["dBIC"] < -BIC_STRONG),
            "dBIC > +10 %": 100 * np.mean(s["dBIC"] > BIC_STRONG),
            "NAV better by sigma0 sqrt(k/n) %": 100 * np.mean(s["acc TP/NAV"] > 1),
            "NAV lower sigma0 %": 100 * np.mean(s["sigma0 NAV"] < s["sigma0 TP"]),
            "NAV a1 at bound": int(np.sum(s["a1 at bound"])),
            "median dBIC": np.median(s["dBIC"]),
            "median acc TP/NAV": np.median(s["acc TP/NAV"]),
            "median k TP": np.median(s["k TP"]),
        })
    return out


numbers = Table(rows=summary(res, "all") + summary(res[res["fold ok"]], "fold ok"))
for col in numbers.colnames[3:]:
    numbers[col].format = ".3g" if col.startswith("median") else ".0f"
numbers"""

SURVEY_DISTRIBUTIONS = """def symlog_edges(values, lin=BIC_STRONG, per_side=14):
    top = 1.05 * max(np.abs(values).max(), 10 * lin)
    outer = np.geomspace(lin, top, per_side)
    return np.r_[-outer[::-1], np.linspace(-lin, lin, 5)[1:-1], outer]


def ratio_ticks(axis):
    axis.set_major_locator(FixedLocator([0.7, 1, 1.5, 2, 3]))
    axis.set_major_formatter(ScalarFormatter())
    axis.set_minor_formatter(NullFormatter())


def ecdf(ax, values, **kwargs):
    x = np.sort(values)
    ax.step(np.r_[x[0], x], np.r_[0, np.arange(1, x.size + 1) / x.size], where="post", **kwargs)


fig, axes = plt.subplots(2, 2, figsize=(10, 7), layout="constrained")
dbic_edges = symlog_edges(res["dBIC"])
ratio_edges = np.geomspace(0.95 * res["acc TP/NAV"].min(), 1.05 * res["acc TP/NAV"].max(), 30)
for kind in TYPES:
    s = res[res["type"] == kind]
    style = dict(color=COLOURS[kind], lw=1.4, label=f"{kind} ({len(s)})")
    axes[0, 0].hist(s["dBIC"], bins=dbic_edges, histtype="step", **style)
    axes[0, 1].hist(s["acc TP/NAV"], bins=ratio_edges, histtype="step", **style)
    ecdf(axes[1, 0], s["dBIC"], **style)
    ecdf(axes[1, 1], s["acc TP/NAV"], **style)
for ax in axes[:, 0]:
    ax.set_xscale("symlog", linthresh=BIC_STRONG)
    ax.axvline(0, color="k", lw=0.8)
    for x in (-BIC_STRONG, BIC_STRONG):
        ax.axvline(x, color="k", lw=0.6, ls=":")
    ax.set_xlabel("ΔBIC = BIC(NAV) - BIC(TP)   (< 0: NAV better; dotted: ±10)")
for ax in axes[:, 1]:
    ax.set_xscale("log")
    ratio_ticks(ax.xaxis)
    ax.axvline(1, color="k", lw=0.8)
    ax.axvspan(1.5, 2, color="0.85", zorder=0, label="Andronov (2012): 1.5-2")
    ax.set_xlabel("sigma0 sqrt(k/n): TP / NAV   (> 1: NAV better)")
axes[0, 0].set_ylabel("stars")
axes[0, 1].set_ylabel("stars")
axes[1, 0].set_ylabel("fraction of stars (ECDF)")
axes[1, 1].set_ylabel("fraction of stars (ECDF)")
axes[0, 0].legend(fontsize=8, loc="upper left")
axes[0, 1].legend(fontsize=8, loc="upper right")
fig.suptitle(f"NAV against the optimal TP on {len(res)} survey eclipsers");"""

SURVEY_WIDTH = """fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained")
for kind in TYPES:
    s = res[res["type"] == kind]
    style = dict(s=14, color=COLOURS[kind], edgecolor="k", linewidth=0.2, label=kind)
    ax1.scatter(s["D %"], s["acc TP/NAV"], **style)
    ax2.scatter(s["D %"], s["dBIC"], **style)
ax1.set_yscale("log")
ratio_ticks(ax1.yaxis)
ax1.axhline(1, color="k", lw=0.8)
ax1.axhspan(1.5, 2, color="0.85", zorder=0)
ax1.set_ylabel("sigma0 sqrt(k/n): TP / NAV")
ax2.set_yscale("symlog", linthresh=BIC_STRONG)
ax2.axhline(0, color="k", lw=0.8)
ax2.set_ylabel("ΔBIC = BIC(NAV) - BIC(TP)")
for ax in (ax1, ax2):
    ax.set_xscale("log")
    ax.set_xlabel("eclipse duration D (% of the period, from NAV)")
    ax.legend(fontsize=8)"""

SURVEY_FAILURES = """lost_bic = res[res["dBIC"] > 0]
lost_acc = res[(res["dBIC"] <= 0) & (res["acc TP/NAV"] < 1)]
for kind in TYPES:
    print(f"{kind}: TP better by BIC for {np.sum(lost_bic['type'] == kind)}, "
          f"NAV better by BIC but worse by sigma0 sqrt(k/n) for "
          f"{np.sum(lost_acc['type'] == kind)}")
bad_fold = res[~res["fold ok"]]
print(f"{np.sum((bad_fold['dBIC'] > 0) | (bad_fold['acc TP/NAV'] < 1))} of the {len(bad_fold)} "
      "stars that fail the fold check are among them")
spikes = res[res["a1 at bound"]]
print(f"NAV's half-width is at its lower bound for {len(spikes)} stars; NAV wins by BIC for "
      f"{np.sum(spikes['dBIC'] < 0)} of them, by sigma0 sqrt(k/n) for "
      f"{np.sum(spikes['acc TP/NAV'] > 1)}\\n")
lost_bic = lost_bic[np.lexsort((-lost_bic["dBIC"], lost_bic["type"]))]  # by type, worst first
lost_bic["star", "type", "fold ok", "n", "P", "k NAV", "k TP", "dBIC", "acc TP/NAV",
         "D %"].pprint_all()"""

SURVEY_GALLERY = """def gallery(names, title, ncol=4):
    \"\"\"Phased light curves with both fits and their residuals, ncol stars a row.\"\"\"
    nrow = -(-len(names) // ncol)
    fig = plt.figure(figsize=(3.3 * ncol, 3.7 * nrow), layout="constrained")
    grid = fig.add_gridspec(2 * nrow, ncol, height_ratios=[3, 1] * nrow)
    for i, name in enumerate(names):
        nav, tp = fits[name]
        row = res[list(res["star"]).index(name)]
        r, c = divmod(i, ncol)
        ax = fig.add_subplot(grid[2 * r, c])
        axr = fig.add_subplot(grid[2 * r + 1, c], sharex=ax)
        plot.plot_light_curve(nav, tp, axes=(ax, axr), title=(
            f"{name} ({row['type']}{'' if row['fold ok'] else ', fold check failed'})\\n"
            f"ΔBIC = {row['dBIC']:+.0f}, accuracy TP/NAV = {row['acc TP/NAV']:.2f}"))
        # the 1-sigma bands of a fit can soar in phase gaps: show the data's range
        lo, hi = np.percentile(nav.lc.y, [0.5, 99.5])
        ax.set_ylim(hi + 0.2 * (hi - lo), lo - 0.2 * (hi - lo))
        ax.tick_params(labelbottom=False)
    fig.suptitle(title)


gallery([s["star"] for s in lost_bic if s["type"] != "EW"],
        "EA and EB stars where the optimal TP beats NAV by BIC (largest ΔBIC first)")"""

SURVEY_ECCENTRIC = """for row in lost_bic[lost_bic["type"] == "EA"]:
    nav, tp = fits[row["star"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", navfit.NavfitWarning)
        ecc = navfit.fit_nav(nav.lc, row["P"], variant="eccentric")
    print(f"{row['star']}: canonical ΔBIC = {row['dBIC']:+5.0f};  eccentric (k = {ecc.k}, "
          f"secondary at phase {ecc.params['phase2']:.3f}): ΔBIC = {ecc.bic - tp.bic:+5.0f}, "
          f"accuracy TP/NAV = {tp.sigma_fit / ecc.sigma_fit:.2f}")"""

nb5 = nb(
    [
        (
            "md",
            (
                "# 5. NAV against the optimal TP on every survey eclipser\n\n"
                "The NAV papers claim that NAV describes Algols with narrow eclipses better than a "
                "trigonometric polynomial (TP) of statistically optimal order (Andronov 2012: an "
                'accuracy "up to ~1.5-2 times better"), and even contact binaries (Andronov, '
                "Tkachenko & Chinarova 2015). Notebook 02 looks at a handful of stars; here we take "
                "**every** eclipsing binary of the labelled survey development set (types EA, EB "
                "and EW with a catalogue period) and count.\n\n"
                "**Needs the survey development set**: the folder named by the environment variable "
                "`NAVFIT_SURVEY` (default `../shared/survey` next to the repository).\n\n"
                "Each star is fitted at its catalogue period, as given (no period search; both fits "
                "refine it):\n\n"
                "* **NAV**, canonical variant: TP2 plus two eclipse profiles of one half-width, the "
                "secondary at phase 0.5, period and epoch free: k = 12 (10 when the secondary "
                "depth falls to zero);\n"
                "* **TP** of statistically optimal order (BIC, navfit's default), period free: "
                "k = 2s + 2.\n\n"
                "Two criteria, from `navfit.criteria` for both fits:\n\n"
                "* **ΔBIC** = BIC(NAV) - BIC(TP): negative means NAV is better; beyond 10 the "
                "evidence is very strong (Kass & Raftery 1995);\n"
                "* Andronov's **accuracy of the fit** `sigma0*sqrt(k/n)` (`FitResult.sigma_fit`, "
                "sigma0 the unit-weight error): the ratio TP/NAV above 1 means NAV is better."
            ),
        ),
        ("code", SURVEY_SETUP),
        (
            "md",
            (
                "## The fits\n\nOne NAV and one TP fit per star; the column `D %` is the eclipse "
                "duration NAV finds (200 a, percent of the period)."
            ),
        ),
        ("code", SURVEY_FITS),
        (
            "md",
            (
                "## How often NAV wins, per type\n\nFor all the stars, and for those that pass "
                "the survey's own fold check at the catalogue period (`fold ok`). "
                "`dBIC < -10 %`: NAV very strongly better; `dBIC > +10 %`: TP very strongly "
                "better; `NAV lower sigma0 %`: NAV leaves the smaller residuals whatever its "
                "number of parameters."
            ),
        ),
        ("code", SURVEY_SUMMARY),
        (
            "md",
            (
                "## Distributions of the differences\n\nHistograms (top) and cumulative "
                "distributions (bottom) per type. ΔBIC on a symmetric log scale, linear within "
                "±10; the grey band is the accuracy gain the NAV papers report for Algols."
            ),
        ),
        ("code", SURVEY_DISTRIBUTIONS),
        (
            "md",
            (
                "## Narrow eclipses\n\nThe claim is about narrow eclipses: NAV's gain against the "
                "eclipse duration D it measures. A TP needs many harmonics for a narrow eclipse "
                "and rings between eclipses; NAV's local profiles do not."
            ),
        ),
        ("code", SURVEY_WIDTH),
        (
            "md",
            (
                "## Where the claim fails\n\nThe stars where the optimal TP has the lower BIC, "
                "largest difference first."
            ),
        ),
        ("code", SURVEY_FAILURES),
        ("code", SURVEY_GALLERY),
        (
            "md",
            (
                "The EB stars are near ties. Every Algol among them has its secondary eclipse "
                "away from phase 0.5 (an eccentric orbit), where canonical NAV puts it. A check, "
                "not part of the "
                "counts above since it was chosen after seeing the failures: the `eccentric` "
                "variant of `fit_nav` (free secondary phase and separate widths, 14 parameters)."
            ),
        ),
        ("code", SURVEY_ECCENTRIC),
        (
            "md",
            (
                "### Contact binaries\n\nThe EW stars where the TP wins by BIC, the 8 largest "
                "differences: near-sinusoidal light curves that a TP of order 2-4 describes, where "
                "NAV's eclipse profiles add parameters but little else."
            ),
        ),
        (
            "code",
            """gallery([s["star"] for s in lost_bic if s["type"] == "EW"][:8],
        "EW stars where the optimal TP beats NAV by BIC (the 8 largest ΔBIC)")""",
        ),
        (
            "md",
            (
                "### Better by BIC, worse by `sigma0*sqrt(k/n)`\n\nEA and EB stars where NAV wins by "
                "BIC but loses by Andronov's accuracy, lowest ratio first (at most 8). Two kinds: "
                "real narrow eclipses covered by a few points, which the TP of order 1-2 passes "
                "over; and NAV spikes at its smallest half-width through a few faint points."
            ),
        ),
        (
            "code",
            """worst = lost_acc[lost_acc["type"] != "EW"]
worst.sort("acc TP/NAV")
gallery(list(worst["star"][:8]),
        "EA and EB stars where NAV wins by BIC but loses by sigma0 sqrt(k/n)")""",
        ),
        ("md", SURVEY_CONCLUSION),
    ]
)

for name, book in (
    ("01_quickstart", nb1),
    ("02_nav_vs_tp", nb2),
    ("03_period_pitfalls", nb3),
    ("04_catalogue", nb4),
    ("05_nav_vs_tp_survey", nb5),
):
    nbf.write(book, OUT / f"{name}.ipynb")
print("written")
