"""Accessibility in Chromium: axe-core finds no serious or critical violation on any kind of page,
in the light and the dark scheme, and search and the product facets work from the keyboard alone.

axe-core comes from the pinned pip package axe-playwright-python (it bundles axe.min.js).
"""

from __future__ import annotations

import pytest

from conftest import axe_blocking, settled

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "content page": "/what-is-pim/",
    "listing with facets": "/products/",
    "product page": "/products/pim-matrix/",
    "taxonomy page": "/matrix/",
    "process figure": "/process/",
    "principles figure": "/principles/",
    "Arabic process figure": "/ar/process/",
    "term page": "/matrix/case-management/",
    "stakeholders": "/stakeholders/",
    "contribute": "/contribute/",
    "proposal form": "/contribute/propose/",
    "download": "/download/",
    "terminology product page": "/products/common-pim-terminology/",
    "Arabic home": "/ar/",
    "Arabic listing": "/ar/products/",
    "French product page": "/fr/products/pim-matrix/",
}
SEARCH_QUERY = "matrix"
FACET_FORM = "[data-pim-catalog] form"  # the contract: native inputs inside the listing's facet form
MAX_TABS = 400  # enough to walk through the header, the nav and the whole facet form


@pytest.fixture(params=["light", "dark"])
def scheme_page(request, page_pool):
    page = page_pool.lend()
    page.emulate_media(color_scheme=request.param)
    yield page
    page_pool.clean()


def palette(page) -> str:
    return page.evaluate("document.body.dataset.mdColorScheme")


@pytest.mark.parametrize("url", PAGES.values(), ids=PAGES.keys())
def test_no_serious_or_critical_axe_violation_in_the_light_and_the_dark_palette(watched_page, site_url, url):
    page = watched_page
    page.emulate_media(color_scheme="light")
    page.goto(site_url + url)
    settled(page)
    assert palette(page) == "default"
    assert axe_blocking(page) == [], "light"
    # The reader's own switch in the header turns the same page dark (one load for both), from
    # the keyboard: a pointer over it would bring up its tooltip, fading in while axe reads.
    page.locator("#__palette_1").focus()
    page.keyboard.press("Space")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'", polling=50)
    page.evaluate("document.activeElement.blur()")
    settled(page)
    assert axe_blocking(page) == [], "dark"


def test_the_axe_check_reports_serious_and_critical_problems_and_only_those(watched_page):
    # The check the tests here rely on, on a page with known problems: text too pale to read
    # (serious), an image without alt text (critical), and a skipped heading level (moderate).
    watched_page.set_content('<html lang="en"><title>Problems</title><main><h1>Title</h1><h4>Skipped</h4>'
                             '<p style="color: #bbb; background: #fff">Too pale</p><img src="x.png"></main>')
    found = axe_blocking(watched_page)
    assert sorted(line.split(" ")[0] for line in found) == ["color-contrast", "image-alt"], found
    assert axe_blocking(watched_page) == found  # axe already in the page: the same answer


def test_a_reader_whose_system_prefers_dark_gets_the_dark_palette_without_violations(watched_page, site_url):
    # Material picks the palette from the preference (and keeps it in the page's storage, which
    # the shared page loses between tests).
    watched_page.emulate_media(color_scheme="dark")
    watched_page.goto(site_url + "/")
    settled(watched_page)
    assert palette(watched_page) == "slate"
    assert axe_blocking(watched_page) == []


def test_no_serious_or_critical_axe_violation_in_open_search(scheme_page, site_url):
    scheme_page.goto(site_url + "/")
    scheme_page.keyboard.press("/")
    scheme_page.keyboard.type(SEARCH_QUERY)
    scheme_page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    # Material fades the results in (opacity, 0.4 s): axe sampling mid-fade reads blended colours
    # and reports low contrast that no reader sees.
    settled(scheme_page)
    assert axe_blocking(scheme_page) == []


# A control's identity that does not change when focus styles add classes.
KEY = "el => [el.tagName.toLowerCase(), el.type, el.name, el.id, el.getAttribute('value'), el.textContent.trim()].join('|')"


def active(page) -> dict:
    return page.evaluate("""() => {
        const el = document.activeElement, key = %s;
        return {type: el.type || '', key: key(el), inFacets: !!el.closest('%s'),
                checked: !!el.checked, isSearch: el.matches('[data-md-component=search-query]')};
    }""" % (KEY, FACET_FORM))


def test_search_opens_and_navigates_from_the_keyboard(watched_page, site_url):
    page = watched_page
    page.goto(site_url + "/what-is-pim/")
    page.wait_for_load_state("load")
    for _ in range(MAX_TABS):  # reach the search field with Tab alone
        page.keyboard.press("Tab")
        if active(page)["isSearch"]:
            break
    else:
        pytest.fail("Tab never reached the search field")
    page.keyboard.type(SEARCH_QUERY)
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    page.keyboard.press("ArrowDown")  # Material moves focus into the results
    focused = page.evaluate("document.activeElement.closest('.md-search-result__item') !== null")
    assert focused, "ArrowDown did not move focus to a search result"
    target = page.evaluate("document.activeElement.href")
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.split("#")[0] == target.split("#")[0], timeout=10_000)
    assert page.watch.errors == []


def visible_entries(page) -> int:
    return page.locator("[data-pim-catalog] [data-product-id]:not([hidden])").count()


def test_every_facet_is_reached_and_toggled_from_the_keyboard(watched_page, site_url):
    page = watched_page
    page.goto(site_url + "/products/")
    page.wait_for_load_state("load")
    form = page.locator(FACET_FORM)
    assert form.count() == 1 and form.is_visible(), "the listing's facet form is missing or hidden"
    controls = page.evaluate("""() => Array.from(document.querySelectorAll('%s'))
        .flatMap(form => Array.from(form.querySelectorAll('input, select, button')))
        .filter(el => !el.disabled && el.offsetParent !== null).map(%s)""" % (FACET_FORM, KEY))
    assert controls, "the facet form has no controls"
    total = visible_entries(page)
    reached, toggled, narrowed = set(), 0, False
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        state = active(page)
        if state["key"] in reached and state["inFacets"]:
            break  # wrapped around
        if not state["inFacets"]:
            if reached:
                break  # left the form
            continue
        reached.add(state["key"])
        if state["type"] == "checkbox":
            page.keyboard.press("Space")
            assert active(page)["checked"] is True, f"Space did not check {state['key']}"
            narrowed = narrowed or visible_entries(page) < total
            page.keyboard.press("Space")
            assert active(page)["checked"] is False, f"Space did not uncheck {state['key']}"
            toggled += 1
    assert set(controls) <= reached, f"not reachable with Tab: {sorted(set(controls) - reached)}"
    assert toggled > 0
    assert narrowed, "checking a facet value from the keyboard never filtered the listing"
    assert visible_entries(page) == total  # every filter undone
    assert page.watch.errors == []
