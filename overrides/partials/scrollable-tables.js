{#- Wide tables scroll by keyboard too (inlined by main.html after Material's bundle, which wraps
    each table in a scrolling .md-typeset__scrollwrap when the page loads). A wrapper that scrolls
    becomes a focusable region (tabindex="0") named after the table's caption or, failing that,
    the heading above it, so that a keyboard user can reach it and scroll it with the arrow keys
    (axe: scrollable-region-focusable). Wrappers that fit need no tab stop. -#}
(function () {
  function name(wrap) {
    var table = wrap.querySelector("table"), caption = table && table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    for (var el = wrap; el && !el.matches("article"); el = el.previousElementSibling || el.parentElement) {
      if (el !== wrap && /^H[1-6]$/.test(el.tagName)) return el.textContent.replace(/¶$/, "").trim();
    }
    return document.title;
  }
  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth + 1) {
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", name(wrap));
      } else if (wrap.getAttribute("role") === "region") {
        wrap.removeAttribute("tabindex");
        wrap.removeAttribute("role");
        wrap.removeAttribute("aria-label");
      }
    });
  }
  if (window.document$) window.document$.subscribe(mark); else addEventListener("DOMContentLoaded", mark);
  addEventListener("resize", mark);
})();
