"""Plain structure: the modules of pim/ and hooks/ import each other without cycles, so each can
be read, tested and changed from the bottom up (the data layer under the MkDocs glue)."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT

PACKAGES = ("pim", "hooks")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, modules: set[str]) -> set[str]:
    """The project modules `path` imports, at any depth of the file (a function's import counts
    too: it is a dependency all the same), except under `if TYPE_CHECKING:`, which never runs:
    a module may name the types of a module above it."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", getattr(node.test, "attr", None)) == "TYPE_CHECKING":
            node.body = []
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([base] if base else []))
            # `from pim import citations` imports pim.citations; `from pim.x import y`, pim.x
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base for alias in node.names]
        else:
            continue
        found |= {target for target in targets if target in modules and target != name}
    return found


def import_graph() -> dict[str, set[str]]:
    paths = [path for package in PACKAGES for path in sorted((ROOT / package).glob("*.py"))]
    modules = {module_name(path) for path in paths}
    # A package's __init__ is imported with any of its modules, but imports none of them here.
    return {module_name(path): imports_of(path, modules) - set(PACKAGES) for path in paths}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each import cycle once, as the list of modules around it (depth-first search)."""
    found, done = [], set()

    def visit(module, path):
        if module in path:
            cycle = path[path.index(module):]
            start = cycle.index(min(cycle))
            cycle = cycle[start:] + cycle[:start]
            if cycle not in found:
                found.append(cycle)
            return
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, path + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_graph_sees_relative_and_absolute_imports():
    graph = import_graph()
    assert "pim.load" in graph["pim.scaffold"]  # from .load import ...
    assert "hooks.state" in graph["hooks.catalog"]  # from hooks.state import ...
    assert "pim.translations" in graph["hooks.state"]  # from pim import translations
    assert "pim.model" not in graph["pim.review"]  # under `if TYPE_CHECKING:` only


def test_no_import_cycles_in_pim_and_hooks():
    assert cycles(import_graph()) == []
