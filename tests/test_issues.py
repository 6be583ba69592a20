"""The magazine as a serial: issues, publication dates, issue pages, the archive.

One build (``issues_site``): the real site with its ``issues/`` replaced by the three of
``tests/roots/test-issues/`` (two published, one in preparation) and six more articles, some
in issues and some online first, built with ``SOURCE_DATE_EPOCH`` set as a publisher would.
Everything is read back from the built pages, the feed and the downloads.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE, ROOTS, SITE_URL, build, copy_project

from magazine.serial import builddate

ISSUES_ROOT = ROOTS / "test-issues"
EPOCH = "1750000000"  # 2025-06-15 14:26:40 UTC
BUILD_DATE = "2025-06-15"
ATOM = "{http://www.w3.org/2005/Atom}"
SEED_TITLE = "Stem Cell Therapy for Spinal Cord Injuries"
ISSUE_1 = [  # the editors' order: neither by date nor by name
    ("articles/zebrafish-hearts", "How Zebrafish Mend a Broken Heart"),
    (ARTICLE, SEED_TITLE),
    ("articles/salamander-tails", "What a Salamander's Tail Remembers"),
]
ONLINE_FIRST = [  # newest first
    ("articles/tardigrade-survival", BUILD_DATE),  # undated: the build's date
    ("articles/octopus-arms", "2025-05-02"),  # listed by the issue in preparation
    ("articles/moss-desiccation", "2025-03-01"),
]
ENVIRON = {"MAGAZINE_SITE_URL": SITE_URL, "READTHEDOCS_CANONICAL_URL": None,
           "SOURCE_DATE_EPOCH": EPOCH}


def with_issues(src: Path) -> Path:
    """The test root's articles and issues in a copy of the site (its own issues replaced)."""
    shutil.rmtree(src / "issues")
    shutil.copytree(ISSUES_ROOT / "articles", src / "articles", dirs_exist_ok=True)
    shutil.copytree(ISSUES_ROOT / "issues", src / "issues")
    return src


@pytest.fixture(scope="module")
def issues_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = with_issues(copy_project(tmp_path_factory.mktemp("issues") / "src"))
    result = build(src, environ=ENVIRON)
    assert result.returncode == 0, result.stderr
    return result.outdir


