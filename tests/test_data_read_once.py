"""The data files are read and checked once per build, for all four languages, and `mkdocs
serve` reads them again only when one changed (hooks/data.py): here in the reader itself; in a
serve session, with its four languages, in tests/test_rebuild.py (the first build reads once, a
rebuild with no change reads nothing, one after a product's change reads again)."""

from __future__ import annotations

import os
import shutil

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, write_data_project
from hooks import data

READ = "Read and checked the data"


def _data_project(tmp_path):
    """The data files hooks/data.py reads, with the project's stakeholders and translations."""
    project = write_data_project(tmp_path, (ROOT / "stakeholders.yml").read_text(encoding="utf-8"))
    shutil.copy(ROOT / "translations.yml", project / "translations.yml")
    return project


def test_a_changed_data_file_is_read_again_and_an_unchanged_one_is_not(tmp_path):
    project = _data_project(tmp_path)
    product = project / "products" / "a-product.md"
    product.write_text((ROOT / "products" / "common-pim-terminology.md").read_text(encoding="utf-8"), encoding="utf-8")
    reader = data.DataReader()
    first = reader.load(project)
    assert reader.load(project) is first  # nothing changed
    product.write_text(product.read_text(encoding="utf-8").replace("PIM", "P.I.M.", 1), encoding="utf-8")
    second = reader.load(project)
    assert second is not first and len(second.catalog.products) == 1
    os.utime(project / "translations.yml")  # saved again, even unchanged: read again
    assert reader.load(project) is not second
    (project / "products" / "another.md").write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    with pytest.raises(PluginError, match="another.md"):  # a broken file stops the build...
        reader.load(project)
    (project / "products" / "another.md").unlink()
    assert reader.load(project).catalog.products  # ...and the next rebuild reads the files again


def test_a_change_to_the_data_layer_asks_for_a_restart(tmp_path, monkeypatch, caplog):
    # In the reader itself: a serve-like rebuild after a code change is a full build (3 CPU s).
    project = _data_project(tmp_path)
    reader = data.DataReader()
    first = reader.load(project)
    fingerprint = data.code_fingerprint()
    assert {str(ROOT / "pim" / "model.py"), str(ROOT / "pim" / "schemas" / "product.schema.json"),
            str(ROOT / "hooks" / "data.py")} <= {path for path, _ in fingerprint}
    monkeypatch.setattr(data, "code_fingerprint", lambda: fingerprint + (("pim/model.py", "changed"),))
    caplog.set_level("INFO", logger=data.log.name)
    assert reader.load(project) is first  # nothing read again
    assert reader.load(project) is first
    warnings = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and "restart" in warnings[0].lower() and "pim/" in warnings[0]  # said once per change
    assert not any(READ in r.getMessage() for r in caplog.records)
