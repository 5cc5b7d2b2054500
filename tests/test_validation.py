"""Loading and validation of the data files: one test per kind of error, plus odd but valid input.

Each test writes a small project (vocabularies, stakeholders, products) into a temp folder and
checks the exact problem lines a contributor would see: `path:line: field: message`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, write_data_project
from pim.load import load_catalog
from pim.schema import load_schema

STAKEHOLDERS = """\
- id: drc
  name: Danish Refugee Council (DRC)
  type: ngo
  url: https://drc.ngo/
  facilitator: true
- id: unhcr
  name: UNHCR
  type: un-agency
"""

GOOD_PRODUCT = """\
---
title: A good product
summary: A short summary.
type: tool
categories: [protection-monitoring]
published: "2018-05"
producers: [drc]
editions:
  - language: en
    files:
      - label: Read online
        url: https://example.org/tool/
        format: Web page
---

The description.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_data_project(tmp_path, STAKEHOLDERS)


def write(project: Path, name: str, text: str, newline: str = "\n", bom: bool = False) -> None:
    data = text.replace("\n", newline)
    (project / "products" / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + data.encode("utf-8"))


def problems_of(project: Path) -> list[str]:
    catalog, problems = load_catalog(project)
    assert (catalog is None) == bool(problems)
    return [str(p) for p in problems]


def product_with(**changes) -> str:
    """GOOD_PRODUCT with some front matter lines replaced (key -> new YAML text or None to drop)."""
    head, body = GOOD_PRODUCT.split("\n---\n", 1)
    lines = head.split("\n")
    for key, value in changes.items():
        start = next(i for i, line in enumerate(lines) if line.startswith(f"{key}:"))
        end = start + 1
        while end < len(lines) and lines[end].startswith(" "):
            end += 1
        lines[start:end] = [] if value is None else textwrap.dedent(value).strip("\n").split("\n")
    return "\n".join(lines) + "\n---\n" + body


def test_a_valid_product_loads_into_the_model(project):
    write(project, "good-product.md", GOOD_PRODUCT)
    catalog, problems = load_catalog(project)
    assert problems == []
    product = catalog.product("good-product")
    assert product.title == "A good product"
    assert product.year == 2018 and product.published == "2018-05"
    assert product.languages == ["en"]
    assert product.editions[0].files[0].url == "https://example.org/tool/"
    assert product.body.strip() == "The description."
    assert catalog.producers_of(product)[0].name.startswith("Danish")


def test_the_default_content_is_valid():
    catalog, problems = load_catalog(ROOT)
    assert problems == []
    assert len(catalog.products) >= 13
    assert {"drc", "unhcr"} <= {s.id for s in catalog.facilitators()}


def test_missing_required_field_names_the_field(project):
    write(project, "p.md", product_with(summary=None))
    assert problems_of(project) == [
        "products/p.md:2: summary: this field is required but missing. "
        "summary: One or two plain sentences, at most 300 characters."
    ]


def test_unknown_key_is_an_error_with_did_you_mean(project):
    write(project, "p.md", product_with(summary="summary: ok\nsumary: typo"))
    [problem] = problems_of(project)
    assert problem.startswith('products/p.md:4: sumary: unknown field "sumary". Did you mean "summary"?')
    assert '"process_steps"' in problem  # names the allowed fields


def test_vocabulary_typo_names_allowed_values_and_the_nearest(project):
    write(project, "p.md", product_with(type="type: tol"))
    [problem] = problems_of(project)
    assert problem.startswith('products/p.md:4: type: "tol" is not allowed. Did you mean "tool"?')
    assert '"guidance"' in problem and '"training-package"' in problem


def test_list_item_error_points_at_its_own_line(project):
    write(project, "p.md", product_with(categories="categories:\n  - protection-monitoring\n  - case-managment"))
    [problem] = problems_of(project)
    assert problem.startswith('products/p.md:7: categories[1]: "case-managment" is not allowed. '
                              'Did you mean "case-management"?')


def test_summary_over_300_characters_is_rejected(project):
    write(project, "p.md", product_with(summary="summary: " + "x" * 301))
    assert problems_of(project) == ["products/p.md:3: summary: is 301 characters long; at most 300 are allowed."]


def test_bad_date_says_which_formats_are_allowed(project):
    write(project, "p.md", product_with(published="published: 2018/05"))
    [problem] = problems_of(project)
    assert problem == ('products/p.md:6: published: "2018/05" is not valid: use a date as YYYY, YYYY-MM '
                       "or YYYY-MM-DD, or 'unknown'.")


def test_unquoted_year_and_date_are_read_as_text(project):
    write(project, "p.md", product_with(published="published: 2018-05-01"))
    write(project, "q.md", product_with(published="published: 2019"))
    catalog, problems = load_catalog(project)
    assert problems == []
    assert catalog.product("p").published == "2018-05-01"
    assert catalog.product("q").year == 2019


