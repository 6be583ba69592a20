"""The APA 7 reference-list style: one pybtex template per entry type.

Each ``get_<type>_template`` is built from pybtex's template pieces the way
``pybtex.style.formatting.unsrt`` is; the parts every type shares (the author and date
elements, the title with its parenthetical details, publisher, DOI or URL) are methods, and
the rules on names, labels, order and title case live in their own modules. An entry
always formats: an unknown type falls back to the generic pattern and is reported as a :class:`Problem`
on the formatted entry (for Sphinx to turn into a located warning, for the command line to
print); a missing field is left out (:mod:`magazine.citations.bibcheck` names it).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from pybtex.database import Person
from pybtex.exceptions import PybtexError
from pybtex.richtext import HRef, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle
from pybtex.style.sorting.none import SortingStyle as NoSorting
from pybtex.style.template import (
    FieldIsMissing,
    first_of,
    join,
    node,
    optional,
    sentence,
    tag,
    words,
)

from ..doors.pybtex026 import split_name_list
from ..registration.dois import doi_url
from . import dates
from .disambiguation import USUAL, CiteForm, cite_forms
from .entries import (
    AUTHOR_ROLES,
    ITALIC_TITLE,
    KNOWN,
    is_personal_communication,
    kind,
    language,
    lead_names,
    lead_role,
)
from .labels import LabelStyle
from .names import given_first_list, reference_list, uses_prefix
from .settings import APA, ApaSettings
from .sorting import SortingStyle
from .titles import latex_text, plain_text, sentence_case

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from pybtex.database import Entry
    from pybtex.style.template import Node

_RANGE_RE = re.compile(r"(?<=\w)\s*-{1,3}\s*(?=\w)")
_ELOCATOR_RE = re.compile(r"^e\d+$", re.IGNORECASE)
_PLAIN_NUMBER_RE = re.compile(r"^\d+$")

THESIS_TYPES = {
    "phdthesis": "Doctoral dissertation",
    "mathesis": "Master\u2019s thesis",
    "mastersthesis": "Master\u2019s thesis",
    "candthesis": "Candidate thesis",
    "bathesis": "Bachelor\u2019s thesis",
}
DEFAULT_DESCRIPTION = {
    "dataset": "Data set",
    "software": "Computer software",
    "video": "Video",
    "movie": "Film",
    "audio": "Audio recording",
}
AUDIO_SUBTYPES = {
    "album": "Album", "song": "Song", "podcast": "Audio podcast",
    "podcastepisode": "Audio podcast episode", "podcast episode": "Audio podcast episode",
    "episode": "Audio podcast episode", "audiobook": "Audiobook", "speech": "Speech audio recording",
}
#: types dated to the day when the source gives one (APA 9.14); a paper in published
#: proceedings is dated by its year, like a chapter or an article (APA 10.5)
FULL_DATE = {"online", "video", "audio", "letter"}
PERIODICAL_SUBTYPES = {"magazine", "newspaper"}
SITE_FIELDS = ("organization", "journaltitle", "journal", "publisher", "howpublished",
               "institution")
PUBLISHER_FIELDS = ("publisher", "institution", "organization", "howpublished")
@dataclass(frozen=True)
class Problem:
    """Something about an entry that the editor should fix in the bib file."""

    key: str
    message: str


class ApaEntry(FormattedEntry):
    """A formatted entry that also carries the problems found while formatting it."""

    def __init__(self, key: str, text: Text, label: str | None, problems: tuple[Problem, ...]):
        super().__init__(key, text, label)
        self.problems = problems


# -- template pieces -------------------------------------------------------------------------


def _present(value: str, name: str, entry: Entry) -> str:
    """``value``, or the missing ``name`` for ``optional`` to catch."""
    if not value:
        raise FieldIsMissing(name, entry)
    return value


def _value(context: dict[str, Any], name: str) -> str:
    entry = context["entry"]
    return _present(entry.fields.get(name, "").strip(), name, entry)


@node
def text(children, context, name):  # noqa: ANN001
    """A field's text, LaTeX decoded (periodical names, publishers: as written)."""
    assert not children
    return latex_text(_value(context, name))


@node
def cased(children, context):  # noqa: ANN001
    """The children joined and put in sentence case, unless the entry's language is not English."""
    joined = join[children].format_data(context)
    return sentence_case(joined, language(context["entry"]))


