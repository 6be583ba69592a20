"""The line under an article's byline: reading time, licence, and the column's page.

``2 min read · Licence: CC BY 4.0 · More from News Byte``. Reading time counts the words
of the article's text (not its header, not its Works Cited) at about 230 words a minute,
rounded up. The licence links to its deed with ``rel="license"``. The line is part of the
web edition only (added at ``doctree-resolved`` by HTML builders).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from docutils import nodes
from markupsafe import Markup

from ..articles import page
from ..articles.frontmatter import articles_domain, is_article
from ..articles.licenses import LICENSES
from . import links

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

    from ..articles.frontmatter import FrontMatter

WORDS_PER_MINUTE = 230


def reading_minutes(words: int) -> int:
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def count_words(section: nodes.section) -> int:
    """Words of the article's text: paragraphs and lists, not its header or Works Cited."""
    skip = {id(node) for node in section.findall(page.article_header)}
    works_cited = page.works_cited_section(section)
    if works_cited is not None:
        skip.add(id(works_cited))
    total = 0

    def walk(node: nodes.Node) -> None:
        nonlocal total
        if id(node) in skip or isinstance(node, (nodes.title, nodes.comment, nodes.raw)):
            return
        if isinstance(node, nodes.Text):
            total += len(node.astext().split())
            return
        for child in node.children:
            walk(child)

    walk(section)
    return total


def info_line(docname: str, record: FrontMatter, words: int) -> Markup:
    name, deed = LICENSES[record.license]
    column = links.relative(docname, links.column_page(record.column) + ".html")
    return Markup(
        '<p class="article-meta">'
        '<span class="reading-time">{} min read</span> · '
        'Licence: <a class="article-license" rel="license" href="{}">{}</a> · '
        '<a class="article-column-link" href="{}">More from {}</a></p>\n'
    ).format(reading_minutes(words), deed, name, column, record.column)


def add_article_info(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` (HTML only): the info line after the byline (or summary)."""
    if app.builder.format != "html" or not is_article(app.env, docname):
        return
    record = articles_domain(app.env).article(docname)
    if record is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    header = page.header(doctree)
    if section is None or header is None:
        return
    line = page.web_part(info_line(docname, record, count_words(section)))
    page.add_to_header(header, line, page.META_LINE)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("doctree-resolved", add_article_info)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
