"""Compiled templates kept in .cache/templates/ (hooks/session.py, TemplateCache): the next
build reads them instead of compiling; an edited template, or a broken or foreign cache file,
is compiled again; a project where the cache cannot be written still builds."""

from __future__ import annotations

import jinja2
import pytest

from hooks.session import TemplateCache


def _env(templates, cache: TemplateCache, folder) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), auto_reload=False)
    env.bytecode_cache = cache
    cache.use_folder(folder, env)
    return env


@pytest.fixture
def project(tmp_path):
    templates = tmp_path / "overrides"
    templates.mkdir()
    (templates / "page.html").write_text("{% for x in items %}<li>{{ x }}</li>{% endfor %}", encoding="utf-8")
    return templates, tmp_path / ".cache" / "templates"


def _compiles(monkeypatch) -> list[str]:
    compiled = []
    original = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)
    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return compiled


def test_the_next_build_reads_the_compiled_template_instead_of_compiling_it(project, monkeypatch):
    templates, folder = project
    compiled = _compiles(monkeypatch)
    first = _env(templates, TemplateCache(), folder).get_template("page.html").render(items=[1, 2])
    assert compiled == ["page.html"] and len([p for p in folder.rglob("*") if p.is_file()]) == 1
    # A new process: a new session, its own TemplateCache, the same folder.
    again = _env(templates, TemplateCache(), folder).get_template("page.html").render(items=[1, 2])
    assert again == first == "<li>1</li><li>2</li>"
    assert compiled == ["page.html"]


def test_an_edited_template_is_compiled_again(project, monkeypatch):
    templates, folder = project
    _env(templates, TemplateCache(), folder).get_template("page.html").render(items=[1])
    (templates / "page.html").write_text("{{ items | length }} items", encoding="utf-8")
    compiled = _compiles(monkeypatch)
    assert _env(templates, TemplateCache(), folder).get_template("page.html").render(items=[1, 2]) == "2 items"
    assert compiled == ["page.html"]


@pytest.mark.parametrize("content", [b"", b"j2", b"not a compiled template at all" * 10])
def test_a_broken_cache_file_is_compiled_again(project, content):
    templates, folder = project
    _env(templates, TemplateCache(), folder).get_template("page.html")
    [cached] = [p for p in folder.rglob("*") if p.is_file()]
    cached.write_bytes(content)
    assert _env(templates, TemplateCache(), folder).get_template("page.html").render(items=["a"]) == "<li>a</li>"


def test_an_unwritable_cache_folder_does_not_stop_the_build(project):
    templates, folder = project
    folder.parent.mkdir(parents=True)
    folder.write_text("a file where the folder should be", encoding="utf-8")
    env = _env(templates, TemplateCache(), folder / "sub")
    assert env.get_template("page.html").render(items=["a"]) == "<li>a</li>"


def test_other_syntax_options_use_another_folder(project):
    templates, folder = project
    plain = _env(templates, TemplateCache(), folder)
    other = jinja2.Environment(loader=jinja2.FileSystemLoader(str(templates)), trim_blocks=True)
    cache = TemplateCache()
    cache.use_folder(folder, other)
    assert cache.folder != plain.bytecode_cache.folder
