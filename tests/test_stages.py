"""Bounded stages: ``make check`` and ``make publish`` stop a stage past its time or memory
limit with one located message, kill the stage's whole process tree, and publish nothing.

The children here are small Python programs that sleep or allocate; no test asserts how
fast a stop came, only that it came and what it said. The end-to-end tests run the
commands on a temporary copy of the site.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest
from conftest import ROOT, copy_project
from test_gate import tree_digest

from magazine.cli import progress, stages

MB = 2**20
EXT = str(ROOT / "_ext")
CHILD_ENV = {"PYTHONPATH": EXT}  # for children that import magazine
STOP_LINE = re.compile(r"^(?P<file>\S+): error: (?P<stage>the [\w ]+?) stopped: ", re.MULTILINE)


def python(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def run(code: str, **options: object) -> stages.StageResult:
    options = {"time_limit": 60, "memory_limit": None, "env": CHILD_ENV, **options}
    return stages.run_stage("the test stage", python(code), **options)  # type: ignore[arg-type]


def gone(pid: int) -> bool:
    """``pid`` has ended (a zombie that nobody has reaped yet counts as ended)."""
    for _ in range(100):  # a dying process takes a moment to leave the table
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.05)
    return False


# -- run_stage ---------------------------------------------------------------------------------


def test_a_child_past_the_memory_limit_is_stopped(capfd: pytest.CaptureFixture[str]) -> None:
    result = run("""
        import time
        block = bytearray(200 * 2**20)  # written through: resident
        time.sleep(60)
    """, memory_limit=50)
    assert result.stopped == "memory"
    assert not result.ok
    assert result.peak_rss > 50 * MB
    assert result.message is not None
    assert result.message.startswith("conf.py: error: the test stage stopped: ")
    assert "more than 50 MB" in result.message
    assert "MEMORY_LIMIT" in result.message
    assert "Traceback" not in result.message + capfd.readouterr().err


@pytest.mark.skipif(not hasattr(psutil, "RLIMIT_DATA"), reason="no RLIMIT_DATA here")
def test_an_allocation_too_fast_to_see_is_stopped_by_the_backstop_without_a_traceback(
    capfd: pytest.CaptureFixture[str],
) -> None:
    """One allocation far past the limit fails at once (RLIMIT_DATA): still a memory stop,
    and the child's MemoryError traceback is not passed on to the terminal."""
    result = run("""
        import time
        block = bytearray(64 * 2**30)
        time.sleep(60)
    """, memory_limit=50)
    assert result.stopped == "memory"
    assert result.message is not None
    assert "the test stage stopped: it used more than 50 MB" in result.message
    assert "Traceback" not in capfd.readouterr().err


def test_a_child_past_the_time_limit_is_stopped() -> None:
    result = run("import time; time.sleep(60)", time_limit=1)
    assert result.stopped == "time"
    assert result.returncode != 0
    assert result.message is not None
    assert "the test stage stopped: it ran for more than 1 second " in result.message
    assert "TIME_LIMIT" in result.message


def test_the_whole_tree_is_killed(tmp_path: Path) -> None:
    """Grandchildren die with the stage: one in the stage's process group, and one that
    left it for a session of its own (seen in the tree)."""
    pids = tmp_path / "pids"
    result = run(f"""
        import subprocess, sys, time
        sleep = [sys.executable, "-c", "import time; time.sleep(60)"]
        children = [subprocess.Popen(sleep), subprocess.Popen(sleep, start_new_session=True)]
        with open({str(pids)!r}, "w") as file:
            file.write(" ".join(str(c.pid) for c in children))
        time.sleep(60)
    """, time_limit=2)
    assert result.stopped == "time"
    grandchildren = [int(pid) for pid in pids.read_text().split()]
    assert len(grandchildren) == 2
    assert all(gone(pid) for pid in grandchildren)


