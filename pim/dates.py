"""Dates in the reader's language ("2 mars 2025", "٢ مارس ٢٠٢٥"), by Babel's locale data."""

from __future__ import annotations

from functools import lru_cache

from babel.dates import format_date, format_skeleton

from .review import parse_day


@lru_cache(maxsize=4096)
def format_day(text: str, language: str | None = "en") -> str:
    """A data date (YYYY-MM-DD, YYYY-MM or YYYY) written out for readers of `language`."""
    day = parse_day(text)
    locale = language or "en"
    if text.count("-") == 2:
        return format_date(day, format="long", locale=locale)
    if text.count("-") == 1:
        return format_skeleton("yMMMM", day, locale=locale)
    return text
