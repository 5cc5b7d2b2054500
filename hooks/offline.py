"""The offline edition's build (mkdocs-offline.yml): everything a reader needs from file:// with
no network. Does nothing unless Material's offline plugin is on.

- The iframe-worker shim, which search needs under file://, comes from the npm package in
  node_modules/ (installed by `make offline`), never from a CDN.
- Links that leave the site get class="pim-needs-internet", a title, and the marker's text that
  extra.css shows after them (data-pim-needs-internet), in the page's language (translations.yml).
- <link rel="alternate"> tags go: for each one, Material's JavaScript fetches a sitemap.xml with
  XMLHttpRequest, which browsers block under file:// (a console error on every page).
- The sitemap and 404.html go: the sitemap carries build dates, 404.html links from the server's
  root (/assets/...), and neither has a use on a disk, where no server answers "not found".
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from hooks.state import current

SHIM_URI = "assets/javascripts/iframe-worker.js"
SHIM_LICENSE_URI = "assets/javascripts/iframe-worker.LICENSE.txt"
NEEDS_INTERNET = "pim-needs-internet"
A_TAG = re.compile(r"<a\b[^>]*>", re.I)
HREF = re.compile(r"""(?<![\w-])href\s*=\s*(["'])(.*?)\1""", re.I | re.S)
CLASS = re.compile(r"""(?<![\w-])class\s*=\s*(["'])(.*?)\1""", re.I | re.S)
TITLE = re.compile(r"""(?<![\w-])title\s*=""", re.I)
EXTERNAL = re.compile(r"\s*(https?:)?//", re.I)
ALTERNATE_LINK = re.compile(r"""[ \t]*<link\b[^>]*(?<![\w-])rel\s*=\s*["']?alternate\b[^>]*>\n?""", re.I)


def _shim_dir() -> Path:
    return current().root / "node_modules" / "iframe-worker"


def use_local_shim(config):
    """In Material's `polyfills`, the shim from node_modules in place of the CDN's."""
    if not current().offline:
        return config
    polyfills = [p for p in config.extra.get("polyfills", []) if not EXTERNAL.match(str(p))]
    if SHIM_URI not in polyfills:
        polyfills.append(SHIM_URI)
    config.extra["polyfills"] = polyfills
    return config


def add_shim(files: Files, config) -> Files:
    if not current().offline:
        return files
    shim = _shim_dir()
    if not (shim / "shim" / "index.js").is_file():
        raise PluginError(
            f"The offline edition needs the iframe-worker shim from npm, and {shim}/shim/index.js is "
            "missing. Run `npm ci` (`make offline` does it for you).")
    files.append(File.generated(config, SHIM_URI, abs_src_path=str(shim / "shim" / "index.js")))
    files.append(File.generated(config, SHIM_LICENSE_URI, abs_src_path=str(shim / "LICENSE")))
    return files


def mark_external_links(html: str, text: str) -> str:
    """Add the needs-internet class, the marker's `text` (the interface text in the page's
    language), and a title unless there is one, to links off the site."""
    marker = f' data-pim-needs-internet="{escape(text)}"'
    title_attribute = f' title="{escape(text)}"'

    def mark(match: re.Match) -> str:
        tag = match.group(0)
        href = HREF.search(tag)
        if not href or not EXTERNAL.match(href.group(2)):
            return tag
        if cls := CLASS.search(tag):
            quote, value = cls.group(1), cls.group(2)
            tag = tag[:cls.start()] + f"class={quote}{value} {NEEDS_INTERNET}{quote}" + tag[cls.end():]
        else:
            tag = tag[:2] + f' class="{NEEDS_INTERNET}"' + tag[2:]
        if not TITLE.search(tag):
            tag = tag[:2] + title_attribute + tag[2:]
        return tag[:2] + marker + tag[2:]

    return A_TAG.sub(mark, html)


def mark_page(output: str, page, config) -> str:
    """Links that leave the site marked; no <link rel=alternate>."""
    if not current().offline:
        return output
    return mark_external_links(ALTERNATE_LINK.sub("", output), current().t("needs internet"))


def remove_server_files(config) -> None:
    if not current().offline:
        return
    for name in ("sitemap.xml", "sitemap.xml.gz", "404.html"):
        (Path(config.site_dir) / name).unlink(missing_ok=True)
