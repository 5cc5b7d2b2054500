"""`make serve` writes again only what a change touches.

`make serve` runs `mkdocs serve --dirty`: MkDocs then keeps the site between builds and asks
each page's `File.is_modified()` whether to read and write it again. MkDocs' own answer (the
source file is newer than the page) does not know generated pages or data files, so
`choose_pages` answers for every page, from a plan made once per rebuild (`plan_build`, on the
default language's build; mkdocs-static-i18n then builds the other languages with it):

- the first build, or a change to mkdocs.yml, overrides/, the code, the vocabularies or the
  interface text, or to a hand-written page's front matter or title, or a page added or removed
  (the navigation of every page changes): every page, as a full build;
- a product's description: its page; any other change to a product or to stakeholders.yml: the
  product pages and term pages that show what changed (pim/affected.py), and the hand-written
  pages that read the catalog (a `template:` or `render_macros:` in their front matter: the
  listing, the home page, stakeholders, changes...) and, when they were last written, read
  through `pim` what changed: stakeholders, products (not after a stakeholder's change alone:
  the home page, changes), or the counts of products per term (`note_reads`; hooks/state.py,
  PageView). A page that read only vocabularies, interface text or the field reference (the
  contributor guide) is kept;
- a hand-written page's text: that page, in every language that shows it (MkDocs' own rule).

Saved files are heard through the system's file events, not MkDocs' look every 0.5 s
(`hear_saves`); the theme's files are listed once per session, and mkdocs-macros' git answers
kept per commit, not asked again per language on every rebuild (hooks/internals.py).

Products' cards, entries and links are kept between rebuilds while the product is the same
(hooks/state.py), its citation files while its data is (pim/citations.py), and its body's
conversion to HTML while the body is (hooks/product_page.py); after a full
build, what outlives builds is set aside from Python's cycle collector (`set_aside_long_lived`).

A hand-written page not read again keeps the title it had (`keep_titles`): every page's
navigation shows it. The search index keeps the last build's entries of the pages not written
(`keep_search_entries`); catalog.json, the citation files and the others are written only when
their bytes changed (`write_site_files`); a removed product's pages are deleted. A plain
`mkdocs build` (or `mkdocs serve` without --dirty) builds everything, as before.
tests/test_rebuild.py edits a product, its terms, a stakeholder and a page, removes a product,
and compares every file with a fresh build."""

from __future__ import annotations

import gc
import logging
import os
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.structure.pages import get_markdown_title
from mkdocs.utils import meta

from hooks import internals
from hooks.data import code_fingerprint
from hooks.session import SESSION, LastBuild
from hooks.state import current, i18n_plugin
from pim.affected import Touched, touched
from pim.load import file_stamp
from pim.model import TAXONOMY_PATHS

log = logging.getLogger("mkdocs.hooks.rebuild")


@dataclass
class Plan:
    everything: bool = True
    data_changed: bool = False
    touched: Touched = field(default_factory=Touched)
    docs_dir: Path = Path()
    fronts: dict[str, dict] = field(default_factory=dict)  # docs/*.md -> its front matter
    previous: LastBuild | None = None
    record: LastBuild = field(default_factory=LastBuild)  # this build, once complete


class _DirtyNotice(logging.Filter):
    def filter(self, record) -> bool:  # MkDocs' warning that a dirty build may be wrong: not here
        return not record.getMessage().startswith("A 'dirty' build is being performed")


def start(command, dirty):
    """`mkdocs serve --dirty` (`make serve`): from the second build on, write only what changed."""
    SESSION.serving = command == "serve" and dirty
    SESSION.last = None
    if SESSION.set_aside:  # a server before this command, in the same process (tests)
        gc.unfreeze()
        SESSION.set_aside = False
    if not SESSION.serving:
        SESSION.git = {}  # a build asks git once for its four languages; `make serve` once per commit
    why_not = internals.git_info_per_commit(SESSION.git)
    if why_not and SESSION.serving:
        log.info("mkdocs-macros asks git for its `git` variable on every rebuild: %s", why_not)
    if SESSION.serving:
        logging.getLogger("mkdocs.commands.build").addFilter(_DirtyNotice())


def hear_saves(server, config, builder):
    """`make serve` hears a saved file at once, not at MkDocs' next look (every 0.5 s)."""
    why_not = internals.watch_with_system_events(server)
    if why_not:
        log.info("The server looks for changed files every 0.5 s: %s", why_not)
    return server


def source_stamps(config, root: Path) -> tuple:
    """mkdocs.yml, overrides/ and the code: a change to any means a full build."""
    files = [Path(config.config_file_path)]
    overrides = root / "overrides"
    if overrides.is_dir():
        files += sorted(path for path in overrides.rglob("*") if path.is_file())
    return tuple((str(path), *file_stamp(path)) for path in files) + code_fingerprint()


def page_heads(docs_dir: Path) -> dict[str, tuple[dict, str | None]]:
    """Every hand-written page's front matter and title: what other pages show of it."""
    heads = {}
    for path in sorted(docs_dir.rglob("*.md")):
        markdown, front = meta.get_data(path.read_text(encoding="utf-8-sig"))
        heads[path.relative_to(docs_dir).as_posix()] = (front, get_markdown_title(markdown))
    return heads


