"""Contributed text is untrusted: payloads in data files never run and never become templates.

A copy of the project gets one hostile product and one hostile stakeholder: <script>, onerror=,
javascript: and data: links, and Jinja syntax ({{ }} and {% %}) in every plain-text field and in
the Markdown body. The build must succeed, every page must show the text literally, a real
browser must run none of it, and the search index, JSON, CSV and Atom outputs must carry it as
data. URLs in data fields other than http, https and mailto are refused by validation.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import build_site, copy_project, read_page, run_cli, serve
from trust_project import trust_site

SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x alt="payload" onerror="window.__pwned=1">'
MACRO = "{{ 7*7 }}"
BLOCK = "{% if true %}evaluated{% endif %}"

PRODUCT_ID = "hostile-product"
TITLE = f"Hostile {SCRIPT} {MACRO}"
SUMMARY = f"Summary {IMG} {MACRO} {BLOCK}"
EDITION_TITLE = f"Edition {SCRIPT} {MACRO}"
FILE_LABEL = f"Label {IMG}"
LICENCE = f"Licence {IMG} {MACRO}"
STAKEHOLDER_NAME = f"Hostile org {SCRIPT} {MACRO}"
STAKEHOLDER_DESCRIPTION = f"Description {IMG} {BLOCK}"
BODY = f"""\
Body text {MACRO} and {BLOCK}.

{SCRIPT}

{IMG}

<svg onload="window.__pwned=1"></svg>
<iframe src="javascript:window.__pwned=1"></iframe>
<div onclick="window.__pwned=1" onmouseover="window.__pwned=1">hover me</div>

[markdown javascript link](javascript:window.__pwned=1)
[markdown data link](data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX19wd25lZD0xPC9zY3JpcHQ+)
<a href="javascript:window.__pwned=1">raw javascript link</a>
<a href="JaVaScRiPt:window.__pwned=1">mixed case link</a>
[a relative link](pim-matrix.md)

## Heading {IMG}

```
{SCRIPT} in a code block
```
"""

# Pages where the hostile text appears, by what they are.
AFFECTED_PAGES = {
    "product page": f"/products/{PRODUCT_ID}/",
    "listing": "/products/",
    "stakeholders": "/stakeholders/",
    "term page": "/matrix/case-management/",
    "home": "/",
}
LIVE_TAG = re.compile(r"<(script|img|svg|iframe|div)\b[^>]*(__pwned|\bon[a-z]+\s*=)", re.I)
UNSAFE_LINK = re.compile(r"""(href|src)\s*=\s*["']?\s*(javascript|data|vbscript):""", re.I)


def write_hostile_data(project: Path) -> None:
    front = {
        "title": TITLE, "summary": SUMMARY, "type": "tool", "published": "2010-01",
        "categories": ["case-management"], "producers": ["hostile-org"], "featured": True,
        "licence": LICENCE,
        "editions": [{"language": "en", "title": EDITION_TITLE,
                      "files": [{"label": FILE_LABEL, "format": "<i>PDF</i>", "url": "https://example.org/file"}]}],
    }
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + BODY
    (project / "products" / f"{PRODUCT_ID}.md").write_text(text, encoding="utf-8")
    stakeholder = yaml.safe_dump([{"id": "hostile-org", "name": STAKEHOLDER_NAME, "type": "ngo",
                                   "url": "https://example.org/", "description": STAKEHOLDER_DESCRIPTION}],
                                 allow_unicode=True, sort_keys=False)
    with open(project / "stakeholders.yml", "a", encoding="utf-8") as file:
        file.write("\n" + stakeholder)


@pytest.fixture(scope="module")
def hostile_site() -> Path:
    """The session's trust build (tests/trust_project.py), which holds the hostile product and
    stakeholder among its own: the build succeeds, hostile text is data, not an error."""
    return trust_site()[1]


@pytest.fixture(scope="module")
def hostile_url(hostile_site):
    url, server = serve(hostile_site)
    yield url
    server.shutdown()


# --- in the built files -------------------------------------------------------------------------

@pytest.mark.parametrize("url", AFFECTED_PAGES.values(), ids=AFFECTED_PAGES.keys())
def test_pages_carry_no_live_payload(hostile_site, url):
    html = read_page(hostile_site, url)
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html or "&lt;img" in html  # shown as text
    assert not LIVE_TAG.search(html), LIVE_TAG.search(html).group(0)
    assert not UNSAFE_LINK.search(html)


def test_macro_syntax_stays_literal_on_the_product_page(hostile_site):
    html = read_page(hostile_site, f"/products/{PRODUCT_ID}/")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1)
    assert MACRO in title and "49" not in title
    assert "{% if true %}evaluated{% endif %}" in html.replace("&#34;", '"')
    assert html.count(MACRO) >= 4  # title, summary, licence, edition title, body
    head = html.split("</head>")[0]
    assert SCRIPT not in head and "&lt;script&gt;" in head  # <title> and meta description


def test_no_page_anywhere_has_a_live_payload(hostile_site):
    for page in hostile_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert not LIVE_TAG.search(html), f"{page}: {LIVE_TAG.search(html).group(0)}"
        assert not UNSAFE_LINK.search(html), f"{page}: {UNSAFE_LINK.search(html).group(0)}"


