"""The download page (docs/download.md) and the offline edition's zip on the hosted site.

When `make offline` has left dist/pim-guide-offline.zip, the hosted build publishes it at
download/pim-guide-offline.zip and gives the page its size, build date and checksum through the
macros variable `offline_edition`. Without the zip the page says how to build it, and the build
still passes. The offline build itself never reads dist/: its own zip must not depend on an
older one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; the data layer sits beside them
    sys.path.insert(0, str(ROOT))

from hooks.languages import current_language, load_interface_text, translator  # noqa: E402
from hooks.offline import is_offline  # noqa: E402
from pim.language_edition import published_editions  # noqa: E402
from pim.offline_zip import describe  # noqa: E402

ZIP_NAME = "pim-guide-offline.zip"
ZIP_URI = f"download/{ZIP_NAME}"


def _zip_path(config) -> Path:
    return Path(config.config_file_path).resolve().parent / "dist" / ZIP_NAME


@event_priority(100)  # before mkdocs-macros reads config.extra
def on_config(config):
    edition = {"available": False, "reading_offline": is_offline(config)}
    zip_path = _zip_path(config)
    if not edition["reading_offline"] and zip_path.is_file():
        edition.update(describe(zip_path), available=True, href=ZIP_URI)
    # Every edition (all languages, and one per language), the reader's language first, with
    # names and headings in the reader's language: the page is rendered once per language.
    language = current_language(config)
    t = translator(language, load_interface_text())
    languages = config.extra["catalog"].vocabulary.languages
    editions = [] if edition["reading_offline"] else published_editions(zip_path.parent, language)
    for entry in editions:
        code = entry["language"]
        entry["label"] = (t("{language}: pages and documents in this language").format(language=languages[code].native)
                          if code else t("All languages, every document"))
    edition.update(editions=editions, t=t, available=edition["available"] or bool(editions))
    config.extra["offline_edition"] = edition
    return config


def on_files(files: Files, config) -> Files:
    for entry in config.extra["offline_edition"].get("editions", []):
        files.append(File.generated(config, entry["href"], abs_src_path=entry["path"]))
    return files
