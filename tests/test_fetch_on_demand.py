"""Nothing fetched before it is needed: a page loads no search index, no lunr, no search worker
and no sitemap.xml until the reader opens or focuses search (partials/fetch-on-demand.js); then
search works as before. The offline edition's side is in tests/test_offline.py."""

from __future__ import annotations

import re

import pytest

from conftest import read_page

LAZY = re.compile(r"search_index\.(json|js)|/lunr/|/workers/search|sitemap\.xml")
PAGES = ["/", "/products/", "/products/pim-matrix/", "/ar/", "/fr/products/common-pim-terminology/"]


def requests_of(page) -> list[str]:
    seen: list[str] = []
    page.on("request", lambda request: seen.append(request.url))
    return seen


def open_quietly(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_a_page_load_fetches_no_search_index_lunr_worker_or_sitemap(watched_page, site_url, path):
    seen = requests_of(watched_page)
    open_quietly(watched_page, site_url + path)
    # Scrolling and moving about the page does not count as wanting search.
    watched_page.mouse.wheel(0, 600)
    watched_page.keyboard.press("Tab")
    watched_page.wait_for_load_state("networkidle")
    assert [url for url in seen if LAZY.search(url)] == []
    assert watched_page.watch.errors == []


@pytest.mark.browser
@pytest.mark.parametrize("key", ["/", "s", "f"])
def test_the_search_shortcut_loads_the_index_and_search_finds_results(watched_page, site_url, key):
    seen = requests_of(watched_page)
    open_quietly(watched_page, site_url + "/products/")
    watched_page.keyboard.press(key)
    # Typed key by key, as a reader does: Material searches on keyup.
    watched_page.keyboard.type("matrix")
    results = watched_page.locator(".md-search-result__item")
    results.first.wait_for(timeout=15_000)
    assert results.count() > 0
    assert any(url.endswith("/search/search_index.json") for url in seen)
    assert not any(url.endswith("sitemap.xml") for url in seen)
    assert watched_page.watch.errors == []


@pytest.mark.browser
def test_clicking_the_search_button_loads_the_language_index_with_lunr(watched_page, site_url):
    seen = requests_of(watched_page)
    watched_page.set_viewport_size({"width": 400, "height": 800})  # a phone: the search button
    open_quietly(watched_page, site_url + "/fr/")
    watched_page.locator("label.md-header__button[for=__search]").click()
    watched_page.keyboard.type("protection")
    watched_page.locator(".md-search-result__item").first.wait_for(timeout=15_000)
    assert any(url.endswith("/fr/search/search_index.json") for url in seen)
    assert any(url.endswith("lunr.fr.min.js") for url in seen)
    assert watched_page.watch.errors == []


@pytest.mark.browser
def test_a_page_opened_from_a_search_result_highlights_the_words(watched_page, site_url):
    open_quietly(watched_page, site_url + "/what-is-pim/?h=protection")
    watched_page.locator("mark[data-md-highlight]").first.wait_for(timeout=15_000)


HREFLANG = re.compile(r'<link rel="alternate" href="([^"]*)" hreflang="([a-zA-Z-]+)">')


@pytest.mark.parametrize("path", ["about/", "products/", "products/pim-matrix/", "matrix/case-management/", ""])
@pytest.mark.parametrize("prefix", ["", "fr/", "es/", "ar/"])
def test_hreflang_links_point_to_the_same_page_in_each_language_and_x_default(site_dir, prefix, path):
    links = dict((lang, href) for href, lang in HREFLANG.findall(read_page(site_dir, f"/{prefix}{path}")))
    assert links == {
        "en": f"https://pim.guide/{path}",
        "x-default": f"https://pim.guide/{path}",
        "fr": f"https://pim.guide/fr/{path}",
        "es": f"https://pim.guide/es/{path}",
        "ar": f"https://pim.guide/ar/{path}",
    }


def test_only_the_root_has_a_sitemap(site_dir):
    assert "fr/products/pim-matrix/" in (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    for prefix in ("fr", "es", "ar"):
        assert not (site_dir / prefix / "sitemap.xml").exists()
