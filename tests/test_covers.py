"""Document covers (issue 23): the first page of a product's first file, when `make offline`
fetched it and it is a PDF, shown on its page and on the cards, hosted and offline. The PDFs are
made by tests/extended_project.py (Pillow's PDF writer) and planted in the download cache, as a
fetch would leave them: no server, no network. The hosted pages are the session's extended build,
the offline ones its offline build of the trust project (tests/trust_project.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from PIL import Image

from extended_project import BASE, CORRUPT, GOOD, TALL, extended_build, plant
from pim import covers
from pim.language_edition import belongs
from trust_project import trust_offline_site


@pytest.fixture(scope="module")
def covered():
    """The products of tests/extended_project.py's COVER_PRODUCTS, their documents in the
    download cache: hosted, in the session's extended build; offline, in the session's offline
    build of the trust project, which holds them too (tests/trust_project.py)."""
    project, site, hosted_log = extended_build()
    _, offline, offline_log = trust_offline_site()
    return SimpleNamespace(project=project, site=site, offline=offline, hosted_log=hosted_log, offline_log=offline_log)


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def imgs(html: str) -> list[dict[str, str]]:
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', tag)) for tag in re.findall(r"<img\b[^>]*>", html)]


def covers_in(html: str) -> list[dict[str, str]]:
    return [img for img in imgs(html) if "covers/" in img.get("src", "")]


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_a_fetched_pdf_gives_a_webp_cover_and_its_2x_within_20_kb(covered):
    for content in (GOOD, TALL):
        one = covered.site / "covers" / f"{sha(content)}.webp"
        two = covered.site / "covers" / f"{sha(content)}-2x.webp"
        for path, width in ((one, 240), (two, 480)):
            assert path.stat().st_size <= 20_000, path
            with Image.open(path) as image:
                assert image.format == "WEBP"
                image.load()  # decodes
                assert image.width == width
                assert image.height <= width * covers.MAX_RATIO + 1
    with Image.open(covered.site / "covers" / f"{sha(GOOD)}.webp") as image:
        assert image.height == round(240 * 842 / 595)
        assert image.getpixel((10, 10))[1] > image.getpixel((10, 10))[0]  # the page's teal band
    with Image.open(covered.site / "covers" / f"{sha(TALL)}.webp") as image:
        assert image.height == round(240 * covers.MAX_RATIO)  # a tall page is cut


@pytest.mark.parametrize("prefix, alt", [
    ("", "Cover of Field guide"), ("fr/", "Couverture de Guide de terrain"),
    ("es/", "Portada de Field guide"), ("ar/", "غلاف دليل ميداني"),
])
def test_the_product_page_shows_its_cover_with_size_and_translated_alt(covered, prefix, alt):
    html = page(covered.site, f"{prefix}products/with-cover/index.html")
    [cover] = covers_in(html)
    depth = "../../" + "../" * prefix.count("/")
    assert cover["src"] == f"{depth}covers/{sha(GOOD)}.webp"
    assert cover["srcset"] == f"{depth}covers/{sha(GOOD)}.webp 1x, {depth}covers/{sha(GOOD)}-2x.webp 2x"
    assert (cover["width"], cover["height"]) == ("240", str(round(240 * 842 / 595)))
    assert cover["alt"] == alt
    assert "loading" not in cover  # at the top of the page
    assert (covered.site / f"{prefix}products/with-cover" / depth / "covers" / f"{sha(GOOD)}-2x.webp").resolve().is_file()


def test_the_listing_cards_load_covers_lazily(covered):
    html = page(covered.site, "products/index.html")
    found = {img["src"].rsplit("/", 1)[1]: img for img in covers_in(html)}
    assert set(found) == {f"{sha(GOOD)}.webp", f"{sha(TALL)}.webp"}
    for img in found.values():
        assert img["loading"] == "lazy" and img["width"] == "240" and img["height"] and img["alt"].startswith("Cover of ")
    assert "pim-cover--placeholder" not in html  # the listing stays light: no stand-ins


def test_without_a_fetched_pdf_a_page_gets_the_placeholder_and_no_image(covered):
    for product_id in ("not-fetched", "second-file-pdf"):
        html = page(covered.site, f"products/{product_id}/index.html")
        assert covers_in(html) == [], product_id
        placeholder = re.search(r'<span class="pim-cover pim-cover--placeholder" aria-hidden="true">.*?</span></span>', html, re.S)
        assert placeholder and "<svg" in placeholder.group(0), product_id


def test_a_corrupted_pdf_is_a_warning_naming_the_product_file_and_the_page_gets_the_placeholder(covered):
    source = (covered.project / "products" / "corrupt-cover.md").read_text(encoding="utf-8")
    line = next(i for i, text in enumerate(source.splitlines(), 1) if "broken.pdf" in text)
    for log in (covered.hosted_log, covered.offline_log):
        assert f"products/corrupt-cover.md:{line}: no cover for {BASE}/broken.pdf" in log
    html = page(covered.site, "products/corrupt-cover/index.html")
    assert covers_in(html) == [] and "pim-cover--placeholder" in html


def test_the_home_page_shows_featured_products_with_their_covers(covered):
    html = page(covered.site, "index.html")
    featured = html.split('id="featured"', 1)[1].split('id="latest"', 1)[0]
    assert f"covers/{sha(GOOD)}.webp" in featured
    assert 'loading="lazy"' in featured  # below the fold


def test_the_offline_edition_has_the_covers_and_links_them_relatively(covered):
    html = page(covered.offline, "products/with-cover.html")
    [cover] = covers_in(html)
    assert cover["src"] == f"../covers/{sha(GOOD)}.webp"
    assert (covered.offline / "covers" / f"{sha(GOOD)}.webp").is_file()
    assert (covered.offline / "covers" / f"{sha(GOOD)}-2x.webp").is_file()
    # Every language's edition carries them (pim/language_edition.py).
    assert all(belongs(f"covers/{sha(GOOD)}.webp", language, set()) for language in ("en", "fr", "es", "ar"))


# -- Unit: the cache and the limits, without a build ------------------------------------------------

def project_with(tmp_path: Path, content: bytes) -> tuple[SimpleNamespace, Path]:
    from pim.model import Edition, EditionFile, Product

    plant(tmp_path, f"{BASE}/doc.pdf", content)
    item = Product(id="doc", title="Doc", summary="s", type="report", published="2023", producers=[],
                   editions=[Edition("en", files=[EditionFile("Doc", "PDF", url=f"{BASE}/doc.pdf", line=9)])],
                   source="products/doc.md")
    return SimpleNamespace(products=[item]), tmp_path


def test_an_unchanged_document_is_not_rendered_again_and_no_server_is_asked(tmp_path, monkeypatch):
    import requests

    monkeypatch.setattr(requests.Session, "request", lambda *a, **k: pytest.fail("a request was made"))
    catalog, root = project_with(tmp_path, GOOD)
    first = covers.covers(catalog, root, warn=pytest.fail)
    assert first["doc"].sha256 == sha(GOOD)
    monkeypatch.setattr(covers, "_render_in_process", lambda *a: pytest.fail("rendered again"))
    assert covers.covers(catalog, root, warn=pytest.fail) == first


def test_a_document_that_takes_too_long_is_given_up_with_a_warning(tmp_path, monkeypatch):
    catalog, root = project_with(tmp_path, GOOD)
    warnings = []
    assert covers.covers(catalog, root, warn=warnings.append, timeout=0.001) == {}
    assert warnings == [f"products/doc.md:9: no cover for {BASE}/doc.pdf: its first page took more than 0.001 s "
                        "to render (cover_render_seconds); the page shows a placeholder"]
