/* navfit review report: the index. Rows come from assets/index-data.js
 * (window.NAVFIT_REPORT); they are filtered, sorted and shown a page at a time, so that
 * 10,000 stars stay quick. The filters live in the address (#...), so the back button
 * and the star pages' "index" link return to the same selection. */
(function () {
  "use strict";

  var R = window.NavfitReview;
  var D = window.NAVFIT_REPORT;
  var KEY = D.meta.report_key;
  var SIZES = [50, 100, 200, 500];
  var DEFAULTS = { q: "", types: "", uncertain: "", pmin: "", pmax: "", amin: "", amax: "",
                   cmin: "", cmax: "", flag: "", review: "", sort: "pos", desc: "", page: "1",
                   size: "200" };
  var F = {};
  D.fields.forEach(function (name, i) { F[name] = i; });

  function baseType(type, error) {
    if (error) { return "failed"; }
    var t = (type || "").replace(/:$/, "");
    if (t === "not an eclipsing binary") { return "non-EB"; }
    return t || "?";
  }

  var stars = D.rows.map(function (r, i) {
    var flags = r[F.flags];
    var kinds = [];
    flags.forEach(function (f) {
      var k = D.flag_kind[f];
      if (kinds.indexOf(k) < 0) { kinds.push(k); }
    });
    var cp = r[F.conf_period], ct = r[F.conf_type];
    var conf = cp === null ? ct : (ct === null ? cp : Math.min(cp, ct));
    var s = {
      pos: i + 1, slug: r[F.slug], uid: r[F.file] || r[F.slug], name: r[F.name],
      file: r[F.file], type: r[F.type],
      base: baseType(r[F.type], r[F.error]), uncertain: /:$/.test(r[F.type] || ""),
      period: r[F.period], amplitude: r[F.amplitude], conf_period: cp, conf_type: ct,
      conf: conf, flags: flags, kinds: kinds, nature: r[F.nature], error: r[F.error],
      thumb: r[F.thumb], n: r[F.n]
    };
    s.text = [s.name, s.file, s.type, s.nature, s.error].concat(
      flags.map(function (f) { return D.flags[f]; })).join(" ").toLowerCase();
    return s;
  });

  var marks = R.load(KEY);
  var state = readState();

  function byId(id) { return document.getElementById(id); }

  function readState() {
    var out = Object.assign({}, DEFAULTS);
    var params = new URLSearchParams(window.location.hash.replace(/^#/, ""));
    params.forEach(function (value, key) {
      if (Object.prototype.hasOwnProperty.call(DEFAULTS, key)) { out[key] = value; }
    });
    return out;
  }

  function writeState() {
    var params = new URLSearchParams();
    Object.keys(DEFAULTS).forEach(function (k) {
      if (String(state[k]) !== DEFAULTS[k]) { params.set(k, state[k]); }
    });
    var hash = params.toString() ? "#" + params.toString() : "";
    if (hash !== window.location.hash) {
      window.history.replaceState(null, "", window.location.pathname + window.location.search
                                  + hash);
    }
    R.session(KEY, "hash", hash);
  }

  function num(value) {
    if (value === "" || value === null || value === undefined) { return null; }
    var x = parseFloat(value);
    return isFinite(x) ? x : null;
  }

  function inRange(x, lo, hi) {
    if (lo === null && hi === null) { return true; }
    if (x === null) { return false; }
    return (lo === null || x >= lo) && (hi === null || x <= hi);
  }

  function reviewMatches(s, want) {
    var rec = marks[s.uid];
    if (!want) { return true; }
    if (want === "unmarked") { return !rec || !rec.mark; }
    if (want === "note") { return !!(rec && rec.note); }
    return !!(rec && rec.mark === want);
  }

  function flagMatches(s, want) {
    if (!want) { return true; }
    if (want === "none") { return s.flags.length === 0; }
    if (want === "any") { return s.flags.length > 0; }
    return s.kinds.indexOf(parseInt(want, 10)) >= 0;
  }

  function selected() {
    var terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var types = state.types ? state.types.split(",") : [];
    var p = [num(state.pmin), num(state.pmax)], a = [num(state.amin), num(state.amax)];
    var c = [num(state.cmin), num(state.cmax)];
    return stars.filter(function (s) {
      return (!types.length || types.indexOf(s.base) >= 0)
        && (!state.uncertain || s.uncertain)
        && terms.every(function (t) { return s.text.indexOf(t) >= 0; })
        && inRange(s.period, p[0], p[1]) && inRange(s.amplitude, a[0], a[1])
        && inRange(s.conf, c[0], c[1]) && flagMatches(s, state.flag)
        && reviewMatches(s, state.review);
    });
  }

  function sortValue(s, key) {
    if (key === "flags") { return s.flags.length; }
    if (key === "mark") { return (marks[s.uid] || {}).mark || ""; }
    return s[key];
  }

  function sorted(list) {
    var key = state.sort, sign = state.desc ? -1 : 1;
    return list.slice().sort(function (x, y) {
      var a = sortValue(x, key), b = sortValue(y, key);
      var missingA = a === null || a === undefined || a === "";
      var missingB = b === null || b === undefined || b === "";
      if (missingA || missingB) { return missingA === missingB ? x.pos - y.pos : (missingA ? 1 : -1); }
      if (typeof a === "string") { a = a.toLowerCase(); b = String(b).toLowerCase(); }
      return a < b ? -sign : (a > b ? sign : x.pos - y.pos);
    });
  }

  function fixed(x, digits) { return x === null || x === undefined ? "–" : x.toFixed(digits); }

  function periodText(p) {
    if (p === null || p === undefined) { return "–"; }
    return p >= 100 ? p.toFixed(3) : p.toPrecision(8);
  }

  function badge(s) {
    var cls = ["EA", "EB", "EW", "ELL", "failed"].indexOf(s.base) >= 0 ? s.base : "other";
    var label = s.base === "failed" ? "failed" : (s.base + (s.uncertain ? ":" : ""));
    var title = s.error ? s.error : (s.nature ? s.type + " (" + s.nature + ")" : s.type);
    return "<span class=\"badge t-" + cls + "\" title=\"" + R.escapeHTML(title) + "\">"
      + R.escapeHTML(label) + "</span>";
  }

  function flagCell(s) {
    if (!s.flags.length) { return "<span class=\"muted\">–</span>"; }
    var texts = s.flags.map(function (f) { return D.flags[f]; });
    var first = texts[0].length > 48 ? texts[0].slice(0, 46) + "…" : texts[0];
    var more = texts.length > 1 ? " <b>+" + (texts.length - 1) + "</b>" : "";
    return "<span class=\"flagtext\" title=\"" + R.escapeHTML(texts.join("\n")) + "\">"
      + R.escapeHTML(first) + more + "</span>";
  }

  function markCell(s) {
    var rec = marks[s.uid];
    if (!rec) { return ""; }
    var out = rec.mark ? "<span class=\"mk s-" + rec.mark + "\">" + R.LABELS[rec.mark] + "</span>"
      : "";
    if (rec.note) {
      out += " <span class=\"notemark\" title=\"" + R.escapeHTML(rec.note) + "\">✎</span>";
    }
    return out;
  }

  function rowHTML(s) {
    var href = "stars/" + encodeURIComponent(s.slug) + ".html";
    var thumb = s.thumb
      ? "<a href=\"" + href + "\" tabindex=\"-1\"><img loading=\"lazy\" decoding=\"async\" "
        + "width=\"200\" height=\"120\" alt=\"\" src=\"thumbs/" + encodeURIComponent(s.slug)
        + ".png\"></a>"
      : "<span class=\"nothumb\">" + (s.error ? "failed" : "no figure") + "</span>";
    return "<tr data-slug=\"" + R.escapeHTML(s.slug) + "\"><td class=\"num\">" + s.pos
      + "</td><td class=\"thumb\">" + thumb + "</td><td class=\"name\"><a href=\"" + href
      + "\">" + R.escapeHTML(s.name) + "</a><div class=\"file\">" + R.escapeHTML(s.file)
      + "</div>" + (s.error ? "<div class=\"err\">" + R.escapeHTML(s.error) + "</div>" : "")
      + "</td><td>" + badge(s) + (s.nature ? "<div class=\"nature\">" + R.escapeHTML(s.nature)
      + "</div>" : "") + "</td><td class=\"num\">" + periodText(s.period)
      + "</td><td class=\"num\">" + fixed(s.amplitude, 3) + "</td><td class=\"num\">"
      + fixed(s.conf_period, 2) + "</td><td class=\"num\">" + fixed(s.conf_type, 2)
      + "</td><td class=\"flags\">" + flagCell(s) + "</td><td class=\"mark\">" + markCell(s)
      + "</td></tr>";
  }

  function pagerHTML(page, pages, first, last, total) {
    var sizes = SIZES.map(function (n) {
      return "<option value=\"" + n + "\"" + (String(n) === state.size ? " selected" : "") + ">"
        + n + " per page</option>";
    }).join("");
    var info = total ? "stars " + first + "–" + last + " of " + total : "no stars";
    if (total !== stars.length) { info += " (of " + stars.length + ")"; }
    return "<button type=\"button\" data-page=\"1\"" + (page <= 1 ? " disabled" : "")
      + ">« first</button><button type=\"button\" data-page=\"" + (page - 1) + "\""
      + (page <= 1 ? " disabled" : "") + ">‹ previous</button><span class=\"pageinfo\">page "
      + page + " of " + pages + " · " + info + "</span><button type=\"button\" data-page=\""
      + (page + 1) + "\"" + (page >= pages ? " disabled" : "") + ">next ›</button>"
      + "<button type=\"button\" data-page=\"" + pages + "\"" + (page >= pages ? " disabled" : "")
      + ">last »</button><select class=\"size\" aria-label=\"rows per page\">" + sizes
      + "</select>";
  }

  function render() {
    var list = sorted(selected());
    var size = parseInt(state.size, 10) || 200;
    var pages = Math.max(1, Math.ceil(list.length / size));
    var page = Math.min(Math.max(1, parseInt(state.page, 10) || 1), pages);
    state.page = String(page);
    var shown = list.slice((page - 1) * size, page * size);
    byId("rows").innerHTML = shown.map(rowHTML).join("");
    byId("empty").hidden = list.length > 0;
    var pager = pagerHTML(page, pages, (page - 1) * size + 1, (page - 1) * size + shown.length,
                          list.length);
    byId("pager-top").innerHTML = pager;
    byId("pager-bottom").innerHTML = pager;
    document.querySelectorAll("th[data-key]").forEach(function (th) {
      th.classList.toggle("sorted", th.dataset.key === state.sort);
      th.classList.toggle("desc", th.dataset.key === state.sort && !!state.desc);
    });
    syncControls();
    R.session(KEY, "order", list.map(function (s) { return s.slug; }));
    writeState();
    byId("marks-count").textContent = R.countText(marks);
  }

  function countBy(fn) {
    var out = {};
    stars.forEach(function (s) { var k = fn(s); out[k] = (out[k] || 0) + 1; });
    return out;
  }

  function buildTypeChips() {
    var counts = countBy(function (s) { return s.base; });
    var order = ["EA", "EB", "EW", "ELL", "non-EB", "?", "failed"];
    var names = Object.keys(counts).sort(function (a, b) {
      var ia = order.indexOf(a), ib = order.indexOf(b);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || a.localeCompare(b);
    });
    byId("types").innerHTML = "<button type=\"button\" class=\"chip\" data-type=\"\">all <span>"
      + stars.length + "</span></button>" + names.map(function (t) {
        return "<button type=\"button\" class=\"chip\" data-type=\"" + R.escapeHTML(t) + "\">"
          + R.escapeHTML(t) + " <span>" + counts[t] + "</span></button>";
      }).join("");
  }

  function buildFlagSelect() {
    var counts = {};
    stars.forEach(function (s) { s.kinds.forEach(function (k) { counts[k] = (counts[k] || 0) + 1; }); });
    var withFlags = stars.filter(function (s) { return s.flags.length; }).length;
    var html = "<option value=\"\">all</option><option value=\"none\">no flags ("
      + (stars.length - withFlags) + ")</option><option value=\"any\">any flag (" + withFlags
      + ")</option>";
    Object.keys(counts).sort(function (a, b) { return counts[b] - counts[a]; }).forEach(function (k) {
      var text = D.flag_kinds[k];
      var short = text.length > 70 ? text.slice(0, 68) + "…" : text;
      html += "<option value=\"" + k + "\" title=\"" + R.escapeHTML(text) + "\">"
        + R.escapeHTML(short) + " (" + counts[k] + ")</option>";
    });
    byId("flag").innerHTML = html;
  }

  var INPUTS = ["q", "pmin", "pmax", "amin", "amax", "cmin", "cmax", "flag", "review"];

  function syncControls() {
    INPUTS.forEach(function (id) {
      var el = byId(id);
      if (document.activeElement !== el && el.value !== state[id]) { el.value = state[id]; }
    });
    byId("uncertain").checked = !!state.uncertain;
    var types = state.types ? state.types.split(",") : [];
    document.querySelectorAll("#types .chip").forEach(function (chip) {
      var t = chip.dataset.type;
      chip.classList.toggle("on", t === "" ? !types.length : types.indexOf(t) >= 0);
    });
  }

  function change(key, value) {
    state[key] = value;
    if (key !== "page") { state.page = "1"; }
    render();
  }

  function bind() {
    INPUTS.forEach(function (id) {
      var el = byId(id);
      el.addEventListener(el.tagName === "SELECT" ? "change" : "input", function () {
        change(id, el.value.trim());
      });
    });
    byId("uncertain").addEventListener("change", function (ev) {
      change("uncertain", ev.target.checked ? "1" : "");
    });
    byId("types").addEventListener("click", function (ev) {
      var chip = ev.target.closest(".chip");
      if (!chip) { return; }
      var t = chip.dataset.type, types = state.types ? state.types.split(",") : [];
      if (!t) { types = []; }
      else if (ev.shiftKey || ev.ctrlKey || ev.metaKey) {
        types = types.indexOf(t) >= 0 ? types.filter(function (x) { return x !== t; })
          : types.concat([t]);
      } else { types = types.length === 1 && types[0] === t ? [] : [t]; }
      change("types", types.join(","));
    });
    document.querySelector("#stars thead").addEventListener("click", function (ev) {
      var th = ev.target.closest("th[data-key]");
      if (!th) { return; }
      if (state.sort === th.dataset.key) { state.desc = state.desc ? "" : "1"; }
      else { state.sort = th.dataset.key; state.desc = ""; }
      change("sort", state.sort);
    });
    [byId("pager-top"), byId("pager-bottom")].forEach(function (pager) {
      pager.addEventListener("click", function (ev) {
        var b = ev.target.closest("button[data-page]");
        if (b && !b.disabled) { change("page", b.dataset.page); window.scrollTo(0, 0); }
      });
      pager.addEventListener("change", function (ev) {
        if (ev.target.classList.contains("size")) { change("size", ev.target.value); }
      });
    });
    byId("reset").addEventListener("click", function () {
      state = Object.assign({}, DEFAULTS, { size: state.size });
      render();
    });
    bindMarks();
    document.addEventListener("keydown", function (ev) {
      var tag = (ev.target && ev.target.tagName) || "";
      if (ev.key === "/" && tag !== "INPUT" && tag !== "TEXTAREA") {
        ev.preventDefault();
        byId("q").focus();
      }
    });
    window.addEventListener("storage", function () { marks = R.load(KEY); render(); });
    window.addEventListener("hashchange", function () { state = readState(); render(); });
  }

  /* what a mark records of its star: the file as the catalogue gives it */
  function markable(s) {
    var root = D.meta.file_root;
    return { uid: s.uid, slug: s.slug, name: s.name, type: s.type, period: s.period,
             file: root && s.file ? root.replace(/[\\/]$/, "") + "/" + s.file : s.file };
  }

  function importCSV(text) {
    var rows = R.parseCSV(text);
    if (!rows.length) { return 0; }
    var head = rows[0], col = {};
    head.forEach(function (h, i) { col[h.trim()] = i; });
    if (col.mark === undefined || (col.file === undefined && col.name === undefined)) {
      window.alert("Not a navfit review CSV: it needs the columns mark and file (or name).");
      return 0;
    }
    var byFile = {}, byName = {};
    stars.forEach(function (s) { byFile[s.file] = s; byName[s.name] = s; });
    var n = 0;
    rows.slice(1).forEach(function (r) {
      var file = r[col.file] || "", name = r[col.name] || "";
      var s = byName[name] || byFile[file] || byFile[file.split(/[\\/]/).pop()];
      if (!s) {
        stars.forEach(function (x) { if (!s && file && file.slice(-x.file.length) === x.file) { s = x; } });
      }
      if (!s) { return; }
      var value = r[col.mark] || "";
      if (value && !R.LABELS[value]) { return; }
      R.setMark(KEY, markable(s), { mark: value,
                                   note: col.note === undefined ? "" : r[col.note] || "" });
      n++;
    });
    return n;
  }

  function bindMarks() {
    byId("export").addEventListener("click", function () { R.exportMarks(KEY, D.meta.title); });
    byId("import").addEventListener("change", function (ev) {
      var file = ev.target.files[0];
      if (!file) { return; }
      file.text().then(function (text) {
        var n = importCSV(text);
        marks = R.load(KEY);
        render();
        byId("marks-count").textContent = R.countText(marks) + " (" + n + " imported)";
        ev.target.value = "";
      });
    });
    byId("clear-marks").addEventListener("click", function () {
      var n = Object.keys(marks).length;
      if (n && window.confirm("Forget the " + n + " marks of this report in this browser? "
                              + "Export them first to keep them.")) {
        R.save(KEY, {});
        marks = {};
        render();
      }
    });
  }

  function summary() {
    var failed = stars.filter(function (s) { return s.error; }).length;
    var text = stars.length + " stars" + (failed ? ", " + failed + " failed" : "");
    if (D.meta.created) { text += " · report of " + D.meta.created; }
    byId("summary").textContent = text;
    byId("summary").title = D.meta.catalogue || "";
  }

  buildTypeChips();
  buildFlagSelect();
  summary();
  bind();
  render();
  if (!R.storageWorks()) {
    byId("marks-count").textContent = "this browser blocks local storage: marks cannot be kept";
  }
})();