def test_a_grandchild_left_behind_by_a_child_that_ended_is_killed(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    result = run(f"""
        import subprocess, sys
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open({str(pids)!r}, "w").write(str(child.pid))
    """)
    assert result.ok
    assert gone(int(pids.read_text()))


def test_the_exit_status_of_a_failing_child_passes_through(
    capfd: pytest.CaptureFixture[str],
) -> None:
    code = """
        import sys
        print("some output")
        sys.stderr.write("Traceback (most recent call last):\\n  its own crash\\n")
        sys.exit(3)
    """
    result = run(code, capture=True)
    assert (result.returncode, result.stopped, result.message, result.ok) == (3, None, None,
                                                                              False)
    assert result.stdout == "some output\n"
    assert "its own crash" in result.stderr
    # streamed: a crash that is not the supervisor's doing is shown as the child wrote it
    streamed = run(code)
    assert streamed.returncode == 3
    assert streamed.stopped is None
    err = capfd.readouterr().err
    assert "Traceback (most recent call last):\n  its own crash" in err


def test_the_message_names_the_file_the_child_reported() -> None:
    result = run("""
        import time
        from magazine.cli import progress
        progress.note("reading", "articles/first.md")
        progress.note("writing", "articles/slow-one.md")
        time.sleep(60)
    """, time_limit=1)
    assert result.stopped == "time"
    assert result.message is not None
    assert result.message.startswith("articles/slow-one.md: error: the test stage stopped: ")
    assert "while resolving and writing this file" in result.message
    assert result.file == "articles/slow-one.md"


def test_the_quick_check_names_the_file_it_opened(tmp_path: Path) -> None:
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "opened.md").write_text("# Opened\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not content\n", encoding="utf-8")
    result = run(f"""
        import os, time
        from pathlib import Path
        from magazine.cli import progress
        os.chdir({str(tmp_path)!r})
        progress.watch_opens(Path("."))
        open("articles/opened.md").read()  # by a relative path
        open("notes.txt").read()  # not a content file: not noted
        time.sleep(60)
    """, time_limit=1)
    assert result.file == "articles/opened.md"
    assert "while reading this file" in str(result.message)


def test_a_forked_process_that_grows_is_the_one_named() -> None:
    """A parallel build's reader reports to a file of its own; the memory stop names the
    file of the process that grew, not the main process's."""
    result = run("""
        import os, time
        from magazine.cli import progress
        progress.note("reading", "articles/main.md")
        if os.fork() == 0:
            progress.note("reading", "articles/big.md")
            block = bytearray(200 * 2**20)
        time.sleep(60)
    """, memory_limit=150)
    assert result.stopped == "memory"
    assert result.file == "articles/big.md"


def test_limits_come_from_the_defaults_the_environment_and_the_flags() -> None:
    default = stages.Limits(time=120, memory=1024)
    assert stages.limits(default, environ={}) == default
    environ = {stages.TIME_VARIABLE: "30", stages.MEMORY_VARIABLE: "0.5"}
    assert stages.limits(default, environ=environ) == stages.Limits(30, 0.5)
    assert stages.limits(default, time=10, memory=0, environ=environ) == stages.Limits(10, None)
    assert stages.limits(default, environ={stages.TIME_VARIABLE: "0"}).time is None
    for bad in ("soon", "-1", "nan", "inf"):
        with pytest.raises(stages.LimitError, match="MAGAZINE_MEMORY_LIMIT: error: "):
            stages.limits(default, environ={stages.MEMORY_VARIABLE: bad})


# -- the commands, end to end, on a copy of the site -------------------------------------------


def run_module(project: Path, module: str, *args: str,
               **environ: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "_ext"), **environ}
    for name in (stages.TIME_VARIABLE, stages.MEMORY_VARIABLE, progress.VARIABLE):
        env.setdefault(name, "")
    return subprocess.run([sys.executable, "-m", module, *args], cwd=project, env=env,
                          capture_output=True, text=True, check=False, timeout=600)


