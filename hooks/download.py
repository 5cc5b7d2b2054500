"""The download page (docs/download.md) and the offline edition's zip on the hosted site.

When `make offline` has left dist/pim-guide-offline.zip, the hosted build publishes it at
download/pim-guide-offline.zip and gives the page its size, build date and checksum through the
state's `offline_edition` (`pim.offline_edition` in the page). Without the zip the page says how to build it, and the build
still passes. The offline build itself never reads dist/: its own zip must not depend on an
older one.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.structure.files import File, Files

from hooks.state import current
from pim.offline_zip import describe

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
    state.offline_edition = edition
    return config


def publish_zip(files: Files, config) -> Files:
    if current().offline_edition["available"]:
        files.append(File.generated(config, ZIP_URI, abs_src_path=str(_zip_path())))
    return files
