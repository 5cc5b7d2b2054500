"""Every private MkDocs name, and every condition copied from Material's templates, that the
speed-ups of product pages rely on: here and nowhere else. At the end, the layout of Material's
search worker that the forgiving search (hooks/search_forgiving.py) relies on.

They are imported under try/except: if a release renames one, or if the installed MkDocs or
Material is not a version listed in TESTED, the speed-ups turn off (one info line says why)
and product pages take the public path: MkDocs' own `Page.render`, full template renders.
The pages are the same either way (tests/test_speedups_guard.py hides these names and
compares). After testing a new version (`make test`), add it to TESTED."""

from __future__ import annotations

import functools
import logging
import os
import re
import subprocess
from importlib import metadata

import watchdog.events
import watchdog.observers
from mkdocs.utils import normalize_url

log = logging.getLogger("mkdocs.hooks.internals")

# The versions the speed-ups were tested with (distribution name -> versions).
TESTED = {
    "mkdocs": ("1.6.1",),
    "mkdocs-material": ("9.8.2",),
}

try:
    from mkdocs.structure.pages import (
        _ExtractAnchorsTreeprocessor,
        _ExtractTitleTreeprocessor,
        _RawHTMLPreprocessor,
        _RelativePathTreeprocessor,
    )
    MISSING = ""
except ImportError as error:  # a rename in MkDocs (or a fork of it)
    MISSING = str(error)


def installed_versions() -> dict[str, str | None]:
    versions = {}
    for name in TESTED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


def why_not_available(versions: dict[str, str | None], missing: str = "") -> str | None:
    """Why the speed-ups cannot be used with these versions (None: they can)."""
    if missing:
        return f"a private MkDocs name is missing ({missing})"
    untested = [f"{name} {version or '(not installed)'}" for name, version in versions.items()
                if version not in TESTED[name]]
    if untested:
        return f"untested version: {', '.join(untested)}; tested: " + "; ".join(
            f"{name} {', '.join(tested)}" for name, tested in TESTED.items())
    return None


@functools.cache
def available() -> bool:
    """Can the speed-ups run here? Said once per process when they cannot."""
    reason = why_not_available(installed_versions(), MISSING)
    if reason:
        log.info("Product pages are built without speed-ups: %s (see hooks/internals.py).", reason)
    return reason is None


def speedups_enabled(extra: dict) -> bool:
    """`extra: fast_product_pages: false` in mkdocs.yml (`extra` here) turns the speed-ups off:
    an option of the build, not of the environment (tests compare the pages both ways)."""
    return extra.get("fast_product_pages", True) is not False and available()


# -- MkDocs: what Page.render does (mkdocs/structure/pages.py, 1.6) -----------------------------

def convert(md, source: str, file, files, config) -> dict:
    """Convert a page body with a reused Markdown instance, as Page.render does with a new one:
    HTML, headings, title, anchors, and links to anchors."""
    md.reset()
    # Registering under Page.render's names replaces the last page's processors.
    raw_html = _RawHTMLPreprocessor()
    raw_html._register(md)
    anchors = _ExtractAnchorsTreeprocessor(file, files, config)
    anchors._register(md)
    links = _RelativePathTreeprocessor(file, files, config)
    links._register(md)
    title = _ExtractTitleTreeprocessor()
    title._register(md)
    content = md.convert(source)
    return {
        "content": content,
        "toc": getattr(md, "toc_tokens", []),
        "title": title.title,
        "anchors": anchors.present_anchor_ids | raw_html.present_anchor_ids,
        "links": links.links_to_anchors,
    }


def set_title_from_render(page, title) -> None:
    """Page.title falls back on the first heading Page.render found."""
    page._title_from_render = title


# -- Material: what decides a product page's frame (material/templates, 9.8) --------------------

def skip_url(page, base_url: str) -> str:
    """The skip link's target, as Material's `url` filter writes it: the first heading."""
    return normalize_url(str(page.toc.items[0].url), page=page, base=base_url)


def frame_shape(page, base_url: str) -> tuple:
    """The values Material's base.html and content.html test to choose the optional bits of a
    page's frame (title and description meta, canonical link, h1, edit and view buttons, skip
    link), and the language our copy of content.html marks the h1 with (page.meta.title_lang,
    from hooks/catalog.py): product pages with the same shape share one rendered shell
    (hooks/product_shell.py)."""
    return (base_url, bool(page.meta.get("title")), bool(page.meta.get("description")),
            page.meta.get("title_lang"),
            bool(page.title), bool(page.canonical_url), "<h1" in page.content,
            bool(page.edit_url), "/blob/" in (page.edit_url or ""),
            bool(len(page.toc)) and skip_url(page, base_url).startswith("#"))


# -- Material: its search worker (templates/assets/javascripts/workers, 9.8) --------------------

# Material's search worker, which the forgiving search loads from its own worker. Not found (or
# found twice), the build fails: hooks/search_forgiving.py says so.
MATERIAL_SEARCH_WORKER = re.compile(r"^assets/javascripts/workers/search\.[0-9a-f]+\.min\.js$")
# Material's page config: {"base": ..., "search": ".../workers/search.<hash>.min.js", ...}
_SEARCH_SETTING = re.compile(r'("search":\s*")([^"]*/)?(search\.[0-9a-f]+\.min\.js)(")')


