"""MkDocs glue for the machine-readable catalog: catalog.json, its schema, catalog.csv and feed.xml
at the site root. pim/outputs.py builds them; this hook knows the site_url and the page addresses
(directory URLs online, .html in the offline build) and writes the files after the build."""

from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; the data layer sits beside them
    sys.path.insert(0, str(ROOT))

from pim import outputs  # noqa: E402

_page_paths: dict[str, str] = {}  # product id -> site-relative page URL, for this build


@event_priority(-115)  # after hooks/catalog.py (-110) has added the product pages
def on_files(files, config):
    _page_paths.clear()
    for product in config.extra["catalog"].products:
        file = files.get_file_from_path(f"products/{product.id}.md")
        _page_paths[product.id] = file.url if file else product.url
    return files


def _page_path(product) -> str:
    return _page_paths.get(product.id, product.url)


def render_all(catalog, site_url: str) -> dict[str, bytes]:
    """File name (at the site root) -> bytes."""
    return {
        "catalog.json": outputs.catalog_json(catalog, site_url, _page_path).encode("utf-8"),
        "catalog.schema.json": outputs.schema_text().encode("utf-8"),
        "catalog.csv": outputs.catalog_csv(catalog, site_url, _page_path).encode("utf-8"),
        "feed.xml": outputs.atom_feed(catalog, site_url, _page_path),
    }


@event_priority(50)  # early, so that hooks packing the built site (offline copy) find the files
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return  # the build of another language: the files at the root are the default language's
    site_dir = Path(config.site_dir)
    for name, content in render_all(config.extra["catalog"], config.site_url or "").items():
        (site_dir / name).write_bytes(content)
