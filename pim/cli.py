"""`python -m pim validate`: check every data file without building the site.
`python -m pim new "Title"`: start a new product file (what `make new TITLE="…"` runs).
`python -m pim report`: the products due for a review, and the pages and product summaries not
translated yet (what `make report` runs).
`python -m pim linkcheck`: broken external addresses, where they are written (`make linkcheck`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from . import translations
from .load import load_catalog
from .model import TRANSLATION_LANGUAGES
from .scaffold import ScaffoldError, create_product


def validate(root: Path) -> int:
    try:
        catalog, problems = load_catalog(root)
    except OSError as error:  # e.g. a folder named like a product file: say which, not a traceback
        where = Path(error.filename or root).resolve()
        where = where.relative_to(root.resolve()).as_posix() if where.is_relative_to(root.resolve()) else where
        print(f"{where}:1: file: cannot be read ({error.strerror}). It must be a text file.", file=sys.stderr)
        return 1
    for problem in problems:
        print(problem)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.annotation())
    if problems:
        count = len(problems)
        print(f"\n{count} problem{'s' if count != 1 else ''} found. Nothing was published.", file=sys.stderr)
        return 1
    print(f"All data files are valid: {len(catalog.products)} products, {len(catalog.stakeholders)} stakeholders.")
    return 0


def report(root: Path) -> int:
    """The products due for a review, then the pages and product summaries with no translation
    in a site language, one line each as file:line (exit 0: a maintainer's to-do list, not an
    error; an English-only product is welcome)."""
    catalog, problems = load_catalog(root)
    if catalog is None:
        for problem in problems:
            print(problem)
        print("\nThe data files have problems (above); fix them first: make validate", file=sys.stderr)
        return 1
    due = sorted(catalog.review_due(), key=lambda product: product.source)
    for product in due:
        review = catalog.review(product)
        field = review.since_field or "published"
        line = product.lines.get(field) or product.lines.get("published") or 2
        print(f"{product.source}:{line}: {field}: review due: {review.reason}")
    today = catalog.today.isoformat() if catalog.today else "today"
    statuses = translations.status(root / "docs", catalog, None, TRANSLATION_LANGUAGES)
    for language_status in statuses:
        for item in language_status.untranslated:
            print(item)
    print(f"\n{len(due)} of {len(catalog.products)} products are due for a review (as of {today}).", file=sys.stderr)
    for s in statuses:
        pages = sum(item.what == "page" for item in s.untranslated)
        summaries = sum(item.what == "summary" for item in s.untranslated)
        print(f"{s.language}: {pages} of {s.pages.total} pages and {summaries} of {s.summaries.total} "
              "product summaries not translated yet.", file=sys.stderr)
    return 0


def new(root: Path, title: str | None, product_id: str | None) -> int:
    try:
        path = create_product(root, title, product_id)
    except ScaffoldError as error:
        print(error, file=sys.stderr)
        return 2 if not (title or "").strip() else 1
    except OSError as error:  # a full disk, a read-only folder: the file was not written at all
        print(f"The product file could not be written ({error.strerror or error}); nothing was written.",
              file=sys.stderr)
        return 1
    shown = path.relative_to(root) if not root.is_absolute() else path
    print(f"Wrote {shown.as_posix()}. Replace its values and description, then check it with: make validate")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check products/, stakeholders.yml, vocabularies.yml and translations.yml")
    check.add_argument("root", nargs="?", default=".", type=Path)
    overdue = commands.add_parser("report", help="list the products due for a review and what is not translated yet, as file:line")
    overdue.add_argument("root", nargs="?", default=".", type=Path)
    links = commands.add_parser("linkcheck", help="check every external address in the sources")
    links.add_argument("root", nargs="?", default=".", type=Path)
    links.add_argument("--timeout", type=float, default=20, help="seconds to wait for each address")
    links.add_argument("--workers", type=int, default=8, help="addresses checked at once")
    start = commands.add_parser("new", help="write products/<id>.md with every field, ready to fill in")
    start.add_argument("title", nargs="?", help="the product's title")
    start.add_argument("--id", dest="product_id", help="the file name (product id), e.g. safe-referral-checklist")
    start.add_argument("--root", default=".", type=Path, help="the repository folder")
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.root)
    if args.command == "report":
        return report(args.root)
    if args.command == "linkcheck":
        from .linkcheck import main as linkcheck  # imports requests: only this command needs it
        return linkcheck(args.root, args.timeout, args.workers)
    if args.command == "new":
        return new(args.root, args.title, args.product_id)
    return 2
