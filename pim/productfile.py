"""The text of a product file, as `make new` writes it and as the proposal form builds it.

`file_plan()` walks the product schema once into a JSON-able list of fields: what each takes
(for the form and its checks) and how it is written (its help comment, what stands in when it is
empty). `render()` turns a plan and values into the file. assets/javascripts/propose.js has the
same `render` over the same plan, embedded in the page, so the browser writes byte for byte what
Python writes (tests/test_propose.py compares them).
"""

from __future__ import annotations

import json
import re
import textwrap

from .fieldref import REFERENCES, VOCABULARY_FIELDS, FieldRow, field_rows
from .model import Vocabulary
from .schema import load_schema

WIDTH = 100
HEADER = ("A new product. Replace each value below. Optional fields are commented out: to use one, "
          "delete the '# ' in front of its name and fill it in. Field reference: the Contribute page "
          "(docs/contribute.md). Check your file with: make validate")

# Example values for optional fields, shown commented out.
EXAMPLES = {
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
    # Review dates and the product's history.
    "reviewed": "YYYY-MM-DD",
    "review_every": "24",
    "changes": '[{date: YYYY-MM-DD, note: "What changed, in one line."}]',
    "changes[].date": "YYYY-MM-DD",
    "changes[].note": '"What changed, in one line."',
    "changes[].translations": '{fr: "Ce qui a changé.", es: "Qué cambió.", ar: "ما الذي تغيّر."}',
}

# Characters a YAML reader would fold, refuse or drop inside a double-quoted string, written as
# escapes: C1 controls and DEL, the Unicode line and paragraph separators, BOM, non-characters,
# lone surrogates. JSON already escapes C0 controls, quotes and backslashes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# Words a YAML 1.1 reader turns into booleans or null when they are not quoted.
_YAML_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null"}
_PLAIN = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")


def quote(text: str) -> str:
    """A YAML double-quoted string that reads back as exactly `text` (JSON strings are valid YAML)."""
    return _YAML_UNSAFE.sub(lambda m: "\\u%04x" % ord(m.group()), json.dumps(text, ensure_ascii=False))


def scalar(text: str, plain: bool) -> str:
    """Ids and words from a pattern or a list stay bare (`type: tool`); any other text is quoted."""
    if plain and _PLAIN.match(text) and text not in _YAML_WORDS:
        return text
    return quote(text)


def comment(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, WIDTH - len(indent) - 2, initial_indent=f"{indent}# ",
                         subsequent_indent=f"{indent}#   ", break_on_hyphens=False, break_long_words=False)


def _help(row: FieldRow) -> str:
    words = f"{row.leaf} ({row.requirement}): {row.description}"
    # An object's fields are not listed below it in the file (the examples show them).
    if row.kind not in ("text", "fields, listed below"):
        words += f" Takes {row.kind}."
    if row.allowed:
        words += f" Allowed values: {', '.join(v.id for v in row.allowed)}."
    return words


def _example(row: FieldRow) -> str:
    if row.name in EXAMPLES:
        return EXAMPLES[row.name]
    if row.allowed:
        first = row.allowed[0].id
        return f"[{first}]" if row.kind.startswith("a list") else first
    return ""


def _resolve(schema: dict, spec: dict) -> dict:
    """A field's schema with its $ref (into $defs) followed; the field's own keys win."""
    if "$ref" not in spec:
        return spec
    target = schema["$defs"][spec["$ref"].rsplit("/", 1)[-1]]
    return {**target, **{k: v for k, v in spec.items() if k != "$ref"}}


def _kind(path: str, spec: dict) -> str:
    items = spec.get("items", {})
    if "enum" in spec:
        return "choice"
    kind = spec.get("type")
    if kind == "array":
        if items.get("type") == "object":
            return "entries"
        if ("product", path) in REFERENCES:  # producers: ids from stakeholders.yml
            return "producers"
        return "choices" if "enum" in items else "list"
    if kind == "object":
        return "object"
    if kind == "boolean":
        return "bool"
    if kind in ("integer", "number"):
        return kind
    return "text"


