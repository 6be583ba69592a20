"""Rebuilds: what a second build does when little or nothing changed."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Build, build, copy_project

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import Site, generate  # noqa: E402


def test_rebuild_with_nothing_changed_succeeds(tmp_path: Path) -> None:
    """No document is written, yet the column pages are (they are made at every build)."""
    src = copy_project(tmp_path / "src")
    assert build(src).returncode == 0
    column = src / "_build" / "html" / "columns" / "news-byte.html"
    column.unlink()
    result = build(src)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed, 0 removed" in result.stdout
    assert column.is_file()


def test_sitemap_lists_every_page_after_any_rebuild(built: Site) -> None:
    """sphinx-sitemap lists the pages a build writes; the magazine lists them all."""
    sitemap = built.srcdir / "_build" / "html" / "sitemap.xml"
    full = sitemap.read_text(encoding="utf-8")
    assert full.count("<url>") == len(built.articles) + 1 + 5  # articles, front, columns
    result = build(built.srcdir)
    assert result.returncode == 0, result.stderr
    assert reread(result) == set()
    assert sitemap.read_text(encoding="utf-8") == full


# -- a bib edit rebuilds the articles that cite the entry ----------------------------------

READING_RE = re.compile(r"^reading sources\.\.\. \[\s*\d+%\] (\S+)$", re.MULTILINE)


def reread(result: Build) -> set[str]:
    """The documents a build read, from Sphinx's progress lines."""
    return set(READING_RE.findall(result.stdout))


@pytest.fixture
def built(tmp_path: Path) -> Site:
    """A generated site of 8 articles, built once."""
    site = generate(tmp_path / "src", articles=8, references=90)
    result = build(site.srcdir)
    assert result.returncode == 0, result.stderr
    return site


def entry_span(text: str, key: str) -> tuple[int, int]:
    start = text.index(f"{{{key},")
    return text.rindex("@", 0, start), text.index("\n}\n", start) + 3


def test_editing_an_entry_reads_only_the_articles_that_cite_it(built: Site) -> None:
    work = next(w for w in built.works if len(built.citers(w.key)) >= 2)
    text = built.bibfile.read_text(encoding="utf-8")
    start, end = entry_span(text, work.key)
    entry = re.sub(r"title(\s*)= \{", r"title\1= {Retitled: ", text[start:end], count=1)
    built.bibfile.write_text(text[:start] + entry + text[end:], encoding="utf-8")
    result = build(built.srcdir)
    assert result.returncode == 0, result.stderr
    citers = {f"articles/{a.name}" for a in built.citers(work.key)}
    assert reread(result) == citers
    for docname in citers:
        page = built.srcdir / "_build" / "html" / f"{docname}.html"
        assert "Retitled" in page.read_text(encoding="utf-8")


def test_adding_an_entry_reads_nothing(built: Site) -> None:
    with built.bibfile.open("a", encoding="utf-8") as bib:
        bib.write("\n@book{new2024entry,\n  author = {Núñez, María},\n  title = {A new book},\n"
                  "  publisher = {Academic Press},\n  year = {2024},\n}\n")
    result = build(built.srcdir)
    assert result.returncode == 0, result.stderr
    assert "0 added, 0 changed, 0 removed" in result.stdout
    assert reread(result) == set()


def test_removing_a_cited_entry_reads_its_articles_and_says_so(built: Site) -> None:
    work = next(w for w in built.works if built.citers(w.key))
    text = built.bibfile.read_text(encoding="utf-8")
    start, end = entry_span(text, work.key)
    built.bibfile.write_text(text[:start] + text[end:], encoding="utf-8")
    result = build(built.srcdir)
    assert result.returncode != 0
    citers = {f"articles/{a.name}" for a in built.citers(work.key)}
    assert reread(result) == citers
    for article in built.citers(work.key):
        assert f"{article.name}.md" in result.stderr
    assert f"no bibliography entry has the key '{work.key}'" in result.stderr


