"""The documents of the offline edition: which product files to fetch, where each one goes in the
edition, and what could not be fetched.

A product file given by `url` (http or https) is fetched unless its format is "Web page"; it is
saved as `files/<product id>/<language>/<name>`, the name made from its label (or, failing that,
its address): lowercase ASCII words, never the server's path. Failures do not stop the build; a
checksum that does not match does.
"""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from .fetch import Downloader, Outcome
from .model import DATA_LANGUAGE, Catalog, EditionFile, Product
from .problems import Problem
from .scaffold import slugify

FILES_DIR = "files"
WEB_PAGE_FORMATS = {"web page", "webpage", "website", "web site", "html"}
MAX_NAME = 60
# File types known by their extension, and the extension a format name implies.
EXTENSIONS = {".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt", ".xls", ".xlsx", ".ods", ".csv", ".ppt", ".pptx",
              ".odp", ".zip", ".epub", ".png", ".jpg", ".jpeg", ".svg", ".mp3", ".mp4"}
FORMAT_EXTENSIONS = {"pdf": ".pdf", "word": ".docx", "docx": ".docx", "doc": ".doc", "excel": ".xlsx",
                     "xlsx": ".xlsx", "powerpoint": ".pptx", "pptx": ".pptx", "csv": ".csv", "zip": ".zip",
                     "epub": ".epub", "text": ".txt", "odt": ".odt"}
TYPE_EXTENSIONS = {"application/pdf": ".pdf", "application/msword": ".doc",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
                   "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
                   "application/zip": ".zip", "text/csv": ".csv", "text/plain": ".txt"}
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@dataclass
class Job:
    """One product file to fetch into the edition."""

    product: Product
    edition: int
    index: int
    file: EditionFile
    language: str
    dest: str = ""  # files/<product>/<language>/<name>

    @property
    def where(self) -> str:
        return f"{self.product.source}:{self.file.line}"


