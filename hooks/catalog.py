"""The catalog's pages: generate product, taxonomy and redirect pages, give them their titles,
clean product descriptions, and give templates the product or term of a page. The data was read
by hooks/data.py; the stages run in the order hooks/pipeline.py states."""

from __future__ import annotations

import html

from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.toc import AnchorLink, TableOfContents
from mkdocs.utils import get_relative_url

from hooks.product_page import ProductPage
from hooks.state import current, template_env
from pim.model import TAXONOMY_PATHS, Catalog
from pim.sanitize import clean_description, for_search, heading_shift, outline, plain_text

# Our own front matter opens every generated page, so a product body that starts with '---'
# can never set page options (such as render_macros) of its own.
PRODUCT_PAGE = "---\ntemplate: product-page.html\n---\n\n"
TERM_PAGE = "---\ntemplate: term.html\n---\n"


def catalog_of(config) -> Catalog:
    return current().catalog


def _generated(config, src_uri: str, content: str) -> File:
    # Out of the nav on purpose: Material writes the whole nav into every page.
    return File.generated(config, src_uri, content=content, inclusion=InclusionLevel.NOT_IN_NAV)


def _in_language(file: File, config) -> File:
    """The page under the language's folder (fr/products/...): mkdocs-static-i18n moves the pages
    it knows, but it only knows files on disk, so generated pages are placed here."""
    language_prefix = current().language_prefix
    if language_prefix:
        file.dest_uri = language_prefix + file.dest_uri
    return file


def add_pages(files: Files, config) -> Files:
    """A page for each product and each vocabulary term (in this build's language), and a
    redirect from each product's old addresses."""
    state = current()
    state.files = files  # final from here on: templates' pim.page_url() looks pages up in it
    catalog = state.catalog
    product_files = {}
    for product in catalog.products:
        file = _in_language(_generated(config, f"products/{product.id}.md", PRODUCT_PAGE + product.body), config)
        ProductPage(None, file, config)  # becomes file.page; MkDocs makes plain Pages only for files without one
        files.append(file)
        product_files[product.id] = file
    for kind, folder in TAXONOMY_PATHS.items():
        for term_id in catalog.vocabulary.terms(kind):
            files.append(_in_language(_generated(config, f"{folder}/{term_id}.md", TERM_PAGE), config))
    if state.language_prefix:
        return files  # old addresses redirect once, from the default language's build
    redirect = template_env(config).get_template("redirect.html")
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


def set_page_meta(markdown, page, config, files):
    """Titles, summaries and edit links of generated pages, in this build's language."""
    catalog = catalog_of(config)
    product = _product_of(page, catalog)
    if product:
        page.meta["product_id"] = product.id
        # MkDocs' templates do not escape titles: escape contributed text here, once.
        language = current().language
        page.meta["title"] = html.escape(product.title_in(language))
        page.meta["title_lang"] = product.title_language(language)  # partials/content.html
        page.meta["description"] = html.escape(product.summary_in(language))
        page.edit_url = f"{config.repo_url.rstrip('/')}/edit/main/{product.source}" if config.repo_url else None
    elif page.file.generated_by and (term := _term_of(page)):
        kind, term_id = term
        page.meta["term_kind"], page.meta["term_id"] = kind, term_id
        page.meta["title"] = html.escape(catalog.vocabulary.label(kind, term_id, current().language))
        term_obj = catalog.vocabulary.terms(kind).get(term_id)
        page.meta["title_lang"] = term_obj.label_language(current().language) if term_obj else None
        page.edit_url = None
    return markdown


def page_content(content, page, config, files):
    """A term page's content is its description; a product page's is cleaned, and search gets
    the product's words (the panel comes later, in fill_page)."""
    if page.file.generated_by and "term_kind" in page.meta:
        # The term's description is the page's content, so that search finds a matrix category,
        # principle or process step on its own page (product results leave terms out).
        term = catalog_of(config).vocabulary.terms(page.meta["term_kind"])[page.meta["term_id"]]
        return template_env(config).get_template("partials/term-description.html").render(term=term)
    product_id = page.meta.get("product_id")
    if not product_id or not page.file.generated_by:
        return content
    # The description's headings go under the page's title (pim.sanitize.demote_headings).
    shift = heading_shift(item.level for item in _walk_toc(page.toc))
    for item in _walk_toc(page.toc):
        item.title = plain_text(item.title)
        item.level += shift
    description, search_html = _product_texts(catalog_of(config).product(product_id), content, config)
    # Search indexes the panel's words without its markup; the page shows the panel above the
    # description (fill_page, after search has indexed). Until then only the description
    # is kept: every product page is converted before the first one is written.
    page.pim_description = description
    return search_html


def _product_texts(product, content: str, config) -> tuple[str, str]:
    """A product page's cleaned description, and what search indexes in place of the page."""
    env = template_env(config)
    description = clean_description(content)
    if current().language_prefix:  # descriptions are written in English: say so
        description = env.get_template("partials/product-description.html").render(description=description)
    search_html = env.get_template("partials/product-search.html").render(product=product, description=for_search(description))
    return description, search_html


def _panel(product, page, base_url: str, config) -> str:
    return template_env(config).get_template("partials/product-panel.html").render(
        product=product, page=page, base_url=base_url)


def release_page_text(output, page, config):
    # A written product page needs its text no more (anchor checks use the ids, search has its
    # entries): let it go, rather than hold every product's text until the build ends.
    if isinstance(page, ProductPage):
        page.content = page.pim_description = None
    return output


def _walk_toc(items):
    for item in items:
        yield item
        yield from _walk_toc(item.children)


def fill_page(context, page, config, nav):
    """The product's panel above its description, and the product or term for the templates."""
    catalog = catalog_of(config)
    if getattr(page, "pim_description", None) is not None:
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


# A product page's own sections (partials/product-panel.html, product-trust.html); the
# description's headings, between "description" and the next of these, go under it.
PRODUCT_SECTIONS = ("downloads", "description", "history", "cite")
RELATED = "related"  # partials/product-related.html, after page.content


def complete_toc(context, page, config, nav):
    """A product page's table of contents lists every section, once the panel (fill_page) and
    the history and Cite section (hooks/trust.py) are in page.content: MkDocs made it from the
    description alone."""
    if "product_id" not in page.meta or not page.content:
        return context
    roots: list[AnchorLink] = []
    stack: list[AnchorLink] = []
    in_description = False
    for level, anchor, title in outline(page.content):
        if anchor in PRODUCT_SECTIONS:
            in_description = anchor == "description"
        elif in_description:
            level += 1  # an h2 of the description is a part of "Description"
        link = AnchorLink(title, anchor, level)
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else roots).append(link)
        stack.append(link)
    state = current()
    if state.catalog.related(state.catalog.product(page.meta["product_id"])):
        roots.append(AnchorLink(html.escape(state.t("Related products")), RELATED, 2))
    page.toc = TableOfContents(roots)
    return context
