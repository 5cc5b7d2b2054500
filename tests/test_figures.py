"""The Process, the Matrix and the Principles as figures (issue 23), drawn at build time from
vocabularies.yml (overrides/partials/figure-*.html): on their own pages, smaller on the home page
and on What is PIM, in four languages, the Arabic one right to left. And a product page's table
of contents lists every section of the page."""

from __future__ import annotations

import gzip
import html as htmllib
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import ROOT, read_page

LANGUAGES = ("en", "fr", "es", "ar")
FIGURES = {"process": "process_steps", "matrix": "matrix_categories", "principles": "principles"}
CAPTIONS = {  # the caption's own words, in each language (translations.yml)
    "process": {"en": "four steps, taken in order", "fr": "quatre étapes", "es": "cuatro pasos", "ar": "أربع خطوات"},
    "matrix": {"en": "eight categories", "fr": "huit catégories", "es": "ocho categorías", "ar": "ثماني فئات"},
    "principles": {"en": "eight principles", "fr": "huit principes", "es": "ocho principios", "ar": "ثمانية مبادئ"},
}
MAX_GZIP = 6 * 1024
VOCABULARY = yaml.safe_load((ROOT / "vocabularies.yml").read_text(encoding="utf-8"))
PRODUCTS = [path.stem for path in (ROOT / "products").glob("*.md")]


def prefix(language: str) -> str:
    return "" if language == "en" else f"{language}/"


def label(term: dict, language: str) -> str:
    return term["label"] if language == "en" else term.get("labels", {}).get(language, term["label"])


def figure_of(page_html: str, name: str) -> str:
    found = re.findall(rf'<figure class="pim-figure pim-figure--{name}[ "].*?</figure>', page_html, re.S)
    assert len(found) == 1, f"{len(found)} {name} figures"
    return found[0]


def text_of(fragment: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", fragment))


def links_of(fragment: str) -> list[tuple[str, str]]:
    return [(href, text_of(inner)) for href, inner in re.findall(r'<a\b[^>]*\bhref="([^"]*)"[^>]*>(.*?)</a>', fragment, re.S)]


PLACES = [("{p}" + name + "/index.html", name, False) for name in FIGURES]  # its own page
PLACES += [("{p}index.html", name, True) for name in FIGURES]  # the home page, smaller
PLACES += [("{p}what-is-pim/index.html", name, True) for name in FIGURES]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("where, name, compact", PLACES)
def test_each_figure_holds_every_term_as_a_link_with_its_count_and_a_caption(site_dir, language, where, name, compact):
    path = where.format(p=prefix(language))
    figure = figure_of(read_page(site_dir, path), name)
    assert ("pim-figure--compact" in figure.split(">", 1)[0]) == compact
    terms = VOCABULARY[FIGURES[name]]
    links = links_of(figure.split("<figcaption>")[0])
    assert [text for _, text in links] == [label(term, language) for term in terms]  # in the vocabulary's order
    page_folder = (site_dir / path).parent
    for (href, _), term in zip(links, terms):
        target = page_folder / unquote(urlsplit(href).path)
        assert target.resolve() == (site_dir / prefix(language) / name / term["id"] / "index.html").resolve() or \
            (target / "index.html").resolve() == (site_dir / prefix(language) / name / term["id"] / "index.html").resolve(), href
    counts = re.findall(r'<span class="pim-figure__count">([^<]*)</span>', figure)
    assert len(counts) == len(terms) and all(re.search(r"\d|واحد", count) for count in counts)
    caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S).group(1)
    assert CAPTIONS[name][language] in text_of(caption)
    caption_links = links_of(caption)
    if compact:  # elsewhere the caption links to the figure's own page
        [(href, _)] = caption_links
        assert (page_folder / unquote(href) / "index.html").resolve() == (site_dir / prefix(language) / name / "index.html").resolve()
    else:
        assert caption_links == []
    assert "<script" not in figure and "style=\"display" not in figure


@pytest.mark.parametrize("name", FIGURES)
def test_each_figure_weighs_at_most_6_kb_gzipped(site_dir, name):
    for language in LANGUAGES:
        figure = figure_of(read_page(site_dir, f"{prefix(language)}{name}/index.html"), name)
        assert len(gzip.compress(figure.encode("utf-8"), 9)) <= MAX_GZIP, language


def test_figures_hide_their_decoration_from_screen_readers(site_dir):
    page_html = read_page(site_dir, "principles/index.html")
    figure = figure_of(page_html, "principles")
    icons = re.findall(r'<span class="pim-tiles__icon"([^>]*)><svg', figure)
    assert len(icons) == 8 and all('aria-hidden="true"' in attrs for attrs in icons)
    numbers = re.findall(r'<span class="pim-figure__n"([^>]*)>(\d)</span>', figure)
    assert [n for _, n in numbers] == [str(i) for i in range(1, 9)]  # the list says the number itself
    assert all('aria-hidden="true"' in attrs for attrs, _ in numbers)
    assert re.search(r'<figure[^>]*>\s*<ol class="pim-tiles">', figure)  # a list, in reading order


