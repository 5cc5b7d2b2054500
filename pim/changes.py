"""What changed across the catalog: additions (a product's `published` date) and the entries of
each product's `changes:` list, newest first, for the /changes/ page, the Atom feed and the
offline edition's home."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from .model import Catalog, Change, Product

PAGE_LIMIT = 300  # events on /changes/; older additions are on the product list


@dataclass(frozen=True)
class Event:
    date: str  # YYYY, YYYY-MM or YYYY-MM-DD
    product: Product
    change: Change | None = None  # None: the product was added (published)
    index: int = 0  # the change's place in the product's file, for a stable anchor

    @property
    def added(self) -> bool:
        return self.change is None

    @property
    def anchor(self) -> str:
        return f"{self.product.id}-{'added' if self.added else f'{self.date}-{self.index}'}"

    def note_in(self, language: str | None) -> str:
        return self.change.note_in(language) if self.change else ""


def events(catalog: Catalog) -> list[Event]:
    """Every addition and change, newest first; on one date, changes before additions, then by title."""
    found = []
    for product in catalog.products:
        if product.published != "unknown":
            found.append(Event(product.published, product))
        for index, change in enumerate(product.changes):
            found.append(Event(change.date, product, change, index))
    # "2016-09" sorts after "2016" when reversed: a date known to the month is newer than the year's start.
    found.sort(key=lambda e: (e.date, not e.added, e.product.title.casefold()), reverse=True)
    return found


def period(date: str) -> str:
    """The month of a date (YYYY-MM), or its year when no month is known: /changes/ groups by it."""
    return date[:7]


@dataclass(frozen=True)
class Period:
    key: str  # YYYY-MM or YYYY
    events: list[Event]

    @property
    def anchor(self) -> str:
        return f"since-{self.key}"

    @property
    def additions(self) -> int:
        return sum(1 for e in self.events if e.added)

    @property
    def changes(self) -> int:
        return len(self.events) - self.additions


def periods(catalog: Catalog, limit: int = PAGE_LIMIT) -> list[Period]:
    """The newest `limit` events grouped by month (or year), newest first."""
    shown = events(catalog)[:limit]
    return [Period(key, list(group)) for key, group in groupby(shown, key=lambda e: period(e.date))]


@dataclass(frozen=True)
class Since:
    """What changed since the start of an earlier period listed on /changes/."""

    period: Period
    additions: int
    changes: int


def since_each(catalog: Catalog, limit: int = 12) -> list[Since]:
    """For the offline edition's home: for each of the latest `limit` periods on /changes/, how
    many additions and changes there were from its start up to this edition."""
    result, additions, changes = [], 0, 0
    for group in periods(catalog)[:limit]:
        additions += group.additions
        changes += group.changes
        result.append(Since(group, additions, changes))
    return result
