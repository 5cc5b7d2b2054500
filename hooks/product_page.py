"""The page class of generated product pages, and the switch for their speed-ups.

MkDocs builds a new Markdown instance, with every extension of mkdocs.yml, for each page; with
thousands of products that set-up costs more than converting their short bodies. A product page
converts its body with one instance per build instead, reset between pages, and the same
per-page processors MkDocs registers (links, anchors, title).

With many products, a second process converts half of the bodies while this one converts the
rest (`start_converting`, once the files are known): MkDocs converts pages one by one, and
the machine has a second core. What it found (links, anchors, warnings) comes back with
the HTML, and its warnings are logged here, so a strict build still fails on them.

PIM_FAST_PRODUCT_PAGES=0 turns this and the shared template parts (hooks/fragments.py,
hooks/product_shell.py) off, and so does a MkDocs or Material version they were not tested with
(hooks/internals.py, which holds the private MkDocs names used here);
tests/test_product_page_speedups.py builds both ways and compares the pages."""

from __future__ import annotations

import gc
import logging
from concurrent.futures import Future, ProcessPoolExecutor

import markdown
from mkdocs.structure.pages import Page, get_toc

from hooks import internals
from hooks.internals import speedups_enabled
from pim.parallel import can_fork, parallel_from, second_process

log = logging.getLogger("mkdocs.hooks.product_page")
CHUNK = 100  # bodies per message from the second process: its results arrive as they are done
SLICE = 500  # bodies per second process: a new one is forked for each slice


_shared: dict = {}  # {"config": the build's config, "md": its Markdown instance}


def _markdown_for(config) -> markdown.Markdown:
    # Held by identity, not id(): `mkdocs serve` makes a new config for each rebuild, and a new
    # object may get a freed one's id (with other extensions, if mkdocs.yml changed).
    if _shared.get("config") is not config:
        _shared["config"] = config
        _shared["md"] = markdown.Markdown(
            extensions=config["markdown_extensions"], extension_configs=config["mdx_configs"] or {})
    return _shared["md"]


def _convert(source: str, file, config, files) -> dict:
    """What Page.render finds for a body (hooks/internals.py), with the build's Markdown instance."""
    return internals.convert(_markdown_for(config), source, file, files, config)


class ProductPage(Page):
    def render(self, config, files) -> None:
        if not speedups_enabled():
            return super().render(config, files)
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        converted = _elsewhere.take(self)
        if converted is None:
            converted = _convert(self.markdown, self.file, config, files)
        else:
            self.pim_prepared = converted["prepared"]  # for hooks/catalog.py's page_content
        self.content = converted["content"]
        self.toc = get_toc(converted["toc"])
        internals.set_title_from_render(self, converted["title"])
        self.present_anchor_ids = converted["anchors"]
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = {files.get_file_from_path(uri): found for uri, found in converted["links"].items()}
        # Converted, the body is needed no more: every product page is converted before the
        # first is written, so holding them all adds up (25 MB at 10,000 products). Not None:
        # Page.title reads None as "not read yet"; the title comes from the front matter.
        self.markdown = ""


class _KeepRecords(logging.Handler):
    def __init__(self):
        super().__init__()
        self.records: list[tuple[str, int, str]] = []

    def emit(self, record):
        self.records.append((record.name, record.levelno, record.getMessage()))


_job: dict = {}  # what the second process works on: it is forked, so it has all of it


def _convert_apart(src_uris: list[str]) -> dict[str, dict]:
    """In the second process: convert these product bodies; log records are kept, not shown."""
    keep = _KeepRecords()
    for name in ("", "mkdocs"):
        logging.getLogger(name).handlers = [keep]
    results = {}
    config, files = _job["config"], _job["files"]
    for uri in src_uris:
        keep.records = []
        try:
            # What MkDocs does before it renders a page (build._populate_page), on this copy.
            page = config.plugins.on_pre_page(_job["pages"][uri], config=config, files=files)
            internals.set_current_page(config, page)
            page.read_source(config)
            source = config.plugins.on_page_markdown(page.markdown, page=page, config=config, files=files)
            converted = _convert(source, page.file, config, files)
            prepared = _job["prepare"](page, converted["content"], config, files) if _job["prepare"] else None
            page.markdown = None  # this process's copy: let it go
        except Exception:  # noqa: BLE001 - the build converts the page itself and reports the error there
            results[uri] = None
            continue
        results[uri] = {**converted, "source": source, "log": keep.records, "prepared": prepared}
    return results


