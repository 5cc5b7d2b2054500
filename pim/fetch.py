"""Downloading the documents of the offline edition, with limits and a cache.

Every outcome is cached by address in `.cache/downloads/` (success or failure), so a second
`make offline` makes no request at all and gives the same bytes; OFFLINE_REFRESH=1 asks again.
Limits. What the edition holds is set in mkdocs-offline.yml (`extra: offline_documents:`), since
it changes the output; how this run asks is set in the environment:

- `max_file_mb`: the largest file kept (default 100);
- `max_total_mb`: all documents together (default 1000, see pim/documents.py);
- at most 5 redirects, and only to http:// or https:// addresses;
- OFFLINE_TIMEOUT: seconds to wait for a server, per request (default 15);
- OFFLINE_FETCH_HOSTS: when set (comma-separated host names), only these hosts are asked, and
  they may be private; the tests use it to stay on 127.0.0.1.

No address of the build machine or its networks is ever asked (pim/safe_fetch.py), redirects
included: such an address is listed as `refused: private address` and keeps its online link.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

from .safe_fetch import RefusedAddress, allowed_hosts, session
from .yamlfile import YAMLSyntaxError, read_yaml_file

CACHE_DIR = Path(".cache") / "downloads"
SETTINGS_FILE = "mkdocs-offline.yml"  # its `extra: offline_documents:` mapping
SIZE_SETTINGS = {"max_file_mb": 100, "max_total_mb": 1000}  # and their defaults, in MB
MAX_REDIRECTS = 5
CHUNK = 1 << 16
USER_AGENT = "pim-site-offline-edition (+https://pim.guide/download/)"
HTML_TYPES = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Limits:
    timeout: float = 15.0
    max_file_bytes: int = 100 * 1000 * 1000
    max_total_bytes: int = 1000 * 1000 * 1000
    hosts: tuple[str, ...] = ()  # empty: every host
    refresh: bool = False

    @classmethod
    def from_environment(cls, environ=os.environ, sizes: dict[str, float] | None = None) -> "Limits":
        """The run's switches from the environment; the sizes as read by `read_sizes`."""
        value = environ.get("OFFLINE_TIMEOUT", "").strip()
        timeout = cls.timeout
        if value:
            timeout = _positive(value)
            if timeout is None:
                raise ValueError(f"OFFLINE_TIMEOUT={value!r} is not a number of seconds more than 0")
        sizes = {**SIZE_SETTINGS, **(sizes or {})}
        return cls(
            timeout=timeout,
            max_file_bytes=int(sizes["max_file_mb"] * 1000 * 1000),
            max_total_bytes=int(sizes["max_total_mb"] * 1000 * 1000),
            hosts=allowed_hosts(environ),
            refresh=environ.get("OFFLINE_REFRESH", "").strip() not in ("", "0"),
        )


def _positive(text: str) -> float | None:
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number > 0 and number != float("inf") else None


def read_sizes(root: Path) -> dict[str, float]:
    """`extra: offline_documents:` in mkdocs-offline.yml; ValueError names the file, line and key."""
    path = root / SETTINGS_FILE
    if not path.is_file():
        return dict(SIZE_SETTINGS)
    try:
        document = read_yaml_file(path)
    except YAMLSyntaxError as error:
        raise ValueError(f"{SETTINGS_FILE}:{error.line}: {error.message}") from None
    extra = document.data.get("extra") if isinstance(document.data, dict) else None
    settings = extra.get("offline_documents") if isinstance(extra, dict) else None
    if settings is None:
        return dict(SIZE_SETTINGS)
    where = ("extra", "offline_documents")
    if not isinstance(settings, dict):
        raise ValueError(f"{SETTINGS_FILE}:{document.line_of(where)}: extra.offline_documents must be a mapping "
                         f"with {' and '.join(SIZE_SETTINGS)}")
    sizes = dict(SIZE_SETTINGS)
    for key, value in settings.items():
        line = document.line_of(where + (key,))
        if key not in SIZE_SETTINGS:
            raise ValueError(f"{SETTINGS_FILE}:{line}: extra.offline_documents.{key} is not a setting; "
                             f"allowed: {', '.join(SIZE_SETTINGS)}")
        number = _positive(str(value))
        if number is None:
            raise ValueError(f"{SETTINGS_FILE}:{line}: extra.offline_documents.{key}: {value!r} is not allowed; "
                             f"give megabytes, a number more than 0 (default {SIZE_SETTINGS[key]})")
        sizes[key] = number
    return sizes


@dataclass(frozen=True)
class Outcome:
    """What asking for one address gave: a file (`ok`), a web page, or a failure with its reason."""

    url: str
    status: str  # "ok", "web page" or "failed"
    reason: str = ""
    size: int = 0
    sha256: str = ""
    content_type: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok"


