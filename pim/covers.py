"""Document covers: the first page of a product's first file, when that file is a PDF that
`make offline` fetched into its cache (.cache/downloads/, pim/fetch.py), as a small WebP.

Nothing here asks a server: a product whose PDF is not in the cache has no cover. Each cover is
named by the document's sha256 and kept in .cache/covers/, so an unchanged document is not
rendered again. Contributed PDFs are untrusted: each is rendered in a process of its own
(`python -m pim.covers render ...`), first page only, with a time limit, a memory limit and a
bounded pixel count; whatever goes wrong becomes a warning naming the product file, and the
product gets no cover (its page shows the typographic placeholder).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .fetch import CACHE_DIR, Cache
from .model import Catalog, Product

COVERS_DIR = "covers"  # in the site: covers/<sha256>.webp and covers/<sha256>-2x.webp
CACHE = Path(".cache") / "covers"
WIDTH = 240  # CSS pixels; the 2x file has twice as many
MAX_BYTES = 20_000  # per file
MAX_RATIO = 1.6  # height / width: a taller page is cut at the bottom
MAX_PIXELS = (2 * WIDTH) * int(2 * WIDTH * MAX_RATIO) + 1  # what the 2x rendering can reach
TIMEOUT = 20.0  # seconds per document, unless mkdocs.yml says otherwise (extra: cover_render_seconds)
MEMORY = 1 << 30  # bytes of address space the renderer may use
RENDERER = 1  # bump to render every cover again (a change of size or quality)
QUALITIES = (80, 70, 60, 50, 40, 30, 20, 10)


@dataclass(frozen=True)
class Cover:
    sha256: str  # of the document
    width: int
    height: int

    @property
    def path(self) -> str:
        return f"{COVERS_DIR}/{self.sha256}.webp"

    @property
    def path_2x(self) -> str:
        return f"{COVERS_DIR}/{self.sha256}-2x.webp"


@dataclass(frozen=True)
class Source:
    """A product's first file, fetched and a PDF: where its bytes are."""

    product: Product
    where: str  # products/<id>.md:LINE, for messages
    url: str
    sha256: str
    data: Path


def first_pdf(product: Product, downloads: Cache) -> Source | None:
    """The product's first file, if it is a PDF in the download cache."""
    if not product.editions or not product.editions[0].files:
        return None
    file = product.editions[0].files[0]
    if not file.url:
        return None
    outcome = downloads.get(file.url)  # the cache only: never a request
    if outcome is None or not outcome.ok:
        return None
    data = downloads.data_path(file.url)
    try:
        with data.open("rb") as handle:
            if not handle.read(1024).lstrip().startswith(b"%PDF-"):
                return None
    except OSError:
        return None
    if not re.fullmatch(r"[0-9a-f]{64}", outcome.sha256 or ""):
        return None
    return Source(product, f"{product.source}:{file.line}", file.url, outcome.sha256, data)


