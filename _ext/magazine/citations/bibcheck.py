"""Checks of the bibliography file, located by line, with a fix in every message.

What is checked, as pure functions that ``make check`` (quick mode), the pre-commit hook and
the Sphinx build all share:

- syntax: an unclosed brace or quote, a missing comma between fields, a field without a
  value; pybtex's own parse errors are reported too, so nothing slips past;
- duplicate keys (pybtex compares keys case-insensitively and keeps only the first entry;
  the build parses in a mode that keeps every later entry, so one duplicate never drops
  the entries after it), duplicate fields, two entries with the same DOI, or with the same
  title and year;
- fields: the fields an entry type needs for an APA reference, dates that do not parse,
  DOIs not of the form ``10.NNNN/suffix``, URLs that are not http(s);
- entries no article cites (a warning, or a failure in strict mode).

In the Sphinx build the problems become warnings of type ``magazine`` (subtype
``bibliography``) located at ``references.bib:LINE``, and pybtex's errors are captured
instead of aborting the build with a traceback. The build checks the entries that
sphinxcontrib-bibtex has parsed (the file is parsed once), and keeps the report in the
environment: an unchanged file is not checked again, its problems are reported again.
"""

from __future__ import annotations

import bisect
import calendar
import contextlib
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pybtex.database import BibliographyData, parse_string
from sphinx.domains import Domain

from .. import schedule
from ..articles.identifiers import bib_key_problem
from ..doors.bibtex27 import bib_data
from ..doors.pybtex026 import capture_errors
from ..reading import ALIASES as READ_ALIASES
from ..reading import read_bibliography, read_entry
from ..registration.dois import is_doi
from ..speedups.forkdata import main_process_only
from ..warnings import Subtype, warn

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

# Fields an entry type needs for its APA reference; "a|b" means either.
REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("title", "journaltitle|journal"),
    "book": ("title",),
    "mvbook": ("title",),
    "collection": ("title", "editor"),
    "incollection": ("title", "booktitle"),
    "inbook": ("title", "booktitle"),
    "inproceedings": ("title", "booktitle|journaltitle"),
    "report": ("title",),  # a group author that published its own report names no publisher
    "techreport": ("title",),
    "thesis": ("title", "institution|school", "type"),
    "phdthesis": ("title", "institution|school"),
    "mastersthesis": ("title", "institution|school"),
    "online": ("title",),
    "misc": ("title",),
    "dataset": ("title",),
    "software": ("title",),
    "video": ("title",),
    "movie": ("title",),
    "audio": ("title",),
    "letter": ("author", "date|year"),
    "interview": ("author", "date|year"),
}
DATE_FIELDS = ("date", "urldate", "origdate", "eventdate")
YEAR_RE = re.compile(r"^\d{4}$")
ISO_PART = r"\d{4}(?:-\d{2}(?:-\d{2})?)?"
DATE_RE = re.compile(rf"^({ISO_PART})?(?:/({ISO_PART})?)?$")
HEADER_RE = re.compile(r"@\s*([A-Za-z]+)\s*([{(])")
FIELD_START_RE = re.compile(r"[ \t]*[A-Za-z][\w\-]*[ \t]*=")
ENTRY_START_RE = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]", re.MULTILINE)
KEY_RE = re.compile(r"\s*([^\s,{}()=\"#%]*)\s*")
FIELD_NAME_RE = re.compile(r"([A-Za-z][\w\-:.+]*)\s*")
WORD_RE = re.compile(r"[\w\-:.+]+")


@dataclass(frozen=True)
class BibProblem:
    """One problem in a bib file. ``severity`` is "error", "warning" or "note" (what
    ``make references`` shows whoever adds the entry, such as how a title-case title is
    printed; never a build's warning nor the gate's)."""

    line: int
    message: str
    key: str | None = None
    severity: str = "error"


@dataclass
class EntrySpan:
    """Where an entry and its fields are in the file (1-based lines)."""

    type: str
    key: str
    line: int
    fields: dict[str, int] = field(default_factory=dict)


@dataclass
class BibReport:
    problems: list[BibProblem]
    spans: dict[str, EntrySpan]  # lower-case key -> first entry with that key
    data: BibliographyData


