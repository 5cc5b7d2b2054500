"""`make offline` fetches product files into the offline editions: from a local server on
127.0.0.1 serving a PDF, a Word file, a web page, a 404, redirects, a slow answer and a file over
the limit. Never the internet: OFFLINE_FETCH_HOSTS keeps every build on 127.0.0.1."""

from __future__ import annotations

import hashlib
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import zipfile
from collections import Counter
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import unquote, urlsplit

import pytest

from conftest import ROOT as ROOT_DIR
from conftest import offline_project, run_in_background
from extended_project import BASE, extended_site
from test_offline import refs_of

EPOCH = 1717243200
PDF = b"%PDF-1.4\n% the full report\n" + b"1" * 5000
PDF_FR = b"%PDF-1.4\n% le rapport complet\n" + b"2" * 4000
PDF_ES = b"%PDF-1.4\n% la guia\n" + b"3" * 3000
HANDBOOK = b"%PDF-1.4\n% the handbook\n" + b"4" * 2000
DOCX = b"PK\x03\x04 a stand-in for a Word file " + b"5" * 3000
BIG = b"%PDF-1.4\n" + b"6" * 1_200_000  # over max_file_mb: 1 (small_file_limit)
TIMEOUT = 2.0  # a loaded machine answered late at 1 s
LANGUAGE_ZIPS = [f"pim-guide-offline-{lang}.zip" for lang in ("en", "fr", "es", "ar")]
ZIPS = ["pim-guide-offline.zip", *LANGUAGE_ZIPS]

ROUTES = {
    "/report.pdf": (200, "application/pdf", PDF),
    "/rapport.pdf": (200, "application/pdf", PDF_FR),
    "/guia.pdf": (200, "application/pdf", PDF_ES),
    "/handbook.pdf": (200, "application/pdf", HANDBOOK),
    "/worksheet": (200, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", DOCX),
    "/page.html": (200, "text/html; charset=utf-8", b"<!doctype html><title>A page</title>"),
    "/landing.pdf": (200, "text/html", b"<!doctype html><title>Not the PDF</title>"),
    "/big.pdf": (200, "application/pdf", BIG),
}


class DocumentServer(http.server.BaseHTTPRequestHandler):
    hits: Counter = Counter()
    stop = threading.Event()

    def log_message(self, *args):
        pass

    def do_GET(self):
        type(self).hits[self.path] += 1
        if self.path == "/moved.pdf":
            return self._redirect("/rapport.pdf")
        if self.path == "/elsewhere.pdf":
            return self._redirect("ftp://127.0.0.1/elsewhere.pdf")
        if self.path == "/to-private.pdf":  # this machine by a name OFFLINE_FETCH_HOSTS does not allow
            return self._redirect(f"http://2130706433:{self.server.server_address[1]}/report.pdf")
        if self.path == "/slow.pdf":
            self.stop.wait(TIMEOUT * 4)  # longer than the timeout; ends at once when the server stops
        if self.path not in ROUTES:
            self.send_error(404)
            return
        status, content_type, body = ROUTES[self.path]
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except OSError:
            pass

    def _redirect(self, location):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture(scope="module")
def document_server():
    """The documents on a free port of 127.0.0.1; `hits` counts requests per path."""
    DocumentServer.hits.clear()
    DocumentServer.stop.clear()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), DocumentServer)
    server.daemon_threads = True
    run_in_background(server)
    yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_address[1]}", hits=DocumentServer.hits)
    DocumentServer.stop.set()
    server.shutdown()
    server.server_close()


LOCAL_FILE = b"%PDF-1.4\n% a small stand-in for a real PDF\n" + b"0" * 1000
LOCAL_FILE_PRODUCT = """\
---
title: Offline field sheet
summary: A one-page sheet kept with the site itself, to check downloads from the offline edition.
type: flyer
published: "2021-05"
producers: [pim-community]
editions:
  - language: en
    files:
      - {label: The field sheet, path: downloads/field-sheet.pdf, format: PDF}
---

Printable.
"""


def product(title: str, editions: str) -> str:
    return f"""---
title: {title}
summary: A product whose files are served by the test's own server.
type: guidance
published: "2022-03"
producers: [pim-community]
editions:
{editions}---

Files for the offline edition.
"""


