"""One star of the report: re-analysis, figures and page (the work of one pool task).

:func:`render_star` runs in a worker process: it re-reads the star's file,
re-analyses it as the batch did (or at the catalogue's period), draws the
figures, writes the page and returns what the index needs to know. A star
that cannot be drawn gets a page that says why; nothing here raises for a
bad star.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

from ..batch import one_line
from .pages import write_star_page
from .rows import resolve_file

__all__ = ["failed_page", "one_line", "render_result", "render_star"]

#: Relative period difference above which the re-analysis disagrees with the catalogue.
PERIOD_TOLERANCE = 1e-6
#: Types whose minima are timed for the O-C diagram.
ECLIPSERS = ("EA", "EB", "EW")


def _finite(x):
    return x is not None and isinstance(x, int | float) and math.isfinite(x)


def _analyse(path, row, kwargs, search):
    """The StarResult drawn for a row, and notes on how it relates to the catalogue."""
    from navfit import analyze

    notes = []
    period = row.get("period")
    if not search and _finite(period) and "period" not in kwargs:
        reading = {k: v for k, v in kwargs.items() if k not in ("min_period", "max_period")}
        result = analyze(path, period=period, name=row.get("name"), **reading)
        notes.append("re-analysed at the catalogue's period (no period search for the report)")
        return result, notes
    result = analyze(path, name=row.get("name"), **kwargs)
    if _finite(period) and abs(result.decision.period - period) > PERIOD_TOLERANCE * period:
        notes.append(
            f"the report's period search found P = {result.decision.period:.9g} d "
            f"({result.type}), the catalogue P = {period:.9g} d: were the reading options and "
            "the period range the batch's? The light curve below is folded at the catalogue's "
            "period; the periodogram is the new search's"
        )
        reading = {
            k: v for k, v in kwargs.items() if k not in ("min_period", "max_period", "period")
        }
        folded = analyze(path, period=period, name=row.get("name"), **reading)
        return _with_search(folded, result), notes
    return result, notes


def _with_search(folded, searched):
    """``folded`` (fits at the catalogue period) carrying the periodograms of ``searched``."""
    import dataclasses

    return dataclasses.replace(folded, search=searched.search)


def _oc(result, slug, folder, ctx):
    """Time the minima and fit the O-C; sets ``ctx["figures"]["oc"]`` or ``ctx["oc_note"]``."""
    from navfit import fit_oc, times_of_minima

    from .figures import oc_figure

    kind = result.type.rstrip(":")
    if kind not in ECLIPSERS:
        ctx["oc_note"] = f"no O-C: minima are timed for eclipsing binaries only (type {kind})"
        return
    if result.phased or result.nav is None:
        ctx["oc_note"] = "no O-C: " + (
            "phase-folded data have no times"
            if result.phased
            else "no NAV fit to find the eclipses with"
        )
        return
    try:
        minima = times_of_minima(result)
        oc = fit_oc(minima, models=("linear", "quadratic"))
    except Exception as exc:  # noqa: BLE001 - the page says why, the report goes on
        ctx["oc_note"] = f"no O-C: {one_line(exc).removeprefix(f'{result.file}: ')}"
        return
    name = f"{slug}_oc.png"
    oc_figure(oc, folder / name)
    ctx["figures"]["oc"] = name
    ctx["oc"] = oc.summary()


def _periodogram(result, slug, folder, ctx):
    """Draw the search's periodograms, or a TP(2) periodogram when there was no search."""
    from navfit import Periodogram

    from .figures import periodogram_figure

    s = result.search
    name = f"{slug}_pg.png"
    runner = (result.decision.runner_up or {}).get("period") if result.decision else None
    runner = runner if _finite(runner) else None
    if len(s.frequency):
        cands = [float(p) for p in s.candidates["period"]] if len(s.candidates) else []
        periodogram_figure(
            folder / name,
            s.frequency,
            s.power,
            period=result.decision.period,
            eclipse_power=s.eclipse_power,
            candidates=cands,
            runner_up=runner,
        )
    elif result.phased:
        ctx["periodogram_note"] = "no periodogram: phase-folded data have no times"
        return
    else:
        lc, period = result.lc, result.decision.period
        longest = min(lc.time_span, max(0.5 * lc.time_span, 2.5 * period))
        pg = Periodogram(lc, order=2)
        frequency, power = pg.autopower(
            minimum_period=min(0.1, period / 2.5), maximum_period=longest
        )
        periodogram_figure(folder / name, frequency, power, period=period, runner_up=runner)
        ctx["periodogram_note"] = (
            "the TP(2) periodogram only: the report did not repeat the "
            "period search, so there are no candidates"
        )
    ctx["figures"]["periodogram"] = name


