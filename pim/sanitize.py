"""Clean HTML rendered from contributors' Markdown with nh3 (ammonia): no script, no event
handlers, no javascript: or data: links. Python-Markdown alone renders [x](javascript:...) as a
live link, so every contributed body passes through here."""

from __future__ import annotations

import functools
import re

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre",
    "s", "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}
_COMMON = {"id", "class", "title", "lang", "dir"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": _COMMON | {"href"},
    "img": _COMMON | {"src", "alt", "width", "height", "loading"},
    "td": _COMMON | {"colspan", "rowspan", "align"},
    "th": _COMMON | {"colspan", "rowspan", "align", "scope"},
    "ol": _COMMON | {"start"},
    "details": _COMMON | {"open"},
}
URL_SCHEMES = {"http", "https", "mailto"}


def clean_html(html: str, attributes: dict[str, set[str]] = ALLOWED_ATTRIBUTES) -> str:
    """Keep ordinary formatting and safe links; drop everything that could run."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=attributes,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@functools.lru_cache(maxsize=4096)
def plain_text(text: str) -> str:
    """Text with every tag removed (for table-of-contents entries). Kept for the next call: every
    product page's table of contents has the same section titles."""
    return nh3.clean(text, tags=set())


_WITHOUT_IDS = {tag: names - {"id"} for tag, names in ALLOWED_ATTRIBUTES.items()}
# The heading permalinks ("¶") of Python-Markdown's toc, as nh3 writes them back out.
_PERMALINK = re.compile(r'<a class="headerlink"[^>]*>.*?</a>', re.S)


def for_search(html: str) -> str:
    """Cleaned HTML as search should index it: no ids and no heading permalinks. Material's
    search starts a separate result at every heading with an id, so a product's description
    indexed this way is one search result (its page); that keeps the index of a large catalog
    small and offline search fast."""
    return _PERMALINK.sub("", clean_html(html, attributes=_WITHOUT_IDS))


_HEADING = re.compile(r"<(/?)h([1-6])\b", re.I)
_HEADERLINK = re.compile(r'<a class="headerlink" href="#([^"]*)"[^>]*>.*?</a>', re.S)
_ID = re.compile(r'\sid="([^"]*)"')


def heading_shift(levels) -> int:
    """How many levels a description's headings go down so that the highest is an h2, under the
    page's own title (the page's h1)."""
    levels = list(levels)
    return max(0, 2 - min(levels)) if levels else 0


def demote_headings(html: str) -> str:
    """Headings of a description (`# tagcoding means ...` is an h1 in Markdown) kept, and put
    under the page's title: the highest becomes an h2, the others follow (h6 at most)."""
    shift = heading_shift(int(m.group(2)) for m in _HEADING.finditer(html))
    if not shift:
        return html
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}", html)


def clean_description(html: str) -> str:
    """A product's description, rendered from its Markdown: headings demoted under the page's
    title, then cleaned; a heading permalink ("¶") whose target is not there is dropped, so that
    no link leads nowhere."""
    cleaned = clean_html(demote_headings(html))
    ids = set(_ID.findall(cleaned))
    return _HEADERLINK.sub(lambda m: m.group(0) if m.group(1) in ids else "", cleaned)


_HEADING_WITH_ID = re.compile(r'<h([2-6])\b[^>]*?\sid="([^"]+)"[^>]*>(.*?)</h\1>', re.S | re.I)


def outline(html: str) -> list[tuple[int, str, str]]:
    """(level, id, title as escaped text) of each heading of a page's HTML that has an id, in
    order: what a table of contents lists. Headings without an id (an edition's) are left out."""
    return [(int(m.group(1)), m.group(2), plain_text(_HEADERLINK.sub("", m.group(3))).strip())
            for m in _HEADING_WITH_ID.finditer(html)]
