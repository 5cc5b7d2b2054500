"""The proposal form (/contribute/propose/): a person fills it in by label, in Chromium; the file it
hands to GitHub passes `python -m pim validate` and gives back every value as typed; the form
offers every schema field and every allowed value; its script writes what `make new` writes."""

from __future__ import annotations

import datetime
import gzip
import json
import urllib.parse

import pytest

from conftest import ROOT, axe_blocking, copy_project, read_page, run_cli
from pim.load import load_catalog, load_vocabulary
from pim.productfile import render
from pim.scaffold import BODY, new_file_plan, product_text, slugify
from pim.schema import load_schema

FORM = "/contribute/propose/"
SCRIPT = ROOT / "docs" / "assets" / "javascripts" / "propose.js"
MAX_SCRIPT_GZIP = 15 * 1024
GITHUB_NEW = "https://github.com/pim-community/pim-site/new/main/products"

# Text a contributor might type that breaks naive YAML or templates.
HOSTILE_TITLE = 'Guide: "quotes", #hash, --- {{ 7*7 }} {% raw %} \'single\' ✨ دليل'
HOSTILE_SUMMARY = "---\nnot: yaml\n# comment? @at `tick` & <b>bold</b> \\ back\u2028slash 🎉 عربي: نعم"
HOSTILE_DESCRIPTION = "First paragraph with {{ config }} and <script>alert(1)</script>.\n\n---\n\n## Heading: yes\n"


def schema_paths(spec: dict, schema: dict, prefix: str = "") -> list[tuple[str, dict]]:
    """Every field of the schema, by its path (editions[].files[].url), $refs followed."""
    paths = []
    for key, child in spec.get("properties", {}).items():
        if "$ref" in child:
            child = {**schema["$defs"][child["$ref"].rsplit("/", 1)[-1]], **child}
        path = prefix + key
        paths.append((path, child))
        items = child.get("items", {})
        if items.get("type") == "object":
            paths += schema_paths(items, schema, path + "[].")
        elif child.get("type") == "object" or "properties" in child:
            paths += schema_paths(child, schema, path + ".")
    return paths


# --- Without a browser -------------------------------------------------------------------------

def test_page_exists_in_every_language_with_its_interface_translated(site_dir):
    for prefix, words in (("", "Continue on GitHub"), ("/fr", "Continuer sur GitHub"),
                          ("/es", "Continuar en GitHub"), ("/ar", "المتابعة على GitHub")):
        page = read_page(site_dir, prefix + FORM)
        assert words in page
        assert 'src="../../assets/javascripts/propose.js"' in page or "assets/javascripts/propose.js" in page
    french = read_page(site_dir, "/fr" + FORM)
    assert "Produit par" in french and "Résumé" in french and "Télécharger le fichier" in french


def test_script_is_small_and_loaded_on_the_form_page_only(site_dir):
    size = len(gzip.compress(SCRIPT.read_bytes(), 9))
    assert size <= MAX_SCRIPT_GZIP, f"propose.js is {size} bytes gzipped"
    for url in ("/", "/contribute/", "/products/", "/products/pim-matrix/"):
        assert "propose.js" not in read_page(site_dir, url)


def test_make_new_writes_the_same_file_as_before_through_the_shared_plan():
    vocabulary = load_vocabulary(ROOT, [])
    text = product_text("A title", datetime.date(2026, 1, 31), "pim-community", vocabulary)
    assert text.startswith("---\n# A new product.") and text.endswith(BODY)
    assert 'title: "A title"' in text and "  - language: en" in text and "    files: []" in text


