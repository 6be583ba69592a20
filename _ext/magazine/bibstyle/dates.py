"""Dates of works: biblatex ``date`` (ISO 8601, ranges) or BibTeX ``year``/``month``/``day``.

APA prints the year, or the year and then the month and day for works that are dated to
the day (periodicals that are not journals, web pages, audiovisual works, personal
communications): "(2021, February 22)". A work without a date is "n.d.", one accepted but
not yet published "in press" (APA 9.14-9.17).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pybtex.database import Entry

MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)
NO_DATE = "n.d."
IN_PRESS = "in press"
IN_PRESS_STATES = {"inpress", "forthcoming", "in press"}
PUBSTATE_TEXT = {
    "prepublished": "Advance online publication",
    "submitted": "Manuscript submitted for publication",
    "inpreparation": "Manuscript in preparation",
}

_ISO_RE = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?")
_MARKS_RE = re.compile(r"[~?%]|T.*$")
_EN_DASH = "\u2013"


@dataclass(frozen=True)
class Day:
    """A point in time as precise as the source gives it."""

    year: int
    month: int | None = None
    day: int | None = None


@dataclass(frozen=True)
class WorkDate:
    """When a work appeared: a day, month or year, or a range of them."""

    start: Day
    end: Day | None = None


def parse_iso(text: str) -> WorkDate | None:
    """Read ``2021``, ``2021-02``, ``2021-02-22`` and ranges ``a/b``; ``None`` if unreadable."""
    parts = [_MARKS_RE.sub("", part) for part in text.split("/")]
    start = _parse_day(parts[0])
    if start is None:
        return None
    end = _parse_day(parts[1]) if len(parts) > 1 and parts[1].strip() else None
    return WorkDate(start, end)


def _parse_day(text: str) -> Day | None:
    match = _ISO_RE.match(text)
    if match is None:
        return None
    year, month, day = (int(g) if g else None for g in match.groups())
    if month is not None and not 1 <= month <= 12:
        month, day = None, None
    if day is not None and not 1 <= day <= 31:
        day = None
    return Day(year, month, day)  # type: ignore[arg-type]


def month_number(value: str) -> int | None:
    """``2``, ``02``, ``feb``, ``February`` -> 2."""
    value = value.strip().rstrip(".")
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    for number, name in enumerate(MONTHS, start=1):
        if len(value) >= 3 and name.lower().startswith(value.lower()):
            return number
    return None


def work_date(entry: Entry, field: str = "date") -> WorkDate | None:
    """The date in ``field`` (``date``, ``origdate``, ``urldate``); for ``date`` also the
    BibTeX ``year``, ``month`` and ``day`` fields."""
    fields = entry.fields
    if fields.get(field):
        return parse_iso(fields[field])
    prefix = field[: -len("date")]
    year_text = fields.get(prefix + "year", "").strip()
    if not year_text.lstrip("-").isdigit():
        return None
    month = month_number(fields.get(prefix + "month", ""))
    day_text = fields.get(prefix + "day", "").strip()
    day = int(day_text) if month and day_text.isdigit() else None
    return WorkDate(Day(int(year_text), month, day))


def year_text(entry: Entry) -> str:
    """The year element before any a/b suffix: ``2021``, ``2019–2020``, ``n.d.``, ``in press``."""
    date = work_date(entry)
    if date is None:
        year = entry.fields.get("year", "").strip()
        if year and not year.lstrip("-").isdigit():
            return year  # written out, such as "in press"
        if entry.fields.get("pubstate", "").strip().lower() in IN_PRESS_STATES:
            return IN_PRESS
        return NO_DATE
    if date.end is not None and date.end.year != date.start.year:
        return f"{date.start.year}{_EN_DASH}{date.end.year}"
    return str(date.start.year)


def month_day_text(entry: Entry) -> str:
    """The part after the year in "(2021, February 22)": ``February 22``, ``May 6–8``, ``""``."""
    date = work_date(entry)
    if date is None or date.start.month is None:
        return ""
    start, end = date.start, date.end
    text = _month_day(start)
    if end is None or end.month is None or end == start or end.year != start.year:
        return text
    if end.month == start.month and start.day and end.day:
        return f"{text}{_EN_DASH}{end.day}"
    return f"{text}{_EN_DASH}{_month_day(end)}"


def _month_day(day: Day) -> str:
    name = MONTHS[day.month - 1] if day.month else ""
    return f"{name} {day.day}" if day.day else name


def long_date(date: WorkDate | None) -> str:
    """"March 30, 2021", "March 2021" or "2021": personal communications, retrieval dates."""
    if date is None:
        return ""
    day = date.start
    if day.month is None:
        return str(day.year)
    if day.day is None:
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


def original_year(entry: Entry) -> str:
    """The year of first publication (``origdate`` or ``origyear``), or ``""``."""
    date = work_date(entry, "origdate")
    return str(date.start.year) if date is not None else ""


def publication_state(entry: Entry) -> str:
    """A ``pubstate`` other than "in press", as APA prints it after the source."""
    state = entry.fields.get("pubstate", "").strip()
    if not state or state.lower() in IN_PRESS_STATES:
        return ""
    return PUBSTATE_TEXT.get(state.lower(), state)
