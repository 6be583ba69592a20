"""Markup that WCAG 2.1 AA checkers (axe-core) refuse, written right at the source.

docutils writes a citation list as ``<div role="list">`` holding ``role="doc-biblioentry"``
entries: the DPUB-ARIA role is deprecated, and a list whose children are not list items
is an error for assistive technology. The magazine writes each entry as a list item;
the entries keep their class (``citation``, and ``works-cited-entry`` from
:mod:`.workscited`) and their ids, so links and styles are unchanged.
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


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_node(nodes.citation, override=True, html=(visit_citation, depart_citation))
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
