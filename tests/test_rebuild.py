"""`make serve` reads again only the data that changed (hooks/data.py) and writes again only what
a change touches (hooks/rebuild.py, pim/affected.py), and the site it leaves is the one a fresh
build gives, in every language."""

from __future__ import annotations

import filecmp
import gc
import logging
import os
import sys
from pathlib import Path

import pytest

from conftest import ROOT, copy_project
from pim.affected import touched
from pim.load import load_catalog

PRODUCT = "products/common-pim-terminology.md"
# After a product's title changes: pages that show it, in every language, and pages that read
# the vocabularies (the contributor guide) or how many products each term has (the figures).
WRITTEN_BY_TITLE = ["products/index.html", "ar/products/index.html", "index.html", "fr/changes/index.html"]
# After a stakeholder's name changes: pages that show it, and pages that show products alone.
WRITTEN_BY_STAKEHOLDER = ["stakeholders/index.html", "fr/stakeholders/index.html", "products/index.html",
                          "ar/products/index.html", "contribute/propose/index.html"]
KEPT_BY_STAKEHOLDER = ["index.html", "es/index.html", "changes/index.html", "translations/index.html",
                       "ar/translations/index.html"]
KEPT_BY_TITLE = ["contribute/index.html", "es/contribute/index.html", "what-is-pim/index.html",
                 "ar/what-is-pim/index.html", "matrix/index.html", "fr/quick-reference/index.html"]


# -- what a data change touches (no build) ------------------------------------------------------

@pytest.fixture(scope="module")
def catalog():
    catalog, problems = load_catalog(ROOT)
    assert not problems
    return catalog


def _edited(catalog, product_id: str, **changes):
    from dataclasses import replace

    from pim.model import Catalog
    products = [replace(p, **changes) if p.id == product_id else p for p in catalog.products]
    return Catalog(products, catalog.stakeholders, catalog.vocabulary)


def test_an_unchanged_catalog_touches_no_page(catalog):
    assert not touched(catalog, catalog).anything


def test_a_products_title_touches_its_page_its_terms_and_the_pages_that_list_it_as_related(catalog):
    product = next(p for p in catalog.products if p.categories)
    result = touched(catalog, _edited(catalog, product.id, title=product.title + " (edited)"))
    assert result.products == {product.id}
    # Pages whose related products include it show its title; no other product page changes.
    related_to = {p.id for p in catalog.products if product in catalog.related(p)}
    assert result.product_pages == {product.id} | related_to
    assert ("matrix_categories", product.categories[0]) in result.term_pages
    assert not result.aliases_changed


def test_a_products_description_alone_touches_its_own_page_only(catalog):
    product = catalog.product("common-pim-terminology")
    result = touched(catalog, _edited(catalog, product.id, body=product.body + "\nMore.\n"))
    assert result.product_pages == {product.id}
    assert not result.term_pages and not result.shown_elsewhere


def test_a_renamed_stakeholder_touches_the_pages_of_its_products_only(catalog):
    from dataclasses import replace

    from pim.model import Catalog
    stakeholder = catalog.stakeholders[0]
    stakeholders = [replace(s, name="Renamed") if s.id == stakeholder.id else s for s in catalog.stakeholders]
    result = touched(catalog, Catalog(list(catalog.products), stakeholders, catalog.vocabulary))
    # Related lists show titles, types and years, not producers: no other product page changes.
    assert {p.id for p in catalog.products_of(stakeholder.id)} == result.product_pages == result.products
    assert not result.term_pages  # their cards and entries show no producer either
    assert not result.products_changed  # nor do the pages that read products alone (the home page, changes)


