"""The PDF edition, read back from the built PDFs and compared with the web edition.

One copy of the real magazine, plus the test articles of ``roots/test-typst`` (escaping,
accented names, Greek letters and signs; one cites a work the real article cites too) in
its issue 1-1 with the seed article, is paginated by ``make paginate``'s module and then
built once, offline: HTML first, then the ``typst`` builder on the same doctrees, as
``make publish`` does. The tests read text, fonts, links and metadata with pypdf, render
pages with pypdfium2 (both from PyPI: no poppler needed) and compare each article's Works
Cited with its HTML page.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, copy_project, issue_text
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

TEST_ROOT = ROOT / "tests" / "roots" / "test-typst"
EDITION = "the-open-bench-1-1"  # the issue's PDF
ESCAPING = "articles/typst-escaping"
SPECIALS = "# $ * _ @ < ` \\ [ ]".split()
SIGNS = "ë Å Ł ř ö É α β γ δ Δ Ω ± µ ≥ ≤ ° — – … ‘ ’ “ ”".split()
# Typst's page: A4, 24 mm top and 22 mm bottom margins (magazine.typ); furniture lies outside.
BODY_TOP, BODY_BOTTOM = 841.89 - 24 / 25.4 * 72, 22 / 25.4 * 72

# The build must not touch the network: sockets refuse in Python, and where the machine
# allows it (root on Linux) the whole build runs in a network namespace with no interface.
# (Local Unix sockets stay allowed: sphinx-sitemap talks to a multiprocessing manager.)
OFFLINE_SPHINX = """
import socket, sys
def refuse(*args, **kwargs):
    raise OSError("the build tried to use the network")
def guard(connect):
    def checked(sock, *args):
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            refuse()
        return connect(sock, *args)
    return checked