def products(base: str) -> dict[str, str]:
    sha = hashlib.sha256(PDF).hexdigest()
    return {
        "field-documents": product("Field documents", f"""\
  - language: en
    files:
      - {{label: Full report, format: PDF, url: {base}/report.pdf, sha256: {sha}}}
      - {{label: Worksheet, format: Word, url: {base}/worksheet}}
      - {{label: Read online, format: Web page, url: {base}/page.html}}
      - {{label: Landing, format: PDF, url: {base}/landing.pdf}}
      - {{label: Missing, format: PDF, url: {base}/missing.pdf}}
      - {{label: Slow, format: PDF, url: {base}/slow.pdf}}
      - {{label: Too big, format: PDF, url: {base}/big.pdf}}
  - language: fr
    files:
      - {{label: Rapport complet, format: PDF, url: {base}/moved.pdf}}
      - {{label: Ailleurs, format: PDF, url: {base}/elsewhere.pdf}}
      - {{label: Privé, format: PDF, url: {base}/to-private.pdf}}
"""),
        "english-only": product("English only", f"""\
  - language: en
    files:
      - {{label: "../../Handbook: part 1", format: PDF, url: {base}/handbook.pdf}}
"""),
        "spanish-guide": product("Spanish guide", f"""\
  - language: es
    files:
      - {{label: Guía, format: PDF, url: {base}/guia.pdf}}
"""),
    }


def small_file_limit(project: Path) -> None:
    """The project's mkdocs-offline.yml with a 1 MB limit per document, as a maintainer sets it."""
    settings = project / "mkdocs-offline.yml"
    text = settings.read_text(encoding="utf-8")
    assert "max_file_mb: 100 " in text
    settings.write_text(text.replace("max_file_mb: 100 ", "max_file_mb: 1 "), encoding="utf-8")


def run_offline(project: Path, dist: Path, **env) -> subprocess.CompletedProcess:
    """What `make offline` runs, kept on 127.0.0.1, with a small timeout and file limit."""
    run_env = {**os.environ, "SOURCE_DATE_EPOCH": str(EPOCH), "NO_MKDOCS_2_WARNING": "1",
               "OFFLINE_FETCH_HOSTS": "127.0.0.1", "OFFLINE_TIMEOUT": str(TIMEOUT), **env}
    return subprocess.run([sys.executable, "-m", "pim.offline_edition", "--root", str(project), "--dist", str(dist)],
                          cwd=project, env=run_env, capture_output=True, text=True)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def built(tmp_path_factory, document_server):
    work = tmp_path_factory.mktemp("documents")
    project = offline_project(work / "project")
    small_file_limit(project)
    for product_id, text in products(document_server.url).items():
        (project / "products" / f"{product_id}.md").write_text(text, encoding="utf-8")
    # And a product whose file is kept with the site itself (a path, not an address).
    (project / "docs" / "downloads").mkdir(exist_ok=True)
    (project / "docs" / "downloads" / "field-sheet.pdf").write_bytes(LOCAL_FILE)
    (project / "products" / "offline-field-sheet.md").write_text(LOCAL_FILE_PRODUCT, encoding="utf-8")
    write_print_editions(project / "dist")  # as `make pdf` leaves them before `make offline`
    first = run_offline(project, work / "dist")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    hits = Counter(document_server.hits)
    zips = {name: (work / "dist" / name).read_bytes() for name in ZIPS}
    # The second run: another checkout at another path (its download cache copied along), later.
    other = work / "second checkout"
    shutil.copytree(project, other, symlinks=True, ignore=shutil.ignore_patterns("__pycache__"))
    second = run_offline(other, work / "second dist")
    assert second.returncode == 0, second.stderr[-3000:]
    return SimpleNamespace(project=project, work=work, dist=work / "dist", first=first, second=second,
                           second_dist=work / "second dist", hits=hits, zips=zips, server=document_server)


PRINT_EDITIONS = [f"pim-{kind}-{lang}.pdf" for lang in ("en", "fr", "es", "ar") for kind in ("guide", "quick-reference")]


