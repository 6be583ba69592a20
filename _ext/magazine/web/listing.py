"""The front page's list of articles: the ``article-list`` directive, and the cards that the
issue pages (:mod:`magazine.serial.issuepages`) share with it.

The directive leaves a placeholder; once every document is read, the placeholder becomes
the current issue (the newest published one: cover, date, the editorial's opening, its
articles in the editors' order), then the online-first articles, newest first, then a link
to the archive. Before the first issue is published, it is every article, newest first. A
card is the column, the title linked to the article, the summary and the byline. A page
with a list is rebuilt whenever an article is added, changed or removed, and written again
when an issue changes (:func:`magazine.serial.issues.check_issues`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from markupsafe import Markup
from sphinx.util.docutils import SphinxDirective

from ..articles import page
from ..articles.frontmatter import (
    FrontMatter,
    articles_domain,
    build_byline,
    format_date,
    is_article,
)
from ..serial.issues import Issue, current_issue, domain, published
from . import links
from .links import column_page

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata


class card_title(nodes.paragraph):
    """An article card's title: a heading to the eye, written as one (:mod:`.accessibility`)."""


class article_list(nodes.General, nodes.Element):
    """Placeholder for the list of articles, filled in at ``doctree-resolved``."""


class ArticleListDirective(SphinxDirective):
    """``{article-list}``: every article of the magazine as a card, newest first."""

    has_content = False
    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        articles_domain(self.env).listings.add(self.env.docname)
        node = article_list()
        self.set_source_info(node)
        return [node]


#: the archive's page (magazine.serial.issuepages)
ARCHIVE = "archive"


def ordered_articles(env: BuildEnvironment) -> list[tuple[str, FrontMatter]]:
    """Articles as published (dated: magazine.serial.issues), newest first, then by title (undated
    ones last: only in a build that read no issue)."""
    records = [
        (docname, published(env, docname))
        for docname in env.found_docs
        if is_article(env, docname)
    ]
    present = [(d, r) for d, r in records if r is not None]
    dated = sorted((p for p in present if p[1].date), key=lambda p: (p[1].date, p[0]), reverse=True)
    undated = sorted((p for p in present if not p[1].date), key=lambda p: (p[1].title, p[0]))
    return dated + undated


def build_card(app: Sphinx, fromdocname: str, docname: str, record: FrontMatter) -> nodes.Element:
    card = nodes.container(classes=["article-card"])
    column = nodes.reference(
        "", record.column, internal=True,
        refuri=app.builder.get_relative_uri(fromdocname, column_page(record.column)),
    )
    card += nodes.paragraph("", "", column, classes=["article-card-column"])
    link = nodes.reference(
        "", record.title, internal=True,
        refuri=app.builder.get_relative_uri(fromdocname, docname),
    )
    card += card_title("", "", link, classes=["article-card-title"])
    card += nodes.paragraph("", record.summary, classes=["article-card-summary"])
    byline = build_byline(record)
    if byline is not None:
        card += byline
    return card


def editors_text(issue: Issue) -> str:
    names = list(issue.editors)
    if not names:
        return ""
    text = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return "Edited by " + text


def dateline(issue: Issue) -> str:
    """``June 1, 2021 · Edited by A and B`` (``Planned for June 1, 2021`` while in
    preparation); empty when there is nothing to say."""
    when = format_date(issue.date) if issue.date else ""
    if when and not issue.published:
        when = "Planned for " + when
    return " · ".join(part for part in (when, editors_text(issue)) if part)


def cover_html(pagename: str, issue: Issue, *, credit: bool) -> Markup:
    """The cover as an ``<img>`` (the file is under ``_static/``, which the site copies)."""
    if issue.cover is None:
        return Markup("")
    src = issue.cover.src
    href = src if "://" in src else links.relative(pagename, src.lstrip("/"))
    image = Markup('<img class="issue-cover" src="{}" alt="{}" />').format(href, issue.cover.alt)
    if not credit:
        return image
    return Markup('<figure class="issue-cover-figure">{}<figcaption class="image-credit">{}'
                  "</figcaption></figure>").format(image, issue.cover.credit)


def makes_pages(app: Sphinx) -> bool:
    """Whether ``html-collect-pages`` should make the magazine's pages of its own (the column
    pages, the archive, the corrections): an HTML build, not an embedded one."""
    return app.builder.format == "html" and not getattr(app.builder, "embedded", False)


