"""`make checksums` writes the sha256 of each fetched product file into its product file, and
changes nothing else in it: every other byte stays where it was."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys

from conftest import ROOT, copy_project
from pim.load import load_catalog
from test_offline_documents import DOCX, PDF, document_server  # noqa: F401 - the fixture

PRODUCT = """\
---
# Kept as written: comments, quotes, spacing and order.
title: "Checksummed"
summary: A product whose files get their checksums.
type: guidance
published: "2022-03"
producers: [pim-community]
editions:
  - language: en
    files:
      - label: Full report   # the main file
        format: PDF
        url: "{base}/report.pdf"
      - {{label: Worksheet, format: Word, url: {base}/worksheet }}
      - {{label: Read online, format: Web page, url: {base}/page.html}}
      - label: Missing
        format: PDF
        url: {base}/missing.pdf
      - label: Already checked
        format: PDF
        url: {base}/rapport.pdf
        sha256: {known}
tags: [checks]
---

The body stays as it is.
"""


def test_checksums_are_written_into_the_product_file_and_nothing_else_changes(tmp_path, document_server):  # noqa: F811
    project = copy_project(tmp_path / "project")
    base = document_server.url
    known = "1" * 64
    original = PRODUCT.format(base=base, known=known).replace("\n", "\r\n")  # Windows line endings too
    path = project / "products" / "checksummed.md"
    path.write_bytes(original.encode("utf-8"))
    others = {p.name: p.read_bytes() for p in (project / "products").glob("*.md") if p != path}
    env = {**os.environ, "OFFLINE_FETCH_HOSTS": "127.0.0.1", "OFFLINE_TIMEOUT": "2"}
    result = subprocess.run([sys.executable, "-m", "pim.checksums", str(project)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pdf, docx = hashlib.sha256(PDF).hexdigest(), hashlib.sha256(DOCX).hexdigest()
    expected = original.replace(
        f'        url: "{base}/report.pdf"\r\n',
        f'        url: "{base}/report.pdf"\r\n        sha256: {pdf}\r\n').replace(
        f"url: {base}/worksheet }}", f"url: {base}/worksheet, sha256: {docx} }}")
    assert path.read_bytes() == expected.encode("utf-8")
    assert {p.name: p.read_bytes() for p in (project / "products").glob("*.md") if p != path} == others
    assert f"products/checksummed.md:{original.splitlines().index(f'        url: {base}/missing.pdf') + 1}: " \
           f"{base}/missing.pdf: the server answered 404" in result.stdout
    assert "2 checksums written, 1 file could not be fetched." in result.stdout
    catalog, problems = load_catalog(project)
    assert problems == []
    files = catalog.product("checksummed").editions[0].files
    assert [f.sha256 for f in files] == [pdf, docx, None, None, known]


def test_validate_checks_the_form_of_sha256(tmp_path):
    project = copy_project(tmp_path / "project")
    text = PRODUCT.format(base="https://example.org", known="ABC123")
    (project / "products" / "checksummed.md").write_text(text, encoding="utf-8")
    _, problems = load_catalog(project)
    line = text.splitlines().index("        sha256: ABC123") + 1
    assert len(problems) == 1
    assert str(problems[0]).startswith(f"products/checksummed.md:{line}: editions[0].files[4].sha256: ")
    assert "64 lowercase hexadecimal digits" in problems[0].message


def test_sha256_is_in_the_field_reference_and_in_new_product_files():
    import datetime

    from pim.fieldref import field_rows
    from pim.scaffold import product_text

    row = next(r for r in field_rows("product") if r.name == "editions[].files[].sha256")
    assert row.requirement == "optional" and "64 lowercase hexadecimal digits" in row.kind
    text = product_text("A checked product", datetime.date(2025, 1, 1))
    assert "# sha256 (optional): The file's SHA-256 checksum" in text
