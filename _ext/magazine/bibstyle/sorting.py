"""APA 7 reference-list order (Publication Manual 9.44-9.49).

- Letter by letter on the surname, then the initials, "nothing precedes something"
  (Brown before Browning), ignoring accents, case, spaces and punctuation.
- The same first author: one-author works first, then by the second author, and so on.
- The same authors: by year, undated works ("n.d.") first and "in press" last; the same
  year: by title.
- A work with no author is filed by its title, ignoring a leading "A", "An" or "The" (9.48).

For a house order of first citation the style uses pybtex's "none" sorting instead.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

from pybtex.style.sorting import BaseSortingStyle

from .dates import IN_PRESS, NO_DATE, year_text
from .entries import lead_persons
from .names import initials, surname, uses_prefix
from .titles import plain_text

if TYPE_CHECKING:
    from pybtex.database import Entry

ARTICLES_RE = re.compile(r"^(?:a|an|the)\s+", re.IGNORECASE)
_NOT_ALNUM_RE = re.compile(r"[\W_]+", re.UNICODE)


def letters(text: str) -> str:
    """Only letters and digits, accents removed and case folded: the filing form."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NOT_ALNUM_RE.sub("", stripped.casefold())


def title_filing(entry: Entry) -> str:
    """The title without a leading article, in filing form."""
    title = plain_text(entry.fields.get("title", ""))
    return letters(ARTICLES_RE.sub("", title.strip().lstrip("\"“‘'")))


def year_key(entry: Entry) -> tuple[int, str]:
    year = year_text(entry)
    if year == NO_DATE:
        return (0, "")
    if year == IN_PRESS:
        return (2, "")
    return (1, year.rjust(9, "0"))


def sort_key(entry: Entry) -> tuple:
    persons = lead_persons(entry)
    useprefix = uses_prefix(entry)
    if persons:
        names = tuple((letters(surname(p, useprefix)), letters(initials(p))) for p in persons)
    else:
        names = ((title_filing(entry), ""),)
    return (names, year_key(entry), title_filing(entry))


class SortingStyle(BaseSortingStyle):
    """Alphabetical order as APA files a reference list."""

    def sorting_key(self, entry: Entry) -> tuple:
        return sort_key(entry)
