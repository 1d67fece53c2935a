r"""Passbands and series of a multi-band light curve: labels per point, coded as integers.

A :class:`~navfit.LightCurve` may carry a passband per point (``band=`` an
array) and a *series* label per point (``series=``): the instrument, field or
file a point comes from. Within one band, series differ by zero-point offsets
(ZTF field ids, surveys, ground stations), which the joint fits give a free
offset each. This module turns the labels into the coded form the light curve
stores,

.. math::

    \text{bands} = (b_0, b_1, \dots, b_{B-1}), \qquad
    \text{band\_index}_i \in \{0, \dots, B - 1\},

names in order of first appearance in the input, and does the per-band
parts of the cleaning: equal times are merged only within one band and
series, and a band that cannot be used is dropped when other bands remain:
one with fewer than ``min_points`` points (counted under ``band_too_few``) or
one whose light is constant (``band_constant``: a band of one repeated value
is a placeholder or a saturated or clipped series, and would make every fit's
design singular in that band). The dropped bands are named, with the reason,
in ``meta["dropped_bands"]``.
"""

from __future__ import annotations

import numpy as np

from .errors import InputError

__all__ = [
    "BAND_CONSTANT",
    "BAND_TOO_FEW",
    "band_rows",
    "code_labels",
    "drop_unusable_bands",
    "labels_per_point",
    "merge_equal_times",
    "point_labels",
    "sort_and_merge",
    "unusable_bands",
]

#: ``meta["dropped"]`` reason of the points of a band too small to use.
BAND_TOO_FEW = "band_too_few"
#: ``meta["dropped"]`` reason of the points of a band whose light is constant.
BAND_CONSTANT = "band_constant"


def labels_per_point(value, n: int, name: str, where: str):
    """Labels of each point from a string, ``None`` or an array of labels.

    Parameters
    ----------
    value : str, None or array_like
        One label for every point, none, or one label per point (numbers,
        strings or bytes; masked or empty cells and NaN are missing).
    n : int
        Number of points.
    name : str
        Argument name, for messages (``"band"``, ``"series"``).
    where : str
        Source, for messages.

    Returns
    -------
    labels : ndarray of str or None
        ``None`` when ``value`` is a single label or ``None`` (the caller keeps
        it as one label); else one stripped string per point.
    missing : ndarray of bool or None
        Points whose label is missing (masked or empty).

    Raises
    ------
    InputError
        An array of another length than the data, or not one-dimensional.
    """
    if value is None or isinstance(value, str | bytes):
        return None, None
    arr = np.ma.asarray(value)
    if arr.ndim != 1 or arr.size != n:
        raise InputError(
            f"{where}: {name} must be one label or one label per point ({n}), got shape {arr.shape}"
        )
    mask = np.ma.getmaskarray(arr)
    first = arr.data[0] if n else None
    if isinstance(first, str) and not mask.any() and np.all(arr.data == first):
        # one label on every point (a subset of a one-band curve): no loop over the points
        label = first.strip()
        return np.full(n, label, dtype=object), np.full(n, label == "")
    labels = np.array(
        [
            "" if m or _no_label(v) else (v.decode("latin-1") if isinstance(v, bytes) else str(v))
            for v, m in zip(arr.data, mask, strict=True)
        ],
        dtype=object,
    )
    labels = np.array([label.strip() for label in labels], dtype=object)
    return labels, mask | (labels == "")


def _no_label(value) -> bool:
    """A float NaN among labels (a pandas or masked-array gap): missing, not the text "nan"."""
    return isinstance(value, float | np.floating) and np.isnan(value)


def code_labels(labels) -> tuple[tuple[str, ...], np.ndarray]:
    """Distinct labels in order of first appearance, and each point's index into them.

    Examples
    --------
    >>> from navfit.bands import code_labels
    >>> code_labels(["r", "g", "r", "i"])
    (('r', 'g', 'i'), array([0, 1, 0, 2]))
    """
    labels = np.asarray(labels, dtype=object)
    if labels.size and np.all(labels == labels[0]):  # one label: no loop over the points
        return (labels[0],), np.zeros(labels.size, dtype=np.int64)
    names: dict[str, int] = {}
    index = np.empty(labels.size, dtype=np.int64)
    for i, lab in enumerate(labels):
        index[i] = names.setdefault(lab, len(names))
    return tuple(names), index


def merge_equal_times(t, y, dy, key):
    r"""Merge runs of identical times *and* keys into inverse-variance weighted means.

    ``t`` must be sorted and, among equal times, ``key`` (an integer code of
    the band and series) too, so that each run to merge is contiguous.

    Parameters
    ----------
    t, y, dy : ndarray
        Times (sorted), values and errors.
    key : ndarray of int
        Code of each point's band and series; points of different keys at the
        same time (two bands observed at once) are kept apart.

    Returns
    -------
    t, y, dy, key : ndarray
        One point per run of :math:`m` points: :math:`\bar y = \sum w_i y_i / \sum w_i`
        with the error of one of them, :math:`\sigma = (\sum w_i / m)^{-1/2}`,
        :math:`w_i = \sigma_i^{-2}`: identical time stamps are rows of one
        observation (a file's repeated rows, overlapping exports), whose weight
        must not grow with the number of copies.
    n_merged : int
        Points merged into another.

    Notes
    -----
    Weights are taken relative to the smallest error of each run,
    :math:`(\sigma_\min / \sigma_i)^2` (at most 1, at least one equal to 1), so
    that no error overflows them.
    """
    starts = np.flatnonzero(np.r_[True, (np.diff(t) != 0) | (np.diff(key) != 0)])
    dmin = np.minimum.reduceat(dy, starts)
    w = (np.repeat(dmin, np.diff(np.r_[starts, t.size])) / dy) ** 2
    sw = np.add.reduceat(w, starts)
    ym = np.add.reduceat(w * y, starts) / sw
    copies = np.diff(np.r_[starts, t.size])
    n_merged = int(t.size - starts.size)
    return t[starts].copy(), ym, dmin * np.sqrt(copies / sw), key[starts].copy(), n_merged


