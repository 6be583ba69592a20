""".ci/changed_paths.py: which pull requests change only content, and what it tells GitHub."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

SCRIPT = ROOT / ".ci" / "changed_paths.py"
_spec = importlib.util.spec_from_file_location("changed_paths", SCRIPT)
changed = importlib.util.module_from_spec(_spec)
sys.modules["changed_paths"] = changed  # its dataclass looks itself up there
_spec.loader.exec_module(changed)


@pytest.mark.parametrize(
    "paths",
    [
        ["articles/stem-cell-therapy-spinal-cord-injuries.md"],
        ["articles/new.md", "references.bib", "_static/images/new.svg"],
        ["issues/issue-2.md", "articles/deep/nested.md"],
        ["./references.bib"],
    ],
)
def test_content_only(paths: list[str]) -> None:
    verdict = changed.classify(paths)
    assert not verdict.more_than_content
    assert verdict.headline.startswith("Content only")


@pytest.mark.parametrize(
    ("paths", "other"),
    [
        (["articles/new.md", "conf.py"], ["conf.py"]),
        (["_ext/magazine/gate/check.py"], ["_ext/magazine/gate/check.py"]),
        (["references.bib", "Makefile", "requirements.txt"], ["Makefile", "requirements.txt"]),
        ([".github/workflows/pull-request.yml"], [".github/workflows/pull-request.yml"]),
        (["_static/magazine.css", "_static/images/a.svg"], ["_static/magazine.css"]),
        (["tests/test_site.py", ".ci/run"], [".ci/run", "tests/test_site.py"]),
        # names that only look like content
        (["references.bib.orig", "articles.md", "my-articles/x.md"],
         ["articles.md", "my-articles/x.md", "references.bib.orig"]),
    ],
)
def test_more_than_content(paths: list[str], other: list[str]) -> None:
    verdict = changed.classify(paths)
    assert verdict.more_than_content
    assert verdict.other == other
    assert verdict.headline.startswith("More than content")


def test_no_change_and_blank_lines() -> None:
    verdict = changed.classify(["", "  "])
    assert (verdict.content, verdict.other) == ([], [])
    assert verdict.headline == "This pull request changes no files."


def test_github_gets_a_warning_and_a_summary(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    verdict = changed.classify(["articles/a.md", "conf.py", "Makefile"])
    printed = changed.report(verdict, {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary)})
    warning = printed.splitlines()[-1]
    assert warning.startswith("::warning title=Changes more than content::More than content: 2 paths")
    assert warning.endswith("Makefile, conf.py")
    text = summary.read_text(encoding="utf-8")
    assert "### Outside the content (2)" in text and "- `conf.py`" in text
    assert "### Content (1)" in text and "- `articles/a.md`" in text


def test_content_only_is_a_notice_and_nothing_outside_actions(tmp_path: Path) -> None:
    verdict = changed.classify(["articles/a.md"])
    assert changed.report(verdict, {"GITHUB_ACTIONS": "true"}).splitlines()[-1].startswith(
        "::notice title=Content only::")
    assert "::" not in changed.report(verdict, {})


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True,
                          check=True).stdout.strip()


def test_against_a_real_base(tmp_path: Path) -> None:
    """--base: git diff against the merge base, renames counted on both sides."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.org")
    git(repo, "config", "user.name", "Test")
    (repo / "articles").mkdir()
    (repo / "articles" / "old.md").write_text("old\n", encoding="utf-8")
    (repo / "conf.py").write_text("x = 1\n", encoding="utf-8")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "mv", "articles/old.md", "notes.md")  # moved out of the content
    git(repo, "commit", "-q", "-m", "move")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GITHUB_")}  # not CI's summary
    result = subprocess.run([sys.executable, str(SCRIPT), "--base", base], cwd=repo, env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:3] == [
        "More than content: 1 path outside articles/, references.bib, _static/images/, issues/ "
        "(a maintainer must review these; see .github/CODEOWNERS).",
        "  other    notes.md",
        "  content  articles/old.md",
    ]
