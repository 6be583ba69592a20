"""Where an article's pages and files are, on the site and as absolute addresses.

One place for the names, so the page header, the meta tags, the feed and the downloads
agree: an article ``articles/NAME`` has its PDF at ``pdf/NAME.pdf`` (written by the Typst
builder), its own record at ``cite/NAME.bib`` and ``cite/NAME.ris``, and its Works Cited
list at ``cite/NAME-works-cited.bib``, ``.ris`` and ``.json`` (CSL-JSON). Absolute
addresses start at ``html_baseurl``, the site's public address set in ``conf.py``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sphinx.errors import ConfigError

from ..articles import identifiers

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

FEED = "atom.xml"
CITE_DIR = "cite"
PDF_DIR = "pdf"
JATS_DIR = "jats"
JATS_TYPE = "application/jats+xml"
#: Works Cited download formats: extension -> (label, media type)
WORKS_CITED_FORMATS = {
    "bib": ("BibTeX", "application/x-bibtex"),
    "ris": ("RIS", "application/x-research-info-systems"),
    "json": ("CSL-JSON", "application/vnd.citationstyles.csl+json"),
}
ARTICLE_FORMATS = {key: WORKS_CITED_FORMATS[key] for key in ("bib", "ris")}


def site_url(config: Config) -> str:
    """``html_baseurl`` with one trailing slash."""
    return config.html_baseurl.rstrip("/") + "/"


def absolute(config: Config, path: str) -> str:
    """The public address of a path relative to the site root (``_static/x.svg``)."""
    return site_url(config) + path.lstrip("/")


def article_name(config: Config, docname: str) -> str:
    """``articles/NAME`` -> ``NAME``: the article's name in file names."""
    return docname.removeprefix(config.magazine_article_dir.strip("/") + "/")


def pdf_path(config: Config, docname: str) -> str:
    return f"{PDF_DIR}/{article_name(config, docname)}.pdf"


def jats_path(config: Config, docname: str) -> str:
    return f"{JATS_DIR}/{article_name(config, docname)}.xml"


def record_path(config: Config, docname: str, extension: str) -> str:
    return f"{CITE_DIR}/{article_name(config, docname)}.{extension}"


def works_cited_path(config: Config, docname: str, extension: str) -> str:
    return f"{CITE_DIR}/{article_name(config, docname)}-works-cited.{extension}"


def slug(text: str) -> str:
    """``News Byte`` -> ``news-byte``: a column's name in the alphabet of article names."""
    return identifiers.slug(text) or "column"


def column_page(column: str) -> str:
    """The pagename of a column's listing page."""
    return f"columns/{slug(column)}"


def relative(pagename: str, path: str) -> str:
    """A path from the site root as a link from ``pagename`` (``../cite/x.bib``)."""
    return "../" * pagename.count("/") + path


def check_site_url(app: Sphinx, config: Config) -> None:
    """``config-inited``: the site's address must be an absolute http(s) URL."""
    parts = urlsplit(config.html_baseurl or "")
    if parts.scheme not in ("http", "https") or not parts.netloc:
        msg = (
            f"html_baseurl = {config.html_baseurl!r} in conf.py is not the site's address; "
            "set MAGAZINE_SITE_URL to where the web edition is published, such as "
            "https://OWNER.github.io/REPOSITORY/"
        )
        raise ConfigError(msg)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", check_site_url)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