def _walk(schema: dict, spec: dict, prefix: str, depth: int, rows: dict[str, FieldRow],
          vocabulary: Vocabulary | None) -> list[dict]:
    fields = []
    required = set(spec.get("required", ()))
    either = [name for option in spec.get("oneOf", ()) for name in option.get("required", ())]
    for key, child in spec.get("properties", {}).items():
        child = _resolve(schema, child)
        path = f"{prefix}{key}"
        items = _resolve(schema, child.get("items", {}))
        kind = _kind(path, child)
        rule = items if kind in ("list", "producers", "choices") else child
        field = {
            "key": key, "path": path, "kind": kind, "depth": depth,
            "required": key in required, "either": either if key in either else [],
            "description": child.get("description", ""),
            "plain": "pattern" in rule or "enum" in rule,
        }
        for name, schema_key in (("min", "minLength"), ("max", "maxLength"), ("pattern", "pattern"),
                                 ("hint", "x-hint"), ("minItems", "minItems"), ("minProperties", "minProperties"),
                                 ("minimum", "minimum"), ("maximum", "maximum")):
            value = rule.get(schema_key) if schema_key not in ("minItems", "minProperties") else child.get(schema_key)
            if value is not None:
                field[name] = value
        vocabulary_kind = VOCABULARY_FIELDS["product"].get(path)
        enum = rule.get("enum")
        if vocabulary_kind and vocabulary is not None:
            field["vocabulary"] = vocabulary_kind
            field["options"] = [{"id": t.id, "label": t.label} for t in vocabulary.terms(vocabulary_kind).values()]
        elif enum:
            field["options"] = [{"id": str(v), "label": str(v)} for v in enum]
        if kind == "entries":
            field["fields"] = _walk(schema, items, f"{path}[].", depth + 1, rows, vocabulary)
        elif kind == "object":
            field["fields"] = _walk(schema, child, f"{path}.", depth + 1, rows, vocabulary)
        row = rows.get(path)
        field["comment"], field["empty"] = [], []
        field["example"] = _example(row) if row else ""
        field["row"] = row
        fields.append(field)
    return fields


def _layout(fields: list[dict], indent: str) -> None:
    """Fill in each field's help comment and what stands in for it when empty, as `make new` lays
    them out: top-level fields at the margin; inside a list entry (an edition, `indent` where its
    '- ' starts) the first field after the '- ', the others two columns further; the fields of a
    nested list (files) in that list's comment."""
    first = True
    for field in fields:
        row = field.pop("row")
        children = field.get("fields", ())
        if row is None:  # inside a $ref'd object (translations.fr.title) or a nested list: no own comment
            _drop_rows(children)
            continue
        if not field["depth"]:
            field["comment"] = comment(_help(row), "")
            if not field["required"]:
                field["empty"] = []
                if field["kind"] == "entries":  # an optional list of entries (changes): what each takes
                    for child in children:
                        field["empty"] += comment(_help(child["row"]), "  ")
                field["empty"] += [f"# {field['key']}: {field['example']}".rstrip()]
                if field["kind"] == "object":  # translations: one commented line per language
                    field["empty"] += [f"#   {c['key']}: {c['example']}".rstrip() for c in children]
            if field["kind"] == "entries":
                _layout(children, "  ")
            else:
                _drop_rows(children)
            continue
        key_indent = indent if first else indent + "  "
        field["comment"] = comment(_help(row), key_indent)
        if field["kind"] == "entries":
            for child in children:
                field["comment"] += comment(_help(child["row"]), indent + "    ")
            field["empty"] = ([f"{indent}{'- ' if first else '  '}{field['key']}: []"]
                              + comment(f"To add one, replace '{field['key']}: []' with lines like these, without the '# ':",
                                        indent + "  ")
                              + _example_entry(field, row, indent + "  "))
            _drop_rows(children)
            first = False
        elif field["required"]:
            first = False
            _drop_rows(children)
        else:
            field["empty"] = [f"{indent}  # {field['key']}: {field['example']}".rstrip()]
            _drop_rows(children)


def _drop_rows(fields: list[dict]) -> None:
    for field in fields:
        field.pop("row", None)
        _drop_rows(field.get("fields", ()))