def test_unknown_producer_suggests_the_nearest_stakeholder(project):
    write(project, "p.md", product_with(producers="producers: [drc, unhrc]"))
    [problem] = problems_of(project)
    assert problem.startswith('products/p.md:7: producers[1]: "unhrc" is not an id in stakeholders.yml. '
                              'Did you mean "unhcr"?')


def test_missing_local_file_is_reported(project):
    files = """\
    editions:
      - language: en
        files:
          - label: The PDF
            path: downloads/missing.pdf
            format: PDF
    """
    write(project, "p.md", product_with(editions=files))
    [problem] = problems_of(project)
    assert problem.startswith("products/p.md:12: editions[0].files[0].path: the file docs/downloads/missing.pdf "
                              "does not exist")


def test_local_file_gets_its_size(project):
    (project / "docs" / "downloads").mkdir()
    (project / "docs" / "downloads" / "flyer.pdf").write_bytes(b"%PDF-1.4\n" + b"0" * 1000)
    files = """\
    editions:
      - language: en
        files:
          - label: The PDF
            path: downloads/flyer.pdf
            format: PDF
    """
    write(project, "p.md", product_with(editions=files))
    catalog, problems = load_catalog(project)
    assert problems == []
    assert catalog.product("p").editions[0].files[0].size == 1009


def test_path_outside_docs_is_rejected(project):
    files = """\
    editions:
      - language: en
        files:
          - {label: Secrets, path: ../../etc/passwd, format: Text}
    """
    write(project, "p.md", product_with(editions=files))
    [problem] = problems_of(project)
    assert "editions[0].files[0].path" in problem and "inside the docs/ folder" in problem


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,<b>x</b>",
                                 "file:///etc/passwd", "ftp://example.org/x", "//example.org/x"])
def test_only_http_https_and_mailto_urls_are_allowed(project, url):
    files = f"""\
    editions:
      - language: en
        files:
          - label: Link
            url: "{url}"
            format: Web page
    """
    write(project, "p.md", product_with(editions=files))
    [problem] = problems_of(project)
    assert problem.startswith("products/p.md:12: editions[0].files[0].url: ")
    assert "must start with https://, http:// or mailto:" in problem


def test_file_needs_exactly_one_of_url_or_path(project):
    files = """\
    editions:
      - language: en
        files:
          - {label: Link, format: Web page}
    """
    write(project, "p.md", product_with(editions=files))
    [problem] = problems_of(project)
    assert 'exactly one of "url"' in problem and "editions[0].files[0]" in problem


def test_duplicate_alias_is_reported(project):
    write(project, "p.md", product_with(producers="producers: [drc]\naliases: [/old/page/]"))
    write(project, "q.md", product_with(producers="producers: [drc]\naliases: [/old/page/]"))
    [problem] = problems_of(project)
    assert problem.startswith('products/q.md:8: aliases[0]: "/old/page/" is already an alias of products/p.md')


def test_duplicate_stakeholder_id_is_reported(project):
    (project / "stakeholders.yml").write_text(STAKEHOLDERS + "- id: drc\n  name: Again\n  type: ngo\n",
                                              encoding="utf-8")
    assert problems_of(project) == [
        'stakeholders.yml:9: id: "drc" is used twice (first on line 1); ids must be unique.'
    ]


def test_stakeholder_with_unknown_type_and_bad_url(project):
    (project / "stakeholders.yml").write_text(
        STAKEHOLDERS + "- id: x\n  name: X\n  type: ngoo\n  url: javascript:alert(1)\n", encoding="utf-8")
    problems = problems_of(project)
    assert any(p.startswith('stakeholders.yml:11: type: "ngoo" is not allowed. Did you mean "ngo"?')
               for p in problems), problems
    assert any("stakeholders.yml:9: url:" in p and "mailto" in p for p in problems), problems


def test_yaml_syntax_error_gives_line_and_column(project):
    write(project, "p.md", product_with(categories="categories: [protection-monitoring"))
    [problem] = problems_of(project)
    assert problem.startswith("products/p.md:5: file: YAML syntax error: ")
    assert "flow sequence that starts here" in problem and "at column 13." in problem


def test_yaml_error_in_stakeholders_gives_line_and_column(project):
    (project / "stakeholders.yml").write_text(STAKEHOLDERS + "- id: x\n  name: X: Y\n", encoding="utf-8")
    assert problems_of(project) == [
        "stakeholders.yml:10: file: YAML syntax error: mapping values are not allowed in this context, at column 10."
    ]


