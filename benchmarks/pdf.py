"""`make pdf` at scale: time and sizes of the print editions with N synthetic products (default
1,000) in four languages (benchmarks/synthetic.py, in a temporary copy of the project).

What `make pdf` does, timed in two parts: the site build it starts from (`mkdocs build`, the same
as `make site`), then printing (python -m pim.pdf_edition --site-dir: per language the book, twice,
and the card). Plain Material makes no PDF, so the comparison in the same run is with our own site
build: the printing's share of `make pdf`. Goal: `make pdf` at 1,000 products in four languages in
at most 5 minutes. Also: each guide's pages and size, and the catalog's pages per product (a
product takes at most a third of a page).

    .venv/bin/python benchmarks/pdf.py [--products 1000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench import make_ours  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "pdf.json"
LANGUAGES = ("en", "fr", "es", "ar")
GOAL_SECONDS = 300


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1741089600"}
    started = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return time.monotonic() - started


def catalog_pages(path: Path) -> int:
    """Pages from the catalog's bookmark to the stakeholders' (the last two top-level bookmarks)."""
    from pypdf import PdfReader

    reader = PdfReader(path)
    tops = [reader.get_destination_page_number(item) for item in reader.outline if not isinstance(item, list)]
    return tops[-1] - tops[-2]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="keep the project, site and PDFs here")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pim-bench-pdf-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        project = make_ours(work, args.products, LANGUAGES)
        site, dist = work / "site", work / "dist"
        # Not strict: the synthetic catalog replaces the products the hand-written pages link to.
        build = timed([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], project)
        printing = timed([sys.executable, "-m", "pim.pdf_edition", "--root", str(project), "--site-dir", str(site),
                          "--dist", str(dist)], ROOT)
        from pim.pdf_edition import describe

        files = {}
        for path in sorted(dist.glob("*.pdf")):
            info = describe(path)
            if path.name.startswith("pim-guide-"):
                info["catalog_pages_per_product"] = round(catalog_pages(path) / args.products, 3)
            files[path.name] = info
    total = build + printing
    row = {"products": args.products, "languages": list(LANGUAGES), "site_build_s": round(build, 1),
           "printing_s": round(printing, 1), "make_pdf_s": round(total, 1),
           "printing_share": round(printing / total, 2), "goal_s": GOAL_SECONDS, "met": total <= GOAL_SECONDS,
           "files": files}
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(row, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"make pdf, {args.products} products, four languages: {total:.0f} s (site build {build:.0f} s, "
          f"printing {printing:.0f} s, {row['printing_share']:.0%} of it); goal {GOAL_SECONDS} s: "
          f"{'met' if row['met'] else 'MISSED'}")
    for name, info in files.items():
        extra = f", catalog {info['catalog_pages_per_product']} pages per product" if "catalog_pages_per_product" in info else ""
        print(f"  {name}: {info['pages']} pages, {info['size']}{extra}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
