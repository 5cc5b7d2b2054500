"""The print editions (`make pdf`, pim/pdf_edition.py): per language, the guide as a book and the
quick-reference card as one A3 sheet. The PDFs are printed once per session (from the session's
site build) and read back with pypdf (structure) and pypdfium2 (text, as a reader's copy and
paste gets it).

Arabic text read back: PDFium gives each Arabic word's letters in visual order (reversed), as
presentation forms; NFKC folds them back to letters, and a word is found when it, its reverse, or
(for the lam-alef ligature, which NFKC unfolds in logical order inside a reversed word) the same
letters are among the page's words; a word split at a ligature or a mark is found in the text
without its spaces. Even so PDFium misses some Arabic words (ARABIC_MISSED)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import lxml.html
import pypdf
import pypdfium2 as pdfium
import pytest

from conftest import CHROMIUM, ROOT, shared_folder
from pim import pdf_book, pdf_edition
from pim.load import load_catalog
from pim.model import EditionFile, Edition, Product

EPOCH = 1741089600  # 2025-03-04 12:00 UTC
LANGUAGES = ("en", "fr", "es", "ar")
A3_LANDSCAPE = (1190.55, 841.89)  # points
MM = 72 / 25.4  # points per millimetre
ARABIC = re.compile("[\u0600-\u06ff]")
# What PDFium reads back of Arabic, word for word, is not perfect: where Chromium places marks and
# dots as glyphs of their own, PDFium breaks some words apart and mixes their pieces into other
# lines. At most this share of Arabic words may be missed; every other language must have them all.
ARABIC_MISSED = 0.10


def run_pdf_edition(dist: Path, site_dir: Path, only=None) -> list[Path]:
    """What `make pdf` runs, in a process of its own: the session's browser fixture already holds
    Playwright's event loop in this one, and a second sync Playwright refuses to start beside it."""
    command = [sys.executable, "-m", "pim.pdf_edition", "--root", str(ROOT), "--dist", str(dist),
               "--site-dir", str(site_dir)] + (["--languages", *only] if only else [])
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "CHROMIUM": CHROMIUM}
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return sorted(dist.glob("*.pdf"))


@pytest.fixture(scope="session")
def pdfs(site_dir) -> Path:
    """Every language's two PDFs, printed once per test run from the shared site."""
    return shared_folder("pdf", lambda dist: run_pdf_edition(dist, site_dir))


@pytest.fixture(scope="module")
def catalog():
    loaded, problems = load_catalog(ROOT)
    assert not problems
    return loaded


def guide(pdfs: Path, language: str) -> Path:
    return pdfs / f"pim-guide-{language}.pdf"


def card(pdfs: Path, language: str) -> Path:
    return pdfs / f"pim-quick-reference-{language}.pdf"


def plain(text: str) -> str:
    """NFKC, without Arabic diacritics (marks) and tatweel."""
    text = unicodedata.normalize("NFKC", text)
    return "".join(char for char in text if unicodedata.category(char) != "Mn" and char != "\u0640")


def words(text: str) -> list[str]:
    return [word.casefold() for word in re.findall(r"\w+", plain(text))]


class Words:
    """A page's (or a document's) words, found as the reader's copy would give them."""

    def __init__(self, text: str):
        self.exact = set(words(text))
        self.letters = {"".join(sorted(word)) for word in self.exact}
        self.joined = "".join(words(text))

    def has(self, word: str) -> bool:
        word = word.casefold()
        if word in self.exact or word[::-1] in self.exact or "".join(sorted(word)) in self.letters:
            return True
        # Arabic words also come back split in two, where a ligature (lam-alef) or a mark stands
        # (ال أشخاص for الأشخاص, ت نوع for تنوع): found in the text without its spaces.
        return bool(ARABIC.search(word)) and (word in self.joined or word[::-1] in self.joined)

    def share_missing(self, texts) -> tuple[float, list[str]]:
        expected = [word for text in texts for word in words(text)]
        missing = [word for word in expected if not self.has(word)]
        return len(missing) / max(len(expected), 1), missing

    def missing(self, text: str) -> list[str]:
        return [word for word in words(text) if not self.has(word)]


