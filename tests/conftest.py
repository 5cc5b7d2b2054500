"""Shared fixtures: each site variant built once per session and shared (the hosted site,
`site_dir`; the offline edition, `offline_edition`), a local web server, and Chromium. A test
that needs other data copies the project (`copy_project`) and builds that; a test that only reads
the default content's pages uses the shared builds, so the suite builds each variant once."""

from __future__ import annotations

import functools
import http.server
import inspect
import io
import os
import shutil
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from filelock import FileLock
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent

# Property-based tests (tests/test_mutations.py): the same examples on every run, a few seconds
# in all; HYPOTHESIS_PROFILE=long tries many more, new ones each run (and keeps failing ones in
# .hypothesis/ to try first next time).
settings.register_profile("default", derandomize=True, max_examples=60, database=None, deadline=10_000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("long", max_examples=5_000, deadline=10_000, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def build_site(project: Path, dest: Path, extra_args: tuple[str, ...] = (), env: dict | None = None,
               check: bool = True) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` on a project folder, the way `make site` does."""
    _refuse_under_make_check("builds the site")
    run_env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(dest), *extra_args],
        cwd=project, env=run_env, capture_output=True, text=True,
    )
    if check and result.returncode != 0:
        raise AssertionError(f"build failed:\n{result.stdout}\n{result.stderr}")
    return result


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources (no venv, no build output), to change data in a test."""
    # Files that come and go while builds and tests run beside: .tmp-*, a compiled template being
    # written (hooks/session.py); .*.tmp, any other file being written (pim/atomicfile.py);
    # *.pyc.*, a compiled module being written; .hypothesis/, where property tests keep caches.
    # The compiled modules themselves are copied (and stay valid: copies keep their sources'
    # times), so a build in the copy does not compile again.
    ignore = shutil.ignore_patterns(".venv", ".git", "site", "dist", "node_modules", ".pytest_cache",
                                    ".hypothesis", ".tmp-*", ".*.tmp", "*.pyc.*")
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return dest


def run_cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m pim ARGS` run in this process (a new interpreter per call made the CLI tests
    slow): its exit code, stdout and stderr, as subprocess.run would give them. Not on GitHub
    Actions unless `env` says so. An exception inside is not caught: the test fails on it."""
    from pim.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    try:
        os.chdir(cwd)
        os.environ.update({"GITHUB_ACTIONS": "", **(env or {})})
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse's usage errors
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
    return subprocess.CompletedProcess([sys.executable, "-m", "pim", *args], code, out.getvalue(), err.getvalue())


# --- Builds shared by every test process ------------------------------------------------------
# `make test` runs the tests in two processes (pytest-xdist, one per core). A site variant is
# still built once per run: the first process to need it builds it, under a file lock, into a
# folder both processes see; the other waits for it and reads it.

RUN_VARIABLE = "PIM_TEST_RUN"


def pytest_configure(config):
    if not hasattr(config, "workerinput"):  # the main process; its workers inherit the variables
        os.environ[RUN_VARIABLE] = uuid.uuid4().hex
        # One day for every build of the run: a run across midnight compared a page dated the 6th
        # with its twin dated the 7th, and failed CI. A test that needs another day sets its own.
        os.environ.setdefault("SOURCE_DATE_EPOCH", str(int(time.time())))


def pytest_unconfigure(config):
    if not hasattr(config, "workerinput"):
        # Deleted by a process of its own, which outlives the run: deleting the builds here
        # kept the run waiting a second more at its end.
        subprocess.Popen(["rm", "-rf", str(_run_folder())], start_new_session=True,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _run_folder() -> Path:
    return Path(tempfile.gettempdir()) / f"pim-tests-{os.environ.get(RUN_VARIABLE, os.getpid())}"


def shared_folder(name: str, make) -> Path:
    """The folder `name`, filled by `make(folder)` once per test run, whichever process asks
    first. A failed `make` leaves nothing behind: the next process to ask tries again (and
    fails the same way, with its own error)."""
    base = _run_folder()
    base.mkdir(parents=True, exist_ok=True)
    folder, done = base / name, base / f"{name}.done"
    with FileLock(str(base / f"{name}.lock")):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            try:
                make(folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            done.touch()
    return folder


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The default content, built once, strictly."""
    return shared_folder("site", lambda folder: build_site(ROOT, folder))


# --- The offline edition ----------------------------------------------------------------------

OFFLINE_EPOCH = 1717243200  # 2024-06-01 12:00 UTC: the offline edition's date; any fixed date will do
OFFLINE_ZIP = "pim-guide-offline.zip"


ENGLISH_ONLY_PAGE = """\
# A page in English only

Written for the tests: every page of the default content is translated.
"""


def offline_project(dest: Path) -> Path:
    """A copy of the project that can build the offline edition (node_modules is linked in)."""
    project = copy_project(dest)
    (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return project


def build_offline_zip(project: Path, work: Path) -> Path:
    """What `make offline` does (without fetching documents): the offline build, then the zip
    and its checksum."""
    from pim import offline_zip

    site = work / "site"
    build_site(project, site, ("--config-file", "mkdocs-offline.yml"), env={"SOURCE_DATE_EPOCH": str(OFFLINE_EPOCH)})
    zip_path = offline_zip.write_zip(site, work / "dist" / OFFLINE_ZIP, OFFLINE_EPOCH)
    offline_zip.write_checksum(zip_path)
    return zip_path


def unzip(zip_path: Path, dest: Path) -> Path:
    from pim import offline_zip

    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(dest)
    return dest / offline_zip.ZIP_ROOT


@pytest.fixture(scope="session")
def offline_edition() -> SimpleNamespace:
    """The default content's offline edition (mkdocs-offline.yml), built once per session, zipped,
    and unzipped into a folder whose path has spaces (as on a shared drive): `root` is the
    unzipped site, `zip` the zip, `project` the copy it was built from."""
    from pim import offline_zip

    work = shared_folder("offline", _make_offline_edition)
    return SimpleNamespace(project=work / "project", work=work, zip=work / "build" / "dist" / OFFLINE_ZIP,
                           root=work / "Field team" / "PIM copy" / offline_zip.ZIP_ROOT)


def _make_offline_edition(work: Path) -> None:
    from pim import offline_zip

    project = offline_project(work / "project")
    # Every page of the default content is translated: one page more shows the fallback notice.
    (project / "docs" / "english-only.md").write_text(ENGLISH_ONLY_PAGE, encoding="utf-8")
    # An older zip left in dist/ must not leak into the new one (the hosted build reads dist/).
    stale = work / "stale"
    stale.mkdir()
    (stale / "index.html").write_text("an older offline edition", encoding="utf-8")
    offline_zip.write_zip(stale, project / "dist" / OFFLINE_ZIP, 0)
    zip_path = build_offline_zip(project, work / "build")
    unzip(zip_path, work / "Field team" / "PIM copy")


@pytest.fixture(scope="session")
def offline(offline_edition) -> SimpleNamespace:
    """`offline_edition` by the name tests/test_offline.py has always used."""
    return offline_edition


def read_page(site: Path, url_path: str) -> str:
    path = site / url_path.strip("/")
    if path.suffix != ".html" and not path.name.endswith((".json", ".xml", ".csv")):
        path = path / "index.html"
    return path.read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        # A served site does not change while served: the browser keeps what it fetched, and
        # does not ask this process again on every page load.
        self.send_header("Cache-Control", "max-age=3600")
        super().end_headers()


def run_in_background(server: socketserver.BaseServer) -> socketserver.BaseServer:
    """Start a test's server in a thread. Its loop looks for `shutdown()` every 20 ms: at the
    default 0.5 s, each server a test stopped cost it half a second of waiting (6 s of
    tests/test_safe_fetch.py, one server per test)."""
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
    return server


def serve(directory: Path):
    """Serve a folder that does not change on a free loopback port; returns (base URL, server)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = run_in_background(http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler))
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture(scope="session")
def site_url(site_dir):
    url, server = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium. A missing browser fails the test; it never skips."""
    _refuse_under_make_check("starts Chromium")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}. Install it with: sudo apt-get install -y chromium "
                    "(or set CHROMIUM to its path).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS + [NO_OUTSIDE_HOSTS],
                                              headless=True)
        yield instance
        instance.close()


# Chromium resolves no host name or address but loopback's, so a request that tries to leave the
# machine fails at once (net::ERR_NAME_NOT_RESOLVED), whatever asked for it: a page, a frame, a
# worker. The pages below watch requests with a listener instead of routing every request through
# Playwright: routing turns Chromium's HTTP cache off and sends each request through this process,
# about a quarter of a page load's CPU.
NO_OUTSIDE_HOSTS = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost"
# Never the network: Chromium itself (its PDF viewer's files, loaded when a test opens a document;
# counting them made the offline tests depend on timing), and addresses that hold their content.
NEVER_NETWORK = ("chrome://", "chrome-extension://", "data:", "blob:", "about:")


class PageWatch:
    """Console errors, page errors and requests that tried to leave the machine."""

    def __init__(self, allowed: tuple[str, ...]):
        self.allowed = allowed  # URL prefixes that may be asked for
        self.errors: list[str] = []
        self.asked: list = []  # requests for anything but `allowed`
        self.answered: set = set()  # requests a test's own route took (they never reach the network)

    @property
    def outside(self) -> list[str]:
        return [request.url for request in self.asked if request not in self.answered]

    def clear(self) -> None:
        self.errors.clear()
        self.asked.clear()
        self.answered.clear()

    def on_request(self, request) -> None:
        if not request.url.startswith(self.allowed + NEVER_NETWORK):
            self.asked.append(request)


def open_watched_page(browser, allowed: tuple[str, ...], **context_options):
    """A new context and page whose requests to anything but `allowed` URL prefixes are recorded
    in `page.watch.outside` (and fail: see NO_OUTSIDE_HOSTS), unless a test's own route answers
    them; console and page errors go to `page.watch.errors`."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    watch = PageWatch(allowed)
    context.on("request", watch.on_request)  # every page of the context, its frames and workers
    _note_answered(context, watch)
    _note_answered(page, watch)
    page.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.watch = watch
    _record_listeners(page)
    return context, page


def _note_answered(target, watch: PageWatch) -> None:
    """A route a test adds (`page.route`, `context.route`) answers requests instead of the
    network: note each one it takes, so that `watch.outside` does not list it (nor one the route
    passes on: that test decided where it goes)."""
    add_route = target.route

    def route(url, handler, **options):
        takes_request = len(inspect.signature(handler).parameters) > 1

        def noted(route):
            watch.answered.add(route.request)
            return handler(route, route.request) if takes_request else handler(route)

        return add_route(url, noted, **options)

    target.route = route


def _record_listeners(page) -> None:
    """page.listeners: every (event, listener) given to page.on, so that a pooled page can drop a
    test's own."""
    page.listeners = []
    subscribe = page.on

    def on(event, listener):
        page.listeners.append((event, listener))
        return subscribe(event, listener)

    page.on = on


LOOPBACK = ("http://127.0.0.1", "http://localhost", "file://", "data:", "blob:")
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}  # Playwright's


