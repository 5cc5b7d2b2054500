"""The contributor guide and its field reference, the new-product scaffold, and the files that
steer contributions on GitHub (pull request template, issue forms, CODEOWNERS, pre-commit)."""

from __future__ import annotations

import datetime
import re

import pytest
import yaml
from markupsafe import escape

from conftest import ROOT, copy_project, read_page
from extended_project import extended_site
from pim.load import load_catalog
from pim.scaffold import create_product, product_text
from pim.schema import load_schema


def schema_fields(spec: dict, prefix: str = "") -> list[tuple[str, dict]]:
    """Every field of a JSON Schema, nested ones as editions[].files[].url (walked here, on its own)."""
    fields = []
    for key, child in spec.get("properties", {}).items():
        name = prefix + key
        fields.append((name, child))
        items = child.get("items", {})
        if items.get("type") == "object":
            fields += schema_fields(items, name + "[].")
        elif child.get("type") == "object":  # e.g. translations.fr
            fields += schema_fields(child, name + ".")
    return fields


PRODUCT_FIELDS = schema_fields(load_schema("product"))
STAKEHOLDER_FIELDS = schema_fields(load_schema("stakeholders")["items"])
VOCABULARIES = yaml.safe_load((ROOT / "vocabularies.yml").read_text(encoding="utf-8"))


def reference_table(page: str, index: int) -> str:
    tables = re.findall(r'<div class="pim-fieldref">(.*?)</div>', page, re.S)
    assert len(tables) == 2, "a table for product files and one for stakeholders"
    return tables[index]


def test_field_reference_lists_every_product_field(site_dir):
    table = reference_table(read_page(site_dir, "/contribute/"), 0)
    names = re.findall(r"<td><code>([^<]+)</code></td>", table)
    assert names == [name for name, _ in PRODUCT_FIELDS]
    assert len(names) > 20 and "editions[].files[].url" in names


def test_field_reference_lists_every_stakeholder_field(site_dir):
    table = reference_table(read_page(site_dir, "/contribute/"), 1)
    names = re.findall(r"<td><code>([^<]+)</code></td>", table)
    assert names == [name for name, _ in STAKEHOLDER_FIELDS]


def test_field_reference_says_required_and_describes_each_field(site_dir):
    table = reference_table(read_page(site_dir, "/contribute/"), 0)
    rows = dict(re.findall(r'<tr id="field-[^"]+">\s*<td><code>([^<]+)</code></td>(.*?)</tr>', table, re.S))
    required = set(load_schema("product")["required"])
    for name, spec in PRODUCT_FIELDS:
        cells = rows[name]
        if "[]" not in name:
            assert ("<td>required</td>" in cells) == (name in required), name
        assert str(escape(spec["description"])) in cells, name
    assert "<td>one of url or path</td>" in rows["editions[].files[].url"]


@pytest.mark.parametrize("field, kind", [("type", "product_types"), ("categories", "matrix_categories"),
                                         ("principles", "principles"), ("process_steps", "process_steps"),
                                         ("editions[].language", "languages")])
def test_field_reference_lists_the_allowed_values_from_the_vocabulary(site_dir, field, kind):
    table = reference_table(read_page(site_dir, "/contribute/"), 0)
    row = re.search(rf'<td><code>{re.escape(field)}</code></td>(.*?)</tr>', table, re.S).group(1)
    listed = re.findall(r"<code>([^<]+)</code>", row)
    assert listed == [term["id"] for term in VOCABULARIES[kind]]
    for term in VOCABULARIES[kind]:
        assert str(escape(term["label"])) in row


def test_stakeholder_types_come_from_the_vocabulary(site_dir):
    table = reference_table(read_page(site_dir, "/contribute/"), 1)
    row = re.search(r"<td><code>type</code></td>(.*?)</tr>", table, re.S).group(1)
    assert re.findall(r"<code>([^<]+)</code>", row) == [t["id"] for t in VOCABULARIES["stakeholder_types"]]


def test_contribute_page_guides_non_programmers(site_dir):
    page = read_page(site_dir, "/contribute/")
    for words in ("Add file", "Create new file", "Propose changes", "Create pull request", "Edit this page",
                  "site-preview", "make serve", "review"):
        assert words in page, words
    assert 'href="../join/"' in page  # the short how-to is linked, not copied
    assert "{{" not in page and "{%" not in page


def test_field_reference_follows_the_schema_and_escapes_it():
    """A field added to the schema appears on the page by itself; markup in it stays text."""
    # The schema has an `audience` field with markup in its description, and a new product has
    # markup and template syntax in its title, built like any other (tests/extended_project.py).
    _, out = extended_site()
    page = read_page(out, "/contribute/")
    assert "<td><code>audience</code></td>" in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; who" in page
    assert "<script>alert(" not in page
    product = read_page(out, "/products/markup-guide/")
    assert "&lt;b&gt;Bold&lt;/b&gt; {{ 7*7 }} guide</h1>" in product
    assert "<b>Bold</b>" not in product and "49 guide" not in product


