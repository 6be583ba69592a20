"""The ``typst`` builder: the PDF edition, and one PDF per article, in one Sphinx run.

Each article's doctree is resolved once (``env.get_and_resolve_doctree``, a fresh copy) and
written once as Typst, ``typst/<docname>.content.typ``. The edition and the article's own
PDF both ``#include`` that file, so nothing is resolved or translated twice (and, with
sphinxcontrib-bibtex's own transform, resolving a document twice in one run listed every
entry twice; :class:`magazine.bibtex27.NodeCopies` has since put an end to that).

Output, in the builder's folder (``_build/pdf``)::

    the-open-bench-issue-1.pdf      the edition: cover, contents, articles in front-page order
    NAME.pdf                        one per articles/NAME.md
    typst/                          the Typst sources and images they were compiled from
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sphinx.builders import Builder
from sphinx.errors import ConfigError
from sphinx.util.display import status_iterator
from sphinx.util.osutil import copyfile

from .. import links, progress
from ..listing import ordered_articles
from ..warnings import Subtype, warn
from .compile import compile_all, stamp
from .names import edition_stem
from .syntax import blocks, value
from .translator import TypstTranslator

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from docutils import nodes

    from ..frontmatter import FrontMatter

TEMPLATES = Path(__file__).parent / "templates"
SOURCES = "typst"  # the Typst project, inside the output folder
LIBRARY = "magazine.typ"


def template_environment() -> Environment:
    """Jinja for the Typst templates: every ``{{ value }}`` becomes Typst via ``value()``,
    so text is always a string literal and only :class:`Code` passes through as is."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        finalize=value,
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


