"""/download/ on the hosted site: with dist/pim-guide-offline.zip present it publishes the zip with
its real size, date and checksum; without it the strict build still passes and the page explains."""

from __future__ import annotations

import hashlib
import re
import zipfile
from html import unescape
from pathlib import Path

import pytest

from conftest import ROOT, build_site, copy_project, read_page
from extended_project import ZIP_EPOCH, extended_site
from pim import offline_zip

EPOCH = ZIP_EPOCH  # 2025-03-04 12:00 UTC


def article(html: str) -> str:
    return html[html.index("<article"):html.index("</article>")]


@pytest.fixture(scope="module")
def without_zip(site_dir, tmp_path_factory) -> Path:
    if not list((ROOT / "dist").glob("*.zip")):
        return site_dir  # no `make offline` here (a fresh clone, CI): the session's build has no zip
    project = copy_project(tmp_path_factory.mktemp("nozip") / "project")
    assert not (project / "dist").exists()
    site = project / "site"
    build_site(project, site)  # strict: it fails on any warning
    return site


@pytest.fixture(scope="module")
def with_zip():
    """The session's extended build (tests/extended_project.py): an offline edition's zip, dated
    2025-03-04, in its dist/."""
    project, site = extended_site()
    return site, project / "dist" / "pim-guide-offline.zip"


def test_every_build_has_the_download_page_with_three_steps(without_zip):
    page = article(read_page(without_zip, "download/"))
    steps = re.search(r"<ol>(.*?)</ol>", page, re.S).group(1)
    assert [word in steps for word in ("Unzip", "index.html", "Search")] == [True, True, True]
    assert steps.count("<li>") == 3


def test_without_a_zip_the_page_says_how_the_offline_edition_is_made(without_zip):
    page = article(read_page(without_zip, "download/"))
    assert "Not available in this build" in page
    assert "make offline" in page
    assert ".zip\"" not in page and "href=\"pim-guide-offline.zip\"" not in page
    assert not (without_zip / "download" / "pim-guide-offline.zip").exists()


def test_with_a_zip_the_page_shows_its_size_date_and_checksum(with_zip):
    site, zip_path = with_zip
    page = unescape(article(read_page(site, "download/")))
    size = zip_path.stat().st_size
    assert f"{size:,} bytes" in page
    assert offline_zip.human_size(size) in page
    assert '<time datetime="2025-03-04">2025-03-04</time>' in page
    assert hashlib.sha256(zip_path.read_bytes()).hexdigest() in page
    assert "Not available in this build" not in page


def test_with_a_zip_the_download_link_resolves_to_the_same_file(with_zip):
    site, zip_path = with_zip
    page = read_page(site, "download/")
    hrefs = re.findall(r'<a class="md-button md-button--primary" href="([^"]+)"', article(page))
    assert hrefs == ["pim-guide-offline.zip"]
    published = site / "download" / hrefs[0]
    assert published.read_bytes() == zip_path.read_bytes()
    with zipfile.ZipFile(published) as archive:
        assert archive.namelist() == ["pim-guide-offline/index.html"]


def test_the_date_is_the_zips_fixed_date_not_the_build_time(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "index.html").write_text("x", encoding="utf-8")
    zip_path = offline_zip.write_zip(content, tmp_path / "a.zip", EPOCH)
    info = offline_zip.describe(zip_path)
    assert info["date"] == "2025-03-04"
    assert info["size_bytes"] == zip_path.stat().st_size
    assert info["sha256"] == hashlib.sha256(zip_path.read_bytes()).hexdigest()


@pytest.mark.parametrize("size, text", [(999, "999 bytes"), (934_476, "934 kB"), (4_200_000, "4.2 MB")])
def test_sizes_read_as_people_say_them(size, text):
    assert offline_zip.human_size(size) == text
