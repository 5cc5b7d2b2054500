"""Checks that span files: unique ids, producers that exist, local files, URL schemes, aliases."""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from .model import TERM_FIELDS, Product, Stakeholder, Vocabulary
from .problems import Problem, field_name, one_of, suggest
from .yamlfile import Document

SAFE_SCHEMES = ("http", "https", "mailto")


def safe_url(url: str) -> bool:
    """Only web and mail addresses: no javascript:, data: or file: links from contributors."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in SAFE_SCHEMES:
        return False
    return bool(parts.netloc) if parts.scheme.lower() != "mailto" else bool(parts.path)


def safe_local_path(path: str) -> bool:
    """A relative path that stays inside docs/."""
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in path and ":" not in path


def _check_url(url: str, file: str, line: int, field: str) -> list[Problem]:
    if safe_url(url):
        return []
    return [Problem(file, line, field, (
        f'"{url}" is not an allowed web address: it must start with https://, http:// or mailto:.'
    ))]


def _check_local(root: Path, path: str, file: str, line: int, field: str) -> list[Problem]:
    if not safe_local_path(path):
        return [Problem(file, line, field, (
            f'"{path}" must be a path inside the docs/ folder, like downloads/my-file.pdf (no "..", no leading "/").'
        ))]
    if not (root / "docs" / path).is_file():
        return [Problem(file, line, field, f'the file docs/{path} does not exist; add it to the pull request or fix the path.')]
    return []


def _check_terms(vocabulary: Vocabulary, kind: str, value: str | list[str], file: str,
                 document: Document, path: tuple) -> list[Problem]:
    """Each term (a single value, or each item of a list) must be in its vocabulary."""
    allowed = vocabulary.terms(kind)
    problems = []
    items = [(path, value)] if isinstance(value, str) else [(path + (i,), v) for i, v in enumerate(value)]
    for where, value in items:
        if value not in allowed:
            problems.append(Problem(file, document.line_of(where), field_name(where), (
                f'"{value}" is not a known term.{suggest(value, allowed)} Allowed values: {one_of(allowed)}.'
            )))
    return problems


def _check_stakeholders(root: Path, vocabulary: Vocabulary, stakeholders: list[Stakeholder],
                        document: Document | None) -> list[Problem]:
    problems, seen = [], {}
    file = "stakeholders.yml"
    for stakeholder in stakeholders:
        if stakeholder.id in seen:
            problems.append(Problem(file, stakeholder.line, "id", (
                f'"{stakeholder.id}" is used twice (first on line {seen[stakeholder.id]}); ids must be unique.'
            )))
        seen.setdefault(stakeholder.id, stakeholder.line)
        if stakeholder.type not in vocabulary.stakeholder_types:
            problems.append(Problem(file, stakeholder.line, "type", (
                f'"{stakeholder.type}" is not a known stakeholder type.{suggest(stakeholder.type, vocabulary.stakeholder_types)} '
                f"Allowed values: {one_of(vocabulary.stakeholder_types)}."
            )))
        if stakeholder.url:
            problems += _check_url(stakeholder.url, file, stakeholder.line, "url")
        if stakeholder.logo:
            problems += _check_local(root, stakeholder.logo, file, stakeholder.line, "logo")
    return problems


def _check_day(value: str | None, file: str, line: int, field: str) -> list[Problem]:
    """The schema checks the shape YYYY-MM-DD; this, that the day exists (no 2025-02-30)."""
    if not value:
        return []
    try:
        date.fromisoformat(value)
    except ValueError:
        return [Problem(file, line, field, f'"{value}" is not a day of the calendar: use a real date as YYYY-MM-DD.')]
    return []


def _check_review_dates(product: Product, document: Document) -> list[Problem]:
    file = product.source
    problems = _check_day(product.reviewed, file, document.line_of(("reviewed",)), "reviewed")
    for index, change in enumerate(product.changes):
        path = ("changes", index, "date")
        problems += _check_day(change.date, file, document.line_of(path), field_name(path))
    return problems


def check_review_intervals(vocabulary: Vocabulary, document: Document) -> list[Problem]:
    """vocabularies.yml's review_every: each key a product type, or "default"."""
    allowed = ["default", *vocabulary.product_types]
    return [
        Problem("vocabularies.yml", document.key_line(("review_every", key)), f"review_every.{key}", (
            f'"{key}" is not a product type.{suggest(key, allowed)} Allowed keys: {one_of(allowed)}.'
        ))
        for key in vocabulary.review_every if key not in allowed
    ]


def cross_checks(root: Path, vocabulary: Vocabulary, stakeholders: list[Stakeholder],
                 stakeholder_document: Document | None,
                 products: list[tuple[Product, Document]]) -> list[Problem]:
    problems = _check_stakeholders(root, vocabulary, stakeholders, stakeholder_document)
    stakeholder_ids = {s.id for s in stakeholders}
    aliases: dict[str, str] = {}
    for product, document in products:
        file = product.source
        for field, kind in TERM_FIELDS.items():
            problems += _check_terms(vocabulary, kind, getattr(product, field), file, document, (field,))
        for index, producer in enumerate(product.producers):
            if producer not in stakeholder_ids and stakeholder_ids:
                path = ("producers", index)
                problems.append(Problem(file, document.line_of(path), field_name(path), (
                    f'"{producer}" is not an id in stakeholders.yml.{suggest(producer, stakeholder_ids)} '
                    "Add the organisation to stakeholders.yml first, or use one of its ids."
                )))
        for e_index, edition in enumerate(product.editions):
            problems += _check_terms(vocabulary, "languages", edition.language, file, document,
                                     ("editions", e_index, "language"))
            for f_index, entry in enumerate(edition.files):
                base = ("editions", e_index, "files", f_index)
                if entry.url is not None:
                    path = base + ("url",)
                    problems += _check_url(entry.url, file, document.line_of(path), field_name(path))
                if entry.path is not None:
                    path = base + ("path",)
                    problems += _check_local(root, entry.path, file, document.line_of(path), field_name(path))
        problems += _check_review_dates(product, document)
        for index, alias in enumerate(product.aliases):
            path = ("aliases", index)
            if alias in aliases:
                problems.append(Problem(file, document.line_of(path), field_name(path), (
                    f'"{alias}" is already an alias of {aliases[alias]}; each old address can redirect to one product only.'
                )))
            elif alias.startswith(("/products/", "/assets/", "/search/")):
                problems.append(Problem(file, document.line_of(path), field_name(path), (
                    f'"{alias}" is a path of this site itself; aliases are old pim.guide addresses.'
                )))
            aliases.setdefault(alias, file)
    return problems
