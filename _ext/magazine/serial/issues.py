"""Issues: the files the editors write, ``issues/<volume>-<number>.md``, read and checked.

An issue file is content like an article (the boundary walk admits the folder, and its
file names follow :mod:`magazine.articles.identifiers`). Its front matter::

    ---
    volume: 1
    number: 2
    date: 2021-06-01              # the publication date, YYYY-MM-DD
    title: Regeneration           # optional: the issue's theme
    editors: [Ada Lovelace, Grace Hopper]
    cover:
      src: /_static/images/cover-1-2.svg
      alt: What the cover shows, for readers who cannot see it.
      credit: Who made it, and its licence.
    status: published             # or: in preparation
    articles:                     # the table of contents, in this order
      - articles/axolotl-spinal-cord-regeneration
      - articles/stem-cell-therapy-spinal-cord-injuries
    pages:                        # written by make paginate (magazine.serial.paginate)
      articles/axolotl-spinal-cord-regeneration: 1-4
      articles/stem-cell-therapy-spinal-cord-injuries: 5-6
    dois:                         # likewise, when conf.py names a DOI prefix
      articles/axolotl-spinal-cord-regeneration: 10.5555/theopenbench.v1i2.1
      articles/stem-cell-therapy-spinal-cord-injuries: 10.5555/theopenbench.v1i2.2
    ---

and its body is the editorial. A published issue needs every field but the title, and an
editorial; an issue in preparation may lack them (``make check`` lists what it lacks).

The page ranges are the issue's pagination, fixed when it is published: Typst lays the
issue out and ``make paginate`` records where each article starts and ends; the web
edition reads them from here, and every PDF build sets the issue's and each article's page
numbers from them and checks that the layout still fits them (:mod:`magazine.pdf`).
Ranges follow each other without a gap, from page 1 of the issue or, with
``magazine_pagination = "volume"``, from the page after the volume's previous issue.

The DOIs are recorded the same way, and for the same reason: a DOI, once registered with
Crossref, names the article for good. With ``magazine_doi_prefix`` set, ``make paginate``
gives each article of the issue its DOI, the one its front matter sets or else one made
from ``magazine_doi_pattern`` (its volume, number and place in the contents), and keeps
every DOI already recorded. The record is what every surface shows; the gate refuses a
published issue without it, a front matter that contradicts it and two articles with one
DOI. An article in no published issue has a DOI only if its front matter gives one.

Each file is checked alone at ``source-read`` (:func:`parse_issue`, pure); what needs every
file, at ``env-updated`` (:func:`check_issues`): articles that do not exist or are in two
issues, two issues with one number, dates out of order, a published issue whose articles
cannot be published. Then every article gets its :class:`Placement`: its issue, its
neighbours there and its publication date (its own ``date``, else its issue's). An article
in no published issue is *online first*, dated by its own ``date`` or, lacking one, by the
build (:mod:`magazine.serial.builddate`).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.domains import Domain

from ..articles.frontmatter import (
    FieldChecker,
    FrontMatter,
    LeadImage,
    Parsed,
    Problem,
    articles_domain,
    check_image,
    is_article,
    read_block,
    split_front_matter,
)
from ..articles.identifiers import ARTICLE_STEM_RE, ISSUE_STEM_RE
from ..registration.dois import article_doi, bare_doi, is_doi
from ..warnings import Subtype, warn
from . import builddate

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

FIELDS = {
    "volume": "the volume's number, such as 1",
    "number": "the issue's number within its volume, such as 2",
    "date": "the publication date, as YYYY-MM-DD",
    "title": "an optional theme, such as 'Regeneration'",
    "editors": "a list of the editors' names",
    "cover": "the cover image: {src, alt, credit}",
    "status": "'published' or 'in preparation'",
    "articles": "the articles in the order of the contents, one 'articles/NAME' a line",
    "pages": "each article's pages in the issue, written by make paginate",
    "dois": "each article's DOI, written by make paginate when conf.py names a DOI prefix",
}
REQUIRED = ("volume", "number", "status")
#: what a published issue needs besides REQUIRED (an issue in preparation may lack them)
PUBLISHED_NEEDS = ("date", "editors", "cover", "articles")
_RANGE_RE = re.compile(r"\s*(\d{1,5})\s*(?:[-\u2013]\s*(\d{1,5}))?\s*")
PUBLISHED = "published"
IN_PREPARATION = "in preparation"
STATUSES = (PUBLISHED, IN_PREPARATION)
EDITORIAL_PLACEHOLDER = "Replace this paragraph with the editorial."


@dataclass(frozen=True)
class Issue:
    """A validated issue record. ``lines`` gives the line of each field (``articles.0``)."""

    docname: str
    volume: int
    number: int
    status: str
    date: str | None = None
    title: str | None = None
    editors: tuple[str, ...] = ()
    cover: LeadImage | None = None
    articles: tuple[str, ...] = ()
    #: each article's (first, last) page in the issue, as recorded by make paginate
    pages: dict[str, tuple[int, int]] = field(default_factory=dict)
    #: each article's DOI, as recorded by make paginate (a DOI prefix set)
    dois: dict[str, str] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict, compare=False)
    #: the editorial's first paragraph, as text (for the front page; set at doctree-read)
    excerpt: str | None = None

    @property
    def published(self) -> bool:
        return self.status == PUBLISHED

    @property
    def label(self) -> str:
        """``Volume 1, Issue 2``."""
        return f"Volume {self.volume}, Issue {self.number}"

    @property
    def heading(self) -> str:
        """The issue page's title: the label, and the theme after a colon."""
        return f"{self.label}: {self.title}" if self.title else self.label

    @property
    def stem(self) -> str:
        """``1-2``: how commands and file names name the issue."""
        return f"{self.volume}-{self.number}"

    def line(self, key: str) -> int | None:
        return self.lines.get(key, self.lines.get(""))

    def pages_line(self, article: str) -> int | None:
        """The line of an article's page range, else of ``pages:``, else of the article."""
        if (line := self.lines.get(f"pages.{article}")) is not None:
            return line
        if "pages" in self.lines:
            return self.lines["pages"]
        index = self.articles.index(article) if article in self.articles else None
        return self.line(f"articles.{index}" if index is not None else "articles")

    def dois_line(self, article: str) -> int | None:
        """The line of an article's DOI, else of ``dois:``, else of its page range."""
        if (line := self.lines.get(f"dois.{article}")) is not None:
            return line
        return self.lines["dois"] if "dois" in self.lines else self.pages_line(article)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def issue_from_dict(data: dict[str, Any]) -> Issue:
    cover = data.get("cover")
    return Issue(**{**data, "editors": tuple(data.get("editors", ())),
                    "articles": tuple(data.get("articles", ())),
                    "pages": {k: tuple(v) for k, v in data.get("pages", {}).items()},
                    "dois": dict(data.get("dois", {})),
                    "cover": LeadImage(**cover) if cover else None})


