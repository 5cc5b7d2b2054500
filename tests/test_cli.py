"""The command line: `python -m pim validate` (plain messages, GitHub annotations, never a
traceback) and `python -m pim new` / `make new` (a new product file that validates as written)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT, copy_project, run_cli
from pim.problems import Problem
from pim.scaffold import slugify

PROBLEM_LINE = re.compile(r"^(products/[^:/]+\.md|stakeholders\.yml|vocabularies\.yml):\d+: \S+: .+")


def run_pim(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    # In process, for speed; test_validation.py runs the real `python -m pim validate` too.
    return run_cli(*args, cwd=cwd, env=env)


def unescape_property(text: str) -> str:
    """What the Actions runner does with a property value (ActionCommand, `::` commands)."""
    for token, code in (("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C"), ("%", "%25")):
        text = text.replace(code, token)
    return text


def unescape_data(text: str) -> str:
    for token, code in (("\r", "%0D"), ("\n", "%0A"), ("%", "%25")):
        text = text.replace(code, token)
    return text


def parse_annotation(line: str) -> tuple[str, dict, str]:
    """Split a workflow command the way the runner does: properties by ',', then '=' once."""
    match = re.fullmatch(r"::(\w+) (.*?)::(.*)", line, re.S)
    assert match, line
    properties = dict(item.split("=", 1) for item in match.group(2).split(","))
    return match.group(1), {k: unescape_property(v) for k, v in properties.items()}, unescape_data(match.group(3))


# --- annotations -------------------------------------------------------------------------------

def test_annotation_is_one_error_command_with_file_line_and_title():
    problem = Problem("products/a.md", 4, "type", '"tol" is not allowed.')
    assert problem.annotation() == '::error file=products/a.md,line=4,title=type::"tol" is not allowed.'


def test_annotation_escapes_newline_percent_colon_and_comma():
    problem = Problem("products/a,b:c.md", 7, "editions[0].files[1].url",
                      "100% wrong: see\r\nline two, a:b")
    line = problem.annotation()
    assert "\n" not in line and "\r" not in line
    assert "file=products/a%2Cb%3Ac.md," in line
    # Data keeps ':' and ',' (the runner does not unescape them there) but not raw newlines or '%'.
    assert line.endswith("::100%25 wrong: see%0D%0Aline two, a:b")
    command, properties, message = parse_annotation(line)
    assert command == "error"
    assert properties == {"file": "products/a,b:c.md", "line": "7", "title": "editions[0].files[1].url"}
    assert message == problem.message


def test_a_comma_in_a_file_name_cannot_forge_another_property():
    line = Problem("products/x,line=1,title=OK.md", 3, "title,col=9", "m").annotation()
    _, properties, _ = parse_annotation(line)
    assert set(properties) == {"file", "line", "title"}
    assert properties["line"] == "3" and properties["file"] == "products/x,line=1,title=OK.md"


def test_an_escape_sequence_in_the_text_stays_literal():
    # A literal "%0A" typed by a contributor must not turn into a new line on GitHub.
    line = Problem("products/a.md", 1, "summary", "50%0A off").annotation()
    assert parse_annotation(line)[2] == "50%0A off"


def test_validate_prints_annotations_only_on_github_actions(tmp_path):
    project = copy_project(tmp_path / "project")
    path = project / "products" / "pim-matrix.md"
    path.write_text(path.read_text(encoding="utf-8").replace("type: framework", "type: framwork"), encoding="utf-8")
    plain = run_pim("validate", str(project))
    assert "::error" not in plain.stdout
    on_actions = run_pim("validate", str(project), env={"GITHUB_ACTIONS": "true"})
    assert on_actions.returncode == 1
    annotations = [line for line in on_actions.stdout.splitlines() if line.startswith("::error ")]
    assert len(annotations) == 1
    _, properties, message = parse_annotation(annotations[0])
    assert properties["file"] == "products/pim-matrix.md" and properties["title"] == "type"
    assert properties["line"].isdigit() and "framwork" in message and "Allowed values" in message


# --- content errors: plain messages, never a traceback --------------------------------------

GOOD = """\
---
title: A product
summary: One sentence.
type: tool
published: "2020"
producers: [drc]
editions:
  - language: en
    files: []
---

