/* navfit review report: a star page. Marks with buttons or keys, previous/next in the
 * order of the index's current selection, back to the index with its filters. */
(function () {
  "use strict";

  var R = window.NavfitReview;
  var star = JSON.parse(document.getElementById("star-data").textContent);
  var KEY = star.report_key;
  var ADVANCE = "navfit-review:advance";
  var prev = star.prev, next = star.next;

  function byId(id) { return document.getElementById(id); }

  function setLink(id, slug) {
    var el = byId(id);
    if (!el) { return; }
    if (slug) {
      if (el.tagName !== "A") {
        var a = document.createElement("a");
        a.id = id; a.className = "navlink"; a.innerHTML = el.innerHTML;
        el.replaceWith(a); el = a;
      }
      el.href = encodeURIComponent(slug) + ".html";
    } else if (el.tagName === "A") {
      var span = document.createElement("span");
      span.id = id; span.className = "navlink disabled"; span.innerHTML = el.innerHTML;
      el.replaceWith(span);
    }
  }

  /* previous/next follow the index's filtered and sorted list when the star is in it */
  var order = R.session(KEY, "order");
  if (order && order.indexOf(star.slug) >= 0) {
    var i = order.indexOf(star.slug);
    prev = i > 0 ? order[i - 1] : null;
    next = i + 1 < order.length ? order[i + 1] : null;
    setLink("prev", prev);
    setLink("next", next);
    var pos = byId("position");
    if (pos) { pos.textContent = "star " + (i + 1) + " of " + order.length + " selected"; }
  }
  var hash = R.session(KEY, "hash");
  if (hash) { byId("back").href = "../index.html" + hash; }

  var note = byId("note");
  var status = byId("mark-status");
  var advance = byId("advance");

  function show(marks) {
    var rec = marks[star.uid] || {};
    document.querySelectorAll("button.mark").forEach(function (b) {
      b.classList.toggle("active", !!rec.mark && b.dataset.mark === rec.mark);
    });
    if (document.activeElement !== note) { note.value = rec.note || ""; }
    status.textContent = rec.mark ? R.LABELS[rec.mark] : (rec.note ? "note only" : "not reviewed");
    status.className = "status " + (rec.mark ? "s-" + rec.mark : "");
    byId("marks-count").textContent = R.countText(marks);
  }

  function go(slug) { if (slug) { window.location.href = encodeURIComponent(slug) + ".html"; } }

  function mark(value) {
    var current = (R.load(KEY)[star.uid] || {}).mark || "";
    var out = R.setMark(KEY, star, { mark: value === current ? "" : value, note: note.value });
    show(out.marks);
    if (!out.ok) { status.textContent = "cannot save: this browser blocks local storage"; }
    if (out.ok && value && value !== current && advance.checked && next) {
      window.setTimeout(function () { go(next); }, 150);
    }
  }

  document.querySelectorAll("button.mark").forEach(function (b) {
    b.addEventListener("click", function () { mark(b.dataset.mark); });
  });
  var timer = null;
  note.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      show(R.setMark(KEY, star, { note: note.value }).marks);
    }, 250);
  });
  note.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { note.blur(); }
    ev.stopPropagation();
  });
  try { advance.checked = window.localStorage.getItem(ADVANCE) === "1"; } catch (e) { /* none */ }
  advance.addEventListener("change", function () {
    try { window.localStorage.setItem(ADVANCE, advance.checked ? "1" : "0"); } catch (e) { /* none */ }
  });
  byId("export").addEventListener("click", function () { R.exportMarks(KEY, star.name); });

  var KEYS = { a: "accept", p: "wrong-period", t: "wrong-type", c: "" };
  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) { return; }
    var tag = (ev.target && ev.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    if (Object.prototype.hasOwnProperty.call(KEYS, ev.key)) { mark(KEYS[ev.key]); }
    else if (ev.key === "j" || ev.key === "ArrowRight") { go(next); }
    else if (ev.key === "k" || ev.key === "ArrowLeft") { go(prev); }
    else if (ev.key === "n") { note.focus(); ev.preventDefault(); }
    else if (ev.key === "i") { window.location.href = byId("back").href; }
    else { return; }
  });
  window.addEventListener("storage", function () { show(R.load(KEY)); });
  show(R.load(KEY));
  if (!R.storageWorks()) {
    status.textContent = "this browser blocks local storage: marks cannot be kept";
  }
})();
