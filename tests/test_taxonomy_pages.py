"""/matrix/, /principles/ and /process/ and their term pages agree with the data, and product pages
link to all their terms and to the listing filtered by their type."""

from __future__ import annotations

import html
import re

import pytest

from conftest import ROOT, read_page
from extended_project import extended_site
from pim.load import load_catalog
from pim.model import TAXONOMY_PATHS

TERM = re.compile(
    r'<li class="pim-taxonomy__term">\s*<a class="pim-taxonomy__link" href="([^"]+)">([^<]+)</a>\s*'
    r'<p>([^<]*)</p>\s*<p class="pim-taxonomy__count">(\d+) products?</p>')


@pytest.fixture(scope="module")
def catalog():
    loaded, problems = load_catalog(ROOT)
    assert not problems
    return loaded


def product_ids(page_html: str) -> list[str]:
    return re.findall(r'data-product-id="([^"]+)"', page_html)


@pytest.mark.parametrize("kind,folder", TAXONOMY_PATHS.items())
def test_taxonomy_index_lists_every_term_with_description_count_and_link(site_dir, catalog, kind, folder):
    page = read_page(site_dir, f"/{folder}/")
    terms = TERM.findall(page)
    vocabulary = list(catalog.vocabulary.terms(kind).values())
    assert [html.unescape(label) for _, label, _, _ in terms] == [t.label for t in vocabulary]
    for (href, _, description, count), term in zip(terms, vocabulary):
        assert href == f"../{folder}/{term.id}/"
        assert html.unescape(description) == term.description and description
        assert int(count) == len(catalog.products_with(kind, term.id))


def test_matrix_page_shows_the_eight_categories_as_a_grid(site_dir):
    page = read_page(site_dir, "/matrix/")
    assert 'class="pim-taxonomy pim-taxonomy--matrix"' in page
    assert len(TERM.findall(page)) == 8
    css = (ROOT / "docs" / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert ".pim-taxonomy--matrix { grid-template-columns: repeat(4, 1fr); }" in css


@pytest.mark.parametrize("kind,folder", TAXONOMY_PATHS.items())
def test_each_term_page_lists_exactly_its_products(site_dir, catalog, kind, folder):
    for term in catalog.vocabulary.terms(kind).values():
        page = read_page(site_dir, f"/{folder}/{term.id}/")
        assert f"<h1" in page and html.escape(term.label, quote=False) in page
        expected = [p.id for p in catalog.products_with(kind, term.id)]
        assert product_ids(page) == expected, term.id
        assert f"Products ({len(expected)})" in page
        assert f'href="../../{folder}/"' in page  # back to all terms
        if kind == "matrix_categories":
            assert f'href="../../products/?category={term.id}"' in page


def test_product_pages_link_to_all_their_terms_and_their_type(site_dir, catalog):
    fields = {"categories": "matrix", "principles": "principles", "process_steps": "process"}
    for product in catalog.products:
        page = read_page(site_dir, f"/products/{product.id}/")
        for field, folder in fields.items():
            for term_id in getattr(product, field):
                assert f'href="../../{folder}/{term_id}/"' in page, (product.id, term_id)
        assert f'href="../../products/?type={product.type}"' in page


@pytest.mark.browser
def test_a_product_type_link_opens_the_listing_filtered_by_that_type(watched_page, site_url, catalog):
    product = next(p for p in catalog.products if p.type == "framework")
    watched_page.goto(f"{site_url}/products/{product.id}/")
    watched_page.click(".pim-meta a[href*='?type=']")
    watched_page.wait_for_selector("#pim-facets:not([hidden])")
    assert watched_page.url.endswith("/products/?type=framework")
    visible = watched_page.eval_on_selector_all(
        "#pim-products > li:not([hidden])", "items => items.map(li => li.dataset.productId)")
    assert visible == [p.id for p in catalog.products if p.type == "framework"]
    assert watched_page.is_checked("fieldset[data-facet=type] input[value=framework]")


def test_a_term_with_many_products_lists_them_one_line_each():
    # Full cards for thousands of products would make a term page megabytes long on a phone.
    project, site = extended_site()  # 41 more products in case management (tests/extended_project.py)
    catalog, _ = load_catalog(project)
    expected = [p.id for p in catalog.products_with("matrix_categories", "case-management")]
    page = read_page(site, "/matrix/case-management/")
    assert 'class="pim-related pim-term-products"' in page and 'class="pim-card"' not in page
    assert product_ids(page) == expected
    assert '<a href="../../products/bulk-product-40/">Bulk product 40</a>' in page
    # A term with few products keeps its cards.
    assert 'class="pim-card"' in read_page(site, "/matrix/population-data/")