@node
def title_text(children, context, name="title"):  # noqa: ANN001
    """A title with its subtitle ("Title: Subtitle") in sentence case."""
    assert not children
    return cased[text(name), optional[": ", text(name.replace("title", "subtitle"))]].format_data(
        context
    )


@node
def enclosed(children, context, left="(", right=")"):  # noqa: ANN001
    """The children inside brackets, or nothing if they are empty."""
    inner = join[children].format_data(context)
    return Text(left, inner, right) if inner else Text()


@node
def ranges(children, context, name):  # noqa: ANN001
    """Page and issue ranges with an en dash: 37–46, 3–4."""
    assert not children
    return Text(_RANGE_RE.sub("\u2013", str(latex_text(_value(context, name)))))


@node
def page_range(children, context, label=False):  # noqa: ANN001
    """Pages of a part of a book: "pp. 11–39", "p. 45" (label) or "11–39"."""
    assert not children
    pages = str(ranges("pages").format_data(context))
    if not label:
        return Text(pages)
    return Text(("pp. " if "\u2013" in pages or "," in pages else "p. ") + pages)


@node
def article_number(children, context, label=True):  # noqa: ANN001
    """APA 9.27: "Article 106565" from ``eid`` (or an eLocator such as e1000097 in ``pages``)."""
    assert not children
    entry = context["entry"]
    number = entry.fields.get("eid", "").strip()
    if not number:
        pages = entry.fields.get("pages", "").strip()
        if not _ELOCATOR_RE.match(pages):
            raise FieldIsMissing("eid", entry)
        number = pages
    return Text("Article ", number) if label else Text(number)


@node
def persons(children, context, role, reference=False):  # noqa: ANN001
    """Names in a role: as the author element (reference order) or given names first."""
    assert not children
    entry = context["entry"]
    people = role_persons(entry, role)
    if not people:
        raise FieldIsMissing(role, entry)
    if reference:
        return reference_list(people, uses_prefix(entry))
    return given_first_list(people)


def role_persons(entry: Entry, role: str) -> list[Person]:
    """The people in a role; pybtex parses only author and editor, so others (translator)
    are parsed here from the field."""
    if role in entry.persons:
        return list(entry.persons[role])
    value = entry.fields.get(role, "").strip()
    return [Person(name) for name in split_name_list(value)] if value else []


@node
def role_label(children, context, role, one, many):  # noqa: ANN001
    """"Ed." or "Eds.", "Trans.": the label after a list of editors or translators."""
    assert not children
    people = role_persons(context["entry"], role)
    return Text(one if len(people) == 1 else many)


@node
def date(children, context):  # noqa: ANN001
    """The date element: "(2021a, February 22)" from the label and the entry's date."""
    assert not children
    entry = context["entry"]
    year = context.get("label") or dates.year_text(entry)
    month_day = dates.month_day_text(entry) if context.get("full_date") else ""
    return Text("(", year, ", " + month_day if month_day else "", ")")


@node
def edition(children, context):  # noqa: ANN001
    """"2nd ed." from ``edition = {2}``; an edition written out is printed as written."""
    assert not children
    value = plain_text(_value(context, "edition"))
    if value.isdigit():
        return Text(ordinal(int(value)), " ed.")
    return Text(value)


def ordinal(number: int) -> str:
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th')}"


@node
def publisher(children, context, names=PUBLISHER_FIELDS):  # noqa: ANN001
    """The first of ``names`` present, unless it repeats a group author (APA 9.29); printed
    as written: "Chapman and Hall/CRC" is one publisher (BibTeX's reading, which pasted
    entries follow), and two publishers are written "A; B" as APA prints them."""
    assert not children
    entry = context["entry"]
    for name in names:
        value = entry.fields.get(name, "").strip()
        if value:
            if plain_text(value) in lead_names(entry):
                raise FieldIsMissing(name, entry)
            return latex_text(value)
    raise FieldIsMissing(names[0], entry)


@node
def report_number(children, context):  # noqa: ANN001
    """"Federal Information Processing Standards Publication No. 197", "No. 42", "RFC 3986"."""
    assert not children
    entry = context["entry"]
    number = plain_text(_value(context, "number"))
    kind_text = plain_text(entry.fields.get("type", "")).strip()
    if kind_text:
        return Text(f"{kind_text} No. {number}")
    return Text(f"No. {number}" if _PLAIN_NUMBER_RE.match(number) else number)


