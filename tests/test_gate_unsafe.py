"""The pull-request gate on unsafe content: each case through `make check` end to end, in a
copy of the project, caught with a located, actionable message (moved verbatim from
test_gate.py, where the other cases are now tests of the checking functions)."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, copy_project
from gate_cases import Case, append, appended_at

pytestmark = pytest.mark.slow  # end-to-end: whole builds in subprocesses

ART = f"{ARTICLE}.md"
ART_TEXT = (ROOT / ART).read_text(encoding="utf-8")


NEW = appended_at(ART_TEXT)


def body(text: str) -> tuple[str, str, str]:
    return append(ART, "\n" + text + "\n")


CASES = [
    # -- unsafe content ----------------------------------------------------------------------
    Case("html-block", (body("<script>alert('x')</script>"),), f"{ART}:{NEW}", "raw HTML"),
    Case("html-inline", (body('Text with <span onclick="steal()">inline HTML</span>.'),),
         f"{ART}:{NEW}", "raw HTML"),
    Case("raw-directive", (body("```{raw} html\n<b>bold</b>\n```"),), f"{ART}:{NEW}",
         "raw directive"),
    Case("eval-rst", (body("```{eval-rst}\n.. note:: rST\n```"),), f"{ART}:{NEW}", "eval-rst"),
    Case("include-outside", (body("```{literalinclude} ../../../../etc/hostname\n```"),),
         f"{ART}:{NEW}", "files of this project"),
    Case("link-javascript", (body("[click](javascript:alert(1))"),), f"{ART}:{NEW}",
         "'javascript:'"),
    Case("link-data", (body("[click](data:text/html;base64,PGI+)"),), f"{ART}:{NEW}", "'data:'"),
    Case("image-data", (body("![pixel](data:image/png;base64,iVBORw0KGgo=)"),), f"{ART}:{NEW}",
         "an image from a 'data:' address"),
    Case("link-vbscript", (body("<vbscript:msgbox>"),), f"{ART}:{NEW}", "'vbscript:'"),
]


def apply(project: Path, case: Case) -> None:
    for name, old, new in case.edits:
        path = project / name
        text = path.read_text(encoding="utf-8")
        if old:
            assert text.count(old) == 1, f"{case.id}: the text to replace is not in {name}"
            text = text.replace(old, new)
        else:
            text = text.rstrip("\n") + "\n" + new
        path.write_text(text, encoding="utf-8")


def run_module(project: Path, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "_ext")}
    return subprocess.run([sys.executable, "-m", module, *args], cwd=project, env=env,
                          capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def gate_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """Every case through `make check`, two at a time."""
    base = tmp_path_factory.mktemp("gate")

    def run(case: Case) -> tuple[str, tuple[int, str]]:
        project = copy_project(base / case.id)
        apply(project, case)
        result = run_module(project, "magazine.gate.check", *case.args)
        return case.id, (result.returncode, result.stdout + result.stderr)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, CASES))


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_gate_reports_the_mistake_where_it_is(
    case: Case, gate_results: dict[str, tuple[int, str]]
) -> None:
    status, output = gate_results[case.id]
    assert status != 0, output
    located = [line for line in output.splitlines() if line.startswith(case.where + ":")]
    assert located, f"no message at {case.where}:\n{output}"
    assert any(case.hint in line for line in located), output
    assert "Traceback" not in output
