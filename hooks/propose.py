"""MkDocs glue for the proposal form (/contribute/propose/): give its template the form's spec,
built by pim/propose.py from the schema, the vocabularies, the stakeholders and the products."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; the data layer sits beside them
    sys.path.insert(0, str(ROOT))

from pim.propose import form_spec  # noqa: E402

_specs: dict[int, dict] = {}  # one spec per build (per language), by config


def on_page_context(context, page, config, nav):
    if page.meta.get("template") != "propose.html":
        return context
    key = id(config)
    if key not in _specs:
        _specs.clear()
        branch = os.environ.get("PROPOSE_BRANCH") or config.extra.get("propose_branch") or "main"
        _specs[key] = form_spec(config.extra["catalog"], Path(config.config_file_path).parent,
                                config.repo_url or "", branch)
    plugin = config.plugins.get("material/offline")  # the offline edition: GitHub needs the internet
    context["propose"] = {**_specs[key], "offline": plugin is not None and bool(plugin.config.enabled)}
    return context
