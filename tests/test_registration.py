"""Registered and archived like a journal: DOIs and ISSNs (made once, recorded in the issue
file, shown everywhere), Crossref deposits and JATS files.

One site (``registered``): the real magazine plus the metadata root's second article (online
first, with a DOI of its own), with a DOI prefix and two ISSNs in ``conf.py``. Before its
issue is paginated again the build refuses the published issue for lacking DOIs; ``make
paginate ISSUE=1-1`` (its module, in a subprocess, as editors run it) records them, then the
web edition, the PDFs and the JATS files are built and read back; an online-first article
whose every text tries to be markup checks the escaping. The gate's DOI rules are tested on
issue files and records directly.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from lxml import etree
from conftest import (
    ARTICLE,
    METADATA_ROOT,
    ROOTS,
    SECOND_ARTICLE,
    SITE_URL,
    build,
    copy_project,
    issue_text,
    with_root,
)
from pybtex.database import parse_string
from pypdf import PdfReader
from sphinx.errors import ConfigError

from magazine import config as magazine_config
from magazine.registration import crossref
from magazine.registration.dois import article_doi, issn_problem, pattern_problem
from magazine.serial.issues import doi_problems, parse_issue, proposed_dois

TYPST_ROOT = ROOTS / "test-typst"
PREFIX = "10.5555"  # Crossref's prefix for tests and examples
SEED_DOI = "10.5555/theopenbench.v1i1.1"  # the default pattern: volume 1, issue 1, first
OWN_DOI = "10.5555/openbench.2024.002"  # the second article's front matter
CONF = f'''
magazine_doi_prefix = "{PREFIX}"
magazine_issn = "2049-3630"
magazine_print_issn = "0317-8471"
magazine_crossref_depositor = "The Open Bench editors"
magazine_crossref_email = "editors@openbench.test"
'''
# an online-first article whose every text tries to be markup in the XML files
HOSTILE = """---
title: 'Ampersands & "quoted" ]]> and a < b > c'
column: Feature
summary: 'A summary with & and ]]> and </abstract'
authors:
  - name: Aoife O'Brien
    affiliation: Lab & Co. ]]>
date: 2025-05-01
---

