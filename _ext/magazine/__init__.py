"""The Open Bench's Sphinx extension.

``setup`` only registers the magazine's parts, one concern per module:

- :mod:`magazine.config`: the ``magazine_*`` configuration values and their checks;
- :mod:`magazine.boundary`: a build reads only files inside the project (paths, links,
  names and sizes of content files);
- :mod:`magazine.frontmatter`: article front matter, read, validated and shown
  (column, lead image and credit, byline, summary);
- :mod:`magazine.issues`: issue files, read and checked; each article's issue and
  publication date (:mod:`magazine.builddate`: the build's date where one is needed);
- :mod:`magazine.workscited`: the Works Cited list at the end of every article that cites;
- :mod:`magazine.citeindex`: sphinxcontrib-bibtex's work, indexed so that it grows with the
  citations rather than with articles x entries;
- :mod:`magazine.bibdeps`: an article depends on the bib entries it cites, not on the
  whole bib file;
- :mod:`magazine.listing`: the front page's list of articles;
- :mod:`magazine.links`: where an article's page, PDF and downloads are, and the site URL;
- :mod:`magazine.articleinfo`: reading time, licence and column link under the byline;
- :mod:`magazine.citetools`: "Cite this article", the Works Cited downloads
  (:mod:`magazine.records` writes BibTeX, RIS and CSL-JSON);
- :mod:`magazine.metadata`: ``citation_*``, Dublin Core, Open Graph extras and JSON-LD;
- :mod:`magazine.columns`: a listing page per column;
- :mod:`magazine.issuepages`: each issue's page, the archive, an article's issue and neighbours;
- :mod:`magazine.notices`: corrections, expressions of concern and retractions on every
  surface, an article's versions, ``corrections.html``, and the gate's base comparison;
- :mod:`magazine.crossref`: each published issue's Crossref deposit, checked by the schema;
- :mod:`magazine.accessibility`: citation lists written as lists of list items;
- :mod:`magazine.feed`: the Atom feed;
- :mod:`magazine.sitemap`: every page in ``sitemap.xml``, in one order, after any rebuild;
- :mod:`magazine.typst`: the PDF edition (the ``typst`` builder) and the web edition's links to it;
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
    "magazine.progress",
    "magazine.boundary",
    "magazine.images",
    "magazine.frontmatter",
    "magazine.issues",
    "magazine.workscited",
    "magazine.citeindex",
    "magazine.bibdeps",
    "magazine.bibcheck",
    "magazine.safety",
    "magazine.listing",
    "magazine.links",
    "magazine.articleinfo",
    "magazine.citetools",
    "magazine.abbreviations",
    "magazine.metadata",
    "magazine.columns",
    "magazine.issuepages",
    "magazine.notices",
    "magazine.crossref",
    "magazine.feed",
    "magazine.sitemap",
    "magazine.accessibility",
    "magazine.bibstyle",
    "magazine.typst",
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
