"""Product pages are built with speed-ups: one Markdown instance per build
(hooks/product_page.py) and pages filled into one rendered shell (hooks/product_shell.py). They must
change nothing a reader gets, nor hide a broken link: the site built with them equals the site
built without them, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import build_site, copy_project, read_page

# Two products one after the other: state must not carry over from one body to the next.
FIRST = """\
---
title: First test product
summary: Defines an abbreviation and a heading that the next product must not inherit.
type: tool
published: "2024-01"
producers: [drc]
editions:
  - language: en
    files: []
---

## Overview

The PIM team uses this.

!!! note "A note"
    Admonitions render as they do on other pages.

| Column | Other |
| --- | --- |
| a | b |

*[PIM]: Protection Information Management
"""

SECOND = """\
---
title: Second test product
summary: Mentions PIM with no abbreviation of its own.
type: tool
published: "2024-02"
producers: [drc]
editions:
  - language: en
    files: []
---

## Overview

PIM again, with a link to [the first product](first-test-product.md#overview).
"""


def _html_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*.html"))}


@pytest.fixture(scope="module")
def both_builds(tmp_path_factory) -> tuple[Path, Path]:
    project = copy_project(tmp_path_factory.mktemp("speedups") / "project")
    (project / "products" / "first-test-product.md").write_text(FIRST, encoding="utf-8")
    (project / "products" / "second-test-product.md").write_text(SECOND, encoding="utf-8")
    fast, slow = project / "fast", project / "slow"
    log = build_site(project, fast, extra_args=("--verbose",))
    # The option in a configuration of its own, inheriting the project's.
    (project / "mkdocs-slow.yml").write_text("INHERIT: mkdocs.yml\nextra:\n  fast_product_pages: false\n", encoding="utf-8")
    build_site(project, slow, extra_args=("--config-file", "mkdocs-slow.yml"))
    return fast, slow, log.stdout + log.stderr


def test_site_is_the_same_with_and_without_the_product_page_speedups(both_builds):
    fast, slow = _html_files(both_builds[0]), _html_files(both_builds[1])
    assert fast.keys() == slow.keys()
    different = [name for name in fast if fast[name] != slow[name]]
    assert not different, f"{len(different)} pages differ, for example {different[:3]}"
    assert (both_builds[0] / "search" / "search_index.json").read_bytes() == \
        (both_builds[1] / "search" / "search_index.json").read_bytes()


def test_a_broken_link_in_a_product_body_fails_the_strict_build(tmp_path):
    project = copy_project(tmp_path / "project")
    broken = SECOND.replace("Second test product", "Broken links").replace('published: "2024-02"', 'published: "1990"').replace(
        "[the first product](first-test-product.md#overview)",
        "[a product](no-such-product.md) and [a section](common-pim-terminology.md#no-such-section)")
    (project / "products" / "zz-broken-links.md").write_text(broken, encoding="utf-8")
    result = build_site(project, tmp_path / "site", check=False)
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
