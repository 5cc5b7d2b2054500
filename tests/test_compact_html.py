"""The compaction of every page's HTML (hooks/compact_html.py): indentation and blank lines go,
the text of <pre>, <textarea> and <script> stays as it was."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from hooks.compact_html import compact


def test_indentation_and_blank_lines_go():
    assert compact("<div>\n    <p>A</p>\n\n  \n\t<p>B</p>\n</div>") == "<div>\n<p>A</p>\n<p>B</p>\n</div>"


def test_spaces_inside_a_line_stay():
    assert compact("<p>two  spaces </p>  \n  <p>x</p>") == "<p>two  spaces </p>  \n<p>x</p>"


def test_pre_textarea_and_script_keep_their_whitespace():
    html = "<div>\n  <pre><code>a\n    b\n\n</code></pre>\n  <TEXTAREA>x\n  y</TEXTAREA>\n  <script>if (a)\n    b()\n</script>\n</div>"
    assert compact(html) == "<div>\n<pre><code>a\n    b\n\n</code></pre>\n<TEXTAREA>x\n  y</TEXTAREA>\n<script>if (a)\n    b()\n</script>\n</div>"


def test_an_unclosed_block_is_compacted_and_a_later_one_kept():
    html = "<pre>\n  a\n<script x>\n  b\n</Script >\n  c"
    assert compact(html) == "<pre>\na\n<script x>\n  b\n</Script >\nc"


def test_a_longer_tag_name_is_not_a_kept_block():
    assert compact("<scripts>\n  a\n</scripts>\n  <prefix>\n  b</pre>") == "<scripts>\na\n</scripts>\n<prefix>\nb</pre>"


# The one regex compaction used before it looked for opening and closing tags apart (twice as
# fast): both must give the same page, byte for byte.
_ONE_REGEX = re.compile(r"(<(pre|textarea|script)\b.*?</\2\s*>)", re.S | re.I)


def _with_one_regex(html: str) -> str:
    parts = _ONE_REGEX.split(html)
    return "".join(part if index % 3 == 1 else re.sub(r"\n[\n \t]*", "\n", part)
                   for index, part in enumerate(parts) if index % 3 != 2)


_PIECES = ["<pre>", "</pre>", "</PRE >", "<Pre x='1'>", "<script>", "</script>", "</SCRIPT\n>", "<textarea>",
           "</textAREA\t>", "<scripts>", "</scripts>", "<pre", "</pre", "\n", "  ", "\t", "\n\n  ", "a", "<p>",
           "</p>", "<", ">", "/", "é", "¶", "ي", "\u00a0", "\r"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
@settings(max_examples=1000, deadline=None)
def test_compaction_is_what_the_one_regex_gave(pieces):
    html = "".join(pieces)
    assert compact(html) == _with_one_regex(html)
