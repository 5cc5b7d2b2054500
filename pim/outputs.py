"""Machine-readable copies of the catalog: catalog.json, catalog.csv and an Atom feed.

Plain functions of a Catalog, so other sites and tools can reuse the data without scraping HTML.
Every output is deterministic: the same data gives the same bytes (no build time anywhere).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from .model import TRANSLATION_LANGUAGES, Catalog, Product

FORMAT_VERSION = "1.2"  # 1.1: review dates and changes (issue 18); 1.2: translations (issue 27)
SCHEMA_FILE = Path(__file__).parent / "schemas" / "catalog.schema.json"
FEED_SIZE = 20
CSV_COLUMNS = [
    "id", "title", "summary", "type", "type_label", "categories", "principles", "process_steps",
    "published", "updated", "reviewed", "review_due", "producers", "producer_names", "languages", "licence", "tags", "featured",
    "url", "path",
]
LIST_SEPARATOR = ";"
# A cell starting with one of these is run as a formula by spreadsheets (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@")

# Site-relative page path of a product, e.g. "products/pim-matrix/" (or ".html" in the offline build).
PagePath = Callable[[Product], str]


def _default_path(product: Product) -> str:
    return product.url


def absolute(site_url: str, path: str) -> str:
    """An address under the site root; stays site-relative when no site_url is known."""
    return site_url.rstrip("/") + "/" + path if site_url else path


def product_record(catalog: Catalog, product: Product, site_url: str, page_path: PagePath = _default_path) -> dict:
    """Everything known about one product, as plain JSON values."""
    path = page_path(product)
    review = catalog.review(product)  # its due date depends on the data only, never on the build day
    return {
        "id": product.id,
        "title": product.title,
        "summary": product.summary,
        "type": product.type,
        "categories": list(product.categories),
        "principles": list(product.principles),
        "process_steps": list(product.process_steps),
        "published": product.published,
        "updated": product.updated,
        "reviewed": product.reviewed,
        "review_every": review.every,
        "review_due": review.due.isoformat() if review.due else None,
        "changes": [
            {"date": change.date, "note": change.note, "translations": dict(change.translations)}
            for change in product.history()
        ],
        "producers": list(product.producers),
        "languages": product.languages,
        "editions": [
            {
                "language": edition.language,
                "title": edition.title,
                "files": [
                    {
                        "label": f.label,
                        "format": f.format,
                        "url": absolute(site_url, f.path) if f.is_local else f.url,
                        "path": f.path,
                        "size": f.size,
                    }
                    for f in edition.files
                ],
            }
            for edition in product.editions
        ],
        "licence": product.licence,
        "tags": list(product.tags),
        "aliases": list(product.aliases),
        "featured": product.featured,
        "url": absolute(site_url, path),
        "path": path,
        "source": product.source,
        # The product file's own translations, in the site's language order (fr, es, ar).
        "translations": {language: dict(product.translations[language])
                         for language in TRANSLATION_LANGUAGES if product.translations.get(language)},
    }


def newest_date(catalog: Catalog) -> str | None:
    dates = [d for p in catalog.products for d in (p.published, p.updated) if d and d != "unknown"]
    return max(dates) if dates else None  # "2016" < "2016-04": the plain string order works


def catalog_document(catalog: Catalog, site_url: str, page_path: PagePath = _default_path) -> dict:
    """The content of catalog.json (format documented in docs/catalog-format.md)."""
    vocabulary = catalog.vocabulary
    return {
        "$schema": absolute(site_url, "catalog.schema.json"),
        "version": FORMAT_VERSION,
        "site_url": site_url,
        "updated": newest_date(catalog),
        "products": [product_record(catalog, p, site_url, page_path) for p in catalog.products],
        "stakeholders": [
            {"id": s.id, "name": s.name, "type": s.type, "url": s.url, "description": s.description,
             "facilitator": s.facilitator}
            for s in catalog.stakeholders
        ],
        "vocabularies": {
            kind: [
                {"id": t.id, "label": t.label, **({"description": t.description} if t.description else {}),
                 **({"native": t.native} if t.native else {})}
                for t in vocabulary.terms(kind).values()
            ]
            for kind in vocabulary.KINDS
        },
    }


def catalog_json(catalog: Catalog, site_url: str, page_path: PagePath = _default_path) -> str:
    # Compact: it is for programs, and json writes it in C only without `indent`.
    return json.dumps(catalog_document(catalog, site_url, page_path), ensure_ascii=False, separators=(",", ":")) + "\n"


def safe_cell(value: str) -> str:
    """Neutralise spreadsheet formulas: a leading apostrophe makes the cell plain text."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_row(catalog: Catalog, product: Product, site_url: str, page_path: PagePath = _default_path) -> dict:
    """One product as CSV cells (before formula neutralising); lists joined with ';'."""
    record = product_record(catalog, product, site_url, page_path)
    names = [s.name for s in catalog.producers_of(product)]
    row = {}
    for column in CSV_COLUMNS:
        if column == "type_label":
            value = catalog.vocabulary.label("product_types", product.type)
        elif column == "producer_names":
            value = names
        else:
            value = record[column]
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(value)
        elif isinstance(value, bool):
            value = "true" if value else "false"
        row[column] = "" if value is None else str(value)
    return row


