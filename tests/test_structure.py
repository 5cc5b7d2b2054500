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


# The environment is for run and CI switches only; what changes the site lives in mkdocs.yml or
# mkdocs-offline.yml. Each variable the code reads, and why it may stay there.
RUN_SWITCHES = {
    "SOURCE_DATE_EPOCH": "the reproducible-builds date, set by make from the last commit",
    "GITHUB_ACTIONS": "CI: errors also printed as GitHub annotations",
    "CHROMIUM": "where this machine's Chromium is",
    "OFFLINE_TIMEOUT": "how long this run waits for a server",
    "OFFLINE_REFRESH": "this run asks every server again instead of using the cache",
    "OFFLINE_FETCH_HOSTS": "the private hosts this run may ask (tests: 127.0.0.1)",
    "PIM_OFFLINE_DOCUMENTS": "pim.offline_edition hands its fetched documents to the build it starts",
}
# Reads whose name is not written in the code: mkdocs.yml's `!ENV [NAME, default]` (PROPOSE_BRANCH).
DYNAMIC_READS = {("pim/pdf_book.py", "_env")}


def environment_reads(path: Path) -> tuple[set[str], set[str]]:
    """The variable names `path` reads from the environment, and the functions reading a name
    that is not a constant."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    constants = {target.id: node.value.value for node in tree.body if isinstance(node, ast.Assign)
                 for target in node.targets if isinstance(target, ast.Name)
                 and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)}
    names, dynamic = set(), set()

    def is_environ(node) -> bool:
        return getattr(node, "attr", getattr(node, "id", None)) == "environ"

    for function in [tree, *(n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)))]:
        for node in ast.walk(function):
            key = None
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" \
                    and is_environ(node.func.value) and node.args:
                key = node.args[0]
            elif isinstance(node, ast.Subscript) and is_environ(node.value):
                key = node.slice
            if key is None:
                continue
            if isinstance(key, ast.Constant):
                names.add(key.value)
            elif isinstance(key, ast.Name) and key.id in constants:
                names.add(constants[key.id])
            elif function is not tree:
                dynamic.add(function.name)
    return names, dynamic


def test_the_environment_holds_run_switches_only():
    read, dynamic = {}, set()
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            names, functions = environment_reads(path)
            for name in names:
                read.setdefault(name, path.relative_to(ROOT).as_posix())
            dynamic |= {(path.relative_to(ROOT).as_posix(), function) for function in functions}
    assert {name: where for name, where in read.items() if name not in RUN_SWITCHES} == {}
    assert dynamic <= DYNAMIC_READS
    assert {"OFFLINE_TIMEOUT", "SOURCE_DATE_EPOCH", "PIM_OFFLINE_DOCUMENTS"} <= set(read)  # the finder finds them
