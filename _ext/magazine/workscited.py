"""The Works Cited list at the end of every article that cites.

Contributors only cite (``{cite:p}`key```); at ``source-read`` this module appends a
"Works Cited" section holding a sphinxcontrib-bibtex ``bibliography`` directive restricted
to the entries that this article cites. After sphinxcontrib-bibtex has filled the list in,
a post-transform drops the bracketed labels that a citation list would otherwise show,
because an APA reference list begins with the author, not a label.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .frontmatter import is_article
from .warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

CITE_ROLE_RE = re.compile(r"\{cite(?::[a-z]+)?\}`")
OWN_BIBLIOGRAPHY_RE = re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\s*\{bibliography\}", re.MULTILINE)

SECTION = """

## {title}

```{{bibliography}}
:filter: docname in docnames
```
"""


def cites(source: str) -> bool:
    return CITE_ROLE_RE.search(source) is not None


def add_works_cited(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: append the Works Cited section to an article that cites."""
    if not is_article(app.env, docname):
        return
    text = source[0]
    own = OWN_BIBLIOGRAPHY_RE.search(text)
    if own is not None:
        line = text.count("\n", 0, own.start()) + 1
        warn(
            "articles get their Works Cited list automatically; remove this bibliography "
            "directive (and its heading)",
            Subtype.works_cited,
            location=(docname, line),
        )
        return
    if cites(text):
        source[0] = text.rstrip("\n") + SECTION.format(
            title=app.config.magazine_works_cited_title
        )


class WorksCitedTransform(SphinxPostTransform):
    """Give Works Cited entries the look of an APA list: no labels, a class to style."""

    # after sphinxcontrib-bibtex fills the list (5), before references resolve (10)
    default_priority = 6

    def run(self, **kwargs: object) -> None:
        for citation in list(self.document.findall(nodes.citation)):
            if "docname" not in citation:  # not from sphinxcontrib-bibtex
                continue
            for label in list(citation.findall(nodes.label)):
                label.parent.remove(label)
            citation["classes"].append("works-cited-entry")
            parent = citation.parent
            if isinstance(parent, nodes.container) and "works-cited" not in parent["classes"]:
                parent["classes"].append("works-cited")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("source-read", add_works_cited)
    app.add_post_transform(WorksCitedTransform)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
