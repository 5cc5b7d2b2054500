"""Cite this (issue 18): the APA reference on each product page in the reader's language, made by
citeproc-py, and the BibTeX, RIS and CSL-JSON files, parsed back with real parsers."""

from __future__ import annotations

import json
import re

import bibtexparser
import pytest
import rispy

from conftest import read_page
from pim import citations
from pim.load import load_catalog
from trust_project import trust_site

SITE_URL = "https://pim.guide/"


@pytest.fixture(scope="module")
def built():
    return trust_site()


@pytest.fixture(scope="module")
def catalog(built):
    project, _ = built
    catalog, problems = load_catalog(project)
    assert not problems
    return catalog


def test_references_made_once_per_shape_equal_citeproc_on_each_product(catalog):
    references = citations.Formatter()
    for product in catalog.products:
        for language in ("en", "fr", "es", "ar"):
            item = citations.csl_item(catalog, product, SITE_URL)
            item["genre"] = catalog.vocabulary.label("product_types", product.type, language)
            assert references.apa_html(item, language) == references.format_one(item, language), product.id
    assert all(template is not None for template in references.templates.values())


def test_product_page_cites_in_apa_in_the_readers_language(built):
    _, site = built
    page = read_page(site, "products/pim-matrix/")
    assert ('<p class="pim-cite__reference">PIM community. (2015). <i>PIM Matrix</i> [Framework]. '
            "https://pim.guide/products/pim-matrix/</p>") in page
    # Undated: the locale's words for "no date".
    assert "(n.d.)" in read_page(site, "products/pim-process/")
    # (French and Spanish put a no-break space in the term.)
    assert "(s.\u00a0d.)" in read_page(site, "fr/products/pim-process/")
    assert "(s.\u00a0f.)" in read_page(site, "es/products/pim-process/")
    assert "(د.ت)" in read_page(site, "ar/products/pim-process/")
    french = read_page(site, "fr/products/pim-matrix/")
    assert '<h2 id="cite">Citer</h2>' in french and "<i>PIM Matrix</i> [Cadre]." in french


def test_contributed_text_in_a_reference_is_escaped(built):
    _, site = built
    page = read_page(site, "products/odd-characters/")
    reference = re.search(r'<p class="pim-cite__reference">(.*?)</p>', page, re.S).group(1)
    assert "<script>" not in reference and "&lt;script&gt;alert(1)&lt;/script&gt;" in reference
    assert reference.startswith("Danish Refugee Council (DRC), &amp; Office of the United Nations High Commissioner")
    assert "(2024)." in reference and "{{ config }}" in reference


def test_each_product_links_its_three_citation_files(built, catalog):
    _, site = built
    page = read_page(site, "fr/products/arabic-only/")
    for kind in ("bib", "ris", "json"):
        assert f'href="../../../cite/arabic-only.{kind}" download' in page
    for product in catalog.products:
        for kind in ("bib", "ris", "json"):
            assert (site / "cite" / f"{product.id}.{kind}").is_file()


def _plain(value: str) -> str:
    """A BibTeX value as text: outer braces and TeX escapes undone."""
    value = value.strip()
    while value.startswith("{") and value.endswith("}"):
        value = value[1:-1]
    return re.sub(r"\\(textbackslash|textasciitilde|textasciicircum)\{\}", lambda m: {
        "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^"}[m.group(1)],
        re.sub(r"\\([{}&%$#_])", r"\1", value))


def test_catalog_bibtex_parses_back_to_the_data(built, catalog):
    _, site = built
    library = bibtexparser.parse_string((site / "catalog.bib").read_text(encoding="utf-8"))
    assert not library.failed_blocks
    entries = {entry.key: entry for entry in library.entries}
    assert list(entries) == [p.id for p in catalog.products]
    for product in catalog.products:
        entry = entries[product.id]
        assert entry.entry_type == "techreport"
        edition = product.edition("en") or product.editions[0]
        assert _plain(entry["title"]) == (edition.title or product.title)
        authors = [_plain(a) for a in entry["author"].split(" and ")]
        assert authors == [s.name for s in catalog.producers_of(product)]
        assert entry["url"] == f"{SITE_URL}products/{product.id}/"
        assert entry["language"] == edition.language
        if product.year:
            assert entry["year"] == str(product.year)
        else:
            assert "year" not in entry
    single = bibtexparser.parse_string((site / "cite" / "odd-characters.bib").read_text(encoding="utf-8"))
    assert [e.key for e in single.entries] == ["odd-characters"]


def test_catalog_ris_parses_back_to_the_data(built, catalog):
    _, site = built
    records = rispy.loads((site / "catalog.ris").read_text(encoding="utf-8"))
    assert [r["id"] for r in records] == [p.id for p in catalog.products]
    for product, record in zip(catalog.products, records):
        edition = product.edition("en") or product.editions[0]
        assert record["type_of_reference"] == "RPRT"
        assert record["title"] == (edition.title or product.title)
        assert record["authors"] == [s.name for s in catalog.producers_of(product)]
        assert record["urls"] == [f"{SITE_URL}products/{product.id}/"]
        assert record.get("year") == (str(product.year) if product.year else None)
    [arabic] = rispy.loads((site / "cite" / "arabic-only.ris").read_text(encoding="utf-8"))
    assert (arabic["title"], arabic["language"]) == ("دليل إدارة معلومات الحماية", "ar")


def test_catalog_csl_json_holds_every_product(built, catalog):
    _, site = built
    items = json.loads((site / "catalog.csl.json").read_text(encoding="utf-8"))
    assert [item["id"] for item in items] == [p.id for p in catalog.products]
    odd = next(item for item in items if item["id"] == "odd-characters")
    assert odd["title"] == catalog.product("odd-characters").title
    assert odd["issued"] == {"date-parts": [[2024, 3, 15]]}
    assert odd["accessed"] == {"date-parts": [[2025, 5, 1]]}
    assert [a["literal"] for a in odd["author"]][0] == "Danish Refugee Council (DRC)"


def test_catalog_format_page_links_the_citation_files(built):
    _, site = built
    page = read_page(site, "catalog-format/")
    for name in ("catalog.bib", "catalog.ris", "catalog.csl.json"):
        assert f'href="../{name}"' in page
