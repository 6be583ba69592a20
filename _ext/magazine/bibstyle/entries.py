"""What kind of work an entry is, and who stands in the author position.

Shared by the reference-list templates, the labels (year suffixes), the sorting and the
in-text citations, so that all four agree on, for example, whether an edited book is filed
under its editors and whether a letter is a personal communication.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .names import identity, reference_name, uses_prefix
from .titles import plain_text

if TYPE_CHECKING:
    from pybtex.database import Entry, Person

#: BibTeX and biblatex types that are written the same way as a type the style knows
ALIASES = {
    "conference": "inproceedings",
    "techreport": "report",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "movie": "video",
    "electronic": "online",
    "www": "online",
    "mvbook": "book",
    "bookinbook": "book",
    "mvcollection": "collection",
    "reference": "collection",
    "mvreference": "collection",
    "proceedings": "collection",
    "mvproceedings": "collection",
    "inreference": "incollection",
    "suppbook": "incollection",
    "suppcollection": "incollection",
    "periodical": "collection",
    "suppperiodical": "article",
    "music": "audio",
    "interview": "letter",
    "unpublished": "misc",
    "booklet": "misc",
    "manual": "report",
}
KNOWN = (
    "article", "book", "collection", "incollection", "inbook", "inproceedings", "report",
    "thesis", "online", "misc", "dataset", "software", "video", "audio", "letter",
)
#: container types: their editors edit the book, not the part cited
CONTAINED = {"incollection", "inbook", "inproceedings"}
#: types whose title is in italics (APA 9.19): standalone works
ITALIC_TITLE = {
    "book", "collection", "report", "thesis", "online", "misc", "dataset", "software",
    "video", "audio",
}
#: roles that stand in the author position of media (APA 10.12-10.14), as biblatex's
#: ``authortype`` names them, with the label printed after the names (one, several)
AUTHOR_ROLES = {
    "director": ("Director", "Directors"),
    "producer": ("Producer", "Producers"),
    "executiveproducer": ("Executive Producer", "Executive Producers"),
    "host": ("Host", "Hosts"),
    "writer": ("Writer", "Writers"),
    "composer": ("Composer", "Composers"),
    "artist": ("Artist", "Artists"),
    "narrator": ("Narrator", "Narrators"),
}
#: fields that make a letter or interview retrievable, so no longer a personal communication
RETRIEVABLE = ("url", "doi", "publisher", "journaltitle", "journal", "booktitle",
               "number", "howpublished", "archive", "eprint")


def kind(entry: Entry) -> str:
    """The style's name for the entry type (aliases resolved), or ``""`` if unknown."""
    name = entry.type.lower()
    name = ALIASES.get(name, name)
    return name if name in KNOWN else ""


def is_personal_communication(entry: Entry) -> bool:
    """A letter, interview or conversation the reader cannot retrieve (APA 8.9)."""
    if kind(entry) != "letter" and entry.fields.get("entrysubtype", "").lower() not in (
        "interview", "personal communication", "personalcommunication",
    ):
        return False
    return not any(entry.fields.get(name) for name in RETRIEVABLE)


def lead_role(entry: Entry) -> str:
    """"author", "editor" (an edited book filed under its editors) or "" (the title leads)."""
    if entry.persons.get("author"):
        return "author"
    if entry.persons.get("editor") and kind(entry) not in CONTAINED:
        return "editor"
    return ""


def lead_persons(entry: Entry) -> list[Person]:
    role = lead_role(entry)
    return list(entry.persons[role]) if role else []


def lead_identity(entry: Entry) -> tuple[str, ...]:
    """Equal for entries whose author elements print the same (APA 9.46-9.47)."""
    persons = lead_persons(entry)
    if persons:
        return (lead_role(entry), *identity(persons, uses_prefix(entry)))
    return ("title", plain_text(entry.fields.get("title", "")).casefold())


def lead_names(entry: Entry) -> list[str]:
    """The author element's names as printed, for comparing with a publisher's name."""
    return [reference_name(p, uses_prefix(entry)) for p in lead_persons(entry)]


def language(entry: Entry) -> str:
    return entry.fields.get("langid", "") or entry.fields.get("hyphenation", "") or (
        entry.fields.get("language", "")
    )
