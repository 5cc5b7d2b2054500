"""A static file server on 127.0.0.1 that gzips text files when the browser accepts it, as any
static host does (GitHub Pages, Netlify, nginx with gzip on): page weights and Lighthouse
measure what readers download, not the files on disk. For benchmarks only."""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import threading
from pathlib import Path

COMPRESSIBLE = (".html", ".css", ".js", ".json", ".xml", ".svg", ".csv", ".txt", ".map", ".webmanifest")


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    cache: dict[Path, bytes] = {}

    def log_message(self, *args):
        pass

    def end_headers(self):
        # Like a static host's default: revalidate, so a first visit (empty cache) is what counts.
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?")[0].endswith("/"):
                return super().send_head()  # the redirect to the folder with a slash
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.is_file() and path.suffix in COMPRESSIBLE):
            return super().send_head()
        body = self.cache.get(path)
        if body is None:
            body = self.cache[path] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


def serve_gzip(folder: Path):
    """Serve `folder` on a free loopback port; returns (base URL, server). Call server.shutdown()."""
    handler = functools.partial(type("Handler", (GzipHandler,), {"cache": {}}), directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}", server
