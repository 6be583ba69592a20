"""The built site as the tools of indexers read it (issue 16).

- The W3C Nu Html Checker (``vnu.jar``, the npm package ``vnu-jar``, run by Java;
  ``tests/find_vnu.py`` installs and finds both) checks every page of the web edition, in
  one JVM: no error, each one printed with its file, line and message.
- extruct, the structured-data parser of crawlers, reads JSON-LD, Open Graph and microdata
  from an article credited to the house byline (the seed) and from a signed one: the
  author, the publication date, the lead image with its size, the issue it is part of; the
  Open Graph image is the PNG drawn for it, with its size.

One build (``site``): the real site with the issues and articles of
``tests/roots/test-issues`` (two published issues, one in preparation, articles online
first) and the signed article of ``tests/roots/test-metadata``, published at ``SITE_URL``
with ``SOURCE_DATE_EPOCH`` set; one signed article in an issue is given a lead image. Its
HTML is what ``make publish`` puts in ``_build/html`` (the publish step adds only the PDFs).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import extruct
import pytest
from conftest import ARTICLE, METADATA_ROOT, SITE_URL, build, copy_project, with_root
from find_vnu import VnuNotFound, find
from PIL import Image
from test_issues import ENVIRON, with_issues

pytestmark = pytest.mark.slow

HOUSE = "The Open Bench editors"  # magazine_house_byline in conf.py
ISSUE = "issues/1-1.html"  # tests/roots/test-issues/issues/1-1.md
ISSUE_DATE = "2025-01-15"
SIGNED = "articles/zebrafish-hearts"  # Ada Lovelace's, in issue 1-1
LEAD_IMAGE = """image:
  src: /_static/images/spinal-cord-stem-cells.svg
  alt: A spinal cord with stem cells drifting in from a blood vessel.
  credit: Illustration made for The Open Bench, CC BY 4.0.
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = with_issues(copy_project(tmp_path_factory.mktemp("validators") / "src"))
    overrides = with_root(src, METADATA_ROOT)
    signed = src / f"{SIGNED}.md"
    text = signed.read_text(encoding="utf-8")
    assert "\ncolumn: Feature\n" in text
    signed.write_text(text.replace("\ncolumn: Feature\n", f"\ncolumn: Feature\n{LEAD_IMAGE}", 1),
                      encoding="utf-8")
    result = build(src, confoverrides=overrides, environ=ENVIRON)
    assert result.returncode == 0, result.stderr
    return result.outdir


# -- the Nu Html Checker ---------------------------------------------------------------------


def vnu(folder: Path) -> tuple[set[Path], list[dict]]:
    """Check every .html file under ``folder`` in one JVM: (the files it checked, its
    errors). Warnings and notes are left out (--errors-only)."""
    try:
        command = find()
    except VnuNotFound as error:
        pytest.fail(str(error), pytrace=False)
    # --verbose names each file checked on standard output; the report goes to standard error
    result = subprocess.run(
        [*command, "--errors-only", "--format", "json", "--skip-non-html", "--verbose",
         str(folder)],
        capture_output=True, text=True, check=False, timeout=600,
    )
    lines = result.stderr.strip().splitlines()  # a JVM notice may come before the report
    assert lines and lines[-1].startswith("{"), result.stderr
    checked = {Path(line.strip()) for line in result.stdout.splitlines() if line.strip()}
    return checked, json.loads(lines[-1])["messages"]


def described(folder: Path, message: dict) -> str:
    """'articles/x.html:12: Stray end tag “span”. [<extract>]'"""
    where = Path(message.get("url", "").removeprefix("file:"))
    name = where.relative_to(folder) if where.is_relative_to(folder) else where
    extract = " ".join(message.get("extract", "").split())
    return f"{name}:{message.get('lastLine', '?')}: {message['message']} [{extract}]"


