"""sphinxcontrib-bibtex's suppressed warnings, dropped where they are made.

The library checks every citation of every bibliography against one global list and warns
of a "duplicate citation" for each work that a second article cites too. The magazine's
lists are per article, so ``conf.py`` suppresses that warning (and two others,
``bibtex.duplicate_label`` and ``bibtex.key_not_found``); Sphinx drops them in its warning
handler, after each has been made into a log record, routed, and, in a parallel reader,
pickled back to the main process. At archive scale there are thousands every build (3,016
at 200 articles, each build, the preview's too). Here a filter on the library's own logger
drops the ones ``suppress_warnings`` names before any handler sees them, with Sphinx's own
test (``is_suppressed_warning``): what is reported, and the warning count, stay the same.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sphinx.util.logging import is_suppressed_warning

from . import enabled

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

#: the logger sphinxcontrib.bibtex.domain warns through (Sphinx prefixes its loggers)
LOGGER = "sphinx.sphinxcontrib.bibtex.domain"


class Suppressed(logging.Filter):
    """Refuses the records of the warnings ``suppress_warnings`` names."""

    def __init__(self, suppressed: list[str]) -> None:
        super().__init__()
        self.suppressed = frozenset(suppressed)

    def filter(self, record: logging.LogRecord) -> bool:
        kind = getattr(record, "type", None)
        if record.levelno != logging.WARNING or kind is None:
            return True
        return not is_suppressed_warning(kind, getattr(record, "subtype", None) or "",
                                         self.suppressed)


def install(app: Sphinx, config: Config) -> None:
    """``config-inited``: this build's filter in place of an earlier build's (one process
    may run several builds, as the tests and the preview do)."""
    logger = logging.getLogger(LOGGER)
    for old in [f for f in logger.filters if isinstance(f, Suppressed)]:
        logger.removeFilter(old)
    if enabled(config) and config.suppress_warnings:
        logger.addFilter(Suppressed(list(config.suppress_warnings)))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", install)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
