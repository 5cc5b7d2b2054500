"""The glossary of PIM terms (issue 26): /glossary/ in four languages, glossary.tbx / .csv /
.json for translators, first-mention tooltips on guidance pages, and untranslated terms shown
in English and listed on the translation status page. Search by PIM terms in the reader's
language is tested in tests/test_search_forgiving.py (hosted and offline)."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from markupsafe import escape

from conftest import ROOT, axe_blocking, read_page, settled
from extended_project import extended_site
from pim import glossary
from pim.load import load_vocabulary

LANGUAGES = ("en", "fr", "es", "ar")
HOME = {"en": "", "fr": "fr/", "es": "es/", "ar": "ar/"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(scope="module")
def vocabulary():
    problems: list = []
    loaded = load_vocabulary(ROOT, problems)
    assert not problems
    return loaded


# --- The data layer ---------------------------------------------------------------------------

def test_glossary_holds_every_term_of_the_five_vocabularies_with_a_unique_anchor(vocabulary):
    entries = glossary.entries(vocabulary)
    expected = sum(len(vocabulary.terms(kind)) for kind in glossary.KINDS)
    assert len(entries) == expected >= 40
    anchors = [entry.anchor for entry in entries]
    assert len(set(anchors)) == len(anchors)
    assert glossary.anchor_of(vocabulary, "matrix_categories", "protection-monitoring") == "protection-monitoring"
    assert [e.page for e in entries if e.term.id == "protection-monitoring"] == ["matrix/protection-monitoring.md"]
    assert all(e.page is None for e in entries if e.kind in ("product_types", "stakeholder_types"))


def test_search_terms_give_the_label_in_the_language_and_the_english_one_beside_it(vocabulary):
    french = glossary.search_terms(vocabulary, "fr")
    assert "Monitoring de protection Protection Monitoring" in french
    assert "Cluster" in french or all("Cluster" not in t for t in french)  # a label the same in both: once
    english = glossary.search_terms(vocabulary, "en")
    assert "Protection Monitoring" in english
    assert len(french) == len(english)  # the same places in every language


def test_a_products_term_numbers_name_its_type_categories_principles_and_steps(vocabulary):
    from pim.model import Product

    product = Product(id="p", title="T", summary="S", type="flyer", published="2020", producers=[], editions=[],
                      categories=["protection-monitoring"], principles=["do-no-harm"], process_steps=["evaluate-impact"])
    words = glossary.search_terms(vocabulary, "fr")
    found = [words[n] for n in glossary.product_term_numbers(vocabulary, product)]
    assert found == ["Dépliant Flyer", "Monitoring de protection Protection Monitoring",
                     "Ne pas nuire Do no harm", "Évaluer l'impact Evaluate impact"]


def wrap(mention, definition):
    return f"<abbr title='{definition}'>{mention}</abbr>"


def test_only_the_first_mention_in_running_text_is_explained():
    terms = [("Protection Monitoring", "D1"), ("Do no harm", "D2")]
    content = ("<h2 id='x'>Protection monitoring</h2><p><a href='#'>protection monitoring</a> "
               "<code>do no harm</code> and Protection\nmonitoring, then do no harm. Protection monitoring again; "
               "<em>Do no harm</em>.</p><pre>protection monitoring</pre>")
    marked = glossary.mark_first_mentions(content, terms, wrap)
    assert marked.count("<abbr") == 2
    assert "<h2 id='x'>Protection monitoring</h2>" in marked
    assert "<a href='#'>protection monitoring</a>" in marked and "<code>do no harm</code>" in marked
    assert "and <abbr title='D1'>Protection\nmonitoring</abbr>, then <abbr title='D2'>do no harm</abbr>." in marked
    assert "<em>Do no harm</em>" in marked and "<pre>protection monitoring</pre>" in marked
    # Part of a longer word is no mention.
    assert glossary.mark_first_mentions("<p>undo no harmless</p>", terms, wrap) == "<p>undo no harmless</p>"


def test_a_missing_translation_is_empty_in_the_files_and_listed_as_missing(vocabulary):
    term = vocabulary.matrix_categories["case-management"]
    vocabulary.matrix_categories["case-management"] = type(term)(
        id=term.id, label=term.label, description=term.description,
        labels={k: v for k, v in term.labels.items() if k != "es"}, descriptions=term.descriptions)
    try:
        assert [e.term.id for e in glossary.missing(vocabulary, "es")] == ["case-management"]
        row = next(r for r in csv.DictReader(io.StringIO(glossary.glossary_csv(vocabulary))) if r["id"] == "case-management")
        assert row["es"] == "" and row["fr"] == "Gestion de cas"
        record = next(r for r in json.loads(glossary.glossary_json(vocabulary))["terms"] if r["id"] == "case-management")
        assert record["labels"]["es"] is None
    finally:
        vocabulary.matrix_categories["case-management"] = term


# --- The built site ---------------------------------------------------------------------------

class Entries(HTMLParser):
    """Each glossary entry's heading (id, lang, text) and equivalents {data-lang: (lang, dir, text)}."""

    def __init__(self):
        super().__init__()
        self.entries: dict[str, dict] = {}
        self.current = None
        self.capture = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "pim-glossary-entry" in (attrs.get("class") or ""):
            self.current = {"term": attrs["data-term"], "equivalents": {}, "heading": ""}
        elif self.current is not None and tag == "h3":
            self.current["id"], self.current["lang"] = attrs.get("id"), attrs.get("lang")
            self.capture = ("heading", None)
        elif self.current is not None and tag == "dd" and attrs.get("data-lang"):
            self.capture = ("equivalent", attrs["data-lang"])
            self.current["equivalents"][attrs["data-lang"]] = [attrs.get("lang"), attrs.get("dir"), ""]

    def handle_data(self, data):
        if self.capture and self.current is not None:
            kind, code = self.capture
            if kind == "heading":
                self.current["heading"] += data
            else:
                self.current["equivalents"][code][2] += data

    def handle_endtag(self, tag):
        if tag in ("h3", "dd"):
            self.capture = None
        if tag == "section" and self.current is not None:
            self.entries[self.current["id"]] = self.current
            self.current = None


