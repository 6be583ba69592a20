"""The reading step: a bib entry as exporters write it, turned into the fields the APA style,
the downloads and the page metadata read.

Contributors paste what Google Scholar, Zotero, Mendeley, JabRef, doi.org, arXiv or a
publisher's page gives them. Between pybtex's parse and everything that prints an entry,
:func:`read_entry` makes one :class:`Reading` per entry: the entry with its fields put where
the style looks for them, and the problems it could not put right, each naming its field
(so that the bib check locates it at the field's line) and the fix. What it does, one rule
per function below:

* field names: BibTeX's ``journal``, ``address`` and ``school`` read as biblatex's
  ``journaltitle``, ``location`` and ``institution``;
* addresses: ``\\url{...}`` unwrapped and LaTeX escapes undone in URLs; a URL in
  ``howpublished`` moved to ``url``; a DOI written as a link or with ``doi:`` reduced to the
  DOI, and a ``url`` that only repeats the DOI dropped;
* preprints: arXiv ids from ``eprint``/``archivePrefix``, Google Scholar's ``journal =
  {arXiv preprint arXiv:...}`` and DBLP's CoRR volumes become APA's preprint form (APA 10.8):
  "(arXiv:ID). arXiv." with the DOI arXiv assigns to every paper;
* ``note``: never printed. What it holds is used when it is understood (an access date
  becomes ``urldate``; Zotero's "Publisher: ...", "Number: ...", "Place: ..." lines fill the
  fields they name; PubMed ids, ISBNs and ISSNs are kept out of print) and reported when not;
* names: "and others" reported (APA lists up to 20 authors); ``{W}es {M}c{K}inney`` keeps
  its given name; "Brito da Silva, Leonardo" keeps its compound surname;
* page ranges: "353--66" written out in full as "353--366" (APA 9.27: inclusive numbers);
* editions: "2nd", "second", "2nd ed." read as 2, so the style prints "(2nd ed.)";
* thesis types: "PhD thesis", "Ph.D. dissertation", "MSc thesis" read as the types the style
  names "Doctoral dissertation" and "Master's thesis";
* periodical names: written in lower case after the first word by an exporter, they are set
  in title case (APA 9.25) and reported, so the bib file can be corrected;
* LaTeX: commands latexcodec does not know are decoded by pylatexenc, font switches
  (``{\\em ...}``) dropped; what neither decoder knows is reported;
* titles wrapped whole in braces are reported: braces keep capitals, so the style cannot set
  such a title in sentence case.

Every rule leaves an entry that needs it not alone: running :func:`read_entry` on its own
output changes nothing.
"""

from __future__ import annotations

import codecs
import re
import urllib.parse
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import latexcodec  # noqa: F401  (registers the "ulatex" codec)
from dateutil import parser as date_parser
from pybtex.bibtex.utils import split_name_list
from pybtex.database import BibliographyData, Entry, Person
from pybtex.exceptions import PybtexError
from pybtex.utils import OrderedCaseInsensitiveDict
from pylatexenc.latex2text import LatexNodes2Text, get_default_latex_context_db

from .bibstyle.entries import AUTHOR_ROLES

if TYPE_CHECKING:
    from collections.abc import Callable

#: BibTeX field names read as the biblatex names the style uses
ALIASES = {"journal": "journaltitle", "address": "location", "school": "institution"}
#: fields printed in a reference (their LaTeX is decoded and checked)
PRINTED = (
    "title", "subtitle", "booktitle", "maintitle", "journaltitle", "publisher", "institution",
    "organization", "howpublished", "series", "type", "edition", "location", "titleaddon",
)
TITLES = ("title", "booktitle", "maintitle")
#: types a preprint is exported as
PREPRINT_TYPES = frozenset({"misc", "online", "unpublished", "techreport", "report", "electronic"})
ARXIV_DOI = "10.48550/arXiv.{}"
ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?"
DOI_PREFIX_RE = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*|DOI\s+)", re.I)
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
URL_MACRO_RE = re.compile(r"\\(?:url|href|nolinkurl)\s*\{([^{}]*)\}(?:\s*\{[^{}]*\})?")
URL_RE = re.compile(r"https?://[^\s{}]+")
PROCEEDINGS_OF_RE = re.compile(r"^(Proceedings\s+of\s+(?:the\s+)?)(.+)$", re.I | re.S)
#: a library's proxy or login link: no reader outside that library can open it
PROXY_RE = re.compile(r"/login\?(?:qurl|url)=", re.I)
ARXIV_JOURNAL_RE = re.compile(rf"^\s*(?:arXiv\s+preprint\s+)?arXiv\s*:\s*({ARXIV_ID})", re.I)
CORR_VOLUME_RE = re.compile(rf"^abs/({ARXIV_ID})$")
ACCESS_RE = re.compile(
    r"^\s*[\[(]?\s*(?:online\s*[;,.]?\s*)?(?:last\s+)?(?:accessed|retrieved|visited|viewed|"
    r"abgerufen\s+am|zugriff\s+am)\s*(?:on\s*)?:?\s*(?P<date>[^\])]+?)\s*[\])]?\s*\.?\s*$",
    re.I)
SUBMITTED_RE = re.compile(r"^\s*(?:under|in)\s+review\.?$|^\s*submitted(?:\s+for\s+publication)?\.?$",
                          re.I)