def boxes(page) -> list[dict]:
    return page.eval_on_selector_all(".pim-cycle__step", "els => els.map(e => e.getBoundingClientRect().toJSON())")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_process_cycle_runs_clockwise_and_in_arabic_right_to_left(watched_page, site_url, language):
    page = watched_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{site_url}/{prefix(language)}process/")
    first, second, third, fourth = boxes(page)
    assert abs(first["top"] - second["top"]) < 1 and abs(third["top"] - fourth["top"]) < 1
    assert third["top"] > first["bottom"]
    if language == "ar":  # 1 top right, 2 top left, 3 bottom left, 4 bottom right
        assert second["right"] < first["left"] and third["right"] < fourth["left"]
        assert abs(third["left"] - second["left"]) < 1
    else:  # 1 top left, 2 top right, 3 bottom right, 4 bottom left
        assert first["right"] < second["left"] and fourth["right"] < third["left"]
        assert abs(third["left"] - second["left"]) < 1
    # Each step's arrowhead sits in the gap toward the next step.
    arrows = page.eval_on_selector_all(".pim-cycle__step", """els => els.map(e => {
        const s = getComputedStyle(e, '::before'); return [s.borderTopWidth, s.borderLeftWidth, s.borderRightWidth, s.borderBottomWidth]; })""")
    assert all(any(width != "0px" for width in arrow) for arrow in arrows)


def test_the_figures_fit_a_phone_screen(watched_page, site_url):
    page = watched_page
    page.set_viewport_size({"width": 390, "height": 800})
    for path in ("/", "/ar/", "/fr/matrix/", "/es/principles/"):
        page.goto(site_url + path)
        overflow = page.evaluate("""() => [...document.querySelectorAll('.pim-figure li')]
            .filter(li => li.getBoundingClientRect().right > innerWidth + 1 || li.getBoundingClientRect().left < -1).length""")
        assert overflow == 0, path
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), path


def test_the_figures_print_in_black_on_white(watched_page, site_url):
    page = watched_page
    page.emulate_media(media="print", color_scheme="dark")
    page.goto(site_url + "/matrix/")
    colours = page.eval_on_selector(".pim-matrix__cell", """el => [getComputedStyle(el).borderTopColor,
        getComputedStyle(el.querySelector('a')).color]""")
    assert colours == ["rgb(0, 0, 0)", "rgb(0, 0, 0)"]


# -- A product page's table of contents --------------------------------------------------------------

def toc_of(page_html: str) -> list[tuple[int, str, str]]:
    """(depth, href, title) of each entry of the page's table of contents."""
    nav = page_html.split('class="md-nav md-nav--secondary"', 1)[1].split("</nav>\n</div>", 1)[0]
    entries, depth = [], 0
    for token in re.finditer(r'<ul class="md-nav__list"|</ul>|<a href="(#[^"]*)" class="md-nav__link">\s*<span class="md-ellipsis">\s*(.*?)\s*</span>', nav, re.S):
        if token.group(0).startswith("<ul"):
            depth += 1
        elif token.group(0) == "</ul>":
            depth -= 1
        else:
            entries.append((depth, token.group(1), htmllib.unescape(token.group(2))))
    return entries


def headings_of(page_html: str) -> list[tuple[int, str, str]]:
    article = page_html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    return [(int(level), anchor, text_of(re.sub(r'<a class="headerlink".*?</a>', "", inner)).strip())
            for level, anchor, inner in re.findall(r'<h([2-6])\b[^>]*\bid="([^"]+)"[^>]*>(.*?)</h\1>', article, re.S)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_product_page_toc_lists_every_section_and_matches_its_headings(site_dir, language):
    for product_id in PRODUCTS:
        page_html = read_page(site_dir, f"{prefix(language)}products/{product_id}/index.html")
        toc, headings = toc_of(page_html), headings_of(page_html)
        assert [(href, title) for _, href, title in toc] == [(f"#{anchor}", text) for _, anchor, text in headings], product_id
        anchors = [href for _, href, _ in toc]
        assert anchors[0] == "#downloads" and anchors[-1] in ("#cite", "#related") and "#cite" in anchors, product_id
        description = Path(ROOT / "products" / f"{product_id}.md").read_text(encoding="utf-8").split("\n---\n", 1)[1]
        if description.strip():
            assert "#description" in anchors, product_id
            # The description's own headings are entries under "Description".
            after = anchors.index("#description")
            own = [entry for entry in toc[after + 1:] if entry[1] not in ("#history", "#cite", "#related")]
            assert all(depth == toc[after][0] + 1 for depth, _, _ in own), product_id
        if "\nchanges:" in Path(ROOT / "products" / f"{product_id}.md").read_text(encoding="utf-8"):
            assert "#history" in anchors, product_id


def test_a_product_page_toc_has_its_sections_in_the_reader_s_language(site_dir):
    titles = [title for _, _, title in toc_of(read_page(site_dir, "fr/products/common-pim-terminology/index.html"))]
    assert titles[0] == "Téléchargements et liens" and "Citer" in titles, titles
