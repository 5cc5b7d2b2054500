"""MkDocs glue for the catalog: load and validate the data, generate product, taxonomy and
redirect pages, and hand the catalog to templates. The data layer (`pim/`) does the real work."""

from __future__ import annotations

import html
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # hooks are loaded by path; the data layer sits beside them
    sys.path.insert(0, str(ROOT))

from hooks.product_page import ProductPage, start_converting, stop_converting  # noqa: E402
from pim.load import load_catalog  # noqa: E402
from pim.model import TAXONOMY_PATHS, Catalog  # noqa: E402
from pim.problems import report  # noqa: E402
from pim.sanitize import clean_description, for_search, heading_shift, plain_text  # noqa: E402

# Our own front matter opens every generated page, so a product body that starts with '---'
# can never set page options (such as render_macros) of its own.
PRODUCT_PAGE = "---\ntemplate: product-page.html\n---\n\n"
TERM_PAGE = "---\ntemplate: term.html\n---\n"


def catalog_of(config) -> Catalog:
    return config.extra["catalog"]


@event_priority(100)  # before mkdocs-macros reads config.extra
def on_config(config):
    root = Path(config.config_file_path).resolve().parent
    catalog, problems = load_catalog(root)
    if problems:
        raise PluginError("The data files have problems; nothing was built.\n" + report(problems))
    config.extra["catalog"] = catalog
    # Lists of terms for pages that loop over a vocabulary with macros.
    config.extra["vocabulary"] = {
        kind: list(catalog.vocabulary.terms(kind).values()) for kind in catalog.vocabulary.KINDS
    }
    return config


def on_serve(server, config, builder):
    root = Path(config.config_file_path).resolve().parent
    for name in ("products", "stakeholders.yml", "vocabularies.yml", "translations.yml", "pim", "overrides"):
        server.watch(str(root / name))
    return server


def _generated(config, src_uri: str, content: str) -> File:
    # Out of the nav on purpose: Material writes the whole nav into every page.
    return File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)


def _in_language(file: File, config) -> File:
    """The page under the language's folder (fr/products/...): mkdocs-static-i18n moves the pages
    it knows, but it only knows files on disk, so generated pages are placed here."""
    language_prefix = config.extra.get("language_prefix", "")
    if language_prefix:
        file.dest_uri = language_prefix + file.dest_uri
    return file


@event_priority(-110)  # after mkdocs-static-i18n (-100), which cannot handle files with no source path
def on_files(files: Files, config) -> Files:
    catalog = catalog_of(config)
    product_files = {}
    for product in catalog.products:
        file = _in_language(_generated(config, f"products/{product.id}.md", PRODUCT_PAGE + product.body), config)
        ProductPage(None, file, config)  # becomes file.page; MkDocs makes plain Pages only for files without one
        files.append(file)
        product_files[product.id] = file
    for kind, folder in TAXONOMY_PATHS.items():
        for term_id in catalog.vocabulary.terms(kind):
            files.append(_in_language(_generated(config, f"{folder}/{term_id}.md", TERM_PAGE), config))
    if config.extra.get("language_prefix"):
        return files  # old addresses redirect once, from the default language's build
    redirect = _template_env(config, files).get_template("redirect.html")
    for product in catalog.products:
        for alias in product.aliases:
            src_uri = alias.strip("/") + "/index.html"
            target = get_relative_url(product_files[product.id].url or "./", src_uri.rsplit("/", 1)[0] + "/")
            files.append(File.generated(config, src_uri, content=redirect.render(target=target, product=product)))
    return files


def _term_of(page) -> tuple[str, str] | None:
    """(vocabulary kind, term id) for a generated taxonomy page."""
    folder, _, name = page.file.src_uri.partition("/")
    for kind, path in TAXONOMY_PATHS.items():
        if folder == path and name.endswith(".md") and name != "index.md":
            return kind, name[:-3]
    return None


def _product_of(page, catalog: Catalog):
    src = page.file.src_uri
    if page.file.generated_by and src.startswith("products/") and src.count("/") == 1:
        return catalog.product(src[len("products/"):-3])
    return None


def on_page_markdown(markdown, page, config, files):
    catalog = catalog_of(config)
    product = _product_of(page, catalog)
    if product:
        page.meta["product_id"] = product.id
        # MkDocs' templates do not escape titles: escape contributed text here, once.
        language = config.extra.get("language")
        page.meta["title"] = html.escape(product.title_in(language))
        page.meta["title_lang"] = product.title_language(language)  # partials/content.html
        page.meta["description"] = html.escape(product.summary_in(language))
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/{product.source}" if config.repo_url else None
    elif page.file.generated_by and (term := _term_of(page)):
        kind, term_id = term
        page.meta["term_kind"], page.meta["term_id"] = kind, term_id
        page.meta["title"] = html.escape(catalog.vocabulary.label(kind, term_id, config.extra.get("language")))
        term_obj = catalog.vocabulary.terms(kind).get(term_id)
        page.meta["title_lang"] = term_obj.label_language(config.extra.get("language")) if term_obj else None
        page.edit_url = None
    return markdown


