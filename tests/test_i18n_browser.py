"""The languages in a real browser: search in French and Arabic, the switcher keeps the page,
and the Arabic layout runs right to left (sidebar on the right)."""

from __future__ import annotations

import pytest

from conftest import type_search

pytestmark = pytest.mark.browser


def search(page, query: str) -> list[str]:
    return type_search(page, query).locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_french_search_finds_the_french_page_and_stems_french_words(watched_page, site_url):
    """Two tests in one page load (the French search index is built once)."""
    # "coquille" (typo) is only in the French "Participer" and "Contribuer" pages.
    watched_page.goto(site_url + "/fr/")
    links = search(watched_page, "coquille")
    assert links and all("/fr/join/" in link or "/fr/contribute/" in link for link in links), links
    assert any("/fr/join/" in link for link in links), links
    links = search(watched_page, "principe")  # the pages say "principes"
    assert any("/fr/what-is-pim/" in link for link in links), links
    assert watched_page.watch.errors == []
    assert watched_page.watch.outside == []


def test_search_finds_only_pages_in_the_readers_language(watched_page, site_url):
    watched_page.goto(site_url + "/es/about/")
    links = search(watched_page, "training")  # in the titles of English-only products, kept as published
    assert links and all("/es/" in link for link in links), links
    watched_page.goto(site_url + "/about/")
    links = search(watched_page, "PIM")
    assert links and not any(f"/{lang}/" in link for link in links for lang in ("fr", "es", "ar")), links


def test_arabic_search_finds_the_arabic_page(watched_page, site_url):
    watched_page.goto(site_url + "/ar/")
    links = search(watched_page, "الإضرار")  # "harm", in the principle "do no harm"
    assert any("/ar/what-is-pim/" in link for link in links), links
    assert watched_page.watch.errors == []


@pytest.mark.parametrize("start,choice,expected", [
    ("/fr/about/", "العربية", "/ar/about/"),
    ("/about/", "Español", "/es/about/"),
    ("/ar/products/pim-matrix/", "Français", "/fr/products/pim-matrix/"),
    ("/es/training/", "English", "/training/"),
])
def test_language_switcher_keeps_the_page(watched_page, site_url, start, choice, expected):
    watched_page.goto(site_url + start)
    watched_page.locator(".md-select").first.hover()
    watched_page.get_by_role("link", name=choice, exact=True).click()
    watched_page.wait_for_url(site_url + expected)
    assert watched_page.watch.errors == []


def test_arabic_layout_is_right_to_left(watched_page, site_url):
    page = watched_page
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(site_url + "/ar/what-is-pim/")
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("body").get_attribute("dir") == "rtl"
    navigation = page.locator(".md-sidebar--primary").bounding_box()
    table_of_contents = page.locator(".md-sidebar--secondary").bounding_box()
    content = page.locator(".md-content").bounding_box()
    assert navigation["x"] > content["x"] > table_of_contents["x"]
    # The same page in English keeps the navigation on the left.
    page.goto(site_url + "/what-is-pim/")
    assert page.locator(".md-sidebar--primary").bounding_box()["x"] < page.locator(".md-content").bounding_box()["x"]


def test_listing_filters_speak_the_readers_language_and_filter_editions(watched_page, site_url):
    # French interface, Spanish editions: the interface language and the edition language are
    # two separate things.
    watched_page.goto(site_url + "/fr/products/?lang=es")
    watched_page.wait_for_selector("#pim-facets:not([hidden])")
    assert watched_page.locator("legend", has_text="Langue d'une édition").count() == 1
    visible = watched_page.locator("#pim-products > li:not([hidden])")
    assert visible.count() >= 1
    for index in range(visible.count()):
        assert "es" in visible.nth(index).get_attribute("data-lang").split()
    count = watched_page.locator("#pim-count").inner_text()
    assert count.startswith(f"{visible.count()} sur ") and count.endswith(" produits")
    assert watched_page.watch.errors == []