#: R's citation(): "R package version 1.6.1"
R_VERSION_RE = re.compile(r"^\s*R\s+package\s+version\s+(?P<version>[\w.-]+?)\.?\s*$", re.I)
DOI_NOTE_RE = re.compile(r"^\s*(?:doi\s*:?|https?://(?:dx\.)?doi\.org/)\s*(?P<doi>10\.\d{4,9}/[^\s()]+?)"
                         r"\.?\s*(?:\((?P<rest>[^)]*)\))?\.?\s*$", re.I)
PUBMED_RE = re.compile(r"^\s*(?P<name>PMID|PMCID|PubMed\s+ID)\s*:?\s*(?P<id>(?:PMC)?\d+)\s*\.?$",
                       re.I)
ARXIV_NOTE_RE = re.compile(rf"^\s*arXiv\s*:\s*({ARXIV_ID})(?:\s*\[[^\]]*\])?\s*\.?$", re.I)
IDENTIFIER_NOTE_RE = re.compile(r"^\s*(?P<name>ISBN|ISSN|OCLC)\s*:?\s*(?P<id>[\dXx -]+)\s*\.?$")
#: Zotero's "Extra" and note lines ("Publisher: Elsevier"), by label: the field each fills
ZOTERO_LINES = {
    "publisher": "publisher", "number": "number", "place": "location", "type": "type",
    "version": "version", "edition": "edition", "series": "series", "volume": "volume",
    "issue": "number", "genre": "type", "medium": "type", "section": None, "language": None,
    "isbn": None, "issn": None, "citation key": None, "original-date": None, "tex.ids": None,
}
ZOTERO_SPLIT_RE = re.compile(
    r"(?:\n|\s+/\s+|(?<=\S)\s+(?=(?:" + "|".join(re.escape(k) for k in ZOTERO_LINES)
    + r"):\s))", re.I)
ZOTERO_LINE_RE = re.compile(r"^\s*(?P<label>[A-Za-z][A-Za-z .-]*?)\s*:\s*(?P<value>.+?)\s*$")
EMPTY_NOTE_RE = re.compile(r"^\s*\[?\s*(?:online|electronic|print|en|eng)?\s*\]?\s*\.?\s*$", re.I)
MONTHS = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
    "sept", "oct", "nov", "dec",
})
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}
EDITION_RE = re.compile(
    r"^\s*(?:(?P<number>\d+)\s*(?:st|nd|rd|th|\.)?|(?P<word>[a-z]+))\s*"
    r"(?:ed(?:ition|n)?\.?|aufl(?:age|\.)?|éd(?:ition)?\.?)?\s*$", re.I)
PAGES_RE = re.compile(r"^\s*(?:pp?\.\s*)?(?P<prefix>[A-Za-z]?)(?P<first>\d+)\s*(?:-{1,3}|\u2013|"
                      r"\u2014)\s*(?P<prefix2>[A-Za-z]?)(?P<last>\d+)\s*$")
THESIS_RE = (
    (re.compile(r"ph\.?\s*d|doctor|dr\.|dissertation", re.I), "phdthesis"),
    (re.compile(r"master|m\.?\s*sc|m\.?\s*a\b|m\.?\s*phil|diploma|diplom", re.I), "mathesis"),
    (re.compile(r"bachelor|b\.?\s*sc|b\.?\s*a\b|honou?rs", re.I), "bathesis"),
)
FONT_SWITCH_RE = re.compile(r"\\(?:em|it|bf|sl|sc|rm|tt|sf|up|itshape|bfseries|scshape|"
                            r"normalfont|upshape|mdseries)\b\s*")
COMMAND_RE = re.compile(r"\\([A-Za-z]+)\b\s*(?:\{\})?")
#: words APA's title case keeps in lower case inside a name (6.17: short conjunctions,
#: articles and prepositions)
MINOR_WORDS = frozenset({
    "a", "an", "the", "and", "but", "or", "nor", "for", "so", "yet", "as", "at", "by", "in",
    "of", "off", "on", "per", "to", "up", "via", "de", "der", "des", "du", "la", "le", "und",
    "et", "für", "y",
})
#: words other title-case styles (Chicago's, which exporters follow) leave in lower case too
LOWER_IN_TITLES = MINOR_WORDS | {
    "with", "from", "into", "onto", "over", "upon", "than", "that", "versus", "vs", "within",
    "without", "about", "toward", "towards", "through", "among", "between", "during", "under",
    "across", "against", "after", "before", "beyond", "since", "until", "along", "around",
}
BRACED_WHOLE_RE = re.compile(r"^\s*\{(?P<inner>.*)\}\s*$", re.S)


@dataclass(frozen=True)
class ReadingProblem:
    """What the reading step could not put right, at a field (for its line)."""

    field: str | None
    message: str
    severity: str = "warning"


@dataclass(frozen=True)
class Reading:
    """One entry, read: the fields everything that prints it uses, and its problems."""

    key: str
    entry: Entry
    problems: tuple[ReadingProblem, ...]


