"""Which Arabic stemmer for search: a measurement on the site's own words (README, "Search").

Compares, on the Arabic variant queries of tests/test_search_forgiving.py plus words typed with
the one-letter prefixes, and on every word of the built Arabic search index:
- none: Material today (the typed word as a prefix of the indexed word, no normalisation);
- lunr.ar: lunr-languages' Arabic stemmer (shipped with Material; root extraction by patterns,
  ISRI-like), applied to the normalised word on both sides;
- snowball: the Snowball Arabic stemmer (PyPI snowballstemmer, if installed), the same way;
- light: ours, normalise() (letter forms + the article and its combinations) in the index, and
  the query word or one of alternatives() (a one-letter prefix, a light suffix) as a prefix.
For each: the share of variant queries that match the proper spelling's indexed form; the share of
partly typed words (3 letters up to the whole word) that already match the whole word's indexed
form (search runs on each keystroke); distinct indexed forms per distinct word (lower means
more words fall together, good for recall, bad for precision).

Usage: python benchmarks/arabic_stemmers.py SITE_DIR   (a build of the site; reads ar/search/)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from test_search_forgiving import QUERIES  # noqa: E402

EXTRA = [("بحماية", "الحماية"), ("وحماية", "الحماية"), ("لحماية", "الحماية"), ("فالحماية", "الحماية"),
         ("منظمات", "المنظمات"), ("المبدا", "المبدأ"), ("مبادئ", "المبادئ"), ("وبيانات", "البيانات")]
import material  # noqa: E402  (lunr and lunr-languages ship inside Material)

MATERIAL = Path(material.__file__).parent / "templates" / "assets" / "javascripts"

NODE = f"""
const fs = require("fs"), vm = require("vm")
self = globalThis; globalThis.addEventListener = () => {{}}
vm.runInThisContext(fs.readFileSync({json.dumps(str(next((MATERIAL / "workers").glob("search.*.min.js"))))}, "utf8"))
globalThis.lunr = self.lunr
require({json.dumps(str(MATERIAL / "lunr/min/lunr.stemmer.support.min.js"))})(lunr)
require({json.dumps(str(MATERIAL / "lunr/min/lunr.ar.min.js"))})(lunr)
const pim = require({json.dumps(str(ROOT / "overrides/assets/javascripts/pim-search/normalise.js"))})
const words = JSON.parse(fs.readFileSync(0, "utf8"))
const ar = w => String(lunr.ar.stemmer(new lunr.Token(w, {{}})))
console.log(JSON.stringify(words.map(w => {{
  const n = pim.normalise(w).trim()
  return {{word: w, normal: n, lunr_ar: ar(n), alternatives: pim.alternatives(n, null)}}
}})))
"""


def analyse(words: list[str]) -> dict[str, dict]:
    out = subprocess.run(["node", "-e", NODE], input=json.dumps(words), capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(out.stderr)
    rows = {r["word"]: r for r in json.loads(out.stdout)}
    try:
        import snowballstemmer
        snowball = snowballstemmer.stemmer("arabic")
        for r in rows.values():
            r["snowball"] = snowball.stemWord(r["normal"])
    except ImportError:
        pass
    return rows


def forms(scheme: str, row: dict, query: bool) -> list[str]:
    if scheme == "none":
        return [row["word"].lower()]
    if scheme == "light":
        return [row["normal"], *row["alternatives"]] if query else [row["normal"]]
    return [row[scheme]]


def matches(scheme: str, typed: dict, indexed: dict) -> bool:
    return any(target.startswith(q) for q in forms(scheme, typed, True) for target in forms(scheme, indexed, False) if q)


def main(site: str) -> None:
    index = json.loads((Path(site) / "ar" / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(re.sub(r"<[^>]+>", " ", d["title"] + " " + d["text"]) for d in index["docs"])
    vocabulary = sorted(set(re.findall(r"[\u0621-\u0652\u0670\u0640]{2,}", text)))
    pairs = QUERIES["ar"] + EXTRA
    prefixes = sorted({p[:k] for _, p in pairs for k in range(3, len(p) + 1)})
    rows = analyse(sorted({w for pair in pairs for w in pair} | set(prefixes) | set(vocabulary)))
    schemes = ["none", "lunr_ar", "light"] + (["snowball"] if "snowball" in next(iter(rows.values())) else [])
    print(f"{len(pairs)} variant queries, {len(prefixes)} partly typed words, {len(vocabulary)} distinct words in the index\n")
    print("| stemmer | variants that match | partly typed words that match | indexed forms per word |")
    print("|---|---|---|---|")
    for scheme in schemes:
        hits = sum(matches(scheme, rows[v], rows[p]) for v, p in pairs)
        typing = sorted({(p[:k], p) for _, p in pairs for k in range(3, len(p) + 1)})
        typed = sum(matches(scheme, rows[t], rows[p]) for t, p in typing)
        distinct = len({forms(scheme, rows[w], False)[0] for w in vocabulary})
        print(f"| {scheme} | {hits}/{len(pairs)} | {typed}/{len(typing)} | {distinct / len(vocabulary):.2f} |")
    misses = {s: [v for v, p in pairs if not matches(s, rows[v], rows[p])] for s in schemes}
    print("\nmisses:", json.dumps(misses, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1])
