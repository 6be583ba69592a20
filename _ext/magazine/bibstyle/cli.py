"""``make references``: the APA reference list of a bib file, without a site build.

    PYTHONPATH=_ext python -m magazine.bibstyle.cli [--format text|html]
        [--order alphabetical|citation] [--personal-communications in-text|listed]
        [--no-article-label] path/to/file.bib

Prints one entry per paragraph, paragraphs separated by a blank line: plain text, or HTML
with ``<em>`` for italics and ``<a>`` for DOIs and URLs. The defaults are APA 7's own
settings (alphabetical order, personal communications left out because APA cites them in
the text only, "Article" before article numbers), not the magazine's house settings;
"citation" order is the order of the file. Problems in the file (from the bibliography
check and the reading step, :mod:`magazine.reading`) and entries the style cannot place are
printed to standard error as ``file:line: error: ...`` or ``file:line: warning: ...``; the
list is printed all the same, and the command exits with 1 if there was an error (as
``make check`` fails on it), else 0.
"""

from __future__ import annotations

import argparse
import sys
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING

from pybtex.backends.html import Backend as HtmlBackend
from pybtex.backends.plaintext import Backend as TextBackend

from ..citations.bibcheck import check_bib_text
from .apa7 import Apa7Style
from .settings import ORDERS, PERSONAL_COMMUNICATIONS, ApaSettings

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pybtex.richtext import Text


class CleanHtmlBackend(HtmlBackend):
    """HTML with only ``<em>`` and ``<a>``: brace-protected text is plain text."""

    def format_protected(self, text: str) -> str:
        return text

    @staticmethod
    def format_href(url: str, text: str, external: bool = False) -> str:
        return f'<a href="{escape(url)}">{text}</a>' if text else ""


BACKENDS = {"text": TextBackend, "html": CleanHtmlBackend}


def render(text: Text, output: str) -> str:
    return " ".join(text.render(BACKENDS[output]()).split())


def reference_list(source: str, settings: ApaSettings, output: str = "text",
                   name: str = "<bib>", previews: bool = False,
                   ) -> tuple[list[str], list[str]]:
    """The rendered entries of a bib file's text, and the warnings about it (with
    ``previews``, also the notes for whoever adds the entries)."""
    report = check_bib_text(source, previews=previews)
    warnings = [f"{name}:{p.line}: {p.severity}: {p.message}" for p in report.problems]
    style = Apa7Style(settings)
    entries = []
    for entry in style.format_entries(report.data.entries.values()):
        span = report.spans.get(entry.key.lower())
        line = span.line if span else 1
        warnings.extend(f"{name}:{line}: warning: {p.message}" for p in entry.problems)
        entries.append(render(entry.text, output))
    return entries, warnings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="make references", description="Print a bib file's APA 7 reference list."
    )
    parser.add_argument("bib", type=Path, help="the bib file")
    parser.add_argument("--format", choices=tuple(BACKENDS), default="text")
    parser.add_argument("--order", choices=ORDERS, default="alphabetical")
    parser.add_argument(
        "--personal-communications", choices=PERSONAL_COMMUNICATIONS, default="in-text"
    )
    parser.add_argument("--no-article-label", action="store_true",
                        help='print article numbers without "Article" (a house style)')
    args = parser.parse_args(argv)
    try:
        source = args.bib.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        print(f"{args.bib}: cannot read the bib file ({error})", file=sys.stderr)
        return 2
    settings = ApaSettings(args.order, args.personal_communications, not args.no_article_label)
    entries, warnings = reference_list(source, settings, args.format, str(args.bib),
                                       previews=True)
    for warning in warnings:
        print(warning, file=sys.stderr)
    sys.stdout.write("\n\n".join(entries) + ("\n" if entries else ""))
    return 1 if any(": error: " in warning for warning in warnings) else 0


if __name__ == "__main__":
    sys.exit(main())
