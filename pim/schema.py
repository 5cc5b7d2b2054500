"""JSON Schema checks (draft 2020-12), with each error turned into a plain-words Problem."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import jsonschema_rs

from .problems import Problem, field_name, one_of, suggest
from .yamlfile import Document

if TYPE_CHECKING:  # jsonschema is imported only to explain an invalid document (validator())
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

SCHEMA_DIR = Path(__file__).parent / "schemas"

_TYPE_WORDS = {
    "string": "text",
    "array": "a list (one item per line starting with '- ', or [a, b])",
    "object": "a set of 'key: value' fields",
    "boolean": "true or false",
    "integer": "a whole number",
}


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def validator(name: str) -> Draft202012Validator:
    # Imported here: it costs every build about 45 ms, and a valid catalog never needs it.
    from jsonschema import Draft202012Validator

    schema = load_schema(name)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=None)
def quick_validator(name: str) -> jsonschema_rs.Draft202012Validator:
    """The same schema, compiled by jsonschema-rs: it tells whether a document is valid about
    50 times faster than jsonschema, which then explains what is wrong in the rare one that is
    not. Both follow JSON Schema 2020-12; a test runs both over valid and broken documents."""
    return jsonschema_rs.Draft202012Validator(load_schema(name))


def is_valid(name: str, data) -> bool:
    try:
        return quick_validator(name).is_valid(data)
    except (TypeError, ValueError):  # a value JSON has no type for: jsonschema says what it is
        return False


def _describe(value: object) -> str:
    if value is None:
        return "empty"
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 60 else text[:57] + '..."'


def _message(error: ValidationError) -> tuple[tuple, str]:
    """(path of the offending value, message) for one schema error."""
    path = tuple(error.absolute_path)
    schema, value = error.schema, error.instance
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return path + (missing,), f"this field is required but missing." + _field_help(error, missing)
    if kind == "additionalProperties":
        allowed = list(error.schema.get("properties", {}))
        unknown = [key for key in value if key not in allowed]
        key = unknown[0] if unknown else "?"
        return path + (("<key>", key),), (
            f'unknown field "{key}".{suggest(key, allowed)} Allowed fields: {one_of(allowed)}.'
        )
    if kind == "enum":
        allowed = error.validator_value
        return path, f"{_describe(value)} is not allowed.{suggest(value, allowed)} Allowed values: {one_of(allowed)}."
    if kind == "type":
        wanted = error.validator_value
        wanted = [wanted] if isinstance(wanted, str) else wanted
        words = " or ".join(_TYPE_WORDS.get(w, w) for w in wanted)
        return path, f"should be {words}, not {_describe(value)}."
    if kind == "pattern":
        hint = schema.get("x-hint", f"text matching {error.validator_value}")
        return path, f"{_describe(value)} is not valid: use {hint}."
    if kind == "maxLength":
        return path, f"is {len(value)} characters long; at most {error.validator_value} are allowed."
    if kind == "minLength":
        return path, "must not be empty."
    if kind == "minItems":
        return path, f"needs at least {error.validator_value} item{'s' if error.validator_value != 1 else ''}."
    if kind == "minProperties":
        return path, "is empty: give at least one of its fields, or remove it."
    if kind == "uniqueItems":
        return path, "lists the same value twice."
    if kind == "oneOf" and path and "files" in path:
        return path, 'each file needs exactly one of "url" (a web address) or "path" (a file in the repository).'
    return path, error.message


def _field_help(error: ValidationError, key: str) -> str:
    description = error.schema.get("properties", {}).get(key, {}).get("description")
    return f" {key}: {description}" if description else ""


def check(name: str, document: Document, file: str) -> list[Problem]:
    """Validate a parsed document against a named schema; every error, with its line."""
    if is_valid(name, document.data):
        return []
    problems = []
    for error in validator(name).iter_errors(document.data):
        path, message = _message(error)
        if path and isinstance(path[-1], tuple):  # an unknown key: point at the key itself
            line = document.key_line(path[:-1] + (path[-1][1],))
            path = path[:-1] + (path[-1][1],)
        else:
            line = document.line_of(path)
        if isinstance(document.data, list) and path and isinstance(path[0], int):
            path = path[1:]  # a list of entries (stakeholders.yml): the line already says which
        problems.append(Problem(file, line, field_name(path) if path else "entry", message))
    return problems
