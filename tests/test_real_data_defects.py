"""What real data and the checkers found, on a copy of the project with hostile products: a
description that starts with `#tagcoding means ...` (a Markdown h1), web addresses with spaces
around them, a summary with line breaks, a wide table, English text on Arabic pages."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from conftest import axe_blocking, read_page, serve, settled
from extended_project import extended_site
from pim.model import EditionFile, Product, Stakeholder
from pim.sanitize import clean_description, demote_headings

# Also checked by the Nu HTML Checker, in tests/test_html_valid.py (one java call for both sites).
PAGES = {
    "tagcoding": "products/tag-coding-registry-entry/",
    "wide": "products/wide-terminology-table/",
    "ar tagcoding": "ar/products/tag-coding-registry-entry/",
    "ar wide": "ar/products/wide-terminology-table/",
    "ar listing": "ar/products/",
    "fr term": "fr/matrix/case-management/",
}


@pytest.fixture(scope="module")
def hostile_site():
    """The default content with TAGCODING and WIDE_TABLE (and the other additions of
    tests/extended_project.py, built once per session)."""
    return extended_site()[1]


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids, self.fragments, self.headings, self.hrefs = set(), [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href") is not None:
            self.hrefs.append(attrs["href"])
            if attrs["href"].startswith("#"):
                self.fragments.append(attrs["href"][1:])
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append((tag, attrs.get("id")))


def parse(html: str) -> _Links:
    links = _Links()
    links.feed(html)
    return links


@pytest.mark.parametrize("prefix", ["", "ar/"])
def test_description_headings_are_kept_under_the_title_with_no_dead_anchor(hostile_site, prefix):
    html = read_page(hostile_site, f"/{prefix}products/tag-coding-registry-entry/")
    page = parse(html)
    article = html[html.index("<article"):html.index("</article>")]
    assert re.search(r'<h2 id="tagcoding-means[^"]*">tagcoding means adding tags', article)
    assert re.search(r'<h3 id="how-it-works">How it works', article)
    assert re.search(r'<h4 id="tag-lists">Tag lists', article)
    assert [tag for tag, _ in parse(article).headings].count("h1") == 1  # the page's title only
    dead = [fragment for fragment in page.fragments if fragment and fragment not in page.ids]
    assert dead == []


def test_web_addresses_are_published_without_surrounding_spaces(hostile_site):
    page = parse(read_page(hostile_site, "/products/tag-coding-registry-entry/"))
    assert "https://example.org/tagcoding" in page.hrefs
    assert not [href for href in page.hrefs if href != href.strip()]
    catalog = json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))
    assert "  https://example.org/tagcoding  " not in json.dumps(catalog)


def test_a_summary_with_line_breaks_is_one_line_in_the_meta_description(hostile_site):
    html = read_page(hostile_site, "/products/tag-coding-registry-entry/")
    description = re.search(r'<meta name="description" content="([^"]*)">', html).group(1)
    assert description == ("A registry entry converted from another catalog, with a summary "
                           "written over three lines.")


def test_english_text_on_arabic_pages_is_marked_with_its_language_and_direction(hostile_site):
    product = read_page(hostile_site, "/ar/products/tag-coding-registry-entry/")
    assert '<h1 lang="en" dir="ltr">Tag coding registry entry</h1>' in product
    assert re.search(r'<p class="pim-summary" lang="en" dir="ltr">A registry entry', product)
    listing = read_page(hostile_site, "/ar/products/")
    card = listing[listing.index('data-product-id="tag-coding-registry-entry"'):]
    card = card[:card.index("</li>")]
    assert 'lang="en" dir="ltr">Tag coding registry entry</a>' in card
    assert '<p class="pim-card__summary" lang="en" dir="ltr">' in card
    # The same text on an English page is not marked: it is the page's language.
    english = read_page(hostile_site, "/products/")
    card = english[english.index('data-product-id="tag-coding-registry-entry"'):]
    assert ' lang="en"' not in card[:card.index("</li>")]


def test_translated_text_is_not_marked(hostile_site):
    html = read_page(hostile_site, "/ar/matrix/case-management/")
    assert re.search(r"<h1>[^<]+</h1>", html)  # a translated term label: the page's language


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    url, server = serve(hostile_site)
    yield url
    server.shutdown()


@pytest.mark.browser
@pytest.mark.parametrize("width", [400, 1280])
@pytest.mark.parametrize("path", ["products/wide-terminology-table/", "ar/products/wide-terminology-table/",
                                  "ar/products/tag-coding-registry-entry/", "ar/products/"])
def test_no_serious_axe_violation_on_hostile_pages(watched_page, hostile_url, path, width):
    page = watched_page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{hostile_url}/{path}")
    settled(page)
    violations = axe_blocking(page)
    if width == 400 and "wide" in path:
        wrap = page.locator(".md-typeset__scrollwrap")
        assert wrap.get_attribute("tabindex") == "0" and wrap.get_attribute("role") == "region"
        assert wrap.get_attribute("aria-label") == "Terms"
    assert violations == []


@pytest.mark.browser
def test_a_wide_table_scrolls_from_the_keyboard(watched_page, hostile_url):
    page = watched_page
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto(f"{hostile_url}/products/wide-terminology-table/")
    page.wait_for_load_state("networkidle")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.matches('.md-typeset__scrollwrap')"):
            break
    else:
        pytest.fail("Tab never reached the table")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.activeElement.scrollLeft > 0")


# --- The data layer and the cleaning, without a build ------------------------------------------


def test_headings_go_down_so_that_the_highest_is_an_h2():
    assert demote_headings("<h1>A</h1><h2>B</h2><h6>C</h6>") == "<h2>A</h2><h3>B</h3><h6>C</h6>"
    assert demote_headings("<h3>A</h3><hr>") == "<h3>A</h3><hr>"


def test_a_permalink_to_a_missing_heading_is_dropped():
    html = ('<p>x</p><a class="headerlink" href="#gone" title="Permanent link">¶</a>'
            '<h2 id="kept">Kept<a class="headerlink" href="#kept" title="Permanent link">¶</a></h2>')
    cleaned = clean_description(html)
    assert 'href="#gone"' not in cleaned and 'href="#kept"' in cleaned


def test_addresses_are_trimmed_and_titles_and_summaries_made_one_line():
    assert EditionFile("L", "PDF", url=" https://example.org/a \n").url == "https://example.org/a"
    assert Stakeholder("s", "S", "ngo", url=" https://example.org ").url == "https://example.org"
    product = Product(id="p", title=" Two\nlines ", summary="One\n  two\tthree", type="tool",
                      published="2020", producers=["s"], editions=[],
                      translations={"fr": {"summary": "Un\ndeux"}})
    assert (product.title, product.summary) == ("Two lines", "One two three")
    assert product.summary_in("fr") == "Un deux"
    assert product.summary_language("fr") == "fr" and product.summary_language("ar") == "en"
    assert product.title_language("fr") == "en"
