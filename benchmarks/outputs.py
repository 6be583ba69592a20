"""Whether a change changed what the magazine publishes: the seed site and the test roots
built by this checkout and by another commit, file by file.

    python benchmarks/outputs.py --against REV [--cases site,notices] [--builders html,typst]

For each case (the site as it is, and the site with each test root's articles, issues and
bib file added, as the tests add them) and for each side (the sources and extension of
commit REV, from ``git archive``; this checkout's), it copies the project to a temporary
folder, commits the content with a fixed date (so that the versions lists and last-modified
dates agree), records pages and DOIs (``make paginate``) for every issue, builds the HTML,
PDF and JATS editions and writes every issue's Crossref deposit, all with a fixed
``SOURCE_DATE_EPOCH`` and the settings that make every edition (ISSNs, a DOI prefix, the
depositor). Then it prints each file that differs or exists on one side only, and exits 1
if any does. ``searchindex.js`` records the extension modules' names and environment
versions: a change that renames a module or raises a version shows there alone.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generate import ROOT, differing, files_of_commit

ROOTS = ROOT / "tests" / "roots"
CASES = {"site": None, "metadata": "test-metadata", "issues": "test-issues",
         "notices": "test-notices", "typst": "test-typst"}
BUILDERS = ("html", "typst", "jats")
SETTINGS = """
magazine_issn = "2049-3630"
magazine_doi_prefix = "10.5555"
magazine_crossref_depositor = "The Open Bench"
magazine_crossref_email = "editors@openbench.test"
magazine_publisher = "The Open Bench"
"""
CONTENT = ("articles", "issues", "references.bib", "extra.bib", "index.md", "_static", "conf.py")
SKIPPED = shutil.ignore_patterns(".git", ".venv", "_build", "__pycache__", ".pytest_cache",
                                 "node_modules")
MOMENT = "2026-11-01T10:00:00Z"


def environment() -> dict[str, str]:
    env = dict(os.environ, SOURCE_DATE_EPOCH="1764000000",
               MAGAZINE_SITE_URL="https://openbench.test/magazine/",
               GIT_AUTHOR_DATE=MOMENT, GIT_COMMITTER_DATE=MOMENT,
               GIT_AUTHOR_NAME="Editors", GIT_AUTHOR_EMAIL="editors@openbench.test",
               GIT_COMMITTER_NAME="Editors", GIT_COMMITTER_EMAIL="editors@openbench.test")
    env.pop("READTHEDOCS_CANONICAL_URL", None)
    return env


def sources_of(rev: str | None, dest: Path) -> Path:
    """The project at commit ``rev`` (None: this checkout, as it is on disk) in ``dest``."""
    if rev is None:
        shutil.copytree(ROOT, dest, ignore=SKIPPED)
        return dest
    try:
        files_of_commit(rev, dest)
    except ValueError as error:
        sys.exit(f"--against {rev}: {error}")
    return dest


def prepare(project: Path, case: str) -> None:
    """The case's content added to ``project``, the settings appended, the content committed."""
    settings = SETTINGS
    if (root := CASES[case]) is not None:
        extra = ROOTS / root
        for folder in ("articles", "issues"):
            if (extra / folder).is_dir():
                shutil.copytree(extra / folder, project / folder, dirs_exist_ok=True)
        if (extra / "extra.bib").is_file():
            shutil.copy(extra / "extra.bib", project / "extra.bib")
            settings += 'bibtex_bibfiles = ["references.bib", "extra.bib"]\n'
    with (project / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(settings)
    env = environment()
    subprocess.run(["git", "init", "-q"], cwd=project, env=env, check=True)
    tracked = [name for name in CONTENT if (project / name).exists()]
    subprocess.run(["git", "add", "-f", *tracked], cwd=project, env=env, check=True)
    subprocess.run(["git", "commit", "-qm", "content"], cwd=project, env=env, check=True)


def command(project: Path, module: str, *args: str) -> None:
    """``python -m magazine.<module>`` as the Makefile runs it; the module's path is looked
    up in the project, whose layout may be another commit's."""
    for candidate in (module, module.rpartition(".")[2]):
        if (project / "_ext" / "magazine" / (candidate.replace(".", "/") + ".py")).is_file():
            break
    subprocess.run([sys.executable, "-m", f"magazine.{candidate}", *args], cwd=project,
                   env=dict(environment(), PYTHONPATH="_ext"), capture_output=True,
                   check=False)


def build(project: Path, builders: tuple[str, ...]) -> dict[str, str]:
    """Every file the case publishes, by path, with its SHA-256."""
    issues = sorted(p.stem for p in (project / "issues").glob("*.md"))
    for issue in issues:
        command(project, "serial.paginate", "--issue", issue, "--builddir", "_build/paginate")
    files: dict[str, str] = {}
    for issue in issues:
        command(project, "registration.crossref", "--issue", issue, "--builddir",
                "_build/crossref")
    for issue_file in sorted((project / "issues").glob("*.md")):
        files[f"issues/{issue_file.name}"] = digest(issue_file)
    for builder in builders:
        outdir = project / "_build" / builder
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", builder, "-W", "-n", "--keep-going", "-q",
             "-d", str(project / "_build" / f"doctrees-{builder}"), str(project), str(outdir)],
            cwd=project, env=environment(), capture_output=True, text=True, check=False)
        files[f"{builder}: exit status"] = str(result.returncode)
        files.update({f"{builder}/{path.relative_to(outdir)}": digest(path)
                      for path in sorted(outdir.rglob("*"))
                      if path.is_file() and path.name != ".buildinfo"})
    for deposit in sorted((project / "_build" / "crossref").rglob("*.xml")):
        files[f"crossref/{deposit.name}"] = digest(deposit)
    return files


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def compare(rev: str, cases: list[str], builders: tuple[str, ...]) -> list[str]:
    changed = []
    with tempfile.TemporaryDirectory(prefix="magazine-outputs-") as tmp:
        for case in cases:
            sides = {}
            for label, side in (("against", rev), ("ours", None)):
                project = sources_of(side, Path(tmp) / case / label)
                prepare(project, case)
                sides[label] = build(project, builders)
            theirs, ours = sides["against"], sides["ours"]
            found = differing(ours, theirs)
            print(f"{case}: {len(ours)} files, "
                  + (f"{len(found)} differ: " + ", ".join(found) if found else "the same"))
            changed += [f"{case}/{path}" for path in found]
    return changed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--against", required=True, metavar="REV")
    parser.add_argument("--cases", default=",".join(CASES),
                        help="of " + ", ".join(CASES) + " (default: all)")
    parser.add_argument("--builders", default=",".join(BUILDERS))
    args = parser.parse_args(argv)
    cases = args.cases.split(",")
    if unknown := [c for c in cases if c not in CASES]:
        parser.error(f"unknown case {unknown[0]!r}")
    return 1 if compare(args.against, cases, tuple(args.builders.split(","))) else 0


if __name__ == "__main__":
    sys.exit(main())
