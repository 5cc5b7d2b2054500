"""The product model: products, editions, stakeholders and the vocabularies they use."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from heapq import merge
from itertools import groupby
from typing import Iterable

from .dates import build_date
from .review import Review, review_of

# The vocabularies a product's fields draw on, by field name.
TERM_FIELDS = {
    "type": "product_types",
    "categories": "matrix_categories",
    "principles": "principles",
    "process_steps": "process_steps",
}
# Where each taxonomy's pages live on the site.
TAXONOMY_PATHS = {
    "matrix_categories": "matrix",
    "principles": "principles",
    "process_steps": "process",
}
# The site's languages besides English, the language the data is written in. Labels, descriptions
# and product titles/summaries may carry a translation into each of them.
TRANSLATION_LANGUAGES = ("fr", "es", "ar")
DATA_LANGUAGE = "en"  # the language titles, summaries and labels are written in


def one_line(text: str | None) -> str | None:
    """Text with its runs of white space (line breaks from YAML blocks included) made one space:
    titles and summaries go into <meta>, cards and one-line fields."""
    return " ".join(text.split()) if isinstance(text, str) else text


def trimmed(address: str | None) -> str | None:
    """A web address without the spaces contributors leave around it (href=" https://..." breaks)."""
    return address.strip() if isinstance(address, str) else address


@dataclass(frozen=True)
class Term:
    id: str
    label: str
    description: str = ""
    native: str = ""  # languages only: the name in the language itself
    labels: dict[str, str] = field(default_factory=dict, compare=False, hash=False)  # {language: label}
    descriptions: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    def label_in(self, language: str | None) -> str:
        """The label in a language, or the English label when it has no translation."""
        return self.labels.get(language or "", self.label)

    def description_in(self, language: str | None) -> str:
        return self.descriptions.get(language or "", self.description)

    def label_language(self, language: str | None) -> str:
        """The language `label_in(language)` is written in (English when untranslated)."""
        return language if language and language in self.labels else DATA_LANGUAGE

    def description_language(self, language: str | None) -> str:
        return language if language and language in self.descriptions else DATA_LANGUAGE


@dataclass
class Vocabulary:
    """Controlled vocabularies, from vocabularies.yml, each an ordered {id: Term}."""

    product_types: dict[str, Term]
    matrix_categories: dict[str, Term]
    principles: dict[str, Term]
    process_steps: dict[str, Term]
    stakeholder_types: dict[str, Term]
    languages: dict[str, Term]
    # Months between reviews, by product type id, and "default" for types not listed (issue 18).
    review_every: dict[str, int] = field(default_factory=dict)

    KINDS = ("product_types", "matrix_categories", "principles", "process_steps", "stakeholder_types", "languages")

    def terms(self, kind: str) -> dict[str, Term]:
        return getattr(self, kind)

    def label(self, kind: str, term_id: str, language: str | None = None) -> str:
        """A term's label in `language` (English when untranslated or when no language is given)."""
        term = self.terms(kind).get(term_id)
        return term.label_in(language) if term else term_id


@dataclass
class EditionFile:
    label: str
    format: str
    url: str | None = None
    path: str | None = None  # relative to docs/
    size: int | None = None  # bytes, for local files
    sha256: str | None = None  # the checksum of the file as reviewed (checked by `make offline`)
    line: int = 0  # the line of its url (else of the entry) in its product file, for messages
    sha256_line: int = 0
    # Set in the offline edition only, for a document fetched into it (pim/documents.py).
    offline_path: str | None = None  # relative to the site root, e.g. files/<product>/en/report.pdf
    offline_size: int | None = None

    def __post_init__(self) -> None:
        self.url = trimmed(self.url)

    @property
    def is_local(self) -> bool:
        return self.path is not None

    @property
    def href(self) -> str:
        """Site-root-relative address of a local file, or the external URL."""
        return self.path if self.path is not None else self.url  # type: ignore[return-value]


@dataclass
class Edition:
    language: str
    title: str | None = None
    files: list[EditionFile] = field(default_factory=list)


@dataclass
class Change:
    """One entry of a product's history: what changed, on which day (YYYY-MM-DD)."""

    date: str
    note: str
    translations: dict[str, str] = field(default_factory=dict)  # {language: note}

    def note_in(self, language: str | None) -> str:
        return self.translations.get(language or "", self.note)


