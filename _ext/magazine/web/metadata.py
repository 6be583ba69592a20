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

The date is the article's publication date (:func:`magazine.serial.issues.published`), and an
article of an issue has ``citation_volume`` and ``citation_issue`` too, and its pages
(``citation_firstpage``/``citation_lastpage``, ``pageStart``/``pageEnd``) once they are
recorded. An article without authors is credited to the house byline
(``magazine_house_byline``) wherever an author is named, as a group (a schema.org
``Organization``), or, if none is set, to no one: no surface invents a person.

The social image is the lead image drawn as a 1200 x 630 PNG (:mod:`.social`), written
beside the site as ``social/NAME.png`` and named with its size.

Every page, not only articles, gets a description for search snippets (the summary, the
magazine's ``magazine_description``, a column's or an issue's own), the front page's title
is the magazine's name alone, the search, index and 404 pages ask not to be indexed, and
only one ``viewport`` tag is left in the head (docutils adds a second one).

Every value is escaped: attributes through markupsafe, the JSON-LD with ``<``, ``>`` and
``&`` written as ``\\u`` escapes, so no bib field or front matter can end the ``<script>``.
A page needs only its own record and its own Works Cited entries.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .. import schedule
from ..articles.frontmatter import FrontMatter, articles_domain, is_article
from ..articles.licenses import LICENSES
from ..citations import records
from ..citations.citetools import works_cited_entries
from ..gate.images import Limits, image_problem
from ..registration.dois import doi_url, issns
from ..serial.issues import Placement, domain, is_issue, published
from ..serial.notices import anchor, shown_title
from . import links, social
from .listing import ARCHIVE

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
    #: who an article without authors is credited to (``magazine_house_byline``), or ""
    house_byline: str = ""
    #: the social image, relative to the site root, if the article has a lead image
    social_image: str | None = None
    #: the magazine's ISSNs (magazine_issn, magazine_print_issn), the online one first
    issns: tuple[str, ...] = ()
    #: the article as JATS XML (magazine.jats; only with an ISSN)
    jats_url: str | None = None

    @property
    def credits(self) -> list[str]:
        """The names an author field takes: the authors, else the house byline, else none."""
        names = [author.name for author in self.record.authors]
        return names or ([self.house_byline] if self.house_byline else [])

    @property
    def pages(self) -> tuple[int, int] | None:
        """(first, last) page in the issue, once recorded."""
        placement = self.placement
        if placement is None or placement.issue is None or placement.first_page is None:
            return None
        return placement.first_page, placement.last_page or placement.first_page

    @property
    def license_url(self) -> str:
        return LICENSES[self.record.license][1]

    @property
    def image_url(self) -> str | None:
        """The social image's address (the lead image drawn as a PNG)."""
        if self.record.image is None or self.social_image is None:
            return None
        return self.site_url + self.social_image

    @property
    def doi_url(self) -> str | None:
        return doi_url(self.record.doi) if self.record.doi else None


# -- tags ------------------------------------------------------------------------------------


def tag(name: str, content: str, attribute: str = "name") -> Markup:
    return Markup('<meta {}="{}" content="{}" />').format(Markup(attribute), name, content)


def highwire_tags(page: ArticlePage) -> list[Markup]:
    record = page.record
    # Highwire has no tag for a correction or an expression of concern (Google Scholar reads
    # none): the notices are on the page and in the JSON-LD. A retraction is in the title,
    # "Retracted: ...", as many journals give it, so that every index that shows it says so.
    tags = [tag("citation_title", shown_title(record))]
    for author in record.authors:
        tags.append(tag("citation_author", author.name))
        if author.affiliation:
            tags.append(tag("citation_author_institution", author.affiliation))
        if author.orcid:
            tags.append(tag("citation_author_orcid", f"https://orcid.org/{author.orcid}"))
    if not record.authors and page.house_byline:
        tags.append(tag("citation_author", page.house_byline))
    if record.date:
        tags.append(tag("citation_publication_date", record.date.replace("-", "/")))
    tags.append(tag("citation_journal_title", page.journal))
    tags += [tag("citation_issn", issn) for issn in page.issns]
    if page.placement is not None and page.placement.issue is not None:
        tags += [tag("citation_volume", str(page.placement.volume)),
                 tag("citation_issue", str(page.placement.number))]
    if page.pages is not None:
        tags += [tag("citation_firstpage", str(page.pages[0])),
                 tag("citation_lastpage", str(page.pages[1]))]
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
        tag("DC.title", shown_title(record)),
        *(tag("DC.creator", name) for name in page.credits),
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
    tags += [tag("article:author", name, "property") for name in page.credits]
    tags.append(tag("article:section", record.column, "property"))
    tags += [tag("article:tag", keyword, "property") for keyword in record.keywords]
    card = "summary_large_image" if page.image_url else "summary"
    tags.append(tag("twitter:card", card))
    if page.image_url and record.image:
        tags += [tag("twitter:image", page.image_url), tag("twitter:image:alt", record.image.alt)]
    return tags


def opengraph_fields(page: ArticlePage) -> dict[str, str]:
    """Per-page values for sphinxext-opengraph (it reads them from the page metadata)."""
    fields = {"og:type": "article", "og:description": page.record.summary}
    if page.image_url and page.record.image:
        fields["og:image"] = page.image_url
        fields["og:image:type"] = "image/png"
        fields["og:image:width"], fields["og:image:height"] = (str(n) for n in social.SIZE)
        fields["og:image:alt"] = page.record.image.alt
    return fields


# -- JSON-LD ---------------------------------------------------------------------------------


def json_ld(page: ArticlePage) -> dict[str, Any]:
    record = page.record
    magazine: dict[str, Any] = {"@type": "Periodical", "name": page.journal,
                                "url": page.site_url}
    if page.issns:
        magazine["issn"] = list(page.issns) if len(page.issns) > 1 else page.issns[0]
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
    if page.jats_url:
        data["encoding"] = [data["encoding"], {"@type": "MediaObject", "contentUrl":
                                               page.jats_url, "encodingFormat": links.JATS_TYPE}]
    if record.subtitle:
        data["alternativeHeadline"] = record.subtitle
    if record.authors:
        data["author"] = [person(a.name, a.orcid, a.affiliation) for a in record.authors]
    elif page.house_byline:
        data["author"] = [{"@type": "Organization", "name": page.house_byline}]
    if record.date:
        data["datePublished"] = record.date
    if page.pages is not None:
        data["pageStart"], data["pageEnd"] = page.pages
        data["pagination"] = "\u2013".join(dict.fromkeys(str(n) for n in page.pages))
    if record.keywords:
        data["keywords"] = list(record.keywords)
    if record.image and page.image_url:
        data["image"] = {
            "@type": "ImageObject",
            "url": page.image_url,
            "contentUrl": page.image_url,
            "encodingFormat": "image/png",
            "width": social.SIZE[0],
            "height": social.SIZE[1],
            "description": record.image.alt,
            "creditText": record.image.credit,
        }
    if record.doi and page.doi_url:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": record.doi}
        data["sameAs"] = page.doi_url
    if page.works_cited:
        data["citation"] = [cited_work(key, entry) for key, entry in page.works_cited]
    data.update(notices_ld(page))
    return data


def notices_ld(page: ArticlePage) -> dict[str, Any]:
    """schema.org's forms of the notices: a correction is a ``CorrectionComment`` in
    ``correction``; so is a retraction (schema.org has no retraction type; its name says
    which it is), with ``creativeWorkStatus`` "Retracted"; an expression of concern, which
    corrects nothing, is a ``Comment`` in ``comment``. Each with its text, date and the
    address of its box on the page; ``dateModified`` is the newest notice's date."""
    record = page.record
    if not record.notices:
        return {}
    data: dict[str, Any] = {}
    for number, notice in enumerate(record.notices, start=1):
        item = {"@type": "Comment" if notice.type == "expression of concern"
                else "CorrectionComment", "name": notice.label, "text": notice.text,
                "datePublished": notice.date, "url": f"{page.url}#{anchor(number)}"}
        data.setdefault("comment" if item["@type"] == "Comment" else "correction",
                        []).append(item)
    data["dateModified"] = max(notice.date for notice in record.notices)
    if record.retracted:
        data["creativeWorkStatus"] = "Retracted"
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
        house_byline=config.magazine_house_byline,
        social_image=write_social_image(app, pagename, record),
        issns=tuple(value for value, _ in issns(config)),
        jats_url=links.absolute(config, links.jats_path(config, pagename))
        if issns(config) else None,
    )


