"""Search that forgives accents, Arabic diacritics, hamza and prefixes (README, "Search").

Stages of hooks/pipeline.py, MkDocs glue only: the normaliser and the worker are JavaScript, in
overrides/assets/javascripts/pim-search/. `publish_worker` joins them into one worker file,
assets/javascripts/workers/pim-search.<hash>.js, which loads Material's own worker (unchanged)
from the same folder; `point_page_at_worker` and `point_404_at_worker` point Material's
`__config.search` at it on every page and on 404.html.

Material's worker file and the `search` entry of its page config are the private Material
details used here (hooks/internals.py); if they change, the build fails with a message saying
so, rather than shipping a search that ignores the normaliser. The worker's name keeps "search"
in it, as Material's does, so that anything recognising search's worker by its URL still does."""

from __future__ import annotations

import hashlib
import json

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hooks import internals
from hooks.state import current
from pim.folding import TABLE as FOLDING

# fold.js is also inlined in the listing (overrides/products.html): it is published in neither form.
SOURCES = ("assets/javascripts/pim-search/fold.js", "assets/javascripts/pim-search/normalise.js",
           "assets/javascripts/pim-search/worker.js")
WORKERS = "assets/javascripts/workers/"


def worker_source(material_name: str, sources: list[str]) -> str:
    """The worker: which Material worker to load and the folding table (pim/folding.json), then
    the folding, the normaliser and our glue."""
    table = {key: value for key, value in FOLDING.items() if key != "about"}
    return (f"self.PIM_MATERIAL_WORKER = {json.dumps(material_name)};\n"
            f"self.PIM_FOLDING = {json.dumps(table)};\n" + "\n".join(sources))


def publish_worker(files: Files, config) -> Files:
    """Our worker, joined from its sources, beside Material's; the sources are not published."""
    material = [f for f in files if internals.MATERIAL_SEARCH_WORKER.match(f.src_uri)]
    if len(material) != 1:
        raise PluginError(
            "hooks/search_forgiving.py: expected one Material search worker at "
            f"{WORKERS}search.<hash>.min.js, found {[f.src_uri for f in material]}. "
            "Material's layout has changed: update MATERIAL_SEARCH_WORKER in hooks/internals.py.")
    sources = []
    for uri in SOURCES:
        source = files.get_file_from_path(uri)
        if source is None:
            raise PluginError(f"hooks/search_forgiving.py: overrides/{uri} is missing.")
        sources.append(source.content_string)
        files.remove(source)  # only the joined worker is published
    text = worker_source(material[0].src_uri.rsplit("/", 1)[1], sources)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]
    name = f"pim-search.{digest}.js"
    files.append(File.generated(config, WORKERS + name, content=text))
    current().search_worker = name
    return files


def point_page_at_worker(output: str, page, config) -> str | None:
    """Material's page config names its worker; name ours, in the same folder."""
    name = current().search_worker
    return internals.name_search_worker(output, name) if name else None


def point_404_at_worker(output: str, template_name: str, config) -> str | None:
    """404.html, which MkDocs renders as a template rather than a page."""
    return point_page_at_worker(output, None, config) if template_name == "404.html" else None