def name_search_worker(html: str, name: str) -> str:
    """The page with Material's config pointing its search at worker `name`, in the same folder."""
    return _SEARCH_SETTING.sub(lambda m: m.group(1) + (m.group(2) or "") + name + m.group(4), html, count=1)


# -- Material: its search plugin under `mkdocs serve --dirty` (plugins/search/plugin.py, 9.8) -----

def search_without_previous_index(plugin) -> None:
    """Told it runs dirty, Material's search plugin adds the last build's whole index to each
    language's new one, and writes it (five times per rebuild, all four languages each time).
    hooks/rebuild.py keeps the entries of the pages not written itself, and
    hooks/languages.py writes the indexes, so the plugin is told it is not dirty."""
    plugin.is_dirty = False
    plugin.search_index_prev = None


# -- MkDocs: the theme's files, listed for every build (structure/files.py, theme.py, 1.6) -------

def list_theme_files_once(theme, listings: dict, key: tuple) -> None:
    """`Files.add_files_from_theme` lists every file of the theme's folders (Material's 14,000,
    its icons included) and matches each name against MkDocs' patterns, once per language on
    every rebuild: 0.07 s each, half of what a rebuild of 13 products costs when nothing
    changed. The list depends on the theme's folders and files (`key`: the caller stamps the
    project's own, overrides/; an installed theme does not change while the server runs), on
    the static templates (the patterns include them) and on the caller's filter, so the
    environments `theme.get_env()` makes give the list made once for those in `listings`.
    Only on the MkDocs version tested (the filter's patterns are MkDocs' own)."""
    if not available():
        return
    get_env = theme.get_env

    def env_with_listing():
        env = get_env()
        list_templates = env.list_templates

        def listed(extensions=None, filter_func=None):
            name = (key, tuple(sorted(theme.static_templates)), tuple(extensions or ()),
                    getattr(filter_func, "__qualname__", None))
            if name not in listings:
                listings[name] = list_templates(extensions=extensions, filter_func=filter_func)
            return list(listings[name])
        env.list_templates = listed
        return env
    theme.get_env = env_with_listing


# -- MkDocs: the watcher of `mkdocs serve` (livereload/__init__.py, 1.6) ------------------------

# What a change is. inotify also reports files opened and closed unwritten: the build reads its
# sources, and MkDocs, which rebuilds on any event, would then rebuild again and again.
CHANGES = [watchdog.events.FileCreatedEvent, watchdog.events.FileModifiedEvent, watchdog.events.FileDeletedEvent,
           watchdog.events.FileMovedEvent, watchdog.events.FileClosedEvent, watchdog.events.DirCreatedEvent,
           watchdog.events.DirDeletedEvent, watchdog.events.DirMovedEvent]


class _ChangesObserver(watchdog.observers.Observer):
    """watchdog's native observer, told of changes only."""

    def schedule(self, event_handler, path, *, recursive=False, event_filter=None, **options):
        return super().schedule(event_handler, path, recursive=recursive, event_filter=event_filter or CHANGES, **options)


def watch_with_system_events(server) -> str | None:
    """MkDocs' server looks at the watched folders every 0.5 s (watchdog's PollingObserver): a
    saved file waits up to that long before the rebuild starts. watchdog's native observer
    (inotify on Linux, FSEvents on macOS, ReadDirectoryChangesW on Windows) hears it at once.
    Swapped in before the server starts it, with the same folders watched again. Returns why
    not, if the server keeps polling: an untested MkDocs, or a system that refuses the watches
    (tried first, on a throwaway observer)."""
    if not available():
        return "untested MkDocs version"
    names = ("observer", "_watched_paths", "_watch_refs")
    if not all(hasattr(server, name) for name in names) or server.observer.is_alive():
        return "MkDocs' server has changed (hooks/internals.py)"
    paths = dict(server._watched_paths)  # path -> times watched
    probe = _ChangesObserver()
    try:
        for path in paths:
            probe.schedule(watchdog.events.FileSystemEventHandler(), path, recursive=True)
        probe.start()
    except OSError as error:  # e.g. the system's limit of watches reached
        return str(error)
    finally:
        if probe.is_alive():
            probe.stop()
            probe.join()
    server.observer = _ChangesObserver()
    server._watched_paths.clear()
    server._watch_refs.clear()
    for path, times in paths.items():
        for _ in range(times):
            server.watch(path)
    return None


# -- mkdocs-macros: its `git` variable (mkdocs_macros/context.py, 1.5) ---------------------------

def git_info_per_commit(store: dict) -> str | None:
    """mkdocs-macros asks git 12 questions (commit, tag, author, date...) each time it sets up:
    once per language of every build, 48 processes, 0.1 to 0.4 s of waiting. Its answer is kept
    in `store` while HEAD names the same commit in the same folder (one `git rev-parse HEAD` per
    language); a new tag on the same commit is not seen until then (no page shows the `git`
    variable). Returns why not, if it cannot."""
    try:
        from mkdocs_macros import context
    except ImportError:
        return "mkdocs-macros is not installed"
    current = getattr(context, "get_git_info", None)
    if current is None:
        return "mkdocs-macros has changed (hooks/internals.py)"
    original = getattr(current, "__wrapped__", current)

    @functools.wraps(original)
    def git_info():
        try:
            head = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True).stdout
        except OSError:  # no git
            head = None
        where = (os.getcwd(), head)
        if store.get("where") != where:
            store["where"], store["info"] = where, original()
        return dict(store["info"])
    context.get_git_info = git_info
    return None
