"""The proposal form (/contribute/propose/): the product file plan, with a label for each field and
what the browser needs to check a proposal the way `make validate` does (the ids already taken,
the stakeholders, the files under docs/). Plain data; overrides/propose.html draws the form and
assets/javascripts/propose.js checks it and writes the file."""

from __future__ import annotations

from pathlib import Path

from . import folding

from .load import PRODUCT_ID, PRODUCTS_DIR
from .model import Catalog
from .scaffold import _APOSTROPHES, BODY, MAX_ID_LENGTH, new_file_plan

# Each field's visible label: its name in the field reference, in words. A field added to the
# schema without a label here is labelled from its key ("review_every" -> "Review every").
LABELS = {
    "title": "Title",
    "summary": "Summary",
    "type": "Type",
    "categories": "PIM Matrix categories",
    "principles": "Principles",
    "process_steps": "Process steps",
    "published": "Published",
    "updated": "Updated",
    "producers": "Produced by",
    "featured": "Featured on the home page",
    "editions": "Editions",
    "editions[].language": "Language",
    "editions[].title": "Title in this language",
    "editions[].files": "Downloads and links",
    "editions[].files[].label": "Label",
    "editions[].files[].format": "Format",
    "editions[].files[].url": "Web address",
    "editions[].files[].path": "File in the repository",
    "editions[].files[].sha256": "SHA-256 checksum",
    "translations": "Translations",
    "licence": "Licence",
    "tags": "Tags",
    "aliases": "Old addresses",
    "reviewed": "Reviewed",
    "review_every": "Review every",
    "changes": "Changes",
    "changes[].date": "Date",
    "changes[].note": "Note",
}
# One entry of a list, to name its group and its "Add" button.
ENTRY_LABELS = {"editions": "Edition", "editions[].files": "Download or link", "changes": "Change"}


def label(field: dict) -> str:
    path = field["path"]
    if path in LABELS:
        return LABELS[path]
    leaf = path.rsplit(".", 1)[-1].replace("[]", "")
    return LABELS.get(leaf, leaf.replace("_", " ").capitalize())


def _decorate(fields: list[dict], languages) -> None:
    for field in fields:
        field["label"] = label(field)
        if field["kind"] == "entries":
            field["entry_label"] = ENTRY_LABELS.get(field["path"], field["label"])
        # Fields inside list entries carry one placeholder per level (__0__, __1__), which the
        # script replaces with the entry's number when it adds an entry.
        parts = [part.replace(".", "-").replace("_", "-") for part in field["path"].split("[].")]
        field["id"] = "pf-" + "".join(f"{part}-__{i}__-" for i, part in enumerate(parts[:-1])) + parts[-1]
        if field["key"] in languages:  # translations.fr: named after its language
            field["language"] = field["key"]
        _decorate(field.get("fields", ()), languages)


def _docs_files(root: Path) -> list[str]:
    """Files a product may link with `path:` (downloads, not pages), as paths under docs/."""
    docs = root / "docs"
    return sorted(p.relative_to(docs).as_posix() for p in docs.rglob("*")
                  if p.is_file() and p.suffix not in (".md", ".html", ".css", ".js", ".yml"))


def form_spec(catalog: Catalog, root: Path, repo_url: str = "", branch: str = "main") -> dict:
    """Everything the proposal page draws and its script uses, JSON-able."""
    plan = new_file_plan(catalog.vocabulary)
    _decorate(plan["fields"], catalog.vocabulary.languages)
    owner_repo = repo_url.rstrip("/").removesuffix(".git")
    github = owner_repo if owner_repo.startswith("https://github.com/") else ""
    return {
        **plan,
        "ids": sorted(p.id for p in catalog.products),
        "idPattern": PRODUCT_ID.pattern,
        "maxIdLength": MAX_ID_LENGTH,
        # propose.js makes the id as slugify does: lowercase, these letters, NFKD, ASCII only.
        "latinExtra": {**folding.TABLE["letters"], **{chr(k): v for k, v in _APOSTROPHES.items()}},
        "folder": PRODUCTS_DIR,
        "docsFiles": _docs_files(root),
        "body": BODY,
        "newFile": f"{github}/new/{branch}/{PRODUCTS_DIR}" if github else "",
        "maxUrl": 7000,
    }
