"""An article's doctree as the body of a JATS 1.3 article: one visit/depart per node type.

The translator builds lxml elements (every text is set through the element tree, which
escapes it; characters XML cannot hold are left out). It keeps a stack of the elements
being filled: a visit opens the node's element under the current one, its depart closes
it. What the front matter says (title, header, byline, lead image) is JATS's ``<front>``
and the Works Cited is its ``<back>``, both written by :mod:`.builder` from the records;
the translator skips those parts of the doctree, keeps the Works Cited entries' rendered
APA text for the ``<mixed-citation>`` of each ``<ref>``, and the footnotes for ``<fn-group>``.

In-text citations become ``<xref ref-type="bibr">`` to their ``<ref>``; links within the
article, ``<xref>`` to the section, figure, table or footnote they point to; links out,
``<ext-link>``. A node type without a JATS form is a located warning, and its text is kept.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from docutils import nodes
from lxml import etree
from sphinx.util.docutils import SphinxTranslator

from ..articles import page
from ..registration.xmlcheck import clean
from ..warnings import Subtype, warn

if TYPE_CHECKING:
    from .builder import JatsBuilder

XLINK = "http://www.w3.org/1999/xlink"
MATHML = "http://www.w3.org/1998/Math/MathML"
ALI = "http://www.niso.org/schemas/ali/1.0/"
_NOT_NAME_RE = re.compile(r"[^A-Za-z0-9_.-]")
SCHEME_RE = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)

#: inline nodes and the element each becomes
INLINE = {
    nodes.emphasis: "italic",
    nodes.strong: "bold",
    nodes.literal: "monospace",
    nodes.subscript: "sub",
    nodes.superscript: "sup",
    nodes.title_reference: "italic",
    nodes.abbreviation: "abbrev",
}


def xml_id(value: str) -> str:
    """An id as XML allows it (a name: a letter first, no spaces)."""
    name = _NOT_NAME_RE.sub("-", value)
    return name if name[:1].isalpha() else f"id-{name}"


def add_text(element: etree._Element, text: str) -> None:
    """Text at the end of an element: its text, or the tail of its last child."""
    text = clean(text)
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _through(self: object, node: nodes.Node) -> None:
    """A visit or depart that writes nothing: the node's children are written in its place."""


