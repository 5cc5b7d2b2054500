"""Every image in content needs alt text: the strict build fails on one without it."""

from __future__ import annotations

import logging
import re

log = logging.getLogger("mkdocs.hooks.alt_text")
IMG = re.compile(r"<img\b[^>]*>", re.I)
ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I)
SRC = re.compile(r"""\bsrc\s*=\s*["']?([^"'\s>]+)""", re.I)


def images_without_alt(html: str) -> list[str]:
    missing = []
    for tag in IMG.findall(html):
        alt = ALT.search(tag)
        if not alt or not "".join(g or "" for g in alt.groups()).strip():
            src = SRC.search(tag)
            missing.append(src.group(1) if src else tag)
    return missing


def check_alt_text(content, page, config, files):
    for src in images_without_alt(content):
        # A warning, so `mkdocs build --strict` fails and names the page and the image.
        log.warning("%s: the image '%s' has no alt text. Describe it: ![what it shows](%s)",
                    page.file.src_uri, src, src)
    return content
