"""Review dates and histories on the built pages (issue 18), in a realistic project built with a
fixed build date (2025-06-01)."""

from __future__ import annotations

import re

import pytest

from conftest import read_page
from trust_project import trust_site


@pytest.fixture(scope="module")
def site():
    return trust_site()[1]


def review_of(page: str) -> str:
    return re.search(r'<dd class="pim-review">(.*?)</dd>', page, re.S).group(1)


def test_a_recently_reviewed_product_shows_the_localised_date_and_no_note(site):
    assert '<time datetime="2025-05-01">May 1, 2025</time>' in review_of(read_page(site, "products/odd-characters/"))
    french = review_of(read_page(site, "fr/products/odd-characters/"))
    assert '<time datetime="2025-05-01">1 mai 2025</time>' in french and "pim-review-due" not in french
    assert "1 de mayo de 2025" in review_of(read_page(site, "es/products/odd-characters/"))
    assert "مايو" in review_of(read_page(site, "ar/products/odd-characters/"))


def test_an_overdue_product_shows_a_quiet_note_with_the_edit_link(site):
    # Reviewed 2024-12-31, a guidance product: due after 24 months, so not yet.
    assert "pim-review-due" not in review_of(read_page(site, "products/arabic-only/"))
    # Never reviewed, published 2019, every 6 months: overdue.
    review = review_of(read_page(site, "products/long-title/"))
    assert review.startswith("Not reviewed yet")
    assert ('Review due: <a href="https://github.com/pim-community/pim-site/edit/main/products/long-title.md"'
            in review)
    assert "Vérification à faire" in review_of(read_page(site, "fr/products/long-title/"))


def test_the_listing_marks_products_due_for_review_and_offers_the_filter(site):
    listing = read_page(site, "products/")
    assert re.search(r'data-product-id="long-title"[^>]*data-review="due"', listing)
    assert re.search(r'data-product-id="odd-characters"[^>]*data-review="current"', listing)
    assert 'data-facet="review" data-attr="review"' in listing
    assert '<input type="checkbox" name="review" value="due"> Review due' in listing


def test_the_history_is_newest_first_translated_and_escaped(site):
    page = read_page(site, "products/odd-characters/")
    history = re.search(r'<ul class="pim-history">(.*?)</ul>', page, re.S).group(1)
    dates = re.findall(r'<time datetime="([0-9-]+)">', history)
    assert dates == ["2025-04-02", "2025-01-10"]
    assert "Added the French edition &amp; fixed &lt;i&gt;two&lt;/i&gt; links." in history
    assert "New section on {{ consent }}." in history
    french = read_page(site, "fr/products/odd-characters/")
    assert "Ajout de l&#39;édition française." in french
    assert '<h2 id="history">Ce qui a changé</h2>' in french
    assert 'id="history"' not in read_page(site, "products/pim-matrix/")


def test_the_field_reference_lists_the_new_fields(site):
    page = read_page(site, "contribute/")
    for name in ("reviewed", "review_every", "changes", "changes[].date", "changes[].note",
                 "changes[].translations"):
        assert f"<code>{name}</code>" in page, name
    assert "a whole number of months from 1 to 120" in page