def _example_entry(field: dict, row: FieldRow, indent: str) -> list[str]:
    """A commented-out example of one entry of an optional list (a file of an edition)."""
    keys, alternatives = [], []
    for child in field["fields"]:
        if child["either"] and child["key"] != child["either"][0]:
            alternatives.append(f"or, instead of {child['either'][0]}, {child['key']}: {child['example']}")
        elif child["required"]:
            keys.append(f"{child['key']}: {child.get('default', child['example'])}")
        elif child["example"]:  # an optional field with nothing to show (sha256) stays in the help above
            keys.append(f"{child['key']}: {child['example']}")
    lines = [f"{indent}# {row.leaf}:"]
    lines += [f"{indent}#   {'- ' if i == 0 else '  '}{key}" for i, key in enumerate(keys)]
    lines += [f"{indent}#     ({alternative})" for alternative in alternatives]
    return lines


def file_plan(vocabulary: Vocabulary | None = None, defaults: dict[str, str] | None = None) -> dict:
    """Every field of the product schema in file order, with how it is checked and written.
    `defaults`: the value of required fields inside entries, for the commented examples."""
    schema = load_schema("product")
    rows = {row.name: row for row in field_rows("product", vocabulary)}
    fields = _walk(schema, schema, "", 0, rows, vocabulary)

    def mark(fields):
        for f in fields:
            if defaults and f["path"] in defaults:
                f["default"] = defaults[f["path"]]
            mark(f.get("fields", ()))
    mark(fields)
    _layout(fields, "")
    return {"header": comment(HEADER, ""), "fields": fields}


def _empty(value) -> bool:
    if value is None or value == "" or value == [] or value == {}:
        return True
    if isinstance(value, dict):
        return all(_empty(v) for v in value.values())
    return False


def _flow(field: dict, value) -> str:
    """A value on one line: a scalar, a list [a, b], or a mapping {k: v}."""
    kind = field["kind"]
    if kind == "bool":
        return "true" if value else "false"
    if kind in ("integer", "number"):  # bare, so that YAML reads a number
        return str(value)
    if kind in ("choices", "producers", "list"):
        return "[" + ", ".join(scalar(v, field["plain"]) for v in value) + "]"
    if kind == "object":
        parts = [f"{c['key']}: {_flow(c, value[c['key']])}" for c in field["fields"] if not _empty(value.get(c["key"]))]
        return "{" + ", ".join(parts) + "}"
    return scalar(value, field["plain"])


def _lines(field: dict, value, indent: str, lead: str) -> list[str]:
    """A field with a value: `lead` goes before the key (the '- ' of an entry's first field)."""
    key = f"{indent}{lead}{field['key']}:"
    if field["kind"] == "entries":
        lines = [key]
        for number, entry in enumerate(value):
            lines += _entry(field["fields"], entry, indent + len(lead) * " " + "  ", number == 0)
        return lines
    if field["kind"] == "object" and any(c["kind"] == "object" for c in field["fields"]):
        lines = [key]
        for child in field["fields"]:
            if not _empty(value.get(child["key"])):
                lines += _lines(child, value[child["key"]], indent + len(lead) * " " + "  ", "")
        return lines
    return [f"{key} {_flow(field, value)}"]


def _entry(fields: list[dict], values: dict, indent: str, helped: bool = True) -> list[str]:
    """One list entry: each field's comment (above the list's first entry only: once is enough,
    and the file must stay short enough to reach GitHub in an address), then its value or what
    stands in for it."""
    lines, first = [], True
    for field in fields:
        if helped:
            lines += field["comment"]
        value = values.get(field["key"])
        if field["kind"] == "entries" and not value and field["empty"]:
            lines += field["empty"]
        elif _empty(value):
            lines += field["empty"]
        else:
            lines += _lines(field, value, indent, "- " if first else "  ")
            first = False
    return lines


def render(plan: dict, values: dict, body: str) -> str:
    """The product file: front matter in schema order, each field with its help, then the body."""
    lines = ["---", *plan["header"]]
    for field in plan["fields"]:
        lines.append("")
        lines += field["comment"]
        value = values.get(field["key"])
        lines += field["empty"] if _empty(value) else _lines(field, value, "", "")
    lines.append("---")
    return "\n".join(lines) + "\n" + body
