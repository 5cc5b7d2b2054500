"""`make bench`: how the build scales with the catalog, against plain Material.

For each size N it builds, in a temporary folder:
- ours: a copy of the project whose products/ holds N synthetic products;
- plain: a stock Material site (theme material, search plugin, font: false) of N hand-written
  pages with the same text, out of the nav, and nothing else.
It records build seconds (the median of three alternating builds up to 1,000 products), CPU
seconds and peak memory of the build and the processes it starts, site size, search index size
and KiB per product, and in Chromium the offline edition's search time to first result (file://).
It prints a table and writes benchmarks/results/latest.json and latest.md.

A benchmark, not a test: nothing here fails on a slow machine. The goals are printed beside
the figures. Usage: python benchmarks/bench.py [--sizes 100 1000 10000] [--no-search]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from languages import with_languages  # noqa: E402
from synthetic import plain_page, product_file, products  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SEARCH_QUERY = "monitoring"
MiB = 1024 * 1024

# The goals, on a 2-core machine.
GOALS = {
    "build_ratio_at_1000": 1.3,
    "scaling_10000_over_1000": 11,
    "peak_mib_at_10000": 400,
    "kib_per_product": 30,
    "offline_search_s_at_10000": 1.5,
}

PLAIN_CONFIG = """\
site_name: Plain Material
theme:
  name: material
  font: false
plugins:
  - search
nav:
  - index.md
"""
PLAIN_OFFLINE_CONFIG = PLAIN_CONFIG.replace("  - search\n", "  - search\n  - offline\n") + """\
extra:
  polyfills:
    - assets/javascripts/iframe-worker.js
"""


def build(project: Path, dest: Path, config: str = "mkdocs.yml") -> dict:
    """One `mkdocs build`: wall seconds, CPU seconds and peak memory (benchmarks/measure.py)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1704067200"}
    command = [sys.executable, str(Path(__file__).with_name("measure.py")), sys.executable, "-m", "mkdocs", "build", "--quiet",
               "--config-file", config, "--site-dir", str(dest)]
    start = time.perf_counter()
    result = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    # Peak memory and CPU seconds of the build and the second process it starts for large
    # catalogs, together (benchmarks/measure.py): CPU seconds can then be more than wall time.
    _, peak_kib, cpu = next(line.split() for line in result.stderr.splitlines() if line.startswith("measured"))
    return {"seconds": round(seconds, 2), "cpu_seconds": round(float(cpu), 2),
            "peak_mib": round(int(peak_kib) / 1024, 1)}


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def sizes_of(site: Path, count: int) -> dict:
    total = folder_bytes(site)
    theme = folder_bytes(site / "assets") if (site / "assets").is_dir() else 0
    index = site / "search" / "search_index.json"
    return {
        "site_mib": round(total / MiB, 2),
        "search_index_mib": round(index.stat().st_size / MiB, 2) if index.is_file() else None,
        # Everything but the theme's assets (JS, CSS, icons), shared out over the products.
        "kib_per_product": round((total - theme) / count / 1024, 2),
    }


def make_ours(workdir: Path, count: int, languages: tuple[str, ...] = ("en",), rng_seed: int = 7) -> Path:
    project = workdir / "ours"
    ignore = shutil.ignore_patterns(".venv", ".git", "site", "dist", "node_modules", "__pycache__",
                                    ".pytest_cache", "benchmarks", "tests")
    shutil.copytree(ROOT, project, ignore=ignore, symlinks=True)
    # Like with like: plain Material builds one language, so by default ours does too;
    # benchmarks/languages.py measures how the build grows with each language added.
    for config in ("mkdocs.yml", "mkdocs-offline.yml"):
        path = project / config
        if path.exists():
            path.write_text(with_languages(path.read_text(encoding="utf-8"), languages), encoding="utf-8")
    if (ROOT / "node_modules").is_dir():  # the offline build takes its search shim from here
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    folder = project / "products"
    for old in folder.glob("*.md"):
        if old.name.lower() != "readme.md":
            old.unlink()
    for product in products(project, count, random.Random(rng_seed)):
        (folder / f"{product['id']}.md").write_text(product_file(product), encoding="utf-8")
    return project


