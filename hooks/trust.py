"""MkDocs glue for issue 18: review dates, history and citations on product pages, and the
citation files. The work is in pim/review.py, pim/citations.py and pim/changes.py; the HTML in
overrides/partials/product-review.html and product-trust.html. Registered after the other hooks
in mkdocs.yml."""

from __future__ import annotations

import sys
from functools import partial
from pathlib import Path

from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; the data layer sits beside them
    sys.path.insert(0, str(ROOT))

from pim import changes, citations  # noqa: E402
from pim.dates import format_day  # noqa: E402
from pim.review import build_date  # noqa: E402

TRUST_PARTIAL = "partials/product-trust.html"
_env: dict = {}


@event_priority(-95)  # after hooks/languages.py (-90) has set the language and i18n_globals
def on_config(config):
    language = config.extra.get("language") or "en"
    site_url = config.site_url or ""
    catalog = config.extra["catalog"]
    config.extra.setdefault("i18n_globals", {}).update(
        date_in=partial(format_day, language=language),
        cite=lambda product: citations.citation(catalog, product, site_url, language),
        changes_periods=lambda: changes.periods(catalog),
        changes_since=lambda: changes.since_each(catalog),
        edition_date=build_date().isoformat(),
    )
    return config


@event_priority(-10)  # after hooks/catalog.py (0) has put the build's globals into the environment
def on_env(env, config, files):
    _env["env"] = env
    return env


@event_priority(-20)  # after hooks/catalog.py (-10) has put the panel and description in page.content
def on_page_context(context, page, config, nav):
    product = context.get("product")
    if product is not None and page.content is not None and "product_id" in page.meta:
        after = _env["env"].get_template(TRUST_PARTIAL).render({**context, "product": product})
        page.content += after
    return context


@event_priority(50)  # with hooks/outputs.py: before hooks that pack the built site
def on_post_build(config):
    i18n = config.plugins.get("i18n")
    if i18n is not None and i18n.building:
        return  # another language's build: the files at the root are written once
    site_dir = Path(config.site_dir)
    (site_dir / citations.CITE_FOLDER).mkdir(exist_ok=True)
    for name, content in citations.all_files(config.extra["catalog"], config.site_url or "").items():
        (site_dir / name).write_bytes(content)
