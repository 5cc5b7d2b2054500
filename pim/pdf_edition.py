"""`make pdf`: the print editions, two PDFs per language, printed by Chromium.

- dist/pim-guide-<lang>.pdf: the guide as a book (pim/pdf_book.py, overrides/print/book.html):
  cover, contents with page numbers, the guidance pages in the navigation's order, the catalog,
  the stakeholders; running headers and page numbers in the page margins (named pages).
- dist/pim-quick-reference-<lang>.pdf: the /quick-reference/ page of the built site, printed:
  one A3 landscape sheet (its print CSS, docs/stylesheets/extra.css).

The book is printed twice: the first printing gives the page of every heading (Chromium writes
a named destination for each link target), the second fills them into the contents; the column
of page numbers has a fixed width, so nothing moves. Bookmarks (to where Chromium put each
heading; its own outline reverses the words of Arabic headings), /Lang and the metadata are
appended as an incremental update, and dates and the file identifier are made fixed, so one
commit always gives the same bytes (SOURCE_DATE_EPOCH, as `make offline`). Fonts: Noto Sans,
Noto Sans Arabic and DejaVu Sans from npm (@fontsource, package-lock.json), embedded by Chromium.
benchmarks/README.md ("Print editions") says more.

    python -m pim.pdf_edition [--root .] [--dist dist] [--site-dir SITE] [--languages en ar]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import jinja2
import yaml
from markupsafe import Markup

from .dates import format_day
from .load import load_catalog
from .offline_zip import human_size, source_date_epoch
from .pdf_book import Book, make_book, read_config
from .pdf_book import languages as config_languages
from .problems import report

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
FONT_FAMILY = "PIM Sans"
# (npm package, subset, weights) of each font face. DejaVu Sans first, for what Noto Sans lacks
# (arrows, symbols): where faces overlap, the one declared last wins, so letters and digits come
# from Noto, and no character is left to a font of the machine that prints.
FONT_SUBSETS = (("@fontsource/dejavu-sans", "latin", (400, 700)),
                ("@fontsource/noto-sans", "latin", (400, 700)), ("@fontsource/noto-sans", "latin-ext", (400, 700)),
                ("@fontsource/noto-sans-arabic", "arabic", (400, 700)))
FACE = re.compile(r"/\* (?P<name>[\w-]+) \*/\s*@font-face\s*\{(?P<body>[^}]*)\}")
ALL = "U+0-10FFFF"  # a face with no unicode-range covers every character
GUIDE = "pim-guide-{}.pdf"
CARD = "pim-quick-reference-{}.pdf"


class Stop(Exception):
    """What to tell the user; nothing is written."""


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not (os.path.isfile(path) and os.access(path, os.X_OK)):
        raise Stop(f"No Chromium at {path}: the PDFs are printed with it. Install it with\n"
                   "    sudo apt-get install -y chromium\nor set CHROMIUM=/path/to/chromium.")
    return path


def font_faces(root: Path) -> list[dict]:
    """The pinned fonts' faces: family, file URI, weight, unicode-range."""
    faces = []
    for package, subset, weights in FONT_SUBSETS:
        for weight in weights:
            css = root / "node_modules" / package / f"{weight}.css"
            if not css.is_file():
                raise Stop(f"The fonts for the PDFs are missing ({css.relative_to(root)}): run `npm ci` "
                           "(it needs Node.js and npm: sudo apt-get install -y nodejs npm).")
            name = f"{package.split('/')[1]}-{subset}-{weight}-normal"
            match = next((m for m in FACE.finditer(css.read_text(encoding="utf-8")) if m.group("name") == name), None)
            if match is None:
                raise Stop(f"{css.relative_to(root)} has no face {name}: package.json pins another version?")
            body = match.group("body")
            file = re.search(r"url\(\./files/([^)]+\.woff2)\)", body).group(1)
            ranges = re.search(r"unicode-range:\s*([^;]+);", body)
            faces.append({"family": FONT_FAMILY, "weight": weight, "uri": (css.parent / "files" / file).as_uri(),
                          "range": ranges.group(1) if ranges else ALL})
    return faces


def font_css(faces: list[dict]) -> str:
    return "".join(f'@font-face{{font-family:"{f["family"]}";src:url("{f["uri"]}") format("woff2");'
                   f'font-weight:{f["weight"]};unicode-range:{f["range"]};}}' for f in faces)


def css_string(text: str) -> str:
    """A CSS string literal, safe in a <style> element as it is: nothing in it can end the string
    or the element (quotes, backslashes, < and > are escaped)."""
    def escape(char: str) -> str:
        return f"\\{ord(char):x} " if char in '"\\<>' or ord(char) < 0x20 else char
    return Markup('"' + "".join(escape(char) for char in " ".join(str(text).split())) + '"')


