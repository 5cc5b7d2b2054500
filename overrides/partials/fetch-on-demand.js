{#- Nothing fetched before it is needed (inlined into <head> by main.html, before Material's bundle).

   Material's bundle asks for the search index as soon as it starts, on every page: `index$` is
   made when the bundle is evaluated, and search and search highlighting subscribe to it at once
   (on http, search does not wait for the search dialog to open; on file:// highlighting still
   loads search_index.js). It also starts the search worker (lunr), which then loads lunr's
   language files, and fetches a sitemap.xml for every <link rel="alternate">. Material has no
   setting for any of this, so, rather than patch its minified bundle, this script delays the
   three browser calls the bundle makes, until the reader opens or focuses search (click, tap,
   or the `/`, `s`, `f` shortcuts, which focus the search box):
   - the XMLHttpRequest for search/search_index.json (hosted) and the <script> for
     search/search_index.js (offline edition, file://) wait: Material just sees a slow answer;
   - the search worker is created when search is wanted (or first sent a message), not before;
   - a sitemap.xml request fails at once, as if offline: Material then keeps plain links. The
     language switcher already links each page to the same page in the other languages
     (resolved at build time), which is all Material used the sitemaps for here.
   A page opened from a search result (?h=...) needs the index to highlight the words: it loads.
   (Jinja comments: none of this reaches the pages.) -#}
(function () {
  var wanted = false, waiting = [];
  function want() {
    if (wanted) return;
    wanted = true;
    waiting.splice(0).forEach(function (go) { go(); });
  }
  function later(go) { if (wanted) go(); else waiting.push(go); }
  if (/[?&]h=/.test(location.search)) wanted = true;

  function inSearch(node) {
    return node && node.closest && node.closest("[data-md-component=search], label[for=__search]");
  }
  document.addEventListener("focusin", function (ev) { if (inSearch(ev.target)) want(); }, true);
  document.addEventListener("change", function (ev) {
    if (ev.target && ev.target.id === "__search" && ev.target.checked) want();
  }, true);
  {#- A finger or pointer on the search button: start while the dialog opens. #}
  ["pointerdown", "touchstart"].forEach(function (type) {
    document.addEventListener(type, function (ev) { if (inSearch(ev.target)) want(); },
                              { capture: true, passive: true });
  });

  var INDEX = /\/search\/search_index\.(json|js)$/, SITEMAP = /\/sitemap\.xml$/;
  var urls = new WeakMap(), open = XMLHttpRequest.prototype.open, send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    urls.set(this, String(url).split(/[?#]/)[0]);
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var xhr = this, args = arguments, url = urls.get(this) || "";
    if (SITEMAP.test(url)) {
      setTimeout(function () { xhr.dispatchEvent(new ProgressEvent("error")); });
      return;
    }
    if (INDEX.test(url)) return later(function () { send.apply(xhr, args); });
    return send.apply(this, arguments);
  };

  var head = document.head, append = head.appendChild;
  head.appendChild = function (node) {
    if (node && node.tagName === "SCRIPT" && INDEX.test(node.src || "")) {
      later(function () { append.call(head, node); });
      return node;
    }
    return append.apply(this, arguments);
  };

  {#- Whatever Worker is in place (the iframe-worker shim under file://, offline edition). #}
  var Real = window.Worker;
  if (!Real || typeof EventTarget !== "function") return;
  function LazyWorker(url, options) {
    var target = new EventTarget(), real = null;
    function start() {
      if (real) return real;
      real = options === undefined ? new Real(url) : new Real(url, options);
      ["message", "messageerror", "error"].forEach(function (type) {
        real.addEventListener(type, function (ev) {
          target.dispatchEvent(type === "error" ? new Event("error")
                                                : new MessageEvent(type, { data: ev.data }));
        });
      });
      return real;
    }
    later(start);
    target.postMessage = function () { var w = start(); w.postMessage.apply(w, arguments); };
    target.terminate = function () { if (real) real.terminate(); };
    return target;
  }
  window.Worker = function (url, options) {
    return /search/.test(String(url)) ? LazyWorker(url, options)
                                      : options === undefined ? new Real(url) : new Real(url, options);
  };
})();
