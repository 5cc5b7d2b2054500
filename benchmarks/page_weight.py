"""`make bench`: what a first visit downloads, against the budgets of issue 15.

Builds, in a temporary folder, the project with 1,000 synthetic products (benchmarks/synthetic.py)
in the four languages that ship, serves it gzipped on 127.0.0.1 (benchmarks/gzip_server.py) and
opens each page in headless Chromium with an empty cache (a new browser context per page). The
weight of a page is every byte that came over the network for it until the network is idle:
the sum of Chromium's `encodedDataLength` (headers and gzipped bodies). Scrolling is not done;
the reader does not touch search, so search loads nothing (partials/fetch-on-demand.js).

Covers (issue 23): the first `--covers` products of the listing (the newest) and the product page
measured get a PDF of their own in the download cache, as `make offline` would leave it, so each
has a cover; the listing must load only the covers in view (loading="lazy").

Budgets (1 KB = 1,000 bytes): home page and a product page at most 120 KB; the listing at most
250 KB, and it lists every product without JavaScript. For context, a product page of plain
Material (stock theme and search, the same 1,000 products as pages) is measured the same way.

Usage: python benchmarks/page_weight.py [--products 1000] [--covers 40] [--keep DIR]
Results: benchmarks/results/page_weight.json. Exit status 1 if a budget is exceeded.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import PLAIN_CONFIG, make_ours  # noqa: E402
from gzip_server import serve_gzip  # noqa: E402
from synthetic import plain_page  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
LANGUAGES = ("en", "fr", "es", "ar")
KB = 1000
BUDGETS = {"home": 120 * KB, "product page": 120 * KB, "listing": 250 * KB}


def build(project: Path, site: Path) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                            cwd=project, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")


def make_plain(workdir: Path, ours: Path) -> Path:
    from pim.yamlfile import parse_yaml, split_front_matter

    project = workdir / "plain"
    (project / "docs" / "products").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Plain Material\n\nThe same products as plain pages.\n", encoding="utf-8")
    for path in sorted((ours / "products").glob("*.md")):
        front, body, _ = split_front_matter(path.read_text(encoding="utf-8"))
        (project / "docs" / "products" / path.name).write_text(plain_page(parse_yaml(front).data, body), encoding="utf-8")
    (project / "mkdocs.yml").write_text(PLAIN_CONFIG, encoding="utf-8")
    return project


def plant_covers(project: Path, count: int, also: str) -> int:
    """A PDF of its own for the first `count` products of the listing and for `also`, planted in
    the download cache as a fetch would leave it (pim/fetch.py): each of them gets a cover."""
    import hashlib
    import io

    from PIL import Image, ImageDraw

    from pim.fetch import CACHE_DIR, Cache, Outcome
    from pim.load import load_catalog

    catalog, _ = load_catalog(project)
    chosen = catalog.products[:count] + [catalog.product(also)]
    cache = Cache(project / CACHE_DIR)
    for index, product in enumerate(chosen):
        page = Image.new("RGB", (595, 842), (250, 250, 245))
        draw = ImageDraw.Draw(page)
        draw.rectangle((0, 0, 595, 220), fill=(20 * index % 255, 86, 77))
        draw.text((40, 90), product.title[:40], fill="white", font_size=30)
        for y in range(280, 800, 22):
            draw.line((40, y, 40 + (y * 37 + index * 11) % 515, y), fill=(90, 90, 90), width=4)
        out = io.BytesIO()
        page.save(out, "PDF", resolution=72)
        data, url = out.getvalue(), product.editions[0].files[0].url
        partial = project / "planted.partial"
        partial.write_bytes(data)
        cache.put(Outcome(url, "ok", size=len(data), sha256=hashlib.sha256(data).hexdigest(),
                          content_type="application/pdf"), partial)
    return len(chosen)


def first_visit(browser, url: str, javascript: bool = True) -> dict:
    """Bytes over the network for one page with an empty cache, and what was asked for."""
    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    urls: dict[str, str] = {}
    sizes: dict[str, int] = {}
    cdp.on("Network.requestWillBeSent", lambda e: urls.__setitem__(e["requestId"], e["request"]["url"]))
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    page.goto(url)
    page.wait_for_load_state("networkidle")
    listed = page.evaluate("() => document.querySelectorAll('[data-product-id]').length")
    context.close()
    requests = sorted(((urls.get(rid, "?").replace(url.split("/", 3)[0] + "//" + url.split("/")[2], ""), size)
                       for rid, size in sizes.items() if not urls.get(rid, "").startswith("data:")),
                      key=lambda r: -r[1])
    return {"bytes": sum(size for _, size in requests), "requests": requests, "listed": listed}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--covers", type=int, default=40, help="products of the listing given a cover")
    parser.add_argument("--keep", type=Path, help="copy the temporary project and build here")
    parser.add_argument("--results", type=Path, default=ROOT / "benchmarks" / "results")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory(prefix="pim-weight-") as tmp:
        work = Path(tmp)
        ours = make_ours(work, args.products, LANGUAGES)
        product = sorted((ours / "products").glob("*.md"))[0].stem
        covered = plant_covers(ours, args.covers, product) if args.covers else 0
        print(f"{covered} products with a cover", flush=True)
        print(f"building {args.products} products in {len(LANGUAGES)} languages ...", flush=True)
        build(ours, work / "site")
        plain = make_plain(work, ours)
        build(plain, work / "plain-site")
        pages = {"home": "/", "product page": f"/products/{product}/", "listing": "/products/",
                 "Arabic home": "/ar/", "Arabic product page": f"/ar/products/{product}/",
                 "Arabic listing": "/ar/products/"}
        rows = {}
        site_url, server = serve_gzip(work / "site")
        plain_url, plain_server = serve_gzip(work / "plain-site")
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
                for name, path in pages.items():
                    rows[name] = first_visit(browser, site_url + path)
                rows["listing without JavaScript"] = first_visit(browser, site_url + "/products/", javascript=False)
                rows["plain Material product page"] = first_visit(browser, f"{plain_url}/products/{product}/")
                browser.close()
        finally:
            server.shutdown()
            plain_server.shutdown()
        if args.keep:
            shutil.copytree(work, args.keep, dirs_exist_ok=True, symlinks=True)

    failures = []
    for name, limit in BUDGETS.items():
        if rows[name]["bytes"] > limit:
            failures.append(f"{name}: {rows[name]['bytes'] / KB:.1f} KB > {limit / KB:.0f} KB")
    if rows["listing without JavaScript"]["listed"] != args.products:
        failures.append(f"the listing without JavaScript lists {rows['listing without JavaScript']['listed']} "
                        f"of {args.products} products")
    lines = [f"First visit, empty cache, gzip, {args.products} products in {len(LANGUAGES)} languages (1 KB = 1,000 bytes):",
             "", "| page | KB | requests | budget |", "| --- | ---: | ---: | ---: |"]
    for name, row in rows.items():
        budget = BUDGETS.get(name)
        lines.append(f"| {name} | {row['bytes'] / KB:.1f} | {len(row['requests'])} | "
                     f"{f'{budget / KB:.0f}' if budget else ''} |")
    print("\n".join(lines))
    for name in ("home", "listing", "product page"):
        print(f"\n{name}: " + ", ".join(f"{u} {s / KB:.1f}" for u, s in rows[name]["requests"]))
    for name, row in rows.items():
        row["covers_loaded"] = sum(1 for u, _ in row["requests"] if "/covers/" in u)
    print("\ncovers loaded: " + ", ".join(f"{name} {row['covers_loaded']}" for name, row in rows.items()))
    args.results.mkdir(parents=True, exist_ok=True)
    (args.results / "page_weight.json").write_text(json.dumps({
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "products": args.products, "covers": args.covers, "languages": list(LANGUAGES), "budgets_bytes": BUDGETS,
        "pages": rows, "over_budget": failures}, indent=1) + "\n", encoding="utf-8")
    if failures:
        print("\nOVER BUDGET: " + "; ".join(failures))
        return 1
    print("\nAll budgets hold.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
