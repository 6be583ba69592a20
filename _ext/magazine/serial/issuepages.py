"""The web edition's issues: each issue's page, the archive, and on every article page the
issue it is in with the previous and next article of that issue.

- An issue's page is its file, ``issues/1-2.html``: the title (label and theme), a line
  with the date and the editors, the cover with its credit, the editorial, and the
  contents: a card per article, in the editors' order. An issue in preparation says so at
  the top and asks search engines to leave it alone; the archive and front page omit it.
- ``archive.html`` (made at ``html-collect-pages``): every published issue by volume, with
  its cover.
- An article page: "Volume 1, Issue 2, pages 14–17 · June 1, 2021" (or "Online first ·
  date") under the byline, and links to its neighbours in the issue after the text.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from docutils import nodes
from markupsafe import Markup

from .. import schedule
from ..articles import page
from ..articles.frontmatter import format_date, is_article
from ..registration.dois import doi_url
from ..web.listing import (
    ARCHIVE,
    archive_link,
    cover_html,
    dateline,
    issue_cards,
    makes_pages,
    page_fragment,
    pages_shown,
)
from .issues import Issue, domain, is_issue, published_issues

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

# -- the issue's own page --------------------------------------------------------------------


def decorate_issue(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: the date, editors and cover under the issue page's title."""
    env = app.env
    issue = domain(env).issue(env.docname) if is_issue(env, env.docname) else None
    section = next(iter(doctree.findall(nodes.section)), None)
    if issue is None or section is None or not isinstance(section[0], nodes.title):
        return
    header = page.new_issue_header()
    if not issue.published:
        header += nodes.paragraph("", (
            "In preparation: this issue is not published yet. Its page is a preview for "
            "the editors; its articles appear online first until it is."),
            classes=["issue-in-preparation"])
    if line := dateline(issue):
        header += nodes.paragraph("", line, classes=["issue-dateline"])
    if issue.cover is not None:
        header += page.new_issue_cover(issue.cover.src, issue.cover.alt, issue.cover.credit)
    section.insert(1, header)
    editorial = next((n for n in section.children[2:] if isinstance(n, nodes.paragraph)), None)
    if editorial is not None:
        domain(env).issues[env.docname]["excerpt"] = editorial.astext()


def fill_issue_page(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` (HTML): an issue page's contents, after its editorial."""
    if app.builder.format != "html" or not is_issue(app.env, docname):
        return
    issue = domain(app.env).issue(docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if issue is None or section is None:
        return
    contents = nodes.section(ids=["in-this-issue"], classes=["issue-contents"])
    contents += nodes.title("", "In this issue")
    contents += issue_cards(app, docname, issue)
    contents += archive_link(app, docname, "Every issue")
    section += contents


# -- article pages ---------------------------------------------------------------------------


def add_issue_links(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` (HTML): the article's issue and date under the byline, and its
    neighbours in the issue after the text (before the Cite box and Works Cited)."""
    env = app.env
    if app.builder.format != "html" or not is_article(env, docname):
        return
    placement = domain(env).placement(docname)
    header = page.header(doctree)
    if placement is None or header is None:
        return
    line = nodes.paragraph(classes=["article-issue"])
    if placement.issue is not None:
        line += nodes.reference(
            "", f"Volume {placement.volume}, Issue {placement.number}", internal=True,
            refuri=app.builder.get_relative_uri(docname, placement.issue))
        if placement.first_page is not None:
            line += nodes.Text(", " + pages_shown(placement.first_page, placement.last_page))
    else:
        line += nodes.inline("", "Online first", classes=["online-first"])
    line += nodes.Text(" · " + format_date(placement.date))
    if placement.doi:  # as APA writes a DOI: its link (magazine.registration.dois)
        line += nodes.Text(" · ")
        line += nodes.reference("", doi_url(placement.doi), refuri=doi_url(placement.doi),
                                classes=["article-doi"])
    page.add_to_header(header, line, page.ISSUE_LINE)
    if placement.issue is None:
        return
    items = [
        Markup('<p class="issue-nav-{rel}"><a href="{href}" rel="{rel}">'
               '<span class="issue-nav-label">{which} in this issue</span>'
               '<span class="issue-nav-title">{title}</span></a></p>').format(
            rel=rel, which=which, title=neighbour[1],
            href=app.builder.get_relative_uri(docname, neighbour[0]))
        for which, neighbour, rel in (("Previous", placement.previous, "prev"),
                                      ("Next", placement.next, "next"))
        if neighbour is not None
    ]
    nav = page.web_part(Markup('<nav class="issue-nav" aria-label="{}">{}</nav>').format(
        f"Volume {placement.volume}, Issue {placement.number}", Markup("").join(items)))
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None or not items:
        return
    page.add_after_text(section, nav, page.ISSUE_NAV)


# -- the archive -----------------------------------------------------------------------------


def archive_body(app: Sphinx) -> str:
    section = nodes.section(ids=["archive"])
    section += nodes.title("", "Every issue")
    issues = published_issues(app.env)
    section += nodes.paragraph("", (
        f"Every issue of {app.config.project}, newest first. Articles published before "
        "their issue are on the front page as online first."), classes=["column-intro"])
    volumes: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        volumes[issue.volume].append(issue)
    for volume, members in volumes.items():
        part = nodes.section(ids=[f"volume-{volume}"])
        part += nodes.title("", f"Volume {volume}")
        grid = nodes.container(classes=["issue-grid"])
        for issue in members:
            card = nodes.container(classes=["issue-card"])
            card += page.web_part(cover_html(ARCHIVE, issue, credit=False), searchable=True)
            link = nodes.reference("", issue.heading, internal=True,
                                   refuri=app.builder.get_relative_uri(ARCHIVE, issue.docname))
            card += nodes.paragraph("", "", link, classes=["issue-card-title"])
            count = len(issue.articles)
            card += nodes.paragraph("", f"{format_date(issue.date or '')} · {count} article"
                                    + ("" if count == 1 else "s"), classes=["issue-dateline"])
            grid += card
        part += grid
        section += part
    return page_fragment(app, section)


def archive_page(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    """``html-collect-pages``: ``archive.html``."""
    if not makes_pages(app):
        return
    if not published_issues(app.env):
        return  # before the first issue, the front page lists every article
    yield ARCHIVE, {"title": "Every issue", "body": archive_body(app)}, "page.html"


def keep_preview_private(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None
) -> None:
    """``html-page-context``: an issue in preparation is a preview, not for search engines."""
    if not is_issue(app.env, pagename):
        return
    issue = domain(app.env).issue(pagename)
    if issue is not None and not issue.published:
        context["metatags"] = (f"{context.get('metatags', '')}"
                               '<meta name="robots" content="noindex" />\n')


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("doctree-read", decorate_issue, priority=schedule.ARTICLE_HEADER)
    app.connect("doctree-resolved", fill_issue_page)
    app.connect("doctree-resolved", add_issue_links, priority=schedule.ISSUE_LINKS)
    app.connect("html-collect-pages", archive_page)
    app.connect("html-page-context", keep_preview_private)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