class PagePool:
    """A page kept from one test to the next, cleaned in between: Chromium starts a renderer
    process for every new page (about 0.8 s of CPU here, more than loading the page again), and
    the suite opens hundreds. Between tests the page goes to about:blank (no script of the last
    test runs on), and loses its extra routes and listeners, the tabs it opened, cookies,
    permissions, the storage of every origin it visited, and a changed viewport or emulated media.
    Its HTTP cache is kept: the suite's sites do not change while served. A test that needs other
    context options, or a fresh profile, opens its own."""

    def __init__(self, browser):
        self.browser = browser
        self.context, self.page = open_watched_page(browser, LOOPBACK)
        self.origins: set[str] = set()
        self.page.on("framenavigated", lambda frame: self.origins.add(_origin_of(frame.url)))
        self.base_listeners = len(self.page.listeners)

    def lend(self, allowed: tuple[str, ...] = LOOPBACK, offline: bool = False):
        """The page, its requests allowed to `allowed` only; `offline`: with the network off."""
        self.page.watch.allowed = allowed
        self.page.watch.clear()
        if offline:
            self.context.set_offline(True)
        return self.page

    def clean(self) -> None:
        try:
            self._clean()
        except Exception:  # a test closed or broke the page: the next test gets a new one
            try:
                self.context.close()
            except Exception:
                pass
            self.__init__(self.browser)

    def _clean(self) -> None:
        page = self.page
        page.goto("about:blank")
        for event, listener in page.listeners[self.base_listeners:]:
            page.remove_listener(event, listener)
        del page.listeners[self.base_listeners:]
        self.context.unroute_all(behavior="ignoreErrors")
        page.unroute_all(behavior="ignoreErrors")
        self.context.clear_cookies()
        self.context.clear_permissions()
        self.context.set_offline(False)
        visited = self.origins - {"null", ""}
        if visited:
            # A session is opened for this and closed: one kept open on the page made Chromium
            # ignore a test's emulated print media.
            cdp = self.context.new_cdp_session(page)
            for origin in visited:
                cdp.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
            cdp.detach()
        self.origins.clear()
        for other in self.context.pages:  # tabs the test opened (a link's target=_blank, a popup)
            if other is not page:
                other.close()
        page.set_viewport_size(DEFAULT_VIEWPORT)
        page.emulate_media(media="null", color_scheme="null", reduced_motion="null")


