"""Dates: the build's day, data dates (YYYY, YYYY-MM, YYYY-MM-DD) read and moved by months, and
written out in the reader's language ("2 mars 2025", "٢ مارس ٢٠٢٥") by Babel's locale data."""

from __future__ import annotations

import calendar
import os
from datetime import date, datetime, timezone
from functools import lru_cache


def build_date() -> date:
    """Today, or the day of SOURCE_DATE_EPOCH when set, so that two builds of one commit agree."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).date()
    return datetime.now(timezone.utc).date()


def parse_day(text: str) -> date:
    """YYYY, YYYY-MM or YYYY-MM-DD as a date (the first day of a month or year). Raises ValueError."""
    parts = [int(part) for part in text.split("-")]
    return date(*(parts + [1, 1])[:3])


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)
def format_day(text: str, language: str | None = "en") -> str:
    """A data date (YYYY-MM-DD, YYYY-MM or YYYY) written out for readers of `language`."""
    from babel.dates import format_date, format_skeleton  # here: the model needs no locale data

    day = parse_day(text)
    locale = language or "en"
    if text.count("-") == 2:
        return format_date(day, format="long", locale=locale)
    if text.count("-") == 1:
        return format_skeleton("yMMMM", day, locale=locale)
    return text