@node
def web(children, context):  # noqa: ANN001
    """The DOI as a https://doi.org/ link, or else the URL (after "Retrieved <date>, from"
    when the work has no date of its own but a retrieval date, APA 9.16)."""
    assert not children
    entry = context["entry"]
    doi = entry.fields.get("doi", "").strip()
    if doi:
        link = doi_url(doi)
        return Text(HRef(link, link))
    url = entry.fields.get("url", "").strip()
    if not url:
        raise FieldIsMissing("url", entry)
    link = Text(HRef(url, url))
    retrieved = dates.long_date(dates.work_date(entry, "urldate"))
    if retrieved and dates.work_date(entry) is None:
        return Text(f"Retrieved {retrieved}, from ", link)
    return link


@node
def original(children, context):  # noqa: ANN001
    """"(Original work published 1936)" for a republished or translated work (APA 9.41)."""
    assert not children
    year = _present(dates.original_year(context["entry"]), "origdate", context["entry"])
    return Text(f"(Original work published {year})")


@node
def state(children, context):  # noqa: ANN001
    """"Advance online publication" and other ``pubstate`` values except "in press"."""
    assert not children
    return Text(_present(dates.publication_state(context["entry"]), "pubstate", context["entry"]))


@node
def thesis_type(children, context, unpublished=False):  # noqa: ANN001
    """"Doctoral dissertation" for ``type = {phdthesis}`` (with "Unpublished" for a thesis
    that is not online, APA 10.6); a written-out type is printed as written."""
    assert not children
    entry = context["entry"]
    value = plain_text(entry.fields.get("type", "")).strip()
    if not value:
        value = {"mastersthesis": "mathesis"}.get(entry.type.lower(), "phdthesis")
    label = THESIS_TYPES.get(value.lower())
    if label is None:
        return Text(value)
    return Text(f"Unpublished {label[0].lower()}{label[1:]}" if unpublished else label)


@node
def toplevel(children, context):  # noqa: ANN001
    """The elements of an entry, one after the other."""
    return join(sep=" ")[children].format_data(context)


# -- the style -------------------------------------------------------------------------------