def test_make_serve_reads_again_only_the_product_files_that_changed(tmp_path, monkeypatch):
    from pim import load

    project = copy_project(tmp_path / "project")
    read = []
    load_product = load.load_product
    monkeypatch.setattr(load, "load_product", lambda root, path, problems: read.append(path.name) or load_product(root, path, problems))
    kept: dict = {}
    first, problems = load.load_catalog(project, kept)
    assert not problems and len(read) == len(first.products) == len(kept)
    read.clear()
    edited = project / PRODUCT
    edited.write_text(edited.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Edited "), encoding="utf-8")
    (project / "products" / "pim-fact-sheet.md").unlink()
    again, problems = load.load_catalog(project, kept)
    assert not problems and read == ["common-pim-terminology.md"]
    read.clear()
    fresh, _ = load.load_catalog(project)
    assert again.products == fresh.products and "pim-fact-sheet" not in {p.id for p in again.products}
    assert again.product("common-pim-terminology").title.startswith("Edited ")


def test_only_a_change_to_the_products_terms_changes_the_counts(catalog):
    product = catalog.product("common-pim-terminology")
    assert not touched(catalog, _edited(catalog, product.id, title="Edited")).counts_changed
    assert touched(catalog, _edited(catalog, product.id, categories=["protection-monitoring"])).counts_changed


def test_pim_notes_what_of_the_data_a_page_reads(catalog):
    """Templates and macros see `pim` through PageView: under `make serve` it notes whether a
    page read stakeholders ("catalog"), products alone, or only the counts, or neither."""
    from hooks.state import BuildState, PageView

    state = BuildState(root=ROOT, docs_dir=ROOT / "docs", catalog=catalog, vocabulary={}, interface_text={}, fieldref={})
    pim = PageView(state)
    assert pim.catalog is catalog  # not noting: the catalog itself
    state.reads = set()
    assert pim.t("Products") == "Products" and pim.catalog.vocabulary is catalog.vocabulary and pim.language == "en"
    assert state.reads == set()
    assert pim.count("matrix_categories", "protection-monitoring") == len(catalog.products_with("matrix_categories", "protection-monitoring"))
    assert state.reads == {"counts"}
    assert len(pim.catalog.products) == len(catalog.products)
    assert state.reads == {"counts", "products"}
    pim.changes_periods()  # products' own data: titles, dates, changes
    assert state.reads == {"counts", "products"}
    assert pim.catalog.producers_of(catalog.products[0]) is not None  # stakeholders' names
    assert state.reads == {"counts", "products", "catalog"}
    state.reads = set()
    pim.cite(catalog.products[0])  # anything not known to show no stakeholder counts as the catalog
    assert state.reads == {"catalog"}


def test_kept_citation_files_are_made_again_only_for_products_whose_data_changed(catalog, monkeypatch):
    """`make serve` keeps each product's citation files (pim/citations.all_files with `kept`):
    the same bytes as made anew, and only an edited product's formatted again."""
    from dataclasses import replace

    from pim import citations
    from pim.model import Catalog

    kept: dict = {}
    assert citations.all_files(catalog, "https://pim.guide/", kept) == citations.all_files(catalog, "https://pim.guide/")
    formatted = []
    entry = citations.bibtex_entry
    monkeypatch.setattr(citations, "bibtex_entry", lambda item: formatted.append(item["id"]) or entry(item))
    product = catalog.products[3]
    edited = _edited(catalog, product.id, title="Edited")
    assert citations.all_files(edited, "https://pim.guide/", kept) == citations.all_files(edited, "https://pim.guide/")
    assert formatted[:1] == [product.id] and len(formatted) == 1 + len(edited.products)  # then the fresh run's
    formatted.clear()
    renamed = [replace(s, name="Renamed") if s.id == product.producers[0] else s for s in edited.stakeholders]
    again = Catalog(list(edited.products), renamed, edited.vocabulary)
    fresh = citations.all_files(again, "https://pim.guide/")
    formatted.clear()
    assert citations.all_files(again, "https://pim.guide/", kept) == fresh
    assert set(formatted) == {p.id for p in again.products_of(product.producers[0])}
    gone = Catalog([p for p in again.products if p.id != product.id], renamed, again.vocabulary)
    assert citations.all_files(gone, "https://pim.guide/", kept) == citations.all_files(gone, "https://pim.guide/")
    assert product.id not in kept


def test_a_removed_product_is_listed_and_its_terms_touched(catalog):
    from pim.model import Catalog
    gone = next(p for p in catalog.products if p.categories)
    result = touched(catalog, Catalog([p for p in catalog.products if p is not gone], catalog.stakeholders, catalog.vocabulary))
    assert result.removed == {gone.id}
    assert gone.id not in result.product_pages
    assert ("matrix_categories", gone.categories[0]) in result.term_pages


def test_a_product_moved_to_another_category_touches_every_page_whose_related_list_changes(catalog):
    product = next(p for p in catalog.products if len(p.categories) > 1)
    edited = _edited(catalog, product.id, categories=product.categories[-1:])
    result = touched(catalog, edited)
    changed = {p.id for p in edited.products
               if [r.id for r in edited.related(p)] != [r.id for r in catalog.related(catalog.product(p.id))]}
    assert changed - {product.id}  # the example moves it out of some related lists
    assert changed <= result.product_pages
    assert {("matrix_categories", c) for c in product.categories} <= result.term_pages


# -- the quick rebuild against a fresh build ---------------------------------------------------

READ = "Read and checked the data"  # hooks/data.py says it each time it reads the data files


def _serve_build(project: Path, site: Path, first: bool = False):
    """One build as `mkdocs serve --dirty` (`make serve`) runs it: a new config each time,
    in this process, the session kept between builds."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site))
    if first:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)


def _reads(caplog) -> int:
    """How often the data was read since the log was last cleared; clears it."""
    reads = sum(READ in message for message in caplog.messages)
    caplog.clear()
    return reads


def _fresh_build(project: Path, site: Path) -> None:
    """`mkdocs build --strict` of `project`, in this process with a session of its own: the
    served session (hooks/session.py SESSION) is put aside and given back after, and so are
    mkdocs-macros' git answers, which a plain build asks for again. Its compiled templates are
    lent, as a new process reads them from .cache/templates/. (A new interpreter for each fresh
    build cost about 1 CPU second more of each one's 4.5.)"""
    from dataclasses import fields

    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs_macros import context

    from hooks.session import SESSION, Session

    served = {f.name: getattr(SESSION, f.name) for f in fields(Session)}
    git_info, argv = context.get_git_info, sys.argv
    own = Session(templates=SESSION.templates)
    try:
        for f in fields(Session):
            setattr(SESSION, f.name, getattr(own, f.name))
        sys.argv = ["mkdocs", "build", "--strict"]  # mkdocs-static-i18n reads it
        config = load_config(config_file=str(project / "mkdocs.yml"), site_dir=str(site), strict=True)
        config.plugins.on_startup(command="build", dirty=False)
        build(config)
        config.plugins.on_shutdown()
    finally:
        for name, value in served.items():
            setattr(SESSION, name, value)
        context.get_git_info, sys.argv = git_info, argv


def _differences(quick: Path, fresh: Path) -> list[str]:
    quick_files = {p.relative_to(quick).as_posix() for p in quick.rglob("*") if p.is_file()}
    fresh_files = {p.relative_to(fresh).as_posix() for p in fresh.rglob("*") if p.is_file()}
    different = sorted(quick_files ^ fresh_files)
    for name in sorted(quick_files & fresh_files):
        if not filecmp.cmp(quick / name, fresh / name, shallow=False):
            different.append(name)
    return different


@pytest.mark.build
def test_make_serve_reads_what_changed_and_rewrites_an_edited_product_stakeholder_and_page_as_a_fresh_build_would(
        tmp_path, monkeypatch, caplog):
    from hooks import internals, rebuild
    from hooks.session import SESSION

    convert = internals.convert
    project = copy_project(tmp_path / "project")
    site = tmp_path / "served"
    monkeypatch.chdir(project)
    monkeypatch.setattr(sys, "argv", ["mkdocs", "serve", "--dirty"])  # mkdocs-static-i18n reads it here
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1704067200")
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")

    def edit(path: str, old: str, new: str) -> None:
        file = project / path
        text = file.read_text(encoding="utf-8")
        assert old in text, (path, old)
        file.write_text(text.replace(old, new, 1), encoding="utf-8")

    def check(step: str, product_pages: set | None) -> None:
        plan = SESSION.plan
        assert not plan.everything, step  # the quick path was taken
        if product_pages is not None:
            assert product_pages <= plan.touched.product_pages, step
            assert len(plan.touched.product_pages) < 13, step
        fresh = tmp_path / f"fresh-{step}"
        _fresh_build(project, fresh)  # on the test's day (SOURCE_DATE_EPOCH above), in the project
        assert _differences(site, fresh) == [], step

    try:
        caplog.set_level(logging.INFO, logger="mkdocs")
        _serve_build(project, site, first=True)
        # The data files are read once for the four languages; a rebuild with no change reads none.
        assert "Building 'ar' documentation" in caplog.text and _reads(caplog) == 1
        _serve_build(project, site)
        assert _reads(caplog) == 0
        written = {page: (site / page).stat().st_mtime_ns for page in WRITTEN_BY_TITLE + KEPT_BY_TITLE}
        edit(PRODUCT, "\ntitle: ", "\ntitle: Edited ")
        edit(PRODUCT, "\n---\n", "\n---\n\nA sentence added while serving.\n")
        _serve_build(project, site)
        assert _reads(caplog) == 1  # the changed product file, read again
        check("product", {"common-pim-terminology"})
        assert "Edited" in (site / "fr/products/common-pim-terminology/index.html").read_text(encoding="utf-8")
        # Pages that read the catalog only for the vocabularies or the counts are kept (hooks/state.py, PageView).
        assert [page for page in WRITTEN_BY_TITLE if (site / page).stat().st_mtime_ns == written[page]] == []
        assert [page for page in KEPT_BY_TITLE if (site / page).stat().st_mtime_ns != written[page]] == []

        edit(PRODUCT, "\ntype: terminology\n", "\ntype: terminology\ncategories: [protection-monitoring]\n")
        _serve_build(project, site)
        assert SESSION.plan.touched.counts_changed  # the figures and the taxonomy pages count it
        check("terms", None)

        written = {page: (site / page).stat().st_mtime_ns for page in WRITTEN_BY_STAKEHOLDER + KEPT_BY_STAKEHOLDER}
        edit("stakeholders.yml", "name: Danish Refugee Council (DRC)", "name: Danish Refugee Council (DRC, Copenhagen)")
        _serve_build(project, site)
        check("stakeholder", None)
        # Pages that show products but no stakeholder's name are kept (hooks/state.py, READS_PRODUCTS).
        assert [page for page in WRITTEN_BY_STAKEHOLDER if (site / page).stat().st_mtime_ns == written[page]] == []
        assert [page for page in KEPT_BY_STAKEHOLDER if (site / page).stat().st_mtime_ns != written[page]] == []
        # What outlives the builds is out of the cycle collector's way while serving, and back after.
        assert SESSION.set_aside and gc.get_freeze_count() > 0

        (project / "products" / "pim-fact-sheet.md").unlink()
        _serve_build(project, site)
        assert SESSION.plan.touched.removed == {"pim-fact-sheet"}
        check("removed", None)  # its pages and citation files gone, the sitemap and listings without it

        # A page and a product's description, edited together: neither changes the data, and the
        # two write different pages (one fresh build for both, instead of one each).
        edit("docs/training.md", "\n# Training and learning\n", "\n# Training and learning\n\nA line added while serving.\n")
        edit(PRODUCT, "\n---\n", "\n---\n\nA description edited while serving.\n")
        conversions = []
        monkeypatch.setattr(internals, "convert", lambda *args: conversions.append(args[2].src_uri) or convert(*args))
        _serve_build(project, site)
        monkeypatch.setattr(internals, "convert", convert)
        # The body is converted once for its four pages: nothing in it depends on the page's place.
        assert conversions == [PRODUCT]
        assert SESSION.plan.touched.product_pages == {"common-pim-terminology"}
        assert not SESSION.plan.data_changed  # the listing and the other pages are kept
        check("page and description", set())
        assert "A description edited while serving." in (
            site / "products/common-pim-terminology/index.html").read_text(encoding="utf-8")
        assert "added while serving" in (site / "training/index.html").read_text(encoding="utf-8")
        assert "added while serving" not in (site / "ar/training/index.html").read_text(encoding="utf-8")  # translated
    finally:
        rebuild.start("build", False)  # later in-process builds in this session build everything
        os.chdir(ROOT)
    assert gc.get_freeze_count() == 0


# -- one object holds the build's state ---------------------------------------------------------

def test_build_state_lives_on_the_session_object_alone():
    """No module of hooks/ or pim/ keeps state of its own between builds: no `global`, no
    module-level dict, list or set but constants (UPPER_CASE), and the session (hooks/session.py)."""
    import ast

    found = []
    for path in sorted([*(ROOT / "hooks").glob("*.py"), *(ROOT / "pim").glob("*.py")]):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Global):
                found.append(f"{path.name}:{node.lineno}: global {', '.join(node.names)}")
        for node in tree.body:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
            value = getattr(node, "value", None)
            called = getattr(value.func, "id", getattr(value.func, "attr", "")) if isinstance(value, ast.Call) else ""
            # A container, or an object of a class (`_Cache()`, `threading.Lock()`): state.
            mutable = isinstance(value, (ast.Dict, ast.List, ast.Set, ast.DictComp, ast.ListComp, ast.SetComp)) or (
                called in {"dict", "list", "set", "defaultdict"} or called.lstrip("_")[:1].isupper())
            for target in targets:
                name = getattr(target, "id", "")
                if mutable and name and not name.lstrip("_").isupper():
                    found.append(f"{path.name}:{node.lineno}: {name}")
    assert found == []


# -- what `make serve` does once, or at once (hooks/internals.py) ------------------------------

def test_make_serve_hears_a_saved_file_through_the_systems_file_events(tmp_path):
    """MkDocs' server polls every 0.5 s; hooks/rebuild.hear_saves swaps in watchdog's native
    observer, with the same folders. This fails loudly if MkDocs' server changes the names it
    leans on (the server would quietly keep polling)."""
    import threading

    import watchdog.observers
    from mkdocs.livereload import LiveReloadServer

    from hooks import rebuild

    docs = tmp_path / "docs"
    docs.mkdir()
    server = LiveReloadServer(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    server.watch(str(docs))
    server.watch(str(docs))  # watched twice (MkDocs counts): unwatched once, still watched
    assert rebuild.hear_saves(server, None, None) is server
    assert isinstance(server.observer, watchdog.observers.Observer)  # inotify here, not polling
    assert server._watched_paths == {str(docs): 2}
    (docs / "read.md").write_text("# Read\n", encoding="utf-8")
    heard = threading.Event()
    server._rebuild_cond.notify_all = heard.set  # what the server's callback does on a change
    server.observer.start()
    try:
        # The build reads its sources: a file read is no change (else the server rebuilds forever).
        assert (docs / "read.md").read_text(encoding="utf-8") == "# Read\n"
        assert not heard.wait(timeout=0.5)
        (docs / "page.md").write_text("# Saved\n", encoding="utf-8")
        assert heard.wait(timeout=10)
        server.unwatch(str(docs))
        assert server._watched_paths == {str(docs): 1}
    finally:
        server.observer.stop()
        server.observer.join()


def test_the_themes_files_are_listed_once_per_session_and_as_mkdocs_lists_them(tmp_path):
    """Under `make serve` the theme's files (Material's 14,000) are listed once, not once per
    language on every rebuild; the files MkDocs adds from the theme are the same."""
    from mkdocs.config import load_config
    from mkdocs.structure.files import Files

    from hooks import internals

    config = load_config(config_file=str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path))
    plain = Files([])
    plain.add_files_from_theme(config.theme.get_env(), config)
    listings: dict = {}
    internals.list_theme_files_once(config.theme, listings, ("key",))
    walks = []
    for _ in range(2):
        env = config.theme.get_env()
        list_templates = env.loader.list_templates
        env.loader.list_templates = lambda: walks.append(1) or list_templates()
        once = Files([])
        once.add_files_from_theme(env, config)
        assert [f.src_uri for f in once] == [f.src_uri for f in plain] and len(plain) > 10
    assert len(walks) == 1
    # Keyed by MkDocs' own filter: if MkDocs renames it, this says the listing must be checked again.
    assert [name[-1] for name in listings] == ["Files.add_files_from_theme.<locals>.filter"]
    config.theme.static_templates.discard("sitemap.xml")  # as a rebuild that keeps the sitemap does
    again = Files([])
    again.add_files_from_theme(config.theme.get_env(), config)
    assert len(listings) == 2


def test_make_serve_asks_git_once_per_commit_for_mkdocs_macros(monkeypatch):
    """mkdocs-macros asks git 12 questions per language build; its answer is kept while HEAD is
    the same commit (a build asks once for its four languages, `make serve` once per commit).
    This fails loudly if mkdocs-macros renames the function."""
    import subprocess

    from mkdocs_macros import context

    from hooks import internals

    original = context.get_git_info
    asked = []
    check_output = subprocess.check_output
    monkeypatch.setattr(subprocess, "check_output", lambda *a, **k: asked.append(a[0]) or check_output(*a, **k))
    try:
        assert internals.git_info_per_commit({}) is None
        first = context.get_git_info()
        questions = len(asked)
        assert questions >= 10
        assert context.get_git_info() == first and len(asked) == questions  # not asked again
        assert first == context.get_git_info.__wrapped__()  # the same answers as mkdocs-macros' own
        assert context.get_git_info.__wrapped__ is getattr(original, "__wrapped__", original)  # wrapped once only
    finally:
        context.get_git_info = original
