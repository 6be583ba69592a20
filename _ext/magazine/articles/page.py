"""The magazine's own pages, part by part, as nodes: an article's header (kicker, subtitle,
summary, byline, lead image), its Works Cited list, an issue page's header and cover, and
the web edition's pieces written from the magazine's records (the meta line, the Cite box,
the downloads, the issue navigation).

This module is the one place that makes these parts and finds them again. Each is a
subclass of the docutils node it is drawn as, so Sphinx's HTML translator, which looks up
a visitor along the node's classes, writes it exactly as that node; the PDF and JATS
translators give each part a visitor of its own (``visit_article_header``, ...). Other
modules place their parts with :func:`add_to_header`, :func:`add_after_header` and
:func:`add_after_text`, in the order :data:`HEADER` and :data:`ENDING` give, whichever
handler runs first, and find them with :func:`header` and :func:`works_cited_section`,
never by a CSS class.
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


# -- the order of the parts ---------------------------------------------------------------------

#: an article header's parts, in the order the page shows them, whichever handler adds a
#: part first (the web edition's lines are added when each page is written)
HEADER = (SUBTITLE, SUMMARY, BYLINE, ISSUE_LINE, META_LINE, PDF_LINK, LEAD_IMAGE) = (
    "subtitle", "summary", "byline", "issue line", "meta line", "PDF link", "lead image")
#: what follows an article's text, in order: its neighbours in the issue, the Cite box, the
#: Works Cited section (with its downloads at its end), the versions
ENDING = (ISSUE_NAV, CITE_BOX, WORKS_CITED, VERSIONS) = (
    "issue navigation", "Cite box", "Works Cited", "versions")
#: the attribute that names a node's part (docutils writes no attribute a writer does not ask for)
PART = "magazine_part"


def _placed(node: nodes.Element, part: str) -> nodes.Element:
    node[PART] = part
    return node


def _insert_in_order(parent: nodes.Element, node: nodes.Element, part: str,
                     order: tuple[str, ...]) -> None:
    rank = order.index(part)
    at = next((i for i, child in enumerate(parent.children)
               if isinstance(child, nodes.Element) and child.get(PART) in order
               and order.index(child[PART]) > rank), len(parent.children))
    parent.insert(at, _placed(node, part))


# -- making the article's parts ----------------------------------------------------------------


def headline_kicker(title: nodes.title, column: str) -> None:
    """The column's name before the headline's text, and a separator for screen readers."""
    title.insert(0, hidden("", ": ", classes=["visually-hidden"]))
    title.insert(0, kicker("", column, classes=["article-column"]))


def new_header(subtitle: str, summary: str, byline: nodes.paragraph | None) -> article_header:
    made = article_header(classes=["article-header"])
    if subtitle:
        made += _placed(nodes.paragraph("", subtitle, classes=["article-subtitle"]), SUBTITLE)
    made += _placed(nodes.paragraph("", summary, classes=["article-summary"]), SUMMARY)
    if byline is not None:
        made += _placed(byline, BYLINE)
    return made


def new_byline(*parts: nodes.Node) -> nodes.paragraph:
    return nodes.paragraph("", "", *parts, classes=["article-byline"])


def new_lead_image(src: str, alt: str, credit: str) -> lead_image:
    figure = _placed(lead_image(ids=["lead-image"], classes=["article-lead-image"]), LEAD_IMAGE)
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
    if isinstance(made.parent, nodes.section):
        _placed(made.parent, WORKS_CITED)
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


def add_to_header(found: article_header, node: nodes.Element, part: str) -> None:
    """``node``, the header's ``part`` (one of :data:`HEADER`), in its place."""
    _insert_in_order(found, node, part, HEADER)


def add_after_text(section: nodes.section, node: nodes.Element, part: str) -> None:
    """``node``, the ``part`` of the article's ending (one of :data:`ENDING`), in its place
    after the text."""
    _insert_in_order(section, node, part, ENDING)


def add_after_header(section: nodes.section, node: nodes.Element) -> None:
    """``node`` right under the header (an article's notices)."""
    found = next((n for n in section.children if isinstance(n, article_header)), None)
    section.insert(section.index(found) + 1 if found is not None else 1, node)


PARTS = (article_header, issue_header, kicker, hidden, lead_image, issue_cover, works_cited,
         web_part)


def setup(app: Sphinx) -> ExtensionMetadata:
    # registered with docutils, so that its visitors that copy or filter a tree (the titles
    # Sphinx collects, the tables of contents) know each part; Sphinx's translators find a
    # part's visitor along its classes, the HTML one the node's it is drawn as
    for part in PARTS:
        app.add_node(part)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
