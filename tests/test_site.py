"""The real magazine builds cleanly, reads as the seed does, and builds reproducibly."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import ARTICLE, SEED, copy_project, sphinx_build

SEED_TITLE = "News Byte: Stem Cell Therapy for Spinal Cord Injuries"
KEYS = {"bangalore2021yale", "kocsis2021interview", "honmou2021intravenous"}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def seed_paragraphs() -> list[str]:
    """The seed article's body: the paragraphs between the credit line and Works Cited."""
    text = SEED.read_text(encoding="utf-8")
    body = text.split("Image courtesy of Pixabay.", 1)[1].split("Works Cited", 1)[0]
    return [" ".join(p.split()) for p in body.split("\n") if p.strip()]


def body_paragraphs(page: BeautifulSoup) -> list[Tag]:
    section = page.select_one("article.bd-article > section")
    return [p for p in section.find_all("p", recursive=False)]


def text_without_citations(paragraph: Tag) -> str:
    """The paragraph's text with each in-text citation (and the space before it) removed."""
    copy = BeautifulSoup(str(paragraph), "html.parser")
    for citation in copy.select(".bibtex-citation"):
        citation.replace_with("\x00")
    return re.sub(r"\s*\x00", "", " ".join(copy.get_text().split()))


@pytest.fixture(scope="module")
def command_line_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real site built as the README says, by sphinx-build in a process of its own and
    in another folder than ``built_site``; returns the HTML folder."""
    src = copy_project(tmp_path_factory.mktemp("command-line") / "src")
    result = sphinx_build(src)
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr
    assert "ERROR" not in result.stderr
    return src / "_build" / "html"


def test_real_site_builds_without_warnings(command_line_build: Path) -> None:
    assert (command_line_build / f"{ARTICLE}.html").is_file()


def test_article_title_shows_column_as_metadata(built_site: Path) -> None:
    page = soup(built_site / f"{ARTICLE}.html")
    heading = page.select_one("article h1")
    assert " ".join(heading.get_text(" ", strip=True).replace(" :", ":").split()).removesuffix(
        " #"
    ) == SEED_TITLE
    assert heading.select_one(".article-column").get_text() == "News Byte"
    assert page.title.get_text().startswith(SEED_TITLE)


def test_article_paragraphs_are_the_seed_verbatim(built_site: Path) -> None:
    page = soup(built_site / f"{ARTICLE}.html")
    paragraphs = [text_without_citations(p) for p in body_paragraphs(page)]
    assert paragraphs == seed_paragraphs()
    # typographic characters of the seed survive
    joined = " ".join(paragraphs)
    for char in "—’“”…":
        assert char in joined


def test_every_paragraph_cites_its_source(built_site: Path) -> None:
    page = soup(built_site / f"{ARTICLE}.html")
    for paragraph in body_paragraphs(page):
        assert paragraph.select(".bibtex-citation"), paragraph.get_text()[:60]


def test_works_cited_lists_the_three_works_once(built_site: Path) -> None:
    page = soup(built_site / f"{ARTICLE}.html")
    section = page.select_one("section#works-cited")
    assert section.find("h2").get_text(strip=True).removesuffix("#") == "Works Cited"
    entries = section.select('[role="list"] > .works-cited-entry[role="listitem"]')
    ids = [entry["id"] for entry in entries]
    assert sorted(ids) == sorted(f"ref-{key}" for key in KEYS)
    # the list is the last thing in the article
    assert page.select("article.bd-article section section")[-1] is section


def test_every_citation_links_to_an_entry_on_the_same_page(built_site: Path) -> None:
    page = soup(built_site / f"{ARTICLE}.html")
    entry_ids = {e["id"] for e in page.select('[role="list"] > .works-cited-entry[role="listitem"]')}
    links = page.select(".bibtex-citation a")
    assert len(links) >= 8
    targets = {link["href"] for link in links}
    assert all(href.startswith("#") for href in targets)
    assert {href[1:] for href in targets} == entry_ids


def test_lead_image_has_alt_text_and_a_truthful_credit(built_site: Path) -> None:
    page = soup(built_site / f"{ARTICLE}.html")
    figure = page.select_one("figure.article-lead-image")
    image = figure.find("img")
    assert len(image["alt"]) > 40
    assert (built_site / ARTICLE).parent.joinpath(image["src"]).resolve().is_file()
    credit = figure.find("figcaption").get_text(" ", strip=True)
    assert "The Open Bench" in credit
    assert "Pixabay" not in page.get_text()


def test_front_page_names_the_magazine_and_links_the_article(built_site: Path) -> None:
    page = soup(built_site / "index.html")
    assert page.select_one("article h1").get_text(strip=True).startswith("The Open Bench")
    cards = page.select(".article-card")
    assert len(cards) == 1
    card = cards[0]
    assert card.select_one(".article-card-column").get_text() == "News Byte"
    link = card.select_one(".article-card-title a")
    assert link.get_text() == "Stem Cell Therapy for Spinal Cord Injuries"
    assert link["href"] == f"{ARTICLE}.html"
    assert card.select_one(".article-card-summary").get_text().startswith("A clinical trial")


def test_two_builds_give_identical_html(built_site: Path, command_line_build: Path) -> None:
    """Two builds, in two folders and two processes (this one and sphinx-build's), give the
    same bytes."""
    outputs = [
        {p.relative_to(html): p.read_bytes() for p in sorted(html.rglob("*")) if p.is_file()}
        for html in (built_site, command_line_build)
    ]
    assert outputs[0].keys() == outputs[1].keys()
    different = [str(p) for p in outputs[0] if outputs[0][p] != outputs[1][p]]
    assert different == []
