"""What changed (issue 18): the /changes/ page, the Atom feed's change entries, and the offline
edition's home, which says what changed since each earlier date on /changes/."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from conftest import read_page
from pim import changes
from pim.load import load_catalog
from trust_project import trust_offline_site, trust_site

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def built():
    return trust_site()


def test_changes_page_lists_additions_and_changes_newest_first(built):
    _, site = built
    page = read_page(site, "changes/")
    items = re.findall(r'<li id="([^"]+)"><time datetime="([0-9-]+)">', page)
    assert items[:4] == [("odd-characters-2025-04-02-1", "2025-04-02"), ("odd-characters-2025-01-10-0", "2025-01-10"),
                         ("arabic-only-2024-12-31-0", "2024-12-31"), ("odd-characters-added", "2024-03-15")]
    dates = [date for _, date in items]
    assert dates == sorted(dates, reverse=True)
    assert '<h2 id="since-2025-04"><time datetime="2025-04">April 2025</time></h2>' in page
    assert "Changed</span>:" in page and "Added the French edition &amp; fixed &lt;i&gt;two&lt;/i&gt; links." in page
    french = read_page(site, "fr/changes/")
    assert "Ajout de l&#39;édition française." in french and "avril 2025" in french
    assert 'href="../../feed.xml"' in french


def test_feed_carries_changes_as_well_as_new_products(built):
    _, site = built
    root = ET.fromstring((site / "feed.xml").read_bytes())
    entries = root.findall(f"{ATOM}entry")
    titles = [e.findtext(f"{ATOM}title") for e in entries]
    assert titles[0] == 'Changed: Safe "referral" & <script>alert(1)</script> {{ config }} 100% of_cases: what\'s next?'
    assert entries[0].findtext(f"{ATOM}id") == "https://pim.guide/products/odd-characters/#change-2025-04-02-1"
    assert entries[0].findtext(f"{ATOM}summary") == "New section on {{ consent }}."
    assert entries[0].findtext(f"{ATOM}updated").startswith("2025-04-02")
    assert "Changed: دليل إدارة معلومات الحماية" in titles
    assert root.findtext(f"{ATOM}updated").startswith("2025-04-02")


def test_since_each_period_counts_everything_newer(built):
    project, _ = built
    catalog, _ = load_catalog(project)
    since = changes.since_each(catalog)
    assert [(s.period.key, s.additions, s.changes) for s in since[:3]] == [
        ("2025-04", 0, 1), ("2025-01", 0, 2), ("2024-12", 0, 3)]


def test_offline_home_says_what_changed_since_each_earlier_date():
    _, site, _ = trust_offline_site()  # the trust products, offline (tests/trust_project.py)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert "This copy was made on June 1, 2025." in home
    assert '<a href="./changes.html#since-2025-04">Since April 2025</a>:\n0 new products,\n1 change</li>' in home
    assert '<a href="./changes.html#since-2025-01">Since January 2025</a>:\n0 new products,\n2 changes</li>' in home
    assert 'href="./changes.html#since-2024-03"' in home
    target = (site / "changes.html").read_text(encoding="utf-8")
    assert 'id="since-2025-04"' in target and 'id="since-2024-03"' in target
    assert "Cette copie date du 1 juin 2025." in (site / "fr" / "index.html").read_text(encoding="utf-8")
    # The hosted site's home does not say it.
    assert 'id="what-changed"' not in (trust_site()[1] / "index.html").read_text(encoding="utf-8")
