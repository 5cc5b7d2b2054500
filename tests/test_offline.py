"""The offline edition: a zip of the site that works from file:// with the network off, the same
bytes for the same sources, and small enough to download in the field."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from conftest import OFFLINE_EPOCH, OFFLINE_ZIP, ROOT, type_search
from pim import offline_zip
from pim.load import load_catalog

EPOCH = OFFLINE_EPOCH
ZIP_NAME = OFFLINE_ZIP
MAX_ZIP_BYTES = 5 * 1000 * 1000


@pytest.fixture(scope="module")
def catalog(offline):
    loaded, problems = load_catalog(offline.project)
    assert not problems
    return loaded


# --- The build -----------------------------------------------------------------------------


def test_offline_config_inherits_every_plugin_and_hook_of_the_main_config_and_adds_offline():
    """mkdocs-offline.yml INHERITs mkdocs.yml and names only what differs: nothing to keep in step."""
    from mkdocs.config import load_config

    own = yaml.safe_load((ROOT / "mkdocs-offline.yml").read_text(encoding="utf-8"))
    assert own["INHERIT"] == "mkdocs.yml" and list(own["plugins"]) == ["offline"]

    main = load_config(str(ROOT / "mkdocs.yml"))
    offline_config = load_config(str(ROOT / "mkdocs-offline.yml"))
    assert "material/offline" in offline_config.plugins
    assert [name for name in offline_config.plugins if name != "material/offline"] == list(main.plugins)
    assert dict(offline_config.plugins["macros"].config) == dict(main.plugins["macros"].config)
    assert list(offline_config["hooks"]) == list(main["hooks"])
    assert list(main["hooks"]) == ["hooks/pipeline.py"]  # which runs hooks/offline.py's stages
    assert main.plugins.get("material/offline") is None


def test_shim_is_the_npm_package_copy_and_no_page_asks_a_cdn(offline):
    shim = offline.root / "assets" / "javascripts" / "iframe-worker.js"
    assert shim.read_bytes() == (ROOT / "node_modules" / "iframe-worker" / "shim" / "index.js").read_bytes()
    assert (offline.root / "assets" / "javascripts" / "iframe-worker.LICENSE.txt").is_file()
    home = (offline.root / "index.html").read_text(encoding="utf-8")
    assert '<script src="assets/javascripts/iframe-worker.js"></script>' in home
    for page in offline.root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "unpkg.com" not in text and "cdn.jsdelivr" not in text, page


def test_search_index_is_inlined_for_file_urls(offline):
    script = (offline.root / "search" / "search_index.js").read_text(encoding="utf-8")
    assert script.startswith("var __index = {")


def test_no_sitemap_with_build_dates_and_no_server_404_page(offline):
    for name in ("sitemap.xml", "sitemap.xml.gz", "404.html"):
        assert not (offline.root / name).exists(), name


class _Refs(HTMLParser):
    """Every address a page links to or loads, with the tag it is on."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, dict]] = []  # (href, attributes) of <a>
        self.loads: list[tuple[str, str]] = []  # (tag, address) of things the browser fetches

    def handle_starttag(self, tag, attrs):
        attrs = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in attrs:
            self.links.append((attrs["href"], attrs))
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and attrs.get("src"):
            self.loads.append((tag, attrs["src"]))
        if tag == "link" and attrs.get("href") and attrs.get("rel", "") not in ("canonical", "alternate"):
            self.loads.append((f"link rel={attrs.get('rel')}", attrs["href"]))


def refs_of(page: Path) -> _Refs:
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser


def is_local(address: str) -> bool:
    return not urlsplit(address).scheme and not address.startswith("//")


def test_every_link_between_pages_opens_a_file_not_a_folder(offline):
    """From file:// a link to a folder shows a directory listing (or nothing), never its index.html."""
    broken = []
    pages = sorted(offline.root.rglob("*.html"))
    assert len(pages) > 40
    for page in pages:
        refs = refs_of(page)
        for address in [href for href, _ in refs.links] + [src for _, src in refs.loads]:
            if not is_local(address) or address.startswith("#"):
                continue
            target = (page.parent / unquote(urlsplit(address).path)).resolve()
            if not target.is_file():
                broken.append(f"{page.relative_to(offline.root)}: {address}")
    assert broken == []


def test_nothing_is_loaded_from_outside(offline):
    outside = []
    for page in sorted(offline.root.rglob("*.html")):
        outside += [f"{page.relative_to(offline.root)}: <{tag}> {src}"
                    for tag, src in refs_of(page).loads if not is_local(src)]
    for sheet in sorted(offline.root.rglob("*.css")):
        text = sheet.read_text(encoding="utf-8")
        for marker in ("url(http", "url('http", 'url("http', "url(//", "@import"):
            if marker in text:
                outside.append(f"{sheet.relative_to(offline.root)}: {marker}")
    assert outside == []