def write_page_citing_after_its_list(src: Path, before: str = "") -> None:
    """``about.md``: a page that writes its own list of the works it cites, with ``before``
    ahead of the text, and cites one more work after the list."""
    (src / "about.md").write_text(
        "---\norphan: true\n---\n\n# About\n\n" + before +
        "A report {cite:p}`bangalore2021yale`.\n\n"
        "```{bibliography}\n:filter: docname in docnames\n```\n\n"
        "A later claim {cite:p}`honmou2021intravenous`.\n",
        encoding="utf-8",
    )


def test_a_work_cited_after_the_list_is_listed(tmp_path: Path) -> None:
    """A page may write its own list of the works it cites and cite after it."""
    src = copy_project(tmp_path / "src")
    write_page_citing_after_its_list(src)
    result = build(src)
    assert result.returncode == 0, result.stderr
    page = (src / "_build" / "html" / "about.html").read_text(encoding="utf-8")
    for key in ("bangalore2021yale", "honmou2021intravenous"):
        assert f'id="ref-{key}"' in page
        assert f'href="#ref-{key}"' in page
    assert 'id="ref-kocsis2021interview"' not in page


def test_citation_ids_are_the_librarys_before_and_after_the_list(tmp_path: Path) -> None:
    """With ``bibtex_cite_id`` naming the bibliography's count, a work cited before the list
    (the library's directive makes its node) and one cited only after it (magazine.citations.bibdeps
    completes the list) get the ids the library gives."""
    src = copy_project(tmp_path / "src")
    write_page_citing_after_its_list(src)
    result = build(src, confoverrides={"bibtex_cite_id": "cite-{bibliography_count}-{key}"})
    assert result.returncode == 0, result.stderr
    page = (src / "_build" / "html" / "about.html").read_text(encoding="utf-8")
    expected = ["cite-1-bangalore2021yale", "cite-1-honmou2021intravenous"]
    assert re.findall(r'\bid="(cite-[^"]+)"', page) == expected
    assert re.findall(r'href="#(cite-[^"]+)"', page) == expected


def test_a_citation_id_taken_after_the_list_is_reported_as_the_library_does(
        tmp_path: Path) -> None:
    """A work cited after the list whose id the page already uses: the library's warning,
    at the list's line, and no second element with that id."""
    src = copy_project(tmp_path / "src")
    write_page_citing_after_its_list(src, before="(cite-1-honmou2021intravenous)=\n## Aside\n\n")
    result = build(src, confoverrides={"bibtex_cite_id": "cite-{bibliography_count}-{key}"})
    assert result.returncode != 0
    assert ("about.md:12: WARNING: duplicate citation id cite-1-honmou2021intravenous "
            "[bibtex.duplicate_id]") in result.stderr
    page = (src / "_build" / "html" / "about.html").read_text(encoding="utf-8")
    assert page.count('id="cite-1-honmou2021intravenous"') == 1


def test_bib_problems_are_reported_by_every_build_until_fixed(tmp_path: Path) -> None:
    """An unchanged bib file is not checked again; its problems are reported again."""
    src = copy_project(tmp_path / "src")
    bib = src / "references.bib"
    good = bib.read_text(encoding="utf-8")
    bib.write_text(good.replace("year         = {2021},", "year         = {2021},\n"
                                "  doi          = {11.1016/j.x.2021.1},"),
                   encoding="utf-8")
    line = bib.read_text(encoding="utf-8").splitlines().index(
        "  doi          = {11.1016/j.x.2021.1},") + 1
    message = f"references.bib:{line}: WARNING: 'doi = {{11.1016/j.x.2021.1}}'"
    for _ in range(2):
        result = build(src)
        assert result.returncode != 0
        assert message in result.stderr
    bib.write_text(good, encoding="utf-8")
    result = build(src)
    assert result.returncode == 0, result.stderr
