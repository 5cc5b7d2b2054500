/* The search worker of the PIM site: Material's own worker, loaded unchanged, with two additions
 * made through public lunr and worker interfaces (no change to Material's minified code):
 * - every word of the index goes through pimSearch.normalise (a lunr pipeline function, added
 *   when the first document is indexed, after Material has set up the language's pipeline), and
 *   so does every word of a query, once lunr has parsed it;
 * - each query word Material gives a trailing wildcard is also searched in its other forms
 *   (pimSearch.alternatives), at a lower boost, so that `assessments` finds `assessment`.
 * hooks/search_forgiving.py puts normalise.js before this file and sets PIM_MATERIAL_WORKER. */
(function () {
  "use strict"
  var pim = self.pimSearch
  var language = "en"
  var patched = false

  /* Our URL. Under iframe-worker (the offline edition, file://) the worker is an iframe whose
   * first script with a src is this file, and importScripts resolves against the page. */
  function ownUrl() {
    if (typeof document !== "undefined") {
      var script = document.querySelector("script[src]")
      if (script) return script.src.split("?")[0]
    }
    return String(self.location.href).split("?")[0]
  }

  /* The index language's stemmer as string -> string, for alternatives() */
  function stemmer(lunr) {
    var fn = language === "en" ? lunr.stemmer : (lunr[language] || {}).stemmer
    if (typeof fn !== "function") return null
    return function (word) { return String(fn(new lunr.Token(word, {}))) }
  }

  /* Whether the index language's stop word filter drops a word (lunr's filters return
   * nothing for a stop word) */
  function isStopWord(lunr, word) {
    var filter = language === "en" ? lunr.stopWordFilter : (lunr[language] || {}).stopWordFilter
    return typeof filter === "function" && !filter(new lunr.Token(word, {}))
  }

  function normaliseToken(lunr) {
    var fn = function (token) {
      var word = pim.normalise(token.toString())
      /* Nearly every word stays one word: only Arabic punctuation glued to it becomes a space */
      if (!/\s/.test(word)) return word ? token.update(function () { return word }) : undefined
      var parts = word.split(/\s+/).filter(Boolean)
      if (parts.length === 0) return undefined  /* punctuation alone: no word */
      if (parts.length === 1) return token.update(function () { return parts[0] })
      return parts.map(function (part) { return token.clone(function () { return part }) })
    }
    lunr.Pipeline.registerFunction(fn, "pimNormalise")
    return fn
  }

  function patchLunr(lunr) {
    if (patched) return
    patched = true
    var normaliser = normaliseToken(lunr)

    /* Last in the index pipeline: after the language's stop word filter, which knows accented
     * words. Added on the first document, once Material has set the pipeline up. */
    var add = lunr.Builder.prototype.add
    lunr.Builder.prototype.add = function (doc, attributes) {
      if (!this.pimNormalised) {
        this.pimNormalised = true
        this.pipeline.add(normaliser)
      }
      return add.call(this, doc, attributes)
    }

    /* Each query word normalised, like the index; each optional prefix-matched word also in
     * its other forms. A result gets the reader's own word in its match data, so that Material
     * counts the word as found (not "missing") and passes it, accents intact, to the page's
     * highlighter (?h=); the marks in results come from the positions of the words that matched. */
    var query = lunr.Index.prototype.query
    lunr.Index.prototype.query = function (fn) {
      var forms = []  /* [normalised form, the reader's word] */
      var stopped = []  /* the reader's stop words, typed past */
      var stem = stemmer(lunr)
      var results = query.call(this, function (q) {
        fn.call(q, q)
        var clauses = q.clauses.slice()
        clauses.forEach(function (clause, position) {
          var wildcard = clause.term.slice(-1) === "*"
          var typed = wildcard ? clause.term.slice(0, -1) : clause.term
          var word = pim.normalise(typed).trim()
          if (!word || /\s/.test(word)) return
          /* A word of one or two letters that the reader has typed past ("de", "la", "y" in
           * "monitoreo de protección") is that word, not the start of every word it begins: as a
           * prefix it found "design" and "defined" and outranked the words that matter. */
          if (wildcard && word.length <= 2 && position < clauses.length - 1) {
            wildcard = false
            /* A stop word of the index's language is not in the index at all: never "missing" */
            if (isStopWord(lunr, word)) stopped.push(typed)
          }
          clause.term = word + (wildcard ? "*" : "")
          forms.push([word, typed])
          if (!wildcard || word.indexOf("*") >= 0 ||
              clause.presence === lunr.Query.presence.REQUIRED ||
              clause.presence === lunr.Query.presence.PROHIBITED)
            return
          pim.alternatives(word, stem).forEach(function (form) {
            forms.push([form, typed])
            q.clause({
              term: form + "*", fields: clause.fields, boost: (clause.boost || 1) / 2,
              usePipeline: false, presence: lunr.Query.presence.OPTIONAL,
              wildcard: lunr.Query.wildcard.NONE
            })
          })
        })
      })
      results.forEach(function (result) {
        var metadata = result.matchData.metadata
        stopped.forEach(function (typed) { if (!(typed in metadata)) metadata[typed] = {} })
        Object.keys(metadata).forEach(function (term) {
          forms.forEach(function (pair) {
            if (term.indexOf(pair[0]) === 0 && !(pair[1] in metadata)) metadata[pair[1]] = {}
          })
        })
      })
      return results
    }
  }

  /* A product's PIM terms (type, matrix categories, principles, process steps) in the index's
   * language, with the English term beside it. The index names them by their place in
   * config.pim_terms (hooks/glossary.py), so each label is fetched once, not once per product;
   * here they become the words of a field of their own, which search finds and results do not
   * show (a glossary entry's field is already words: its term in the four languages). The
   * field's words go through the same pipeline, the normaliser included. */
  function expandTerms(data) {
    var words = data.config.pim_terms
    if (!Array.isArray(words)) return
    var fields = Object.assign({}, data.config.fields)
    fields.pim_terms = { boost: data.config.pim_terms_boost || 1 }
    data.config = Object.assign({}, data.config, { fields: fields })
    data.docs = data.docs.map(function (doc) {
      if (!Array.isArray(doc.pim_terms)) return doc
      var text = doc.pim_terms.map(function (n) { return words[n] || "" }).join(". ")
      return Object.assign({}, doc, { pim_terms: text })
    })
  }

  /* Material's worker reads ev.data only; hand it a rewritten copy */
  function rewrite(ev) {
    var message = ev.data
    if (!message || typeof message !== "object") return ev
    var data = message.data
    if (data && typeof data === "object" && data.config && data.docs) {  /* setup: the index */
      language = (data.config.lang || ["en"])[0]
      /* Arabic punctuation ends a word, as spaces and hyphens do */
      data.config = Object.assign({}, data.config, {
        separator: "(?:" + (data.config.separator || "[\\s\\-]+") + ")|[\\u060C\\u061B\\u061F\\u00AB\\u00BB]+"
      })
      expandTerms(data)
      patchLunr(self.lunr)
      return { data: Object.assign({}, message, { data: data }) }
    }
    return ev
  }

  var listen = self.addEventListener
  self.addEventListener = function (type, listener, options) {
    if (type === "message" && typeof listener === "function") {
      var inner = listener
      listener = function (ev) { return inner.call(this, rewrite(ev)) }
    }
    return listen.call(self, type, listener, options)
  }

  var material = ownUrl().replace(/[^/]*$/, "") + self.PIM_MATERIAL_WORKER
  importScripts(material)
})();
