"""In-text forms that tell the works of one reference list apart (APA 8.18, 8.20).

An in-text citation names only the first author when a work has three or more, and only
surnames; within one list two different works can then look the same. Two rules, decided
over the whole list (the article's Works Cited) and carried by each formatted entry as a
:class:`CiteForm` for the in-text style to read:

- **8.20, first authors who share a surname.** When the first authors of two works have the
  same surname and different initials, every citation of those works gives the first
  author's initials: "(J. M. Taylor & Neimeyer, 2015)", "(T. Taylor, 2014)", whatever the
  years.
- **8.18, "et al." forms that collide.** When two works with three or more authors shorten
  to the same citation ("Kapoor et al., 2017") but are by different authors, each names as
  many authors as it takes to tell them apart, then "et al.": "(Kapoor, Bloom, Montez, et
  al., 2017)" and "(Kapoor, Bloom, Zucker, et al., 2017)". "et al." stands for two names at
  least: where only the last name differs, all are written out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .entries import is_personal_communication, lead_persons
from .names import initials, is_others, surname, uses_prefix

if TYPE_CHECKING:
    from collections.abc import Sequence

    from pybtex.database import Entry


@dataclass(frozen=True)
class CiteForm:
    """How a work's authors are named in text. ``names``: how many before "et al." (0: the
    usual form; a number as large as the list: every name); ``initials``: the first
    author's initials before the surname."""

    names: int = 0
    initials: bool = False


USUAL = CiteForm()


def cite_forms(entries: Sequence[Entry], labels: Sequence[str],
               in_text_only: bool = True) -> list[CiteForm]:
    """The form of each entry of a list (sorted, with its year labels)."""
    people = [
        [] if in_text_only and is_personal_communication(e) else
        [p for p in lead_persons(e) if not is_others(p)] for e in entries
    ]
    prefix = [uses_prefix(e) for e in entries]
    with_initials = _shared_surnames(people, prefix)
    names = [0] * len(entries)
    colliding: dict[tuple, list[int]] = defaultdict(list)
    for index, persons in enumerate(people):
        if len(persons) >= 3 and len(persons) == len(lead_persons(entries[index])):
            first = _name(persons[0], prefix[index], index in with_initials)
            colliding[(first, labels[index])].append(index)
    for members in colliding.values():
        lists = {tuple(_key(p, prefix[i]) for p in people[i]) for i in members}
        if len(lists) < 2:
            continue  # the same authors: the year suffixes tell the works apart
        for index in members:
            names[index] = _needed(index, members, people, prefix)
    return [CiteForm(names[i], i in with_initials) for i in range(len(entries))]


def _key(person: object, useprefix: bool) -> tuple[str, str]:
    return surname(person, useprefix).casefold(), initials(person).casefold()  # type: ignore[arg-type]


def _name(person: object, useprefix: bool, with_initials: bool) -> str:
    name = surname(person, useprefix).casefold()  # type: ignore[arg-type]
    return f"{initials(person)} {name}" if with_initials else name  # type: ignore[arg-type]


def _shared_surnames(people: list[list], prefix: list[bool]) -> set[int]:
    """The entries whose first author shares a surname, not the initials, with another's."""
    by_surname: dict[str, set[str]] = defaultdict(set)
    for index, persons in enumerate(people):
        if persons and initials(persons[0]):
            by_surname[surname(persons[0], prefix[index]).casefold()].add(
                initials(persons[0]).casefold())
    return {
        index for index, persons in enumerate(people)
        if persons and len(by_surname.get(surname(persons[0], prefix[index]).casefold(), ())) > 1
    }


def _needed(index: int, members: list[int], people: list[list], prefix: list[bool]) -> int:
    """How many names entry ``index`` must show to differ from every other member."""
    mine = [_key(p, prefix[index]) for p in people[index]]
    need = 1
    for other in members:
        theirs = [_key(p, prefix[other]) for p in people[other]]
        if theirs == mine:
            continue
        same = next((k for k, (a, b) in enumerate(zip(mine, theirs)) if a != b),
                    min(len(mine), len(theirs)))
        need = max(need, same + 1)
    if need >= len(mine) - 1:  # "et al." would stand for one name, or none
        return len(mine)
    return need
