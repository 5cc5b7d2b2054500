"""The speed-ups of product pages lean on private MkDocs names and on Material's templates, all
in hooks/internals.py. Without those names, or on a version they were not tested with, the
build takes the public path: the strict build passes and the pages are the same."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from hooks import internals

PRIVATE_NAMES = ["_ExtractAnchorsTreeprocessor", "_ExtractTitleTreeprocessor", "_RawHTMLPreprocessor",
                 "_RelativePathTreeprocessor"]
# `mkdocs build --strict`, in a MkDocs whose private names cannot be imported (as after a
# rename): importers get a copy of mkdocs.structure.pages without them; MkDocs keeps its own.
BUILD_WITHOUT_PRIVATE_NAMES = f"""
import sys, types
import mkdocs.structure
import mkdocs.structure.pages as pages
public = types.ModuleType(pages.__name__)
public.__dict__.update({{k: v for k, v in vars(pages).items() if k not in {PRIVATE_NAMES!r}}})
sys.modules[pages.__name__] = mkdocs.structure.pages = public
from mkdocs.__main__ import cli
sys.argv = ["mkdocs", "build", "--strict", "--site-dir", sys.argv[1]]
cli()
"""


def _pages(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.suffix in (".html", ".json") and p.is_file()}


@pytest.fixture(scope="module")
def without_private_names(tmp_path_factory):
    dest = tmp_path_factory.mktemp("no-private-names")
    result = subprocess.run([sys.executable, "-c", BUILD_WITHOUT_PRIVATE_NAMES, str(dest)], cwd=ROOT,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert result.returncode == 0, f"build failed:\n{result.stdout}\n{result.stderr}"
    return dest, result.stderr


def test_the_strict_build_without_the_private_mkdocs_names_gives_the_same_site(without_private_names, site_dir):
    hidden, normal = _pages(without_private_names[0]), _pages(site_dir)
    assert hidden.keys() == normal.keys()
    different = [name for name in hidden if hidden[name] != normal[name]]
    assert not different, f"{len(different)} files differ, for example {different[:3]}"


@pytest.mark.build
def test_the_build_says_once_that_it_runs_without_speedups(without_private_names):
    lines = [line for line in without_private_names[1].splitlines() if "without speed-ups" in line]
    assert len(lines) == 1, lines
    assert lines[0].startswith("INFO") and "private MkDocs name is missing" in lines[0]


@pytest.fixture
def fresh_check():
    internals.available.cache_clear()
    yield
    internals.available.cache_clear()


def test_an_untested_mkdocs_or_material_turns_the_speedups_off_with_one_info_line(monkeypatch, caplog, fresh_check):
    monkeypatch.setattr(internals, "installed_versions", lambda: {"mkdocs": "1.6.1", "mkdocs-material": "9.9.0"})
    with caplog.at_level(logging.INFO, logger="mkdocs.hooks.internals"):
        assert not internals.speedups_enabled({})
        assert not internals.speedups_enabled({"fast_product_pages": True})
    assert len(caplog.records) == 1 and caplog.records[0].levelno == logging.INFO
    assert "mkdocs-material 9.9.0" in caplog.text and "tested: mkdocs 1.6.1; mkdocs-material 9.8.2" in caplog.text


def test_a_missing_package_counts_as_untested():
    reason = internals.why_not_available({"mkdocs": None, "mkdocs-material": "9.8.2"})
    assert reason and "mkdocs (not installed)" in reason


def test_the_versions_we_pin_are_the_tested_ones(fresh_check):
    # Upgrading MkDocs or Material? Run `make test`, then add the new versions to
    # hooks/internals.py's TESTED: until then product pages build without speed-ups.
    assert internals.why_not_available(internals.installed_versions(), internals.MISSING) is None
