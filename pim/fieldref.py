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
    "product": {**TERM_FIELDS, "editions[].language": "languages"},
    "stakeholders": {"type": "stakeholder_types"},
}
# Where a field's values point to, in words, when no vocabulary lists them.
REFERENCES = {("product", "producers"): "ids from stakeholders.yml"}


@dataclass(frozen=True)
class AllowedValue:
    id: str
    label: str = ""
    labels: tuple[tuple[str, str], ...] = ()  # the vocabulary's translated labels, (language, label)

    def label_in(self, language: str | None) -> str:
        """The label for readers of `language` (the translated contributor guide), else English."""
        return dict(self.labels).get(language or "", self.label)


@dataclass(frozen=True)
class FieldRow:
    name: str  # e.g. editions[].files[].url
    required: bool
    kind: str  # what it takes, in words: "text, at most 200 characters"
    description: str
    allowed: tuple[AllowedValue, ...] = field(default_factory=tuple)
    depth: int = 0  # 0 for a top-level field, 1 inside editions, 2 inside files
    either: tuple[str, ...] = ()  # the sibling fields of which exactly one is required

    @property
    def requirement(self) -> str:
        if self.either:
            return "one of " + " or ".join(self.either)
        return "required" if self.required else "optional"

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
        words = f"a list (at least {spec['minItems']})" if spec.get("minItems") else "a list"
        if items.get("type") == "object":
            return f"{words} of entries, each with the fields below"
        if "enum" in items:
            return f"{words} of values from the list, e.g. [a, b]"
        return f"{words}; each item: {_kind(items)}"
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
        return tuple(AllowedValue(term.id, term.label, tuple(sorted(term.labels.items()))) for term in vocabulary.terms(kind).values())
    enum = spec.get("enum") or spec.get("items", {}).get("enum")
    return tuple(AllowedValue(str(value)) for value in enum or ())


def _walk(schema_name: str, spec: dict, prefix: str, depth: int, vocabulary: Vocabulary | None) -> list[FieldRow]:
    rows = []
    required = set(spec.get("required", ()))
    either = tuple(name for option in spec.get("oneOf", ()) for name in option.get("required", ()))
    for key, child in spec.get("properties", {}).items():
        name = f"{prefix}{key}"
        description = child.get("description", "")
        reference = REFERENCES.get((schema_name, name))
        if reference and reference not in description:
            description = f"{description} ({reference})".strip()
        alternatives = [r for option in child.get("items", {}).get("oneOf", ()) for r in option.get("required", ())]
        if alternatives:
            description += f" Each entry needs exactly one of: {', '.join(alternatives)}."
        rows.append(FieldRow(name, key in required, _kind(child), description.strip(),
                             _allowed(schema_name, name, child, vocabulary), depth,
                             either if key in either else ()))
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