Body.
"""

BROKEN_PRODUCTS = {
    "empty": "",
    "no-closing-dashes": "---\ntitle: x\n",
    "only-dashes": "---\n---\n",
    "a-list-instead-of-fields": "---\n- a\n- b\n---\n",
    "tab-indentation": GOOD.replace("  - language", "\t- language"),
    "unclosed-quote": GOOD.replace("title: A product", 'title: "A product'),
    "unclosed-bracket": GOOD.replace("producers: [drc]", "producers: [drc"),
    "python-tag": GOOD.replace("title: A product", "title: !!python/object/apply:os.system [ls]"),
    "unhashable-key": GOOD.replace("title: A product", "? [a, b]\n: x\ntitle: A product"),
    "boolean-key": GOOD.replace("title: A product", "yes: x\ntitle: A product"),
    "editions-as-text": GOOD.replace("  - language: en\n    files: []\n", "").replace("editions:", "editions: en"),
    "edition-as-text": GOOD.replace("  - language: en\n    files: []", "  - en"),
    "files-as-text": GOOD.replace("files: []", "files: report.pdf"),
    "file-as-text": GOOD.replace("files: []", "files: [report.pdf]"),
    "file-with-url-and-path": GOOD.replace("files: []", "files:\n      - {label: a, format: PDF, url: 'https://a.org/', path: a.pdf}"),
    "nested-lists": GOOD.replace("producers: [drc]", "producers: [[drc]]\ncategories: [[case-management]]"),
    "type-as-list": GOOD.replace("type: tool", "type: [tool]"),
    "javascript-url": GOOD.replace("files: []", "files:\n      - {label: a, format: PDF, url: 'javascript:alert(1)'}"),
    "path-outside-docs": GOOD.replace("files: []", "files:\n      - {label: a, format: PDF, path: ../../etc/passwd}"),
    "Bad File Name": GOOD,
}


@pytest.fixture(scope="module")
def broken_project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("broken") / "project")


@pytest.mark.parametrize("name", BROKEN_PRODUCTS)
def test_broken_product_file_gives_file_line_field_and_no_traceback(broken_project, name):
    path = broken_project / "products" / f"{name}.md"
    path.write_text(BROKEN_PRODUCTS[name], encoding="utf-8")
    try:
        result = run_pim("validate", str(broken_project))
    finally:
        path.unlink()
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Traceback" not in output
    lines = [line for line in result.stdout.splitlines() if line.startswith(f"products/{name}.md:")]
    assert lines, output
    assert all(PROBLEM_LINE.match(line) for line in lines), lines


@pytest.mark.parametrize("content", [b"\xff\xfe\x00binary", "title: caf\xe9".encode("latin-1")], ids=["binary", "latin-1"])
def test_a_file_that_is_not_utf8_is_explained(broken_project, content):
    path = broken_project / "products" / "not-text.md"
    path.write_bytes(content)
    try:
        result = run_pim("validate", str(broken_project))
    finally:
        path.unlink()
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert "products/not-text.md:1: file: is not UTF-8 text" in result.stdout


def test_a_folder_named_like_a_product_file_is_reported_not_a_traceback(broken_project):
    # GitHub's web editor creates a folder when a name is typed with a '/' after '.md'.
    folder = broken_project / "products" / "oops.md"
    folder.mkdir()
    try:
        result = run_pim("validate", str(broken_project))
    finally:
        folder.rmdir()
    output = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in output
    assert "products/oops.md:1: file:" in output


@pytest.mark.parametrize("content", ["", "drc: {name: x}\n", "- just text\n", "- id: drc\n  name: [\n"],
                         ids=["empty", "mapping", "text-entry", "syntax-error"])
def test_broken_stakeholders_file_gives_plain_messages(tmp_path, content):
    project = copy_project(tmp_path / "project")
    (project / "stakeholders.yml").write_text(content, encoding="utf-8")
    result = run_pim("validate", str(project))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert any(line.startswith("stakeholders.yml:") and PROBLEM_LINE.match(line) for line in result.stdout.splitlines())


@pytest.mark.parametrize("content", ["", "product_types: [\n", "product_types: []\n"],
                         ids=["empty", "syntax-error", "missing-kinds"])
def test_broken_vocabulary_file_gives_plain_messages(tmp_path, content):
    project = copy_project(tmp_path / "project")
    (project / "vocabularies.yml").write_text(content, encoding="utf-8")
    result = run_pim("validate", str(project))
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert any(line.startswith("vocabularies.yml:") and PROBLEM_LINE.match(line) for line in result.stdout.splitlines())


# --- python -m pim new / make new --------------------------------------------------------------

@pytest.mark.parametrize("title, slug", [
    ("Safe referral checklist", "safe-referral-checklist"),
    ("Évaluation des besoins de protection", "evaluation-des-besoins-de-protection"),
    ("Guía de gestión: ¿qué hacer?", "guia-de-gestion-que-hacer"),
    ("Straße & Øresund  2024", "strasse-oresund-2024"),
    ("It's the PIM Matrix", "its-the-pim-matrix"),
    ("دليل الحماية", ""),
])
def test_slug_is_lowercase_ascii_kebab_case(title, slug):
    assert slugify(title) == slug


def test_slug_is_cut_at_a_word_boundary():
    slug = slugify("word " * 40)
    assert len(slug) <= 60 and not slug.endswith("-") and slug.endswith("word")


def test_new_writes_a_product_that_validates_and_refuses_to_overwrite(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_pim("new", "Évaluation rapide: des besoins", cwd=project)
    assert result.returncode == 0, result.stderr
    path = project / "products" / "evaluation-rapide-des-besoins.md"
    assert "products/evaluation-rapide-des-besoins.md" in result.stdout
    text = path.read_text(encoding="utf-8")
    assert 'title: "Évaluation rapide: des besoins"' in text
    checked = run_pim("validate", str(project))
    assert checked.returncode == 0, checked.stdout
    assert f"{len(list((project / 'products').glob('*.md')))} products" in checked.stdout

    again = run_pim("new", "Évaluation rapide: des besoins", cwd=project)
    assert again.returncode == 1 and "already exists" in again.stderr and "ID=" in again.stderr
    assert path.read_text(encoding="utf-8") == text  # untouched


def test_new_without_a_title_says_how_to_call_it(tmp_path):
    result = run_pim("new", cwd=tmp_path)
    assert result.returncode == 2
    assert 'make new TITLE="' in result.stderr and "Traceback" not in result.stderr


def test_new_with_an_arabic_title_asks_for_an_id_then_uses_it(tmp_path):
    project = copy_project(tmp_path / "project")
    refused = run_pim("new", "دليل إدارة معلومات الحماية", cwd=project)
    assert refused.returncode == 1 and "ID=" in refused.stderr
    result = run_pim("new", "دليل إدارة معلومات الحماية", "--id", "pim-guide-arabic", cwd=project)
    assert result.returncode == 0, result.stderr
    assert 'title: "دليل إدارة معلومات الحماية"' in (project / "products" / "pim-guide-arabic.md").read_text(encoding="utf-8")
    assert run_pim("validate", str(project)).returncode == 0


def test_new_rejects_an_invalid_id(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_pim("new", "A title", "--id", "My Product", cwd=project)
    assert result.returncode == 1 and "ID=my-product" in result.stderr
    assert not list((project / "products").glob("My*"))


def run_make_new(project: Path, **variables: str) -> subprocess.CompletedProcess:
    # The copy has no .venv of its own: use this one, and do not let make reinstall it.
    args = ["make", "--no-print-directory", "-o", "install", f"BIN={ROOT / '.venv' / 'bin'}", "new"]
    args += [f"{key}={value}" for key, value in variables.items()]
    return subprocess.run(args, cwd=project, capture_output=True, text=True,
                          env={**os.environ, "GITHUB_ACTIONS": ""})


def test_make_new_writes_the_file_and_it_validates(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_make_new(project, TITLE='A "quoted" title; `touch hacked` \'x\'')
    assert result.returncode == 0, result.stdout + result.stderr
    created = sorted(p.name for p in (project / "products").glob("a-quoted-title*"))
    assert created == ["a-quoted-title-touch-hacked-x.md"]
    assert not (project / "hacked").exists()  # the title never reaches the shell as code
    assert run_pim("validate", str(project)).returncode == 0

    with_id = run_make_new(project, TITLE="Another one", ID="my-own-id")
    assert with_id.returncode == 0 and (project / "products" / "my-own-id.md").exists()
    again = run_make_new(project, TITLE="Another one", ID="my-own-id")
    assert again.returncode != 0 and "already exists" in again.stderr


def test_make_new_without_title_prints_usage(tmp_path):
    project = copy_project(tmp_path / "project")
    result = run_make_new(project)
    assert result.returncode != 0
    assert 'make new TITLE="' in result.stderr


@pytest.mark.parametrize("title", ["first line\nsecond line", "tab\there", "line\u2028separator"])
def test_new_refuses_a_title_that_is_not_one_line(tmp_path, title):
    project = copy_project(tmp_path / "project")
    result = run_pim("new", title, cwd=project)
    assert result.returncode == 1 and "one line" in result.stderr
    assert not list((project / "products").glob("first*")) and run_pim("validate", str(project)).returncode == 0


# --- make report: what is still to translate ----------------------------------------------

ENGLISH_ONLY_PRODUCT = """\
---
title: Safe referral checklist
summary: A one-page checklist for referring people to protection services safely.
type: tool
published: "2024-03"
producers: [pim-community]
editions:
  - language: en
