"""The "Review due" filter on /products/ in Chromium (issue 18): ticked, or from the address,
it shows exactly the products the data layer finds overdue on the build date."""

from __future__ import annotations

from datetime import date

import pytest

from conftest import serve
from pim.load import load_catalog
from trust_project import BUILD_DAY, trust_site

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def listing():
    project, site = trust_site()
    url, server = serve(site)
    catalog, _ = load_catalog(project)
    catalog.today = date.fromisoformat(BUILD_DAY)
    yield url + "/products/", catalog
    server.shutdown()


def visible_ids(page) -> set[str]:
    return set(page.eval_on_selector_all(
        "#pim-products > li:not([hidden])", "items => items.map(li => li.dataset.productId)"))


def test_review_due_filter_shows_exactly_the_overdue_products(watched_page, listing):
    url, catalog = listing
    due = {p.id for p in catalog.review_due()}
    assert due and due != {p.id for p in catalog.products}
    page = watched_page
    page.goto(url)
    page.wait_for_selector("#pim-facets:not([hidden])")
    box = page.locator('input[name="review"][value="due"]')
    box.check()
    page.wait_for_function("location.search.includes('review=due')")
    assert visible_ids(page) == due
    page.goto(url + "?review=due&type=tool")
    page.wait_for_selector("#pim-facets:not([hidden])")
    page.wait_for_function("document.querySelector('input[name=review]').checked")
    assert visible_ids(page) == {p.id for p in catalog.review_due() if p.type == "tool"}
