"""The data files are read and checked once per build, for all four languages, and `mkdocs
serve` reads them again only when one changed (hooks/data.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT, copy_project, write_data_project
from hooks import data

READ = "Read and checked the data"
# What `make serve` (`mkdocs serve --dirty`) does on each change: load the configuration again
# and build, in one process. Between builds the script makes the change named on its command
# line. (The rebuilds write only what changed, as under `make serve`; as full builds they cost
# about 3 CPU seconds more each, and read the data through the same DataReader.)
SERVE_LIKE = """
import logging, sys
from pathlib import Path
sys.path.insert(0, ".")  # this project's pim/ and hooks/, not the installed ones
sys.argv[:1] = ["mkdocs"]  # mkdocs-static-i18n reads --dirty from it
logging.basicConfig(level=logging.INFO, format="%(levelname)s %(message)s")
from mkdocs.commands.build import build
from mkdocs.config import load_config
product = Path("products/common-pim-terminology.md")
changes = {
    "nothing": lambda: None,
    "product": lambda: product.write_text(product.read_text(encoding="utf-8") + "\\nA sentence added while serving.\\n", encoding="utf-8"),
}
site, steps = sys.argv[1], sys.argv[2:]
sys.argv[1:] = ["serve", "--dirty"]
for number, change in enumerate(steps):
    changes[change]()
    print(f"BUILD after {change}", file=sys.stderr, flush=True)
    config = load_config("mkdocs.yml", site_dir=site)
    if number == 0:
        config.plugins.on_startup(command="serve", dirty=True)
    build(config, dirty=True)
"""


def test_a_changed_data_file_is_read_again_and_an_unchanged_one_is_not(tmp_path):
    project = write_data_project(tmp_path, (ROOT / "stakeholders.yml").read_text(encoding="utf-8"))
    shutil.copy(ROOT / "translations.yml", project / "translations.yml")
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


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    project = copy_project(tmp_path_factory.mktemp("serve") / "project")
    result = subprocess.run(
        [sys.executable, "-c", SERVE_LIKE, str(project / "site"), "nothing", "nothing", "product"],
        cwd=project, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-3000:]
    builds = result.stderr.split("BUILD after ")[1:]
    return project, {f"{n}:{b.split(chr(10), 1)[0]}": b for n, b in enumerate(builds)}


@pytest.mark.build
def test_the_data_is_read_once_for_the_four_languages(served):
    first = served[1]["0:nothing"]
    assert first.count(READ) == 1
    assert "Building 'ar' documentation" in first  # the other languages were built too


@pytest.mark.build
def test_a_rebuild_with_no_data_change_reads_nothing(served):
    assert served[1]["1:nothing"].count(READ) == 0


@pytest.mark.build
def test_a_rebuild_after_a_product_changed_reads_it_again_and_shows_it(served):
    assert served[1]["2:product"].count(READ) == 1
    page = (served[0] / "site" / "products" / "common-pim-terminology" / "index.html").read_text(encoding="utf-8")
    assert "A sentence added while serving." in page


@pytest.mark.build
def test_a_change_to_the_data_layer_asks_for_a_restart(tmp_path, monkeypatch, caplog):
    # In the reader itself: a serve-like rebuild after a code change is a full build (3 CPU s).
    project = write_data_project(tmp_path, (ROOT / "stakeholders.yml").read_text(encoding="utf-8"))
    shutil.copy(ROOT / "translations.yml", project / "translations.yml")
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