def test_any_text_reads_back_unchanged_through_the_project_loader():
    from pim.productfile import quote, scalar
    from pim.yamlfile import parse_yaml

    texts = [HOSTILE_TITLE, HOSTILE_SUMMARY, HOSTILE_DESCRIPTION, "", " lead and trail ", "- item", "? key",
             "&anchor *alias !tag |block >fold %directive @at `tick`", "null", "~", "yes", "on", "1e3", "0x1F",
             "2024-03", "'single'", '"double"', "back\\slash\\", "tab\there", "line\nbreak\r\nagain",
             "\ufeffbom", "nel\x85", "del\x7f", "ls\u2028ps\u2029", "\ufffe\uffff", "🎉 دليل 中文 ✨",
             "".join(chr(c) for c in range(1, 0x250))]
    for text in texts:
        assert parse_yaml("key: " + quote(text)).data["key"] == text, repr(text)
        assert parse_yaml("key: [" + scalar(text, True) + "]").data["key"] == [text], repr(text)
    # Ids stay bare; words YAML would turn into booleans, null or numbers are quoted.
    assert scalar("case-management", True) == "case-management"
    for word in ("yes", "no", "on", "off", "true", "null", "2024", "1e3"):
        assert scalar(word, True).startswith('"')


# --- In Chromium ---------------------------------------------------------------------------------

@pytest.fixture
def form_page(watched_page, site_url):
    """The English form, with navigations to GitHub caught instead of sent."""
    sent = []

    def github(route):
        sent.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>GitHub (intercepted)</title>")

    watched_page.context.route("https://github.com/**", github)
    watched_page.goto(site_url + FORM)
    watched_page.sent = sent
    return watched_page


def sent_file(page) -> tuple[str, str]:
    """Click Continue on GitHub, catch the new tab's address, return (file name, content)."""
    with page.context.expect_page() as popup:
        page.get_by_role("button", name="Continue on GitHub").click()
    popup.value.wait_for_load_state()
    assert page.sent, "no navigation to GitHub"
    url = page.sent[-1]
    assert url.startswith(GITHUB_NEW + "?")
    query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query, keep_blank_values=True)
    return query["filename"][0], query["value"][0]


def fill_required(page, title: str = "Safe referral checklist"):
    page.get_by_label("Title (required)").fill(title)
    page.get_by_label("Summary (required)").fill("A one-page checklist.")
    page.get_by_label("Type (required)").select_option(label="Tool")
    page.get_by_label("Published (required)").fill("2024-03")
    producers = page.get_by_role("group", name="Produced by (required)")
    producers.get_by_label("Filter the organisations").fill("danish")
    producers.get_by_label("Danish Refugee Council (DRC)").check()


