"""What kind of work an entry is, as exporters write it: proceedings, BibTeX's @inbook,
manuscripts, special issues, videos filed as @misc, reports and theses."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .work import Work

THESIS_RE = (
    (re.compile(r"ph\.?\s*d|doctor|dr\.|dissertation", re.I), "phdthesis"),
    (re.compile(r"master|m\.?\s*sc|m\.?\s*a\b|m\.?\s*phil|diploma|diplom", re.I), "mathesis"),
    (re.compile(r"bachelor|b\.?\s*sc|b\.?\s*a\b|honou?rs", re.I), "bathesis"),
)


#: video platforms, by the host of a work's address: a @misc there is a video (APA 10.12)
VIDEO_HOSTS = {"youtube.com": "YouTube", "youtu.be": "YouTube", "vimeo.com": "Vimeo"}


HOST_RE = re.compile(r"^https?://(?:www\.|m\.)?([^/:?#]+)", re.I)


def videos(work: Work) -> None:
    """A @misc or @online entry whose address is a YouTube or Vimeo video is a video:
    "Title [Video]. YouTube. URL" with its full date (APA 10.12); the platform, named in
    ``howpublished`` or not at all, is its publisher."""
    if work.type not in ("misc", "online", "electronic", "www"):
        return
    match = HOST_RE.match(work.get("url"))
    platform = VIDEO_HOSTS.get(match.group(1).lower()) if match else None
    if platform is None or (work.get("entrysubtype") or work.get("type")):
        return
    work.type = "video"
    if work.get("howpublished").strip("{} .").lower() in ("", platform.lower()):
        work.drop("howpublished")
        work.fill("publisher", platform)


def containers(work: Work) -> None:
    """Where the work appeared, as BibTeX exporters write it: a @conference or
    @inproceedings paper with its proceedings in ``journal``; a BibTeX @inbook whose
    ``title`` is the book and ``chapter`` the chapter's title; an @unpublished manuscript
    (APA 10.8: "[Unpublished manuscript]")."""
    if work.type in ("inproceedings", "conference") and not work.get("booktitle"):
        if work.get("journaltitle"):
            work.set("booktitle", work.get("journaltitle"))
            work.drop("journaltitle")
    chapter = work.get("chapter")
    if work.type == "inbook" and chapter and not chapter.isdigit() and not work.get("booktitle"):
        work.set("booktitle", work.get("title"))
        work.set("title", chapter)
        work.drop("chapter")
    if work.type == "periodical" and work.get("journaltitle") and work.get("issuetitle"):
        # biblatex-apa's special issue or section of a journal (APA 10.1): "Title [Special
        # issue]. Journal, 73(4)." under its editors
        work.type = "article"
        work.fill("type", work.get("issuetitle"))
        work.drop("issuetitle")
    if work.type == "unpublished":
        work.drop("pages")  # a manuscript is cited whole
        submitted = work.get("pubstate").lower() == "submitted"
        if submitted:
            work.drop("pubstate")
            work.drop("journaltitle")  # APA does not name the journal it was sent to
        if not work.get("type") and (submitted or not (work.get("url") or work.get("doi"))):
            # online, a manuscript is informally published and needs no description
            work.set("type", "Manuscript submitted for publication" if submitted
                     else "Unpublished manuscript")


#: report ``type`` values that are BibTeX entry types, as some exporters fill it
REPORT_TYPES = {"techreport": "Technical Report", "report": "Report", "manual": "Manual"}


def report_type(work: Work) -> None:
    if work.type not in ("report", "techreport"):
        return
    if work.get("type").lower() in REPORT_TYPES:
        work.set("type", REPORT_TYPES[work.get("type").lower()])
    series = work.get("series")
    if series and not work.get("number") and re.fullmatch(r"[A-Za-z]*[-/]?\S*\d\S*", series):
        # "series = {GSA-2019-02}": the report's number, where exporters put it
        work.set("number", series)
        work.drop("series")


def thesis(work: Work) -> None:
    """Thesis types as exporters write them; Mendeley's university in ``publisher`` and
    database in ``journal`` ("ProQuest Dissertations and Theses") put where APA 10.6 has
    them: "[Doctoral dissertation, University]. Database."."""
    if work.type not in ("thesis", "phdthesis", "mastersthesis"):
        return
    database = work.get("journaltitle")
    if database and not work.get("institution") and work.get("publisher"):
        work.set("institution", work.get("publisher"))
        work.drop("publisher")
    if database:
        work.fill("publisher", database)
        work.drop("journaltitle")
    value = work.get("type")
    if not value or value.lower() in ("phdthesis", "mathesis", "mastersthesis", "bathesis",
                                      "candthesis"):
        return
    for pattern, name in THESIS_RE:
        if pattern.search(value):
            work.set("type", name)
            return
