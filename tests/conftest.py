"""Shared fixtures: every test works on a temporary copy of the project, never the tree."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
# The source article as it first ran (a copy of shared/seeds/000_9f43fed30e6ddbcd.txt).
SEED = ROOT / "tests" / "data" / "seed-news-byte.txt"
ARTICLE = "articles/stem-cell-therapy-spinal-cord-injuries"

# The tools the tests run write plain text, whatever the terminal or CI asks for: with
# FORCE_COLOR set, Sphinx colours its progress lines and ends them with a carriage return,
# and a test that reads them would read nothing.
os.environ.pop("FORCE_COLOR", None)
os.environ["NO_COLOR"] = "1"

# What a copy of the project leaves behind: local state and build output.
IGNORED = shutil.ignore_patterns(
    ".git", ".venv", "_build", "__pycache__", ".pytest_cache", "*.pyc", "benchmarks"
)


def copy_project(destination: Path) -> Path:
    """Copy the project's sources to ``destination`` and return it."""
    shutil.copytree(ROOT, destination, ignore=IGNORED)
    return destination


def sphinx_build(
    srcdir: Path, builder: str = "html", *extra: str, outdir: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run sphinx-build as the Makefile does (-W -n --keep-going), returning the result."""
    outdir = outdir or srcdir / "_build" / builder
    command = [
        sys.executable, "-m", "sphinx", "-b", builder, "-W", "-n", "--keep-going",
        "-d", str(outdir.parent / f"doctrees-{outdir.name}"), *extra, str(srcdir), str(outdir),
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=srcdir, check=False)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site, copied and built once per test session; returns the HTML folder."""
    src = copy_project(tmp_path_factory.mktemp("site") / "src")
    result = sphinx_build(src)
    assert result.returncode == 0, result.stderr
    return src / "_build" / "html"


# A second, test-only article (two authors, an ORCID, a DOI, a date, keywords) and the bib
# entries it cites, added to a copy of the real site; see tests/roots/test-metadata/.
METADATA_ROOT = ROOT / "tests" / "roots" / "test-metadata"
SECOND_ARTICLE = "articles/axolotl-spinal-cord-regeneration"
SITE_URL = "https://openbench.test/magazine/"


@pytest.fixture(scope="session")
def metadata_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site plus the second article, built once with MAGAZINE_SITE_URL set as a
    publisher would set it; returns the HTML folder."""
    src = copy_project(tmp_path_factory.mktemp("metadata") / "src")
    shutil.copytree(METADATA_ROOT / "articles", src / "articles", dirs_exist_ok=True)
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write((METADATA_ROOT / "extra.bib").read_text(encoding="utf-8"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MAGAZINE_SITE_URL", SITE_URL)
        patch.delenv("READTHEDOCS_CANONICAL_URL", raising=False)
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = sphinx_build(src)
    assert result.returncode == 0, result.stderr
    return src / "_build" / "html"
