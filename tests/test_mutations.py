"""Mutation tests (issue 24): Hypothesis makes product files from a valid one by random bytes,
Unicode, YAML tags (!!python/object, …), anchors and aliases, a byte-order mark, NUL bytes, other
line endings and truncation, and `make validate` must answer each with problems that name the
file, never with an exception. The examples are the same on every run and take a few seconds
(tests/conftest.py); HYPOTHESIS_PROFILE=long runs thousands of new ones."""

from __future__ import annotations

import io
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import write_data_project
from pim.cli import validate
from pim.load import load_catalog

STAKEHOLDERS = "- id: drc\n  name: Danish Refugee Council (DRC)\n  type: ngo\n"
NAME = "mutant.md"
VALID = """\
---
title: A good product
summary: A short summary.
type: tool
categories: [protection-monitoring]
published: "2018-05"
producers: [drc]
tags: [monitoring, "two-words"]
editions:
  - language: en
    title: The English edition
    files:
      - label: Read online
        url: https://example.org/tool/
        format: Web page
      - {label: Report, format: PDF, url: "https://example.org/report.pdf"}
translations:
  fr: {title: Un bon produit, summary: Un résumé.}
---

The description, with [a link](https://example.org/).
""".encode("utf-8")

TAGS = ["!!python/object/apply:os.system [echo owned]", "!!python/object:os.system {}", "!!python/name:os.system",
        "!!binary aGVsbG8=", "!!timestamp 2001-12-14", "!!set {a, b}", "!!omap [a: 1]", "!!float 1e400", "!!int 0x1f",
        "!!null ''", "!!bool yes", "!!str", "!ruby/object:Gem {}", "!<tag:yaml.org,2002:python/object:os.system> {}",
        "!custom value", "!!map {}", "!!seq []", "&anchor value", "*alias", "<<: {a: 1}"]


def _at(data: bytes, where: int) -> int:
    return where % (len(data) + 1)


def _insert(data: bytes, where: int, piece: bytes) -> bytes:
    i = _at(data, where)
    return data[:i] + piece + data[i:]


def _tag_a_value(data: bytes, where: int, tag: bytes) -> bytes:
    """`key: value` on one of the lines with a key becomes `key: <tag> value`."""
    lines = data.split(b"\n")
    keyed = [n for n, line in enumerate(lines) if b": " in line]
    if not keyed:
        return data + b"\n" + tag
    n = keyed[where % len(keyed)]
    key, value = lines[n].split(b": ", 1)
    lines[n] = key + b": " + tag + b" " + value
    return b"\n".join(lines)


where = st.integers(0, len(VALID))
# Each mutation: a function of the file's bytes, with what it was drawn with.
MUTATIONS = st.one_of(
    st.tuples(where, st.binary(min_size=1, max_size=20)).map(lambda a: lambda d: _insert(d, *a)),  # random bytes
    st.tuples(where, st.text(min_size=1, max_size=20)).map(  # any Unicode, surrogates included
        lambda a: lambda d: _insert(d, a[0], a[1].encode("utf-8", "surrogatepass"))),
    st.tuples(where, st.sampled_from(TAGS)).map(lambda a: lambda d: _tag_a_value(d, a[0], a[1].encode("utf-8"))),
    st.sampled_from([0, 4, 100]).map(lambda i: lambda d: _insert(d, i, b"\xef\xbb\xbf")),  # byte-order mark
    where.map(lambda i: lambda d: _insert(d, i, b"\x00")),  # NUL
    st.sampled_from([b"\r\n", b"\r", b"\xc2\x85", "\u2028".encode("utf-8"), b"\n\n"]).map(  # line endings
        lambda ending: lambda d: d.replace(b"\n", ending)),
    where.map(lambda i: lambda d: d[:_at(d, i)]),  # truncation
    st.tuples(where, st.integers(1, 40)).map(lambda a: lambda d: d[:_at(d, a[0])] + d[_at(d, a[0]) + a[1]:]),
)


@st.composite
def mutants(draw) -> bytes:
    data = VALID
    for change in draw(st.lists(MUTATIONS, min_size=1, max_size=3)):
        data = change(data)
    return data


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    return write_data_project(tmp_path_factory.mktemp("mutations"), STAKEHOLDERS)


def test_the_valid_file_the_mutations_start_from_is_valid(project):
    (project / "products" / NAME).write_bytes(VALID)
    assert load_catalog(project)[1] == []


@given(data=mutants())
def test_validate_names_the_file_of_any_mutated_product_and_never_raises(project, data):
    (project / "products" / NAME).write_bytes(data)
    catalog, problems = load_catalog(project)  # an exception fails the test, with the mutant
    assert (catalog is None) == bool(problems)
    lines = data.count(b"\n") + data.count(b"\r") + 2
    for problem in problems:
        assert problem.file == f"products/{NAME}", problem
        assert 1 <= problem.line <= lines, problem
        assert str(problem).startswith(f"products/{NAME}:{problem.line}: ")
        problem.annotation()  # the GitHub form of it too


@given(data=mutants())
def test_the_validate_command_answers_every_mutant_with_an_exit_code_not_a_traceback(project, data):
    (project / "products" / NAME).write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = validate(project)
    assert code in (0, 1)
    assert "Traceback" not in out.getvalue() + err.getvalue()
    if code:
        assert all(line.startswith(f"products/{NAME}:") for line in out.getvalue().splitlines() if line), out.getvalue()
