"""Drop the indentation Material's templates leave in every page: about a quarter of a product
page's bytes, paid by every reader on a costly connection. Only whitespace at the start of lines
goes; markup, attributes and the content of <pre>, <textarea> and <script> stay as they were."""

from __future__ import annotations

import re

# Blocks whose whitespace matters, kept whole; everything between them is compacted.
_KEEP = re.compile(r"(<(pre|textarea|script)\b.*?</\2\s*>)", re.S | re.I)
# A line break with the blank lines and indentation after it: one line break.
_BREAK = re.compile(r"\n[\n \t]*")


def compact(html: str) -> str:
    parts = _KEEP.split(html)
    # re.split with two groups yields: text, whole kept block, tag name, text, ...
    out = []
    for index in range(0, len(parts), 3):
        out.append(_BREAK.sub("\n", parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


def compact_page(output, page, config):
    return compact(output)