def assert_stopped(result: subprocess.CompletedProcess[str], project: Path,
                   stages_named: tuple[str, ...]) -> re.Match[str]:
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "Traceback" not in output
    stop = STOP_LINE.search(output)
    assert stop is not None, output
    assert stop["stage"] in stages_named, output
    assert (project / stop["file"]).is_file(), output  # a file of the project, named by path
    return stop


@pytest.mark.slow
def test_a_stopped_publish_leaves_the_published_editions_as_they_were(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    published = {}
    for name in ("html", "pdf", "doctrees"):  # what an earlier publish left
        folder = project / "_build" / name
        (folder / "articles").mkdir(parents=True)
        (folder / "index.html").write_bytes(b"<p>the last good edition</p>\n")
        (folder / "articles" / f"old.{name}").write_bytes(os.urandom(64))
        published[name] = tree_digest(folder)
    result = run_module(project, "magazine.cli.publish", **{stages.TIME_VARIABLE: "0.3"})
    assert_stopped(result, project, ("the web edition build",))
    assert "Nothing was published" in result.stderr
    assert {name: tree_digest(project / "_build" / name) for name in published} == published
    assert not (project / "_build" / ".staging").exists()


@pytest.mark.slow
def test_publish_takes_its_limits_from_the_flags(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    result = run_module(project, "magazine.cli.publish", "--memory-limit", "20",
                        **{stages.MEMORY_VARIABLE: "0"})
    stop = assert_stopped(result, project, ("the web edition build",))
    assert "more than 20 MB" in (result.stdout + result.stderr)[stop.start():]
    assert not (project / "_build" / "html").exists()
    bad = run_module(project, "magazine.cli.publish", "--time-limit", "soon")
    assert bad.returncode == 2
    assert "--time-limit: 'soon' is not a number of seconds" in bad.stderr


@pytest.mark.slow
def test_the_pdf_builder_reports_the_article_it_typesets(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    report = tmp_path / "progress"
    result = stages.run_stage(
        "the PDF edition build",
        [sys.executable, "-m", "sphinx", "-q", "-b", "typst", str(project),
         str(tmp_path / "pdf")],
        time_limit=None, memory_limit=None, progress_file=report, cwd=project, capture=True,
    )
    assert result.ok, result.stderr
    # the last PDF awaited is the last article's (the edition's, first, is index.md's)
    assert progress.read(report) == ("compiling",
                                     "articles/stem-cell-therapy-spinal-cord-injuries.md")


def big_bibliography(project: Path, entries: int = 20_000) -> None:
    """A bibliography that parses to well over 100 MB (about 170 MB here)."""
    bib = project / "references.bib"
    filler = "".join(
        f"\n@article{{filler{i},\n  author = {{Author, A. and Other, B.}},\n"
        f"  title = {{A filler work number {i}}},\n  journal = {{Journal}},\n"
        f"  date = {{2020}},\n  volume = {{1}},\n  pages = {{1--2}},\n}}\n"
        for i in range(entries)
    )
    bib.write_text(bib.read_text(encoding="utf-8") + filler, encoding="utf-8")


@pytest.mark.slow
def test_the_quick_check_past_its_memory_limit_names_the_bibliography(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    big_bibliography(project)
    result = run_module(project, "magazine.gate.check", "--quick",
                        **{stages.MEMORY_VARIABLE: "100"})
    stop = assert_stopped(result, project, ("the quick check",))
    assert stop["file"] == "references.bib"
    assert "more than 100 MB while reading this file" in result.stdout
    assert "1 problem to fix" in result.stderr


@pytest.mark.slow
def test_the_full_check_past_a_limit_is_one_located_problem(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    result = run_module(project, "magazine.gate.check", "--time-limit", "0.3")
    assert_stopped(result, project, ("the quick check", "the web edition build"))
    assert "1 problem to fix" in result.stderr
    result = run_module(project, "magazine.gate.check", **{stages.MEMORY_VARIABLE: "20"})
    assert_stopped(result, project, ("the quick check", "the web edition build"))