class _Work:
    """The entry being read: a mutable copy of its fields and persons."""

    def __init__(self, entry: Entry) -> None:
        self.key = entry.key
        self.type = entry.type.lower()
        # plain dicts by lower-case name: fields are read many times per entry, and
        # pybtex's case-insensitive dictionaries are slow to read
        self.fields: dict[str, str] = {name.lower(): value for name, value in entry.fields.items()}
        self.persons: dict[str, list[Person]] = {
            role.lower(): list(people) for role, people in entry.persons.items()}
        self.problems: list[ReadingProblem] = []

    def get(self, name: str) -> str:
        value = self.fields.get(name)
        return value.strip() if value else ""

    def set(self, name: str, value: str) -> None:
        self.fields[name] = value

    def drop(self, name: str) -> None:
        if name in self.fields:
            del self.fields[name]

    def fill(self, name: str, value: str) -> None:
        """Give ``name`` a value if it has none."""
        if value and not self.get(name):
            self.set(name, value)

    def report(self, field: str | None, message: str, severity: str = "warning") -> None:
        self.problems.append(ReadingProblem(field, message, severity))

    def entry(self) -> Entry:
        return Entry(self.type, fields=list(self.fields.items()),
                     persons={role: people for role, people in self.persons.items() if people})


# -- field names ----------------------------------------------------------------------------


def field_names(work: _Work) -> None:
    for bibtex, biblatex in ALIASES.items():
        if bibtex in work.fields:
            work.fill(biblatex, work.get(bibtex))
            work.drop(bibtex)


# -- addresses ------------------------------------------------------------------------------


def clean_url(value: str) -> str:
    """``\\url{https://x.org/a\\_b}`` -> ``https://x.org/a_b``."""
    value = URL_MACRO_RE.sub(lambda m: m.group(1), value).strip()
    value = re.sub(r"\{?\\([_%&#$])\}?", r"\1", value).replace(r"\~{}", "~").replace(r"\~", "~")
    return value.strip("{} ")


def clean_doi(value: str) -> str:
    """``https://doi.org/10.1/x``, ``doi:10.1/x``, ``10.1%2Fx`` -> ``10.1/x``."""
    value = DOI_PREFIX_RE.sub("", clean_url(value)).strip()
    return urllib.parse.unquote(value) if "%2f" in value.lower() else value


def addresses(work: _Work) -> None:
    if work.get("url"):
        work.set("url", clean_url(work.get("url")))
    howpublished = work.get("howpublished")
    if howpublished and (URL_MACRO_RE.search(howpublished) or URL_RE.search(howpublished)):
        match = URL_MACRO_RE.search(howpublished) or URL_RE.search(howpublished)
        address = clean_url(match.group(1) if match.re is URL_MACRO_RE else match.group(0))
        if work.get("url") and address.startswith(work.get("url").rstrip("/")) \
                and address != work.get("url"):
            work.set("url", address)  # the page cited, not its site's home page
        work.fill("url", address)
        rest = (howpublished[:match.start()] + howpublished[match.end():]).strip(" ,.;:{}")
        if rest:
            work.set("howpublished", rest)
        else:
            work.drop("howpublished")
    journal = work.get("journaltitle")
    if URL_RE.fullmatch(journal.strip("{} ")) and work.type != "article":
        work.fill("url", clean_url(journal))  # "journal = {http://hippasus.com}": an address
        work.drop("journaltitle")
    if PROXY_RE.search(work.get("url")):
        work.report("url", (
            f"the address '{work.get('url')[:60]}...' is a library's login link, which "
            "readers cannot open: it is left out; give the work's public address or its DOI"))
        work.drop("url")
    if work.get("doi"):
        work.set("doi", clean_doi(work.get("doi")))
    url = work.get("url")
    if url and DOI_PREFIX_RE.match(url):
        doi = clean_doi(url)
        if DOI_RE.match(doi):
            work.fill("doi", doi)
            if work.get("doi").lower() == doi.lower():
                work.drop("url")


# -- preprints ------------------------------------------------------------------------------


def preprints(work: _Work) -> None:
    """An arXiv preprint in APA's form; a published article keeps its journal, and its
    arXiv fields are left out (APA cites the version of record)."""
    prefix = (work.get("archiveprefix") or work.get("eprinttype")).lower()
    arxiv = re.sub(r"^arxiv:\s*", "", work.get("eprint"), flags=re.I) if prefix == "arxiv" else ""
    journal = work.get("journaltitle")
    in_journal = ARXIV_JOURNAL_RE.match(journal) or (
        journal.lower() == "corr" and CORR_VOLUME_RE.match(work.get("volume")))
    if in_journal:
        arxiv = in_journal.group(1)
    elif not arxiv and (match := ARXIV_JOURNAL_RE.match(work.get("howpublished"))):
        arxiv = match.group(1)
        work.drop("howpublished")
    if arxiv and (in_journal or work.type in PREPRINT_TYPES or (
            work.type == "article" and not journal)):
        work.type = "misc"
        for name in ("journaltitle", "volume", "pages", "number") if in_journal else ("number",):
            work.drop(name)
        work.set("number", f"arXiv:{arxiv}")
        work.fill("publisher", "arXiv")
        work.fill("doi", ARXIV_DOI.format(re.sub(r"v\d+$", "", arxiv)))
        if "arxiv.org" in work.get("url") and work.get("doi"):
            work.drop("url")
    elif arxiv and work.type != "article" and not work.get("doi") and not work.get("url"):
        work.set("url", f"https://arxiv.org/abs/{arxiv}")  # where the reader finds it
    if prefix == "arxiv" or arxiv:
        for name in ("eprint", "archiveprefix", "eprinttype", "primaryclass", "eprintclass"):
            work.drop(name)


