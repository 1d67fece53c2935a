"""HTML of the review report's star pages, from the contexts of :mod:`navfit.report.summary`.

The pages are plain HTML with relative links only; their style and behaviour
come from the package's static files (``navfit/report/static``), copied to
``assets/``: ``report.js`` keeps the reviewer's marks, ``star.js`` binds the
buttons and keys.
"""

from __future__ import annotations

from pathlib import Path

from .markup import document, esc, fmt, script_json

__all__ = ["star_page", "write_star_page"]


# ----- star pages ---------------------------------------------------------------------


def _topbar(ctx) -> str:
    pos = ""
    if ctx.get("position") and ctx.get("total"):
        pos = f'<span class="pos" id="position">star {ctx["position"]} of {ctx["total"]}</span>'

    def nav(key, label, keyhint):
        target = ctx.get(key)
        if not target:
            return f'<span class="navlink disabled" id="{key}">{label}</span>'
        return (
            f'<a class="navlink" id="{key}" href="{esc(target)}.html" title="{keyhint}">{label}</a>'
        )

    return (
        '<header class="topbar">'
        '<a class="navlink home" id="back" href="../index.html">&larr; index</a>'
        f"{nav('prev', '&lsaquo; previous', 'k or left arrow')}{pos}"
        f"{nav('next', 'next &rsaquo;', 'j or right arrow')}"
        '<span class="spacer"></span>'
        '<span class="marks-count" id="marks-count"></span>'
        '<button type="button" id="export" title="download every mark of this report as CSV">'
        "export marks (CSV)</button></header>"
    )


def _type_badge(kind, failed=False) -> str:
    if failed:
        return '<span class="badge t-failed">failed</span>'
    kind = kind or "?"
    base = kind.rstrip(":")
    cls = base if base in ("EA", "EB", "EW", "ELL") else "other"
    label = "non-EB" if base == "not an eclipsing binary" else kind
    return f'<span class="badge t-{cls}" title="{esc(kind)}">{esc(label)}</span>'


def _confidence(ctx) -> str:
    out = []
    for key in ("period", "type"):
        value = (ctx.get("confidence") or {}).get(key)
        if value is None:
            continue
        level = "hi" if value >= 0.84 else ("mid" if value >= 0.5 else "lo")
        out.append(
            f'<div class="conf"><span>{key} confidence</span><span class="bar {level}">'
            f'<span style="width:{100 * value:.0f}%"></span></span><b>{value:.2f}</b></div>'
        )
    return "".join(out)


def _fap(value) -> str | None:
    """A false-alarm probability; one that underflowed to 0 as ``< 1e-300``."""
    if value is None:
        return None
    return "< 1e-300" if value <= 0 else f"{value:.2g}"


def _facts(ctx) -> str:
    system = ctx.get("time_system") or ""
    items = [
        ("period", f"{fmt(ctx.get('period'), ctx.get('period_err'), 9)} d"),
        (
            ctx.get("epoch_of") or "Min I",  # the epoch of maximum for a star not an eclipser
            f"{system} {fmt(ctx.get('epoch'), ctx.get('epoch_err'), 12)}".strip(),
        ),
        ("model", ctx.get("best") or ctx.get("model")),
        ("points", ctx.get("n")),
        ("band", ctx.get("band")),
        ("FAP", _fap(ctx.get("fap"))),
        ("nature", ctx.get("nature")),
    ]
    return "".join(
        f"<div><dt>{esc(k)}</dt><dd>{esc(v)}</dd></div>"
        for k, v in items
        if v not in (None, "") and not str(v).startswith("–")
    )


def _review() -> str:
    buttons = (
        ("accept", "accept", "a"),
        ("wrong-period", "wrong period", "p"),
        ("wrong-type", "wrong type", "t"),
    )
    html = "".join(
        f'<button type="button" class="mark m-{v}" data-mark="{v}" title="key {k}">'
        f"{label} <kbd>{k}</kbd></button>"
        for v, label, k in buttons
    )
    return (
        '<section class="review" id="review"><h2>Review</h2><div class="marks">'
        f'{html}<button type="button" class="mark m-clear" data-mark="" title="key c">clear '
        '<kbd>c</kbd></button></div><textarea id="note" rows="2" placeholder="note (saved as '
        'you type; Esc leaves the box)"></textarea><div class="review-foot"><label>'
        '<input type="checkbox" id="advance"> go to the next star after marking</label>'
        '<span id="mark-status" class="status"></span></div></section>'
    )


