#!/usr/bin/env python3
"""Does a pull request change only the magazine's content, or more?

    python3 .ci/changed_paths.py --base BASE_SHA [--head HEAD]   # git diff --name-only BASE...HEAD
    python3 .ci/changed_paths.py PATH ...                        # classify the given paths
    git diff --name-only main... | python3 .ci/changed_paths.py -

Content is what editors review: articles/, references.bib, the pictures in _static/images/ and
issues/. Anything else (the build, the extension, the tests, CI, the requirements) needs a
maintainer's review as well; .github/CODEOWNERS names them. It prints the paths and the verdict,
and on GitHub Actions also writes an annotation (a notice for content only, a warning for more)
and a job summary. It always exits 0 when it could tell: it informs the review, it does not gate.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

#: what counts as content: a folder (ending in /) or one file
CONTENT = ("articles/", "references.bib", "_static/images/", "issues/")


def is_content(path: str) -> bool:
    path = path.strip().removeprefix("./")
    return any(path.startswith(c) if c.endswith("/") else path == c for c in CONTENT)


@dataclass
class Verdict:
    content: list[str]
    other: list[str]

    @property
    def more_than_content(self) -> bool:
        return bool(self.other)

    @property
    def headline(self) -> str:
        if not self.content and not self.other:
            return "This pull request changes no files."
        if not self.other:
            return f"Content only: {count(self.content)} under {', '.join(CONTENT)}."
        return (f"More than content: {count(self.other)} outside {', '.join(CONTENT)} "
                "(a maintainer must review these; see .github/CODEOWNERS).")


def count(paths: list[str]) -> str:
    return f"{len(paths)} path" + ("" if len(paths) == 1 else "s")


def classify(paths: Iterable[str]) -> Verdict:
    unique = sorted({p.strip() for p in paths if p.strip()})
    return Verdict([p for p in unique if is_content(p)], [p for p in unique if not is_content(p)])


def changed_paths(base: str, head: str = "HEAD") -> list[str]:
    """What the pull request changes: both sides of a rename, deletions included."""
    result = subprocess.run(
        ["git", "diff", "--name-only", "--no-renames", f"{base}...{head}"],
        capture_output=True, text=True, check=True,
    )
    return result.stdout.splitlines()


def annotation(verdict: Verdict) -> str:
    """A GitHub Actions workflow command: shown on the run's page and the pull request."""
    if verdict.more_than_content:
        shown = ", ".join(verdict.other[:20]) + (", ..." if len(verdict.other) > 20 else "")
        return f"::warning title=Changes more than content::{verdict.headline} {shown}"
    return f"::notice title=Content only::{verdict.headline}"


def summary(verdict: Verdict) -> str:
    """The job summary, in Markdown."""
    lines = ["## What this pull request changes", "", verdict.headline, ""]
    for title, paths in (("Outside the content", verdict.other), ("Content", verdict.content)):
        if paths:
            lines += [f"### {title} ({len(paths)})", ""] + [f"- `{p}`" for p in paths] + [""]
    return "\n".join(lines)


def report(verdict: Verdict, environ: dict[str, str] | os._Environ = os.environ) -> str:
    """What is printed; on GitHub Actions the annotation too, and the summary is written."""
    out = [verdict.headline]
    out += [f"  other    {p}" for p in verdict.other]
    out += [f"  content  {p}" for p in verdict.content]
    if environ.get("GITHUB_ACTIONS") == "true":
        out.append(annotation(verdict))
    if environ.get("GITHUB_STEP_SUMMARY"):
        with Path(environ["GITHUB_STEP_SUMMARY"]).open("a", encoding="utf-8") as file:
            file.write(summary(verdict) + "\n")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", help="paths to classify; - reads them from stdin")
    parser.add_argument("--base", help="the pull request's base commit")
    parser.add_argument("--head", default="HEAD", help="its head (default HEAD)")
    args = parser.parse_args(argv)
    if args.base and args.paths:
        parser.error("give --base or paths, not both")
    if args.base:
        try:
            paths = changed_paths(args.base, args.head)
        except subprocess.CalledProcessError as error:
            print(f"changed_paths: git diff failed (is the checkout's fetch-depth 0?): "
                  f"{error.stderr.strip()}", file=sys.stderr)
            return 2
    elif args.paths == ["-"]:
        paths = sys.stdin.read().splitlines()
    else:
        paths = args.paths
    print(report(classify(paths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