# -- notes ----------------------------------------------------------------------------------


def notes(work: _Work) -> None:
    note = work.get("note")
    work.drop("note")
    if not note:
        return
    for line in (part.strip() for part in ZOTERO_SPLIT_RE.split(note) if part and part.strip()):
        if not _understood(work, line):
            shown = line if len(line) <= 80 else line[:77] + "..."
            work.report("note", (
                f"the note '{shown}' is not printed: APA has no place for free text in a "
                "reference; move what it says into the field it belongs to (urldate, "
                "publisher, pubstate...), or delete it"))


def _understood(work: _Work, line: str) -> bool:
    """Use one line of a note if it says something a field holds."""
    if EMPTY_NOTE_RE.match(line):
        return True
    if match := ACCESS_RE.match(line):
        day = iso_date(match.group("date"))
        if day:
            work.fill("urldate", day)
            return True
        return False
    if SUBMITTED_RE.match(line):
        work.fill("pubstate", "submitted")
        return True
    if match := R_VERSION_RE.match(line):
        work.fill("version", match.group("version"))
        return True
    if match := DOI_NOTE_RE.match(line):
        work.fill("doi", match.group("doi"))
        return not match.group("rest") or _understood(work, match.group("rest"))
    if match := PUBMED_RE.match(line):
        name = "pmcid" if match.group("id").upper().startswith("PMC") else "pmid"
        work.fill(name, match.group("id"))
        return True
    if match := ARXIV_NOTE_RE.match(line):
        work.fill("eprint", match.group(1))
        work.fill("archiveprefix", "arXiv")
        return True
    if match := IDENTIFIER_NOTE_RE.match(line):
        work.fill(match.group("name").lower(), match.group("id").strip())
        return True
    if (match := ZOTERO_LINE_RE.match(line)) and match.group("label").lower() in ZOTERO_LINES:
        target = ZOTERO_LINES[match.group("label").lower()]
        if target:
            work.fill(target, match.group("value"))
        return True
    return False


def iso_date(text: str) -> str:
    """An access date as written ("8-June-2020", "2021-05-19", "8. Jun. 2020") in ISO form,
    or "" if it is not a whole date."""
    text = text.strip().rstrip(".")
    if re.match(r"^\d{4}-\d{2}-\d{2}$", text):
        return text
    try:
        day = date_parser.parse(text.replace(".", " "), dayfirst=True, fuzzy=False,
                                default=date_parser.parse("1900-01-01"))
    except (ValueError, OverflowError):
        return ""
    if day.year == 1900 or not re.search(r"\d{4}", text):
        return ""
    return day.strftime("%Y-%m-%d")


# -- names ----------------------------------------------------------------------------------


def _capitalised(word: str) -> bool:
    """``Brito`` or ``{W}es``: a word whose first letter is a capital (braces ignored)."""
    letters = re.sub(r"[{}\\'\"`^~]", "", word)
    return bool(letters) and letters[0].isupper()


def names(work: _Work) -> None:
    for role, people in work.persons.items():
        for index, person in enumerate(people):
            people[index] = _person(person)
        if people and str(people[-1]).strip().lower() in ("others", "et al.", "et al"):
            shown = "others" if str(people[-1]).strip().lower() == "others" else "et al."
            people[-1] = Person("others")
            work.report(role, (
                f"the {role} list ends with 'and {shown}', so the reference cannot name "
                f"everyone: APA lists up to 20 {role}s (and the first 19 and the last of "
                f"more); give them all"))


def _initials(words: list[str]) -> list[str]:
    """``J.C.`` and ``B.~F.J.`` (initials run together) as ``J.`` ``C.``, one per name."""
    out: list[str] = []
    for word in words:
        parts = re.findall(r"[^\W\d_][a-z]?\.", word.replace("~", ""))
        if len(parts) > 1 and "".join(parts) == word.replace("~", ""):
            out.extend(parts)
        else:
            out.append(word)
    return out


PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos",
                       "du", "la", "le", "ter", "ten", "zu", "af", "al"})


JUNIOR_RE = re.compile(r"^(?:jr\.?|sr\.?|[IVX]+|\d+(?:st|nd|rd|th))$", re.I)
#: last words of a group's name written without braces ("The pandas development team")
GROUP_WORDS = frozenset({"team", "collaboration", "consortium", "group", "committee",
                         "project", "contributors", "developers", "authors", "community",
                         "organization", "organisation", "association", "society"})


