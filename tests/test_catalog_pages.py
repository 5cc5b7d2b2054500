"""Generated pages: one per product, the listing, the stakeholders page, redirects, and search."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from markupsafe import escape

from conftest import ROOT, read_page
from extended_project import extended_site
from pim.load import load_catalog

@pytest.fixture(scope="module")
def catalog():
    loaded, problems = load_catalog(ROOT)
    assert not problems
    return loaded


@pytest.fixture(scope="module")
def local_site() -> Path:
    """The default content plus a product with a local file and an alias (and the other additions
    of tests/extended_project.py, built once per session)."""
    return extended_site()[1]


def test_every_product_has_its_page(site_dir, catalog):
    for product in catalog.products:
        html = read_page(site_dir, f"/products/{product.id}/")
        assert str(escape(product.summary)) in html


def test_product_page_links_terms_date_and_producers(site_dir):
    html = read_page(site_dir, "/products/pim-matrix/")
    assert "<dt>Type</dt>" in html and "Framework" in html
    assert 'href="../../matrix/protection-monitoring/"' in html
    assert re.search(r'<time datetime="2015">2015</time>, updated <time datetime="2016-09">', html)
    assert 'href="../../stakeholders/#pim-community"' in html


def test_product_page_has_description_related_products_and_edit_link(site_dir):
    html = read_page(site_dir, "/products/pim-matrix/")
    assert 'id="description"' in html
    assert 'id="related"' in html and 'data-product-id="quick-reference-flyer"' in html
    assert "/edit/main/products/pim-matrix.md" in html


def test_local_file_download_shows_format_and_size(local_site):
    html = read_page(local_site, "/products/local-test-flyer/")
    assert 'href="../../downloads/test-flyer.pdf" download' in html
    assert "PDF, 2.0 kB" in html
    assert (local_site / "downloads" / "test-flyer.pdf").is_file()
    assert 'href="https://example.org/flyer/"' in html


def test_editions_show_their_language_and_own_title(local_site):
    html = read_page(local_site, "/products/local-test-flyer/")
    assert '<section class="pim-edition" lang="fr" dir="ltr">' in html
    assert "Dépliant de test" in html


def test_macro_syntax_in_a_product_body_is_not_evaluated(local_site):
    html = read_page(local_site, "/products/local-test-flyer/")
    assert "{{ 7 * 7 }} stays as written" in html
    assert "49 stays" not in html


def test_alias_redirects_to_the_product_page(local_site, site_dir):
    html = read_page(local_site, "/essential/local-test-flyer/")
    assert 'http-equiv="refresh" content="0; url=../../products/local-test-flyer/"' in html
    html = read_page(site_dir, "/guidance-and-products/product/pim-process/")
    assert "url=../../../products/pim-process/" in html


def test_listing_has_every_product_with_its_id(site_dir, catalog):
    html = read_page(site_dir, "/products/")
    ids = re.findall(r'data-product-id="([^"]+)"', html)
    assert sorted(ids) == sorted(p.id for p in catalog.products)


def test_listing_is_newest_first_with_unknown_dates_last(site_dir, catalog):
    html = read_page(site_dir, "/products/")
    listing = html[html.index('id="pim-products"'):]
    ids = re.findall(r'data-product-id="([^"]+)"', listing)
    dates = [catalog.product(i).date_key for i in ids]
    assert dates == sorted(dates, reverse=True)
    assert dates[-1] == ""


def test_products_are_not_in_the_navigation(site_dir, catalog):
    # Material writes the whole nav into every page: product pages must stay out of it.
    for page in ("/what-is-pim/", "/products/pim-matrix/"):
        html = read_page(site_dir, page)
        start = html.index('class="md-nav md-nav--primary')
        nav = html[start:html.index('class="md-nav md-nav--secondary"', start)]
        assert 'href="../products/"' in nav or 'href="../"' in nav or 'href="./"' in nav
        for product in catalog.products:
            assert f"products/{product.id}/" not in nav and f'href="../{product.id}/"' not in nav


def test_stakeholders_are_grouped_by_type_with_facilitators_first(site_dir, catalog):
    html = read_page(site_dir, "/stakeholders/")
    headings = re.findall(r'<h2 id="type-([a-z-]+)"', html)
    assert headings[0] in ("ngo", "un-agency")
    first_group = html[html.index(f'id="type-{headings[0]}"'):html.index(f'id="type-{headings[1]}"')]
    first_entry = re.search(r'<li class="pim-stakeholder([^"]*)" id="([^"]+)"', first_group)
    assert "facilitator" in first_entry.group(1)
    for stakeholder in catalog.stakeholders:
        assert f'id="{stakeholder.id}"' in html
    # Each entry lists what it produced, linking to the product pages.
    drc = html[html.index('id="drc"'):]
    drc = drc[:drc.index("</li>")]
    assert 'href="../products/' in drc
    assert 'href="https://drc.ngo/"' in drc


def test_search_index_covers_product_title_summary_type_and_languages(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    docs = [d for d in index["docs"] if d["location"] == "products/framework-for-data-sharing-in-practice/"]
    assert docs, "the product page is not in the search index"
    text = " ".join(d["title"] + " " + d["text"] for d in docs)
    assert "Framework for Data Sharing in Practice" in text
    assert "share data and information safely" in text  # from the summary
    assert "Framework" in text and "Español" in text and "English" in text


def test_search_has_one_result_per_product_and_leaves_terms_to_their_own_pages(site_dir, catalog):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = [d["location"] for d in index["docs"]]
    for product in catalog.products:
        # The description's headings do not split a product into several results.
        assert [loc for loc in locations if loc.startswith(f"products/{product.id}/")] == [f"products/{product.id}/"]
    flyer = next(d for d in index["docs"] if d["location"] == "products/quick-reference-flyer/")
    assert "Sectoral Systems/Other" not in flyer["text"]  # one of its eight matrix categories
    term = next(d for d in index["docs"] if d["location"] == "matrix/sectoral-systems-other/")
    assert term["title"] == "Sectoral Systems/Other"


def test_term_pages_list_their_products(site_dir, catalog):
    html = read_page(site_dir, "/matrix/case-management/")
    for product in catalog.products_with("matrix_categories", "case-management"):
        assert f'data-product-id="{product.id}"' in html
