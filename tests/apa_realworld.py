"""Score the APA style on the real-world corpus in ``tests/data/apa-realworld/``.

A plain module (no pytest): ``score(corpus_dir)`` renders ``corpus.bib`` with the magazine's
style exactly as ``make references BIB=corpus.bib FORMAT=text ORDER=alphabetical`` does (the
same bibliography check, the same ``Apa7Style`` with APA's own settings, the same plain-text
rendering), then grades each entry:

- against ``judged.tsv`` when the entry has a row there (our own APA 7 judgement);
- otherwise against the two oracles' text, when pandoc and citeproc-js agree on it;
- entries whose row is marked ``unjudgeable`` are left out of the total.

Texts are compared after normalising whitespace only (runs of whitespace become one space,
ends are stripped); every character, including ’ – … and punctuation, must match.

Run it directly for a summary and the mismatches::

    .venv/bin/python tests/apa_realworld.py [--verbose] [tests/data/apa-realworld]
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DIR = ROOT / "tests" / "data" / "apa-realworld"
if str(ROOT / "_ext") not in sys.path:
    sys.path.insert(0, str(ROOT / "_ext"))

UNJUDGEABLE = "unjudgeable"


@dataclass(frozen=True)
class Row:
    """One graded entry."""

    key: str
    #: "judged" (judged.tsv), "oracles" (both oracles agree), "unjudgeable" or "ungraded"
    #: (the oracles disagree and judged.tsv has no row: a gap in the grading data)
    source: str
    expected: str
    actual: str
    #: the APA rule (judged rows) or the reason an entry is unjudgeable
    rule: str = ""

    @property
    def graded(self) -> bool:
        return self.source in ("judged", "oracles")

    @property
    def exact(self) -> bool:
        return self.graded and self.expected == self.actual


def normalise(text: str) -> str:
    return " ".join(text.split())


def _render(source: str) -> dict[str, str]:
    """key -> plain-text reference for bib text, as the command renders a file."""
    from magazine.citations.bibcheck import check_bib_text
    from magazine.bibstyle.apa7 import Apa7Style
    from magazine.bibstyle.cli import render
    from magazine.bibstyle.settings import ApaSettings

    # the command's defaults: --order alphabetical, --personal-communications in-text,
    # "Article" before article numbers
    settings = ApaSettings("alphabetical", "in-text", True)
    report = check_bib_text(source)
    style = Apa7Style(settings)
    return {
        entry.key: normalise(render(entry.text, "text"))
        for entry in style.format_entries(report.data.entries.values())
    }


_ENTRY_START = re.compile(r"^[ \t]*@([A-Za-z]+)[ \t]*([{(])", re.M)


def split_entries(source: str) -> list[str]:
    """The raw text of each entry (not @comment, @string or @preamble), by brace matching."""
    entries = []
    position = 0
    while match := _ENTRY_START.search(source, position):
        opening = match.group(2)
        closing = "}" if opening == "{" else ")"
        depth, index = 0, match.end() - 1
        while index < len(source):
            char = source[index]
            if char == opening:
                depth += 1
            elif char == closing:
                depth -= 1
                if depth == 0:
                    break
            index += 1
        if match.group(1).lower() not in ("comment", "string", "preamble"):
            entries.append(source[match.start():index + 1])
        position = index + 1
    return entries


def render_corpus(bib: Path) -> tuple[dict[str, str], dict[str, str]]:
    """(key -> our plain-text reference, key -> error), as ``make references FORMAT=text
    ORDER=alphabetical`` prints the file.

    Keys are spelled as in the file. An entry the style does not print (a personal
    communication) is absent. If the command itself fails on the file (an exception in the
    style), the entries that fail on their own are set aside with the error, and the rest of
    the file is rendered together, so that sorting and year suffixes stay those of a list.
    """
    source = bib.read_text(encoding="utf-8-sig")
    try:
        return _render(source), {}
    except Exception:  # noqa: BLE001 - a crash of the style is a result to report
        pass
    errors: dict[str, str] = {}
    kept = []
    key_re = re.compile(r"@\w+\s*[{(]\s*([^,\s]+)")
    for raw in split_entries(source):
        try:
            _render(raw)
        except Exception as error:  # noqa: BLE001
            found = key_re.match(raw.lstrip())
            errors[found.group(1) if found else raw[:40]] = f"{type(error).__name__}: {error}"
        else:
            kept.append(raw)
    return _render("\n\n".join(kept)), errors


def read_judged(path: Path) -> dict[str, tuple[str, str]]:
    """key -> (expected text or "unjudgeable", rule or reason). Lines starting with # are comments."""
    judged: dict[str, tuple[str, str]] = {}
    if not path.exists():
        return judged
    with path.open(encoding="utf-8", newline="") as handle:
        for fields in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if not fields or fields[0].startswith("#") or not fields[0].strip():
                continue
            if len(fields) < 3:
                raise ValueError(f"{path}: a row needs key, text and rule: {fields!r}")
            key, text, rule = fields[0].strip(), fields[1], "\t".join(fields[2:])
            if key in judged:
                raise ValueError(f"{path}: {key} is judged twice")
            judged[key] = (text.strip(), rule.strip())
    return judged