def write_print_editions(dist: Path) -> None:
    """Stand-ins for the PDFs `make pdf` writes (tests/test_pdf_edition.py tests the real ones)."""
    from pypdf import PdfWriter

    dist.mkdir(parents=True, exist_ok=True)
    for name in PRINT_EDITIONS:
        writer = PdfWriter()
        writer.add_blank_page(width=595, height=842)
        writer.add_metadata({"/Title": name})
        writer.write(dist / name)


def names(zip_path: Path) -> list[str]:
    with zipfile.ZipFile(zip_path) as archive:
        return archive.namelist()


def documents_in(zip_path: Path) -> set[str]:
    return {name.split("/", 1)[1] for name in names(zip_path) if name.split("/")[1:2] == ["files"]}


ALL_DOCUMENTS = {
    "files/field-documents/en/full-report.pdf", "files/field-documents/en/worksheet.docx",
    "files/field-documents/fr/rapport-complet.pdf", "files/english-only/en/handbook-part-1.pdf",
    "files/spanish-guide/es/guia.pdf",
}


def test_the_full_edition_holds_every_document_that_could_be_fetched(built):
    zip_path = built.dist / "pim-guide-offline.zip"
    assert documents_in(zip_path) == ALL_DOCUMENTS
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.read("pim-guide-offline/files/field-documents/en/full-report.pdf") == PDF
        assert archive.read("pim-guide-offline/files/field-documents/fr/rapport-complet.pdf") == PDF_FR  # redirected
        assert archive.read("pim-guide-offline/files/field-documents/en/worksheet.docx") == DOCX


@pytest.mark.parametrize("language, expected", [
    ("en", {"files/field-documents/en/full-report.pdf", "files/field-documents/en/worksheet.docx",
            "files/english-only/en/handbook-part-1.pdf"}),
    # French: the French document, and the English ones of products with no French edition.
    ("fr", {"files/field-documents/fr/rapport-complet.pdf", "files/english-only/en/handbook-part-1.pdf"}),
    ("es", {"files/spanish-guide/es/guia.pdf", "files/field-documents/en/full-report.pdf",
            "files/field-documents/en/worksheet.docx", "files/english-only/en/handbook-part-1.pdf"}),
    ("ar", {"files/field-documents/en/full-report.pdf", "files/field-documents/en/worksheet.docx",
            "files/english-only/en/handbook-part-1.pdf"}),
])
def test_each_language_edition_holds_its_documents_and_english_ones_where_it_has_none(built, language, expected):
    zip_path = built.dist / f"pim-guide-offline-{language}.zip"
    assert documents_in(zip_path) == expected
    listed = names(zip_path)
    root = f"pim-guide-offline-{language}/"
    assert all(name.startswith(root) for name in listed)
    others = {"fr", "es", "ar"} - {language}
    assert not [n for n in listed if n.split("/")[1] in others]
    if language == "en":
        assert f"{root}products/field-documents.html" in listed
    else:
        assert f"{root}{language}/products/field-documents.html" in listed
        assert f"{root}{language}/search/search_index.js" in listed
        assert f"{root}products/field-documents.html" not in listed


@pytest.mark.parametrize("language", ["en", "fr", "es", "ar"])
def test_each_language_edition_carries_its_own_print_editions(built, language):
    listed = names(built.dist / f"pim-guide-offline-{language}.zip")
    pdfs = sorted(name.split("/", 1)[1] for name in listed if name.endswith(".pdf") and "/download/" in name)
    assert pdfs == [f"download/pim-guide-{language}.pdf", f"download/pim-quick-reference-{language}.pdf"]
    with zipfile.ZipFile(built.dist / f"pim-guide-offline-{language}.zip") as archive:
        assert archive.read(f"pim-guide-offline-{language}/download/pim-guide-{language}.pdf") == \
            (built.project / "dist" / f"pim-guide-{language}.pdf").read_bytes()


def test_the_full_edition_carries_every_print_edition(built):
    listed = names(built.dist / "pim-guide-offline.zip")
    assert sorted(name.split("/", 1)[1] for name in listed if "/download/" in name and name.endswith(".pdf")) == \
        sorted(f"download/{name}" for name in PRINT_EDITIONS)


