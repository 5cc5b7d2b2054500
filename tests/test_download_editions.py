"""/download/ lists every offline edition (all languages, and one per language) with its size,
date and checksum, in the reader's language, the reader's own language first."""

from __future__ import annotations

import hashlib
import re
from html import unescape

import pytest

from conftest import read_page
from pim import offline_zip
from trust_project import EDITION_ZIPS, EDITIONS_EPOCH, trust_site

EPOCH = EDITIONS_EPOCH  # 2025-03-04 12:00 UTC
ZIPS = EDITION_ZIPS


@pytest.fixture(scope="module")
def site():
    """The session's trust project: the five zips and the print editions in its dist/
    (tests/trust_project.py, write_editions)."""
    project, site = trust_site()
    return site, project / "dist"


def article(html: str) -> str:
    return unescape(html[html.index("<article"):html.index("</article>")])


def headings(page: str) -> list[str]:
    return [re.sub(r"<[^>]+>|¶", "", h).strip() for h in re.findall(r"<h3[^>]*>(.*?)</h3>", page, re.S)]


def test_english_readers_see_the_english_edition_first_then_all_then_the_others(site):
    site_dir, dist = site
    page = article(read_page(site_dir, "download/"))
    assert headings(page) == ["English: pages and documents in this language", "All languages, every document",
                              "Français: pages and documents in this language",
                              "Español: pages and documents in this language",
                              "العربية: pages and documents in this language"]
    hrefs = re.findall(r'<a class="md-button[^"]*" href="([^"]+)"', page)
    assert hrefs == ["pim-guide-offline-en.zip", "pim-guide-offline.zip", "pim-guide-offline-fr.zip",
                     "pim-guide-offline-es.zip", "pim-guide-offline-ar.zip"]
    for name in ZIPS:
        data = (dist / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() in page
        assert f"{len(data):,} bytes" in page
        assert (site_dir / "download" / name).read_bytes() == data
    assert page.count('<time datetime="2025-03-04">') == len(ZIPS)


@pytest.mark.parametrize("language, first, words", [
    ("fr", "Français : pages et documents dans cette langue", ["Taille", "Somme de contrôle SHA-256", "octets"]),
    ("es", "Español: páginas y documentos en este idioma", ["Tamaño", "Suma de verificación SHA-256"]),
    ("ar", "العربية: الصفحات والوثائق بهذه اللغة", ["الحجم", "المجموع الاختباري SHA-256"]),
])
def test_other_readers_see_their_own_edition_first_in_their_language(site, language, first, words):
    site_dir, dist = site
    page = article(read_page(site_dir, f"{language}/download/"))
    assert headings(page)[0] == first
    assert headings(page)[1] in ("Toutes les langues, tous les documents", "Todos los idiomas, todos los documentos",
                                 "جميع اللغات وجميع الوثائق")
    hrefs = re.findall(r'<a class="md-button[^"]*" href="([^"]+)"', page)
    assert hrefs[0] == f"../../download/pim-guide-offline-{language}.zip"
    assert (site_dir / language / "download" / hrefs[0]).resolve().read_bytes() == \
        (dist / f"pim-guide-offline-{language}.zip").read_bytes()
    for word in words:
        assert word in page


@pytest.mark.parametrize("language, prefix, first", [
    ("en", "", "English: the guide as a book"),
    ("fr", "fr/", "Français : le guide en livre"),
    ("ar", "ar/", "العربية: الدليل في صورة كتاب"),
])
def test_the_print_editions_are_listed_with_pages_and_size_the_readers_language_first(site, language, prefix, first):
    site_dir, dist = site
    page = article(read_page(site_dir, f"{prefix}download/"))
    listed = re.findall(r'<li><a href="([^"]+\.pdf)" hreflang="(\w+)">([^<]+)</a>: ([^<]+)<code>', page)
    assert len(listed) == 8
    assert listed[0][2] == first and listed[0][1] == language
    assert [entry[1] for entry in listed[:2]] == [language, language]
    for href, code, label, facts in listed:
        name = href.split("/")[-1]
        size = (dist / name).stat().st_size
        assert (site_dir / prefix / "download" / href).resolve().read_bytes() == (dist / name).read_bytes()
        pages = 3 if "guide" in name else 1
        assert re.match(rf"\D*{pages}\D", facts) or (pages == 1 and "1" not in facts.split(",")[0]), facts
        assert offline_zip.human_size(size) in facts
