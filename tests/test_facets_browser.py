"""Facets on /products/ in Chromium: what the page shows equals what the data says.

A copy of the project gets synthetic products with varied types, languages, years and producers;
for each facet combination the visible entries must be exactly the products that Python selects
from the same data files."""

from __future__ import annotations

import gzip
import random
import unicodedata
from pathlib import Path

import pytest
import yaml

from benchmarks.languages import with_languages
from conftest import ROOT, build_site, copy_project, serve
from pim.load import load_catalog

pytestmark = pytest.mark.browser

SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "products.js"
TRICKY_TITLE = 'Tools <script>alert("x")</script> & tips'
FORMULA_TITLE = "=HYPERLINK(\"http://example.invalid\";\"click\")"


def write_product(project: Path, product_id: str, front: dict, body: str = "Synthetic test product.\n") -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body
    (project / "products" / f"{product_id}.md").write_text(text, encoding="utf-8")


def add_synthetic_products(project: Path, count: int = 40) -> None:
    """Deterministic, varied products; a few are hand-made so every facet has hits."""
    rng = random.Random(4)
    vocab = yaml.safe_load((project / "vocabularies.yml").read_text(encoding="utf-8"))
    types = [t["id"] for t in vocab["product_types"]]
    categories = [t["id"] for t in vocab["matrix_categories"]]
    languages = [t["id"] for t in vocab["languages"]]
    producers = ["drc", "unhcr", "gpc", "ocha", "oxfam", "irc", "unicef"]
    words = ["sharing", "monitoring", "analysis", "référentiel", "toolkit", "survey", "guide"]
    for n in range(count):
        year = rng.randint(2010, 2024)
        published = rng.choice([str(year), f"{year}-{rng.randint(1, 12):02d}", f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "unknown"])
        langs = rng.sample(languages, rng.randint(1, 3))
        write_product(project, f"synthetic-{n:03d}", {
            "title": f"Synthetic {rng.choice(words).capitalize()} product {n}",
            "summary": f"A made-up product about {rng.choice(words)} and {rng.choice(words)}, for tests.",
            "type": rng.choice(types[:6]),
            "categories": rng.sample(categories, rng.randint(0, 3)),
            "published": published,
            "producers": rng.sample(producers, rng.randint(1, 2)),
            "editions": [{"language": lang, "files": []} for lang in langs],
        })
    # The issue's own example: a French tool for protection monitoring, by DRC, about sharing.
    write_product(project, "outil-de-monitoring", {
        "title": "Outil de monitoring de protection",
        "summary": "A French tool for protection monitoring and data sharing.",
        "type": "tool", "categories": ["protection-monitoring"], "published": "2017-05",
        "producers": ["drc"], "editions": [{"language": "fr", "files": []}, {"language": "en", "files": []}],
    })
    write_product(project, "tricky-title", {
        "title": TRICKY_TITLE, "summary": "-1 & <b>not bold</b>; @mention +plus",
        "type": "guidance", "published": "2024-12-31", "producers": ["unhcr"], "licence": "=1+1",
        "tags": ["escaping"], "editions": [{"language": "ar", "title": "عنوان <i>", "files": []}],
    })
    write_product(project, "formula-title", {
        "title": FORMULA_TITLE, "summary": "+cmd|' /C calc'!A0", "type": "template", "published": "2019",
        "producers": ["gpc"], "editions": [{"language": "es", "files": []}],
    })


