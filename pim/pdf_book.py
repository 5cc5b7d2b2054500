"""The guide as a book: what goes into one language's print HTML (overrides/print/book.html).

The guidance pages come from the built site, in the navigation's order (mkdocs.yml), so the
book says what the site says, translations and English fallbacks included. Each page's article
is taken as MkDocs wrote it (contributor text in it is already sanitised); its ids get the
section's prefix so that sections cannot collide, and its links point into the book where the
target is in the book, else to the page on the site. The catalog and the stakeholders are made
from the data (pim/model.py), escaped by the template.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

import lxml.html
import yaml

from .model import DATA_LANGUAGE, Catalog, Product

# Pages of the navigation the book leaves out, and why.
SKIPPED_PAGES = {
    "products/index.md": "the catalog is its own section, made from the data",
    "stakeholders.md": "the stakeholders are their own section, made from the data",
    "contribute/propose.md": "a form that needs a browser",
    "catalog-format.md": "for developers reusing catalog.json",
    "download.md": "about the downloads themselves",
    "translations.md": "the translation status of the site",
    "quick-reference.md": "the card is its own A3 sheet",
}
RTL_LANGUAGES = ("ar", "he", "fa", "ur")
# Inside an article: what a printed page cannot use (permalink marks, edit buttons, scripts).
DROPPED = ('.//a[contains(concat(" ", @class, " "), " headerlink ")]',
           './/*[contains(concat(" ", @class, " "), " md-content__button ")]',
           './/*[contains(concat(" ", @class, " "), " md-source-file ")]',
           ".//script", ".//style", ".//form", ".//button", ".//input", ".//noscript")


@dataclass
class Heading:
    anchor: str
    text: str
    level: int  # 1: a section, 2: inside it
    lang: str = ""  # set when not the book's language


@dataclass
class Section:
    anchor: str
    title: str  # its heading
    running: str  # the running header
    html: str = ""  # the article, for guidance pages
    kind: str = "page"  # page, catalog, stakeholders
    headings: list[Heading] = field(default_factory=list)
    lang: str = ""


class _EnvLoader(yaml.SafeLoader):
    """mkdocs.yml's `!ENV [NAME, default]`: the variable, else the default."""


def _env(loader, node):
    values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
    names, default = (values[:-1], values[-1]) if len(values) > 1 else (values, None)
    return next((os.environ[name] for name in names if os.environ.get(name)), default)


_EnvLoader.add_constructor("!ENV", _env)


def read_config(root: Path) -> dict:
    with open(root / "mkdocs.yml", encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_EnvLoader)  # noqa: S506 - a SafeLoader with one tag added


def languages(config: dict) -> list[dict]:
    """The i18n plugin's languages as written in mkdocs.yml: locale, name, site_name, nav_translations."""
    plugin = (config.get("plugins") or {}).get("i18n") or {}
    found = [entry for entry in plugin.get("languages", []) if entry.get("build", True)]
    return found or [{"locale": DATA_LANGUAGE, "name": "English", "default": True}]


def nav_pages(nav: list, section: str | None = None) -> list[tuple[str, str]]:
    """(navigation title, source path) of every page, in the navigation's order. A section's
    index page (a bare path) takes the section's title."""
    pages = []
    for item in nav:
        if isinstance(item, str):
            pages.append((section or "", item))
            continue
        for title, value in item.items():
            if isinstance(value, list):
                pages.extend(nav_pages(value, title))
            else:
                pages.append((title, value))
    return pages


def built_path(src: str, prefix: str) -> str:
    """Where MkDocs wrote a page (directory URLs): index.md -> index.html, a/b.md -> a/b/index.html."""
    path = PurePosixPath(src).with_suffix("")
    folder = path.parent if path.name in ("index", "README") else path
    relative = "" if str(folder) == "." else f"{folder}/"
    return f"{prefix}{relative}index.html"


def page_url(src: str, prefix: str) -> str:
    return built_path(src, prefix)[: -len("index.html")]


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "page"


@dataclass
class Book:
    """Everything book.html needs for one language."""
    language: str
    lang_name: str
    site_name: str
    site_url: str  # this language's home on the site
    site_url_root: str  # the site's root, for files kept on the site
    rtl: bool
    sections: list[Section]
    catalog: Catalog
    products: list[Product]
    date: str  # YYYY-MM-DD, the edition's
    date_text: str  # in the book's language

    @property
    def headings(self) -> list[Heading]:
        return [heading for section in self.sections for heading in section.headings]