class Apa7Style(BaseStyle):
    """APA 7 reference entries. ``settings`` is fixed per registered plugin (see
    :mod:`.settings`); tests and the command line may pass their own."""

    settings: ClassVar[ApaSettings] = APA

    def __init__(self, settings: ApaSettings | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if settings is not None:
            self.settings = settings  # type: ignore[misc]
        self.label_style = LabelStyle(in_text_only=self.settings.in_text_only)
        alphabetical = self.settings.order == "alphabetical"
        self.sorting_style = SortingStyle() if alphabetical else NoSorting()
        self.format_labels = self.label_style.format_labels
        self.sort = self.sorting_style.sort

    @classmethod
    def with_settings(cls, settings: ApaSettings) -> type[Apa7Style]:
        """A subclass fixed to ``settings``, for registering under its plugin name."""
        name = f"Apa7Style_{settings.plugin_name.replace('-', '_')}"
        return type(name, (cls,), {"settings": settings, "__module__": cls.__module__})

    # -- entry points ----------------------------------------------------------------------

    def listed(self, entries: Iterable[Entry]) -> list[Entry]:
        """The entries that belong in the reference list (APA: no personal communications)."""
        if not self.settings.in_text_only:
            return list(entries)
        return [e for e in entries if not is_personal_communication(e)]

    def format_entries(self, entries: Iterable[Entry], bib_data: Any = None) -> Iterator[ApaEntry]:
        sorted_entries = list(self.sort(self.listed(entries)))
        labels = list(self.format_labels(sorted_entries))
        forms = self.cite_forms(sorted_entries, labels)
        for label, entry, form in zip(labels, sorted_entries, forms):
            yield with_cite_form(self.format_entry(label, entry, bib_data=bib_data), form)

    def cite_forms(self, sorted_entries: list[Entry], labels: list[str]) -> list[CiteForm]:
        """How each work of the list is named in text (APA 8.18, 8.20)."""
        return cite_forms(sorted_entries, labels, self.settings.in_text_only)

    def format_entry(self, label: str, entry: Entry, bib_data: Any = None) -> ApaEntry:
        name = kind(entry)
        problems = [Problem(entry.key, message) for message in check(entry, name)]
        context = {"entry": entry, "style": self, "bib_data": bib_data, "label": label,
                   "full_date": self.full_date(entry, name)}
        try:
            text = self.get_template(entry, name or "generic").format_data(context)
        except (PybtexError, ValueError, LookupError, TypeError) as error:
            # what the type needs is missing (the bib check names it): the generic pattern
            # still gives the reader the author, date and title
            problems.append(Problem(entry.key, f"could not be formatted as @{entry.type} "
                                    f"({error}); check its fields"))
            try:
                text = self.get_template(entry, "generic").format_data(context)
            except (PybtexError, ValueError, LookupError, TypeError):
                text = Text(entry.key)
        return ApaEntry(entry.key, text, label, tuple(problems))

    def get_template(self, e: Entry, name: str) -> Node:
        return getattr(self, f"get_{name}_template")(e)

    @staticmethod
    def full_date(e: Entry, name: str) -> bool:
        subtype = e.fields.get("entrysubtype", "").lower()
        return name in FULL_DATE or (name == "article" and subtype in PERIODICAL_SUBTYPES)

    # -- shared parts ----------------------------------------------------------------------

    def format_lead(self, e: Entry, title_block: Node) -> Node:
        """Author and date elements, then the title; with no author, the title leads (9.12)."""
        role = lead_role(e)
        media_role = AUTHOR_ROLES.get(e.fields.get("authortype", "").strip().lower())
        if role == "author" and media_role:  # "Nolan, C. (Director)." (APA 10.12)
            who = sentence(sep=" ")[
                persons("author", reference=True),
                join["(", role_label("author", *media_role), ")"],
            ]
        elif role == "author":
            who = sentence(sep="")[persons("author", reference=True)]
        elif role == "editor":
            who = sentence(sep=" ")[
                persons("editor", reference=True),
                join["(", role_label("editor", "Ed.", "Eds."), ")"],
            ]
        else:
            return toplevel[optional[sentence(sep="")[title_block]], sentence(sep="")[date]]
        return toplevel[who, sentence(sep="")[date], optional[sentence(sep="")[title_block]]]

    def format_title(self, e: Entry, italic: bool) -> Node:
        """The title, after the main title of a multivolume work: "Main: Vol. 1. Title"."""
        title = cased[
            first_of[
                optional[text("maintitle"), ": Vol. ", text("volume"), ". "],
                optional[text("maintitle"), ": "],
                "",
            ],
            title_text,
        ]
        return tag("em")[title] if italic else title

    def title_block(self, e: Entry, italic: bool, details: Node | None = None,
                    description: Node | None = None) -> Node:
        """"Title (details) [description]" as one element."""
        return words[
            self.format_title(e, italic),
            optional[enclosed[details]] if details is not None else "",
            optional[enclosed(left="[", right="]")[description]] if description else "",
        ]

    def book_details(self, e: Entry, part: bool = False) -> Node:
        """"M. Cook, Trans.; 2nd ed., Vol. 2" for a book (APA 9.40-9.41); for a part of a
        book, whose editors come before the book title, "3rd ed., Vol. 2, pp. 5–9" (10.3)."""
        people = []
        if lead_role(e) == "author" and not part:
            people.append(optional[persons("editor"), ", ", role_label("editor", "Ed.", "Eds.")])
        people.append(optional[persons("translator"), ", Trans."])
        numbers = [optional[edition]]
        if not e.fields.get("maintitle"):
            numbers.append(optional["Vol. ", text("volume")])
        if part:
            numbers.append(optional[page_range(label=True)])
        return join(sep="; ")[join(sep="; ")[people], join(sep=", ")[numbers]]

    def description(self, e: Entry, default: str = "") -> Node:
        """The bracketed description after the title, such as "[Data set]" (APA 9.21)."""
        return first_of[optional[text("type")], default]

    def format_source(self, e: Entry, names: tuple[str, ...] = PUBLISHER_FIELDS) -> Node:
        return optional[sentence(sep="")[publisher(names=names)]]

    def format_end(self, e: Entry) -> list[Node]:
        """A note, then the DOI or URL, then "(Original work published ...)"."""
        return [
            optional[sentence(sep="")[text("titleaddon")]],
            optional[sentence(sep="")[text("note")]],
            optional[web],
            optional[original],
        ]

    # -- periodicals -----------------------------------------------------------------------

    def get_article_template(self, e: Entry) -> Node:
        """Journal, magazine, newspaper and blog articles (APA 10.1, 10.2)."""
        volume_issue = first_of[
            optional[join[tag("em")[text("volume")], optional["(", ranges("number"), ")"]]],
            optional["(", ranges("number"), ")"],
        ]
        locator = first_of[
            optional[article_number(label=self.settings.article_number_label)],
            optional[ranges("pages")],
        ]
        source = sentence(sep=", ")[
            tag("em")[first_of[optional[text("journaltitle")], text("journal")]],
            optional[volume_issue],
            optional[locator],
        ]
        title = self.title_block(e, italic=False, description=optional[text("type")])
        return toplevel[
            self.format_lead(e, title),
            optional[source],
            optional[sentence(sep="")[state]],
            *self.format_end(e),
        ]

    # -- books and their parts -------------------------------------------------------------

    def get_book_template(self, e: Entry) -> Node:
        """Authored and edited books; ``type`` holds a bracketed English translation of a
        title in another language (APA 9.38, 10.2)."""
        title = self.title_block(e, italic=True, details=self.book_details(e),
                                 description=optional[text("type")])
        return toplevel[self.format_lead(e, title), self.format_source(e), *self.format_end(e)]

    get_collection_template = get_book_template

    def get_incollection_template(self, e: Entry) -> Node:
        """A chapter in an edited book: "In J. Kuhl & J. Beckmann (Eds.), Book (pp. 11–39)."."""
        title = self.title_block(e, italic=False, description=optional[text("type")])
        book = words[
            tag("em")[title_text("booktitle")],
            optional[enclosed[self.book_details(e, part=True)]],
        ]
        editors = optional[
            persons("editor"), " (", role_label("editor", "Ed.", "Eds."), ")"
        ]
        container = sentence(sep="")[words["In", join(sep=", ")[editors, book]]]
        return toplevel[
            self.format_lead(e, title), container, self.format_source(e), *self.format_end(e)
        ]

    get_inbook_template = get_incollection_template

    def get_inproceedings_template(self, e: Entry) -> Node:
        """A paper in proceedings: with editors like a chapter; without, like a periodical
        article, "Proceedings Title, 33, 1877–1901." (APA 10.5)."""
        if e.persons.get("editor"):
            return self.get_incollection_template(e)
        title = self.title_block(e, italic=False, description=optional[text("type")])
        source = sentence(sep=", ")[
            tag("em")[text("booktitle")],
            optional[tag("em")[text("volume")]],
            optional[ranges("pages")],
        ]
        return toplevel[self.format_lead(e, title), optional[source], *self.format_end(e)]

    # -- reports, theses, grey literature ---------------------------------------------------

    def get_report_template(self, e: Entry) -> Node:
        """Reports: "(Type No. 197)", "(RFC 3986)", or "[Type]" without a number (10.4)."""
        details = join(sep=", ")[optional[edition], optional[report_number]]
        description = optional[text("type")] if not e.fields.get("number") else None
        title = self.title_block(e, italic=True, details=details, description=description)
        return toplevel[self.format_lead(e, title), self.format_source(e), *self.format_end(e)]

    def get_thesis_template(self, e: Entry) -> Node:
        """Theses: "[Doctoral dissertation, University]. URL" online, else
        "[Unpublished doctoral dissertation]. University." (APA 10.6)."""
        # online, or in a database (APA 10.6: "[Doctoral dissertation, University]. ProQuest")
        publisher = plain_text(e.fields.get("publisher", "")).strip()
        school_name = plain_text(e.fields.get("institution", "") or e.fields.get("school", ""))
        online = bool(e.fields.get("url") or e.fields.get("doi") or (
            publisher and publisher != school_name.strip()))
        school = first_of[optional[text("institution")], optional[text("school")]]
        if online:
            description = join(sep=", ")[thesis_type, school]
            source = self.format_source(e, ("publisher",))
        else:
            description = thesis_type(unpublished=True)
            source = optional[sentence(sep="")[first_of[school, text("publisher")]]]
        title = self.title_block(e, italic=True, description=description)
        return toplevel[self.format_lead(e, title), source, *self.format_end(e)]

    def get_misc_template(self, e: Entry) -> Node:
        """Preprints and other works: "Title (arXiv:1710.10903). arXiv." (APA 10.8)."""
        title = self.title_block(
            e, italic=True,
            details=first_of[optional[text("number")], optional["Version ", text("version")]],
            description=optional[text("type")])
        return toplevel[
            self.format_lead(e, title),
            # a site or series exporters put in "journal" names the source when nothing else does
            self.format_source(e, ("howpublished", "publisher", "organization", "institution",
                                   "journaltitle")),
            *self.format_end(e),
        ]

    get_generic_template = get_misc_template

    def get_dataset_template(self, e: Entry) -> Node:
        """Data sets: "Title (Version 2) [Data set]. Publisher. DOI" (APA 10.9)."""
        return self.versioned(e, DEFAULT_DESCRIPTION["dataset"])

    def get_software_template(self, e: Entry) -> Node:
        """Software: "Title (Version 3.12.0) [Computer software]. Publisher. URL" (10.10)."""
        return self.versioned(e, DEFAULT_DESCRIPTION["software"])

    def versioned(self, e: Entry, default: str) -> Node:
        title = self.title_block(
            e, italic=True, details=optional["Version ", text("version")],
            description=self.description(e, default),
        )
        return toplevel[self.format_lead(e, title), self.format_source(e), *self.format_end(e)]

    # -- the web and media -----------------------------------------------------------------

    def get_online_template(self, e: Entry) -> Node:
        """Web pages: "Title. Site name. URL" (APA 10.16); the site is left out when it is
        the group author."""
        title = self.title_block(e, italic=True, description=optional[text("type")])
        return toplevel[
            self.format_lead(e, title), self.format_source(e, SITE_FIELDS), *self.format_end(e)
        ]

    def get_video_template(self, e: Entry) -> Node:
        """Videos and films: "Title [Video]. Publisher. URL" (APA 10.12)."""
        film = e.type.lower() == "movie" or e.fields.get("entrysubtype", "").lower() in (
            "film", "movie")
        return self.media(e, DEFAULT_DESCRIPTION["movie" if film else "video"])

    def get_audio_template(self, e: Entry) -> Node:
        """Audio works: "Title [Audio recording]. Publisher. URL", "[Album]", "[Song]",
        "[Audio podcast episode]" by ``entrysubtype`` (APA 10.13-10.14)."""
        written = plain_text(e.fields.get("entrysubtype", "")).strip()
        subtype = written.lower()
        label = AUDIO_SUBTYPES.get(subtype)
        if label is None and subtype.split(" ")[0] in AUDIO_SUBTYPES:
            label = written[0].upper() + written[1:]  # "Album recorded by the LSO"
        return self.media(e, label or DEFAULT_DESCRIPTION["audio"])

    def media(self, e: Entry, default: str) -> Node:
        title = self.title_block(e, italic=True, description=self.description(e, default))
        return toplevel[self.format_lead(e, title), self.format_source(e), *self.format_end(e)]

    def get_letter_template(self, e: Entry) -> Node:
        """Letters and interviews: "Title [Personal interview]." (listed personal
        communications in a house style, or letters in an archive)."""
        title = self.title_block(e, italic=False, description=optional[text("type")])
        return toplevel[
            self.format_lead(e, title),
            self.format_source(e, ("howpublished", "publisher", "organization", "journaltitle")),
            *self.format_end(e),
        ]


def with_cite_form(formatted: FormattedEntry, form: CiteForm) -> FormattedEntry:
    """The formatted entry as its list cites it: a copy when the form is not the usual one
    (a formatted entry may be shared by the lists of several articles)."""
    if form == getattr(formatted, "cite_form", USUAL):
        return formatted
    shown = copy.copy(formatted)
    shown.cite_form = form  # type: ignore[attr-defined]
    return shown


def is_italic_title(entry: Entry) -> bool:
    """Whether the title is italic in the reference list (and so in the text, APA 8.14)."""
    name = kind(entry) or "misc"
    return name in ITALIC_TITLE


def check(entry: Entry, name: str) -> list[str]:
    """What the style itself cannot place: an unknown entry type. (Missing fields, dates
    and DOIs are the bibliography check's: :mod:`magazine.citations.bibcheck`.)"""
    if name:
        return []
    types = ", ".join(f"@{t}" for t in KNOWN)
    return [
        f"'{entry.key}' has the entry type @{entry.type}, which the APA style does not "
        f"know; it is shown with the generic pattern (Author. (Date). Title [type]. "
        f"Publisher. URL). Use one of {types}"
    ]
