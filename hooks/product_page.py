"""The page class of generated product pages, and the switch for their speed-ups.

MkDocs builds a new Markdown instance, with every extension of mkdocs.yml, for each page; with
thousands of products that set-up costs more than converting their short bodies. A product page
converts its body with one instance per build instead, reset between pages, and the same
per-page processors MkDocs registers (links, anchors, title); and once for its four languages'
pages, whose body is the same, when nothing in its HTML depends on the page's place.

`extra: fast_product_pages: false` in mkdocs.yml turns this and the product page shells (hooks/product_shell.py) off,
and so does a MkDocs or Material version they were not tested with (hooks/internals.py, which
holds the private MkDocs names used here); tests/test_product_page_speedups.py builds both
ways and compares the pages."""

from __future__ import annotations

import logging
import re

import markdown
from mkdocs.structure.pages import Page, get_toc

from hooks import internals
from hooks.internals import speedups_enabled
from hooks.session import SESSION


def _markdown_for(config) -> markdown.Markdown:
    shared = SESSION.markdown
    # Held by identity, not id(): `mkdocs serve` makes a new config for each rebuild, and a new
    # object may get a freed one's id (with other extensions, if mkdocs.yml changed).
    if shared.config is not config:
        shared.config = config
        shared.md = markdown.Markdown(
            extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    return shared.md


def _converted(page, files, config) -> dict:
    """The page's body converted; under `make serve`, kept between rebuilds while the body and
    the page's place are the same: a stakeholder's rename rewrites its products' pages, whose
    bodies did not change. Links in a body are resolved against the site's pages, so a product
    added or removed, or a full build, starts anew (hooks/rebuild.py, plan_build).

    A product's pages in the four languages have the same body (descriptions are written in
    English): converted once, its HTML serves them all unless something in it depends on where
    the page is, a link MkDocs resolves against the page's place."""
    key = (page.file.src_uri, page.file.dest_uri, page.markdown)
    converted = SESSION.converted.get(key)
    if converted is None:
        anywhere = (page.file.src_uri, page.markdown)
        shared = SESSION.converted.get(anywhere)
        if shared is not None:
            # Links to the page's own headings (its permalinks) are checked against this page.
            converted = {**shared, "links": {page.file: shared["links"]} if shared["links"] else {}}
        else:
            converted = internals.convert(_markdown_for(config), page.markdown, page.file, files, config)
            if set(converted["links"]) <= {page.file} and not _depends_on_place(converted["content"]):
                SESSION.converted[anywhere] = {**converted, "links": converted["links"].get(page.file, {})}
        if SESSION.serving:
            SESSION.converted[key] = converted
    return converted


_ADDRESS = re.compile(r"""\b(?:href|src)\s*=\s*["']?([^"'\s>]*)""", re.I)
_ABSOLUTE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//|#")  # a scheme, //host, or an anchor on the page


def _depends_on_place(html: str) -> bool:
    """Whether the HTML has an address that is not absolute: MkDocs resolved it against the
    page's place."""
    return any(not _ABSOLUTE.match(url) for url in _ADDRESS.findall(html))


class ProductPage(Page):
    def render(self, config, files) -> None:
        if not speedups_enabled(config.extra):
            return super().render(config, files)
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        converted = _converted(self, files, config)
        self.content = converted["content"]
        self.toc = get_toc(converted["toc"])
        internals.set_title_from_render(self, converted["title"])
        self.present_anchor_ids = converted["anchors"]
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = converted["links"]  # as Page.render: checked after the build
        # Converted, the body is needed no more: every product page is converted before the
        # first is written, so holding them all adds up (25 MB at 10,000 products). Not None:
        # Page.title reads None as "not read yet"; the title comes from the front matter.
        self.markdown = ""
