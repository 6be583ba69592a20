"""The engines that publish the magazine are configured validly, checked offline against
the schemas that check-jsonschema ships, and they run the README's commands."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def check_jsonschema(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema,
               *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_there_are_workflows_for_pull_requests_and_publishing() -> None:
    assert {path.name for path in WORKFLOWS} >= {"pull-request.yml", "publish.yml"}


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=[p.name for p in WORKFLOWS])
def test_workflow_matches_the_github_schema(workflow: Path) -> None:
    result = check_jsonschema("vendor.github-workflows", workflow)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_broken_workflow_is_caught(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  x:\n    steps: [{run: make}]\n", encoding="utf-8")
    assert check_jsonschema("vendor.github-workflows", broken).returncode != 0


def test_read_the_docs_config_matches_its_schema() -> None:
    result = check_jsonschema("vendor.readthedocs", ROOT / ".readthedocs.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_pre_commit_config_is_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(ROOT / ".pre-commit-config.yaml")],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}
    assert {"ruff", "codespell", "trailing-whitespace", "magazine-check"} <= set(hooks)
    assert hooks["magazine-check"]["entry"] == "make check-quick"


def test_pull_requests_run_the_gate_and_the_tests_and_upload_both_editions() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text())
    runs = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert "make check" in runs
    assert "make test" in runs
    assert "make publish" in runs
    uploads = [step["with"]["path"] for job in workflow["jobs"].values()
               for step in job["steps"] if "upload-artifact" in step.get("uses", "")]
    assert uploads == ["_build/html", "_build/pdf/*.pdf"]


def test_main_publishes_both_editions_to_pages() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/publish.yml").read_text())
    assert workflow[True]["push"]["branches"] == ["main"]  # YAML reads the key `on` as True
    steps = workflow["jobs"]["build"]["steps"]
    assert any(step.get("run") == "make publish" for step in steps)
    artifact = next(s for s in steps if "upload-pages-artifact" in s.get("uses", ""))
    assert artifact["with"]["path"] == "_build/html"  # holds the PDFs under pdf/
    assert any("deploy-pages" in s.get("uses", "") for s in workflow["jobs"]["deploy"]["steps"])


def test_read_the_docs_builds_with_the_same_makefile_target() -> None:
    config = yaml.safe_load((ROOT / ".readthedocs.yaml").read_text())
    commands = config["build"]["commands"]
    # the whole history first (articles' versions, the sitemap's lastmod), then the build
    assert commands[0].startswith("git fetch --unshallow")
    assert commands[1].endswith("make publish")
    assert any("READTHEDOCS_OUTPUT/html" in c for c in commands)
    assert any("READTHEDOCS_OUTPUT/pdf" in c for c in commands)
