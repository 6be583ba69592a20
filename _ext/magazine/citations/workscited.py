"""The Works Cited list at the end of every article that cites.

Contributors only cite (``{cite:p}`key```); at ``source-read`` this module appends a
"Works Cited" section holding a sphinxcontrib-bibtex ``bibliography`` directive restricted
to the entries that this article cites. After sphinxcontrib-bibtex has filled the list in,
a post-transform drops the bracketed labels that a citation list would otherwise show,
because an APA reference list begins with the author, not a label, and drops personal
communications when ``magazine_personal_communications`` is "in-text" (APA 8.9).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx import addnodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .. import schedule
from ..articles import page
from ..articles.frontmatter import is_article
from ..bibstyle.entries import is_personal_communication
from ..doors.bibtex27 import (
    BibtexDomain,
    bibliography_node,
    filled_by_library,
    parse_citation_targets,
)
from ..gate.boundary import refused_bibfiles
from ..warnings import Subtype, warn
from .bibcheck import suggest_keys

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

CITE_ROLE_RE = re.compile(r"\{cite(?::[a-z]+)?\}`")
OWN_BIBLIOGRAPHY_RE = re.compile(r"^[ \t]*(?:`{3,}|~{3,}|:{3,})[ \t]*\{bibliography\}", re.MULTILINE)

SECTION = """

## {title}

```{{bibliography}}
:filter: docname in docnames
```
"""


def cites(source: str) -> bool:
    return CITE_ROLE_RE.search(source) is not None


def add_works_cited(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: append the Works Cited section to an article that cites."""
    if not is_article(app.env, docname):
        return
    text = source[0]
    own = OWN_BIBLIOGRAPHY_RE.search(text)
    if own is not None:
        line = text.count("\n", 0, own.start()) + 1
        warn(
            "articles get their Works Cited list automatically; remove this bibliography "
            "directive (and its heading)",
            Subtype.works_cited,
            location=(docname, line),
        )
        return
    if cites(text):
        source[0] = text.rstrip("\n") + SECTION.format(
            title=app.config.magazine_works_cited_title
        )


def check_citations(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: every cited key exists (else suggest the closest keys), and an
    article that cites has its Works Cited list."""
    env = app.env
    entries = env.get_domain("cite").bibdata.data.entries  # type: ignore[attr-defined]
    cites = [
        node for node in doctree.findall(addnodes.pending_xref)
        if node.get("refdomain") == "cite"
    ]
    # with a bib file refused, its keys are unknown: its refusal is the one message to give
    missing_known = not refused_bibfiles(app.srcdir)
    for node in cites:
        try:
            targets = list(parse_citation_targets(node["reftarget"]))
        except ValueError:
            warn(
                f"the citation `{node['reftarget']}` cannot be read; write the key alone, "
                "{cite:p}`key`, several keys with commas, or a page as {cite:p}`key{p. 3}`",
                Subtype.citation,
                location=node,
            )
            continue
        for target in targets:
            if missing_known or target.key in entries:
                warn_unknown_key(target.key, entries, node)
    if cites and is_article(env, env.docname) and not any(doctree.findall(bibliography_node)):
        warn(
            "this article cites but has no Works Cited list; remove any hand-made "
            "bibliography so that the list is added automatically",
            Subtype.works_cited,
            location=(env.docname, None),
        )


def warn_unknown_key(key: str, entries: dict, node: nodes.Node) -> None:
    if key in entries:
        canonical = entries[key].key
        if canonical != key:
            warn(
                f"the key '{key}' is written '{canonical}' in the bibliography; "
                "keys are case-sensitive in citations",
                Subtype.citation,
                location=node,
            )
        return
    close = suggest_keys(key, entries.keys())
    hint = (
        "did you mean " + " or ".join(f"'{k}'" for k in close) + "?"
        if close
        else "add an entry with this key to references.bib, or check the spelling"
    )
    warn(f"no bibliography entry has the key '{key}'; {hint}", Subtype.citation, location=node)


class WorksCitedTransform(SphinxPostTransform):
    """Give Works Cited entries the look of an APA list: no labels, a class to style."""

    # after sphinxcontrib-bibtex fills the list (bibtex27.FILL_PRIORITY), before references
    # resolve (10)
    default_priority = schedule.WORKS_CITED

    def run(self, **kwargs: object) -> None:
        personal = personal_communications(self.env)
        for citation in list(self.document.findall(nodes.citation)):
            if not filled_by_library(citation):
                continue
            if personal & set(citation["ids"]):
                # APA 8.9: cited in the text only; drop a list left empty, with its heading
                container = citation.parent
                container.remove(citation)
                if not any(container.findall(nodes.citation)):
                    section = container.parent
                    (section if isinstance(section, nodes.section) else container).replace_self([])
                continue
            for label in list(citation.findall(nodes.label)):
                label.parent.remove(label)
            citation["classes"].append("works-cited-entry")
            if isinstance(citation.parent, nodes.container):
                page.mark_works_cited(citation.parent)


def personal_communications(env: BuildEnvironment) -> set[str]:
    """Citation ids of personal communications, when the style cites them in text only."""
    if env.config.magazine_personal_communications != "in-text":
        return set()
    domain = env.get_domain("cite")
    return {
        citation.citation_id
        for citation in domain.citations  # type: ignore[attr-defined]
        if is_personal_communication(citation.entry)
    }


class WorksCitedDomain(BibtexDomain):
    """sphinxcontrib-bibtex's ``cite`` domain, with "first citation" meaning first in the
    article that the list belongs to.

    sphinxcontrib-bibtex orders a list by the first citation anywhere in the site, in
    document order: an article's list would follow whichever earlier article cited the
    same works first. Each Works Cited list is an article's own, so its order is the order
    in which that article cites (the list holds only works the article cites).

    The magazine's domain, :class:`~.citeindex.CiteDomain`, is this one computed from
    indexes; :mod:`.citeindex` registers it.
    """

    def get_sorted_entries(self, bibliography_key, docnames):  # type: ignore[no-untyped-def]
        own = bibliography_key.docname
        return super().get_sorted_entries(
            bibliography_key, [own, *(d for d in docnames if d != own)]
        )


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.doors.bibtex27")
    app.connect("source-read", add_works_cited)
    app.connect("doctree-read", check_citations)
    app.add_post_transform(WorksCitedTransform)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