def template_env(root: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(root / "overrides"), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters["css_string"] = css_string
    return env


def interface_text(root: Path, language: str):
    with open(root / "translations.yml", encoding="utf-8") as stream:
        table = yaml.load(stream, Loader=yaml.CSafeLoader) or {}
    return lambda text: (table.get(text) or {}).get(language) or text


def build_site(root: Path, site_dir: Path) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site_dir)]
    result = subprocess.run(command, cwd=root, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise Stop(f"The site did not build:\n{result.stderr[-4000:]}")


def pdf_date(epoch: int) -> str:
    return datetime.fromtimestamp(epoch, tz=timezone.utc).strftime("D:%Y%m%d%H%M%S+00'00'")


def destinations(pdf: bytes) -> dict[str, int]:
    """Each named destination (an id that a link points to) -> its page, from 1."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf))
    return {str(name).lstrip("/"): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


NODE_ID = re.compile(rb"\(node(\d{8})\)")


def stable_node_ids(pdf: bytes) -> bytes:
    """Chromium names table cells in the tags (/ID, /Headers) after its DOM node numbers, which
    depend on what the browser printed before. Numbered again in their order, with the same width
    (nothing moves, the cross-reference table stays right, the ID tree stays sorted)."""
    numbers = sorted({int(match) for match in NODE_ID.findall(pdf)})
    new = {number: index for index, number in enumerate(numbers, start=1)}
    return NODE_ID.sub(lambda match: b"(node%08d)" % new[int(match.group(1))], pdf)


CHROMIUM_DATE = re.compile(rb"/(CreationDate|ModDate) \((D:[^)]*)\)")


def fixed_dates(pdf: bytes, epoch: int) -> bytes:
    """Chromium's dates made the edition's, at the same length (nothing moves)."""
    stamp = pdf_date(epoch).encode()

    def date(match: re.Match) -> bytes:
        value = match.group(2)
        return b"/%s (%s)" % (match.group(1), stamp if len(stamp) == len(value) else re.sub(rb"\d", b"0", value))
    return CHROMIUM_DATE.sub(date, pdf)


def _serialise(value) -> bytes:
    stream = BytesIO()
    value.write_to_stream(stream)
    return stream.getvalue()


def finish(pdf: bytes, *, title: str, subject: str, language: str, rtl: bool, epoch: int,
           outline: list[tuple[str, str, int]] = ()) -> bytes:
    """Metadata, /Lang, bookmarks ((title, the heading's anchor, level)), fixed dates and /ID.

    Chromium's file is kept as it is, with its varying parts made fixed (the same length, so
    nothing moves), and what changes is appended as an incremental update (PDF 1.7, 7.5.6):
    pypdf reading and rewriting a whole tagged book took as long as printing it. pypdf reads the
    catalog and the destinations and writes each object; this function only lays them out."""
    from pypdf import PdfReader
    from pypdf.generic import (ArrayObject, BooleanObject, DictionaryObject, IndirectObject, NameObject,
                               NullObject, NumberObject, TextStringObject)

    base = fixed_dates(stable_node_ids(pdf), epoch)
    reader = PdfReader(BytesIO(base))
    catalog_ref = reader.trailer.raw_get("/Root")
    catalog = DictionaryObject(reader.trailer["/Root"])
    next_number = int(reader.trailer["/Size"])
    objects: dict[int, object] = {}

    def new(value) -> IndirectObject:
        nonlocal next_number
        reference = IndirectObject(next_number, 0, None)
        objects[next_number] = value
        next_number += 1
        return reference

    named = reader.named_destinations
    marks = [(text, named["/" + anchor] if "/" + anchor in named else named.get(anchor), level)
             for text, anchor, level in outline]
    marks = [(text, dest, level) for text, dest, level in marks if dest is not None]
    if marks:
        root_ref = new(None)
        tops: list[tuple[IndirectObject, DictionaryObject]] = []
        for text, dest, level in marks:
            item = DictionaryObject({
                NameObject("/Title"): TextStringObject(text),
                NameObject("/Dest"): ArrayObject([dest.raw_get("/Page"), NameObject("/XYZ"), NullObject(),
                                                  NumberObject(int(dest.top or 0)), NullObject()]),
            })
            reference = new(item)
            if level == 1 or not tops:
                item[NameObject("/Parent")] = root_ref
                if tops:
                    tops[-1][1][NameObject("/Next")] = reference
                    item[NameObject("/Prev")] = tops[-1][0]
                tops.append((reference, item))
            else:
                parent_ref, parent = tops[-1]
                item[NameObject("/Parent")] = parent_ref
                if "/Last" in parent:
                    last = parent.raw_get("/Last")  # our own objects: not resolved through a file
                    objects[last.idnum][NameObject("/Next")] = reference
                    item[NameObject("/Prev")] = last
                else:
                    parent[NameObject("/First")] = reference
                parent[NameObject("/Last")] = reference
                # Closed: the contents show the sections; a section opens to its headings.
                parent[NameObject("/Count")] = NumberObject(int(parent.get("/Count", 0)) - 1)
        objects[root_ref.idnum] = DictionaryObject({
            NameObject("/Type"): NameObject("/Outlines"), NameObject("/First"): tops[0][0],
            NameObject("/Last"): tops[-1][0], NameObject("/Count"): NumberObject(len(tops))})
        catalog[NameObject("/Outlines")] = root_ref
        catalog[NameObject("/PageMode")] = NameObject("/UseOutlines")
    catalog[NameObject("/Lang")] = TextStringObject(language)
    preferences = DictionaryObject({NameObject("/DisplayDocTitle"): BooleanObject(True)})
    if rtl:
        preferences[NameObject("/Direction")] = NameObject("/R2L")
    catalog[NameObject("/ViewerPreferences")] = preferences
    stamp = pdf_date(epoch)
    metadata = {"/Title": title, "/Subject": subject, "/Author": "PIM community",
                "/Creator": "PIM site, python -m pim.pdf_edition", "/Producer": "Chromium and pypdf",
                "/CreationDate": stamp, "/ModDate": stamp}
    info_ref = new(DictionaryObject({NameObject(key): TextStringObject(value) for key, value in metadata.items()}))
    objects[catalog_ref.idnum] = catalog
    # The file identifier from the content, not at random: the same input gives the same file.
    digest = hashlib.sha256(base + repr((metadata, language, rtl, list(outline))).encode()).hexdigest()[:32]
    previous = int(re.findall(rb"startxref\s+(\d+)", base)[-1])
    update = bytearray(b"\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(base) + len(update)
        update += b"%d 0 obj\n" % number + _serialise(objects[number]) + b"\nendobj\n"
    xref = len(base) + len(update)
    update += b"xref\n0 1\n0000000000 65535 f \n"
    for number in sorted(objects):
        update += b"%d 1\n%010d 00000 n \n" % (number, offsets[number])
    update += (b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /Prev %d /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
               % (next_number, catalog_ref.idnum, info_ref.idnum, previous, digest.encode(), digest.encode(), xref))
    return base + bytes(update)


class Printer:
    """One Chromium for every PDF of a run."""

    def __init__(self, executable: str):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        self.page = self._browser.new_page()

    def print(self, url: str, style: str = "") -> bytes:
        self.page.goto(url, wait_until="load")
        if style:
            self.page.add_style_tag(content=style)
        self.page.evaluate("document.fonts.ready.then(() => true)")
        return self.print_again()

    def print_again(self) -> bytes:
        """The page as it is now (after a change made in it)."""
        return self.page.pdf(prefer_css_page_size=True, print_background=True, tagged=True, outline=False)

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()


def render_book(env: jinja2.Environment, book: Book, t, faces: list[dict], pages: dict | None = None) -> str:
    """overrides/print/book.html for one language; like the site's templates, it reaches the
    interface text as `pim.t()`."""
    pim = SimpleNamespace(t=t, language=book.language)
    return env.get_template("print/book.html").render(book=book, pim=pim, fonts=faces, pages=pages or {})


# Fills the contents' page numbers into the printed page, so the second printing needs no new
# page load: the same fonts and layout, only the numbers change.
FILL_PAGE_NUMBERS = """pages => document.querySelectorAll('.pim-toc__page[data-anchor]')
    .forEach(span => { span.textContent = pages[span.dataset.anchor] || 0; })"""


def print_book(printer: Printer, env: jinja2.Environment, book: Book, faces: list[dict], t,
               work: Path) -> tuple[bytes, dict[str, int]]:
    """The book and the page of each heading: printed until the contents' numbers are the pages
    their headings land on (twice, unless filling them in moved something)."""
    html = work / f"book-{book.language}.html"
    html.write_text(render_book(env, book, t, faces), encoding="utf-8")
    pdf = printer.print(html.as_uri())
    pages: dict[str, int] = {}
    anchors = [heading.anchor for heading in book.headings]
    for _ in range(4):
        found = destinations(pdf)
        landed = {anchor: found[anchor] for anchor in anchors if anchor in found}
        if landed == pages:
            return pdf, pages
        pages = landed
        printer.page.evaluate(FILL_PAGE_NUMBERS, pages)
        pdf = printer.print_again()
    raise Stop(f"{book.language}: the contents' page numbers did not settle after four printings.")


def card_style(faces: list[dict]) -> str:
    return font_css(faces) + f'.pim-card,.pim-card *{{font-family:"{FONT_FAMILY}",sans-serif !important}}'


def make_language(printer, env, root, site_dir, config, catalog, language, faces, epoch, dist, work) -> list[Path]:
    code = language["locale"]
    t = interface_text(root, code)
    day = datetime.fromtimestamp(epoch, tz=timezone.utc).date().isoformat()
    book = make_book(site_dir, config, catalog, language, t, day, format_day(day, code))
    pdf, pages = print_book(printer, env, book, faces, t, work)
    outline = [(heading.text, heading.anchor, heading.level) for heading in book.headings]
    guide = dist / GUIDE.format(code)
    guide.write_bytes(finish(pdf, title=f"{book.site_name}: {t('Guide')}", language=code, rtl=book.rtl, epoch=epoch,
                             subject=t("The guide: guidance, catalog and stakeholders"), outline=outline))
    prefix = "" if language.get("default") else f"{code}/"
    page = site_dir / prefix / "quick-reference" / "index.html"
    if not page.is_file():
        raise Stop(f"{page} is missing: the site has no quick-reference page.")
    card = dist / CARD.format(code)
    title = t("Principles, Matrix and Process: quick reference")
    card.write_bytes(finish(printer.print(page.as_uri(), card_style(faces)), title=title, subject=title,
                            language=code, rtl=book.rtl, epoch=epoch))
    return [guide, card]


def describe(path: Path) -> dict:
    """What the download page shows of a PDF: its name, pages and size."""
    stat = path.stat()
    return _describe(str(path), stat.st_size, stat.st_mtime_ns)


@lru_cache(maxsize=64)  # each language's build asks again for the same files
def _describe(path: str, size: int, mtime: int) -> dict:
    from pypdf import PdfReader

    return {"name": Path(path).name, "pages": len(PdfReader(path).pages), "size_bytes": size, "size": human_size(size)}


def published_pdfs(dist: Path, reader: str, languages: list[str], native: dict[str, str], t) -> list[dict]:
    """The PDFs `make pdf` left in dist/, for the download page: the reader's language first, each
    language's guide then card; with describe()'s fields, `language`, `kind` (guide, card), `label`
    (in the reader's language, by `t`), `href` on the site and `path`."""
    order = sorted(languages, key=lambda code: code != reader)
    labels = {"guide": "{language}: the guide as a book", "card": "{language}: quick reference, one A3 sheet"}
    found = []
    for code in order:
        for kind, pattern in (("guide", GUIDE), ("card", CARD)):
            path = dist / pattern.format(code)
            if path.is_file():
                found.append({**describe(path), "language": code, "kind": kind, "href": f"download/{path.name}",
                              "path": str(path), "label": t(labels[kind]).format(language=native.get(code, code))})
    return found


def run(root: Path, dist: Path, site_dir: Path | None, only: list[str] | None) -> list[Path]:
    executable = chromium_path()
    faces = font_faces(root)
    catalog, problems = load_catalog(root)
    if problems or catalog is None:
        raise Stop(report(problems))
    config = read_config(root)
    chosen = [entry for entry in config_languages(config) if not only or entry["locale"] in only]
    epoch = source_date_epoch()
    dist.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="pim-pdf-") as temporary:
        work = Path(temporary)
        if site_dir is None or not (site_dir / "index.html").is_file():
            site_dir = site_dir or work / "site"
            build_site(root, site_dir)
        printer = Printer(executable)
        try:
            env = template_env(root)
            for language in chosen:
                written += make_language(printer, env, root, site_dir, config, catalog, language, faces,
                                         epoch, dist, work)
        finally:
            printer.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pim.pdf_edition", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository folder")
    parser.add_argument("--dist", type=Path, default=None, help="where the PDFs go (default dist/)")
    parser.add_argument("--site-dir", type=Path, default=None,
                        help="a site built from this commit to print from (default: build one)")
    parser.add_argument("--languages", nargs="*", default=None, help="only these languages")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    dist = (args.dist or root / "dist").resolve()
    started = time.monotonic()
    try:
        written = run(root, dist, args.site_dir.resolve() if args.site_dir else None, args.languages)
    except Stop as stop:
        print(f"make pdf: {stop}", file=sys.stderr)
        return 1
    for path in written:
        info = describe(path)
        print(f"{path}: {info['pages']} pages, {info['size']} ({info['size_bytes']:,} bytes)")
    print(f"{len(written)} PDFs in {time.monotonic() - started:.1f} s.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
