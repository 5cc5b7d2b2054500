"""Drop the indentation Material's templates leave in every page: about a quarter of a product
page's bytes, paid by every reader on a costly connection. Only whitespace at the start of lines
goes; markup, attributes and the content of <pre>, <textarea> and <script> stay as they were."""

from __future__ import annotations

import re

# Blocks whose whitespace matters, kept whole; everything between them is compacted.
_KEEP = re.compile(r"(<(pre|textarea|script)\b.*?</\2\s*>)", re.S | re.I)
_INDENT = re.compile(r"\n[ \t]+")
_BLANK_LINES = re.compile(r"\n{2,}")


def compact(html: str) -> str:
    parts = _KEEP.split(html)
    # re.split with two groups yields: text, whole kept block, tag name, text, ...
    out = []
    for index in range(0, len(parts), 3):
        text = _BLANK_LINES.sub("\n", _INDENT.sub("\n", parts[index]))
        out.append(text)
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


def on_post_page(output, page, config):
    return compact(output)
