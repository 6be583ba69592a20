"""Numbers as APA prints them: issues, page ranges in full (APA 9.27), editions."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..bibstyle.dates import month_number

if TYPE_CHECKING:
    from .work import Work

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
}


EDITION_RE = re.compile(
    r"^\s*(?:(?P<number>\d+)\s*(?:st|nd|rd|th|\.)?|(?P<word>[a-z]+))\s*"
    r"(?:ed(?:ition|n)?\.?|aufl(?:age|\.)?|éd(?:ition)?\.?)?\s*$", re.I)


PAGES_RE = re.compile(r"^\s*(?:pp?\.\s*)?(?P<prefix>[A-Za-z]?)(?P<first>\d+)\s*(?:-{1,3}|\u2013|"
                      r"\u2014)\s*(?P<prefix2>[A-Za-z]?)(?P<last>\d+)\s*$")


def issue(work: Work) -> None:
    """A month written where the issue number goes ("number = {May}") is no issue."""
    value = work.get("number")
    if value and not value.isdigit() and month_number(value) is not None:
        work.drop("number")


def pages(work: Work) -> None:
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


def edition(work: Work) -> None:
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
