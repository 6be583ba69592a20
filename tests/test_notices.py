"""Corrections, expressions of concern and retractions, on every surface, never silent.

One site (``noticed``): the real magazine with ``tests/roots/test-notices/`` in it (its issue
1-1 replaced: the seed article, one corrected twice with a hostile first correction, one
retracted after an expression of concern), a DOI prefix, a Crossmark policy and a repository
address in ``conf.py``, made a git repository with two commits; ``make paginate ISSUE=1-1``
records pages and DOIs, then the web edition and the PDFs are built and read back: the page,
the corrections page, the feed, the tags and JSON-LD, the Crossref deposit, the PDFs. The
front matter's refusals are checked by the parser, and the gate's refusal of a removed
notice end to end, against a base commit.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE, ROOTS, SITE_URL, build, copy_project
from lxml import etree
from pypdf import PdfReader

from magazine.registration import crossref
from magazine.articles.frontmatter import parse_front_matter
from magazine.serial.notices import article_notices, histories, notice_doi

NOTICES_ROOT = ROOTS / "test-notices"
CORRECTED = "articles/corrected-dose"
RETRACTED = "articles/retracted-trial"
PREFIX = "10.5555"
POLICY = "10.5555/crossmark-policy"
REPOSITORY = "https://github.com/openbench/magazine"
CONF = f'''
magazine_doi_prefix = "{PREFIX}"
magazine_issn = "2049-3630"
magazine_crossref_depositor = "The Open Bench editors"
magazine_crossref_email = "editors@openbench.test"
magazine_crossmark_policy = "{POLICY}"
magazine_repository_url = "{REPOSITORY}"
'''
ENVIRON = {"MAGAZINE_SITE_URL": SITE_URL, "READTHEDOCS_CANONICAL_URL": None,
           "SOURCE_DATE_EPOCH": "1750000000"}
HOSTILE = 'The dose was <script>alert(1)</script> <b>5 mg</b> & "0.5 mg" ]]> now: 0.5 mg.'
GIT_ENV = {"GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@openbench.test",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@openbench.test"}


def git(src: Path, *args: str, date: str = "2025-01-15T12:00:00") -> str:
    env = {**os.environ, **GIT_ENV, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    return subprocess.run(["git", *args], cwd=src, env=env, capture_output=True, text=True,
                          check=True).stdout


def with_notices(src: Path) -> Path:
    shutil.copytree(NOTICES_ROOT / "articles", src / "articles", dirs_exist_ok=True)
    shutil.copy(NOTICES_ROOT / "issues" / "1-1.md", src / "issues" / "1-1.md")
    return src


def paginate(src: Path, issue: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "magazine.serial.paginate", "--issue", issue],
                          capture_output=True, text=True, cwd=src, check=False,
                          env={**os.environ, "PYTHONPATH": str(src / "_ext")})


class Site:
    def __init__(self, src: Path) -> None:
        self.src = src
        self.html = src / "_build" / "html"
        self.pdf = src / "_build" / "typst"
        self.jats = src / "_build" / "jats"

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.html / f"{name}.html").read_text("utf-8"), "html.parser")

    def raw(self, name: str) -> str:
        return (self.html / f"{name}.html").read_text("utf-8")


@pytest.fixture(scope="module")
def noticed(tmp_path_factory: pytest.TempPathFactory) -> Site:
    src = with_notices(copy_project(tmp_path_factory.mktemp("notices") / "src"))
    conf = src / "conf.py"
    conf.write_text(conf.read_text("utf-8") + CONF, "utf-8")
    git(src, "init", "-q", "-b", "main")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "First issue")
    result = paginate(src, "1-1")
    assert result.returncode == 0, result.stdout + result.stderr
    article = src / f"{CORRECTED}.md"
    article.write_text(article.read_text("utf-8") + "\nA sentence added.\n", "utf-8")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "Correct the dose", date="2025-03-10T12:00:00")
    histories.cache_clear()
    for builder in ("html", "typst", "jats"):
        made = build(src, builder, environ=ENVIRON)
        assert made.returncode == 0, made.stderr
    return Site(src)


def json_ld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


def metas(soup: BeautifulSoup, name: str) -> list[str]:
    return [m["content"] for m in soup.find_all("meta", attrs={"name": name})]


# -- the article page ------------------------------------------------------------------------


def test_the_notices_are_at_the_top_of_the_article_newest_first(noticed: Site) -> None:
    soup = noticed.page(CORRECTED)
    section = soup.find("section")
    box = section.find(class_="article-notices")
    assert box is not None
    # under the header, before the text
    header = section.find(class_="article-header")
    assert header.find_next_sibling() is box
    assert "The patients received" in box.find_next_sibling("p").get_text()
    notices = box.find_all(class_="article-notice")
    assert [n["id"] for n in notices] == ["notice-2", "notice-1"]
    head = notices[1].find(class_="article-notice-head").get_text(" ", strip=True)
    assert head == "Correction · February 3, 2025"
    assert notices[1].find(class_="article-notice-text").get_text() == HOSTILE


def test_hostile_notice_text_is_inert_on_the_page(noticed: Site) -> None:
    raw = noticed.raw(CORRECTED)
    assert "<script>alert(1)</script>" not in raw
    assert "<b>5 mg</b>" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in raw
    assert "\x01" not in raw


def test_a_retracted_article_keeps_its_text_marked(noticed: Site) -> None:
    soup = noticed.page(RETRACTED)
    section = soup.find("section")
    assert "article-retracted" in section["class"]
    assert "every patient recovered" in section.get_text()
    first = section.find(class_="article-notice")
    assert "article-notice-retraction" in first["class"]
    assert first.find(class_="article-notice-type").get_text() == "Retraction"
    assert soup.title.get_text().startswith("Retracted: ")
    assert metas(soup, "citation_title") == ["Retracted: A Trial That Did Not Happen"]
    # the corrected one is not retracted
    assert not noticed.page(CORRECTED).title.get_text().startswith("Retracted")


def test_the_page_lists_its_versions_linked_to_the_repository(noticed: Site) -> None:
    soup = noticed.page(CORRECTED)
    versions = soup.find(id="versions")
    assert versions is not None
    anchors = versions.find_all("a", href=re.compile("^https://"))
    links = [a["href"] for a in anchors]
    assert links[0] == f"{REPOSITORY}/commits/main/{CORRECTED}.md"
    shas = git(noticed.src, "log", "--format=%H", "--", f"{CORRECTED}.md").split()
    assert links[1:] == [f"{REPOSITORY}/commit/{sha}" for sha in shas]
    assert [a.get_text() for a in anchors[1:]] == ["March 10, 2025",
                                                                 "January 15, 2025"]
    # two commits: the first version, and one change since
    intro = versions.select_one(".article-versions-intro").get_text()
    assert intro.startswith("This article has changed 1 time since it was first committed")
    seed = noticed.page(ARTICLE).select_one(".article-versions-intro").get_text()
    assert seed.startswith("This article has not changed since it was first committed")


def test_without_git_history_there_is_no_versions_list(tmp_path: Path) -> None:
    assert histories(str(tmp_path), "articles") == {}


def test_the_corrections_page_lists_every_notice_newest_first(noticed: Site) -> None:
    soup = noticed.page("corrections")
    items = soup.find_all(class_="corrections-item")
    heads = [i.find(class_="article-notice-head").get_text(" ", strip=True) for i in items]
    assert heads == [
        "Retraction · April 1, 2025 · A Trial That Did Not Happen",
        "Correction · March 10, 2025 · A Dose Worth Correcting",
        "Expression of concern · February 10, 2025 · A Trial That Did Not Happen",
        "Correction · February 3, 2025 · A Dose Worth Correcting",
    ]
    assert items[0].find("a")["href"] == "articles/retracted-trial.html#notice-2"
    assert "<script>alert" not in noticed.raw("corrections")
    # linked from every page's footer
    footer = noticed.page(ARTICLE).find(class_="footer-corrections")
    assert footer.find("a")["href"] == "../corrections.html"


# -- machines: JSON-LD, the feed, the deposit ------------------------------------------------


def test_json_ld_carries_the_notices(noticed: Site) -> None:
    data = json_ld(noticed.page(CORRECTED))
    assert [c["@type"] for c in data["correction"]] == ["CorrectionComment"] * 2
    assert data["correction"][0]["text"] == HOSTILE
    assert data["correction"][0]["datePublished"] == "2025-02-03"
    assert data["correction"][0]["url"].endswith("corrected-dose.html#notice-1")
    assert data["dateModified"] == "2025-03-10"
    retracted = json_ld(noticed.page(RETRACTED))
    assert retracted["creativeWorkStatus"] == "Retracted"
    assert retracted["comment"][0]["name"] == "Expression of concern"
    assert retracted["correction"][0]["name"] == "Retraction"
    # the script cannot be closed by a notice
    assert "</script>alert" not in noticed.raw(CORRECTED).split("application/ld+json")[1]


def test_the_feed_entry_is_updated_by_its_newest_notice(noticed: Site) -> None:
    feed = feedparser.parse((noticed.html / "atom.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    entries = {e.link: e for e in feed.entries}
    corrected = entries[SITE_URL + f"{CORRECTED}.html"]
    assert corrected.updated.startswith("2025-03-10")
    assert corrected.published.startswith("2025-01-15")
    assert corrected.summary.startswith("Correction (March 10, 2025): The second paragraph")
    assert HOSTILE in corrected.summary
    retracted = entries[SITE_URL + f"{RETRACTED}.html"]
    assert retracted.title == "Retracted: A Trial That Did Not Happen"
    assert retracted.updated.startswith("2025-04-01")


def deposit(noticed: Site) -> etree._ElementTree:
    path = next((noticed.html / "crossref").glob("*-1-1.xml"))
    return etree.parse(str(path), etree.XMLParser(no_network=True, resolve_entities=False))


C = "{http://www.crossref.org/schema/5.3.1}"


def test_the_deposit_is_valid_with_crossmark_updates(noticed: Site) -> None:
    tree = deposit(noticed)
    assert crossref.problems(tree) == []
    dois = {a.find(f"{C}doi_data/{C}doi").text: a for a in tree.iter(f"{C}journal_article")}
    issue = (noticed.src / "issues" / "1-1.md").read_text("utf-8")
    article_doi = re.search(rf"{CORRECTED}: (10\.\S+)", issue.split("dois:")[1]).group(1)
    retracted_doi = re.search(rf"{RETRACTED}: (10\.\S+)", issue.split("dois:")[1]).group(1)
    # the article has a Crossmark too, its licence inside it
    mark = dois[article_doi].find(f"{C}crossmark")
    assert mark.find(f"{C}crossmark_policy").text == POLICY
    assert mark.find(f".//{C}domain").text == "openbench.test"
    first = dois[notice_doi(article_doi, 1)]
    assert first.find(f"{C}titles/{C}title").text == "Correction: A Dose Worth Correcting"
    update = first.find(f"{C}crossmark/{C}updates/{C}update")
    assert (update.get("type"), update.get("date"), update.text) == (
        "correction", "2025-02-03", article_doi)
    assert first.find(f"{C}doi_data/{C}resource").text == \
        SITE_URL + f"{CORRECTED}.html#notice-1"
    # hostile text: escaped by the library, the control character left out
    abstract = first.find(".//{http://www.ncbi.nlm.nih.gov/JATS1}p").text
    assert abstract == HOSTILE
    kinds = [dois[notice_doi(retracted_doi, n)].find(f".//{C}update").get("type")
             for n in (1, 2)]
    assert kinds == ["expression_of_concern", "retraction"]


def test_without_a_policy_no_crossmark_is_deposited(noticed: Site, tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(noticed.src, src, symlinks=True,
                    ignore=shutil.ignore_patterns("_build", ".git"))
    conf = src / "conf.py"
    conf.write_text(conf.read_text("utf-8").replace(
        f'magazine_crossmark_policy = "{POLICY}"', ""), "utf-8")
    made = build(src, environ=ENVIRON)
    assert made.returncode == 0, made.stderr
    text = next((made.outdir / "crossref").glob("*-1-1.xml")).read_text("utf-8")
    assert "crossmark" not in text and ".n1<" not in text
    assert crossref.problems(etree.ElementTree(etree.fromstring(text.encode()))) == []


def test_the_hook_gives_the_notices_as_plain_data(noticed: Site) -> None:
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=noticed.src, builddir=noticed.src / "_build")
    try:
        data = article_notices(app.env, RETRACTED, url="https://x.test/a.html")
    finally:
        app.cleanup()
    assert [(d["number"], d["type"], d["date"], d["anchor"]) for d in data] == [
        (1, "expression of concern", "2025-02-10", "notice-1"),
        (2, "retraction", "2025-04-01", "notice-2")]
    assert data[1]["url"] == "https://x.test/a.html#notice-2"
    assert data[1]["doi"].endswith(".n2")
    json.dumps(data)  # plain data


# -- the PDF ---------------------------------------------------------------------------------


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(path).pages)


def test_the_pdfs_show_the_notices(noticed: Site) -> None:
    own = pdf_text(noticed.pdf / "retracted-trial.pdf")
    assert "RETRACTION" in own and "April 1, 2025" in own
    assert "data were fabricated" in own
    assert "EXPRESSION OF CONCERN" in own
    issue = pdf_text(next(noticed.pdf.glob("*-1-1.pdf")))
    assert "CORRECTION" in issue and "Sapporo Medical University" in issue
    assert "<script>alert(1)</script>" in issue  # shown as text, never run or typeset as code


# -- the gate --------------------------------------------------------------------------------

FRONT = """---
title: T
column: News Byte
summary: S.
date: 2025-01-10
notices:
{notices}
---