def _list(items, cls="") -> str:
    if not items:
        return '<p class="muted">none</p>'
    return f'<ul class="{cls}">' + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def _figure(ctx, key, alt, sizes) -> str:
    name = (ctx.get("figures") or {}).get(key)
    if not name:
        return ""
    w, h = sizes.get(key, (None, None))
    dims = f' width="{w}" height="{h}"' if w else ""
    return f'<img class="plot" src="{esc(name)}" alt="{esc(alt)}"{dims}>'


def _decision(ctx) -> str:
    parts = ['<section class="card"><h2>Decision</h2>', _confidence(ctx)]
    parts.append(
        '<ol class="reasons">' + "".join(f"<li>{esc(r)}</li>" for r in ctx["reasons"]) + "</ol>"
        if ctx.get("reasons")
        else '<p class="muted">no reasons recorded</p>'
    )
    runner = ctx.get("runner_up")
    if runner and (runner.get("period") or runner.get("type")):
        parts.append(
            f"<p><b>runner-up</b>: {esc(runner.get('type'))} at P = "
            f"{esc(fmt(runner.get('period'), None, 9))} d"
            + (f" &mdash; {esc(runner['why'])}" if runner.get("why") else "")
            + "</p>"
        )
    bic = {k: v for k, v in (ctx.get("bic_multiples") or {}).items() if v is not None}
    if bic:
        best = min(bic.values())
        pph = ctx.get("photometric_period")
        text = ", ".join(f"{esc(k)}: {v - best:+.1f}" for k, v in bic.items())
        parts.append(
            f'<p class="small">TP BIC at multiples of the photometric period'
            f"{f' P = {pph:.9g} d' if pph else ''} (relative to the best): {text}</p>"
        )
    return "".join(parts) + "</section>"


def _gcvs(ctx) -> str:
    line = ctx.get("gcvs") or ""
    if not line:
        return ""
    head = ctx.get("gcvs_header") or ""
    text = f"{head}\n{line}" if head else line
    return f'<section class="card wide"><h2>GCVS line</h2><pre class="gcvs">{esc(text)}</pre></section>'


def _flags(ctx) -> str:
    parts = ['<section class="card"><h2>Flags</h2>', _list(ctx.get("flags"), "flags")]
    if ctx.get("warnings"):
        parts += ["<h3>Warnings of the batch</h3>", _list(ctx["warnings"], "warnings")]
    if ctx.get("report_warnings"):
        parts += ["<h3>Warnings of the re-analysis</h3>", _list(ctx["report_warnings"], "warnings")]
    if ctx.get("dropped"):
        parts += [
            "<h3>Rows dropped on reading</h3>",
            _list([f"{k}: {v}" for k, v in ctx["dropped"].items()]),
        ]
    return "".join(parts) + "</section>"


def _table(head, rows, cls="") -> str:
    th = "".join(f"<th>{esc(h)}</th>" for h in head)
    body = "".join(
        f'<tr class="{c}">' + "".join(f"<td>{esc(v)}</td>" for v in r) + "</tr>" for c, r in rows
    )
    return f'<table class="data {cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def _candidates(ctx) -> str:
    cands = ctx.get("candidates") or []
    if not cands:
        return ""
    rows = [
        (
            "chosen" if c["chosen"] else "",
            (
                c["rank"],
                f"{c['period']:.9g}",
                c["source"],
                "–" if c["delta_bic"] is None else f"{c['delta_bic']:.1f}",
                c["tp_order"],
                _fap(c["fap"]) or "–",
                c["flags"],
            ),
        )
        for c in cands
    ]
    return "<h3>Candidates (by TP BIC)</h3>" + _table(
        ("#", "period (d)", "from", "ΔBIC", "TP order", "FAP", "flags"), rows
    )


def _fits(ctx) -> str:
    parts = []
    if ctx.get("comparison"):
        rows = [
            (
                "chosen" if c["preferred"] else "",
                (
                    c["model"],
                    c["k"],
                    fmt(c["chi2"], None, 6),
                    fmt(c["sigma0"], None, 4),
                    fmt(c["d_bic"], None, 4),
                    fmt(c["weight"], None, 3),
                ),
            )
            for c in ctx["comparison"]
        ]
        parts += [
            f"<p>{esc(ctx.get('comparison_text'))}</p>",
            _table(("model", "k", "χ²", "σ₀", "ΔBIC", "Akaike weight"), rows),
        ]
    for key in ("nav", "tp"):
        fit = ctx.get(key)
        if not fit:
            continue
        rows = [
            ("fixed" if fixed else "", (k, fmt(v, e, 8), "fixed" if fixed else ""))
            for k, v, e, fixed in fit["params"]
        ]
        rows += [("derived", (k, fmt(v, e, 6), "derived")) for k, v, e in fit["derived"]]
        flags = f" &mdash; flags: {esc('; '.join(fit['flags']))}" if fit["flags"] else ""
        parts.append(
            f"<details><summary>{esc(fit['label'])}: k = {fit['k']}, σ₀ = "
            f"{fmt(fit['sigma0'], None, 4)}, BIC = {fmt(fit['bic'], None, 7)}{flags}</summary>"
            + _table(("parameter", "value", ""), rows, "params")
            + "</details>"
        )
    if not parts:
        return ""
    return '<section class="card wide"><h2>Fits</h2>' + "".join(parts) + "</section>"