def test_every_zip_has_its_checksum_file(built):
    for name in ZIPS:
        line = (built.dist / f"{name}.sha256").read_text(encoding="ascii")
        assert line == f"{hashlib.sha256((built.dist / name).read_bytes()).hexdigest()}  {name}\n"


def unzip(zip_path: Path, dest: Path) -> Path:
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(dest)
    return dest / zip_path.name[:-4]


@pytest.fixture(scope="module")
def unzipped(built, tmp_path_factory):
    """unzipped(name): the zip `name` of `built`, unzipped once for the tests that read it (none
    writes into it), into a folder whose path has a space and an accent, as on a shared drive."""
    base = tmp_path_factory.mktemp("unzipped") / "Équipe terrain" / "PIM copy"
    roots: dict[str, Path] = {}

    def root(name: str) -> Path:
        if name not in roots:
            roots[name] = unzip(built.dist / name, base)
        return roots[name]

    return root


def downloads(page: Path) -> dict[str, dict]:
    return {attrs.get("href"): attrs for href, attrs in refs_of(page).links if "pim-download" in attrs.get("class", "")}


def test_product_page_links_to_local_copies_with_size_and_format(built, unzipped):
    root = unzipped("pim-guide-offline.zip")
    page = root / "products" / "field-documents.html"
    links = downloads(page)
    base = built.server.url
    local = {"../files/field-documents/en/full-report.pdf", "../files/field-documents/en/worksheet.docx",
             "../files/field-documents/fr/rapport-complet.pdf"}
    online = {f"{base}/page.html", f"{base}/landing.pdf", f"{base}/missing.pdf", f"{base}/slow.pdf",
              f"{base}/big.pdf", f"{base}/elsewhere.pdf", f"{base}/to-private.pdf"}  # refused: stays online
    assert set(links) == local | online
    for href in local:
        assert (page.parent / unquote(href)).is_file()
        assert "pim-needs-internet" not in links[href]["class"]
    for href in online:
        assert "pim-needs-internet" in links[href]["class"].split(), href
    text = page.read_text(encoding="utf-8")
    assert re.search(r'full-report\.pdf"[^>]*>Full report</a>\s*<span class="pim-file-info">PDF, 5\.0 kB</span>', text)
    assert re.search(r'worksheet\.docx"[^>]*>Worksheet</a>\s*<span class="pim-file-info">Word, 3\.0 kB</span>', text)


def test_local_product_files_are_in_the_zip_and_their_links_resolve(unzipped):
    root = unzipped("pim-guide-offline.zip")
    page = root / "products" / "offline-field-sheet.html"
    links = [href for href, attrs in refs_of(page).links if "pim-download" in attrs.get("class", "")]
    assert links == ["../downloads/field-sheet.pdf"]
    assert (page.parent / unquote(links[0])).resolve().read_bytes() == LOCAL_FILE


def test_hosted_site_keeps_the_web_addresses():
    # The session's extended build (tests/extended_project.py): its product's PDF is in the
    # download cache, as `make offline` leaves it; the hosted page still links to the web.
    links = downloads(extended_site()[1] / "products" / "with-cover" / "index.html")
    assert f"{BASE}/guide.pdf" in links
    assert not [href for href in links if "files/" in href]


def test_a_language_edition_points_online_for_documents_it_leaves_out(built, unzipped):
    root = unzipped("pim-guide-offline-fr.zip")
    page = root / "fr" / "products" / "field-documents.html"
    links = downloads(page)
    assert "../../files/field-documents/fr/rapport-complet.pdf" in links
    assert (page.parent / "../../files/field-documents/fr/rapport-complet.pdf").resolve().read_bytes() == PDF_FR
    english = links[f"{built.server.url}/report.pdf"]
    assert "pim-needs-internet" in english["class"].split() and english.get("title")
    assert english["title"] == english["data-pim-needs-internet"] == "nécessite Internet"  # translations.yml
    assert "download" not in english