def make_plain(workdir: Path, ours: Path) -> Path:
    """Stock Material, one hand-written page per product with the same text."""
    project = workdir / "plain"
    docs = project / "docs"
    (docs / "products").mkdir(parents=True)
    (docs / "index.md").write_text("# Plain Material\n\nThe same products as plain pages.\n", encoding="utf-8")
    from pim.yamlfile import parse_yaml, split_front_matter

    for path in sorted((ours / "products").glob("*.md")):
        front, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
        data = parse_yaml(front).data
        (docs / "products" / path.name).write_text(plain_page(data, body), encoding="utf-8")
    (project / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    (project / "mkdocs-offline.yml").write_text(PLAIN_OFFLINE_CONFIG, encoding="utf-8")
    shim = ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js"
    (docs / "assets" / "javascripts").mkdir(parents=True)
    shutil.copy(shim, docs / "assets" / "javascripts" / "iframe-worker.js")
    return project


def offline_config(project: Path) -> str:
    """The project's offline build config; or, before it existed, mkdocs.yml plus `offline`."""
    if (project / "mkdocs-offline.yml").is_file():
        return "mkdocs-offline.yml"
    text = (project / "mkdocs.yml").read_text(encoding="utf-8")
    (project / "bench-offline.yml").write_text(text.replace("  - search\n", "  - search\n  - offline\n", 1),
                                               encoding="utf-8")
    return "bench-offline.yml"


def search_first_result(browser, site: Path, runs: int = 3) -> dict:
    """Median and samples of the offline search's time to first result (one sample is noisy)."""
    samples = sorted(_search_once(browser, site) for _ in range(runs))
    return {"median": samples[len(samples) // 2], "samples": samples}


def _search_once(browser, site: Path) -> float:
    """Seconds from typing a query (right after the page's load event) to the first result."""
    page = browser.new_page()
    try:
        page.add_init_script("""
          new MutationObserver(function (changes, observer) {
            if (document.querySelector('.md-search-result__item')) {
              window.__firstResult = performance.now(); observer.disconnect();
            }
          }).observe(document, {childList: true, subtree: true});
        """)
        page.goto((site / "index.html").as_uri(), wait_until="load")
        page.keyboard.press("/")
        typed = page.evaluate("performance.now()")
        page.keyboard.type(SEARCH_QUERY)
        page.wait_for_function("window.__firstResult !== undefined", timeout=120_000)
        return round((page.evaluate("window.__firstResult") - typed) / 1000, 3)
    finally:
        page.close()


def repeats(count: int) -> int:
    """Builds of each site at this size: one build on a shared machine can be 20% off, so small
    sizes (a few seconds a build) take the median of three, alternating plain and ours."""
    return 3 if count <= 1000 else 1


def median_build(builds: list[dict]) -> dict:
    """The median build's times; the highest peak memory of them all."""
    middle = len(builds) // 2
    return {"seconds": sorted(b["seconds"] for b in builds)[middle],
            "cpu_seconds": sorted(b["cpu_seconds"] for b in builds)[middle],
            "peak_mib": max(b["peak_mib"] for b in builds),
            "build_samples_s": [b["seconds"] for b in builds]}


def run_size(count: int, browser, keep: Path | None, languages: tuple[str, ...] = ("en",)) -> dict:
    workdir = Path(tempfile.mkdtemp(prefix=f"pim-bench-{count}-"))
    try:
        ours = make_ours(workdir, count, languages)
        plain = make_plain(workdir, ours)
        row: dict = {"products": count}
        projects = (("plain", plain), ("ours", ours))
        builds: dict[str, list[dict]] = {"plain": [], "ours": []}
        for _ in range(repeats(count)):
            for name, project in projects:
                print(f"  {count}: building {name} ...", flush=True)
                site = workdir / f"site-{name}"
                shutil.rmtree(site, ignore_errors=True)
                builds[name].append(build(project, site))
        for name, project in projects:
            row[name] = {**median_build(builds[name]), **sizes_of(workdir / f"site-{name}", count)}
            if browser is not None:
                config = offline_config(project)
                offline_site = workdir / f"offline-{name}"
                print(f"  {count}: building {name} offline ({config}) and searching it ...", flush=True)
                row[name]["offline_build_seconds"] = build(project, offline_site, config)["seconds"]
                search = search_first_result(browser, offline_site)
                row[name]["offline_search_s"] = search["median"]
                row[name]["offline_search_samples_s"] = search["samples"]
        row["build_ratio"] = round(row["ours"]["seconds"] / row["plain"]["seconds"], 2)
        row["cpu_ratio"] = round(row["ours"]["cpu_seconds"] / row["plain"]["cpu_seconds"], 2)
        row["memory_ratio"] = round(row["ours"]["peak_mib"] / row["plain"]["peak_mib"], 2)
        return row
    finally:
        if keep:
            shutil.copytree(workdir, keep / workdir.name, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


def goals(rows: list[dict]) -> list[tuple[str, float | None, float, bool | None]]:
    """(goal, measured, limit, met) for each goal whose size was measured."""
    by_n = {r["products"]: r for r in rows}
    results = []

    def add(name, value, limit):
        results.append((name, value, limit, None if value is None else value <= limit))

    if 1000 in by_n:
        add("build time / plain Material at 1,000", by_n[1000]["build_ratio"], GOALS["build_ratio_at_1000"])
    if 1000 in by_n and 10000 in by_n:
        add("t(10,000) / t(1,000)", round(by_n[10000]["ours"]["seconds"] / by_n[1000]["ours"]["seconds"], 2),
            GOALS["scaling_10000_over_1000"])
    if 10000 in by_n:
        add("peak MiB at 10,000", by_n[10000]["ours"]["peak_mib"], GOALS["peak_mib_at_10000"])
        add("offline search s at 10,000", by_n[10000]["ours"].get("offline_search_s"),
            GOALS["offline_search_s_at_10000"])
    largest = max(by_n)
    add(f"KiB per product at {largest:,}", by_n[largest]["ours"]["kib_per_product"], GOALS["kib_per_product"])
    return results


def table(rows: list[dict], checks) -> str:
    def pair(row, key):
        ours, plain = row["ours"].get(key), row["plain"].get(key)
        return f"{ours if ours is not None else '–'} / {plain if plain is not None else '–'}"

    lines = [
        "| products | build s, median (ours / plain) | ratio | CPU s (ours / plain) | CPU ratio | peak MiB (ours / plain) | site MiB (ours / plain) "
        "| search index MiB (ours / plain) | KiB per product (ours / plain) | offline search first result s, median of 3 (ours / plain) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['products']:,} | {pair(row, 'seconds')} | {row['build_ratio']} | {pair(row, 'cpu_seconds')} "
            f"| {row['cpu_ratio']} | {pair(row, 'peak_mib')} "
            f"| {pair(row, 'site_mib')} | {pair(row, 'search_index_mib')} | {pair(row, 'kib_per_product')} "
            f"| {pair(row, 'offline_search_s')} |")
    lines += ["", "| goal | measured | limit | met |", "| --- | ---: | ---: | --- |"]
    for name, value, limit, met in checks:
        lines.append(f"| {name} | {value if value is not None else '–'} | {limit} | "
                     f"{'–' if met is None else ('yes' if met else '**no**')} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[100, 1000, 10000])
    parser.add_argument("--no-search", action="store_true", help="skip the offline builds and the browser")
    parser.add_argument("--languages", nargs="+", default=["en"],
                        help="languages our site builds (default: English only, as plain Material)")
    parser.add_argument("--keep", type=Path, help="copy the temporary projects and builds here")
    parser.add_argument("--results", type=Path, default=RESULTS, help="folder for latest.json and latest.md")
    args = parser.parse_args(argv)

    browser = playwright = None
    if not args.no_search:
        if not os.path.exists(CHROMIUM):
            raise SystemExit(f"No Chromium at {CHROMIUM}; install it or pass --no-search.")
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])
    try:
        rows = [run_size(n, browser, args.keep, tuple(args.languages)) for n in args.sizes]
    finally:
        if browser:
            browser.close()
            playwright.stop()
    checks = goals(rows)
    text = table(rows, checks)
    print()
    print(text)
    args.results.mkdir(parents=True, exist_ok=True)
    report = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "search_query": SEARCH_QUERY,
        "rows": rows,
        "goals": [{"goal": g, "measured": v, "limit": lim, "met": met} for g, v, lim, met in checks],
    }
    (args.results / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.results / "latest.md").write_text(text + "\n", encoding="utf-8")
    print(f"\nWritten: {args.results / 'latest.json'} and latest.md")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
