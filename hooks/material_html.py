"""Two corrections to the parts of Material's base.html that no template block reaches (the
alternative is a copy of the whole base.html):

- the text direction on <html>, not only on <body> where Material writes it: W3C's guidance for
  right-to-left pages, so that the whole document, <head> and <title> included, reads Arabic
  right to left;
- no autocomplete="off" on the drawer and search checkboxes: the HTML checker rejects it on a
  checkbox. Material puts it there so that a browser does not restore them open on Back;
  main.html's `header` block (right after them) unchecks them instead.

Stages of hooks/pipeline.py: after the page's HTML is compacted, and on 404.html."""

from __future__ import annotations

import re

BODY_DIR = re.compile(r'<body\b[^>]*?\sdir="(rtl|ltr)"')
HTML_TAG = re.compile(r"<html\b(?![^>]*\sdir=)")
TOGGLE = re.compile(r'(<input class="md-toggle" data-md-toggle="(?:drawer|search)" type="checkbox" id="__(?:drawer|search)") autocomplete="off">')


def correct_page(output: str, page, config) -> str:
    output = TOGGLE.sub(r"\1>", output, count=2)
    found = BODY_DIR.search(output)
    if not found:
        return output
    return HTML_TAG.sub(f'<html dir="{found.group(1)}"', output, count=1)


def correct_template(output: str, template_name: str, config) -> str:
    """404.html, a template rendered outside the pages."""
    return correct_page(output, None, config) if template_name.endswith(".html") else output
