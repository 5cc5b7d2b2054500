"""Product pages filled into a shell (hooks/product_shell.py) are the pages a full render gives,
and a frame with a per-page value the shell does not know falls back to full renders. Small
templates stand in for Material's here; the real ones are covered by
test_product_page_speedups.py, which builds the site with and without shells."""

from __future__ import annotations

from types import SimpleNamespace

from jinja2 import DictLoader, Environment
from mkdocs.structure.toc import get_toc

from hooks.product_shell import LAYOUT, PARTS_TEMPLATE, ProductShells, mark

FRAME = (
    "<title>{{ page.meta.title }} - Site</title><meta content=\"{{ page.meta.description }}\">"
    "{% if page.toc | first is defined %}<a href=\"{{ (page.toc | first).url }}\">Skip</a>{% endif %}"
    "<h1>{{ page.title }}</h1>{{ page.content }}"
    "{% if pim_shell %}{{ slot('related') }}{% else %}{% include 'related.html' %}{% endif %}"
)


def _shells(frame: str = FRAME) -> ProductShells:
    env = Environment(loader=DictLoader({
        LAYOUT: frame,
        PARTS_TEMPLATE: "{% for part in parts %}{% include part %}{{ slot('end') }}{% endfor %}",
        "partials/language.html": "",
        "related.html": "<ul><li>{{ related }}</li></ul>",
        "partials/product-related.html": "{% include 'related.html' %}",
    }))
    env.globals["slot"] = mark
    return ProductShells(env, enabled=True)


def _page(number: int) -> dict:
    page = SimpleNamespace(
        meta={"title": f"Product {number}", "description": f"About &lt;{number}&gt;"},
        title=f"Product {number}", canonical_url=None, edit_url=None,
        content=f"<p>Body {number}</p>", url=f"products/p{number}/",
        toc=get_toc([{"level": 2, "id": f"part-{number}", "name": "Part", "children": []}]),
        file=SimpleNamespace(src_uri=f"products/p{number}.md"),
    )
    return {"page": page, "base_url": "../..", "related": f"Related to {number}"}


def test_pages_filled_from_the_shell_are_their_full_renders():
    shells = _shells()
    full = shells.env.get_template(LAYOUT)
    pages = [_page(n) for n in range(3)]
    assert [shells.render(p) for p in pages] == [full.render(p) for p in pages]
    assert shells.enabled and len(shells.shells) == 1
    assert 'href="#part-2"' in shells.render(pages[2]) and "Related to 2" in shells.render(pages[2])


def test_a_frame_with_a_value_the_shell_does_not_know_falls_back_to_full_renders():
    shells = _shells(FRAME + "<link href=\"{{ page.url }}\">")
    full = shells.env.get_template(LAYOUT)
    pages = [_page(n) for n in range(3)]
    assert [shells.render(p) for p in pages] == [full.render(p) for p in pages]
    assert not shells.enabled
