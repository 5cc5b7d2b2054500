"""`make offline`: the offline editions, documents included.

1. Fetch every product file that can be fetched (pim/documents.py, pim/fetch.py; cached in
   .cache/downloads/). A checksum that does not match stops here, with file, line and field.
2. Build the offline site (mkdocs-offline.yml); the build links each saved document to its copy.
3. Copy the documents into the site, then write dist/pim-guide-offline.zip (everything) and one
   zip per language, each with its .sha256.
4. List what could not be fetched, one line each, at the very end.

    python -m pim.offline_edition [--root .] [--site-dir dist/pim-guide-offline] [--dist dist]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from . import offline_zip
from .documents import Documents, for_language, gather
from .fetch import CACHE_DIR, Cache, Downloader, Limits, read_sizes
from .language_edition import LANGUAGES, write_language_zip, zip_name
from .load import load_catalog
from .problems import report

MANIFEST_VARIABLE = "PIM_OFFLINE_DOCUMENTS"  # read by hooks/offline_documents.py
CONFIG_FILE = "mkdocs-offline.yml"


def fetch_documents(root: Path, limits: Limits) -> tuple[Documents | None, Downloader, str]:
    """The documents, or None and the message that stops the build."""
    catalog, problems = load_catalog(root)
    if problems or catalog is None:
        return None, None, report(problems)  # type: ignore[return-value]
    downloader = Downloader(Cache(root / CACHE_DIR), limits)
    documents = gather(catalog, downloader)
    if documents.mismatches:
        lines = [str(p) for p in documents.mismatches]
        count = len(lines)
        lines.append(f"{count} downloaded file{'s do' if count != 1 else ' does'} not match its sha256; "
                     "nothing was built.")
        return None, downloader, "\n".join(lines)
    return documents, downloader, ""


def build_site(root: Path, site_dir: Path, manifest: Path) -> int:
    env = {**os.environ, MANIFEST_VARIABLE: str(manifest.resolve()), "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", CONFIG_FILE,
               "--site-dir", str(site_dir.resolve())]
    return subprocess.run(command, cwd=root, env=env).returncode


def copy_documents(documents: Documents, site_dir: Path) -> None:
    for saved in documents.saved:
        target = site_dir / saved["path"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(saved["cache"], target)


def write_zips(site_dir: Path, dist: Path, documents: Documents, epoch: int, overrides: Path) -> list[Path]:
    zips = [offline_zip.write_zip(site_dir, dist / f"{offline_zip.ZIP_ROOT}.zip", epoch)]
    for language in LANGUAGES:
        zips.append(write_language_zip(site_dir, dist / zip_name(language), language,
                                       for_language(documents, language), epoch, overrides))
    for path in zips:
        offline_zip.write_checksum(path)
    return zips


def summary(documents: Documents) -> str:
    if not documents.failures:
        if not documents.saved:
            return "No document to fetch: every product file is a web page or kept on the site."
        return f"All {len(documents.saved)} documents to fetch are in the offline edition."
    count = len(documents.failures)
    lines = [f"{count} document{'s' if count != 1 else ''} could not be fetched; the pages keep their online "
             "links, marked \"needs internet\" (OFFLINE_REFRESH=1 tries again):"]
    return "\n".join(lines + documents.failures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pim.offline_edition", description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=Path("."), help="the repository folder")
    parser.add_argument("--site-dir", type=Path, default=None, help="where to build (default dist/pim-guide-offline)")
    parser.add_argument("--dist", type=Path, default=None, help="where the zips go (default dist/)")
    args = parser.parse_args(argv)
    root = args.root.resolve()
    dist = (args.dist or root / "dist").resolve()
    site_dir = (args.site_dir or dist / offline_zip.ZIP_ROOT).resolve()
    try:
        limits = Limits.from_environment(sizes=read_sizes(root))
    except ValueError as error:
        print(f"make offline: {error}.", file=sys.stderr)
        return 2
    started = time.monotonic()
    documents, downloader, stop = fetch_documents(root, limits)
    if documents is None:
        print(stop, file=sys.stderr)
        return 1
    fetched = time.monotonic()
    print(f"Documents: {len(documents.saved)} in the edition, {len(documents.failures)} not fetched, "
          f"{downloader.requests} requests ({fetched - started:.1f} s).")
    manifest = dist / f"{offline_zip.ZIP_ROOT}.documents.json"
    documents.write(manifest)
    if build_site(root, site_dir, manifest) != 0:
        return 1
    built = time.monotonic()
    copy_documents(documents, site_dir)
    zips = write_zips(site_dir, dist, documents, offline_zip.source_date_epoch(), root / "overrides")
    print(f"Timings: documents {fetched - started:.1f} s, site build {built - fetched:.1f} s, "
          f"copies and zips {time.monotonic() - built:.1f} s.")
    for path in zips:
        info = offline_zip.describe(path)
        print(f"{path.relative_to(dist.parent) if path.is_relative_to(dist.parent) else path}: {info['size']} "
              f"({info['size_bytes']:,} bytes), built {info['date']}, sha256 {info['sha256']}")
    print(summary(documents))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