@dataclass
class Documents:
    """What the edition holds: the fetched documents, and the lines of the end-of-build summary."""

    saved: list[dict] = field(default_factory=list)  # {product, edition, index, language, path, size, url, cache}
    failures: list[str] = field(default_factory=list)
    mismatches: list[Problem] = field(default_factory=list)
    languages: dict[str, list[str]] = field(default_factory=dict)  # product id -> its editions' languages
    local: list[str] = field(default_factory=list)  # product files kept with the site (`path`, relative to docs/)

    def write(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = asdict(self)
        data["mismatches"] = [str(p) for p in self.mismatches]
        path.write_text(json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")

    @classmethod
    def read(cls, path: Path) -> "Documents":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(data["saved"], data["failures"], [], data["languages"], data.get("local", []))


def is_web_page(file: EditionFile) -> bool:
    return file.format.strip().casefold() in WEB_PAGE_FORMATS


def fetchable(file: EditionFile) -> bool:
    return bool(file.url) and urlsplit(file.url).scheme in ("http", "https") and not is_web_page(file)


def extension(file: EditionFile, content_type: str = "") -> str:
    suffix = PurePosixPath(unquote(urlsplit(file.url or "").path)).suffix.lower()
    if suffix in EXTENSIONS:
        return suffix
    fmt = re.sub(r"[^a-z]", "", file.format.casefold())
    for key, value in FORMAT_EXTENSIONS.items():
        if fmt.startswith(key):
            return value
    return TYPE_EXTENSIONS.get(content_type, ".bin")


def safe_stem(file: EditionFile) -> str:
    """A file name without extension from the label, else from the address; never with `..`,
    slashes or characters some systems refuse."""
    stem = slugify(file.label)[:MAX_NAME].strip("-")
    if not stem and file.url:
        last = PurePosixPath(unquote(urlsplit(file.url).path)).name
        stem = slugify(PurePosixPath(last).stem)[:MAX_NAME].strip("-")
    stem = stem or "document"
    return f"{stem}-file" if stem in WINDOWS_RESERVED else stem


def plan(catalog: Catalog) -> list[Job]:
    """Every file to fetch, in catalog order, each with a name unique within its folder."""
    jobs = []
    for product in sorted(catalog.products, key=lambda p: p.id):
        taken: set[str] = set()
        for e, edition in enumerate(product.editions):
            for i, file in enumerate(edition.files):
                if not fetchable(file):
                    continue
                stem, suffix = safe_stem(file), extension(file)
                name, n = f"{stem}{suffix}", 1
                while f"{edition.language}/{name}" in taken:
                    n += 1
                    name = f"{stem}-{n}{suffix}"
                taken.add(f"{edition.language}/{name}")
                jobs.append(Job(product, e, i, file, edition.language,
                                f"{FILES_DIR}/{product.id}/{edition.language}/{name}"))
    return jobs


def gather(catalog: Catalog, downloader: Downloader, threads: int = 8) -> Documents:
    """Fetch every planned file (from the cache when it is there), check checksums and the total
    budget, and say where each saved document goes. Sets `offline_path` on the catalog's files."""
    documents = Documents(languages={p.id: p.languages for p in catalog.products},
                          local=sorted({f.path for p in catalog.products for e in p.editions for f in e.files if f.path}))
    jobs = plan(catalog)
    urls = sorted({job.file.url for job in jobs})  # type: ignore[misc]
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        outcomes: dict[str, Outcome] = dict(zip(urls, pool.map(downloader.get, urls)))
    total = 0
    taken = {job.dest for job in jobs}
    for job in jobs:
        outcome, file = outcomes[job.file.url], job.file  # type: ignore[index]
        if outcome.ok and file.sha256 and outcome.sha256 != file.sha256:
            documents.mismatches.append(Problem(
                job.product.source, file.sha256_line or file.line, f"editions[{job.edition}].files[{job.index}].sha256",
                f"expected {file.sha256} got {outcome.sha256} (from {file.url}); check the file, then correct "
                "the checksum or the address"))
            continue
        if outcome.ok and total + outcome.size > downloader.limits.max_total_bytes:
            outcome = Outcome(outcome.url, "failed", f"over the total budget of {downloader.limits.max_total_bytes / 1e6:g} MB "
                                                     "for all documents (max_total_mb in mkdocs-offline.yml)")
        if not outcome.ok:
            documents.failures.append(f"{job.where}: {file.url}: {outcome.reason}")
            continue
        total += outcome.size
        dest = job.dest
        if PurePosixPath(dest).suffix == ".bin":  # the address and format said nothing: ask the answer
            better = dest[:-4] + extension(file, outcome.content_type)
            dest = dest if better in taken else better
        taken.add(dest)
        file.offline_path, file.offline_size = dest, outcome.size
        documents.saved.append({
            "product": job.product.id, "edition": job.edition, "index": job.index, "language": job.language,
            "path": dest, "size": outcome.size, "url": file.url,
            "cache": str(downloader.cache.data_path(outcome.url)),
        })
    return documents


def apply(catalog: Catalog, documents: Documents) -> None:
    """Give the catalog's files their place in the edition (the offline build, from the manifest)."""
    for saved in documents.saved:
        try:
            product = catalog.product(saved["product"])
            file = product.editions[saved["edition"]].files[saved["index"]]
        except (KeyError, IndexError):
            continue
        if file.url == saved["url"]:
            file.offline_path, file.offline_size = saved["path"], saved["size"]


def for_language(documents: Documents, language: str) -> set[str]:
    """The documents of one language's edition: those in the language, the English ones of
    products with no edition in it, and the product files kept with the site (every language's
    product page links them)."""
    chosen = set(documents.local)
    for saved in documents.saved:
        languages = documents.languages.get(saved["product"], [])
        if saved["language"] == language or (saved["language"] == DATA_LANGUAGE and language not in languages):
            chosen.add(saved["path"])
    return chosen
