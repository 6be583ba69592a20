"""The ``typst`` builder: one PDF per issue and one per article, in one Sphinx run.

Each article's doctree is resolved once (``env.get_and_resolve_doctree``, a fresh copy) and
written once as Typst, ``typst/<docname>.content.typ``; an issue's editorial likewise,
``typst/issues/1-2.content.typ``. An issue's PDF and the article's own PDF both
``#include`` the article's file, so nothing is resolved or translated twice, and an
article's PDF is laid out exactly as its pages in the issue.

Output, in the builder's folder (``_build/pdf``)::

    the-open-bench-1-2.pdf      an issue: cover, editorial, contents, its articles in order
    NAME.pdf                    one per articles/NAME.md
    pagination.json             each issue's pages as Typst laid them out (make paginate)
    typst/                      the Typst sources and images they were compiled from

**Pages.** The articles of a published issue start at the pages its file records
(:mod:`magazine.serial.issues`), in the issue's PDF and in their own, and every build checks
that the layout still fits the record: a published article whose pages moved is an error
at its line of the issue file. An issue in preparation is laid out from its first page on,
and ``make paginate`` records that layout (:mod:`magazine.serial.paginate`). A PDF whose sources
did not change is not made again (:class:`~magazine.pdf.compile.Made`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from sphinx.builders import Builder
from sphinx.errors import ConfigError
from sphinx.util.display import status_iterator
from sphinx.util.osutil import copyfile

from ..articles.frontmatter import articles_domain, format_date
from ..cli import progress
from ..serial.issues import (
    Issue,
    domain,
    fallback_date,
    first_page,
    page_range,
    proposed_dois,
    published,
)
from ..warnings import Subtype, warn
from ..web import links
from ..web.listing import ordered_articles
from .compile import Made, Result, compile_all, stamp
from .names import DOIS_FILE, PAGINATION_FILE, issue_stem
from .syntax import blocks, value
from .translator import TypstTranslator

if TYPE_CHECKING:
    from collections.abc import Iterable, Set

    from docutils import nodes

    from ..articles.frontmatter import FrontMatter, LeadImage

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
        self.issues: list[Issue] = []

    # -- what to write -----------------------------------------------------------------------

    def get_outdated_docs(self) -> str:
        # every article is written again (cheap); only changed PDFs are compiled again
        return "every issue and article"

    def get_target_uri(self, docname: str, typ: str | None = None) -> str:
        return "%" + docname  # read back by TypstTranslator.depart_reference

    def get_relative_uri(self, from_: str, to: str, typ: str | None = None) -> str:
        return self.get_target_uri(to, typ)

    def prepare_writing(self, docnames: Set[str]) -> None:
        stems = {links.article_name(self.config, d) for d, _ in ordered_articles(self.env)}
        self.issues = [i for i in domain(self.env).all_issues() if i.docname in self.env.found_docs]
        for issue in self.issues:
            if issue_stem(self.config, issue) in stems:
                msg = (f"the PDF of {issue.label} and an article would both be "
                       f"{issue_stem(self.config, issue)}.pdf; rename the article")
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
        for issue in self.issues:
            doctree = self.env.get_and_resolve_doctree(issue.docname, self, tags=self.tags)
            self.write_editorial(issue, doctree)

    def translate(self, docname: str, doctree: nodes.document) -> TypstTranslator:
        self.current_docname = docname
        self.post_process_images(doctree)
        visitor = self.create_translator(doctree, self)
        assert isinstance(visitor, TypstTranslator)
        doctree.walkabout(visitor)
        return visitor

    def write_editorial(self, issue: Issue, doctree: nodes.document) -> None:
        """The issue's editorial (its file's text; the title and header are the cover's)."""
        visitor = self.translate(issue.docname, doctree)
        self._render(f"{issue.docname}.content.typ", "editorial.typ.jinja",
                     library="/" + LIBRARY, title="From the editors",
                     body=blocks(visitor.body), editors=list(issue.editors))

    def write_doc(self, docname: str, doctree: nodes.document) -> None:
        visitor = self.translate(docname, doctree)
        record = published(self.env, docname)
        assert record is not None  # only articles are written
        self._render(
            f"{docname}.content.typ",
            "content.typ.jinja",
            library="/" + LIBRARY,
            docname=docname,
            title=record.title,
            column=record.column,
            summary=record.summary,
            doi=record.doi,
            # newest first, as the web edition shows them (magazine.serial.notices)
            notices=[{"type": n.type, "label": n.label, "date": format_date(n.date),
                      "text": n.text} for n in reversed(record.notices)],
            head=blocks(visitor.head),
            body=blocks(visitor.body),
        )

    # -- the PDFs ----------------------------------------------------------------------------

    def finish(self) -> None:
        self.copy_image_files()
        copyfile(TEMPLATES / LIBRARY, self.sources / LIBRARY, force=True)
        issues = [(issue, self._write_issue(issue)) for issue in self.issues]
        articles = [(d, self._write_article(d, r)) for d, r in self.written]
        jobs = [job for _, job in issues] + [job for _, job in articles]
        self._remove_stale({job[2] for job in jobs})
        results = self._compile(jobs)
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
        laid_out = {issue.docname: result.pages for (issue, _), result in zip(issues, results)}
        self._check_pages(laid_out, dict(zip((d for d, _ in articles), results[len(issues):])))
        pagination = {issue.stem: {name: list(pages) for name, pages in laid_out[issue.docname].items()}
                      for issue, _ in issues}
        (Path(self.outdir) / PAGINATION_FILE).write_text(
            json.dumps(pagination, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        self._write_dois()

    def _write_dois(self) -> None:
        """The DOIs make paginate records, when the magazine registers DOIs."""
        config, path = self.config, Path(self.outdir) / DOIS_FILE
        if not config.magazine_doi_prefix:
            path.unlink(missing_ok=True)
            return
        records = articles_domain(self.env).articles
        dois = {issue.stem: proposed_dois(issue, records, config.magazine_doi_pattern,
                                          config.magazine_doi_prefix, config.project)
                for issue in self.issues}
        path.write_text(json.dumps(dois, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    def _compile(self, jobs: list[tuple[str, Path, Path, int]]) -> list[Result]:
        """Every job's result: compiled, or the stored one when its sources did not change."""
        fonts = [Path(self.confdir, p) for p in self.config.magazine_pdf_font_paths]
        made = Made(self.sources, fonts, self.config.magazine_pdf_standards)
        digests = [made.digest(main, timestamp) for _, main, _, timestamp in jobs]
        results: list[Result | None] = [made.unchanged(output, digest)
                                        for (_, _, output, _), digest in zip(jobs, digests)]
        todo = [i for i, result in enumerate(results) if result is None]
        compiled = compile_all(self.sources, fonts, self.config.magazine_pdf_standards,
                               [jobs[i][1:] for i in todo])
        # the supervisor names the document whose PDF is awaited
        compiled = progress.each(compiled, [
            ("compiling", progress.source_file(self.env, jobs[i][0])) for i in todo])
        for index, result in zip(todo, compiled):
            results[index] = result
        done = [r for r in results if r is not None]
        made.record({job[2].name: (digest, result)
                     for job, digest, result in zip(jobs, digests, done)})
        return done

    def _common(self, edition: str) -> dict[str, Any]:
        config = self.config
        return {
            "library": "/" + LIBRARY,
            "magazine": config.project,
            "edition": edition,
            "lang": (config.language or "en").replace("-", "_").split("_")[0].lower(),
            "paper": config.magazine_pdf_paper,
        }

    def _recorded(self, issue: Issue) -> bool:
        """Whether the issue's articles start at the pages its file records: a published
        issue's pagination is fixed (unless make paginate is recording it again; without a
        complete record, which the build reports, it is laid out afresh)."""
        listed = [n for n in issue.articles if n in self.env.found_docs]
        again = self.config.magazine_repaginate.split(",")
        return (issue.published and issue.stem not in again
                and all(n in issue.pages for n in listed))

    def _write_issue(self, issue: Issue) -> tuple[str, Path, Path, int]:
        config = self.config
        records = articles_domain(self.env).articles
        written = dict(self.written)
        listed = [name for name in issue.articles if name in written and name in records]
        # an issue in preparation without a date yet: the build's, as an undated article
        when = stamp(issue.date or fallback_date(self.srcdir, self.issues, records))
        start = first_page(issue, self.issues, config.magazine_pagination)
        recorded = self._recorded(issue)
        main = self._render(
            f"{issue_stem(config, issue)}.typ",
            "issue.typ.jinja",
            **self._common(issue.label),
            title=f"{config.project}, {issue.heading}",
            authors=list(issue.editors) or [config.author],
            description=f"{config.project}, {issue.heading}: "
                        + "; ".join(written[n].title for n in listed),
            keywords=_unique([written[n].column for n in listed]),
            date=when.date,
            theme=issue.title,
            cover_articles=[{"column": written[n].column, "title": written[n].title}
                            for n in listed],
            cover_picture=self._picture(issue.cover),
            editorial=f"/{issue.docname}.content.typ",
            contents_title="Contents",
            articles=[{"include": f"/{name}.content.typ",
                       "first_page": issue.pages.get(name, (None,))[0] if recorded else
                       (start if index == 0 else None)}
                      for index, name in enumerate(listed)],
        )
        output = Path(self.outdir) / f"{issue_stem(config, issue)}.pdf"
        return issue.docname, main, output, when.timestamp

    def _picture(self, image: LeadImage | None) -> dict[str, str] | None:
        if image is None:
            return None
        dest = self.images.get(image.src.lstrip("/"))
        if dest is None:
            return None
        return {"path": f"/{self.imagedir}/{dest}", "alt": image.alt, "credit": image.credit}

    def _placed(self, docname: str) -> tuple[Issue | None, int | None]:
        """The published issue an article is in, and its first page there (if recorded)."""
        placement = domain(self.env).placement(docname)
        issue = next((i for i in self.issues if placement and i.docname == placement.issue), None)
        if issue is None or not self._recorded(issue):
            return issue, None
        return issue, issue.pages.get(docname, (None,))[0]

    def _write_article(self, docname: str, record: FrontMatter) -> tuple[str, Path, Path, int]:
        when = stamp(record.date)
        issue, first = self._placed(docname)
        main = self._render(
            f"{docname}.typ",
            "article.typ.jinja",
            **self._common(issue.label if issue is not None else "Online first"),
            title=record.title,
            authors=[a.name for a in record.authors] or [self.config.author],
            description=record.summary,
            keywords=_unique([record.column, *record.keywords]),
            date=when.date,
            first_page=first,
            include=f"/{docname}.content.typ",
        )
        output = Path(self.outdir) / f"{links.article_name(self.config, docname)}.pdf"
        return docname, main, output, when.timestamp

    def _check_pages(self, laid_out: dict[str, dict[str, tuple[int, int]]],
                     articles: dict[str, Result]) -> None:
        """A published issue's articles where its file says, in its PDF and in their own."""
        for issue in self.issues:
            if not self._recorded(issue):
                continue
            command = f"make paginate ISSUE={issue.stem}"
            for name, (first, last) in issue.pages.items():
                laid = laid_out[issue.docname].get(name)
                if laid is not None and laid != (first, last):
                    warn(f"{name} now takes {page_range(*laid)} of {issue.label}, but "
                         f"this file records {page_range(first, last)}; a published issue's pages are "
                         "fixed, as citations of it give them: make the change fit, or, if "
                         f"the issue's pages may still change, run {command} and commit this "
                         "file", Subtype.pdf, location=(issue.docname, issue.pages_line(name)))
                own = articles[name].pages.get(name) if name in articles else None
                if laid is not None and own is not None and own != laid:
                    warn(f"the article's own PDF has {page_range(*own)}, in {issue.label} it "
                         f"has {page_range(*laid)}; the two must agree: report "
                         "this to the maintainers (magazine.pdf)", Subtype.pdf, location=name)

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