def test_external_links_stay_and_are_marked_as_needing_internet(offline):
    external = internal = 0
    for page in sorted(offline.root.rglob("*.html")):
        for href, attrs in refs_of(page).links:
            marked = "pim-needs-internet" in attrs.get("class", "").split()
            if href.startswith(("http://", "https://")):
                external += 1
                assert marked and attrs.get("title"), f"{page.name}: {href}"
            else:
                internal += 1
                assert not marked, f"{page.name}: {href}"
    assert external > 0 and internal > 0
    assert ".pim-needs-internet" in (offline.root / "stylesheets" / "extra.css").read_text(encoding="utf-8")


def test_the_download_page_in_the_offline_edition_says_it_is_the_offline_edition(offline):
    page = (offline.root / "download.html").read_text(encoding="utf-8")
    assert "You are reading the offline edition" in page
    assert "an older offline edition" not in page
    assert not list(offline.root.rglob("*.zip"))


# --- The zip -------------------------------------------------------------------------------


def test_default_content_zip_is_at_most_5_mb(offline):
    size = offline.zip.stat().st_size
    print(f"offline zip: {size:,} bytes")
    assert size <= MAX_ZIP_BYTES


def test_checksum_file_is_in_sha256sum_format(offline):
    line = (offline.zip.parent / f"{ZIP_NAME}.sha256").read_text(encoding="ascii")
    assert line == f"{hashlib.sha256(offline.zip.read_bytes()).hexdigest()}  {ZIP_NAME}\n"
    if shutil.which("sha256sum"):
        subprocess.run(["sha256sum", "--check", "--quiet", f"{ZIP_NAME}.sha256"], cwd=offline.zip.parent, check=True)


def test_zip_entries_are_plain_relative_files_safe_everywhere(offline):
    with zipfile.ZipFile(offline.zip) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert f"{offline_zip.ZIP_ROOT}/index.html" in names
    for info in infos:
        assert info.filename.startswith(f"{offline_zip.ZIP_ROOT}/")
        assert "\\" not in info.filename and ".." not in info.filename.split("/")
        assert offline_zip.name_problem(info.filename) is None
        assert info.date_time == (2024, 6, 1, 12, 0, 0)
        assert info.external_attr >> 16 == 0o100644  # a plain file: no symlink, no executable bit
        assert info.extra == b""
    assert len({name.casefold() for name in names}) == len(names)


# Two builds of the same sources give the same zip: test_offline_documents.py,
# test_a_second_run_in_another_checkout_fetches_nothing_and_gives_the_same_bytes.


def test_zip_writer_sorts_entries_and_fixes_dates_and_permissions(tmp_path):
    site = tmp_path / "site"
    for name in ("b.html", "a/z.css", "a/b c.html", "index.html"):
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(name, encoding="utf-8")
    os.chmod(site / "index.html", 0o755)
    first = offline_zip.write_zip(site, tmp_path / "one.zip", 0)  # 1970: clamped to zip's 1980
    os.utime(site / "b.html", (2_000_000_000, 2_000_000_000))
    second = offline_zip.write_zip(site, tmp_path / "two.zip", 0)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.namelist() == [f"pim-guide-offline/{n}" for n in ("a/b c.html", "a/z.css", "b.html", "index.html")]
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}
        assert archive.read("pim-guide-offline/a/b c.html") == b"a/b c.html"
    assert not (tmp_path / "one.zip.partial").exists()


