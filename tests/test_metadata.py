"""Metadata for machines and citation tools for readers, read back from the built pages.

One build (the ``metadata_site`` fixture): the real site plus a test-only second article
with two authors, an ORCID, a DOI, a date and keywords, published at ``SITE_URL``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import pytest
import rispy
from bs4 import BeautifulSoup
from PIL import Image
from conftest import ARTICLE, ROOT, SECOND_ARTICLE, SITE_URL
from pybtex.database import parse_string
from sphinx.errors import ConfigError

sys.path.insert(0, str(ROOT / "_ext"))
from magazine.web import links, metadata  # noqa: E402
from magazine.citations import records  # noqa: E402
from magazine.articles.frontmatter import Author, FrontMatter  # noqa: E402
from magazine.serial.issues import Placement  # noqa: E402

SEED_KEYS = ["bangalore2021yale", "kocsis2021interview", "honmou2021intravenous"]
SECOND_KEYS = {"tazaki2017salamander", "stocum2012regenerative", "honmou2021intravenous"}
SEED_TITLE = "Stem Cell Therapy for Spinal Cord Injuries"
SECOND_TITLE = 'How Axolotls Regrow a Severed Spinal Cord & What "Regrowth" Means'
ATOM = "{http://www.w3.org/2005/Atom}"
#: the date of Volume 1, Issue 1 (issues/1-1.md), which the seed article takes
ISSUE_1_DATE = "2026-11-25"
#: magazine_house_byline in conf.py: who the seed article, which has no authors, is credited to
HOUSE = "The Open Bench editors"


def page(site: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def metas(soup: BeautifulSoup, name: str, attribute: str = "name") -> list[str]:
    return [tag["content"] for tag in soup.find_all("meta", attrs={attribute: name})]


def one(soup: BeautifulSoup, name: str, attribute: str = "name") -> str:
    values = metas(soup, name, attribute)
    assert len(values) == 1, (name, values)
    return values[0]


def json_ld(soup: BeautifulSoup) -> dict:
    scripts = soup.find_all("script", type="application/ld+json")
    assert len(scripts) == 1
    return json.loads(scripts[0].string)


def works_cited_ids(soup: BeautifulSoup) -> list[str]:
    return [e["id"].removeprefix("ref-") for e in soup.select('[role="list"] > .works-cited-entry[role="listitem"]')]


# -- Highwire, Dublin Core, Open Graph -------------------------------------------------------


def test_second_article_has_each_highwire_tag_once(metadata_site: Path) -> None:
    soup = page(metadata_site, SECOND_ARTICLE)
    url = f"{SITE_URL}{SECOND_ARTICLE}.html"
    assert one(soup, "citation_title") == SECOND_TITLE
    assert metas(soup, "citation_author") == ["Ada Lovelace", "Grace Hopper"]
    assert one(soup, "citation_author_orcid") == "https://orcid.org/0000-0002-1825-0097"
    assert one(soup, "citation_publication_date") == "2024/03/05"
    assert one(soup, "citation_journal_title") == "The Open Bench"
    assert one(soup, "citation_pdf_url") == f"{SITE_URL}pdf/axolotl-spinal-cord-regeneration.pdf"
    assert one(soup, "citation_doi") == "10.5555/openbench.2024.002"
    assert one(soup, "citation_fulltext_html_url") == url
    references = metas(soup, "citation_reference")
    assert len(references) == len(SECOND_KEYS)
    assert any(
        "citation_title=Salamander spinal cord regeneration" in r
        and "citation_doi=10.1016/j.ydbio.2017.09.034" in r
        and "citation_firstpage=63" in r
        for r in references
    )
    assert soup.find("link", rel="canonical")["href"] == url


def test_seed_article_without_authors_is_credited_to_the_house_byline_on_its_issues_date(
        metadata_site: Path) -> None:
    soup = page(metadata_site, ARTICLE)
    assert one(soup, "citation_title") == SEED_TITLE
    # magazine_house_byline in conf.py: a group, the same on every surface
    assert metas(soup, "citation_author") == [HOUSE]
    assert metas(soup, "citation_author_orcid") == []
    assert metas(soup, "article:author", "property") == [HOUSE]
    assert json_ld(soup)["author"] == [{"@type": "Organization", "name": HOUSE}]
    # no date of its own: the date of Volume 1, Issue 1 (issues/1-1.md), with its numbers
    assert one(soup, "citation_publication_date") == ISSUE_1_DATE.replace("-", "/")
    assert one(soup, "DC.date") == ISSUE_1_DATE
    assert one(soup, "article:published_time", "property") == ISSUE_1_DATE
    assert (one(soup, "citation_volume"), one(soup, "citation_issue")) == ("1", "1")
    assert metas(soup, "citation_doi") == []
    assert metas(soup, "DC.creator") == [HOUSE]
    assert one(soup, "citation_journal_title") == "The Open Bench"
    assert len(metas(soup, "citation_reference")) == len(SEED_KEYS)
    assert soup.select_one(".article-authors").get_text() == f"By {HOUSE}"
    # issues/1-1.md records it on page 1 of the issue
    assert metas(soup, "citation_firstpage") == metas(soup, "citation_lastpage") == ["1"]
    data = json_ld(soup)
    assert (data["pageStart"], data["pageEnd"], data["pagination"]) == (1, 1, "1")
    assert soup.select_one(".article-issue").get_text() == (
        "Volume 1, Issue 1, page 1 · November 25, 2026")


def test_dublin_core_and_social_tags(metadata_site: Path) -> None:
    soup = page(metadata_site, SECOND_ARTICLE)
    assert metas(soup, "DC.creator") == ["Ada Lovelace", "Grace Hopper"]
    assert one(soup, "DC.date") == "2024-03-05"
    assert one(soup, "DC.rights") == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert one(soup, "og:type", "property") == "article"
    assert one(soup, "og:url", "property") == f"{SITE_URL}{SECOND_ARTICLE}.html"
    assert one(soup, "article:published_time", "property") == "2024-03-05"
    assert one(soup, "description").startswith("Axolotls rebuild")
    assert one(soup, "twitter:card") == "summary"  # no lead image

    seed = page(metadata_site, ARTICLE)
    # the lead image drawn as a PNG of the size link previews use (magazine.web.social)
    image = f"{SITE_URL}social/stem-cell-therapy-spinal-cord-injuries.png"
    assert one(seed, "og:image", "property") == one(seed, "twitter:image") == image
    assert (one(seed, "og:image:width", "property"), one(seed, "og:image:height", "property"),
            one(seed, "og:image:type", "property")) == ("1200", "630", "image/png")
    assert one(seed, "og:image:alt", "property").startswith("Illustration of a spinal column")
    assert one(seed, "twitter:card") == "summary_large_image"
    png = metadata_site / "social" / "stem-cell-therapy-spinal-cord-injuries.png"
    with Image.open(png) as drawn:
        assert (drawn.format, drawn.size) == ("PNG", (1200, 630))
        # drawn, not blank: the picture's night-blue background and more colours
        assert len(drawn.convert("RGB").getcolors(maxcolors=1_000_000)) > 100


# -- JSON-LD ---------------------------------------------------------------------------------


def test_json_ld_is_a_scholarly_article_with_its_works_cited(metadata_site: Path) -> None:
    data = json_ld(page(metadata_site, SECOND_ARTICLE))
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "ScholarlyArticle"
    assert data["headline"] == SECOND_TITLE
    assert [a["name"] for a in data["author"]] == ["Ada Lovelace", "Grace Hopper"]
    assert data["author"][0]["identifier"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["datePublished"] == "2024-03-05"
    assert data["sameAs"] == "https://doi.org/10.5555/openbench.2024.002"
    assert data["isPartOf"]["name"] == "The Open Bench"
    cited = {c["name"]: c for c in data["citation"]}
    assert len(data["citation"]) == len(SECOND_KEYS)
    tazaki = cited[
        "Salamander spinal cord regeneration: The ultimate positive control in vertebrate "
        "spinal cord regeneration"
    ]
    assert tazaki["@type"] == "ScholarlyArticle"
    assert tazaki["identifier"]["value"] == "10.1016/j.ydbio.2017.09.034"
    assert cited["Regenerative Biology and Medicine"]["@type"] == "Book"


def test_json_ld_of_the_news_byte(metadata_site: Path) -> None:
    data = json_ld(page(metadata_site, ARTICLE))
    assert data["@type"] == "NewsArticle"
    assert data["author"] == [{"@type": "Organization", "name": HOUSE}]  # never a Person
    assert data["datePublished"] == ISSUE_1_DATE
    assert data["isPartOf"] == {
        "@type": "PublicationIssue", "@id": f"{SITE_URL}issues/1-1.html", "issueNumber": "1",
        "datePublished": ISSUE_1_DATE,
        "isPartOf": {"@type": "PublicationVolume", "volumeNumber": "1", "isPartOf": {
            "@type": "Periodical", "name": "The Open Bench", "url": SITE_URL}},
    }
    assert len(data["citation"]) == len(SEED_KEYS)
    assert data["image"]["creditText"].startswith("Illustration made for The Open Bench")
    assert (data["image"]["url"], data["image"]["width"], data["image"]["height"]) == (
        f"{SITE_URL}social/stem-cell-therapy-spinal-cord-injuries.png", 1200, 630)


def test_values_cannot_break_out_of_an_attribute_or_the_script() -> None:
    hostile = '</script><script>alert(1)</script><!-- "quoted" & \'single\''
    record = FrontMatter(
        title=hostile, column="News Byte", summary=hostile,
        authors=(Author(hostile),), keywords=(hostile,),
    )
    page_ = metadata.ArticlePage(
        record=record, url="https://x.test/a.html", site_url="https://x.test/",
        pdf_url="https://x.test/pdf/a.pdf", journal="J", language="en",
        schema_type="ScholarlyArticle", works_cited=(),
    )
    tags = "\n".join(
        [*metadata.highwire_tags(page_), *metadata.dublin_core_tags(page_),
         *metadata.social_tags(page_)]
    )
    script = str(metadata.script_json(metadata.json_ld(page_)))
    soup = BeautifulSoup(f"<head>{tags}{script}</head>", "html.parser")
    assert soup.find("script", type="application/ld+json") is not None
    assert len(soup.find_all("script")) == 1
    assert "</script" not in script[: -len("</script>")].lower()
    assert "<!--" not in script
    assert json.loads(soup.find("script").string)["headline"] == hostile
    assert one(soup, "citation_title") == hostile
    assert metas(soup, "citation_author") == [hostile]


# -- Cite this article and the downloads -----------------------------------------------------


def test_cite_box_of_an_authorless_article_in_an_issue_is_apa(metadata_site: Path) -> None:
    box = page(metadata_site, ARTICLE).select_one("aside.cite-this-article")
    reference = " ".join(box.select_one(".cite-reference").get_text().split())
    url = f"{SITE_URL}{ARTICLE}.html"
    # APA 7: the house byline is a group author; the date of its issue (a magazine: year,
    # month and day), the periodical's volume and issue, 1(1), and its page in the issue
    assert reference == (f"{HOUSE}. (2026, November 25). Stem cell therapy for spinal cord "
                         f"injuries. The Open Bench, 1(1), 1. {url}")
    assert [e.get_text() for e in box.select(".cite-reference em")] == ["The Open Bench", "1"]
    assert box.select_one("button.cite-copy").has_attr("hidden")  # shown by JavaScript
    hrefs = [a["href"] for a in box.select(".cite-downloads a")]
    assert hrefs == [
        "../cite/stem-cell-therapy-spinal-cord-injuries.bib",
        "../cite/stem-cell-therapy-spinal-cord-injuries.ris",
        "../cite/stem-cell-therapy-spinal-cord-injuries.json",
    ]


def test_cite_box_of_the_second_article(metadata_site: Path) -> None:
    box = page(metadata_site, SECOND_ARTICLE).select_one("aside.cite-this-article")
    reference = " ".join(box.select_one(".cite-reference").get_text().split())
    assert reference.startswith("Lovelace, A., & Hopper, G. (2024, March 5). How axolotls")
    assert reference.endswith("The Open Bench. https://doi.org/10.5555/openbench.2024.002")


def test_article_record_downloads_parse(metadata_site: Path) -> None:
    name = SECOND_ARTICLE.rsplit("/", 1)[1]
    bib = parse_string((metadata_site / "cite" / f"{name}.bib").read_text("utf-8"), "bibtex")
    entry = bib.entries[name]
    assert [str(p) for p in entry.persons["author"]] == ["Lovelace, Ada", "Hopper, Grace"]
    assert entry.fields["doi"] == "10.5555/openbench.2024.002"
    assert (entry.fields["year"], entry.fields["month"]) == ("2024", "March")  # classic BibTeX
    assert "date" not in entry.fields and entry.fields["journal"] == "{The Open Bench}"
    (ris,) = rispy.loads((metadata_site / "cite" / f"{name}.ris").read_text("utf-8"))
    assert ris["type_of_reference"] == "MGZN"
    assert ris["authors"] == ["Lovelace, Ada", "Hopper, Grace"]
    assert ris["title"] == SECOND_TITLE
    assert ris["secondary_title"] == "The Open Bench"
    assert ris["doi"] == "10.5555/openbench.2024.002"

    seed = parse_string(
        (metadata_site / "cite" / "stem-cell-therapy-spinal-cord-injuries.bib").read_text("utf-8"),
        "bibtex",
    ).entries["stem-cell-therapy-spinal-cord-injuries"]
    assert [str(p) for p in seed.persons["author"]] == ["{" + HOUSE + "}"]
    assert (seed.fields["year"], seed.fields["month"], seed.fields["volume"],
            seed.fields["number"]) == ("2026", "November", "1", "1")
    assert seed.fields["pages"] == "1"
    (item,) = json.loads(
        (metadata_site / "cite" / "stem-cell-therapy-spinal-cord-injuries.json").read_text("utf-8"))
    assert item["author"] == [{"literal": HOUSE}] and item["page"] == "1"
    assert "volume" not in entry.fields  # online first: in no issue


@pytest.mark.parametrize(("docname", "keys"), [(ARTICLE, set(SEED_KEYS)), (SECOND_ARTICLE, SECOND_KEYS)])
def test_works_cited_downloads_round_trip(metadata_site: Path, docname: str, keys: set) -> None:
    soup = page(metadata_site, docname)
    listed = works_cited_ids(soup)
    assert set(listed) == keys
    links = [a["href"] for a in soup.select(".works-cited-downloads a")]
    assert [Path(h).suffix for h in links] == [".bib", ".ris", ".json"]
    files = [(metadata_site / docname).parent / href for href in links]
    source = parse_string((ROOT / "references.bib").read_text("utf-8") + (
        ROOT / "tests/roots/test-metadata/extra.bib").read_text("utf-8"), "bibtex")

    bib = parse_string(files[0].read_text("utf-8"), "bibtex")
    assert list(bib.entries) == listed  # same entries, in the list's order
    for key in listed:
        # classic BibTeX: the source entry mapped down, its names as they were
        assert bib.entries[key].type == records.classic(source.entries[key]).type
        assert bib.entries[key].fields == records.classic(source.entries[key]).fields
        assert bib.entries[key].persons == source.entries[key].persons
        assert not set(bib.entries[key].fields) & records.BIBLATEX_ONLY

    ris = rispy.loads(files[1].read_text("utf-8"))
    assert [r["id"] for r in ris] == listed
    csl = json.loads(files[2].read_text("utf-8"))
    assert [item["id"] for item in csl] == listed
    for ris_record, item in zip(ris, csl):
        key = item["id"]
        entry = source.entries[key]
        assert ris_record["title"] == item["title"] == records.plain(entry.fields["title"])
        assert len(ris_record["authors"]) == len(item["author"]) == len(entry.persons["author"])
        assert item["issued"]["date-parts"][0][0] == int(ris_record["year"])
    if docname == SECOND_ARTICLE:
        tazaki = next(item for item in csl if item["id"] == "tazaki2017salamander")
        assert tazaki["type"] == "article-journal"
        assert tazaki["container-title"] == "Developmental Biology"
        assert tazaki["DOI"] == "10.1016/j.ydbio.2017.09.034"
        assert tazaki["page"] == "63-71"
        assert tazaki["author"][1] == {"family": "Tanaka", "given": "Elly M."}


# -- the page around the article -------------------------------------------------------------


def test_article_page_shows_reading_time_licence_and_column(metadata_site: Path) -> None:
    soup = page(metadata_site, SECOND_ARTICLE)
    line = soup.select_one(".article-meta")
    assert line.select_one(".reading-time").get_text() == "1 min read"
    licence = line.select_one("a[rel=license]")
    assert licence.get_text() == "CC BY-SA 4.0"
    assert licence["href"] == "https://creativecommons.org/licenses/by-sa/4.0/"
    assert line.select_one(".article-column-link")["href"] == "../columns/feature.html"
    byline = soup.select_one(".article-byline").get_text()
    assert byline == "By Ada Lovelace and Grace Hopper · March 5, 2024"
    # the seed: 245 words and its in-text citations, more than 230 and less than 460
    assert page(metadata_site, ARTICLE).select_one(".reading-time").get_text() == "2 min read"


def test_column_pages_list_their_articles_newest_first(metadata_site: Path) -> None:
    news = page(metadata_site, "columns/news-byte")
    assert news.select_one("article h1").get_text(strip=True).removesuffix("#") == "News Byte"
    titles = [a.get_text() for a in news.select(".article-card-title a")]
    assert titles == [SEED_TITLE]
    feature = page(metadata_site, "columns/feature")
    assert [a["href"] for a in feature.select(".article-card-title a")] == [
        f"../{SECOND_ARTICLE}.html"
    ]
    front = page(metadata_site, "index")
    # the current issue's article, then the online-first one
    assert [a.get_text() for a in front.select(".article-card-title a")] == [
        SEED_TITLE, SECOND_TITLE,
    ]
    assert front.select_one(".article-card-column a")["href"].startswith("columns/")


def test_atom_feed_is_well_formed_with_both_articles(metadata_site: Path) -> None:
    feed = ET.parse(metadata_site / "atom.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "The Open Bench"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == f"{SITE_URL}atom.xml"
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [SEED_TITLE, SECOND_TITLE]
    seed, second = entries
    assert seed.findtext(f"{ATOM}published").startswith(ISSUE_1_DATE)
    assert second.findtext(f"{ATOM}id") == f"{SITE_URL}{SECOND_ARTICLE}.html"
    assert second.findtext(f"{ATOM}summary").startswith("Axolotls rebuild a cut spinal cord")
    assert second.findtext(f"{ATOM}published").startswith("2024-03-05")
    assert [a.findtext(f"{ATOM}name") for a in second.findall(f"{ATOM}author")] == [
        "Ada Lovelace", "Grace Hopper",
    ]
    assert seed.findtext(f"{ATOM}summary").endswith("call the results anecdotal.")
    assert [a.findtext(f"{ATOM}name") for a in seed.findall(f"{ATOM}author")] == [HOUSE]
    assert feed.find(f"{ATOM}author").findtext(f"{ATOM}name") == "The Open Bench editors"
    for entry in entries:
        assert entry.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}published")
    assert feed.findtext(f"{ATOM}updated").startswith(ISSUE_1_DATE)
    link = page(metadata_site, "index").find("link", type="application/atom+xml")
    assert link["href"] == f"{SITE_URL}atom.xml"


def test_sitemap_and_404(metadata_site: Path) -> None:
    sitemap = ET.parse(metadata_site / "sitemap.xml").getroot()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    locs = {loc.text for loc in sitemap.iter(f"{ns}loc")}
    assert {
        f"{SITE_URL}index.html",
        f"{SITE_URL}{ARTICLE}.html",
        f"{SITE_URL}{SECOND_ARTICLE}.html",
        f"{SITE_URL}columns/news-byte.html",
    } <= locs
    assert not any(loc.endswith(("search.html", "404.html", "genindex.html")) for loc in locs)
    missing = BeautifulSoup((metadata_site / "404.html").read_text("utf-8"), "html.parser")
    assert missing.find("h1").get_text() == "Page not found"
    assert missing.select_one("article a")["href"] == "/magazine/"
    css = [link["href"] for link in missing.find_all("link", rel="stylesheet")]
    assert all(href.startswith("/magazine/_static/") for href in css)


def test_search_index_holds_body_and_works_cited_words(metadata_site: Path) -> None:
    text = (metadata_site / "searchindex.js").read_text("utf-8")
    index = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    docnames = index["docnames"]

    def found(stem: str) -> set[str]:
        hits = index["terms"].get(stem, [])
        return {docnames[i] for i in ([hits] if isinstance(hits, int) else hits)}

    assert ARTICLE in found("sapporo")  # the seed's body
    assert SECOND_ARTICLE in found("ependymoglia")  # the second article's body
    assert SECOND_ARTICLE in found("development")  # only in its Works Cited (Developmental Biology)
    assert ARTICLE in found("neurosurgeri")  # only in the seed's Works Cited
    assert index["titles"][docnames.index(SECOND_ARTICLE)].startswith("Feature: How Axolotls")
    # the citation tools are not indexed
    assert "cite" not in index["terms"] or not found("cite") & {ARTICLE, SECOND_ARTICLE}


@pytest.mark.parametrize("url", ["", "openbench.test/magazine/", "file:///srv/site/"])
def test_site_address_must_be_absolute(url: str) -> None:
    class Config:
        html_baseurl = url

    with pytest.raises(ConfigError, match="MAGAZINE_SITE_URL"):
        links.check_site_url(None, Config())  # type: ignore[arg-type]


# -- as indexers and feed readers read it ----------------------------------------------------


def test_feedparser_reads_a_valid_feed_with_authors_and_real_dates(metadata_site: Path) -> None:
    parsed = feedparser.parse((metadata_site / "atom.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert parsed.feed.author_detail["name"] == "The Open Bench editors"  # RFC 4287 4.1.1
    for entry in parsed.entries:
        assert entry.authors, entry.title
        assert entry.updated_parsed.tm_year >= 2024 and entry.published_parsed.tm_year >= 2024
    assert [[a["name"] for a in e.authors] for e in parsed.entries] == [
        [HOUSE], ["Ada Lovelace", "Grace Hopper"]]


@pytest.mark.parametrize(("docname", "description"), [
    ("index", "A science magazine written by students and scientists: short news, features "
              "and interviews, every claim tied to its source."),
    ("columns/news-byte", "Every News Byte article in The Open Bench, newest first."),
    ("archive", "Every published issue of The Open Bench, by volume, with its cover."),
    ("search", "Search every article of The Open Bench."),
    ("404", "There is no page of The Open Bench at this address."),
])
def test_every_page_has_one_description_and_one_viewport(
        metadata_site: Path, docname: str, description: str) -> None:
    soup = page(metadata_site, docname)
    assert one(soup, "description") == description
    assert len(metas(soup, "viewport")) == 1
    robots = metas(soup, "robots")
    assert robots == (["noindex"] if docname in ("search", "404") else [])


def test_front_page_title_robots_txt_and_no_theme_templates(metadata_site: Path) -> None:
    assert page(metadata_site, "index").title.get_text() == "The Open Bench"
    assert page(metadata_site, ARTICLE).title.get_text().endswith(" — The Open Bench")
    assert one(page(metadata_site, "issues/1-1"), "description").startswith("The first issue")
    assert (metadata_site / "robots.txt").read_text("utf-8").splitlines()[-1] == (
        f"Sitemap: {SITE_URL}sitemap.xml")
    assert list((metadata_site / "_static").glob("*.html")) == []  # webpack-macros.html
    # the search button's name holds what it shows (WCAG 2.5.3, label in name)
    for button in page(metadata_site, "index").select("button.search-button-field"):
        assert button["aria-label"] == "Search Ctrl+K"
        assert " ".join(button.get_text().split()) == "Search Ctrl+K"


def test_sitemap_lastmod_is_each_sources_last_commit(tmp_path: Path) -> None:
    from magazine.web import sitemap

    def git(*args: str, **env: str) -> None:
        subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True,
                       env={**os.environ, **env})

    assert sitemap.last_commits(tmp_path) == {}  # no repository: no lastmod
    git("init", "-q")
    (tmp_path / "index.md").write_text("# Front\n")
    (tmp_path / "a.md").write_text("# A\n")
    when = {"GIT_AUTHOR_DATE": "2026-11-25T09:30:00Z", "GIT_COMMITTER_DATE": "2026-11-25T09:30:00Z"}
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "1", **when)
    (tmp_path / "a.md").write_text("# A, again\n")
    later = {"GIT_AUTHOR_DATE": "2026-12-01T12:00:00Z", "GIT_COMMITTER_DATE": "2026-12-01T12:00:00Z"}
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "2", **later)
    assert sitemap.last_commits(tmp_path) == {
        "index.md": "2026-11-25T09:30:00Z", "a.md": "2026-12-01T12:00:00Z"}


def test_an_article_with_pages_names_them_in_its_tags() -> None:
    record = FrontMatter(title="T", column="Feature", summary="S", date="2027-03-01")
    placement = Placement(date="2027-03-01", issue="issues/1-2", volume=1, number=2,
                          issue_date="2027-03-01", first_page=14, last_page=17)
    page_ = metadata.ArticlePage(
        record=record, url=f"{SITE_URL}articles/t.html", site_url=SITE_URL,
        pdf_url=f"{SITE_URL}pdf/t.pdf", journal="The Open Bench", language="en",
        schema_type="ScholarlyArticle", works_cited=(), placement=placement,
        house_byline=HOUSE)
    tags = BeautifulSoup("".join(metadata.highwire_tags(page_)), "html.parser")
    assert (one(tags, "citation_firstpage"), one(tags, "citation_lastpage")) == ("14", "17")
    data = metadata.json_ld(page_)
    assert (data["pageStart"], data["pageEnd"], data["pagination"]) == (14, 17, "14–17")
    assert data["author"] == [{"@type": "Organization", "name": HOUSE}]
    without = metadata.ArticlePage(**{**page_.__dict__, "house_byline": ""})
    assert "author" not in metadata.json_ld(without)  # no byline set: no one, never a person
    assert metas(BeautifulSoup("".join(metadata.highwire_tags(without)), "html.parser"),
                 "citation_author") == []
