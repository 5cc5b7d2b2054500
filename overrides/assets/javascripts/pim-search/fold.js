/* Folding text, in JavaScript: the table is pim/folding.json (the one definition, also applied
 * by pim/folding.py for product ids), applied in the same order. Used by search (joined into the
 * search worker by hooks/search_forgiving.py, before normalise.js) and by the listing's filter
 * (inlined in overrides/products.html, so it works from file:// with no extra request). Jinja
 * includes this file as a template: no curly brace may follow another or a hash. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("../../../../pim/folding.json"))
  else root.pimFold = factory(root.PIM_FOLDING)
})(typeof self !== "undefined" ? self : this, function (table) {
  "use strict"
  var LETTERS = new RegExp("[" + Object.keys(table.letters).join("") + "]", "g")
  var MARKS = new RegExp("[" + table.marks + "]", "g")
  var NOT_ASCII = /[^\x00-\x7F]/
  function letter(c) { return table.letters[c] }
  return function fold(text) {
    text = String(text)
    if (!NOT_ASCII.test(text)) return text.toLowerCase()  /* most words: nothing else to do */
    return text.normalize("NFKC").toLowerCase().replace(LETTERS, letter)
      .normalize("NFD").replace(MARKS, "").normalize("NFC")
  }
});
