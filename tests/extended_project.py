"""One project for the build tests that each add a little data to the default content, built
once per session instead of once per test module: a product with a local file, an alias and an
edition title (test_catalog_pages.py); 41 products of one matrix category (test_taxonomy_pages.py);
a field added to the product schema and a product whose title holds markup (test_contribute.py);
two products from real data defects (test_real_data_defects.py); two products one after the
other whose Markdown state must not carry over (test_product_page_speedups.py), and the same
project built without the speed-ups (`extended_build_without_speedups`); and five products
whose documents are in the download cache, for covers (test_covers.py) and for the web addresses
the hosted site keeps (test_offline_documents.py); an offline edition's zip in dist/, which
the download page publishes (test_download_page.py); and one term, Case Management, with no Spanish
label (test_glossary.py). Each test reads only the pages of what it added, or properties that hold
for any content.

`broken_build` is the one strict build that must fail, shared the same way: an image without alt
text (test_site_foundation.py) and broken links in a product body (test_product_page_speedups.py);
strict mode reports every warning of the build before it stops."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import time
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw

from conftest import build_site, copy_project, shared_folder
from pim.fetch import CACHE_DIR, Cache, Outcome
from pim.scaffold import create_product

LOCAL_PRODUCT = """\
---
title: Local test flyer
summary: A flyer kept in the repository, with a word only it has, zanzibarite.
type: flyer
categories: [case-management]
published: "2020-03-04"
producers: [drc, unhcr]
editions:
  - language: fr
    title: Dépliant de test
    files:
      - {label: Le dépliant, path: downloads/test-flyer.pdf, format: PDF}
  - language: en
    files:
      - {label: The flyer, path: downloads/test-flyer.pdf, format: PDF}
      - {label: Online, url: "https://example.org/flyer/", format: Web page}
aliases: [/essential/local-test-flyer/]
---

## Using it

Print it on A3. {{ 7 * 7 }} stays as written.
"""

BULK_PRODUCTS = 41  # products of one category, for a term page listing many


def bulk_product(number: int) -> str:
    return (f"---\ntitle: Bulk product {number}\nsummary: One of many case management tools.\n"
            "type: tool\npublished: \"2020\"\nproducers: [drc]\ncategories: [case-management]\n"
            "editions:\n  - language: en\n    files: []\n---\n")


SCHEMA_FIELD = {"audience": {"type": "string", "description": "<script>alert('x')</script> & who"}}
MARKUP_TITLE, MARKUP_ID = "<b>Bold</b> {{ 7*7 }} guide", "markup-guide"

TAGCODING = """\
---
title: Tag coding registry entry
summary: |
  A registry entry converted from another catalog,
  with a summary written over
     three lines.
type: tool
published: "2020"
producers: [drc]
editions:
  - language: en
    files:
      - {label: The tool online, url: "  https://example.org/tagcoding  ", format: Web page}
---

#tagcoding means adding tags to records so that they can be found and counted later.

It is used by teams that code free text.

## How it works

Each record gets one or more tags.

### Tag lists

Lists are kept per operation.
"""

WIDE_TABLE = """\
---
title: Wide terminology table
summary: A glossary whose table has more columns than a phone can show.
type: terminology
published: "2016"
producers: [drc]
editions:
  - language: en
    files: []
---

Terms and what they mean.

## Terms

| Term | Definition | Source | Sector | Related term | Not to confuse with | Example | Notes |
|------|------------|--------|--------|--------------|---------------------|---------|-------|
| Information management | The collection, processing, analysis and dissemination of information | PIM community | Protection | Data management | Information technology | A monitoring system | Kept short |
| Protection information | Information about threats, vulnerabilities and capacities of people | PIM community | Protection | Protection monitoring | Case files | A protection analysis | Kept short |
"""

# Two products one after the other: state must not carry over from one body to the next.
FIRST = """\
---
title: First test product
summary: Defines an abbreviation and a heading that the next product must not inherit.
type: tool
published: "2024-01"
producers: [drc]
editions:
  - language: en
    files: []
---

## Overview

The PIM team uses this.

!!! note "A note"
    Admonitions render as they do on other pages.

| Column | Other |
| --- | --- |
| a | b |

*[PIM]: Protection Information Management
"""

SECOND = """\
---
title: Second test product
summary: Mentions PIM with no abbreviation of its own.
type: tool
published: "2024-02"
producers: [drc]
editions:
  - language: en
    files: []
---

## Overview

