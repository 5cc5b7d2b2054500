"""The build's stages are listed in one place (hooks/pipeline.py) and share one typed state
(hooks/state.py), which templates see as `pim`: no stage talks to another through
config.extra or edits sys.path, and no template uses the names that came before `pim`."""

from __future__ import annotations

import re
import sys

import yaml

from conftest import ROOT


def _hooks_source() -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8") for path in (ROOT / "hooks").glob("*.py")}


def test_mkdocs_runs_one_hook_the_pipeline():
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    assert config["hooks"] == ["hooks/pipeline.py"]


def test_each_event_runs_its_stages_in_the_order_of_the_list():
    from mkdocs.config import load_config

    load_config(str(ROOT / "mkdocs.yml"))
    pipeline = sys.modules["hooks/pipeline.py"]  # the module MkDocs loaded
    for event in {stage.event for stage in pipeline.STAGES}:
        handlers = getattr(pipeline, f"on_{event}").methods
        stages = [stage for stage in pipeline.STAGES if stage.event == event]
        assert [h.mkdocs_priority for h in handlers] == [s.priority for s in stages]
        assert [h.__name__ for h in handlers] == [f"{s.run.__module__}.{s.run.__name__}" for s in stages]
    assert all(stage.why for stage in pipeline.STAGES)


def test_no_hook_edits_sys_path_or_passes_state_through_config_extra():
    for name, source in _hooks_source().items():
        assert "sys.path" not in source, name
        # extra.alternate is mkdocs-static-i18n's input and extra.polyfills Material's: theirs, not ours.
        keys = set(re.findall(r"""config\.extra(?:\[["'](\w+)|\.get\(["'](\w+)|\.(\w+))""", source))
        assert {k for group in keys for k in group if k} <= {"alternate", "polyfills", "get"}, name


def test_private_mkdocs_names_appear_only_in_hooks_internals():
    private = re.compile(r"\b_(ExtractAnchorsTreeprocessor|ExtractTitleTreeprocessor|RawHTMLPreprocessor|"
                         r"RelativePathTreeprocessor|register|title_from_render|current_page)\b")
    users = {name for name, source in _hooks_source().items() if private.search(source)}
    assert users == {"internals.py"}


def test_templates_reach_the_build_state_only_as_pim():
    retired = re.compile(r"(?<![\w.])(ui_language|default_language|page_url\(|translation_status\(|t\(|"
                         r"fieldref\.|offline_edition\.|vocabulary\.|catalog\.)")
    tag = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
    strings = re.compile(r"""'[^']*'|"[^"]*\"""")
    found = []
    files = [*(ROOT / "overrides").rglob("*.html"), *(ROOT / "docs").rglob("*.md")]
    for path in files:
        for code in tag.findall(path.read_text(encoding="utf-8")):
            if retired.search(strings.sub("''", code)):
                found.append(f"{path.relative_to(ROOT)}: {code}")
    assert not found, "use pim.catalog, pim.t(), pim.language, pim.page_url()...:\n" + "\n".join(found[:10])


def test_hook_modules_are_loaded_once_as_the_hooks_package(tmp_path):
    from mkdocs.config import load_config

    load_config(str(ROOT / "mkdocs.yml"))
    loaded_by_path = [name for name in sys.modules if name.startswith("hooks/")]
    assert loaded_by_path == ["hooks/pipeline.py"]  # the rest are hooks.catalog, hooks.offline...
    assert "hooks.offline" in sys.modules and "hooks.offline.py" not in sys.modules
