"""Which values a catalogue row gives: the epoch GCVS asks for, and no unmeasured magnitude.

:class:`navfit.catalogue.CatalogueRow` takes its values from a star's best fit;
these rules decide which of them stand in the catalogue (GCVS5 ReadMe field
descriptions; NAV_SPEC §6.1).
"""

from __future__ import annotations

import numpy as np

__all__ = ["blank_undetermined", "epoch_fields", "measured"]


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