socket.socket.connect = guard(socket.socket.connect)
socket.socket.connect_ex = guard(socket.socket.connect_ex)
socket.create_connection = socket.getaddrinfo = refuse
from sphinx.cmd.build import main
sys.exit(main(sys.argv[1:]))
"""


def network_namespace() -> list[str]:
    if shutil.which("unshare") is None:
        return []
    probe = subprocess.run(["unshare", "-n", "true"], capture_output=True, check=False)
    return ["unshare", "-n"] if probe.returncode == 0 else []


def build(src: Path, builder: str, outdir: str) -> subprocess.CompletedProcess[str]:
    command = [
        *network_namespace(), sys.executable, "-c", OFFLINE_SPHINX,
        "-b", builder, "-W", "-n", "--keep-going",
        "-d", str(src / "_build" / "doctrees"), str(src), str(src / "_build" / outdir),
    ]
    return subprocess.run(command, capture_output=True, text=True, cwd=src, check=False)


def make_site(destination: Path) -> Path:
    """The real magazine plus the test articles and their bib entries, all three in its
    issue 1-1 (the root's), paginated."""
    src = copy_project(destination)
    for article in sorted((TEST_ROOT / "articles").glob("*.md")):
        shutil.copy(article, src / "articles" / article.name)
    shutil.copy(TEST_ROOT / "issues" / "1-1.md", src / "issues" / "1-1.md")
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write((TEST_ROOT / "extra.bib").read_text(encoding="utf-8"))
    result = paginate(src, "1-1")
    assert result.returncode == 0, result.stderr
    return src


def paginate(src: Path, issue: str) -> subprocess.CompletedProcess[str]:
    """``make paginate ISSUE=...``, offline, in ``src``."""
    code = OFFLINE_SPHINX.replace("from sphinx.cmd.build import main", (
        "from magazine.serial.paginate import main"))
    return subprocess.run(
        [*network_namespace(), sys.executable, "-c", code, "--issue", issue],
        capture_output=True, text=True, cwd=src, check=False,
        env={**os.environ, "PYTHONPATH": str(src / "_ext")})


def squash(text: str) -> str:
    """Text without any whitespace: line breaks differ between a page and a PDF."""
    return "".join(text.split())


# -- reading PDFs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text drawn on a page, where it starts and in which font."""

    page: int
    x: float
    y: float
    font: str
    text: str

    @property
    def in_body(self) -> bool:
        return BODY_BOTTOM < self.y < BODY_TOP

    def key(self, middle: float) -> tuple[int, int, float]:
        """Reading order on a two-column page: page, column, top to bottom."""
        return (self.page, int(self.x > middle), -self.y)


class Pdf:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.reader = PdfReader(path)
        self.middle = float(self.reader.pages[0].mediabox.width) / 2
        self.page_numbers = {
            page.indirect_reference.idnum: index for index, page in enumerate(self.reader.pages)
        }

    @cached_property
    def runs(self) -> list[Run]:
        runs: list[Run] = []
        for index, page in enumerate(self.reader.pages):

            def visit(text, cm, tm, font, size, index=index) -> None:  # noqa: ANN001
                if text.strip():
                    x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                    y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                    name = str(font.get("/BaseFont", "")) if font else ""
                    runs.append(Run(index, x, y, name, text))

            page.extract_text(visitor_text=visit)
        return runs

    def body_text(self, pages: range) -> str:
        return "".join(r.text for r in self.runs if r.page in pages and r.in_body)

    def text(self) -> str:
        return "\n".join(page.extract_text() for page in self.reader.pages)

    def bookmarks(self) -> list[tuple[str, int]]:
        """Level-1 bookmarks: (title, page index)."""
        return [
            (item.title, self.reader.get_destination_page_number(item))
            for item in self.reader.outline
            if not isinstance(item, list)
        ]

    def links(self) -> list[dict]:
        found = []
        for index, page in enumerate(self.reader.pages):
            for annotation in page.get("/Annots") or []:
                annotation = annotation.get_object()
                if annotation.get("/Subtype") != "/Link":
                    continue
                rect = [float(v) for v in annotation["/Rect"]]
                link = {"page": index, "rect": rect}
                action = annotation.get("/A")
                if action is not None and "/URI" in action.get_object():
                    link["uri"] = str(action.get_object()["/URI"])
                dest = annotation.get("/Dest")
                if dest is not None:
                    dest = dest.get_object() if isinstance(dest, IndirectObject) else dest
                    assert isinstance(dest, ArrayObject), dest
                    link["dest"] = (
                        self.page_numbers[dest[0].idnum], float(dest[2]), float(dest[3])
                    )
                found.append(link)
        return found

    def heading_run(self, text: str, pages: range) -> Run:
        matches = [r for r in self.runs if r.page in pages and r.text.strip() == text]
        assert len(matches) == 1, (text, matches)
        return matches[0]

    def text_after(self, page: int, x: float, y: float) -> str:
        """The first line at or below a point, in the same column (a link's target)."""
        column = int(x > self.middle)
        below = [
            r for r in self.runs
            if r.page == page and int(r.x > self.middle) == column and r.y <= y and r.in_body
        ]
        top = max(r.y for r in below)
        return "".join(r.text for r in below if abs(r.y - top) < 1)


# -- reading HTML ----------------------------------------------------------------------------


def page(html: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((html / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def works_cited(html: Path, docname: str) -> list[str]:
    entries = page(html, docname).select("section#works-cited .works-cited-entry")
    return [entry.get_text() for entry in entries]


def footnotes(html: Path, docname: str) -> list[str]:
    """Footnotes follow the Works Cited list, on the page as in the PDF: 'N text'."""
    notes = page(html, docname).select("aside.footnote")
    return [
        n.select_one(".label").get_text().strip("[]") + n.find("p").get_text() for n in notes
    ]


def front_matter(docname: str, src: Path) -> dict:
    text = (src / f"{docname}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


# -- the build -------------------------------------------------------------------------------


@dataclass
class Site:
    src: Path

    @property
    def html(self) -> Path:
        return self.src / "_build" / "html"

    @property
    def pdf(self) -> Path:
        return self.src / "_build" / "pdf"

    def edition(self) -> Pdf:
        return Pdf(self.pdf / f"{EDITION}.pdf")

    def article(self, docname: str) -> Pdf:
        return Pdf(self.pdf / f"{docname.removeprefix('articles/')}.pdf")

    @cached_property
    def order(self) -> list[tuple[str, str]]:
        """(docname, title) in front-page order, read from the front page's cards."""
        cards = page(self.html, "index").select(".article-card-title a")
        return [(a["href"].removesuffix(".html"), a.get_text()) for a in cards]

    @cached_property
    def article_pages(self) -> dict[str, range]:
        """Each article's pages in the edition, from its bookmark to the next one."""
        edition = self.edition()
        starts = [p for _, p in edition.bookmarks()]
        ends = [*starts[1:], len(edition.reader.pages)]
        docnames = [d for d, _ in self.order]
        return {d: range(s, e) for d, s, e in zip(docnames, starts, ends, strict=True)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    src = make_site(tmp_path_factory.mktemp("pdf") / "src")
    for builder, outdir in (("html", "html"), ("typst", "pdf")):
        result = build(src, builder, outdir)
        assert result.returncode == 0, result.stderr
        assert "WARNING" not in result.stderr, result.stderr
    return Site(src)


# -- outputs and links -----------------------------------------------------------------------


def test_the_build_is_offline() -> None:
    # the check itself: code that opens a socket fails the build
    for attempt in ("socket.create_connection(('127.0.0.1', 9))",
                    "socket.socket().connect(('127.0.0.1', 9))"):
        code = OFFLINE_SPHINX.replace("from sphinx.cmd.build import main", attempt)
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=False)
        assert "the build tried to use the network" in result.stderr, attempt


def test_one_pdf_per_article_and_one_per_issue(site: Site) -> None:
    articles = sorted(p.stem for p in (site.src / "articles").glob("*.md"))
    assert len(articles) == 3
    pdfs = sorted(p.stem for p in site.pdf.glob("*.pdf"))
    assert pdfs == sorted([*articles, EDITION])


def test_html_pages_link_to_their_pdfs(site: Site) -> None:
    for docname, _ in site.order:
        link = page(site.html, docname).select_one(".article-header a.pdf-link")
        assert link["href"] == f"../pdf/{docname.removeprefix('articles/')}.pdf"
    link = page(site.html, "index").select_one("a.pdf-link")
    assert link["href"] == f"pdf/{EDITION}.pdf"
    # the PDFs themselves carry no link to a PDF
    assert "as a PDF" not in site.edition().text()


# -- the edition -----------------------------------------------------------------------------


def test_cover_and_contents_name_the_magazine_and_list_the_articles_in_order(site: Site) -> None:
    edition = site.edition()
    cover = edition.reader.pages[0].extract_text()
    assert "The Open Bench" in cover
    assert "Volume 1, Issue 1" in cover
    assert "Repair" in cover  # the issue's theme
    editorial = squash(edition.reader.pages[1].extract_text())
    assert squash("From the editors The first issue of The Open Bench") in editorial
    contents = squash(edition.reader.pages[2].extract_text())
    assert "Contents" in contents
    positions = [contents.index(squash(title)) for _, title in site.order]
    assert positions == sorted(positions)


def test_articles_follow_in_front_page_order(site: Site) -> None:
    edition = site.edition()
    assert [title for title, _ in edition.bookmarks()] == [t for _, t in site.order]
    starts = [p for _, p in edition.bookmarks()]
    assert starts == sorted(set(starts))
    assert starts[0] == 3  # after the cover, the editorial and the contents


def test_each_works_cited_closes_its_own_article(site: Site) -> None:
    edition = site.edition()
    for docname, _ in site.order:
        text = squash(edition.body_text(site.article_pages[docname]))
        assert text.count("WorksCited") == 1, docname
        after = text.split("WorksCited", 1)[1]
        expected = [*works_cited(site.html, docname), *footnotes(site.html, docname)]
        assert after == squash("".join(expected)), docname
    in_articles = [i for pages in site.article_pages.values() for i in pages]
    assert squash(edition.body_text(in_articles)).count("WorksCited") == len(site.order)


def test_an_article_pdf_holds_that_article_only(site: Site) -> None:
    for docname, title in site.order:
        pdf = site.article(docname)
        assert pdf.bookmarks() == [(title, 0)]
        text = squash(pdf.body_text(range(len(pdf.reader.pages))))
        for other, other_title in site.order:
            if other != docname:
                assert squash(other_title) not in text
        after = text.split("WorksCited", 1)[1]
        expected = [*works_cited(site.html, docname), *footnotes(site.html, docname)]
        assert after == squash("".join(expected))


def test_citations_link_to_the_entry_in_their_own_article(site: Site) -> None:
    edition = site.edition()
    links = edition.links()
    for docname, _ in site.order:
        pages = site.article_pages[docname]
        heading = edition.heading_run("Works Cited", pages)
        html = page(site.html, docname)
        entries = {e["id"]: squash(e.get_text()) for e in html.select(".works-cited-entry")}
        citations = [entries[a["href"][1:]] for a in html.select(".bibtex-citation a")]
        assert citations, docname
        found = []
        for link in links:
            if link["page"] not in pages or "dest" not in link:
                continue
            target_page, x, y = link["dest"]
            target = squash(edition.text_after(target_page, x, y))
            entry = next((e for e in entries.values() if target and e.startswith(target)), None)
            if entry is None:
                continue  # not a citation (the link to another article)
            assert target_page in pages, (docname, link)
            assert Run(target_page, x, y, "", "").key(edition.middle) > heading.key(
                edition.middle
            )
            found.append(entry)
        # every work cited has its link (a link broken over two lines may count twice)
        assert set(found) == set(citations), docname
        assert len(found) >= len(citations), docname


def test_doi_and_url_links_are_link_annotations(site: Site) -> None:
    edition = site.edition()
    edition_uris = {link.get("uri") for link in edition.links()}
    checked = 0
    for docname, _ in site.order:
        html = page(site.html, docname)
        hrefs = {a["href"] for a in html.select("section#works-cited a.reference.external")}
        article_uris = {link.get("uri") for link in site.article(docname).links()}
        assert hrefs <= article_uris, docname
        assert hrefs <= edition_uris, docname
        checked += len(hrefs)
    assert checked >= 3
    assert "https://doi.org/10.5555/esc_ape.2024.1" in edition_uris


def test_works_cited_keeps_apa_italics_and_hanging_indent(site: Site) -> None:
    edition = site.edition()
    for docname, _ in site.order:
        pages = site.article_pages[docname]
        heading = edition.heading_run("Works Cited", pages)
        # the list under its heading, in the heading's column (where the short lists fit)
        column = int(heading.x > edition.middle)
        entries = [
            r for r in edition.runs
            if r.page == heading.page and r.in_body and r.y < heading.y
            and int(r.x > edition.middle) == column
        ]
        italic = squash("".join(r.text for r in entries if "Italic" in r.font))
        for em in page(site.html, docname).select("section#works-cited em"):
            assert squash(em.get_text()) in italic
        # first lines start at the column's edge, the lines after them one indent further in
        lines: dict[tuple, float] = {}
        for r in entries:
            line = (r.page, int(r.x > edition.middle), round(r.y))
            lines[line] = min(lines.get(line, r.x), r.x)
        starts = sorted({round(x, 1) for x in lines.values()})
        assert starts[0] == round(heading.x, 1)
        assert len(starts) == 2 and 8 < starts[1] - starts[0] < 25, (docname, starts)


# -- typography, fonts, metadata -------------------------------------------------------------


def page_fonts(resources: object) -> Iterator[tuple[str, DictionaryObject]]:
    """Every font a page's resources use, its own and those of the forms it draws."""
    resources = resources.get_object() if resources is not None else None
    if not resources:
        return
    fonts, xobjects = resources.get("/Font"), resources.get("/XObject")
    for name, font in (fonts.get_object() if fonts is not None else {}).items():
        yield name, font.get_object()
    for xobject in (xobjects.get_object() if xobjects is not None else {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from page_fonts(xobject.get("/Resources"))


def font_is_embedded(font: DictionaryObject) -> bool:
    """What pdffonts calls "emb": the font program is in the file (Type 3 fonts are their
    own glyph procedures; a composite font's program sits in its descendant)."""
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    descriptor = descriptor.get_object() if descriptor is not None else {}
    return any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_fonts_are_embedded(site: Site) -> None:
    for pdf in sorted(site.pdf.glob("*.pdf")):
        fonts = {
            (font.get("/BaseFont"), name): font
            for page in PdfReader(pdf).pages
            for name, font in page_fonts(page.get("/Resources"))
        }
        assert fonts, pdf
        for (base, _), font in fonts.items():
            assert font_is_embedded(font), f"{pdf.name}: {base} is not embedded"


def test_pages_render_with_ink_on_them(site: Site) -> None:
    """Each PDF's first and last page, rasterised (pypdfium2, PDFium: the engine Chrome
    shows PDFs with), are neither blank nor a single colour."""
    for pdf in sorted(site.pdf.glob("*.pdf")):
        document = pdfium.PdfDocument(pdf)
        try:
            for index in sorted({0, len(document) - 1}):
                bitmap = document[index].render(scale=0.5, grayscale=True)
                pixels = bytes(bitmap.buffer)
                dark = sum(1 for value in pixels[:: 7] if value < 128)
                assert dark > 50, f"{pdf.name}, page {index + 1} looks blank"
                assert min(pixels) < 64 and max(pixels) > 192, f"{pdf.name}, page {index + 1}"
        finally:
            document.close()


def test_accents_greek_and_signs_come_out(site: Site) -> None:
    text = site.edition().text()
    for char in SIGNS:
        assert char in text, char
    assert "Zoë Ångström-Łukasiewicz" in text
    assert "Émilie Dvořák" in text


def test_page_furniture_names_the_magazine_and_the_article(site: Site) -> None:
    edition = site.edition()
    for docname, title in site.order:
        for index in site.article_pages[docname]:
            header = "".join(r.text for r in edition.runs if r.page == index and r.y > BODY_TOP)
            footer = "".join(r.text for r in edition.runs if r.page == index and r.y < BODY_BOTTOM)
            assert "The Open Bench · Volume 1, Issue 1" in header
            assert squash(title) in squash(header)
            assert footer.strip() == edition.reader.page_labels[index]
    # no header and no page number on the cover
    cover = [r for r in edition.runs if r.page == 0]
    assert not [r for r in cover if r.y > BODY_TOP or r.text.strip().isdigit()]


def test_metadata_comes_from_the_front_matter(site: Site) -> None:
    for docname, _ in site.order:
        record = front_matter(docname, site.src)
        pdf = site.article(docname)
        info = pdf.reader.metadata
        assert info.title == record["title"]
        authors = [a["name"] for a in record.get("authors", [])] or ["The Open Bench editors"]
        assert info.author == ", ".join(authors)
        assert info.subject == record["summary"]
        keywords = info["/Keywords"]
        for keyword in [record["column"], *record.get("keywords", [])]:
            assert keyword in keywords
        assert pdf.reader.trailer["/Root"]["/Lang"] == "en"
        if "date" in record:
            assert info["/CreationDate"].startswith("D:" + str(record["date"]).replace("-", ""))
    edition = site.edition().reader.metadata
    assert edition.title == "The Open Bench, Volume 1, Issue 1: Repair"
    assert edition.author == "The Open Bench editors"  # the issue's editors
    assert edition["/CreationDate"].startswith("D:20261125")  # the issue's date


def test_pdfs_are_tagged_for_accessibility(site: Site) -> None:
    for pdf in sorted(site.pdf.glob("*.pdf")):
        reader = PdfReader(pdf)
        root = reader.trailer["/Root"]
        assert bool(root["/MarkInfo"]["/Marked"])
        assert "/StructTreeRoot" in root
        xmp = root["/Metadata"].get_object().get_data()
        assert b"<pdfuaid:part>1</pdfuaid:part>" in xmp


# -- escaping --------------------------------------------------------------------------------


def test_markup_characters_in_front_matter_stay_literal(site: Site) -> None:
    record = front_matter(ESCAPING, site.src)
    pdf = site.article(ESCAPING)
    info = pdf.reader.metadata
    # metadata strings are compared exactly: nothing was interpreted or dropped
    assert info.title == record["title"]
    assert info.subject == record["summary"]
    text = squash(pdf.text())
    for field in ("title", "summary"):
        assert squash(record[field]) in text, field
    assert squash(record["column"].upper()) in text  # the kicker is set in capitals
    assert squash("Ada #Hash $Dollar") in text
    for char in SPECIALS:
        assert char in record["title"]
        assert char in record["summary"]


@pytest.mark.parametrize(
    "written",
    [
        # prose, written with Markdown escapes, comes out as the reader sees it on the web
        '# $ * _ @ < ` \\ [ ] and #panic(“prose”) and $x^2$ and @ref-label and <label> '
        "and // not a comment and /* nor this */ and \\u{41}",
        # inline code
        '#panic("code") $ * _ @ < \\ [ ] //',
        # a heading
        "Section # $ * _ @ < [x]",
        # a code block
        'print("#panic() $ * _ \\\\ [ ]")',
        # bib fields: title, journal, URL
        "Symbols # \\$ _ & * @ < > [brackets] and the αβγ decay: ± µ ≥.",
        "Journal of #Escaped _Things",
        "https://example.org/path_with_underscores/page?q=a&r=b",
    ],
)
def test_markup_characters_in_the_text_stay_literal(site: Site, written: str) -> None:
    html = squash(page(site.html, ESCAPING).select_one("article").get_text())
    assert squash(written) in html  # the web edition shows it so
    assert squash(written) in squash(site.article(ESCAPING).text())
    assert squash(written) in squash(site.edition().text())


def test_links_keep_their_addresses(site: Site) -> None:
    uris = {link.get("uri") for link in site.article(ESCAPING).links()}
    assert "https://example.org/a_b?c=d#frag" in uris


# -- pages -----------------------------------------------------------------------------------


def recorded_pages(src: Path, issue: str = "1-1") -> dict[str, tuple[int, int]]:
    """The issue file's ``pages:``, as make paginate wrote them."""
    pages = yaml.safe_load(
        (src / "issues" / f"{issue}.md").read_text("utf-8").split("---\n")[1])["pages"]
    ranges = {}
    for name, text in pages.items():
        first, _, last = str(text).partition("-")
        ranges[name] = (int(first), int(last or first))
    return ranges


def test_paginate_records_the_issue_as_typst_lays_it_out(site: Site) -> None:
    pages = recorded_pages(site.src)
    assert list(pages) == [d for d, _ in site.order]  # in the order of the contents
    expected = 1
    for docname, _ in site.order:
        first, last = pages[docname]
        assert first == expected  # from page 1, each article after the one before
        expected = last + 1
    laid_out = json.loads((site.pdf / "pagination.json").read_text("utf-8"))["1-1"]
    assert {k: tuple(v) for k, v in laid_out.items()} == pages


def test_issue_pdf_article_pdfs_and_web_pages_give_the_same_pages(site: Site) -> None:
    pages = recorded_pages(site.src)
    labels = site.edition().reader.page_labels
    assert labels[:3] == ["", "i", "ii"]  # the cover unnumbered, then editorial and contents
    for docname, _ in site.order:
        first, last = pages[docname]
        numbers = [str(n) for n in range(first, last + 1)]
        assert [labels[i] for i in site.article_pages[docname]] == numbers, docname
        assert PdfReader(site.article(docname).path).page_labels == numbers, docname
        line = page(site.html, docname).select_one(".article-issue").get_text()
        shown = f"pages {first}\u2013{last}" if last > first else f"page {first}"
        assert line.startswith(f"Volume 1, Issue 1, {shown} · "), (docname, line)



SECOND_ISSUE = issue_text(2, "2027-03-01", ["articles/greek-letters-again"],
                          body="A second issue of one article.")


def test_paginate_lays_out_several_issues_in_one_build(site: Site, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(site.src, src, ignore=shutil.ignore_patterns("_build"))
    greek = (src / "articles" / "aa-greek-letters.md").read_text("utf-8")
    (src / "articles" / "greek-letters-again.md").write_text(
        greek.replace("title: Greek Letters", "title: More Greek Letters", 1), "utf-8")
    (src / "issues" / "1-2.md").write_text(SECOND_ISSUE, "utf-8")
    first_issue = (src / "issues" / "1-1.md").read_text("utf-8")
    # a name that is not an issue, and one without a file, write nothing
    for wrong, said in (("1-1,x", "name the issue by its volume and number"),
                        ("1-1,1-9", "there is no issues/1-9.md")):
        result = paginate(src, wrong)
        assert (result.returncode, said in result.stderr) == (2, True), result.stderr
    result = paginate(src, "1-1,1-2")
    assert result.returncode == 0, result.stderr
    assert (src / "issues" / "1-1.md").read_text("utf-8") == first_issue  # its pages stand
    assert recorded_pages(src, "1-2") == {"articles/greek-letters-again": (1, 1)}
    assert "issues/1-2.md: pages recorded" in result.stdout
    # pages that run on across a volume: one issue at a time, in order
    conf = src / "conf.py"
    conf.write_text(conf.read_text("utf-8") + '\nmagazine_pagination = "volume"\n', "utf-8")
    result = paginate(src, "1-1,1-2")
    assert result.returncode == 2
    assert "paginate one issue at a time, in order: make paginate ISSUE=1-1" in result.stderr


def rebuilt(src: Path, edit: str | None = None) -> dict[str, int]:
    """Rebuild the PDFs (after appending ``edit`` to the escaping article); each PDF's
    modification time."""
    if edit is not None:
        article = src / "articles" / "typst-escaping.md"
        article.write_text(article.read_text("utf-8") + edit, "utf-8")
    result = build(src, "typst", "pdf")
    assert result.returncode == 0, result.stderr
    return {p.name: p.stat().st_mtime_ns for p in sorted((src / "_build" / "pdf").glob("*.pdf"))}


def test_a_published_article_that_outgrows_its_pages_is_located(site: Site,
                                                               tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(site.src, src, ignore=shutil.ignore_patterns("html"))
    before = rebuilt(src)
    assert rebuilt(src) == before  # nothing changed: no PDF is typeset again
    first, last = recorded_pages(src)["articles/typst-escaping"]
    # a sentence more: the same pages; only its PDF and its issue's are typeset again
    after = rebuilt(src, "\nOne sentence more.\n")
    assert sorted(n for n in after if after[n] != before[n]) == [f"{EDITION}.pdf",
                                                                "typst-escaping.pdf"]
    # a page more: the issue's record no longer fits, and the build says where
    article = src / "articles" / "typst-escaping.md"
    article.write_text(article.read_text("utf-8") + "\n" + "More text to fill a page. " * 900,
                       "utf-8")
    result = build(src, "typst", "pdf")
    assert result.returncode != 0
    issue_file = (src / "issues" / "1-1.md").read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(issue_file, 1) if "  articles/typst-escaping:" in text)
    recorded = f"pages {first}-{last}" if last > first else f"page {first}"
    assert f"issues/1-1.md:{line}: WARNING: articles/typst-escaping now takes pages {first}-" \
        in result.stderr
    assert f"but this file records {recorded}; a published issue's pages are fixed" \
        in result.stderr
    assert "run make paginate ISSUE=1-1" in result.stderr


# -- determinism -----------------------------------------------------------------------------


def test_two_builds_give_identical_pdfs(site: Site, tmp_path: Path) -> None:
    other = make_site(tmp_path / "elsewhere")  # another folder: no path leaks into a PDF
    result = build(other, "typst", "pdf")
    assert result.returncode == 0, result.stderr
    first = {p.name: p.read_bytes() for p in sorted(site.pdf.glob("*.pdf"))}
    second = {p.name: p.read_bytes() for p in sorted((other / "_build" / "pdf").glob("*.pdf"))}
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