def _same_except_catalog(old, new) -> bool:
    return (old.catalog.vocabulary == new.catalog.vocabulary and old.interface_text == new.interface_text
            and old.fieldref == new.fieldref)


def plan_build(config):
    """What this build writes, decided once, on the default language's build."""
    state = current()
    if state.language != state.default_language:
        return config  # mkdocs-static-i18n's build of another language: the same plan
    previous, SESSION.last = SESSION.last, None  # until this build completes, the next writes everything
    if SESSION.serving and previous is not None and previous.full:
        set_aside_long_lived()
    SESSION.search = {}
    SESSION.per_build = {}
    plan = Plan(previous=previous)
    plan.record.site_dir = config.site_dir
    plan.record.data = SESSION.data.data
    if SESSION.serving:
        plan.record.sources = source_stamps(config, state.root)
        plan.record.pages = page_heads(state.docs_dir)
        plan.docs_dir = state.docs_dir.resolve()
        plan.fronts = {name: front for name, (front, _) in plan.record.pages.items()}
    same_frame = (previous is not None and previous.site_dir == config.site_dir
                  and previous.sources == plan.record.sources and previous.pages == plan.record.pages)
    if SESSION.serving and same_frame:
        old, new = previous.data, plan.record.data
        if old is new:
            plan.everything = False
        elif _same_except_catalog(old, new):
            plan.touched = touched(old.catalog, new.catalog)
            plan.everything = plan.touched.aliases_changed  # redirect pages come and go: build them all
            plan.data_changed = plan.touched.shown_elsewhere
    SESSION.plan = plan
    if plan.everything:
        SESSION.fragments = {}  # cards and entries of another site, or of other templates or vocabularies
    if plan.everything or plan.touched.added or plan.touched.removed:
        SESSION.converted = {}  # product bodies' links resolve against the pages there are
    # The theme's files are listed once for the four languages of a build, and under `make serve`
    # kept while mkdocs.yml, overrides/ and the code stay the same.
    if not SESSION.serving or SESSION.theme_files.get("key") != plan.record.sources:
        SESSION.theme_files = {"key": plan.record.sources}
    internals.list_theme_files_once(config.theme, SESSION.theme_files, (tuple(config.theme.dirs),))
    if SESSION.serving:
        search = config.plugins.get("material/search")
        if search is not None:
            internals.search_without_previous_index(search)
    if not plan.everything:
        plan.record.written = dict(previous.written)  # files not written again stay as they were
        plan.record.reads = dict(previous.reads)  # and so do the reads of pages not written again
        _remove_pages_of(plan.touched.removed, previous, Path(config.site_dir))
        if not (plan.touched.added or plan.touched.removed):
            # The same pages as the last build: its sitemap.xml stands (4,000 pages at 1,000 products).
            config.theme.static_templates.discard("sitemap.xml")
    return config


