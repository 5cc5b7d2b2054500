"""`python -m pim validate`: check every data file without building the site."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from .load import load_catalog


def validate(root: Path) -> int:
    catalog, problems = load_catalog(root)
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pim", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check products/, stakeholders.yml and vocabularies.yml")
    check.add_argument("root", nargs="?", default=".", type=Path)
    args = parser.parse_args(argv)
    if args.command == "validate":
        return validate(args.root)
    return 2