@dataclass
class Product:
    id: str
    title: str
    summary: str
    type: str
    published: str
    producers: list[str]
    editions: list[Edition]
    body: str = ""
    categories: list[str] = field(default_factory=list)
    principles: list[str] = field(default_factory=list)
    process_steps: list[str] = field(default_factory=list)
    updated: str | None = None
    licence: str | None = None
    tags: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    featured: bool = False
    source: str = ""  # path relative to the repository root, e.g. products/pim-matrix.md
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # {language: {title, summary}}
    reviewed: str | None = None  # YYYY-MM-DD: when a maintainer last checked it was current
    review_every: int | None = None  # months; None: the product type's default
    changes: list[Change] = field(default_factory=list)  # as written in the file
    lines: dict[str, int] = field(default_factory=dict, compare=False, repr=False)  # top-level field -> line

    def history(self) -> list[Change]:
        """The changes, newest first (the file may list them in any order)."""
        return sorted(self.changes, key=lambda change: change.date, reverse=True)

    def __post_init__(self) -> None:
        self.title, self.summary = one_line(self.title), one_line(self.summary)
        self.translations = {language: {key: one_line(value) for key, value in texts.items()}
                             for language, texts in self.translations.items()}
        for edition in self.editions:
            edition.title = one_line(edition.title)

    def title_in(self, language: str | None) -> str:
        """The title for readers of `language`: its translation, else the title of the edition in
        that language, else the English title."""
        if not language or language == DATA_LANGUAGE:
            return self.title
        translated = self.translations.get(language, {}).get("title")
        if translated:
            return translated
        edition = self.edition(language)
        return edition.title if edition and edition.title else self.title

    def summary_in(self, language: str | None) -> str:
        return self.translations.get(language or "", {}).get("summary") or self.summary

    def title_language(self, language: str | None) -> str:
        """The language `title_in(language)` is written in: `language`, or English when untranslated
        (for lang and dir on text in another language than the page's)."""
        if not language or language == DATA_LANGUAGE:
            return DATA_LANGUAGE
        if self.translations.get(language, {}).get("title"):
            return language
        edition = self.edition(language)
        return language if edition and edition.title else DATA_LANGUAGE

    def summary_language(self, language: str | None) -> str:
        """The language `summary_in(language)` is written in."""
        return language if language and self.translations.get(language, {}).get("summary") else DATA_LANGUAGE

    def edition(self, language: str | None) -> Edition | None:
        return next((e for e in self.editions if e.language == language), None)

    def editions_for(self, language: str | None) -> list[Edition]:
        """The editions with the reader's language first; the others keep their order."""
        return sorted(self.editions, key=lambda e: e.language != language)

    @property
    def url(self) -> str:
        """Site-root-relative page address."""
        return f"products/{self.id}/"

    @property
    def year(self) -> int | None:
        return None if self.published == "unknown" else int(self.published[:4])

    @property
    def languages(self) -> list[str]:
        return [edition.language for edition in self.editions]

    @property
    def date_key(self) -> str:
        """Sorts newest first when reversed; 'unknown' sorts as oldest."""
        return "" if self.published == "unknown" else self.published

    def terms(self, field_name: str) -> list[str]:
        value = getattr(self, field_name)
        return [value] if isinstance(value, str) else list(value)


@dataclass
class Stakeholder:
    id: str
    name: str
    type: str
    url: str | None = None
    description: str | None = None
    logo: str | None = None
    facilitator: bool = False
    line: int = 0

    def __post_init__(self) -> None:
        self.url = trimmed(self.url)


