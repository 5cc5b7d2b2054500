"""How much of the site is translated, per language: hand-written pages (docs/page.fr.md beside
docs/page.md), vocabulary labels and descriptions, product titles and summaries, and the
interface texts of the templates. `status()` computes it once for both readers of it: the
/translations/ page (overrides/translations.html) and `make report` (pim/cli.py), which lists
each page and product summary still to translate as file:line. Nothing here fails a build: an
English-only page or product is welcome, and shows in English with a notice."""

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
    _missing_set: set[str] = field(default_factory=set, repr=False, compare=False)

    def add(self, name: str, translated: bool) -> None:
        self.total += 1
        if translated:
            self.done += 1
        else:
            self.missing.append(name)
            self._missing_set.add(name)

    def is_missing(self, name: str) -> bool:
        """Is `name` among the missing? (A set, for pages that ask it of a thousand products.)"""
        return name in self._missing_set

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


# Pages under docs/ that stay in English on purpose, with the reason: not counted as missing by
# `make report`, and allowed by tests/test_i18n.py. Keep it short; every other page is translated.
ENGLISH_ONLY: dict[str, str] = {}


@dataclass(frozen=True)
class Untranslated:
    """One thing to translate, where to start: the English page's first line, or the product
    file's `translations` (else `summary`) line."""

    source: str  # docs/training.md, products/pim-matrix.md
    line: int
    language: str
    what: str  # "page" or "summary"

    def __str__(self) -> str:
        if self.what == "page":
            name = Path(self.source).name
            target = self.source[:-3] + f".{self.language}.md"
            return f"{self.source}:{self.line}: {self.language}: not translated: add {target} beside {name}"
        return f"{self.source}:{self.line}: translations.{self.language}.summary: not translated: the English summary is shown"


@dataclass
class LanguageStatus:
    """What is translated in one language (the /translations/ page's section for it)."""

    language: str
    pages: Coverage
    page_rows: list[tuple[str, bool]]
    vocabularies: dict[str, tuple[Coverage, Coverage]]
    titles: Coverage
    summaries: Coverage
    interface: Coverage
    untranslated: list[Untranslated]  # pages and product summaries, as file:line


def status(docs: Path, catalog: Catalog, interface_text: dict[str, dict[str, str]] | None,
           languages: tuple[str, ...]) -> list[LanguageStatus]:
    """Per language (fr, es, ar): what is translated and what is not. `docs` is the docs folder;
    product sources are relative to the project, which holds it."""
    result = []
    for language in languages:
        pages, page_rows = page_coverage(docs, language, languages)
        titles, summaries = product_coverage(catalog, language)
        untranslated = [Untranslated(f"{docs.name}/{page}", 1, language, "page")
                        for page in pages.missing if page not in ENGLISH_ONLY]
        by_id = {product.id: product for product in catalog.products}
        for product_id in summaries.missing:
            product = by_id[product_id]
            line = product.lines.get("translations") or product.lines.get("summary") or 1
            untranslated.append(Untranslated(product.source or f"products/{product.id}.md", line, language, "summary"))
        result.append(LanguageStatus(
            language, pages, page_rows, vocabulary_coverage(catalog.vocabulary, language), titles, summaries,
            interface_coverage(interface_text or {}, language), untranslated))
    return result


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