class JatsTranslator(SphinxTranslator):
    builder: JatsBuilder

    def __init__(self, document: nodes.document, builder: JatsBuilder) -> None:
        super().__init__(document, builder)
        self.docname = builder.current_docname
        self.body = etree.Element("body")
        self.stack: list[etree._Element] = [self.body]
        self.section_level = 0
        #: the Works Cited entries as rendered: (node id, <mixed-citation>)
        self.references: list[tuple[str, etree._Element]] = []
        self.footnotes = etree.Element("fn-group")
        self.kinds = self._kinds(document)

    @staticmethod
    def _kinds(document: nodes.document) -> dict[str, str]:
        """Each id of the document and the ``ref-type`` of a link to it."""
        kinds: dict[str, str] = {}
        for node in document.findall(nodes.Element):
            kind = ("bibr" if isinstance(node, nodes.citation) else
                    "fn" if isinstance(node, nodes.footnote) else
                    "fig" if isinstance(node, nodes.figure) else
                    "table" if isinstance(node, nodes.table) else
                    "sec" if isinstance(node, nodes.section) else None)
            if kind is not None:
                for node_id in node["ids"]:
                    kinds.setdefault(node_id, kind)
        return kinds

    # -- plumbing ----------------------------------------------------------------------------

    @property
    def current(self) -> etree._Element:
        return self.stack[-1]

    def open(self, tag: str, node: nodes.Element | None = None, **attributes: str
             ) -> etree._Element:
        """A new element under the current one, made current; the node's first id on it."""
        # keyword arguments name attributes with "_" where JATS writes "-" (ref_type)
        named = {k if k.startswith("{") else k.replace("_", "-"): v for k, v in attributes.items()}
        element = etree.SubElement(self.current, tag, named)
        if node is not None and node.get("ids") and tag in ID_TAGS:
            element.set("id", xml_id(node["ids"][0]))
        self.stack.append(element)
        return element

    def close(self, _node: nodes.Node | None = None) -> None:
        self.stack.pop()

    def unknown_visit(self, node: nodes.Node) -> None:
        warn(f"the JATS file (the archive edition) has no form for {node.__class__.__name__!r} "
             "nodes and keeps only their text; write this part with the Markdown that "
             "CONTRIBUTING.md shows, or ask the maintainers to support it (magazine.jats)",
             Subtype.registration, location=node)
        if self.current.tag in BLOCK_PARENTS:  # text stands in a paragraph there
            etree.SubElement(self.current, "p").text = clean(node.astext())
        else:
            add_text(self.current, node.astext())
        raise nodes.SkipNode

    def unknown_departure(self, node: nodes.Node) -> None:
        pass

    # -- structure ---------------------------------------------------------------------------

    # nodes whose visit or depart writes nothing: their children are written in their place
    # (glossary: its definition list is what the file shows)
    # (pending_xref: unresolved: Sphinx has warned already; its text stays)
    visit_document = depart_document = visit_container = depart_container = visit_glossary = \
        depart_glossary = visit_compound = depart_compound = depart_Text = visit_inline = \
        depart_inline = visit_target = depart_target = visit_pending_xref = \
        depart_pending_xref = visit_problematic = depart_problematic = visit_tgroup = \
        depart_tgroup = _through

    def visit_section(self, node: nodes.section) -> None:
        self.section_level += 1
        if self.section_level == 1:
            return  # the article itself: its title is the front's
        if page.works_cited_list(node) is not None:
            self._keep_references(node)
            raise nodes.SkipNode
        self.open("sec", node)

    def depart_section(self, node: nodes.section) -> None:
        if self.section_level > 1:
            self.close()
        self.section_level -= 1

    def _keep_references(self, section: nodes.section) -> None:
        """The Works Cited entries as the article shows them (APA), for the back."""
        for citation in section.findall(nodes.citation):
            mixed = etree.Element("mixed-citation")
            self.stack.append(mixed)
            for child in citation.children:
                if not isinstance(child, nodes.label):
                    child.walkabout(self)
            self.stack.pop()
            self.references.append((citation["ids"][0] if citation["ids"] else "", mixed))

    def visit_title(self, node: nodes.title) -> None:
        if isinstance(node.parent, nodes.section) and self.section_level == 1:
            raise nodes.SkipNode  # the article's title: in the front
        if isinstance(node.parent, nodes.table):
            raise nodes.SkipNode  # a table's title is its caption (depart_table)
        if self.current.tag == "boxed-text":
            self.open("caption")  # a box's title is its caption's
        self.open("title")

    def depart_title(self, node: nodes.title) -> None:
        self.close()
        if self.current.tag == "caption":
            self.close()

    def visit_article_header(self, node: page.article_header | page.issue_header) -> None:
        # the front matter's, written in the front; but the lead image opens the body
        for figure in node.findall(nodes.figure):
            figure.walkabout(self)
        raise nodes.SkipNode

    visit_issue_header = visit_article_header

    def visit_paragraph(self, node: nodes.paragraph) -> None:
        if self.current.tag in TEXT_ONLY:
            if self.current.tag in ("td", "th") and (len(self.current) or self.current.text):
                etree.SubElement(self.current, "break")
            elif len(self.current) or self.current.text:
                add_text(self.current, " ")
            return  # cells, attributions and citations hold text, not paragraphs
        self.open("p")

    def depart_paragraph(self, node: nodes.paragraph) -> None:
        if self.current.tag == "p":
            self.close()

    def visit_Text(self, node: nodes.Text) -> None:
        add_text(self.current, node.astext())

    def visit_transition(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    def visit_rubric(self, node: nodes.rubric) -> None:
        self.open("p", content_type="rubric")
        self.open("bold")

    def depart_rubric(self, node: nodes.rubric) -> None:
        self.close()
        self.close()

    def visit_admonition(self, node: nodes.Element) -> None:
        self.open("boxed-text", node, content_type=node.__class__.__name__)
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        if title is None and not isinstance(node, nodes.admonition):
            caption = etree.SubElement(self.current, "caption")
            etree.SubElement(caption, "title").text = node.__class__.__name__.capitalize()

    def depart_admonition(self, node: nodes.Element) -> None:
        self.close()

    # a topic or a sidebar is a box beside the text, with its title as the caption's
    visit_topic = visit_sidebar = visit_admonition
    depart_topic = depart_sidebar = depart_admonition
    visit_note = visit_tip = visit_warning = visit_important = visit_caution = visit_admonition
    visit_attention = visit_danger = visit_error = visit_hint = visit_seealso = visit_admonition
    depart_note = depart_tip = depart_warning = depart_important = depart_admonition
    depart_caution = depart_attention = depart_danger = depart_error = depart_admonition
    depart_hint = depart_seealso = depart_admonition

    # -- inline ------------------------------------------------------------------------------

    def dispatch_visit(self, node: nodes.Node) -> None:
        tag = INLINE.get(type(node))
        if tag is not None:
            self.open(tag)
            return
        super().dispatch_visit(node)

    def dispatch_departure(self, node: nodes.Node) -> None:
        if type(node) in INLINE:
            self.close()
            return
        super().dispatch_departure(node)

    def visit_math(self, node: nodes.math) -> None:
        formula = self.open("inline-formula")
        etree.SubElement(formula, "tex-math").text = clean(node.astext())
        self.close()
        raise nodes.SkipNode

    def visit_math_block(self, node: nodes.math_block) -> None:
        formula = self.open("disp-formula", node)
        etree.SubElement(formula, "tex-math").text = clean(node.astext())
        self.close()
        raise nodes.SkipNode

    def visit_reference(self, node: nodes.reference) -> None:
        target = node.get("refid") or ""
        uri = node.get("refuri", "")
        if not target and uri.startswith("#"):
            target = uri[1:]
        if target:
            kind = self.kinds.get(target)
            if kind is None:
                return  # not in this article: its text only
            self.open("xref", ref_type=kind, rid=xml_id(target))
            return
        if SCHEME_RE.match(uri):
            self.open("ext-link", ext_link_type="uri", **{f"{{{XLINK}}}href": uri})
            return
        # another page of the site: its address
        if uri:
            address = self.builder.page_address(uri)
            self.open("ext-link", ext_link_type="uri", **{f"{{{XLINK}}}href": address})

    def depart_reference(self, node: nodes.reference) -> None:
        if self.current.tag in ("xref", "ext-link"):
            self.close()

    def visit_footnote_reference(self, node: nodes.footnote_reference) -> None:
        self.open("xref", ref_type="fn", rid=xml_id(node.get("refid", "")))

    depart_footnote_reference = close

    # -- lists, quotes, notes ----------------------------------------------------------------

    def visit_bullet_list(self, node: nodes.bullet_list) -> None:
        self.open("list", node, list_type="bullet")

    def visit_enumerated_list(self, node: nodes.enumerated_list) -> None:
        self.open("list", node, list_type="order")

    depart_bullet_list = depart_enumerated_list = close

    def visit_list_item(self, node: nodes.list_item) -> None:
        self.open("list-item")

    depart_list_item = close

    def visit_definition_list(self, node: nodes.definition_list) -> None:
        self.open("def-list", node)

    depart_definition_list = close

    def visit_definition_list_item(self, node: nodes.definition_list_item) -> None:
        self.open("def-item")

    depart_definition_list_item = close

    def visit_term(self, node: nodes.term) -> None:
        self.open("term")

    depart_term = close

    def visit_classifier(self, node: nodes.classifier) -> None:
        add_text(self.current, " (" + node.astext() + ")")
        raise nodes.SkipNode

    def visit_definition(self, node: nodes.definition) -> None:
        self.open("def")

    depart_definition = close

    def visit_block_quote(self, node: nodes.block_quote) -> None:
        self.open("disp-quote", node)

    depart_block_quote = close

    def visit_attribution(self, node: nodes.attribution) -> None:
        self.open("attrib")

    depart_attribution = close

    def visit_line_block(self, node: nodes.line_block) -> None:
        self.open("verse-group")

    depart_line_block = close

    def visit_line(self, node: nodes.line) -> None:
        self.open("verse-line")

    depart_line = close

    def visit_footnote(self, node: nodes.footnote) -> None:
        fn = etree.SubElement(self.footnotes, "fn")
        if node["ids"]:
            fn.set("id", xml_id(node["ids"][0]))
        self.stack.append(fn)

    def depart_footnote(self, node: nodes.footnote) -> None:
        self.stack.pop()

    def visit_label(self, node: nodes.label) -> None:
        self.open("label")

    depart_label = close

    def visit_citation(self, node: nodes.citation) -> None:
        raise nodes.SkipNode  # only inside the Works Cited, kept by _keep_references

    # -- code, figures, tables ---------------------------------------------------------------

    def visit_literal_block(self, node: nodes.literal_block) -> None:
        language = node.get("language")
        if language in (None, "default", "none", "text"):
            element = self.open("preformat", node)
        else:  # program code: JATS's <code> says its language
            element = self.open("code", node, language=str(language))
        add_text(element, node.astext())
        self.close()
        raise nodes.SkipNode

    def visit_figure(self, node: nodes.figure) -> None:
        self.open("fig", node)

    def depart_figure(self, node: nodes.figure) -> None:
        figure = self.current
        # JATS's order: caption, then the graphic, then the credit
        for tag in ("graphic", "attrib"):
            for element in figure.findall(tag):
                figure.remove(element)
                figure.append(element)
        self.close()

    def visit_caption(self, node: nodes.caption) -> None:
        caption = self.open("caption")
        self.stack.append(etree.SubElement(caption, "p"))

    def depart_caption(self, node: nodes.caption) -> None:
        self.close()
        self.close()

    def visit_legend(self, node: nodes.legend) -> None:
        caption = self.current.find("caption")
        if caption is None:
            caption = etree.SubElement(self.current, "caption")
        self.stack.append(caption)

    def depart_legend(self, node: nodes.legend) -> None:
        self.close()

    def visit_image(self, node: nodes.image) -> None:
        href = self.builder.image_href(node)
        if href is None:
            warn(f"the image {node['uri']!r} is not in the JATS package (only the project's "
                 "own images are); the file keeps its description", Subtype.registration,
                 location=node)
            if node.get("alt"):
                add_text(self.current, node["alt"])
            raise nodes.SkipNode
        tag = "inline-graphic" if isinstance(node.parent, nodes.TextElement) else "graphic"
        graphic = etree.SubElement(self.current, tag, {f"{{{XLINK}}}href": href})
        if node.get("alt"):
            etree.SubElement(graphic, "alt-text").text = clean(node["alt"])
        raise nodes.SkipNode

    def visit_table(self, node: nodes.table) -> None:
        wrap = self.open("table-wrap", node)
        title = next((c for c in node.children if isinstance(c, nodes.title)), None)
        if title is not None:
            caption = etree.SubElement(wrap, "caption")
            etree.SubElement(caption, "title").text = clean(title.astext())
        self.open("table")

    def depart_table(self, node: nodes.table) -> None:
        self.close()
        self.close()

    def visit_colspec(self, node: nodes.colspec) -> None:
        raise nodes.SkipNode

    def visit_thead(self, node: nodes.thead) -> None:
        self.open("thead")

    def visit_tbody(self, node: nodes.tbody) -> None:
        self.open("tbody")

    depart_thead = depart_tbody = close

    def visit_row(self, node: nodes.row) -> None:
        self.open("tr")

    depart_row = close

    def visit_entry(self, node: nodes.entry) -> None:
        head = isinstance(node.parent.parent, nodes.thead)
        spans: dict[str, Any] = {}
        if node.get("morecols"):
            spans["colspan"] = str(int(node["morecols"]) + 1)
        if node.get("morerows"):
            spans["rowspan"] = str(int(node["morerows"]) + 1)
        self.open("th" if head else "td", **spans)

    depart_entry = close

    # -- what JATS leaves out ----------------------------------------------------------------

    def visit_raw(self, node: nodes.raw) -> None:
        raise nodes.SkipNode  # raw markup is never copied into an archive file

    def visit_comment(self, node: nodes.Node) -> None:
        raise nodes.SkipNode

    visit_substitution_definition = visit_system_message = visit_docinfo = visit_comment
    visit_meta = visit_index = visit_toctree = visit_comment


#: the elements that carry the id of the node they come from
ID_TAGS = {"sec", "fig", "table-wrap", "list", "def-list", "disp-quote", "boxed-text",
           "disp-formula", "preformat", "code"}
#: elements that hold text but no paragraph: a paragraph's text goes in as it is
TEXT_ONLY = {"td", "th", "attrib", "term", "mixed-citation", "title", "label", "p"}
#: where a paragraph may stand
BLOCK_PARENTS = {"body", "sec", "list-item", "def", "disp-quote", "fn", "boxed-text"}