def write_social_image(app: Sphinx, pagename: str, record: FrontMatter) -> str | None:
    """The lead image drawn as the social PNG into the output; its path from the site root,
    or None for an article without a lead image of the project's own."""
    if record.image is None or "://" in record.image.src:
        return None
    srcdir = Path(app.srcdir).resolve()
    source = (srcdir / record.image.src.lstrip("/")).resolve()
    if not source.is_relative_to(srcdir) or not source.is_file() or \
            image_problem(source, Limits.of(app.config)) is not None:
        return None  # refused and reported where the page was read (magazine.gate.boundary)
    fonts = [str((srcdir / p).resolve()) for p in app.config.magazine_pdf_font_paths]
    path = social.image_path(links.article_name(app.config, pagename))
    target = Path(app.outdir) / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(social.social_png(source, [f for f in fonts if f.startswith(str(srcdir))]))
    return path


def add_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None
) -> None:
    """``html-page-context``: the article's tags into ``metatags``, its Open Graph values
    into the page metadata that sphinxext-opengraph reads next."""
    page = article_page(app, pagename) if doctree is not None else None
    if page is None:
        return
    tags = [*highwire_tags(page), *dublin_core_tags(page), *social_tags(page)]
    if page.jats_url:
        tags.append(str(Markup('<link rel="alternate" type="{}" href="{}" title="JATS XML">')
                        .format(links.JATS_TYPE, page.jats_url)))
    added = "\n".join([*tags, script_json(json_ld(page))])
    context["metatags"] = f"{context.get('metatags', '')}{added}\n"
    context["meta"] = {**(context.get("meta") or {}), **opengraph_fields(page)}


