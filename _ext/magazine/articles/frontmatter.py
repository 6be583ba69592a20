"""Article front matter: read from the YAML block, validated, stored, and shown on the page.

An article (a document under ``magazine_article_dir``) starts with a YAML block::

    ---
    title: Stem Cell Therapy for Spinal Cord Injuries
    column: News Byte
    summary: One sentence on what the article reports.
    authors:                       # optional
      - name: Ada Lovelace
        orcid: 0000-0002-1825-0097
        affiliation: Analytical Engine Society
    date: 2021-04-12               # optional, ISO 8601
    image:                         # optional; alt and credit are then required
      src: /_static/images/lead.svg
      alt: What the picture shows, for readers who cannot see it.
      credit: Who made it, and its licence.
    ---

Reading happens at ``source-read`` (so problems carry the file and line of the field);
the parsed record lives in :class:`MagazineDomain`, which keeps it per document and merges
it after parallel reads. At ``doctree-read`` the article's heading gets its column as a
kicker, and the summary, byline and lead image follow the title.
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

import yaml
from docutils import nodes
from sphinx.domains import Domain

from .. import schedule
from ..gate.boundary import Boundary
from ..gate.images import Limits, page_file_problem
from ..registration.dois import bare_doi, is_doi
from ..warnings import Subtype, warn
from . import page
from .licenses import LICENSES

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

FIELDS = {
    "title": "the headline, in title case",
    "subtitle": "an optional second line under the headline",
    "column": "the magazine column, such as 'News Byte'",
    "summary": "one sentence on what the article reports",
    "authors": "a list of names, or of {name, orcid, affiliation}",
    "date": "the publication date, as YYYY-MM-DD",
    "keywords": "a list of words or short phrases",
    "image": "the lead image: {src, alt, credit}",
    "license": "an SPDX licence id such as CC-BY-4.0",
    "doi": "the article's own DOI, such as 10.5555/abc.123",
    "notices": "its corrections, expressions of concern and retraction, oldest first: "
               "a list of {type, date, text}",
}
REQUIRED = ("title", "column", "summary")
SUMMARY_PLACEHOLDER = "Replace this with one sentence on what the article reports."
IMAGE_FIELDS = ("src", "alt", "credit")
AUTHOR_FIELDS = ("name", "orcid", "affiliation")
ORCID_RE = re.compile(r"^(\d{4}-){3}\d{3}[\dX]$")
#: the kinds of notice an article can get after it is published (magazine.serial.notices)
NOTICE_TYPES = ("correction", "expression of concern", "retraction")
NOTICE_FIELDS = ("type", "date", "text")
NOTICE_EXAMPLE = ("write each notice as '- type: correction', then 'date: YYYY-MM-DD' and "
                  "'text: what changed and why' under it")
#: what no surface may show: control characters (tab and newline are spaces here)
_CONTROL_RE = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff]")


@dataclass(frozen=True)
class Author:
    name: str
    orcid: str | None = None
    affiliation: str | None = None


@dataclass(frozen=True)
class LeadImage:
    src: str
    alt: str
    credit: str


@dataclass(frozen=True)
class Notice:
    """A correction, expression of concern or retraction, published on ``date``; ``text``
    says what changed and why (a correction) or the reason (the others). ``line``: where it
    is written in the article's file."""

    type: str
    date: str
    text: str
    line: int = 0

    @property
    def label(self) -> str:
        """``Correction``, ``Expression of concern``, ``Retraction``."""
        return self.type[:1].upper() + self.type[1:]


@dataclass(frozen=True)
class FrontMatter:
    """A validated article record. Absent optional fields are ``None`` or empty."""

    title: str
    column: str
    summary: str
    subtitle: str | None = None
    authors: tuple[Author, ...] = ()
    date: str | None = None
    keywords: tuple[str, ...] = ()
    image: LeadImage | None = None
    license: str = "CC-BY-4.0"
    doi: str | None = None
    #: the title as written, braces kept (``{Yale} scientists ...``), for the citation style:
    #: APA sets an article's title in sentence case, and braces keep a proper noun's capitals
    cite_title: str | None = None
    #: its notices, in the order they were published (magazine.serial.notices)
    notices: tuple[Notice, ...] = ()

    @property
    def retracted(self) -> bool:
        return any(notice.type == "retraction" for notice in self.notices)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Problem:
    """One thing wrong with a front matter block, at a line of the source file."""

    line: int
    message: str