def test_missing_front_matter_is_explained(project):
    write(project, "p.md", "# Just a title\n")
    assert problems_of(project) == [
        "products/p.md:1: file: the file must start with a line '---', then the fields, then another line '---'."
    ]


def test_bad_file_name_suggests_a_valid_id(project):
    write(project, "My Product.md", GOOD_PRODUCT)
    [problem] = problems_of(project)
    assert 'not a valid product id' in problem and '"my-product.md"' in problem


def test_every_problem_is_reported_in_one_run(project):
    write(project, "a.md", product_with(type="type: tol"))
    write(project, "b.md", product_with(summary=None))
    write(project, "c.md", product_with(producers="producers: [nobody]"))
    (project / "stakeholders.yml").write_text(STAKEHOLDERS + "- id: y\n  name: Y\n", encoding="utf-8")
    problems = problems_of(project)
    assert [p.split(":")[0] for p in problems] == ["products/a.md", "products/b.md", "products/c.md",
                                                    "stakeholders.yml"]


def test_crlf_line_endings_and_byte_order_mark_are_accepted(project):
    write(project, "crlf.md", GOOD_PRODUCT, newline="\r\n", bom=True)
    (project / "stakeholders.yml").write_bytes(b"\xef\xbb\xbf" + STAKEHOLDERS.replace("\n", "\r\n").encode())
    catalog, problems = load_catalog(project)
    assert problems == []
    assert catalog.product("crlf").title == "A good product"


def test_line_numbers_stay_right_with_crlf(project):
    write(project, "p.md", product_with(type="type: tol"), newline="\r\n")
    [problem] = problems_of(project)
    assert problem.startswith("products/p.md:4: type:")


def test_arabic_titles_and_edition_titles_are_accepted(project):
    text = product_with(title="title: إدارة معلومات الحماية",
                        editions="editions:\n  - language: ar\n    title: إطار تبادل البيانات\n    files: []")
    write(project, "arabic.md", text)
    catalog, problems = load_catalog(project)
    assert problems == []
    product = catalog.product("arabic")
    assert product.title == "إدارة معلومات الحماية"
    assert product.editions[0].title == "إطار تبادل البيانات"


def test_schema_enums_equal_the_vocabulary_file():
    vocabulary = yaml.safe_load((ROOT / "vocabularies.yml").read_text(encoding="utf-8"))
    ids = {kind: [term["id"] for term in terms] for kind, terms in vocabulary.items() if isinstance(terms, list)}
    product = load_schema("product")["properties"]
    assert product["type"]["enum"] == ids["product_types"]
    assert product["categories"]["items"]["enum"] == ids["matrix_categories"]
    assert product["principles"]["items"]["enum"] == ids["principles"]
    assert product["process_steps"]["items"]["enum"] == ids["process_steps"]
    assert product["editions"]["items"]["properties"]["language"]["enum"] == ids["languages"]
    stakeholder = load_schema("stakeholders")["items"]["properties"]
    assert stakeholder["type"]["enum"] == ids["stakeholder_types"]


def test_vocabulary_has_the_eight_categories_principles_and_four_steps():
    vocabulary = yaml.safe_load((ROOT / "vocabularies.yml").read_text(encoding="utf-8"))
    assert len(vocabulary["matrix_categories"]) == 8
    assert len(vocabulary["principles"]) == 8
    assert len(vocabulary["process_steps"]) == 4
    for kind in ("matrix_categories", "principles", "process_steps"):
        assert all(term.get("description") for term in vocabulary[kind]), kind


def test_schemas_are_valid_draft_2020_12():
    from jsonschema import Draft202012Validator

    for name in ("product", "stakeholders", "vocabularies"):
        schema = load_schema(name)
        assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
        Draft202012Validator.check_schema(schema)


def run_validate(project: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pim", "validate", str(project)], cwd=ROOT,
                          capture_output=True, text=True)


def test_validate_command_exits_non_zero_without_traceback(project):
    write(project, "p.md", product_with(type="type: tol"))
    write(project, "q.md", "---\ntitle: [unclosed\n---\n")
    result = run_validate(project)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert 'products/p.md:4: type: "tol" is not allowed.' in result.stdout
    assert "products/q.md:2: file: YAML syntax error" in result.stdout


def test_validate_command_passes_on_the_default_content():
    result = run_validate(ROOT)
    assert result.returncode == 0, result.stdout
    assert "All data files are valid" in result.stdout


def test_build_fails_with_the_same_messages(tmp_path):
    from conftest import build_site, copy_project

    project = copy_project(tmp_path / "project")
    path = project / "products" / "pim-matrix.md"
    path.write_text(path.read_text(encoding="utf-8").replace("type: framework", "type: framwork"), encoding="utf-8")
    result = build_site(project, tmp_path / "out", check=False)
    assert result.returncode != 0
    expected = [line for line in run_validate(project).stdout.splitlines() if line.startswith("products/")]
    assert expected and all(line in result.stderr for line in expected)
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out" / "index.html").exists()