def _origin_of(url: str) -> str:
    parts = urlsplit(url)
    return "file://" if parts.scheme == "file" else f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""


@pytest.fixture(scope="session")
def page_pool(browser):
    return PagePool(browser)


@pytest.fixture
def watched_page(page_pool):
    """A clean page whose requests to anywhere but loopback or file:// are aborted and counted."""
    yield page_pool.lend()
    page_pool.clean()


@pytest.fixture
def offline_page(page_pool):
    """The shared page with the network off: every request that is not file:// fails and is counted."""
    yield page_pool.lend(("file:",), offline=True)
    page_pool.clean()


def type_search(page, query: str):
    """Type `query` into Material's search as a reader does, key by key (Material searches on
    keyup, which fill() does not send), and return its results once they are this query's: each
    result links with the query it answers (?h=), so neither the first letters' results nor an
    earlier search's count (Material writes the query there in lower case). A box that already
    holds a search is emptied first: a new search without loading the page again. Polled every
    50 ms, not on every animation frame."""
    box = page.locator("input[data-md-component=search-query]")
    if box.input_value():
        box.fill("")
        box.focus()
    else:
        page.keyboard.press("/")  # Material's search shortcut
    page.keyboard.type(query)
    page.wait_for_function("""query => Array.from(document.querySelectorAll('.md-search-result__item a'))
        .some(link => new URL(link.href).searchParams.get('h') === query.toLowerCase())""", arg=query, polling=50,
                           timeout=10_000)
    return page.locator(".md-search-result__item")