@dataclass
class ParsedIssue:
    record: Issue | None
    problems: list[Problem] = field(default_factory=list)
    #: what the issue lacks to be published: problems if it is, notes while in preparation
    lacks: list[Problem] = field(default_factory=list)
    unsafe: bool = False


# -- reading one file ------------------------------------------------------------------------


def parse_issue(source: str, docname: str, article_dir: str = "articles") -> ParsedIssue:
    """Read and check one issue file (``docname`` such as ``issues/1-2``); pure."""
    block = read_block(source, (
        "this issue has no front matter; start the file with a '---' line, then 'volume:', "
        "'number:' and 'status:' lines (make new-issue writes them), then another '---' line"))
    if isinstance(block, Parsed):
        return ParsedIssue(None, block.problems, unsafe=block.unsafe)
    checker = _IssueChecker(block.data, block.lines, block.first_line)
    lines = source.splitlines()
    # a field left out is reported at its line in the template, commented out ("# date:")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    for number, line in enumerate(lines[1:end], start=2):
        if match := re.match(r"#\s*([a-z]+):", line):
            checker.lines.setdefault(match[1], number)
    body = editorial(source)
    placeholder = next((n for n, line in enumerate(lines, start=1)
                        if EDITORIAL_PLACEHOLDER in line), None)
    return checker.run(docname, article_dir.strip("/"), body, placeholder or end + 2)


def editorial(source: str) -> str:
    """The body of an issue file: its text after the front matter, without comments."""
    lines = source.splitlines()
    if split_front_matter(source) is not None:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
        lines = lines[end + 1:]
    return "\n".join(line for line in lines if not line.lstrip().startswith("%")).strip()


