"""Load and check every data file: vocabularies, stakeholders and products.

`load_catalog(root)` returns the catalog and the complete list of problems, so that one run
reports every mistake at once. A catalog with problems must not be published.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from . import checks, parallel
from .model import Catalog, Change, Edition, EditionFile, Product, Stakeholder, Term, Vocabulary
from .parallel import can_fork, second_process
from .problems import Problem, field_name
from .schema import check
from .yamlfile import Document, FrontMatterMissing, YAMLSyntaxError, parse_yaml, read_yaml_file, split_front_matter

VOCABULARY_FILE = "vocabularies.yml"
STAKEHOLDERS_FILE = "stakeholders.yml"
TRANSLATIONS_FILE = "translations.yml"
PRODUCTS_DIR = "products"
DOCS_DIR = "docs"
PRODUCT_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The web editor makes a folder when a name is typed with a trailing "/" (e.g. "x.md/").
IS_A_FOLDER = "is a folder, not a file; remove the folder and add the file."
# Far above what a real file takes (products: about 10 kB; translations.yml: about 35 kB), and
# low enough that reading one can never exhaust a build machine's memory.
MAX_PRODUCT_BYTES = 1_000_000
MAX_DATA_FILE_BYTES = 5_000_000


def _too_large(path: Path, limit: int) -> str | None:
    """What to tell about a file over `limit` bytes, or None (missing files are reported elsewhere)."""
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if size > limit and path.is_file():
        return f"is {size / 1e6:.1f} MB; a file here may be at most {limit / 1e6:g} MB."
    return None


def duplicate_keys(document: Document, file: str) -> list[Problem]:
    return [
        Problem(file, line, field_name(path), f"is given twice (first on line {first}); keep only one.")
        for path, first, line in document.duplicates
    ]


def _read(path: Path, file: str, problems: list[Problem], duplicates: bool = True) -> Document | None:
    if too_large := _too_large(path, MAX_DATA_FILE_BYTES):
        problems.append(Problem(file, 1, "file", too_large))
        return None
    try:
        document = read_yaml_file(path)
        if duplicates:
            problems.extend(duplicate_keys(document, file))
        return document
    except FileNotFoundError:
        problems.append(Problem(file, 1, "file", "this file is missing."))
    except IsADirectoryError:
        problems.append(Problem(file, 1, "file", IS_A_FOLDER))
    except UnicodeDecodeError:
        problems.append(Problem(file, 1, "file", "is not UTF-8 text; save it as UTF-8."))
    except YAMLSyntaxError as error:
        problems.append(Problem(file, error.line, "file", f"{error.message}, at column {error.column}."))
    return None


def load_vocabulary(root: Path, problems: list[Problem]) -> Vocabulary | None:
    document = _read(root / VOCABULARY_FILE, VOCABULARY_FILE, problems)
    if document is None:
        return None
    problems_before = len(problems)
    problems.extend(check("vocabularies", document, VOCABULARY_FILE))
    if len(problems) > problems_before:
        return None
    kinds = {}
    for kind in Vocabulary.KINDS:
        kinds[kind] = {
            entry["id"]: Term(entry["id"], entry["label"], entry.get("description", ""), entry.get("native", ""),
                              entry.get("labels", {}), entry.get("descriptions", {}))
            for entry in document.data[kind]
        }
    # Strings in the file (scalars stay text); the schema has checked they are whole numbers.
    kinds["review_every"] = {key: int(value) for key, value in (document.data.get("review_every") or {}).items()}
    vocabulary = Vocabulary(**kinds)
    problems.extend(checks.check_review_intervals(vocabulary, document))
    return vocabulary


def load_interface_text(root: Path, problems: list[Problem]) -> dict[str, dict[str, str]]:
    """translations.yml: {English text: {language: text}}, the templates' interface text. A project
    without one (a data-only test project) has none."""
    path = root / TRANSLATIONS_FILE
    if not path.exists():
        return {}
    # Duplicate texts are not reported (yet): the file has had one, "Editions", whose last
    # translations are the ones in use.
    document = _read(path, TRANSLATIONS_FILE, problems, duplicates=False)
    if document is None or document.data is None:
        return {}
    if not isinstance(document.data, dict):
        problems.append(Problem(TRANSLATIONS_FILE, document.first_line, "file",
                                "must hold English texts, each followed by its translations (text: {fr: …, es: …, ar: …})."))
        return {}
    return document.data


def load_stakeholders(root: Path, problems: list[Problem]) -> tuple[list[Stakeholder], Document | None]:
    document = _read(root / STAKEHOLDERS_FILE, STAKEHOLDERS_FILE, problems)
    if document is None:
        return [], None
    schema_problems = check("stakeholders", document, STAKEHOLDERS_FILE)
    problems.extend(schema_problems)
    stakeholders = []
    if isinstance(document.data, list):
        # Entries with schema errors still take part in the cross-file checks, so that one run
        # reports everything; only what the model cannot hold is left out.
        known = set(Stakeholder.__dataclass_fields__) - {"line"}
        for index, entry in enumerate(document.data):
            if isinstance(entry, dict) and all(isinstance(entry.get(k), str) for k in ("id", "name", "type")):
                fields = {k: v for k, v in entry.items() if k in known}
                stakeholders.append(Stakeholder(**fields, line=document.line_of((index,))))
    return stakeholders, document


def _edition(data: dict, sizes: dict[str, int], document: Document, index: int) -> Edition:
    files = []
    for j, f in enumerate(data.get("files") or []):
        where = ("editions", index, "files", j)
        files.append(EditionFile(f["label"], f["format"], f.get("url"), f.get("path"), sizes.get(f.get("path", "")),
                                 f.get("sha256"), document.line_of(where + ("url",)), document.line_of(where + ("sha256",))))
    return Edition(data["language"], data.get("title"), files)


def load_product(root: Path, path: Path, problems: list[Problem]) -> tuple[Product, Document] | None:
    file = path.relative_to(root).as_posix()
    product_id = path.stem
    if not PRODUCT_ID.match(product_id):
        problems.append(Problem(file, 1, "file", (
            f'the file name "{path.name}" is not a valid product id: use lowercase letters, digits and '
            f'dashes, e.g. "{re.sub(r"[^a-z0-9]+", "-", product_id.lower()).strip("-") or "my-product"}.md".'
        )))
        return None
    if too_large := _too_large(path, MAX_PRODUCT_BYTES):
        problems.append(Problem(file, 1, "file", too_large))
        return None
    try:
        text = path.read_text(encoding="utf-8")
        yaml_text, body, _ = split_front_matter(text)
        document = parse_yaml(yaml_text, line_offset=1)
    except IsADirectoryError:
        problems.append(Problem(file, 1, "file", IS_A_FOLDER))
        return None
    except UnicodeDecodeError:
        problems.append(Problem(file, 1, "file", "is not UTF-8 text; save it as UTF-8."))
        return None
    except FrontMatterMissing as error:
        problems.append(Problem(file, 1, "file", str(error) + "."))
        return None
    except YAMLSyntaxError as error:
        problems.append(Problem(file, error.line, "file", f"{error.message}, at column {error.column}."))
        return None
    if not isinstance(document.data, dict):
        problems.append(Problem(file, 2, "file", "the front matter between the '---' lines must be 'key: value' fields."))
        return None
    problems.extend(duplicate_keys(document, file))
    schema_problems = check("product", document, file)
    problems.extend(schema_problems)
    if schema_problems:
        return None
    data = document.data
    sizes = {}
    for edition in data["editions"]:
        for entry in edition.get("files") or []:
            local = entry.get("path")
            if local and checks.safe_local_path(local):
                target = root / DOCS_DIR / local
                if target.is_file():
                    sizes[local] = os.path.getsize(target)
    product = Product(
        id=product_id,
        title=data["title"],
        summary=data["summary"],
        type=data["type"],
        published=data["published"],
        producers=data["producers"],
        editions=[_edition(e, sizes, document, i) for i, e in enumerate(data["editions"])],
        body=body,
        categories=data.get("categories", []),
        principles=data.get("principles", []),
        process_steps=data.get("process_steps", []),
        updated=data.get("updated"),
        licence=data.get("licence"),
        tags=data.get("tags", []),
        aliases=data.get("aliases", []),
        featured=data.get("featured", False),
        source=file,
        translations=data.get("translations", {}),
        reviewed=data.get("reviewed"),
        review_every=int(data["review_every"]) if data.get("review_every") else None,
        changes=[Change(c["date"], c["note"], c.get("translations", {})) for c in data.get("changes") or []],
        lines={key: document.key_line((key,)) for key in data},
    )
    return product, document


def product_files(root: Path) -> list[Path]:
    folder = root / PRODUCTS_DIR
    if not folder.is_dir():
        return []
    # Markdown files only: product files may sit beside a README for contributors. A folder
    # named like a product is kept, so that load_product reports it.
    return sorted(p for p in folder.glob("*.md") if p.name.lower() != "readme.md")


def _load_products(root: Path, paths: list[Path], problems: list[Problem]) -> list[tuple[Product, Document]]:
    return [result for path in paths if (result := load_product(root, path, problems))]


MISSING = (None, None)


def file_stamp(path: Path) -> tuple:
    """A file's (size, modification time in ns), MISSING if it is not there: what says, between
    two readings, that a file changed (`make serve`)."""
    try:
        stat = path.stat()
        return (stat.st_size, stat.st_mtime_ns)
    except OSError:
        return MISSING


def _sizes_unchanged(root: Path, product: Product) -> bool:
    """The product's files under docs/ still have the sizes it was read with."""
    for edition in product.editions:
        for file in edition.files:
            if file.path and checks.safe_local_path(file.path):
                target = root / DOCS_DIR / file.path
                if (os.path.getsize(target) if target.is_file() else None) != file.size:
                    return False
    return True


