"""A realistic project for the issue 18 tests: the real data, plus products with odd characters,
a 200-character title, an Arabic-only edition, review dates and histories; and in its dist/ the
offline editions' five zips and the print editions, as `make offline` and `make pdf` leave them,
for the download page (test_download_editions.py); and test_untrusted_content.py's hostile product
and stakeholder (the hosted build only; dated 2010, older than every change the tests here read).
Built once per session (the build date fixed with SOURCE_DATE_EPOCH); its offline build, with
covers, too."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from conftest import build_site, copy_project, offline_project, shared_folder
from pim import offline_zip

BUILD_DAY = "2025-06-01"
SOURCE_DATE_EPOCH = "1748736000"  # 2025-06-01 00:00 UTC
LONG_TITLE = ("Guidance on the responsible collection, analysis, storage and sharing of protection data "
              "in displacement settings, with worked examples from camps, urban areas and mixed movements")[:200]

PRODUCTS = {
    "odd-characters": """\
---
title: 'Safe "referral" & <script>alert(1)</script> {{ config }} 100% of_cases: what''s next?'
summary: A checklist with odd characters & <b>markup</b> in its title.
type: tool
published: "2024-03-15"
producers: [drc, unhcr]
editions:
  - language: en
    files:
      - {label: Read online, url: "https://example.org/odd?a=1&b=2", format: Web page}
  - language: fr
    title: Orientation « sûre » & co
reviewed: 2025-05-01
changes:
  - date: 2025-01-10
    note: Added the French edition & fixed <i>two</i> links.
    translations: {fr: "Ajout de l'édition française.", ar: "أضيفت النسخة الفرنسية."}
  - date: 2025-04-02
    note: "New section on {{ consent }}."
---

Body.
""",
    "long-title": f"""\
---
title: "{LONG_TITLE}"
summary: A long title.
type: report
published: "2019"
producers: [pim-community]
editions:
  - language: en
review_every: 6
---

Body.
""",
    "arabic-only": """\
---
title: دليل إدارة معلومات الحماية
summary: دليل باللغة العربية فقط.
type: guidance
published: "2023-11"
producers: [unhcr]
editions:
  - language: ar
    files:
      - {label: اقرأ, url: "https://example.org/ar/", format: Web page}
reviewed: 2024-12-31
changes:
  - {date: 2024-12-31, note: First Arabic edition published on the site.}
---

نص.
""",
}


def write_products(project: Path) -> Path:
    for name, text in PRODUCTS.items():
        (project / "products" / f"{name}.md").write_text(text, encoding="utf-8")
    return project


# The offline editions' zips and the print editions (test_download_editions.py).
EDITIONS_EPOCH = 1741089600  # 2025-03-04 12:00 UTC
EDITION_ZIPS = ["pim-guide-offline.zip", *(f"pim-guide-offline-{lang}.zip" for lang in ("en", "fr", "es", "ar"))]


def write_editions(dist, work) -> None:
    """Stand-ins for the five zips of `make offline`, each with its checksum, and `make pdf`'s PDFs."""
    for i, name in enumerate(EDITION_ZIPS):
        content = work / name
        content.mkdir(parents=True)
        (content / "index.html").write_text(f"<h1>stand-in {name}</h1>" + "x" * 1000 * i, encoding="utf-8")
        offline_zip.write_checksum(offline_zip.write_zip(content, dist / name, EDITIONS_EPOCH))
    write_print_editions(dist)


def write_print_editions(dist) -> None:
    """Stand-ins for `make pdf`'s PDFs: the guide with three pages, the card with one."""
    from pypdf import PdfWriter

    for language in ("en", "fr", "es", "ar"):
        for kind, pages in (("guide", 3), ("quick-reference", 1)):
            writer = PdfWriter()
            for _ in range(pages):
                writer.add_blank_page(width=595, height=842)
            writer.write(dist / f"pim-{kind}-{language}.pdf")


def _make_trust(folder: Path) -> None:
    from test_untrusted_content import write_hostile_data

    project = write_products(copy_project(folder / "project"))
    write_hostile_data(project)  # test_untrusted_content.py's product and stakeholder: one build fewer
    write_editions(project / "dist", folder / "content")
    build_site(project, folder / "site", env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH})


def _make_trust_offline(folder: Path) -> None:
    from extended_project import write_cover_products

    project = write_cover_products(write_products(offline_project(folder / "project")))
    result = build_site(project, folder / "site", ("--config-file", "mkdocs-offline.yml"),
                        env={"SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH})
    (folder / "build.log").write_text(result.stderr, encoding="utf-8")


@lru_cache(maxsize=None)
def trust_offline_site() -> tuple[Path, Path, str]:
    """(project, built site, the build's stderr): the offline build (mkdocs-offline.yml) of the
    products above and of tests/extended_project.py's cover products with their documents in the
    download cache, on the same date; shared by test_changes_page.py and test_covers.py."""
    folder = shared_folder("trust-offline", _make_trust_offline)
    return folder / "project", folder / "site", (folder / "build.log").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def trust_site() -> tuple[Path, Path]:
    """(project, built site), built once per test run and shared by the test processes (it was
    built once per process: twice under `make test` when its four test files were split)."""
    folder = shared_folder("trust", _make_trust)
    return folder / "project", folder / "site"
