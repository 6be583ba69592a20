"""``make paginate ISSUE=1-2``: record where each article of an issue starts and ends.

A published issue's page numbers are part of how it is cited ("1(2), 14-17"), so they are
fixed when the issue comes out and written in its file, where the web edition reads them
and every PDF build checks them (:mod:`magazine.pdf.builder`). This command lays the
issue out with Typst, as the PDF build does but without its record (the build's
``magazine_repaginate``), and writes the ranges into the issue file's ``pages:`` field,
replacing what was there::

    pages:  # written by make paginate: each article's first and last page
      articles/axolotl-spinal-cord-regeneration: 1-4
      articles/stem-cell-therapy-spinal-cord-injuries: 5-6

Editors run it when the issue's contents are final, before they publish it, and commit
the file; the pull request then shows the pages. Nothing is written if the build fails.
Several issues are laid out in one build with ``ISSUE=1-1,1-2`` (a back catalogue brought
in at once), unless the pagination runs on across a volume (``magazine_pagination =
"volume"``), where each issue starts after the one before it is recorded.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from sphinx.cmd.build import build_main

from ..articles.identifiers import ISSUE_STEM_RE
from ..cli.newarticle import content_folder
from ..config import magazine_config, read_conf
from ..pdf.names import DOIS_FILE, PAGINATION_FILE
from .issues import page_range, parse_issue

PAGES_COMMENT = "# written by make paginate: each article's first and last page"
DOIS_COMMENT = "# written by make paginate: each article's DOI, never to change"


def pages_block(pages: dict[str, list[int]], order: list[str]) -> list[str]:
    """The ``pages:`` field as lines, in the order of the contents."""
    lines = [f"pages:  {PAGES_COMMENT}"]
    for name in order:
        first, last = pages[name]
        lines.append(f"  {name}: {first}-{last}" if last != first else f"  {name}: {first}")
    return lines


def dois_block(dois: dict[str, str], order: list[str]) -> list[str]:
    """The ``dois:`` field as lines, in the order of the contents."""
    return [f"dois:  {DOIS_COMMENT}", *(f"  {name}: {dois[name]}" for name in order)]


def with_pages(source: str, block: list[str], field: str = "pages") -> str:
    """The issue file with its ``pages:`` (or other ``field``) replaced by ``block`` (or
    added at the end of the front matter); the rest of the file as it was, byte for byte."""
    lines = source.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    pattern = re.compile(rf"^{field}\s*:")
    start = next((i for i in range(1, end) if pattern.match(lines[i])), None)
    if start is None:
        return "\n".join([*lines[:end], *block, *lines[end:]])
    stop = start + 1
    while stop < end and (lines[stop][:1] in (" ", "\t") or not lines[stop].strip()):
        stop += 1
    return "\n".join([*lines[:start], *block, *lines[stop:]])


def issue_files(srcdir: Path, text: str) -> dict[str, Path] | str:
    """Each named issue's file, or what is wrong with the names."""
    stems = [part.strip() for part in text.split(",") if part.strip()]
    if not stems or not all(ISSUE_STEM_RE.match(stem) for stem in stems):
        return ("name the issue by its volume and number: make paginate ISSUE=1-2 "
                "(several: ISSUE=1-1,1-2)")
    folder = content_folder(srcdir, "magazine_issue_dir", "issues")
    paths = {stem: folder / f"{stem}.md" for stem in dict.fromkeys(stems)}
    for path in paths.values():
        if not path.is_file():
            return f"there is no {path}; start it with make new-issue"
    return paths


def record_pages(stem: str, path: Path, laid_out: dict[str, list[int]],
                 dois: dict[str, str] | None = None) -> str | None:
    """Write the issue's pages (and DOIs) into its file; what went wrong, if anything."""
    source = path.read_text("utf-8")
    record = parse_issue(source, f"issues/{stem}").record
    order = [name for name in (record.articles if record else ()) if name in laid_out]
    if not order:
        return f"{path} lists no article yet; nothing to paginate"
    updated = with_pages(source, pages_block(laid_out, order))
    if dois:
        updated = with_pages(updated, dois_block(dois, order), "dois")
    if updated != source:
        path.write_text(updated, "utf-8")
    for name in order:
        print(f"{name}: {page_range(*laid_out[name])}"
              + (f", DOI {dois[name]}" if dois else ""))
    print(f"{path}: {'pages recorded' if updated != source else 'pages unchanged'}; "
          "commit the file with the issue")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magazine.serial.paginate", description=__doc__)
    parser.add_argument("--issue", required=True,
                        help="the issue, as VOLUME-NUMBER: 1-2 (several: 1-1,1-2)")
    parser.add_argument("--srcdir", type=Path, default=Path())
    parser.add_argument("--builddir", type=Path, default=Path("_build"))
    args = parser.parse_args(argv)
    paths = issue_files(args.srcdir, args.issue)
    if isinstance(paths, str):
        print(paths, file=sys.stderr)
        return 2
    stems = ",".join(paths)
    if len(paths) > 1 and _volume_pagination(args.srcdir):
        print("the pages run on across each volume (magazine_pagination = \"volume\"): each "
              "issue starts after the one before it, so paginate one issue at a time, in "
              "order: make paginate ISSUE=" + next(iter(paths)), file=sys.stderr)
        return 2
    outdir = args.builddir / "paginate"
    status = build_main(["-b", "typst", "-q", "-W", "--keep-going", "-n",
                         "-D", f"magazine_repaginate={stems}",
                         "-d", str(args.builddir / "doctrees"), str(args.srcdir), str(outdir)])
    if status != 0:
        print(f"the issue could not be laid out; fix the problems above, then run "
              f"make paginate ISSUE={stems} again (nothing was written)", file=sys.stderr)
        return 1
    laid_out = json.loads((outdir / PAGINATION_FILE).read_text("utf-8"))
    dois_file = outdir / DOIS_FILE  # only when conf.py names a DOI prefix
    dois = json.loads(dois_file.read_text("utf-8")) if dois_file.is_file() else {}
    problems = [problem for stem, path in paths.items()
                if (problem := record_pages(stem, path, laid_out.get(stem, {}),
                                            dois.get(stem))) is not None]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


def _volume_pagination(srcdir: Path) -> bool:
    """Whether conf.py sets the pages to run on across a volume."""
    return magazine_config(read_conf(srcdir.resolve())).pagination == "volume"


if __name__ == "__main__":
    sys.exit(main())
