/* navfit review report: the reviewer's marks, kept in this browser and exported as CSV.
 *
 * Marks live in localStorage under "navfit-review:<report key>" as
 * {uid: {mark, note, name, file, type, period, slug, time}}, the uid being the star's file
 * (so that marks stay with their stars when a catalogue is reordered); the order of the
 * index's current selection (for previous/next on the star pages) and its
 * filters live in sessionStorage. No server, no network.
 */
(function () {
  "use strict";

  var PREFIX = "navfit-review:";
  var LABELS = { "accept": "accepted", "wrong-period": "wrong period", "wrong-type": "wrong type" };
  var CSV_FIELDS = ["name", "file", "catalogue_type", "catalogue_period", "mark", "note",
                    "marked_at", "page"];

  function storageKey(reportKey) { return PREFIX + reportKey; }

  function storageWorks() {
    try {
      var probe = PREFIX + "probe";
      window.localStorage.setItem(probe, "1");
      window.localStorage.removeItem(probe);
      return true;
    } catch (e) {
      return false;
    }
  }

  function load(reportKey) {
    try {
      var marks = JSON.parse(window.localStorage.getItem(storageKey(reportKey)) || "{}");
      return marks && typeof marks === "object" ? marks : {};
    } catch (e) {
      return {};
    }
  }

  function save(reportKey, marks) {
    try {
      window.localStorage.setItem(storageKey(reportKey), JSON.stringify(marks));
      return true;
    } catch (e) {
      return false;
    }
  }

  /* Change a star's mark and/or note; a star with neither is forgotten. */
  function setMark(reportKey, star, changes) {
    var marks = load(reportKey);
    var rec = Object.assign({}, marks[star.uid] || {}, {
      name: star.name, file: star.file, type: star.type, period: star.period, slug: star.slug
    }, changes, { time: new Date().toISOString() });
    if (!rec.mark && !rec.note) {
      delete marks[star.uid];
    } else {
      marks[star.uid] = rec;
    }
    var ok = save(reportKey, marks);
    return { marks: marks, ok: ok };
  }

  function csvCell(value) {
    var text = value === null || value === undefined ? "" : String(value);
    return /[",\r\n]/.test(text) ? "\"" + text.replace(/"/g, "\"\"") + "\"" : text;
  }

  function toCSV(marks) {
    var lines = [CSV_FIELDS.join(",")];
    Object.keys(marks).sort().forEach(function (uid) {
      var r = marks[uid];
      lines.push([r.name, r.file, r.type, r.period, r.mark || "", r.note || "", r.time,
                  r.slug ? "stars/" + r.slug + ".html" : ""].map(csvCell).join(","));
    });
    return lines.join("\r\n") + "\r\n";
  }

  /* RFC 4180 CSV: quoted fields with doubled quotes and line breaks. */
  function parseCSV(text) {
    var rows = [], row = [], cell = "", quoted = false, i, c;
    for (i = 0; i < text.length; i++) {
      c = text[i];
      if (quoted) {
        if (c === "\"" && text[i + 1] === "\"") { cell += "\""; i++; }
        else if (c === "\"") { quoted = false; }
        else { cell += c; }
      } else if (c === "\"") { quoted = true; }
      else if (c === ",") { row.push(cell); cell = ""; }
      else if (c === "\n" || c === "\r") {
        if (c === "\r" && text[i + 1] === "\n") { i++; }
        row.push(cell); rows.push(row); row = []; cell = "";
      } else { cell += c; }
    }
    if (cell !== "" || row.length) { row.push(cell); rows.push(row); }
    return rows.filter(function (r) { return r.length > 1 || r[0] !== ""; });
  }

  function download(filename, text) {
    var blob = new Blob([text], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.style.display = "none";
    document.body.appendChild(a);
    a.click();
    window.setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 0);
  }

  function exportMarks(reportKey, title) {
    var stem = String(title || "report").replace(/[^A-Za-z0-9._-]+/g, "_");
    download("navfit-review-" + stem + ".csv", toCSV(load(reportKey)));
  }

  function countText(marks) {
    var n = Object.keys(marks).filter(function (s) { return marks[s].mark; }).length;
    return n ? n + " marked" : "no marks yet";
  }

  function session(reportKey, what, value) {
    var key = storageKey(reportKey) + ":" + what;
    try {
      if (value === undefined) { return JSON.parse(window.sessionStorage.getItem(key) || "null"); }
      window.sessionStorage.setItem(key, JSON.stringify(value));
    } catch (e) {
      return null;
    }
    return value;
  }

  function escapeHTML(text) {
    return String(text === null || text === undefined ? "" : text)
      .replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
      .replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  window.NavfitReview = {
    LABELS: LABELS,
    CSV_FIELDS: CSV_FIELDS,
    storageWorks: storageWorks,
    load: load,
    save: save,
    setMark: setMark,
    toCSV: toCSV,
    parseCSV: parseCSV,
    download: download,
    exportMarks: exportMarks,
    countText: countText,
    session: session,
    escapeHTML: escapeHTML
  };
})();
