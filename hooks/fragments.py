"""Parts of pages rendered once per build instead of once per page: on product pages the tabs,
the site navigation, the footer and the scripts; on every page the search dialog; and each
product's line in lists of products. Product pages are out of the nav, share one URL depth and
one language per build, so these parts come out byte for byte the same on each of them;
rendering them once instead of thousands of times is most of what a product page costs.

Templates use it as `{% call shared("tabs") %}...{% endcall %}`. The key includes `base_url`,
so a page at another depth never gets another's links. PIM_FAST_PRODUCT_PAGES=0 turns the
cache off (see hooks/internals.py); a test builds both ways and compares the pages."""

from __future__ import annotations

from jinja2 import pass_context

from hooks.internals import speedups_enabled


def fragment_cache(enabled: bool = True):
    rendered: dict[tuple[str, str], str] = {}

    @pass_context
    def shared(context, name: str, caller):
        if not enabled:
            return caller()
        key = (name, context.get("base_url"))
        if key not in rendered:
            rendered[key] = caller()
        return rendered[key]

    return shared


def share_fragments(env, config, files):
    # Each build has a new environment, so templates cannot change under it: skip the check of
    # every template file's time on each include (tens of thousands per build).
    env.auto_reload = False
    # A new environment and so an empty cache for each build (and each language's build).
    env.globals["shared"] = fragment_cache(speedups_enabled())
    return env
