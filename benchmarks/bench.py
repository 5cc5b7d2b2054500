"""`make bench`: how the build scales with the catalog, against plain Material.

For each size N it measures two builds, each against its own plain Material, in temporary folders:
- four languages (what ships): a copy of the project, mkdocs.yml as it is (English, French,
  Spanish, Arabic), whose products/ holds N synthetic products; against a stock Material site
  (theme material, search plugin, font: false) of N hand-written pages with the same text, out
  of the nav, with mkdocs-static-i18n building the same four languages, fallback on (each
  language gets the English pages, as ours gets English product text);
- English only: the same copy with only English built, against the same plain pages without
  mkdocs-static-i18n.
It records build seconds (the median of three alternating builds up to 1,000 products), CPU
seconds and peak memory of the build and the processes it starts, site size, search index size
and KiB per product, and in Chromium the offline edition's search time to first result (file://).
The offline search is measured on the four-language offline edition. It prints a table and
writes benchmarks/results/latest.json and latest.md, with the machine's load average.

A benchmark, not a test: nothing here fails on a slow machine. The goals are printed beside
the figures. Usage: python benchmarks/bench.py [--sizes 1000 2000 10000] [--builds shipped english]
[--no-search]
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
    "build_ratio": 1.3,  # at 1,000 and 2,000 products, four languages; and English only at 1,000
    "scaling_10000_over_1000": 11,
    "kib_per_product": 30,  # English only
    "offline_search_s_at_10000": 1.5,
}

LANGUAGES = {"en": "English", "fr": "Français", "es": "Español", "ar": "العربية"}
# The builds measured for each size: name -> (label, languages ours builds; plain Material
# builds the same ones, with mkdocs-static-i18n when there is more than one).
BUILDS = {
    "shipped": ("four languages", ("en", "fr", "es", "ar")),
    "english": ("English only", ("en",)),
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
OFFLINE_EXTRA = """\
extra:
  polyfills:
    - assets/javascripts/iframe-worker.js
"""


def plain_config(languages: tuple[str, ...], offline: bool = False) -> str:
    """Stock Material; with more than one language, mkdocs-static-i18n as its documentation shows
    it (suffix structure, fallback to English, Material and search reconfigured per language)."""
    plugins = "  - search\n"
    if len(languages) > 1:
        plugins += ("  - i18n:\n      docs_structure: suffix\n      fallback_to_default: true\n"
                    "      reconfigure_material: true\n      languages:\n")
        for locale in languages:
            default = "true" if locale == languages[0] else "false"
            plugins += (f"        - locale: {locale}\n          name: {LANGUAGES[locale]}\n"
                        f"          default: {default}\n          build: true\n")
    if offline:
        plugins += "  - offline\n"
    return PLAIN_CONFIG.replace("  - search\n", plugins) + (OFFLINE_EXTRA if offline else "")


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
    _, peak_kib, cpu, user = next(line.split() for line in result.stderr.splitlines() if line.startswith("measured"))
    return {"seconds": round(seconds, 2), "cpu_seconds": round(float(cpu), 2), "user_cpu_seconds": round(float(user), 2),
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


def make_plain(workdir: Path, ours: Path, languages: tuple[str, ...] = ("en",)) -> Path:
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
    (project / "mkdocs.yml").write_text(plain_config(languages), encoding="utf-8")
    (project / "mkdocs-offline.yml").write_text(plain_config(languages, offline=True), encoding="utf-8")
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


def repeats(count: int, chosen: int | None = None) -> int:
    """Builds of each site at this size: one build on a shared machine can be 20% off, so small
    sizes (a few seconds a build) take the median of three, alternating plain and ours.
    `--repeats` chooses (one build each when the machine is too busy for three)."""
    if chosen:
        return chosen
    return 3 if count <= 1000 else 1


def median_build(builds: list[dict]) -> dict:
    """The median build's times; the highest peak memory of them all."""
    middle = len(builds) // 2
    return {"seconds": sorted(b["seconds"] for b in builds)[middle],
            "cpu_seconds": sorted(b["cpu_seconds"] for b in builds)[middle],
            "user_cpu_seconds": sorted(b["user_cpu_seconds"] for b in builds)[middle],
            "peak_mib": max(b["peak_mib"] for b in builds),
            "build_samples_s": [b["seconds"] for b in builds],
            "cpu_samples_s": [b["cpu_seconds"] for b in builds], "user_cpu_samples_s": [b["user_cpu_seconds"] for b in builds]}


def run_size(count: int, browser, keep: Path | None, build_name: str = "shipped", runs: int | None = None) -> dict:
    label, languages = BUILDS[build_name]
    workdir = Path(tempfile.mkdtemp(prefix=f"pim-bench-{count}-{build_name}-"))
    try:
        ours = make_ours(workdir, count, languages)
        plain = make_plain(workdir, ours, languages)
        row: dict = {"products": count, "build": build_name, "label": label, "languages": list(languages),
                     "load_before": os.getloadavg()[0]}
        projects = (("plain", plain), ("ours", ours))
        builds: dict[str, list[dict]] = {"plain": [], "ours": []}
        for _ in range(repeats(count, runs)):
            for name, project in projects:
                print(f"  {count}, {label}: building {name} ...", flush=True)
                site = workdir / f"site-{name}"
                shutil.rmtree(site, ignore_errors=True)
                builds[name].append(build(project, site))
        for name, project in projects:
            row[name] = {**median_build(builds[name]), **sizes_of(workdir / f"site-{name}", count)}
            if browser is not None:
                config = offline_config(project)
                offline_site = workdir / f"offline-{name}"
                print(f"  {count}, {label}: building {name} offline ({config}) and searching it ...", flush=True)
                row[name]["offline_build_seconds"] = build(project, offline_site, config)["seconds"]
                search = search_first_result(browser, offline_site)
                row[name]["offline_search_s"] = search["median"]
                row[name]["offline_search_samples_s"] = search["samples"]
        row["build_ratio"] = round(row["ours"]["seconds"] / row["plain"]["seconds"], 2)
        row["cpu_ratio"] = round(row["ours"]["cpu_seconds"] / row["plain"]["cpu_seconds"], 2)
        row["user_cpu_ratio"] = round(row["ours"]["user_cpu_seconds"] / row["plain"]["user_cpu_seconds"], 2)
        row["memory_ratio"] = round(row["ours"]["peak_mib"] / row["plain"]["peak_mib"], 2)
        row["load_after"] = os.getloadavg()[0]
        return row
    finally:
        if keep:
            shutil.copytree(workdir, keep / workdir.name, dirs_exist_ok=True)
        shutil.rmtree(workdir, ignore_errors=True)


