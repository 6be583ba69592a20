"""The front page's list of articles: the ``article-list`` directive.

The directive leaves a placeholder; once every document is read, the placeholder becomes
one card per article (column, title linked to the article, summary, byline), newest first.
A page with a list is rebuilt whenever an article is added, changed or removed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .frontmatter import FrontMatter, build_byline, is_article
from .links import column_page

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata


class article_list(nodes.General, nodes.Element):
    """Placeholder for the list of articles, filled in at ``doctree-resolved``."""


class ArticleListDirective(SphinxDirective):
    """``{article-list}``: every article of the magazine as a card, newest first."""

    has_content = False
    option_spec: ClassVar[dict] = {}

    def run(self) -> list[nodes.Node]:
        self.env.get_domain("magazine").listings.add(self.env.docname)  # type: ignore[attr-defined]
        node = article_list()
        self.set_source_info(node)
        return [node]


def ordered_articles(env: BuildEnvironment) -> list[tuple[str, FrontMatter]]:
    """Articles in front-page order: newest date first, undated after, then by title."""
    domain = env.get_domain("magazine")
    records = [
        (docname, domain.article(docname))  # type: ignore[attr-defined]
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
    card += nodes.paragraph("", "", link, classes=["article-card-title"])
    card += nodes.paragraph("", record.summary, classes=["article-card-summary"])
    byline = build_byline(record)
    if byline is not None:
        card += byline
    return card


def fill_article_lists(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved``: replace each placeholder with the cards."""
    placeholders = list(doctree.findall(article_list))
    if not placeholders:
        return
    articles = ordered_articles(app.env)
    for placeholder in placeholders:
        container = nodes.container(classes=["article-list"])
        for article_docname, record in articles:
            container += build_card(app, docname, article_docname, record)
        placeholder.replace_self(container)


def outdated_listings(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """``env-get-outdated``: pages with a list are stale when any article changes."""
    if any(is_article(env, d) for d in (*added, *changed, *removed)):
        return sorted(env.get_domain("magazine").listings)  # type: ignore[attr-defined]
    return []


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_node(article_list)
    app.add_directive("article-list", ArticleListDirective)
    app.connect("doctree-resolved", fill_article_lists)
    app.connect("env-get-outdated", outdated_listings)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
