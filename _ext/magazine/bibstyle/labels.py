"""Labels: the year element of each entry, with a/b suffixes assigned over the whole list.

APA 9.47: works by the same author (the same names in the same order) with the same year
get "2021a", "2021b" in reference-list order; "n.d.-a" and "in press-a" take a hyphen. The
label is the year as printed, so the in-text citation (which sees only the formatted entry)
prints the same "2021a" as the list.
"""

from __future__ import annotations

import string
from collections import defaultdict
from typing import TYPE_CHECKING

from pybtex.style.labels import BaseLabelStyle

from .dates import year_text
from .entries import is_personal_communication, lead_identity

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from pybtex.database import Entry


def suffix(index: int) -> str:
    """a, b, ..., z, aa, ab, ...: the index-th year suffix."""
    letters = string.ascii_lowercase
    text = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(letters))
        text = letters[rest] + text
    return text


def with_suffix(year: str, index: int) -> str:
    separator = "" if year[-1:].isdigit() else "-"
    return f"{year}{separator}{suffix(index)}"


class LabelStyle(BaseLabelStyle):
    """Year labels with suffixes; personal communications cited in text only take none."""

    def __init__(self, in_text_only: bool = True) -> None:
        self.in_text_only = in_text_only

    def format_labels(self, sorted_entries: Iterable[Entry]) -> Iterator[str]:
        entries = list(sorted_entries)
        years = [year_text(entry) for entry in entries]
        groups: dict[tuple, list[int]] = defaultdict(list)
        for index, (entry, year) in enumerate(zip(entries, years)):
            if self.in_text_only and is_personal_communication(entry):
                continue
            groups[(lead_identity(entry), year)].append(index)
        labels = list(years)
        for members in groups.values():
            if len(members) > 1:
                for position, index in enumerate(members):
                    labels[index] = with_suffix(years[index], position)
        return iter(labels)