# -- scanning --------------------------------------------------------------------------------


class _Scanner:
    """A small, forgiving reader of the bib syntax that knows where everything is."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.problems: list[BibProblem] = []
        self.spans: list[EntrySpan] = []
        self.line_starts = [match.end() for match in re.finditer("\n", text)]

    def line_at(self, pos: int) -> int:
        """The 1-based line of ``pos``: one more than the newlines before it."""
        return bisect.bisect_right(self.line_starts, pos) + 1

    def problem(self, pos: int, message: str, key: str | None = None) -> None:
        self.problems.append(BibProblem(self.line_at(pos), message, key))

    def run(self) -> None:
        text = self.text
        while True:
            at = text.find("@", self.pos)
            if at < 0:
                return
            header = HEADER_RE.match(text, at)
            if header is None:
                self.pos = at + 1
                continue
            kind = header.group(1).lower()
            closing = "}" if header.group(2) == "{" else ")"
            self.pos = header.end()
            if kind in ("comment", "preamble", "string"):
                self.skip_group(closing)
                continue
            self.entry(kind, at, closing)

    def skip_group(self, closing: str) -> None:
        depth = 1
        while self.pos < len(self.text) and depth:
            char = self.text[self.pos]
            depth += {"{": 1, "(": 1 if closing == ")" else 0}.get(char, 0)
            depth -= 1 if char == closing or (char == "}" and closing == "}") else 0
            self.pos += 1

    def skip_space(self) -> None:
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char.isspace():
                self.pos += 1
            elif char == "%":  # a comment runs to the end of the line
                end = self.text.find("\n", self.pos)
                self.pos = len(self.text) if end < 0 else end
            else:
                return

    def next_entry_start(self, start: int) -> int:
        """Where the next entry begins (an @ at the start of a line), or the end."""
        match = ENTRY_START_RE.search(self.text, start)
        return match.start() if match else len(self.text)

    def entry(self, kind: str, at: int, closing: str) -> None:
        text = self.text
        key_match = KEY_RE.match(text, self.pos)
        key = key_match.group(1)
        self.pos = key_match.end()
        if not key:
            self.problem(at, f"the @{kind} entry has no key; write a key such as "
                         "smith2020title right after the opening brace")
        span = EntrySpan(kind, key, self.line_at(at))
        self.spans.append(span)
        limit = self.next_entry_start(self.pos)
        if self.pos < len(text) and text[self.pos] == ",":
            self.pos += 1
        elif self.pos < len(text) and text[self.pos] != closing:
            self.problem(self.pos, f"a comma is missing after the key '{key}'", key)
        while True:
            self.skip_space()
            if self.pos >= len(text) or self.pos >= limit:
                self.problem(at, f"the entry '{key}' is not closed; end it with {closing}", key)
                return
            if text[self.pos] == closing:
                self.pos += 1
                return
            name_match = FIELD_NAME_RE.match(text, self.pos)
            if name_match is None:
                self.problem(self.pos, f"unexpected '{text[self.pos]}' in the entry '{key}'; "
                             "each field is written as name = {value},", key)
                self.pos = limit
                return
            name = name_match.group(1).lower()
            name_pos = self.pos
            self.pos = name_match.end()
            if self.pos >= len(text) or text[self.pos] != "=":
                self.problem(name_pos, f"the field '{name}' in '{key}' has no '= {{value}}'", key)
                self.pos = limit
                return
            self.pos += 1
            span.fields.setdefault(name, self.line_at(name_pos))
            if not self.value(key, name, name_pos, limit):
                self.pos = limit
                return
            self.skip_space()
            if self.pos < len(text) and text[self.pos] == ",":
                self.pos += 1
            elif self.pos < len(text) and text[self.pos] != closing:
                self.problem(
                    name_pos,
                    f"a comma is missing at the end of the field '{name}' in '{key}'",
                    key,
                )

    def value(self, key: str, name: str, name_pos: int, limit: int) -> bool:
        """Read a field value (braces, quotes, numbers, macros joined by #)."""
        text = self.text
        while True:
            self.skip_space()
            if self.pos >= len(text):
                self.problem(name_pos, f"the field '{name}' in '{key}' has no value", key)
                return False
            char = text[self.pos]
            if char == "{":
                end = self.balanced(self.pos, limit)
                if end is None:
                    self.problem(
                        name_pos,
                        f"the value of '{name}' in '{key}' opens a brace {{ that is never "
                        "closed; add the missing }",
                        key,
                    )
                    return False
                self.pos = end
            elif char == '"':
                end = self.quoted(self.pos, limit)
                if end is None:
                    self.problem(
                        name_pos,
                        f"the value of '{name}' in '{key}' starts with a quote \" that is "
                        "never closed; add the closing \"",
                        key,
                    )
                    return False
                self.pos = end
            else:
                word = WORD_RE.match(text, self.pos)
                if word is None:
                    self.problem(name_pos, f"the field '{name}' in '{key}' has no value; "
                                 "write it as {value}", key)
                    return False
                self.pos = word.end()
            self.skip_space()
            if self.pos < len(text) and text[self.pos] == "#":
                self.pos += 1
                continue
            return True

    def balanced(self, start: int, limit: int) -> int | None:
        depth = 0
        for index in range(start, min(limit, len(self.text))):
            char = self.text[index]
            if char == "\n" and depth == 1 and FIELD_START_RE.match(self.text, index + 1):
                return None  # the next field starts while this value is still open
            if char == "{" and (index == 0 or self.text[index - 1] != "\\"):
                depth += 1
            elif char == "}" and self.text[index - 1] != "\\":
                depth -= 1
                if depth == 0:
                    return index + 1
        return None

    def quoted(self, start: int, limit: int) -> int | None:
        depth = 0
        for index in range(start + 1, min(limit, len(self.text))):
            char = self.text[index]
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
            elif char == '"' and depth == 0:
                return index + 1
        return None


# -- checking --------------------------------------------------------------------------------


def check_bib_text(
    text: str, parsed: tuple[BibliographyData, Iterable[Exception]] | None = None,
    previews: bool = False,
) -> BibReport:
    """Check the text of a bib file; pure, so tests and the quick check call it directly.
    ``parsed``: the file's entries as pybtex already parsed them (in capture mode) and the
    errors it reported, so that the file is not parsed twice. ``previews``: also the notes
    for whoever adds the entries (``make references``), which no build asks for."""
    scanner = _Scanner(text)
    scanner.run()
    problems = list(scanner.problems)
    spans: dict[str, EntrySpan] = {}
    for span in scanner.spans:
        if not span.key:
            continue
        key_problem = bib_key_problem(span.key)
        if key_problem:
            problems.append(BibProblem(span.line, key_problem, span.key))
        first = spans.get(span.key.lower())
        if first is not None:
            problems.append(
                BibProblem(
                    span.line,
                    f"the key '{span.key}' is used twice (first on line {first.line}); "
                    "give one of the two entries another key, or delete it if it is the "
                    "same work",
                    span.key,
                )
            )
            continue
        spans[span.key.lower()] = span
    if parsed is None:
        data, parse_problems = parse_bib_text(text)
    else:
        data, parse_problems = parsed[0], syntax_problems(parsed[1])
    syntax_lines = {p.line for p in problems}
    for problem in parse_problems:
        # the scanner names the cause of a syntax error more precisely; keep pybtex's
        # message only for what the scanner did not see
        if not syntax_lines and problem.line:
            problems.append(problem)
    broken = {p.key.lower() for p in problems if p.key}
    # the entries as the style prints them (magazine.reading), and what could not be put right
    data, readings = read_bibliography(data, previews)
    for key, reading in readings.items():
        span = spans.get(key.lower()) or EntrySpan("", key, 1)
        problems.extend(
            BibProblem(_field_line(span, p.field), p.message, key, p.severity)
            for p in reading.problems if key.lower() not in broken
        )
    problems.extend(
        p for p in check_entries(data, spans) if not p.key or p.key.lower() not in broken
    )
    return BibReport(sorted(problems, key=lambda p: (p.line, p.message)), spans, data)


def _field_line(span: EntrySpan, name: str | None) -> int:
    """The line of a field the reading step names (by its biblatex name or the BibTeX name
    the file may use), else of the entry."""
    for candidate in (name, *(b for b, biblatex in READ_ALIASES.items() if biblatex == name)):
        if candidate and candidate.lower() in span.fields:
            return span.fields[candidate.lower()]
    return span.line


def parse_bib_text(text: str) -> tuple[BibliographyData, list[BibProblem]]:
    """Parse with pybtex, collecting its errors instead of raising or printing them."""
    with capture_errors() as captured:
        data = parse_string(text, "bibtex")
    return data, syntax_problems(captured)


def syntax_problems(errors: Iterable[Exception]) -> list[BibProblem]:
    """pybtex's syntax errors (duplicates are reported by the scanner with both lines)."""
    return [
        BibProblem(error.lineno, f"{error}; check the braces and commas of the entry above "
                   "this line")  # type: ignore[attr-defined]
        for error in errors if getattr(error, "lineno", None)
    ]


def check_entries(data: BibliographyData, spans: dict[str, EntrySpan]) -> list[BibProblem]:
    problems: list[BibProblem] = []
    by_doi: dict[str, str] = {}
    by_title: dict[tuple[str, str], str] = {}
    for key, entry in data.entries.items():
        span = spans.get(key.lower()) or EntrySpan(entry.type, key, 1)
        fields = {name.lower(): value for name, value in entry.fields.items()}

        def at(name: str, span: EntrySpan = span) -> int:
            return span.fields.get(name, span.line)

        def add(line: int, message: str, key: str = key) -> None:
            problems.append(BibProblem(line, message, key))

        for need in REQUIRED.get(entry.type.lower(), ("title",)):
            options = need.split("|")
            if not any(fields.get(o) or entry.persons.get(o) for o in options):
                shown = " or ".join(f"'{o}'" for o in options)
                add(span.line, f"the @{entry.type} entry '{key}' needs {shown} for its APA "
                    f"reference; add {options[0]} = {{...}}")
        for name in DATE_FIELDS:
            if name in fields and not valid_date(fields[name]):
                add(at(name), f"'{name} = {{{fields[name]}}}' in '{key}' is not a date; write "
                    "YYYY, YYYY-MM or YYYY-MM-DD (for example 2021-02-22)")
        if "year" in fields and not YEAR_RE.match(fields["year"].strip()):
            add(at("year"), f"'year = {{{fields['year']}}}' in '{key}' is not a year; write four "
                "digits, or use date = {YYYY-MM-DD}")
        if "doi" in fields:
            doi = fields["doi"].strip()
            problem = doi_problem(doi)
            if problem:
                add(at("doi"), f"'doi = {{{doi}}}' in '{key}': {problem}")
            else:
                other = by_doi.setdefault(doi.lower(), key)
                if other != key:
                    add(at("doi"), f"'{key}' has the same DOI as '{other}'; keep one entry "
                        "and cite it by its key everywhere")
        if "url" in fields:
            problem = url_problem(fields["url"])
            if problem:
                add(at("url"), f"'url = {{{fields['url']}}}' in '{key}': {problem}")
        title = normalized_title(fields.get("title", ""))
        year = entry_year(fields)
        if title and year:
            other = by_title.setdefault((title, year), key)
            if other != key:
                add(span.line, f"'{key}' has the same title and year as '{other}'; if they are "
                    "the same work keep one entry, otherwise tell them apart in the title")
    return problems


def check_bib_file(path: Path) -> BibReport:
    return check_bib_text(path.read_text(encoding="utf-8-sig"))


def uncited(report: BibReport, cited: Iterable[str]) -> list[BibProblem]:
    """Entries that no article cites, as warnings located at each entry."""
    cited_lower = {key.lower() for key in cited}
    return [
        BibProblem(
            span.line,
            f"no article cites '{span.key}'; cite it, or remove it from the file",
            span.key,
            severity="warning",
        )
        for lower, span in sorted(report.spans.items(), key=lambda item: item[1].line)
        if lower not in cited_lower
    ]


def suggest_keys(key: str, keys: Iterable[str]) -> list[str]:
    """The existing keys closest to a mistyped one, best first."""
    keys = list(keys)
    lower = {k.lower(): k for k in keys}
    close = difflib.get_close_matches(key.lower(), list(lower), n=3, cutoff=0.6)
    if not close:  # a key with the right author and year but another word
        prefix = re.match(r"[a-z]+\d{4}", key.lower())
        if prefix:
            close = sorted(k for k in lower if k.startswith(prefix.group(0)))[:3]
    return [lower[k] for k in close]


def valid_date(value: str) -> bool:
    match = DATE_RE.match(value.strip())
    if match is None or not any(match.groups()):
        return False
    return all(_valid_iso(part) for part in match.groups() if part)


def _valid_iso(part: str) -> bool:
    pieces = [int(p) for p in part.split("-")]
    if len(pieces) >= 2 and not 1 <= pieces[1] <= 12:
        return False
    if len(pieces) == 3:
        return 1 <= pieces[2] <= calendar.monthrange(pieces[0], pieces[1])[1]
    return True


def doi_problem(doi: str) -> str | None:
    """Why a DOI (as read: a link or ``doi:`` prefix is already taken off) is not one."""
    if not is_doi(doi):
        return "a DOI has the form 10.NNNN/suffix (for example 10.1016/j.clineuro.2021.106565)"
    return None


def url_problem(url: str) -> str | None:
    cleaned = "".join(ch for ch in url.strip() if ch.isprintable() and not ch.isspace())
    parts = urlsplit(cleaned)
    if parts.scheme.lower() not in ("http", "https"):
        return "only web addresses starting with https:// or http:// are allowed"
    if not parts.netloc:
        return "the address has no host name; copy the whole address from the browser"
    return None


def normalized_title(title: str) -> str:
    return re.sub(r"[\W_]+", " ", title.replace("{", "").replace("}", "")).strip().lower()


def entry_year(fields: dict[str, Any]) -> str:
    if fields.get("date"):
        return str(fields["date"]).strip()[:4]
    return str(fields.get("year", "")).strip()


# -- in the Sphinx build ---------------------------------------------------------------------


def _bibfiles(app: Sphinx) -> list[Path]:
    return [Path(app.srcdir, name) for name in app.config.bibtex_bibfiles or []]


def project_path(app: Sphinx, path: Path) -> str:
    """``path`` as the project names it (relative to its folder), for a located message."""
    try:
        return str(path.relative_to(app.srcdir))
    except ValueError:
        return str(path)


class BibCheckDomain(Domain):
    """Each bib file's check, kept between builds with the file's size and time: an
    unchanged file is not checked (nor parsed) again. The report keeps the problems and
    where each entry is, not the entries."""

    name = "magazine-bibcheck"
    label = "Bibliography checks"
    data_version = 1
    initial_data: dict[str, Any] = {"reports": {}}  # path -> (stamp, BibReport)

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        main_process_only(self, ["reports"])  # nothing here is merged from a reader

    def report(self, path: Path) -> BibReport | None:
        kept = self.data["reports"].get(str(path))
        return kept[1] if kept is not None and kept[0] == file_stamp(path) else None

    def keep(self, path: Path, report: BibReport) -> BibReport:
        report = BibReport(report.problems, report.spans, BibliographyData())
        self.data["reports"][str(path)] = (file_stamp(path), report)
        return report

    def clear_doc(self, docname: str) -> None:
        pass

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        pass

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list:
        return []


def file_stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def bib_report(env: BuildEnvironment, path: Path) -> BibReport:
    """The check of a bib file: as kept by this build, or made now."""
    kept = env.get_domain("magazine-bibcheck").report(path)  # type: ignore[attr-defined]
    return kept if kept is not None else check_bib_file(path)



def use_read_entries(bibdata: Any, path: Path, report: BibReport) -> None:
    """Put the entries sphinxcontrib-bibtex has just parsed from ``path`` through the
    reading step (:mod:`magazine.reading`), so that the Works Cited lists, the PDF, the
    downloads and the page metadata all use the entries as read."""
    bibfile = bibdata.bibfiles.get(path.resolve())
    if bibfile is None:
        return
    entries = bibdata.data.entries
    for key in bibfile.keys:
        read = report.data.entries.get(key)
        entries[key] = read if read is not None else read_entry(entries[key]).entry


class PybtexErrors:
    """Collects pybtex's errors for the whole build instead of letting them raise, and
    checks the bib files once sphinxcontrib-bibtex has parsed them.

    pybtex raises on a syntax error or a duplicate key in its default strict mode (a
    traceback in the middle of a Sphinx build) and, in its lenient mode, prints to stderr
    where ``-W`` never sees it. Capturing keeps parsing going past a bad entry; the bib
    check reports the cause with its line, and anything else pybtex reports later (a
    malformed name, say) becomes a warning at the end of the build.
    """

    def __init__(self) -> None:
        self.stack = contextlib.ExitStack()
        self.errors: list[Exception] = []
        self.parsed_before: object = None

    def start(self, app: Sphinx) -> None:
        """``builder-inited``, before sphinxcontrib-bibtex parses: capture."""
        self.parsed_before = bib_data(app.env)
        self.errors = self.stack.enter_context(capture_errors())

    def check(self, app: Sphinx) -> None:
        """``builder-inited``, after sphinxcontrib-bibtex parses: each file's problems,
        from the kept report if the file did not change."""
        checks = app.env.get_domain("magazine-bibcheck")
        bibdata = bib_data(app.env)
        for path in _bibfiles(app):
            if not path.is_file():
                continue
            report = checks.report(path)  # type: ignore[attr-defined]
            if report is None:
                fresh = self.fresh_report(app, path)
                if bibdata is not self.parsed_before:  # before keep() drops the entries
                    use_read_entries(bibdata, path, fresh)
                report = checks.keep(path, fresh)  # type: ignore[attr-defined]
            elif bibdata is not self.parsed_before:
                use_read_entries(bibdata, path, report)
            for problem in report.problems:
                if problem.severity == "note":
                    continue  # `make references` shows notes to whoever adds the entry
                location = f"{project_path(app, path)}:{problem.line}"
                warn(problem.message, Subtype.bibliography, location=location)

    def fresh_report(self, app: Sphinx, path: Path) -> BibReport:
        """Check the file against the entries sphinxcontrib-bibtex has just parsed from it
        (and the errors it met), or parse it here if it did not parse it in this build."""
        bibdata = bib_data(app.env)
        bibfile = bibdata.bibfiles.get(path.resolve())
        text = path.read_text(encoding="utf-8-sig")
        if bibdata is self.parsed_before or bibfile is None:
            return check_bib_text(text)
        entries = bibdata.data.entries
        data = BibliographyData({key: entries[key] for key in bibfile.keys})
        errors = [e for e in self.errors
                  if Path(str(getattr(e, "filename", "") or "")).resolve() == path.resolve()]
        return check_bib_text(text, (data, errors))

    def stop(self, app: Sphinx, exception: Exception | None) -> None:
        """``build-finished``: stop capturing; report what the checks could not foresee."""
        self.stack.close()
        for error in self.errors:
            if getattr(error, "lineno", None) is None and "repeated" not in str(error):
                warn(f"{error}; correct the entry in the bibliography file", Subtype.bibliography)


def report_uncited(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-check-consistency``: entries that no document cites."""
    domain = env.get_domain("cite")
    cited = {target.key for ref in domain.citation_refs for target in ref.targets}  # type: ignore[attr-defined]
    for path in _bibfiles(app):
        if not path.is_file():
            continue
        for problem in uncited(bib_report(env, path), cited):
            location = f"{project_path(app, path)}:{problem.line}"
            if app.config.magazine_strict_references:
                warn(problem.message, Subtype.uncited, location=location)
            else:
                from sphinx.util import logging

                logging.getLogger(__name__).info(f"{location}: note: {problem.message}")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.config")  # magazine_strict_references
    app.add_domain(BibCheckDomain)
    errors = PybtexErrors()
    # sphinxcontrib-bibtex parses the bib files at builder-inited (bibtex27.PARSE_PRIORITY)
    app.connect("builder-inited", errors.start, priority=schedule.BIB_CAPTURE)
    app.connect("builder-inited", errors.check, priority=schedule.BIB_CHECK)
    app.connect("build-finished", errors.stop)
    app.connect("env-check-consistency", report_uncited)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
