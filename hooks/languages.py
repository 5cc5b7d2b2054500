"""MkDocs glue for the site's languages, on top of the mkdocs-static-i18n plugin (which builds
English at / and each other language under /<code>/, picking `page.fr.md` over `page.md`):

- the interface text of our own templates in the reader's language (`t("English text")`,
  from translations.yml) and the reader's language (`ui_language`) for templates;
- language-switcher links relative to the page, so they work offline and under any path, and
  that stay on the same page;
- switcher alternates for the pages hooks/catalog.py generates, which the plugin never sees;
- whether a page fell back to English, for the notice in partials/language-notice.html;
- what is translated in each language, for the /translations/ page (pim/translations.py).
"""

from __future__ import annotations

import json
import re
import sys
from copy import deepcopy
from pathlib import Path
from types import SimpleNamespace

import yaml
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; the data layer sits beside them
    sys.path.insert(0, str(ROOT))

from pim import translations  # noqa: E402

TRANSLATIONS_FILE = ROOT / "translations.yml"


def i18n_plugin(config):
    return config.plugins.get("i18n")


def languages(config) -> tuple[str, list[str]]:
    """(default language, every built language) from the i18n plugin; English alone without it."""
    plugin = i18n_plugin(config)
    if plugin is None:
        return "en", ["en"]
    return plugin.default_language, list(plugin.build_languages)


def current_language(config) -> str:
    plugin = i18n_plugin(config)
    if plugin is None:
        return "en"
    return plugin.current_language or plugin.default_language


def prefix(language: str, default: str) -> str:
    """Where a language's pages live, relative to the site root: '' or 'fr/'."""
    return "" if language == default else f"{language}/"


def load_interface_text(path: Path = TRANSLATIONS_FILE) -> dict[str, dict[str, str]]:
    """{English text: {language: translation}} for the text of our templates."""
    with open(path, encoding="utf-8") as stream:
        return yaml.load(stream, Loader=yaml.CSafeLoader) or {}


def translator(language: str, table: dict[str, dict[str, str]]):
    def t(text: str) -> str:
        """`text` in the reader's language; the English text itself when untranslated."""
        return (table.get(text) or {}).get(language) or text
    return t


def translation_status(config, default: str, built: list[str], table) -> list[dict]:
    """Per language other than the default: what is translated (for translations.html)."""
    catalog = config.extra["catalog"]
    others = tuple(code for code in built if code != default)
    status = []
    for code in others:
        pages, page_rows = translations.page_coverage(Path(config.docs_dir), code, others)
        titles, summaries = translations.product_coverage(catalog, code)
        status.append({
            "language": code,
            "pages": pages, "page_rows": page_rows,
            "vocabularies": translations.vocabulary_coverage(catalog.vocabulary, code),
            "titles": titles, "summaries": summaries,
            "interface": translations.interface_coverage(table, code),
        })
    return status


@event_priority(-90)  # before the i18n plugin (-100) copies extra.alternate for the switcher
def on_config(config):
    default, built = languages(config)
    language = current_language(config)
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
    config.extra["language"] = language
    config.extra["language_prefix"] = prefix(language, default)
    table = load_interface_text()
    config.extra["i18n_globals"] = {
        "t": translator(language, table),
        "translation_status": lambda: translation_status(config, default, built, table),
        "ui_language": language,
        "default_language": default,
    }
    return config


@event_priority(-120)  # after hooks/catalog.py (-110) has generated this language's pages
def on_files(files, config):
    default, built = languages(config)
    language = current_language(config)
    own = prefix(language, default)
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


@event_priority(-110)  # after the i18n plugin (-100) wrote the search index of all languages
def on_post_build(config):
    default, built = languages(config)
    plugin = i18n_plugin(config)
    site = Path(config.site_dir)
    # Only the root has a sitemap.xml (for search engines): pages fetch none
    # (partials/fetch-on-demand.js), so the languages' folders need no copy.
    if plugin is None or not plugin.building:  # the first build, now that every language is built
        # Even with one language built: each index then uses that language's lunr pipeline only,
        # not the stemmers of every language in `search.lang`, which slows offline search.
        search = config.plugins.get("material/search")
        if search is not None and search.config.enabled:
            split_search_index(site, default, built, search)


def split_search_index(site: Path, default: str, built: list[str], search) -> None:
    """One search index per language, each in <language>/search/, so that a reader searches the
    pages of their language only, with lunr's support for that language. Pages find theirs
    through Material's `base` (see on_post_page). The offline edition's inlined copy
    (search_index.js) is split the same way.

    The entries come from Material's search plugin, in memory, rather than from the index it has
    just written: parsing that file again held a second copy of every entry (tens of megabytes
    with 10,000 products)."""
    entries = search.search_index.entries
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
        folder = site / own / "search"
        folder.mkdir(parents=True, exist_ok=True)
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"), default=str)
        del docs, index
        (folder / "search_index.json").write_text(text, encoding="utf-8")
        if (site / "search" / "search_index.js").is_file():  # Material's offline plugin ran
            (folder / "search_index.js").write_text(f"var __index = {text}", encoding="utf-8")


CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)


def on_post_page(output, page, config):
    """Point Material's `base` at the language's folder, where its search index and sitemap are."""
    own = config.extra.get("language_prefix", "")
    if not own:
        return output

    def rebase(match):
        app = json.loads(match.group(2))
        app["base"] = f"{app['base'].rstrip('/')}/{own}"  # ends with '/': scripts resolve URLs against it
        return match.group(1) + json.dumps(app) + match.group(3)

    return CONFIG_SCRIPT.sub(rebase, output, count=1)


def on_env(env, config, files):
    env.globals.update(config.extra.get("i18n_globals", {}))
    return env


def on_page_context(context, page, config, nav):
    # The i18n plugin (priority 50, before us) pointed the alternates at this page in each
    # language. The switcher (partials/alternate.html) and the <link rel=alternate hreflang> in
    # <head> (partials/hreflang.html) use those; config.extra.alternate goes back to each
    # language's home, for Material's header, which shows the switcher when it is set.
    plugin = i18n_plugin(config)
    if plugin is not None and plugin.extra_alternate:
        # The plugin sets them as an attribute of config.extra, which is what templates read.
        context["page_alternates"] = deepcopy(getattr(config.extra, "alternate", None))
        config.extra.alternate = deepcopy(plugin.extra_alternate)
    language = config.extra.get("language", "en")
    # A hand-written page with no translation: the plugin used the English file.
    context["language_fallback"] = getattr(page.file, "locale", language) != language
    return context
