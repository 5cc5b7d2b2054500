"""Valid HTML: the W3C Nu HTML Checker finds no error on any kind of page.

One built file of each kind (each template of ours, and the hand-written content pages) goes to
vnu.jar in a single java call: the JVM is slow to start. Errors that come from Material's own
templates, which we do not copy, are listed below as named exceptions with the reason.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

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
}

# (exact message, text the error's extract contains, why it is accepted)
MATERIAL_EXCEPTIONS = [
    ("Attribute “autocomplete” is only allowed when the input type is “color”, “date”, “datetime-local”, "
     "“email”, “hidden”, “month”, “number”, “password”, “range”, “search”, “tel”, “text”, “time”, “url”, "
     "or “week”.",
     'class="md-toggle"',
     "Material's base.html gives its hidden drawer and search checkboxes autocomplete=\"off\" so that "
     "Firefox does not restore them open on Back. They sit outside every template block, so only a "
     "copy of base.html could remove them; browsers ignore the attribute otherwise."),
    ("Bad value “” for attribute “tabindex” on element “label”: The empty string is not a valid integer.",
     'class="md-nav__link',
     "Material's partials/nav-item.html writes tabindex=\"\" on the labels of nav sections that have an "
     "index page (navigation.indexes); browsers treat it as no tabindex."),
    ("The value of the “for” attribute of the “label” element must be the ID of a non-hidden form control.",
     'for="__toc"',
     "Material's partials/toc.html labels the __toc toggle, which nav-item.html renders only for pages in "
     "the nav; product and term pages are out of the nav on purpose (hooks/catalog.py). The label does "
     "nothing on those pages."),
]


def _java() -> str:
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is missing; the HTML check needs it. Install it with: "
                    "sudo apt-get install -y default-jre-headless (.ci/run does this in CI).", pytrace=False)
    if not VNU.is_file():
        pytest.fail(f"{VNU} is missing: run `npm ci` (make test does it).", pytrace=False)
    return java


def _accepted(message: dict) -> bool:
    return any(message.get("message") == text and marker in message.get("extract", "")
               for text, marker, _ in MATERIAL_EXCEPTIONS)


@pytest.fixture(scope="module")
def checker_messages(site_dir) -> list[dict]:
    java = _java()
    files = [site_dir / path for path in PAGES.values()]
    missing = [str(f) for f in files if not f.is_file()]
    assert not missing, f"pages to check are missing: {missing}"
    result = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--errors-only", *map(str, files)],
                            capture_output=True, text=True, timeout=300)
    # vnu writes its JSON report to stderr and exits 1 when it found errors.
    return json.loads(result.stderr)["messages"]


def test_every_kind_of_page_is_valid_html(checker_messages, site_dir):
    errors = [m for m in checker_messages if m.get("type") == "error" and not _accepted(m)]
    lines = [f"{Path(m['url'].removeprefix('file:')).relative_to(site_dir)}:{m.get('lastLine', '?')}: "
             f"{m['message']}\n    {m.get('extract', '').strip()[:160]}" for m in errors]
    assert not errors, f"{len(errors)} HTML errors:\n" + "\n".join(lines)


def test_the_checker_ran_on_every_page(checker_messages):
    """Guards against a silent checker: non-error messages (fatal, io) mean a page was not read."""
    assert not [m for m in checker_messages if m.get("type") not in ("error", "info")]


def test_material_exceptions_are_still_needed(checker_messages):
    """An exception that no longer matches anything (Material fixed it) must be removed from the list."""
    for text, marker, _ in MATERIAL_EXCEPTIONS:
        assert any(m.get("message") == text and marker in m.get("extract", "") for m in checker_messages), text
