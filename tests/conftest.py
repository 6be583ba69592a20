"""Shared fixtures: every test works on a temporary copy of the project, never the tree.

The suite runs on ``sphinx.testing``: builds that tests only read happen in this process
(``SphinxTestApp``), once per session or module, and ``confoverrides`` stand in for edits
of ``conf.py``. A subprocess (``sphinx_build``) is kept where the process boundary is the
point: comparing with another process's output, and the commands contributors run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import nocolor

pytest_plugins = ("sphinx.testing.fixtures",)

ROOT = Path(__file__).resolve().parents[1]
ROOTS = ROOT / "tests" / "roots"
# The source article as it first ran (kept in the repository with its provenance).
SEED = ROOT / "tests" / "data" / "seed-news-byte.txt"
ARTICLE = "articles/stem-cell-therapy-spinal-cord-injuries"

# The tools the tests run write plain text, whatever the terminal or CI asks for: with
# FORCE_COLOR set, Sphinx colours its progress lines and ends them with a carriage return,
# and a test that reads them would read nothing. In this process, builds write plain text too.
os.environ.pop("FORCE_COLOR", None)
os.environ["NO_COLOR"] = "1"
nocolor()

# What a copy of the project leaves behind: local state and build output.
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "_build", "__pycache__", ".pytest_cache", "*.pyc", "benchmarks"
)


def pytest_configure(config: pytest.Config) -> None:
    # Sphinx extensions (sphinx-sitemap, MyST) use APIs that Sphinx 9 deprecates; builds in
    # this process would show the warnings in every run
    for category in ("PendingDeprecationWarning", "DeprecationWarning"):
        config.addinivalue_line(
            "filterwarnings", f"ignore::{category}:(sphinx|myst_parser|sphinx_sitemap)"
        )


@pytest.fixture(scope="session")
def rootdir() -> Path:
    """Where ``@pytest.mark.sphinx(testroot=...)`` finds its roots."""
    return ROOTS


def copy_project(destination: Path) -> Path:
    """Copy the project's sources to ``destination`` and return it."""
    shutil.copytree(ROOT, destination, ignore=IGNORED)
    return destination


def sphinx_build(
    srcdir: Path, builder: str = "html", *extra: str, outdir: Path | None = None,
    strict: bool = True,
) -> subprocess.CompletedProcess[str]:
    """Run sphinx-build as the Makefile does (-W -n --keep-going), returning the result;
    ``strict=False``: with warnings allowed, as a publisher who silenced them would."""
    outdir = outdir or srcdir / "_build" / builder
    warnings = ["-W", "--keep-going"] if strict else []
    command = [
        sys.executable, "-m", "sphinx", "-b", builder, *warnings, "-n",
        "-d", str(outdir.parent / f"doctrees-{outdir.name}"), *extra, str(srcdir), str(outdir),
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=srcdir, check=False)


def messages_at(output: str, where: str) -> list[str]:
    """The lines of a build's output that name ``where`` ("articles/x.md:12:")."""
    return [line for line in output.splitlines() if where in line]


def line_in_appended(original: str, appended: str, needle: str) -> int:
    """The line of ``needle`` in a file written as ``original + appended``."""
    return original.count("\n") + appended[: appended.index(needle)].count("\n") + 1


@dataclass(frozen=True)
class Build:
    """An in-process build, read as a ``sphinx-build -W -n --keep-going`` run would be:
    ``returncode`` is 1 if anything was warned, ``stdout`` the progress, ``stderr`` the
    warnings, ``outdir`` the output folder."""

    returncode: int
    stdout: str
    stderr: str
    outdir: Path


def build(
    srcdir: Path,
    builder: str = "html",
    *,
    confoverrides: dict[str, Any] | None = None,
    environ: dict[str, str | None] | None = None,
    parallel: int = 0,
    builddir: Path | None = None,
    nitpicky: bool = True,
) -> Build:
    """Build ``srcdir`` in this process, into ``srcdir/_build/<builder>`` (or
    ``builddir/<builder>``). ``environ``: variables to set (None: unset) while conf.py is
    read and the build runs, as a publisher's environment would."""
    overrides = {"nitpicky": nitpicky, **(confoverrides or {})}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in (environ or {}).items():
            if value is None:
                patch.delenv(name, raising=False)
            else:
                patch.setenv(name, value)
        app = SphinxTestApp(builder, srcdir=srcdir, builddir=builddir,
                            confoverrides=overrides, parallel=parallel)
        try:
            app.build()
        finally:
            app.cleanup()
    warnings = app.warning.getvalue()
    return Build(1 if warnings.strip() else 0, app.status.getvalue(), warnings, app.outdir)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, copied and built once per test session; returns the HTML folder."""
    src = copy_project(tmp_path_factory.mktemp("site") / "src")
    result = build(src)
    assert result.returncode == 0, result.stderr
    return result.outdir


# A second, test-only article (two authors, an ORCID, a DOI, a date, keywords) and the bib
# file of the works it cites, added to a copy of the real site; see tests/roots/test-metadata/.
METADATA_ROOT = ROOTS / "test-metadata"
SECOND_ARTICLE = "articles/axolotl-spinal-cord-regeneration"
SITE_URL = "https://openbench.test/magazine/"


def with_root(src: Path, root: Path) -> dict[str, Any]:
    """Add a test root's articles and bib file to a copy of the site; returns the
    ``confoverrides`` that name the extra bib file."""
    shutil.copytree(root / "articles", src / "articles", dirs_exist_ok=True)
    shutil.copy(root / "extra.bib", src / "extra.bib")
    return {"bibtex_bibfiles": ["references.bib", "extra.bib"]}


@pytest.fixture(scope="session")
def metadata_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site plus the second article, built once with MAGAZINE_SITE_URL set as a
    publisher would set it; returns the HTML folder."""
    src = copy_project(tmp_path_factory.mktemp("metadata") / "src")
    overrides = with_root(src, METADATA_ROOT)
    result = build(src, confoverrides=overrides, environ={
        "MAGAZINE_SITE_URL": SITE_URL, "READTHEDOCS_CANONICAL_URL": None,
        "SOURCE_DATE_EPOCH": None,
    })
    assert result.returncode == 0, result.stderr
    return result.outdir


def issue_text(number: int, date: str, articles: list[str], *, title: str | None = None,
               editors: str = "The Open Bench editors", body: str = "An issue for a test.",
               volume: int = 1) -> str:
    """A published issue file, with the site's cover, listing ``articles`` in order."""
    lines = ["---", f"volume: {volume}", f"number: {number}", f"date: {date}",
             *([f"title: {title}"] if title else []), f"editors: [{editors}]", "cover:",
             "  src: /_static/images/spinal-cord-stem-cells.svg",
             "  alt: A spinal column in profile.",
             "  credit: Illustration made for The Open Bench, CC BY 4.0.",
             "status: published", "articles:", *(f"  - {name}" for name in articles), "---",
             "", body, ""]
    return "\n".join(lines)