def glossary_entries(site: Path, language: str) -> dict[str, dict]:
    parser = Entries()
    parser.feed(read_page(site, f"{HOME[language]}glossary/"))
    return parser.entries


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_glossary_page_holds_every_term_and_its_three_equivalents(site_dir, vocabulary, language):
    entries = glossary_entries(site_dir, language)
    assert len(entries) == len(glossary.entries(vocabulary))
    for entry in glossary.entries(vocabulary):
        shown = entries[entry.anchor]
        assert shown["heading"].strip() == entry.term.label_in(language)
        others = [code for code in LANGUAGES if code != language]
        assert sorted(shown["equivalents"]) == sorted(others), entry.anchor
        for code in others:
            lang, direction, text = shown["equivalents"][code]
            assert text.strip() == entry.term.label_in(code)
            assert lang == entry.term.label_language(code)
            assert direction == ("rtl" if lang == "ar" else "ltr")
    page = read_page(site_dir, f"{HOME[language]}glossary/")
    # Definitions in the reader's language, and links to the files for translators.
    assert vocabulary.matrix_categories["protection-monitoring"].description_in(language)[:40].replace("'", "&#39;") in page
    for name in ("glossary.tbx", "glossary.csv", "glossary.json"):
        href = re.search(rf'href="([^"]*{re.escape(name)})"', page).group(1)
        assert urljoin(f"http://site/{HOME[language]}glossary/", href) == f"http://site/{name}"


def test_glossary_is_in_the_nav_of_every_language(site_dir):
    names = {"en": "Glossary", "fr": "Glossaire", "es": "Glosario", "ar": "مسرد المصطلحات"}
    for language, name in names.items():
        html = read_page(site_dir, f"{HOME[language]}glossary/")
        assert f"<title>{name} - " in html or f">{name}<" in html, language


@pytest.mark.parametrize("language", LANGUAGES)
def test_term_pages_link_to_their_glossary_entry(site_dir, language):
    html = read_page(site_dir, f"{HOME[language]}matrix/protection-monitoring/")
    assert re.search(r'href="[^"]*glossary/#protection-monitoring"', html)


def test_glossary_tbx_parses_with_translate_toolkit_and_holds_every_term_in_four_languages(site_dir, vocabulary):
    from translate.storage import tbx

    store = tbx.tbxfile.parsestring((site_dir / "glossary.tbx").read_bytes())
    units = {unit.getid(): unit for unit in store.units}
    assert len(units) == len(glossary.entries(vocabulary))
    for entry in glossary.entries(vocabulary):
        unit = units[f"{entry.kind}.{entry.term.id}"]
        terms = {node.get(XML_LANG): unit.getNodeText(node) for node in unit.getlanguageNodes()}
        assert terms == {code: entry.term.label_in(code) for code in LANGUAGES}, entry.anchor
        if entry.term.description:
            notes = [note.text for note in unit.get_common_notes(source=True) if note.origin == "definition"]
            assert " ".join(entry.term.description.split()) in notes
    assert unit.source == entry.term.label