class _Elsewhere:
    """The bodies converted in a second process, by src_uri. The process is forked anew for each
    slice of SLICE pages: the memory it shares with this one is copied page by page as either
    writes to it, so one process for all would come to hold a copy of most of this one's
    (the two together: 385 MiB at 10,000 products, against 342 MiB with slices of 500)."""

    def __init__(self):
        self.pool: ProcessPoolExecutor | None = None
        self.running: list[Future] = []  # the current process's chunks
        self.slices: list[list[str]] = []  # not started yet, in order
        self.queued: set[str] = set()  # their pages
        self.pending: dict[str, Future] = {}
        self.sent = self.used = 0

    def start(self, pages: list[Page], config, files, prepare=None) -> None:
        self.stop()
        if not speedups_enabled() or len(pages) < parallel_from() or not can_fork():
            return
        _job.update(pages={page.file.src_uri: page for page in pages}, config=config, files=files, prepare=prepare)
        # Half each: the second process also prepares its pages' texts (`prepare`), and this one
        # runs every page's events.
        theirs = [page.file.src_uri for page in pages[len(pages) // 2:]]
        self.slices = [theirs[start:start + SLICE] for start in range(0, len(theirs), SLICE)]
        self.queued = set(theirs)
        self.sent, self.used = len(theirs), 0
        self._next_slice()

    def _next_slice(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool, self.running = None, []
        if not self.slices:
            return
        uris = self.slices.pop(0)
        self.queued.difference_update(uris)
        self.pool = second_process()
        # The process is forked on the first submit. Frozen, the objects both processes have are
        # left alone by their garbage collectors (which write to each object they visit), so
        # their memory stays shared instead of copied; `stop` unfreezes them.
        gc.freeze()
        for start in range(0, len(uris), CHUNK):
            chunk = uris[start:start + CHUNK]
            self.running.append(future := self.pool.submit(_convert_apart, chunk))
            self.pending.update(dict.fromkeys(chunk, future))

    def take(self, page: Page) -> dict | None:
        uri = page.file.src_uri
        if self.pool is not None and all(future.done() for future in self.running):
            self._next_slice()
        while uri in self.queued:  # reached before the slices ahead of it were done
            self._next_slice()
        future = self.pending.pop(uri, None)
        if future is None:
            return None
        try:
            converted = future.result().pop(uri)
        except Exception as error:  # noqa: BLE001 - e.g. the process was killed: go on without it
            log.info("The second process stopped (%s); the build converts the other product pages itself.", error)
            self.stop()
            return None
        # The other process read the file and ran the plugins' events on it as MkDocs does; should
        # a plugin have given another text here, or should it have failed, the body is converted
        # here instead (and an error is reported for the right page).
        if converted is not None and converted["source"] == page.markdown:
            for name, level, message in converted["log"]:
                logging.getLogger(name).log(level, message)
            self.used += 1
        else:
            converted = None
        if not self.pending and not self.slices:
            self.stop()
        return converted

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
        if self.sent:
            gc.unfreeze()  # no process shares them any more; `mkdocs serve` must free old builds
            log.debug("%d of %d product bodies were converted in a second process", self.used, self.sent)
        self.pool, self.running, self.slices = None, [], []
        self.queued.clear()
        self.pending.clear()
        self.sent = 0
        _job.clear()


_elsewhere = _Elsewhere()


def start_converting(pages: list[Page], config, files, prepare=None) -> None:
    """Have a second process convert the second half of these product pages' bodies, and
    call `prepare(page, html, config, files)` on each: its result becomes `page.pim_prepared`."""
    _elsewhere.start(pages, config, files, prepare)


def stop_converting() -> None:
    _elsewhere.stop()
