"""Translations in the data: vocabulary labels and descriptions per language, and a product's
title and summary per language. Checked by the schema; looked up with an English fallback."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import ROOT, write_data_project
from pim.load import load_catalog
from pim.model import TRANSLATION_LANGUAGES, Edition, Product, Term

STAKEHOLDERS = "- id: drc\n  name: Danish Refugee Council (DRC)\n  type: ngo\n"

PRODUCT = """\
---
title: A good product
summary: A short summary.
type: tool
published: "2018-05"
producers: [drc]
editions:
  - language: en
  - language: fr
    title: Un bon produit
{extra}---

The description.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_data_project(tmp_path, STAKEHOLDERS)


def write_product(project: Path, extra: str = "") -> None:
    (project / "products" / "good.md").write_text(PRODUCT.format(extra=extra), encoding="utf-8")


def problem_lines(project: Path) -> list[str]:
    return [str(p) for p in load_catalog(project)[1]]


def test_every_vocabulary_term_has_a_label_in_every_site_language():
    vocabulary = yaml.safe_load((ROOT / "vocabularies.yml").read_text(encoding="utf-8"))
    for kind, terms in vocabulary.items():
        if not isinstance(terms, list):  # review_every: months by product type, no labels
            continue
        for term in terms:
            assert set(term.get("labels", {})) == set(TRANSLATION_LANGUAGES), (kind, term["id"])


def test_terms_with_a_description_have_it_in_every_site_language():
    vocabulary = yaml.safe_load((ROOT / "vocabularies.yml").read_text(encoding="utf-8"))
    for kind in ("matrix_categories", "principles", "process_steps"):
        for term in vocabulary[kind]:
            assert set(term.get("descriptions", {})) == set(TRANSLATION_LANGUAGES), (kind, term["id"])


def test_label_lookup_uses_the_language_and_falls_back_to_english():
    catalog, problems = load_catalog(ROOT)
    assert problems == []
    vocabulary = catalog.vocabulary
    assert vocabulary.label("principles", "do-no-harm") == "Do no harm"
    assert vocabulary.label("principles", "do-no-harm", "fr") == "Ne pas nuire"
    assert vocabulary.label("principles", "do-no-harm", "es") == "No hacer daño"
    assert vocabulary.label("principles", "do-no-harm", "ar") == "عدم الإضرار"
    assert vocabulary.label("principles", "do-no-harm", "de") == "Do no harm"
    assert vocabulary.label("principles", "no-such-term", "fr") == "no-such-term"


def test_term_without_translation_shows_english():
    term = Term("x", "Label", "Description", labels={"fr": "Libellé"})
    assert term.label_in("fr") == "Libellé"
    assert term.label_in("ar") == "Label"
    assert term.description_in("fr") == "Description"
    assert term.label_in(None) == "Label"


def test_product_translations_are_loaded_and_looked_up(project):
    write_product(project, "translations:\n  es: {title: Un buen producto, summary: Un resumen breve.}\n"
                           "  ar: {summary: ملخص قصير.}\n")
    catalog, problems = load_catalog(project)
    assert problems == []
    product = catalog.product("good")
    assert product.title_in("es") == "Un buen producto"
    assert product.summary_in("es") == "Un resumen breve."
    assert product.title_in("ar") == "A good product"  # no title in Arabic: English
    assert product.summary_in("ar") == "ملخص قصير."
    # No translation, but a French edition with its own title: that title.
    assert product.title_in("fr") == "Un bon produit"
    assert product.summary_in("fr") == "A short summary."
    assert product.title_in("en") == "A good product"


def test_english_title_is_the_products_own_even_when_the_english_edition_has_a_title():
    product = Product("p", "The title", "S", "tool", "2020", ["drc"], [Edition("en", "Edition title")])
    assert product.title_in("en") == "The title"
    assert product.title_in(None) == "The title"
    assert product.title_in("fr") == "The title"


def test_editions_in_the_readers_language_come_first():
    product = Product("p", "T", "S", "tool", "2020", ["drc"],
                      [Edition("en"), Edition("fr", "Titre"), Edition("ar")])
    assert [e.language for e in product.editions_for("ar")] == ["ar", "en", "fr"]
    assert [e.language for e in product.editions_for("fr")] == ["fr", "en", "ar"]
    assert [e.language for e in product.editions_for("es")] == ["en", "fr", "ar"]


def test_unknown_translation_language_is_reported_with_its_line(project):
    write_product(project, "translations:\n  de: {title: Ein gutes Produkt}\n")
    assert problem_lines(project) == [
        'products/good.md:12: translations.de: unknown field "de". Allowed fields: "fr", "es", "ar".'
    ]


def test_unknown_field_in_a_translation_is_reported(project):
    write_product(project, "translations:\n  fr:\n    titre: Un bon produit\n")
    lines = problem_lines(project)
    assert len(lines) == 1
    assert lines[0].startswith('products/good.md:13: translations.fr.titre: unknown field "titre".')
    assert 'Did you mean "title"?' in lines[0]