Text.
"""
REFUSALS = [
    ("no-date", "  - type: correction\n    text: A fix.", 7, "needs 'date:'"),
    ("no-text", "  - type: retraction\n    date: 2025-02-01", 7, "needs 'text:': the reason"),
    ("reason-not-text", "  - type: retraction\n    date: 2025-02-01\n    reason: Fraud.", 9,
     "write the reason as 'text:'"),
    ("unknown-type", "  - type: erratum\n    date: 2025-02-01\n    text: A fix.", 7,
     "correction, expression of concern or retraction"),
    ("before-publication", "  - type: correction\n    date: 2025-01-01\n    text: A fix.", 8,
     "before the article was published"),
    ("out-of-order", "  - type: correction\n    date: 2025-03-01\n    text: A fix.\n"
     "  - type: correction\n    date: 2025-02-01\n    text: Another.", 11, "oldest first"),
    ("retraction-not-last", "  - type: retraction\n    date: 2025-02-01\n    text: Fraud.\n"
     "  - type: correction\n    date: 2025-03-01\n    text: A fix.", 7, "put the retraction last"),
    ("not-a-list", "  type: correction", 6, "must be a list"),
]


@pytest.mark.parametrize(("case", "notices", "line", "hint"), REFUSALS,
                         ids=[r[0] for r in REFUSALS])
def test_the_front_matter_refuses_a_bad_notice_where_it_is(case: str, notices: str, line: int,
                                                           hint: str) -> None:
    parsed = parse_front_matter(FRONT.format(notices=notices))
    assert parsed.record is None
    assert any(p.line == line and hint in p.message for p in parsed.problems), parsed.problems


def test_a_notice_before_the_issue_date_is_refused_by_the_build(tmp_path: Path) -> None:
    src = with_notices(copy_project(tmp_path / "src"))
    article = src / f"{CORRECTED}.md"
    article.write_text(article.read_text("utf-8").replace("2025-02-03", "2025-01-02"), "utf-8")
    made = build(src, environ=ENVIRON)
    line = article.read_text("utf-8").splitlines().index("  - type: correction") + 1
    assert f"{CORRECTED}.md:{line}: WARNING: this correction is dated 2025-01-02, before the " \
        "article was published (2025-01-15, in issues/1-1)" in made.stderr


def run_check(src: Path, *args: str, base: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src / "_ext")}
    env.pop("MAGAZINE_BASE", None)
    if base is not None:
        env["MAGAZINE_BASE"] = base
    return subprocess.run([sys.executable, "-m", "magazine.gate.check", "--quick", *args], cwd=src,
                          env=env, capture_output=True, text=True, check=False)


@pytest.fixture
def based(tmp_path: Path) -> tuple[Path, str]:
    """A copy with the notices, committed: the base of a pull request."""
    src = with_notices(copy_project(tmp_path / "src"))
    git(src, "init", "-q", "-b", "main")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "Base")
    return src, git(src, "rev-parse", "HEAD").strip()


def test_the_gate_refuses_a_removed_notice_against_the_base(based: tuple[Path, str]) -> None:
    src, base = based
    article = src / f"{RETRACTED}.md"
    text = article.read_text("utf-8")
    article.write_text(re.sub(r"  - type: retraction\n.*\n.*\n", "", text), "utf-8")
    result = run_check(src, base=base)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    line = text.splitlines().index("notices:") + 1  # the notice is gone: its list's line
    assert f"{RETRACTED}.md:{line}: error: the retraction of 2025-04-01 (notice 2) was " \
        f"published at {base[:10]} and is removed" in result.stdout
    assert "put it back" in result.stdout
    # the same with --base, and without a base nothing is compared
    assert run_check(src, "--base", base).returncode == 1
    assert run_check(src).returncode == 0


def test_the_gate_refuses_a_changed_date_or_type_and_allows_new_text(
        based: tuple[Path, str]) -> None:
    src, base = based
    article = src / f"{CORRECTED}.md"
    text = article.read_text("utf-8")
    article.write_text(text.replace("it is Sapporo Medical University.",
                                    "it is Sapporo Medical University (amended)."), "utf-8")
    assert run_check(src, base=base).returncode == 0, run_check(src, base=base).stdout
    article.write_text(text.replace("date: 2025-03-10", "date: 2025-03-11"), "utf-8")
    result = run_check(src, base=base)
    line = text.splitlines().index("    date: 2025-03-10") - 1 + 1
    assert f"{CORRECTED}.md:{line}: error: the correction of 2025-03-10 (notice 2) was " \
        "published" in result.stdout and "changed in its type or date" in result.stdout
    article.unlink()
    result = run_check(src, base=base)
    assert f"{CORRECTED}.md: error: this article had 2 published notices" in result.stdout


def test_an_unreadable_base_is_a_finding(based: tuple[Path, str]) -> None:
    src, _ = based
    result = run_check(src, base="0" * 40)
    assert result.returncode == 1
    assert "fetch-depth: 0" in result.stdout


# -- the JATS files --------------------------------------------------------------------------


def test_the_jats_file_carries_the_notices_and_points_to_their_dois(noticed: Site) -> None:
    from magazine.jats.builder import problems as jats_problems

    tree = etree.parse(str(noticed.jats / "retracted-trial.xml"))
    assert jats_problems(tree) == []
    sections = tree.findall("front/notes[@notes-type='publication-notices']/sec")
    assert [(s.get("id"), s.get("sec-type"), s.findtext("title")) for s in sections] == [
        ("notice-1", "expression-of-concern", "Expression of concern (2025-02-10)"),
        ("notice-2", "retraction", "Retraction (2025-04-01)")]
    assert sections[1].findtext("p") == (
        "The trial's data were fabricated, as the university's inquiry found.")
    # the article points to each notice's own DOI, registered with Crossmark (JATS4R)
    xlink = "{http://www.w3.org/1999/xlink}href"
    doi = tree.findtext("front/article-meta/article-id[@pub-id-type='doi']")
    related = [(r.get("related-article-type"), r.get(xlink))
               for r in tree.findall("front/article-meta/related-article")]
    assert related == [("expression-of-concern-forward", notice_doi(doi, 1)),
                       ("retraction-forward", notice_doi(doi, 2))]
    corrected = etree.parse(str(noticed.jats / "corrected-dose.xml"))
    assert jats_problems(corrected) == []
    texts = [s.findtext("p") for s in corrected.findall("front/notes/sec")]
    assert HOSTILE in texts  # the hostile correction, escaped by the library, read back whole
