"""People: the names pybtex's BibTeX rules split wrongly put right, "and others" reported,
and who made a film or a podcast in the author position with the role (APA 10.12-10.14)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from pybtex.database import Person
from pybtex.exceptions import PybtexError

from ..bibstyle.entries import AUTHOR_ROLES
from ..doors.pybtex026 import capture_errors, split_name_list

if TYPE_CHECKING:
    from .work import Work


def _capitalised(word: str) -> bool:
    """``Brito`` or ``{W}es``: a word whose first letter is a capital (braces ignored)."""
    letters = re.sub(r"[{}\\'\"`^~]", "", word)
    return bool(letters) and letters[0].isupper()


#: biblatex's data annotation of a name: ``author+an:username = {1="Grammar Girl"}``
ANNOTATION_RE = re.compile(r'(\d+)\s*=\s*"([^"]*)"')


def usernames(work: Work) -> None:
    """A person's username on the platform (APA 9.8: "Fogarty, M. [Grammar Girl]"), from
    biblatex's ``author+an:username`` annotation, kept on the person for the style."""
    for role in ("author", "editor"):
        annotation = work.get(f"{role}+an:username")
        if not annotation:
            continue
        work.drop(f"{role}+an:username")
        people = work.persons.get(role, [])
        for number, name in ANNOTATION_RE.findall(annotation):
            if 0 < int(number) <= len(people) and name.strip():
                person = _copy(people[int(number) - 1])  # the parsed entry stays as it was
                person.username = name.strip()  # type: ignore[attr-defined]
                people[int(number) - 1] = person


def names(work: Work) -> None:
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


#: last words of a group's name written without braces ("The pandas development team",
#: "Oxford Economics", "IoT India Magazine"): words that end no person's name
GROUP_WORDS = frozenset({
    "team", "collaboration", "consortium", "group", "committee", "project", "contributors",
    "developers", "authors", "community", "organization", "organisation", "association",
    "society", "magazine", "economics", "office", "institute", "institut", "university",
    "agency", "bureau", "council", "department", "ministry", "foundation", "corporation",
    "company", "inc", "inc.", "ltd", "ltd.", "llc", "gmbh", "center", "centre", "laboratory",
    "laboratories", "labs", "academy", "services", "network", "alliance", "initiative",
    "commission", "authority", "programme", "observatory", "museum", "library", "archives",
    "hospital", "federation",
})


#: first words of a group's name written without braces ("University of Chicago",
#: "National Institute of Mental Health")
GROUP_FIRST_WORDS = frozenset({
    "university", "universidad", "universidade", "université", "universität", "universiteit",
    "institute", "institut", "instituto", "office", "department", "ministry", "bureau",
    "agency", "centre", "center", "council", "association", "society", "academy", "federal",
    "national", "international", "world", "royal", "statistisches",
})


#: the small words inside a group's name ("Office for Civil Rights", "Institute of
#: Physics"), which BibTeX reads as a "von" part: no person's name holds them
GROUP_JOINERS = frozenset({"of", "for", "on", "the", "in", "at", "and", "&", "\\&", "to"})


#: an accent that lost its backslash on the way (``R{'{\i}}o`` in copies of the NumPy paper's
#: entry): in a name, a braced group of an accent sign and one letter can only be the accent
LOST_ACCENT_RE = re.compile(r"\{(['`\"^~])(\{\\[ij]\}|\\[ij]|[A-Za-z])\}")


def _accents(person: Person) -> Person:
    parts = {part: [LOST_ACCENT_RE.sub(r"{\\\1\2}", word) for word in getattr(person, f"{part}_names")]
             for part in ("first", "middle", "prelast", "last", "lineage")}
    if all(parts[part] == getattr(person, f"{part}_names") for part in parts):
        return person
    return _copy(person, **parts)


def _person(person: Person) -> Person:
    """Names that pybtex's BibTeX rules split wrongly, put right."""
    person = _accents(person)
    if person.lineage_names and not person.first_names and not person.middle_names and \
            not JUNIOR_RE.match(" ".join(person.lineage_names)):
        # "Stone, Robert B," (a stray comma): the given names read as a suffix
        given = _initials(list(person.lineage_names))
        person = _copy(person, first=given[:1], middle=given[1:], lineage=[])
    if _group(person):
        # "The pandas development team", "Office for Civil Rights": a group, not Mr. Team
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


def _group(person: Person) -> bool:
    """Whether a name written without braces or comma is a group's (APA 9.11)."""
    if person.lineage_names or not person.last_names:
        return False
    given = [*person.first_names, *person.middle_names]
    if not (given or person.prelast_names):
        return False
    words = [w.strip("{}").lower() for w in (*given, *person.prelast_names, *person.last_names)]
    return words[-1] in GROUP_WORDS or (
        words[0] in GROUP_FIRST_WORDS and len(words) >= 2) or (
        any(w in GROUP_JOINERS for w in (p.strip("{}").lower() for p in person.prelast_names)))


def _copy(person: Person, **parts: list[str]) -> Person:
    fixed = Person()
    fixed.first_names = parts.get("first", list(person.first_names))
    fixed.middle_names = parts.get("middle", list(person.middle_names))
    fixed.prelast_names = parts.get("prelast", list(person.prelast_names))
    fixed.last_names = parts.get("last", list(person.last_names))
    fixed.lineage_names = parts.get("lineage", list(person.lineage_names))
    if getattr(person, "username", None):
        fixed.username = person.username  # type: ignore[attr-defined]
    return fixed


def _people(value: str) -> list[Person] | None:
    """The names of a field pybtex does not read as names itself (``director``), or None
    if pybtex cannot read them (it reports through its error capture, or raises)."""
    try:
        with capture_errors() as errors:
            people = [Person(name) for name in split_name_list(value)]
    except PybtexError:
        return None
    return None if errors else people


def roles(work: Work) -> None:
    """Who made a film, a podcast or a recording, in the author position with the role
    (APA 10.12-10.14): biblatex's ``editortype = {director}`` (and ``editoratype``), or a
    ``director``, ``producer``, ``host``... field as BibDesk and Better BibTeX write them."""
    if work.persons.get("author"):
        return
    for editor, kind in (("editor", "editortype"), ("editora", "editoratype")):
        role = work.get(kind).lower().replace(" ", "")
        if role not in AUTHOR_ROLES:
            continue
        people = work.persons.get(editor) or _people(work.get(editor))
        if people is None:
            continue
        if role in AUTHOR_ROLES and people:
            work.persons["author"] = people
            work.persons[editor] = []
            work.drop(editor)
            work.drop(kind)
            work.set("authortype", role)
            return
    for role in AUTHOR_ROLES:
        people = work.persons.get(role) or _people(work.get(role))
        if people is None:
            work.report(role, f"the {role} field cannot be read as names ('Surname, Given and "
                              "Surname, Given'); write each name that way")
            continue
        if people:
            work.persons["author"] = people
            work.persons[role] = []
            work.drop(role)
            work.set("authortype", role)
            return
