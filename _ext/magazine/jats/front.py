"""The parts of a JATS article that come from records, not from the text: ``<front>``
(journal-meta and article-meta, from the magazine's settings, the article's published
record and its placement) and the ``<ref-list>`` of ``<back>`` (from the Works Cited
entries, each with its rendered APA text). Every value goes in through lxml."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lxml import etree

from ..articles.licenses import LICENSES
from ..citations.records import container, date_parts, field, names, pages
from ..registration.dois import magazine_token
from ..registration.xmlcheck import element
from .translator import ALI, XLINK, xml_id

if TYPE_CHECKING:
    from pybtex.database import Entry

    from ..articles.frontmatter import FrontMatter
    from ..serial.issues import Placement

#: bib entry types and the JATS publication-type of their citations
PUBLICATION_TYPES = {
    "article": "journal", "book": "book", "inbook": "book", "incollection": "book",
    "online": "webpage", "report": "report", "techreport": "report", "thesis": "thesis",
    "phdthesis": "thesis", "mastersthesis": "thesis", "inproceedings": "confproc",
    "software": "software", "dataset": "data",
}


@dataclass(frozen=True)
class Journal:
    title: str
    publisher: str
    issns: tuple[tuple[str, str], ...]  # (value, "electronic" or "print")


sub = element  # a JATS element under its parent, its text set through lxml

def href(value: str) -> dict[str, str]:
    return {f"{{{XLINK}}}href": value}


def journal_meta(parent: etree._Element, journal: Journal) -> None:
    meta = sub(parent, "journal-meta")
    sub(meta, "journal-id", magazine_token(journal.title), **{"journal-id-type": "publisher-id"})
    sub(sub(meta, "journal-title-group"), "journal-title", journal.title)
    for value, media in journal.issns:
        sub(meta, "issn", value, **{"publication-format": media})
    sub(sub(meta, "publisher"), "publisher-name", journal.publisher)


#: a notice's type and the related-article-type the noticed article points to it with
#: (JATS4R's "-forward" relations: from the article to what updates it)
FORWARD = {"correction": "correction-forward", "retraction": "retraction-forward",
           "expression of concern": "expression-of-concern-forward"}


def article_meta(parent: etree._Element, record: FrontMatter, placement: Placement | None,
                 urls: dict[str, str], house_byline: str,
                 notices: list[dict] = ()) -> None:  # type: ignore[assignment]
    meta = sub(parent, "article-meta")
    if record.doi:
        sub(meta, "article-id", record.doi, **{"pub-id-type": "doi"})
    subjects = sub(sub(meta, "article-categories"), "subj-group",
                   **{"subj-group-type": "heading"})
    sub(subjects, "subject", record.column)
    titles = sub(meta, "title-group")
    sub(titles, "article-title", record.title)
    if record.subtitle:
        sub(titles, "subtitle", record.subtitle)
    contributors(meta, record, house_byline)
    if record.date:
        day = dt.date.fromisoformat(record.date)
        date = sub(meta, "pub-date", **{"publication-format": "electronic", "date-type": "pub"})
        sub(date, "day", f"{day.day:02d}")
        sub(date, "month", f"{day.month:02d}")
        sub(date, "year", str(day.year))
    if placement is not None and placement.issue is not None:
        sub(meta, "volume", str(placement.volume))
        sub(meta, "issue", str(placement.number))
        if placement.first_page is not None:
            sub(meta, "fpage", str(placement.first_page))
            sub(meta, "lpage", str(placement.last_page or placement.first_page))
    name, deed = LICENSES[record.license]
    permissions = sub(meta, "permissions")
    licence = sub(permissions, "license", **href(deed))
    sub(licence, f"{{{ALI}}}license_ref", deed)
    sub(licence, "license-p", f"This article is published under the {name} licence.")
    sub(meta, "self-uri", **href(urls["html"]))
    sub(meta, "self-uri", **{"content-type": "pdf"}, **href(urls["pdf"]))
    for notice in notices:  # each notice registered with a DOI of its own (magazine.registration.crossref)
        if notice.get("doi"):
            sub(meta, "related-article", **{"related-article-type": FORWARD[notice["type"]],
                                            "ext-link-type": "doi"}, **href(notice["doi"]))
    sub(sub(meta, "abstract"), "p", record.summary)
    if record.keywords:
        group = sub(meta, "kwd-group", **{"kwd-group-type": "author"})
        for keyword in record.keywords:
            sub(group, "kwd", keyword)


def contributors(parent: etree._Element, record: FrontMatter, house_byline: str) -> None:
    from pybtex.database import Person  # noqa: PLC0415

    if not record.authors and not house_byline:
        return
    group = sub(parent, "contrib-group")
    if not record.authors:
        sub(sub(group, "contrib", **{"contrib-type": "author"}), "collab", house_byline)
        return
    for author in record.authors:
        contrib = sub(group, "contrib", **{"contrib-type": "author"})
        if author.orcid:
            sub(contrib, "contrib-id", "https://orcid.org/" + author.orcid.rsplit("/", 1)[-1],
                **{"contrib-id-type": "orcid"})
        person = Person(author.name)
        name = sub(contrib, "name")
        sub(name, "surname", " ".join(person.prelast_names + person.last_names) or author.name)
        given = " ".join(person.first_names + person.middle_names)
        if given:
            sub(name, "given-names", given)
        if author.affiliation:
            sub(sub(contrib, "aff"), "institution", author.affiliation)


def ref_list(parent: etree._Element, title: str,
             works: list[tuple[str, Entry, str, etree._Element | None]]) -> None:
    """Each work as a ``<ref>``: its fields as an ``<element-citation>``, and the APA text
    the article shows as a ``<mixed-citation>`` (``works``: key, entry, node id, text)."""
    refs = sub(parent, "ref-list")
    sub(refs, "title", title)
    for key, entry, node_id, mixed in works:
        ref = sub(refs, "ref", id=xml_id(node_id or f"ref-{key}"))
        element_citation(ref, entry)
        if mixed is not None:
            ref.append(mixed)


def element_citation(parent: etree._Element, entry: Entry) -> None:
    citation = sub(parent, "element-citation",
                   **{"publication-type": PUBLICATION_TYPES.get(entry.type, "other")})
    authors = names(entry)
    if authors:
        group = sub(citation, "person-group", **{"person-group-type": "author"})
        for person in authors:
            if not person.given and " " in person.family:
                sub(group, "collab", person.family)  # a group author: {World Bank}
                continue
            name = sub(group, "name")
            sub(name, "surname", person.family)
            if person.given:
                sub(name, "given-names", person.given)
    parts = date_parts(entry)
    if parts:
        sub(citation, "year", str(parts[0]))
    title = field(entry, "title")
    source = container(entry)
    if source:
        if title:
            sub(citation, "article-title" if entry.type == "article" else "part-title", title)
        sub(citation, "source", source)
    elif title:
        sub(citation, "source", title)
    for tag, value in (("volume", field(entry, "volume")),
                       ("issue", field(entry, "number", "issue"))):
        if value:
            sub(citation, tag, value)
    first, last = pages(entry, article_number=False)
    if first:
        sub(citation, "fpage", first)
        if last:
            sub(citation, "lpage", last)
    if eid := field(entry, "eid"):
        sub(citation, "elocation-id", eid)
    if publisher := field(entry, "publisher"):
        sub(citation, "publisher-name", publisher)
    if doi := field(entry, "doi"):
        sub(citation, "pub-id", doi, **{"pub-id-type": "doi"})
    if url := field(entry, "url"):
        sub(citation, "ext-link", url, **{"ext-link-type": "uri"}, **href(url))


def notes(parent: etree._Element, notices: list[dict]) -> None:
    """The corrections, expressions of concern and retractions as the front's one
    ``<notes>``: a ``<sec>`` each, oldest first, with its type, date and text (the article
    page shows them too)."""
    if not notices:
        return
    element = sub(parent, "notes", **{"notes-type": "publication-notices"})
    sub(element, "title", "Notices")
    for notice in notices:
        section = sub(element, "sec", id=notice["anchor"],
                      **{"sec-type": notice["type"].replace(" ", "-")})
        sub(section, "title", f"{notice['label']} ({notice['date']})")
        sub(section, "p", notice["text"])