def set_aside_long_lived() -> None:
    """`make serve`, the first rebuild after a full build: what outlives it (the compiled templates,
    the theme, the data, the last build's record) is set aside from Python's cycle collector,
    which otherwise goes through it all several times per rebuild (0.5 of 3 CPU s at 1,000
    products). Set aside after a collection, so no garbage of the full build stays; the next
    full build's first rebuild lets the last set go and sets aside anew."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    SESSION.set_aside = True


def site_files_unchanged() -> bool:
    """Under `make serve`, has nothing changed that catalog.json, the feed or the citation files
    show? (A product's description is not in them.)"""
    plan = SESSION.plan
    return SESSION.serving and plan is not None and not plan.everything and not plan.data_changed


def _remove_pages_of(removed: set[str], previous: LastBuild, site_dir: Path) -> None:
    for (_, product_id), path in previous.product_files.items():
        if product_id in removed and os.path.isfile(path):
            os.remove(path)
            if not os.listdir(os.path.dirname(path)):
                os.rmdir(os.path.dirname(path))
    for product_id in removed:
        for kind in ("bib", "ris", "json"):
            (site_dir / "cite" / f"{product_id}.{kind}").unlink(missing_ok=True)


def _always() -> bool:
    return True


def _product_id(file) -> str | None:
    src = file.src_uri
    if file.generated_by and src.startswith("products/") and src.count("/") == 1:
        return src[len("products/"):-3]
    return None


def _term(file) -> tuple[str, str] | None:
    folder, _, name = file.src_uri.partition("/")
    for kind, path in TAXONOMY_PATHS.items():
        if file.generated_by and folder == path and name.endswith(".md") and name != "index.md":
            return kind, name[:-3]
    return None


def _reads_data(front: dict) -> bool:
    return bool(front.get("template") or front.get("render_macros"))


def _rule(file, plan: Plan):
    """`file.is_modified` for this build: should MkDocs read and write this page again?"""
    product_id = _product_id(file)
    if product_id is not None:
        return lambda: product_id in plan.touched.product_pages
    term = _term(file)
    if term is not None:
        return lambda: term in plan.touched.term_pages
    if file.generated_by or not file.abs_src_path:
        return _always
    newer_source = file.is_modified  # MkDocs' rule: the page's source is newer than the written page
    try:
        source = Path(file.abs_src_path).resolve().relative_to(plan.docs_dir).as_posix()
    except ValueError:  # not under docs/: no front matter known, so always written
        source = None
    answer: list[bool] = []  # decided once: after the page is written its source is no longer newer
    reads = plan.previous.reads.get((current().language, source)) if plan.previous else None

    def hand_written() -> bool:
        if not answer:
            front = plan.fronts.get(source)
            answer.append(front is None or newer_source() or (_reads_data(front) and _read_changed(reads, plan)))
        return answer[0]
    return hand_written


def _read_changed(reads: set | None, plan: Plan) -> bool:
    """Has a product or stakeholder change touched what a page read when it was last written?"""
    if reads is None:  # not noted: any change that pages other than product pages show
        return plan.data_changed
    return (("catalog" in reads and plan.data_changed) or ("products" in reads and plan.touched.products_changed)
            or ("counts" in reads and plan.touched.counts_changed))


def note_reads(markdown, page, config, files):
    """`make serve`: from here, what a hand-written page reads through `pim` is noted (its
    macros, then its template: `resume_reads`), to decide after the next change whether it shows it."""
    state = current()
    if SESSION.serving and SESSION.plan is not None and not page.file.generated_by and page.file.abs_src_path:
        state.reads = SESSION.plan.record.reads[_reads_key(page.file)] = set()
    else:
        state.reads = None
    return markdown


def resume_reads(context, page, config, nav):
    state = current()
    if SESSION.serving and SESSION.plan is not None and not page.file.generated_by and page.file.abs_src_path:
        state.reads = SESSION.plan.record.reads.setdefault(_reads_key(page.file), set())
    return context


def stop_reads(output, page, config):
    current().reads = None
    return output


def _reads_key(file) -> tuple[str, str]:
    path = Path(file.abs_src_path).resolve()
    try:
        source = path.relative_to(SESSION.plan.docs_dir).as_posix()
    except ValueError:
        source = path.as_posix()
    return current().language, source


def choose_pages(files, config):
    """Each page's answer to MkDocs' dirty build: write it again or keep it."""
    plan = SESSION.plan
    if not SESSION.serving or plan is None:
        return files  # a normal build writes every page whatever is_modified says
    for file in files.documentation_pages():
        file.is_modified = _always if plan.everything else _rule(file, plan)
    return files


def keep_titles(env, config, files):
    """Hand-written pages not read again keep their last titles: every page's navigation shows them."""
    plan, state = SESSION.plan, current()
    if not SESSION.serving or plan is None or plan.everything:
        return env
    titles = plan.previous.titles.get(state.language, {})
    for file in files.documentation_pages():
        page = file.page
        if page is not None and not file.generated_by and page.markdown is None and page.url in titles:
            page.title = titles[page.url]
    return env


def keep_search_entries(config):
    """This language's search entries, before Material's search plugin writes (and, in a dirty
    build, mixes) its index; pages not written again keep the last build's entries."""
    state = current()
    search = config.plugins.get("material/search")
    if search is None or not search.config.enabled:
        return
    entries = list(search.search_index.entries)
    plan = SESSION.plan
    by_page: dict[str, list] = {}
    for entry in entries:
        by_page.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
    if SESSION.serving and plan is not None:
        previous = plan.previous.search.get(state.language, {}) if plan.previous and not plan.everything else {}
        merged = {}
        for file in state.files.documentation_pages():
            if file.page is None:
                continue
            url = file.page.url  # as Material writes locations ("" for the home page, not "./")
            written = plan.everything or file.is_modified()
            merged[url] = by_page.get(url, []) if written else previous.get(url, [])
            if _product_id(file) is not None:
                plan.record.product_files[(state.language, _product_id(file))] = file.abs_dest_path
            elif not file.generated_by:
                plan.record.titles.setdefault(state.language, {})[url] = file.page.title
        by_page = merged
        plan.record.search[state.language] = by_page
        entries = [entry for page_entries in by_page.values() for entry in page_entries]
    SESSION.search[state.language] = entries


def write_site_files(site_dir: Path, contents: dict[str, bytes]) -> None:
    """Files at the site root (catalog.json, citation files...); under `make serve`, only those
    whose bytes changed since the last build."""
    plan = SESSION.plan
    previous = plan.previous.written if (SESSION.serving and plan and plan.previous and not plan.everything) else {}
    for name, content in contents.items():
        key = hash(content)
        if previous.get(name) != key:
            (site_dir / name).write_bytes(content)
        if SESSION.serving and plan is not None:
            plan.record.written[name] = key


def finish(config):
    """The build is complete: under `make serve`, the next one compares with it."""
    plugin = i18n_plugin(config)
    if plugin is not None and plugin.building:
        return  # mkdocs-static-i18n's build of another language, inside the default language's
    if SESSION.serving and SESSION.plan is not None:
        SESSION.last = SESSION.plan.record
        SESSION.last.full = SESSION.plan.everything
    SESSION.search = {}
