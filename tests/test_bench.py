"""``make bench`` works: a tiny archive through every phase, its table and its JSON.

Nothing here looks at how long anything took (the machines are shared and noisy); the
test checks that each phase ran, did the work it is meant to time, and was reported.
"""

from __future__ import annotations

import pytest

import json
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

pytestmark = pytest.mark.slow  # end-to-end: whole builds in subprocesses

RUN = ROOT / "benchmarks" / "run.py"
SERIAL_PHASES = {"paginate", "pdf_all", "pdf_no_change", "pdf_article_edit", "issue_pdf"}
PREVIEW_PHASES = {"preview_article_edit", "autobuild_article_edit", "preview_bib_edit",
                  "autobuild_bib_edit", "pdf_click", "pdf_click_after_save"}
PHASES = {"full_j1", "full_jN", "no_change", "article_edit", "bib_edit", "bib_add",
          "pdf_edition", "pdf_publish", "article_pdf"}


def test_a_small_benchmark_runs_every_phase_and_reports_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(RUN), "--sizes", "4x40", "--serial", "6x40", "--issue-size", "2",
         "--repeat", "1", "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "| full HTML build, -j 1 |" in result.stdout
    assert "Targets (issue 7):" in result.stdout

    [path] = sorted(out.glob("bench-*.json"))
    recorded = json.loads(path.read_text(encoding="utf-8"))
    size = recorded["results"]["4x40"]
    magazine, bare = size["magazine"]["phases"], size["bare"]["phases"]
    assert set(magazine) == PHASES
    assert {"full_j1", "full_jN", "no_change", "article_edit"} <= set(bare)
    for phase in magazine.values():
        assert phase["median_s"] > 0 and phase["peak_rss_mb"] > 0
    # each rebuild did the work it is named after
    assert magazine["full_j1"]["reread"] == 5 and magazine["full_j1"]["written"] == 4
    assert magazine["no_change"]["reread"] == 0
    assert magazine["article_edit"]["reread"] >= 1 and magazine["article_edit"]["written"] >= 1
    assert magazine["bib_edit"]["reread"] >= 1
    assert magazine["bib_add"]["reread"] == 0
    assert magazine["pdf_edition"]["reread"] == 5
    assert magazine["pdf_publish"]["reread"] == 0  # on the web edition's doctrees
    assert size["magazine"]["jN_differs_from_j1"] == []

    # the serial: three issues of two against one issue of all six (the whole archive)
    serial = recorded["serial"]["6x40"]
    assert (serial["issues"]["issues"], serial["archive"]["issues"]) == (3, 1)
    for label in ("issues", "archive"):
        phases = serial[label]["phases"]
        assert set(phases) == SERIAL_PHASES
        for phase in phases.values():
            assert phase["median_s"] > 0 and phase["peak_rss_mb"] > 0
        assert phases["pdf_no_change"]["written"] == 0  # nothing typeset again
    # every article's PDF and every issue's from nothing
    assert serial["issues"]["phases"]["pdf_all"]["written"] == 6 + 3
    assert serial["archive"]["phases"]["pdf_all"]["written"] == 6 + 1
    # one article edited: its PDF and its issue's, nothing else
    remade = serial["issues"]["remade_after_edit"]
    assert len(remade) == 2 and sum(n.startswith("the-open-bench-") for n in remade) == 1
    assert "| all PDFs from nothing |" in result.stdout
    assert "Targets (issue 14):" in result.stdout

    # the preview (issue 17), measured with the PDF phases, against sphinx-autobuild's rebuild
    preview = recorded["preview"]["4x40"]
    assert set(preview["phases"]) == PREVIEW_PHASES
    for phase in preview["phases"].values():
        assert phase["median_s"] > 0
    for edit in ("article_edit", "bib_edit"):  # both sides re-read and rewrote the page
        for side in ("preview", "autobuild"):
            counts = preview["phases"][f"{side}_{edit}"]
            assert counts["reread"] >= 1 and counts["written"] >= 1, (side, edit, counts)
    assert preview["peak_pss_mb"] > 0 and preview["peak_rss_mb"] > 0
    assert "| one article edited: save to reload, preview |" in result.stdout
    assert "Targets (issue 17):" in result.stdout

    # the same tables again from the JSON, without building anything
    again = subprocess.run([sys.executable, str(RUN), "--report", str(path)],
                           capture_output=True, text=True, check=False)
    assert again.returncode == 0, again.stderr

    def reported(text: str) -> list[str]:
        return [line for line in text.splitlines() if line.startswith(("|", "- 4x40", "- 6x40"))]

    assert reported(again.stdout) == reported(result.stdout)
    assert any("full build -j 1 within 1.15x" in line for line in reported(again.stdout))


def test_against_a_commit_builds_the_same_magazine_with_both_extensions(tmp_path: Path) -> None:
    """``--against REV``: the magazine built by the extension of a commit and by this
    checkout's, phase by phase, and the files where the two full builds differ; a commit
    that does not exist is refused with git's reason."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.strip()
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, str(RUN), "--sizes", "3x30", "--repeat", "1", "--against", commit,
         "--against-only", "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=tmp_path)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"| phase | {commit} | this checkout | ratio |" in result.stdout
    [path] = sorted(out.glob("bench-*.json"))
    compared = json.loads(path.read_text(encoding="utf-8"))["against"]["3x30"]
    assert compared["rev"] == commit
    phases = {"full_jN", "full_j1", "no_change", "article_edit", "bib_edit"}
    for side in ("against", "magazine"):
        assert set(compared[side]["phases"]) == phases
        assert all(p["median_s"] > 0 for p in compared[side]["phases"].values())
    # the same extension on both sides (a clean checkout, as CI's) writes the same files
    unchanged = subprocess.run(["git", "diff", "--quiet", "HEAD", "--", "_ext", "conf.py"],
                               cwd=ROOT, check=False).returncode == 0
    if unchanged:
        assert compared["differing"] == []
        assert "files that differ (full build, -j 1): none" in result.stdout

    refused = subprocess.run(
        [sys.executable, str(RUN), "--sizes", "2x20", "--repeat", "1", "--against",
         "no-such-commit", "--against-only", "--out", str(out)],
        capture_output=True, text=True, check=False, cwd=tmp_path)
    assert refused.returncode == 1
    assert "--against no-such-commit:" in refused.stderr


def test_outputs_compares_what_two_commits_publish(tmp_path: Path) -> None:
    """``benchmarks/outputs.py --against REV``: the site built by a commit and by this
    checkout, file by file; on a clean checkout against its own commit, nothing differs."""
    outputs = ROOT / "benchmarks" / "outputs.py"
    result = subprocess.run(
        [sys.executable, str(outputs), "--against", "HEAD", "--cases", "site",
         "--builders", "html"], capture_output=True, text=True, check=False, cwd=tmp_path)
    clean = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout == ""
    assert result.returncode in (0, 1), result.stderr[-3000:]
    line = result.stdout.strip().splitlines()[-1]
    assert line.startswith("site: ") and " files, " in line
    assert int(line.split()[1]) > 20  # the pages, the downloads, the search index, exit status
    if clean:
        assert (result.returncode, line.endswith("the same")) == (0, True), result.stdout
    refused = subprocess.run([sys.executable, str(outputs), "--against", "no-such-commit"],
                             capture_output=True, text=True, check=False, cwd=tmp_path)
    assert refused.returncode == 1 and "--against no-such-commit:" in refused.stderr