def test_every_link_of_every_language_edition_opens_a_file(unzipped):
    for name in LANGUAGE_ZIPS:
        root = unzipped(name)
        broken = []
        for page in sorted(root.rglob("*.html")):
            refs = refs_of(page)
            for address in [href for href, _ in refs.links] + [src for _, src in refs.loads]:
                parts = urlsplit(address)
                if parts.scheme or address.startswith(("#", "//")) or not parts.path:
                    continue
                if not (page.parent / unquote(parts.path)).resolve().is_file():
                    broken.append(f"{page.relative_to(root)}: {address}")
        assert broken == [], name


def test_what_could_not_be_fetched_is_listed_once_at_the_end_with_file_and_line(built):
    base = built.server.url
    source = (built.project / "products" / "field-documents.md").read_text(encoding="utf-8")
    expected = {
        f"{base}/missing.pdf": "the server answered 404",
        f"{base}/slow.pdf": "no answer within the time limit",
        f"{base}/big.pdf": "larger than the 1 MB limit",
        f"{base}/elsewhere.pdf": "not an http(s) address",
        f"{base}/landing.pdf": "a web page, not a file",
        f"{base}/to-private.pdf": "refused: private address (127.0.0.1)",
    }
    lines = built.first.stdout.rstrip("\n").splitlines()
    failures = lines[-len(expected):]
    assert "could not be fetched" in lines[-len(expected) - 1]
    for line in failures:
        url = next(u for u in expected if f": {u}: " in line)
        assert line.startswith(f"products/field-documents.md:{line_of(source, url)}: {url}: "), line
        assert expected[url] in line.split(f"{url}: ", 1)[1], line
    assert sorted(next(u for u in expected if u in line) for line in failures) == sorted(expected)
    assert built.first.stdout.count(f"{base}/missing.pdf:") == 1
    assert f"{base}/page.html" not in built.first.stdout  # a web page is not asked for


def test_a_second_run_in_another_checkout_fetches_nothing_and_gives_the_same_bytes(built):
    # (It also stands for test_offline.py's test that two builds of the same sources give the
    # same zip: merged here, to build the offline edition once less.)
    assert built.hits["/report.pdf"] == 1 and built.hits["/moved.pdf"] == 1 and built.hits["/rapport.pdf"] == 1
    assert "/page.html" not in built.hits
    assert Counter(built.server.hits) == built.hits
    assert " 0 requests" in built.second.stdout
    for name in ZIPS:
        assert (built.second_dist / name).read_bytes() == built.zips[name], name
        assert (built.second_dist / f"{name}.sha256").read_bytes() == (built.dist / f"{name}.sha256").read_bytes()


def test_offline_refresh_asks_again(built, tmp_path):
    from pim.fetch import Cache, Downloader, Limits

    cache = Cache(built.project / ".cache" / "downloads")
    url = f"{built.server.url}/report.pdf"
    before = built.server.hits["/report.pdf"]
    assert Downloader(cache, Limits()).get(url).sha256 == hashlib.sha256(PDF).hexdigest()
    assert built.server.hits["/report.pdf"] == before
    again = Downloader(cache, Limits.from_environment({"OFFLINE_REFRESH": "1", "OFFLINE_FETCH_HOSTS": "127.0.0.1"}))
    assert again.get(url).ok and again.requests == 1
    assert built.server.hits["/report.pdf"] == before + 1


def test_a_checksum_that_does_not_match_stops_the_build(tmp_path, document_server, monkeypatch, capsys):
    from pim import offline_edition

    project = offline_project(tmp_path / "project")
    wrong = "0" * 64
    text = product("Checked", f"""\
  - language: en
    files:
      - label: Full report
        format: PDF
        url: {document_server.url}/report.pdf
        sha256: {wrong}
""")
    (project / "products" / "checked.md").write_text(text, encoding="utf-8")
    # `make offline`'s main in this process, as run_offline would run it: it stops before the build.
    for name, value in {"SOURCE_DATE_EPOCH": str(EPOCH), "OFFLINE_FETCH_HOSTS": "127.0.0.1",
                        "OFFLINE_TIMEOUT": str(TIMEOUT)}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(project)
    assert offline_edition.main(["--root", str(project), "--dist", str(tmp_path / "dist")]) == 1
    actual = hashlib.sha256(PDF).hexdigest()
    assert (f"products/checked.md:{line_of(text, 'sha256:')}: editions[0].files[0].sha256: "
            f"expected {wrong} got {actual}") in capsys.readouterr().err
    assert not (tmp_path / "dist" / "pim-guide-offline.zip").exists()


