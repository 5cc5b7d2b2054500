"""The build, stage by stage: the one hook mkdocs.yml lists.

A product file becomes a page in these steps (README.md, "How a product becomes a page"):
the data is read and checked once (hooks/data.py) into the build's state (hooks/state.py);
hooks/catalog.py adds a page for each product; MkDocs converts its Markdown (faster through
hooks/product_page.py); hooks/catalog.py cleans it and puts the product's panel above it;
Material's templates render the page (faster through hooks/product_shell.py); and the HTML
is finished (hooks/offline.py, hooks/languages.py, hooks/compact_html.py,
hooks/material_html.py) before MkDocs writes it.

MkDocs runs each event's handlers by priority, highest first. Plugins' handlers have
priority 0 unless they say otherwise, and at equal priority plugins run before hooks. So each
stage below names its event and its priority, and the stages of one event and priority run in
the order of this list. mkdocs-static-i18n runs the whole sequence again for each language.

A stage takes what MkDocs passes to the event (by the same names) and returns the new item
(config, files, html...) or None to keep it. It reads and writes the build's state through
`hooks.state.current()`, not config.extra; what outlives one language's build (the data read
once, compiled templates, what `make serve` last wrote) is on the session, hooks/session.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from mkdocs.plugins import CombinedEvent

from hooks import (
    alt_text,
    catalog,
    compact_html,
    covers,
    data,
    download,
    glossary,
    languages,
    material_html,
    offline,
    offline_documents,
    outputs,
    product_shell,
    propose,
    rebuild,
    search_forgiving,
    state,
    trust,
)


@dataclass(frozen=True)
class Stage:
    event: str  # MkDocs' event, without "on_"
    priority: int
    run: Callable
    why: str


STAGES = [
    Stage("startup", 0, rebuild.start, "`mkdocs serve --dirty` (`make serve`) writes only what a change touches"),
    # Configuration: after Material's offline plugin (0) set .html URLs for the offline build,
    # after mkdocs-macros (0) set up its variables, before mkdocs-static-i18n (-100) reads
    # extra.alternate.
    Stage("config", -90, state.begin, "a new state for this language's build, with the data, read once (hooks/data.py)"),
    Stage("config", -90, rebuild.plan_build, "`make serve`: what this build writes again, from what changed since the last"),
    Stage("config", -90, download.describe_edition, "the offline editions' zips, if `make offline` left them"),
    Stage("config", -90, offline_documents.link_fetched_documents, "offline build: product files `make offline` fetched link to their copies"),
    Stage("config", -90, covers.find_covers, "covers of products whose first file is a fetched PDF, rendered once (cached by sha256)"),
    Stage("config", -90, offline.use_local_shim, "offline build: search's shim from node_modules, not a CDN"),
    Stage("config", -90, languages.set_switcher_links, "language switcher links relative to the site root"),
    Stage("config", -90, propose.describe_form, "the proposal form's spec and the branch it proposes to"),
    Stage("config", -90, state.for_macros, "pages with render_macros: true see the state as `pim`"),
    Stage("serve", 0, data.watch, "`mkdocs serve` rebuilds when data files change"),
    Stage("serve", 0, rebuild.hear_saves, "`mkdocs serve` hears a saved file at once: the system's file events, not a look every 0.5 s"),
    # Files: after mkdocs-static-i18n (-100) chose this language's files; it cannot handle
    # generated files, which have no source path.
    Stage("files", -110, catalog.add_pages, "a page for each product and term; redirects from old addresses"),
    Stage("files", -110, outputs.note_page_paths, "each product's page URL, for catalog.json, .csv and the feed"),
    Stage("files", -110, languages.add_alternates, "switcher links for the generated pages"),
    Stage("files", -110, download.publish_zips, "the offline editions' zips, published beside the download page"),
    Stage("files", -110, offline.add_shim, "offline build: the iframe-worker shim, from npm"),
    Stage("files", -150, search_forgiving.publish_worker, "the forgiving search's worker, beside Material's; after mkdocs-static-i18n (-100), which cannot handle generated files"),
    Stage("files", -200, rebuild.choose_pages, "`make serve`: each page says whether it is written again; after every page is added"),
    # Template environment: once per build, after every page is converted.
    Stage("env", 0, state.for_templates, "templates see the state as `pim`"),
    Stage("env", 0, product_shell.use_shells, "product pages filled into one rendered shell"),
    Stage("env", 0, rebuild.keep_titles, "`make serve`: hand-written pages not read again keep their titles, for the navigation"),
    # Each page, in MkDocs' order of events.
    Stage("page_markdown", 100, rebuild.note_reads, "`make serve`: what a hand-written page reads of the data is noted, before mkdocs-macros (0) renders it"),
    Stage("page_markdown", 0, catalog.set_page_meta, "generated pages' titles, summaries and edit links"),
    Stage("page_content", 0, catalog.page_content, "term descriptions; product descriptions cleaned, and their search text"),
    Stage("page_content", 0, glossary.glossary_page, "the glossary's entries, in the page's content so that search finds each one"),
    Stage("page_content", 0, glossary.explain_terms, "guidance pages: a term's first mention shows its definition on hover and focus"),
    Stage("page_content", 0, alt_text.check_alt_text, "an image without alt text fails the strict build"),
    Stage("page_context", 100, rebuild.resume_reads, "`make serve`: and what its template reads"),
    Stage("page_context", 0, languages.page_languages, "switcher links to this page, after mkdocs-static-i18n (50) set them"),
    Stage("page_context", -10, catalog.fill_page, "the product's panel, after Material's search (0) indexed the page"),
    Stage("page_context", -20, trust.add_history_and_citation, "a product's history and Cite section, after its description"),
    Stage("page_context", -30, catalog.complete_toc, "a product page's table of contents: every section, once they are all there"),
    Stage("post_page", 0, offline.mark_page, "offline build: links that need the internet marked"),
    Stage("post_page", 0, search_forgiving.point_page_at_worker, "Material's search runs our worker; before rebase_page re-serialises the config"),
    Stage("post_page", 0, languages.rebase_page, "Material's scripts find this language's search index"),
    Stage("post_page", 0, compact_html.compact_page, "indentation dropped from the HTML"),
    Stage("post_page", 0, material_html.correct_page, "<html dir> as on <body>; no autocomplete on Material's checkboxes"),
    Stage("post_page", -100, catalog.release_page_text, "a written product page's text let go: the last page event"),
    Stage("post_page", -110, rebuild.stop_reads, "`make serve`: the page is written; reads are no longer its"),
    Stage("post_template", 0, material_html.correct_template, "404.html: <html dir>; no autocomplete on Material's checkboxes"),
    # Pages MkDocs renders from a template alone (404.html, sitemap.xml).
    Stage("post_template", 0, search_forgiving.point_404_at_worker, "the 404 page's search runs our worker too"),
    # After the build.
    Stage("post_build", 60, rebuild.keep_search_entries, "this language's search entries, before Material's search plugin (0) writes its index"),
    Stage("post_build", 50, outputs.write_outputs, "catalog.json, .csv, schema and feed, before anything packs the site"),
    Stage("post_build", 50, trust.write_citation_files, "citation files: cite/<id>.bib/.ris/.json, catalog.bib/.ris/.csl.json"),
    Stage("post_build", 50, covers.write_cover_files, "covers/<sha256>.webp from .cache/covers/, once for every language"),
    Stage("post_build", 0, offline.remove_server_files, "offline build: no sitemap, no 404 page"),
    Stage("post_build", -110, languages.split_search, "one search index per language, once mkdocs-static-i18n (-100) built them all"),
    Stage("post_build", -120, rebuild.finish, "`make serve`: the next build compares with this one"),
]


def _handler(stage: Stage) -> Callable:
    def handler(*args, **kwargs):
        return stage.run(*args, **kwargs)
    handler.mkdocs_priority = stage.priority  # what mkdocs.plugins.event_priority sets
    handler.__name__ = handler.__qualname__ = f"{stage.run.__module__}.{stage.run.__name__}"
    return handler


def _event(name: str) -> CombinedEvent:
    return CombinedEvent(*(_handler(stage) for stage in STAGES if stage.event == name))


# What MkDocs calls: each event's stages, in the order above.
on_startup = _event("startup")
on_config = _event("config")
on_serve = _event("serve")
on_files = _event("files")
on_env = _event("env")
on_page_markdown = _event("page_markdown")
on_page_content = _event("page_content")
on_page_context = _event("page_context")
on_post_page = _event("post_page")
on_post_template = _event("post_template")
on_post_build = _event("post_build")
