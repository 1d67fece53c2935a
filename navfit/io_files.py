r"""Several files of one star read into one multi-band :class:`~navfit.LightCurve`.

``navfit.read_lightcurve([file1, file2, ...])`` reads each file as
:func:`navfit.read_lightcurve` reads one (every band of a band column kept,
survey formats recognised) and joins them: each file is its own *series*
(label: the file's stem, followed by ``/<series>`` where the file itself holds
several, such as the ATLAS filters or ZTF object ids), so that joint fits give
every file and band its own zero point.

Times are joined as full Julian dates, :math:`t + t_\mathrm{offset}`, written
relative to the smallest offset among the files. Files in different time
systems (geocentric ``JD`` such as ATLAS or Catalina MJDs, ``HJD`` such as ZTF
and ASAS-SN, ``BJD`` such as Gaia's, read in TDB) are brought to BJD(TDB) with
:func:`navfit.io_time.convert_time` (astropy's ``light_travel_time`` at the
geocentre, two-part times), at the position given by ``coords=`` or else by
the first file with RA/Dec columns (``meta["coords"]`` of each file). The
differences reach 500 s (the light time across 1 au). If a file's system is
unknown or no position is known, nothing is guessed: the times are kept as
they are, the light curve's ``time_system`` is ``None``, ``meta["time_systems"]``
lists each file's system and a :class:`~navfit.errors.NavfitWarning` says so.
A file whose times are not Julian dates at all while the others' are (reduced
dates of a format navfit could not tell, such as a VizieR Gaia extract in
BJD - 2455197.5) is skipped with a warning naming it and the ``time_format``
it needs (:func:`_same_date_range`).
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from .errors import InputError, NavfitWarning
from .io_time import as_skycoord, convert_time, is_julian_date
from .lightcurve import LightCurve

__all__ = ["read_files"]


def _file_options(item, options):
    """``(path, options)`` of one entry: a path, or ``(path, {option: value})``."""
    if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], dict):
        return item[0], {**options, **item[1]}
    return item, options


def _estimated_errors(lc) -> float:
    r"""Error of a file without errors: the point-to-point scatter of its values in time order.

    :math:`\sigma = 1.4826\,\mathrm{MAD}(\Delta y) / \sqrt 2` (the robust scatter of
    differences of successive values; any variability between successive
    points adds to it, so such a file is weighted conservatively).
    """
    diff = np.diff(lc.y)
    mad = float(np.median(np.abs(diff - np.median(diff))))
    scale = 1.4826 * mad / np.sqrt(2.0)
    return scale if scale > 0 else float(np.std(lc.y)) or 1.0


def read_files(paths, options: dict, reader) -> LightCurve:
    """Read several files of one star into one light curve, each file its own series.

    Parameters
    ----------
    paths : list or tuple
        Files, each a path or ``(path, {option: value})`` whose options
        override ``options`` for that file (e.g. ``("star-gdr3.dat",
        {"time_format": "bjd-2455197.5", "band": "G"})``).
    options : dict
        The keyword arguments of :func:`navfit.read_lightcurve`, given to every
        file.
    reader : callable
        ``reader(path, **options)`` reading one file (:func:`navfit.read_lightcurve`).

    Returns
    -------
    LightCurve
        Multi-band light curve. A file without a band column or ``band=`` has
        its stem as band name. Files without errors get the error
        :func:`_estimated_errors` (``meta["errors_estimated"]``: series ->
        error) when others have errors. ``meta["files"]`` lists, per file, its
        source, points, bands, time system (as read) and dropped rows;
        ``meta["skipped"]`` the files that could not be used, with the reason
        (each also a :class:`~navfit.NavfitWarning`);
        ``meta["dropped"]`` sums the dropped rows of the files used, by reason.
        Where the files' time systems differ, ``meta["time_systems"]`` gives
        each file's and either ``meta["time_joined"]`` the conversion made (to
        BJD, the position and where it came from) or ``meta["time_systems_differ"]``
        why none was made (see the module docstring). ``meta["spans"]`` gives
        the first and last full JD of each band, and ``meta["bands_without_overlap"]``
        the pairs of bands whose time ranges do not overlap (joint fits still
        share one ephemeris across such gaps; a period error then shifts the
        bands against each other).

    Raises
    ------
    InputError
        An empty list, files of different kinds (magnitudes and fluxes),
        phase-folded files, or no usable file (the reasons named).
    """
    if len(paths) == 0:
        raise InputError("read_lightcurve: the list of files is empty")
    curves, skipped = [], {}
    for item in paths:
        path, opts = _file_options(item, options)
        try:
            lc = reader(path, **opts)
        except InputError as exc:
            skipped[str(path)] = str(exc)
            continue
        if lc.phased:
            raise InputError(f"{path}: phase-folded files cannot be joined with others")
        curves.append(lc)
    curves = _same_date_range(curves, skipped)
    if not curves:
        reasons = "; ".join(skipped.values())
        raise InputError(f"read_lightcurve: no usable file among {len(paths)}: {reasons}")
    for reason in skipped.values():
        warnings.warn(f"file skipped: {reason}", NavfitWarning, stacklevel=3)
    kinds = {lc.kind for lc in curves}
    if len(kinds) > 1:
        raise InputError(
            "read_lightcurve: the files hold both magnitudes and fluxes: "
            + ", ".join(f"{lc.where} ({lc.kind})" for lc in curves)
        )
    return _join(curves, skipped, options)


def _same_date_range(curves, skipped):
    """The files whose times are Julian dates, when some are and others are not.

    A file whose times, with the offset of its format, fall outside
    :data:`navfit.io_time.JD_RANGE` (reduced dates of a format navfit could
    not tell, such as a VizieR Gaia extract in BJD - 2455197.5) cannot share
    an ephemeris with the others: it is skipped with a reason naming it and
    what to give (its ``time_format``). With no file in the range, all are kept
    (one unknown system for all of them).
    """
    dates = [float(np.median(lc.t)) + lc.time_offset for lc in curves]
    inside = [is_julian_date(d) for d in dates]
    if all(inside) or not any(inside):
        return curves
    for lc, ok, date in zip(curves, inside, dates, strict=True):
        if not ok:
            skipped[str(lc.meta.get("source") or lc.where)] = (
                f"{lc.where}: times near {date:.8g} are not Julian "
                "dates like the other files': give this file its time_format, e.g. "
                "[(path, {'time_format': 'bjd_tcb-2455197.5'})] for a Gaia extract (on the "
                "command line, read it alone with --time-format bjd_tcb-2455197.5)"
            )
    return [lc for lc, ok in zip(curves, inside, strict=True) if ok]


def _position(curves, options):
    """``(SkyCoord, origin)`` of the star: ``coords=``, else the first file with one; or None."""
    if options.get("coords") is not None:
        return as_skycoord(options["coords"], "read_lightcurve"), "argument coords"
    for lc in curves:
        pos = lc.meta.get("coords")
        if pos:
            coord = as_skycoord((pos["ra_deg"], pos["dec_deg"]), lc.where)
            return coord, f"{Path(str(lc.meta.get('source'))).name}: {pos['from']}"
    return None


def _common_times(curves, options, meta):
    """Each file's times in one system where possible (see the module docstring)."""
    times = [lc.t for lc in curves]
    systems = {lc.time_system for lc in curves}
    if len(systems) == 1:
        return times, systems.pop()
    meta["time_systems"] = {str(lc.meta.get("source")): lc.time_system for lc in curves}
    unknown = [str(lc.meta.get("source")) for lc in curves if lc.time_system is None]
    position = None if unknown else _position(curves, options)
    if unknown or position is None:
        why = (
            f"the time system of {', '.join(unknown)} is unknown (pass time_format=)"
            if unknown
            else "no position is known (no RA/Dec columns; pass coords=(ra_deg, dec_deg))"
        )
        meta["time_systems_differ"] = why
        listing = ", ".join(f"{Path(k).name}: {v}" for k, v in meta["time_systems"].items())
        warnings.warn(
            f"read_lightcurve: the files' time systems differ ({listing}) and {why}; "
            "the times are joined as they are (they may differ by up to about 0.006 d)",
            NavfitWarning,
            stacklevel=4,
        )
        return times, None
    coord, origin = position
    out, shifts = [lc.t for lc in curves], {}
    groups = {}  # files of one system and offset are converted together (astropy's cost is per call)
    for i, lc in enumerate(curves):
        groups.setdefault((lc.time_system, lc.time_offset), []).append(i)
    for (system, offset), members in groups.items():
        where = ", ".join(curves[i].where for i in members)
        joined = np.concatenate([curves[i].t for i in members])
        t, _, _ = convert_time(joined, offset, system, "BJD", lambda: (coord, origin), where)
        parts = np.split(t, np.cumsum([curves[i].n for i in members])[:-1])
        for i, part in zip(members, parts, strict=True):
            out[i] = part
            delta = part - curves[i].t
            shifts[str(curves[i].meta.get("source"))] = [float(delta.min()), float(delta.max())]
    icrs = coord.icrs
    meta["time_joined"] = {
        "to": "BJD",
        "scale": "tdb",
        "ra_deg": float(icrs.ra.deg),
        "dec_deg": float(icrs.dec.deg),
        "coords_from": origin,
        "method": "astropy Time.light_travel_time",
        "shift_days": shifts,  # per file: smallest and largest correction
    }
    return out, "BJD"


