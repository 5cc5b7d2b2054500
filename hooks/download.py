"""The download page (docs/download.md) and the offline editions' zips on the hosted site.

When `make offline` has left its zips in dist/ (pim-guide-offline.zip with every language, and
pim-guide-offline-<lang>.zip per language), the hosted build publishes them under download/ and
gives the page their sizes, build dates and checksums through the state: `pim.offline_edition`
(the complete edition, and whether any edition is there) and `pim.offline_editions` (every
edition, the reader's language first). Without a zip the page says how to build one, and the
build still passes. The offline build itself never reads dist/ for zips: its own zip must not
depend on an older one.

The print editions `make pdf` left in dist/ (pim-guide-<lang>.pdf, pim-quick-reference-<lang>.pdf)
are published beside them and listed with their pages and sizes (`pim.print_editions`): every
language's on the hosted site, the reader's first; in the offline build, the reader's language's
only, since each language's zip carries its own (pim/language_edition.py).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

from hooks.state import current
from pim.language_edition import published_editions
from pim.offline_zip import describe
from pim.pdf_edition import published_pdfs

ZIP_NAME = "pim-guide-offline.zip"
ZIP_URI = f"download/{ZIP_NAME}"


def _zip_path() -> Path:
    return current().root / "dist" / ZIP_NAME


def describe_edition(config):
    state = current()
    edition = {"available": False, "reading_offline": state.offline}
    zip_path = _zip_path()
    if not state.offline and zip_path.is_file():
        edition.update(describe(zip_path), available=True, href=ZIP_URI)
    # Every edition (all languages, and one per language), the reader's language first, named in
    # the reader's language: the page is rendered once per language.
    languages = state.catalog.vocabulary.languages
    editions = [] if state.offline else published_editions(zip_path.parent, state.language)
    for entry in editions:
        code = entry["language"]
        entry["label"] = (state.t("{language}: pages and documents in this language").format(language=languages[code].native)
                          if code else state.t("All languages, every document"))
    edition["available"] = edition["available"] or bool(editions)
    state.offline_edition = edition
    state.offline_editions = editions
    native = {code: term.native for code, term in languages.items()}
    only = [state.language] if state.offline else state.languages
    state.print_editions = published_pdfs(zip_path.parent, state.language, only, native, state.t)
    return config


def publish_zips(files: Files, config) -> Files:
    """Each edition's zip and each print edition, beside the download page."""
    state = current()
    for entry in state.offline_editions + state.print_editions:
        files.append(File.generated(config, entry["href"], abs_src_path=entry["path"]))
    return files
