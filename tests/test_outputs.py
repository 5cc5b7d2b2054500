"""catalog.json, catalog.csv and feed.xml hold exactly the data files' products, survive hostile
titles, and come out byte-for-byte the same from two builds."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from jsonschema import Draft202012Validator

from conftest import ROOT, copy_project, read_page
from pim import outputs
from pim.load import load_catalog
from test_facets_browser import FORMULA_TITLE, TRICKY_TITLE, add_synthetic_products, write_product

SITE = "https://example.org/pim/"
ATOM = "{http://www.w3.org/2005/Atom}"
OUTPUT_FILES = ["catalog.json", "catalog.schema.json", "catalog.csv", "feed.xml"]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("outputs") / "project")
    add_synthetic_products(project)
    write_product(project, "revised-product", {
        "title": "Revised product", "summary": "Published in 2023 and revised in 2025.", "type": "guidance",
        "published": "2023-03", "updated": "2025-06-01", "producers": ["drc"],
        "editions": [{"language": "en", "files": [{"label": "Local copy", "format": "PDF", "path": "assets/logo.svg"}]}],
    })
    loaded, problems = load_catalog(project)
    assert not problems, problems
    return loaded


@pytest.fixture(scope="module")
def document(catalog):
    return json.loads(outputs.catalog_json(catalog, SITE))


def test_catalog_json_is_valid_against_its_schema(document):
    schema = json.loads((ROOT / "pim" / "schemas" / "catalog.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in Draft202012Validator(schema).iter_errors(document)]
    assert errors == []
    assert document["version"] == outputs.FORMAT_VERSION == "1.2"


def test_catalog_json_carries_each_products_translations(document):
    records = {r["id"]: r for r in document["products"]}
    matrix = records["pim-matrix"]["translations"]
    assert list(matrix) == ["fr", "es", "ar"]
    assert set(matrix["fr"]) == {"summary"}  # an English-only document keeps its title
    assert matrix["ar"]["summary"].startswith("إطار يصنّف")
    assert records["protection-analytical-framework"]["translations"]["fr"]["title"] == "Cadre d'analyse de la protection (PAF)"
    assert records["revised-product"]["translations"] == {}


def test_catalog_json_has_every_product_with_its_metadata_and_page_url(catalog, document):
    records = {r["id"]: r for r in document["products"]}
    assert [r["id"] for r in document["products"]] == [p.id for p in catalog.products]  # newest first
    for p in catalog.products:
        r = records[p.id]
        for name in ("title", "summary", "type", "categories", "principles", "process_steps", "published",
                     "updated", "producers", "languages", "licence", "tags", "aliases", "featured"):
            assert r[name] == getattr(p, name), (p.id, name)
        assert r["path"] == f"products/{p.id}/"
        assert r["url"] == f"{SITE}products/{p.id}/"
        assert [e["language"] for e in r["editions"]] == p.languages
        assert [e["title"] for e in r["editions"]] == [e.title for e in p.editions]
    local = records["revised-product"]["editions"][0]["files"][0]
    assert local["url"] == SITE + "assets/logo.svg" and local["path"] == "assets/logo.svg" and local["size"] > 0
    assert {s["id"] for s in document["stakeholders"]} == {s.id for s in catalog.stakeholders}
    assert [t["id"] for t in document["vocabularies"]["matrix_categories"]] == list(catalog.vocabulary.matrix_categories)
    assert document["updated"] == "2025-06-01"  # the newest date in the data, not the build time


def test_catalog_json_carries_review_dates_and_changes_newest_first(tmp_path):
    project = copy_project(tmp_path / "project")
    write_product(project, "reviewed-product", {
        "title": "Reviewed product", "summary": "Revised, then checked.", "type": "guidance",
        "published": "2023-03", "updated": "2025-06-01", "producers": ["drc"],
        "editions": [{"language": "en", "files": [{"label": "Local copy", "format": "PDF", "path": "assets/logo.svg"}]}],
        "reviewed": "2025-09-15", "review_every": 12,
        "changes": [{"date": "2025-06-01", "note": "Second edition.", "translations": {"fr": "Deuxième édition."}},
                    {"date": "2025-09-15", "note": "Links checked; none broken."}],
    })
    catalog, problems = load_catalog(project)
    assert not problems, problems
    document = json.loads(outputs.catalog_json(catalog, SITE))
    revised = next(r for r in document["products"] if r["id"] == "reviewed-product")
    assert revised["reviewed"] == "2025-09-15" and revised["review_every"] == 12
    assert revised["review_due"] == "2026-09-15"  # from the data alone: the same whatever the build day
    assert revised["changes"] == [
        {"date": "2025-09-15", "note": "Links checked; none broken.", "translations": {}},
        {"date": "2025-06-01", "note": "Second edition.", "translations": {"fr": "Deuxième édition."}},
    ]
    for record in document["products"]:  # never reviewed: due its type's interval after its last date
        review = catalog.review(next(p for p in catalog.products if p.id == record["id"]))
        assert record["review_every"] == review.every
        assert record["review_due"] == (review.due.isoformat() if review.due else None)


def test_catalog_json_keeps_hostile_titles_as_plain_text(document):
    tricky = next(r for r in document["products"] if r["id"] == "tricky-title")
    assert tricky["title"] == TRICKY_TITLE
    assert tricky["editions"][0]["title"] == "عنوان <i>"


def unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(outputs.FORMULA_STARTS) else cell


def test_catalog_csv_parses_back_to_the_same_values(catalog):
    text = outputs.catalog_csv(catalog, SITE)
    assert text.startswith("\ufeff")  # byte order mark for spreadsheets
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    assert [row["id"] for row in rows] == [p.id for p in catalog.products]
    for row, p in zip(rows, catalog.products):
        values = {k: unneutralise(v) for k, v in row.items()}
        assert values["title"] == p.title
        assert values["summary"] == p.summary
        assert values["type"] == p.type
        assert values["categories"].split(";") == (p.categories or [""])
        assert values["languages"].split(";") == p.languages
        assert values["producers"].split(";") == p.producers
        assert values["producer_names"].split(";") == [s.name for s in catalog.producers_of(p)]
        assert values["published"] == p.published
        assert values["updated"] == (p.updated or "")
        assert values["reviewed"] == (p.reviewed or "")
        assert values["review_due"] == (catalog.review(p).due.isoformat() if catalog.review(p).due else "")
        assert values["licence"] == (p.licence or "")
        assert values["featured"] == ("true" if p.featured else "false")
        assert values["url"] == f"{SITE}products/{p.id}/"


def test_catalog_csv_neutralises_spreadsheet_formulas(catalog):
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(outputs.catalog_csv(catalog, SITE)[1:], newline=""))}
    assert rows["formula-title"]["title"] == "'" + FORMULA_TITLE
    assert rows["formula-title"]["summary"].startswith("'+cmd")
    assert rows["tricky-title"]["summary"].startswith("'-1 & <b>")
    assert rows["tricky-title"]["licence"] == "'=1+1"
    assert rows["tricky-title"]["title"] == TRICKY_TITLE  # '<' is harmless in a spreadsheet
    for row in rows.values():
        for value in row.values():
            assert not value.startswith(outputs.FORMULA_STARTS), value


@pytest.fixture(scope="module")
def feed(catalog):
    raw = outputs.atom_feed(catalog, SITE)
    return raw, ET.fromstring(raw)


def test_feed_has_one_entry_per_newest_dated_product(catalog, feed):
    _, root = feed
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    newest = [p for p in catalog.products if p.published != "unknown"][:20]
    assert len(entries) == 20
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"{SITE}products/{p.id}/" for p in newest]
    assert [e.findtext(f"{ATOM}title") for e in entries] == [p.title for p in newest]
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [f"{SITE}products/{p.id}/" for p in newest]


def test_feed_dates_are_mapped_deterministically_from_product_dates(catalog, feed):
    _, root = feed
    entries = {e.findtext(f"{ATOM}id").rsplit("/", 2)[-2]: e for e in root.findall(f"{ATOM}entry")}
    assert root.findtext(f"{ATOM}updated") == "2025-06-01T00:00:00+00:00"  # the newest product date
    revised = entries["revised-product"]
    assert revised.findtext(f"{ATOM}published") == "2023-03-01T00:00:00+00:00"
    assert revised.findtext(f"{ATOM}updated") == "2025-06-01T00:00:00+00:00"
    assert entries["tricky-title"].findtext(f"{ATOM}published") == "2024-12-31T00:00:00+00:00"
    assert outputs.timestamp("2019").isoformat() == "2019-01-01T00:00:00+00:00"
    assert outputs.timestamp("2016-04").isoformat() == "2016-04-01T00:00:00+00:00"
    assert outputs.atom_feed(catalog, SITE) == outputs.atom_feed(catalog, SITE)


def test_feed_escapes_hostile_titles(feed):
    raw, root = feed
    text = raw.decode("utf-8")
    assert "<script>" not in text
    assert "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; tips" in text
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert TRICKY_TITLE in titles


def test_outputs_work_without_a_site_url(catalog):
    document = json.loads(outputs.catalog_json(catalog, ""))
    assert document["products"][0]["url"] == document["products"][0]["path"]
    ET.fromstring(outputs.atom_feed(catalog, ""))


# --- the built site ------------------------------------------------------------------------------

def test_built_site_publishes_the_files_at_its_root(site_dir):
    root_catalog, _ = load_catalog(ROOT)
    document = json.loads(read_page(site_dir, "catalog.json"))
    assert [r["id"] for r in document["products"]] == [p.id for p in root_catalog.products]
    assert document["products"][0]["url"] == document["site_url"].rstrip("/") + "/" + document["products"][0]["path"]
    schema = (site_dir / "catalog.schema.json").read_text(encoding="utf-8")
    assert schema == (ROOT / "pim" / "schemas" / "catalog.schema.json").read_text(encoding="utf-8")
    assert (site_dir / "catalog.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    ET.fromstring((site_dir / "feed.xml").read_bytes())


def test_product_listing_links_to_the_files_and_home_and_listing_announce_them(site_dir):
    listing = read_page(site_dir, "/products/")
    for name in ("catalog.json", "catalog.csv", "feed.xml"):
        assert re.search(rf'<a href="\.\./{re.escape(name)}"', listing), name
    assert 'href="../catalog-format/"' in listing
    for url in ("/", "/products/"):
        head = read_page(site_dir, url).split("</head>")[0]
        assert re.search(r'<link rel="alternate" type="application/json" href="[./]*catalog\.json"', head)
        assert re.search(r'<link rel="alternate" type="text/csv" href="[./]*catalog\.csv"', head)
        assert re.search(r'<link rel="alternate" type="application/atom\+xml" href="[./]*feed\.xml"', head)
    # Elsewhere Material would fetch sitemap.xml for each announcement on every page view. (The
    # hreflang links to each language's home stay: issue 8 asks for them, and they have a sitemap.)
    head = read_page(site_dir, "/matrix/protection-monitoring/").split("</head>")[0]
    assert not re.search(r'<link rel="alternate"(?![^>]*hreflang=)', head)


def test_catalog_format_page_documents_the_version_and_links_the_files(site_dir):
    html = read_page(site_dir, "/catalog-format/")
    assert f'"{outputs.FORMAT_VERSION}"' in html
    for name in OUTPUT_FILES:
        assert f'href="../{name}"' in html


# Two builds, of copies at other paths and moments, give the same bytes: test_properdocs.py builds
# a copy and compares every file of the site (the files above among them) with the session's build.