def test_new_product_file_has_every_schema_field():
    text = product_text("A title", datetime.date(2026, 1, 31))
    front_matter = text.split("\n---\n")[0]
    for name, _ in PRODUCT_FIELDS:
        leaf = name.rsplit(".", 1)[-1]
        assert re.search(rf"^\s*#?\s*(- )?{leaf}( \(|:)", front_matter, re.M), f"{name} is missing"
    assert 'published: "2026-01-31"' in text and 'title: "A title"' in text
    assert "producers: [pim-community]" in text and "type: guidance" in text
    assert "  - language: en" in text and "files: []" in text
    for term in VOCABULARIES["matrix_categories"] + VOCABULARIES["product_types"]:
        assert term["id"] in front_matter  # the allowed values are written out


def test_new_product_file_is_valid_as_written(tmp_path):
    project = copy_project(tmp_path / "project")
    day = datetime.date(2026, 3, 4)
    path = create_product(project, "Évaluation rapide des besoins", today=day)
    assert path.name == "evaluation-rapide-des-besoins.md"
    catalog, problems = load_catalog(project)
    assert problems == []
    product = catalog.product("evaluation-rapide-des-besoins")
    assert product.title == "Évaluation rapide des besoins" and product.published == "2026-03-04"
    assert [e.language for e in product.editions] == ["en"] and product.editions[0].files == []


def test_uncommenting_an_optional_field_keeps_the_file_valid(tmp_path):
    """The commented examples are real YAML: a contributor who removes '# ' gets a valid file."""
    project = copy_project(tmp_path / "project")
    path = create_product(project, "Uncommented product")
    text = path.read_text(encoding="utf-8")
    for field in ("categories", "principles", "process_steps", "featured", "licence", "tags"):
        text = text.replace(f"\n# {field}: ", f"\n{field}: ")
    text = text.replace('    # title: "', '    title: "')
    path.write_text(text, encoding="utf-8")
    assert load_catalog(project)[1] == []


# --- GitHub files --------------------------------------------------------------------------------

GITHUB = ROOT / ".github"


def test_contributing_file_points_to_the_guide_and_the_commands():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for words in ("docs/contribute.md", "docs/join.md", "make new TITLE=", "make validate", "make serve",
                  "site-preview", "Edit this page"):
        assert words in text


def test_pull_request_template_is_a_short_checklist():
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    items = re.findall(r"^- \[ \] ", text, re.M)
    assert 3 <= len(items) <= 8 and len(text.splitlines()) < 20


@pytest.mark.parametrize("name", ["propose-product.yml", "report-problem.yml"])
def test_issue_forms_are_valid_forms(name):
    form = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
    assert form["name"] and form["description"] and form["body"]
    ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids))
    for item in form["body"]:
        assert item["type"] in {"markdown", "input", "textarea", "dropdown", "checkboxes"}
        assert item["attributes"].get("label") or item["type"] == "markdown"


def test_issue_chooser_sends_questions_to_the_contact_page():
    config = yaml.safe_load((GITHUB / "ISSUE_TEMPLATE" / "config.yml").read_text(encoding="utf-8"))
    assert config["blank_issues_enabled"] is False
    assert all(link["url"].startswith("https://") for link in config["contact_links"])


def test_codeowners_example_covers_products_and_workflows():
    lines = [line.split() for line in (GITHUB / "CODEOWNERS").read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    patterns = {parts[0] for parts in lines}
    assert {"*", "/products/", "/.github/"} <= patterns
    assert all(len(parts) >= 2 and all(owner.startswith("@") for owner in parts[1:]) for parts in lines)


def test_pre_commit_hook_runs_validation_on_data_files_with_the_pinned_libraries():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    (hook,) = repo["hooks"]
    assert repo["repo"] == "local" and hook["entry"] == "python -m pim validate"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in ("products/pim-matrix.md", "stakeholders.yml", "vocabularies.yml"):
        assert files.search(path), path
    for path in ("docs/index.md", "pim/cli.py", "README.md", "old/stakeholders.yml"):
        assert not files.search(path), path
    pins = dict(line.split("==") for line in (ROOT / "requirements.txt").read_text().splitlines()
                if "==" in line and not line.startswith("#"))
    pins = {name.lower(): version.split()[0] for name, version in pins.items()}
    for dependency in hook["additional_dependencies"]:
        name, version = dependency.split("==")
        assert pins[name.lower()] == version, f"{name} differs from requirements.txt"
