"""A listing page for each column: ``columns/news-byte.html`` lists every News Byte.

The pages are made at ``html-collect-pages`` from the article records (no source files):
the same cards as the front page (:func:`.listing.build_card`), newest first. Like the
front page, they are the only pages that look at every article.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from docutils import nodes

from . import links
from .listing import build_card, makes_pages, ordered_articles, page_fragment

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

    from ..articles.frontmatter import FrontMatter


def columns(app: Sphinx) -> dict[str, list[tuple[str, FrontMatter]]]:
    """Column name -> its articles in front-page order."""
    grouped: dict[str, list[tuple[str, FrontMatter]]] = defaultdict(list)
    for docname, record in ordered_articles(app.env):
        grouped[record.column].append((docname, record))
    return dict(sorted(grouped.items()))


def column_body(app: Sphinx, pagename: str, column: str, articles: list) -> str:
    section = nodes.section(ids=[links.slug(column)])
    section += nodes.title("", column)
    count = f"{len(articles)} article" + ("" if len(articles) == 1 else "s")
    section += nodes.paragraph(
        "", f"Every {column} article in {app.config.project}, newest first ({count}).",
        classes=["column-intro"],
    )
    cards = nodes.container(classes=["article-list"])
    for docname, record in articles:
        cards += build_card(app, pagename, docname, record)
    section += cards
    return page_fragment(app, section)


def column_pages(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    """``html-collect-pages``: one page per column."""
    if not makes_pages(app):
        return
    for column, articles in columns(app).items():
        pagename = links.column_page(column)
        body = column_body(app, pagename, column, articles)
        yield pagename, {"title": column, "body": body}, "page.html"


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("html-collect-pages", column_pages)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
