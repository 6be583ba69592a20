"""Bibliographic records for machines: bib entries as BibTeX, RIS and CSL-JSON.

Reference managers read three formats: BibTeX (written by pybtex itself), RIS (written by
rispy) and CSL-JSON (a plain JSON list, mapped here). Neither rispy nor CSL-JSON knows
BibTeX's fields, so this module maps them: the entry type to the format's type, names to
family and given parts, LaTeX markup (``{Yale}``, ``\\'e``) to plain Unicode, and biblatex's
``date`` or BibTeX's ``year``/``month`` to one date. The same plain values feed the
``citation_*`` tags and the JSON-LD of an article page.

``references.bib`` is biblatex (``@online``, ``journaltitle``, ``date``, ``eid``), which the
APA style reads; the BibTeX downloads are classic BibTeX, which BibTeX's own styles, pybtex's
``plain`` and JabRef's BibTeX mode read (:func:`classic`): biblatex types become the classic
type with the same required fields (else ``@misc``), and biblatex fields the classic ones
(``journal``, ``address``, ``school``, ``year`` and ``month``, an article number in ``pages``),
so that nothing a classic style prints is lost. In CSL-JSON an article number is ``number``,
where Zotero keeps it and the CSL styles look for it, never ``page``.

The article itself is a record too: :func:`article_entry` makes a pybtex entry from its
front matter, so that "Cite this article" formats it with the magazine's APA style and
offers it for download in the same formats as the works it cites.

All functions are pure: tests call them without a build.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rispy
from pybtex.database import BibliographyData, Entry, Person

from ..bibstyle.dates import work_date
from ..bibstyle.titles import from_latex, has_latex
from ..doors.pybtex026 import BibtexWriter

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..articles.frontmatter import FrontMatter


#: BibTeX/biblatex type -> (CSL type, RIS type); the fallback is a generic document
TYPES: dict[str, tuple[str, str]] = {
    "article": ("article-journal", "JOUR"),
    "book": ("book", "BOOK"),
    "mvbook": ("book", "BOOK"),
    "collection": ("book", "EDBOOK"),
    "incollection": ("chapter", "CHAP"),
    "inbook": ("chapter", "CHAP"),
    "inproceedings": ("paper-conference", "CPAPER"),
    "conference": ("paper-conference", "CPAPER"),
    "proceedings": ("book", "CONF"),
    "report": ("report", "RPRT"),
    "techreport": ("report", "RPRT"),
    "thesis": ("thesis", "THES"),
    "phdthesis": ("thesis", "THES"),
    "mastersthesis": ("thesis", "THES"),
    "online": ("webpage", "ELEC"),
    "electronic": ("webpage", "ELEC"),
    "www": ("webpage", "ELEC"),
    "letter": ("personal_communication", "PCOMM"),
    "interview": ("interview", "PCOMM"),
    "dataset": ("dataset", "DATA"),
    "software": ("software", "COMP"),
    "video": ("motion_picture", "VIDEO"),
    "movie": ("motion_picture", "VIDEO"),
    "audio": ("song", "SOUND"),
    "unpublished": ("manuscript", "UNPB"),
}
GENERIC = ("document", "GEN")
MAGAZINE = ("article-magazine", "MGZN")


@dataclass(frozen=True)
class Name:
    family: str
    given: str = ""

    @property
    def inverted(self) -> str:
        """``Family, Given``, the form RIS and Highwire tags use."""
        return f"{self.family}, {self.given}" if self.given else self.family

    @property
    def natural(self) -> str:
        return f"{self.given} {self.family}" if self.given else self.family


@functools.lru_cache(maxsize=16384)
def plain(latex: str) -> str:
    """A bib field as plain Unicode text: braces and LaTeX accents resolved, spaces single.
    (Remembered: every article page decodes its works' fields for several formats.)"""
    if not has_latex(latex):  # most fields: no need for the LaTeX decoder
        return " ".join(latex.split())
    return " ".join(from_latex(latex).render_as("text").split())


def name_of(person: Person) -> Name:
    family = " ".join(person.prelast_names + person.last_names)
    if person.lineage_names:
        family += ", " + " ".join(person.lineage_names)
    given = " ".join(person.first_names + person.middle_names)
    return Name(plain(family), plain(given))


def names(entry: Entry, role: str = "author") -> list[Name]:
    return [name_of(person) for person in entry.persons.get(role, ())]


def field(entry: Entry, *keys: str) -> str | None:
    """The first of the fields present, as plain text."""
    for key in keys:
        value = entry.fields.get(key)
        if value and value.strip():
            return plain(value)
    return None


def date_parts(entry: Entry) -> tuple[int, ...]:
    """(year[, month[, day]]) from biblatex ``date`` or BibTeX ``year``/``month``/``day``,
    read as the APA style reads them (:func:`.bibstyle.dates.work_date`); () if none."""
    date = work_date(entry)
    if date is None:
        return ()
    start = date.start
    if start.month is None:
        return (start.year,)
    return (start.year, start.month, start.day) if start.day else (start.year, start.month)


def iso_date(entry: Entry) -> str | None:
    parts = date_parts(entry)
    return "-".join(f"{p:02d}" if i else f"{p:04d}" for i, p in enumerate(parts)) or None


def container(entry: Entry) -> str | None:
    return field(entry, "journaltitle", "journal", "booktitle", "maintitle", "organization")


def pages(entry: Entry, *, article_number: bool = True) -> tuple[str | None, str | None]:
    """(first, last) page; an article number (``eid``) stands for the first page where a
    format has no place of its own for it (Highwire tags, RIS), unless ``article_number``
    is false."""
    text = field(entry, *(("pages", "eid") if article_number else ("pages",)))
    if not text:
        return None, None
    parts = re.split(r"\s*[-–—]+\s*", text, maxsplit=1)
    return parts[0], parts[1] if len(parts) > 1 else None


def kinds(entry: Entry) -> tuple[str, str]:
    if entry.fields.get("entrysubtype", "").strip().lower() == "magazine":
        return MAGAZINE
    return TYPES.get(entry.type.lower(), GENERIC)




# -- the formats -----------------------------------------------------------------------------


def to_csl(key: str, entry: Entry) -> dict[str, Any]:
    """One CSL-JSON item (the input format of citeproc, Zotero and Pandoc)."""
    item: dict[str, Any] = {"id": key, "type": kinds(entry)[0]}
    for role, csl_role in (("author", "author"), ("editor", "editor")):
        people = names(entry, role)
        if people:
            item[csl_role] = [
                {"family": n.family, "given": n.given} if n.given else {"literal": n.family}
                for n in people
            ]
    parts = date_parts(entry)
    if parts:
        item["issued"] = {"date-parts": [list(parts)]}
    first, last = pages(entry, article_number=False)
    for csl_key, value in (
        ("title", field(entry, "title")),
        ("container-title", container(entry)),
        ("publisher", field(entry, "publisher", "institution", "school")),
        ("publisher-place", field(entry, "location", "address")),
        ("volume", field(entry, "volume")),
        ("issue", field(entry, "number", "issue")),
        ("page", f"{first}-{last}" if last else first),
        ("number", field(entry, "eid")),
        ("edition", field(entry, "edition")),
        ("genre", field(entry, "type")),
        ("DOI", field(entry, "doi")),
        ("URL", field(entry, "url")),
        ("ISBN", field(entry, "isbn")),
        ("ISSN", field(entry, "issn")),
        ("abstract", field(entry, "abstract")),
        ("keyword", field(entry, "keywords")),
    ):
        if value:
            item[csl_key] = value
    return item


def to_ris(key: str, entry: Entry) -> dict[str, Any]:
    """One RIS record, as the dictionary rispy writes."""
    record: dict[str, Any] = {"type_of_reference": kinds(entry)[1], "id": key}
    authors = names(entry, "author")
    if authors:
        record["authors"] = [n.inverted for n in authors]
    editors = names(entry, "editor")
    if editors:
        record["secondary_authors"] = [n.inverted for n in editors]
    parts = date_parts(entry)
    if parts:
        record["year"] = f"{parts[0]:04d}"
    if len(parts) == 3:
        record["date"] = "{:04d}/{:02d}/{:02d}/".format(*parts)
    first, last = pages(entry)
    url = field(entry, "url")
    keywords = field(entry, "keywords")
    for ris_key, value in (
        ("title", field(entry, "title")),
        ("secondary_title", container(entry)),
        ("publisher", field(entry, "publisher", "institution", "school")),
        ("place_published", field(entry, "location", "address")),
        ("volume", field(entry, "volume")),
        ("number", field(entry, "number", "issue")),
        ("start_page", first),
        ("end_page", last),
        ("edition", field(entry, "edition")),
        ("type_of_work", field(entry, "type")),
        ("doi", field(entry, "doi")),
        ("urls", [url] if url else None),
        ("keywords", [k.strip() for k in keywords.split(",")] if keywords else None),
        ("abstract", field(entry, "abstract")),
    ):
        if value:
            record[ris_key] = value
    return record


def bibtex(entries: Iterable[tuple[str, Entry]]) -> str:
    """Entries as a classic BibTeX file (:func:`classic`), values as written in the bib."""
    data = BibliographyData()
    for key, entry in entries:
        data.add_entry(key, classic(entry))
    return _BibtexWriter().to_string(data)


#: biblatex type -> classic BibTeX type
CLASSIC_TYPES = {
    "mvbook": "book", "collection": "book", "inbook": "incollection",
    "conference": "inproceedings", "report": "techreport", "thesis": "phdthesis",
}
#: the fields each classic type needs (BibTeX's standard styles, pybtex's plain); a type
#: not named here, or an entry lacking one of them, is written as @misc
CLASSIC_NEEDS = {
    "article": ("author", "title", "journal", "year"),
    "book": ("title", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "proceedings": ("title", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "manual": ("title",),
    "booklet": ("title",),
}
#: biblatex field -> classic field (when the classic one is not there already)
CLASSIC_FIELDS = {"journaltitle": "journal", "location": "address", "maintitle": "booktitle"}
#: biblatex fields no classic style reads, dropped once mapped
BIBLATEX_ONLY = frozenset({"date", "entrysubtype", "eid", "subtitle", "journaltitle",
                           "location", "maintitle", "version", "eventdate", "origdate"})
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def classic(entry: Entry) -> Entry:
    """A biblatex entry as classic BibTeX (see the module's docstring); an entry already
    classic comes back with the same fields."""
    fields = dict(entry.fields)
    kind = entry.type.lower()
    kind = CLASSIC_TYPES.get(kind, kind)
    if kind == "phdthesis" and "master" in fields.get("type", "").lower():
        kind = "mastersthesis"
    for old, new in CLASSIC_FIELDS.items():
        if old in fields and new not in fields:
            fields[new] = fields[old]
    if fields.get("subtitle"):
        fields["title"] = f"{fields.get('title', '')}: {fields['subtitle']}"
    if kind in ("phdthesis", "mastersthesis") and "school" not in fields and \
            "institution" in fields:
        fields["school"] = fields.pop("institution")
    parts = date_parts(entry)
    if parts:
        fields["year"] = str(parts[0])
        if len(parts) > 1:
            fields["month"] = MONTHS[parts[1] - 1]
    if fields.get("eid") and not fields.get("pages"):
        fields["pages"] = fields["eid"]
    if fields.get("version"):
        note = f"Version {fields['version']}"
        fields["note"] = f"{fields['note']}. {note}" if fields.get("note") else note
    present = {k for k, v in fields.items() if v.strip()} | set(entry.persons)
    needs = CLASSIC_NEEDS.get(kind)
    if kind == "book" and not present & {"author", "editor"}:
        needs = None
    if needs is None or not set(needs) <= present:
        kind = "misc"
        published = [fields.get(k) for k in ("howpublished", "journal", "booktitle",
                                             "organization", "publisher", "institution")]
        genre = fields.get("type")
        if genre and plain(genre).lower() != plain(fields.get("title", "")).lower():
            published.insert(0, genre)
        found = [p for p in published if p and p.strip()]
        if found:
            fields["howpublished"] = found[0]
    kept = {k: v for k, v in fields.items() if k not in BIBLATEX_ONLY}
    return Entry(kind, fields=kept, persons=dict(entry.persons))


class _BibtexWriter(BibtexWriter):
    """pybtex's BibTeX writer, encoding and quoting each value once: the works one article
    lists are listed by other articles too, and encoding is most of the writing."""

    def _encode(self, text: str) -> str:
        return _latex_encoded(text, self.encoding)

    def quote(self, s: str) -> str:
        return _quoted(s)


@functools.lru_cache(maxsize=16384)
def _latex_encoded(text: str, encoding: str) -> str:
    return codecs.encode(text, f"ulatex+{encoding}")


@functools.lru_cache(maxsize=16384)
def _quoted(text: str) -> str:
    return BibtexWriter.quote(_PLAIN_WRITER, text)


_PLAIN_WRITER = BibtexWriter()


class _RisWriter(rispy.RisWriter):
    """rispy's writer without the "1." line it puts before each record."""

    def set_header(self, count: int) -> str:
        return ""


def ris(entries: Iterable[tuple[str, Entry]]) -> str:
    return rispy.dumps([to_ris(key, entry) for key, entry in entries], implementation=_RisWriter)


def csl_json(entries: Iterable[tuple[str, Entry]]) -> list[dict[str, Any]]:
    return [to_csl(key, entry) for key, entry in entries]


# -- the article itself ----------------------------------------------------------------------


def article_entry(record: FrontMatter, *, journal: str, url: str,
                  issue: tuple[int | None, int | None] | None = None,
                  pages: tuple[int, int] | None = None, byline: str = "") -> Entry:
    """The article as a bib entry: a magazine article of ``journal`` at ``url``, in
    ``issue`` (volume, number) at ``pages`` (first, last) if it is in one; an article
    without authors is credited to ``byline``, the house byline, as a group, if one is set.

    The title is left to the style's case rules (APA sets article titles in sentence case),
    with the braces the front matter puts around proper nouns (``{Yale}``) kept, so that they
    keep their capitals; the magazine's name is braced too.
    """
    fields = {
        "title": _escape(record.cite_title or record.title),
        "journaltitle": "{" + journal + "}",
        "entrysubtype": "magazine",
        "url": url,
    }
    if record.subtitle:
        fields["subtitle"] = _escape(record.subtitle)
    if record.date:
        fields["date"] = record.date
        fields["year"] = record.date[:4]
    if issue is not None:
        fields["volume"], fields["number"] = (str(part) for part in issue)
    if pages is not None:
        fields["pages"] = f"{pages[0]}--{pages[1]}" if pages[1] != pages[0] else str(pages[0])
    if record.doi:
        fields["doi"] = record.doi
    if record.keywords:
        fields["keywords"] = ", ".join(record.keywords)
    authors = [Person(_escape(a.name)) for a in record.authors]
    if not authors and byline:
        authors = [Person("{" + _escape(byline) + "}")]
    return Entry("article", fields=fields, persons={"author": authors} if authors else None)


def _escape(text: str) -> str:
    """Front matter text as a bib value: the TeX characters a title may hold escaped."""
    return re.sub(r"([&%#_])", r"\\\1", text)
