"""The optional pre-commit hook (.pre-commit-config.yaml) runs `python -m pim validate` in an
environment of its own that holds only its `additional_dependencies`: they must be the libraries
the command imports (this file), at the versions requirements.txt pins (tests/test_contribute.py)."""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

import yaml

from conftest import ROOT


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def hook() -> dict:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "pim-validate")


def imported_by_pim() -> set[str]:
    """Top-level names of everything pim/ imports itself, anywhere in a module."""
    names = set()
    for path in (ROOT / "pim").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
    return names


def imported_by_validate(tmp_path: Path) -> set[str]:
    """Top-level names of the libraries pim/ imports that `python -m pim validate` loads, run on a
    copy of the data with one broken product: it then also imports what explains a problem
    (jsonschema, imported only then: pim/schema.py). Their own dependencies (attrs, referencing...)
    are the installer's business; an import in a function the command never runs (feedgen's)
    is the build's."""
    for name in ("vocabularies.yml", "stakeholders.yml", "translations.yml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "products", tmp_path / "products")
    (tmp_path / "products" / "broken.md").write_text("---\ntitle: A broken product\n---\n", encoding="utf-8")
    code = ("import json, runpy, sys\n"
            "try:\n    runpy.run_module('pim', run_name='__main__')\n"
            "except SystemExit as stop:\n    assert stop.code == 1, stop.code\n"
            "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))")
    result = subprocess.run([sys.executable, "-c", code, "validate", str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, check=True)
    loaded = set(json.loads(result.stdout.splitlines()[-1]))
    return {name for name in loaded & imported_by_pim() if name not in sys.stdlib_module_names and name != "__future__"}


def test_hook_installs_every_library_the_validate_command_imports(tmp_path):
    assert hook()["entry"] == "python -m pim validate"
    owners = packages_distributions()
    imported = {normalise(d) for name in imported_by_validate(tmp_path) for d in owners.get(name, [name])}
    assert {"pyyaml", "jsonschema", "jsonschema-rs"} <= imported  # the scan sees what it should
    declared = {normalise(d.partition("==")[0]) for d in hook()["additional_dependencies"]}
    missing = imported - declared
    assert not missing, f"`python -m pim validate` imports {sorted(missing)}: add them to additional_dependencies"
