"""Helpers for the APA style tests: run the style on bib text without a Sphinx build.

The style is driven the way sphinxcontrib-bibtex drives it: sort, label the whole list,
format each entry; in-text citations go through ``format_references`` with the keys in
reference-list order, as the bibtex domain passes them.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from pybtex.database import parse_string  # noqa: E402
from sphinxcontrib.bibtex.style.referencing import format_references  # noqa: E402

from magazine.bibstyle.apa7 import Apa7Style  # noqa: E402
from magazine.bibstyle.cli import render  # noqa: E402
from magazine.reading import read_bibliography  # noqa: E402
from magazine.bibstyle.intext import Apa7ReferenceStyle  # noqa: E402
from magazine.bibstyle.settings import APA, ApaSettings  # noqa: E402

#: the oracle: pandoc's citeproc with the official CSL APA style (tests/data/apa-oracle/PROVENANCE.md)
ORACLE = ROOT / "tests" / "data" / "apa-oracle"
EXTRA = ROOT / "tests" / "data" / "apa-extra"

_CITE_RE = re.compile(r"^\s*(?P<pre>.*?)\s*(?P<minus>-?)@(?P<key>[\w:.-]+)(?:,\s*(?P<post>.*?))?\s*$")
_NARRATIVE_RE = re.compile(r"^@(?P<key>[\w:.-]+)(?:\s*\[(?P<post>[^\]]*)\])?$")


class Info(NamedTuple):
    """What sphinxcontrib-bibtex's reference info gives the style: pre- and post-text."""

    pre_text: str = ""
    post_text: str = ""


class Formatted:
    """A bib text formatted as one list: the entries in order, by key."""

    def __init__(self, bib: str, settings: ApaSettings = APA) -> None:
        self.settings = settings
        # the entries as the build and `make references` read them (magazine.reading)
        self.data = read_bibliography(parse_string(bib, "bibtex"))[0]
        style = Apa7Style(settings)
        self.entries = list(style.format_entries(self.data.entries.values()))
        self.by_key = {e.key: e for e in self.entries}
        # every entry can be cited, also those left out of the list
        for key, entry in self.data.entries.items():
            if key not in self.by_key:
                self.by_key[key] = style.format_entry(None, entry)
        self.order = {e.key: i for i, e in enumerate(self.entries)}

    def text(self) -> list[str]:
        return [render(e.text, "text") for e in self.entries]

    def html(self) -> list[str]:
        return [render(e.text, "html") for e in self.entries]

    def cite(self, role: str, targets: list[tuple[str, str, str]]) -> str:
        """A citation of ``(key, pre, post)`` targets with a sphinxcontrib-bibtex role."""
        references = [
            (self.data.entries[key], self.by_key[key], Info(pre, post))
            for key, pre, post in targets
        ]
        references.sort(key=lambda r: self.order.get(r[0].key, len(self.order)))
        style = Apa7ReferenceStyle.with_settings(self.settings)()
        return format_references(style, role, references).render_as("text")

    def cite_pandoc(self, citation: str) -> str:
        """A citation written in pandoc's syntax, as in the oracle's intext.tsv."""
        role, targets = pandoc_citation(citation)
        return self.cite(role, targets)


def pandoc_citation(citation: str) -> tuple[str, list[tuple[str, str, str]]]:
    """``[see @a, p. 3; @b]`` -> ("p", [("a", "see", "p. 3"), ("b", "", "")]);
    ``@a [p. 3]`` -> ("t", ...); ``[-@a]`` -> ("yearpar", ...)."""
    citation = citation.strip()
    if citation.startswith("["):
        matches = [_CITE_RE.match(part) for part in citation[1:-1].split(";")]
        targets = [(m["key"], m["pre"] or "", m["post"] or "") for m in matches if m]
        role = "yearpar" if matches and matches[0] and matches[0]["minus"] else "p"
        return role, targets
    match = _NARRATIVE_RE.match(citation)
    assert match, citation
    return "t", [(match["key"], "", match["post"] or "")]


def em_runs(markup: str) -> list[str]:
    """The italic runs of an entry's HTML, other tags dropped, entities unescaped."""
    kept = re.sub(r"<(?!/?em>)[^>]+>", "", markup)
    return [html.unescape(run) for run in re.findall(r"<em>(.*?)</em>", kept, re.S)]


def squash(text: str) -> str:
    return " ".join(text.split())