def _person(person: Person) -> Person:
    """Names that pybtex's BibTeX rules split wrongly, put right."""
    if person.lineage_names and not person.first_names and not person.middle_names and \
            not JUNIOR_RE.match(" ".join(person.lineage_names)):
        # "Stone, Robert B," (a stray comma): the given names read as a suffix
        given = _initials(list(person.lineage_names))
        person = _copy(person, first=given[:1], middle=given[1:], lineage=[])
    if person.last_names and person.last_names[-1].lower() in GROUP_WORDS and (
            person.prelast_names or person.first_names) and not person.lineage_names:
        # "The pandas development team": a group, not Mr. Team
        words = [*person.first_names, *person.middle_names, *person.prelast_names,
                 *person.last_names]
        return Person("{" + " ".join(words) + "}")
    if [w.strip("{}").lower() for w in person.first_names] == ["the"] and person.last_names:
        # "{ATLAS Collaboration}, {The}": the group's article, not an initial
        return Person("{The " + " ".join(w.strip("{}") for w in person.last_names) + "}")
    given = [*person.first_names, *person.middle_names]
    tail = 0
    while tail < len(given) - 1 and given[-1 - tail] in PARTICLES:  # written in lower case
        tail += 1
    if tail and not person.prelast_names:  # "Walt, Stéfan van der": the particle is the surname's
        person = _copy(person, first=given[:1], middle=given[1:len(given) - tail],
                       prelast=given[len(given) - tail:])
    if any(len(re.findall(r"\.", w)) > 1 for w in (*person.first_names, *person.middle_names)):
        given = _initials([*person.first_names, *person.middle_names])
        person = _copy(person, first=given[:1], middle=given[1:])
    prelast = person.prelast_names
    if not prelast or not _capitalised(prelast[0]):
        return person
    if not person.first_names and not person.middle_names:
        # "{W}es {M}c{K}inney": the braced capital made BibTeX read the given name as a "von"
        capitals = [w for w in prelast if _capitalised(w)]
        rest = [w for w in prelast if not _capitalised(w)]
        if rest and prelast.index(rest[0]) < len(capitals):
            return person
        fixed = Person()
        fixed.first_names = capitals[:1]
        fixed.middle_names = capitals[1:]
        fixed.prelast_names = rest
        fixed.last_names = list(person.last_names)
        fixed.lineage_names = list(person.lineage_names)
        return fixed
    # "Brito da Silva, Leonardo": a surname that starts with a capital is one surname
    fixed = Person()
    fixed.first_names = list(person.first_names)
    fixed.middle_names = list(person.middle_names)
    fixed.last_names = [*prelast, *person.last_names]
    fixed.lineage_names = list(person.lineage_names)
    return fixed


def _copy(person: Person, **parts: list[str]) -> Person:
    fixed = Person()
    fixed.first_names = parts.get("first", list(person.first_names))
    fixed.middle_names = parts.get("middle", list(person.middle_names))
    fixed.prelast_names = parts.get("prelast", list(person.prelast_names))
    fixed.last_names = parts.get("last", list(person.last_names))
    fixed.lineage_names = parts.get("lineage", list(person.lineage_names))
    return fixed


def roles(work: _Work) -> None:
    """Who made a film, a podcast or a recording, in the author position with the role
    (APA 10.12-10.14): biblatex's ``editortype = {director}`` (and ``editoratype``), or a
    ``director``, ``producer``, ``host``... field as BibDesk and Better BibTeX write them."""
    if work.persons.get("author"):
        return
    for editor, kind in (("editor", "editortype"), ("editora", "editoratype")):
        role = work.get(kind).lower().replace(" ", "")
        if role not in AUTHOR_ROLES:
            continue
        try:
            people = work.persons.get(editor) or [Person(n) for n in split_name_list(work.get(editor))]
        except PybtexError:
            continue
        if role in AUTHOR_ROLES and people:
            work.persons["author"] = people
            work.persons[editor] = []
            work.drop(editor)
            work.drop(kind)
            work.set("authortype", role)
            return
    for role in AUTHOR_ROLES:
        try:
            people = work.persons.get(role) or [Person(n) for n in split_name_list(work.get(role))]
        except PybtexError:
            work.report(role, f"the {role} field cannot be read as names ('Surname, Given and "
                              "Surname, Given'); write each name that way")
            continue
        if people:
            work.persons["author"] = people
            work.persons[role] = []
            work.drop(role)
            work.set("authortype", role)
            return


# -- numbers --------------------------------------------------------------------------------


def issue(work: _Work) -> None:
    """A month written where the issue number goes ("number = {May}") is no issue."""
    value = work.get("number").lower().rstrip(".")
    if value in MONTHS:
        work.drop("number")


def pages(work: _Work) -> None:
    match = PAGES_RE.match(work.get("pages"))
    if not match:
        return
    first, last = match.group("first"), match.group("last")
    if len(last) < len(first) and int(first[-len(last):]) <= int(last):
        last = first[: len(first) - len(last)] + last
    prefix = match.group("prefix")  # "H999--1006": the letter belongs to both pages
    if match.group("prefix2") and match.group("prefix2") != prefix:
        return
    if first == last:  # "420--420": one page
        work.set("pages", f"{prefix}{first}")
        return
    work.set("pages", f"{prefix}{first}--{prefix}{last}")


def edition(work: _Work) -> None:
    """"2nd", "second", "2nd ed." read as 2; a first edition is not named (APA 10.2 gives
    an edition only when it is not the first), nor an "edition" that is the year."""
    value = work.get("edition")
    match = EDITION_RE.match(value)
    if not value or not match:
        return
    number = match.group("number") or str(ORDINALS.get((match.group("word") or "").lower(), ""))
    if not number:
        return
    if number == "1" or (len(number) == 4 and number == work.get("year")[:4]):
        work.drop("edition")
    else:
        work.set("edition", number)


