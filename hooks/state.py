"""The build's state: one object the stages read and write, handed to templates as `pim`.

A build (one language's, with mkdocs-static-i18n) starts with `begin(config)`, the pipeline's
first stage; the stages then reach the state with `current()`. It lives on the session
(hooks/session.py), with what outlives one language's build. Templates and the pages that
render macros see it as `pim`: `pim.catalog`, `pim.t("English text")`, `pim.language`,
`pim.page_url("products/index.md")`, `pim.vocabulary`, `pim.fieldref`, `pim.offline_edition`,
`pim.offline_editions`, `pim.print_editions`, `pim.propose_form`, `pim.date_in("2025-03-02")`, `pim.cite(product)`,
`pim.changes_periods()`, `pim.glossary()`,
`pim.figure("process", page)`, `pim.cover(product)`, `pim.product_entry(product, base_url)`,
`pim.product_card(product, base_url)`, `pim.product_link(product, base_url)`,
`pim.count(kind, term_id)` (a term's products).
Under `make serve`, `pim` notes what of the data each hand-written page reads (PageView)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

from hooks.session import SESSION, TEMPLATE_CACHE
from pim import changes, folding, glossary, translations
from pim.dates import build_date, format_day
from pim.model import Catalog, Term


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


def is_offline(config) -> bool:
    """Is this the offline edition's build (mkdocs-offline.yml: Material's offline plugin on)?"""
    plugin = config.plugins.get("material/offline")
    return plugin is not None and bool(plugin.config.enabled)


@dataclass
class BuildState:
    root: Path  # the project: mkdocs.yml, products/, ...
    docs_dir: Path
    catalog: Catalog
    vocabulary: dict[str, list[Term]]  # kind -> terms, for pages that loop over a vocabulary
    interface_text: dict[str, dict[str, str]]  # translations.yml
    fieldref: dict  # the contributor guide's field reference
    language: str = "en"  # of this build
    default_language: str = "en"
    languages: list[str] = field(default_factory=lambda: ["en"])  # every language built
    offline: bool = False  # the offline edition's build
    offline_edition: dict = field(default_factory=dict)  # the download page's zip (hooks/download.py)
    # Every offline edition's zip in dist/, the reader's language first (hooks/download.py)
    offline_editions: list[dict] = field(default_factory=list)
    # The print editions (PDFs) in dist/, the reader's language first (hooks/download.py)
    print_editions: list[dict] = field(default_factory=list)
    files: Any = None  # this build's Files, once they are final (hooks/catalog.py)
    page_paths: dict[str, str] = field(default_factory=dict)  # product id -> page URL (hooks/outputs.py)
    template_env: Any = None  # the stages' own Jinja environment (hooks/catalog.py)
    propose_branch: str = "main"  # of repo_url, where the proposal form sends product files
    propose_form: dict = field(default_factory=dict)  # the proposal form's spec (hooks/propose.py)
    site_url: str = ""  # config.site_url: citations give each product's page there
    edition_date: str = ""  # YYYY-MM-DD: the build's day (SOURCE_DATE_EPOCH if set), the offline copy's date
    search_worker: str = ""  # our search worker's file name, once published (hooks/search_forgiving.py)
    covers: dict = field(default_factory=dict)  # product id -> pim.covers.Cover (hooks/covers.py)
    config: Any = None  # this build's MkDocs config: figures render with the stages' templates
    # `make serve`: what of the data the hand-written page being written reads, through `pim`
    # (PageView): "catalog" (products, stakeholders), "products" (products alone) and "counts"
    # (pim.count); None: not noted.
    reads: set | None = None
    _urls: dict[str, str] = field(default_factory=dict, repr=False)
    _modules: dict[tuple[str, str], Any] = field(default_factory=dict, repr=False)  # template macros per URL depth

    @property
    def language_prefix(self) -> str:
        """'' for the default language, 'fr/' for French: where this build's pages go."""
        return prefix(self.language, self.default_language)

    def t(self, text: str) -> str:
        """Interface text of our templates in this build's language (translations.yml); the
        English text itself when untranslated."""
        return (self.interface_text.get(text) or {}).get(self.language) or text

    def count(self, kind: str, term_id: str) -> int:
        """How many products a vocabulary term has (the figures, the taxonomy pages)."""
        return len(self.catalog.products_with(kind, term_id))

    def page_url(self, src_uri: str) -> str:
        """Site-root-relative URL of a page, right for directory and .html URLs (offline)."""
        if src_uri not in self._urls:  # memo: cards and panels ask for the same pages thousands of times
            file = self.files.get_file_from_path(src_uri) if self.files is not None else None
            if file is None:
                raise PluginError(f"page_url: no page {src_uri}")
            self._urls[src_uri] = file.url
        return self._urls[src_uri]

    def product_entry(self, product, base_url: str) -> Markup:
        """A product as one line (partials/product-entry.html): the related products of 1,000
        product pages list the same products ten thousand times."""
        return self._fragment("partials/product-entry.html", "product_entry", product, base_url)

    def product_card(self, product, base_url: str, with_facets: bool = False, placeholder: bool = False) -> Markup:
        """A product's card (partials/product-card.html): the listing shows every product's, in
        each language; term pages and the home page show some again."""
        return self._fragment("partials/product-card.html", "product_card", product, base_url,
                              with_facets=with_facets, placeholder=placeholder)

    def product_link(self, product, base_url: str) -> Markup:
        """A product's title linked to its page (partials/product-link.html): the stakeholders page."""
        return self._fragment("partials/product-link.html", "product_link", product, base_url)

    def _fragment(self, template: str, macro: str, product, base_url: str, **options) -> Markup:
        """A product's card, entry or link, rendered once per language and URL depth, and kept on
        the session while the product's data is the same object (hooks/data.py reads again only
        the changed product files): `make serve` then renders only the changed products'. What
        they show is the product's, its cover's, the build day's (a review due) and this build's
        language's and templates'; a change to the templates, vocabularies or interface text is
        a full build, which starts anew (hooks/rebuild.py, plan_build)."""
        key = (template, self.language, self.offline, base_url, product.id, *options.values())
        depends = (self.covers.get(product.id), self.edition_date)
        kept = SESSION.fragments.get(key)
        if kept is not None and kept[0] is product and kept[1] == depends:
            return kept[2]
        module = self._modules.get((template, base_url))
        if module is None:
            module = self._modules[(template, base_url)] = template_env(self.config).get_template(template).make_module(
                {"base_url": base_url, "pim": self})
        html = Markup(getattr(module, macro)(product, **options))
        SESSION.fragments[key] = (product, depends, html)
        return html

    @property
    def folding(self) -> dict:
        """The folding table (pim/folding.json), for the listing's filter (overrides/products.html)."""
        return {key: value for key, value in folding.TABLE.items() if key != "about"}

    def date_in(self, text: str) -> str:
        """A data date (YYYY-MM-DD, YYYY-MM, YYYY) written out in this build's language."""
        return format_day(text, self.language)

    def cite(self, product):
        """How to cite a product (pim/citations.py): APA 7th in this build's language, and its files."""
        return SESSION.references.citation(self.catalog, product, self.site_url, self.language)

    def changes_periods(self) -> list:
        """/changes/: new products and changes, by month, newest first (pim/changes.py)."""
        return changes.periods(self.catalog)

    def changes_since(self) -> list:
        """The offline home: what changed since each earlier month on /changes/."""
        return changes.since_each(self.catalog)

    def glossary(self) -> list:
        """[(vocabulary kind, its glossary entries)]: /glossary/ (pim/glossary.py)."""
        return glossary.by_kind(self.catalog.vocabulary)

    def glossary_anchor(self, kind: str, term_id: str) -> str:
        """A term's anchor on /glossary/, e.g. protection-monitoring."""
        return glossary.anchor_of(self.catalog.vocabulary, kind, term_id)

    def glossary_missing(self) -> list[tuple[str, list]]:
        """[(language, glossary terms shown in English there)], for the translation status page."""
        return [(code, glossary.missing(self.catalog.vocabulary, code))
                for code in self.languages if code != self.default_language]

    def cover(self, product):
        """The product's cover (pim/covers.py: its first file, a fetched PDF), or None."""
        return self.covers.get(product.id)

    # The frameworks as figures (issue 23): overrides/partials/figure-<name>.html.
    FIGURES = ("process", "matrix", "principles")

    def figure(self, name: str, page, compact: bool = False, caption_link: bool = True) -> Markup:
        """The Process, the Matrix or the Principles as a figure, for `page` (its links are
        relative to it): in templates and in Markdown pages that render macros."""
        if name not in self.FIGURES:
            raise PluginError(f"pim.figure: no figure {name!r}; there are {', '.join(self.FIGURES)}")
        base_url = get_relative_url(".", page.url)  # as MkDocs gives templates
        html = template_env(self.config).get_template(f"partials/figure-{name}.html").render(
            base_url=base_url, compact=compact, caption_link=caption_link)
        return Markup(html.strip())

    def translation_status(self) -> list:
        """Per language other than the default: what is translated (translations.html), computed
        by pim/translations.py as for `make report`."""
        others = tuple(code for code in self.languages if code != self.default_language)
        # The same for every language: computed once per build (hooks/rebuild.py, plan_build, starts it anew).
        kept = SESSION.per_build.get("translation status")
        if kept is None or kept[0] is not self.catalog or kept[1] is not self.interface_text or kept[2] != others:
            kept = SESSION.per_build["translation status"] = (
                self.catalog, self.interface_text, others,
                translations.status(self.docs_dir, self.catalog, self.interface_text, others))
        return kept[3]


