"""Document covers (issue 23): the first page of each product's first file, when `make offline`
fetched it and it is a PDF (pim/covers.py does the work, from the download cache, with no
network). Templates show them through `pim.cover(product)` (partials/product-panel.html,
partials/product-card.html); the files are copied into the site's covers/ once."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError

from hooks.session import SESSION
from hooks.state import current
from pim import covers


def _warn(message: str) -> None:
    # Not through MkDocs' logger: a document that cannot be rendered must not stop a strict build.
    print(f"WARNING -  {message}", file=sys.stderr)


def render_seconds(extra) -> float:
    """`extra: cover_render_seconds` in mkdocs.yml: how long one cover may take to render."""
    seconds = extra.get("cover_render_seconds", covers.TIMEOUT)
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)) or not 0 < seconds < float("inf"):
        raise PluginError(f"mkdocs.yml: extra.cover_render_seconds: {seconds!r} is not allowed; give seconds, "
                          f"a number more than 0 (default {covers.TIMEOUT:g})")
    return float(seconds)


def find_covers(config):
    # The catalog is read once for every language's build (hooks/data.py): so are its covers.
    state = current()
    if SESSION.covers is None or SESSION.covers[0] != id(state.catalog):
        found = covers.covers(state.catalog, state.root, _warn, timeout=render_seconds(config.extra))
        SESSION.covers = (id(state.catalog), found)
    state.covers = SESSION.covers[1]
    return config


def write_cover_files(config):
    """covers/<sha256>.webp and -2x.webp at the site's root, for every language's pages."""
    state = current()
    if state.language != state.default_language:
        return
    for name, source in covers.cover_files(state.covers, state.root).items():
        target = Path(config.site_dir) / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