def unusable_bands(y, band_index, bands, min_points: int) -> dict:
    """Band code -> ``(reason, text)`` of every band too small or of constant light."""
    counts = np.bincount(band_index, minlength=len(bands))
    out = {}
    for k in range(len(bands)):
        if counts[k] < min_points:
            out[k] = (BAND_TOO_FEW, f"{counts[k]} points, fewer than {min_points}")
            continue
        yk = y[band_index == k]
        if yk.size > 1 and np.all(yk == yk[0]):
            out[k] = (BAND_CONSTANT, f"constant light (all {yk.size} values are {yk[0]:.6g})")
    return out


def point_labels(band, series, n: int, where: str):
    """Band and series labels of every point, and the points whose label is missing.

    A single label (or ``None``) is given to every point; ``series=None``
    makes each point's series its band (see :func:`labels_per_point`).
    """
    blab, b_null = labels_per_point(band, n, "band", where)
    slab, s_null = labels_per_point(series, n, "series", where)
    if blab is None:
        blab = np.full(n, band, dtype=object)
    if slab is None:
        slab = blab if series is None else np.full(n, series, dtype=object)
    missing = np.zeros(n, dtype=bool)
    for mask in (b_null, s_null):
        if mask is not None:
            missing |= mask
    return blab, slab, missing


def sort_and_merge(t, y, dy, blab, slab, dropped, min_points, where):
    """Sort by time (then band, series), merge equal times within a band and series; code labels.

    Then the bands that cannot be used are dropped (:func:`drop_unusable_bands`).
    Returns ``t, y, dy`` and the coded labels ``{"bands", "band_index",
    "series", "series_index", "dropped_bands"}``.
    """
    bands, bidx = code_labels(blab)
    series, sidx = code_labels(slab)
    order = np.lexsort((sidx, bidx, t))
    t, y, dy, bidx, sidx = t[order], y[order], dy[order], bidx[order], sidx[order]
    if t.size > 1 and np.any(np.diff(t) == 0):
        key = bidx * len(series) + sidx
        t, y, dy, key, n_merged = merge_equal_times(t, y, dy, key)
        bidx, sidx = key // len(series), key % len(series)
        dropped["duplicate_time"] = n_merged
    coded = {"bands": bands, "band_index": bidx, "series": series, "series_index": sidx}
    return drop_unusable_bands(t, y, dy, coded, min_points, dropped, where)


def drop_unusable_bands(t, y, dy, coded, min_points, dropped, where):
    """Drop the bands too small or of constant light when other bands remain.

    Their points are counted under :data:`BAND_TOO_FEW` or
    :data:`BAND_CONSTANT`, the bands are named in ``coded["dropped_bands"]``
    (name -> reason), and the bands and series are coded again over the points
    kept. A light curve of one band is left to the caller's own checks.

    Raises
    ------
    InputError
        Every band of a multi-band light curve is unusable, naming each band
        and why.
    """
    bands, bidx = coded["bands"], coded["band_index"]
    bad = unusable_bands(y, bidx, bands, min_points) if len(bands) > 1 else {}
    coded["dropped_bands"] = {}
    if bad and len(bad) < len(bands):
        drop = np.array(sorted(bad))
        keep = ~np.isin(bidx, drop)
        for k, (reason, text) in bad.items():
            dropped[reason] = dropped.get(reason, 0) + int((bidx == k).sum())
            coded["dropped_bands"][bands[k]] = text
        t, y, dy = t[keep], y[keep], dy[keep]
        kept_b = np.flatnonzero(~np.isin(np.arange(len(bands)), drop))
        kept_s = np.unique(coded["series_index"][keep])
        coded = {
            "bands": tuple(bands[k] for k in kept_b),
            "band_index": np.searchsorted(kept_b, bidx[keep]),
            "series": tuple(coded["series"][k] for k in kept_s),
            "series_index": np.searchsorted(kept_s, coded["series_index"][keep]),
            "dropped_bands": coded["dropped_bands"],
        }
    elif bad:
        per_band = "; ".join(f"{bands[k]}: {text}" for k, (_, text) in bad.items())
        exc = InputError(f"{where}: no band can be used after cleaning ({per_band})")
        exc.dropped = {k: v for k, v in dropped.items() if v}
        raise exc
    for arr in (coded["band_index"], coded["series_index"]):
        arr.setflags(write=False)
    return t, y, dy, coded


def band_rows(bands, band_index, band, where: str):
    """The name of the band asked for and a mask of its points.

    ``band`` is compared with the names as given, then case-insensitively.

    Raises
    ------
    InputError
        A band that is not among ``bands``, naming those that are.
    """
    hit = [b for b in bands if b == band] or [
        b for b in bands if str(b).lower() == str(band).strip().lower()
    ]
    if not hit:
        raise InputError(
            f"{where}: band {band!r} is not in this light curve; bands: "
            f"{', '.join(map(str, bands))}"
        )
    return hit[0], band_index == bands.index(hit[0])
