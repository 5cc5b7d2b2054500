"""What a change to the data touches: which product pages and term pages show something that
changed. `make serve` rewrites those and keeps the rest (hooks/rebuild.py); the rule here is
the whole of what it knows about the pages, so it errs towards rewriting.

A product page shows its own product, its producers (stakeholders), and up to five related
products (Catalog.related), each by its entry: title, type and year, not its producers. A term
page (a matrix category, principle or process step) lists the products tagged with it, by card or
entry: not their producers either. A product's body (its description) is shown on
its own page only. Vocabularies, the interface text and anything else change every page: the
caller rebuilds everything for those."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from .model import DATA_LANGUAGE, TAXONOMY_PATHS, TERM_FIELDS, TRANSLATION_LANGUAGES, Catalog, Product


@dataclass
class Touched:
    products: set[str] = field(default_factory=set)  # product ids whose data shown elsewhere changed
    edited: set[str] = field(default_factory=set)  # of those, the ones whose own data changed (or new): not only a producer's
    removed: set[str] = field(default_factory=set)  # product ids no longer in the catalog
    added: set[str] = field(default_factory=set)  # product ids new to the catalog
    product_pages: set[str] = field(default_factory=set)  # product pages to write again
    term_pages: set[tuple[str, str]] = field(default_factory=set)  # (vocabulary kind, term id)
    aliases_changed: bool = False  # an old address was added or removed: redirects change
    stakeholders: set[str] = field(default_factory=set)  # stakeholder ids added, removed or changed
    counts_changed: bool = False  # how many products some vocabulary term has (the figures)

    @property
    def anything(self) -> bool:
        return bool(self.products or self.removed or self.product_pages or self.term_pages or self.stakeholders)

    @property
    def products_changed(self) -> bool:
        """Has a product's own data changed (not only its description, or a producer's), or has a
        product come or gone? Pages that show products, not stakeholders, change then."""
        return bool(self.edited or self.removed)

    @property
    def shown_elsewhere(self) -> bool:
        """Has something changed that pages other than product and term pages may show (the
        listing, the home page, stakeholders, changes)? Not for a description alone."""
        return bool(self.products or self.removed or self.stakeholders)


def _entry(product: Product) -> tuple:
    """What a list of related products shows of one (partials/product-entry.html): its title in
    each language, the language of that title, its type and year."""
    return (product.type, product.year, tuple((product.title_in(language), product.title_language(language))
                                              for language in (DATA_LANGUAGE, *TRANSLATION_LANGUAGES)))


def _related_ids(catalog: Catalog, product: Product) -> list[str]:
    return [other.id for other in catalog.related(product)]


def _terms(product: Product) -> set[tuple[str, str]]:
    return {(kind, term_id) for field_name, kind in TERM_FIELDS.items() if kind in TAXONOMY_PATHS
            for term_id in product.terms(field_name)}


def _counts(catalog: Catalog) -> Counter:
    """How many products each vocabulary term has, of every kind a product is tagged with."""
    return Counter((kind, term_id) for product in catalog.products
                   for field_name, kind in TERM_FIELDS.items() for term_id in product.terms(field_name))


def touched(old: Catalog, new: Catalog) -> Touched:
    """The pages that differ between a site built from `old` and one built from `new`."""
    result = Touched()
    old_stakeholders = {s.id: s for s in old.stakeholders}
    new_stakeholders = {s.id: s for s in new.stakeholders}
    stakeholders = {sid for sid in old_stakeholders.keys() | new_stakeholders.keys()
                    if old_stakeholders.get(sid) != new_stakeholders.get(sid)}
    result.stakeholders = stakeholders
    old_ids, new_ids = {p.id for p in old.products}, {p.id for p in new.products}
    result.removed, result.added = old_ids - new_ids, new_ids - old_ids
    edited = result.edited  # products whose own data changed, or new
    for product in new.products:
        before = old.product(product.id) if product.id in old_ids else None
        producers = set(product.producers) | set(before.producers if before else ())
        if before is not None and before != product and replace(before, body=product.body) == product:
            result.product_pages.add(product.id)  # its description alone: its own page
        elif before != product or stakeholders & producers:
            result.products.add(product.id)
            if before != product:
                edited.add(product.id)
            if before is None or before.aliases != product.aliases:
                result.aliases_changed = result.aliases_changed or bool(product.aliases or (before and before.aliases))
    for product_id in result.removed:
        result.aliases_changed = result.aliases_changed or bool(old.product(product_id).aliases)
    shown = result.products | result.removed
    # Term pages show a product's card or entry, not its producers: those of products edited.
    listed = edited | result.removed
    # Related lists show a product's entry only (not its producers): those whose entry changed.
    entries = {pid for pid in result.products if pid not in old_ids or _entry(old.product(pid)) != _entry(new.product(pid))}
    for product in new.products:
        related = _related_ids(new, product)
        if (product.id in result.products or entries.intersection(related)
                or product.id not in old_ids or related != _related_ids(old, old.product(product.id))):
            result.product_pages.add(product.id)
    for product_id in listed:
        for catalog, ids in ((old, old_ids), (new, new_ids)):
            if product_id in ids:
                result.term_pages |= _terms(catalog.product(product_id))
    result.counts_changed = bool(shown) and _counts(old) != _counts(new)
    return result