@pytest.mark.browser
def test_a_hostile_proposal_reaches_github_valid_and_unchanged(form_page, tmp_path):
    page = form_page
    page.get_by_label("Title (required)").fill(HOSTILE_TITLE)
    # The id follows the title by `make new`'s rule, and can be changed.
    assert page.get_by_label("File name (id) (required)").input_value() == slugify(HOSTILE_TITLE)
    page.get_by_label("File name (id) (required)").fill("hostile-guide")
    page.get_by_label("Summary (required)").fill(HOSTILE_SUMMARY)
    page.get_by_label("Type (required)").select_option(label="Tool")
    categories = page.get_by_role("group", name="PIM Matrix categories")
    categories.get_by_label("Case Management").check()
    categories.get_by_label("Protection Monitoring").check()
    page.get_by_role("group", name="Principles").get_by_label("Do No Harm").check()
    page.get_by_role("group", name="Process steps").get_by_label("Evaluate Impact").check()
    page.get_by_label("Published (required)").fill("unknown")
    page.get_by_label("Updated").fill("2025-11-02")
    producers = page.get_by_role("group", name="Produced by (required)")
    producers.get_by_label("Filter the organisations").fill("unhcr")
    producers.get_by_label("Office of the United Nations High Commissioner for Refugees (UNHCR)").check()
    producers.get_by_label("Filter the organisations").fill("danish")
    producers.get_by_label("Danish Refugee Council (DRC)").check()
    # The first edition is there from the start; add a file to it, then a second edition.
    edition = page.get_by_role("group", name="Edition 1")
    edition.get_by_label("Language (required)").select_option("en")
    edition.get_by_label("Title in this language").fill("English: \"title\" #1")
    edition.get_by_role("button", name="Add: Download or link").click()
    download = edition.get_by_role("group", name="Download or link 1")
    download.get_by_label("Label (required)").fill("Full report: 'final'")
    download.get_by_label("Format (required)").fill("PDF")
    download.get_by_label("Web address").fill("https://example.org/report.pdf?a=1&b=#x")
    page.get_by_role("button", name="Add: Edition").click()
    second = page.get_by_role("group", name="Edition 2")
    second.get_by_label("Language (required)").select_option("ar")
    second.get_by_label("Title in this language").fill("دليل الإحالة الآمنة 🛡️")
    translations = page.get_by_role("group", name="Translations")
    translations.get_by_role("group", name="French").get_by_label("Title").fill("Guide : « sûr » {{ x }}")
    translations.get_by_role("group", name="Arabic").get_by_label("Summary").fill("ملخص: نعم، #1")
    page.get_by_label("Licence").fill("CC BY-NC 4.0")
    page.get_by_label("Tags").fill("referral, yes, 2024")
    page.get_by_label("Description").fill(HOSTILE_DESCRIPTION)
    # The card preview shows the text as text.
    card = page.locator("[data-preview]")
    assert card.locator(".pim-card__title").text_content() == HOSTILE_TITLE
    assert card.locator("b, script").count() == 0
    assert card.locator("abbr").all_text_contents() == ["EN", "AR"]

    name, text = sent_file(page)
    assert name == "hostile-guide.md"
    assert page.locator("#pim-propose-errors").is_hidden()
    assert page.watch.errors == [] and page.watch.outside == []

    project = copy_project(tmp_path / "project")
    (project / "products" / name).write_text(text, encoding="utf-8", newline="\n")
    result = run_cli("validate", cwd=project)  # `python -m pim validate`, in this process
    assert result.returncode == 0, result.stdout + result.stderr
    catalog, problems = load_catalog(project)
    assert problems == []
    product = catalog.product("hostile-guide")
    # The file holds the summary as typed; the model makes it one line, as for any product file.
    from pim.model import one_line
    from pim.yamlfile import parse_yaml, split_front_matter
    assert parse_yaml(split_front_matter(text)[0]).data["summary"] == HOSTILE_SUMMARY
    assert product.title == HOSTILE_TITLE and product.summary == one_line(HOSTILE_SUMMARY)
    assert product.type == "tool" and product.published == "unknown" and product.updated == "2025-11-02"
    assert product.categories == ["protection-monitoring", "case-management"]
    assert product.principles == ["do-no-harm"] and product.process_steps == ["evaluate-impact"]
    assert sorted(product.producers) == ["drc", "unhcr"]
    assert [e.language for e in product.editions] == ["en", "ar"]
    assert product.editions[0].title == 'English: "title" #1'
    assert product.editions[1].title == "دليل الإحالة الآمنة 🛡️"
    entry = product.editions[0].files[0]
    assert (entry.label, entry.format, entry.url) == ("Full report: 'final'", "PDF", "https://example.org/report.pdf?a=1&b=#x")
    assert product.translations == {"fr": {"title": "Guide : « sûr » {{ x }}"}, "ar": {"summary": "ملخص: نعم، #1"}}
    assert product.licence == "CC BY-NC 4.0" and product.tags == ["referral", "yes", "2024"]
    assert product.body.strip() == HOSTILE_DESCRIPTION.strip()