AXE_BLOCKING = ("serious", "critical")


def settled(page) -> None:
    """Wait until the page has loaded and no animation or transition runs: axe sampling a fade
    mid-way reads blended colours. (Not "networkidle": it waits half a second more for the search
    index, which only the search dialog reads.)"""
    page.wait_for_load_state("load")
    page.wait_for_function("document.getAnimations().every(a => a.playState !== 'running')", polling=50)


# axe skips the rules that can only ever find minor or moderate problems (the rule's impact and
# every one of its checks' impacts), which the tests do not fail on: a fifth of its time. They are
# read from axe's own data (axe._audit): should an upgrade move it, axe_blocking fails at once.
AXE_RUN = """async () => {
  const quiet = axe._audit.rules.filter(rule => [rule.impact,
      ...[...rule.any, ...rule.all, ...rule.none].map(check => axe._audit.data.checks[check.id || check].impact)]
    .every(impact => impact === "minor" || impact === "moderate")).map(rule => rule.id);
  const rules = Object.fromEntries(quiet.map(id => [id, {enabled: false}]));
  const results = await axe.run(document, {resultTypes: ["violations"], rules});
  return {quiet, violations: results.violations};
}"""


@functools.cache
def _axe_script() -> str:
    import axe_playwright_python  # the pinned package that carries axe.min.js

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def axe_blocking(page) -> list[str]:
    """axe-core's serious and critical violations on the page as it is now, one line each: rule,
    impact, how many elements, what to fix, the first five elements. axe is put into the page
    once per load (not again for a second look, say in the dark palette) and told to gather its
    violations only: it then skips listing every element each rule passed, a third of its time
    here, and finds the same violations."""
    if not page.evaluate("typeof axe !== 'undefined' && typeof axe.run === 'function'"):
        page.evaluate(_axe_script())
    run = page.evaluate(AXE_RUN)
    assert "region" in run["quiet"] and "color-contrast" not in run["quiet"], run["quiet"]  # axe's data as read
    found = []
    for violation in run["violations"]:
        if violation["impact"] in AXE_BLOCKING:
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:5]]
            found.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} elements): "
                         f"{violation['help']} -> {targets}")
    return found


def write_data_project(folder: Path, stakeholders: str) -> Path:
    """A minimal data project (the real vocabularies, the given stakeholders.yml, empty products/
    and docs/) for data-layer tests."""
    shutil.copy(ROOT / "vocabularies.yml", folder / "vocabularies.yml")
    (folder / "stakeholders.yml").write_text(stakeholders, encoding="utf-8")
    (folder / "products").mkdir()
    (folder / "docs").mkdir()
    return folder


