"""`make linkcheck` (issue 18): broken external addresses reported at their source, as
file:line: url: status, against a local server that answers 200, 404, a redirect loop, and not
at all (a timeout). The server is on 127.0.0.1, which only OFFLINE_FETCH_HOSTS lets linkcheck ask."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from conftest import ROOT, run_in_background, write_data_project

LOCAL = {**os.environ, "OFFLINE_FETCH_HOSTS": "127.0.0.1"}

STAKEHOLDERS = """\
- id: drc
  name: Danish Refugee Council (DRC)
  type: ngo
  url: {base}/ok
"""


@pytest.fixture
def server():
    release = threading.Event()  # the /slow handler waits on it: it answers only after the test

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def _answer(self, body: bool):
            if self.path.startswith("/ok"):
                self.send_response(200)
            elif self.path == "/head-refused":
                self.send_response(405 if self.command == "HEAD" else 200)
            elif self.path == "/to-private":  # the same server, by a name OFFLINE_FETCH_HOSTS does not allow
                self.send_response(302)
                self.send_header("Location", f"http://2130706433:{self.server.server_address[1]}/ok")
            elif self.path == "/loop":
                self.send_response(302)
                self.send_header("Location", "/loop")
            elif self.path == "/slow":
                release.wait(30)
                self.send_response(200)
            else:
                self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_HEAD(self):
            self._answer(False)

        def do_GET(self):
            self._answer(True)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    run_in_background(httpd)
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    release.set()
    httpd.shutdown()
    httpd.server_close()


def test_broken_links_are_reported_at_their_source_file_and_line(tmp_path: Path, server):
    project = write_data_project(tmp_path, STAKEHOLDERS.format(base=server))
    (project / "products" / "a-tool.md").write_text(f"""\
---
title: A tool
summary: A short summary.
type: tool
published: "2018-05"
producers: [drc]
editions:
  - language: en
    files:
      - {{label: Works, url: "{server}/ok", format: Web page}}
      - label: Gone
        url: {server}/gone
        format: PDF
  - language: ar
    files:
      - {{label: دائري, url: "{server}/loop", format: Web page}}
---

The description links to [a slow page]({server}/slow) and to [one that works]({server}/ok).

```
{server}/in-a-code-example
```

A server that refuses HEAD: <{server}/head-refused>. An example: https://example.org/nothing.
""", encoding="utf-8")
    (project / "docs" / "guide").mkdir()
    (project / "docs" / "guide" / "page.md").write_text(
        f"# A page\n\nSee [this]({server}/gone), or {server}/ok.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pim", "linkcheck", str(project), "--timeout", "1"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120, env=LOCAL)
    assert result.returncode == 1, result.stderr
    assert result.stdout.splitlines() == [
        f"docs/guide/page.md:3: {server}/gone: 404 Not Found",
        f"products/a-tool.md:12: {server}/gone: 404 Not Found",
        f"products/a-tool.md:16: {server}/loop: redirect loop (more than 10 redirects)",
        f"products/a-tool.md:19: {server}/slow: timeout (no answer within 1 s)",
    ]
    assert "5 external addresses checked; 3 broken" in result.stderr


def test_no_broken_link_exits_zero(tmp_path: Path, server):
    project = write_data_project(tmp_path, STAKEHOLDERS.format(base=server))
    result = subprocess.run([sys.executable, "-m", "pim", "linkcheck", str(project), "--timeout", "5"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, env=LOCAL)
    assert (result.returncode, result.stdout) == (0, ""), result.stderr
    assert "1 external addresses checked; 0 broken." in result.stderr


def test_addresses_of_the_build_machine_are_reported_refused_not_asked(tmp_path: Path, server):
    port = server.rsplit(":", 1)[1]
    project = write_data_project(tmp_path, STAKEHOLDERS.format(base=server))
    (project / "docs" / "page.md").write_text(
        f"# A page\n\nThe [same server]({server.replace('127.0.0.1', '2130706433')}/ok) by another name,\n"
        f"and [a redirect]({server}/to-private) from an allowed host to it.\n", encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "pim", "linkcheck", str(project), "--timeout", "5"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60, env=LOCAL)
    assert result.stdout.splitlines() == [
        f"docs/page.md:3: http://2130706433:{port}/ok: refused: private address (127.0.0.1)",
        f"docs/page.md:4: {server}/to-private: refused: private address (127.0.0.1)",
    ]
    assert result.returncode == 1
