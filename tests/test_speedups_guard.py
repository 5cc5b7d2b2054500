"""The speed-ups of product pages lean on private MkDocs names and on Material's templates, all
in hooks/internals.py. Without those names, or on a version they were not tested with, the
build takes the public path: the strict build passes and the pages are the same."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from extended_project import extended_build_without_speedups
from hooks import internals


@pytest.fixture(scope="module")
def without_private_names() -> tuple[Path, str]:
    # tests/extended_project.py: the extended project built with the names hidden; that it gives
    # the same site as with them is checked in tests/test_product_page_speedups.py, on this build.
    return extended_build_without_speedups()


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


def test_fast_product_pages_false_in_mkdocs_yml_turns_the_speedups_off(fresh_check, monkeypatch):
    # The site built that way is the one built without the private names (the path is the same:
    # speedups_enabled, which hooks/product_page.py and hooks/product_shell.py ask with config.extra).
    assert internals.speedups_enabled({"fast_product_pages": True}) and internals.speedups_enabled({})
    monkeypatch.setattr(internals, "available", lambda: pytest.fail("asked whether they can run"))
    assert internals.speedups_enabled({"fast_product_pages": False}) is False


def test_a_missing_package_counts_as_untested():
    reason = internals.why_not_available({"mkdocs": None, "mkdocs-material": "9.8.2"})
    assert reason and "mkdocs (not installed)" in reason


def test_the_versions_we_pin_are_the_tested_ones(fresh_check):
    # Upgrading MkDocs or Material? Run `make test`, then add the new versions to
    # hooks/internals.py's TESTED: until then product pages build without speed-ups.
    assert internals.why_not_available(internals.installed_versions(), internals.MISSING) is None
