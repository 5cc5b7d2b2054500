"""`make bench`, search part: the time from a keystroke in Material's search box to the results
on screen, with N synthetic products (1,000 by default) in the shipped configuration (four
languages), on the hosted build (http on 127.0.0.1) and on the offline edition (file://).

With --before-ref REF (a commit of this repository; `make bench` gives 83a7227, the last one
before the forgiving search) or --before DIR (a checkout of an earlier commit) it measures that project the same way in the same run and prints the ratio now / before: the
issue's goal is at most 1.2 (the forgiving search within 20% of the search it replaced).

For each build, mode and language, the search dialog is opened as a reader does (`/`), and once
the index is ready each query is put in the box and one key (End) sent; the time is from that
keydown to the result count being written (Material writes it with the results), read in the page
with performance.now(). Median over all queries and rounds. Results in
benchmarks/results/search_speed.json and .md.

Usage: python benchmarks/search_speed.py [--products 1000] [--rounds 3] [--before-ref REF | --before DIR]
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import product_file, products  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
IGNORE = shutil.ignore_patterns(".venv", ".git", "site", "dist", "node_modules", "__pycache__",
                                ".pytest_cache", "benchmarks", "tests")
# Words of the synthetic products and of the site's pages, in their proper spelling: queries that
# find pages before and after the forgiving search, so that both do the same work (a variant such
# as `donnees` found nothing before, which is quicker to show than results).
QUERIES = {
    "en": ["monitoring", "assessment", "protection", "data sharing"],
    "fr": ["données", "évaluation", "protection", "réponse"],
    "es": ["información", "protección", "gestión", "monitoring"],
    "ar": ["الحماية", "إدارة", "البيانات", "المعلومات"],
}
# Typed right after the page has loaded (the first search of a visit), in each language's spelling.
PROPER = {"en": "monitoring", "fr": "protection", "es": "protección", "ar": "الحماية"}
HOME = {"en": "", "fr": "fr/", "es": "es/", "ar": "ar/"}
BOX = "input[data-md-component=search-query]"
META = ".md-search-result__meta"


def make_project(source: Path, dest: Path, count: int) -> Path:
    """A copy of `source` whose products/ holds `count` synthetic products (seeded)."""
    shutil.copytree(source, dest, ignore=IGNORE, symlinks=True)
    if (ROOT / "node_modules").is_dir():  # the offline build takes its search shim from here
        (dest / "node_modules").symlink_to(ROOT / "node_modules")
    for old in (dest / "products").glob("*.md"):
        if old.name.lower() != "readme.md":
            old.unlink()
    for product in products(dest, count, random.Random(7)):
        (dest / "products" / f"{product['id']}.md").write_text(product_file(product), encoding="utf-8")
    return dest


def checkout(ref: str, dest: Path) -> Path | None:
    """The files of commit `ref` in `dest` (git archive: no second worktree to clean up)."""
    dest.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", "--format=tar", ref], cwd=ROOT, capture_output=True)
    if archive.returncode != 0:
        print(f"  {ref} is not in this repository ({archive.stderr.decode().strip()}): measuring now only")
        return None
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive.stdout, check=True)
    return dest


def build(project: Path, site: Path, config: str) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1717243200"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--config-file", config,
                             "--site-dir", str(site)], cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"build of {project} ({config}) failed:\n{result.stdout}\n{result.stderr}")
    return time.perf_counter() - start


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def open_search(page, url: str) -> str:
    page.goto(url, wait_until="load")
    page.keyboard.press("/")
    placeholder = page.evaluate(
        "JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']")
    page.wait_for_function("([s, p]) => document.querySelector(s).textContent.trim() === p",
                           arg=[META, placeholder], timeout=300_000)
    return placeholder


def time_query(page, query: str, placeholder: str) -> float:
    """Milliseconds from the keydown that sends `query` to the results being written."""
    page.fill(BOX, "")
    page.press(BOX, "End")
    page.wait_for_function("([s, p]) => document.querySelector(s).textContent.trim() === p",
                           arg=[META, placeholder], timeout=60_000)
    page.fill(BOX, query)
    page.evaluate("""([box, meta, placeholder]) => {
        window.__searchTimes = {}
        const input = document.querySelector(box), output = document.querySelector(meta)
        input.addEventListener("keydown", () => { window.__searchTimes.key = performance.now() }, {once: true})
        new MutationObserver((changes, observer) => {
          if (output.textContent.trim() !== placeholder) {
            window.__searchTimes.results = performance.now(); observer.disconnect()
          }
        }).observe(output, {childList: true, characterData: true, subtree: true})
      }""", [BOX, META, placeholder])
    page.press(BOX, "End")
    page.wait_for_function("window.__searchTimes.results !== undefined", timeout=60_000)
    times = page.evaluate("window.__searchTimes")
    return times["results"] - times["key"]


FIRST_RESULT = """
  new MutationObserver(function (changes, observer) {
    if (document.querySelector('.md-search-result__item')) {
      window.__firstResult = performance.now(); observer.disconnect();
    }
  }).observe(document, {childList: true, subtree: true});
