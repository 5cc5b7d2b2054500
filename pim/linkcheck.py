"""`make linkcheck`: every external address in the sources, checked, each broken one reported
where a contributor fixes it: `products/<id>.md:LINE: <url>: <status>` (or the docs/ file,
or stakeholders.yml), not the built page it ends up on.

Addresses come from the data files' fields (read with their lines, as `make validate` does) and
from the Markdown text of product descriptions and docs/ pages. Each address is checked once,
however many places use it, several at a time: HEAD first, then GET when a server refuses HEAD.
"""

from __future__ import annotations

import re
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import requests

from .load import DOCS_DIR, STAKEHOLDERS_FILE, product_files
from .safe_fetch import RefusedAddress, allowed_hosts, session as safe_session
from .yamlfile import YAMLSyntaxError, normalise_text, parse_yaml, read_yaml_file, split_front_matter

# An address in Markdown or HTML text; trailing punctuation of the sentence is not part of it.
URL_IN_TEXT = re.compile(r"""https?://[^\s<>"'`\])]+""")
TRAILING = ".,;:!?"
MAX_REDIRECTS = 10
USER_AGENT = "pim-site-linkcheck (+https://pim.guide/)"


# Addresses that are examples by definition (RFC 2606) or the contributor's own machine (make serve).
EXAMPLE_HOSTS = re.compile(r"^(localhost|(.+\.)?example\.(org|com|net)|.+\.(invalid|example|test))$", re.I)


def is_example(url: str) -> bool:
    return bool(EXAMPLE_HOSTS.match(urlsplit(url).hostname or ""))


@dataclass(frozen=True, order=True)
class Place:
    file: str
    line: int
    url: str


def _urls_in_text(text: str, file: str, first_line: int) -> list[Place]:
    places = []
    in_fence = False
    for number, line in enumerate(text.split("\n"), start=first_line):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence  # addresses in code examples are not links
            continue
        if in_fence or "{{" in line:  # nor are those built by a macro
            continue
        for match in URL_IN_TEXT.finditer(line):
            places.append(Place(file, number, match.group(0).rstrip(TRAILING)))
    return places


def _urls_in_data(data, lines: dict, file: str, path: tuple = ()) -> list[Place]:
    if isinstance(data, dict):
        return [p for key, value in data.items() for p in _urls_in_data(value, lines, file, path + (key,))]
    if isinstance(data, list):
        return [p for i, value in enumerate(data) for p in _urls_in_data(value, lines, file, path + (i,))]
    if isinstance(data, str) and data.strip().startswith(("http://", "https://")):
        return [Place(file, lines.get(path, 1), data.strip())]
    return []


def sources(root: Path) -> list[Place]:
    """Every external address in products/, stakeholders.yml and docs/, with its file and line."""
    places: list[Place] = []
    for path in product_files(root):
        file = path.relative_to(root).as_posix()
        try:
            yaml_text, body, body_line = split_front_matter(path.read_text(encoding="utf-8"))
            document = parse_yaml(yaml_text, line_offset=1)
        except Exception:  # noqa: BLE001 - a file that cannot be read: `make validate` says why
            continue
        places += _urls_in_data(document.data, document.lines, file)
        places += _urls_in_text(body, file, body_line)
    stakeholders = root / STAKEHOLDERS_FILE
    if stakeholders.is_file():
        try:
            document = read_yaml_file(stakeholders)
            places += _urls_in_data(document.data, document.lines, STAKEHOLDERS_FILE)
        except (YAMLSyntaxError, UnicodeDecodeError):
            pass
    for path in sorted((root / DOCS_DIR).rglob("*.md")):
        text = normalise_text(path.read_text(encoding="utf-8", errors="replace"))
        places += _urls_in_text(text, path.relative_to(root).as_posix(), 1)
    return sorted({place for place in places if not is_example(place.url)})


def check(url: str, timeout: float, allowed: tuple[str, ...] = ()) -> str | None:
    """None when the address works, else what is wrong, in a few words. Addresses of this machine
    or its networks are not asked (pim/safe_fetch.py); `allowed` hosts may be private."""
    session = safe_session(USER_AGENT, allowed)
    session.max_redirects = MAX_REDIRECTS
    try:
        response = session.head(url, timeout=timeout, allow_redirects=True)
        if response.status_code >= 400:  # some servers answer HEAD wrongly: ask for the page
            response = session.get(url, timeout=timeout, allow_redirects=True, stream=True)
            response.close()
        if response.status_code >= 400:
            return f"{response.status_code} {response.reason}".strip()
        return None
    except RefusedAddress as error:
        return str(error)
    except requests.TooManyRedirects:
        return f"redirect loop (more than {MAX_REDIRECTS} redirects)"
    except requests.Timeout:
        return f"timeout (no answer within {timeout:g} s)"
    except requests.ConnectionError as error:
        return f"connection failed ({type(error).__name__})"
    except requests.RequestException as error:
        return f"failed ({type(error).__name__})"
    finally:
        session.close()


def broken(places: list[Place], timeout: float = 20, workers: int = 8) -> list[tuple[Place, str]]:
    urls = sorted({p.url for p in places})
    allowed = allowed_hosts()  # OFFLINE_FETCH_HOSTS, as for `make offline`
    with ThreadPoolExecutor(max_workers=workers) as pool:
        status = dict(zip(urls, pool.map(lambda url: check(url, timeout, allowed), urls)))
    return [(place, status[place.url]) for place in places if status[place.url]]


def main(root: Path, timeout: float = 20, workers: int = 8) -> int:
    places = sources(root)
    found = broken(places, timeout, workers)
    for place, status in found:
        print(f"{place.file}:{place.line}: {place.url}: {status}")
    count = len({place.url for place, _ in found})
    checked = len({place.url for place in places})
    print(f"\n{checked} external addresses checked; {count} broken"
          f"{' (listed above, where each is written)' if count else ''}.", file=sys.stderr)
    return 1 if found else 0