@pytest.mark.browser
def test_mistakes_are_listed_at_the_top_and_beside_their_fields_before_anything_is_sent(form_page):
    page = form_page
    fill_required(page, title="PIM Matrix")  # an id that exists already
    page.get_by_label("Summary (required)").fill("x" * 301)
    page.get_by_label("Published (required)").fill("March 2024")
    edition = page.get_by_role("group", name="Edition 1")
    edition.get_by_role("button", name="Add: Download or link").click()
    download = edition.get_by_role("group", name="Download or link 1")
    download.get_by_label("Label (required)").fill("Report")
    download.get_by_label("Format (required)").fill("PDF")
    download.get_by_label("Web address").fill("javascript:alert(1)")
    page.get_by_label("Tags").fill("Not A Tag")
    page.get_by_role("button", name="Continue on GitHub").click()

    summary = page.locator("#pim-propose-errors")
    assert summary.is_visible()
    assert page.evaluate("document.activeElement.id") == "pim-propose-errors"
    items = summary.locator("li a").all_text_contents()
    assert items[0].startswith("File name (id): A product already has this id")
    assert any(i.startswith("Summary: At most 300 characters") for i in items)
    assert any(i.startswith("Published: ") for i in items)
    assert any("Web address: A web address must start with https://" in i for i in items)
    assert any(i.startswith("Tags: ") for i in items)
    # Each error is tied to its field, and its link moves the focus there.
    summary_field = page.get_by_label("Summary (required)")
    assert summary_field.get_attribute("aria-invalid") == "true"
    described = summary_field.get_attribute("aria-describedby").split()
    assert "pf-summary-error" in described and "pf-summary-help" in described
    assert page.locator("#pf-summary-error").text_content() == "At most 300 characters."
    summary.get_by_role("link", name="Summary: At most 300 characters.").click()
    assert page.evaluate("document.activeElement.id") == "pf-summary"
    assert page.sent == []
    # Fixed, the errors go and the file is sent.
    page.get_by_label("File name (id) (required)").fill("pim-matrix-2")
    page.get_by_label("Summary (required)").fill("Short.")
    page.get_by_label("Published (required)").fill("2024")
    download.get_by_label("Web address").fill("https://example.org/r.pdf")
    page.get_by_label("Tags").fill("a-tag")
    name, _ = sent_file(page)
    assert name == "pim-matrix-2.md" and summary.is_hidden()
    assert summary_field.get_attribute("aria-invalid") is None
    assert "pf-summary-error" not in summary_field.get_attribute("aria-describedby")


@pytest.mark.browser
def test_a_file_too_long_for_an_address_is_offered_as_a_download(form_page):
    page = form_page
    fill_required(page)
    assert page.locator("#pim-propose-toolong").is_hidden()
    assert page.get_by_role("button", name="Continue on GitHub").get_attribute("aria-describedby") is None
    page.get_by_label("Description").fill("A long description. " * 400)
    # The button says so before it is pressed (its description), and again when it is.
    assert page.locator("#pim-propose-toolong").is_visible()
    described_by = page.get_by_role("button", name="Continue on GitHub").get_attribute("aria-describedby")
    assert "too long" in page.locator(f"#{described_by}").text_content()
    page.get_by_role("button", name="Continue on GitHub").click()
    assert "too long" in page.locator("[data-status]").text_content()
    assert page.evaluate("document.activeElement.textContent.trim()") == "Download the file"
    assert page.sent == []
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the file").click()
    assert download.value.suggested_filename == "safe-referral-checklist.md"
    text = open(download.value.path(), encoding="utf-8").read()
    assert 'title: "Safe referral checklist"' in text and text.count("A long description.") == 400


@pytest.mark.browser
def test_copy_puts_the_file_on_the_clipboard(watched_page, site_url):
    page = watched_page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url)
    page.goto(site_url + FORM)
    fill_required(page)
    page.get_by_role("button", name="Copy").click()
    page.wait_for_function("document.querySelector('[data-status]').textContent.includes('copied')")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("[data-file]").text_content()
    assert copied.startswith("---\n") and 'title: "Safe referral checklist"' in copied


def assert_the_script_writes_what_python_writes_for_the_same_values(page):
    """window.pimProposeRender, the script's writer, against pim.productfile.render."""
    vocabulary = load_vocabulary(ROOT, [])
    plan = new_file_plan(vocabulary)
    from pim.scaffold import product_values
    cases = [
        (product_values("A title", datetime.date(2026, 1, 31), "pim-community"), BODY),
        ({"title": HOSTILE_TITLE, "summary": HOSTILE_SUMMARY + "\x7f\x85\ufeff\t\x00", "type": "tool",
          "categories": ["case-management"], "published": "2024", "producers": ["drc", "unhcr"], "featured": True,
          "editions": [{"language": "en", "title": "T", "files": [
              {"label": "L", "format": "PDF", "url": "https://x.org/a?b=1#c"},
              {"label": "M", "format": "Web", "path": "downloads/x.pdf"}]}, {"language": "fr"}],
          "translations": {"fr": {"title": "Le titre"}, "ar": {"title": "ع", "summary": "م"}},
          "tags": ["yes", "a-b", "2024", "null"], "aliases": ["/essential/x/"], "licence": "CC BY"},
         "\n" + HOSTILE_DESCRIPTION),
    ]
    for values, body in cases:
        in_browser = page.evaluate("([values, body]) => window.pimProposeRender(values, body)", [values, body])
        assert in_browser == render(plan, values, body)
    # make new's own file, from the browser.
    assert page.evaluate("([v, b]) => window.pimProposeRender(v, b)", [cases[0][0], BODY]) == \
        product_text("A title", datetime.date(2026, 1, 31), "pim-community", vocabulary)