Text with \\<span\\> escaped, & ampersands, "quotes", ]]> and a bell \x07 in it.
"""
# a second published issue: two of the PDF tests' articles, signed, with their own dates
SECOND_ISSUE = issue_text(2, "2027-01-10",
                          ["articles/aa-greek-letters", "articles/typst-escaping"],
                          title="Symbols", editors="Ada Lovelace",
                          body="The second issue, on the signs scientists write.")
ENVIRON = {"MAGAZINE_SITE_URL": SITE_URL, "READTHEDOCS_CANONICAL_URL": None,
           "SOURCE_DATE_EPOCH": None}


def paginate(src: Path, issue: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "magazine.serial.paginate", "--issue", issue],
                          capture_output=True, text=True, cwd=src, check=False,
                          env={**os.environ, "PYTHONPATH": str(src / "_ext")})


class Registered:
    def __init__(self, src: Path, refused: str, paginated: str) -> None:
        self.src, self.refused, self.paginated = src, refused, paginated
        self.html = src / "_build" / "html"
        self.pdf = src / "_build" / "typst"
        self.jats = src / "_build" / "jats"

    def page(self, name: str) -> BeautifulSoup:
        return BeautifulSoup((self.html / f"{name}.html").read_text("utf-8"), "html.parser")


@pytest.fixture(scope="module")
def registered(tmp_path_factory: pytest.TempPathFactory) -> Registered:
    src = copy_project(tmp_path_factory.mktemp("registered") / "src")
    overrides = with_root(src, METADATA_ROOT)
    conf = src / "conf.py"
    conf.write_text(conf.read_text("utf-8") + CONF + (
        f"bibtex_bibfiles = {overrides['bibtex_bibfiles']!r}\n"), "utf-8")
    (src / "articles" / "hostile-markup.md").write_text(HOSTILE, "utf-8")
    # the PDF tests' articles (lists, a quote, code, a table, a footnote, links), online first
    for article in sorted((TYPST_ROOT / "articles").glob("*.md")):
        shutil.copy(article, src / "articles" / article.name)
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write((TYPST_ROOT / "extra.bib").read_text(encoding="utf-8"))
    (src / "issues" / "1-2.md").write_text(SECOND_ISSUE, "utf-8")
    before = build(src, environ=ENVIRON)
    assert before.returncode != 0
    result = paginate(src, "1-1,1-2")
    assert result.returncode == 0, result.stderr
    for builder in ("html", "typst", "jats"):
        made = build(src, builder, environ=ENVIRON)
        assert made.returncode == 0, made.stderr
    return Registered(src, before.stderr, result.stdout)


def metas(soup: BeautifulSoup, name: str) -> list[str]:
    return [m["content"] for m in soup.find_all("meta", attrs={"name": name})]


def json_ld(soup: BeautifulSoup) -> dict:
    return json.loads(soup.find("script", type="application/ld+json").string)


# -- recording -------------------------------------------------------------------------------


def test_a_published_issue_without_dois_is_refused_until_paginated(registered: Registered) -> None:
    issue = (registered.src / "issues" / "1-1.md").read_text("utf-8").splitlines()
    line = next(i for i, text in enumerate(issue, 1) if text.startswith("pages:"))
    # located at the article's line of the record (its pages: make paginate writes both)
    assert (f"issues/1-1.md:{line + 1}: WARNING: Volume 1, Issue 1 is published, but no DOI is "
            f"recorded for {ARTICLE}: run make paginate ISSUE=1-1 and commit this file"
            ) in registered.refused
    # make paginate kept the pages and added the DOIs under them, in the contents' order
    assert issue[line - 1:line + 4] == [
        "pages:  # written by make paginate: each article's first and last page",
        f"  {ARTICLE}: 1",
        "dois:  # written by make paginate: each article's DOI, never to change",
        f"  {ARTICLE}: {SEED_DOI}",
        "---",
    ]
    assert f"{ARTICLE}: page 1, DOI {SEED_DOI}" in registered.paginated


def test_paginating_again_keeps_every_recorded_doi(registered: Registered,
                                                   tmp_path: Path) -> None:
    issue = registered.src / "issues" / "1-1.md"
    text = issue.read_text("utf-8").replace(SEED_DOI, "10.5555/chosen.before")
    parsed = parse_issue(text, "issues/1-1")
    assert parsed.record is not None
    records = {ARTICLE: {"doi": None}}
    assert proposed_dois(parsed.record, records, "{prefix}/x.{name}", PREFIX, "M") == {
        ARTICLE: "10.5555/chosen.before"}
    without = re.sub(r"dois:.*\n(  .*\n)*", "", text)
    fresh = parse_issue(without, "issues/1-1").record
    assert proposed_dois(fresh, records, "{prefix}/x.{name}", PREFIX, "M") == {
        ARTICLE: "10.5555/x.stem-cell-therapy-spinal-cord-injuries"}
    assert proposed_dois(fresh, {ARTICLE: {"doi": "10.1/own"}}, "{prefix}/x.{name}", PREFIX,
                         "M") == {ARTICLE: "10.1/own"}  # the front matter's, if it gives one


# -- every surface ---------------------------------------------------------------------------


def test_the_doi_is_on_the_page_in_the_tags_and_json_ld(registered: Registered) -> None:
    soup = registered.page(ARTICLE)
    link = soup.select_one(".article-issue a.article-doi")
    assert (link.get_text(), link["href"]) == (f"https://doi.org/{SEED_DOI}",) * 2
    assert metas(soup, "citation_doi") == [SEED_DOI]
    assert metas(soup, "citation_issn") == ["2049-3630", "0317-8471"]
    assert f"https://doi.org/{SEED_DOI}" in metas(soup, "DC.identifier")
    data = json_ld(soup)
    assert data["identifier"] == {"@type": "PropertyValue", "propertyID": "DOI",
                                  "value": SEED_DOI}
    assert data["sameAs"] == f"https://doi.org/{SEED_DOI}"
    periodical = data["isPartOf"]["isPartOf"]["isPartOf"]
    assert periodical["issn"] == ["2049-3630", "0317-8471"]


def test_cite_box_and_downloads_give_the_doi(registered: Registered) -> None:
    box = registered.page(ARTICLE).select_one(".cite-reference")
    reference = " ".join(box.get_text().split())
    # APA 9.34: a work with a DOI is given by its DOI, not its URL
    assert reference.endswith(f"The Open Bench, 1(1), 1. https://doi.org/{SEED_DOI}")
    name = ARTICLE.rsplit("/", 1)[1]
    assert f'doi = "{SEED_DOI}"' in (registered.html / "cite" / f"{name}.bib").read_text("utf-8")
    assert f"DO  - {SEED_DOI}" in (registered.html / "cite" / f"{name}.ris").read_text("utf-8")
    (item,) = json.loads((registered.html / "cite" / f"{name}.json").read_text("utf-8"))
    assert item["DOI"] == SEED_DOI


def test_the_article_pdf_and_the_issue_pdf_print_the_doi(registered: Registered) -> None:
    name = ARTICLE.rsplit("/", 1)[1]
    for pdf in (f"{name}.pdf", "the-open-bench-1-1.pdf"):
        reader = PdfReader(registered.pdf / pdf)
        text = "".join(page.extract_text() for page in reader.pages)
        assert f"https://doi.org/{SEED_DOI}" in text, pdf
        uris = [a.get_object()["/A"]["/URI"] for page in reader.pages
                for a in page.get("/Annots") or [] if "/A" in a.get_object()]
        assert f"https://doi.org/{SEED_DOI}" in uris, pdf


def test_an_online_first_article_has_only_the_doi_its_front_matter_gives(
        registered: Registered) -> None:
    soup = registered.page(SECOND_ARTICLE)
    assert metas(soup, "citation_doi") == [OWN_DOI]
    assert soup.select_one(".article-issue a.article-doi")["href"] == f"https://doi.org/{OWN_DOI}"


def test_without_a_prefix_no_doi_is_made(built_site: Path) -> None:
    # the real magazine registers no DOIs: nothing mentions one for its article
    soup = BeautifulSoup((built_site / f"{ARTICLE}.html").read_text("utf-8"), "html.parser")
    assert metas(soup, "citation_doi") == [] and soup.select(".article-doi") == []
    assert "identifier" not in json_ld(soup)
    assert "doi.org" not in soup.select_one(".cite-reference").get_text()
    # nor any JATS file: JATS names the journal by its ISSN, and the magazine has none yet
    assert soup.select(".cite-archive") == []
    assert soup.find("link", type="application/jats+xml") is None


# -- the gate's rules ------------------------------------------------------------------------

ISSUE = """---
volume: 1
number: 2
status: in preparation
articles:
  - articles/a
  - articles/b
{extra}---
"""


def issue_problems(extra: str) -> list[tuple[int, str]]:
    parsed = parse_issue(ISSUE.format(extra=extra), "issues/1-2")
    return [(p.line, p.message) for p in parsed.problems]


def test_recorded_dois_must_be_dois_of_listed_articles_and_differ() -> None:
    assert issue_problems("dois:\n  articles/a: 10.5555/x.1\n  articles/b: 10.5555/x.2\n") == []
    [(line, message)] = issue_problems("dois:\n  articles/a: not-a-doi\n")
    assert line == 9 and message.startswith("'articles/a: not-a-doi' is not a DOI")
    [(line, message)] = issue_problems("dois:\n  articles/c: 10.5555/x.3\n")
    assert line == 9 and "articles/c has a DOI but is not in this issue's 'articles:'" in message
    [(line, message)] = issue_problems("dois:\n  articles/a: 10.5555/x.1\n  articles/b: 10.5555/x.1\n")
    assert line == 10 and "articles/b and articles/a are both recorded as 10.5555/x.1" in message


def test_a_contradicting_front_matter_and_a_shared_doi_are_refused() -> None:
    text = ISSUE.format(extra="dois:\n  articles/a: 10.5555/x.1\n  articles/b: 10.5555/x.2\n")
    issue = parse_issue(text, "issues/1-2").record
    records = {"articles/a": {"doi": "10.5555/other"}, "articles/b": {},
               "articles/c": {"doi": "10.5555/x.2"}}
    found = list(doi_problems([issue], set(records), records, registering=True))
    assert (found[0][1], found[0][2]) == ("issues/1-2", 9)
    assert found[0][0].startswith("articles/a's front matter gives the DOI 10.5555/other, "
                                  "but this file records 10.5555/x.1 for it")
    assert "put 'doi: 10.5555/x.1' back in articles/a.md" in found[0][0]
    assert found[1][0] == ("articles/c has the DOI 10.5555/x.2, which is already articles/b's; "
                           "a DOI names one article: give one of them another")
    assert found[1][1] == "articles/c" and len(found) == 2


def test_the_pattern_and_the_issns_are_checked() -> None:
    assert article_doi("{prefix}/{magazine}.v{volume}i{number}.{position}", PREFIX,
                       "The Open Bench", 2, 3, 4, "articles/x") == "10.5555/theopenbench.v2i3.4"
    assert pattern_problem("{prefix}/{magazine}.v{volume}i{number}.{position}", PREFIX) is None
    assert "must tell every article apart" in pattern_problem("{prefix}/v{volume}", PREFIX)
    assert "is not a DOI prefix" in pattern_problem("{prefix}/{name}", "10.55")
    assert "it may name {prefix}" in pattern_problem("{prefix}/{issue}", PREFIX)
    assert issn_problem("2049-3630") is None and issn_problem("1050-124X") is None
    assert "check digit should be 0" in issn_problem("2049-3631")
    assert "is not an ISSN" in issn_problem("20493630")


@pytest.mark.parametrize(("values", "said"), [
    ({"magazine_doi_prefix": "10.55"}, "is not a DOI prefix"),
    ({"magazine_doi_prefix": PREFIX, "magazine_doi_pattern": "{prefix}/{volume}"},
     "must tell every article apart"),
    ({"magazine_issn": "2049-3631"}, "magazine_issn in conf.py: '2049-3631' is not an ISSN"),
    ({"magazine_doi_prefix": PREFIX}, "deposits them with Crossref: set magazine_crossref_depositor"),
])
def test_conf_py_values_are_refused_with_the_reason(values: dict, said: str) -> None:
    settings = {f"magazine_{s.name}": s.default for s in magazine_config.SETTINGS}

    class Config:
        def __getattr__(self, name: str) -> object:
            return {**settings, **values}[name]

    with pytest.raises(ConfigError, match=said.replace("(", r"\(")):
        magazine_config.check_config(None, Config())  # type: ignore[arg-type]


# -- the Crossref deposit --------------------------------------------------------------------

CR = "{http://www.crossref.org/schema/5.3.1}"


def test_each_published_issue_has_a_valid_crossref_deposit(registered: Registered) -> None:
    path = registered.html / "crossref" / "the-open-bench-1-1.xml"
    tree = etree.parse(str(path))
    assert crossref.problems(tree) == []  # Crossref's schema 5.3.1, vendored
    root = tree.getroot()
    assert root.get("version") == "5.3.1"
    head = root.find(f"{CR}head")
    assert head.findtext(f"{CR}depositor/{CR}depositor_name") == "The Open Bench editors"
    assert head.findtext(f"{CR}depositor/{CR}email_address") == "editors@openbench.test"
    assert head.findtext(f"{CR}registrant") == "The Open Bench"
    journal = root.find(f"{CR}body/{CR}journal")
    meta = journal.find(f"{CR}journal_metadata")
    assert meta.findtext(f"{CR}full_title") == "The Open Bench"
    assert [(i.get("media_type"), i.text) for i in meta.findall(f"{CR}issn")] == [
        ("electronic", "2049-3630"), ("print", "0317-8471")]
    issue = journal.find(f"{CR}journal_issue")
    assert issue.findtext(f"{CR}journal_volume/{CR}volume") == "1"
    assert issue.findtext(f"{CR}issue") == "1"
    assert [issue.findtext(f"{CR}publication_date/{CR}{p}") for p in ("year", "month", "day")
            ] == ["2026", "11", "25"]
    (article,) = journal.findall(f"{CR}journal_article")
    assert article.findtext(f"{CR}titles/{CR}title") == "Stem Cell Therapy for Spinal Cord Injuries"
    house = article.find(f"{CR}contributors/{CR}organization")
    assert (house.text, house.get("sequence"), house.get("contributor_role")) == (
        "The Open Bench editors", "first", "author")
    assert article.findtext("{http://www.ncbi.nlm.nih.gov/JATS1}abstract/"
                            "{http://www.ncbi.nlm.nih.gov/JATS1}p").startswith("A clinical trial")
    assert (article.findtext(f"{CR}pages/{CR}first_page"),
            article.findtext(f"{CR}pages/{CR}last_page")) == ("1", "1")
    ai = "{http://www.crossref.org/AccessIndicators.xsd}"
    licence = article.find(f"{ai}program/{ai}license_ref")
    assert (licence.text, licence.get("start_date")) == (
        "https://creativecommons.org/licenses/by/4.0/", "2026-11-25")
    assert article.findtext(f"{CR}doi_data/{CR}doi") == SEED_DOI
    assert article.findtext(f"{CR}doi_data/{CR}resource") == f"{SITE_URL}{ARTICLE}.html"
    # the Works Cited, in its order: DOIs where the entries have them, the APA text always
    page_list = [" ".join(li.get_text().split()) for li in
                 registered.page(ARTICLE).select(".works-cited-entry")]
    cited = article.findall(f"{CR}citation_list/{CR}citation")
    assert [" ".join(c.findtext(f"{CR}unstructured_citation").split()) for c in cited] == page_list
    honmou = cited[2]
    assert honmou.get("key") == "ref3-honmou2021intravenous"
    assert [(e.tag.removeprefix(CR), e.text) for e in honmou][:5] == [
        ("journal_title", "Clinical Neurology and Neurosurgery"), ("author", "Honmou"),
        ("volume", "203"), ("elocation_id", "106565"), ("cYear", "2021")]
    assert honmou.find(f"{CR}doi") is None  # its entry gives none


def test_a_work_with_a_doi_is_cited_by_it() -> None:
    entry = parse_string("""@article{w, author = {Doe, Jane and Roe, R.}, title = {T},
        journaltitle = {J}, volume = {4}, number = {2}, pages = {14--17}, date = {2020},
        doi = {10.1000/xyz}}""", "bibtex").entries["w"]
    element = etree.Element(f"{CR}citation_list")
    crossref.citation(element, "ref1-w", entry, "Doe, J., & Roe, R. (2020). T. J, 4(2), 14–17.")
    got = [(e.tag.removeprefix(CR), e.text) for e in element[0]]
    assert got == [("journal_title", "J"), ("author", "Doe"), ("volume", "4"), ("issue", "2"),
                   ("first_page", "14"), ("cYear", "2020"), ("doi", "10.1000/xyz"),
                   ("article_title", "T"),
                   ("unstructured_citation", "Doe, J., & Roe, R. (2020). T. J, 4(2), 14–17.")]


def test_a_deposit_the_schema_refuses_is_reported_with_the_element() -> None:
    root = etree.fromstring(
        f'<doi_batch xmlns="{CR[1:-1]}" version="5.3.1"><head/><body/></doi_batch>')
    found = crossref.problems(etree.ElementTree(root))
    assert found and "doi_batch_id" in found[0] and found[0].startswith("line 1: ")


def test_hostile_text_gives_valid_escaped_xml() -> None:
    hostile = 'A & B <i>x</i> "q" \x07 ]]> </title>'
    element = etree.Element("t")
    crossref.child(element, "title", hostile)
    written = etree.tostring(element, encoding="unicode")
    assert "&amp; B &lt;i&gt;x&lt;/i&gt;" in written and "\x07" not in written
    assert etree.fromstring(written)[0].text == 'A & B <i>x</i> "q" ]]> </title>'


def test_make_crossref_checks_and_names_the_deposit(registered: Registered) -> None:
    def crossref_cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "magazine.registration.crossref", *args],
                              capture_output=True, text=True, cwd=registered.src, check=False,
                              env={**os.environ, "PYTHONPATH": str(registered.src / "_ext"),
                                   "MAGAZINE_SITE_URL": SITE_URL})
    done = crossref_cli("--issue", "1-1")
    assert done.returncode == 0, done.stderr
    assert "the-open-bench-1-1.xml: valid (Crossref 5.3.1), 1 article DOIs:" in done.stdout
    assert f"  {SEED_DOI}\n" in done.stdout and "doMDUpload" in done.stdout
    missing = crossref_cli("--issue", "1-9")
    assert missing.returncode == 1 and "no deposit for 1-9" in missing.stderr


# -- the JATS files --------------------------------------------------------------------------

XL = "{http://www.w3.org/1999/xlink}"


def jats_file(registered: Registered, name: str) -> etree._ElementTree:
    return etree.parse(str(registered.jats / f"{name.rsplit('/', 1)[1]}.xml"),
                       etree.XMLParser(no_network=True, resolve_entities=False))


def test_every_article_has_a_valid_jats_file(registered: Registered) -> None:
    from magazine.jats.builder import problems as jats_problems

    files = sorted(p.name for p in registered.jats.glob("*.xml"))
    assert files == ["aa-greek-letters.xml", "axolotl-spinal-cord-regeneration.xml",
                     "hostile-markup.xml", "stem-cell-therapy-spinal-cord-injuries.xml",
                     "typst-escaping.xml"]
    for name in files:
        tree = etree.parse(str(registered.jats / name))
        assert jats_problems(tree) == [], name  # JATS 1.3 Journal Publishing, vendored
        assert tree.docinfo.public_id.startswith("-//NLM//DTD JATS (Z39.96) Journal Publishing")


def test_the_jats_front_carries_the_records(registered: Registered) -> None:
    seed = jats_file(registered, ARTICLE).getroot()
    assert seed.get("article-type") == "news" and seed.get("dtd-version") == "1.3"
    journal = seed.find("front/journal-meta")
    assert journal.findtext("journal-title-group/journal-title") == "The Open Bench"
    assert [(i.get("publication-format"), i.text) for i in journal.findall("issn")] == [
        ("electronic", "2049-3630"), ("print", "0317-8471")]
    meta = seed.find("front/article-meta")
    assert meta.findtext("article-id[@pub-id-type='doi']") == SEED_DOI
    assert meta.findtext("title-group/article-title") == "Stem Cell Therapy for Spinal Cord Injuries"
    assert meta.findtext("contrib-group/contrib/collab") == "The Open Bench editors"
    assert [meta.findtext(f"pub-date/{p}") for p in ("year", "month", "day")] == ["2026", "11", "25"]
    assert [meta.findtext(t) for t in ("volume", "issue", "fpage", "lpage")] == ["1", "1", "1", "1"]
    licence = meta.find("permissions/license")
    assert licence.get(f"{XL}href") == "https://creativecommons.org/licenses/by/4.0/"
    assert meta.find("self-uri").get(f"{XL}href") == f"{SITE_URL}{ARTICLE}.html"
    summary = registered.page(ARTICLE).select_one(".article-summary").get_text(" ", strip=True)
    assert meta.findtext("abstract/p") == summary
    signed = jats_file(registered, SECOND_ARTICLE).find("front/article-meta")
    people = [(c.findtext("name/given-names"), c.findtext("name/surname"),
               c.findtext("contrib-id[@contrib-id-type='orcid']"))
              for c in signed.findall("contrib-group/contrib")]
    assert people[0][:2] == ("Ada", "Lovelace") and people[1][:2] == ("Grace", "Hopper")
    assert people[0][2].startswith("https://orcid.org/0000-")
    assert signed.find("volume") is None  # online first: in no issue, no pages
    assert signed.findtext("article-id[@pub-id-type='doi']") == OWN_DOI


def test_the_jats_body_and_back_follow_the_page(registered: Registered) -> None:
    tree = jats_file(registered, ARTICLE)
    body, back = tree.find("body"), tree.find("back")
    soup = registered.page(ARTICLE)
    text = [" ".join(p.get_text().split()) for p in soup.select("article section > p")
            if not p.get("class")]
    assert [" ".join("".join(p.itertext()).split()) for p in body.findall("p")] == text
    # the lead image opens the body, with its description and credit
    figure = body.find("fig")
    graphic = figure.find("graphic")
    assert (registered.jats / graphic.get(f"{XL}href")).is_file()
    assert graphic.findtext("alt-text").startswith("Illustration of a spinal column")
    # every in-text citation is an xref to its ref, in the page's order
    xrefs = body.findall(".//xref[@ref-type='bibr']")
    cited = soup.select("article section > p a.reference.internal[href^='#ref-']")
    assert [x.get("rid") for x in xrefs] == [a["href"][1:] for a in cited]
    refs = back.findall("ref-list/ref")
    assert back.findtext("ref-list/title") == "Works Cited"
    assert {x.get("rid") for x in xrefs} <= {r.get("id") for r in refs}
    # each ref: its fields, and the APA text as the page shows it, italics kept
    shown = [" ".join(e.get_text().split()) for e in soup.select(".works-cited-entry")]
    assert [" ".join("".join(r.find("mixed-citation").itertext()).split()) for r in refs] == shown
    honmou = next(r for r in refs if r.get("id") == "ref-honmou2021intravenous")
    citation = honmou.find("element-citation")
    assert citation.get("publication-type") == "journal"
    assert len(citation.findall("person-group/name")) == 19
    assert [citation.findtext(t) for t in ("source", "volume", "elocation-id", "year")] == [
        "Clinical Neurology and Neurosurgery", "203", "106565", "2021"]
    assert honmou.find("mixed-citation/italic").text == "Clinical Neurology and Neurosurgery"


def test_hostile_text_is_escaped_in_the_jats_file(registered: Registered) -> None:
    tree = jats_file(registered, "articles/hostile-markup")
    meta = tree.find("front/article-meta")
    assert meta.findtext("title-group/article-title") == 'Ampersands & "quoted" ]]> and a < b > c'
    assert meta.findtext("abstract/p") == "A summary with & and ]]> and </abstract"
    assert meta.findtext("contrib-group/contrib/aff/institution") == "Lab & Co. ]]>"
    (paragraph,) = tree.findall("body/p")
    assert "".join(paragraph.itertext()) == (
        'Text with <span> escaped, & ampersands, “quotes”, ]]> and a bell  in it.')
    raw = (registered.jats / "hostile-markup.xml").read_text("utf-8")
    assert "\x07" not in raw and "<span>" not in raw and "&lt;span&gt;" in raw


def test_the_page_links_its_jats_file(registered: Registered) -> None:
    soup = registered.page(ARTICLE)
    link = soup.select_one(".cite-archive a")
    name = ARTICLE.rsplit("/", 1)[1]
    assert (link["href"], link["type"]) == (f"../jats/{name}.xml", "application/jats+xml")
    alternate = soup.find("link", rel="alternate", type="application/jats+xml")
    assert alternate["href"] == f"{SITE_URL}jats/{name}.xml"
    encodings = json_ld(soup)["encoding"]
    assert [e["encodingFormat"] for e in encodings] == ["application/pdf", "application/jats+xml"]


def test_every_kind_of_block_has_its_jats_form(registered: Registered) -> None:
    tree = jats_file(registered, "articles/typst-escaping")
    body = tree.find("body")
    (section,) = body.findall("sec")
    assert "".join(section.find("title").itertext()) == "Section # $ * _ @ < [x]"
    assert [lst.get("list-type") for lst in section.findall("list")] == ["bullet", "order"]
    first = section.find("list/list-item/p")
    assert [(e.tag, e.text) for e in first] == [("italic", "emphasis"), ("bold", "strength")]
    assert "".join(section.find("disp-quote/p").itertext()) == "A quoted line with # and [ ]."
    code = section.find("code")
    assert (code.get("language"), code.text.rstrip("\n")) == ("python", 'print("#panic() $ * _ \\\\ [ ]")')
    table = section.find("table-wrap/table")
    assert [th.text for th in table.findall("thead/tr/th")] == ["Symbol", "Meaning"]
    assert [[td.text for td in tr] for tr in table.findall("tbody/tr")] == [
        ["#", "hash"], ["$", "dollar"]]
    # the footnote: its mark an xref to its fn in the back
    (mark,) = body.findall(".//xref[@ref-type='fn']")
    (note,) = tree.findall("back/fn-group/fn")
    assert mark.get("rid") == note.get("id")
    assert "".join(note.find("p").itertext()) == "A footnote with # and $."
    # links: out, with their address; to another article, its page's public address
    links_out = {e.get(f"{XL}href"): "".join(e.itertext()) for e in body.iter("ext-link")}
    assert links_out["https://example.org/a_b?c=d#frag"] == "an address with #hash"
    assert links_out[f"{SITE_URL}{ARTICLE}.html"] == "the stem cell article"
    assert [e.text for e in body.iter("monospace")] == ['#panic("code") $ * _ @ < \\ [ ] //']


BOXES = """---
title: Boxes and Lists
column: Feature
summary: An article with a topic, a note, a glossary and a list in columns.
date: 2025-01-01
---

