"""MkDocs glue for the site's languages, on top of the mkdocs-static-i18n plugin (which builds
English at / and each other language under /<code>/, picking `page.fr.md` over `page.md`):

- the interface text of our own templates in the reader's language (`pim.t("English text")`,
  from translations.yml: hooks/state.py);
- language-switcher links relative to the page, so they work offline and under any path, and
  that stay on the same page;
- switcher alternates for the pages hooks/catalog.py generates, which the plugin never sees;
- whether a page fell back to English, for the notice in partials/language-notice.html;
- what is translated in each language, for the /translations/ page (pim/translations.py).
"""

from __future__ import annotations

import json
import re
from copy import deepcopy
from pathlib import Path
from types import SimpleNamespace

from hooks.session import SESSION
from hooks import glossary
from hooks.state import current, i18n_plugin, prefix


def set_switcher_links(config):
    """The language switcher's links, in extra.alternate, where mkdocs-static-i18n reads them."""
    state = current()
    default, built = state.default_language, state.languages
    home = "" if config.use_directory_urls else "index.html"
    if len(built) > 1 and "alternate" not in config.extra:
        # Relative to the site root (the `url` filter makes them relative to the page); the plugin's
        # own links start with '/', which breaks the offline edition and sites under a sub-path.
        plugin = i18n_plugin(config)
        config.extra["alternate"] = [
            {"name": plugin.get_language_config(code).name, "lang": code,
             "link": (prefix(code, default) + home) or "./"}
            for code in built
        ]
    return config


def add_alternates(files, config):
    """Switcher links for the pages hooks/catalog.py generated, which the plugin never saw."""
    state = current()
    default, built, language = state.default_language, state.languages, state.language
    own = state.language_prefix
    for file in files.documentation_pages():
        if file.generated_by and not hasattr(file, "alternates"):
            # The same generated page exists in every language, under each language's prefix.
            url = file.url[len(own):] if own and file.url.startswith(own) else file.url
            file.locale = file.locale_alternate_of = language
            file.alternates = {code: SimpleNamespace(url=prefix(code, default) + url, page=None)
                               for code in built}
    plugin = i18n_plugin(config)
    if plugin is not None:  # the plugin's sitemap.xml lists what it saw; add the generated pages
        plugin.i18n_files_per_language[language] = files.documentation_pages()
    return files


def split_search(config):
    """One search index per language (after the i18n plugin wrote the one of all languages)."""
    state = current()
    default, built = state.default_language, state.languages
    plugin = i18n_plugin(config)
    site = Path(config.site_dir)
    # Only the root has a sitemap.xml (for search engines): pages fetch none
    # (partials/fetch-on-demand.js), so the languages' folders need no copy.
    if plugin is None or not plugin.building:  # the first build, now that every language is built
        # Even with one language built: each index then uses that language's lunr pipeline only,
        # not the stemmers of every language in `search.lang`, which slows offline search.
        search = config.plugins.get("material/search")
        if search is not None and search.config.enabled:
            entries = [entry for code in built for entry in SESSION.search.get(code, [])]
            split_search_index(site, default, built, search, entries)


def split_search_index(site: Path, default: str, built: list[str], search, entries: list) -> None:
    """One search index per language, each in <language>/search/, so that a reader searches the
    pages of their language only, with lunr's support for that language. Pages find theirs
    through Material's `base` (see rebase_page). The offline edition's inlined copy
    (search_index.js) is split the same way.

    The entries come from Material's search plugin, in memory, as each language's build made
    them (hooks/rebuild.py keeps them), rather than from the index it has just written: parsing
    that file again held a second copy of every entry (tens of megabytes with 10,000 products)."""
    # The same settings Material writes (see SearchIndex.generate_search_index), one language each.
    settings = {key: search.config[key] for key in ("lang", "separator", "pipeline", "fields")}
    others = [code for code in built if code != default]
    for code in built:
        own = prefix(code, default)
        if own:
            docs = [{**doc, "location": doc["location"][len(own):]}
                    for doc in entries if doc["location"].startswith(own)]
        else:
            docs = [doc for doc in entries
                    if not any(doc["location"].startswith(f"{other}/") for other in others)]
        index = {"config": {**settings, "lang": [code]}, "docs": docs}
        glossary.add_search_terms(code, index["config"], docs)  # products found by their PIM terms
        folder = site / own / "search"
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"), default=str)
        del docs, index
        (folder / "search_index.json").write_text(text, encoding="utf-8")
        if (site / "search" / "search_index.js").is_file():  # Material's offline plugin ran
            (folder / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")


CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def rebase_page(output, page, config):
    """Point Material's `base` at the language's folder, where its search index is."""
    own = current().language_prefix
    if not own:
        return output

    def rebase(match):
        app = json.loads(match.group(2))
        app["base"] = f"{app['base'].rstrip('/')}/{own}"  # ends with '/': scripts resolve URLs against it
        return match.group(1) + json.dumps(app) + match.group(3)

    return CONFIG_SCRIPT.sub(rebase, output, count=1)


def page_languages(context, page, config, nav):
    # The i18n plugin (priority 50, before us) pointed the alternates at this page in each
    # language. The switcher (partials/alternate.html) and the <link rel=alternate hreflang> in
    # <head> (partials/hreflang.html) use those; config.extra.alternate goes back to each
    # language's home, for Material's header, which shows the switcher when it is set.
    plugin = i18n_plugin(config)
    if plugin is not None and plugin.extra_alternate:
        # The plugin sets them as an attribute of config.extra, which is what templates read.
        context["page_alternates"] = deepcopy(getattr(config.extra, "alternate", None))
        config.extra.alternate = deepcopy(plugin.extra_alternate)
    language = current().language
    # A hand-written page with no translation: the plugin used the English file.
    context["language_fallback"] = getattr(page.file, "locale", language) != language
    return context
