"""The offline edition's documents on product pages: when `make offline` (pim/offline_edition.py)
has fetched them, it names its manifest in PIM_OFFLINE_DOCUMENTS, and each product file it saved
links to its copy in the edition (partials/product-panel.html). No network here: the fetching is
done before the build, in plain Python.

The catalog is read once for every language's build (hooks/data.py), so the copies' places stay
on it for the rest of the process: `make offline` runs the offline build in a process of its own."""

from __future__ import annotations

import os
from pathlib import Path

from hooks.state import current
from pim.documents import Documents, apply

MANIFEST_VARIABLE = "PIM_OFFLINE_DOCUMENTS"


def link_fetched_documents(config):
    state = current()
    manifest = os.environ.get(MANIFEST_VARIABLE)
    if manifest and state.offline:
        apply(state.catalog, Documents.read(Path(manifest)))
    return config