def _record(folder: Path, sha256: str) -> dict | None:
    try:
        record = json.loads((folder / f"{sha256}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if record.get("renderer") != RENDERER:
        return None
    if "failed" not in record and not all((folder / name).is_file() for name in (f"{sha256}.webp", f"{sha256}-2x.webp")):
        return None
    return record


def _limit_memory() -> None:  # in the renderer's process, before it opens the document
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    except (ImportError, ValueError, OSError):
        pass


def _render_in_process(source: Source, folder: Path, timeout: float = TIMEOUT) -> dict:
    """Render one cover in a process of its own; its record ({"width", "height"} or {"failed"})."""
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pim.covers", "render", str(source.data), str(folder), source.sha256]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"failed": f"its first page took more than {timeout:g} s to render (cover_render_seconds)"}
    if result.returncode != 0:
        reason = (result.stderr.strip().splitlines() or ["the renderer stopped"])[-1]
        return {"failed": f"its first page could not be rendered ({reason[:200].rstrip('.')})"}
    try:
        return json.loads(result.stdout)
    except ValueError:
        return {"failed": "the renderer gave no answer"}


def covers(catalog: Catalog, root: Path, warn, threads: int = 2, timeout: float = TIMEOUT) -> dict[str, Cover]:
    """product id -> Cover, for every product whose first file is a fetched PDF. New covers
    are rendered into .cache/covers/; a failure calls `warn(message)` and gives no cover."""
    downloads, folder = Cache(root / CACHE_DIR), root / CACHE
    sources = [s for p in catalog.products if (s := first_pdf(p, downloads)) is not None]
    records = {s.sha256: _record(folder, s.sha256) for s in sources}
    todo = sorted({s.sha256: s for s in sources if records[s.sha256] is None}.values(), key=lambda s: s.sha256)
    with ThreadPoolExecutor(max_workers=max(1, threads)) as pool:
        for source, record in zip(todo, pool.map(lambda s: _render_in_process(s, folder, timeout), todo)):
            record = {**record, "renderer": RENDERER}
            (folder / f"{source.sha256}.json").write_text(json.dumps(record), encoding="utf-8")
            records[source.sha256] = record
    found = {}
    for source in sources:
        record = records[source.sha256] or {}
        if "failed" in record:
            warn(f"{source.where}: no cover for {source.url}: {record['failed']}; the page shows a placeholder")
        else:
            found[source.product.id] = Cover(source.sha256, record["width"], record["height"])
    return found


def cover_files(found: dict[str, Cover], root: Path) -> dict[str, Path]:
    """Site path -> cached file, for every cover found."""
    folder = root / CACHE
    files = {}
    for cover in found.values():
        files[cover.path] = folder / f"{cover.sha256}.webp"
        files[cover.path_2x] = folder / f"{cover.sha256}-2x.webp"
    return files


# -- The renderer, run in its own process --------------------------------------------------------

def _webp(image, limit: int = MAX_BYTES) -> bytes:
    """The image as WebP, at the best quality that fits the limit."""
    for quality in QUALITIES:
        out = io.BytesIO()
        image.save(out, "WEBP", quality=quality, method=6)
        if out.tell() <= limit:
            return out.getvalue()
    raise ValueError(f"the cover is over {limit} bytes even at quality {QUALITIES[-1]}")


def render(pdf: Path, folder: Path, sha256: str) -> dict:
    """The first page of `pdf` as `<sha256>.webp` (WIDTH px wide) and `<sha256>-2x.webp`."""
    import pypdfium2 as pdfium
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    document = pdfium.PdfDocument(str(pdf))
    try:
        if len(document) < 1:
            raise ValueError("the document has no page")
        page = document[0]
        width, height = page.get_size()
        if not (width > 1 and height > 1):
            raise ValueError(f"its first page has no size ({width} x {height} points)")
        cut = max(0.0, height - width * MAX_RATIO)  # points cut from the bottom of a tall page
        sizes = {}
        for factor, name in ((1, f"{sha256}.webp"), (2, f"{sha256}-2x.webp")):
            scale = WIDTH * factor / width
            if width * scale * (height - cut) * scale > MAX_PIXELS:
                raise ValueError("its first page is too large")
            bitmap = page.render(scale=scale, crop=(0, cut, 0, 0), may_draw_forms=False)
            image = bitmap.to_pil().convert("RGB")
            (folder / name).write_bytes(_webp(image))
            sizes[factor] = image.size
        page.close()
    finally:
        document.close()
    return {"width": sizes[1][0], "height": sizes[1][1]}


def main(argv: list[str]) -> int:
    if len(argv) != 4 or argv[0] != "render":
        print("usage: python -m pim.covers render PDF FOLDER SHA256", file=sys.stderr)
        return 2
    _limit_memory()  # here, not through preexec_fn, which is unsafe with the threads that start us
    try:
        record = render(Path(argv[1]), Path(argv[2]), argv[3])
    except Exception as error:  # an untrusted document: any failure is that document's  # noqa: BLE001
        print(f"{type(error).__name__}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