class _IssueChecker(FieldChecker):
    def run(self, docname: str, article_dir: str, body: str, body_line: int) -> ParsedIssue:
        data = self.data
        if not self.fields(FIELDS, REQUIRED):
            return ParsedIssue(None, self.problems)
        volume = self.whole("volume", data.get("volume"))
        number = self.whole("number", data.get("number"))
        status = self.status(data.get("status"))
        record = Issue(
            docname=docname,
            volume=volume or 0,
            number=number or 0,
            status=status or IN_PREPARATION,
            date=self.date(data.get("date")),
            title=self.text("title", data.get("title"), FIELDS["title"]),
            editors=self.editors(data.get("editors")),
            cover=self.image(data.get("cover"), "cover", "cover image"),
            articles=(articles := self.articles(data.get("articles"), article_dir)),
            pages=self.pages(data.get("pages"), articles),
            dois=self.dois(data.get("dois"), articles),
            lines=dict(self.lines),
        )
        lacks = self.lacking(body, body_line)
        if status == PUBLISHED:
            self.problems.extend(lacks)
        return ParsedIssue(record if not self.problems else None, self.problems, lacks)

    def whole(self, where: str, value: Any) -> int | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 10_000:
            self.problem(where, f"'{where}: {value}' must be a whole number from 1, "
                         f"{FIELDS[where]}")
            return None
        return value

    def status(self, value: Any) -> str | None:
        if value is None:
            return None
        text = str(value).strip().lower()
        if text not in STATUSES:
            self.problem("status", f"'status: {value}' is not known; write 'status: "
                         f"{PUBLISHED}' or 'status: {IN_PREPARATION}'")
            return None
        return text

    def editors(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(
            isinstance(v, str) and v.strip() for v in value
        ):
            self.problem("editors", f"'editors' must be {FIELDS['editors']}, such as "
                         "[Ada Lovelace, Grace Hopper]")
            return ()
        return tuple(v.strip() for v in value)

    def articles(self, value: Any, article_dir: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("articles", f"'articles' must be {FIELDS['articles']}, each "
                         "starting with '- '")
            return ()
        seen: dict[str, int] = {}
        result = []
        for index, item in enumerate(value):
            where = f"articles.{index}"
            text = str(item).strip() if isinstance(item, (str, int)) else ""
            name = text.removeprefix("/")
            stem = name.removeprefix(article_dir + "/")
            if stem == name or not ARTICLE_STEM_RE.match(stem):
                self.problem(where, (
                    f"'{text[:80]}' is not an article's name; write it as the article's file "
                    f"is named, without '.md': '{article_dir}/NAME'"))
                continue
            if name in seen:
                self.problem(where, (
                    f"{name} is listed twice in this issue (first at line "
                    f"{self.lines.get(f'articles.{seen[name]}')}); an article has one place "
                    "in the contents: remove this line"))
                continue
            seen[name] = index
            result.append(name)
        return tuple(result)

    def pages(self, value: Any, articles: tuple[str, ...]) -> dict[str, tuple[int, int]]:
        """The recorded page ranges; each names an article of the contents."""
        if value is None:
            return {}
        again = "run make paginate ISSUE=<volume>-<number> again rather than editing them"
        if not isinstance(value, dict):
            self.problem("pages", f"'pages' must be 'articles/NAME: FIRST-LAST' lines; {again}")
            return {}
        found: dict[str, tuple[int, int]] = {}
        for key, text in value.items():
            where = f"pages.{key}"
            match = _RANGE_RE.fullmatch(str(text)) if isinstance(text, (str, int)) else None
            first, last = (int(match[1]), int(match[2] or match[1])) if match else (0, 0)
            if not match or not 0 < first <= last:
                self.problem(where, f"'{key}: {text}' is not a page range such as 14-17; {again}")
            elif key not in articles:
                self.problem(where, (
                    f"{key} has pages but is not in this issue's 'articles:' list; {again}"))
            else:
                found[str(key)] = (first, last)
        return found

    def dois(self, value: Any, articles: tuple[str, ...]) -> dict[str, str]:
        """The recorded DOIs; each names an article of the contents, no two the same."""
        if value is None:
            return {}
        again = ("a recorded DOI is the article's for good: restore what make paginate "
                 "wrote (git diff shows it)")
        if not isinstance(value, dict):
            self.problem("dois", f"'dois' must be 'articles/NAME: 10.NNNN/suffix' lines; {again}")
            return {}
        found: dict[str, str] = {}
        for key, text in value.items():
            where = f"dois.{key}"
            doi = bare_doi(str(text)) if isinstance(text, str) else ""
            if not is_doi(doi):
                self.problem(where, f"'{key}: {text}' is not a DOI such as 10.5555/abc.1; {again}")
            elif key not in articles:
                self.problem(where, (
                    f"{key} has a DOI but is not in this issue's 'articles:' list; an article "
                    "moved out of a published issue keeps its DOI: list it again"))
            elif doi in found.values():
                other = next(k for k, v in found.items() if v == doi)
                self.problem(where, f"{key} and {other} are both recorded as {doi}; {again}")
            else:
                found[str(key)] = doi
        return found

    def lacking(self, body: str, body_line: int) -> list[Problem]:
        """What the issue needs before it can be published."""
        found = []
        for key in PUBLISHED_NEEDS:
            if not self.data.get(key):  # (a value given but wrong is reported as such)
                found.append(Problem(self.lines.get(key, self.first_line),
                                     f"a published issue needs '{key}:' ({FIELDS[key]})"))
        if not body or EDITORIAL_PLACEHOLDER in body:
            found.append(Problem(body_line, (
                "a published issue needs its editorial: write it below the front matter's "
                "closing '---' line" + (", in place of the template's paragraph" if body else ""))))
        return found


# -- the record of the build -----------------------------------------------------------------


@dataclass(frozen=True)
class Placement:
    """Where an article is published: its date, and its issue with its neighbours there
    (``issue`` None: online first)."""

    date: str
    issue: str | None = None
    volume: int | None = None
    number: int | None = None
    issue_date: str | None = None
    first_page: int | None = None  # the article's pages in the issue (make paginate)
    last_page: int | None = None
    doi: str | None = None  # as its issue records it, else as its front matter gives it
    previous: tuple[str, str] | None = None  # (docname, title)
    next: tuple[str, str] | None = None


class IssueDomain(Domain):
    """The issue records per document, and every article's placement (computed anew by
    every build once all documents are read)."""

    name = "issue"
    label = "Magazine issues"
    data_version = 1
    initial_data: dict[str, Any] = {"issues": {}, "placements": {}, "shown": {}}

    @property
    def issues(self) -> dict[str, dict[str, Any]]:
        return self.data["issues"]

    @property
    def placements(self) -> dict[str, dict[str, Any]]:
        return self.data["placements"]

    def issue(self, docname: str) -> Issue | None:
        data = self.issues.get(docname)
        return issue_from_dict(data) if data is not None else None

    def all_issues(self) -> list[Issue]:
        """Every valid issue, by volume and number."""
        return sorted((issue_from_dict(d) for d in self.issues.values()),
                      key=lambda i: (i.volume, i.number, i.docname))

    def placement(self, docname: str) -> Placement | None:
        data = self.placements.get(docname)
        if data is None:
            return None
        return Placement(**{**data, **{k: tuple(data[k]) if data[k] else None
                                       for k in ("previous", "next")}})

    def clear_doc(self, docname: str) -> None:
        self.issues.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["issues"]:
                self.issues[docname] = otherdata["issues"][docname]

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list:
        return []


def domain(env: BuildEnvironment) -> IssueDomain:
    return env.get_domain("issue")  # type: ignore[return-value]


def is_issue(env: BuildEnvironment, docname: str) -> bool:
    prefix = env.config.magazine_issue_dir.strip("/") + "/"
    return docname.startswith(prefix)


def published(env: BuildEnvironment, docname: str) -> FrontMatter | None:
    """An article's record as published: its date is its publication date (its own, else
    its issue's, else the build's; see the module's docstring)."""
    record = articles_domain(env).article(docname)
    if record is None:
        return None
    placement = domain(env).placement(docname)
    if placement is None:
        return record
    return replace(record, date=placement.date, doi=placement.doi)


def published_issues(env: BuildEnvironment) -> list[Issue]:
    """The published issues, newest first."""
    return sorted((i for i in domain(env).all_issues() if i.published),
                  key=lambda i: (i.volume, i.number), reverse=True)


def current_issue(env: BuildEnvironment) -> Issue | None:
    """The newest published issue."""
    issues = published_issues(env)
    return issues[0] if issues else None


# -- reading (source-read) -------------------------------------------------------------------


def read_issue(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: check an issue file and store its record; its page's title is the
    issue's label (and theme)."""
    env = app.env
    if not is_issue(env, docname):
        return
    parsed = parse_issue(source[0], docname, env.config.magazine_article_dir)
    for problem in parsed.problems:
        warn(problem.message, Subtype.issue, location=(docname, problem.line))
    record = parsed.record
    if record is not None and record.cover is not None:
        cover = check_image(app, docname, record.cover, record.line("cover.src") or
                            record.line("cover"), "cover image", Subtype.issue)
        record = replace(record, cover=cover)
    title = record.heading if record is not None else docname.rsplit("/", 1)[-1]
    source[0] = titled(source[0], title)
    if record is not None:
        domain(env).issues[docname] = record.to_dict()


def titled(source: str, title: str) -> str:
    """The source with its front matter replaced by a ``title:`` line (MyST makes it the
    page's heading), ``orphan: true`` (no table of contents lists issues: the archive and
    the front page link them) and blank lines, so that the body's lines keep their numbers;
    a file without front matter, or with fewer than two lines of it, gets lines more."""
    lines = source.split("\n")
    head = [f"title: {json.dumps(title)}", "orphan: true"]
    if split_front_matter(source) is None:
        return "\n".join(["---", *head, "---", *lines])
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    return "\n".join(["---", *head, *[""] * (end - 1 - len(head)), *lines[end:]])


# -- checking the whole (env-updated) --------------------------------------------------------


def check_issues(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: what only all the issues together show, then every article's
    placement; returns the pages to write again because what they show of other documents
    changed: an article's placement, an issue page's articles, and (when any of these
    changed) the front page."""
    issues = domain(env).all_issues()
    articles = {d for d in env.found_docs if is_article(env, d)}
    records = articles_domain(env).articles
    for problem, issue, key in cross_problems(issues, articles, set(records)):
        warn(problem, Subtype.issue, location=(issue.docname, issue.line(key)))
    if not env.config.magazine_repaginate:  # make paginate lays one issue out afresh
        for problem, issue, line in pagination_problems(issues, articles,
                                                        env.config.magazine_pagination):
            warn(problem, Subtype.issue, location=(issue.docname, line))
        for problem, where, line in doi_problems(issues, articles, records,
                                                 bool(env.config.magazine_doi_prefix)):
            warn(problem, Subtype.issue, location=(where, line))
    placements = place_articles(issues, articles, records, fallback_date(app.srcdir, issues, records))
    domain(env).placements.clear()
    domain(env).placements.update(placements)
    shown = {**placements, **{
        issue.docname: [issue.to_dict(), *(records.get(name) for name in issue.articles)]
        for issue in issues
    }}
    before = domain(env).data.setdefault("shown", {})
    changed = sorted(d for d in set(before) | set(shown)
                     if before.get(d) != shown.get(d) and d in env.found_docs)
    domain(env).data["shown"] = shown
    if not changed:
        return []
    listings = articles_domain(env).listings
    return sorted({*changed, *listings})


def cross_problems(issues: list[Issue], articles: set[str], valid: set[str]
                   ) -> Iterable[tuple[str, Issue, str]]:
    """(message, issue, field) for what no issue file shows alone."""
    by_number: dict[tuple[int, int], Issue] = {}
    holder: dict[str, Issue] = {}
    for issue in issues:
        if (problem := name_problem(issue)) is not None:
            yield problem
        first = by_number.setdefault((issue.volume, issue.number), issue)
        if first is not issue:
            yield (f"{issue.label} is also {first.docname}.md; two issues cannot have one "
                   "number: give this one the next free number (and its file that name)",
                   issue, "number")
        for index, name in enumerate(issue.articles):
            where = f"articles.{index}"
            if name not in articles:
                close = difflib.get_close_matches(name, sorted(articles), n=1)
                hint = f"did you mean '{close[0]}'?" if close else (
                    "write it as the article's file is named, without '.md'")
                yield (f"there is no article {name} (no file {name}.md); {hint}", issue, where)
                continue
            other = holder.setdefault(name, issue)
            if other is not issue:
                yield (f"{name} is already in {other.label} ({other.docname}.md); an article "
                       "belongs to one issue: remove it from one of the two", issue, where)
            elif issue.published and name not in valid:
                yield (f"{name} cannot be published in this issue: its front matter has "
                       f"problems (see {name}.md); fix them, or set 'status: {IN_PREPARATION}'",
                       issue, where)
    dated = [i for i in issues if i.published and i.date]
    for earlier, later in zip(dated, dated[1:]):
        if later.date < earlier.date:  # type: ignore[operator]
            yield (f"{later.label} is dated {later.date}, before {earlier.label} "
                   f"({earlier.date}, {earlier.docname}.md); issues come out in the order of "
                   "their numbers: correct the date, or the numbers", later, "date")


def page_range(first: int, last: int) -> str:
    """``pages 14-17``, or ``page 5`` for one page."""
    return f"pages {first}-{last}" if last != first else f"page {first}"


def first_page(issue: Issue, issues: list[Issue], mode: str) -> int:
    """Where the issue's pagination starts: 1, or with ``mode`` "volume" the page after the
    last recorded page of the volume's previous issue."""
    if mode != "volume":
        return 1
    earlier = [i for i in issues if i.volume == issue.volume and i.number < issue.number
               and i.pages]
    if not earlier:
        return 1
    return max(last for _, last in max(earlier, key=lambda i: i.number).pages.values()) + 1


def pagination_problems(issues: list[Issue], articles: set[str], mode: str
                        ) -> Iterable[tuple[str, Issue, int | None]]:
    """(message, issue, line) for a published issue whose recorded pages are missing, or
    do not follow each other from the issue's first page in the order of the contents."""
    for issue in issues:
        if not issue.published:
            continue
        listed = [name for name in issue.articles if name in articles]
        command = f"make paginate ISSUE={issue.stem}"
        missing = [name for name in listed if name not in issue.pages]
        if missing:
            yield (f"{issue.label} is published, but no pages are recorded for {missing[0]}"
                   + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
                   + f": run {command} and commit this file", issue, issue.pages_line(missing[0]))
            continue
        expected = first_page(issue, issues, mode)
        for name in listed:
            first, last = issue.pages[name]
            if first != expected:
                where = "the issue's first page" if name == listed[0] else \
                    "the page after the article before it in the contents"
                yield (f"{name} is recorded at {page_range(first, last)}, but it must start at "
                       f"page {expected}, {where}; the contents changed since the pages were "
                       f"recorded: run {command} again", issue, issue.pages_line(name))
                break
            expected = last + 1


def doi_problems(issues: list[Issue], articles: set[str], records: dict[str, dict],
                 registering: bool) -> Iterable[tuple[str, str, int | None]]:
    """(message, docname, line) for DOIs that are missing from a published issue (a DOI
    prefix set), that an article's front matter contradicts, or that two articles share."""
    holders: dict[str, tuple[str, str, int | None]] = {  # article -> (DOI, where, line)
        name: (r["doi"], name, None) for name, r in records.items() if r.get("doi")}
    for issue in issues:
        listed = [name for name in issue.articles if name in articles and name in records]
        missing = [name for name in listed if name not in issue.dois]
        if registering and issue.published and missing:
            yield (f"{issue.label} is published, but no DOI is recorded for {missing[0]}"
                   + (f" and {len(missing) - 1} more" if len(missing) > 1 else "")
                   + f": run make paginate ISSUE={issue.stem} and commit this file",
                   issue.docname, issue.dois_line(missing[0]))
        for name, doi in issue.dois.items():
            own = records.get(name, {}).get("doi")
            if own and own.lower() != doi.lower():
                yield (f"{name}'s front matter gives the DOI {own}, but this file records "
                       f"{doi} for it; a DOI, once recorded, is the article's for good: put "
                       f"'doi: {doi}' back in {name}.md (or remove its 'doi:')",
                       issue.docname, issue.dois_line(name))
            holders[name] = (doi, issue.docname, issue.dois_line(name))
    first: dict[str, str] = {}
    for name in sorted(holders):
        doi, where, line = holders[name]
        other = first.setdefault(doi.lower(), name)
        if other != name:
            yield (f"{name} has the DOI {doi}, which is already {other}'s; a DOI names one "
                   "article: give one of them another", where, line)


def changed_dois(srcdir: Path, base: str, issue_dir: str) -> list[tuple[str, int | None, str]]:
    """Every DOI recorded in an issue file at the ``base`` commit (a pull request's base)
    that is no longer recorded for the same article, as (path, line, message): a registered
    DOI names its article for good. (An unreadable base is reported by the notices' check.)"""
    at_base = builddate.files_at(srcdir, base, issue_dir.strip("/"), "^dois:")
    found = []
    for path, text in (at_base.items() if isinstance(at_base, dict) else ()):
        docname = path.removesuffix(".md")
        before = parse_issue(text, docname).record
        if before is None or not before.dois:
            continue
        current = srcdir / path
        if not current.is_file():
            found.append((path, None, (
                f"this issue recorded {len(before.dois)} DOIs at {base[:10]} and is gone; "
                "registered DOIs name their articles for good: restore the file")))
            continue
        now = parse_issue(current.read_text("utf-8"), docname).record
        if now is None:
            continue  # its own problems are reported where they are
        for name, doi in before.dois.items():
            if now.dois.get(name, "").lower() == doi.lower():
                continue
            found.append((path, now.dois_line(name) if name in now.articles else now.line("dois"),
                          f"{name} was recorded as {doi} at {base[:10]}; a DOI, once recorded, "
                          f"is the article's for good: put '{name}: {doi}' back under 'dois:' "
                          "(and the article in the contents)"))
    return found


def proposed_dois(issue: Issue, records: dict[str, dict], pattern: str, prefix: str,
                  project: str) -> dict[str, str]:
    """The DOIs make paginate records for an issue: each one already recorded, else the
    article's own (its front matter), else one made from the pattern."""
    listed = [name for name in issue.articles if name in records]
    return {name: issue.dois.get(name) or records[name].get("doi") or article_doi(
        pattern, prefix, project, issue.volume, issue.number, position, name)
        for position, name in enumerate(listed, start=1)}


def name_problem(issue: Issue) -> tuple[str, Issue, str] | None:
    """A file named for another issue than the one it holds (a copy of the last issue whose
    number was not changed, most often)."""
    stem = issue.docname.rsplit("/", 1)[-1]
    if stem == f"{issue.volume}-{issue.number}":
        return None
    match = ISSUE_STEM_RE.match(stem)
    named = f" (its name says Volume {match[1]}, Issue {match[2]})" if match else ""
    key = "number" if match and match[1] == str(issue.volume) else "volume"
    return (f"this file holds {issue.label}{named}; the file of an issue is named after it: "
            f"rename the file to '{issue.volume}-{issue.number}.md', or correct 'volume:' and "
            "'number:'", issue, key)


def fallback_date(srcdir: str | os.PathLike[str], issues: list[Issue],
                  records: dict[str, dict]) -> str:
    """The date of an online-first article without one: the build's (builddate), else the
    newest date of the magazine, else today's."""
    when = builddate.build_time(srcdir)
    if when is not None:
        return when.date().isoformat()
    dates = [i.date for i in issues if i.date] + [r["date"] for r in records.values() if r.get("date")]
    return max(dates) if dates else dt.date.today().isoformat()


def place_articles(issues: list[Issue], articles: set[str], records: dict[str, dict],
                   fallback: str) -> dict[str, dict[str, Any]]:
    """Every article's placement, as stored (see :class:`Placement`)."""
    placements: dict[str, dict[str, Any]] = {}
    for issue in issues:
        if not issue.published:
            continue  # its articles are online first until it is
        listed = [n for n in issue.articles if n in records and n not in placements]
        neighbours = [(n, records[n]["title"]) for n in listed]
        for index, name in enumerate(listed):
            first, last = issue.pages.get(name, (None, None))
            placements[name] = asdict(Placement(
                date=records[name].get("date") or issue.date or fallback,
                issue=issue.docname, volume=issue.volume, number=issue.number,
                issue_date=issue.date, first_page=first, last_page=last,
                doi=issue.dois.get(name) or records[name].get("doi"),
                previous=neighbours[index - 1] if index > 0 else None,
                next=neighbours[index + 1] if index + 1 < len(listed) else None,
            ))
    for name in sorted(articles & set(records) - set(placements)):
        placements[name] = asdict(Placement(date=records[name].get("date") or fallback,
                                            doi=records[name].get("doi")))
    return placements


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_domain(IssueDomain)
    app.connect("source-read", read_issue)
    app.connect("env-updated", check_issues)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
