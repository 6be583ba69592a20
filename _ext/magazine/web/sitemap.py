"""Every page in ``sitemap.xml``, in one order, however the build went.

sphinx-sitemap collects the pages written by the current build, as they are written, and
writes those. After a rebuild that wrote a few pages (an article edited, ``make preview``)
the sitemap would list only those; with ``-j`` the order is the order in which parallel
writers finished, so two builds of the same sources differ. Just before it writes the file
(``build-finished``, priority 500), the pages it collected are completed with every
document of the site and put in order of address. An issue in preparation is a preview
for its editors, left out.

Each page's ``lastmod`` is the time of the last git commit that changed its source file
(one ``git log`` for the whole project, :func:`last_commits`), so it is the same in every
build of one commit, local or CI, fresh clone or not; a page without a committed source
(a column page, the archive) and every page of a build outside a git repository have none.
``robots.txt`` beside the front page names the sitemap (crawlers read it at the root of a
host: where the site is published in a folder, the host's own robots.txt should name it).
"""

from __future__ import annotations

import datetime as dt
import queue
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from sphinx_sitemap import is_excluded

from .. import schedule
from ..serial.builddate import GIT_TIMEOUT
from ..serial.issues import domain, is_issue
from . import links as site_links

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
            link, _ = links.get_nowait()
        except queue.Empty:
            break
        pages[link] = None
    suffix = app.config.html_file_suffix or ".html"
    commits = last_commits(Path(app.srcdir))
    for docname in app.env.found_docs:
        link = docname + suffix
        if link in pages or not is_excluded(link, app.config.sitemap_excludes):
            pages[link] = commits.get(Path(app.env.doc2path(docname, False)).as_posix())
    for docname in app.env.found_docs:
        issue = domain(app.env).issue(docname) if is_issue(app.env, docname) else None
        if issue is None or not issue.published:
            pages.pop(docname + suffix, None) if is_issue(app.env, docname) else None
    for link in sorted(pages):
        links.put((link, pages[link]))


def last_commits(srcdir: Path) -> dict[str, str]:
    """Each committed file under ``srcdir`` (path relative to it) -> the time of the last
    commit that changed it, as the sitemap writes it (``2026-11-25T09:30:00Z``); empty
    without git or outside a repository."""
    command = ["git", "log", "--format=@%ct", "--name-only", "--no-renames", "--relative",
               "--", "."]
    try:
        result = subprocess.run(command, cwd=srcdir, capture_output=True, text=True,
                                timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return {}
    if result.returncode != 0:
        return {}
    times: dict[str, str] = {}
    when = ""
    for line in result.stdout.splitlines():
        if line.startswith("@") and line[1:].isdigit():
            seconds = int(line[1:])
            when = dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc).strftime(
                "%Y-%m-%dT%H:%M:%SZ")
        elif line.strip():
            times.setdefault(line.strip(), when)  # newest first: the first time seen
    return times


def robots_txt(site_url: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {site_url}sitemap.xml\n"


def write_robots(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: ``robots.txt``, naming the sitemap."""
    if exception is not None or app.builder.name != "html":
        return
    text = robots_txt(site_links.site_url(app.config))
    (Path(app.outdir) / "robots.txt").write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("sphinx_sitemap")
    app.connect("build-finished", complete_sitemap, priority=schedule.SITEMAP)
    app.connect("build-finished", write_robots)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
