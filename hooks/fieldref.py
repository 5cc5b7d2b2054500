"""MkDocs glue for the contributor guide: put the field reference, read from the JSON Schemas
and vocabularies.yml, into config.extra so that docs/contribute.md can loop over it."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; the data layer sits beside them
    sys.path.insert(0, str(ROOT))

from pim.fieldref import reference  # noqa: E402


@event_priority(90)  # after hooks/catalog.py has loaded the vocabulary, before mkdocs-macros reads config.extra
def on_config(config):
    catalog = config.extra.get("catalog")
    config.extra["fieldref"] = reference(catalog.vocabulary if catalog else None)
    return config
