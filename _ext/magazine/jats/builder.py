"""The ``jats`` builder: one JATS 1.3 (Journal Publishing) file per article, for archives.

    sphinx-build -b jats . _build/jats

writes ``NAME.xml`` for every ``articles/NAME.md``, with the images it shows in
``images/`` beside it, so that the folder is a package an archive (PubMed Central, LOCKSS,
Portico, a library's repository) can take as it is. Each file is the article's resolved
doctree (the same one the other editions are written from) through
:class:`~.translator.JatsTranslator`, with ``<front>`` and the Works Cited's
``<ref-list>`` made from the records (:mod:`.front`), and is validated against the JATS
1.3 Journal Publishing schema vendored in ``schemas/jats-1.3-publishing`` (no network): a
file the schema refuses is a ``magazine.registration`` warning with the element and the
reason. ``make publish`` builds it after the web and PDF editions and copies the files
into the web edition's ``jats/``, where each article's Cite box links its file.

Only articles whose sources (or whose issue's record, or whose cited entries) changed are
written again, as for the web edition.
"""

from __future__ import annotations

from os import path
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from lxml import etree
from sphinx.builders import Builder
from sphinx.util import logging
from sphinx.util.osutil import copyfile

from ..articles.frontmatter import is_article
from ..citations.citetools import works_cited_entries
from ..registration import xmlcheck
from ..registration.dois import issns
from ..serial.issues import domain, published
from ..serial.notices import article_notices
from ..warnings import Subtype, warn
from ..web import links
from .front import Journal, article_meta, journal_meta, notes, ref_list
from .translator import ALI, MATHML, XLINK, JatsTranslator

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

SCHEMA = xmlcheck.SCHEMAS / "jats-1.3-publishing" / "JATS-journalpublishing1-3-mathml3.xsd"
IMAGES = "images"
logger = logging.getLogger(__name__)


def problems(tree: etree._ElementTree) -> list[str]:
    """What the JATS schema says is wrong with a file: line and reason."""
    return xmlcheck.problems(SCHEMA, tree)


class JatsBuilder(Builder):
    name = "jats"
    format = "jats"
    epilog = "The JATS files are in %(outdir)s."
    allow_parallel = False
    supported_image_types = ["image/svg+xml", "image/png", "image/jpeg", "image/gif",
                             "image/webp"]
    default_translator_class = JatsTranslator

    def init(self) -> None:
        self.imagedir = IMAGES
        self.current_docname = ""

    # -- what to write -----------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        """JATS's journal-meta needs an ISSN: without one, no file is written."""
        return bool(issns(self.config))

    def articles(self) -> list[str]:
        if not self.enabled:
            return []
        return sorted(d for d in self.env.found_docs if is_article(self.env, d)
                      and published(self.env, d) is not None)

    def target(self, docname: str) -> Path:
        return Path(self.outdir) / f"{links.article_name(self.config, docname)}.xml"

    def get_outdated_docs(self) -> Iterable[str]:
        for docname in self.articles():
            target = self.target(docname)
            if not target.is_file():
                yield docname
                continue
            source = self.env.doc2path(docname)
            if path.getmtime(source) > target.stat().st_mtime:
                yield docname

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return "%" + docname  # read back by page_address

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to, typ)  # every link to a page is its public address

    def prepare_writing(self, docnames: Set[str]) -> None:
        Path(self.outdir).mkdir(parents=True, exist_ok=True)

    def write_documents(self, docnames: Set[str]) -> None:
        wanted = set(self.articles())
        for docname in sorted(set(docnames) & wanted):
            doctree = self.env.get_and_resolve_doctree(docname, self, tags=self.tags)
            self.write_doc(docname, doctree)

    # -- addresses and images ----------------------------------------------------------------

    def page_address(self, uri: str) -> str:
        """A link to another page of the site, as its public address."""
        if uri.startswith("%"):
            docname, _, anchor = uri[1:].partition("#")
            return links.absolute(self.config, docname + ".html") + (f"#{anchor}" if anchor else "")
        return links.absolute(self.config, uri)

    def image_href(self, node: nodes.image) -> str | None:
        dest = self.images.get(node["uri"])
        return f"{IMAGES}/{dest}" if dest is not None else None

    # -- one article -------------------------------------------------------------------------

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self.current_docname = docname
        self.post_process_images(doctree)
        visitor = JatsTranslator(doctree, self)
        doctree.walkabout(visitor)
        tree = self.article(docname, visitor)
        target = self.target(docname)
        tree.write(str(target), xml_declaration=True, encoding="UTF-8", pretty_print=True,
                   doctype='<!DOCTYPE article PUBLIC "-//NLM//DTD JATS (Z39.96) Journal '
                           'Publishing DTD v1.3 20210610//EN" "JATS-journalpublishing1-3.dtd">')
        # checked as written, so that a problem has its line in the file
        written = etree.parse(str(target), xmlcheck.parser())
        for problem in problems(written):
            warn(f"the JATS file {target.name} is not valid JATS 1.3 ({problem}); report "
                 "this to the maintainers (magazine.jats)", Subtype.registration,
                 location=docname)

    def article(self, docname: str, visitor: JatsTranslator) -> etree._ElementTree:
        config, env = self.config, self.env
        record = published(env, docname)
        assert record is not None
        news = record.column in config.magazine_news_columns
        language = (config.language or "en").replace("_", "-").split("-")[0]
        root = etree.Element("article", {
            "article-type": "news" if news else "article-commentary",
            "dtd-version": "1.3",
            "{http://www.w3.org/XML/1998/namespace}lang": language,
        }, nsmap={"xlink": XLINK, "mml": MATHML, "ali": ALI})
        front = etree.SubElement(root, "front")
        journal_meta(front, self.journal())
        urls = {"html": links.absolute(config, docname + ".html"),
                "pdf": links.absolute(config, links.pdf_path(config, docname))}
        noticed = article_notices(env, docname, urls["html"])
        if not config.magazine_crossmark_policy:  # a notice's DOI is registered only then
            noticed = [{**notice, "doi": None} for notice in noticed]
        article_meta(front, record, domain(env).placement(docname), urls,
                     config.magazine_house_byline, noticed)
        notes(front, noticed)
        root.append(visitor.body)
        works = works_cited_entries(env, docname)
        rendered = visitor.references
        if works or len(visitor.footnotes):
            back = etree.SubElement(root, "back")
            if len(visitor.footnotes):
                back.append(visitor.footnotes)
            if works:
                shown: list[tuple[str, Any]] = (rendered if len(rendered) == len(works)
                                                else [("", None)] * len(works))
                ref_list(back, config.magazine_works_cited_title,
                         [(key, entry, node_id, mixed)
                          for (key, entry), (node_id, mixed) in zip(works, shown)])
        return etree.ElementTree(root)

    def journal(self) -> Journal:
        config = self.config
        return Journal(config.project, config.magazine_publisher or config.project, issns(config))

    # -- the package -------------------------------------------------------------------------

    def finish(self) -> None:
        if not self.enabled:
            logger.info("no JATS files: JATS names the journal by its ISSN, and conf.py sets "
                        "none (magazine_issn)")
        for src, dest in sorted(self.images.items()):
            target = Path(self.outdir) / IMAGES / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            copyfile(Path(self.srcdir, src), target, force=True)
        # files of articles that no longer exist must not be published
        current = {self.target(d).name for d in self.articles()}
        for stale in Path(self.outdir).glob("*.xml"):
            if stale.name not in current:
                stale.unlink()
