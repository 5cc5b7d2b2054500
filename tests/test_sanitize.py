"""The cleaning of contributed HTML (pim/sanitize.py), without a site build."""

from __future__ import annotations

from pim.sanitize import clean_html, for_search


def test_cleaning_drops_script_and_unsafe_links_and_keeps_formatting():
    html = clean_html('<h2 id="use">Use</h2><p onclick="x()">A <a href="javascript:alert(1)">link</a></p><script>x()</script>')
    assert html == '<h2 id="use">Use</h2><p>A <a rel="noopener noreferrer">link</a></p>'


def test_search_copy_has_no_ids_or_heading_permalinks_so_a_product_is_one_search_result():
    html = ('<h2 id="who">Who it is for<a class="headerlink" href="#who" title="Permanent link">¶</a></h2>'
            '<p id="p1">Officers. <a href="https://example.org/">More</a></p><script>x()</script>')
    assert for_search(html) == ('<h2>Who it is for</h2>'
                                '<p>Officers. <a href="https://example.org/" rel="noopener noreferrer">More</a></p>')
