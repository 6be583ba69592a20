"""sphinxcontrib-bibtex's ``cite`` domain at archive scale: work that grows with citations.

sphinxcontrib-bibtex 2.7 keeps the site's citation references in one list and its
formatted citations in another, and answers each question by scanning them whole:

- ``get_filtered_entries`` asks, for every bibliography, every entry of the bib file
  whether some reference cites it: bibliographies x entries x references;
- ``get_sorted_entries`` sorts all the references with ``list.index``, for every list;
- ``get_formatted_entries`` makes a new style for every list and formats each entry twice
  (for the list and for the tooltip, with the same style), and ``env_updated`` does it all
  again at every build, whether anything changed or not;
- ``resolve_xref`` (every in-text citation) and ``BibliographyTransform`` (every list) look
  through every citation and reference of the site.

:class:`IndexedBibtexDomain` answers the same questions from indexes made once per build,
formats a list again only when its entries changed (formatted lists are kept in the
environment with a fingerprint of each entry), and formats an entry once when the tooltip
uses the list's style. :class:`DocumentBibliographyTransform` runs the library's own
transform on the part of the data that belongs to the document. The results are the same,
entry for entry; only the bibliographies with the magazine's filter (``docname in
docnames``, the Works Cited lists) take the fast path of ``get_filtered_entries``.

The magazine's domain is :class:`CiteDomain`: :class:`~.workscited.WorksCitedDomain`
(each article's own citation order) on top of this one, and this module registers it,
once. What it takes from the library beyond its documented extension points (the domain's
data, the transform, the methods overridden) comes through :mod:`.bibtex27`.
"""

from __future__ import annotations

import ast
import hashlib
from collections import defaultdict
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pybtex.plugin
from pybtex.richtext import Tag
from pybtex.style import FormattedEntry
from pybtex.style.template import FieldIsMissing
from sphinx.util import logging

from .. import schedule
from ..bibstyle.apa7 import with_cite_form
from ..doors.bibtex27 import (
    UNMERGED_DATA,
    BibliographyKey,
    BibliographyTransform,
    BibtexDomain,
    ScopedBibtexDomain,
    bibliography_keys,
    filling_copies,
    parse_citation_targets,
)
from ..speedups.forkdata import main_process_only
from .workscited import WorksCitedDomain

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from pybtex.database import Entry
    from pybtex.style.formatting import BaseStyle
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

    from ..doors.bibtex27 import Citation, CitationRef

logger = logging.getLogger(__name__)

#: the filter of every Works Cited list: the entries that its own document cites
DOCNAME_FILTER = ast.dump(ast.parse("docname in docnames"))


def is_docname_filter(filter_: ast.AST) -> bool:
    return ast.dump(filter_) == DOCNAME_FILTER


def entry_fingerprint(entry: Entry, entries: dict[str, Entry] | None = None) -> str:
    """A digest of everything in an entry that formatting can read (with the entry it
    ``crossref``\\ s, whose fields it inherits)."""
    parts = [entry.type.lower()]
    parts += [f"{name.lower()}={value}" for name, value in sorted(entry.fields.items())]
    for role, persons in sorted(entry.persons.items()):
        parts.append(f"{role.lower()}:" + " and ".join(str(person) for person in persons))
    parent = entry.fields.get("crossref", "").strip()
    if entries is not None and parent and parent in entries and entries[parent] is not entry:
        parts.append("crossref:" + entry_fingerprint(entries[parent]))
    return hashlib.blake2b("\x00".join(parts).encode("utf-8"), digest_size=12).hexdigest()


