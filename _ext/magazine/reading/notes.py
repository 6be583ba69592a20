"""``note`` is never printed: what it says is used when it is understood (an access date,
Zotero's "Publisher: ..." lines, a PubMed id, "R package version ...", "Under review"), and
reported when it is not."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from dateutil import parser as date_parser

from .sources import ARXIV_ID

if TYPE_CHECKING:
    from .work import Work

ACCESS_RE = re.compile(
    r"^\s*[\[(]?\s*(?:online\s*[;,.]?\s*)?(?:last\s+)?(?:accessed|retrieved|visited|viewed|"
    r"abgerufen\s+am|zugriff\s+am)\s*(?:(?:on|in)\s+)?:?\s*(?P<date>[^\])]+?)\s*[\])]?\s*\.?\s*$",
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


#: what an IEEE-style ``howpublished`` says around its link: "Available:", "Available online at"
AVAILABLE_RE = re.compile(r"^\s*(?:\[?online\]?\s*[.,;]?\s*)?(?:available|online)(?:\s+online)?"
                          r"(?:\s+(?:at|in|from|on))?\s*:?\s*$", re.I)


def access_phrases(work: Work) -> None:
    """``howpublished`` that only says that the work is online and when it was seen
    ("Available in \\url{...}. Last accessed in October 2017", once the link is taken out)
    is no publisher: the date is the ``urldate`` and the words are not printed."""
    value = work.get("howpublished")
    if not value:
        return
    parts = [p for p in re.split(r"(?<=[.;])\s+|\s*;\s*|\s+(?=[\[(])", value) if p.strip(" .,;")]
    dates = []
    for part in parts:
        if AVAILABLE_RE.match(part.strip(" .,;")) or EMPTY_NOTE_RE.match(part):
            continue
        match = ACCESS_RE.match(part)
        if not match or not iso_date(match.group("date")):
            return
        dates.append(iso_date(match.group("date")))
    work.drop("howpublished")
    for day in dates:
        work.fill("urldate", day)


def notes(work: Work) -> None:
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


def _understood(work: Work, line: str) -> bool:
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
    a month without its day ("October 2017") as ``2017-10``, or "" if it is no date."""
    text = text.strip().rstrip(".")
    if re.match(r"^\d{4}-\d{2}(?:-\d{2})?$", text):
        return text
    try:
        # parsed twice with different default days: a day that follows the default was
        # not written
        days = [date_parser.parse(text.replace(".", " "), dayfirst=True, fuzzy=False,
                                  default=date_parser.parse(default))
                for default in ("1900-01-01", "1900-01-02")]
    except (ValueError, OverflowError):
        return ""
    day = days[0]
    if day.year == 1900 or not re.search(r"\d{4}", text):
        return ""
    if days[0].day != days[1].day:
        return day.strftime("%Y-%m")
    return day.strftime("%Y-%m-%d")
