/* The proposal form (/contribute/propose/, overrides/propose.html). It reads the file plan that
   pim/propose.py embeds in the page, checks the answers by the rules of `make validate`, and writes
   the product file exactly as pim/productfile.py does (same plan, same `render`), then hands it to
   GitHub's new-file page, a download or the clipboard. Contributed text only ever goes into
   textContent and form values, never into markup. No request leaves the page. */
(function () {
  "use strict";
  var form = document.getElementById("pim-propose");
  var specNode = document.getElementById("pim-propose-spec");
  if (!form || !specNode) return;
  var spec = JSON.parse(specNode.textContent);
  var labels = JSON.parse(document.getElementById("pim-propose-labels").textContent);
  var $ = function (sel, root) { return (root || form).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || form).querySelectorAll(sel)); };
  var msg = function (name) { return form.getAttribute("data-msg-" + name) || name; };

  /* ---- The file: the same as pim/productfile.py (tests/test_propose.py compares them). ---- */
  var UNSAFE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udfff]/gu;
  var PLAIN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
  var WORDS = ["y", "n", "yes", "no", "on", "off", "true", "false", "null"];
  function quote(text) {
    return JSON.stringify(text).replace(UNSAFE, function (c) {
      return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
  }
  function scalar(text, plain) {
    return plain && PLAIN.test(text) && WORDS.indexOf(text) < 0 ? text : quote(text);
  }
  function isEmpty(v) {
    if (v === null || v === undefined || v === "") return true;
    if (Array.isArray(v)) return v.length === 0;
    if (typeof v === "object") return Object.keys(v).every(function (k) { return isEmpty(v[k]); });
    return false;
  }
  function flow(field, value) {
    var kind = field.kind;
    if (kind === "bool") return value ? "true" : "false";
    if (kind === "integer" || kind === "number") return String(value);
    if (kind === "choices" || kind === "producers" || kind === "list") {
      return "[" + value.map(function (v) { return scalar(v, field.plain); }).join(", ") + "]";
    }
    if (kind === "object") {
      return "{" + field.fields.filter(function (c) { return !isEmpty(value[c.key]); })
        .map(function (c) { return c.key + ": " + flow(c, value[c.key]); }).join(", ") + "}";
    }
    return scalar(value, field.plain);
  }
  function spaces(n) { return new Array(n + 1).join(" "); }
  function lines(field, value, indent, lead) {
    var key = indent + lead + field.key + ":";
    var inner = indent + spaces(lead.length) + "  ";
    var out = [key];
    if (field.kind === "entries") {
      value.forEach(function (entry, i) { out = out.concat(entryLines(field.fields, entry, inner, i === 0)); });
      return out;
    }
    if (field.kind === "object" && field.fields.some(function (c) { return c.kind === "object"; })) {
      field.fields.forEach(function (c) {
        if (!isEmpty(value[c.key])) out = out.concat(lines(c, value[c.key], inner, ""));
      });
      return out;
    }
    return [key + " " + flow(field, value)];
  }
  /* Help comments above a list's first entry only, as pim/productfile.py writes them. */
  function entryLines(fields, values, indent, helped) {
    var out = [], first = true;
    fields.forEach(function (field) {
      if (helped) out = out.concat(field.comment);
      var value = values[field.key];
      if (isEmpty(value)) {
        out = out.concat(field.empty);
      } else {
        out = out.concat(lines(field, value, indent, first ? "- " : "  "));
        first = false;
      }
    });
    return out;
  }
  function render(plan, values, body) {
    var out = ["---"].concat(plan.header);
    plan.fields.forEach(function (field) {
      out.push("");
      out = out.concat(field.comment);
      var value = values[field.key];
      out = out.concat(isEmpty(value) ? field.empty : lines(field, value, "", ""));
    });
    out.push("---");
    return out.join("\n") + "\n" + body;
  }
  /* A hook for tests: the same render over the same plan, with values given directly. */
  window.pimProposeRender = function (values, body) { return render(spec, values, body); };

  /* ---- The id from the title, as `make new` makes it (pim/scaffold.py slugify). ---- */
  function slugify(title) {
    var text = Array.from(title.normalize("NFKC").toLowerCase()).map(function (c) {
      return Object.prototype.hasOwnProperty.call(spec.latinExtra, c) ? spec.latinExtra[c] : c;
    }).join("").normalize("NFKD").replace(/[^\x00-\x7f]/g, "");
    var slug = text.replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    if (slug.length > spec.maxIdLength) {
      slug = slug.slice(0, spec.maxIdLength);
      if (slug.lastIndexOf("-") >= 0) slug = slug.slice(0, slug.lastIndexOf("-"));
    }
    return slug;
  }
  function mostlyLatin(title) {
    var letters = Array.from(title).filter(function (c) { return /\p{L}/u.test(c); });
    var latin = letters.filter(function (c) { return slugify(c); });
    return letters.length > 0 && latin.length * 2 >= letters.length;
  }

  /* ---- Lists of entries (editions, files): numbered copies of a <template>. ---- */
  var counter = 0;
  function number(root, level, n) {
    var token = "__" + level + "__";
    $$("[id],[for],[aria-describedby],[href]", root).forEach(function (el) {
      ["id", "for", "aria-describedby", "href"].forEach(function (name) {
        var v = el.getAttribute(name);
        if (v && v.indexOf(token) >= 0) el.setAttribute(name, v.split(token).join(String(n)));
      });
    });
    $$("template", root).forEach(function (t) { number(t.content, level, n); });
  }
  function level(wrapper) { return (wrapper.getAttribute("data-path").match(/\[\]/g) || []).length; }
  function addEntry(wrapper) {
    var tpl = $(":scope > template", wrapper);
    var entry = tpl.content.firstElementChild.cloneNode(true);
    number(entry, level(wrapper), ++counter);
    $(":scope > [data-entries]", wrapper).appendChild(entry);
    renumber(wrapper);
    return entry;
  }
  function renumber(wrapper) {
    $$(":scope > [data-entries] > [data-entry]", wrapper).forEach(function (entry, i) {
      $("[data-entry-number]", entry).textContent = String(i + 1);
      var remove = $$(":scope > [data-remove] [data-remove-name]", entry)[0];
      if (remove) remove.textContent = $("[data-entry-name]", entry).textContent + " " + (i + 1);
    });
  }

  /* ---- Reading the form into values, in the plan's shape. ---- */
  function own(container, field) { return $("[data-path=\"" + field.path + "\"]", container); }
  function read(fields, container) {
    var values = {};
    fields.forEach(function (field) {
      var el = own(container, field);
      if (!el) return;
      var kind = field.kind, v;
      if (kind === "entries") {
        v = $$(":scope > [data-entries] > [data-entry]", el).map(function (e) { return read(field.fields, e); });
      } else if (kind === "object") {
        v = read(field.fields, el);
      } else if (kind === "choices" || kind === "producers") {
        v = $$("input[type=checkbox]:checked", el).map(function (i) { return i.value; });
      } else if (kind === "bool") {
        v = $("input", el).checked || null;
      } else {
        v = $("input,select,textarea", el).value.trim();
        if (kind === "list") v = v ? v.split(/[\s,]+/).filter(Boolean) : [];
      }
      values[field.key] = v;
    });
    return values;
  }
  function bodyText() {
    var text = $("#pf-description").value.replace(/\r\n?/g, "\n").replace(/^\n+|\s+$/g, "");
    return text ? "\n" + text + "\n" : spec.body;
  }
  function fileText() { return render(spec, read(spec.fields, form), bodyText()); }

  /* ---- Checks: the rules of `make validate` (pim/schema.py, pim/checks.py). ---- */
  function chars(s) { return Array.from(s).length; }
  function safeUrl(url) {
    var u;
    try { u = new URL(url); } catch (e) { return false; }
    if (u.protocol === "mailto:") return u.pathname.length > 0;
    return (u.protocol === "https:" || u.protocol === "http:") && u.host.length > 0 && /^https?:\/\/[^/]/i.test(url);
  }
  function safePath(p) {
    return p.charAt(0) !== "/" && p.split("/").indexOf("..") < 0 && p.indexOf("\\") < 0 && p.indexOf(":") < 0 &&
      spec.docsFiles.indexOf(p) >= 0;
  }
  function textProblem(field, v) {
    if (!v) return field.required ? msg("required") : "";
    if (field.max && chars(v) > field.max) return msg("max").replace("{n}", field.max);
    if (field.pattern && !new RegExp(field.pattern, "u").test(v)) return msg("format");
    if (field.kind === "integer" || field.kind === "number") {
      if (!(field.kind === "integer" ? /^-?(0|[1-9]\d*)$/ : /^-?(0|[1-9]\d*)(\.\d+)?$/).test(v) ||
          Number(v) < field.minimum || Number(v) > field.maximum) return msg("format");
    }
    if (field.key === "url" && !safeUrl(v)) return msg("url");
    if (field.key === "path" && !safePath(v)) return msg("path");
    return "";
  }
  function check(fields, values, container, problems) {
    fields.forEach(function (field) {
      var el = own(container, field);
      if (!el) return;
      var v = values[field.key], problem = "";
      if (field.kind === "entries") {
        /* An optional list (changes) may be left out; given, it needs minItems entries. */
        if (field.minItems && v.length < field.minItems && (field.required || v.length)) problem = msg("required");
        $$(":scope > [data-entries] > [data-entry]", el).forEach(function (e, i) { check(field.fields, v[i], e, problems); });
      } else if (field.kind === "object") {
        check(field.fields, v, el, problems);
      } else if (field.kind === "choices" || field.kind === "producers") {
        if ((field.required || field.minItems) && v.length < (field.minItems || 1)) problem = msg("choose");
      } else if (field.kind === "list") {
        v.forEach(function (item) { problem = problem || (field.pattern && !new RegExp(field.pattern, "u").test(item) ? msg("format") : ""); });
        if (!problem && new Set(v).size !== v.length) problem = msg("twice");
      } else if (field.kind !== "bool") {
        problem = textProblem(field, v);
        if (!problem && field.either.length && field.either[0] === field.key) {
          var given = field.either.filter(function (k) { return !isEmpty(values[k]); });
          if (given.length === 0) problem = msg("required");
          if (given.length > 1) problem = msg("either");
        }
      }
      if (problem) problems.push([el, problem]);
    });
  }
  function checkId(problems) {
    var id = $("#pf-id").value.trim(), problem = "";
    if (!id) problem = msg("required");
    else if (!new RegExp(spec.idPattern).test(id)) problem = msg("format");
    else if (spec.ids.indexOf(id) >= 0) problem = msg("taken");
    var at = problems.length && problems[0][0] === own(form, spec.fields[0]) ? 1 : 0;
    if (problem) problems.splice(at, 0, [$("[data-field=id]"), problem]);
  }
  function control(el) {
    return el.matches("fieldset") ? el : $("input,select,textarea", el);
  }
  function focusTarget(el) {
    return el.matches("fieldset") ? $("input,select,textarea,button", el) : control(el);
  }
  function nameOf(el) {
    var names = [], node = el;
    while (node && node !== form) {
      var label = node.matches("fieldset") ? $(":scope > legend", node) : $(":scope > label", node);
      if (label && (node === el || node.matches("[data-entry], .pim-group"))) {
        var need = $(".pim-field__need", label), text = label.textContent;
        names.unshift((need ? text.replace(need.textContent, "") : text).replace(/\s+/g, " ").trim());
      }
      node = node.parentElement;
    }
    return names.join(" › ");
  }
  function showProblems(problems) {
    $$("[data-path], [data-field]").forEach(function (el) {
      var error = $(":scope > .pim-field__error", el);
      if (!error) return;
      var c = control(el);
      error.hidden = true;
      error.textContent = "";
      if (c) {
        c.removeAttribute("aria-invalid");
        var d = (c.getAttribute("aria-describedby") || "").split(" ").filter(function (x) { return x && x !== error.id; });
        if (d.length) c.setAttribute("aria-describedby", d.join(" ")); else c.removeAttribute("aria-describedby");
      }
    });
    var box = $("#pim-propose-errors"), list = $("ul", box);
    list.textContent = "";
    problems.forEach(function (p) {
      var el = p[0], error = $(":scope > .pim-field__error", el), c = control(el);
      error.textContent = p[1];
      error.hidden = false;
      c.setAttribute("aria-invalid", "true");
      c.setAttribute("aria-describedby", ((c.getAttribute("aria-describedby") || "") + " " + error.id).trim());
      var target = focusTarget(el), li = document.createElement("li"), a = document.createElement("a");
      a.href = "#" + target.id;
      a.textContent = nameOf(el) + ": " + p[1];
      a.addEventListener("click", function (e) { e.preventDefault(); target.focus(); });
      li.appendChild(a);
      list.appendChild(li);
    });
    box.hidden = problems.length === 0;
    if (problems.length) box.focus();
    return problems.length === 0;
  }
  function valid() {
    var problems = [];
    check(spec.fields, read(spec.fields, form), form, problems);
    checkId(problems);
    return showProblems(problems);
  }

  /* ---- Preview of the card, as the product list shows it (partials/product-card.html). ---- */
  function preview() {
    var v = read(spec.fields, form);
    var card = $("[data-preview]");
    var link = $("[data-preview-title]", card);
    link.textContent = v.title || "";
    if (v.title) link.setAttribute("href", "#pf-title"); else link.removeAttribute("href");
    $("[data-preview-summary]", card).textContent = v.summary || "";
    $("[data-preview-type]", card).textContent = labels.types[v.type] || "";
    var date = $("[data-preview-date]", card);
    date.textContent = "";
    if (v.published === "unknown") date.textContent = labels.unknown;
    else if (v.published) {
      var time = document.createElement("time");
      time.setAttribute("datetime", v.published);
      time.textContent = v.published;
      date.appendChild(time);
    }
    var langs = $("[data-preview-langs]", card), seen = [];
    langs.textContent = "";
    (v.editions || []).forEach(function (e) {
      if (!e.language || seen.indexOf(e.language) >= 0) return;
      if (seen.length) langs.appendChild(document.createTextNode(", "));
      seen.push(e.language);
      var abbr = document.createElement("abbr");
      abbr.title = labels.languages[e.language] || e.language;
      abbr.textContent = e.language.toUpperCase();
      langs.appendChild(abbr);
    });
    var text = fileText();
    $("[data-file]").textContent = text;
    /* Too long for an address: the GitHub button says so (its description, only while it is true). */
    var fits = githubUrl(text).length <= spec.maxUrl, button = $("[data-github]");
    $("#pim-propose-toolong").hidden = fits;
    if (fits) button.removeAttribute("aria-describedby"); else button.setAttribute("aria-describedby", "pim-propose-toolong");
  }

  /* ---- Sending: GitHub's new-file page, a download, or the clipboard. ---- */
  var status = $("[data-status]");
  function say(text) { status.textContent = ""; status.textContent = text; }
  function fileName() { return $("#pf-id").value.trim() + ".md"; }
  /* A query value as short as it can safely be (GitHub's addresses stop near 8,000 characters):
     spaces as "+", and the characters a query may hold left as they are. */
  function encode(text) {
    return encodeURIComponent(text).replace(/%20/g, "+").replace(/%(3A|2F|2C|40)/g, function (m) {
      return decodeURIComponent(m);
    });
  }
  function githubUrl(text) {
    return spec.newFile + "?filename=" + encode(fileName()) + "&value=" + encode(text);
  }
  function download() {
    var a = document.createElement("a");
    a.href = URL.createObjectURL(new Blob([fileText()], { type: "text/markdown;charset=utf-8" }));
    a.download = fileName();
    document.body.appendChild(a);
    a.click();
    a.remove();
    say(msg("ready"));
  }
  function copy() {
    var text = fileText();
    var done = function () { say(msg("copied")); };
    var fallback = function () {
      var area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
      done();
    };
    if (navigator.clipboard) navigator.clipboard.writeText(text).then(done, fallback); else fallback();
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (!valid()) return;
    var url = githubUrl(fileText());
    if (url.length > spec.maxUrl) {
      say(msg("toolong"));
      $("[data-download]").focus();
      return;
    }
    window.open(url, "_blank", "noopener");
  });
  $("[data-download]").addEventListener("click", function () { if (valid()) download(); });
  $("[data-copy]").addEventListener("click", function () { if (valid()) copy(); });

  /* ---- Wiring. ---- */
  var title = $("#pf-title"), id = $("#pf-id"), idEdited = false;
  id.addEventListener("input", function () { idEdited = id.value.trim() !== ""; });
  title.addEventListener("input", function () {
    if (!idEdited) id.value = mostlyLatin(title.value) ? slugify(title.value) : "";
  });
  form.addEventListener("click", function (e) {
    var add = e.target.closest("[data-add]"), remove = e.target.closest("[data-remove]");
    if (add) {
      var entry = addEntry(add.parentElement);
      var first = $("input,select,textarea", entry);
      if (first) first.focus();
      preview();
    } else if (remove) {
      var entryEl = remove.closest("[data-entry]"), wrapper = entryEl.parentElement.parentElement;
      entryEl.remove();
      renumber(wrapper);
      $(":scope > [data-add]", wrapper).focus();
      preview();
    }
  });
  form.addEventListener("input", function (e) {
    var filter = e.target.closest("[data-filter]");
    if (filter) {
      var words = filter.value.toLowerCase().trim();
      $$(".pim-choice[data-name]", filter.parentElement).forEach(function (label) {
        label.hidden = words !== "" && label.getAttribute("data-name").indexOf(words) < 0 &&
          !$("input", label).checked;
      });
      return;
    }
    preview();
  });
  form.addEventListener("change", preview);
  /* Required lists start with one entry (an edition), in the page's language when it has one;
     optional ones (changes) start empty, even when they need an entry once given. */
  spec.fields.forEach(function (field) {
    if (field.kind === "entries" && field.required && field.minItems) {
      var entry = addEntry(own(form, field));
      var select = $("select", entry), lang = document.documentElement.lang;
      if (select && $("option[value=\"" + lang + "\"]", select)) select.value = lang;
    }
  });
  form.hidden = false;
  var nojs = document.querySelector("[data-propose-nojs]");
  if (nojs) nojs.hidden = true;
  preview();
})();
