"""What a preview build leaves out when its inputs did not change (issue 17).

Each part is installed in the forked child only (:func:`install`), on the application that
child made; a published build (``sphinx-build``, ``make publish``) never runs any of it.
What the preview remembers from one build to the next is kept in the environment it holds,
under :data:`STATE`, with the builder process's :attr:`token`: a process started again
(``conf.py`` or ``_ext/`` changed) remembers nothing, and builds everything once.

- **The pages made from records** (the column pages, the archive, the corrections page,
  ``html-collect-pages``), **the feed** and **the pages with an article list** (the front
  page): they are made from every article's record, the issues, the notices, the titles
  and the toctree, the templates and the configuration. A digest of all of that
  (:func:`records_fingerprint`) is kept; when it is the same as the previous build's, those
  pages are not made again and their files are left as they are (the sitemap still lists
  them). An edit to an article's text changes none of it; a new title, summary, column or
  date does. The front page is then written again from its doctree, instead of read again;
  and the pages whose toctree includes the page written (Sphinx writes them again for the
  title shown) are left as they are, the titles and sections being in the digest.
  (Outside git the feed is dated by the build that wrote it, so the preview's feed keeps
  the date of the last build that changed one of its entries.)
- **sphinxcontrib-bibtex's** ``env_updated``, which decides every citation of every Works
  Cited list at every build: a list whose document was not read again, and none of whose
  entries changed, gets the citations it had (:func:`decide_citations`). The library's
  duplicate checks are made on all of them, as it makes them; the ones ``suppress_warnings``
  names are not made into log records.
- **the uncited-entry notes** (:func:`magazine.citations.bibcheck.report_uncited`): unless
  ``magazine_strict_references`` makes them warnings, they are informational messages, and
  the preview's status output is not shown anywhere.
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sphinx.util import logging
from sphinx.util.logging import is_suppressed_warning

if TYPE_CHECKING:
    from collections.abc import Callable, Container, Iterable

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger("sphinxcontrib.bibtex.domain")  # the library's own logger

#: the environment's attribute with what the preview remembers between builds
STATE = "magazine_preview_state"


def state(env: BuildEnvironment, token: str) -> dict[str, Any]:
    """This process's memory in the environment (a fresh one after a restart)."""
    remembered = getattr(env, STATE, None)
    if not isinstance(remembered, dict) or remembered.get("token") != token:
        remembered = {"token": token}
        setattr(env, STATE, remembered)
    return remembered


def replace_listener(app: Sphinx, event: str, original: Callable, new: Callable) -> bool:
    """Put ``new`` where ``original`` listens to ``event`` (same priority); whether found."""
    listeners = app.events.listeners[event]
    for index, listener in enumerate(listeners):
        if listener.handler is original:
            listeners[index] = listener._replace(handler=new)
            return True
    return False


# -- the pages made from records -------------------------------------------------------------


