"""Articles depend on the bib entries they cite, not on the whole bib file.

sphinxcontrib-bibtex's ``bibliography`` directive makes a citation node for every entry of
its bib files, in every list (kept in the environment: articles x entries nodes, most of
the memory and of the pickled environment of a large archive), and makes the document
depend on the whole bib file, so that any edit of one entry reads and writes every article
again.

For a Works Cited list (the filter ``docname in docnames``, no key prefix, the list that
:mod:`.workscited` adds) the directive here is the library's own, shown only the entries
the article cites, and the article does not depend on the bib file:

- ``bibliography`` (:class:`WorksCitedBibliography`): citation nodes for the entries cited
  so far in the document (the list comes last);
- ``doctree-read`` (:func:`complete_lists`): nodes for the works cited after the list (MyST
  puts footnotes at the end of the document), and the dependency on the bib file dropped;
- ``env-get-outdated`` (:func:`outdated_by_entries`): the documents citing an entry that
  changed, appeared or disappeared since the last build, by the entries' fingerprints
  (:meth:`.citeindex.IndexedBibtexDomain.refresh_fingerprints`), are read again.

Every other bibliography keeps the library's behaviour, dependency included.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from docutils import nodes

from .. import schedule
from ..doors.bibtex27 import (
    BibliographyDirective,
    bibliography_key,
    bibliography_node,
    citation_ids,
    cited_so_far,
    made_bibliography,
)
from .citeindex import IndexedBibtexDomain, is_docname_filter

if TYPE_CHECKING:
    from collections.abc import Set

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

#: temp_data: ids of this document's Works Cited lists -> their sphinxcontrib-bibtex count
LISTS = "magazine_works_cited_lists"
#: temp_data: this document has a bibliography that depends on whole bib files
WHOLE_FILES = "magazine_whole_bib_files"


def per_document(options: dict) -> bool:
    """A list of the entries its own document cites, and nothing else."""
    if "keyprefix" in options or "filter" not in options:
        return False
    try:
        return is_docname_filter(ast.parse(options["filter"]))
    except SyntaxError:
        return False


class WorksCitedBibliography(BibliographyDirective):
    """The library's directive; a Works Cited list sees only the entries its article cites."""

    def run(self) -> list[nodes.Node]:
        domain = self.env.get_domain("cite")
        if not isinstance(domain, IndexedBibtexDomain) or not per_document(self.options):
            self.env.temp_data[WHOLE_FILES] = True
            return list(super().run())
        with domain.entries_limited_to([*cited_so_far(domain, self.env.docname), *self.content]):
            result = list(super().run())
        ident, count = made_bibliography(self.env, result)
        self.env.temp_data.setdefault(LISTS, {})[ident] = count
        return result


def complete_lists(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``: citation nodes for works cited after the list; no dependency on
    the bib files unless another bibliography of the document needs it."""
    env = app.env
    lists = env.temp_data.get(LISTS)
    domain = env.get_domain("cite")
    if not lists or not isinstance(domain, IndexedBibtexDomain):
        return
    entries = domain.bibdata.data.entries
    cited = set(cited_so_far(domain, env.docname))
    bibfiles = set()
    for node in doctree.findall(bibliography_node):
        bib_key = bibliography_key(node)
        count = lists.get(bib_key.id_)
        if count is None:
            continue
        bibliography = domain.bibliographies[bib_key]
        bibfiles.update(bibliography.bibfiles)
        keys = {entries[k].key for k in cited | set(bibliography.keys) if k in entries}
        for key in sorted(keys - bibliography.citation_nodes.keys()):
            citation = nodes.citation(
                ids=citation_ids(env, doctree, count, key, bibliography.line)
            )
            doctree.note_explicit_target(citation, citation)
            bibliography.citation_nodes[key] = citation
    if not env.temp_data.get(WHOLE_FILES):
        dependencies = env.dependencies.get(env.docname, set())
        for bibfile in bibfiles:
            dependencies.discard(env.srcdir / str(bibfile))


def outdated_by_entries(
    app: Sphinx, env: BuildEnvironment, added: Set[str], changed: Set[str], removed: Set[str]
) -> list[str]:
    """``env-get-outdated``: the documents that cite an entry that changed since the last
    build, or that list it without citing it."""
    domain = env.get_domain("cite")
    if not isinstance(domain, IndexedBibtexDomain) or not domain.changed_keys:
        return []
    keys = {key.lower() for key in domain.changed_keys}
    outdated = {
        ref.docname for ref in domain.citation_refs
        if any(target.key.lower() in keys for target in ref.targets)
    }
    outdated.update(
        bib_key.docname for bib_key, bibliography in domain.bibliographies.items()
        if any(key.lower() in keys for key in bibliography.keys)
    )
    return sorted(outdated)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.citations.citeindex")
    app.add_directive("bibliography", WorksCitedBibliography, override=True)
    # before the magazine's own checks of the doctree (workscited, priority 500)
    app.connect("doctree-read", complete_lists, priority=schedule.WORKS_CITED_LISTS)
    app.connect("env-get-outdated", outdated_by_entries)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