def test_every_page_passes_the_nu_html_checker(site: Path) -> None:
    pages = set(site.rglob("*.html"))
    checked, messages = vnu(site)
    assert len(pages) > 15 and checked == pages, sorted(map(str, pages ^ checked))
    errors = [described(site, m) for m in messages]
    assert errors == [], f"{len(errors)} errors:\n" + "\n".join(errors)


def test_the_checker_names_the_file_and_line_of_an_error(site: Path, tmp_path: Path) -> None:
    """The test above would see a real error: a stray end tag in a copy of an article."""
    html = (site / f"{ARTICLE}.html").read_text(encoding="utf-8")
    lines = html.splitlines()
    at = next(i for i, line in enumerate(lines) if "<main" in line) + 1
    lines.insert(at, "<p>stray</span></p>")
    (tmp_path / "articles").mkdir()
    (tmp_path / f"{ARTICLE}.html").write_text("\n".join(lines), encoding="utf-8")
    checked, messages = vnu(tmp_path)
    assert checked == {tmp_path / f"{ARTICLE}.html"}
    assert [described(tmp_path, m).split(" [")[0] for m in messages] == [
        f"{ARTICLE}.html:{at + 1}: Stray end tag “span”."]


# -- extruct ---------------------------------------------------------------------------------


def structured(site: Path, docname: str) -> dict[str, list[dict]]:
    html = (site / f"{docname}.html").read_text(encoding="utf-8")
    return extruct.extract(html, base_url=f"{SITE_URL}{docname}.html", uniform=True,
                           syntaxes=["json-ld", "opengraph", "microdata"])


@pytest.mark.parametrize(("docname", "kind", "authors"), [
    (ARTICLE, "NewsArticle", [{"@type": "Organization", "name": HOUSE}]),  # never a Person
    (SIGNED, "ScholarlyArticle", [{"@type": "Person", "name": "Ada Lovelace"}]),
])
def test_extruct_reads_the_article_its_author_date_image_and_issue(
    site: Path, docname: str, kind: str, authors: list[dict],
) -> None:
    data = structured(site, docname)
    assert data["microdata"] == []  # the JSON-LD is the page's one schema.org description
    [article] = data["json-ld"]
    assert article["@type"] == kind
    assert article["@id"] == f"{SITE_URL}{docname}.html"
    assert article["author"] == authors
    assert article["datePublished"] <= ISSUE_DATE
    issue = article["isPartOf"]
    assert (issue["@type"], issue["@id"], issue["issueNumber"], issue["datePublished"]) == (
        "PublicationIssue", f"{SITE_URL}{ISSUE}", "1", ISSUE_DATE)
    assert issue["isPartOf"]["isPartOf"]["@type"] == "Periodical"
    image = article["image"]
    png = f"{SITE_URL}social/{docname.removeprefix('articles/')}.png"
    assert (image["@type"], image["url"], image["encodingFormat"]) == (
        "ImageObject", png, "image/png")
    with Image.open(site / png.removeprefix(SITE_URL)) as drawn:
        assert drawn.format == "PNG"
        assert (image["width"], image["height"]) == drawn.size == (1200, 630)

    [graph] = data["opengraph"]
    assert graph["@type"] == "article"
    assert graph["og:url"] == f"{SITE_URL}{docname}.html"
    assert graph["og:image"] == png
    assert graph["og:image:type"] == "image/png"
    assert (graph["og:image:width"], graph["og:image:height"]) == ("1200", "630")
    assert graph["og:image:alt"]
    assert graph["article:published_time"] == article["datePublished"]


def test_extruct_reads_every_author_of_an_article_online_first(site: Path) -> None:
    [article] = structured(site, "articles/axolotl-spinal-cord-regeneration")["json-ld"]
    assert [(a["@type"], a["name"]) for a in article["author"]] == [
        ("Person", "Ada Lovelace"), ("Person", "Grace Hopper")]
    assert article["author"][0]["identifier"] == "https://orcid.org/0000-0002-1825-0097"
    assert article["datePublished"] == "2024-03-05"
    assert article["isPartOf"]["@type"] == "Periodical"  # in no issue yet
