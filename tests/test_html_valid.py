"""Valid HTML: the W3C Nu HTML Checker finds no error on any kind of page.

One built file of each kind (each template of ours, and the hand-written content pages), and the
pages of the hostile products (tests/test_real_data_defects.py), go to vnu.jar in a single java
call: the JVM is slow to start. No exception: what Material's templates got wrong is corrected by
our copies of its partials (tests/material_partials.json) and by hooks/material_html.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ROOT
from extended_project import extended_site
from test_real_data_defects import PAGES as HOSTILE_PAGES

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# For one short run: the quick compiler only and the serial garbage collector, 2.5 CPU seconds
# instead of 5.5, the same messages (the optimising compiler does not pay back in 2 s). With the
# quick compiler alone the checker's schema overflowed the default thread stack: 4 MB.
JVM_OPTIONS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss4m"]

# One page of each kind, by the template or source that makes it.
PAGES = {
    "home (home.html)": "index.html",
    "content page (Markdown)": "what-is-pim/index.html",
    "listing with facets (products.html)": "products/index.html",
    "product page (product-layout.html + product-panel.html)": "products/pim-matrix/index.html",
    "taxonomy page (taxonomy.html)": "matrix/index.html",
    "term page (term.html)": "matrix/case-management/index.html",
    "stakeholders (stakeholders.html)": "stakeholders/index.html",
    "contribute": "contribute/index.html",
    "proposal form (propose.html)": "contribute/propose/index.html",
    "download": "download/index.html",
    "catalog format": "catalog-format/index.html",
    "alias redirect (redirect.html)": "essential/a-framework-for-data-sharing-in-practice/index.html",
    "not found (404)": "404.html",
    "Arabic home": "ar/index.html",
    "Arabic product page": "ar/products/pim-matrix/index.html",
    "French product page with a wide table": "fr/products/common-pim-terminology/index.html",
    "Spanish term page": "es/matrix/case-management/index.html",
    "Arabic listing": "ar/products/index.html",
}


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing; the HTML check needs it. Install it with: "
                    "sudo apt-get install -y default-jre-headless (.ci/run does this in CI).", pytrace=False)
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `npm ci` (make test does it).", pytrace=False)
    return java


@pytest.fixture(scope="module")
def checker_messages(site_dir) -> SimpleNamespace:
    """vnu's messages: `all`, and by site: `site` (the default content) and `hostile` (the
    extended project's site, tests/extended_project.py)."""
    java = _java()
    hostile = extended_site()[1]
    files = [site_dir / path for path in PAGES.values()]
    files += [hostile / path / "index.html" for path in HOSTILE_PAGES.values()]
    missing = [str(f) for f in files if not f.is_file()]
    assert not missing, f"pages to check are missing: {missing}"
    result = subprocess.run([java, *JVM_OPTIONS, "-jar", str(VNU), "--format", "json", "--errors-only",
                             *map(str, files)], capture_output=True, text=True, timeout=300)
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    messages = json.loads(result.stderr)["messages"]

    def of(site: Path) -> list[dict]:
        return [m for m in messages if Path(m.get("url", "").removeprefix("file:")).is_relative_to(site)]

    return SimpleNamespace(all=messages, site=of(site_dir), hostile=of(hostile))


def test_every_kind_of_page_is_valid_html(checker_messages, site_dir):
    errors = [m for m in checker_messages.site if m.get("type") == "error"]
    lines = [f"{Path(m['url'].removeprefix('file:')).relative_to(site_dir)}:{m.get('lastLine', '?')}: "
             f"{m['message']}\n    {m.get('extract', '').strip()[:160]}" for m in errors]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(lines)


def test_the_checker_ran_on_every_page(checker_messages):
    """Guards against a silent checker: non-error messages (fatal, io) mean a page was not read."""
    assert not [m for m in checker_messages.all if m.get("type") not in ("error", "info")]


def test_hostile_pages_are_valid_html(checker_messages):
    assert [(m.get("url"), m.get("message")) for m in checker_messages.hostile if m.get("type") != "info"] == []