def containers(work: _Work) -> None:
    """Where the work appeared, as BibTeX exporters write it: a @conference or
    @inproceedings paper with its proceedings in ``journal``; a BibTeX @inbook whose
    ``title`` is the book and ``chapter`` the chapter's title; an @unpublished manuscript
    (APA 10.8: "[Unpublished manuscript]")."""
    if work.type in ("inproceedings", "conference") and not work.get("booktitle"):
        if work.get("journaltitle"):
            work.set("booktitle", work.get("journaltitle"))
            work.drop("journaltitle")
    chapter = work.get("chapter")
    if work.type == "inbook" and chapter and not chapter.isdigit() and not work.get("booktitle"):
        work.set("booktitle", work.get("title"))
        work.set("title", chapter)
        work.drop("chapter")
    if work.type == "periodical" and work.get("journaltitle") and work.get("issuetitle"):
        # biblatex-apa's special issue or section of a journal (APA 10.1): "Title [Special
        # issue]. Journal, 73(4)." under its editors
        work.type = "article"
        work.fill("type", work.get("issuetitle"))
        work.drop("issuetitle")
    if work.type == "unpublished":
        work.drop("pages")  # a manuscript is cited whole
        submitted = work.get("pubstate").lower() == "submitted"
        if submitted:
            work.drop("pubstate")
            work.drop("journaltitle")  # APA does not name the journal it was sent to
        if not work.get("type") and (submitted or not (work.get("url") or work.get("doi"))):
            # online, a manuscript is informally published and needs no description
            work.set("type", "Manuscript submitted for publication" if submitted
                     else "Unpublished manuscript")


#: report ``type`` values that are BibTeX entry types, as some exporters fill it
REPORT_TYPES = {"techreport": "Technical Report", "report": "Report", "manual": "Manual"}


def report_type(work: _Work) -> None:
    if work.type not in ("report", "techreport"):
        return
    if work.get("type").lower() in REPORT_TYPES:
        work.set("type", REPORT_TYPES[work.get("type").lower()])
    series = work.get("series")
    if series and not work.get("number") and re.fullmatch(r"[A-Za-z]*[-/]?\S*\d\S*", series):
        # "series = {GSA-2019-02}": the report's number, where exporters put it
        work.set("number", series)
        work.drop("series")


def thesis(work: _Work) -> None:
    """Thesis types as exporters write them; Mendeley's university in ``publisher`` and
    database in ``journal`` ("ProQuest Dissertations and Theses") put where APA 10.6 has
    them: "[Doctoral dissertation, University]. Database."."""
    if work.type not in ("thesis", "phdthesis", "mastersthesis"):
        return
    database = work.get("journaltitle")
    if database and not work.get("institution") and work.get("publisher"):
        work.set("institution", work.get("publisher"))
        work.drop("publisher")
    if database:
        work.fill("publisher", database)
        work.drop("journaltitle")
    value = work.get("type")
    if not value or value.lower() in ("phdthesis", "mathesis", "mastersthesis", "bathesis",
                                      "candthesis"):
        return
    for pattern, name in THESIS_RE:
        if pattern.search(value):
            work.set("type", name)
            return


# -- text -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _pylatexenc() -> tuple[LatexNodes2Text, object]:
    return LatexNodes2Text(), get_default_latex_context_db()


@lru_cache(maxsize=2048)
def _command(command: str) -> str | None:
    """A text command as characters, by latexcodec, else pylatexenc; None if neither knows."""
    decoded = codecs.decode(command, "ulatex").strip()
    if "\\" not in decoded and decoded not in ("", "{}"):
        return decoded.replace("{}", "")
    converter, database = _pylatexenc()
    spec = database.get_macro_spec(command.lstrip("\\"))  # type: ignore[attr-defined]
    if spec is None or getattr(getattr(spec, "args_parser", None), "argspec", ""):
        return None  # unknown, or a command that takes arguments: not a character
    try:
        text = converter.latex_to_text(command)
    except Exception:  # noqa: BLE001 - a table entry pylatexenc cannot apply is not ours to fix
        return None
    return text or None


def decode_commands(value: str) -> tuple[str, list[str]]:
    """Font switches dropped, and each text command latexcodec leaves as it is decoded with
    pylatexenc; also the commands neither knows."""
    value = re.sub(r"\{\s*\\(?:em|it|bf|sl|sc|rm|tt|sf|itshape|bfseries|scshape)\b\s*",
                   "{", value)
    value = FONT_SWITCH_RE.sub("", value)
    unknown: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if codecs.decode(f"\\{name}", "ulatex").strip() != f"\\{name}":
            return match.group(0)  # latexcodec (and so the style) decodes it
        decoded = _command(f"\\{name}")
        if decoded is None:
            if name not in ("emph", "textit", "textbf", "textsc", "textrm", "texttt", "url",
                            "mkbibemph", "mkbibitalic", "mbox", "textup", "textsf",
                            "nolinkurl", "href", "and", "relax", "ensuremath", "noopsort"):
                unknown.append(f"\\{name}")
            return match.group(0)
        return decoded

    value = COMMAND_RE.sub(replace, value)
    return value, unknown


#: the math a title holds as chemistry or units: subscripts and degrees ("SO$_2$", "$^\circ$C")
MATH_SUBSCRIPT_RE = re.compile(r"\$_\{?([0-9A-Za-z+-]+)\}?\$")
MATH_DEGREE_RE = re.compile(r"\$\^\{?\\circ\}?\$")


