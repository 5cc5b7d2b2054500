"""`make bench` measures the site that ships: four languages, against plain Material with
mkdocs-static-i18n building the same languages with fallback on; English only as a second row."""

from __future__ import annotations

import importlib.util

import yaml

from conftest import ROOT


def bench_module():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plugins(config: str) -> dict:
    return {next(iter(p)) if isinstance(p, dict) else p: (next(iter(p.values())) if isinstance(p, dict) else {})
            for p in yaml.safe_load(config)["plugins"]}


def test_the_shipped_build_is_mkdocs_yml_as_it_is_with_four_languages():
    bench = bench_module()
    label, languages = bench.BUILDS["shipped"]
    assert languages == ("en", "fr", "es", "ar")
    shipped = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert bench.with_languages(shipped, languages) == shipped


def test_plain_material_builds_the_same_languages_with_fallback():
    bench = bench_module()
    four = plugins(bench.plain_config(bench.BUILDS["shipped"][1]))
    assert list(four) == ["search", "i18n"]
    i18n = four["i18n"]
    assert i18n["fallback_to_default"] is True and i18n["docs_structure"] == "suffix"
    assert [(lang["locale"], lang["default"], lang["build"]) for lang in i18n["languages"]] == [
        ("en", True, True), ("fr", False, True), ("es", False, True), ("ar", False, True)]
    assert list(plugins(bench.plain_config(("en",)))) == ["search"]
    offline = bench.plain_config(bench.BUILDS["shipped"][1], offline=True)
    assert list(plugins(offline)) == ["search", "i18n", "offline"]
    assert yaml.safe_load(offline)["extra"]["polyfills"] == ["assets/javascripts/iframe-worker.js"]