def page(site: Path, name: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{name}.html").read_text(encoding="utf-8"), "html.parser")


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def meta(soup: BeautifulSoup, name: str) -> list[str]:
    return [m["content"] for m in soup.find_all("meta", attrs={"name": name})]


def json_ld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


def card_links(node) -> list[str]:
    return [a["href"] for a in node.select(".article-card-title a")]


# -- the front page --------------------------------------------------------------------------


def test_front_page_shows_the_current_issue_then_online_first(issues_site: Path) -> None:
    front = page(issues_site, "index")
    current = front.select_one("section#current-issue")
    heading = current.find("h2").find("a")
    assert (heading.get_text(), heading["href"]) == ("Volume 1, Issue 2", "issues/1-2.html")
    assert "April 15, 2025 · Edited by Grace Hopper" in text(current)
    assert current.select_one("img.issue-cover")["src"] == "_static/images/spinal-cord-stem-cells.svg"
    assert "A spring issue of one report from the reefs." in text(current)
    assert card_links(current) == ["articles/coral-reef-recovery.html"]
    online = front.select_one("section#online-first")
    assert online.find("h2").get_text(strip=True).removesuffix("#") == "Online first"
    assert card_links(online) == [f"{name}.html" for name, _ in ONLINE_FIRST]
    # the older issue's articles are in the archive, not on the front page
    assert not set(card_links(front)) & {f"{name}.html" for name, _ in ISSUE_1}
    assert front.select_one(".issue-archive-link a")["href"] == "archive.html"


# -- issue pages and the archive -------------------------------------------------------------


def test_issue_page_has_editorial_cover_and_contents_in_the_editors_order(issues_site: Path) -> None:
    soup = page(issues_site, "issues/1-1")
    article = soup.select_one("article")
    assert article.find("h1").get_text(strip=True).removesuffix("#") == "Volume 1, Issue 1: Regeneration"
    assert soup.title.get_text().startswith("Volume 1, Issue 1: Regeneration")
    assert text(article.select_one(".issue-dateline")) == (
        "January 15, 2025 · Edited by Ada Lovelace and Grace Hopper")
    cover = article.select_one("figure#issue-cover img")
    assert cover["alt"] == "A spinal cord with stem cells drifting in from a blood vessel."
    assert (issues_site / "_images" / "spinal-cord-stem-cells.svg").is_file()
    assert "Three animals and one clinical trial" in text(article)
    contents = article.select_one("section#in-this-issue")
    assert card_links(contents) == [f"../{name}.html" for name, _ in ISSUE_1]
    assert [a.get_text() for a in contents.select(".article-card-title a")] == [
        title for _, title in ISSUE_1]
    # a table of contents: each article's pages, as the issue file records them
    assert [text(p) for p in contents.select(".article-card-pages")] == [
        "Pages 1–2", "Page 3", "Page 4"]
    assert contents.select_one(".issue-archive-link a")["href"] == "../archive.html"
    assert meta(soup, "robots") == []
    # the front page's current issue (1-2) lists its one article with its page
    current = page(issues_site, "index").select_one("section#current-issue")
    assert [text(p) for p in current.select(".article-card-pages")] == ["Page 1"]


def test_issue_in_preparation_is_a_preview_outside_the_archive(issues_site: Path) -> None:
    soup = page(issues_site, "issues/2-1")
    assert soup.select(".article-card-pages") == []  # no pages before it is paginated
    assert soup.select_one(".issue-in-preparation").get_text().startswith("In preparation")
    assert soup.select_one(".issue-dateline") is None  # no date nor editors yet
    assert meta(soup, "robots") == ["noindex"]
    archive = page(issues_site, "archive")
    assert "issues/2-1.html" not in str(archive)
    sitemap = (issues_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "issues/2-1.html" not in sitemap
    assert f"{SITE_URL}issues/1-1.html" in sitemap and f"{SITE_URL}archive.html" in sitemap


def test_archive_lists_every_published_issue_by_volume_with_its_cover(issues_site: Path) -> None:
    archive = page(issues_site, "archive").select_one("article")
    assert archive.find("h1").get_text(strip=True).removesuffix("#") == "Every issue"
    volumes = archive.select("section#volume-1")
    assert len(volumes) == 1 and archive.select("section#volume-2") == []
    cards = volumes[0].select(".issue-card")
    assert [c.select_one(".issue-card-title a")["href"] for c in cards] == [
        "issues/1-2.html", "issues/1-1.html"]
    assert [text(c.select_one(".issue-dateline")) for c in cards] == [
        "April 15, 2025 · 1 article", "January 15, 2025 · 3 articles"]
    assert [c.select_one("img.issue-cover")["alt"] for c in cards] == [
        "The same illustration, standing in for the spring cover.",
        "A spinal cord with stem cells drifting in from a blood vessel."]
    for card in cards:
        assert (issues_site / card.select_one("img")["src"]).is_file()


# -- article pages ---------------------------------------------------------------------------


@pytest.mark.parametrize("index", range(3))
def test_article_says_its_issue_and_links_its_neighbours(issues_site: Path, index: int) -> None:
    name, _ = ISSUE_1[index]
    soup = page(issues_site, name)
    line = soup.select_one(".article-issue")
    pages = ["pages 1\u20132", "page 3", "page 4"][index]  # as issues/1-1.md records them
    assert line.get_text().startswith(f"Volume 1, Issue 1, {pages} · ")
    assert line.find("a")["href"] == "../issues/1-1.html"
    nav = soup.select_one("nav.issue-nav")
    assert nav["aria-label"] == "Volume 1, Issue 1"
    previous = nav.select_one(".issue-nav-prev a[rel=prev]")
    following = nav.select_one(".issue-nav-next a[rel=next]")
    if index == 0:
        assert previous is None
    else:
        assert previous["href"] == f"{ISSUE_1[index - 1][0].split('/')[1]}.html"
        assert text(previous) == f"Previous in this issue {ISSUE_1[index - 1][1]}"
    if index == 2:
        assert following is None
    else:
        assert following["href"] == f"{ISSUE_1[index + 1][0].split('/')[1]}.html"
        assert text(following) == f"Next in this issue {ISSUE_1[index + 1][1]}"
    # after the text, before the Cite box and the Works Cited
    html = str(soup)
    assert html.index('class="issue-nav') < html.index('class="cite-this-article')


def test_online_first_article_says_so_and_has_no_issue_links(issues_site: Path) -> None:
    soup = page(issues_site, "articles/octopus-arms")
    assert text(soup.select_one(".article-issue")) == "Online first · May 2, 2025"
    assert soup.select_one(".issue-nav") is None
    assert meta(soup, "citation_volume") == [] and meta(soup, "citation_issue") == []
    assert json_ld(soup)["isPartOf"] == {"@type": "Periodical", "name": "The Open Bench",
                                         "url": SITE_URL}


# -- dates: metadata, the Cite box, the feed -------------------------------------------------


@pytest.mark.parametrize(("name", "date"), [
    (ARTICLE, "2025-01-15"),  # no date of its own: its issue's
    ("articles/salamander-tails", "2025-01-10"),  # its own, before its issue's
    ("articles/tardigrade-survival", BUILD_DATE),  # online first, undated: the build's
])
def test_every_article_has_a_publication_date(issues_site: Path, name: str, date: str) -> None:
    soup = page(issues_site, name)
    assert meta(soup, "citation_publication_date") == [date.replace("-", "/")]
    assert meta(soup, "DC.date") == [date]
    assert json_ld(soup)["datePublished"] == date


def test_metadata_of_an_article_in_an_issue(issues_site: Path) -> None:
    soup = page(issues_site, "articles/salamander-tails")
    assert (meta(soup, "citation_volume"), meta(soup, "citation_issue")) == (["1"], ["1"])
    part = json_ld(soup)["isPartOf"]
    assert part["@type"] == "PublicationIssue" and part["issueNumber"] == "1"
    assert part["@id"] == f"{SITE_URL}issues/1-1.html"
    assert part["datePublished"] == "2025-01-15"
    assert part["isPartOf"]["@type"] == "PublicationVolume"
    assert part["isPartOf"]["volumeNumber"] == "1"
    assert part["isPartOf"]["isPartOf"]["@type"] == "Periodical"


# the issue, then the page its file records; an unsigned piece is by the house byline, a group
@pytest.mark.parametrize(("name", "reference"), [
    ("articles/salamander-tails", "Hopper, G. (2025, January 10). What a salamander’s tail "
     "remembers. The Open Bench, 1(1), 4."),
    ("articles/coral-reef-recovery", "The Open Bench editors. (2025, April 2). Coral reefs "
     "after the heat. The Open Bench, 1(2), 1."),
    ("articles/tardigrade-survival", "The Open Bench editors. (2025, June 15). The "
     "tardigrade’s glass armour. The Open Bench."),
])
def test_cite_box_reads_the_apa_periodical_form(issues_site: Path, name: str,
                                                reference: str) -> None:
    box = page(issues_site, name).select_one(".cite-reference")
    assert " ".join(box.get_text().split()) == f"{reference} {SITE_URL}{name}.html"
    italics = [e.get_text() for e in box.select("em")]
    assert italics == (["The Open Bench", "1"] if "Bench, 1(" in reference
                       else ["The Open Bench"])


def test_feed_dates_are_publication_dates(issues_site: Path) -> None:
    feed = ET.parse(issues_site / "atom.xml").getroot()
    published = {
        e.findtext(f"{ATOM}id").removeprefix(SITE_URL).removesuffix(".html"):
            e.findtext(f"{ATOM}published")[:10]
        for e in feed.findall(f"{ATOM}entry")
    }
    assert published[ARTICLE] == "2025-01-15"
    assert published["articles/tardigrade-survival"] == BUILD_DATE
    assert published["articles/zebrafish-hearts"] == "2025-01-12"
    assert len(published) == 7
    assert feed.findtext(f"{ATOM}updated")[:10] == BUILD_DATE


def test_no_page_writes_1970_or_no_date(issues_site: Path) -> None:
    for path in [*issues_site.rglob("*.html"), issues_site / "atom.xml",
                 *issues_site.glob("cite/*")]:
        content = path.read_text(encoding="utf-8")
        assert "1970" not in content, path
        assert "n.d." not in content, path


def test_pdf_metadata_carries_the_publication_date(tmp_path: Path) -> None:
    """Without SOURCE_DATE_EPOCH, a PDF is dated by its article's publication date (its
    issue's, for an article without one); the edition by the newest."""
    from pypdf import PdfReader

    src = with_issues(copy_project(tmp_path / "src"))
    result = build(src, "typst", environ={**ENVIRON, "SOURCE_DATE_EPOCH": None})
    assert result.returncode == 0, result.stderr
    created = {
        name: PdfReader(result.outdir / f"{name.split('/')[1]}.pdf").metadata["/CreationDate"][2:10]
        for name in (ARTICLE, "articles/salamander-tails", "articles/moss-desiccation")
    }
    assert created == {ARTICLE: "20250115", "articles/salamander-tails": "20250110",
                       "articles/moss-desiccation": "20250301"}
    issues = {stem: PdfReader(result.outdir / f"the-open-bench-{stem}.pdf").metadata[
        "/CreationDate"][2:10] for stem in ("1-1", "1-2", "2-1")}
    # an issue's PDF is dated by the issue; the undated one in preparation, like the undated
    # online-first article, by the build: no git in the copy, so the newest date of the
    # magazine (the octopus's, 2025-05-02)
    assert issues == {"1-1": "20250115", "1-2": "20250415", "2-1": "20250502"}


# -- rebuilds --------------------------------------------------------------------------------


def test_reordering_an_issue_rewrites_its_articles_and_its_page(tmp_path: Path) -> None:
    src = with_issues(copy_project(tmp_path / "src"))
    assert build(src, environ=ENVIRON).returncode == 0
    issue = src / "issues" / "1-1.md"
    issue.write_text(issue.read_text(encoding="utf-8").replace(
        "  - articles/zebrafish-hearts\n  - articles/stem-cell-therapy-spinal-cord-injuries\n",
        "  - articles/stem-cell-therapy-spinal-cord-injuries\n  - articles/zebrafish-hearts\n"),
        encoding="utf-8")
    # the published pages no longer follow the contents: the build says so, at the line
    stale = build(src, environ=ENVIRON)
    assert stale.returncode == 1
    assert ("issues/1-1.md:18: WARNING: articles/stem-cell-therapy-spinal-cord-injuries is "
            "recorded at page 3, but it must start at page 1, the issue's first page; the "
            "contents changed since the pages were recorded: run make paginate ISSUE=1-1 "
            "again [magazine.issue]") in stale.stderr
    issue.write_text(issue.read_text(encoding="utf-8").replace(
        "  articles/zebrafish-hearts: 1-2\n  articles/stem-cell-therapy-spinal-cord-injuries: 3\n",
        "  articles/zebrafish-hearts: 2-3\n  articles/stem-cell-therapy-spinal-cord-injuries: 1\n"
    ), encoding="utf-8")
    again = build(src, environ=ENVIRON)
    assert again.returncode == 0, again.stderr
    # only the issue is read again; its articles' pages are written again all the same
    assert re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", again.stdout) == ["issues/1-1"]
    site = again.outdir
    seed = page(site, ARTICLE)
    assert text(seed.select_one(".article-issue")).startswith("Volume 1, Issue 1 , page 1 ·")
    assert seed.select_one(".issue-nav-prev") is None
    assert seed.select_one(".issue-nav-next a")["href"] == "zebrafish-hearts.html"
    assert card_links(page(site, "issues/1-1").select_one("#in-this-issue"))[:2] == [
        f"../{ARTICLE}.html", "../articles/zebrafish-hearts.html"]
    # a neighbour's new title: its page is read again, and the pages that name it written
    # again (the seed's link to it, the issue's contents), not read
    zebrafish = src / "articles" / "zebrafish-hearts.md"
    zebrafish.write_text(zebrafish.read_text(encoding="utf-8").replace(
        "How Zebrafish Mend a Broken Heart", "How Zebrafish Regrow Heart Muscle"),
        encoding="utf-8")
    third = build(src, environ=ENVIRON)
    assert third.returncode == 0, third.stderr
    read = re.findall(r"reading sources\.\.\. \[\s*\d+%\] (\S+)", third.stdout)
    assert ARTICLE not in read and "articles/zebrafish-hearts" in read
    assert text(page(site, ARTICLE).select_one(".issue-nav-next a")) == (
        "Next in this issue How Zebrafish Regrow Heart Muscle")
    assert "How Zebrafish Regrow Heart Muscle" in text(page(site, "issues/1-1"))


# -- the build's date ------------------------------------------------------------------------


def test_build_date_is_source_date_epoch_else_the_last_commit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert builddate.build_time(tmp_path) is None  # no repository: nothing, quietly
    git = shutil.which("git")
    assert git is not None
    when = "2024-02-29T12:00:00+00:00"
    env = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@example.org", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.org", "HOME": str(tmp_path)}
    for command in (["init", "-q"], ["commit", "-q", "--allow-empty", "-m", "first"]):
        subprocess.run([git, *command], cwd=tmp_path, env=env, check=True)
    builddate.last_commit.cache_clear()
    assert builddate.build_time(tmp_path) == dt.datetime(2024, 2, 29, 12, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    assert builddate.build_time(tmp_path).date().isoformat() == BUILD_DATE
    monkeypatch.setenv("PATH", str(tmp_path / "no-such-folder"))
    builddate.last_commit.cache_clear()
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert builddate.build_time(tmp_path) is None  # git is missing: nothing, quietly