# What `pim` gives that shows no product or stakeholder (a change to the vocabularies or the
# interface text rebuilds every page anyway). Anything else a page reads counts as the catalog,
# but for what shows products and not their producers' names (READS_PRODUCTS).
READS_NOTHING = frozenset({
    "t", "language", "default_language", "languages", "language_prefix", "page_url", "date_in",
    "vocabulary", "fieldref", "interface_text", "glossary", "glossary_anchor", "glossary_missing",
    "offline", "offline_edition", "offline_editions", "print_editions", "propose_branch",
    "edition_date", "site_url", "folding", "figure", "FIGURES",
})
# What shows products' own data only (a product names its producers by id): a page that read only
# these, the counts and the above is not written again when only a stakeholder changed.
READS_PRODUCTS = frozenset({
    "product_entry", "product_card", "product_link", "changes_periods", "changes_since", "translation_status", "cover",
})
CATALOG_PRODUCTS = frozenset({"products", "product", "products_with", "latest", "featured", "review", "review_due", "related"})


class PageView:
    """`pim` as templates and pages with macros see it: the state, noting in `state.reads`
    (under `make serve`) what of the data the page being written reads. hooks/rebuild.py then
    writes a page again after a change to a product or stakeholder only if it read the catalog
    ("catalog"), or products alone ("products") when a product changed, or the counts when those
    changed. `pim.figure` renders with `pim` seen the same way."""

    __slots__ = ("_state",)

    def __init__(self, state: BuildState):
        object.__setattr__(self, "_state", state)

    def __getattr__(self, name: str):
        state = object.__getattribute__(self, "_state")
        value = getattr(state, name)
        reads = state.reads
        if reads is not None:
            if name == "catalog":
                return CatalogView(value, reads)
            if name == "count":
                reads.add("counts")
            elif name in READS_PRODUCTS:
                reads.add("products")
            elif name not in READS_NOTHING:
                reads.add("catalog")
        return value