class TypstBuilder(Builder):
    """Writes Typst for every article and compiles the PDF edition with the typst wheel."""

    name = "typst"
    format = "typst"
    epilog = "The PDF edition is in %(outdir)s."
    allow_parallel = False
    supported_image_types = [
        "image/svg+xml",
        "image/png",
        "image/jpeg",
        "image/gif",
        "image/webp",
    ]
    default_translator_class = TypstTranslator

    def init(self) -> None:
        self.imagedir = "_images"
        self.current_docname = ""
        self.sources = Path(self.outdir) / SOURCES
        self.templates = template_environment()
        self.written: list[tuple[str, FrontMatter]] = []

    # -- what to write -----------------------------------------------------------------------

    def get_outdated_docs(self) -> str:
        return "the edition and every article"  # the edition depends on every article

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return "%" + docname  # read back by TypstTranslator.depart_reference

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to, typ)

    def prepare_writing(self, docnames: Set[str]) -> None:
        stems = {links.article_name(self.config, d) for d, _ in ordered_articles(self.env)}
        if edition_stem(self.config) in stems:
            msg = (
                f"the edition PDF and an article would both be {edition_stem(self.config)}.pdf; "
                "set magazine_pdf_edition_name in conf.py to another name"
            )
            raise ConfigError(msg)
        self.sources.mkdir(parents=True, exist_ok=True)
        self.written = []

    def write_documents(self, docnames: Set[str]) -> None:
        """Only articles become PDFs; each is resolved exactly once, in front-page order."""
        articles = ordered_articles(self.env)
        for docname, record in status_iterator(
            articles,
            "writing Typst... ",
            "darkgreen",
            len(articles),
            self.config.verbosity,
            stringify_func=lambda item: item[0],
        ):
            doctree = self.env.get_and_resolve_doctree(docname, self, tags=self.tags)
            self.write_doc(docname, doctree)
            self.written.append((docname, record))

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        self.current_docname = docname
        self.post_process_images(doctree)
        visitor = self.create_translator(doctree, self)
        assert isinstance(visitor, TypstTranslator)
        doctree.walkabout(visitor)
        record = self.env.get_domain("magazine").article(docname)  # type: ignore[attr-defined]
        self._render(
            f"{docname}.content.typ",
            "content.typ.jinja",
            library="/" + LIBRARY,
            docname=docname,
            title=record.title,
            column=record.column,
            summary=record.summary,
            head=blocks(visitor.head),
            body=blocks(visitor.body),
        )

    # -- the PDFs ----------------------------------------------------------------------------

    def finish(self) -> None:
        self.copy_image_files()
        copyfile(TEMPLATES / LIBRARY, self.sources / LIBRARY, force=True)
        jobs = [self._write_edition(), *(self._write_article(d, r) for d, r in self.written)]
        self._remove_stale({output for _, _, output, _ in jobs})
        results = compile_all(
            self.sources,
            [Path(self.confdir, p) for p in self.config.magazine_pdf_font_paths],
            self.config.magazine_pdf_standards,
            [(main, output, timestamp) for _, main, output, timestamp in jobs],
        )
        # the supervisor names the article whose PDF is awaited (the edition: the front page)
        results = progress.each(results, [
            ("compiling", progress.source_file(self.env, d or self.config.root_doc))
            for d, _, _, _ in jobs
        ])
        for (location, _, output, _), result in status_iterator(
            zip(jobs, results),
            "compiling PDFs... ",
            "darkgreen",
            len(jobs),
            self.config.verbosity,
            stringify_func=lambda item: item[0][2].name,
        ):
            for message in result.warnings:
                warn(f"Typst: {message}", Subtype.pdf, location=location)
            if result.error is not None:
                warn(
                    f"Typst could not make {output.name}: {result.error}",
                    Subtype.pdf,
                    location=location,
                )

    def _common(self) -> dict[str, Any]:
        config = self.config
        return {
            "library": "/" + LIBRARY,
            "magazine": config.project,
            "edition": config.magazine_edition,
            "lang": (config.language or "en").replace("-", "_").split("_")[0].lower(),
            "paper": config.magazine_pdf_paper,
        }

    def _write_edition(self) -> tuple[str | None, Path, Path, int]:
        config = self.config
        records = [record for _, record in self.written]
        dates = sorted(r.date for r in records if r.date)
        when = stamp(dates[-1] if dates else None)
        title = f"{config.project} — {config.magazine_edition}".rstrip(" —")
        stem = edition_stem(config)
        main = self._render(
            f"{stem}.typ",
            "edition.typ.jinja",
            **self._common(),
            title=title,
            authors=_unique(a.name for r in records for a in r.authors) or [config.author],
            description=f"{title}: " + "; ".join(r.title for r in records),
            keywords=_unique([r.column for r in records] + [k for r in records for k in r.keywords]),
            date=when.date,
            cover_articles=[{"column": r.column, "title": r.title} for r in records],
            cover_picture=self._cover_picture(records),
            contents_title="Contents",
            includes=[f"/{docname}.content.typ" for docname, _ in self.written],
        )
        return None, main, Path(self.outdir) / f"{stem}.pdf", when.timestamp

    def _cover_picture(self, records: list[FrontMatter]) -> dict[str, str] | None:
        """The first lead image of the edition, for the cover."""
        for record in records:
            if record.image is None:
                continue
            dest = self.images.get(record.image.src.lstrip("/"))
            if dest is not None:
                path = f"/{self.imagedir}/{dest}"
                return {"path": path, "alt": record.image.alt, "credit": record.image.credit}
        return None

    def _write_article(self, docname: str, record: FrontMatter) -> tuple[str, Path, Path, int]:
        when = stamp(record.date)
        main = self._render(
            f"{docname}.typ",
            "article.typ.jinja",
            **self._common(),
            title=record.title,
            authors=[a.name for a in record.authors] or [self.config.author],
            description=record.summary,
            keywords=_unique([record.column, *record.keywords]),
            date=when.date,
            include=f"/{docname}.content.typ",
        )
        output = Path(self.outdir) / f"{links.article_name(self.config, docname)}.pdf"
        return docname, main, output, when.timestamp

    def _render(self, path: str, template: str, **context: Any) -> Path:
        target = self.sources / path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = self.templates.get_template(template).render(**context)
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
        return target

    def _remove_stale(self, outputs: set[Path]) -> None:
        """PDFs of articles that no longer exist must not be published."""
        for pdf in sorted(Path(self.outdir).rglob("*.pdf")):
            if pdf not in outputs and self.sources not in pdf.parents:
                pdf.unlink()

    def copy_image_files(self) -> None:
        for src, dest in sorted(self.images.items()):
            target = self.sources / self.imagedir / dest
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                copyfile(Path(self.srcdir, src), target, force=True)
            except OSError as err:
                warn(f"cannot copy image {src!r} for the PDF: {err}", Subtype.pdf)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(i for i in items if i))

