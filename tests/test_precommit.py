"""The optional pre-commit hook (.pre-commit-config.yaml) runs `python -m pim validate` in an
environment of its own that holds only its `additional_dependencies`: they must be the libraries
the command imports (this file), at the versions requirements.txt pins (tests/test_contribute.py)."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions

import yaml

from conftest import ROOT


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def hook() -> dict:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return next(h for repo in config["repos"] for h in repo["hooks"] if h["id"] == "pim-validate")


def imported_by_validate() -> set[str]:
    """Top-level names of the libraries `python -m pim validate` imports when it loads: the
    module-level imports of pim.cli and of every pim module it imports in turn (an import inside a
    function, like feedgen's, is for the build only)."""
    todo, seen, libraries = ["cli"], set(), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((ROOT / "pim" / f"{name}.py").read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            if isinstance(node, ast.ImportFrom) and node.level:
                todo += [node.module.split(".")[0]] if node.module else [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                libraries.add(node.module.split(".")[0])
            elif isinstance(node, ast.Import):
                libraries |= {a.name.split(".")[0] for a in node.names}
    return {name for name in libraries if name not in sys.stdlib_module_names and name not in ("pim", "__future__")}


def test_hook_installs_every_library_the_validate_command_imports():
    assert hook()["entry"] == "python -m pim validate"
    owners = packages_distributions()
    imported = {normalise(d) for name in imported_by_validate() for d in owners.get(name, [name])}
    assert {"pyyaml", "jsonschema", "jsonschema-rs"} <= imported  # the scan sees what it should
    declared = {normalise(d.partition("==")[0]) for d in hook()["additional_dependencies"]}
    missing = imported - declared
    assert not missing, f"`python -m pim validate` imports {sorted(missing)}: add them to additional_dependencies"
