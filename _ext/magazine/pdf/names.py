"""The issue PDFs' names, shared by the builder and the web edition's links to them.

Article PDFs are named by :mod:`magazine.web.links` (``articles/NAME`` gives ``pdf/NAME.pdf``
on the site), which also names them for the page metadata. An issue's PDF is named after
the magazine and the issue, ``the-open-bench-1-2.pdf``, so that a downloaded copy says
what it is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.config import Config

    from ..serial.issues import Issue

_SLUG_RE = re.compile(r"[^a-z0-9]+")
#: what the builder writes beside the PDFs: every issue's pages as Typst laid them out
PAGINATION_FILE = "pagination.json"
#: and, with a DOI prefix set, the DOIs make paginate records (magazine.serial.issues.proposed_dois)
DOIS_FILE = "dois.json"


def magazine_slug(config: Config) -> str:
    return _SLUG_RE.sub("-", config.project.lower()).strip("-") or "magazine"


def issue_stem(config: Config, issue: Issue) -> str:
    """``the-open-bench-1-2``: the issue PDF's name without ``.pdf``."""
    return f"{magazine_slug(config)}-{issue.stem}"
