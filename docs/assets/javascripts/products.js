/* Facets and sorting for the product listing (/products/).
   The list is complete without JavaScript. Everything the script needs is in the page (data-*
   attributes on each entry), so it also works from file:// with no network. The state lives in
   the URL query, e.g. ?type=tool,guidance&category=protection-monitoring&lang=fr&year=2015-2020
   &producer=drc&q=sharing&sort=title. Facets combine with AND, values within one facet with OR. */
(function () {
  "use strict";
  var list = document.getElementById("pim-products");
  var form = document.getElementById("pim-facets");
  if (!list || !form) return;
  var countOut = document.getElementById("pim-count");
  // The count's wording comes from the page (data-one, data-many, data-some), in its language.
  function wording(key, values) {
    var text = countOut.getAttribute("data-" + key) || "";
    for (var name in values) text = text.replace("{" + name + "}", values[name]);
    return text;
  }
  var sortSelect = document.getElementById("pim-sort-select");
  var query = form.elements.q, yearFrom = form.elements.from, yearTo = form.elements.to;

  // Case, accents, hamza forms, ta marbuta, tashkeel... forgiven as search forgives them
  // ("Français" ~ "francais", "إدارة" ~ "اداره"): fold.js, inlined before this script.
  var fold = window.pimFold;
  function words(value) { return value ? value.split(" ") : []; }

  // Facets with checkboxes: URL parameter = fieldset's data-facet, entry attribute = data-attr.
  var facets = Array.prototype.map.call(form.querySelectorAll("fieldset[data-facet]"), function (fieldset) {
    var boxes = {};
    Array.prototype.forEach.call(fieldset.querySelectorAll("input[type=checkbox]"), function (box) {
      boxes[box.value] = { box: box, count: box.parentNode.querySelector(".pim-facets__n") };
    });
    return { name: fieldset.getAttribute("data-facet"), attr: fieldset.getAttribute("data-attr"), boxes: boxes };
  });

  // Read every entry once: O(n) per change afterwards, no DOM queries in the loop.
  var entries = Array.prototype.map.call(list.children, function (li, index) {
    var title = li.querySelector(".pim-card__title"), summary = li.querySelector(".pim-card__summary");
    var year = parseInt(li.getAttribute("data-year"), 10);
    return {
      el: li,
      order: index, // built newest first
      title: title ? title.textContent.trim() : "",
      text: fold((title ? title.textContent : "") + " " + (summary ? summary.textContent : "")),
      year: isNaN(year) ? null : year,
      values: facets.map(function (f) { return words(li.getAttribute("data-" + f.attr)); })
    };
  });
  var total = entries.length;

  function parseYear(value) {
    var n = parseInt(value, 10);
    return isNaN(n) ? null : n;
  }

  // The state, read from the controls.
  function state() {
    return {
      sel: facets.map(function (f) {
        var chosen = {}, any = false;
        for (var v in f.boxes) if (f.boxes[v].box.checked) { chosen[v] = true; any = true; }
        return any ? chosen : null;
      }),
      from: parseYear(yearFrom.value),
      to: parseYear(yearTo.value),
      terms: fold(query.value).split(/\s+/).filter(Boolean)
    };
  }

  function apply() {
    var s = state(), shown = 0;
    var counts = facets.map(function () { return {}; });
    for (var i = 0; i < entries.length; i++) {
      var e = entries[i], base = true, fails = 0, failed = -1, f, k;
      if (s.from !== null || s.to !== null) {
        base = e.year !== null && (s.from === null || e.year >= s.from) && (s.to === null || e.year <= s.to);
      }
      for (k = 0; base && k < s.terms.length; k++) if (e.text.indexOf(s.terms[k]) < 0) base = false;
      for (f = 0; f < facets.length; f++) {
        var chosen = s.sel[f];
        if (!chosen) continue;
        var hit = false;
        for (k = 0; k < e.values[f].length; k++) if (chosen[e.values[f][k]]) { hit = true; break; }
        if (!hit) { fails++; failed = f; }
      }
      var visible = base && fails === 0;
      if (e.el.hidden === visible) e.el.hidden = !visible;
      if (visible) shown++;
      // A value's count: entries that pass every other filter and carry that value.
      if (base && fails <= 1) {
        for (f = 0; f < facets.length; f++) {
          if (fails === 1 && f !== failed) continue;
          for (k = 0; k < e.values[f].length; k++) counts[f][e.values[f][k]] = (counts[f][e.values[f][k]] || 0) + 1;
        }
      }
    }
    facets.forEach(function (facet, f) {
      for (var v in facet.boxes) {
        var n = counts[f][v] || 0, item = facet.boxes[v];
        if (item.count) item.count.textContent = "(" + n + ")";
        item.box.parentNode.classList.toggle("pim-facets__none", n === 0);
      }
    });
    countOut.textContent = shown === total
      ? (total === 1 ? wording("one", {}) : wording("many", { n: total }))
      : wording("some", { shown: shown, total: total });
  }

  function sort() {
    var mode = sortSelect ? sortSelect.value : "date";
    var sorted = entries.slice().sort(function (a, b) {
      if (mode === "title") return a.title.localeCompare(b.title) || a.order - b.order;
      return mode === "date-asc" ? b.order - a.order : a.order - b.order;
    });
    var fragment = document.createDocumentFragment();
    sorted.forEach(function (e) { fragment.appendChild(e.el); });
    list.appendChild(fragment);
  }

  // URL query <-> controls.
  function toQuery() {
    var s = state(), parts = [];
    facets.forEach(function (facet, f) {
      if (s.sel[f]) parts.push(facet.name + "=" + Object.keys(s.sel[f]).map(encodeURIComponent).join(","));
    });
    if (s.from !== null || s.to !== null) parts.push("year=" + (s.from === null ? "" : s.from) + "-" + (s.to === null ? "" : s.to));
    if (query.value.trim()) parts.push("q=" + encodeURIComponent(query.value.trim()));
    if (sortSelect && sortSelect.value !== "date") parts.push("sort=" + sortSelect.value);
    return parts.length ? "?" + parts.join("&") : "";
  }

  function fromQuery() {
    var params = new URLSearchParams(location.search);
    facets.forEach(function (facet) {
      var wanted = {};
      (params.get(facet.name) || "").split(",").forEach(function (v) { wanted[v] = true; });
      for (var v in facet.boxes) facet.boxes[v].box.checked = !!wanted[v];
    });
    var year = /^(\d*)-?(\d*)$/.exec(params.get("year") || "") || ["", "", ""];
    var single = year[0] && year[0].indexOf("-") < 0; // year=2018 means 2018-2018
    yearFrom.value = year[1];
    yearTo.value = single ? year[1] : year[2];
    query.value = params.get("q") || "";
    if (sortSelect) {
      var mode = params.get("sort");
      sortSelect.value = mode === "title" || mode === "date-asc" ? mode : "date";
    }
  }

  var typing = false; // one history entry per search, not one per keystroke
  function commit(replace) {
    var url = location.pathname + toQuery() + location.hash;
    if (url === location.pathname + location.search + location.hash) return;
    try {
      if (replace) history.replaceState(null, "", url);
      else history.pushState(null, "", url);
    } catch (error) { /* some browsers refuse history changes on file:// pages: filters still work */ }
  }

  function changed(event) {
    var t = event.target;
    if (t === query) {
      apply();
      if (event.type === "input") { commit(typing); typing = true; } else typing = false;
      return;
    }
    if (event.type === "input") return; // checkboxes and years: act once, on change
    apply();
    commit(false);
  }

  form.addEventListener("change", changed);
  form.addEventListener("input", changed);
  form.addEventListener("submit", function (event) { event.preventDefault(); typing = false; });
  form.addEventListener("reset", function () {
    setTimeout(function () { apply(); commit(false); }, 0); // after the browser has cleared the controls
  });
  if (sortSelect) sortSelect.addEventListener("change", function () { sort(); commit(false); });
  window.addEventListener("popstate", function () { fromQuery(); sort(); apply(); });

  fromQuery();
  if (sortSelect && sortSelect.value !== "date") sort();
  apply();
  var groups = document.getElementById("pim-facet-groups");
  if (groups && (window.matchMedia("(min-width: 45em)").matches || /[?&](type|category|lang|year|producer)=/.test(location.search))) {
    groups.open = true;
  }
  form.hidden = false;
  var sortBox = document.querySelector("[data-pim-sort]");
  if (sortBox) sortBox.hidden = false;
})();
