"""The site in English, French, Spanish and Arabic: built once with the default content, then each
language's pages are read for their language, direction, links between languages, translated
interface and content, and the notice on pages not yet translated."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, read_page
from pim import translations
from pim.load import load_catalog
from pim.model import TRANSLATION_LANGUAGES

LANGUAGES = {"en": "", "fr": "fr/", "es": "es/", "ar": "ar/"}
DOCS = ROOT / "docs"
ENGLISH_PAGES = translations.english_pages(DOCS, TRANSLATION_LANGUAGES)  # docs/**.md, not page.fr.md


def page_url(page: str) -> str:
    """docs/contribute/propose.md -> contribute/propose/, index.md -> ''."""
    stem = page[:-3]
    return "" if stem == "index" else (stem[:-len("index")] if stem.endswith("/index") else stem + "/")


TRANSLATED_PAGES = [page_url(page) for page in ENGLISH_PAGES if page not in translations.ENGLISH_ONLY]


@pytest.fixture(scope="module")
def catalog():
    catalog, problems = load_catalog(ROOT)
    assert problems == []
    return catalog


def html_lang(html: str) -> str:
    return re.search(r"<html\b[^>]*\slang=\"([^\"]+)\"", html).group(1)


def body_dir(html: str) -> str:
    return re.search(r"<body dir=\"([^\"]+)\"", html).group(1)


@pytest.mark.parametrize("language,prefix", LANGUAGES.items())
@pytest.mark.parametrize("page", ["", "what-is-pim/", "training/", "products/pim-matrix/", "principles/do-no-harm/"])
def test_every_page_declares_its_language_and_direction(site_dir, language, prefix, page):
    html = read_page(site_dir, f"/{prefix}{page}")
    assert html_lang(html) == language
    # Arabic reads right to left: on <html> (W3C's guidance; hooks/material_html.py) and on
    # <body>, where Material's styles look for it.
    direction = "rtl" if language == "ar" else "ltr"
    assert body_dir(html) == direction
    assert re.search(r'<html dir="([a-z]+)"', html).group(1) == direction


# hreflang links: tests/test_fetch_on_demand.py


@pytest.mark.parametrize("prefix", LANGUAGES.values())
@pytest.mark.parametrize("page", ["about/", "training/", "products/pim-matrix/", "matrix/case-management/"])
def test_language_switcher_stays_on_the_same_page(site_dir, prefix, page):
    html = read_page(site_dir, f"/{prefix}{page}")
    switcher = dict((lang, href) for href, lang in
                    re.findall(r'<a href="([^"]*)" hreflang="([a-z]{2})" lang="[a-z]{2}" class="md-select__link" target="_self">', html))
    assert set(switcher) == set(LANGUAGES)
    here = site_dir / prefix / page
    for language, href in switcher.items():
        target = (here / href).resolve()
        assert target == (site_dir / LANGUAGES[language] / page).resolve(), (language, href)
        assert (target / "index.html").is_file()


def test_material_interface_is_translated(site_dir):
    assert 'placeholder="Rechercher"' in read_page(site_dir, "/fr/")
    assert 'placeholder="Búsqueda"' in read_page(site_dir, "/es/")
    assert 'placeholder="بحث"' in read_page(site_dir, "/ar/")
    assert 'placeholder="Search"' in read_page(site_dir, "/")


def test_navigation_and_site_name_are_translated(site_dir):
    fr = read_page(site_dir, "/fr/about/")
    assert "Gestion de l&#39;information de protection" in fr or "Gestion de l'information de protection" in fr
    assert "Orientations et produits" in fr
    assert "إدارة معلومات الحماية" in read_page(site_dir, "/ar/")
    assert "Orientaciones y productos" in read_page(site_dir, "/es/")


@pytest.mark.parametrize("prefix", ["fr/", "es/", "ar/"])
@pytest.mark.parametrize("page", TRANSLATED_PAGES)
def test_translated_pages_have_no_fallback_notice(site_dir, prefix, page):
    html = read_page(site_dir, f"/{prefix}{page}")
    assert "pim-language-notice" not in html
    assert "{{" not in html and "{%" not in html  # macros ran in the translation too


NOTICES = {
    "fr/": "Cette page n&#39;a pas encore été traduite",
    "es/": "Esta página aún no se ha traducido al español",
    "ar/": "لم تُترجَم هذه الصفحة إلى العربية بعد",
}
@pytest.mark.parametrize("prefix,notice", NOTICES.items())
def test_untranslated_page_falls_back_to_english_with_a_notice_in_the_readers_language(
        offline_edition, prefix, notice):
    html = (offline_edition.root / prefix / "english-only.html").read_text(encoding="utf-8")
    assert notice in html
    assert '<div lang="en" dir="ltr">' in html  # the English text is marked as English
    assert html_lang(html) == prefix[:2]


def test_every_page_under_docs_has_its_three_translations():
    # A page may stay English only if translations.ENGLISH_ONLY says why (it then shows a notice).
    assert all(reason.strip() for reason in translations.ENGLISH_ONLY.values())
    missing = [f"docs/{page[:-3]}.{language}.md" for page in ENGLISH_PAGES if page not in translations.ENGLISH_ONLY
               for language in TRANSLATION_LANGUAGES if not (DOCS / f"{page[:-3]}.{language}.md").is_file()]
    assert missing == []
    assert {"training.md", "contribute.md", "download.md", "catalog-format.md", "translations.md"} <= set(ENGLISH_PAGES)


def test_translations_keep_the_english_pages_macros_on():
    for page in ENGLISH_PAGES:
        if "render_macros: true" not in (DOCS / page).read_text(encoding="utf-8"):
            continue
        for language in TRANSLATION_LANGUAGES:
            translated = DOCS / f"{page[:-3]}.{language}.md"
            if translated.is_file():
                assert "render_macros: true" in translated.read_text(encoding="utf-8"), translated


@pytest.mark.parametrize("prefix", ["fr/", "es/", "ar/"])
def test_no_page_of_the_default_content_shows_the_not_translated_notice(site_dir, prefix):
    pages = sorted((site_dir / prefix).rglob("*.html"))
    assert len(pages) > len(ENGLISH_PAGES)  # the hand-written pages, products and terms
    shown = [str(page.relative_to(site_dir)) for page in pages
             if NOTICES[prefix] in page.read_text(encoding="utf-8")]
    assert shown == []


def test_english_pages_have_no_notice(site_dir):
    for page in ("", "training/", "about/", "products/pim-matrix/"):
        assert "pim-language-notice" not in read_page(site_dir, f"/{page}")


def test_translated_home_page_counts_the_catalog(site_dir, catalog):
    assert f"Le catalogue contient {len(catalog.products)} documents" in read_page(site_dir, "/fr/")


def test_what_is_pim_lists_the_principles_in_the_readers_language(site_dir):
    assert "Ne pas nuire" in read_page(site_dir, "/fr/what-is-pim/")
    assert "No hacer daño" in read_page(site_dir, "/es/what-is-pim/")
    html = read_page(site_dir, "/ar/what-is-pim/")
    assert "عدم الإضرار" in html
    assert 'href="../principles/do-no-harm/"' in html  # links stay in Arabic


@pytest.mark.parametrize("prefix", LANGUAGES.values())
def test_product_pages_exist_in_every_language(site_dir, catalog, prefix):
    for product in catalog.products:
        assert (site_dir / prefix / "products" / product.id / "index.html").is_file()


def test_product_page_uses_the_translated_title_summary_and_labels(site_dir):
    html = read_page(site_dir, "/fr/products/protection-analytical-framework/")
    assert "<title>Cadre d&#x27;analyse de la protection (PAF)" in html
    assert "fondé sur l&#39;équation du risque de protection" in html
    assert "<dt>Type</dt>" in html and ">Cadre</a></dd>" in html
    assert "Téléchargements et liens" in html
    english = read_page(site_dir, "/products/protection-analytical-framework/")
    assert "<title>Protection Analytical Framework (PAF)" in english


def test_product_description_in_english_is_announced_in_the_readers_language(site_dir):
    assert "La description est en anglais." in read_page(site_dir, "/fr/products/pim-matrix/")
    assert "الوصف باللغة الإنجليزية." in read_page(site_dir, "/ar/products/pim-matrix/")
    assert "pim-language-notice" not in read_page(site_dir, "/products/pim-matrix/")
    html = read_page(site_dir, "/ar/products/protection-analytical-framework/")
    assert '<div class="pim-description" lang="en" dir="ltr">' in html
    assert 'pim-description' not in read_page(site_dir, "/products/protection-analytical-framework/")


def test_edition_in_the_readers_language_comes_first(site_dir):
    def editions(html):
        return re.findall(r'<section class="pim-edition" lang="([a-z]{2})"', html)

    assert editions(read_page(site_dir, "/products/protection-analytical-framework/")) == ["en", "fr"]
    assert editions(read_page(site_dir, "/fr/products/protection-analytical-framework/")) == ["fr", "en"]
    assert editions(read_page(site_dir, "/es/products/framework-for-data-sharing-in-practice/")) == ["es", "en"]
    assert editions(read_page(site_dir, "/ar/products/protection-analytical-framework/")) == ["en", "fr"]


def test_product_links_stay_in_the_readers_language(site_dir):
    html = read_page(site_dir, "/es/products/pim-matrix/")
    assert 'href="../../../es/matrix/protection-monitoring/"' in html  # /es/matrix/..., not /matrix/
    assert "Monitoreo de protección" in html


def test_term_pages_are_translated(site_dir):
    html = read_page(site_dir, "/ar/principles/do-no-harm/")
    assert "<title>عدم الإضرار" in html
    assert "يجب ألا يعرّض" in html  # the Arabic description
    assert "<title>Évaluer l&#x27;impact" in read_page(site_dir, "/fr/process/evaluate-impact/")


def test_listing_cards_use_translated_titles_and_type_labels(site_dir):
    html = read_page(site_dir, "/fr/products/")
    assert "Cadre d&#39;analyse de la protection (PAF)" in html
    assert "<span>Cadre</span>" in html


def test_old_addresses_redirect_only_from_the_english_site(site_dir):
    assert (site_dir / "guidance-and-products/product/pim-process/index.html").is_file()
    for prefix in ("fr", "es", "ar"):
        assert not (site_dir / prefix / "guidance-and-products").exists()


@pytest.mark.parametrize("language,prefix", LANGUAGES.items())
def test_each_language_has_its_own_search_index_with_lunr_support(site_dir, language, prefix):
    index = json.loads((site_dir / prefix / "search/search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["lang"] == [language]
    if language != "en":
        assert (site_dir / f"assets/javascripts/lunr/min/lunr.{language}.min.js").is_file()
    locations = {doc["location"].split("#")[0] for doc in index["docs"]}
    # Locations are relative to the language's folder; untranslated pages are in every index.
    assert {"", "about/", "training/", "products/pim-matrix/"} <= locations
    assert not any(location.startswith(("fr/", "es/", "ar/")) for location in locations)


def test_pages_point_material_at_their_languages_folder(site_dir):
    def base(html):
        return json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.S).group(1))["base"]

    assert base(read_page(site_dir, "/fr/about/")) == "../../fr/"
    assert base(read_page(site_dir, "/ar/")) == "../ar/"
    assert base(read_page(site_dir, "/about/")) == ".."


def test_every_interface_text_of_our_templates_is_translated():
    table = yaml.safe_load((ROOT / "translations.yml").read_text(encoding="utf-8"))
    used = set()
    for template in (ROOT / "overrides").rglob("*.html"):
        used |= set(re.findall(r"""(?<![\w.])pim\.t\(\s*["']([^"']+)["']\s*\)""", template.read_text(encoding="utf-8")))
    assert used, "no pim.t() call found"
    missing = {text: sorted({"fr", "es", "ar"} - set(table.get(text) or {})) for text in used}
    assert {text: langs for text, langs in missing.items() if langs} == {}


def test_translated_pages_keep_the_macros_of_the_english_page():
    def macros(text):
        return sorted(set(re.findall(r"\{\{ *pim\.(catalog|vocabulary)\.", text)))

    for page in ("index", "what-is-pim"):
        english = (ROOT / "docs" / f"{page}.md").read_text(encoding="utf-8")
        for language in ("fr", "es", "ar"):
            translated = (ROOT / "docs" / f"{page}.{language}.md").read_text(encoding="utf-8")
            assert macros(translated) == macros(english), (page, language)
            assert "render_macros: true" in translated


def test_translations_page_shows_what_is_translated_per_language(site_dir):
    html = read_page(site_dir, "/translations/")
    for language in ("fr", "es", "ar"):
        assert f'id="status-{language}"' in html
    section = html[html.index('id="status-fr"'):html.index('id="status-es"')]
    translated = len(list(DOCS.rglob("*.fr.md")))
    assert f"<th scope=\"row\">Hand-written pages</th><td>{translated} / {len(ENGLISH_PAGES)}</td>" in section
    assert "<th scope=\"row\">Vocabulary labels: Principles</th><td>8 / 8</td><td>100%</td>" in section
    assert '<li data-translated="yes"><code>docs/about.md</code>' in section
    assert '<li data-translated="yes"><code>docs/training.md</code>' in section
    products = len(list((ROOT / "products").glob("*.md")))
    assert f"<th scope=\"row\">Product summaries</th><td>{products} / {products}</td><td>100%</td>" in section
    assert '<li data-translated="yes"><code>products/pim-matrix.md</code>: summary translated</li>' in section


def test_translated_field_reference_speaks_the_readers_language(site_dir):
    french = read_page(site_dir, "/fr/contribute/")
    assert '<tr id="field-type">' in french and "<code>guidance</code> (Orientations)" in french
    assert "Le nom du produit, en texte simple." in french  # the schema's text, from translations.yml
    assert 'href="#field-reference"' in french and 'id="field-reference"' in french  # the anchor survives
    arabic = read_page(site_dir, "/ar/contribute/")
    assert "<code>ngo</code> (منظمة غير حكومية)" in arabic and "<td>مطلوب</td>" in arabic
    assert "{{" not in arabic and "{%" not in arabic


def test_translations_page_speaks_the_readers_language(site_dir):
    html = read_page(site_dir, "/es/translations/")
    assert "Etiquetas de los vocabularios: Principios" in html
    assert re.search(r"<h1[^>]*>Traducciones<", html) and "make report" in html
    assert "pim-language-notice" not in html


def test_language_benchmark_builds_only_the_chosen_languages():
    import importlib.util

    spec = importlib.util.spec_from_file_location("languages_bench", ROOT / "benchmarks" / "languages.py")
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    config = bench.with_languages((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), ("en", "fr"))
    built = re.findall(r"- locale: (\w+)\n(?:.*\n)*?\s*build: (true|false)", config)
    assert dict(built) == {"en": "true", "fr": "true", "es": "false", "ar": "false"}


def test_offline_edition_holds_every_language_with_its_own_search(offline_edition):
    site = offline_edition.root  # the session's offline edition (tests/conftest.py), unzipped
    for prefix in LANGUAGES.values():
        assert (site / prefix / "index.html").is_file()
        assert (site / prefix / "products" / "pim-matrix.html").is_file()
        assert (site / prefix / "search" / "search_index.js").is_file()  # search from file://
    about = (site / "fr" / "about.html").read_text(encoding="utf-8")
    assert '<a href="../ar/about.html" hreflang="ar"' in about  # the switcher keeps the page offline
