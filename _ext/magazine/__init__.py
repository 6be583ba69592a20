"""The Open Bench's Sphinx extension.

``setup`` only registers the magazine's parts (``PARTS``), in the order their handlers are
connected; when each handler runs is named in :mod:`magazine.schedule`. The parts, by folder:

- ``config``, ``schedule``, ``warnings``: the ``magazine_*`` settings checked once, the
  order of a build, the typed warnings;
- ``articles/``: front matter read, validated and shown; the article page's parts as nodes
  (``articles.page``), which every edition reads;
- ``serial/``: issue files, each article's issue and publication date, issue pages and the
  archive, notices (corrections, retractions) and versions;
- ``registration/``: DOIs, the Crossref deposit, the vendored schemas;
- ``citations/``: the Works Cited list, the ``cite`` domain answered from indexes, per-entry
  dependencies, the bib checks in builds, "Cite this article" and the downloads;
- ``doors/``: every use of sphinxcontrib-bibtex's and pybtex's internals, version-checked;
- ``reading/``, ``bibstyle/``: bib entries as exporters write them, and the APA style;
- ``gate/``: what content may make a build read or show (paths, images, raw HTML);
- ``web/``: page metadata, the social image, links, listings, columns, feed, sitemap;
- ``pdf/``, ``jats/``: the PDF edition (the ``typst`` builder) and the archive edition (the
  ``jats`` builder);
- ``speedups/``: what makes builds faster and changes nothing they write, with one switch.

``cli/`` holds the commands behind ``make`` (publish, new-article, reference, the bounded
stages) and one part, ``cli.progress`` (which file a build is on, for a stage that stops);
``preview/`` is ``make preview``, never part of a published build.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

__version__ = "0.1.0"

PARTS = (
    "magazine.config",
    "magazine.cli.progress",
    "magazine.gate.boundary",
    "magazine.gate.images",
    "magazine.articles.page",
    "magazine.articles.frontmatter",
    "magazine.serial.issues",
    "magazine.citations.workscited",
    "magazine.citations.citeindex",
    "magazine.citations.bibdeps",
    "magazine.citations.bibcheck",
    "magazine.gate.safety",
    "magazine.web.listing",
    "magazine.web.links",
    "magazine.web.articleinfo",
    "magazine.citations.citetools",
    "magazine.citations.abbreviations",
    "magazine.web.metadata",
    "magazine.web.columns",
    "magazine.serial.issuepages",
    "magazine.serial.notices",
    "magazine.registration.crossref",
    "magazine.web.feed",
    "magazine.web.sitemap",
    "magazine.web.accessibility",
    "magazine.bibstyle",
    "magazine.pdf",
    "magazine.jats",
    "magazine.speedups",
)


def setup(app: Sphinx) -> ExtensionMetadata:
    for part in PARTS:
        app.setup_extension(part)
    return {
        "version": __version__,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
