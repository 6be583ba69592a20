"""Metadata for machines in the ``<head>`` of every article page.

- Highwire Press ``citation_*`` tags, which Google Scholar indexes and Zotero reads: title,
  each author (with ORCID and affiliation), date, the magazine as journal, PDF, DOI, and one
  ``citation_reference`` per Works Cited entry.
- Dublin Core ``DC.*`` tags, from the same values.
- Open Graph ``article:*`` and Twitter card tags; sphinxext-opengraph writes the ``og:*``
  tags, told here the article's type, summary and lead image.
- schema.org JSON-LD: a ``ScholarlyArticle`` (``NewsArticle`` in the columns named by
  ``magazine_news_columns``) with its Works Cited as ``citation``; an article of an issue
  ``isPartOf`` a ``PublicationIssue`` of a ``PublicationVolume`` of the ``Periodical``.

The date is the article's publication date (:func:`magazine.issues.published`), and an
article of an issue has ``citation_volume`` and ``citation_issue`` too.

Every value is escaped: attributes through markupsafe, the JSON-LD with ``<``, ``>`` and
``&`` written as ``\\u`` escapes, so no bib field or front matter can end the ``<script>``.
A page needs only its own record and its own Works Cited entries.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from . import links, records, schedule
from .citetools import works_cited_entries
from .dois import doi_url
from .frontmatter import FrontMatter, is_article
from .issues import Placement, domain, published
from .licenses import LICENSES

if TYPE_CHECKING:
    from docutils import nodes
    from pybtex.database import Entry
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

#: CSL type -> schema.org type, for the works an article cites
SCHEMA_TYPES = {
    "article-journal": "ScholarlyArticle",
    "article-magazine": "Article",
    "paper-conference": "ScholarlyArticle",
    "book": "Book",
    "chapter": "Chapter",
    "report": "Report",
    "thesis": "Thesis",
    "webpage": "WebPage",
    "dataset": "Dataset",
    "software": "SoftwareSourceCode",
    "motion_picture": "Movie",
    "song": "AudioObject",
    "personal_communication": "Message",
}


@dataclass(frozen=True)
class ArticlePage:
    """What the tags say about one article page; absolute URLs throughout."""

    record: FrontMatter
    url: str
    site_url: str
    pdf_url: str
    journal: str
    language: str
    schema_type: str
    works_cited: tuple[tuple[str, Entry], ...]
    placement: Placement | None = None

    @property
    def license_url(self) -> str:
        return LICENSES[self.record.license][1]

    @property
    def image_url(self) -> str | None:
        image = self.record.image
        if image is None:
            return None
        if "://" in image.src:
            return image.src
        return self.site_url + image.src.lstrip("/")

    @property
    def doi_url(self) -> str | None:
        return doi_url(self.record.doi) if self.record.doi else None


# -- tags ------------------------------------------------------------------------------------


def tag(name: str, content: str, attribute: str = "name") -> Markup:
    return Markup('<meta {}="{}" content="{}" />').format(Markup(attribute), name, content)


def highwire_tags(page: ArticlePage) -> list[Markup]:
    record = page.record
    tags = [tag("citation_title", record.title)]
    for author in record.authors:
        tags.append(tag("citation_author", author.name))
        if author.affiliation:
            tags.append(tag("citation_author_institution", author.affiliation))
        if author.orcid:
            tags.append(tag("citation_author_orcid", f"https://orcid.org/{author.orcid}"))
    if record.date:
        tags.append(tag("citation_publication_date", record.date.replace("-", "/")))
    tags.append(tag("citation_journal_title", page.journal))
    if page.placement is not None and page.placement.issue is not None:
        tags += [tag("citation_volume", str(page.placement.volume)),
                 tag("citation_issue", str(page.placement.number))]
    tags += [
        tag("citation_language", page.language),
        tag("citation_abstract_html_url", page.url),
        tag("citation_fulltext_html_url", page.url),
        tag("citation_pdf_url", page.pdf_url),
    ]
    if record.doi:
        tags.append(tag("citation_doi", record.doi))
    if record.keywords:
        tags.append(tag("citation_keywords", "; ".join(record.keywords)))
    tags += [tag("citation_reference", highwire_reference(e)) for _, e in page.works_cited]
    return tags


def highwire_reference(entry: Entry) -> str:
    """A cited work in Highwire's ``citation_reference`` form: ``key=value`` pairs split
    by ``;`` (so a ``;`` inside a value becomes ``,``)."""
    first, last = records.pages(entry)
    parts = [("citation_author", n.inverted) for n in records.names(entry)]
    parts += [
        ("citation_title", records.field(entry, "title")),
        ("citation_journal_title" if entry.type == "article" else "citation_publisher",
         records.container(entry) or records.field(entry, "publisher")),
        ("citation_volume", records.field(entry, "volume")),
        ("citation_issue", records.field(entry, "number", "issue")),
        ("citation_firstpage", first),
        ("citation_lastpage", last),
        ("citation_publication_date", (records.iso_date(entry) or "").replace("-", "/")),
        ("citation_doi", records.field(entry, "doi")),
        ("citation_public_url", records.field(entry, "url")),
    ]
    return "; ".join(f"{key}={value.replace(';', ',')}" for key, value in parts if value)


def dublin_core_tags(page: ArticlePage) -> list[Markup]:
    record = page.record
    tags = [
        Markup('<link rel="schema.DC" href="http://purl.org/dc/elements/1.1/" />'),
        tag("DC.title", record.title),
        *(tag("DC.creator", author.name) for author in record.authors),
    ]
    if record.date:
        tags.append(tag("DC.date", record.date))
    tags += [
        tag("DC.description", record.summary),
        *(tag("DC.subject", keyword) for keyword in record.keywords),
        tag("DC.publisher", page.journal),
        tag("DC.type", "Text"),
        tag("DC.format", "text/html"),
        tag("DC.language", page.language),
        tag("DC.rights", page.license_url),
        tag("DC.identifier", page.url),
    ]
    if page.doi_url:
        tags.append(tag("DC.identifier", page.doi_url))
    return tags


def social_tags(page: ArticlePage) -> list[Markup]:
    """Open Graph ``article:*`` and the Twitter card; ``og:*`` come from sphinxext-opengraph."""
    record = page.record
    tags = [tag("description", record.summary)]
    if record.keywords:
        tags.append(tag("keywords", ", ".join(record.keywords)))
    if record.date:
        tags.append(tag("article:published_time", record.date, "property"))
    tags += [tag("article:author", author.name, "property") for author in record.authors]
    tags.append(tag("article:section", record.column, "property"))
    tags += [tag("article:tag", keyword, "property") for keyword in record.keywords]
    card = "summary_large_image" if record.image else "summary"
    tags.append(tag("twitter:card", card))
    return tags


def opengraph_fields(page: ArticlePage) -> dict[str, str]:
    """Per-page values for sphinxext-opengraph (it reads them from the page metadata)."""
    fields = {"og:type": "article", "og:description": page.record.summary}
    if page.image_url and page.record.image:
        fields["og:image"] = page.image_url
        fields["og:image:alt"] = page.record.image.alt
    return fields


# -- JSON-LD ---------------------------------------------------------------------------------


def json_ld(page: ArticlePage) -> dict[str, Any]:
    record = page.record
    magazine: dict[str, Any] = {"@type": "Periodical", "name": page.journal,
                                "url": page.site_url}
    placement = page.placement
    if placement is not None and placement.issue is not None:
        magazine = {
            "@type": "PublicationIssue",
            "@id": page.site_url + placement.issue + ".html",
            "issueNumber": str(placement.number),
            **({"datePublished": placement.issue_date} if placement.issue_date else {}),
            "isPartOf": {"@type": "PublicationVolume", "volumeNumber": str(placement.volume),
                         "isPartOf": magazine},
        }
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": page.schema_type,
        "@id": page.url,
        "url": page.url,
        "mainEntityOfPage": page.url,
        "headline": record.title,
        "description": record.summary,
        "articleSection": record.column,
        "inLanguage": page.language,
        "isPartOf": magazine,
        "publisher": {"@type": "Organization", "name": page.journal, "url": page.site_url},
        "license": page.license_url,
        "encoding": {
            "@type": "MediaObject",
            "contentUrl": page.pdf_url,
            "encodingFormat": "application/pdf",
        },
    }
    if record.subtitle:
        data["alternativeHeadline"] = record.subtitle
    if record.authors:
        data["author"] = [person(a.name, a.orcid, a.affiliation) for a in record.authors]
    if record.date:
        data["datePublished"] = record.date
    if record.keywords:
        data["keywords"] = list(record.keywords)
    if record.image and page.image_url:
        data["image"] = {
            "@type": "ImageObject",
            "url": page.image_url,
            "description": record.image.alt,
            "creditText": record.image.credit,
        }
    if record.doi and page.doi_url:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": record.doi}
        data["sameAs"] = page.doi_url
    if page.works_cited:
        data["citation"] = [cited_work(key, entry) for key, entry in page.works_cited]
    return data


def person(name: str, orcid: str | None = None, affiliation: str | None = None) -> dict:
    data: dict[str, Any] = {"@type": "Person", "name": name}
    if orcid:
        data["identifier"] = f"https://orcid.org/{orcid}"
    if affiliation:
        data["affiliation"] = {"@type": "Organization", "name": affiliation}
    return data


def cited_work(key: str, entry: Entry) -> dict[str, Any]:
    csl = records.to_csl(key, entry)
    data: dict[str, Any] = {
        "@type": SCHEMA_TYPES.get(csl["type"], "CreativeWork"),
        "name": csl.get("title", ""),
    }
    authors = records.names(entry)
    if authors:
        data["author"] = [person(n.natural) for n in authors]
    date = records.iso_date(entry)
    if date:
        data["datePublished"] = date
    if csl.get("container-title"):
        data["isPartOf"] = {"@type": "CreativeWork", "name": csl["container-title"]}
    if csl.get("publisher"):
        data["publisher"] = {"@type": "Organization", "name": csl["publisher"]}
    if csl.get("DOI"):
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": csl["DOI"]}
        data["sameAs"] = doi_url(csl["DOI"])
    if csl.get("URL"):
        data["url"] = csl["URL"]
    return data


def script_json(data: Any) -> Markup:
    """JSON for a ``<script>`` element: ``<``, ``>`` and ``&`` escaped, so that no value can
    close the element or open a comment."""
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(char, escape)
    return Markup('<script type="application/ld+json">\n{}\n</script>').format(Markup(text))


# -- the handler -----------------------------------------------------------------------------


def article_page(app: Sphinx, pagename: str) -> ArticlePage | None:
    if not is_article(app.env, pagename):
        return None
    record = published(app.env, pagename)
    if record is None:
        return None
    config = app.config
    news = record.column in config.magazine_news_columns
    return ArticlePage(
        record=record,
        url=links.absolute(config, app.builder.get_target_uri(pagename)),
        site_url=links.site_url(config),
        pdf_url=links.absolute(config, links.pdf_path(config, pagename)),
        journal=config.project,
        language=config.language or "en",
        schema_type="NewsArticle" if news else "ScholarlyArticle",
        works_cited=tuple(works_cited_entries(app.env, pagename)),
        placement=domain(app.env).placement(pagename),
    )


def add_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None
) -> None:
    """``html-page-context``: the article's tags into ``metatags``, its Open Graph values
    into the page metadata that sphinxext-opengraph reads next."""
    page = article_page(app, pagename) if doctree is not None else None
    if page is None:
        return
    tags = [*highwire_tags(page), *dublin_core_tags(page), *social_tags(page)]
    added = "\n".join([*tags, script_json(json_ld(page))])
    context["metatags"] = f"{context.get('metatags', '')}{added}\n"
    context["meta"] = {**(context.get("meta") or {}), **opengraph_fields(page)}


def setup(app: Sphinx) -> ExtensionMetadata:
    # before sphinxext-opengraph (500), which reads the Open Graph values from the metadata
    app.connect("html-page-context", add_metadata, priority=schedule.METADATA)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