@pytest.fixture(scope="module")
def facet_project(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("facets") / "project")
    add_synthetic_products(project)
    # Every test here reads the English listing: the other languages' pages (three quarters of
    # the build) are not built. The facets in every language: tests/test_i18n_browser.py.
    config = project / "mkdocs.yml"
    config.write_text(with_languages(config.read_text(encoding="utf-8"), ("en",)), encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def facet_catalog(facet_project):
    catalog, problems = load_catalog(facet_project)
    assert not problems, problems
    return catalog


@pytest.fixture(scope="module")
def facet_site(facet_project):
    dest = facet_project.parent / "site"
    build_site(facet_project, dest)
    return dest


@pytest.fixture(scope="module")
def facet_url(facet_site):
    url, server = serve(facet_site)
    yield url
    server.shutdown()


# --- the same filtering, in Python ---------------------------------------------------------------

def fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def parse(query: str) -> dict[str, str]:
    return dict(part.split("=", 1) for part in query.split("&") if part)


def expected_ids(catalog, query: str) -> set[str]:
    state = parse(query)
    wanted = {name: set(state[name].split(",")) for name in ("type", "category", "lang", "producer") if name in state}
    low, _, high = state.get("year", "-").partition("-")
    terms = fold(state.get("q", "").replace("+", " ")).split()
    result = set()
    for p in catalog.products:
        values = {"type": {p.type}, "category": set(p.categories), "lang": set(p.languages), "producer": set(p.producers)}
        if any(not (values[name] & chosen) for name, chosen in wanted.items()):
            continue
        if (low or high) and (p.year is None or (low and p.year < int(low)) or (high and p.year > int(high))):
            continue
        if not all(term in fold(p.title + " " + p.summary) for term in terms):
            continue
        result.add(p.id)
    return result


def visible_ids(page) -> set[str]:
    return set(page.eval_on_selector_all(
        "#pim-products > li:not([hidden])", "items => items.map(li => li.dataset.productId)"))


def wait_ready(page):
    page.wait_for_selector("#pim-facets:not([hidden])")


QUERIES = [
    "type=tool",
    "category=protection-monitoring",
    "lang=fr",
    "year=2015-2020",
    "year=2019-",
    "year=-2012",
    "producer=drc",
    "q=sharing",
    "q=referentiel",  # accents do not matter: matches "référentiel"
    "type=tool,guidance",  # OR within a facet
    "lang=es,ar",
    "type=framework&lang=en",  # AND across facets
    "category=protection-monitoring,case-management&producer=gpc,oxfam",
    "type=tool&category=protection-monitoring&lang=fr&year=2015-2020&producer=drc&q=sharing",
]


# An address reached as the back and forward buttons reach one: the listing's script reads it in
# the same steps (fromQuery, sort, apply) as when the page opens at it.
REACH = "query => { history.pushState(null, '', '?' + query); dispatchEvent(new PopStateEvent('popstate')); }"
SHOWN = """() => [Array.from(document.querySelectorAll('#pim-products > li:not([hidden])'), li => li.dataset.productId),
                  document.querySelector('#pim-count').innerText]"""


def test_visible_products_equal_the_products_the_data_selects(watched_page, facet_url, facet_catalog):
    """Every address of QUERIES, on one page load: the page opens at the last one (every facet at
    once; the other tests here open it at other addresses too), then reaches each in turn."""
    page = watched_page
    total = len(facet_catalog.products)
    wrong = []

    def check(query: str) -> None:
        expected = expected_ids(facet_catalog, query)
        assert expected, f"the synthetic data should give hits for {query}"
        assert expected != {p.id for p in facet_catalog.products}, f"{query} should leave some products out"
        ids, count = page.evaluate(SHOWN)
        if set(ids) != expected or count != f"{len(expected)} of {total} products":
            wrong.append((query, sorted(set(ids) ^ expected), count))

    page.goto(f"{facet_url}/products/?{QUERIES[-1]}")
    wait_ready(page)
    check(QUERIES[-1])
    for query in QUERIES:
        page.evaluate(REACH, query)
        check(query)
    assert wrong == []
    assert watched_page.watch.errors == []
    assert watched_page.watch.outside == []


def test_clicking_filters_updates_url_and_reload_and_back_restore_state(watched_page, facet_url, facet_catalog):
    page = watched_page
    page.goto(f"{facet_url}/products/")
    wait_ready(page)
    # What was test_result_count_is_announced_to_screen_readers, on this page load:
    assert page.get_attribute("#pim-count", "aria-live") == "polite"
    assert visible_ids(page) == {p.id for p in facet_catalog.products}
    queries = [""]  # the query after each step, as the address bar shows it

    def step(action, expect_in_url):
        action()
        page.wait_for_function(f"location.search.includes({expect_in_url!r})")
        queries.append(page.url.partition("?")[2])

    step(lambda: page.locator("fieldset[data-facet=type] input[value=tool]").check(), "type=tool")
    step(lambda: page.locator("fieldset[data-facet=lang] input[value=fr]").check(), "lang=fr")
    step(lambda: page.locator("fieldset[data-facet=type] input[value=guidance]").check(), "guidance")
    step(lambda: (page.fill("#pim-year-from", "2015"), page.press("#pim-year-from", "Tab")), "year=2015-")
    step(lambda: (page.fill("#pim-year-to", "2020"), page.press("#pim-year-to", "Enter")), "year=2015-2020")
    assert queries[-1] == "type=guidance,tool&lang=fr&year=2015-2020"  # values in vocabulary order
    expected = expected_ids(facet_catalog, queries[-1])
    assert visible_ids(page) == expected
    page.reload()
    wait_ready(page)
    assert visible_ids(page) == expected
    assert page.is_checked("fieldset[data-facet=lang] input[value=fr]")
    assert page.input_value("#pim-year-from") == "2015" and page.input_value("#pim-year-to") == "2020"
    for query in reversed(queries[:-1]):  # the back button walks through every earlier state
        page.go_back()
        page.wait_for_function(f"location.search === {('?' + query) if query else ''!r}")
        assert visible_ids(page) == expected_ids(facet_catalog, query), query
        assert page.is_checked("fieldset[data-facet=type] input[value=tool]") == ("tool" in query)
    assert page.input_value("#pim-year-from") == ""
    assert page.watch.errors == []


def test_free_text_search_updates_url_and_the_reset_button_clears_everything(watched_page, facet_url, facet_catalog):
    page = watched_page
    page.goto(f"{facet_url}/products/?type=tool")
    wait_ready(page)
    page.fill("#pim-q", "sharing")
    page.wait_for_function("location.search.includes('q=sharing')")
    assert visible_ids(page) == expected_ids(facet_catalog, "type=tool&q=sharing")
    page.click("#pim-facets button[type=reset]")
    page.wait_for_function("location.search === ''")
    assert visible_ids(page) == {p.id for p in facet_catalog.products}
    assert page.input_value("#pim-q") == ""


def test_counts_show_what_each_value_would_leave_and_the_listing_stays_sortable_by_date_and_title(
        watched_page, facet_url, facet_catalog):
    """Two tests (the counts; the sort) on one page load: both start from ?lang=fr."""
    page = watched_page
    page.goto(f"{facet_url}/products/?lang=fr")
    wait_ready(page)
    # The counts show what each value would leave.
    counts = page.evaluate("""types => types.map(type => document.querySelector(`input[name=type][value=${type}]`)
        .parentElement.querySelector('.pim-facets__n').textContent)""", ["tool", "guidance", "framework"])
    assert counts == [f"({len(expected_ids(facet_catalog, f'lang=fr&type={type_id}'))})"
                      for type_id in ("tool", "guidance", "framework")]
    # Within the language facet itself, a value's count ignores the other chosen languages.
    es = page.locator("input[name=lang][value=es]").locator("xpath=..").locator(".pim-facets__n")
    assert es.inner_text() == f"({len(expected_ids(facet_catalog, 'lang=es'))})"
    # The sort.
    order = lambda: page.eval_on_selector_all(  # noqa: E731
        "#pim-products > li:not([hidden])", "items => items.map(li => li.dataset.productId)")
    newest_first = [p.id for p in facet_catalog.products if "fr" in p.languages]
    assert order() == newest_first
    page.select_option("#pim-sort-select", "date-asc")
    assert order() == newest_first[::-1]
    page.select_option("#pim-sort-select", "title")
    titles = [facet_catalog.product(i).title for i in order()]
    assert titles == sorted(titles, key=str.casefold)
    assert "sort=title" in page.url and "lang=fr" in page.url


def test_filters_work_from_file_url(watched_page, facet_site, facet_catalog):
    query = "type=tool,guidance&lang=fr"
    watched_page.goto((facet_site / "products" / "index.html").as_uri() + "?" + query)
    wait_ready(watched_page)
    assert visible_ids(watched_page) == expected_ids(facet_catalog, query)
    watched_page.locator("fieldset[data-facet=lang] input[value=fr]").uncheck()
    assert visible_ids(watched_page) == expected_ids(facet_catalog, "type=tool,guidance")
    assert "lang=fr" not in watched_page.url and "type=guidance,tool" in watched_page.url
    # Material's own loads (sitemap, search index) may fail on file://; the facet script must not.
    assert [e for e in watched_page.watch.errors if "products.js" in e] == []
    assert watched_page.watch.outside == []


def test_keyboard_tab_to_a_checkbox_and_toggle_it_with_space(watched_page, facet_url, facet_catalog):
    page = watched_page
    page.goto(f"{facet_url}/products/")
    wait_ready(page)
    page.focus("#pim-q")
    page.keyboard.press("Tab")  # the summary that folds the facets away on phones
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Tab")  # then the first type checkbox
    focused = page.evaluate("[document.activeElement.name, document.activeElement.value]")
    assert focused[0] == "type"
    page.keyboard.press("Space")
    assert page.evaluate("document.activeElement.checked")
    assert visible_ids(page) == expected_ids(facet_catalog, f"type={focused[1]}")
    assert f"type={focused[1]}" in page.url


def test_facets_fold_away_on_a_phone_and_open_from_the_keyboard(watched_page, facet_url):
    page = watched_page
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{facet_url}/products/")
    wait_ready(page)
    assert not page.evaluate("document.getElementById('pim-facet-groups').open")
    page.focus("#pim-facet-groups > summary")
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('pim-facet-groups').open")
    # A shared address with a filter opens them, so the reader sees why the list is short.
    page.goto(f"{facet_url}/products/?type=tool")
    wait_ready(page)
    assert page.evaluate("document.getElementById('pim-facet-groups').open")


def test_without_javascript_the_full_list_shows_and_controls_stay_hidden(browser, facet_url, facet_catalog):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{facet_url}/products/?type=tool")
    assert visible_ids(page) == {p.id for p in facet_catalog.products}
    assert page.locator("#pim-facets").is_hidden()
    context.close()


def test_facet_script_is_at_most_10_kb_gzipped():
    size = len(gzip.compress(SCRIPT.read_bytes(), compresslevel=9))
    assert size <= 10 * 1024, f"products.js is {size} bytes gzipped"
