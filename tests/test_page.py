"""The article page's parts (magazine.articles.page): made as nodes, found by type, and
placed in the order the module declares, whichever handler adds a part first."""

from __future__ import annotations

import sys

from docutils import nodes
from markupsafe import Markup

from conftest import ROOT

sys.path.insert(0, str(ROOT / "_ext"))
from magazine.articles import page  # noqa: E402


def names(parent: nodes.Element) -> list[str]:
    return [child.get(page.PART, child.tagname) for child in parent.children]


def test_header_parts_stand_in_the_declared_order_whatever_order_they_come_in() -> None:
    byline = page.new_byline(nodes.Text("By A. Writer"))
    header = page.new_header("A subtitle", "A summary.", byline)
    header += page.new_lead_image("/_static/images/x.svg", "alt", "credit")
    # the web edition's lines, added in the reverse of their order on the page
    page.add_to_header(header, nodes.paragraph("", "PDF"), page.PDF_LINK)
    page.add_to_header(header, page.web_part(Markup("<p>meta</p>")), page.META_LINE)
    page.add_to_header(header, nodes.paragraph("", "issue"), page.ISSUE_LINE)
    assert names(header) == list(page.HEADER)
    assert isinstance(header[-1], page.lead_image)
    assert page.styled_line(header[0]) == ("article-subtitle",)
    assert page.styled_line(header[3]) == ()


def test_the_ending_stands_in_the_declared_order() -> None:
    article = nodes.section()
    article += nodes.title("", "Headline")
    article += page.new_header("", "A summary.", None)
    article += nodes.paragraph("", "The text.")
    cited = nodes.section(ids=["works-cited"])
    cited += nodes.title("", "Works Cited")
    container = nodes.container()
    container += nodes.citation()
    cited += container
    article += cited
    listed = page.mark_works_cited(container)
    assert isinstance(listed, page.works_cited) and "works-cited" in listed["classes"]
    assert page.works_cited_section(article) is cited
    assert page.in_works_cited(listed[0])
    assert not page.in_works_cited(article[2])
    page.add_after_text(article, nodes.section(ids=["versions"]), page.VERSIONS)
    page.add_after_text(article, page.web_part(Markup("<div>cite</div>")), page.CITE_BOX)
    page.add_after_text(article, page.web_part(Markup("<nav></nav>")), page.ISSUE_NAV)
    notices = nodes.container()
    page.add_after_header(article, notices)
    assert names(article) == ["title", "article_header", "container", "paragraph",
                              *page.ENDING]
    assert article.index(notices) == article.index(page.header(article)) + 1


def test_a_web_part_is_raw_html_the_search_skips_unless_asked() -> None:
    quiet = page.web_part(Markup("<p>Cite</p>"))
    shown = page.web_part(Markup("<img alt='cover'>"), searchable=True)
    assert quiet["format"] == "html" and quiet["classes"] == ["no-search"]
    assert shown["classes"] == []
    assert quiet.astext() == "<p>Cite</p>"


def test_the_safety_transform_keeps_the_magazines_pieces_and_refuses_any_other_raw() -> None:
    """A web part passes the last look for raw markup wherever it is added; a raw node of
    any other kind (what a contributor's HTML becomes) is shown as text."""
    from docutils.frontend import get_default_settings
    from docutils.parsers.rst import Parser
    from docutils.utils import new_document
    from magazine.gate.safety import SafeContentTransform

    document = new_document("test", get_default_settings(Parser))
    section = nodes.section()
    document += section
    section += page.web_part(Markup('<div class="cite-box">Cite</div>'))
    section += nodes.raw("", "<script>alert(1)</script>", format="html")
    SafeContentTransform(document).run()
    kinds = [type(child) for child in section.children]
    assert kinds == [page.web_part, nodes.literal_block]
    assert section[1].astext() == "<script>alert(1)</script>"