class IndexedBibtexDomain(ScopedBibtexDomain):
    """sphinxcontrib-bibtex's domain with the same answers, from indexes."""

    data_version = BibtexDomain.data_version * 100 + 2
    initial_data = {
        **BibtexDomain.initial_data,
        # bibliography key -> (signature of its entries, formatted entries)
        "formatted": {},
        # entry key -> fingerprint, and the bib files' (path, mtime) they were taken from
        "fingerprints": {},
        "fingerprinted": (),
    }

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        # a parallel reader sends back only what merge_domaindata takes (bibliographies and
        # references): the parsed bib file and the formatted lists are the main process's
        main_process_only(self, [*UNMERGED_DATA, "formatted", "fingerprints", "fingerprinted"])
        self._refs_by_doc: dict[str, list[CitationRef]] = {}
        self._citations_by_key: dict[str, list[tuple[int, Citation]]] = {}
        self._citations_by_list: dict[BibliographyKey, list[Citation]] = {}
        self._positions: dict[Any, dict[str, int]] = {}
        self._positions_of: Any = None
        self._styles: dict[str, BaseStyle] = {}
        self._formatted_entries: dict[tuple, tuple[FormattedEntry, FormattedEntry | None]] = {}
        self._limit: set[str] | None = None
        #: keys whose entry changed, was added or removed since the last build
        self.changed_keys: set[str] = set()

    # -- the entries' fingerprints ---------------------------------------------------------

    def refresh_fingerprints(self) -> set[str]:
        """Fingerprint the entries if the bib files changed; the keys that changed."""
        stamp = tuple((str(path), bibfile.mtime) for path, bibfile in self.bibdata.bibfiles.items())
        if stamp == self.data["fingerprinted"]:
            self.changed_keys = set()
            return self.changed_keys
        entries = self.bibdata.data.entries
        new = {key: entry_fingerprint(entry, entries) for key, entry in entries.items()}
        old = self.data["fingerprints"]
        self.changed_keys = {k for k in new.keys() | old.keys() if new.get(k) != old.get(k)}
        self.data["fingerprints"] = new
        self.data["fingerprinted"] = stamp
        return self.changed_keys

    # -- indexes ---------------------------------------------------------------------------

    def _index_references(self) -> None:
        """Once reading is over: each document's references, in the order they were made."""
        refs: dict[str, list[CitationRef]] = defaultdict(list)
        for ref in self.citation_refs:
            refs[ref.docname].append(ref)
        self._refs_by_doc = dict(refs)
        self._styles = {}
        self._formatted_entries = {}

    def positions(self, bibfile: Any) -> dict[str, int]:
        """Each key of a bib file -> its place in the file (for bib-file order)."""
        if self._positions_of is not self.bibdata:
            self._positions = {
                path: {key: index for index, key in enumerate(data.keys)}
                for path, data in self.bibdata.bibfiles.items()
            }
            self._positions_of = self.bibdata
        return self._positions.get(bibfile, {})

    def _index_citations(self) -> None:
        """Once the lists are decided: the citations of each key and of each list."""
        by_key: dict[str, list[tuple[int, Citation]]] = defaultdict(list)
        by_list: dict[BibliographyKey, list[Citation]] = defaultdict(list)
        for index, citation in enumerate(self.citations):
            by_key[citation.key].append((index, citation))
            by_list[citation.bibliography_key].append(citation)
        self._citations_by_key = dict(by_key)
        self._citations_by_list = dict(by_list)

    def cited_keys(self, docname: str) -> list[str]:
        """The keys a document cites, in the order of its citations (repeats included)."""
        return [t.key for ref in self._refs_by_doc.get(docname, ()) for t in ref.targets]

    def citations_of_keys(self, keys: Iterable[str]) -> list[Citation]:
        found = [item for key in set(keys) for item in self._citations_by_key.get(key, ())]
        return [citation for _, citation in sorted(found, key=lambda item: item[0])]

    def citations_of_lists(self, bib_keys: Iterable[BibliographyKey]) -> list[Citation]:
        return [c for key in bib_keys for c in self._citations_by_list.get(key, ())]

    def references_of(self, docnames: Iterable[str]) -> list[CitationRef]:
        return [ref for docname in docnames for ref in self._refs_by_doc.get(docname, ())]

    # -- deciding and formatting the lists -------------------------------------------------

    def env_updated(self) -> Iterable[str]:
        self._index_references()
        result = super().env_updated()
        self._index_citations()
        live = set(self.bibliographies)
        for bib_key in [k for k in self.data["formatted"] if k not in live]:
            del self.data["formatted"][bib_key]
        return result

    def get_filtered_entries(self, bibliography_key: BibliographyKey) -> Iterable[tuple[str, Entry]]:
        bibliography = self.bibliographies[bibliography_key]
        if not is_docname_filter(bibliography.filter_):
            yield from super().get_filtered_entries(bibliography_key)
            return
        prefix = bibliography.keyprefix
        wanted = {k[len(prefix):] for k in self.cited_keys(bibliography_key.docname)
                  if k.startswith(prefix)}
        wanted.update(bibliography.keys)
        entries = self.bibdata.data.entries
        for bibfile in bibliography.bibfiles:
            positions = self.positions(bibfile)
            for key in sorted((k for k in wanted if k in positions), key=positions.__getitem__):
                yield prefix + key, entries[key]

    # -- the entries a bibliography directive sees -----------------------------------------

    @contextmanager
    def entries_limited_to(self, keys: Iterable[str]) -> Iterator[None]:
        """Let :meth:`get_entries` yield only these keys' entries (in bib-file order)."""
        entries = self.bibdata.data.entries
        self._limit = {entries[key].key for key in keys if key in entries}
        try:
            yield
        finally:
            self._limit = None

    def get_entries(self, bibfiles: list[Any]) -> Iterable[Entry]:
        if self._limit is None:
            yield from super().get_entries(bibfiles)
            return
        entries = self.bibdata.data.entries
        for bibfile in bibfiles:
            positions = self.positions(bibfile)
            mine = sorted((k for k in self._limit if k in positions), key=positions.__getitem__)
            yield from (entries[key] for key in mine)

    def get_sorted_entries(
        self, bibliography_key: BibliographyKey, docnames: list[str]
    ) -> Iterable[tuple[str, Entry]]:
        entries = dict(self.get_filtered_entries(bibliography_key))
        for docname in docnames:  # first citation, document by document
            if not entries:
                break
            for key in self.cited_keys(docname):
                entry = entries.pop(key, None)
                if entry is not None:
                    yield key, entry
        yield from entries.items()

    def formatting_style(self, name: str) -> BaseStyle:
        """One style object per name and build."""
        if name not in self._styles:
            self._styles[name] = pybtex.plugin.find_plugin("pybtex.style.formatting", name)()
        return self._styles[name]

    def get_formatted_entries(
        self,
        bibliography_key: BibliographyKey,
        docnames: list[str],
        tooltips: bool,
        tooltips_style: str,
    ) -> Iterable[tuple[Entry, FormattedEntry, FormattedEntry | None]]:
        bibliography = self.bibliographies[bibliography_key]
        entries = dict(self.get_sorted_entries(bibliography_key, docnames))
        fingerprints = self.data["fingerprints"]
        signature = (
            bibliography.style, bibliography.labelprefix, tooltips, tooltips_style,
            tuple((key, fingerprints.get(entry.key)) for key, entry in entries.items()),
        )
        cached = self.data["formatted"].get(bibliography_key)
        unknown = any(fingerprint is None for _, fingerprint in signature[-1])
        if cached is None or cached[0] != signature or unknown:
            formatted = list(self._format(bibliography_key, entries, tooltips, tooltips_style))
            self.data["formatted"][bibliography_key] = (signature, formatted)
        else:
            formatted = cached[1]
        current = self.bibdata.data.entries
        for entry_key, formatted_entry, tooltip_entry in formatted:
            yield current[entry_key], formatted_entry, tooltip_entry

    def _format(
        self, bibliography_key: BibliographyKey, entries: dict[str, Entry], tooltips: bool,
        tooltips_style: str,
    ) -> Iterator[tuple[str, FormattedEntry, FormattedEntry | None]]:
        """sphinxcontrib-bibtex's formatting, with one style object per build, and each
        entry formatted once per label and build: a work several articles list is formatted
        once (a formatted entry depends on the style, the label and the entry only), and
        its tooltip is that entry when the tooltip uses the list's own style."""
        bibliography = self.bibliographies[bibliography_key]
        fingerprints = self.data["fingerprints"]
        style = self.formatting_style(bibliography.style)
        tooltip_style = (self.formatting_style(tooltips_style) if tooltips_style else style) if tooltips \
            else None
        sorted_entries = list(style.sort(entries.values()))
        labels = list(style.format_labels(sorted_entries))
        # how each work is named in text, decided over this list (APA 8.18, 8.20)
        forms = style.cite_forms(sorted_entries, labels) if hasattr(style, "cite_forms") \
            else [None] * len(labels)
        for label, entry, form in zip(labels, sorted_entries, forms):
            label = bibliography.labelprefix + label
            fingerprint = fingerprints.get(entry.key)
            memo = (bibliography.style, tooltips, tooltips_style, label, entry.key, fingerprint)
            if fingerprint is not None and memo in self._formatted_entries:
                yield (entry.key, *self._formatted_entries[memo])
                continue
            try:
                formatted = style.format_entry(label, entry)
                tooltip = None if tooltip_style is None else (
                    formatted if tooltip_style is style else tooltip_style.format_entry(label, entry)
                )
                self._formatted_entries[memo] = formatted, tooltip
            except FieldIsMissing as exc:
                logger.warning(str(exc), location=(bibliography_key.docname, bibliography.line),
                               type="bibtex", subtype="missing_field")
                formatted, tooltip = FormattedEntry(entry.key, Tag("b", str(exc)), label), None
            if form is not None:
                formatted = with_cite_form(formatted, form)
            yield entry.key, formatted, tooltip

    # -- resolving -------------------------------------------------------------------------

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
        try:
            keys = [t.key for t in parse_citation_targets(target)]
        except ValueError:  # reported while reading; the library decides what to do
            return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)
        with self.only(citations=self.citations_of_keys(keys)):
            return super().resolve_xref(env, fromdocname, builder, typ, target, node, contnode)

    def resolve_any_xref(self, env, fromdocname, builder, target, node, contnode):  # type: ignore[no-untyped-def]  # noqa: ANN001, ANN201
        keys = [key.strip() for key in target.split(",")]
        with self.only(citations=self.citations_of_keys(keys)):
            return super().resolve_any_xref(env, fromdocname, builder, target, node, contnode)


