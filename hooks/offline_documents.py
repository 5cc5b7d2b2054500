"""The offline edition's documents on product pages: when `make offline` (pim/offline_edition.py)
has fetched them, it names its manifest in PIM_OFFLINE_DOCUMENTS, and each product file it saved
links to its copy in the edition (partials/product-panel.html). No network here: the fetching is
done before the build, in plain Python."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; the data layer sits beside them
    sys.path.insert(0, str(ROOT))

from hooks.catalog import catalog_of  # noqa: E402
from hooks.offline import is_offline  # noqa: E402
from pim.documents import Documents, apply  # noqa: E402

MANIFEST_VARIABLE = "PIM_OFFLINE_DOCUMENTS"


@event_priority(80)  # after hooks/catalog.py (100) has loaded the catalog
def on_config(config):
    manifest = os.environ.get(MANIFEST_VARIABLE)
    if manifest and is_offline(config):
        apply(catalog_of(config), Documents.read(Path(manifest)))
    return config
