"""``make new-issue VOLUME=1 NUMBER=2``: start an issue from a template.

Writes ``issues/<volume>-<number>.md`` in preparation: volume and number filled in, the other
fields to complete (``make check`` lists what the issue still lacks), and refuses to
overwrite a file. The articles are listed in the order of the contents.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..cli.newarticle import content_folder, start_file
from .issues import EDITORIAL_PLACEHOLDER, IN_PREPARATION, PUBLISHED

TEMPLATE = """\
---
volume: {volume}
number: {number}
# date: YYYY-MM-DD            the day it is published
# title: A theme              optional
editors: []                   # [Ada Lovelace, Grace Hopper]
# cover:
#   src: /_static/images/cover-{volume}-{number}.svg
#   alt: What the cover shows, for readers who cannot see it.
#   credit: Who made it, and its licence.
status: {status}       # '{published}' when it is ready: the pull request publishes it
articles: []                  # one '- articles/NAME' a line, in the order of the contents
---

% The editorial, in Markdown. `make check` says what the issue still lacks; the README
% ("Assembling an issue") explains the rest.

{placeholder}
"""


def render(volume: int, number: int) -> str:
    return TEMPLATE.format(volume=volume, number=number, status=IN_PREPARATION,
                           published=PUBLISHED, placeholder=EDITORIAL_PLACEHOLDER)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magazine.serial.newissue", description=__doc__)
    parser.add_argument("--volume", required=True)
    parser.add_argument("--number", required=True)
    parser.add_argument("--srcdir", type=Path, default=Path())
    args = parser.parse_args(argv)
    try:
        volume, number = int(args.volume), int(args.number)
    except ValueError:
        volume = number = 0
    if not (0 < volume < 10_000 and 0 < number < 10_000):
        print("give both as whole numbers from 1: make new-issue VOLUME=1 NUMBER=2",
              file=sys.stderr)
        return 2
    path = content_folder(args.srcdir, "magazine_issue_dir", "issues") / f"{volume}-{number}.md"
    return start_file(path, render(volume, number),
                      taken="edit that file, or choose another number",
                      then="Fill it in, list its articles, then run: make check")


if __name__ == "__main__":
    sys.exit(main())
