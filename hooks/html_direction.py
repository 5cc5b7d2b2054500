"""The text direction on <html>, not only on <body> (where Material writes it): W3C's guidance for
right-to-left pages, so that the whole document, <head> and <title> included, reads Arabic
right to left."""

from __future__ import annotations

import re

BODY_DIR = re.compile(r'<body\b[^>]*?\sdir="(rtl|ltr)"')
HTML_TAG = re.compile(r"<html\b(?![^>]*\sdir=)")


def on_post_page(output: str, page, config) -> str:
    found = BODY_DIR.search(output)
    if not found:
        return output
    return HTML_TAG.sub(f'<html dir="{found.group(1)}"', output, count=1)
