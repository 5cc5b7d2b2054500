"""Writes that cannot lose data (issue 24): `make checksums` and `make new` write a product file
through a temporary file and a rename, so a failure in the middle of a write (a full disk) leaves
the file exactly as it was, and no temporary file behind."""

from __future__ import annotations

import errno
import hashlib
import io
import os
import stat
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, write_data_project
from pim import atomicfile
from pim.atomicfile import write_atomically
from pim.scaffold import create_product
from test_offline_documents import PDF, document_server  # noqa: F401 - the fixture

PRODUCT = """\
---
title: "Checksummed"
summary: A product whose file gets its checksum.
type: guidance
published: "2022-03"
producers: [pim-community]
editions:
  - language: en
    files:
      - {{label: Full report, format: PDF, url: "{base}/report.pdf"}}
---

The body.
"""


class DiskFull(io.RawIOBase):
    """A file that takes half of what is written to it, then fails as a full disk does."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(bytes(data)[: len(data) // 2])
        self.real.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


@pytest.fixture
def full_disk(monkeypatch):
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomicfile.os, "fdopen", lambda fd, mode: DiskFull(real_fdopen(fd, mode)))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_a_failed_write_leaves_the_original_bytes_and_no_temporary_file(tmp_path, full_disk):
    path = tmp_path / "product.md"
    path.write_bytes(b"the original bytes\n")
    with pytest.raises(OSError):
        write_atomically(path, b"the new, longer bytes that do not fit\n")
    assert path.read_bytes() == b"the original bytes\n"
    assert leftovers(tmp_path) == []


def test_a_rewritten_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "product.md"
    path.write_bytes(b"old")
    path.chmod(0o640)
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new" and stat.S_IMODE(path.stat().st_mode) == 0o640


def test_checksums_that_fail_to_be_written_leave_the_product_file_as_it_was(tmp_path, document_server,  # noqa: F811
                                                                            monkeypatch, full_disk):
    from pim.checksums import main

    project = write_data_project(tmp_path, (ROOT / "stakeholders.yml").read_text(encoding="utf-8"))
    path = project / "products" / "checksummed.md"
    original = PRODUCT.format(base=document_server.url).encode("utf-8")
    path.write_bytes(original)
    monkeypatch.setenv("OFFLINE_FETCH_HOSTS", "127.0.0.1")
    monkeypatch.chdir(project)
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(project)])
    assert code == 1
    assert path.read_bytes() == original
    assert leftovers(project / "products") == []
    assert "products/checksummed.md:1: could not be written (No space left on device); it is unchanged." in err.getvalue()

    monkeypatch.undo()  # the disk has room again: the same command writes the checksum
    monkeypatch.setenv("OFFLINE_FETCH_HOSTS", "127.0.0.1")
    with redirect_stdout(io.StringIO()):
        assert main([str(project)]) == 0
    assert f"sha256: {hashlib.sha256(PDF).hexdigest()}" in path.read_text(encoding="utf-8")


def test_make_new_that_fails_to_write_leaves_no_half_product_file(tmp_path, full_disk, monkeypatch):
    project = write_data_project(tmp_path, (ROOT / "stakeholders.yml").read_text(encoding="utf-8"))
    with pytest.raises(OSError):
        create_product(project, "Safe referral checklist")
    assert list((project / "products").iterdir()) == []
    result = run_cli("new", "Safe referral checklist", "--root", str(project))  # what `make new` says
    assert (result.returncode, result.stderr) == (
        1, "The product file could not be written (No space left on device); nothing was written.\n")
    assert list((project / "products").iterdir()) == []
    monkeypatch.undo()
    assert create_product(project, "Safe referral checklist").read_text(encoding="utf-8").startswith("---\n")