PIM again, with a link to [the first product](first-test-product.md#overview) and one to
[the logo](../assets/logo.svg), which is not under the language's folder.
"""


# Covers (test_covers.py): products whose first file `make offline` fetched, a PDF or not.
BASE = "http://127.0.0.1:9"  # never asked: the cache answers, and the build asks no server


def make_pdf(width: int = 595, height: int = 842, title: str = "A field guide") -> bytes:
    page = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((0, 0, width, height // 4), fill=(0, 86, 77))
    draw.text((40, height // 10), title, fill="white", font_size=48)
    for y in range(height // 3, height - 40, 24):
        draw.line((40, y, width - 40, y), fill=(110, 110, 110), width=3)
    out = io.BytesIO()
    # Fixed dates: Pillow writes the current second otherwise, and the test process that reads
    # the shared build made its own copy at another second (another name for the cover).
    day = time.gmtime(1741046400)  # 2025-03-04
    page.save(out, "PDF", resolution=72, creationDate=day, modDate=day)
    return out.getvalue()


GOOD = make_pdf()
TALL = make_pdf(400, 2400, "A long scroll")  # cut at the bottom to 1.6 times its width
CORRUPT = b"%PDF-1.7\n" + b"\x00garbage that no PDF reader can open " * 200


def plant(root: Path, url: str, content: bytes, content_type: str = "application/pdf") -> None:
    """What a successful fetch leaves in .cache/downloads/ (pim/fetch.py)."""
    cache = Cache(root / CACHE_DIR)
    partial = root / "partial.bin"
    partial.write_bytes(content)
    cache.put(Outcome(url, "ok", size=len(content), sha256=hashlib.sha256(content).hexdigest(),
                      content_type=content_type), partial)


def cover_product(title: str, files: str, translations: str = "") -> str:
    return f"""---
title: {title}
summary: A product made by the covers test.
type: report
published: "2023-05"
producers: [pim-community]
featured: true
{translations}editions:
  - language: en
    files:
{files}---

What the document holds.
"""


COVER_PRODUCTS = {
    "with-cover": cover_product("Field guide", f"      - {{label: Guide, format: PDF, url: {BASE}/guide.pdf}}\n",
                          "translations:\n  fr: {title: Guide de terrain}\n  ar: {title: دليل ميداني}\n"),
    "tall-cover": cover_product("Long scroll", f"      - {{label: Scroll, format: PDF, url: {BASE}/tall.pdf}}\n"),
    "corrupt-cover": cover_product("Broken file", f"      - {{label: Broken, format: PDF, url: {BASE}/broken.pdf}}\n"),
    # Its PDF is not the first file: no cover.
    "second-file-pdf": cover_product("Second file", f"      - {{label: Site, format: Web page, url: {BASE}/page}}\n"
                                              f"      - {{label: Guide, format: PDF, url: {BASE}/guide.pdf}}\n"),
    # Never fetched: nothing in the cache.
    "not-fetched": cover_product("Not fetched", f"      - {{label: Guide, format: PDF, url: {BASE}/elsewhere.pdf}}\n"),
}


def write_cover_products(project: Path) -> Path:
    """The products above, and their documents in the download cache as `make offline` leaves them."""
    for product_id, text in COVER_PRODUCTS.items():
        (project / "products" / f"{product_id}.md").write_text(text, encoding="utf-8")
    plant(project, f"{BASE}/guide.pdf", GOOD)
    plant(project, f"{BASE}/tall.pdf", TALL)
    plant(project, f"{BASE}/broken.pdf", CORRUPT)
    plant(project, f"{BASE}/page", b"<!doctype html><title>x</title>", "text/html")
    return project


# An offline edition's zip in dist/, as `make offline` left it (test_download_page.py).
ZIP_EPOCH = 1741089600  # 2025-03-04 12:00 UTC


def write_offline_zip(project: Path) -> Path:
    from pim import offline_zip

    content = project.parent / "offline stand-in"
    content.mkdir()
    (content / "index.html").write_text("<h1>stand-in for the offline site</h1>", encoding="utf-8")
    return offline_zip.write_zip(content, project / "dist" / "pim-guide-offline.zip", ZIP_EPOCH)


SPANISH_LABEL = 'labels: {fr: "Gestion de cas", es: "Gestión de casos", ar: "إدارة الحالات"}'


def leave_a_term_untranslated(project: Path) -> None:
    """Case Management loses its Spanish label: the glossary and the translation status show it."""
    path = project / "vocabularies.yml"
    text = path.read_text(encoding="utf-8")
    assert text.count(SPANISH_LABEL) == 1
    path.write_text(text.replace(SPANISH_LABEL, 'labels: {fr: "Gestion de cas", ar: "إدارة الحالات"}'), encoding="utf-8")


def write_additions(project: Path) -> Path:
    (project / "docs" / "downloads").mkdir(exist_ok=True)
    (project / "docs" / "downloads" / "test-flyer.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 2039)
    (project / "products" / "local-test-flyer.md").write_text(LOCAL_PRODUCT, encoding="utf-8")
    for number in range(BULK_PRODUCTS):
        (project / "products" / f"bulk-product-{number:02d}.md").write_text(bulk_product(number), encoding="utf-8")
    schema_path = project / "pim" / "schemas" / "product.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    schema["properties"].update(SCHEMA_FIELD)
    schema_path.write_text(json.dumps(schema), encoding="utf-8")
    create_product(project, MARKUP_TITLE, MARKUP_ID)
    (project / "products" / "tag-coding-registry-entry.md").write_text(TAGCODING, encoding="utf-8")
    (project / "products" / "wide-terminology-table.md").write_text(WIDE_TABLE, encoding="utf-8")
    (project / "products" / "first-test-product.md").write_text(FIRST, encoding="utf-8")
    (project / "products" / "second-test-product.md").write_text(SECOND, encoding="utf-8")
    write_cover_products(project)
    write_offline_zip(project)
    leave_a_term_untranslated(project)
    return project


def _make_extended(work: Path) -> None:
    project = write_additions(copy_project(work / "project"))
    result = build_site(project, work / "site", extra_args=("--verbose",))
    (work / "build.log").write_text(result.stdout + result.stderr, encoding="utf-8")


@lru_cache(maxsize=None)
def extended_build() -> tuple[Path, Path, str]:
    """(project, site, log): the default content with the additions above, built once per test
    run (--verbose: the log says whether product pages were filled from the shell)."""
    work = shared_folder("extended", _make_extended)
    return work / "project", work / "site", (work / "build.log").read_text(encoding="utf-8")


def extended_site() -> tuple[Path, Path]:
    """(project, site) of `extended_build`."""
    project, site, _ = extended_build()
    return project, site


PRIVATE_NAMES = ["_ExtractAnchorsTreeprocessor", "_ExtractTitleTreeprocessor", "_RawHTMLPreprocessor",
                 "_RelativePathTreeprocessor"]
# `mkdocs build --strict`, in a MkDocs whose private names cannot be imported (as after a
# rename): importers get a copy of mkdocs.structure.pages without them; MkDocs keeps its own.
BUILD_WITHOUT_PRIVATE_NAMES = f"""
import sys, types
import mkdocs.structure
import mkdocs.structure.pages as pages
public = types.ModuleType(pages.__name__)
public.__dict__.update({{k: v for k, v in vars(pages).items() if k not in {PRIVATE_NAMES!r}}})
sys.modules[pages.__name__] = mkdocs.structure.pages = public
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "--strict", "--site-dir", sys.argv[1]]
cli()
"""


def _make_without_speedups(work: Path) -> None:
    project, _, _ = extended_build()
    result = subprocess.run([sys.executable, "-c", BUILD_WITHOUT_PRIVATE_NAMES, str(work / "site")], cwd=project,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    (work / "build.log").write_text(result.stderr, encoding="utf-8")


@lru_cache(maxsize=None)
def extended_build_without_speedups() -> tuple[Path, str]:
    """(site, log): the extended project built where MkDocs' private names cannot be imported,
    so product pages take the public path, as `extra: fast_product_pages: false` makes them.
    One build for both tests/test_speedups_guard.py and tests/test_product_page_speedups.py."""
    work = shared_folder("extended-without-speedups", _make_without_speedups)
    return work / "site", (work / "build.log").read_text(encoding="utf-8")


BROKEN_LINKS = SECOND.replace("Second test product", "Broken links").replace(
    'published: "2024-02"', 'published: "1990"').replace(
    "[the first product](first-test-product.md#overview)",
    "[a product](no-such-product.md) and [a section](common-pim-terminology.md#no-such-section)")


def _make_broken(work: Path) -> None:
    project = copy_project(work / "project")
    page = project / "docs" / "about.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![](assets/logo.svg)\n", encoding="utf-8")
    (project / "products" / "zz-broken-links.md").write_text(BROKEN_LINKS, encoding="utf-8")
    result = build_site(project, work / "site", check=False)
    (work / "result.json").write_text(json.dumps([result.returncode, result.stdout, result.stderr]), encoding="utf-8")


@lru_cache(maxsize=None)
def broken_build() -> subprocess.CompletedProcess:
    """The strict build of a project with an image without alt text on the About page and a
    product body with broken links, which must fail."""
    work = shared_folder("broken", _make_broken)
    code, out, err = json.loads((work / "result.json").read_text(encoding="utf-8"))
    return subprocess.CompletedProcess(["mkdocs", "build"], code, out, err)