class Cache:
    """`<key>.json` (the outcome) and `<key>.bin` (the bytes) per address, key = sha256 of it."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    @staticmethod
    def key(url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()

    def data_path(self, url: str) -> Path:
        return self.folder / f"{self.key(url)}.bin"

    def get(self, url: str) -> Outcome | None:
        try:
            record = json.loads((self.folder / f"{self.key(url)}.json").read_text(encoding="utf-8"))
            outcome = Outcome(**record)
        except (OSError, ValueError, TypeError):
            return None
        if outcome.url != url or (outcome.ok and not self._intact(outcome)):
            return None
        return outcome

    def _intact(self, outcome: Outcome) -> bool:
        path = self.data_path(outcome.url)
        return path.is_file() and path.stat().st_size == outcome.size

    def put(self, outcome: Outcome, partial: Path | None = None) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if partial is not None:
            partial.replace(self.data_path(outcome.url))
        else:
            self.data_path(outcome.url).unlink(missing_ok=True)
        record = self.folder / f"{self.key(outcome.url)}.json"
        temporary = record.with_suffix(f".json.{os.getpid()}.{threading.get_ident()}")
        temporary.write_text(json.dumps(asdict(outcome), sort_keys=True), encoding="utf-8")
        temporary.replace(record)


def _is_web(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def _reason(error: Exception) -> str:
    if isinstance(error, RefusedAddress):
        return str(error)
    if isinstance(error, requests.Timeout):
        return "no answer within the time limit (OFFLINE_TIMEOUT)"
    if isinstance(error, requests.ConnectionError):
        text = str(error)
        if "Name or service not known" in text or "NameResolutionError" in text or "resolve" in text:
            return "the server's name could not be found (no internet?)"
        if "refused" in text.lower():
            return "the connection was refused"
        return "the server could not be reached"
    return f"the download failed ({type(error).__name__})"


class Downloader:
    """Fetches addresses into the cache. Safe to use from several threads; counts its requests."""

    def __init__(self, cache: Cache, limits: Limits):
        self.cache, self.limits = cache, limits
        self.requests = 0
        self.downloaded = 0  # bytes saved by this run: past the total budget, nothing more is asked
        self._lock = threading.Lock()
        self._local = threading.local()

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = session(USER_AGENT, self.limits.hosts)
        return self._local.session

    def get(self, url: str) -> Outcome:
        """The outcome for `url`: from the cache, or asked for now (and then cached)."""
        if not self.limits.refresh and (cached := self.cache.get(url)) is not None:
            return cached
        host = (urlsplit(url).hostname or "").lower()
        if self.limits.hosts and host not in self.limits.hosts:
            return Outcome(url, "failed", "not fetched: its host is not in OFFLINE_FETCH_HOSTS")  # not cached
        if self.downloaded > self.limits.max_total_bytes:  # not cached: a bigger budget may fit it
            return Outcome(url, "failed", "not fetched: the total budget (max_total_mb in mkdocs-offline.yml) was used up")
        outcome, partial = self._download(url)
        self.cache.put(outcome, partial)
        with self._lock:
            self.downloaded += outcome.size
        return outcome

    def _download(self, url: str) -> tuple[Outcome, Path | None]:
        address = url
        for _ in range(MAX_REDIRECTS + 1):
            if not _is_web(address):
                return Outcome(url, "failed", f"redirected to {address!r}, which is not an http(s) address"), None
            with self._lock:
                self.requests += 1
            try:
                response = self._session().get(address, stream=True, allow_redirects=False,
                                               timeout=self.limits.timeout)
            except requests.RequestException as error:
                return Outcome(url, "failed", _reason(error)), None
            with response:
                if response.is_redirect:
                    address = urljoin(address, response.headers.get("Location", ""))
                    continue
                if response.status_code != 200:
                    return Outcome(url, "failed", f"the server answered {response.status_code} {response.reason or ''}".rstrip()), None
                content_type = response.headers.get("Content-Type", "").split(";")[0].strip().lower()
                if content_type in HTML_TYPES:
                    return Outcome(url, "web page", "a web page, not a file", content_type=content_type), None
                return self._save(url, response, content_type)
        return Outcome(url, "failed", f"more than {MAX_REDIRECTS} redirects"), None

    def _save(self, url: str, response: requests.Response, content_type: str) -> tuple[Outcome, Path | None]:
        limit = self.limits.max_file_bytes
        too_large = Outcome(url, "failed", f"larger than the {limit / 1e6:g} MB limit (max_file_mb in mkdocs-offline.yml)")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            return too_large, None
        self.cache.folder.mkdir(parents=True, exist_ok=True)
        partial = self.cache.folder / f"{Cache.key(url)}.{os.getpid()}.{threading.get_ident()}.partial"
        digest, size = hashlib.sha256(), 0
        try:
            with partial.open("wb") as out:
                for chunk in response.iter_content(CHUNK):
                    size += len(chunk)
                    if size > limit:
                        break
                    digest.update(chunk)
                    out.write(chunk)
        except requests.RequestException as error:
            partial.unlink(missing_ok=True)
            return Outcome(url, "failed", _reason(error)), None
        if size > limit:
            partial.unlink(missing_ok=True)
            return too_large, None
        return Outcome(url, "ok", size=size, sha256=digest.hexdigest(), content_type=content_type), partial