def records_fingerprint(app: Sphinx, digests: dict[str, str], read: Container[str]) -> str:
    """A digest of everything the pages made from records read: every article's record as
    published, the issues, each document's title and contents, the toctree and its section
    numbers, the articles' histories, the build's date, the configuration and the
    templates. Values are written out with ``repr`` or docutils' ``pformat`` (equal values,
    equal text; a pickle differs with which equal objects happen to be shared). Each
    document's part is kept in ``digests`` and taken again only when the document was
    ``read`` in this build (Sphinx changes a document's title and contents only when it
    reads it). Not the documents' metadata: no such page reads another document's (MyST's
    word count and heading lines in it change with every edit of an article's text)."""
    from ..articles.frontmatter import is_article  # noqa: PLC0415
    from ..serial.builddate import build_time  # noqa: PLC0415
    from ..serial.issues import published  # noqa: PLC0415

    env = app.env
    docs = sorted(env.found_docs)
    for gone in set(digests) - set(docs):
        del digests[gone]
    for d in docs:
        if d in read or d not in digests:
            digests[d] = hashlib.blake2b(repr((
                env.titles[d].pformat() if d in env.titles else None,
                env.tocs[d].pformat() if d in env.tocs else None,
            )).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()
    parts = (
        [(d, digests[d]) for d in docs],
        [(d, published(env, d)) for d in docs if is_article(env, d)],
        sorted(env.domaindata.get("issue", {}).items()),
        sorted(env.get_domain("magazine").listings),  # type: ignore[attr-defined]
        sorted((d, tuple(included)) for d, included in env.toctree_includes.items()),
        sorted(env.toc_secnumbers.items()),
        getattr(env, "magazine_histories", None),
        build_time(app.srcdir),
        getattr(app.builder, "config_hash", None),
        app.builder.templates.newest_template_mtime()
        if hasattr(app.builder, "templates") else None,
    )
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        digest.update(repr(part).encode("utf-8", "surrogatepass") + b"\x00")
    return digest.hexdigest()


def relative_outfile(app: Sphinx, pagename: str) -> str:
    return Path(app.builder.get_outfilename(pagename)).relative_to(app.outdir).as_posix()


class RecordPages:
    """The preview's side of the pages made from records, for one build."""

    def __init__(self, app: Sphinx, remembered: dict[str, Any], read: Container[str], *,
                 forced: bool) -> None:
        self.app, self.remembered, self.read = app, remembered, read
        self.forced = forced  # a file of _static changed: every page links its files
        self.fingerprints: dict[str, str] = {}
        self.same_records = False  # the digest at env-updated is the last build's

    def fingerprint(self) -> str:
        return records_fingerprint(self.app, self.remembered.setdefault("documents", {}),
                                   self.read)

    def unchanged(self, what: str) -> bool:
        """Whether ``what`` was made by this process from the same inputs (a digest taken
        now, at the same point of the build as the last one), and its files are there."""
        self.fingerprints[what] = self.fingerprint()
        made = self.remembered.get(what)
        if self.forced or made is None or made[0] != self.fingerprints[what]:
            return False
        outdir = Path(self.app.outdir)
        return all((outdir / name).is_file() for name in made[1])

    def made(self, what: str, files: Iterable[str]) -> None:
        if what not in self.fingerprints:
            self.fingerprints[what] = self.fingerprint()
        self.remembered[what] = (self.fingerprints[what], sorted(files))

    # the front page (pages with an article list): written again, not read again

    def install_listings(self, outdated_listings: Callable) -> None:
        from ..articles.frontmatter import is_article  # noqa: PLC0415

        def only_new_or_removed(app: Sphinx, env: BuildEnvironment, added: set[str],
                                changed: set[str], removed: set[str]) -> list[str]:
            if any(is_article(env, d) for d in (*added, *removed)):
                return outdated_listings(app, env, added, changed, removed)
            return []

        def listings_to_write(app: Sphinx, env: BuildEnvironment) -> list[str]:
            listings = sorted(env.get_domain("magazine").listings)  # type: ignore[attr-defined]
            if self.unchanged("listings"):
                self.same_records = True
                return []
            self.made("listings", [relative_outfile(app, d) for d in listings])
            return listings

        if replace_listener(self.app, "env-get-outdated", outdated_listings, only_new_or_removed):
            self.app.connect("env-updated", listings_to_write)
            self.install_toctrees()

    def install_toctrees(self) -> None:
        """Sphinx writes again every page whose toctree includes a page it writes (the
        entry shows that page's title and sections): the front page, which lists every
        article, after any edit. The titles, sections and section numbers are in the
        digest; when it is unchanged, so is every toctree, and those pages are left."""
        builder, env = self.app.builder, self.app.env
        original = builder.write

        def write(*args: Any, **kwargs: Any) -> None:
            if not self.same_records:
                original(*args, **kwargs)
                return
            kept, env.files_to_rebuild = env.files_to_rebuild, {}
            try:
                original(*args, **kwargs)
            finally:
                env.files_to_rebuild = kept

        builder.write = write  # type: ignore[method-assign]

    # the column pages, the archive, the corrections page

    def install_pages(self) -> None:
        builder = self.app.builder
        original = builder.gen_pages_from_extensions

        def gen_pages_from_extensions() -> None:
            magazine = [lst for lst in self.app.events.listeners["html-collect-pages"]
                        if lst.handler.__module__.startswith("magazine.")]
            if self.unchanged("pages"):
                for listener in magazine:
                    self.app.events.listeners["html-collect-pages"].remove(listener)
                try:
                    original()
                finally:
                    self.app.events.listeners["html-collect-pages"].extend(magazine)
                self._list_in_sitemap(self.remembered["pages"][1])
                return
            written: list[str] = []
            handle_page = builder.handle_page

            def handle(pagename: str, *args: Any, **kwargs: Any) -> None:
                written.append(pagename)
                handle_page(pagename, *args, **kwargs)

            builder.handle_page = handle  # type: ignore[method-assign]
            try:
                original()
            finally:
                builder.handle_page = handle_page  # type: ignore[method-assign]
            self.made("pages", [relative_outfile(self.app, p) for p in written])

        builder.gen_pages_from_extensions = gen_pages_from_extensions  # type: ignore[method-assign]

    def _list_in_sitemap(self, files: list[str]) -> None:
        """The pages kept, in the sitemap as if written (sphinx-sitemap lists the pages a
        build writes)."""
        from sphinx_sitemap import add_html_link  # noqa: PLC0415

        if getattr(self.app, "sitemap_links", None) is None:
            return
        suffix = self.app.builder.out_suffix
        for name in files:
            add_html_link(self.app, name.removesuffix(suffix), "page.html", {}, None)

    # the feed

    def install_feed(self, write_feed: Callable) -> None:
        from ..web.links import FEED  # noqa: PLC0415

        def feed_if_changed(app: Sphinx, exception: Exception | None) -> None:
            # outside git the feed says it was updated at the build that wrote it: a build
            # that changed none of its entries does not write it again
            if exception is None and self.unchanged("feed"):
                return
            write_feed(app, exception)
            if exception is None and (Path(app.outdir) / FEED).is_file():
                self.made("feed", [FEED])

        replace_listener(self.app, "build-finished", write_feed, feed_if_changed)


# -- sphinxcontrib-bibtex's citations ------------------------------------------------------


def decide_citations(domain: Any, read: Container[str], remembered: dict[str, Any],
                     full: Callable[[Any], Iterable[str]]) -> Iterable[str]:
    """The library's ``env_updated`` (the citations of every list, in the order of the
    lists, and its duplicate checks), keeping the citations of a list whose document was not
    read again and none of whose entries changed."""
    from ..citations.citeindex import IndexedBibtexDomain, is_docname_filter  # noqa: PLC0415
    from ..doors.bibtex27 import Citation, get_docnames  # noqa: PLC0415

    if not isinstance(domain, IndexedBibtexDomain):
        return full(domain)
    env = domain.env
    before: dict[Any, list[Any]] = remembered.get("citations", {})
    changed = domain.changed_keys
    current = domain.bibdata.data.entries
    domain.citations.clear()
    docnames = list(get_docnames(env))
    suppressed = list(env.config.suppress_warnings)

    def warn(message: str, subtype: str, location: tuple[str, int]) -> None:
        if not is_suppressed_warning("bibtex", subtype, suppressed):
            logger.warning(message, location=location, type="bibtex", subtype=subtype)

    # the bib files as parsed for the citations kept (the same entries, if not parsed since)
    same_entries = remembered.get("citations_of") == domain.data["fingerprinted"]
    # the documents that cite an entry changed, added or removed (one pass over the
    # references; a list with a key prefix cites other keys than the entries': made again)
    citing_changed = {ref.docname for ref in domain.citation_refs
                      if any(t.key in changed for t in ref.targets)} if changed else set()
    prefixed = any(b.keyprefix for b in domain.bibliographies.values())

    def kept(bib_key: Any, bibliography: Any) -> list[Any] | None:
        old = before.get(bib_key)
        if old is None or bib_key.docname in read or not is_docname_filter(bibliography.filter_):
            return None
        if same_entries:
            return old
        if prefixed or bib_key.docname in citing_changed \
                or changed.intersection(bibliography.keys) \
                or any(c.entry.key not in current for c in old):
            return None
        return [c._replace(entry=current[c.entry.key]) for c in old]

    used_keys: set[str] = set()
    used_keys_per_doc: defaultdict[str, set[str]] = defaultdict(set)
    used_labels: dict[str, str] = {}
    by_list: dict[Any, list[Any]] = {}
    tooltips, tooltips_style = env.config.bibtex_tooltips, env.config.bibtex_tooltips_style
    for bib_key, bibliography in domain.bibliographies.items():
        mine = kept(bib_key, bibliography)
        if mine is None:
            mine = [Citation(
                citation_id=bibliography.citation_nodes[
                    bibliography.keyprefix + formatted_entry.key]["ids"][0],
                bibliography_key=bib_key, key=bibliography.keyprefix + formatted_entry.key,
                entry=entry, formatted_entry=formatted_entry, tooltip_entry=tooltip_entry)
                for entry, formatted_entry, tooltip_entry in domain.get_formatted_entries(
                    bib_key, docnames, tooltips, tooltips_style)]
        by_list[bib_key] = mine
        domain.citations.extend(mine)
        if bibliography.list_ != "citation":
            continue
        where = (bib_key.docname, bibliography.line)
        for citation in mine:
            key, formatted_entry = citation.key, citation.formatted_entry
            if key in used_keys_per_doc[bib_key.docname]:
                warn(f'duplicate local citation for key "{key}"', "duplicate_local_citation",
                     where)
            elif key in used_keys:
                warn(f'duplicate citation for key "{key}"', "duplicate_citation", where)
            used_keys.add(key)
            used_keys_per_doc[bib_key.docname].add(key)
            if formatted_entry.label not in used_labels:
                used_labels[formatted_entry.label] = formatted_entry.key
            elif used_labels[formatted_entry.label] != formatted_entry.key:
                warn(f'duplicate label "{formatted_entry.label}" for keys '
                     f'"{used_labels[formatted_entry.label]}" and "{formatted_entry.key}"',
                     "duplicate_label", where)
    remembered["citations_of"] = domain.data["fingerprinted"]
    remembered["citations"] = by_list
    return []


# -- installed in the child --------------------------------------------------------------------


def install(app: Sphinx, token: str, read: Container[str], *, forced: bool) -> None:
    """Before the child's build: the parts above, on its application. ``read`` is filled
    with the documents read, as they are read; ``forced``: make every page made from
    records (a file of ``_static`` changed)."""
    from ..citations import bibcheck  # noqa: PLC0415
    from ..doors.bibtex27 import BibtexDomain  # noqa: PLC0415
    from ..web import feed, listing  # noqa: PLC0415

    remembered = state(app.env, token)
    for memo in MEMO:  # the bib files are parsed and checked by now
        memo.keep()
    pages = RecordPages(app, remembered, read, forced=forced)
    if app.builder.format == "html":
        pages.install_listings(listing.outdated_listings)
        pages.install_pages()
        pages.install_feed(feed.write_feed)

    full = BibtexDomain.env_updated

    def env_updated(domain: Any) -> Iterable[str]:
        return decide_citations(domain, read, remembered, full)

    BibtexDomain.env_updated = env_updated  # type: ignore[method-assign]  # this child only

    def uncited_if_warned(app: Sphinx, env: BuildEnvironment) -> None:
        if app.config.magazine_strict_references:
            bibcheck.report_uncited(app, env)

    replace_listener(app, "env-check-consistency", bibcheck.report_uncited, uncited_if_warned)


def forget(env: BuildEnvironment | None) -> None:
    """After a failed build: what it remembered may not be what is on disk."""
    if env is not None and hasattr(env, STATE):
        delattr(env, STATE)


# -- the bib file: only the entries whose text changed are parsed and read -----------------

#: where an entry may begin: an ``@`` at the start of a line (as the bib check reads them)
ENTRY_START_RE = re.compile(r"^(?=@)", re.MULTILINE)
#: what makes one entry's parse depend on the text before it: macros and the preamble
ORDER_DEPENDENT_RE = re.compile(r"^\s*@\s*(?:string|preamble)\b", re.MULTILINE | re.IGNORECASE)


def piece_digest(text: str) -> bytes:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=20).digest()


