"""`make new TITLE="…"`: a new product file with every field of the product schema in it.

Required fields are filled with values that pass validation (the title, today's date, …);
optional ones are written as YAML comments that say what they take. The field list comes from
the JSON Schema (through pim/fieldref.py), so a field added to the schema shows up here too.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from pathlib import Path

from .atomicfile import write_atomically
from .folding import fold
from .load import PRODUCT_ID, PRODUCTS_DIR, load_stakeholders, load_vocabulary
from .model import Vocabulary
from .productfile import file_plan, quote, render
from .schema import load_schema

DEFAULT_PRODUCER = "pim-community"
MAX_ID_LENGTH = 60

# Apostrophes go, so that "It's" gives "its", not "it-s"; everything else is folded as search
# folds it (pim/folding.py), then what is not ASCII goes.
_APOSTROPHES = str.maketrans({"'": "", "’": ""})

# What a new file holds for each required field; the schema decides which fields are required.
_REQUIRED_VALUES = {
    "summary": "Replace this with one or two plain sentences that say what the product is and who it is for.",
    "type": "guidance",
    "editions[].language": "en",
    "editions[].files[].label": "Full text",
    "editions[].files[].format": "PDF",
}
BODY = """
Describe the product here in a few short paragraphs, in plain words: what it is, where it comes
from, and what it helps people do.

## Who it is for

Say who the product is meant for, for example protection or information management officers.
"""


class ScaffoldError(Exception):
    """A mistake in what was asked (no title, a file that exists); the message says what to do."""


def slugify(title: str) -> str:
    """'Évaluation des besoins' -> 'evaluation-des-besoins': lowercase ASCII words joined by dashes."""
    text = unicodedata.normalize("NFKD", fold(title).translate(_APOSTROPHES))
    text = text.encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(slug) > MAX_ID_LENGTH:
        slug = slug[:MAX_ID_LENGTH].rsplit("-", 1)[0]
    return slug


def _mostly_latin(title: str) -> bool:
    """False for a title written mostly in another script (Arabic, …): its slug would say little."""
    letters = [c for c in title if c.isalpha()]
    latin = [c for c in letters if slugify(c)]
    return bool(letters) and len(latin) * 2 >= len(letters)


def product_id_for(title: str, explicit_id: str | None = None) -> str:
    if explicit_id:
        if not PRODUCT_ID.match(explicit_id):
            suggestion = slugify(explicit_id) or "my-product"
            raise ScaffoldError(
                f'ID "{explicit_id}" is not a valid product id: use lowercase letters, digits and dashes, '
                f'e.g. ID={suggestion}')
        return explicit_id
    slug = slugify(title)
    if not slug or not _mostly_latin(title):
        raise ScaffoldError(
            "The title is not written in Latin letters, so no file name can be made from it. "
            f'Give one with ID=, in lowercase English words joined by dashes: make new TITLE="{title}" ID=my-product')
    return slug


def _quote(text: str) -> str:
    return quote(text)


def product_values(title: str, today: datetime.date, producer: str = DEFAULT_PRODUCER) -> dict:
    """What a new file holds: the title, today's date, a producer, and stand-ins for the other
    required fields (the schema decides which are required)."""
    values = {"title": title, "published": today.isoformat(), "producers": [producer]}
    plan = file_plan()
    for field in plan["fields"]:
        if field["required"] and field["key"] not in values:
            if field["kind"] == "entries":
                entry = {c["key"]: _required_value(c) for c in field["fields"] if c["required"]}
                values[field["key"]] = [entry]
            else:
                values[field["key"]] = _required_value(field)
    return values


def _required_value(field: dict):
    if field["path"] in _REQUIRED_VALUES:
        return _REQUIRED_VALUES[field["path"]]
    raise ScaffoldError(f'the product schema requires "{field["path"]}", which `make new` cannot fill in yet; '
                        "add a value for it to _REQUIRED_VALUES in pim/scaffold.py")


def new_file_plan(vocabulary: Vocabulary | None = None) -> dict:
    """The plan of a new product file (pim/productfile.py), which the proposal form uses too."""
    defaults = {k: _quote(v) if " " in v else v for k, v in _REQUIRED_VALUES.items()}
    return file_plan(vocabulary, defaults)


def product_text(title: str, today: datetime.date, producer: str = DEFAULT_PRODUCER,
                 vocabulary: Vocabulary | None = None) -> str:
    """The whole new file: front matter with every schema field, then a short body to replace."""
    return render(new_file_plan(vocabulary), product_values(title, today, producer), BODY)


def _producer(root: Path) -> str:
    stakeholders, _ = load_stakeholders(root, [])
    ids = [s.id for s in stakeholders]
    return DEFAULT_PRODUCER if DEFAULT_PRODUCER in ids or not ids else ids[0]


def create_product(root: Path, title: str | None, product_id: str | None = None,
                   today: datetime.date | None = None) -> Path:
    """Write products/<id>.md and return its path. Raises ScaffoldError with a plain message."""
    title = (title or "").strip()
    if not title:
        raise ScaffoldError('Give the product\'s title: make new TITLE="Safe referral checklist" '
                            "(optionally with ID=safe-referral-checklist for the file name).")
    if any(unicodedata.category(c)[0] == "C" or unicodedata.category(c) in ("Zl", "Zp") for c in title):
        raise ScaffoldError("The title must be one line of text, without tabs or control characters.")
    limit = load_schema("product")["properties"]["title"].get("maxLength", len(title))
    if len(title) > limit:
        raise ScaffoldError(f"The title is {len(title)} characters long; at most {limit} are allowed.")
    product_id = product_id_for(title, (product_id or "").strip() or None)
    folder = Path(root) / PRODUCTS_DIR
    if not folder.is_dir():
        raise ScaffoldError(f"There is no {PRODUCTS_DIR}/ folder in {Path(root).resolve()}; run this in the repository.")
    path = folder / f"{product_id}.md"
    vocabulary = load_vocabulary(Path(root), [])
    text = product_text(title, today or datetime.date.today(), _producer(Path(root)), vocabulary)
    try:  # whole or not at all, and never over an existing file
        write_atomically(path, text.encode("utf-8"), new=True)
    except FileExistsError:
        raise ScaffoldError(
            f"{PRODUCTS_DIR}/{product_id}.md already exists; nothing was written. Edit that file, or choose "
            f"another file name with ID=, e.g. make new TITLE=\"{title}\" ID={product_id}-2") from None
    return path
