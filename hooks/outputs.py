"""The machine-readable catalog: catalog.json, its schema, catalog.csv and feed.xml at the site
root. pim/outputs.py builds them; this stage knows the site_url and the page addresses
(directory URLs online, .html in the offline build) and writes the files after the build."""

from __future__ import annotations

from pathlib import Path

from hooks import rebuild
from hooks.state import BuildState, current
from pim import glossary, outputs


def note_page_paths(files, config):
    """Where each product's page is in this build (the pages were added by hooks/catalog.py)."""
    state = current()
    state.page_paths = {}
    if state.language != state.default_language:
        return files  # the files at the root are the default language's
    for product in state.catalog.products:
        file = files.get_file_from_path(f"products/{product.id}.md")
        state.page_paths[product.id] = file.url if file else product.url
    return files


def render_all(state: BuildState, site_url: str) -> dict[str, bytes]:
    """File name (at the site root) -> bytes."""
    catalog = state.catalog

    def page_path(product) -> str:
        return state.page_paths.get(product.id, product.url)

    return {
        "catalog.json": outputs.catalog_json(catalog, site_url, page_path).encode("utf-8"),
        "catalog.schema.json": outputs.schema_text().encode("utf-8"),
        "catalog.csv": outputs.catalog_csv(catalog, site_url, page_path).encode("utf-8"),
        "feed.xml": outputs.atom_feed(catalog, site_url, page_path),
        # glossary.tbx, .csv, .json: the PIM terms in four languages, for translators (pim/glossary.py)
        **glossary.outputs(catalog.vocabulary, lambda src: outputs.absolute(site_url, state.page_url(src))),
    }


def write_outputs(config):
    state = current()
    if state.language != state.default_language or rebuild.site_files_unchanged():
        return  # the files at the root are the default language's, and may stand as they are
    rebuild.write_site_files(Path(config.site_dir), render_all(state, config.site_url or ""))