def test_glossary_csv_has_a_column_per_language_and_a_row_per_term(site_dir, vocabulary):
    rows = list(csv.DictReader(io.StringIO((site_dir / "glossary.csv").read_text(encoding="utf-8"))))
    assert rows and all(code in rows[0] for code in LANGUAGES)
    assert len(rows) == len(glossary.entries(vocabulary))
    row = next(r for r in rows if r["id"] == "protection-monitoring")
    assert (row["en"], row["fr"], row["es"], row["ar"]) == ("Protection Monitoring", "Monitoring de protection",
                                                            "Monitoreo de protección", "رصد الحماية")
    assert row["page"].endswith("matrix/protection-monitoring/")


def test_glossary_json_and_the_format_page_list_the_files(site_dir, vocabulary):
    data = json.loads((site_dir / "glossary.json").read_text(encoding="utf-8"))
    assert data["languages"] == list(LANGUAGES) and len(data["terms"]) == len(glossary.entries(vocabulary))
    page = read_page(site_dir, "catalog-format/")
    for name in ("glossary.tbx", "glossary.csv", "glossary.json"):
        assert f'href="../{name}"' in page


def test_products_search_entries_name_their_terms_in_the_indexs_language(site_dir, vocabulary):
    for language in LANGUAGES:
        index = json.loads((site_dir / HOME[language] / "search" / "search_index.json").read_text(encoding="utf-8"))
        words = index["config"]["pim_terms"]
        doc = next(d for d in index["docs"] if d["location"] == "products/pim-matrix/")
        named = [words[n] for n in doc["pim_terms"]]
        label = vocabulary.matrix_categories["protection-monitoring"]
        expected = label.label_in(language) + ("" if language == "en" else " " + label.label)
        assert expected in named, (language, named)
        entry = next(d for d in index["docs"] if d["location"] == "glossary/#protection-monitoring")
        assert entry["pim_terms"] == "Protection Monitoring Monitoring de protection Monitoreo de protección رصد الحماية"
        assert not any("pim_terms" in d for d in index["docs"]
                       if not d["location"].startswith(("products/", "glossary/#")))


# (language, page, the language its text is in): the Arabic site's What is PIM names no term in
# running text; its contributor guide does.
EXPLAINED = [("en", "what-is-pim/", "en"), ("fr", "what-is-pim/", "fr"), ("es", "what-is-pim/", "es"),
             ("ar", "contribute/", "ar")]


@pytest.mark.parametrize("language, url, text_language", EXPLAINED)
def test_guidance_pages_explain_a_terms_first_mention_in_the_readers_language(site_dir, vocabulary, language, url,
                                                                              text_language):
    html = read_page(site_dir, f"{HOME[language]}{url}")
    marks = re.findall(r'<abbr class="pim-term" title="([^"]*)" tabindex="0">(.*?)</abbr>', html, re.S)
    assert marks, language
    definitions = {str(escape(" ".join(t.description_in(text_language).split())))
                   for kind in ("matrix_categories", "principles", "process_steps") for t in vocabulary.terms(kind).values()}
    for title, mention in marks:
        assert title in definitions, (language, title)
    mentioned = [" ".join(m.split()).casefold() for _, m in marks]
    assert len(mentioned) == len(set(mentioned))  # each term once: its first mention
    # Never inside a heading, a link or code.
    assert not re.search(r"<h[1-6][^>]*>(?:(?!</h[1-6]>).)*<abbr class=\"pim-term\"", html, re.S)
    assert not re.search(r"<a [^>]*>(?:(?!</a>).)*<abbr class=\"pim-term\"", html, re.S)
    assert not re.search(r"<code>(?:(?!</code>).)*<abbr class=\"pim-term\"", html, re.S)


def test_product_pages_and_term_pages_carry_no_tooltips(site_dir):
    for url in ("products/pim-matrix/", "fr/products/quick-reference-flyer/", "matrix/protection-monitoring/"):
        assert 'class="pim-term"' not in read_page(site_dir, url), url


def test_translation_status_page_has_the_glossary_part(site_dir):
    html = read_page(site_dir, "translations/")
    assert 'id="glossary-status"' in html
    for code in ("fr", "es", "ar"):
        assert f'data-language="{code}"' in html


