"""Data files from a hostile pull request (issue 24): a "billion laughs" file of aliases, deep
nesting, a file far too large. `make validate` answers each with a file:line error, at once,
without expanding anything."""

from __future__ import annotations

import resource
import shutil
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from conftest import ROOT, write_data_project
from pim.load import MAX_PRODUCT_BYTES, load_catalog

STAKEHOLDERS = "- id: drc\n  name: Danish Refugee Council (DRC)\n  type: ngo\n"

GOOD_PRODUCT = """\
---
title: A good product
summary: A short summary.
type: tool
published: "2018-05"
producers: [drc]
editions:
  - language: en
{extra}---

The description.
"""


def laughs(levels: int = 9, width: int = 9, indent: str = "") -> str:
    """Nine lines of aliases of aliases: 9**9 (387 million) values once expanded."""
    names = "abcdefghijklmnop"
    lines = [f'{indent}{names[0]}: &{names[0]} [{", ".join(["lol"] * width)}]']
    for level in range(1, levels):
        alias = f"*{names[level - 1]}"
        lines.append(f"{indent}{names[level]}: &{names[level]} [{', '.join([alias] * width)}]")
    return "\n".join(lines) + "\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_data_project(tmp_path, STAKEHOLDERS)


def problems_of(project: Path) -> list[str]:
    return [str(p) for p in load_catalog(project)[1]]


def test_a_billion_laughs_product_is_refused_at_the_first_alias_in_well_under_a_second(project):
    (project / "products" / "bomb.md").write_text(
        GOOD_PRODUCT.format(extra="tags:\n  - x\nbomb:\n" + laughs(indent="  ")), encoding="utf-8")
    tracemalloc.start()
    problems = problems_of(project)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 5_000_000  # nothing was expanded: 9**9 values would take gigabytes
    # Line 13: `  b: &b [*a, …]`, the first line with an alias, at the column of the `*a`.
    assert problems == ["products/bomb.md:13: file: the alias *a is not allowed: data files take no anchors "
                        "(&name) or aliases (*name); write the value out in full, at column 10."]


def test_a_single_harmless_alias_is_refused_too(project):
    (project / "products" / "alias.md").write_text(GOOD_PRODUCT.format(extra="  - &en2 language: fr\n")
                                                   .replace("producers: [drc]", "producers: &p [drc]\ntags: *p"),
                                                   encoding="utf-8")
    assert problems_of(project) == [
        "products/alias.md:7: file: the alias *p is not allowed: data files take no anchors (&name) or "
        "aliases (*name); write the value out in full, at column 7."]


def test_a_file_that_refers_to_itself_is_refused(project):
    (project / "stakeholders.yml").write_text("- &me\n  id: drc\n  name: DRC\n  type: ngo\n  self: *me\n",
                                              encoding="utf-8")
    assert [p for p in problems_of(project) if p.startswith("stakeholders.yml")] == [
        "stakeholders.yml:5: file: the alias *me is not allowed: data files take no anchors (&name) or "
        "aliases (*name); write the value out in full, at column 9."]


@pytest.mark.parametrize("name", ["vocabularies.yml", "stakeholders.yml", "translations.yml", "products/bomb.md"])
def test_validate_refuses_a_billion_laughs_in_each_data_file_with_file_and_line(tmp_path, name):
    project = tmp_path / "project"
    project.mkdir()
    for data in ("vocabularies.yml", "stakeholders.yml", "translations.yml"):
        shutil.copy(ROOT / data, project / data)
    (project / "products").mkdir()
    (project / "docs").mkdir()
    target = project / name
    if name.endswith(".md"):
        target.write_text(GOOD_PRODUCT.format(extra="") .replace("---\n\n", "x:\n" + laughs(indent="  ") + "---\n\n"),
                          encoding="utf-8")
        line = 11
    else:
        original = target.read_text(encoding="utf-8")
        target.write_text("zz-laughs:\n" + laughs(indent="  ") + original if name != "stakeholders.yml"
                          else original + "- id: zz\n  name: Z\n  type: ngo\n  laughs:\n" + laughs(indent="    "),
                          encoding="utf-8")
        line = 3 if name != "stakeholders.yml" else original.count("\n") + 6

    def limit_memory():  # a bomb that went off would die here, not take the machine
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    started = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "pim", "validate", str(project)], cwd=ROOT, capture_output=True,
                            text=True, timeout=60, preexec_fn=limit_memory)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert f"{name}:{line}: file: the alias *a is not allowed" in result.stdout, result.stdout
    assert time.monotonic() - started < 30  # the process, interpreter start included; not a timing test


def test_values_nested_too_deep_are_refused_with_their_line(project):
    deep = "\n".join("  " * level + "- " for level in range(60)) + "x"
    (project / "products" / "deep.md").write_text(GOOD_PRODUCT.format(extra=f"tags:\n{deep}\n"), encoding="utf-8")
    assert problems_of(project) == [
        "products/deep.md:50: file: the values are nested more than 40 levels deep; data files need far "
        "fewer, at column 81."]


def test_brackets_nested_past_the_parsers_limit_are_refused(project):
    (project / "products" / "deep.md").write_text(
        GOOD_PRODUCT.format(extra="tags: " + "[" * 5000 + "]" * 5000 + "\n"), encoding="utf-8")
    [problem] = problems_of(project)
    assert problem == "products/deep.md:9: file: YAML syntax error: exceeded maximum nesting depth, at column 1006."


def test_a_product_file_over_1_mb_is_refused_unread(project):
    (project / "products" / "huge.md").write_text(
        GOOD_PRODUCT.format(extra="") + "word " * (MAX_PRODUCT_BYTES // 5), encoding="utf-8")
    assert problems_of(project) == ["products/huge.md:1: file: is 1.0 MB; a file here may be at most 1 MB."]


def test_translations_yml_is_checked_by_validate(project):
    (project / "translations.yml").write_text("Search: {fr: Rechercher}\nHome: [unclosed\n", encoding="utf-8")
    assert [p for p in problems_of(project) if p.startswith("translations.yml")] == [
        "translations.yml:2: file: YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence "
        "that starts here; the parser stopped on line 3), at column 7."]


@pytest.mark.parametrize("tag, shown", [("!!python/object/apply:os.system [ls]", "!!python/object/apply:os.system"),
                                        ("!!int twelve", "!!int"), ("!!binary aGVsbG8=", "!!binary"),
                                        ("!custom A title", "!custom")])
def test_explicit_yaml_tags_are_refused_with_their_line(project, tag, shown):
    (project / "products" / "tagged.md").write_text(
        GOOD_PRODUCT.format(extra="").replace("title: A good product", f"title: {tag}"), encoding="utf-8")
    assert problems_of(project) == [f"products/tagged.md:2: file: the tag {shown} is not allowed: data files take "
                                    "plain text, lists and fields; remove the tag, at column 8."]


def test_a_nul_byte_is_reported_on_its_own_line_and_column(project):
    (project / "products" / "nul.md").write_text(
        GOOD_PRODUCT.format(extra="").replace("summary: A short", "summary: A \x00short"), encoding="utf-8")
    assert problems_of(project) == ["products/nul.md:3: file: YAML syntax error: the character U+0000 is not allowed "
                                    "in a data file (control characters cannot be read); delete it, at column 12."]