_texts: dict[Path, list[str]] = {}


def page_texts(path: Path) -> list[str]:
    if path not in _texts:
        document = pdfium.PdfDocument(path)
        _texts[path] = [page.get_textpage().get_text_range() for page in document]
        document.close()
    return _texts[path]


def outline(reader: pypdf.PdfReader) -> list[tuple[str, int, int]]:
    """(title, page from 1, level) of every bookmark."""
    found = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                found.append((item.title, reader.get_destination_page_number(item) + 1, level))
    walk(reader.outline, 1)
    return found


def fonts(reader: pypdf.PdfReader):
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            described = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            yield font, described.get("/FontDescriptor")


# --- The files ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_its_guide_and_card_within_their_size_budgets(pdfs, language):
    assert guide(pdfs, language).read_bytes().startswith(b"%PDF-")
    assert guide(pdfs, language).stat().st_size <= 3_000_000
    assert card(pdfs, language).stat().st_size <= 1_000_000


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_metadata_carry_title_subject_and_language_and_every_font_is_embedded(pdfs, language):
    for path in (guide(pdfs, language), card(pdfs, language)):
        reader = pypdf.PdfReader(path)
        assert reader.trailer["/Root"]["/Lang"] == language
        assert reader.metadata.title and reader.metadata.subject
        assert reader.metadata["/CreationDate"].startswith("D:20250304120000")
        for font, descriptor in fonts(reader):
            # Only the pinned fonts (package-lock.json): Noto, and DejaVu Sans for what Noto lacks.
            assert re.match(r"/[A-Z]{6}\+(NotoSans|NotoSansArabic|DejaVuSans)-?", str(font.get("/BaseFont"))), font
            assert descriptor is not None and {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.get_object())
    if language == "ar":
        preferences = pypdf.PdfReader(guide(pdfs, language)).trailer["/Root"]["/ViewerPreferences"]
        assert preferences["/Direction"] == "/R2L"


@pytest.mark.browser
def test_two_runs_on_one_commit_give_the_same_bytes(pdfs, site_dir, tmp_path):
    again = run_pdf_edition(tmp_path, site_dir, ["ar"])
    assert sorted(path.name for path in again) == ["pim-guide-ar.pdf", "pim-quick-reference-ar.pdf"]
    for path in again:
        assert path.read_bytes() == (pdfs / path.name).read_bytes(), path.name


# --- The guide ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_guide_holds_every_product_title_and_every_label_in_its_language(pdfs, catalog, language):
    found = Words("\n".join(page_texts(guide(pdfs, language))))
    vocabulary = catalog.vocabulary
    expected = [product.title_in(language) for product in catalog.products]
    for kind in ("principles", "matrix_categories", "process_steps"):
        expected += [term.label_in(language) for term in vocabulary.terms(kind).values()]
    share, missing = found.share_missing(expected)
    assert share <= (ARABIC_MISSED if language == "ar" else 0), missing


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_bookmark_lands_on_the_page_that_has_its_heading(pdfs, language):
    reader = pypdf.PdfReader(guide(pdfs, language))
    marks = outline(reader)
    assert len([mark for mark in marks if mark[2] == 1]) >= 8  # the guidance pages, catalog, stakeholders
    # Where the bookmark points is where Chromium put the heading (its named destination)...
    named = {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
             for name, dest in reader.named_destinations.items()}
    landing = {page for name, page in named.items()}
    assert {page for _, page, _ in marks} <= landing
    # ...and that page has the heading's words.
    texts = page_texts(guide(pdfs, language))
    for title, page, _ in marks:
        share, missing = Words(texts[page - 1]).share_missing([title])
        assert share <= (0.5 if language == "ar" else 0), (title, page, missing)


