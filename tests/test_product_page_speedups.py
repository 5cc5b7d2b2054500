"""Product pages are built with speed-ups: one Markdown instance per build
(hooks/product_page.py) and pages filled into one rendered shell (hooks/product_shell.py). They must
change nothing a reader gets, nor hide a broken link: the site built with them equals the site
built without them, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import read_page
from extended_project import broken_build, extended_build, extended_build_without_speedups


def _pages(site: Path) -> dict[str, bytes]:
    """Every page and JSON file (the search index, catalog.json) of a built site."""
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.suffix in (".html", ".json") and p.is_file()}


@pytest.fixture(scope="module")
def both_builds() -> tuple[Path, Path, str]:
    """The session's build with the speed-ups (tests/extended_project.py: FIRST and SECOND among
    its products), and the same project built without them (where MkDocs' private names cannot
    be imported: the path `extra: fast_product_pages: false` takes too)."""
    _, fast, log = extended_build()
    slow, _ = extended_build_without_speedups()
    return fast, slow, log


def test_site_is_the_same_with_and_without_the_product_page_speedups(both_builds):
    # The build without them is the strict build where MkDocs' private names cannot be imported
    # (tests/test_speedups_guard.py): it passes, and gives the same pages and JSON files.
    fast, slow = _pages(both_builds[0]), _pages(both_builds[1])
    assert fast.keys() == slow.keys()
    different = [name for name in fast if fast[name] != slow[name]]
    assert not different, f"{len(different)} files differ, for example {different[:3]}"
    assert "search/search_index.json" in fast  # compared with the rest


def test_a_broken_link_in_a_product_body_fails_the_strict_build():
    result = broken_build()  # tests/extended_project.py: BROKEN_LINKS among the products
    assert result.returncode != 0
    assert "no-such-product.md" in result.stderr and "no-such-section" in result.stderr


def test_product_pages_of_the_real_templates_are_filled_from_the_shell(both_builds):
    # The shell's first page is checked against its full render; a difference (say, a new
    # per-page value in a Material upgrade) makes the build render in full and say so.
    assert "Product pages are rendered in full" not in both_builds[2]


def test_markdown_state_does_not_carry_over_from_one_product_to_the_next(both_builds):
    first = read_page(both_builds[0], "/products/first-test-product/")
    second = read_page(both_builds[0], "/products/second-test-product/")
    assert '<abbr title="Protection Information Management">PIM</abbr>' in first
    assert "<abbr" not in second.split('<article', 1)[1].split("</article>", 1)[0]
    assert 'class="admonition note"' in first and "<table>" in first
    assert 'href="../first-test-product/#overview"' in second


def test_a_body_whose_link_depends_on_the_pages_place_is_converted_for_each_language(both_builds):
    # A product's body is converted once for its four pages (hooks/product_page.py), unless a
    # link in it is resolved against the page's place: the logo stays at the site's root, one
    # folder further from the French page. The comparison above checks every other body.
    english = read_page(both_builds[0], "/products/second-test-product/")
    french = read_page(both_builds[0], "/fr/products/second-test-product/")
    assert 'href="../../assets/logo.svg"' in english
    assert 'href="../../../assets/logo.svg"' in french