---

A contributor's product, in English only: welcome, and listed as still to translate.
"""


def test_report_names_a_product_added_without_translations_and_still_succeeds(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "products" / "safe-referral-checklist.md").write_text(ENGLISH_ONLY_PRODUCT, encoding="utf-8")
    assert run_pim("validate", str(project)).returncode == 0  # English only is valid
    result = run_pim("report", str(project))
    assert result.returncode == 0, result.stderr
    untranslated = [line for line in result.stdout.splitlines() if ": not translated: " in line]
    # Only the new product: every page and every default product is translated.
    assert untranslated == [
        f"products/safe-referral-checklist.md:3: translations.{language}.summary: not translated: "
        "the English summary is shown" for language in ("fr", "es", "ar")]
    pages = len([p for p in (project / "docs").rglob("*.md") if len(p.name.split(".")) == 2])
    assert f"fr: 0 of {pages} pages and 1 of 14 product summaries not translated yet." in result.stderr


def test_report_names_an_untranslated_page_as_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    (project / "docs" / "english-only.md").write_text("# English only\n", encoding="utf-8")
    (project / "docs" / "english-only.fr.md").write_text("# Seulement en français\n", encoding="utf-8")
    lines = [line for line in run_pim("report", str(project)).stdout.splitlines() if ": not translated: " in line]
    assert lines == [f"docs/english-only.md:1: {language}: not translated: add docs/english-only.{language}.md "
                     "beside english-only.md" for language in ("es", "ar")]
