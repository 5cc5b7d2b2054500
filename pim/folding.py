"""Folding text: case, Latin accents and ligatures, Arabic hamza forms, ta marbuta, alef maqsura,
tashkeel and tatweel, so that a word typed plainly matches its proper spelling.

The table is pim/folding.json, the one definition for the site: search and the listing's filter
apply it in JavaScript (overrides/assets/javascripts/pim-search/fold.js), product ids here
(pim/scaffold.py). A data table rather than code shared between languages, because Python has
to apply it too (`make new`), and the listing inlines it, so it works from file:// with no
extra request; tests/test_folding.py runs one table of cases through all of them."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

TABLE: dict = json.loads((Path(__file__).with_name("folding.json")).read_text(encoding="utf-8"))
_LETTERS = str.maketrans(TABLE["letters"])
_MARKS = re.compile(f"[{TABLE['marks']}]")


def fold(text: str) -> str:
    """'Évaluation' -> 'evaluation', 'إدارة' -> 'اداره', 'الحِمَايَة' -> 'الحمايه'."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKC", text).lower().translate(_LETTERS)
    return unicodedata.normalize("NFC", _MARKS.sub("", unicodedata.normalize("NFD", text)))
