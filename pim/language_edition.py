"""One offline edition per language, cut from the full offline site (one build, not five).

The edition for French holds the French pages (fr/, where untranslated pages are the English
fallback), the shared assets, and the documents chosen by pim.documents.for_language; the
edition for English holds the pages at the root. In each page, the language switcher keeps only
the edition's language, and a document left out of the edition becomes its online link again,
marked "needs internet". A small index.html at the root opens the language's home page. The
HTML of both is in templates under overrides/, the marker's title in translations.yml.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import jinja2

from .citations import CITE_FOLDER
from .covers import COVERS_DIR
from .documents import FILES_DIR
from .offline_zip import ZIP_ROOT, site_files, write_entries

DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "fr", "es", "ar")
# Shared by every language: Material's assets, our stylesheets, each product's citation files
# (every language's Cite section links them), the document covers, and the catalog files.
SHARED_DIRS = ("assets", "stylesheets", CITE_FOLDER, COVERS_DIR)
SWITCHER_ITEM = re.compile(r'<li class="md-select__item">\s*<a\b[^>]*\bhreflang="([\w-]+)"[^>]*>.*?</a>\s*</li>\s*', re.S)
DOCUMENT_LINK = re.compile(r'<a\b[^>]*\bdata-pim-online="([^"]*)"[^>]*>')
HREF = re.compile(r'\bhref="([^"]*)"')
ONLINE_TITLE = re.compile(r'\bdata-pim-online-title="([^"]*)"')
ONLINE_LINK = "partials/online-document-link.html"
INDEX = "offline-edition-index.html"
# The print editions (`make pdf`), which the offline build publishes under download/: each goes into
# its own language's edition (and the complete one).
PRINT_EDITION = re.compile(r"^download/pim-(?:guide|quick-reference)-([\w-]+)\.pdf$")


@lru_cache(maxsize=None)
def templates(overrides: Path) -> jinja2.Environment:
    """The project's templates (overrides/), for the little HTML this step writes."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(overrides)), autoescape=True,
                              keep_trailing_newline=True)


def zip_name(language: str) -> str:
    return f"{ZIP_ROOT}-{language}.zip"


def belongs(relative: str, language: str, documents: set[str], languages=LANGUAGES) -> bool:
    """Whether a file of the full site goes into `language`'s edition."""
    top = relative.split("/", 1)[0]
    if relative in documents:  # a document chosen for this language, wherever the site keeps it
        return True
    if printed := PRINT_EDITION.match(relative):
        return printed.group(1) == language
    if top == FILES_DIR:
        return relative in documents
    if top in languages and top != DEFAULT_LANGUAGE and "/" in relative:
        return top == language
    if language == DEFAULT_LANGUAGE:
        return True
    # Another language: the shared folders and root files that are not English pages.
    return top in SHARED_DIRS or ("/" not in relative and not relative.endswith(".html"))


def rewrite_page(text: str, relative: str, language: str, documents: set[str], overrides: Path) -> str:
    """The page as it reads in `language`'s edition: other languages' switcher entries go, and
    links to documents left out of the edition point online again."""
    text = SWITCHER_ITEM.sub(lambda m: m.group(0) if m.group(1) == language else "", text)
    folder = PurePosixPath(relative).parent

    def document(match: re.Match) -> str:
        tag = match.group(0)
        href = HREF.search(tag)
        if not href:
            return tag
        target = _normalise(folder / unquote(html.unescape(href.group(1))))
        if target in documents:
            return tag
        title = ONLINE_TITLE.search(tag)
        return templates(overrides).get_template(ONLINE_LINK).render(
            online=html.unescape(match.group(1)), title=html.unescape(title.group(1)) if title else "").strip()

    return DOCUMENT_LINK.sub(document, text)


def _normalise(path: PurePosixPath) -> str:
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part not in (".", ""):
            parts.append(part)
    return "/".join(parts)


def entries(site_dir: Path, language: str, documents: set[str], overrides: Path):
    """(name in the zip, function giving the bytes) for `language`'s edition, sorted by name."""
    root = f"{ZIP_ROOT}-{language}"
    chosen = []
    for arcname, path in site_files(site_dir):
        relative = arcname.split("/", 1)[1]
        if not belongs(relative, language, documents):
            continue
        if language != DEFAULT_LANGUAGE and relative == "index.html":
            continue
        if relative.endswith(".html"):
            def content(path=path, relative=relative):
                return rewrite_page(path.read_text(encoding="utf-8"), relative, language, documents,
                                    overrides).encode("utf-8")
        else:
            content = path.read_bytes
        chosen.append((f"{root}/{relative}", content))
    if language != DEFAULT_LANGUAGE:
        index = templates(overrides).get_template(INDEX).render(lang=language)
        chosen.append((f"{root}/index.html", lambda: index.encode("utf-8")))
    return sorted(chosen, key=lambda entry: entry[0])


def write_language_zip(site_dir: Path, dest: Path, language: str, documents: set[str], epoch: int,
                       overrides: Path) -> Path:
    return write_entries(entries(site_dir, language, documents, overrides), dest, epoch)


def published_editions(dist: Path, reader: str, languages=LANGUAGES) -> list[dict]:
    """The zips `make offline` left in dist/, as the download page lists them: the reader's own
    language first, then the complete edition, then the other languages. Each with what
    offline_zip.describe gives (size, date, checksum), `language` (None for the complete one)
    and `href` on the hosted site."""
    from .offline_zip import describe

    order = [reader] if reader in languages else []
    order += [None] + [code for code in languages if code != reader]
    found = []
    for language in order:
        path = dist / (zip_name(language) if language else f"{ZIP_ROOT}.zip")
        if path.is_file():
            found.append({**describe(path), "language": language, "href": f"download/{path.name}",
                          "path": str(path)})
    return found
