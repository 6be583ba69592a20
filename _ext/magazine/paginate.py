"""``make paginate ISSUE=1-2``: record where each article of an issue starts and ends.

A published issue's page numbers are part of how it is cited ("1(2), 14-17"), so they are
fixed when the issue comes out and written in its file, where the web edition reads them
and every PDF build checks them (:mod:`magazine.typst.builder`). This command lays the
issue out with Typst, as the PDF build does but without its record (the build's
``magazine_repaginate``), and writes the ranges into the issue file's ``pages:`` field,
replacing what was there::

    pages:  # written by make paginate: each article's first and last page
      articles/axolotl-spinal-cord-regeneration: 1-4
      articles/stem-cell-therapy-spinal-cord-injuries: 5-6

Editors run it when the issue's contents are final, before they publish it, and commit
the file; the pull request then shows the pages. Nothing is written if the build fails.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from sphinx.cmd.build import build_main

from .identifiers import ISSUE_STEM_RE
from .issues import page_range, parse_issue
from .newarticle import content_folder
from .typst.names import PAGINATION_FILE

PAGES_COMMENT = "# written by make paginate: each article's first and last page"
_FIELD_RE = re.compile(r"^pages\s*:")


def pages_block(pages: dict[str, list[int]], order: list[str]) -> list[str]:
    """The ``pages:`` field as lines, in the order of the contents."""
    lines = [f"pages:  {PAGES_COMMENT}"]
    for name in order:
        first, last = pages[name]
        lines.append(f"  {name}: {first}-{last}" if last != first else f"  {name}: {first}")
    return lines


def with_pages(source: str, block: list[str]) -> str:
    """The issue file with its ``pages:`` field replaced by ``block`` (or added at the end
    of the front matter); the rest of the file as it was, byte for byte."""
    lines = source.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    start = next((i for i in range(1, end) if _FIELD_RE.match(lines[i])), None)
    if start is None:
        return "\n".join([*lines[:end], *block, *lines[end:]])
    stop = start + 1
    while stop < end and (lines[stop][:1] in (" ", "\t") or not lines[stop].strip()):
        stop += 1
    return "\n".join([*lines[:start], *block, *lines[stop:]])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magazine.paginate", description=__doc__)
    parser.add_argument("--issue", required=True, help="the issue, as VOLUME-NUMBER: 1-2")
    parser.add_argument("--srcdir", type=Path, default=Path())
    parser.add_argument("--builddir", type=Path, default=Path("_build"))
    args = parser.parse_args(argv)
    stem = args.issue.strip()
    if not ISSUE_STEM_RE.match(stem):
        print("name the issue by its volume and number: make paginate ISSUE=1-2",
              file=sys.stderr)
        return 2
    path = content_folder(args.srcdir, "magazine_issue_dir", "issues") / f"{stem}.md"
    if not path.is_file():
        print(f"there is no {path}; start it with make new-issue", file=sys.stderr)
        return 2
    outdir = args.builddir / "paginate"
    status = build_main(["-b", "typst", "-q", "-W", "--keep-going", "-n",
                         "-D", f"magazine_repaginate={stem}",
                         "-d", str(args.builddir / "doctrees"), str(args.srcdir), str(outdir)])
    if status != 0:
        print(f"the issue could not be laid out; fix the problems above, then run "
              f"make paginate ISSUE={stem} again (nothing was written)", file=sys.stderr)
        return 1
    laid_out = json.loads((outdir / PAGINATION_FILE).read_text("utf-8")).get(stem, {})
    source = path.read_text("utf-8")
    record = parse_issue(source, f"issues/{stem}").record
    order = [name for name in (record.articles if record else ()) if name in laid_out]
    if not order:
        print(f"{path} lists no article yet; nothing to paginate", file=sys.stderr)
        return 1
    updated = with_pages(source, pages_block(laid_out, order))
    if updated != source:
        path.write_text(updated, "utf-8")
    for name in order:
        print(f"{name}: {page_range(*laid_out[name])}")
    print(f"{path}: {'pages recorded' if updated != source else 'pages unchanged'}; "
          "commit the file with the issue")
    return 0


if __name__ == "__main__":
    sys.exit(main())
