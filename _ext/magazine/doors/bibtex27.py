"""The one door to sphinxcontrib-bibtex's internals, written against sphinxcontrib-bibtex 2.7.0.

The magazine uses the library's documented extension points wherever it needs them: the
extension and its ``bibtex_*`` settings, the ``bibliography`` directive's options (the
``:filter:`` of every Works Cited list), plugin registration
(:mod:`sphinxcontrib.bibtex.plugin`) and referencing styles
(:mod:`sphinxcontrib.bibtex.style.referencing`, :mod:`sphinxcontrib.bibtex.style.template`):
:data:`PUBLIC_MODULES`.

Everything else it takes from the library is here, and only here (``tests/test_codebase.py``
fails if another module imports it):

- the classes the magazine subclasses: the ``cite`` domain (:class:`BibtexDomain`, and
  :data:`OVERRIDDEN`, the methods its subclasses override, which rely on when and how the
  library calls them), the ``bibliography`` directive, the transform that fills a
  bibliography;
- the names it reads: :class:`BibliographyKey`, the bibliography node, the in-text citation
  syntax (:func:`parse_citation_targets`);
- how the library keeps its data: the domain's citations and references
  (:class:`ScopedBibtexDomain`), the order it notes references in (:func:`cited_so_far`),
  when it parses the bib files anew (:func:`bib_data`), what a parallel reader's merge
  takes (:data:`UNMERGED_DATA`), its count of a document's bibliographies
  (:func:`made_bibliography`), the ids it gives citation nodes (:func:`citation_ids`), the
  citation nodes a bibliography keeps (:func:`filling_copies`) and how it marks the ones it
  fills (:func:`filled_by_library`);
- when it works: it parses the bib files at ``builder-inited`` (:data:`PARSE_PRIORITY`) and
  fills bibliographies in a post-transform (:data:`FILL_PRIORITY`); the magazine's handlers
  are placed around these moments in :mod:`.schedule`.

Any of these could change in another version and give wrong output with no error, so the
magazine refuses to start with any version but :data:`SUPPORTED` (:func:`check_version`, at
import and in :func:`setup`): a Sphinx ``ExtensionError`` that names the installed version.
To upgrade, read each use here against the new version's source, then add it to
:data:`SUPPORTED`.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.errors import ExtensionError

from .. import doors

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

#: the distribution this door opens onto
DISTRIBUTION = "sphinxcontrib-bibtex"
#: the versions whose internals this module was written against (and read against)
SUPPORTED = ("2.7.0",)
#: the library's modules any part of the magazine may import: its documented extension points
PUBLIC_MODULES = (
    "sphinxcontrib.bibtex",
    "sphinxcontrib.bibtex.plugin",
    "sphinxcontrib.bibtex.style.referencing",
    "sphinxcontrib.bibtex.style.template",
)


def is_public(module: str) -> bool:
    """A module of the library's documented extension points (or one of the referencing
    styles it ships, under :mod:`sphinxcontrib.bibtex.style.referencing`)."""
    return module in PUBLIC_MODULES or module.startswith("sphinxcontrib.bibtex.style.referencing.")


def installed_version() -> str | None:
    """The installed version of sphinxcontrib-bibtex, or None if it is not installed."""
    return doors.installed_version(DISTRIBUTION)


def refusal(installed: str | None) -> str:
    """Why the magazine does not start, and what to do."""
    return doors.refusal(DISTRIBUTION, installed, SUPPORTED, "_ext/magazine/doors/bibtex27.py",
                         "another version could give wrong citations and Works Cited lists "
                         "without any error")


def check_version(installed: str | None = None) -> None:
    """Raise ExtensionError unless the installed sphinxcontrib-bibtex is a supported one."""
    doors.check_version(installed if installed is not None else installed_version(),
                        SUPPORTED, refusal)


check_version()

try:  # the modules take these names from here, and only from here
    from sphinxcontrib.bibtex import bibfile as bibfile_module  # noqa: F401 (the preview's parse)
    from sphinxcontrib.bibtex.bibfile import _make_ids
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets  # noqa: F401 (for gate.check)
    from sphinxcontrib.bibtex.directives import BibliographyDirective, BibliographyKey  # noqa: F401 (for bibdeps)
    from sphinxcontrib.bibtex.domain import BibtexDomain, Citation, get_docnames  # noqa: F401 (preview)
    from sphinxcontrib.bibtex.nodes import bibliography as bibliography_node
    from sphinxcontrib.bibtex.transforms import BibliographyTransform
except ImportError as exc:  # a version that claims to be supported and is not
    raise ExtensionError(refusal(installed_version())) from exc

if TYPE_CHECKING:
    from sphinxcontrib.bibtex.bibfile import BibData
    from sphinxcontrib.bibtex.roles import CitationRef

#: The library parses the bib files in its ``builder-inited`` handler, connected with
#: Sphinx's default priority; the bib check captures pybtex's errors before it and checks
#: the parsed entries after it, and the entries are fingerprinted after it.
PARSE_PRIORITY = 500
#: The library fills each bibliography in a post-transform of this priority, before Sphinx
#: resolves references (10); the magazine's own fill runs one step ahead of it.
FILL_PRIORITY = BibliographyTransform.default_priority

#: The domain's data that the library's ``merge_domaindata`` does not take from a parallel
#: reader (it takes the bibliographies and the citation references): a reader need not send
#: them back.
UNMERGED_DATA = ("bibdata", "citations")

#: The library's domain methods that the magazine's domain overrides outside this module
#: (:mod:`.citeindex`, :mod:`.workscited`), each relying on when the library calls it and
#: with what (2.7.0): the directive calls ``get_entries``; ``env_updated`` calls
#: ``get_formatted_entries``, which calls ``get_sorted_entries``, which calls
#: ``get_filtered_entries``; Sphinx calls ``resolve_xref`` and ``resolve_any_xref``, which
#: read ``citations``.
OVERRIDDEN = (
    "env_updated", "get_entries", "get_filtered_entries", "get_sorted_entries",
    "get_formatted_entries", "resolve_xref", "resolve_any_xref",
)


class ScopedBibtexDomain(BibtexDomain):
    """The library's domain, with its citations kept on the domain object and a way to let
    the library's own code see only part of its citations and references.

    The library keeps the citations in the domain's data, which the environment pickles
    between builds and a parallel reader sends back chunk by chunk, although it decides
    them anew at every build (``env_updated``); here they live on the domain. The library's
    ``resolve_xref`` and transform read every citation and reference of the site; with
    :meth:`only` they read the ones that concern them.
    """

    def __init__(self, env: BuildEnvironment) -> None:
        super().__init__(env)
        self._citations: list[Citation] = []

    @property
    def citations(self) -> list[Citation]:
        """The library decides the citations anew at every build (``env_updated``), so
        they are kept on the domain, not in the environment that every build loads and that
        parallel reading sends back chunk by chunk."""
        return self._citations

    def clear_doc(self, docname: str) -> None:
        super().clear_doc(docname)  # filters the citations into data["citations"]
        self._citations, self.data["citations"] = self.data["citations"], []

    @contextmanager
    def only(self, citations: list[Citation] | None = None,
             citation_refs: list[CitationRef] | None = None) -> Iterator[None]:
        """Let the library's own code see only the citations and references given."""
        saved = self._citations, self.data["citation_refs"]
        if citations is not None:
            self._citations = citations
        if citation_refs is not None:
            self.data["citation_refs"] = citation_refs
        try:
            yield
        finally:
            self._citations, self.data["citation_refs"] = saved


