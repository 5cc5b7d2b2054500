"""What citations, review dates and histories (issue 18) cost the build, at 1,000 synthetic
products in the four shipped languages.

1. In one process: the APA references of every product in four languages, and every citation
   file, as the build makes them (formatted once per shape, pim/citations.py), against citeproc-py
   formatting each reference on its own (timed on a sample, then scaled).
2. Whole builds (`mkdocs build`, four languages): this tree against the tree before issue 18
   (`--base`, a commit), median of `--runs`, same synthetic catalog, one third of the products
   with a `reviewed` date and two `changes` entries.

    .venv/bin/python benchmarks/citations.py --base 83a7227 [--count 1000] [--runs 3]

Runs on the shared 2-core machine (load average 11 to 15, so wall times swing widely; CPU
seconds are steadier), 1,000 products:
- all references in 4 languages: 1.0 to 2.9 s (32 shape x language templates, 40 citeproc-py
  calls), against about 180 to 210 s for citeproc-py on each of the 4,000 references; the 3,003
  citation files: 0.2 to 0.6 s. Both grow with the number of shapes, not of products.
- whole build, 4 languages (2 runs each, in turn): before issue 18 28.4 s CPU, with it 34.3 s
  CPU (1.21x; wall 98 s against 139 s, not comparable under that load). This includes the
  history of a third of the products, the /changes/ page in 4 languages, the review dates on
  every page and card, and the citation files.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from synthetic import product_file, products  # noqa: E402

IGNORE = shutil.ignore_patterns(".venv", ".git", "site", "dist", "node_modules", "__pycache__", ".pytest_cache")


def write_catalog(project: Path, count: int, with_history: bool) -> None:
    folder = project / "products"
    for old in folder.glob("*.md"):
        old.unlink()
    rng = random.Random(18)
    for index, product in enumerate(products(project, count, rng)):
        text = product_file(product)
        if with_history and index % 3 == 0:
            extra = ("reviewed: 2025-0{m}-1{d}\nchanges:\n  - {{date: 2024-0{m}-1{d}, note: \"Corrected the link "
                     "to the {i} file.\"}}\n  - {{date: 2025-0{m}-1{d}, note: \"Added an edition.\", translations: "
                     "{{fr: \"Ajout d'une édition.\"}}}}\n").format(m=index % 9 + 1, d=index % 9, i=index)
            head, body = text.split("\n---\n", 1)
            text = head + "\n" + extra + "---\n" + body
        (folder / f"{product['id']}.md").write_text(text, encoding="utf-8")


def in_process(project: Path) -> None:
    from pim import citations
    from pim.load import load_catalog

    catalog, problems = load_catalog(project)
    assert not problems, problems[:3]
    items = [citations.csl_item(catalog, p, "https://pim.guide/") for p in catalog.products]
    formatter = citations.Formatter()
    start = time.perf_counter()
    for language in citations.LOCALES:
        for item in items:
            formatter.apa_html(item, language)
    references = time.perf_counter() - start
    start = time.perf_counter()
    files = citations.all_files(catalog, "https://pim.guide/")
    writing = time.perf_counter() - start
    sample = items[:40]
    start = time.perf_counter()
    for item in sample:
        formatter.format_one(item, "en")
    one_by_one = (time.perf_counter() - start) / len(sample) * len(items) * len(citations.LOCALES)
    print(f"{len(items)} products, 4 languages: references {references:.2f} s "
          f"({len(formatter.templates)} shapes x languages formatted by citeproc-py), "
          f"citation files {writing:.2f} s ({len(files)} files); "
          f"citeproc-py on each reference would take about {one_by_one:.0f} s")


def build(project: Path, site: Path) -> tuple[float, float]:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1748736000"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--site-dir", str(site)],
                   cwd=project, env=env, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    shutil.rmtree(site)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--base", help="the commit before issue 18, for the whole-build comparison")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pim-citations-") as tmp:
        ours = Path(tmp) / "ours"
        shutil.copytree(ROOT, ours, ignore=IGNORE, symlinks=True)
        write_catalog(ours, args.count, with_history=True)
        in_process(ours)
        if not args.base:
            return
        base = Path(tmp) / "base"
        base.mkdir()
        archive = subprocess.run(["git", "archive", args.base], cwd=ROOT, capture_output=True, check=True).stdout
        tarfile.open(fileobj=io.BytesIO(archive)).extractall(base)
        write_catalog(base, args.count, with_history=False)
        results = {"base": [], "ours": []}
        for run in range(args.runs):  # in turn, so that the machine's load falls on both alike
            for name, project in (("base", base), ("ours", ours)):
                results[name].append(build(project, Path(tmp) / f"site-{name}"))
        for name in ("base", "ours"):
            walls, cpus = zip(*results[name])
            print(f"{name}: build {statistics.median(walls):.2f} s wall, {statistics.median(cpus):.2f} s CPU "
                  f"(runs: {', '.join(f'{w:.1f}' for w in walls)})")
        ratio = statistics.median(w for w, _ in results["ours"]) / statistics.median(w for w, _ in results["base"])
        cpu = statistics.median(c for _, c in results["ours"]) / statistics.median(c for _, c in results["base"])
        print(f"ours / base: {ratio:.2f}x wall, {cpu:.2f}x CPU")


if __name__ == "__main__":
    main()