def test_search_index_carries_the_payload_as_text(hostile_site):
    index = json.loads((hostile_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = [d for d in index["docs"] if d["location"].startswith(f"products/{PRODUCT_ID}/")]
    assert entries, "the hostile product is not in the search index"
    for document in index["docs"]:
        for key in ("title", "text"):
            assert not LIVE_TAG.search(document.get(key) or ""), (document["location"], document[key][:300])
            assert "javascript:" not in (document.get(key) or "").lower().replace("javascript link", "")


def test_catalog_json_csv_and_feed_carry_the_payload_as_data(hostile_site):
    document = json.loads((hostile_site / "catalog.json").read_text(encoding="utf-8"))
    product = next(p for p in document["products"] if p["id"] == PRODUCT_ID)
    assert product["title"] == TITLE and product["summary"] == SUMMARY
    assert product["editions"][0]["title"] == EDITION_TITLE
    assert any(s["name"] == STAKEHOLDER_NAME for s in document["stakeholders"])

    rows = list(csv.DictReader(io.StringIO((hostile_site / "catalog.csv").read_text(encoding="utf-8-sig"))))
    row = next(r for r in rows if r.get("id") == PRODUCT_ID)
    assert row["title"] == TITLE

    feed = ET.fromstring((hostile_site / "feed.xml").read_bytes())  # well-formed despite the payload
    atom = "{http://www.w3.org/2005/Atom}"
    titles = [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]
    assert TITLE in titles
    assert not feed.findall(f".//{{http://www.w3.org/1999/xhtml}}script") and not feed.findall(".//script")


# --- in a real browser --------------------------------------------------------------------------

@pytest.fixture
def page(watched_page):
    watched_page.on("dialog", lambda dialog: dialog.dismiss())
    return watched_page


def settle(page) -> None:
    """Wait until whatever the page could still run has had its turn: every image and frame has
    loaded or failed (so their onload/onerror handlers fired), then two animation frames and a
    task have passed (handlers queued by clicks and hovers ran)."""
    page.wait_for_function("""Array.from(document.images).every(i => i.complete)
        && Array.from(document.querySelectorAll('iframe')).every(f => {
             try { return f.contentDocument === null || f.contentDocument.readyState === 'complete'; }
             catch (e) { return true; } })""")
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 0))))")


def pwned(page) -> bool:
    return page.evaluate("window.__pwned !== undefined || (window.top && window.top.__pwned !== undefined)")


@pytest.mark.browser
@pytest.mark.parametrize("url", AFFECTED_PAGES.values(), ids=AFFECTED_PAGES.keys())
def test_no_payload_runs_in_the_browser(page, hostile_url, url):
    page.goto(hostile_url + url)  # to its load event: every image and frame of the page asked for
    for element in page.locator("[onmouseover], [onclick], div:has-text('hover me')").all()[:5]:
        element.hover()
    links = page.locator("a[href^='javascript:' i], a[href^='data:' i]")
    for index in range(links.count()):
        links.nth(index).click(no_wait_after=True)
    settle(page)
    assert links.count() == 0, "a javascript: or data: link was rendered"
    assert not pwned(page)
    text = page.locator("body").inner_text()
    assert MACRO in text  # shown literally, not 49
    expected = STAKEHOLDER_NAME if url == "/stakeholders/" else TITLE
    assert expected in text


@pytest.mark.browser
def test_search_results_show_the_payload_as_text(page, hostile_url):
    page.goto(hostile_url + "/")
    page.keyboard.press("/")
    page.keyboard.type("Hostile")
    page.locator(".md-search-result__item").first.wait_for(timeout=10_000)
    settle(page)
    assert not pwned(page)
    assert "window.__pwned" in page.locator(".md-search-result").inner_text()


# --- validation ---------------------------------------------------------------------------------

def validate(project: Path) -> subprocess.CompletedProcess:
    return run_cli("validate", cwd=project)


@pytest.mark.parametrize("bad_url", [
    "javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", "vbscript:msgbox(1)", "file:///etc/passwd",
])
def test_validation_refuses_unsafe_urls_in_product_files(tmp_path, bad_url):
    project = copy_project(tmp_path / "project")
    path = project / "products" / "pim-matrix.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("url: https://pim.guide/", f"url: {json.dumps(bad_url)}", 1), encoding="utf-8")
    result = validate(project)
    assert result.returncode == 1
    assert re.search(r"products/pim-matrix\.md:\d+: editions\[0\]\.files\[0\]\.url: .*not an allowed web address"
                     r".*https://, http:// or mailto:", result.stdout), result.stdout


def test_validation_refuses_a_javascript_url_for_a_stakeholder_and_the_build_fails(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "stakeholders.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("url: https://drc.ngo/", "url: javascript:alert(1)", 1),
                    encoding="utf-8")
    result = validate(project)
    assert result.returncode == 1
    assert re.search(r"stakeholders\.yml:\d+: url: \"javascript:alert\(1\)\" is not an allowed web address",
                     result.stdout), result.stdout
    build = build_site(project, tmp_path / "site", check=False)
    assert build.returncode != 0 and "not an allowed web address" in build.stdout + build.stderr


def test_validation_refuses_markup_in_tags(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "products" / "pim-matrix.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("tags: [matrix, information-systems]", 'tags: ["<script>x</script>"]'), encoding="utf-8")
    result = validate(project)
    assert result.returncode == 1
    assert re.search(r"products/pim-matrix\.md:\d+: tags\[0\]: .*lowercase words joined by '-'", result.stdout), \
        result.stdout