# -- every page ------------------------------------------------------------------------------

#: pages that are no content of their own: search engines are asked to leave them out
NOINDEX = ("search", "genindex")
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>\n?')


def page_description(app: Sphinx, pagename: str) -> str | None:
    """What a search snippet should say of a page that is not an article."""
    config = app.config
    project = config.project
    if pagename == config.root_doc:
        return config.magazine_description or None
    if pagename.startswith("columns/"):
        records = articles_domain(app.env).articles
        columns = {links.column_page(r["column"]): r["column"] for r in records.values()}
        column = columns.get(pagename)
        return f"Every {column} article in {project}, newest first." if column else None
    if is_issue(app.env, pagename):
        issue = domain(app.env).issue(pagename)
        if issue is None:
            return None
        return issue.excerpt or f"{issue.heading} of {project}: its editorial and contents."
    if pagename == ARCHIVE:
        return f"Every published issue of {project}, by volume, with its cover."
    if pagename == "search":
        return f"Search every article of {project}."
    if pagename == "genindex":
        return f"The index of {project}."
    if pagename == config.notfound_pagename:
        return f"There is no page of {project} at this address."
    return None


def add_page_metadata(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None
) -> None:
    """``html-page-context``, every page: the description of a page that is not an
    article, the front page's title, ``noindex`` where there is nothing to index, and a
    single viewport tag."""
    config = app.config
    metatags = _VIEWPORT.sub("", context.get("metatags", ""))
    added = []
    description = None if is_article(app.env, pagename) else page_description(app, pagename)
    if description:
        added.append(tag("description", description))
        context["meta"] = {**(context.get("meta") or {}), "og:description": description}
    if pagename in NOINDEX or pagename == config.notfound_pagename:
        added.append(tag("robots", "noindex"))
    if pagename == config.root_doc:
        context["titlesuffix"] = ""
    context["metatags"] = metatags + "".join(f"{t}\n" for t in added)


def remove_theme_templates(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: pydata-sphinx-theme keeps a Jinja template among its static
    files (``webpack-macros.html``), which Sphinx copies to ``_static/`` as if it were a page;
    no page of the site lives there, so every ``.html`` file in it is removed."""
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    for path in sorted(static.glob("*.html")):
        path.unlink()


def setup(app: Sphinx) -> ExtensionMetadata:
    # before sphinxext-opengraph (500), which reads the Open Graph values from the metadata
    app.connect("html-page-context", add_metadata, priority=schedule.METADATA)
    app.connect("html-page-context", add_page_metadata, priority=schedule.METADATA)
    app.connect("build-finished", remove_theme_templates)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