def test_empty_translation_is_reported(project):
    write_product(project, "translations:\n  fr: {}\n")
    assert problem_lines(project) == [
        "products/good.md:12: translations.fr: is empty: give at least one of its fields, or remove it."
    ]


def test_too_long_translated_summary_is_reported(project):
    write_product(project, f"translations:\n  fr:\n    summary: {'x' * 301}\n")
    assert problem_lines(project) == [
        "products/good.md:13: translations.fr.summary: is 301 characters long; at most 300 are allowed."
    ]


def test_vocabulary_label_in_an_unknown_language_is_reported(project):
    text = (project / "vocabularies.yml").read_text(encoding="utf-8")
    text = text.replace("{id: tool, label: Tool, labels: {fr:", "{id: tool, label: Tool, labels: {de: Werkzeug, fr:")
    (project / "vocabularies.yml").write_text(text, encoding="utf-8")
    write_product(project)
    lines = problem_lines(project)
    assert len(lines) == 1
    assert "vocabularies.yml:" in lines[0] and 'unknown field "de"' in lines[0], lines


def test_empty_vocabulary_description_translation_is_reported(project):
    text = (project / "vocabularies.yml").read_text(encoding="utf-8")
    text = text.replace('labels: {fr: "Ne pas nuire"', 'labels: {fr: ""', 1)
    (project / "vocabularies.yml").write_text(text, encoding="utf-8")
    write_product(project)
    lines = problem_lines(project)
    assert len(lines) == 1 and "labels.fr: must not be empty." in lines[0], lines


def test_translation_coverage_counts_pages_labels_and_product_texts(project):
    from pim import translations

    docs = project / "docs"
    for name in ("index.md", "index.fr.md", "about.md", "sub/page.md", "sub/page.ar.md"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# x\n", encoding="utf-8")
    write_product(project, "translations:\n  es: {summary: Un resumen breve.}\n")
    catalog, problems = load_catalog(project)
    assert problems == []
    languages = ("fr", "es", "ar")
    assert translations.english_pages(docs, languages) == ["about.md", "index.md", "sub/page.md"]
    pages, rows = translations.page_coverage(docs, "fr", languages)
    assert (pages.done, pages.total, pages.missing) == (1, 3, ["about.md", "sub/page.md"])
    assert dict(rows)["index.md"] is True
    labels, descriptions = translations.vocabulary_coverage(catalog.vocabulary, "ar")["principles"]
    assert (labels.done, labels.total, descriptions.percent) == (8, 8, 100)
    titles, summaries = translations.product_coverage(catalog, "fr")
    assert (titles.done, summaries.done) == (1, 0)  # the French edition's own title counts
    titles, summaries = translations.product_coverage(catalog, "es")
    assert (titles.done, summaries.done) == (0, 1)
    interface = translations.interface_coverage({"Yes": {"fr": "Oui"}, "No": {}}, "fr")
    assert (interface.done, interface.total, interface.missing, interface.percent) == (1, 2, ["No"], 50)


def test_every_default_product_has_its_summary_in_every_site_language():
    catalog, problems = load_catalog(ROOT)
    assert problems == []
    missing = [(product.source, language) for product in catalog.products for language in TRANSLATION_LANGUAGES
               if not product.translations.get(language, {}).get("summary")]
    assert missing == []


def test_a_translated_title_only_where_an_edition_exists_in_that_language():
    # A document published in English only keeps its title: a French title would suggest a
    # French edition that does not exist.
    catalog, problems = load_catalog(ROOT)
    assert problems == []
    titled = [(product.source, language) for product in catalog.products
              for language, texts in product.translations.items()
              if texts.get("title") and product.edition(language) is None]
    assert titled == []
    assert catalog.product("pim-matrix").title_in("ar") == "PIM Matrix"
    assert catalog.product("protection-analytical-framework").title_in("fr") == "Cadre d'analyse de la protection (PAF)"


def test_translation_status_names_each_untranslated_page_and_summary_with_its_line(project):
    from pim import translations

    docs = project / "docs"
    for name in ("index.md", "index.fr.md", "index.es.md", "index.ar.md", "guide.md", "guide.fr.md"):
        (docs / name).write_text("# x\n", encoding="utf-8")
    write_product(project, "translations:\n  fr: {summary: Un court résumé.}\n")
    catalog, problems = load_catalog(project)
    assert problems == []
    statuses = {s.language: s for s in translations.status(docs, catalog, {}, ("fr", "es", "ar"))}
    assert [str(item) for item in statuses["fr"].untranslated] == []
    assert [str(item) for item in statuses["es"].untranslated] == [
        "docs/guide.md:1: es: not translated: add docs/guide.es.md beside guide.md",
        "products/good.md:11: translations.es.summary: not translated: the English summary is shown",
    ]
    assert (statuses["ar"].pages.done, statuses["ar"].pages.total, statuses["ar"].summaries.done) == (1, 2, 0)