# --- In the browser: a language edition from file://, network off ------------------------


@pytest.mark.browser
def test_a_language_edition_works_from_file_urls_with_the_network_off(unzipped, offline_page):
    root = unzipped("pim-guide-offline-fr.zip")
    page = offline_page
    page.goto((root / "index.html").as_uri())
    page.wait_for_url("**/fr/index.html")
    assert page.locator("html").get_attribute("lang") == "fr"
    # Search, in French, from file://.
    page.goto((root / "fr" / "products" / "index.html").as_uri())
    page.keyboard.press("/")
    page.keyboard.type("rapport")
    results = page.locator(".md-search-result__item")
    results.first.wait_for(timeout=10_000)
    assert results.count() > 0
    # Facets: ?type= keeps only products of that type.
    page.goto((root / "fr" / "products" / "index.html").as_uri() + "?type=guidance")
    page.wait_for_function("() => document.querySelectorAll('[data-product-id]').length > 0")
    page.wait_for_function("""() => [...document.querySelectorAll('[data-product-id]')]
        .some(e => e.closest('[hidden]'))""")
    visible = page.eval_on_selector_all(
        "[data-product-id]", "els => els.filter(e => !e.closest('[hidden]')).map(e => e.dataset.productId)")
    assert "field-documents" in visible and "pim-matrix" not in visible
    # The fetched French document opens from the product page.
    page.goto((root / "fr" / "products" / "field-documents.html").as_uri())
    # From file:// Chromium ignores `download` and opens the copy itself.
    page.locator('a.pim-download[href$="rapport-complet.pdf"]').click()
    page.wait_for_url("**/files/field-documents/fr/rapport-complet.pdf")
    opened = Path(unquote(urlsplit(page.url).path))
    assert opened.is_relative_to(root) and opened.read_bytes() == PDF_FR
    assert page.watch.outside == []
    assert page.watch.errors == []


# --- Names and the total budget, without a build ----------------------------------------------


@pytest.mark.parametrize("label, url, fmt, name", [
    ("Full report", "https://example.org/a/b/../../etc/passwd", "PDF", "full-report.pdf"),
    ("../../Handbook: part 1", "https://example.org/x", "PDF", "handbook-part-1.pdf"),
    ("CON", "https://example.org/con.docx", "Word", "con-file.docx"),
    ("التقرير الكامل", "https://example.org/files/Rapport%20final%20(v2).PDF", "PDF", "rapport-final-v2.pdf"),
    ("التقرير", "https://example.org/", "Spreadsheet", "document.bin"),
    ("Slides", "https://example.org/deck?id=4", "PowerPoint", "slides.pptx"),
])
def test_saved_names_come_from_the_label_or_address_never_the_server_path(label, url, fmt, name):
    from pim.documents import extension, safe_stem
    from pim.model import EditionFile

    file = EditionFile(label, fmt, url)
    saved = safe_stem(file) + extension(file)
    assert saved == name
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*\.[a-z0-9]+", saved)


def test_files_past_the_total_budget_stay_online(tmp_path, document_server):
    from conftest import write_data_project
    from pim.documents import gather
    from pim.fetch import Cache, Downloader, Limits
    from pim.load import load_catalog

    project = write_data_project(tmp_path, (ROOT_DIR / "stakeholders.yml").read_text(encoding="utf-8"))
    base = document_server.url
    (project / "products" / "a-first.md").write_text(product("First", f"""\
  - language: en
    files:
      - {{label: Full report, format: PDF, url: {base}/report.pdf}}
"""), encoding="utf-8")
    (project / "products" / "b-second.md").write_text(product("Second", f"""\
  - language: en
    files:
      - {{label: Handbook, format: PDF, url: {base}/handbook.pdf}}
"""), encoding="utf-8")
    catalog, problems = load_catalog(project)
    assert problems == []
    limits = Limits.from_environment({"OFFLINE_FETCH_HOSTS": "127.0.0.1"},
                                     sizes={"max_total_mb": (len(PDF) + 10) / 1e6})
    documents = gather(catalog, Downloader(Cache(tmp_path / "cache"), limits))
    assert [saved["path"] for saved in documents.saved] == ["files/a-first/en/full-report.pdf"]
    assert len(documents.failures) == 1
    assert documents.failures[0].startswith(f"products/b-second.md:10: {base}/handbook.pdf: over the total budget")
    assert catalog.product("b-second").editions[0].files[0].offline_path is None