def goals(rows: list[dict]) -> list[tuple[str, float | None, float | None, bool | None]]:
    """(goal, measured, limit, met) for each goal whose size was measured; a limit of None is a
    figure to read, not a goal."""
    shipped = {r["products"]: r for r in rows if r["build"] == "shipped"}
    english = {r["products"]: r for r in rows if r["build"] == "english"}
    results = []

    def add(name, value, limit):
        met = None if value is None or limit is None else value <= limit
        results.append((name, value, limit, met))

    for n in (1000, 2000):
        if n in shipped:
            add(f"build time / plain Material + i18n at {n:,}, four languages", shipped[n]["build_ratio"],
                GOALS["build_ratio"])
    if 1000 in english:
        add("build time / plain Material at 1,000, English only", english[1000]["build_ratio"], GOALS["build_ratio"])
    if 1000 in shipped and 10000 in shipped:
        add("t(10,000) / t(1,000), four languages",
            round(shipped[10000]["ours"]["seconds"] / shipped[1000]["ours"]["seconds"], 2),
            GOALS["scaling_10000_over_1000"])
    if 10000 in shipped:
        add("peak MiB at 10,000, four languages (see benchmarks/README.md)", shipped[10000]["ours"]["peak_mib"], None)
        add("offline search s at 10,000, four-language offline edition",
            shipped[10000]["ours"].get("offline_search_s"), GOALS["offline_search_s_at_10000"])
    if english:
        largest = max(english)
        add(f"KiB per product at {largest:,}, English only", english[largest]["ours"]["kib_per_product"],
            GOALS["kib_per_product"])
    return results


def table(rows: list[dict], checks) -> str:
    def pair(row, key):
        ours, plain = row["ours"].get(key), row["plain"].get(key)
        return f"{ours if ours is not None else '–'} / {plain if plain is not None else '–'}"

    lines = [
        "| products | build | build s, median (ours / plain) | ratio | CPU s (ours / plain) | CPU ratio | peak MiB (ours / plain) | site MiB (ours / plain) "
        "| search index MiB (ours / plain) | KiB per product (ours / plain) | offline search first result s, median of 3 (ours / plain) | load average (before / after) |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        lines.append(
            f"| {row['products']:,} | {row['label']} | {pair(row, 'seconds')} | {row['build_ratio']} | {pair(row, 'cpu_seconds')} "
            f"| {row['cpu_ratio']} | {pair(row, 'peak_mib')} "
            f"| {pair(row, 'site_mib')} | {pair(row, 'search_index_mib')} | {pair(row, 'kib_per_product')} "
            f"| {pair(row, 'offline_search_s')} | {row['load_before']:.1f} / {row['load_after']:.1f} |")
    lines += ["", "| goal | measured | limit | met |", "| --- | ---: | ---: | --- |"]
    for name, value, limit, met in checks:
        lines.append(f"| {name} | {value if value is not None else '–'} | {limit if limit is not None else '–'} | "
                     f"{'–' if met is None else ('yes' if met else '**no**')} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", nargs="+", type=int, default=[1000, 2000, 10000])
    parser.add_argument("--builds", nargs="+", choices=list(BUILDS), default=list(BUILDS),
                        help="shipped: the four-language build against plain Material + mkdocs-static-i18n; "
                             "english: English only against plain Material (default: both)")
    parser.add_argument("--no-search", action="store_true", help="skip the offline builds and the browser")
    parser.add_argument("--repeats", type=int, help="builds of each site per size (default: 3 up to 1,000, else 1)")
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
        # The offline edition that ships has four languages: its search is measured there only.
        rows, text = [], ""
        for n in args.sizes:
            for name in args.builds:
                rows.append(run_size(n, browser if name == "shipped" else None, args.keep, name, args.repeats))
                text = write_results(args.results, rows)  # after each row: a long run stopped early keeps what it measured
    finally:
        if browser:
            browser.close()
            playwright.stop()
    print()
    print(text)
    print(f"\nWritten: {args.results / 'latest.json'} and latest.md")
    return 0


def write_results(folder: Path, rows: list[dict]) -> str:
    checks = goals(rows)
    text = table(rows, checks)
    folder.mkdir(parents=True, exist_ok=True)
    report = {
        "when": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
                    "note": "load average (1 min) before and after each size is in its row: the machine may be shared"},
        "search_query": SEARCH_QUERY,
        "rows": rows,
        "goals": [{"goal": g, "measured": v, "limit": lim, "met": met} for g, v, lim, met in checks],
    }
    (folder / "latest.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (folder / "latest.md").write_text(text + "\n", encoding="utf-8")
    return text


if __name__ == "__main__":
    raise SystemExit(main())