def bib_data(env: BuildEnvironment) -> BibData:
    """The library's parsed bib files. It parses them at ``builder-inited`` into a new
    object, and keeps the one it has when the files did not change (``process_bibdata``):
    the object tells whether it parsed them in this build."""
    return env.get_domain("cite").bibdata  # type: ignore[attr-defined]


def cited_so_far(domain: BibtexDomain, docname: str) -> list[str]:
    """The keys the document being read has cited up to now (the last reference first): its
    references are the last ones made, since the library's role adds each one as it is read
    and clears a document's references before reading it again."""
    keys: list[str] = []
    for ref in reversed(domain.citation_refs):
        if ref.docname != docname:
            break
        keys.extend(target.key for target in ref.targets)
    return keys


def filled_by_library(citation: nodes.Element) -> bool:
    """A citation node that the library's transform filled (it marks each with the
    document of its bibliography), not one that a page wrote itself."""
    return "docname" in citation


def bibliography_key(node: nodes.Element) -> BibliographyKey:
    """The key of a bibliography node in the domain's ``bibliographies``."""
    return BibliographyKey(docname=node["docname"], id_=node["ids"][0])


def bibliography_keys(document: nodes.document) -> set[BibliographyKey]:
    """The keys of the bibliographies of a document."""
    return {bibliography_key(node) for node in document.findall(bibliography_node)}


def made_bibliography(env: BuildEnvironment, result: list[nodes.Node]) -> tuple[str, int]:
    """Of the nodes the library's ``bibliography`` directive has just returned (its header,
    then the bibliography node): the bibliography's id, and the library's count of the
    document's bibliographies so far, which the ids of its citations are made from."""
    return result[-1]["ids"][0], env.temp_data["bibtex_bibliography_count"]


def citation_ids(env: BuildEnvironment, doctree: nodes.document, count: int, key: str,
                 line: int) -> list[str]:
    """The ids the library's directive gives the citation node of ``key`` in the
    document's ``count``-th bibliography (``bibtex_cite_id``), warning of a duplicate id
    as it does."""
    raw_id = env.config.bibtex_cite_id.format(bibliography_count=count, key=key)
    return _make_ids(docname=env.docname, lineno=line, ids=DocumentIds(doctree), raw_id=raw_id)


class DocumentIds:
    """A document's ids as the library's id helper reads them and notes new ones, without
    copying them all for every citation."""

    def __init__(self, document: nodes.document) -> None:
        self.document = document
        self.added: set[str] = set()

    def __contains__(self, id_: object) -> bool:
        return id_ in self.document.ids or id_ in self.added

    def add(self, id_: str) -> None:
        self.added.add(id_)


@contextmanager
def filling_copies(domain: BibtexDomain, keys: Iterable[BibliographyKey]) -> Iterator[None]:
    """Let the library's transform fill copies of the citation nodes these bibliographies
    keep in the environment.

    The library fills the citation nodes its ``bibliography`` directive left in the
    environment and moves them into the page: the environment would then hold every page
    it wrote (memory, and garbage collections that cross it all), and a page written twice
    in one process would list its entries twice.
    """
    saved = {key: domain.bibliographies[key] for key in keys}
    for key, bibliography in saved.items():
        domain.bibliographies[key] = bibliography._replace(
            citation_nodes=NodeCopies(bibliography.citation_nodes)
        )
    try:
        yield
    finally:
        domain.bibliographies.update(saved)


class NodeCopies(dict):
    """A bibliography's citation nodes, each read as a fresh copy of the one kept."""

    def __getitem__(self, key: str) -> nodes.Element:
        return super().__getitem__(key).deepcopy()


def setup(app: Sphinx) -> ExtensionMetadata:
    """Refuse any version of sphinxcontrib-bibtex but the one this was written against,
    then load it."""
    check_version()
    app.setup_extension("sphinxcontrib.bibtex")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
