"""Shared fixtures: one strict build of the site per session, a local web server, and Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def build_site(project: Path, dest: Path, extra_args: tuple[str, ...] = (), env: dict | None = None,
               check: bool = True) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` on a project folder, the way `make site` does."""
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
    ignore = shutil.ignore_patterns(".venv", ".git", "site", "dist", "node_modules", "__pycache__", ".pytest_cache")
    shutil.copytree(ROOT, dest, ignore=ignore, symlinks=True)
    return dest


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The default content, built once, strictly."""
    dest = tmp_path_factory.mktemp("site")
    build_site(ROOT, dest)
    return dest


def read_page(site: Path, url_path: str) -> str:
    path = site / url_path.strip("/")
    if path.suffix != ".html" and not path.name.endswith((".json", ".xml", ".csv")):
        path = path / "index.html"
    return path.read_text(encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def serve(directory: Path):
    """Serve a folder on a free loopback port; returns (base URL, server)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server


@pytest.fixture(scope="session")
def site_url(site_dir):
    url, server = serve(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium. A missing browser fails the test; it never skips."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"No Chromium at {CHROMIUM}. Install it with: sudo apt-get install -y chromium "
                    "(or set CHROMIUM to its path).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


class PageWatch:
    """Console errors, page errors and requests that tried to leave the machine."""

    def __init__(self):
        self.errors: list[str] = []
        self.outside: list[str] = []


def open_watched_page(browser, allowed: tuple[str, ...], **context_options):
    """A new context and page whose requests to anything but `allowed` URL prefixes are aborted
    and recorded in `page.watch.outside`; console and page errors go to `page.watch.errors`."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    watch = PageWatch()

    def route(route):
        url = route.request.url
        if url.startswith(allowed):
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    context.route("**/*", route)
    page.on("console", lambda msg: watch.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: watch.errors.append(str(exc)))
    page.watch = watch
    return context, page


@pytest.fixture
def watched_page(browser):
    """A fresh page whose requests to anywhere but loopback or file:// are aborted and counted."""
    context, page = open_watched_page(
        browser, ("http://127.0.0.1", "http://localhost", "file://", "data:", "blob:"))
    yield page
    context.close()


def write_data_project(folder: Path, stakeholders: str) -> Path:
    """A minimal data project (the real vocabularies, the given stakeholders.yml, empty products/
    and docs/) for data-layer tests."""
    shutil.copy(ROOT / "vocabularies.yml", folder / "vocabularies.yml")
    (folder / "stakeholders.yml").write_text(stakeholders, encoding="utf-8")
    (folder / "products").mkdir()
    (folder / "docs").mkdir()
    return folder
