"""One place for the magazine's warnings: a type, an enum of subtypes, one helper.

Every warning is logged through Sphinx with ``type="magazine"`` and a subtype, so that
``-W`` turns it into a failure and ``suppress_warnings = ["magazine.<subtype>"]`` silences
one kind. Messages say what is wrong and how to fix it; the location names file and line.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Any

from sphinx.util import logging

if TYPE_CHECKING:
    pass

WARNING_TYPE = "magazine"

logger = logging.getLogger(__name__)


class Subtype(str, Enum):
    """The kinds of problem the magazine reports."""

    frontmatter = "frontmatter"
    issue = "issue"
    works_cited = "works_cited"
    bibliography = "bibliography"
    uncited = "uncited"
    unsafe = "unsafe"
    citation = "citation"
    content = "content"
    pdf = "pdf"
    registration = "registration"

    def __str__(self) -> str:
        return self.value


Location = "nodes.Node | tuple[str, int | None] | str | None"


def warn(message: str, subtype: Subtype, location: Any = None) -> None:
    """Log a located warning of the magazine's type and the given subtype."""
    logger.warning(message, type=WARNING_TYPE, subtype=str(subtype), location=location)
