"""ProperDocs (the continuation of MkDocs 1.x, pinned in requirements.txt) builds the same site as
MkDocs: every file, byte for byte, but the generator tag. It is the way forward when MkDocs 1.x
and Material 9 stop being maintained (README.md, "Upgrading"), so it is kept working now."""

from __future__ import annotations

import difflib
import gzip
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT, copy_project

# What may differ: the generator tag names the tool ("mkdocs-1.6.1" / "mkdocs-ProperDocs 1.6.7"),
# and a sitemap's dates are the build's (none today, but a sitemap may carry them).
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')
LASTMOD = re.compile(rb"<lastmod>[^<]*</lastmod>")


def properdocs_build(project: Path, dest: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, "-m", "properdocs", "build", "--strict", "--site-dir", str(dest)],
                          cwd=project, env=env, capture_output=True, text=True)


def normalised(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz":  # sitemap.xml.gz: gzip's header holds a time
        data = gzip.decompress(data)
    if path.suffix == ".html":
        data = GENERATOR.sub(b'<meta name="generator">', data)
    if ".xml" in path.suffixes:
        data = LASTMOD.sub(b"<lastmod/>", data)
    return data


def files_of(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}


def first_difference(a: bytes, b: bytes) -> str:
    lines = difflib.unified_diff(a.decode("utf-8", "replace").splitlines(), b.decode("utf-8", "replace").splitlines(),
                                 "mkdocs", "properdocs", n=1, lineterm="")
    return "\n".join(line[:200] for line in list(lines)[:12])


def test_properdocs_builds_the_same_site_as_mkdocs_but_the_generator_tag(site_dir, tmp_path):
    # From a copy at another path, built at another moment: the same files also show that a build
    # depends on neither (test_outputs.py's two-builds test, merged here: one full build less).
    project = copy_project(tmp_path / "another checkout")
    if (ROOT / "dist").is_dir():  # the print editions and zips `make pdf` or `make offline` left: the site shows them
        shutil.copytree(ROOT / "dist", project / "dist")
    result = properdocs_build(project, tmp_path / "properdocs")
    assert result.returncode == 0, f"properdocs build --strict failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    ours, theirs = files_of(site_dir), files_of(tmp_path / "properdocs")
    assert ours == theirs, f"only in mkdocs: {sorted(ours - theirs)[:10]}; only in properdocs: {sorted(theirs - ours)[:10]}"
    different = [name for name in sorted(ours)
                 if normalised(site_dir / name) != normalised(tmp_path / "properdocs" / name)]
    assert not different, (f"{len(different)} files differ, first {different[0]}:\n"
                           + first_difference(normalised(site_dir / different[0]),
                                              normalised(tmp_path / "properdocs" / different[0])))
    # The tag itself says which tool built the page.
    page = (tmp_path / "properdocs" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<meta name="generator" content="[^"]*ProperDocs 1\.6', page)