@dataclass(repr=False)
class Catalog:
    """Everything the site is generated from, with the lookups pages need."""

    def __repr__(self) -> str:
        # Short on purpose: tools print their variables (mkdocs-macros turns every one into text
        # for its debug log, even when nothing is logged), and the full dataclass text of a
        # 10,000-product catalog is hundreds of megabytes.
        return f"<Catalog: {len(self.products)} products, {len(self.stakeholders)} stakeholders>"

    products: list[Product]  # newest first
    stakeholders: list[Stakeholder]
    vocabulary: Vocabulary
    _by_id: dict[str, Product] = field(init=False, repr=False)
    _stakeholders_by_id: dict[str, Stakeholder] = field(init=False, repr=False)
    _by_term: dict[tuple[str, str], list[Product]] = field(init=False, repr=False)
    _by_producer: dict[str, list[Product]] = field(init=False, repr=False)
    _category_groups: dict | None = field(init=False, repr=False, default=None)  # for related()
    _position: dict[str, int] = field(init=False, repr=False, default_factory=dict)
    _ranked: dict[tuple, list] = field(init=False, repr=False, default_factory=dict)
    # related()'s lists: a product page asks twice (its table of contents and its list)
    _related: dict[tuple[str, int], list] = field(init=False, repr=False, default_factory=dict)
    today: date | None = field(default=None, repr=False)  # "overdue" is counted from it; None: the build date
    _reviews: dict[str, Review] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.products = sorted(self.products, key=lambda p: (p.date_key, p.title.casefold()), reverse=True)
        self._by_id = {p.id: p for p in self.products}
        self._stakeholders_by_id = {s.id: s for s in self.stakeholders}
        self._by_term = {}
        self._by_producer = {}
        for product in self.products:
            for field_name, kind in TERM_FIELDS.items():
                for term_id in product.terms(field_name):
                    self._by_term.setdefault((kind, term_id), []).append(product)
            for producer in product.producers:
                self._by_producer.setdefault(producer, []).append(product)

    def product(self, product_id: str) -> Product:
        return self._by_id[product_id]

    def stakeholder(self, stakeholder_id: str) -> Stakeholder:
        return self._stakeholders_by_id[stakeholder_id]

    def products_with(self, kind: str, term_id: str) -> list[Product]:
        """Products tagged with a vocabulary term, newest first."""
        return self._by_term.get((kind, term_id), [])

    def products_of(self, stakeholder_id: str) -> list[Product]:
        return self._by_producer.get(stakeholder_id, [])

    def producers_of(self, product: Product) -> list[Stakeholder]:
        return [self._stakeholders_by_id[s] for s in product.producers if s in self._stakeholders_by_id]

    def related(self, product: Product, limit: int = 5) -> list[Product]:
        """Other products sharing a matrix category, most shared categories first; among equals, in
        the order met walking the product's categories in turn, each newest first.

        It runs on every product page, so it works on groups of products with the same set of
        categories (at most 2^8) instead of walking every product of each category: linear in the
        catalog for the whole build, not quadratic."""
        if (product.id, limit) not in self._related:
            self._related[(product.id, limit)] = self._find_related(product, limit)
        return list(self._related[(product.id, limit)])

    def _find_related(self, product: Product, limit: int) -> list[Product]:
        if self._category_groups is None:
            groups: dict[frozenset, list[Product]] = {}
            for other in self.products:
                groups.setdefault(frozenset(other.categories), []).append(other)
            self._category_groups = groups
            self._position = {p.id: i for i, p in enumerate(self.products)}
        # The ranking depends on the categories and their order only: products alike share it.
        key = tuple(product.categories)
        if key not in self._ranked:
            first_of = {category: i for i, category in enumerate(product.categories)}
            ranked = []  # (-shared categories, first shared category of `product`, members newest first)
            for categories, members in self._category_groups.items():
                shared = [first_of[c] for c in categories if c in first_of]
                if shared:
                    ranked.append((-len(shared), min(shared), members))
            ranked.sort(key=lambda group: group[:2])
            self._ranked[key] = ranked
        ranked = self._ranked[key]
        result: list[Product] = []
        for _, same_rank in groupby(ranked, key=lambda group: group[:2]):
            for other in merge(*(members for *_, members in same_rank), key=lambda p: self._position[p.id]):
                if other.id != product.id:
                    result.append(other)
                    if len(result) == limit:
                        return result
        return result

    def review(self, product: Product) -> Review:
        """When the product was last checked and whether a check is due (pim/review.py)."""
        if product.id not in self._reviews:
            if self.today is None:
                self.today = build_date()
            self._reviews[product.id] = review_of(product, self.vocabulary, self.today)
        return self._reviews[product.id]

    def review_due(self) -> list[Product]:
        return [p for p in self.products if self.review(p).overdue]

    def latest(self, limit: int = 5) -> list[Product]:
        return self.products[:limit]

    def featured(self) -> list[Product]:
        return [p for p in self.products if p.featured]

    def stakeholders_by_type(self) -> list[tuple[Term, list[Stakeholder]]]:
        """Stakeholder groups in vocabulary order; within each, facilitators first, then by name."""
        groups = []
        for type_id, term in self.vocabulary.stakeholder_types.items():
            members = [s for s in self.stakeholders if s.type == type_id]
            if members:
                members.sort(key=lambda s: (not s.facilitator, s.name.casefold()))
                groups.append((term, members))
        # Facilitators' groups first, so DRC and UNHCR open the page.
        groups.sort(key=lambda group: not any(s.facilitator for s in group[1]))
        return groups

    def facilitators(self) -> Iterable[Stakeholder]:
        return [s for s in self.stakeholders if s.facilitator]
