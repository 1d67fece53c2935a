"""Which values a catalogue row gives: the epoch GCVS asks for, and no unmeasured magnitude.

:class:`navfit.catalogue.CatalogueRow` takes its values from a star's best fit;
these rules decide which of them stand in the catalogue (GCVS5 ReadMe field
descriptions; NAV_SPEC §6.1).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "COLUMN_DESCRIPTIONS",
    "blank_undetermined",
    "describe_columns",
    "epoch_fields",
    "measured",
]


def measured(error, span: float) -> bool:
    """Whether a magnitude with ``error`` is measured: the error within the data's range ``span``.

    An infinite or NaN error (a value that depends on a parameter the data do
    not determine) is not.
    """
    return bool(float(error) <= span)


def blank_undetermined(values: dict, lc, derived) -> None:
    """Blank the Max, Min I and Min II whose errors exceed the light curve's whole range.

    Such a value is not measured: the fit's curve reaches it between the
    points (a narrow eclipse on a few points, a degenerate depth), and the
    GCVS ":" would still print a number. An infinite error (a value that
    depends on a parameter the data do not determine) counts the same. The
    row is flagged instead. ``derived`` holds the fit's ``(value, error)``.
    """
    span = float(np.ptp(lc.y))
    for key, label in (("max", "Max"), ("min1", "Min I"), ("min2", "Min II")):
        if values.get(key) is None or key not in derived:
            continue
        err = float(derived[key][1])
        if not measured(err, span):
            values[key] = values[f"{key}_err"] = None
            why = f"{label} undetermined: its error {err:.3g} exceeds the range of the data"
            values["flags"] = (*values["flags"], f"{why} ({span:.3g})")


def epoch_fields(star, eclipser) -> dict:
    """Period and epoch of the catalogue row: GCVS's epoch of Min I for an eclipser, of Max else.

    The GCVS field Epoch is "Epoch for maximum light", and of minimum light for
    eclipsing stars (GCVS5 ReadMe; NAV_SPEC §6.1): the TP's time of maximum
    stands for a star that is not an eclipser. Without a
    significant period the period and epoch are undefined (``None``); the best
    peak stays in ``photometric_period``.
    """
    best, lc = star.best, star.lc
    if not star.phased and not star.search.significant:
        return {"period": None, "period_err": None, "epoch": None, "epoch_err": None}
    if eclipser or "epoch_max" not in best.info:
        return {"epoch_of": "Min I"}
    t_max, t_max_err = best.info["epoch_max"]  # (time, error), as the TP fits give it
    return {"epoch": t_max + lc.time_offset, "epoch_err": t_max_err, "epoch_of": "Max"}


#: What each catalogue column holds (ECSV, FITS and VOTable carry it as the
#: column's description; ``_err`` columns are the 1-sigma errors of theirs).
COLUMN_DESCRIPTIONS = {
    "name": "object name",
    "file": "source file",
    "n": "points used, after cleaning",
    "type": "GCVS type (EA, EB, EW, ELL; ':' uncertain) or 'not an eclipsing binary'",
    "period": "period from the final NAV (eclipsers) or TP fit",
    "epoch": "time of Min I (eclipsers) or of maximum light (see epoch_of), in time_system",
    "epoch_of": "which extremum the epoch is: 'Min I' or 'Max'",
    "time_system": "JD, HJD, BJD, or 'phase' for phase-folded input",
    "band": "passband of max, min1 and min2",
    "max": "maximum light of the fitted curve",
    "min1": "primary minimum of the fitted curve",
    "min2": "secondary minimum of the fitted curve (eclipsers)",
    "D": "eclipse duration in percent of the period (NAV), unitless",
    "model": "the fit the values come from",
    "fap": "false-alarm probability of the period",
    "nature": "what the evidence points to for a star that is not an eclipser",
    "photometric_period": "period at which the light curve repeats",
    "confidence_period": "confidence of the period decision, 0-1",
    "confidence_type": "confidence of the type, 0-1",
    "runner_up_period": "period that came second",
    "runner_up_type": "type that came second",
    "nav_k": "free parameters of the NAV fit",
    "nav_chi2": "chi-square of the NAV fit",
    "nav_bic": "Bayesian information criterion of the NAV fit",
    "tp_order": "order of the trigonometric polynomial",
    "tp_k": "free parameters of the TP fit",
    "tp_chi2": "chi-square of the TP fit",
    "tp_bic": "Bayesian information criterion of the TP fit",
    "gcvs": "GCVS-style catalogue line",
    "flags": "warnings of the fits and the period search, '; '-separated",
    "error": "why the star could not be analysed",
    "depth1": "depth of Min I below Max in this band",
    "depth2": "depth of Min II below Max in this band",
}
_DAYS = ("period", "photometric_period", "runner_up_period")
_BRIGHTNESS = ("max", "min1", "min2", "depth1", "depth2")


def describe_columns(table, kinds, time_systems) -> None:
    """Give the catalogue ``table``'s columns their units and descriptions, in place.

    Parameters
    ----------
    table : astropy.table.Table
        A catalogue table (:func:`navfit.catalogue.catalogue_table`).
    kinds : list of str
        ``"mag"`` or ``"flux"`` of every analysed star.
    time_systems : set of str
        The rows' time systems.

    Notes
    -----
    Periods are in days (``d``). D, in percent of the period, has no unit:
    FITS would write ``%`` as a scale of 0.01 and VOTable refuses it. The epoch is in days unless
    a row is phase-folded (``time_systems`` holds ``"phase"``: its epoch is a
    phase). Magnitudes are ``mag`` when every analysed star's ``kinds`` is
    ``"mag"``; fluxes keep no unit, as the file gave none.
    """
    units = dict.fromkeys(_DAYS, "d")
    if "phase" not in time_systems:
        units["epoch"] = "d"
    if kinds and all(k == "mag" for k in kinds):
        units.update(dict.fromkeys(_BRIGHTNESS, "mag"))
    for name in table.colnames:
        base = name.removesuffix("_err")
        if base in units:
            table[name].unit = units[base]
        text = COLUMN_DESCRIPTIONS.get(base)
        if text is not None:
            table[name].description = text if base == name else f"1-sigma error of {base}"