class CatalogView:
    """`pim.catalog` while reads are noted: its vocabulary is no product or stakeholder, and its
    products (CATALOG_PRODUCTS) are no stakeholder."""

    __slots__ = ("_catalog", "_reads")

    def __init__(self, catalog: Catalog, reads: set):
        object.__setattr__(self, "_catalog", catalog)
        object.__setattr__(self, "_reads", reads)

    def __getattr__(self, name: str):
        if name in CATALOG_PRODUCTS:
            object.__getattribute__(self, "_reads").add("products")
        elif name != "vocabulary":
            object.__getattribute__(self, "_reads").add("catalog")
        return getattr(object.__getattribute__(self, "_catalog"), name)


def begin(config) -> None:
    """A new state for this build, with the data (read once for all the builds: hooks/data.py)."""
    root = Path(config.config_file_path).resolve().parent
    plugin = i18n_plugin(config)
    if plugin is not None and plugin.building and SESSION.data.data is not None:
        site = SESSION.data.data  # another language of the same build: the data its first language read
    else:
        site = SESSION.data.load(root)  # read again only if a data file changed (1,000 files looked at)
    default, built = languages(config)
    SESSION.state = BuildState(
        root=root, docs_dir=Path(config.docs_dir), catalog=site.catalog, vocabulary=site.vocabulary,
        interface_text=site.interface_text, fieldref=site.fieldref,
        language=current_language(config), default_language=default, languages=built,
        offline=is_offline(config), site_url=config.site_url or "", edition_date=build_date().isoformat(),
        config=config)


def current() -> BuildState:
    if SESSION.state is None:
        raise RuntimeError("no build has started: hooks/pipeline.py runs hooks.state.begin first")
    return SESSION.state


def for_macros(config):
    """Pages with `render_macros: true` see the state as `pim` (mkdocs-macros' public API)."""
    macros = config.plugins.get("macros")
    if macros is not None:
        macros.register_variables({"pim": PageView(current())})
    return config


def template_env(config):
    """The stages' own template environment for this build, for what they render themselves."""
    state = current()
    if state.template_env is None:
        state.template_env = config.theme.get_env()
        for_templates(state.template_env, config, state.files)
    return state.template_env


def for_templates(env, config, files):
    """Templates see the state as `pim`."""
    env.globals.update(pim=PageView(current()), config=config)
    env.bytecode_cache = SESSION.templates  # compiled once for every build of the session
    SESSION.templates.use_folder(current().root / TEMPLATE_CACHE, env)  # and kept for the next
    # Each build has a new environment, so templates cannot change under it: skip the check of
    # every template file's time on each include (tens of thousands per build).
    env.auto_reload = False
    return env
