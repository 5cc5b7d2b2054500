"""Search that forgives accents, Arabic diacritics, hamza and prefixes (README, "Search").

MkDocs glue only: the normaliser and the worker are JavaScript, in
overrides/assets/javascripts/pim-search/. This hook joins them into one worker file,
assets/javascripts/workers/pim-search.<hash>.js, which loads Material's own worker (unchanged)
from the same folder, and points Material's `__config.search` at it on every page.

Material's worker URL is the one private Material detail used here; if its name or place
changes, the build fails with a message saying so, rather than shipping a search that ignores
the normaliser."""

from __future__ import annotations

import hashlib
import json
import re

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

SOURCES = ("assets/javascripts/pim-search/normalise.js", "assets/javascripts/pim-search/worker.js")
WORKERS = "assets/javascripts/workers/"
MATERIAL_WORKER = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")
# Material's page config: {"base": ..., "search": ".../workers/search.<hash>.min.js", ...}
SEARCH_SETTING = re.compile(r'("search":\s*")([^"]*/)?(search\.[0-9a-f]+\.min\.js)(")')

_worker: dict[str, str] = {}


def worker_source(material_name: str, sources: list[str]) -> str:
    """The worker: which Material worker to load, then the normaliser, then our glue."""
    return f"self.PIM_MATERIAL_WORKER = {json.dumps(material_name)};\n" + "\n".join(sources)


@event_priority(-150)  # after the i18n plugin (-100), which expects every file to have a source path
def on_files(files: Files, config) -> Files:
    material = [f for f in files if MATERIAL_WORKER.match(f.src_uri)]
    if len(material) != 1:
        raise PluginError(
            "hooks/search_forgiving.py: expected one Material search worker at "
            f"{WORKERS}search.<hash>.min.js, found {[f.src_uri for f in material]}. "
            "Material's layout has changed: update MATERIAL_WORKER in this hook.")
    sources = []
    for uri in SOURCES:
        source = files.get_file_from_path(uri)
        if source is None:
            raise PluginError(f"hooks/search_forgiving.py: overrides/{uri} is missing.")
        sources.append(source.content_string)
        files.remove(source)  # only the joined worker is published
    material_name = material[0].src_uri.rsplit("/", 1)[1]
    text = worker_source(material_name, sources)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    name = f"pim-search.{digest}.js"
    files.append(File.generated(config, WORKERS + name, content=text))
    _worker.update(material=material_name, ours=name)
    return files


def on_post_page(output: str, page, config) -> str:
    """Material's page config names its worker; name ours, in the same folder."""
    if not _worker:
        return output
    return SEARCH_SETTING.sub(lambda m: m.group(1) + (m.group(2) or "") + _worker["ours"] + m.group(4),
                              output, count=1)


def on_post_template(output: str, template_name: str, config) -> str:
    """404.html, which MkDocs renders as a template rather than a page."""
    return on_post_page(output, None, config)
