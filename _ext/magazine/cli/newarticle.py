"""``make new-article TITLE="..." COLUMN="..."``: start an article from a template.

Writes ``articles/<slug>.md`` with front matter that passes the checks (title, column,
today's date, and a summary and body to replace), and refuses to overwrite a file.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

import yaml

from ..articles.frontmatter import SUMMARY_PLACEHOLDER
from ..articles.identifiers import slug
from ..config import read_conf

TEMPLATE = """\
---
{front_matter}---

% Write the article below in Markdown. Cite a source at the statement that relies on it:
% write {{cite:p}} and then the entry's key from references.bib between backticks for
% (Author, 2021), or {{cite:t}} for Author (2021). The Works Cited list is added for you.
% `make check` tells you what is left to fix; CONTRIBUTING.md explains the rest.

Replace this paragraph with the first paragraph of the article.
"""


def slugify(title: str) -> str:
    """The article's file name from its title: at most 80 characters of its slug."""
    return slug(title)[:80].rstrip("-")


def render(title: str, column: str, today: dt.date) -> str:
    data = {
        "title": title,
        "column": column,
        "summary": SUMMARY_PLACEHOLDER,
        "date": today,
    }
    front_matter = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    return TEMPLATE.format(front_matter=front_matter)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magazine.cli.newarticle", description=__doc__)
    parser.add_argument("--title", required=True)
    parser.add_argument("--column", required=True)
    parser.add_argument("--srcdir", type=Path, default=Path())
    args = parser.parse_args(argv)
    title, column = args.title.strip(), args.column.strip()
    if not title or not column:
        print('give both: make new-article TITLE="The title" COLUMN="News Byte"', file=sys.stderr)
        return 2
    stem = slugify(title)
    if not stem:
        print("the title needs at least one letter or digit for the file name", file=sys.stderr)
        return 2
    path = content_folder(args.srcdir, "magazine_article_dir", "articles") / f"{stem}.md"
    return start_file(path, render(title, column, dt.date.today()),
                      taken="choose another title or edit that file",
                      then="Write the article there, then run: make check")


def content_folder(srcdir: Path, setting: str, default: str) -> Path:
    """The folder that conf.py's ``setting`` names (``magazine_article_dir``)."""
    return srcdir / str(read_conf(srcdir.resolve()).get(setting, default)).strip("/")


def start_file(path: Path, text: str, *, taken: str, then: str) -> int:
    """Write a new file from a template, never over one (exit status 1, and ``taken``)."""
    if path.exists():
        print(f"{path} exists already; {taken}", file=sys.stderr)
        return 1
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    print(f"Created {path}. {then}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
