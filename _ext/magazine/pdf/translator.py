"""Typst for an article's resolved doctree: one ``visit_``/``depart_`` pair per node type.

The translator writes Typst *code*, never markup: a paragraph is ``par({...})``, a run of
text is a string literal from :func:`~magazine.pdf.syntax.string`, a link is
``link("https://...", {...})``. That keeps every character of an article or of a bib entry
literal (see :mod:`magazine.pdf.syntax`).

Its result is two lists of block-level Typst expressions: ``head`` (the column kicker and
headline, and the article header, :class:`magazine.articles.page.article_header`: summary,
byline, lead image and credit) and ``body`` (everything else, Works Cited included). The builder
puts them into the design's ``mag.article(...)``.

Labels are unique across the whole edition: every ``id`` of the document becomes an
invisible anchor labelled ``{docname}:{id}``, so two articles citing the same work both have
an entry ``ref-{key}`` and each in-text citation links to the entry in its own article.
A node type this module does not know gives a located warning and its plain text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx.locale import admonitionlabels
from sphinx.util.docutils import SphinxTranslator

from ..articles import page
from ..warnings import Subtype, warn
from .syntax import Code, blocks, call, collapse, inline, label, string

if TYPE_CHECKING:
    from .builder import TypstBuilder

# Elements whose single paragraph is set as running text, not as a paragraph of its own.
COMPACT_PARENTS = (nodes.list_item, nodes.citation, nodes.footnote, nodes.entry, nodes.definition)
ENUM_NUMBERING = {
    "arabic": "1.",
    "loweralpha": "a.",
    "upperalpha": "A.",
    "lowerroman": "i.",
    "upperroman": "I.",
}
SCHEME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
LENGTH_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|px|pt|mm|cm|in|em)?\s*$")


def _through(self: object, node: nodes.Node) -> None:
    """A visit or depart that writes nothing: the node's children are written in its place."""


