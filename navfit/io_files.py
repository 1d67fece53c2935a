r"""Several files of one star read into one multi-band :class:`~navfit.LightCurve`.

``navfit.read_lightcurve([file1, file2, ...])`` reads each file as
:func:`navfit.read_lightcurve` reads one (every band of a band column kept,
survey formats recognised) and joins them: each file is its own *series*
(label: the file's stem, followed by ``/<series>`` where the file itself holds
several, such as the ATLAS filters or ZTF object ids), so that joint fits give
every file and band its own zero point.

Times are joined as full Julian dates, :math:`t + t_\mathrm{offset}`, written
relative to the smallest offset among the files. Time systems are not
converted: files in different systems (``JD``, ``HJD``, ``BJD``) give a light
curve of unknown system (``time_system=None``) with each file's system in
``meta["files"]``; the difference is at most about 500 s (the light time across
1 au), so convert first (``to_time_system=``) where that matters.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import InputError
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
        source, points, bands, time system and dropped rows; ``meta["skipped"]``
        the files that could not be used, with the reason; ``meta["dropped"]``
        sums the dropped rows of the files used, by reason.

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
    if not curves:
        reasons = "; ".join(skipped.values())
        raise InputError(f"read_lightcurve: no usable file among {len(paths)}: {reasons}")
    kinds = {lc.kind for lc in curves}
    if len(kinds) > 1:
        raise InputError(
            "read_lightcurve: the files hold both magnitudes and fluxes: "
            + ", ".join(f"{lc.where} ({lc.kind})" for lc in curves)
        )
    return _join(curves, skipped, options)


def _join(curves, skipped, options) -> LightCurve:
    """One light curve from the files' light curves (see :func:`read_files`)."""
    offset = min(lc.time_offset for lc in curves)
    with_errors = any(lc.dy_given for lc in curves)
    t, y, dy, band, series = [], [], [], [], []
    files, estimated, dropped = [], {}, {}
    for lc in curves:
        stem = Path(str(lc.meta.get("source"))).stem
        labels = np.array(lc.series, dtype=object)[lc.series_index]
        one = len(lc.series) == 1
        series.append(np.array([stem if one else f"{stem}/{s}" for s in labels], dtype=object))
        names = np.array([stem if b is None else b for b in lc.bands], dtype=object)
        band.append(names[lc.band_index])
        t.append(lc.t + (lc.time_offset - offset))
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
    systems = {lc.time_system for lc in curves}
    meta = {"files": files, "skipped": skipped, "dropped": dropped}
    if estimated:
        meta["errors_estimated"] = estimated
    return LightCurve(
        np.concatenate(t),
        np.concatenate(y),
        np.concatenate(dy) if with_errors else None,
        kind=curves[0].kind,
        band=np.concatenate(band),
        series=np.concatenate(series),
        time_system=systems.pop() if len(systems) == 1 else None,
        time_offset=offset,
        name=options.get("name")
        or curves[0].meta.get("name")
        or Path(str(curves[0].meta.get("source"))).parent.name,
        source=", ".join(str(lc.meta.get("source")) for lc in curves),
        min_points=options.get("min_points", 3),
        meta=meta,
    )