class _Links:
    """Where a link of a built page goes in the book: #anchor for a page in it or a product of
    the catalog, else the page's address on the site."""

    def __init__(self, in_book: dict[str, str], site_url: str, prefix: str):
        self.in_book = in_book  # site path of a page ("fr/what-is-pim/") -> its section's anchor
        self.site_url = site_url
        self.prefix = prefix
        self.product = re.compile(rf"^{re.escape(prefix)}products/([^/]+)/$")

    def target(self, href: str, page_path: str, page_anchor: str) -> str:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("//"):
            return href
        if not parts.path:  # a fragment on this page
            return f"#{page_anchor}--{parts.fragment}" if parts.fragment else f"#{page_anchor}"
        resolved = urljoin(f"/{page_path}", parts.path).lstrip("/")
        resolved = re.sub(r"(^|/)index\.html$", r"\1", resolved)
        if resolved in self.in_book:
            anchor = self.in_book[resolved]
            return f"#{anchor}--{parts.fragment}" if parts.fragment else f"#{anchor}"
        if match := self.product.match(resolved):
            return f"#product-{match.group(1)}"
        return urljoin(self.site_url, resolved) + (f"#{parts.fragment}" if parts.fragment else "")


def _text(element) -> str:
    return " ".join(element.text_content().split())


def guidance_section(site_dir: Path, src: str, running: str, prefix: str, links: _Links,
                     anchor: str, language: str) -> Section | None:
    path = site_dir / built_path(src, prefix)
    if not path.is_file():
        return None
    document = lxml.html.fromstring(path.read_bytes())
    found = document.xpath('//article[contains(concat(" ", @class, " "), " md-content__inner ")]')
    if not found:
        return None
    article = found[0]
    for query in DROPPED:
        for element in article.xpath(query):
            element.drop_tree()
    page_path = built_path(src, prefix)
    for element in article.xpath(".//*[@id]"):
        element.set("id", f"{anchor}--{element.get('id')}")
    for link in article.xpath(".//a[@href]"):
        link.set("href", links.target(link.get("href"), page_path, anchor))
        link.attrib.pop("target", None)
    for image in article.xpath(".//img[@src]"):
        source = urlsplit(image.get("src"))
        if not source.scheme:
            image.set("src", (path.parent / source.path).resolve().as_uri())
    # Untranslated pages: the English text is marked by main.html's <div lang="en">.
    notice = article.xpath('.//*[contains(concat(" ", @class, " "), " pim-language-notice ")]')
    lang = DATA_LANGUAGE if notice and language != DATA_LANGUAGE else ""
    headings = []
    title_element = next(iter(article.xpath(".//h1")), None)
    title = _text(title_element) if title_element is not None else running
    if title_element is not None:
        title_element.set("id", anchor)
    headings.append(Heading(anchor, title, 1, lang))
    for h2 in article.xpath(".//h2[@id]"):
        headings.append(Heading(h2.get("id"), _text(h2), 2, lang))
    article.tag = "div"
    article.set("class", "pim-book__page")
    html = "".join(lxml.html.tostring(child, encoding="unicode") for child in article)
    return Section(anchor=anchor, title=title, running=running, html=(article.text or "") + html,
                   headings=headings, lang=lang)


def make_book(site_dir: Path, config: dict, catalog: Catalog, language: dict, t, date: str, date_text: str) -> Book:
    """One language's book; `t` gives interface text in that language (translations.yml)."""
    code = language["locale"]
    default = next((entry["locale"] for entry in languages(config) if entry.get("default")), DATA_LANGUAGE)
    prefix = "" if code == default else f"{code}/"
    titles = language.get("nav_translations") or {}
    site_url = (config.get("site_url") or "https://example.org/").rstrip("/") + "/"
    pages = [(title, src) for title, src in nav_pages(config.get("nav") or []) if src not in SKIPPED_PAGES]
    in_book = {page_url(src, prefix): f"s{index}-{slug(PurePosixPath(src).with_suffix('').as_posix())}"
               for index, (_, src) in enumerate(pages, start=1)}
    links = _Links(in_book, site_url, prefix)
    sections = []
    for title, src in pages:
        section = guidance_section(site_dir, src, titles.get(title, title), prefix, links,
                                   in_book[page_url(src, prefix)], code)
        if section is not None:
            sections.append(section)
    catalog_title = t("Catalog of guidance and products")
    stakeholders_title = t("Stakeholders")
    sections.append(Section("catalog", catalog_title, catalog_title, kind="catalog",
                            headings=[Heading("catalog", catalog_title, 1)]))
    sections.append(Section("stakeholders", stakeholders_title, stakeholders_title, kind="stakeholders",
                            headings=[Heading("stakeholders", stakeholders_title, 1)]))
    products = sorted(catalog.products, key=lambda product: (product.title_in(code).casefold(), product.id))
    return Book(language=code, lang_name=language.get("name", code), site_name=language.get("site_name") or config.get("site_name", ""),
                site_url=site_url + prefix, site_url_root=site_url, rtl=code in RTL_LANGUAGES, sections=sections, catalog=catalog,
                products=products, date=date, date_text=date_text)