class CiteDomain(WorksCitedDomain, IndexedBibtexDomain):
    """The magazine's ``cite`` domain: each article's own citation order
    (:class:`~.workscited.WorksCitedDomain`), computed from indexes."""


class DocumentBibliographyTransform(BibliographyTransform):
    """sphinxcontrib-bibtex's transform of the bibliographies into lists, shown only the
    citations and references of the document's own bibliographies. It runs just before the
    library's (:data:`.bibtex27.FILL_PRIORITY`), which then finds no bibliography left to
    fill."""

    default_priority = schedule.BIBLIOGRAPHY

    def run(self, **kwargs: Any) -> None:
        domain = self.env.get_domain("cite")
        if not isinstance(domain, IndexedBibtexDomain):
            super().run(**kwargs)
            return
        lists = bibliography_keys(self.document)
        if not lists:
            return
        # the library would fill the nodes kept in the environment: it fills copies
        with filling_copies(domain, lists), domain.only(
            citations=domain.citations_of_lists(sorted(lists)),
            citation_refs=domain.references_of(sorted({k.docname for k in lists})),
        ):
            super().run(**kwargs)


def refresh_fingerprints(app: Sphinx) -> None:
    """``builder-inited``, once sphinxcontrib-bibtex has read the bib files
    (:data:`.bibtex27.PARSE_PRIORITY`)."""
    domain = app.env.get_domain("cite")
    if isinstance(domain, IndexedBibtexDomain):
        domain.refresh_fingerprints()


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.citations.workscited")
    app.add_domain(CiteDomain, override=True)
    app.add_post_transform(DocumentBibliographyTransform)
    app.connect("builder-inited", refresh_fingerprints, priority=schedule.FINGERPRINTS)
    return {"version": "1", "env_version": 1, "parallel_read_safe": True,
            "parallel_write_safe": True}