def _spans(t, band, offset, meta) -> None:
    """First and last full JD of each band, and the pairs of bands that do not overlap."""
    spans = {}
    for b in dict.fromkeys(band):
        tb = t[band == b]
        spans[str(b)] = [float(tb.min() + offset), float(tb.max() + offset)]
    names = list(spans)
    apart = [
        [a, b]
        for i, a in enumerate(names)
        for b in names[i + 1 :]
        if spans[a][1] < spans[b][0] or spans[b][1] < spans[a][0]
    ]
    meta["spans"] = spans
    if apart:
        meta["bands_without_overlap"] = apart


def _join(curves, skipped, options) -> LightCurve:
    """One light curve from the files' light curves (see :func:`read_files`)."""
    meta = {"skipped": skipped}
    times, system = _common_times(curves, options, meta)
    offset = min(lc.time_offset for lc in curves)
    with_errors = any(lc.dy_given for lc in curves)
    t, y, dy, band, series = [], [], [], [], []
    files, estimated, dropped = [], {}, {}
    for lc, lc_t in zip(curves, times, strict=True):
        stem = Path(str(lc.meta.get("source"))).stem
        labels = np.array(lc.series, dtype=object)[lc.series_index]
        one = len(lc.series) == 1
        series.append(np.array([stem if one else f"{stem}/{s}" for s in labels], dtype=object))
        names = np.array([stem if b is None else b for b in lc.bands], dtype=object)
        band.append(names[lc.band_index])
        t.append(lc_t + (lc.time_offset - offset))
        y.append(lc.y)
        if lc.dy_given or not with_errors:
            dy.append(lc.dy)
        else:
            estimated[stem] = float(_estimated_errors(lc))
            dy.append(np.full(lc.n, estimated[stem]))
        for reason, count in lc.meta.get("dropped", {}).items():
            dropped[reason] = dropped.get(reason, 0) + count
        files.append(
            {
                "source": lc.meta.get("source"),
                "n": lc.n,
                "bands": [str(b) for b in names],
                "time_system": lc.time_system,
                "time_offset": lc.time_offset,
                "layout": lc.meta.get("layout"),
                "dropped": dict(lc.meta.get("dropped", {})),
            }
        )
    meta.update(files=files, dropped=dropped)
    _spans(np.concatenate(t), np.concatenate(band), offset, meta)
    if estimated:
        meta["errors_estimated"] = estimated
    return LightCurve(
        np.concatenate(t),
        np.concatenate(y),
        np.concatenate(dy) if with_errors else None,
        kind=curves[0].kind,
        band=np.concatenate(band),
        series=np.concatenate(series),
        time_system=system,
        time_offset=offset,
        name=options.get("name")
        or curves[0].meta.get("name")
        or Path(str(curves[0].meta.get("source"))).resolve().parent.name,  # the star's folder
        source=", ".join(str(lc.meta.get("source")) for lc in curves),
        min_points=options.get("min_points", 3),
        meta=meta,
    )