class TypstTranslator(SphinxTranslator):
    builder: TypstBuilder

    def __init__(self, document: nodes.document, builder: TypstBuilder) -> None:
        super().__init__(document, builder)
        self.docname: str = builder.current_docname
        self.ids = {i for node in document.findall(nodes.Element) for i in node["ids"]}
        self.head: list[Code] = []
        self.body: list[Code] = []
        self.stack: list[list[Code]] = [self.body]
        self.section_level = 0
        self.article_title_done = False
        self.kicker: Code | None = None
        self.titles: dict[int, Code] = {}
        self.captions: dict[int, Code] = {}
        self.attributions: dict[int, Code] = {}
        self.marks: dict[int, Code] = {}
        self.columns: dict[int, int] = {}
        self.anchored: set[int] = set()
        self.anchored_ids: set[str] = set()
        self.linked: dict[str, nodes.Element] = {}

    # -- plumbing ----------------------------------------------------------------------------

    def label_for(self, node_id: str) -> Code:
        return label(f"{self.docname}:{node_id}")

    def anchors(self, node: nodes.Element) -> list[Code]:
        """Invisible anchors for the node's ids (once per node)."""
        if id(node) in self.anchored:
            return []
        self.anchored.add(id(node))
        self.anchored_ids.update(node["ids"])
        return [call("mag.anchor", f"{self.docname}:{i}") for i in node["ids"]]

    def add(self, code: Code) -> None:
        self.stack[-1].append(code)

    def push(self, node: nodes.Element, *, anchors_inside: bool = True) -> None:
        """Start collecting the node's content; its anchors go first, inside or before it."""
        marks = self.anchors(node)
        if not anchors_inside:
            self.stack[-1].extend(marks)
            marks = []
        self.stack.append(marks)

    def pop(self) -> list[Code]:
        return self.stack.pop()

    def dispatch_visit(self, node: nodes.Node) -> None:
        # anchors of nodes that do not collect content of their own go where they stand
        depth = len(self.stack)
        try:
            super().dispatch_visit(node)
        except nodes.SkipNode:
            if isinstance(node, nodes.Element):
                self.stack[-1].extend(self.anchors(node))
            raise
        if isinstance(node, nodes.Element) and len(self.stack) == depth:
            self.stack[-1].extend(self.anchors(node))

    def depart_document(self, node: nodes.document) -> None:
        # a link whose target was left out (inside a skipped node) still needs its label
        for target in sorted(set(self.linked) - self.anchored_ids):
            warn(
                f"the link target {target!r} is not shown in the PDF; the link goes to the "
                "end of the article",
                Subtype.pdf,
                location=self.linked[target],
            )
            self.body.append(call("mag.anchor", f"{self.docname}:{target}"))

    def unknown_visit(self, node: nodes.Node) -> None:
        warn(
            f"the PDF edition has no layout for {node.__class__.__name__!r} nodes; "
            "it shows their plain text instead",
            Subtype.pdf,
            location=node,
        )
        text = string(collapse(node.astext()))
        self.add(call("par", text) if isinstance(node, nodes.Body) else text)
        raise nodes.SkipNode

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    def compact(self, node: nodes.paragraph) -> bool:
        parent = node.parent
        if not isinstance(parent, COMPACT_PARENTS):
            return False
        return sum(isinstance(c, nodes.paragraph) for c in parent.children) == 1

    # -- structure ---------------------------------------------------------------------------

    # nodes whose visit or depart writes nothing: their children are written in their place
    # (pending_xref: unresolved: Sphinx has warned already; show the text)
    visit_document = visit_container = depart_container = visit_compound = depart_compound = \
        depart_Text = visit_inline = depart_inline = visit_abbreviation = depart_abbreviation = \
        visit_problematic = depart_problematic = visit_pending_xref = depart_pending_xref = \
        visit_target = depart_target = visit_definition = depart_definition = visit_legend = \
        depart_legend = depart_tgroup = visit_tbody = depart_tbody = visit_row = depart_row = \
        _through

    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1

    def depart_section(self, node: nodes.section) -> None:
        self.section_level -= 1

    def visit_title(self, node: nodes.title) -> None:
        self.push(node)

    def depart_title(self, node: nodes.title) -> None:
        body = inline(self.pop())
        parent = node.parent
        if not isinstance(parent, nodes.section):
            self.titles[id(parent)] = body
            return
        if self.section_level == 1 and not self.article_title_done:
            self.article_title_done = True
            self.head.append(call("mag.article-title", body, kicker=self.kicker))
            return
        self.add(call("heading", body, level=min(max(self.section_level, 2), 6)))

    def visit_subtitle(self, node: nodes.subtitle) -> None:
        self.push(node)

    def depart_subtitle(self, node: nodes.subtitle) -> None:
        self.add(call("mag.styled-par", ("article-subtitle",), inline(self.pop())))

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        self.push(node)

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        body = inline(self.pop())
        styled = page.styled_line(node)
        if styled:
            self.add(call("mag.styled-par", styled, body))
        elif self.compact(node):
            self.add(body)
        else:
            self.add(call("par", body))

    def visit_issue_header(self, node: page.issue_header) -> None:
        raise nodes.SkipNode  # an issue's date, editors and cover: the cover page's

    def visit_article_header(self, node: page.article_header) -> None:
        self.push(node)

    def depart_article_header(self, node: page.article_header) -> None:
        self.head.append(call("mag.article-header", blocks(self.pop())))

    def visit_works_cited(self, node: page.works_cited) -> None:
        self.push(node)

    def depart_works_cited(self, node: page.works_cited) -> None:
        self.add(call("mag.works-cited", blocks(self.pop())))

    def visit_web_part(self, node: page.web_part) -> None:
        raise nodes.SkipNode  # the web edition's own

    def visit_transition(self, node: nodes.transition) -> None:
        self.add(call("mag.rule"))
        raise nodes.SkipNode

    def visit_rubric(self, node: nodes.rubric) -> None:
        self.push(node)

    def depart_rubric(self, node: nodes.rubric) -> None:
        self.add(call("par", call("strong", inline(self.pop()))))

    def visit_admonition(self, node: nodes.Element) -> None:
        self.push(node)

    def depart_admonition(self, node: nodes.Element) -> None:
        parts = self.pop()
        title = self.titles.pop(id(node), None)
        if title is None and node.tagname in admonitionlabels:
            title = string(admonitionlabels[node.tagname])
        self.add(call("mag.admonition", title, blocks(parts)))

    visit_Admonition = visit_topic = visit_sidebar = visit_admonition
    depart_Admonition = depart_topic = depart_sidebar = depart_admonition

    # -- inline ------------------------------------------------------------------------------

    def visit_Text(self, node: nodes.Text) -> None:
        # control characters (a pasted bell, a form feed) have no glyph in any font, and
        # PDF/UA refuses text it cannot show: they are left out, as a browser shows nothing
        text = _CONTROL_RE.sub("", collapse(node.astext()))
        if text:
            self.add(string(text))

    def visit_hidden(self, node: page.hidden) -> None:
        raise nodes.SkipNode

    def visit_kicker(self, node: page.kicker) -> None:
        self.push(node)

    def depart_kicker(self, node: page.kicker) -> None:
        self.kicker = inline(self.pop())

    def _wrap(self, function: str) -> None:
        self.add(call(function, inline(self.pop())))

    def visit_emphasis(self, node: nodes.emphasis) -> None:
        self.push(node)

    def depart_emphasis(self, node: nodes.emphasis) -> None:
        self._wrap("emph")

    visit_title_reference = visit_emphasis
    depart_title_reference = depart_emphasis

    def visit_strong(self, node: nodes.strong) -> None:
        self.push(node)

    def depart_strong(self, node: nodes.strong) -> None:
        self._wrap("strong")

    def visit_subscript(self, node: nodes.subscript) -> None:
        self.push(node)

    def depart_subscript(self, node: nodes.subscript) -> None:
        self._wrap("sub")

    def visit_superscript(self, node: nodes.superscript) -> None:
        self.push(node)

    def depart_superscript(self, node: nodes.superscript) -> None:
        self._wrap("super")

    def visit_literal(self, node: nodes.literal) -> None:
        self.stack[-1].extend(self.anchors(node))
        self.add(call("raw", node.astext()))
        raise nodes.SkipNode

    def visit_math(self, node: nodes.math) -> None:
        # shown as its LaTeX source: Typst's math syntax is not LaTeX
        self.stack[-1].extend(self.anchors(node))
        self.add(call("raw", node.astext()))
        raise nodes.SkipNode

    def visit_reference(self, node: nodes.reference) -> None:
        self.push(node)

    def depart_reference(self, node: nodes.reference) -> None:
        body = inline(self.pop())
        if "refid" in node:
            self.add(self._internal_link(node, node["refid"], body))
            return
        uri = node.get("refuri", "")
        if uri.startswith("%"):  # another document: see TypstBuilder.get_target_uri
            docname, _, target = uri[1:].partition("#")
            if docname == self.docname:
                self.add(self._internal_link(node, target, body) if target else body)
            else:
                self.add(call("mag.xref", label(f"{docname}:{target}"), body))
        elif uri.startswith("#"):
            self.add(self._internal_link(node, uri[1:], body))
        elif SCHEME_RE.match(uri):
            self.add(call("link", uri, body))
        else:  # a path on the web site: nothing to follow in a PDF
            self.add(body)

    def _internal_link(self, node: nodes.Element, target: str, body: Code) -> Code:
        if target in self.ids:
            self.linked.setdefault(target, node)
            return call("link", self.label_for(target), body)
        warn(
            f"the link target {target!r} is not in this document; the PDF shows the text "
            "without a link",
            Subtype.pdf,
            location=node,
        )
        return body

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        self.push(node)

    def depart_footnote_reference(self, node: nodes.footnote_reference) -> None:
        body = inline(self.pop())
        if "refid" in node:
            body = self._internal_link(node, node["refid"], body)
        self.add(call("super", body))

    visit_citation_reference = visit_footnote_reference
    depart_citation_reference = depart_footnote_reference

    # -- lists, quotes, notes ----------------------------------------------------------------

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        self.push(node, anchors_inside=False)

    def depart_bullet_list(self, node: nodes.bullet_list) -> None:
        self.add(call("list", *self.pop()))

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        self.push(node, anchors_inside=False)

    def depart_enumerated_list(self, node: nodes.enumerated_list) -> None:
        numbering = ENUM_NUMBERING.get(node.get("enumtype", "arabic"), "1.")
        self.add(
            call("enum", *self.pop(), numbering=numbering, start=int(node.get("start", 1)))
        )

    def visit_list_item(self, node: nodes.list_item) -> None:
        self.push(node)

    def depart_list_item(self, node: nodes.list_item) -> None:
        self.add(blocks(self.pop()))

    def visit_definition_list(self, node: nodes.definition_list) -> None:
        self.push(node, anchors_inside=False)

    def depart_definition_list(self, node: nodes.definition_list) -> None:
        self.add(call("terms", *self.pop()))

    def visit_definition_list_item(self, node: nodes.definition_list_item) -> None:
        self.push(node)

    def depart_definition_list_item(self, node: nodes.definition_list_item) -> None:
        parts = self.pop()
        term = self.titles.pop(id(node), Code("[]"))
        self.add(call("terms.item", term, blocks(parts)))

    def visit_term(self, node: nodes.term) -> None:
        self.push(node)

    def depart_term(self, node: nodes.term) -> None:
        self.titles[id(node.parent)] = inline(self.pop())

    def visit_classifier(self, node: nodes.classifier) -> None:
        raise nodes.SkipNode

    def visit_block_quote(self, node: nodes.block_quote) -> None:
        self.push(node)

    def depart_block_quote(self, node: nodes.block_quote) -> None:
        parts = self.pop()
        attribution = self.attributions.pop(id(node), None)
        self.add(call("quote", blocks(parts), block=True, attribution=attribution))

    def visit_attribution(self, node: nodes.attribution) -> None:
        self.push(node)

    def depart_attribution(self, node: nodes.attribution) -> None:
        self.attributions[id(node.parent)] = inline(self.pop())

    def visit_line_block(self, node: nodes.line_block) -> None:
        self.push(node)

    def depart_line_block(self, node: nodes.line_block) -> None:
        self.add(call("par", inline(self.pop())))

    def visit_line(self, node: nodes.line) -> None:
        self.push(node)

    def depart_line(self, node: nodes.line) -> None:
        parts = self.pop()
        self.add(inline([*parts, Code("linebreak()")]))

    def visit_footnote(self, node: nodes.footnote) -> None:
        self.push(node)

    def depart_footnote(self, node: nodes.footnote) -> None:
        parts = self.pop()
        mark = self.marks.pop(id(node), Code("[]"))
        self.add(call("mag.footnote-entry", mark, inline(parts)))

    def visit_label(self, node: nodes.label) -> None:
        self.push(node)

    def depart_label(self, node: nodes.label) -> None:
        text = inline(self.pop())
        if isinstance(node.parent, nodes.citation):
            self.add(inline([string("["), text, string("] ")]))
        else:
            self.marks[id(node.parent)] = text

    # -- Works Cited -------------------------------------------------------------------------

    def visit_citation(self, node: nodes.citation) -> None:
        self.push(node)

    def depart_citation(self, node: nodes.citation) -> None:
        self.add(call("mag.entry", inline(self.pop())))

    # -- code, figures, tables ---------------------------------------------------------------

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        language = node.get("language")
        if language in {None, "default", "none", "text"}:
            language = None
        self.stack[-1].extend(self.anchors(node))
        self.add(call("raw", node.astext(), block=True, lang=language))
        raise nodes.SkipNode

    visit_doctest_block = visit_literal_block

    def visit_math_block(self, node: nodes.math_block) -> None:
        self.stack[-1].extend(self.anchors(node))
        self.add(call("raw", node.astext(), block=True))
        raise nodes.SkipNode

    def visit_figure(self, node: nodes.figure) -> None:
        self.push(node)

    def depart_figure(self, node: nodes.figure) -> None:
        parts = self.pop()
        caption = self.captions.pop(id(node), None)
        lead = isinstance(node, page.lead_image)
        self.add(call("mag.figure-block", blocks(parts), caption=caption, lead=lead))

    def visit_caption(self, node: nodes.caption) -> None:
        self.push(node)

    def depart_caption(self, node: nodes.caption) -> None:
        body = inline(self.pop())
        if isinstance(node.parent, nodes.figure):
            self.captions[id(node.parent)] = body
        else:
            self.add(call("par", call("emph", body)))

    def visit_image(self, node: nodes.image) -> None:
        self.stack[-1].extend(self.anchors(node))
        self.add(self.image(node))
        raise nodes.SkipNode

    def image(self, node: nodes.image) -> Code:
        alt = node.get("alt") or ""
        uri = node["uri"]
        dest = self.builder.images.get(uri)
        if dest is None:
            warn(
                f"the image {uri!r} cannot be put in the PDF (only local SVG, PNG, JPEG, GIF "
                "and WebP files can); the PDF shows its alt text",
                Subtype.pdf,
                location=node,
            )
            return call("mag.image-alt", alt or uri)
        inline_image = isinstance(node.parent, nodes.TextElement)
        width = _length(node.get("width", "" if inline_image else "100%"))
        height = _length(node.get("height", "1em" if inline_image else ""))
        kwargs: dict[str, Any] = {"alt": alt or None}
        if width is not None:
            kwargs["width"] = width
        if height is not None:
            kwargs["height"] = height
        picture = call("image", f"/{self.builder.imagedir}/{dest}", **kwargs)
        return call("box", picture) if inline_image else picture

    def visit_table(self, node: nodes.table) -> None:
        self.push(node, anchors_inside=False)  # collects the cells

    def depart_table(self, node: nodes.table) -> None:
        cells = self.pop()
        columns = self.columns.pop(id(node), 0) or _table_columns(node)
        caption = self.titles.pop(id(node), None)
        table = call("table", *cells, columns=columns, align=Code("left"))
        self.add(call("mag.figure-block", table, caption=caption))

    def visit_tgroup(self, node: nodes.tgroup) -> None:
        self.columns[id(node.parent)] = int(node.get("cols", 0))

    def visit_colspec(self, node: nodes.colspec) -> None:
        raise nodes.SkipNode

    def visit_thead(self, node: nodes.thead) -> None:
        self.push(node)

    def depart_thead(self, node: nodes.thead) -> None:
        self.add(call("table.header", *self.pop()))

    def visit_entry(self, node: nodes.entry) -> None:
        self.push(node)

    def depart_entry(self, node: nodes.entry) -> None:
        body = blocks(self.pop())
        if isinstance(node.parent.parent, nodes.thead):
            body = call("strong", body)
        spans = {}
        if node.get("morecols"):
            spans["colspan"] = int(node["morecols"]) + 1
        if node.get("morerows"):
            spans["rowspan"] = int(node["morerows"]) + 1
        self.add(call("table.cell", body, **spans) if spans else body)

    # -- what the PDF leaves out -------------------------------------------------------------

    def visit_raw(self, node: nodes.raw) -> None:
        warn(
            f"raw {node.get('format', '')} content is not shown in the PDF edition",
            Subtype.pdf,
            location=node,
        )
        raise nodes.SkipNode

    def visit_comment(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    visit_substitution_definition = visit_system_message = visit_docinfo = visit_comment
    visit_meta = visit_index = visit_toctree = visit_comment


_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _length(text: str) -> Code | None:
    """A Typst length from a docutils one (``50%``, ``200px``, ``3cm``); None if unusable."""
    match = LENGTH_RE.match(str(text or ""))
    if match is None:
        return None
    number, unit = float(match.group(1)), match.group(2) or "px"
    if unit == "px":
        number, unit = number * 0.75, "pt"
    return Code(f"{number:g}{unit}")


def _table_columns(node: nodes.table) -> int:
    rows = list(node.findall(nodes.row))
    return max((len(r.children) for r in rows), default=1)
