"""The home page in a real browser: no console error, and search finds the principles."""

import pytest

from conftest import type_search as search

pytestmark = pytest.mark.browser


def test_home_page_loads_without_console_errors_or_outside_requests(watched_page, site_url):
    watched_page.goto(site_url + "/")
    watched_page.wait_for_load_state("networkidle")
    assert watched_page.title().startswith("Protection Information Management")
    assert watched_page.watch.errors == []
    assert watched_page.watch.outside == []


def test_search_box_finds_the_principles_and_a_product_by_a_word_of_its_summary(watched_page, site_url):
    """Two tests in one page load (the search index is built once)."""
    watched_page.goto(site_url + "/")
    results = search(watched_page, "principles")
    assert results.count() > 0
    assert "rinciple" in watched_page.locator(".md-search-result").inner_text()
    # "workbook" appears only in the summary of the GPC training package, not in its title.
    results = search(watched_page, "workbook")
    links = results.evaluate_all("items => items.map(item => item.querySelector('a').getAttribute('href'))")
    assert any("products/gpc-pim-training-package/" in link for link in links), links
    assert watched_page.watch.errors == []


def test_the_shared_page_comes_back_clean_after_a_test_closed_it_or_left_state(page_pool, site_url):
    # tests/conftest.py lends one page to browser tests in turn: what one test leaves must not
    # reach the next, and a page a test closed is replaced.
    page = page_pool.lend()
    page.goto(site_url + "/")
    page.evaluate("localStorage.setItem('left', 'behind')")
    page.set_viewport_size({"width": 390, "height": 800})
    page.on("console", lambda message: None)
    with page.expect_popup():
        page.evaluate("window.open('about:blank')")
    page_pool.clean()
    page = page_pool.lend()
    assert page_pool.context.pages == [page]  # the tab it opened is closed
    page.goto(site_url + "/")
    assert page.evaluate("localStorage.getItem('left')") is None
    assert page.viewport_size == {"width": 1280, "height": 720}
    assert len(page.listeners) == page_pool.base_listeners
    page.close()
    page_pool.clean()
    page = page_pool.lend()
    page.goto(site_url + "/")
    assert page.title().startswith("Protection Information Management")
    page_pool.clean()


# Asked for from the page, by address, from a worker and from a frame; and one a test's own
# route answers, which never reaches the network.
TRY_TO_LEAVE = """async () => {
    const tried = url => fetch(url, {mode: "no-cors"}).then(() => "answered", () => "failed");
    const worker = new Worker(URL.createObjectURL(new Blob([`fetch("https://example.org/from-a-worker",
        {mode: "no-cors"}).then(() => postMessage("answered"), () => postMessage("failed"))`])));
    const fromWorker = new Promise(done => { worker.onmessage = message => done(message.data); });
    const frame = document.createElement("iframe");
    const framed = new Promise(done => { frame.onload = done; });
    frame.src = "https://example.org/in-a-frame";
    document.body.append(frame);
    return [await tried("https://example.org/from-the-page"), await tried("http://93.184.215.14/by-address"),
            await fromWorker, await tried("https://example.net/answered-by-the-test"), await framed && "framed"];
}"""


def test_every_request_that_tries_to_leave_the_machine_is_counted_and_fails(page_pool, site_url):
    # The tests that prove a page asks for nothing outside rely on this (tests/conftest.py).
    page = page_pool.lend()
    page.route("https://example.net/**", lambda route: route.fulfill(body="answered here"))
    page.goto(site_url + "/")
    assert page.watch.outside == []
    assert page.evaluate(TRY_TO_LEAVE) == ["failed", "failed", "failed", "answered", "framed"]
    assert sorted(page.watch.outside) == ["http://93.184.215.14/by-address", "https://example.org/from-a-worker",
                                          "https://example.org/from-the-page", "https://example.org/in-a-frame"]
    page_pool.clean()
    # The next test starts with nothing counted, and without this test's route.
    page = page_pool.lend()
    page.goto(site_url + "/")
    assert page.watch.outside == []
    assert page.evaluate("fetch('https://example.net/answered-by-the-test', {mode: 'no-cors'}).then(() => 1, () => 0)") == 0
    assert page.watch.outside == ["https://example.net/answered-by-the-test"]
    page_pool.clean()
