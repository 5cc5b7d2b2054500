"""`make bench`, glossary part (issue 26): how much the search index grows when each product's PIM
terms are searchable in the reader's language, and the glossary's 40 entries are in every
language's index. N synthetic products (1,000 by default), the shipped four-language build, this
project against the commit before issue 26 (--before-ref, default 2a10722), built in the same run.

For each language: search/search_index.json in bytes and gzipped (what a reader downloads when
they open search), and the time our worker takes to build the index in node
(benchmarks/search_worker.js), since the terms' words are added there: before and now in turn,
round by round, the median of --rounds (7). Results in
benchmarks/results/glossary_index.json and .md.

Usage: python benchmarks/glossary_index.py [--products 1000] [--before-ref REF] [--rounds 7]
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from search_speed import RESULTS, build, checkout, make_project  # noqa: E402

LANGUAGES = ("en", "fr", "es", "ar")
BEFORE_REF = "2a10722"  # the last commit before issue 26
LIMIT = 1.10  # the goal: the index grows by no more than 10%


def index_file(site: Path, language: str) -> Path:
    return site / ("" if language == "en" else language) / "search" / "search_index.json"


def setup_ms(site: Path, language: str) -> float:
    """Our worker building the language's index in node, once."""
    result = subprocess.run(["node", str(ROOT / "benchmarks" / "search_worker.js"), str(site), language, "pim",
                             "1", "protection"], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)["setup_ms"]


def measure(sites: dict[str, Path], rounds: int) -> dict:
    """Sizes, then the index build time: before and now in turn, round by round (the order
    alternating), so that a change in the machine's load weighs on both; the median of each."""
    result = {name: {language: {"bytes": len(data), "gzip": len(gzip.compress(data, 6)), "setup_ms": []}
                     for language in LANGUAGES
                     for data in [index_file(site, language).read_bytes()]}
              for name, site in sites.items()}
    names = list(sites)
    for round_number in range(rounds):
        for name in (names if round_number % 2 == 0 else names[::-1]):
            for language in LANGUAGES:
                result[name][language]["setup_ms"].append(setup_ms(sites[name], language))
    for rows in result.values():
        for row in rows.values():
            row["setup_ms"] = statistics.median(row["setup_ms"])
    return result


def table(result: dict) -> str:
    lines = [f"Search index per language, {result['products']:,} synthetic products, four-language build "
             f"(before: {result['before_ref']})", "",
             "| language | JSON KB before | now | now / before | gzip KB before | now | now / before | "
             "index built in node, ms before | now | now / before |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for language in [*LANGUAGES, "all"]:
        before, now = result["before"][language], result["now"][language]
        cells = []
        for key, scale in (("bytes", 1000), ("gzip", 1000), ("setup_ms", 1)):
            cells += [f"{before[key] / scale:,.1f}", f"{now[key] / scale:,.1f}", f"{now[key] / before[key]:.3f}"]
        lines.append(f"| {language} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def with_total(rows: dict) -> dict:
    rows["all"] = {key: sum(rows[code][key] for code in LANGUAGES) for key in ("bytes", "gzip", "setup_ms")}
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--before-ref", default=BEFORE_REF)
    parser.add_argument("--rounds", type=int, default=7, help="index builds in node per site and language")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pim-glossary-") as tmp:
        work = Path(tmp)
        before_source = checkout(args.before_ref, work / "before-source")
        if before_source is None:
            return 1
        sites = {}
        for name, source in (("before", before_source), ("now", ROOT)):
            project = make_project(source, work / f"{name}-project", args.products)
            print(f"building {name}: {args.products} products in four languages ...", flush=True)
            build(project, work / f"{name}-site", "mkdocs.yml")
            sites[name] = work / f"{name}-site"
        measured = measure(sites, args.rounds)
        result = {"products": args.products, "before_ref": args.before_ref, "rounds": args.rounds,
                  "before": with_total(measured["before"]), "now": with_total(measured["now"])}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "glossary_index.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    text = table(result)
    (RESULTS / "glossary_index.md").write_text(text, encoding="utf-8")
    print(text)
    growth = result["now"]["all"]["bytes"] / result["before"]["all"]["bytes"]
    print(f"index growth, all languages: {growth:.3f} (goal: at most {LIMIT})")
    return 0 if growth <= LIMIT else 1


if __name__ == "__main__":
    raise SystemExit(main())
