"""The field reference for contributors, read from the JSON Schemas and the vocabularies.

One row per field, nested fields included (editions[].files[].url), so the contributor guide
is generated from the same files the checks use and can never say something else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .model import TERM_FIELDS, Vocabulary
from .schema import load_schema

# Fields whose allowed values come from a vocabulary, by schema name and field path.
VOCABULARY_FIELDS = {
    "product": {**{name: kind for name, kind in TERM_FIELDS.items()}, "editions[].language": "languages"},
    "stakeholders": {"type": "stakeholder_types"},
}
# Where a field's values point to, in words, when no vocabulary lists them.
REFERENCES = {("product", "producers"): "ids from stakeholders.yml"}


@dataclass(frozen=True)
class AllowedValue:
    id: str
    label: str = ""


@dataclass(frozen=True)
class FieldRow:
    name: str  # e.g. editions[].files[].url
    required: bool
    kind: str  # what it takes, in words: "text, at most 200 characters"
    description: str
    allowed: tuple[AllowedValue, ...] = field(default_factory=tuple)
    depth: int = 0  # 0 for a top-level field, 1 inside editions, 2 inside files

    @property
    def leaf(self) -> str:
        """The name as written in the file: `url` for editions[].files[].url."""
        return self.name.rsplit(".", 1)[-1]


def _kind(spec: dict) -> str:
    """What a field takes, in plain words."""
    if "enum" in spec:
        return "one value from the list"
    kind = spec.get("type")
    if kind == "boolean":
        return "true or false"
    if kind == "array":
        items = spec.get("items", {})
        if items.get("type") == "object":
            words = "a list of entries, each with the fields below"
        elif "enum" in items:
            words = "a list of values from the list, e.g. [a, b]"
        else:
            words = f"a list of {_kind(items)}"
        if spec.get("minItems"):
            words += f"; at least {spec['minItems']}"
        return words
    if kind == "string":
        if "x-hint" in spec:
            return spec["x-hint"]
        if "maxLength" in spec:
            return f"text, at most {spec['maxLength']} characters"
        return "text"
    if kind == "object":
        return "fields, listed below"
    return kind or "any value"


def _allowed(schema_name: str, name: str, spec: dict, vocabulary: Vocabulary | None) -> tuple[AllowedValue, ...]:
    kind = VOCABULARY_FIELDS.get(schema_name, {}).get(name)
    if kind and vocabulary is not None:
        return tuple(AllowedValue(term.id, term.label) for term in vocabulary.terms(kind).values())
    enum = spec.get("enum") or spec.get("items", {}).get("enum")
    return tuple(AllowedValue(str(value)) for value in enum or ())


def _walk(schema_name: str, spec: dict, prefix: str, depth: int, vocabulary: Vocabulary | None) -> list[FieldRow]:
    rows = []
    required = set(spec.get("required", ()))
    for key, child in spec.get("properties", {}).items():
        name = f"{prefix}{key}"
        description = child.get("description", "")
        reference = REFERENCES.get((schema_name, name))
        if reference and reference not in description:
            description = f"{description} ({reference})".strip()
        if child.get("type") == "array" and "url" in child.get("items", {}).get("properties", {}) \
                and "path" in child["items"]["properties"]:
            description += " Each entry needs exactly one of url or path."
        rows.append(FieldRow(name, key in required, _kind(child), description.strip(),
                             _allowed(schema_name, name, child, vocabulary), depth))
        items = child.get("items", {})
        if child.get("type") == "array" and items.get("type") == "object":
            rows += _walk(schema_name, items, f"{name}[].", depth + 1, vocabulary)
        elif child.get("type") == "object":
            rows += _walk(schema_name, child, f"{name}.", depth + 1, vocabulary)
    return rows


def field_rows(schema_name: str, vocabulary: Vocabulary | None = None) -> list[FieldRow]:
    """Every field of a schema ("product" or "stakeholders"), parents before their children."""
    schema = load_schema(schema_name)
    if schema.get("type") == "array":  # stakeholders.yml: a list of entries
        schema = schema["items"]
    return _walk(schema_name, schema, "", 0, vocabulary)


def reference(vocabulary: Vocabulary | None = None) -> dict[str, list[FieldRow]]:
    """The whole reference, as templates loop over it."""
    return {"product": field_rows("product", vocabulary), "stakeholders": field_rows("stakeholders", vocabulary)}