def contents_links(reader: pypdf.PdfReader):
    """(destination name, rectangle, page index) of each link on the contents pages (before the
    first section)."""
    named = {str(name).lstrip("/"): reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
    first_section = min(page for name, page in named.items() if name != "contents")
    for index in range(1, first_section):
        for annotation in reader.pages[index].get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Dest") is not None:
                yield str(annotation["/Dest"]).lstrip("/"), [float(x) for x in annotation["/Rect"]], index, named


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_contents_give_the_page_where_each_heading_is(pdfs, language):
    path = guide(pdfs, language)
    reader = pypdf.PdfReader(path)
    document = pdfium.PdfDocument(path)
    checked = 0
    for name, (left, bottom, right, top), index, named in contents_links(reader):
        # The page number sits at the line's end: the right in English, the left in Arabic.
        column = (left, left + 14 * MM) if language == "ar" else (right - 14 * MM, right)
        shown = document[index].get_textpage().get_text_bounded(left=column[0], bottom=bottom, right=column[1], top=top)
        assert re.sub(r"\D", "", shown) == str(named[name] + 1), (name, shown)
        checked += 1
    assert checked >= 10
    document.close()


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_after_the_cover_has_a_running_header_and_its_page_number(pdfs, language):
    document = pdfium.PdfDocument(guide(pdfs, language))
    for index in range(1, len(document)):
        page = document[index]
        width, height = page.get_size()
        text = page.get_textpage()
        # The section's name at the start of the line: the top right in Arabic, the top left otherwise.
        start = (width / 2, width) if language == "ar" else (0, width / 2)
        header = text.get_text_bounded(left=start[0], bottom=height - 20 * MM, right=start[1], top=height)
        assert header.strip(), index
        footer = text.get_text_bounded(left=0, bottom=0, right=width, top=16 * MM)
        assert footer.strip() == str(index + 1)
    document.close()


@pytest.mark.browser
def test_links_lead_to_their_place_in_the_book_and_to_the_files_addresses(pdfs, catalog):
    reader = pypdf.PdfReader(guide(pdfs, "en"))
    named = set(str(name).lstrip("/") for name in reader.named_destinations)
    internal, external = [], set()
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Dest") is not None:
                internal.append(str(annotation["/Dest"]).lstrip("/"))
            elif annotation.get("/A", {}).get("/URI"):
                external.add(str(annotation["/A"]["/URI"]))
    assert internal and set(internal) <= named
    addresses = {file.url for product in catalog.products for edition in product.editions for file in edition.files if file.url}
    assert addresses <= external


@pytest.mark.browser
def test_arabic_text_read_back_has_the_words_of_the_arabic_page(pdfs, site_dir):
    page = lxml.html.fromstring((site_dir / "ar" / "what-is-pim" / "index.html").read_bytes())
    article = page.xpath('//article')[0]
    for link in article.xpath('.//a[contains(@class, "headerlink")]'):
        link.drop_tree()
    expected = [word for word in words(article.text_content()) if re.search("[\u0600-\u06ff]", word)]
    assert len(expected) > 200
    found = Words("\n".join(page_texts(guide(pdfs, "ar"))))
    missing = [word for word in expected if not found.has(word)]
    assert len(missing) <= len(expected) * ARABIC_MISSED, missing[:40]


# --- The card -------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_card_is_one_a3_landscape_page_with_every_principle_category_and_step(pdfs, catalog, language):
    reader = pypdf.PdfReader(card(pdfs, language))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert abs(float(box.width) - A3_LANDSCAPE[0]) < 2 and abs(float(box.height) - A3_LANDSCAPE[1]) < 2
    found = Words(page_texts(card(pdfs, language))[0])
    for kind in ("principles", "matrix_categories", "process_steps"):
        texts = [text for term in catalog.vocabulary.terms(kind).values()
                 for text in (term.label_in(language), term.description_in(language))]
        share, missing = found.share_missing(texts)
        assert share <= (ARABIC_MISSED if language == "ar" else 0), missing


# --- Bad input ------------------------------------------------------------------------------


def long_product() -> Product:
    address = "https://example.org/" + "a" * 400 + ".pdf"
    return Product(
        id="long", title="Unbreakable" + "x" * 300 + " and a title that goes on " * 8,
        summary="A summary that goes on and on. " * 60, type="guidance", published="2020",
        producers=["pim-community"], editions=[Edition("en", files=[
            EditionFile(label=f"File {i} " + "y" * 80, format="PDF", url=address) for i in range(30)])])


@pytest.mark.browser
def test_a_product_takes_at_most_a_third_of_a_page_and_nothing_runs_off_it(site_dir, catalog, watched_page, tmp_path):
    config = pdf_book.read_config(ROOT)
    language = pdf_book.languages(config)[0]
    t = pdf_edition.interface_text(ROOT, "en")
    book = pdf_book.make_book(site_dir, config, catalog, language, t, "2025-03-04", "4 March 2025")
    book.products = [long_product()] + book.products
    html = tmp_path / "book.html"
    faces = pdf_edition.font_faces(ROOT)
    html.write_text(pdf_edition.render_book(pdf_edition.template_env(ROOT), book, t, faces), encoding="utf-8")
    page = watched_page
    page.goto(html.as_uri())
    page.emulate_media(media="print")
    entry = page.evaluate("""() => { const e = document.getElementById('product-long');
        const r = e.getBoundingClientRect(); const body = e.parentElement.getBoundingClientRect();
        const wide = [...e.querySelectorAll('*')].filter(x => x.getBoundingClientRect().right > body.right + 1);
        return {height: r.height, width: r.width, body: body.width, wide: wide.length}; }""")
    px_per_mm = 96 / 25.4
    content_height = (297 - 20 - 18) * px_per_mm  # A4 less the page margins (print/book.css)
    assert entry["height"] <= content_height / 3
    assert entry["wide"] == 0 and entry["width"] <= entry["body"] + 1


@pytest.mark.unit
def test_contributor_text_in_the_catalog_stays_inert(catalog, tmp_path):
    product = long_product()
    product.title = '<script>alert("title")</script>'
    product.summary = '<img src=x onerror="alert(1)"> and <b>bold</b>'
    config = pdf_book.read_config(ROOT)
    t = pdf_edition.interface_text(ROOT, "en")
    book = pdf_book.Book(language="en", lang_name="English", site_name='Site "</style><script>x</script>',
                         site_url="https://example.org/", site_url_root="https://example.org/", rtl=False,
                         sections=[], catalog=catalog, products=[product], date="2025-03-04", date_text="4 March 2025")
    book.sections = [pdf_book.Section("catalog", "Catalog", '"</style><script>alert(2)</script>', kind="catalog",
                                      headings=[pdf_book.Heading("catalog", "Catalog", 1)])]
    html = pdf_edition.render_book(pdf_edition.template_env(ROOT), book, t, [])
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt;" in html
    assert config["nav"]


@pytest.mark.unit
def test_a_missing_chromium_or_missing_fonts_say_what_to_install(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "no-chromium"))
    assert pdf_edition.main(["--root", str(ROOT), "--dist", str(tmp_path / "dist")]) == 1
    assert "sudo apt-get install -y chromium" in capsys.readouterr().err
    with pytest.raises(pdf_edition.Stop, match=r"run `npm ci`.*nodejs npm"):
        pdf_edition.font_faces(tmp_path)
    assert not (tmp_path / "dist").exists()


@pytest.mark.unit
def test_running_headers_are_css_strings_that_cannot_break_out():
    assert pdf_edition.css_string('a "b" \\ </style>\n') == '"a \\22 b\\22  \\5c  \\3c /style\\3e "'


@pytest.mark.unit
def test_the_book_follows_the_navigation_and_leaves_out_the_pages_it_makes_itself():
    pages = [src for _, src in pdf_book.nav_pages(pdf_book.read_config(ROOT)["nav"])]
    kept = [src for src in pages if src not in pdf_book.SKIPPED_PAGES]
    assert kept[:2] == ["index.md", "what-is-pim.md"] and "quick-reference.md" in pages
    assert pdf_book.built_path("what-is-pim.md", "fr/") == "fr/what-is-pim/index.html"
    assert pdf_book.built_path("matrix/index.md", "") == "matrix/index.html"
