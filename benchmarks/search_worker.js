/* `make bench`, search part, run by search_speed.py: the search worker alone, in node, on one
 * built site's index. The same index and queries go to Material's worker as shipped and to ours
 * (pim-search, which loads Material's and adds the normaliser), so the difference is exactly what
 * the forgiving search costs per query, with no browser, rendering or machine noise around it.
 *
 * Usage: node benchmarks/search_worker.js SITE LANGUAGE material|pim ROUNDS QUERY...
 * Prints one JSON object: {setup_ms, queries: {QUERY: {median_ms, results}}}. */
"use strict"
const fs = require("fs")
const path = require("path")
const vm = require("vm")

const [site, language, which, rounds, ...queries] = process.argv.slice(2)
const workers = path.join(site, "assets", "javascripts", "workers")
const pattern = which === "material" ? /^search\.[0-9a-f]+\.min\.js$/ : /^pim-search\.[0-9a-f]+\.js$/
const file = fs.readdirSync(workers).find((name) => pattern.test(name))
if (!file) throw new Error(`no ${which} search worker in ${workers}`)

/* What a dedicated worker offers Material's worker and ours: self, importScripts relative to the
 * worker's own URL, one message listener, postMessage back */
let listener = null
let reply = null
globalThis.self = globalThis
self.location = { href: "file://" + path.join(workers, file) }
self.addEventListener = (type, fn) => { if (type === "message") listener = fn }
self.postMessage = (message) => { const done = reply; reply = null; if (done) done(message) }
self.importScripts = (...urls) => {
  for (const url of urls) {
    const file = url.startsWith("file://") ? url.slice("file://".length) : path.resolve(workers, url)
    vm.runInThisContext(fs.readFileSync(file, "utf8"), { filename: file })
  }
}
vm.runInThisContext(fs.readFileSync(path.join(workers, file), "utf8"), { filename: file })

const send = (data) => new Promise((resolve) => { reply = resolve; listener({ data }) })
const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)]

;(async () => {
  const index = JSON.parse(fs.readFileSync(
    path.join(site, language === "en" ? "" : language, "search", "search_index.json"), "utf8"))
  let start = performance.now()
  await send({ type: 0, data: { ...index, options: { suggest: false } } })  /* SETUP */
  const out = { setup_ms: +(performance.now() - start).toFixed(1), queries: {} }
  for (const query of queries) {
    const times = []
    let found = null
    for (let round = 0; round < Number(rounds); round++) {
      start = performance.now()
      found = await send({ type: 2, data: query })  /* QUERY, answered by RESULT */
      times.push(performance.now() - start)
    }
    out.queries[query] = { median_ms: +median(times).toFixed(2), results: found.data.items.length }
  }
  console.log(JSON.stringify(out))
})().catch((error) => { console.error(error); process.exit(1) })
