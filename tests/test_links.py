"""Every internal link and anchor in the built site resolves.

MkDocs' strict build checks links written in Markdown. It cannot see links that templates and
hooks write (cards, panels, taxonomy and redirect pages, the footer), so this reads every built
.html file, resolves each relative href/src against its page, and checks that the file exists
and that a #fragment is an id in the target page. External http(s) and mailto links are left to
`make linkcheck`, which needs the internet.
"""

from __future__ import annotations

import posixpath
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

# Attributes that point at another file, by tag.
LINK_ATTRIBUTES = {"a": "href", "area": "href", "link": "href", "img": "src", "script": "src",
                   "source": "src", "iframe": "src", "video": "src", "audio": "src", "form": "action"}
EXTERNAL_SCHEMES = ("http", "https", "mailto", "tel")


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[int, str, str]] = []  # (line, tag, url)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(values[key])
        attribute = LINK_ATTRIBUTES.get(tag)
        if attribute and values.get(attribute) is not None:
            self.links.append((self.getpos()[0], tag, values[attribute]))
        if tag == "meta" and (values.get("http-equiv") or "").lower() == "refresh":
            _, _, target = (values.get("content") or "").partition("url=")
            if target:
                self.links.append((self.getpos()[0], "meta refresh", target.strip()))


@lru_cache(maxsize=None)
def parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def broken_links(site: Path) -> list[str]:
    """'page:line: <tag> url: why' for every internal link that does not resolve."""
    site = site.resolve()
    problems = []
    for page in sorted(site.rglob("*.html")):
        page_path = page.relative_to(site).as_posix()
        for line, tag, url in parse(page).links:
            parts = urlsplit(url)
            if parts.scheme.lower() in EXTERNAL_SCHEMES or url.startswith("//"):
                continue
            where = f"{page_path}:{line}: <{tag}> {url}"
            if parts.scheme:
                problems.append(f"{where}: a link with the scheme {parts.scheme}: is neither internal nor allowed")
                continue
            path = unquote(parts.path)
            if path.startswith("/"):
                if page_path != "404.html":
                    problems.append(f"{where}: absolute path; breaks under a sub-path and from file://")
                    continue
                # MkDocs writes the 404 page with links from the site root, as a server shows it at any address.
                path = path.lstrip("/") or "."
            if path:
                joined = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), path))
                if joined == ".." or joined.startswith("../"):
                    problems.append(f"{where}: leaves the site")
                    continue
                target = site / joined
                if target.is_dir() or path.endswith("/"):
                    target = target / "index.html"
            else:
                target = page  # "#fragment" or "?query" on the page itself
            if not target.is_file():
                problems.append(f"{where}: no file {target.relative_to(site).as_posix()}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and target.suffix == ".html" and fragment not in parse(target).ids:
                problems.append(f"{where}: no id \"{fragment}\" in {target.relative_to(site).as_posix()}")
    return problems


def test_every_internal_link_and_anchor_in_the_built_site_resolves(site_dir):
    problems = broken_links(site_dir)
    assert not problems, f"{len(problems)} broken internal links:\n" + "\n".join(problems[:50])


def test_generated_pages_are_among_the_pages_checked(site_dir):
    """The check covers what Markdown validation cannot: template-written links on generated pages."""
    pages = {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*.html")}
    assert any(p.startswith("products/") and p != "products/index.html" for p in pages)
    assert any(p.startswith("matrix/") and p != "matrix/index.html" for p in pages)
    panel_links = [url for _, _, url in parse(site_dir / "products" / "pim-matrix" / "index.html").links]
    assert any("stakeholders/#" in url for url in panel_links)  # a template link with an anchor


@pytest.mark.parametrize("html, expected", [
    ('<a href="missing/">x</a>', "no file missing/index.html"),
    ('<a href="other.html#nowhere">x</a>', 'no id "nowhere" in other.html'),
    ('<a href="#top">x</a>', 'no id "top" in index.html'),
    ('<img src="../../outside.png" alt="x">', "leaves the site"),
    ('<a href="/other.html">x</a>', "absolute path"),
    ('<meta http-equiv="refresh" content="0; url=gone/">', "no file gone/index.html"),
    ('<a href="javascript:alert(1)">x</a>', "scheme javascript:"),
])
def test_the_link_check_reports_each_kind_of_broken_link(tmp_path, html, expected):
    (tmp_path / "other.html").write_text('<p id="here">ok</p>', encoding="utf-8")
    (tmp_path / "index.html").write_text(html, encoding="utf-8")
    parse.cache_clear()
    problems = broken_links(tmp_path)
    assert len(problems) == 1 and expected in problems[0], problems


def test_the_link_check_accepts_good_links_and_skips_external_ones(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "index.html").write_text('<h2 id="part">x</h2>', encoding="utf-8")
    (tmp_path / "index.html").write_text(
        '<a href="sub/#part">a</a><a href="sub/index.html">b</a><a href="#me" id="me">c</a>'
        '<a href="https://example.org/x">d</a><a href="mailto:a@example.org">e</a><a href="sub/?q=1">f</a>',
        encoding="utf-8")
    parse.cache_clear()
    assert broken_links(tmp_path) == []
