"""The Open Bench's Sphinx extension.

``setup`` only registers the magazine's parts, one concern per module:

- :mod:`magazine.config`: the ``magazine_*`` configuration values and their checks;
- :mod:`magazine.gate.boundary`: a build reads only files inside the project (paths, links,
  names and sizes of content files);
- :mod:`magazine.articles.frontmatter`: article front matter, read, validated and shown
  (column, lead image and credit, byline, summary);
- :mod:`magazine.serial.issues`: issue files, read and checked; each article's issue and
  publication date (:mod:`magazine.serial.builddate`: the build's date where one is needed);
- :mod:`magazine.citations.workscited`: the Works Cited list at the end of every article that cites;
- :mod:`magazine.citations.citeindex`: sphinxcontrib-bibtex's work, indexed so that it grows with the
  citations rather than with articles x entries;
- :mod:`magazine.citations.bibdeps`: an article depends on the bib entries it cites, not on the
  whole bib file;
- :mod:`magazine.web.listing`: the front page's list of articles;
- :mod:`magazine.web.links`: where an article's page, PDF and downloads are, and the site URL;
- :mod:`magazine.web.articleinfo`: reading time, licence and column link under the byline;
- :mod:`magazine.citations.citetools`: "Cite this article", the Works Cited downloads
  (:mod:`magazine.citations.records` writes BibTeX, RIS and CSL-JSON);
- :mod:`magazine.web.metadata`: ``citation_*``, Dublin Core, Open Graph extras and JSON-LD;
- :mod:`magazine.web.columns`: a listing page per column;
- :mod:`magazine.serial.issuepages`: each issue's page, the archive, an article's issue and neighbours;
- :mod:`magazine.serial.notices`: corrections, expressions of concern and retractions on every
  surface, an article's versions, ``corrections.html``, and the gate's base comparison;
- :mod:`magazine.registration.crossref`: each published issue's Crossref deposit, checked by the schema;
- :mod:`magazine.web.accessibility`: citation lists written as lists of list items;
- :mod:`magazine.web.feed`: the Atom feed;
- :mod:`magazine.web.sitemap`: every page in ``sitemap.xml``, in one order, after any rebuild;
- :mod:`magazine.pdf`: the PDF edition (the ``typst`` builder) and the web edition's links to it;
- :mod:`magazine.jats`: the archive edition (the ``jats`` builder), a JATS 1.3 file per article;
- :mod:`magazine.speedups`: what makes builds faster and changes nothing they write (parallel
  readers' data, the collections at exit, search stems), with one switch to turn it off.
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