def _load_products_kept(root: Path, paths: list[Path], problems: list[Problem], kept: dict) -> list[tuple[Product, Document]]:
    """load_products, with the files read before and unchanged since (by size and time) taken
    from `kept` (path -> (stamp, product, document)), which gets those read now without problems."""
    stamps = {path: file_stamp(path) for path in paths}
    fresh = [path for path in paths if stamps[path] == MISSING or kept.get(path, (None,))[0] != stamps[path]
             or not _sizes_unchanged(root, kept[path][1])]
    fresh_problems: list[Problem] = []
    read: dict[Path, tuple[Product, Document]] = {}
    for product, document in load_products(root, fresh, fresh_problems):  # half in a second process, if many
        path = root / product.source
        read[path] = (product, document)
        if stamps.get(path, MISSING) != MISSING and not any(problem.file == product.source for problem in fresh_problems):
            kept[path] = (stamps[path], product, document)
    problems.extend(fresh_problems)
    for path in set(kept) - set(paths):
        del kept[path]  # removed
    return [read[path] if path in read else kept[path][1:] for path in paths if path in read or path not in fresh]


def _load_products_apart(root: Path, paths: list[Path]) -> tuple[list, list[Problem]]:
    problems: list[Problem] = []
    return _load_products(root, paths, problems), problems