@pytest.mark.browser
def test_the_form_offers_every_schema_field_and_every_allowed_value_and_writes_what_python_writes(form_page):
    page = form_page
    catalog, _ = load_catalog(ROOT)
    schema = load_schema("product")
    page.get_by_role("group", name="Edition 1").get_by_role("button", name="Add: Download or link").click()
    page.get_by_role("button", name="Add: Change").click()  # optional lists start empty
    for path, spec in schema_paths(schema, schema):
        field = page.locator(f'[data-path="{path}"]')
        assert field.count() >= 1, f"no control for {path}"
        items = spec.get("items", {})
        allowed = spec.get("enum") or items.get("enum") or []
        offered = set(field.first.locator("option, input[type=checkbox]").evaluate_all("els => els.map(e => e.value)"))
        assert set(allowed) <= offered, f"{path}: {set(allowed) - offered} not offered"
        if path == "producers":
            assert {s.id for s in catalog.stakeholders} <= offered
    # Labels are visible, each control has one.
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll('#pim-propose input, #pim-propose select, #pim-propose textarea'))
        .filter(e => !e.labels || !e.labels.length || !e.labels[0].textContent.trim()).map(e => e.id)""")
    assert unlabelled == []
    # What was test_the_script_writes_what_python_writes_for_the_same_values, on this page load
    # (the script's writer reads no field: what the form holds does not matter).
    assert_the_script_writes_what_python_writes_for_the_same_values(page)


@pytest.mark.browser
def test_the_form_works_from_the_keyboard(form_page):
    page = form_page
    page.locator("#pf-title").focus()
    page.keyboard.type("Keyboard guide")
    page.keyboard.press("Tab")  # the id, filled in from the title
    assert page.evaluate("document.activeElement.id") == "pf-id"
    assert page.evaluate("document.activeElement.value") == "keyboard-guide"
    edition = page.get_by_role("group", name="Edition 1")
    edition.get_by_role("button", name="Add: Download or link").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id").endswith("-label")
    remove = edition.get_by_role("group", name="Download or link 1").get_by_role("button", name="Remove")
    remove.focus()
    page.keyboard.press("Enter")
    assert page.get_by_role("group", name="Download or link 1").count() == 0
    assert page.evaluate("document.activeElement.textContent.trim()") == "Add: Download or link"


@pytest.mark.browser
def test_french_form_speaks_french(watched_page, site_url):
    page = watched_page
    page.goto(site_url + "/fr" + FORM)
    page.get_by_role("button", name="Continuer sur GitHub").click()
    assert page.locator("#pim-propose-errors").is_visible()
    assert page.locator("#pf-title-error").text_content() != "Fill this in."
    # The first edition is in the page's language.
    assert page.get_by_role("group", name="Édition 1").locator("select").input_value() == "fr"


@pytest.mark.browser
def test_no_serious_accessibility_violation_with_errors_shown(form_page):
    page = form_page
    page.get_by_role("button", name="Continue on GitHub").click()
    page.get_by_role("group", name="Edition 1").get_by_role("button", name="Add: Download or link").click()
    assert axe_blocking(page) == []


def test_spec_embedded_in_the_page_lists_the_ids_taken(site_dir):
    page = read_page(site_dir, FORM)
    start = page.index('<script type="application/json" id="pim-propose-spec">') + len('<script type="application/json" id="pim-propose-spec">')
    spec = json.loads(page[start:page.index("</script>", start)])
    catalog, _ = load_catalog(ROOT)
    assert spec["ids"] == sorted(p.id for p in catalog.products)
    assert spec["newFile"] == GITHUB_NEW


@pytest.mark.browser
def test_fields_added_to_the_schema_get_controls_and_reach_the_file(form_page, tmp_path):
    """The form is drawn from the schema: the fields later changes added (a file's checksum, the
    review date and period, a list of changes with translated notes) got controls with no
    template work, and what is typed in them comes back from the file GitHub receives."""
    from pim.yamlfile import parse_yaml, split_front_matter

    page = form_page
    fill_required(page, "Checked guide")
    edition = page.get_by_role("group", name="Edition 1")
    edition.get_by_role("button", name="Add: Download or link").click()
    download = edition.get_by_role("group", name="Download or link 1")
    download.get_by_label("Label (required)").fill("Guide")
    download.get_by_label("Format (required)").fill("PDF")
    download.get_by_label("Web address").fill("https://example.org/guide.pdf")
    download.get_by_label("SHA-256 checksum").fill("0" * 63 + "a")
    page.get_by_label("Reviewed").fill("2025-06-30")
    page.get_by_label("Review every").fill("18")
    page.get_by_role("button", name="Add: Change").click()
    change = page.get_by_role("group", name="Change 1")
    change.get_by_label("Date (required)").fill("2025-06-30")
    change.get_by_label("Note (required)").fill('Fixed the "link": #2')
    change.get_by_role("group", name="Translations").get_by_label("French").fill("Lien corrigé")
    change.get_by_role("group", name="Translations").get_by_label("Arabic").fill("أُصلح الرابط")
    page.get_by_role("button", name="Add: Change").click()
    second = page.get_by_role("group", name="Change 2")
    second.get_by_label("Date (required)").fill("2024-01-15")
    second.get_by_label("Note (required)").fill("First edition.")

    name, value = sent_file(page)
    assert name == "checked-guide.md"
    assert page.locator("#pim-propose-errors").is_hidden()
    project = copy_project(tmp_path / "project")
    (project / "products" / name).write_text(value, encoding="utf-8", newline="\n")
    result = run_cli("validate", cwd=project)  # `python -m pim validate`, in this process
    assert result.returncode == 0, result.stdout + result.stderr
    data = parse_yaml(split_front_matter(value)[0]).data
    assert data["editions"][0]["files"][0]["sha256"] == "0" * 63 + "a"
    assert data["reviewed"] == "2025-06-30" and str(data["review_every"]) == "18"
    assert data["changes"] == [
        {"date": "2025-06-30", "note": 'Fixed the "link": #2', "translations": {"fr": "Lien corrigé", "ar": "أُصلح الرابط"}},
        {"date": "2024-01-15", "note": "First edition."}]
    # The project's loader reads them as the site will show them.
    catalog, problems = load_catalog(project)
    assert problems == []
    product = catalog.product("checked-guide")
    assert product.editions[0].files[0].sha256 == "0" * 63 + "a"
    assert product.reviewed == "2025-06-30" and product.review_every == 18
    assert [(c.date, c.note) for c in product.history()] == [
        ("2025-06-30", 'Fixed the "link": #2'), ("2024-01-15", "First edition.")]


@pytest.mark.browser
def test_the_preview_has_the_listing_card_s_shape_and_text(form_page, site_url):
    """The card preview is drawn as partials/product-card.html draws an entry of /products/."""
    page = form_page
    catalog, _ = load_catalog(ROOT)
    product = catalog.product("pim-matrix")
    page.get_by_label("Title (required)").fill(product.title)
    page.get_by_label("Summary (required)").fill(product.summary)
    page.get_by_label("Type (required)").select_option(product.type)
    page.get_by_label("Published (required)").fill(product.published)
    for index, language in enumerate(product.languages):
        if index:
            page.get_by_role("button", name="Add: Edition").click()
        page.get_by_role("group", name=f"Edition {index + 1}").get_by_label("Language (required)").select_option(language)
    shape = """card => ({
        tree: Array.from(card.querySelectorAll('*')).map(e => e.tagName + '.' + e.className),
        text: card.textContent.replace(/\\s+/g, ' ').trim()})"""
    preview = page.locator("[data-preview]").evaluate(shape)
    page.goto(site_url + "/products/")  # the preview is read: the same page shows the listing
    card = page.locator('[data-product-id="pim-matrix"]').evaluate(shape)
    assert preview == card