@pytest.mark.browser
@pytest.mark.parametrize("language", ["en", "es", "ar"])
def test_search_and_facets_work_in_each_language_edition(unzipped, offline_page, language):
    root = unzipped(f"pim-guide-offline-{language}.zip")
    folder = root if language == "en" else root / language
    page = offline_page
    page.goto((root / "index.html").as_uri())
    page.wait_for_url(f"**/{'' if language == 'en' else language + '/'}index.html")
    page.goto((folder / "products" / "index.html").as_uri())
    page.keyboard.press("/")
    page.keyboard.type("documents")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    page.goto((folder / "products" / "index.html").as_uri() + "?type=guidance")
    page.wait_for_function("""() => [...document.querySelectorAll('[data-product-id]')]
        .some(e => e.closest('[hidden]'))""")
    visible = page.eval_on_selector_all(
        "[data-product-id]", "els => els.filter(e => !e.closest('[hidden]')).map(e => e.dataset.productId)")
    assert "field-documents" in visible and "pim-matrix" not in visible
    assert page.watch.outside == [] and page.watch.errors == []


# --- What the edition holds is set in mkdocs-offline.yml, not the environment -----------------

def test_document_sizes_come_from_mkdocs_offline_yml(tmp_path):
    from pim.fetch import Limits, read_sizes

    assert read_sizes(ROOT_DIR) == {"max_file_mb": 100, "max_total_mb": 1000}  # what ships
    (tmp_path / "mkdocs-offline.yml").write_text(
        "INHERIT: mkdocs.yml\nextra:\n  offline_documents:\n    max_file_mb: 2.5\n", encoding="utf-8")
    limits = Limits.from_environment({"OFFLINE_MAX_FILE_MB": "7"}, sizes=read_sizes(tmp_path))
    assert (limits.max_file_bytes, limits.max_total_bytes) == (2_500_000, 1_000_000_000)


@pytest.mark.parametrize(("setting", "message"), [
    ("    max_total_mb: lots\n", "mkdocs-offline.yml:5: extra.offline_documents.max_total_mb: 'lots' is not allowed; "
                                 "give megabytes, a number more than 0 (default 1000)"),
    ("    max_total_mb: -1\n", "mkdocs-offline.yml:5: extra.offline_documents.max_total_mb: '-1' is not allowed; "
                                "give megabytes, a number more than 0 (default 1000)"),
    ("    max_files: 3\n", "mkdocs-offline.yml:5: extra.offline_documents.max_files is not a setting; "
                             "allowed: max_file_mb, max_total_mb"),
])
def test_a_wrong_size_setting_stops_make_offline_naming_line_and_setting(tmp_path, capsys, setting, message):
    from pim import offline_edition

    (tmp_path / "mkdocs-offline.yml").write_text(
        "INHERIT: mkdocs.yml\nextra:\n  offline_documents:\n    max_file_mb: 10\n" + setting, encoding="utf-8")
    # `make offline`'s main, in this process: it stops on the setting before it fetches or builds.
    assert offline_edition.main(["--root", str(tmp_path)]) == 2
    assert capsys.readouterr() == ("", f"make offline: {message}.\n")


def test_a_wrong_cover_time_limit_in_mkdocs_yml_is_named():
    from mkdocs.exceptions import PluginError

    from hooks.covers import render_seconds

    assert render_seconds({}) == 20 and render_seconds({"cover_render_seconds": 5}) == 5
    for wrong in ("fast", 0, True, -3):
        with pytest.raises(PluginError, match=r"mkdocs.yml: extra.cover_render_seconds: .* is not allowed; give "
                                              r"seconds, a number more than 0 \(default 20\)"):
            render_seconds({"cover_render_seconds": wrong})