def test_a_key_given_twice_is_reported(project):
    write(project, "p.md", product_with(type="type: tool\ntype: guidance"))
    assert problems_of(project) == ["products/p.md:5: type: is given twice (first on line 4); keep only one."]


def test_a_folder_named_like_a_product_is_reported_not_a_crash(project):
    write(project, "good.md", GOOD_PRODUCT)
    (project / "products" / "x.md").mkdir()
    assert problems_of(project) == [
        "products/x.md:1: file: is a folder, not a file; remove the folder and add the file."
    ]


def test_a_catalog_loaded_in_two_processes_gives_the_same_products_and_problems(project, monkeypatch):
    # Large catalogs are read and checked half in a second process (pim/load.py): the result,
    # problems included, must not depend on which process read which file.
    import pim.load

    if sys.platform != "linux":
        pytest.skip("the second process is used on Linux only")
    for number in range(6):
        write(project, f"product-{number}.md", GOOD_PRODUCT.replace("A good product", f"Product {number}"))
    write(project, "product-1.md", product_with(type="type: nonsense"))
    write(project, "product-5.md", product_with(published=None))
    import pim.parallel

    monkeypatch.setattr(pim.parallel, "PARALLEL_FROM", 1000000)
    one_process = load_catalog(project)[1]
    monkeypatch.setattr(pim.parallel, "PARALLEL_FROM", 2)
    monkeypatch.setattr(pim.load, "can_fork", lambda: True)
    assert [str(p) for p in load_catalog(project)[1]] == [str(p) for p in one_process]
    assert any("product-1.md" in str(p) for p in one_process) and any("product-5.md" in str(p) for p in one_process)
    (project / "products" / "product-1.md").unlink()
    (project / "products" / "product-5.md").unlink()
    catalog, problems = load_catalog(project)
    assert problems == [] and sorted(p.id for p in catalog.products) == [f"product-{n}" for n in (0, 2, 3, 4)]


BROKEN_PRODUCTS = {
    "unknown type": {"type": "type: nonsense"},
    "missing summary": {"summary": None},
    "title a list": {"title": "title: [A, B]"},
    "bad date": {"published": 'published: "2018-13"'},
    "no producers": {"producers": "producers: []"},
    "category twice": {"categories": "categories: [protection-monitoring, protection-monitoring]"},
    "summary too long": {"summary": "summary: " + "x" * 301},
    "file with url and path": {"editions": """
        editions:
          - language: en
            files:
              - label: Both
                url: https://example.org/
                path: docs/assets/x.pdf
                format: PDF"""},
    "unknown key": {"title": "title: A title\ntitel: A typo"},
    "empty translation": {"title": "title: A title\ntranslations:\n  fr: {}"},
}


@pytest.mark.parametrize("case", ["valid", *BROKEN_PRODUCTS])
def test_the_quick_validator_and_jsonschema_agree(case):
    # pim/schema.py asks jsonschema-rs first and jsonschema only for what is wrong: a document
    # the quick one passed would never be checked again, so the two must agree.
    from pim.schema import is_valid, validator
    from pim.yamlfile import parse_yaml, split_front_matter

    text = GOOD_PRODUCT if case == "valid" else product_with(**BROKEN_PRODUCTS[case])
    data = parse_yaml(split_front_matter(text)[0]).data
    assert is_valid("product", data) == (case == "valid")
    assert is_valid("product", data) == (not list(validator("product").iter_errors(data)))


def test_the_quick_validator_and_jsonschema_agree_on_the_real_data():
    from pim.schema import is_valid, validator
    from pim.yamlfile import parse_yaml, read_yaml_file, split_front_matter

    documents = [("stakeholders", read_yaml_file(ROOT / "stakeholders.yml").data),
                 ("vocabularies", read_yaml_file(ROOT / "vocabularies.yml").data)]
    for path in sorted((ROOT / "products").glob("*.md")):
        documents.append(("product", parse_yaml(split_front_matter(path.read_text(encoding="utf-8"))[0]).data))
    for name, data in documents:
        assert is_valid(name, data) and not list(validator(name).iter_errors(data))


def test_a_valid_catalog_is_read_without_importing_jsonschema():
    # jsonschema only explains what is wrong (pim/schema.py): importing it would cost every
    # build and `make serve` about 45 ms for nothing.
    code = ("import sys; from pathlib import Path; from pim.load import load_catalog; "
            "load_catalog(Path('.')); print(sorted(m for m in sys.modules if m.split('.')[0] == 'jsonschema'))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