def _add_globals(env, config, files: Files) -> None:
    urls: dict[str, str] = {}  # memo: cards and panels ask for the same pages thousands of times

    def page_url(src_uri: str) -> str:
        """Site-root-relative URL of a page, right for both directory and .html URLs (offline)."""
        if src_uri not in urls:
            file = files.get_file_from_path(src_uri)
            if file is None:
                raise PluginError(f"page_url: no page {src_uri}")
            urls[src_uri] = file.url
        return urls[src_uri]

    env.globals.update(catalog=catalog_of(config), page_url=page_url, config=config)
    env.globals.update(config.extra.get("i18n_globals", {}))  # t() and ui_language, from hooks/languages.py


_envs: dict = {}  # one template environment per build, for what the hook renders itself


def _template_env(config, files: Files | None = None):
    """The hook's template environment for this build; `files` may be left out once it exists."""
    if files is None and _envs:
        return next(iter(_envs.values()))
    key = (id(config), id(files))
    if key not in _envs:
        _envs.clear()
        env = _envs[key] = config.theme.get_env()
        _add_globals(env, config, files)
    return _envs[key]


def on_page_content(content, page, config, files):
    if page.file.generated_by and "term_kind" in page.meta:
        # The term's description is the page's content, so that search finds a matrix category,
        # principle or process step on its own page (product results leave terms out).
        term = catalog_of(config).vocabulary.terms(page.meta["term_kind"])[page.meta["term_id"]]
        return _template_env(config, files).get_template("partials/term-description.html").render(term=term)
    product_id = page.meta.get("product_id")
    if not product_id or not page.file.generated_by:
        return content
    # The description's headings go under the page's title (pim.sanitize.demote_headings).
    shift = heading_shift(item.level for item in _walk_toc(page.toc))
    for item in _walk_toc(page.toc):
        item.title = plain_text(item.title)
        item.level += shift
    # Converted in the second process (hooks/product_page.py), the texts may be ready already.
    prepared, page.pim_prepared = getattr(page, "pim_prepared", None), None
    if prepared is not None and prepared[0] == content:
        description, search_html, page.pim_panel = prepared[1:]
    else:
        description, search_html = _product_texts(catalog_of(config).product(product_id), content, config, files)
    # Search indexes the panel's words without its markup; the page shows the panel above the
    # description (on_page_context, after search has indexed). Until then only the description
    # is kept: every product page is converted before the first one is written.
    page.pim_description = description
    return search_html


def _product_texts(product, content: str, config, files) -> tuple[str, str]:
    """A product page's cleaned description, and what search indexes in place of the page."""
    env = _template_env(config, files)
    description = clean_description(content)
    if config.extra.get("language_prefix"):  # descriptions are written in English: say so
        description = env.get_template("partials/product-description.html").render(description=description)
    search_html = env.get_template("partials/product-search.html").render(product=product, description=for_search(description))
    return description, search_html


def _panel(product, page, base_url: str, config) -> str:
    return _template_env(config).get_template("partials/product-panel.html").render(
        product=product, page=page, base_url=base_url)


def _prepare_texts(page, content: str, config, files) -> tuple:
    """In the second process, beside the Markdown: the texts of on_page_content and the panel,
    with what they were made from (the page's HTML, and its base_url as MkDocs will give it)."""
    product = catalog_of(config).product(page.meta["product_id"])
    base_url = get_relative_url(".", page.url)
    return (content, *_product_texts(product, content, config, files), (base_url, _panel(product, page, base_url, config)))


@event_priority(-100)  # the last of the page's events: MkDocs writes the output next
def on_post_page(output, page, config):
    # A written product page needs its text no more (anchor checks use the ids, search has its
    # entries): let it go, rather than hold every product's text until the build ends.
    if isinstance(page, ProductPage):
        page.content = page.pim_description = None
    return output


def _walk_toc(items):
    for item in items:
        yield item
        yield from _walk_toc(item.children)


@event_priority(-1000)  # the files are final: MkDocs converts the pages next
def on_nav(nav, config, files):
    pages = [f.page for f in files.documentation_pages() if isinstance(f.page, ProductPage)]
    start_converting(pages, config, files, prepare=_prepare_texts)
    return nav


def on_env(env, config, files):
    stop_converting()  # every page is converted by now
    _add_globals(env, config, files)
    return env


@event_priority(-10)  # after Material's search plugin (0) has indexed the product's search text
def on_page_context(context, page, config, nav):
    catalog = catalog_of(config)
    if getattr(page, "pim_description", None) is not None:
        prepared, page.pim_panel = getattr(page, "pim_panel", None), None
        if prepared is not None and prepared[0] == context["base_url"]:
            panel = prepared[1]
        else:
            panel = _panel(catalog.product(page.meta["product_id"]), page, context["base_url"], config)
        page.content = panel + page.pim_description
    if "product_id" in page.meta:
        context["product"] = catalog.product(page.meta["product_id"])
    if "term_kind" in page.meta:
        kind, term_id = page.meta["term_kind"], page.meta["term_id"]
        context["term_kind"] = kind
        context["term"] = catalog.vocabulary.terms(kind)[term_id]
        context["term_products"] = catalog.products_with(kind, term_id)
    return context
