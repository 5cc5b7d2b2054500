"""The page class of generated product pages, and the switch for their speed-ups.

MkDocs builds a new Markdown instance, with every extension of mkdocs.yml, for each page; with
thousands of products that set-up costs more than converting their short bodies. A product page
converts its body with one instance per build instead, reset between pages, and the same
per-page processors MkDocs registers (links, anchors, title).

PIM_FAST_PRODUCT_PAGES=0 turns this and the shared template fragments (hooks/fragments.py) off;
tests/test_product_page_speedups.py builds both ways and compares the pages."""

from __future__ import annotations

import logging
import os

import markdown
from mkdocs.structure.pages import (
    Page,
    _ExtractAnchorsTreeprocessor,
    _ExtractTitleTreeprocessor,
    _RawHTMLPreprocessor,
    _RelativePathTreeprocessor,
    get_toc,
)


def speedups_enabled() -> bool:
    return os.environ.get("PIM_FAST_PRODUCT_PAGES", "1") != "0"


_shared: dict = {}  # {"config": the build's config, "md": its Markdown instance}


def _markdown_for(config) -> markdown.Markdown:
    # Held by identity, not id(): `mkdocs serve` makes a new config for each rebuild, and a new
    # object may get a freed one's id (with other extensions, if mkdocs.yml changed).
    if _shared.get("config") is not config:
        _shared["config"] = config
        _shared["md"] = markdown.Markdown(
            extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    return _shared["md"]


class ProductPage(Page):
    def render(self, config, files) -> None:
        if not speedups_enabled():
            return super().render(config, files)
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = _markdown_for(config)
        md.reset()
        # As Page.render does; registering under the same names replaces the last page's.
        raw_html = _RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = _ExtractAnchorsTreeprocessor(self.file, files, config)
        anchors._register(md)
        links = _RelativePathTreeprocessor(self.file, files, config)
        links._register(md)
        title = _ExtractTitleTreeprocessor()
        title._register(md)

        self.content = md.convert(self.markdown)
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = title.title
        self.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = links.links_to_anchors
