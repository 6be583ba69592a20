"""The web edition's links to the PDFs: on each article page, on each issue's page, and on
the front page to the current issue's.

The PDFs are published inside the HTML site, in :data:`magazine.web.links.PDF_DIR` (``make pdf``
copies them there), at the addresses :mod:`magazine.web.links` gives them, the same as the
page metadata's ``citation_pdf_url``. The links go into the resolved doctrees of HTML builds
only, so a PDF carries no link to a PDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.util.osutil import relative_uri

from ..articles import page
from ..articles.frontmatter import articles_domain, is_article
from ..serial.issues import current_issue, domain, is_issue
from ..web import links
from ..web.listing import current_issue_shown
from .names import issue_stem

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def add_pdf_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: a PDF link in the article header, and above the front page list."""
    if app.builder.format != "html":
        return
    config = app.config
    here = app.builder.get_target_uri(docname)
    magazine = articles_domain(app.env)
    if is_article(app.env, docname) and docname in magazine.articles:  # type: ignore[attr-defined]
        header = page.header(doctree)
        if header is not None:
            href = relative_uri(here, links.pdf_path(config, docname))
            link = pdf_link(href, "Read this article as a PDF", "article-pdf")
            page.add_to_header(header, link, page.PDF_LINK)
    issue = domain(app.env).issue(docname) if is_issue(app.env, docname) else None
    header = page.the_issue_header(doctree)
    if issue is not None and header is not None:
        href = relative_uri(here, f"{links.PDF_DIR}/{issue_stem(config, issue)}.pdf")
        header += pdf_link(href, "Download this issue as a PDF", "edition-pdf")
    current = current_issue(app.env)
    if docname in magazine.listings and current is not None:  # type: ignore[attr-defined]
        # above the current issue (magazine.web.listing), not inside it
        listing = current_issue_shown(doctree)
        if listing is not None:
            href = relative_uri(here, f"{links.PDF_DIR}/{issue_stem(config, current)}.pdf")
            link = pdf_link(href, f"Download {current.label} as a PDF", "edition-pdf")
            listing.parent.insert(listing.parent.index(listing), link)


def pdf_link(href: str, text: str, css_class: str) -> nodes.paragraph:
    reference = nodes.reference("", text, refuri=href, classes=["pdf-link"])
    return nodes.paragraph("", "", reference, classes=[css_class])