@dataclass
class Parsed:
    record: FrontMatter | None
    problems: list[Problem] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)  # field ("image.src") -> line
    unsafe: bool = False  # the block must not reach any YAML loader (MyST's included)


# -- reading ---------------------------------------------------------------------------------


def split_front_matter(source: str) -> tuple[str, int] | None:
    """Return the YAML text of a leading ``---`` block and the line (1-based) it starts on."""
    lines = source.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), 2
    return None


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser when PyYAML has it (the wheels do), with PyYAML's safe constructor;
    a date that is no day of the calendar (``2026-02-30``) stays text, for the field's
    check to report at its line (PyYAML would raise a ValueError without one)."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _load(yaml_text: str) -> tuple[Any, yaml.Node | None]:
    """The front matter's data and its node tree (for line numbers), from one parse."""
    loader = _Loader(yaml_text)
    try:
        root = loader.get_single_node()
        data = loader.construct_document(root) if root is not None else None
    finally:
        loader.dispose()
    return data, root


def _key_lines(root: yaml.Node | None, first_line: int) -> dict[str, int]:
    """Map 'key' and 'key.sub' (and 'authors.N.sub') to the source line they are on."""
    found: dict[str, int] = {}

    def walk(node: yaml.Node, prefix: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                name = f"{prefix}{key_node.value}"
                found[name] = first_line + key_node.start_mark.line
                walk(value_node, name + ".")
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                found[f"{prefix}{index}"] = first_line + item.start_mark.line
                walk(item, f"{prefix}{index}.")

    if root is not None:
        walk(root, "")
    return found


#: front matter larger than this is refused before YAML reads it
MAX_FRONT_MATTER_BYTES = 64 * 1024
#: how deep front matter may nest (authors -> an author -> a field is 3)
MAX_FRONT_MATTER_DEPTH = 8
_OPENING = (yaml.BlockMappingStartToken, yaml.BlockSequenceStartToken,
            yaml.FlowMappingStartToken, yaml.FlowSequenceStartToken)
_CLOSING = (yaml.BlockEndToken, yaml.FlowMappingEndToken, yaml.FlowSequenceEndToken)


def front_matter_hazard(yaml_text: str, first_line: int) -> Problem | None:
    """What makes a front matter block unsafe to give to a YAML loader, found by scanning
    its tokens only (linear, nothing built): over the size limit, anchors or aliases (a
    dozen lines of nested aliases expand to billions of values), nesting too deep."""
    size = len(yaml_text.encode("utf-8"))
    if size > MAX_FRONT_MATTER_BYTES:
        return Problem(first_line, (
            f"the front matter is {size // 1024} KB, over the limit of "
            f"{MAX_FRONT_MATTER_BYTES // 1024} KB; keep it to the fields the README lists "
            "and put long text in the article"))
    depth = 0
    try:
        for token in yaml.scan(yaml_text, Loader=_Loader):
            line = first_line + token.start_mark.line
            if isinstance(token, (yaml.AnchorToken, yaml.AliasToken)):
                sign = "&" if isinstance(token, yaml.AnchorToken) else "*"
                return Problem(line, (
                    f"the front matter uses a YAML {'anchor' if sign == '&' else 'alias'} "
                    f"({sign}{token.value}); front matter never needs them: write each "
                    "value out in full"))
            if isinstance(token, _OPENING):
                depth += 1
                if depth > MAX_FRONT_MATTER_DEPTH:
                    return Problem(line, (
                        f"the front matter nests more than {MAX_FRONT_MATTER_DEPTH} levels "
                        "deep; write the fields as the README's list shows"))
            elif isinstance(token, _CLOSING):
                depth -= 1
    except yaml.YAMLError:
        return None  # not valid YAML: the loader names the line and the cause
    return None


@dataclass
class Block:
    """A front matter block read by the YAML loader: its data, and the line of each key."""

    data: Any
    lines: dict[str, int]
    first_line: int


def read_block(source: str, missing: str) -> Block | Parsed:
    """The front matter of ``source`` as data, or what stops it from being read (``missing``:
    the message for a file without a block): shared by articles and issues."""
    block = split_front_matter(source)
    if block is None:
        return Parsed(None, [Problem(1, missing)])
    yaml_text, first_line = block
    if (hazard := front_matter_hazard(yaml_text, first_line)) is not None:
        return Parsed(None, [hazard], unsafe=True)
    try:
        data, root = _load(yaml_text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        reason = getattr(err, "problem", None) or str(err)
        return Parsed(
            None,
            [
                Problem(
                    line,
                    f"the front matter is not valid YAML ({reason}); check the indentation "
                    "and put text containing ': ' or '#', or text that starts with '{' or "
                    "'[', in quotes",
                )
            ],
        )
    return Block(data or {}, _key_lines(root, first_line), first_line)


def parse_front_matter(
    source: str, default_license: str = "CC-BY-4.0"
) -> Parsed:
    """Read and check an article's front matter; pure, so tests call it without a build."""
    block = read_block(source, (
        "this article has no front matter; start the file with a '---' line, "
        "then 'title:', 'column:' and 'summary:' lines, then another '---' line"))
    if isinstance(block, Parsed):
        return block
    checker = _Checker(block.data, block.lines, block.first_line)
    return checker.run(default_license)


class FieldChecker:
    """The checks of single fields that articles and issues share, each problem at the
    line of its field."""

    def __init__(self, data: Any, lines: dict[str, int], first_line: int) -> None:
        self.data = data
        self.lines = lines
        self.first_line = first_line
        self.problems: list[Problem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(Problem(self.lines.get(where, self.first_line), message))

    def text(self, where: str, value: Any, what: str) -> str | None:
        if value is None:
            return None
        if isinstance(value, (dict, list)) or not str(value).strip():
            self.problem(where, f"'{where}' must be {what}")
            return None
        return str(value).strip()

    def fields(self, known: dict[str, str], required: Iterable[str]) -> bool:
        """Whether the front matter is fields at all; each unknown and each missing one is
        reported."""
        if not isinstance(self.data, dict):
            self.problem("", "the front matter must be 'field: value' lines")
            return False
        self.known_fields(known)
        self.required(required, known)
        return True

    def known_fields(self, fields: dict[str, str]) -> None:
        for key in self.data:
            if key not in fields:
                close = difflib.get_close_matches(str(key), fields, n=1)
                hint = f"did you mean '{close[0]}'?" if close else (
                    "known fields: " + ", ".join(fields)
                )
                self.problem(str(key), f"unknown front matter field '{key}'; {hint}")

    def required(self, keys: Iterable[str], fields: dict[str, str]) -> None:
        for key in keys:
            if not self.data.get(key):
                self.problem(
                    key if key in self.data else "",
                    f"the front matter needs '{key}:' ({fields[key]})",
                )

    def braced(self, where: str, value: str | None) -> str | None:
        """The title as pages show it, without the braces that mark words whose capitals
        the citation must keep; braces that do not pair up are reported."""
        if not value or ("{" not in value and "}" not in value):
            return value
        depth = 0
        for char in value:
            depth += {"{": 1, "}": -1}.get(char, 0)
            if depth < 0:
                break
        if depth != 0:
            self.problem(where, (
                f"the braces in '{where}:' do not pair up; put a pair around each word whose "
                "capitals must stay when the title is cited in sentence case, as in "
                "'{Yale} scientists repair spinal cords'"))
        return value.replace("{", "").replace("}", "")

    def date(self, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        text = str(value).strip()
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            self.problem(
                "date",
                f"'{text}' is not an ISO 8601 date; write it as YYYY-MM-DD, "
                "for example 2021-04-12",
            )
            return None

    def image(self, value: Any, where: str = "image", what: str = "lead image"
              ) -> LeadImage | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = {"src": value}
        if not isinstance(value, dict):
            self.problem(where, f"'{where}' must be the {what}: {{src, alt, credit}}")
            return None
        for key in value:
            if key not in IMAGE_FIELDS:
                self.problem(
                    f"{where}.{key}", f"unknown image field '{key}'; use src, alt and credit"
                )
        missing = [key for key in IMAGE_FIELDS if not str(value.get(key) or "").strip()]
        for key in missing:
            needs = {
                "src": "the image file, such as /_static/images/lead.svg",
                "alt": "a description of the image for readers who cannot see it",
                "credit": "who made the image and under which licence",
            }[key]
            self.problem(where, f"the {what} needs '{key}:' ({needs})")
        if missing:
            return None
        return LeadImage(*(str(value[key]).strip() for key in IMAGE_FIELDS))


class _Checker(FieldChecker):
    """The article's checks."""

    def run(self, default_license: str) -> Parsed:
        data = self.data
        if not self.fields(FIELDS, REQUIRED):
            return Parsed(None, self.problems)
        written = self.text("title", data.get("title"), FIELDS["title"])
        title = self.braced("title", written)
        column = self.text("column", data.get("column"), FIELDS["column"])
        summary = self.text("summary", data.get("summary"), FIELDS["summary"])
        if summary == SUMMARY_PLACEHOLDER:
            self.problem("summary", "replace the template's summary with one sentence on what "
                         "the article reports")
        record = FrontMatter(
            cite_title=written if written and written != title else None,
            title=title or "",
            column=column or "",
            summary=summary or "",
            subtitle=self.text("subtitle", data.get("subtitle"), FIELDS["subtitle"]),
            authors=self.authors(data.get("authors")),
            date=self.date(data.get("date")),
            keywords=self.keywords(data.get("keywords")),
            image=self.image(data.get("image")),
            license=self.license(data.get("license"), default_license),
            doi=self.doi(data.get("doi")),
        )
        record = replace(record, notices=self.notices(data.get("notices"), record.date))
        return Parsed(record if not self.problems else None, self.problems, self.lines)

    def authors(self, value: Any) -> tuple[Author, ...]:
        if value is None:
            return ()
        if isinstance(value, (str, dict)):
            value = [value]
        if not isinstance(value, list):
            self.problem("authors", f"'authors' must be {FIELDS['authors']}")
            return ()
        result = []
        for index, item in enumerate(value):
            where = f"authors.{index}"
            if isinstance(item, str) and item.strip():
                result.append(Author(item.strip()))
                continue
            if not isinstance(item, dict) or not str(item.get("name") or "").strip():
                self.problem(where, "each author needs a 'name:'")
                continue
            for key in item:
                if key not in AUTHOR_FIELDS:
                    self.problem(
                        f"{where}.{key}",
                        f"unknown author field '{key}'; use name, orcid and affiliation",
                    )
            orcid = item.get("orcid")
            if orcid is not None:
                orcid = str(orcid).strip().removeprefix("https://orcid.org/")
                if not valid_orcid(orcid):
                    self.problem(
                        f"{where}.orcid",
                        f"'{orcid}' is not an ORCID iD; write the 16 characters as "
                        "0000-0002-1825-0097 (the last one may be X)",
                    )
                    orcid = None
            affiliation = item.get("affiliation")
            result.append(
                Author(
                    str(item["name"]).strip(),
                    orcid,
                    str(affiliation).strip() if affiliation else None,
                )
            )
        return tuple(result)

    def keywords(self, value: Any) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str):
            value = [part for part in value.split(",")]
        if not isinstance(value, list) or not all(
            isinstance(v, (str, int, float)) for v in value
        ):
            self.problem("keywords", "'keywords' must be a list of words or phrases")
            return ()
        return tuple(str(v).strip() for v in value if str(v).strip())

    def license(self, value: Any, default: str) -> str:
        if value is None:
            return default
        text = str(value).strip()
        if text not in LICENSES:
            close = difflib.get_close_matches(text, LICENSES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                "use an SPDX id such as CC-BY-4.0 or CC0-1.0"
            )
            self.problem("license", f"'{text}' is not a known SPDX licence id; {hint}")
            return default
        return text

    def doi(self, value: Any) -> str | None:
        if value is None:
            return None
        text = bare_doi(str(value))
        if not is_doi(text):
            self.problem(
                "doi", f"'{value}' is not a DOI; write it as 10.NNNN/suffix, without a link"
            )
            return None
        return text


    def notices(self, value: Any, published: str | None) -> tuple[Notice, ...]:
        """The notices, each with its type, date and text; their order and dates checked:
        oldest first, none before ``published`` (the front matter's date), a retraction
        last (the issue's date is checked once the article is placed: magazine.serial.notices)."""
        if value is None or value == []:
            return ()
        if not isinstance(value, list):
            self.problem("notices", f"'notices' must be a list; {NOTICE_EXAMPLE}")
            return ()
        found: list[tuple[int, Notice]] = []
        for index, item in enumerate(value):
            notice = self.notice(f"notices.{index}", item)
            if notice is not None:
                found.append((index, notice))
        for (index, notice), (_, before) in zip(found[1:], found):
            if notice.date < before.date:
                self.problem(f"notices.{index}.date", (
                    f"this notice is dated {notice.date}, before the one above it "
                    f"({before.date}); notices are listed oldest first: put the newest last"))
        for index, notice in found:
            if published and notice.date < published:
                self.problem(f"notices.{index}.date", (
                    f"this notice is dated {notice.date}, before the article was published "
                    f"({published}); give the day the notice itself is published"))
            if notice.type == "retraction" and index != len(value) - 1:
                self.problem(f"notices.{index}.type", (
                    "a retraction is the last notice of an article: nothing follows it; put "
                    "the retraction last, after every correction and expression of concern"))
        return tuple(notice for _, notice in found)

    def notice(self, where: str, item: Any) -> Notice | None:
        if not isinstance(item, dict):
            self.problem(where, f"each notice needs 'type:', 'date:' and 'text:'; "
                         f"{NOTICE_EXAMPLE}")
            return None
        for key in item:
            if key not in NOTICE_FIELDS:
                close = difflib.get_close_matches(str(key), NOTICE_FIELDS, n=1)
                hint = "write the reason as 'text:'" if key == "reason" else (
                    f"did you mean '{close[0]}'?" if close else "use type, date and text")
                self.problem(f"{where}.{key}", f"unknown notice field '{key}'; {hint}")
        kind = " ".join(str(item.get("type") or "").lower().replace("_", " ").split())
        if not kind:
            self.problem(where, "the notice needs 'type:': correction, expression of concern "
                         "or retraction")
        elif kind not in NOTICE_TYPES:
            close = difflib.get_close_matches(kind, NOTICE_TYPES, n=1)
            hint = f"did you mean '{close[0]}'?" if close else (
                "use correction, expression of concern or retraction")
            self.problem(f"{where}.type", f"'{kind}' is not a kind of notice; {hint}")
            kind = ""
        date = self.notice_date(where, item.get("date"))
        text = " ".join(_CONTROL_RE.sub(" ", str(item.get("text") or "")).split()) \
            if not isinstance(item.get("text"), (dict, list)) else ""
        if not text:
            what = "what changed and why" if kind == "correction" else (
                f"the reason for the {kind}" if kind else "what changed and why, or the reason")
            self.problem(f"{where}.text" if "text" in item else where,
                         f"the notice needs 'text:': {what}, in a sentence or two")
        if not (kind and date and text):
            return None
        return Notice(kind, date, text, self.lines.get(where, self.first_line))

    def notice_date(self, where: str, value: Any) -> str | None:
        if value is None or value == "":
            self.problem(where, "the notice needs 'date:', the day it is published, as "
                         "YYYY-MM-DD")
            return None
        if isinstance(value, dt.datetime):
            return value.date().isoformat()
        if isinstance(value, dt.date):
            return value.isoformat()
        try:
            return dt.date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            self.problem(f"{where}.date", f"'{value}' is not an ISO 8601 date; write it as "
                         "YYYY-MM-DD, for example 2021-04-12")
            return None


def valid_orcid(orcid: str) -> bool:
    """Check the form and the ISO 7064 11,2 check digit of an ORCID iD."""
    if not ORCID_RE.match(orcid):
        return False
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


# -- storing ---------------------------------------------------------------------------------


class MagazineDomain(Domain):
    """Per-document magazine data: the article records, the pages that list them, and
    each article's Works Cited keys in list order (set anew by every build, once
    sphinxcontrib-bibtex has decided the lists)."""

    name = "magazine"
    label = "Magazine"
    data_version = 2
    initial_data: dict[str, Any] = {"articles": {}, "listings": set(), "works_cited": {}}

    @property
    def articles(self) -> dict[str, dict[str, Any]]:
        return self.data["articles"]

    @property
    def listings(self) -> set[str]:
        return self.data["listings"]

    @property
    def works_cited(self) -> dict[str, tuple[str, ...]]:
        return self.data["works_cited"]

    def article(self, docname: str) -> FrontMatter | None:
        record = self.articles.get(docname)
        return from_dict(record) if record is not None else None

    def clear_doc(self, docname: str) -> None:
        self.articles.pop(docname, None)
        self.listings.discard(docname)
        self.works_cited.pop(docname, None)

    def merge_domaindata(self, docnames: Set[str], otherdata: dict[str, Any]) -> None:
        for docname in docnames:
            if docname in otherdata["articles"]:
                self.articles[docname] = otherdata["articles"][docname]
            if docname in otherdata["listings"]:
                self.listings.add(docname)

    def resolve_any_xref(self, *args: Any, **kwargs: Any) -> list:
        return []


def articles_domain(env: BuildEnvironment) -> MagazineDomain:
    """The ``magazine`` domain, typed: the article records and the pages that list them."""
    return env.get_domain("magazine")  # type: ignore[return-value]


def from_dict(record: dict[str, Any]) -> FrontMatter:
    image = record.get("image")
    return FrontMatter(
        **{
            **record,
            "authors": tuple(Author(**a) for a in record.get("authors", ())),
            "keywords": tuple(record.get("keywords", ())),
            "image": LeadImage(**image) if image else None,
            "notices": tuple(Notice(**n) for n in record.get("notices", ())),
        }
    )


def is_article(env: BuildEnvironment, docname: str) -> bool:
    prefix = env.config.magazine_article_dir.strip("/") + "/"
    return docname.startswith(prefix)


def article_docnames(env: BuildEnvironment) -> Iterable[str]:
    return sorted(d for d in env.found_docs if is_article(env, d))


def read_article(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: parse and check an article's front matter, store the record."""
    env = app.env
    if not is_article(env, docname):
        return
    parsed = parse_front_matter(source[0], env.config.magazine_default_license)
    for problem in parsed.problems:
        warn(problem.message, Subtype.frontmatter, location=(docname, problem.line))
    if parsed.unsafe:
        source[0] = blank_front_matter(source[0])
    elif parsed.record is not None and parsed.record.cite_title and "title" in parsed.lines:
        source[0] = retitle(source[0], parsed.lines["title"], parsed.record.title)
    record = parsed.record
    if record is not None and record.image is not None:
        record = check_image_file(app, docname, record, parsed.lines.get("image.src"))
    if record is not None:
        domain = articles_domain(env)
        domain.articles[docname] = record.to_dict()  # type: ignore[attr-defined]


def retitle(source: str, line: int, title: str) -> str:
    """The source with the ``title:`` field at ``line`` (and its continuation lines) written
    as ``title`` (braces taken out, so that MyST's heading shows none); line numbers stay."""
    lines = source.split("\n")
    start = line - 1
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][:1] in " \t") \
            and lines[end].strip() != "---":
        end += 1
    lines[start:end] = [f"title: {json.dumps(title, ensure_ascii=False)}", *[""] * (end - start - 1)]
    return "\n".join(lines)


def blank_front_matter(source: str) -> str:
    """The source with its front matter's lines emptied (the line numbers stay)."""
    lines = source.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    if end < 2:
        return source
    return "\n".join(["---", "{}", *([""] * (end - 2)), *lines[end:]])


def check_image_file(
    app: Sphinx, docname: str, record: FrontMatter, line: int | None
) -> FrontMatter:
    """The lead image must be a file of the project (or a web address); if it is not, say
    where, and publish the article without it."""
    image = check_image(app, docname, record.image, line)  # type: ignore[arg-type]
    return record if image is record.image else replace(record, image=image)


def check_image(
    app: Sphinx, docname: str, image: LeadImage, line: int | None, what: str = "lead image",
    subtype: Subtype = Subtype.frontmatter,
) -> LeadImage | None:
    """``image`` if its file is one of the project's that may be shown (or a web address),
    else None, with the reason at ``line`` (an article's lead image, an issue's cover)."""
    src = image.src
    if "://" in src:
        return image
    _, path = app.env.relfn2path(src, docname)
    if not Path(path).is_file():
        warn(
            f"the {what} '{src}' does not exist; put the file in _static/images/ and write "
            "its path as /_static/images/NAME, or correct 'src:'",
            subtype,
            location=(docname, line),
        )
        return None
    if Path(path).is_symlink() or Boundary.of(app.srcdir).problem(path):
        return image  # the page's check refuses it (magazine.gate.boundary)
    if problem := page_file_problem(Path(path), Limits.of(app.config), download=False):
        where = os.path.relpath(path, app.srcdir)
        warn(f"the {what} cannot be shown: {problem.located(where)}", Subtype.unsafe,
             location=(docname, line))
        return None
    return image


# -- showing ---------------------------------------------------------------------------------


def decorate_article(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: column kicker in the heading; summary, byline and image after it."""
    env = app.env
    record = articles_domain(env).article(env.docname)
    if record is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not isinstance(section[0], nodes.title):
        return
    page.headline_kicker(section[0], record.column)
    section.insert(1, build_header(record, house=app.config.magazine_house_byline))


def build_header(record: FrontMatter, *, house: str = "") -> page.article_header:
    """The part of an article page between the headline and the body; ``house``: the
    house byline of an article without authors (``magazine_house_byline``)."""
    header = page.new_header(record.subtitle, record.summary, build_byline(record, house=house))
    if record.image is not None:
        header += page.new_lead_image(record.image.src, record.image.alt, record.image.credit)
    return header


def build_byline(record: FrontMatter, *, house: str = "") -> nodes.paragraph | None:
    parts: list[nodes.Node] = []
    names = [a.name for a in record.authors] or ([house] if house else [])
    if names:
        text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        parts.append(nodes.inline("", "By " + text, classes=["article-authors"]))
    if record.date:
        if parts:
            parts.append(nodes.Text(" · "))
        parts.append(nodes.inline("", format_date(record.date), classes=["article-date"]))
    if not parts:
        return None
    return page.new_byline(*parts)


def format_date(iso: str) -> str:
    date = dt.date.fromisoformat(iso)
    return f"{date:%B} {date.day}, {date.year}"


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_domain(MagazineDomain)
    app.connect("source-read", read_article)
    # before Sphinx's own collectors (priority 500), so the title and image are collected
    app.connect("doctree-read", decorate_article, priority=schedule.ARTICLE_HEADER)
    # env_version 2: the header, kicker and lead image are the nodes of articles.page
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 2}
