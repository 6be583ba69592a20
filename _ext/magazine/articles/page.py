"""The magazine's own pages, part by part, as nodes: an article's header (kicker, subtitle,
summary, byline, lead image), its Works Cited list, an issue page's header and cover, and
the web edition's pieces written from the magazine's records (the meta line, the Cite box,
the downloads, the issue navigation).

This module is the one place that makes these parts and finds them again. Each is a
subclass of the docutils node it is drawn as, so Sphinx's HTML translator, which looks up
a visitor along the node's classes, writes it exactly as that node; the PDF and JATS
translators give each part a visitor of its own (``visit_article_header``, ...). Other
modules place their parts with :func:`add_to_header` and :func:`add_before_works_cited`
and find them with :func:`header` and :func:`works_cited_section`, never by a CSS class.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from markupsafe import Markup
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


class article_header(nodes.container):
    """What stands between an article's headline and its text: subtitle, summary, byline,
    the meta and issue lines (web), the PDF link (web), the lead image."""


class issue_header(nodes.container):
    """An issue page's date line, editors and cover (the PDF's cover page shows them)."""


class kicker(nodes.inline):
    """The column's name, at the start of the headline."""


class hidden(nodes.inline):
    """Text for screen readers only (the ": " between kicker and headline)."""


class lead_image(nodes.figure):
    """An article's lead image with its credit."""


class issue_cover(nodes.figure):
    """An issue's cover with its credit."""


class works_cited(nodes.container):
    """An article's Works Cited list, once sphinxcontrib-bibtex has filled it."""


class web_part(nodes.raw):
    """A part only the web edition shows, its HTML written by the magazine from its records
    with every value escaped (markupsafe), never taken from a contributor's markup: no
    directive or role makes one, so the safety transform (``gate/safety``) lets it pass
    whenever it runs, while it turns every other raw node into text. The PDF and JATS
    translators leave it out (``visit_web_part``)."""

    def __init__(self, html: Markup, *, searchable: bool = False) -> None:
        super().__init__("", html, format="html", classes=[] if searchable else ["no-search"])


#: the classes the article header's paragraphs are made with, which the PDF's design styles
HEADER_LINES = ("article-subtitle", "article-summary", "article-byline")


def styled_line(node: nodes.paragraph) -> tuple[str, ...]:
    """The header line(s) a paragraph is, as the PDF's design names them; () for others."""
    return tuple(sorted(set(HEADER_LINES).intersection(node["classes"])))


# -- making the article's parts ----------------------------------------------------------------


def headline_kicker(title: nodes.title, column: str) -> None:
    """The column's name before the headline's text, and a separator for screen readers."""
    title.insert(0, hidden("", ": ", classes=["visually-hidden"]))
    title.insert(0, kicker("", column, classes=["article-column"]))


def new_header(subtitle: str, summary: str, byline: nodes.paragraph | None) -> article_header:
    made = article_header(classes=["article-header"])
    if subtitle:
        made += nodes.paragraph("", subtitle, classes=["article-subtitle"])
    made += nodes.paragraph("", summary, classes=["article-summary"])
    if byline is not None:
        made += byline
    return made


def new_byline(*parts: nodes.Node) -> nodes.paragraph:
    return nodes.paragraph("", "", *parts, classes=["article-byline"])


def new_lead_image(src: str, alt: str, credit: str) -> lead_image:
    figure = lead_image(ids=["lead-image"], classes=["article-lead-image"])
    figure += nodes.image(uri=src, alt=alt)
    figure += nodes.caption("", credit, classes=["image-credit"])
    return figure


def new_issue_header() -> issue_header:
    return issue_header(classes=["issue-header"])


def new_issue_cover(src: str, alt: str, credit: str) -> issue_cover:
    figure = issue_cover(ids=["issue-cover"], classes=["issue-cover-figure"])
    figure += nodes.image(uri=src, alt=alt)
    figure += nodes.caption("", credit, classes=["image-credit"])
    return figure


def mark_works_cited(container: nodes.container) -> works_cited:
    """The container sphinxcontrib-bibtex filled with an article's citations, made the
    Works Cited list (in place; its attributes and entries kept)."""
    if isinstance(container, works_cited):
        return container
    made = works_cited(rawsource=container.rawsource, **container.attributes)
    made["classes"] = [*container["classes"], "works-cited"]
    made.source, made.line = container.source, container.line
    made.extend(container.children)
    container.replace_self(made)
    return made


# -- finding and placing them ------------------------------------------------------------------


def header(doctree: nodes.Element) -> article_header | None:
    return next(iter(doctree.findall(article_header)), None)


def the_issue_header(doctree: nodes.Element) -> issue_header | None:
    return next(iter(doctree.findall(issue_header)), None)


def works_cited_list(doctree: nodes.Element) -> works_cited | None:
    return next(iter(doctree.findall(works_cited)), None)


def works_cited_section(doctree: nodes.Element) -> nodes.section | None:
    """The section holding the Works Cited list, once the list is filled."""
    for found in doctree.findall(works_cited):
        if isinstance(found.parent, nodes.section):
            return found.parent
    return None


def in_works_cited(node: nodes.Node) -> bool:
    """Whether ``node`` is part of a Works Cited list (or of the section named so)."""
    parent = node.parent
    while parent is not None:
        if isinstance(parent, works_cited) or "works-cited" in parent.get("ids", ()):
            return True
        parent = parent.parent
    return False


def add_to_header(found: article_header, part: nodes.Node) -> None:
    """``part`` at the end of the header's text, before the lead image."""
    figure = next((i for i, n in enumerate(found.children) if isinstance(n, lead_image)), None)
    found.insert(len(found.children) if figure is None else figure, part)


def add_before_works_cited(section: nodes.section, part: nodes.Node) -> None:
    """``part`` at the end of the article's text: before the Works Cited section, if any."""
    later = next((i for i, n in enumerate(section.children) if isinstance(n, nodes.section)
                  and works_cited_list(n) is not None), None)
    section.insert(len(section.children) if later is None else later, part)


PARTS = (article_header, issue_header, kicker, hidden, lead_image, issue_cover, works_cited,
         web_part)


def setup(app: Sphinx) -> ExtensionMetadata:
    # registered with docutils, so that its visitors that copy or filter a tree (the titles
    # Sphinx collects, the tables of contents) know each part; Sphinx's translators find a
    # part's visitor along its classes, the HTML one the node's it is drawn as
    for part in PARTS:
        app.add_node(part)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
