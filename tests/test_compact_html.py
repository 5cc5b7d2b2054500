"""The compaction of every page's HTML (hooks/compact_html.py): indentation and blank lines go,
the text of <pre>, <textarea> and <script> stays as it was."""

from __future__ import annotations

from hooks.compact_html import compact


def test_indentation_and_blank_lines_go():
    assert compact("<div>\n    <p>A</p>\n\n  \n\t<p>B</p>\n</div>") == "<div>\n<p>A</p>\n<p>B</p>\n</div>"


def test_spaces_inside_a_line_stay():
    assert compact("<p>two  spaces </p>  \n  <p>x</p>") == "<p>two  spaces </p>  \n<p>x</p>"


def test_pre_textarea_and_script_keep_their_whitespace():
    html = "<div>\n  <pre><code>a\n    b\n\n</code></pre>\n  <TEXTAREA>x\n  y</TEXTAREA>\n  <script>if (a)\n    b()\n</script>\n</div>"
    assert compact(html) == "<div>\n<pre><code>a\n    b\n\n</code></pre>\n<TEXTAREA>x\n  y</TEXTAREA>\n<script>if (a)\n    b()\n</script>\n</div>"
