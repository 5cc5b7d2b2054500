"""`make new TITLE="…"`: a new product file with every field of the product schema in it.

Required fields are filled with values that pass validation (the title, today's date, …);
optional ones are written as YAML comments that say what they take. The field list comes from
the JSON Schema (through pim/fieldref.py), so a field added to the schema shows up here too.
"""

from __future__ import annotations

import datetime
import json
import re
import textwrap
import unicodedata
from pathlib import Path

from .fieldref import FieldRow, field_rows
from .load import PRODUCT_ID, PRODUCTS_DIR, load_stakeholders, load_vocabulary
from .model import Vocabulary
from .schema import load_schema

DEFAULT_PRODUCER = "pim-community"
MAX_ID_LENGTH = 60
WIDTH = 100

# Letters that Unicode does not decompose into a Latin letter plus an accent.
_LATIN_EXTRA = str.maketrans({
    "ß": "ss", "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th", "ı": "i",
    "'": "", "’": "",  # "It's" -> "its", not "it-s"
})

# What a new file holds for each required field; the schema decides which fields are required.
_REQUIRED_VALUES = {
    "summary": "Replace this with one or two plain sentences that say what the product is and who it is for.",
    "type": "guidance",
    "editions[].language": "en",
    "editions[].files[].label": "Full text",
    "editions[].files[].format": "PDF",
}
# Example values for optional fields, shown commented out.
_EXAMPLES = {
    "updated": '"YYYY-MM"',
    "featured": "false",
    "licence": "CC BY 4.0",
    "tags": "[keyword, another-keyword]",
    "aliases": "[/essential/old-address/]",
    "editions[].title": '"The title in this language"',
    "editions[].files[].url": "https://example.org/the-file.pdf",
    "editions[].files[].path": "downloads/the-file.pdf",
    "translations.fr": '{title: "Le titre en français", summary: "Le résumé en français."}',
    "translations.es": '{title: "El título en español", summary: "El resumen en español."}',
    "translations.ar": '{title: "العنوان بالعربية", summary: "الملخص بالعربية."}',
    # Issue 18: review dates and the product's history.
    "reviewed": "YYYY-MM-DD",
    "review_every": "24",
    "changes": '[{date: YYYY-MM-DD, note: "What changed, in one line."}]',
    "changes[].date": "YYYY-MM-DD",
    "changes[].note": '"What changed, in one line."',
    "changes[].translations": '{fr: "Ce qui a changé.", es: "Qué cambió.", ar: "ما الذي تغيّر."}',
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
    text = unicodedata.normalize("NFKD", title.translate(_LATIN_EXTRA))
    text = text.encode("ascii", "ignore").decode("ascii").lower()
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
    """A YAML double-quoted string (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}#   ", break_on_hyphens=False, break_long_words=False)


def _help(row: FieldRow) -> str:
    words = f"{row.leaf} ({row.requirement}): {row.description}"
    if row.kind != "text":
        words += f" Takes {row.kind}."
    if row.allowed:
        values = ", ".join(v.id for v in row.allowed)
        words += f" Allowed values: {values}."
    return words


def _example(row: FieldRow) -> str:
    if row.name in _EXAMPLES:
        return _EXAMPLES[row.name]
    if row.allowed:
        first = row.allowed[0].id
        return f"[{first}]" if row.kind.startswith("a list") else first
    return ""


def _children(rows: list[FieldRow], parent: FieldRow) -> list[FieldRow]:
    prefix = parent.name + "[]."
    return [r for r in rows if r.name.startswith(prefix) and r.depth == parent.depth + 1]


def _is_entry_list(row: FieldRow) -> bool:
    return row.kind.endswith("entries, each with the fields below")


def _value(row: FieldRow, values: dict) -> str:
    if row.name in values:
        return values[row.name]
    if row.name in _REQUIRED_VALUES:
        value = _REQUIRED_VALUES[row.name]
        return _quote(value) if " " in value else value
    raise ScaffoldError(f'the product schema requires "{row.name}", which `make new` cannot fill in yet; '
                        "add a value for it to _REQUIRED_VALUES in pim/scaffold.py")


def _example_entry(rows: list[FieldRow], parent: FieldRow, indent: str) -> list[str]:
    """A commented-out example of one entry of an optional list (a file of an edition)."""
    keys, alternatives = [], []
    for row in _children(rows, parent):
        if row.either and row.leaf != row.either[0]:
            alternatives.append(f"or, instead of {row.either[0]}, {row.leaf}: {_example(row)}")
        elif row.required or row.either:
            keys.append(f"{row.leaf}: {_value(row, {}) if row.required else _example(row)}")
        else:
            keys.append(f"{row.leaf}: {_example(row)}".rstrip())
    lines = [f"{indent}# {parent.leaf}:"]
    lines += [f"{indent}#   {'- ' if i == 0 else '  '}{key}" for i, key in enumerate(keys)]
    lines += [f"{indent}#     ({alternative})" for alternative in alternatives]
    return lines


def _entry(rows: list[FieldRow], parent: FieldRow, indent: str, values: dict) -> list[str]:
    """One entry of a required list (an edition): required fields set, optional ones in comments.
    `indent` is where the entry's '- ' starts."""
    lines, first = [], True
    for row in _children(rows, parent):
        key_indent = indent if first else indent + "  "
        lines += _comment(_help(row), key_indent)
        if row.required:
            lines.append(f"{indent}{'- ' if first else '  '}{row.leaf}: {_value(row, values)}")
            first = False
        elif _is_entry_list(row):  # an optional list of entries (files): empty, with an example
            for child in _children(rows, row):
                lines += _comment(_help(child), indent + "    ")
            lines.append(f"{indent}{'- ' if first else '  '}{row.leaf}: []")
            lines += _comment(f"To add one, replace '{row.leaf}: []' with lines like these, without the '# ':",
                              indent + "  ")
            lines += _example_entry(rows, row, indent + "  ")
            first = False
        else:
            lines.append(f"{indent}  # {row.leaf}: {_example(row)}".rstrip())
    if first:
        raise ScaffoldError(f'"{parent.name}" entries have no required field to start them with')
    return lines


def product_text(title: str, today: datetime.date, producer: str = DEFAULT_PRODUCER,
                 vocabulary: Vocabulary | None = None) -> str:
    """The whole new file: front matter with every schema field, then a short body to replace."""
    rows = field_rows("product", vocabulary)
    values = {"title": _quote(title), "published": f'"{today.isoformat()}"', "producers": f"[{producer}]"}
    lines = ["---"]
    lines += _comment("A new product. Replace each value below. Optional fields are commented out: to use one, "
                      "delete the '# ' in front of its name and fill it in. Field reference: the Contribute page "
                      "(docs/contribute.md). Check your file with: make validate", "")
    for row in rows:
        if row.depth:
            continue
        lines.append("")
        lines += _comment(_help(row), "")
        if _is_entry_list(row) and row.required:
            lines.append(f"{row.leaf}:")
            lines += _entry(rows, row, "  ", values)
        elif row.required:
            lines.append(f"{row.leaf}: {_value(row, values)}")
        else:
            lines.append(f"# {row.leaf}: {_example(row)}".rstrip())
            if _is_entry_list(row):  # an optional list of entries (changes): what each entry takes
                for child in _children(rows, row):
                    lines += _comment(_help(child), "  ")
            for child in (r for r in rows if r.depth == 1 and r.name.startswith(row.name + ".")):
                lines.append(f"#   {child.leaf}: {_example(child)}".rstrip())  # e.g. translations.fr
    lines.append("---")
    return "\n".join(lines) + "\n" + BODY


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
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as file:  # "x": never overwrite
            file.write(text)
    except FileExistsError:
        raise ScaffoldError(
            f"{PRODUCTS_DIR}/{product_id}.md already exists; nothing was written. Edit that file, or choose "
            f"another file name with ID=, e.g. make new TITLE=\"{title}\" ID={product_id}-2") from None
    return path