# --- Markers: unit, build, browser ------------------------------------------------------------
# Every test gets one marker, worked out from what it uses, so a new test needs no edit:
# - browser: it uses Chromium (the `browser` fixture, or a fixture built on it);
# - build: it builds a site (`site_dir`, `site_url`, or a fixture or helper that calls
#   `build_site` or runs mkdocs/properdocs);
# - unit: everything else (data layer, CLI, configuration), which `make check` runs.
# An explicit @pytest.mark.browser / build / unit wins. Under `make check` (PIM_UNIT_ONLY=1)
# build_site and the browser fixture refuse to run, so a test classified wrongly fails loudly
# instead of making the quick check slow.

BROWSER_FIXTURES = {"browser", "watched_page", "page_pool"}
BUILD_FIXTURES = {"site_dir", "site_url", "offline_edition", "offline"}
BUILD_NAMES = {"build_site"}          # a call to any of these builds a site
# A test running one of these commands builds too (pim.offline_edition: what `make offline` runs).
BUILD_COMMANDS = {"mkdocs", "properdocs", "pim.offline_edition"}
TEST_KINDS = ("browser", "build", "unit")


def _refuse_under_make_check(what: str) -> None:
    if os.environ.get("PIM_UNIT_ONLY"):
        pytest.fail(f"This test {what}, but it was collected as a unit test (make check). Mark it "
                    "@pytest.mark.build or @pytest.mark.browser, or use a fixture that says so "
                    "(tests/conftest.py, pytest_collection_modifyitems).", pytrace=False)


def _code_objects(code):
    yield code
    for const in code.co_consts:
        if inspect.iscode(const):
            yield from _code_objects(const)


def _builds(func, seen: set) -> bool:
    """Whether `func`, or a function of the tests it calls, builds a site."""
    func = inspect.unwrap(func)
    code = getattr(func, "__code__", None)
    if code is None or code in seen:
        return False
    seen.add(code)
    for part in _code_objects(code):
        if BUILD_NAMES & set(part.co_names) or BUILD_COMMANDS & set(c for c in part.co_consts if isinstance(c, str)):
            return True
        for name in part.co_names:
            target = func.__globals__.get(name)
            if callable(target):  # a helper behind functools.cache or lru_cache counts as itself
                target = inspect.unwrap(target)
            if (inspect.isfunction(target) and Path(target.__code__.co_filename).parent == ROOT / "tests"
                    and _builds(target, seen)):
                return True
    return False


def kind_of_test(item) -> str:
    """browser, build or unit (see above)."""
    explicit = [kind for kind in TEST_KINDS if item.get_closest_marker(kind)]
    if explicit:
        return explicit[0]
    names = set(item.fixturenames)
    if names & BROWSER_FIXTURES:
        return "browser"
    if names & BUILD_FIXTURES:
        return "build"
    seen: set = set()
    functions = [getattr(item, "function", None)]
    for name in names:
        functions += [definition.func for definition in item._fixtureinfo.name2fixturedefs.get(name, ())]
    if any(f is not None and _builds(f, seen) for f in functions):
        return "build"
    return "unit"


# The files that take longest, longest first (CPU seconds of a run, December 2026: 44 down to 10).
# `make test` hands whole files to its two processes in the order below (--no-loadscope-reorder):
# these first, the other browser and build files next, the quick unit files last, so that the
# two processes end together. xdist's own order (most tests first) left test_rebuild.py's
# 23-second test to near the end, and one process waiting 5 s for the other. A name missing
# here only runs later.
SLOWEST_FILES = ["test_accessibility.py", "test_rebuild.py", "test_offline_documents.py",
                 "test_search_forgiving.py", "test_glossary.py", "test_pdf_edition.py",
                 "test_facets_browser.py", "test_propose.py", "test_offline.py",
                 "test_real_data_defects.py", "test_changes_page.py"]


def pytest_collection_modifyitems(config, items):
    kinds = {}
    for item in items:
        kind = kinds[item] = kind_of_test(item)
        if not item.get_closest_marker(kind):
            item.add_marker(getattr(pytest.mark, kind))
    slow = {name: rank for rank, name in enumerate(SLOWEST_FILES)}
    busy = {item.path for item in items if kinds[item] != "unit"}  # files with a build or browser test
    items.sort(key=lambda item: (slow.get(item.path.name, len(slow)), item.path not in busy))
