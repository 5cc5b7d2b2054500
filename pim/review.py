"""Review dates: when a product was last checked to be current, and whether a check is due.

A product's `reviewed: YYYY-MM-DD` says when a maintainer last checked it; `review_every` (months)
says how often it should be, by default its product type's interval from vocabularies.yml. A
product never reviewed counts from its last known date (`updated`, else `published`): a document
is due for a check that long after it was written. "Today" is the build date, or the date of
SOURCE_DATE_EPOCH when set, so that two builds of one commit give the same pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .dates import add_months, parse_day

if TYPE_CHECKING:  # types only: the model calls this module (Catalog.review), not the other way
    from .model import Product, Vocabulary

DEFAULT_EVERY = 24  # months, when vocabularies.yml gives no interval at all


def interval(product: Product, vocabulary: Vocabulary) -> int:
    if product.review_every:
        return product.review_every
    table = vocabulary.review_every
    return table.get(product.type) or table.get("default") or DEFAULT_EVERY


@dataclass(frozen=True)
class Review:
    reviewed: str | None  # the product's `reviewed`, if any
    every: int  # months
    since_field: str | None  # the field the interval counts from: reviewed, updated or published
    since: str | None  # its value
    due: date | None  # when the next check is due; None when no date is known at all
    overdue: bool

    @property
    def reason(self) -> str:
        """One line for maintainers, e.g. 'reviewed 2023-01-05; due 2025-01-05 (every 24 months)'."""
        every = f"every {self.every} month{'s' if self.every != 1 else ''}"
        if self.due is None:
            return f"never reviewed and no date known; review it and add reviewed: YYYY-MM-DD ({every})"
        if self.since_field == "reviewed":
            return f"reviewed {self.since}; due {self.due.isoformat()} ({every})"
        return f"never reviewed; {self.since_field} {self.since}; due {self.due.isoformat()} ({every})"


def review_of(product: Product, vocabulary: Vocabulary, today: date) -> Review:
    every = interval(product, vocabulary)
    for name in ("reviewed", "updated", "published"):
        value = getattr(product, name)
        if value and value != "unknown":
            due = add_months(parse_day(value), every)
            return Review(product.reviewed, every, name, value, due, due <= today)
    return Review(None, every, None, None, None, True)
