"""Markup that WCAG 2.1 AA checkers (axe-core) refuse, written right at the source.

docutils writes a citation list as ``<div role="list">`` holding ``role="doc-biblioentry"``
entries: the DPUB-ARIA role is deprecated, and a list whose children are not list items
is an error for assistive technology. The magazine writes each entry as a list item;
the entries keep their class (``citation``, and ``works-cited-entry`` from
:mod:`.workscited`) and their ids, so links and styles are unchanged.

An article card's title (:mod:`.listing`: a paragraph of class ``article-card-title``) is
set large and bold like a heading, and axe-core's ``p-as-heading`` (WCAG 1.3.1) asks for it
to be one: it is written as a heading with the same class, one level below the section it
is in (``<h2>`` on a column page, ``<h3>`` under the front page's "Online first"), so that
screen readers can move from card to card by heading and no level is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata
    from sphinx.writers.html5 import HTML5Translator


def visit_citation(self: HTML5Translator, node: nodes.citation) -> None:
    if not isinstance(node.previous_sibling(), nodes.citation):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self: HTML5Translator, node: nodes.citation) -> None:
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), nodes.citation):
        self.body.append("</div>\n")


#: paragraphs that are headings to the eye, written as headings
HEADING_CLASSES = frozenset({"article-card-title"})


def _heading(self: HTML5Translator, node: nodes.paragraph) -> str | None:
    """``h<N>`` for such a paragraph: one level below its section's heading."""
    if not HEADING_CLASSES.intersection(node["classes"]):
        return None
    return f"h{min(max(self.section_level, 1) + 1, 6)}"


def visit_paragraph(self: HTML5Translator, node: nodes.paragraph) -> None:
    tag = _heading(self, node)
    if tag is None:
        type(self).visit_paragraph(self, node)
        return
    self.body.append(self.starttag(node, tag, ""))


def depart_paragraph(self: HTML5Translator, node: nodes.paragraph) -> None:
    tag = _heading(self, node)
    if tag is None:
        type(self).depart_paragraph(self, node)
        return
    self.body.append(f"</{tag}>\n")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(nodes.paragraph, override=True, html=(visit_paragraph, depart_paragraph))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
