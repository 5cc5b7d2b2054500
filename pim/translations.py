"""How much of the site is translated, per language: hand-written pages (docs/page.fr.md beside
docs/page.md), vocabulary labels and descriptions, product titles and summaries, and the
interface texts of the templates. Plain data for the /translations/ status page."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .model import Catalog, Vocabulary


@dataclass
class Coverage:
    """`done` of `total` items are translated; `missing` names the others."""

    done: int = 0
    total: int = 0
    missing: list[str] = field(default_factory=list)

    def add(self, name: str, translated: bool) -> None:
        self.total += 1
        if translated:
            self.done += 1
        else:
            self.missing.append(name)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def english_pages(docs: Path, languages: tuple[str, ...]) -> list[str]:
    """Hand-written pages in English (docs/**/*.md that are not a translation), as paths."""
    pages = []
    for path in sorted(docs.rglob("*.md")):
        suffixes = path.name.split(".")
        if len(suffixes) == 3 and suffixes[1] in languages:
            continue  # page.fr.md: a translation
        pages.append(path.relative_to(docs).as_posix())
    return pages


def page_coverage(docs: Path, language: str, languages: tuple[str, ...]) -> tuple[Coverage, list[tuple[str, bool]]]:
    coverage, rows = Coverage(), []
    for page in english_pages(docs, languages):
        translated = (docs / (page[:-3] + f".{language}.md")).is_file()
        coverage.add(page, translated)
        rows.append((page, translated))
    return coverage, rows


def vocabulary_coverage(vocabulary: Vocabulary, language: str) -> dict[str, tuple[Coverage, Coverage]]:
    """{vocabulary kind: (labels, descriptions)}; only terms with an English description count
    for descriptions."""
    result = {}
    for kind in vocabulary.KINDS:
        labels, descriptions = Coverage(), Coverage()
        for term in vocabulary.terms(kind).values():
            labels.add(term.id, language in term.labels)
            if term.description:
                descriptions.add(term.id, language in term.descriptions)
        result[kind] = (labels, descriptions)
    return result


def product_coverage(catalog: Catalog, language: str) -> tuple[Coverage, Coverage]:
    """(titles, summaries): a title counts when translated or when an edition in the language
    has its own title."""
    titles, summaries = Coverage(), Coverage()
    for product in catalog.products:
        translation = product.translations.get(language, {})
        edition = product.edition(language)
        titles.add(product.id, bool(translation.get("title") or (edition and edition.title)))
        summaries.add(product.id, bool(translation.get("summary")))
    return titles, summaries


def interface_coverage(table: dict[str, dict[str, str]], language: str) -> Coverage:
    coverage = Coverage()
    for text, translations in table.items():
        coverage.add(text, bool((translations or {}).get(language)))
    return coverage