class BibMemo:
    """What the last build parsed and read of the bib file, entry by entry: (a digest of)
    the text of each piece of the file (from one ``@`` at the start of a line to the next)
    -> the entries pybtex made of it, and each of those entries -> its reading
    (:mod:`magazine.reading`)."""

    def __init__(self, remembered: dict[str, Any]) -> None:
        self.remembered = remembered
        old = remembered.get("bib", {})
        self.pieces: dict[bytes, list[Any]] = old.get("pieces", {})
        self.readings = {id(raw): reading for raw, reading in old.get("readings", ())}
        self.parsed = self.whole = False  # parsed in pieces; parsed whole, nothing kept
        self.new_pieces: dict[bytes, list[Any]] = {}
        self.new_readings: list[tuple[Any, Any]] = []
        self.new_fingerprints: list[tuple[Any, str]] = []

    def keep(self) -> None:
        """Once the bib files are parsed and checked (``builder-inited``): what the next
        build may take (what this one took, if it parsed nothing)."""
        kept = self.remembered.setdefault("bib", {})
        if self.whole:
            kept.clear()
            return
        if self.parsed:
            kept["pieces"] = self.new_pieces
        if self.new_readings:
            kept["readings"] = self.new_readings
        if self.new_fingerprints:
            kept["fingerprints"] = self.new_fingerprints

    def parser(self, base: type) -> type:
        """pybtex's BibTeX parser, parsing each piece of the file on its own, or taking the
        entries the same piece gave in the last build. Whenever a piece is not plainly
        entries (an error, a macro, the preamble, an entry without a key), the whole text is
        parsed as pybtex parses it, and nothing is kept: pieces that parse without error
        are parsed the same alone (between two entries pybtex looks for the next ``@``)."""
        memo = self

        class PieceParser(base):  # type: ignore[misc,valid-type]
            def parse_string(self, text: str) -> Any:
                from ..doors.pybtex026 import capture_errors  # noqa: PLC0415

                if ORDER_DEPENDENT_RE.search(text):
                    memo.whole = True
                    return super().parse_string(text)
                pieces = []
                for text_of_piece in ENTRY_START_RE.split(text):
                    piece = piece_digest(text_of_piece)
                    entries = memo.pieces.get(piece)
                    if entries is None:
                        alone = base(encoding=self.encoding)
                        alone.filename = self.filename
                        with capture_errors() as errors:
                            alone.parse_string(text_of_piece)
                        entries = list(alone.data.entries.values())
                        if errors or any(e.key.startswith("unnamed-") for e in entries):
                            memo.whole = True
                            return super().parse_string(text)
                    pieces.append((piece, entries))
                for piece, entries in pieces:
                    for entry in entries:
                        self.data.add_entry(entry.key, entry)
                    memo.new_pieces[piece] = entries
                memo.parsed = True
                return self.data

        return PieceParser

    def read_bibliography(self, original: Callable) -> Callable:
        """:func:`magazine.reading.read_bibliography`, taking the reading of an entry kept
        from the last build (reading is a function of the entry alone)."""
        from ..reading import read_entry  # noqa: PLC0415

        def read_bibliography(data: Any, previews: bool = False) -> Any:  # noqa: FBT001, FBT002
            if previews or self.whole:
                return original(data, previews)
            from pybtex.database import BibliographyData  # noqa: PLC0415

            readings = {}
            for key, entry in data.entries.items():
                reading = self.readings.get(id(entry))
                readings[key] = reading if reading is not None else read_entry(entry)
                self.new_readings.append((entry, readings[key]))
            read = BibliographyData(entries=[(key, r.entry) for key, r in readings.items()],
                                    preamble=list(data.preamble_list))
            return read, readings

        return read_bibliography

    def entry_fingerprint(self, original: Callable) -> Callable:
        """:func:`magazine.citations.citeindex.entry_fingerprint`, kept for an entry that is the very
        object fingerprinted in the last build (an entry kept from its piece, or read from
        it) and inherits nothing by ``crossref``."""
        before = {id(entry): digest for entry, digest in
                  self.remembered.get("bib", {}).get("fingerprints", ())}
        made = self.new_fingerprints

        def entry_fingerprint(entry: Any, entries: Any = None) -> str:
            digest = before.get(id(entry))
            if digest is None or "crossref" in entry.fields:
                digest = original(entry, entries)
            made.append((entry, digest))
            return digest

        return entry_fingerprint


#: this child's memo of the bib file (a child makes one build)
MEMO: list[BibMemo] = []


def install_bib(env: BuildEnvironment, token: str) -> None:
    """In the child, before the builder is made (sphinxcontrib-bibtex parses the bib files
    at ``builder-inited``): the parse and the reading of :class:`BibMemo`."""
    from ..citations import bibcheck, citeindex  # noqa: PLC0415
    from ..doors.bibtex27 import bibfile_module  # noqa: PLC0415

    memo = BibMemo(state(env, token))
    bibfile_module.Parser = memo.parser(bibfile_module.Parser)
    bibcheck.read_bibliography = memo.read_bibliography(bibcheck.read_bibliography)
    citeindex.entry_fingerprint = memo.entry_fingerprint(citeindex.entry_fingerprint)
    MEMO.append(memo)
