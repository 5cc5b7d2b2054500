"""How build time grows with the number of languages.

Builds a copy of the project with 1 (English), 2 (English, French) and 4 (English, French,
Spanish, Arabic) languages, by switching languages off in the i18n plugin (`build: false`), and
prints each build's time and its ratio to the English-only build.

    .venv/bin/python benchmarks/languages.py [--runs 3]

Each configuration is built `--runs` times; the median counts. Times depend on the machine: the
ratios are what to compare.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGURATIONS = [("en",), ("en", "fr"), ("en", "fr", "es", "ar")]
IGNORE = shutil.ignore_patterns(".venv", ".git", "site", "dist", "node_modules", "__pycache__", ".pytest_cache")


def with_languages(mkdocs_yml: str, languages: tuple[str, ...]) -> str:
    """mkdocs.yml with only `languages` built: each language entry's `build:` set accordingly."""
    lines, locale = [], None
    for line in mkdocs_yml.splitlines(keepends=True):
        found = re.match(r"\s*- locale: (\S+)", line)
        if found:
            locale = found.group(1)
        build = re.match(r"(\s*)build: (true|false)\s*$", line)
        if build and locale:
            line = f"{build.group(1)}build: {'true' if locale in languages else 'false'}\n"
        lines.append(line)
    return "".join(lines)


def build_seconds(project: Path, site: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
                            cwd=project, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stdout}\n{result.stderr}")
    return elapsed


def count_pages(site: Path) -> int:
    return sum(1 for _ in site.rglob("index.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    original = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    results = []
    with tempfile.TemporaryDirectory(prefix="pim-languages-") as tmp:
        project = Path(tmp) / "project"
        shutil.copytree(ROOT, project, ignore=IGNORE, symlinks=True)
        for languages in CONFIGURATIONS:
            (project / "mkdocs.yml").write_text(with_languages(original, languages), encoding="utf-8")
            times = []
            for run in range(args.runs):
                site = Path(tmp) / f"site-{len(languages)}-{run}"
                times.append(build_seconds(project, site))
            results.append((languages, statistics.median(times), count_pages(site)))
            shutil.rmtree(site)
    base = results[0][1]
    print(f"{'languages':<14}{'pages':>7}{'build (s)':>11}{'x English':>11}{'per language':>14}")
    for languages, seconds, pages in results:
        print(f"{', '.join(languages):<14}{pages:>7}{seconds:>11.2f}{seconds / base:>11.2f}"
              f"{seconds / base / len(languages):>14.2f}")


if __name__ == "__main__":
    main()
