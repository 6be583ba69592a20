"""The PDF edition: a Sphinx builder that writes Typst and compiles it with the typst wheel.

``setup`` registers:

- the ``typst`` builder (:mod:`.builder`), run as ``sphinx-build -b typst . _build/pdf``:
  the whole edition and one PDF per article, every Works Cited in place;
- the ``magazine_pdf_*`` configuration values;
- a ``doctree-resolved`` handler (:mod:`.html_links`) that links each HTML article page to its PDF
  and the front page to the edition's.

The Typst side lives in :mod:`.translator` (doctree to Typst code), :mod:`.syntax` (the one
escaping point), :mod:`.compile` (fonts, dates, the compiler) and ``templates/``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import schedule
from .builder import TypstBuilder
from .html_links import add_pdf_links

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.config")  # magazine_pdf_*: output only, never the doctrees
    app.add_builder(TypstBuilder)
    # after the front page's list is filled in (listing.fill_article_lists, priority 500)
    app.connect("doctree-resolved", add_pdf_links, priority=schedule.PDF_LINKS)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