A topic box follows.

:::{topic} Aside
Text in a topic.
:::

:::{note}
A note.
:::

:::{glossary}
stem cell
  A cell that can become other cells.
:::

:::{hlist}
:columns: 2

- one
- two
:::
"""


def test_make_check_builds_and_checks_the_jats_files(tmp_path: Path) -> None:
    src = copy_project(tmp_path / "src")
    conf = src / "conf.py"
    conf.write_text(conf.read_text("utf-8") + '\nmagazine_issn = "2049-3630"\n', "utf-8")
    (src / "articles" / "boxes.md").write_text(BOXES, "utf-8")
    result = subprocess.run([sys.executable, "-m", "magazine.gate.check"], capture_output=True,
                            text=True, cwd=src, check=False,
                            env={**os.environ, "PYTHONPATH": str(src / "_ext")})
    assert result.returncode == 1
    lines = BOXES.splitlines()
    block = range(lines.index(":::{hlist}") + 1, len(lines) + 1)  # the list in columns
    problems = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert len(problems) == 1, result.stdout + result.stderr
    where, _, message = problems[0].partition(": error: ")
    assert where.startswith("articles/boxes.md:") and int(where.rsplit(":", 1)[1]) in block
    # the web edition shows it; the archive edition cannot, and make check says so
    assert [message] == [
        "the JATS file (the archive edition) has no form "
        "for 'hlist' nodes and keeps only their text; write this part with the Markdown that "
        "CONTRIBUTING.md shows, or ask the maintainers to support it (magazine.jats) "
        "[magazine.registration]"], result.stdout + result.stderr


def test_the_gate_refuses_a_changed_or_removed_doi_since_the_base(registered: Registered,
                                                                  tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(registered.src, src, ignore=shutil.ignore_patterns("_build"))
    env = {**os.environ, "PYTHONPATH": str(src / "_ext"), "GIT_AUTHOR_NAME": "E",
           "GIT_AUTHOR_EMAIL": "e@x.test", "GIT_COMMITTER_NAME": "E",
           "GIT_COMMITTER_EMAIL": "e@x.test"}
    for command in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "base"]):
        subprocess.run(["git", *command], cwd=src, env=env, check=True, capture_output=True)
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=src, capture_output=True,
                          text=True, check=True).stdout.strip()

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "magazine.gate.check", "--quick", "--base", base],
                              capture_output=True, text=True, cwd=src, env=env, check=False)

    assert check().returncode == 0, check().stdout
    issue = src / "issues" / "1-1.md"
    text = issue.read_text("utf-8")
    issue.write_text(text.replace(SEED_DOI, "10.5555/theopenbench.v1i1.9"), "utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if SEED_DOI in row)
    result = check()
    assert result.returncode == 1
    assert (f"issues/1-1.md:{line}: error: {ARTICLE} was recorded as {SEED_DOI} at "
            f"{base[:10]}; a DOI, once recorded, is the article's for good") in result.stdout
    issue.write_text(re.sub(r"dois:.*\n(  .*\n)*", "", text), "utf-8")  # the record removed
    assert f"{ARTICLE} was recorded as {SEED_DOI}" in check().stdout


def test_each_issue_has_its_deposit_and_its_articles_their_dois(registered: Registered) -> None:
    path = registered.html / "crossref" / "the-open-bench-1-2.xml"
    tree = etree.parse(str(path))
    assert crossref.problems(tree) == []
    journal = tree.find(f"{CR}body/{CR}journal")
    assert journal.findtext(f"{CR}journal_issue/{CR}issue") == "2"
    articles = journal.findall(f"{CR}journal_article")
    assert [a.findtext(f"{CR}doi_data/{CR}doi") for a in articles] == [
        "10.5555/theopenbench.v1i2.1", "10.5555/theopenbench.v1i2.2"]
    pages = [(a.findtext(f"{CR}pages/{CR}first_page"), a.findtext(f"{CR}pages/{CR}last_page"))
             for a in articles]
    assert pages[0][0] == "1" and int(pages[1][0]) == int(pages[0][1]) + 1  # they follow on
    people = [(p.get("sequence"), p.findtext(f"{CR}given_name"), p.findtext(f"{CR}surname"))
              for p in articles[1].findall(f"{CR}contributors/{CR}person_name")]
    assert people == [("first", "Zoë", "Ångström-Łukasiewicz"),
                      ("additional", "Ada #Hash", "$Dollar")]  # in order, symbols as written
    # the same DOI and pages on the page, in the JATS file, in the first issue's deposit none
    soup = registered.page("articles/aa-greek-letters")
    assert metas(soup, "citation_doi") == ["10.5555/theopenbench.v1i2.1"]
    meta = jats_file(registered, "articles/aa-greek-letters").find("front/article-meta")
    assert meta.findtext("article-id[@pub-id-type='doi']") == "10.5555/theopenbench.v1i2.1"
    assert [meta.findtext(t) for t in ("volume", "issue", "fpage")] == ["1", "2", "1"]
    first = etree.parse(str(registered.html / "crossref" / "the-open-bench-1-1.xml"))
    assert "v1i2" not in etree.tostring(first, encoding="unicode")
