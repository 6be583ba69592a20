"""The edition PDF's name, shared by the builder and the web edition's link to it.

Article PDFs are named by :mod:`magazine.links` (``articles/NAME`` gives ``pdf/NAME.pdf``
on the site), which also names them for the page metadata.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.config import Config

_SLUG_RE = re.compile(r"[^a-z0-9]+")


def edition_stem(config: Config) -> str:
    """``magazine_pdf_edition_name``, or the magazine and edition as a slug."""
    if config.magazine_pdf_edition_name:
        return config.magazine_pdf_edition_name
    slug = _SLUG_RE.sub("-", f"{config.project} {config.magazine_edition}".lower()).strip("-")
    return slug or "edition"
