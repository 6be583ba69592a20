"""Proper nouns in an article's title keep their capitals when the article is cited:
front matter marks them with braces, as bib titles do; pages show the title without them."""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import ARTICLE, build, copy_project

from magazine.articles.frontmatter import parse_front_matter

TITLE = "{Yale} Scientists Repair Spinal Cords With {MRI}-Guided Cells"


def test_braces_mark_capitals_for_the_citation_and_leave_the_page_title() -> None:
    # a value that starts with a brace is written in quotes (YAML would read a mapping)
    parsed = parse_front_matter(f'---\ntitle: "{TITLE}"\ncolumn: News Byte\nsummary: S.\n---\n')
    assert parsed.problems == []
    assert parsed.record.title == "Yale Scientists Repair Spinal Cords With MRI-Guided Cells"
    assert parsed.record.cite_title == TITLE


def test_braces_that_do_not_pair_up_are_reported_at_the_title() -> None:
    parsed = parse_front_matter("---\ncolumn: News Byte\ntitle: '{Yale Scientists'\n"
                                "summary: S.\n---\n")
    assert [(p.line, p.message.split(";")[0]) for p in parsed.problems] == \
        [(3, "the braces in 'title:' do not pair up")]


def test_the_cite_box_keeps_the_capitals_and_the_page_shows_no_braces(tmp_path) -> None:  # noqa: ANN001
    src = copy_project(tmp_path / "src")
    article = src / f"{ARTICLE}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace(
        "title: Stem Cell Therapy for Spinal Cord Injuries",
        "title: >-\n  Stem Cell Therapy for Spinal Cord Injuries at {Yale}\n  and in {Sapporo}"),
        encoding="utf-8")
    result = build(src)
    assert result.returncode == 0, result.stderr
    html = (result.outdir / f"{ARTICLE}.html").read_text(encoding="utf-8")
    page = BeautifulSoup(html, "html.parser")
    heading = page.select_one("h1").get_text(" ", strip=True)
    assert "Stem Cell Therapy for Spinal Cord Injuries at Yale and in Sapporo" in heading
    assert "{" not in heading and "{" not in page.select_one("title").get_text()
    assert page.select_one('meta[name="citation_title"]')["content"] == \
        "Stem Cell Therapy for Spinal Cord Injuries at Yale and in Sapporo"
    cite = " ".join(page.select_one(".cite-this-article").get_text(" ").split()).replace(" .", ".")
    assert "Stem cell therapy for spinal cord injuries at Yale and in Sapporo." in cite, cite
    bibtex = next((result.outdir / "cite").glob("*.bib")).read_text(encoding="utf-8")
    assert "{Yale}" in bibtex and "{Sapporo}" in bibtex


def test_an_unquoted_title_that_starts_with_a_brace_gets_the_fix() -> None:
    parsed = parse_front_matter(f"---\ntitle: {TITLE}\ncolumn: News Byte\nsummary: S.\n---\n")
    assert parsed.problems and "starts with '{'" in parsed.problems[0].message
