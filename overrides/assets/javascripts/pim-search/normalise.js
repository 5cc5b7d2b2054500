/* The search normaliser of the PIM site: one function, applied to every word of the index (as a
 * lunr pipeline function, in every language) and to the query the reader types, so that the two
 * always agree. Also the query's alternatives for the word being typed (see alternatives()).
 * Folding itself (case, accents, Arabic letter forms and marks) is fold.js, shared with the
 * listing's filter; this adds what is search's own: Arabic punctuation and the article.
 * Loaded by the search worker (hooks/search_forgiving.py), and by node in
 * tests/test_search_forgiving.py and tests/test_folding.py. */
(function (root, factory) {
  if (typeof module === "object" && module.exports) module.exports = factory(require("./fold.js"))
  else root.pimSearch = factory(root.pimFold)
})(typeof self !== "undefined" ? self : this, function (fold) {
  "use strict"

  /* Arabic comma, semicolon, question mark and the guillemets: word separators */
  var ARABIC_PUNCTUATION = /[\u060C\u061B\u061F\u00AB\u00BB]+/g
  var NOT_ASCII = /[^\x00-\x7F]/
  /* The article, alone or after و ف ب ك (and ل, which takes its alef: لل) */
  var ARTICLES = ["وبال", "وكال", "فبال", "فكال", "ولل", "فلل", "وال", "فال", "بال", "كال", "لل", "ال"]
  var ARABIC_WORD = /[\u0621-\u064A]+/g
  var LIGHT_PREFIXES = "وفبكل"
  var LIGHT_SUFFIXES = ["تها", "تهم", "ات", "ون", "ين", "ان", "ها", "هم", "ه", "ي"]

  /* Without the article or a conjunction + article, when at least two letters remain */
  function stripArticle(word, keep) {
    for (var i = 0; i < ARTICLES.length; i++) {
      var article = ARTICLES[i]
      if (word.length - article.length >= (keep || 2) && word.slice(0, article.length) === article)
        return word.slice(article.length)
    }
    return word
  }

  /* Folded (fold.js), Arabic punctuation to spaces, and the Arabic article. The same text gives
   * the same result at index time and at query time. */
  function normalise(text) {
    text = fold(text)
    if (!NOT_ASCII.test(text)) return text  /* most words: nothing else to do */
    return text.replace(ARABIC_PUNCTUATION, " ")
      .replace(ARABIC_WORD, function (word) { return stripArticle(word) })
  }

  /* Other forms of a normalised Arabic word, for the query only: without a one-letter prefix
   * (و ف ب ك ل: "and", "so", "with", "as", "for") and without a light suffix (plural, ta marbuta,
   * pronoun). Stripping these in the index would cut letters of the word itself (بيانات, لاجئين),
   * so the query asks for both forms instead. */
  function arabicAlternatives(word) {
    var stems = [word]
    /* A word still being typed: the article and one letter (الح) is already the start of a word */
    if (stripArticle(word) === word && stripArticle(word, 1) !== word) stems.push(stripArticle(word, 1))
    if (word.length >= 4 && LIGHT_PREFIXES.indexOf(word[0]) >= 0)
      stems.push(stripArticle(word.slice(1)))
    var out = []
    stems.forEach(function (stem) {
      if (stem !== word) out.push(stem)
      for (var i = 0; i < LIGHT_SUFFIXES.length; i++) {
        var suffix = LIGHT_SUFFIXES[i]
        if (stem.length - suffix.length >= 3 && stem.slice(-suffix.length) === suffix) {
          out.push(stem.slice(0, -suffix.length))
          break
        }
      }
    })
    return out.filter(function (s, i) { return s !== word && out.indexOf(s) === i })
  }

  /* Other forms to search for a normalised query word that lunr will match as a prefix (the
   * trailing wildcard Material adds): its stem, so that `assessments` finds `assessment`. `stem`
   * is the index language's lunr stemmer (string -> string). */
  function alternatives(word, stem) {
    if (/^[\u0621-\u064A]+$/.test(word)) return arabicAlternatives(word)
    if (!stem || word.length < 4 || !/^[a-z]+$/.test(word)) return []
    var stemmed = stem(word)
    if (!stemmed || stemmed.length < 3 || stemmed.length >= word.length || word.indexOf(stemmed) !== 0)
      return []
    /* Porter writes a final y as i: `categories` -> categori, which `category` does not start with */
    return /i$/.test(stemmed) && stemmed.length >= 4 ? [stemmed.slice(0, -1)] : [stemmed]
  }

  return { fold: fold, normalise: normalise, alternatives: alternatives, stripArticle: stripArticle }
});
