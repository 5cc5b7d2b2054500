"""Issue 18's stages: the history and the Cite section after a product's description, and the
citation files. The work is in pim/review.py, pim/citations.py and pim/changes.py; the HTML in
overrides/partials/product-review.html and product-trust.html; the templates' helpers
(pim.date_in, pim.cite, pim.changes_periods...) are the build state's (hooks/state.py)."""

from __future__ import annotations

from pathlib import Path

# The stages' own template environment (the one the product panel is rendered with).
from hooks.state import current, template_env
from hooks import rebuild
from hooks.session import SESSION
from pim import citations

TRUST_PARTIAL = "partials/product-trust.html"


def add_history_and_citation(context, page, config, nav):
    """A product page's history and Cite section, after the panel and description that
    hooks/catalog.py put into page.content."""
    product = context.get("product")
    if product is not None and page.content is not None and "product_id" in page.meta:
        page.content += template_env(config).get_template(TRUST_PARTIAL).render({**context, "product": product})
    return context


def write_citation_files(config):
    """cite/<id>.bib, .ris, .json for each product, and catalog.bib, .ris, .csl.json."""
    state = current()
    if state.language != state.default_language or rebuild.site_files_unchanged():
        return  # the files at the root are the default language's, and may stand as they are
    site_dir = Path(config.site_dir)
    (site_dir / citations.CITE_FOLDER).mkdir(exist_ok=True)
    kept = SESSION.citation_files if SESSION.serving else None  # `make serve`: only changed products' files made again
    rebuild.write_site_files(site_dir, citations.all_files(state.catalog, state.site_url, kept))