def latex(work: _Work) -> None:
    for name in PRINTED:
        value = work.get(name)
        if "$" in value:
            value = MATH_DEGREE_RE.sub("\u00b0", MATH_SUBSCRIPT_RE.sub(r"\1", value))
            work.set(name, value)
        if "\\" not in value:
            continue
        if re.search(r"\\(?![A-Za-z@\\{}\"'`^~=.,;:!_$%&#| -])|\\$", value):
            work.report(name, (
                f"'{name}' holds a backslash that starts no LaTeX command; remove it, or "
                "write the command in full"))
        decoded, unknown = decode_commands(value)
        if decoded != value:
            work.set(name, decoded)
        for command in dict.fromkeys(unknown):
            work.report(name, (
                f"the LaTeX command {command} in '{name}' cannot be turned into text; write "
                "the characters it stands for instead"))


def periodical_case(work: _Work) -> None:
    """Only a periodical's name (an @article's journal) takes title case: a @misc's
    "journal" is often a site or a description ("GitHub repository")."""
    if work.type != "article" or "://" in work.get("journaltitle"):
        return
    name = work.get("journaltitle")
    words = re.findall(r"[^\W\d_]+", re.sub(r"\{[^{}]*\}|\\[A-Za-z]+", "", name))
    words = [w for w in words if not (w.isupper() and len(w) > 1)]  # acronyms: "JMRI"
    if len(words) < 2 or any(w[0].isupper() for w in words[1:]):
        return  # one word, or capitals already where the journal puts them
    fixed = title_case(name)
    if fixed == name:
        return
    work.set("journaltitle", fixed)
    work.report("journaltitle", (
        f"the periodical's name '{name}' is not in title case; APA writes a journal's name "
        f"as the journal does: write it as '{fixed}' (capitals that the journal itself does "
        "not use, keep as the journal writes them)"))


def proceedings_case(work: _Work) -> None:
    """Proceedings cited without editors are cited like a periodical (APA 10.5), so their
    name is in title case: "symposium on principles of programming languages" as exporters
    lower it is printed "Symposium on Principles of Programming Languages". (With editors
    they are a book, whose title is in sentence case.)"""
    name = work.get("booktitle")
    if work.type not in ("inproceedings", "conference") or not name:
        return
    if work.persons.get("editor"):
        # a book: its title in sentence case, but the conference's name is a proper noun
        # ("Proceedings of the 9th Python in Science Conference"), so it keeps its capitals
        match = PROCEEDINGS_OF_RE.match(name)
        if match and not match.group(2).startswith("{") and \
                re.search(r"\b[A-Z][a-z]", re.sub(r"[{}]", "", match.group(2))):
            work.set("booktitle", f"{match.group(1)}{{{match.group(2)}}}")
        return
    if "{" in name:
        return
    fixed = title_case(name)
    if fixed != name:
        work.set("booktitle", fixed)


def title_case(text: str) -> str:
    """APA title case (6.17) for a periodical name written in lower case: major words and
    words of four letters or more capitalised, minor words lower case unless first or after
    a colon."""
    parts = re.split(r"(\s+|-|\{[^{}]*\})", text)
    out: list[str] = []
    start = True
    for part in parts:
        if not part or part.isspace() or part == "-" or part.startswith("{"):
            out.append(part)
            continue
        lower = part.lower()
        if start or lower not in MINOR_WORDS or len(lower) >= 4:
            part = part[0].upper() + part[1:] if part[0].islower() else part
        start = part.endswith(":")
        out.append(part)
    return "".join(out)


def braced_titles(work: _Work) -> None:
    """Braces an exporter put around a whole title-case title, or around each of its
    capitalised words (Zotero's habit), protect nothing: they are taken out so that the
    title is set in sentence case, and reported, since the proper nouns among those words
    can only be marked by the contributor. The same holds for a book's title (``booktitle``)."""
    if not _english(work):
        return  # braces change nothing where sentence case is not applied
    for name in ("title", "booktitle"):
        _unbrace_title(work, name)


def _english(work: _Work) -> bool:
    language = (work.get("langid") or work.get("language")).lower()
    return language in ("", "english", "american", "british", "en", "en-us", "en-gb",
                        "usenglish", "ukenglish", "canadian", "australian", "newzealand")


def final_stops(work: _Work) -> None:
    """A title's own final full stop ("... profiles.") is the style's to write: dropped, so
    that none stands before "(pp. 3-9)" or a description."""
    for name in ("title", "booktitle"):
        value = work.get(name)
        stripped = value.rstrip("} ")
        if stripped.endswith(".") and not stripped.endswith("..") and \
                not re.search(r"(?:\b[A-Za-z]|\.[A-Za-z]+|\bal|\bInc|\bLtd|\bCo)\.$", stripped):
            cut = len(stripped) - 1
            work.set(name, value[:cut] + value[cut + 1:])