@pytest.mark.parametrize("name, problem", [
    ("aux.html", "reserved"), ("what?.html", "character"), ("notes.", "dot or space"), ("a:b.css", "character"),
])
def test_zip_writer_refuses_names_windows_cannot_hold(tmp_path, name, problem):
    site = tmp_path / "site"
    site.mkdir()
    (site / name).write_text("x", encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        offline_zip.write_zip(site, tmp_path / "out.zip", 0)


def test_zip_writer_refuses_symlinks_and_names_that_differ_by_case(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "Index.html").write_text("x", encoding="utf-8")
    (site / "index.html").write_text("y", encoding="utf-8")
    (site / "link.html").symlink_to(site / "index.html")
    with pytest.raises(ValueError) as error:
        offline_zip.write_zip(site, tmp_path / "out.zip", 0)
    assert "symbolic link" in str(error.value) and "differs only by case" in str(error.value)
    assert not (tmp_path / "out.zip").exists()


def test_date_comes_from_source_date_epoch_or_a_constant():
    assert offline_zip.source_date_epoch({"SOURCE_DATE_EPOCH": "1717243200"}) == 1717243200
    assert offline_zip.source_date_epoch({}) == offline_zip.FALLBACK_EPOCH
    assert offline_zip.source_date_epoch({"SOURCE_DATE_EPOCH": ""}) == offline_zip.FALLBACK_EPOCH


# --- In the browser, from file://, with the network off ---------------------------------------


def file_url(path: Path, query: str = "") -> str:
    return path.as_uri() + (f"?{query}" if query else "")


PAGES = ["index.html", "what-is-pim.html", "products/index.html", "products/pim-matrix.html",
         "matrix/index.html", "principles/do-no-harm.html", "stakeholders.html", "download.html"]


def assert_opened(page, name: str) -> None:
    """The page is one of the site's, with its search box."""
    assert "Protection Information Management" in page.title(), name
    assert page.locator("input[data-md-component=search-query]").count() == 1, name


@pytest.mark.browser
def test_pages_and_their_navigation_links_open_from_file_urls_with_the_network_off(offline_page, offline):
    """Two tests in one (each page load costs a renderer's work): the pages open from file://
    URLs, and the navigation tabs lead to pages. PAGES that a tab reaches are not opened again."""
    assert " " in str(offline.root)
    home = file_url(offline.root / "index.html")
    offline_page.goto(home)
    offline_page.wait_for_load_state("load")
    assert_opened(offline_page, "index.html")
    opened = {"index.html"}
    tabs = offline_page.locator("a.md-tabs__link")
    hrefs = [tabs.nth(i).get_attribute("href") for i in range(tabs.count())]
    assert len(hrefs) >= 4 and all(urlsplit(h).path.endswith(".html") for h in hrefs), hrefs
    for i, href in enumerate(hrefs):
        if offline_page.url != home:  # back to the home page (from the back/forward cache)
            offline_page.go_back()
            assert offline_page.url == home
        offline_page.locator("a.md-tabs__link").nth(i).click()
        offline_page.wait_for_load_state("load")
        assert offline_page.url.split("#")[0].endswith(".html")
        assert offline_page.locator("article h1").count() >= 1, href
        name = Path(unquote(urlsplit(offline_page.url).path)).relative_to(offline.root).as_posix()
        assert_opened(offline_page, name)
        opened.add(name)
    assert opened & set(PAGES) - {"index.html"}, "no tab reached one of PAGES: the merge saves nothing"
    for name in PAGES:
        if name not in opened:
            offline_page.goto(file_url(offline.root / name))
            offline_page.wait_for_load_state("load")
            assert_opened(offline_page, name)
    assert offline_page.watch.outside == []
    assert offline_page.watch.errors == []


@pytest.mark.browser
def test_the_inlined_index_and_the_search_worker_load_only_when_search_is_opened(offline_page, offline):
    offline_page.goto(file_url(offline.root / "products" / "pim-matrix.html"))
    offline_page.wait_for_load_state("load")
    loaded = "() => [typeof window.__index, document.querySelectorAll('iframe, script[src*=search_index]').length]"
    offline_page.mouse.wheel(0, 400)
    assert offline_page.evaluate(loaded) == ["undefined", 0]  # partials/fetch-on-demand.js
    offline_page.keyboard.press("/")
    offline_page.wait_for_function("() => typeof window.__index === 'object'")
    offline_page.keyboard.type("matrix")
    offline_page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    assert offline_page.watch.errors == []


@pytest.mark.browser
def test_search_finds_results_from_file_urls_with_the_network_off(offline_page, offline):
    """Two words searched on one page load (the inlined index is read once), as the two tests
    this was: each word's first result opens its page, then the back button returns."""
    listing = file_url(offline.root / "products" / "index.html")
    offline_page.goto(listing)
    for word in ("principles", "monitoring"):
        results = type_search(offline_page, word)  # after the first word: back from its page, a new search
        assert offline_page.input_value("input[data-md-component=search-query]") == word
        assert results.count() > 0, word
        # A result opens its page from the unzipped copy.
        results.first.locator("a").first.click()
        offline_page.wait_for_load_state("load")
        assert offline_page.url.startswith("file:") and ".html" in offline_page.url, word
        offline_page.go_back()
        offline_page.wait_for_load_state("load")
        assert offline_page.url == listing
    assert offline_page.watch.outside == []
    assert offline_page.watch.errors == []


def visible_products(page) -> list[str]:
    return page.eval_on_selector_all(
        "[data-product-id]", "els => els.filter(e => !e.closest('[hidden]')).map(e => e.dataset.productId)")


@pytest.mark.browser
def test_product_listing_shows_every_product_from_file_urls(offline_page, offline, catalog):
    offline_page.goto(file_url(offline.root / "products" / "index.html"))
    offline_page.wait_for_load_state("load")
    assert sorted(visible_products(offline_page)) == sorted(p.id for p in catalog.products)
    assert offline_page.watch.outside == []
    assert offline_page.watch.errors == []


@pytest.mark.browser
def test_product_facets_filter_from_file_urls(offline_page, offline, catalog):
    """Contract of the facets (products.js): ?type=… keeps only entries of that type visible."""
    offline_page.goto(file_url(offline.root / "products" / "index.html", "type=framework"))
    # products.js shows its form once it has read the query and applied it.
    offline_page.wait_for_selector("#pim-facets:not([hidden])")
    visible = visible_products(offline_page)
    expected = {p.id for p in catalog.products if p.type == "framework"}
    assert expected and len(expected) < len(catalog.products), "the default content should have some frameworks"
    assert set(visible) == expected
    assert offline_page.locator("input[name=type][value=framework]").is_checked()
    assert offline_page.watch.outside == []
    assert offline_page.watch.errors == []



@pytest.mark.browser
def test_proposal_form_works_offline_but_for_the_github_step(offline_page, offline):
    """Everything on /contribute/propose/ works from file:// with no network; the GitHub step says
    that it needs the internet."""
    page = offline_page
    page.goto(file_url(offline.root / "contribute" / "propose.html"))
    page.wait_for_load_state("load")
    assert "needs an internet connection" in page.locator(".pim-propose__offline").text_content()
    page.get_by_label("Title (required)").fill("Offline field guide")
    page.get_by_label("Summary (required)").fill("Written with no network.")
    page.get_by_label("Type (required)").select_option("guidance")
    page.get_by_label("Published (required)").fill("2024")
    page.get_by_role("group", name="Produced by (required)").get_by_label("PIM community").check()
    assert page.locator("[data-preview] .pim-card__title").text_content() == "Offline field guide"
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the file").click()
    assert download.value.suggested_filename == "offline-field-guide.md"
    assert 'title: "Offline field guide"' in open(download.value.path(), encoding="utf-8").read()
    assert page.watch.outside == []
    assert page.watch.errors == []


class _InterfaceText(HTMLParser):
    """A page's text nodes and the attributes readers see or hear (title, aria-label, alt,
    placeholder, and the needs-internet marker), whitespace collapsed. Left out: code (field
    names such as `updated`), text marked as English (`lang="en"`: a GitHub button's name, a
    fallback), and with `fallback` (a page shown in English because it has no translation, and
    says so) its article: that English is on purpose."""
    SHOWN = ("title", "aria-label", "alt", "placeholder", "data-pim-needs-internet")
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self, fallback: bool = False):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, skipped) of each open element
        self._skipped = ("script", "style", "code", "pre") + (("article",) if fallback else ())

    def _skip(self) -> bool:
        return any(skipped for _, skipped in self._open)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        skipped = tag in self._skipped or (values.get("lang") or "").startswith("en")
        if not (skipped or self._skip()):
            self.texts += [" ".join(value.split()) for name, value in attrs if name in self.SHOWN and value]
        if tag not in self.VOID:
            self._open.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):  # close up to the matching element
            if self._open[index][0] == tag:
                del self._open[index:]
                break

    def handle_data(self, data):
        if not self._skip() and data.strip():
            self.texts.append(" ".join(data.split()))


