"""A test-only extension: a directive whose node no builder knows."""

from __future__ import annotations

from docutils import nodes
from sphinx.util.docutils import SphinxDirective


class mystery(nodes.General, nodes.Element):
    pass


class MysteryDirective(SphinxDirective):
    has_content = True

    def run(self) -> list[nodes.Node]:
        node = mystery()
        self.set_source_info(node)
        node += nodes.paragraph("", "\n".join(self.content))
        return [node]


def setup(app):
    app.add_node(mystery)
    app.add_directive("mystery", MysteryDirective)
    return {"parallel_read_safe": True}