@pytest.fixture(scope="module")
def untranslated_site() -> Path:
    """The site with one term, Case Management, not translated into Spanish: the shared
    extended project (tests/extended_project.py)."""
    return extended_site()[1]


def test_an_untranslated_term_shows_in_english_marked_as_english_and_is_listed(untranslated_site):
    entries = glossary_entries(untranslated_site, "es")
    assert entries["case-management"]["heading"].strip() == "Case Management"
    assert entries["case-management"]["lang"] == "en"
    lang, direction, text = glossary_entries(untranslated_site, "fr")["case-management"]["equivalents"]["es"]
    assert (lang, direction, text.strip()) == ("en", "ltr", "Case Management")
    status = read_page(untranslated_site, "translations/")
    spanish = re.search(r'<li data-language="es">(.*?)</li>', status, re.S).group(1)
    assert re.search(r'<a href="[^"]*glossary/#case-management" lang="en" dir="ltr">Case Management</a>', spanish)
    assert "case-management" not in re.search(r'<li data-language="fr">(.*?)</li>', status, re.S).group(1)
    row = next(r for r in csv.DictReader(io.StringIO((untranslated_site / "glossary.csv").read_text(encoding="utf-8")))
               if r["id"] == "case-management")
    assert row["es"] == ""


# --- In the browser: tooltips on hover and focus, and accessible --------------------------------

@pytest.mark.browser
@pytest.mark.parametrize("language, url", [("en", "what-is-pim/"), ("fr", "what-is-pim/"), ("ar", "contribute/")])
def test_term_tooltip_shows_the_definition_on_hover_and_focus_and_passes_axe(watched_page, site_url, language, url):
    page = watched_page
    page.goto(f"{site_url}/{HOME[language]}{url}")
    settled(page)
    term = page.locator("abbr.pim-term").first
    definition = term.get_attribute("title") or term.get_attribute("data-title") or ""
    text = term.inner_text()
    # Keyboard: focus shows the tooltip (Material's content.tooltips), hover too.
    term.focus()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip--active").first
    tooltip.wait_for(state="visible", timeout=5_000)
    shown = tooltip.inner_text()
    assert shown.strip() and shown.strip() in (definition or shown)
    page.locator("h1").first.focus()
    page.mouse.move(0, 0)
    term.hover()
    page.locator(".md-tooltip2--active, .md-tooltip--active").first.wait_for(state="visible", timeout=5_000)
    assert term.inner_text() == text  # the page's text is unchanged
    assert axe_blocking(page) == []


@pytest.mark.browser
def test_without_javascript_the_term_and_its_definition_stay(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{site_url}/fr/what-is-pim/")
        term = page.locator("abbr.pim-term").first
        assert term.inner_text().strip()
        assert term.get_attribute("title")
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_glossary_page_has_no_serious_axe_violation(watched_page, site_url, language):
    watched_page.goto(f"{site_url}/{HOME[language]}glossary/")
    settled(watched_page)
    assert axe_blocking(watched_page) == []


# A term typed in each language, on each language's site, finds its glossary entry.
GLOSSARY_TERMS = [("matrix_categories", "protection-monitoring"), ("principles", "do-no-harm"),
                  ("process_steps", "evaluate-impact"), ("stakeholder_types", "donor")]


@pytest.mark.browser
def test_search_finds_a_glossary_entry_whichever_language_the_term_is_typed_in(watched_page, site_url, vocabulary):
    from test_search_forgiving import open_search, search_many

    for site_language in LANGUAGES:
        placeholder = open_search(watched_page, f"{site_url}/{HOME[site_language]}")
        typed = [(vocabulary.terms(kind)[term_id], glossary.anchor_of(vocabulary, kind, term_id), typed_language)
                 for kind, term_id in GLOSSARY_TERMS for typed_language in LANGUAGES]
        # The first results Material shows, with each page's sections (those under "N more on
        # this page" too: a longer term holding the same words may come first there).
        results = search_many(watched_page, [term.label_in(language) for term, _, language in typed], placeholder,
                              links=".md-search-result__list a.md-search-result__link")
        for term, anchor, typed_language in typed:
            hrefs = results[term.label_in(typed_language)]
            entries = [h for h in hrefs if urlsplit(h).path.endswith("/glossary/") and urlsplit(h).fragment == anchor]
            assert entries, (site_language, typed_language, term.label_in(typed_language), hrefs[:10])
    assert watched_page.watch.outside == [] and watched_page.watch.errors == []