def page_fragment(app: Sphinx, section: nodes.section) -> str:
    """A page made from records (no source of its own), as the HTML body of its page."""
    # the translator looks up figure numbers of the page being written; such a page has
    # none, and when no document was written in this build the builder has no such mapping
    app.builder.fignumbers = {}  # type: ignore[attr-defined]
    return app.builder.render_partial(section)["fragment"]  # type: ignore[attr-defined]


def pages_shown(first: int, last: int | None) -> str:
    """``pages 14–17`` (an en dash, as printed), ``page 5``."""
    return f"pages {first}\u2013{last}" if last and last != first else f"page {first}"


def issue_cards(app: Sphinx, docname: str, issue: Issue) -> nodes.container:
    """The cards of an issue's articles, in the editors' order, each with its pages in the
    issue once they are recorded (a table of contents)."""
    cards = nodes.container(classes=["article-list"])
    for name in issue.articles:
        record = published(app.env, name)
        if record is None:
            continue
        card = build_card(app, docname, name, record)
        if issue.published and name in issue.pages:
            shown = pages_shown(*issue.pages[name])
            card.insert(1, nodes.paragraph("", shown[0].upper() + shown[1:],
                                           classes=["article-card-pages"]))
        cards += card
    return cards


def archive_link(app: Sphinx, docname: str, text: str) -> nodes.paragraph:
    archive = nodes.reference("", text, internal=True,
                              refuri=app.builder.get_relative_uri(docname, ARCHIVE))
    return nodes.paragraph("", "", archive, classes=["issue-archive-link"])


# -- the front page --------------------------------------------------------------------------


def current_issue_section(app: Sphinx, docname: str) -> nodes.section | None:
    """The front page's current issue: cover, label and theme, date, the editorial's
    opening, and its articles in order."""
    issue = current_issue(app.env)
    if issue is None:
        return None
    section = nodes.section(ids=["current-issue"], classes=["current-issue"])
    title = nodes.title()
    title += nodes.reference("", issue.heading, internal=True,
                             refuri=app.builder.get_relative_uri(docname, issue.docname))
    section += title
    section += nodes.paragraph("", "Current issue · " + dateline(issue), classes=["issue-dateline"])
    section += page.web_part(cover_html(docname, issue, credit=True), searchable=True)
    excerpt = domain(app.env).issues.get(issue.docname, {}).get("excerpt")
    if excerpt:
        section += nodes.paragraph("", excerpt, classes=["issue-excerpt"])
    more = nodes.reference("", "Read the editorial", internal=True,
                           refuri=app.builder.get_relative_uri(docname, issue.docname))
    section += nodes.paragraph("", "", more, classes=["issue-editorial-link"])
    section += issue_cards(app, docname, issue)
    return section


def current_issue_shown(doctree: nodes.document) -> nodes.section | None:
    """The front page's current issue, once :func:`fill_article_lists` has put it there."""
    return next((s for s in doctree.findall(nodes.section) if "current-issue" in s["classes"]),
                None)


def fill_article_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace each placeholder with the current issue, then the
    online-first articles' cards (every article's, newest first, before the first issue)."""
    placeholders = list(doctree.findall(article_list))
    if not placeholders:
        return
    articles = ordered_articles(app.env)
    for placeholder in placeholders:
        current = current_issue_section(app, docname)
        if current is not None:
            articles = [(d, r) for d, r in articles if _online_first(app.env, d)]
        container = nodes.container(classes=["article-list"])
        for article_docname, record in articles:
            container += build_card(app, docname, article_docname, record)
        if current is None:
            placeholder.replace_self(container)
            continue
        online = nodes.section(ids=["online-first"], classes=["online-first"])
        online += nodes.title("", "Online first")
        online += nodes.paragraph("", (
            "Published ahead of an issue, newest first."), classes=["column-intro"])
        online += container
        tail = archive_link(app, docname, "Every issue, in the archive")
        placeholder.replace_self([current, *([online] if articles else []), tail])


def _online_first(env: BuildEnvironment, docname: str) -> bool:
    placement = domain(env).placement(docname)
    return placement is None or placement.issue is None


def outdated_listings(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """``env-get-outdated``: pages with a list are stale when any article changes."""
    if any(is_article(env, d) for d in (*added, *changed, *removed)):
        return sorted(articles_domain(env).listings)
    return []


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_node(article_list)
    app.add_directive("article-list", ArticleListDirective)
    app.connect("doctree-resolved", fill_article_lists)
    app.connect("env-get-outdated", outdated_listings)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
