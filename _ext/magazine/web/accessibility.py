"""Markup that WCAG 2.1 AA checkers (axe-core) refuse, written right at the source.

docutils writes a citation list as ``<div role="list">`` holding ``role="doc-biblioentry"``
entries: the DPUB-ARIA role is deprecated, and a list whose children are not list items
is an error for assistive technology. The magazine writes each entry as a list item;
the entries keep their class (``citation``, and ``works-cited-entry`` from
:mod:`..citations.workscited`) and their ids, so links and styles are unchanged.

An article card's title (:class:`.listing.card_title`, a paragraph to other builders) is
set large and bold like a heading, and axe-core's ``p-as-heading`` (WCAG 1.3.1) asks for it
to be one: it is written as a heading with the same class, one level below the section it
is in (``<h2>`` on a column page, ``<h3>`` under the front page's "Online first"), so that
screen readers can move from card to card by heading and no level is skipped.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes

from .listing import card_title

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


def visit_card_title(self: HTML5Translator, node: card_title) -> None:
    """A card's title as ``h<N>``: one level below its section's heading."""
    self.body.append(self.starttag(node, _heading(self), ""))


def depart_card_title(self: HTML5Translator, node: card_title) -> None:
    self.body.append(f"</{_heading(self)}>\n")


def _heading(self: HTML5Translator) -> str:
    return f"h{min(max(self.section_level, 1) + 1, 6)}"


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    app.add_node(card_title, html=(visit_card_title, depart_card_title))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
