"""The archive edition: one JATS 1.3 file per article, by a Sphinx builder of our own.

``setup`` registers the ``jats`` builder (:mod:`.builder`; ``sphinx-build -b jats . _build/jats``).
:mod:`.translator` turns the doctree's nodes into JATS elements, one visit/depart per node
type, as the Typst builder does for the PDF edition; :mod:`.front` writes the front matter
and the reference list from the records. The web edition links each file from the
article's Cite box (:mod:`magazine.citations.citetools`) and its page head.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .builder import JatsBuilder

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_builder(JatsBuilder)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
