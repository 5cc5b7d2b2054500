"""Product pages filled into one rendered shell instead of each rendered through Material's
templates.

Every product page of a build has the same frame: out of the nav, one URL depth, one language.
Only some values differ: the title, the summary in <meta>, the canonical and edit links, the
skip link and the content, and three parts: the table of contents, the language switcher and
the related products. So the page template (`product-layout.html`) is rendered once with marks
in place of those (a "shell"), and each product page is the shell with its own values put in,
its parts rendered on their own (`partials/product-parts.html`).

The first two pages filled from each shell are also rendered in full, and must be the same:
if a Material upgrade puts some other per-page value into the frame, the build falls back to full
renders (and says so) instead of publishing a wrong page. `extra: fast_product_pages: false` turns shells
off; tests/test_product_page_speedups.py builds both ways and compares every page."""

from __future__ import annotations

import re

from jinja2 import pass_context
from markupsafe import Markup
from mkdocs.plugins import get_plugin_logger

from hooks.internals import frame_shape, skip_url, speedups_enabled

log = get_plugin_logger(__name__)

LAYOUT = "product-layout.html"
PARTS_TEMPLATE = "partials/product-parts.html"
# Parts of a product page rendered for each page; templates put `slot(name)` in the shell.
PARTS = {
    "toc": "partials/toc.html",
    "alternate": "partials/alternate.html",
    "related": "partials/product-related.html",
    "hreflang": "partials/hreflang.html",
}
# A private-use character: it cannot come from Material's templates, which are all the shell holds.
_MARK = "\ue000"
_SLOT = re.compile(f"{_MARK}([a-z_]+){_MARK}")


def mark(name: str) -> str:
    return f"{_MARK}{name}{_MARK}"


# The values that differ from page to page, as Material's templates print them (unfiltered).
VALUES = {
    "title": lambda page, base_url: page.meta["title"],
    "description": lambda page, base_url: page.meta["description"],
    "page_title": lambda page, base_url: page.title,
    "canonical": lambda page, base_url: page.canonical_url,
    "edit_url": lambda page, base_url: page.edit_url,
    "page_content": lambda page, base_url: page.content,
    "skip": lambda page, base_url: skip_url(page, base_url)[1:],  # after the shell's "#"
}


class _TocEntry:
    def __init__(self, url: str):
        self.url, self.level, self.children = url, 1, []


class _ShellPage:
    """The page as the shell sees it: marks for its own values, the real page for the rest
    (its URL depth, its file, its place out of the nav: the same on every product page)."""

    def __init__(self, page):
        self._page = page
        self.meta = dict(page.meta)
        for key in ("title", "description"):
            if page.meta.get(key):
                self.meta[key] = mark(key)
        self.title = mark("page_title") if page.title else page.title
        self.canonical_url = mark("canonical") if page.canonical_url else page.canonical_url
        self.edit_url = mark("edit_url") if page.edit_url else page.edit_url
        self.content = mark("page_content")
        self.toc = [_TocEntry("#" + mark("skip"))] if len(page.toc) else []  # for the skip link

    def __getattr__(self, name):
        return getattr(self._page, name)


class ProductShells:
    """The shells of one build's template environment, one per page shape."""

    def __init__(self, env, enabled: bool):
        self.env, self.enabled = env, enabled
        self.shells: dict[tuple, list[str]] = {}
        self.checked: dict[tuple, int] = {}  # pages whose fill was compared with a full render
        self.lang = None  # Material's `lang.t()` for the parts; it depends on the language only

    def render(self, variables: dict) -> str:
        layout = self.env.get_template(LAYOUT)
        if not self.enabled:
            return layout.render(variables)
        page = variables["page"]
        key = frame_shape(page, variables["base_url"])  # pages of one shape share a shell
        if self.checked.get(key, 0) >= 2:
            return self._fill(self.shells[key], variables)
        if key not in self.shells:
            # split() gives text, slot name, text, slot name, ..., text.
            self.shells[key] = _SLOT.split(
                layout.render({**variables, "page": _ShellPage(page), "pim_shell": True}))
        # Checked on the page it was made from and on the next one: a value the shell took from
        # its own page instead of a mark shows on the second.
        full = layout.render(variables)
        if self._fill(self.shells[key], variables) != full:
            log.info("Product pages are rendered in full: the shell differs from the full render of "
                     "%s (a theme upgrade may have added a per-page value to the frame).", page.file.src_uri)
            self.enabled = False
        self.checked[key] = self.checked.get(key, 0) + 1
        return full

    def _fill(self, shell: list[str], variables: dict) -> str:
        page, base_url = variables["page"], variables["base_url"]
        names = shell[1::2]
        parts = [name for name in PARTS if name in names]
        rendered = dict(zip(parts, self._render_parts(parts, variables)))
        filled = shell[:]
        for index in range(1, len(filled), 2):
            name = filled[index]
            filled[index] = rendered[name] if name in rendered else VALUES[name](page, base_url)
        return "".join(filled)

    def _render_parts(self, parts: list[str], variables: dict) -> list[str]:
        if not parts:
            return []
        if self.lang is None:
            self.lang = self.env.get_template("partials/language.html").make_module(variables)
        template = self.env.get_template(PARTS_TEMPLATE)
        names = [PARTS[name] for name in parts]
        return template.render({**variables, "parts": names, "lang": self.lang}).split(mark("end"))


def use_shells(env, config, files):
    shells = ProductShells(env, speedups_enabled(config.extra))

    @pass_context
    def product_page(context):
        return Markup(shells.render(context.get_all()))

    env.globals.update(product_page=product_page, slot=mark)
    return env
