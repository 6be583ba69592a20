"""APA 7 names (Publication Manual 9.8-9.12, 8.17-8.18), from pybtex ``Person`` objects.

- Reference list: "Honmou, O., Yamashita, T., & Kocsis, J. D."; surname first, initials with
  full stops and a space ("Ito, Y. M."), hyphenated given names keep the hyphen ("Li, L.-J."),
  a suffix after the initials ("Brooks, F. P., Jr."). Up to 20 names are all listed with
  "&" before the last; from 21 on, the first 19, an ellipsis, and the last (9.8).
- A group author is written in double braces in the bib file (``{{World Bank}}``) and
  printed as it is.
- Particles ("van", "von", "de la") lead the surname only with biblatex's
  ``options = {useprefix=true}``; otherwise they follow the initials ("Fontaine, J. de la").
- Editors and translators are named initials first: "J. Kuhl & J. Beckmann".
- In text: surnames only, "&" between two in parentheses and "and" in running text,
  "et al." from three (8.17); a personal communication gives the initials (8.9).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pybtex.richtext import Text

from .titles import plain_text

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pybtex.database import Entry, Person

ELLIPSIS = "\u2026"
MAX_LISTED = 20
LISTED_BEFORE_ELLIPSIS = 19
OTHERS = "others"


def uses_prefix(entry: Entry) -> bool:
    """biblatex's per-entry ``options = {useprefix=true}``."""
    for option in entry.fields.get("options", "").split(","):
        name, _, value = option.partition("=")
        if name.strip().lower() == "useprefix":
            return value.strip().lower() in ("", "true")
    return False


def _join(parts: Sequence[str]) -> str:
    return " ".join(plain_text(part) for part in parts)


def is_others(person: Person) -> bool:
    return not person.first_names and [p.lower() for p in person.last_names] == [OTHERS]


def surname(person: Person, useprefix: bool) -> str:
    """The family name as cited: "van Rossum" (with useprefix), "Rossum", "World Bank"."""
    last = _join(person.last_names)
    if useprefix and person.prelast_names:
        return f"{_join(person.prelast_names)} {last}"
    return last


def initials(person: Person) -> str:
    """"J. M." for "J. Michael", "L.-J." for "Li-Jia"."""
    words = [plain_text(word) for word in (*person.first_names, *person.middle_names)]
    return " ".join(_initial(word) for word in words if word)


def _initial(word: str) -> str:
    pieces = [piece for piece in word.split("-") if piece]
    return "-".join(_first_letter(piece) + "." for piece in pieces)


def _first_letter(piece: str) -> str:
    for char in piece:
        if char.isalpha():
            return char.upper()
    return piece[:1]


def reference_name(person: Person, useprefix: bool) -> str:
    """"van Rossum, G.", "Fontaine, J. de la", "Brooks, F. P., Jr.", "World Bank"."""
    if is_others(person):
        return "et al."
    name = surname(person, useprefix)
    given = initials(person)
    if given:
        name = f"{name}, {given}"
        if person.prelast_names and not useprefix:
            name = f"{name} {_join(person.prelast_names)}"
    if person.lineage_names:
        name = f"{name}, {_join(person.lineage_names)}"
    if getattr(person, "username", None):  # "Fogarty, M. [Grammar Girl]" (APA 9.8)
        name = f"{name} [{person.username}]"  # type: ignore[attr-defined]
    return name


def given_first_name(person: Person) -> str:
    """"J. Kuhl", "G. van Rossum", "F. P. Brooks Jr.": editors, translators, and the
    author of a personal communication in text (APA 8.9)."""
    if is_others(person):
        return "et al."
    parts = [initials(person), _join(person.prelast_names), _join(person.last_names)]
    parts.append(_join(person.lineage_names))
    return " ".join(part for part in parts if part)


def reference_list(persons: Sequence[Person], useprefix: bool) -> Text:
    """Authors in a reference entry, by the 20/21 rule; no final full stop."""
    names = [reference_name(person, useprefix) for person in persons]
    if len(names) > MAX_LISTED:
        head = ", ".join(names[:LISTED_BEFORE_ELLIPSIS])
        return Text(f"{head}, {ELLIPSIS} {names[-1]}")
    if len(names) == 1:
        return Text(names[0])
    if is_others(persons[-1]):  # "and others": the names given, then "et al." (no "&")
        return Text(", ".join(names))
    return Text(", ".join(names[:-1]) + ", & " + names[-1])


def given_first_list(persons: Sequence[Person]) -> Text:
    """Editors or translators inside an entry: "A. Bee", "A. Bee & C. Dee", "A, B, & C"."""
    names = [given_first_name(person) for person in persons]
    if len(names) == 1:
        return Text(names[0])
    if is_others(persons[-1]):
        return Text(", ".join(names))
    if len(names) == 2:
        return Text(f"{names[0]} & {names[1]}")
    return Text(", ".join(names[:-1]) + ", & " + names[-1])


def in_text(persons: Sequence[Person], useprefix: bool, narrative: bool, full: bool = False,
            shown: int = 0, first_initials: bool = False) -> str:
    """"Bangalore", "Hochreiter & Schmidhuber" ("and" in running text), "Dempster et al.";
    ``shown`` names before "et al." where the list needs them to tell works apart (8.18),
    the first author's initials where first authors share a surname (8.20)."""
    people = [person for person in persons if not is_others(person)]
    names = [surname(person, useprefix) for person in people]
    conjunction = " and " if narrative else " & "
    if not names:
        return ""
    if first_initials and initials(people[0]):
        names[0] = f"{initials(people[0])} {names[0]}"
    truncated = len(names) < len(persons)  # the bib file says "and others"
    if shown and shown < len(names) and not full:
        return ", ".join(names[:shown]) + ", et al."
    if truncated or (len(names) >= 3 and not full and not shown):
        return f"{names[0]} et al."
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return names[0] + conjunction + names[1]
    return ", ".join(names[:-1]) + "," + conjunction + names[-1]


def identity(persons: Sequence[Person], useprefix: bool) -> tuple[str, ...]:
    """The names as printed in the list: equal identities share one author element."""
    return tuple(reference_name(person, useprefix).casefold() for person in persons)