def render_result(result, row, slug, folder, *, minima=False, notes=(), context=None) -> dict:
    """Figures and page of an analysed star; returns ``{"thumb": bool, "error": str|None}``.

    Parameters
    ----------
    result : navfit.StarResult
    row : dict
        The catalogue's row of the star (``result.to_dict()`` when there is none).
    slug : str
        File-name stem of the star's page and figures.
    folder : pathlib.Path
        The report's ``stars`` folder.
    minima : bool
        Time the minima of eclipsers and draw their O-C diagram.
    notes : sequence of str
        Remarks shown at the top of the page.
    context : dict, optional
        Navigation and catalogue details (``position``, ``total``, ``prev``, ``next``, ...).
    """
    from .figures import light_curve_figure, thumbnail
    from .summary import star_context

    ctx = star_context(result, row, slug, context or {})
    ctx["notes"] = list(ctx.get("notes", [])) + list(notes)
    fits = [("nav", result.nav), ("tp", result.tp)]
    if result.best is result.tp:
        fits.reverse()
    light_curve_figure(fits, folder / f"{slug}_lc.png", title=result.name)
    ctx["figures"]["light_curve"] = f"{slug}_lc.png"
    for step in (_periodogram, _oc) if minima else (_periodogram,):
        try:
            step(result, slug, folder, ctx)
        except Exception as exc:  # noqa: BLE001 - one figure lost, not the page
            ctx["notes"].append(f"a figure could not be drawn: {one_line(exc)}")
    thumb = True
    try:
        thumbnail(result.best, folder.parent / "thumbs" / f"{slug}.png")
    except Exception as exc:  # noqa: BLE001
        thumb = False
        ctx["notes"].append(f"no thumbnail: {one_line(exc)}")
    write_star_page(folder / f"{slug}.html", ctx)
    return {"thumb": thumb, "error": None}


def failed_page(task, reason, origin) -> dict:
    """Write the page of a star without figures; returns its outcome (see :func:`render_star`)."""
    from .summary import failed_context

    folder = Path(task["directory"]) / "stars"
    ctx = failed_context(task["row"], task["slug"], reason, origin, task.get("context") or {})
    write_star_page(folder / f"{task['slug']}.html", ctx)
    return {"thumb": False, "error": reason, "origin": origin}


def render_star(task) -> dict:
    """Worker: re-analyse one catalogue row and write its page (never raises for a bad star).

    Parameters
    ----------
    task : dict
        ``row`` (the catalogue's row), ``slug``, ``directory`` (the report),
        ``base`` (the catalogue's folder, for relative file names), ``kwargs``
        (for :func:`navfit.analyze`), ``search`` (re-run the period search),
        ``minima``, ``threads`` (numba threads of this worker process; ``None`` leaves
        them), ``context`` (navigation).

    Returns
    -------
    dict
        ``thumb`` (a thumbnail was written), ``error`` (why the star has no
        figures, or ``None``), ``origin`` (``"batch"`` or ``"report"``).
    """
    if task.get("threads"):
        from navfit._kernels._config import set_threads

        set_threads(task["threads"])
    row = task["row"]
    if row.get("error"):
        return failed_page(task, str(row["error"]), "batch")
    base = Path(task["base"]) if task.get("base") else None
    path = resolve_file(row, base)
    if path is None:
        return failed_page(task, f"light-curve file not found: {row.get('file')}", "report")
    folder = Path(task["directory"]) / "stars"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result, notes = _analyse(
                str(path), row, dict(task.get("kwargs") or {}), task.get("search", True)
            )
            context = dict(task.get("context") or {})
            context["report_warnings"] = _messages(caught)
            out = render_result(
                result,
                row,
                task["slug"],
                folder,
                minima=task.get("minima"),
                notes=notes,
                context=context,
            )
        except Exception as exc:  # noqa: BLE001 - a failed star gets a page saying why
            return failed_page(task, f"re-analysis failed: {one_line(exc)}", "report")
    out["origin"] = None
    return out


def _messages(caught) -> list[str]:
    out = []
    for w in caught:
        text = " ".join(str(w.message).split())
        if text not in out:
            out.append(text)
    return out