"""


def first_result_ms(context, url: str, query: str) -> float:
    """As bench.py measures it: from typing `query` (after opening search right after the page's
    load event) to the first result, index loading and indexing included."""
    page = context.new_page()
    try:
        page.add_init_script(FIRST_RESULT)
        page.goto(url, wait_until="load")
        page.keyboard.press("/")
        typed = page.evaluate("performance.now()")
        page.keyboard.type(query)
        page.keyboard.press("End")  # letters off the US layout are inserted with no keyup, which Material waits for
        page.wait_for_function("window.__firstResult !== undefined", timeout=300_000)
        return page.evaluate("window.__firstResult") - typed
    finally:
        page.close()


def measure_site(browser, base_url: str, rounds: int, offline: bool) -> dict:
    out = {}
    context = browser.new_context(offline=offline)
    try:
        for language, queries in QUERIES.items():
            url = base_url + HOME[language] + ("index.html" if offline else "")
            samples = [first_result_ms(context, url, PROPER[language]) for _ in range(rounds)]
            out[f"first_{language}"] = {"median_ms": round(statistics.median(samples), 1),
                                        "samples_ms": [round(s, 1) for s in samples]}
        page = context.new_page()
        for language, queries in QUERIES.items():
            samples = []
            for _ in range(rounds):
                placeholder = open_search(page, base_url + HOME[language] + ("index.html" if offline else ""))
                samples += [time_query(page, query, placeholder) for query in queries]
            out[language] = {"median_ms": round(statistics.median(samples), 1),
                             "samples_ms": [round(s, 1) for s in samples]}
        every = [s for key, row in out.items() if key in QUERIES for s in row["samples_ms"]]
        out["all"] = {"median_ms": round(statistics.median(every), 1)}
        first = [s for key, row in out.items() if key.startswith("first_") for s in row["samples_ms"]]
        out["first_all"] = {"median_ms": round(statistics.median(first), 1)}
    finally:
        context.close()
    return out


def measure_project(browser, name: str, source: Path, work: Path, count: int, rounds: int) -> dict:
    project = make_project(source, work / name, count)
    row = {}
    for mode, config in (("hosted", "mkdocs.yml"), ("offline", "mkdocs-offline.yml")):
        site = work / f"{name}-{mode}"
        print(f"  {name}: building {mode} ({count} products, four languages) ...", flush=True)
        seconds = build(project, site, config)
        print(f"  {name}: built in {seconds:.0f} s; searching ...", flush=True)
        if mode == "hosted":
            handler = functools.partial(_Quiet, directory=str(site))
            server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            try:
                row[mode] = measure_site(browser, f"http://127.0.0.1:{server.server_address[1]}/", rounds, False)
            finally:
                server.shutdown()
        else:
            row[mode] = measure_site(browser, site.as_uri() + "/", rounds, True)
        shutil.rmtree(site, ignore_errors=True)
    return row


def table(result: dict) -> str:
    names = [n for n in ("before", "now") if n in result["projects"]]
    lines = [f"Median ms, {result['products']} products, four languages. Keystroke to results: the index "
             f"ready, {result['rounds']} rounds of {sum(len(q) for q in QUERIES.values())} queries per build "
             f"and mode. First search: typed right after the page has loaded, until the first result "
             f"(loading and indexing included, as bench.py measures), {result['rounds']} per language.", "",
             "| measure | mode | language | " + " | ".join(names) + (" | now / before |" if len(names) == 2 else " |"),
             "|---|---|---|" + "---|" * len(names) + ("---|" if len(names) == 2 else "")]
    for prefix, measure in (("", "keystroke to results"), ("first_", "first search")):
        for mode in ("hosted", "offline"):
            for language in [*QUERIES, "all"]:
                values = [result["projects"][n][mode][prefix + language]["median_ms"] for n in names]
                ratio = f" | {values[1] / values[0]:.2f}" if len(values) == 2 and values[0] else ""
                lines.append(f"| {measure} | {mode} | {language} | " + " | ".join(f"{v:.0f}" for v in values)
                             + ratio + " |")
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="an earlier checkout of the project, measured the same way")
    parser.add_argument("--before-ref", help="an earlier commit of this repository, measured the same way")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="pim-search-speed-"))
    if args.before_ref and not args.before:
        args.before = checkout(args.before_ref, work / "before-source")
    result = {"products": args.products, "rounds": args.rounds, "projects": {}}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            try:
                sources = ([("before", args.before.resolve())] if args.before else []) + [("now", ROOT)]
                for name, source in sources:
                    result["projects"][name] = measure_project(browser, name, source, work, args.products, args.rounds)
            finally:
                browser.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = table(result)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "search_speed.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (RESULTS / "search_speed.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
