"""Drop the indentation Material's templates leave in every page: about a quarter of a product
page's bytes, paid by every reader on a costly connection. Only whitespace at the start of lines
goes; markup, attributes and the content of <pre>, <textarea> and <script> stay as they were."""

from __future__ import annotations

import re

# Blocks whose whitespace matters, kept whole (from the opening tag to the first closing tag of
# the same name); everything between them is compacted. Tag names in any case of their ASCII
# letters, as HTML reads them. Found opening tag, then closing tag: one regex with a
# backreference (`<(pre|...)\b.*?</\1\s*>`) tried the closing tag at every character, and
# took three times as long.
_TAGS = ("pre", "textarea", "script")


def _any_case(tag: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in tag)


_OPEN = re.compile(r"<(" + "|".join(_any_case(tag) for tag in _TAGS) + r")\b")
_CLOSE = {tag: re.compile("</" + _any_case(tag) + r"\s*>") for tag in _TAGS}
# A line break with the blank lines and indentation after it: one line break.
_BREAK = re.compile(r"\n[\n \t]*")


def compact(html: str) -> str:
    out = []
    start = position = 0
    while (opening := _OPEN.search(html, position)) is not None:
        closing = _CLOSE[opening.group(1).lower()].search(html, opening.end())
        if closing is None:  # not closed: not kept, and its text is compacted
            position = opening.start() + 1
            continue
        out.append(_BREAK.sub("\n", html[start:opening.start()]))
        out.append(html[opening.start():closing.end()])
        start = position = closing.end()
    out.append(_BREAK.sub("\n", html[start:]))
    return "".join(out)


def compact_page(output, page, config):
    return compact(output)