def _star_body(ctx, sizes) -> str:
    notes = "".join(f'<p class="note">{esc(n)}</p>' for n in ctx.get("notes") or [])
    head = (
        f'<section class="head"><h1>{esc(ctx["name"])} {_type_badge(ctx.get("type"), bool(ctx.get("error")))}</h1>'
        f'<dl class="facts">{_facts(ctx)}</dl><p class="file">{esc(ctx.get("file"))}</p></section>'
    )
    if ctx.get("error"):
        who = "the batch" if ctx.get("error_origin") == "batch" else "the report"
        failed = (
            f'<section class="card failed"><h2>No figures: {who} could not analyse '
            f'this star</h2><p class="error">{esc(ctx["error"])}</p></section>'
        )
        return head + _review() + notes + failed + _flags(ctx)
    lc = _figure(
        ctx,
        "light_curve",
        "phased light curve over two cycles with the fits and their residuals",
        sizes,
    )
    pg = _figure(ctx, "periodogram", "periodograms with the candidate periods", sizes)
    pg_note = (
        f'<p class="muted">{esc(ctx["periodogram_note"])}</p>'
        if ctx.get("periodogram_note")
        else ""
    )
    oc = ""
    if (ctx.get("figures") or {}).get("oc"):
        oc = (
            '<section class="card wide"><h2>O-C diagram</h2>'
            + _figure(ctx, "oc", "O-C diagram of the times of minima", sizes)
            + f'<pre class="small">{esc(ctx.get("oc"))}</pre></section>'
        )
    elif ctx.get("oc_note"):
        oc = (
            f'<section class="card wide"><h2>O-C diagram</h2><p class="muted">'
            f"{esc(ctx['oc_note'])}</p></section>"
        )
    return (
        head
        + _review()
        + notes
        + f'<section class="card wide figure"><h2>Light curve</h2>{lc}</section>'
        + f'<div class="columns">{_decision(ctx)}{_flags(ctx)}</div>'
        + _gcvs(ctx)
        + f'<section class="card wide"><h2>Periodogram</h2>{pg}{pg_note}{_candidates(ctx)}'
        + "</section>"
        + oc
        + _fits(ctx)
    )


def star_page(ctx: dict, sizes=None) -> str:
    """The HTML of a star page from its context (:mod:`navfit.report.summary`).

    Parameters
    ----------
    ctx : dict
        :func:`~navfit.report.summary.star_context` or
        :func:`~navfit.report.summary.failed_context`.
    sizes : dict, optional
        Figure key -> ``(width, height)`` in pixels, for the ``img`` elements.

    Returns
    -------
    str
    """
    data = {
        k: ctx.get(k)
        for k in ("slug", "uid", "name", "file", "type", "period", "prev", "next", "report_key")
    }
    body = (
        _topbar(ctx)
        + f'<main class="star">{_star_body(ctx, sizes or {})}</main>'
        + '<footer class="foot">keys: <kbd>a</kbd> accept · <kbd>p</kbd> wrong period · '
        "<kbd>t</kbd> wrong type · <kbd>c</kbd> clear · <kbd>n</kbd> note · <kbd>j</kbd>/"
        "<kbd>k</kbd> next/previous · <kbd>i</kbd> index</footer>"
        + f'<script id="star-data" type="application/json">{script_json(data)}</script>'
    )
    return document(
        f"{ctx['name']} — navfit review",
        body,
        depth=1,
        scripts=("report.js", "star.js"),
        page_class="star-page",
    )


def write_star_page(path, ctx: dict) -> Path:
    """Write :func:`star_page` to ``path``, with the sizes of the figures it shows."""
    from PIL import Image

    path = Path(path)
    sizes = {}
    for key, name in (ctx.get("figures") or {}).items():
        try:
            with Image.open(path.parent / name) as im:
                sizes[key] = im.size
        except OSError:
            continue
    path.write_text(star_page(ctx, sizes), encoding="utf-8")
    return path