def corpus_keys(bib: Path) -> list[str]:
    from pybtex.database import parse_file

    return list(parse_file(str(bib)).entries.keys())


def score(corpus_dir: str | Path = DEFAULT_DIR) -> tuple[int, int, list[Row]]:
    """(exact, judged_total, rows): entries that match, entries graded, one row per corpus key."""
    corpus_dir = Path(corpus_dir)
    bib = corpus_dir / "corpus.bib"
    oracle = {
        record["key"]: record
        for record in json.loads((corpus_dir / "oracle" / "expected.json").read_text(encoding="utf-8"))
    }
    judged = read_judged(corpus_dir / "judged.tsv")
    ours, errors = render_corpus(bib)
    ours_folded = {key.lower(): text for key, text in ours.items()}
    rows = []
    for key in corpus_keys(bib):
        actual = ours.get(key, ours_folded.get(key.lower(), ""))
        if key in errors:
            actual = f"<the style failed: {errors[key]}>"
        if key in judged:
            text, rule = judged[key]
            if text == UNJUDGEABLE:
                rows.append(Row(key, UNJUDGEABLE, "", actual, rule))
            else:
                rows.append(Row(key, "judged", normalise(text), actual, rule))
        elif key in oracle and oracle[key]["agree"]:
            rows.append(Row(key, "oracles", normalise(oracle[key]["text"]), actual))
        else:
            rows.append(Row(key, "ungraded", "", actual))
    graded = [row for row in rows if row.graded]
    return sum(row.exact for row in graded), len(graded), rows


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    args = [a for a in argv if not a.startswith("--")]
    exact, total, rows = score(args[0] if args else DEFAULT_DIR)
    by_source: dict[str, int] = {}
    for row in rows:
        by_source[row.source] = by_source.get(row.source, 0) + 1
    print(f"{len(rows)} entries: " + ", ".join(f"{n} {s}" for s, n in sorted(by_source.items())))
    share = 100 * exact / total if total else 0.0
    print(f"exact: {exact} of {total} graded ({share:.1f}%)")
    if verbose:
        for row in rows:
            if row.graded and not row.exact:
                print(f"\n{row.key} [{row.source}]{' ' + row.rule if row.rule else ''}")
                print(f"  expected: {row.expected}")
                print(f"  ours:     {row.actual}")
    failed = [row.key for row in rows if row.actual.startswith("<the style failed")]
    if failed:
        print("make references fails on the whole file; entries that fail on their own: "
              + ", ".join(failed))
    ungraded = [row.key for row in rows if row.source == "ungraded"]
    if ungraded:
        print("ungraded (oracles disagree, no judged.tsv row): " + ", ".join(ungraded))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