@pytest.mark.parametrize("language", ["fr", "es", "ar"])
def test_no_english_interface_text_in_the_french_spanish_and_arabic_offline_pages(offline, language):
    """Every text of our templates and hooks that has a translation (translations.yml) is shown
    translated: no English one is left as a whole text or attribute of a page in that language,
    and the needs-internet marker (shown by extra.css from its attribute) speaks the language."""
    translations = yaml.safe_load((ROOT / "translations.yml").read_text(encoding="utf-8"))
    english = {key for key, texts in translations.items() if (texts or {}).get(language, key) != key}
    marker = translations["needs internet"][language]
    found, markers = [], 0
    for page in sorted((offline.root / language).rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        parser = _InterfaceText(fallback="pim-language-notice" in text)
        parser.feed(text)
        found += [f"{page.relative_to(offline.root)}: {text!r}" for text in parser.texts if text in english]
        for _, attrs in refs_of(page).links:
            if "pim-needs-internet" in attrs.get("class", "").split():
                markers += 1
                assert attrs.get("data-pim-needs-internet") == marker, page
                assert attrs.get("title") != "Needs internet", page
    assert found == []
    assert markers > 0
    css = (offline.root / "stylesheets" / "extra.css").read_text(encoding="utf-8")
    assert "attr(data-pim-needs-internet)" in css
    assert not re.findall(r'content:\s*"[^"]*[A-Za-z]{3}', css)  # no English words in generated content