def catalog_csv(catalog: Catalog, site_url: str, page_path: PagePath = _default_path) -> str:
    """catalog.csv: UTF-8 with a byte order mark, so spreadsheets read accents and scripts correctly."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for product in catalog.products:
        row = csv_row(catalog, product, site_url, page_path)
        writer.writerow({k: safe_cell(v) for k, v in row.items()})
    return "\ufeff" + out.getvalue()


def timestamp(date: str) -> datetime:
    """A product date (YYYY, YYYY-MM or YYYY-MM-DD) as midnight UTC of its first day."""
    parts = [int(x) for x in date.split("-")] + [1, 1]
    return datetime(parts[0], parts[1], parts[2], tzinfo=timezone.utc)


def atom_feed(catalog: Catalog, site_url: str, page_path: PagePath = _default_path,
              title: str = "PIM guidance and products", limit: int = FEED_SIZE) -> bytes:
    """feed.xml: the newest products, newest first. `updated` is the newest product date."""
    from feedgen.feed import FeedGenerator  # imported here: only the build needs it

    # Issue 18: new products and the changes of products (their `changes:`), newest first.
    from .changes import events

    latest = events(catalog)[:limit]
    feed = FeedGenerator()
    feed.id(absolute(site_url, "products/") if site_url else "urn:pim:products")
    feed.title(title)
    feed.subtitle("The newest guidance and products of the Protection Information Management community, and what changed in them.")
    feed.link(href=absolute(site_url, "feed.xml"), rel="self", type="application/atom+xml")
    feed.link(href=absolute(site_url, "products/"), rel="alternate", type="text/html")
    feed.language("en")
    feed.author(name="PIM community")  # entries name their own producers
    feed.generator("python-feedgen")  # no version or URI: the output depends on the data only
    updated = [timestamp(e.product.updated or e.date) if e.added else timestamp(e.date) for e in latest]
    feed.updated(max(updated) if updated else datetime(1970, 1, 1, tzinfo=timezone.utc))
    for event, entry_updated in zip(latest, updated):
        product = event.product
        url = absolute(site_url, page_path(product))
        entry = feed.add_entry(order="append")
        if event.added:
            entry.id(url)
            entry.title(product.title)
            entry.summary(product.summary)
        else:
            entry.id(f"{url}#change-{event.date}-{event.index}")
            entry.title(f"Changed: {product.title}")
            entry.summary(event.change.note)
        entry.link(href=url, rel="alternate", type="text/html")
        entry.published(timestamp(event.date))
        entry.updated(entry_updated)
        for stakeholder in catalog.producers_of(product):
            entry.author(name=stakeholder.name, **({"uri": stakeholder.url} if stakeholder.url else {}))
        entry.category(term=product.type, label=catalog.vocabulary.label("product_types", product.type))
        for category in product.categories:
            entry.category(term=category, label=catalog.vocabulary.label("matrix_categories", category))
    return feed.atom_str(pretty=True)


def schema_text() -> str:
    return SCHEMA_FILE.read_text(encoding="utf-8")