def _unbrace_title(work: _Work, name: str) -> None:
    value = work.get(name)
    what = "title" if name == "title" else "book's title"
    match = BRACED_WHOLE_RE.match(value)
    if match and _one_group(value):
        inner = match.group("inner").strip()
        if BRACED_WHOLE_RE.match(inner) and _one_group(inner):
            inner = BRACED_WHOLE_RE.match(inner).group("inner").strip()  # {{...}}
        words = re.findall(r"[^\W\d_]+", inner)
        acronyms = [w for w in words if w.isupper() and len(w) > 1]
        if len(words) <= 6 and 2 <= len(acronyms) < len(words) and _title_case(inner):
            return  # a short name of acronyms and capitals ("IBM SPSS Statistics for Windows")
        if len(inner.split()) >= 2 and len(words) >= 2:  # one braced token (a name) stays
            if not _title_case(inner):
                # written in sentence case already: its capitals are names, kept as they are
                inner = re.sub(r"(?<=[\s(\-])([A-Z][a-z]+)\b", r"{\1}", inner)
            work.set(name, inner)
            work.report(name, (
                f"the {what} is wrapped whole in braces, which would keep every capital, so "
                "it is set in sentence case without them: brace only its proper nouns and "
                "acronyms, as in '{DNA} repair in {E}scherichia coli'"))
        return
    if _each_word_braced(value):
        work.set(name, LETTER_BRACE_RE.sub(r"\1", WORD_BRACES_RE.sub(
            r"\1", PHRASE_BRACES_RE.sub(_unbrace_phrase, value))))
        work.report(name, (
            f"every capitalised word of the {what} is in braces (as Zotero exports a "
            "title-case title), so the braces are taken out and it is set in sentence case: "
            "brace only its proper nouns and acronyms, as in 'Evidence for predictive coding "
            "in {Broca}'s area'"))


WORD_BRACES_RE = re.compile(r"\{([A-Z][a-z]+(?:-[A-Za-z]+)*)\}")
#: the first letter of a word braced (JabRef's and hand-written BibTeX's "{C}omputing")
LETTER_BRACE_RE = re.compile(r"\{([A-Z])\}(?=[a-z])")
#: Better BibTeX's double braces around each run of capitalised words: {{Step-by-Step Guide}}
PHRASE_BRACES_RE = re.compile(r"\{\{([^{}]*)\}\}")
CAPITALISED_RE = re.compile(r"^[A-Z][a-z]+(?:-[A-Za-z][a-z]*)*[:,.;?!]?$")


def _unbrace_phrase(match: re.Match[str]) -> str:
    """A double-braced run of capitalised words loses its braces; an acronym, a mixed-case
    name or a single letter in it ({{R}}, {{RStudio}}, {{SAMR Model}}) keeps a pair."""
    words = match.group(1).split(" ")
    return " ".join(w if not w or CAPITALISED_RE.match(w) or w.lower() in MINOR_WORDS
                    else "{" + w + "}" for w in words)


def _title_case(text: str) -> bool:
    """Whether most major words after the first start with a capital."""
    words = [w for w in re.findall(r"[^\W\d_][^\s{}]*", text)[1:]
             if w.lower() not in LOWER_IN_TITLES]
    capitals = [w for w in words if w[0].isupper()]
    return len(words) >= 2 and len(capitals) >= 0.6 * len(words)


def _each_word_braced(title: str) -> bool:
    """Whether each major word after the first is a capitalised word in braces of its own
    (``Evidence for {Predictive} {Coding} in {Human} {Auditory} {Cortex}``), or in a
    double-braced run (``A {{Step-by-Step Guide}} to {{Exploratory Factor Analysis}}``)."""
    plain = PHRASE_BRACES_RE.sub(lambda m: " ".join("{" + w + "}" for w in m.group(1).split()),
                                 title)
    tokens = re.findall(r"\{[^{}]*\}[^\s{}]*|[^\s{}]+", plain)[1:]
    major = [t for t in tokens if re.sub(r"[{}]", "", t).lower() not in LOWER_IN_TITLES
             and re.search(r"[^\W\d_]", t)]
    braced = [t for t in major if t.startswith("{")]
    return len(major) >= 3 and len(braced) == len(major)


def _one_group(value: str) -> bool:
    """Whether the first brace of ``value`` closes at its end (``{{A} and {B}}`` does,
    ``{A} and {B}`` does not)."""
    depth = 0
    stripped = value.strip()
    for index, char in enumerate(stripped):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth == 0:
            return index == len(stripped) - 1
    return False


#: the rules, in order: each reads what the ones before it have put right
RULES: tuple[Callable[[_Work], None], ...] = (
    field_names, addresses, preprints, notes, roles, names, issue, pages, edition, containers,
    report_type, thesis, latex,
    periodical_case, proceedings_case, braced_titles, final_stops,
)


def read_entry(entry: Entry) -> Reading:
    """The entry as the style and every other reader of the bibliography use it."""
    work = _Work(entry)
    for rule in RULES:
        rule(work)
    work.key = entry.key
    read = work.entry()
    read.key = entry.key
    return Reading(entry.key, read, tuple(work.problems))


def read_bibliography(data: BibliographyData) -> tuple[BibliographyData, dict[str, Reading]]:
    """Every entry read; the bibliography of the read entries, and each reading by key."""
    readings = {key: read_entry(entry) for key, entry in data.entries.items()}
    read = BibliographyData(
        entries=OrderedCaseInsensitiveDict((key, r.entry) for key, r in readings.items()),
        preamble=list(getattr(data, "_preamble", [])),
    )
    return read, readings
