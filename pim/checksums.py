"""`make checksums`: fetch each product file that has no `sha256` yet and write its checksum into
the product file, touching nothing else in it.

The edit is made in the text, at the place the YAML parser's marks give: a new `sha256:` line
under a block entry (same indentation as its keys), or `, sha256: …` before the `}` of a flow
entry ({label: …, url: …}). Comments, quoting, order and line endings stay as they are.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .atomicfile import write_atomically
from .documents import fetchable
from .fetch import CACHE_DIR, Cache, Downloader, Limits, read_sizes
from .load import load_catalog
from .problems import report
from .yamlfile import _FRONT_MATTER


@dataclass(frozen=True)
class Insertion:
    edition: int
    index: int
    sha256: str


def _value(mapping: yaml.MappingNode, key: str):
    return next((value for k, value in mapping.value if k.value == key), None)


def add_checksums(text: str, insertions: list[Insertion]) -> str:
    """`text` (a whole product file) with each checksum written into its file entry."""
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    crlf = "\r\n" in text
    body = text[len(bom):].replace("\r\n", "\n") if crlf else text[len(bom):]
    match = _FRONT_MATTER.match(body)
    if not match or match.group(1) is None:
        raise ValueError("no front matter")
    start = match.start(1)
    # The pure-Python parser: its marks count characters, which is what str offsets need.
    root = yaml.compose(match.group(1), Loader=yaml.SafeLoader)
    edits: list[tuple[int, str]] = []  # (offset in body, text to insert)
    lines_from = [0]
    for line in body.splitlines(keepends=True):
        lines_from.append(lines_from[-1] + len(line))
    for insertion in insertions:
        editions = _value(root, "editions")
        entry = _value(editions.value[insertion.edition], "files").value[insertion.index]
        if entry.flow_style:
            close = start + entry.end_mark.index - 1  # the '}'
            at = close
            while body[at - 1] in " \t\n":
                at -= 1
            edits.append((at, f", sha256: {insertion.sha256}"))
        else:
            indent = entry.value[0][0].start_mark.column
            last = entry.value[-1][1].end_mark
            line = match.group(1).count("\n", 0, last.index) + (0 if last.column == 0 else 1)
            line += body.count("\n", 0, start)
            edits.append((lines_from[line], f"{' ' * indent}sha256: {insertion.sha256}\n"))
    for offset, addition in sorted(edits, reverse=True):
        body = body[:offset] + addition + body[offset:]
    return bom + (body.replace("\n", "\r\n") if crlf else body)


def main(argv: list[str] | None = None) -> int:
    root = Path(argv[0] if argv else ".").resolve()
    catalog, problems = load_catalog(root)
    if problems or catalog is None:
        print(report(problems), file=sys.stderr)
        return 1
    try:
        downloader = Downloader(Cache(root / CACHE_DIR), Limits.from_environment(sizes=read_sizes(root)))
    except ValueError as error:
        print(f"make checksums: {error}.", file=sys.stderr)
        return 2
    written = failed = 0
    for product in sorted(catalog.products, key=lambda p: p.source):
        insertions, notes = [], []
        for e, edition in enumerate(product.editions):
            for i, file in enumerate(edition.files):
                if file.sha256 or not fetchable(file):
                    continue
                outcome = downloader.get(file.url)  # type: ignore[arg-type]
                if outcome.ok:
                    insertions.append(Insertion(e, i, outcome.sha256))
                    notes.append(f"{product.source}:{file.line}: editions[{e}].files[{i}].sha256: {outcome.sha256}")
                else:
                    failed += 1
                    print(f"{product.source}:{file.line}: {file.url}: {outcome.reason}")
        if insertions:
            path = root / product.source
            text = path.read_bytes().decode("utf-8")
            try:  # through a temporary file: an error (a full disk) leaves the product file as it was
                write_atomically(path, add_checksums(text, insertions).encode("utf-8"))
            except OSError as error:
                print(f"{product.source}:1: could not be written ({error.strerror or error}); it is unchanged.",
                      file=sys.stderr)
                return 1
            written += len(insertions)
            print("\n".join(notes))
    print(f"{written} checksum{'s' if written != 1 else ''} written, {failed} file{'s' if failed != 1 else ''} "
          "could not be fetched.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
