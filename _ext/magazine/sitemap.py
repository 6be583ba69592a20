"""Every page in ``sitemap.xml``, in one order, however the build went.

sphinx-sitemap collects the pages written by the current build, as they are written, and
writes those. After a rebuild that wrote a few pages (an article edited, ``make preview``)
the sitemap would list only those; with ``-j`` the order is the order in which parallel
writers finished, so two builds of the same sources differ. Just before it writes the file
(``build-finished``, priority 500), the pages it collected are completed with every
document of the site and put in order of address. (The magazine does not show
``sitemap_show_lastmod`` dates; a page not written by this build is listed without one.)
An issue in preparation is a preview for its editors, left out.
"""

from __future__ import annotations

import queue
from typing import TYPE_CHECKING

from sphinx_sitemap import is_excluded

from . import schedule
from .issues import domain, is_issue

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


def complete_sitemap(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: the collected pages, plus every document, in order."""
    links = getattr(app, "sitemap_links", None)  # sphinx-sitemap's queue of (link, lastmod)
    if exception is not None or links is None or app.builder.name != "html":
        return
    pages: dict[str, str | None] = {}
    while True:
        try:
            link, lastmod = links.get_nowait()
        except queue.Empty:
            break
        pages[link] = lastmod
    suffix = app.config.html_file_suffix or ".html"
    for docname in app.env.found_docs:
        link = docname + suffix
        if link not in pages and not is_excluded(link, app.config.sitemap_excludes):
            pages[link] = None
    for docname in app.env.found_docs:
        issue = domain(app.env).issue(docname) if is_issue(app.env, docname) else None
        if issue is None or not issue.published:
            pages.pop(docname + suffix, None) if is_issue(app.env, docname) else None
    for link in sorted(pages):
        links.put((link, pages[link]))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_sitemap")
    app.connect("build-finished", complete_sitemap, priority=schedule.SITEMAP)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