def load_products(root: Path, paths: list[Path], problems: list[Problem]) -> list[tuple[Product, Document]]:
    """Each product file read and checked, in the order of `paths`. A large catalog is read half
    in a second process: checking is most of its load."""
    if len(paths) < parallel.PARALLEL_FROM or not can_fork():
        return _load_products(root, paths, problems)
    # A little less than half for the second process: it also has to send its results back.
    split = len(paths) * 11 // 20
    with second_process() as pool:
        second = pool.submit(_load_products_apart, root, paths[split:])
        loaded = _load_products(root, paths[:split], problems)
        try:
            more, more_problems = second.result()
        except Exception:  # noqa: BLE001 - the process was killed, or failed: read them here
            more_problems = []
            more = _load_products(root, paths[split:], more_problems)
    problems.extend(more_problems)
    return loaded + more


def _first_per_field(problems: list[Problem]) -> list[Problem]:
    """One problem per file, line and field: the schema and the cross-file checks may both see
    an unknown term; the contributor needs to read it once."""
    seen, kept = set(), []
    for problem in problems:
        key = (problem.file, problem.line, problem.field)
        if key not in seen:
            seen.add(key)
            kept.append(problem)
    return sorted(kept)


def load_catalog(root: Path | str, kept: dict | None = None) -> tuple[Catalog | None, list[Problem]]:
    """Read and check everything under `root`. The catalog is None when any problem was found.
    With `kept` (a dict the caller keeps between readings, as `make serve` does), product files
    unchanged since the last reading are not read and checked again: at 1,000 products, a saved
    description no longer reads the other 999."""
    root = Path(root)
    problems: list[Problem] = []
    vocabulary = load_vocabulary(root, problems)
    stakeholders, stakeholder_document = load_stakeholders(root, problems)
    load_interface_text(root, problems)  # read by the build (hooks/data.py); checked here too
    if not (root / PRODUCTS_DIR).is_dir():
        problems.append(Problem(PRODUCTS_DIR, 1, "file", "the products/ folder is missing; it holds one file per product."))
    if kept is None:
        loaded = load_products(root, product_files(root), problems)
    else:
        loaded = _load_products_kept(root, product_files(root), problems, kept)
    if vocabulary is not None:
        problems.extend(checks.cross_checks(root, vocabulary, stakeholders, stakeholder_document, loaded))
    problems = _first_per_field(problems)
    if problems or vocabulary is None:
        return None, problems
    return Catalog([product for product, _ in loaded], stakeholders, vocabulary), problems
