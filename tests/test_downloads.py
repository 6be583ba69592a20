"""Every download read by the tools people cite with, not only parsed.

- Each ``.bib`` (an article's own record and its Works Cited) is formatted by pybtex's
  classic ``plain`` style, strict: a missing field or any other warning fails.
- Each ``.ris`` is read by rispy, and its records keep their type, names and title.
- Each CSL-JSON file is rendered by citeproc-js (the ``citeproc`` npm package, Zotero's
  engine; ``tests/find_citeproc.py`` installs it) with the official APA style and with Cite
  Them Right Harvard, a style that labels pages ("p."): no article number is printed as a
  page. The styles and the locale are copies in ``tests/data/csl/`` (see its README).

The site is the ``metadata_site`` build, whose seed article is on page 1 of Volume 1, Issue 1
(``issues/1-1.md``); an article over several pages is built from its record alone.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pybtex.errors
import pytest
import rispy
from conftest import ARTICLE, ROOT, SECOND_ARTICLE, SITE_URL
from find_citeproc import CiteprocNotFound, find
from pybtex.database import parse_string
from pybtex.plugin import find_plugin

sys.path.insert(0, str(ROOT / "_ext"))
from magazine import bibstyle  # noqa: E402
from magazine.citations import citetools, records  # noqa: E402
from magazine.bibstyle.settings import ApaSettings  # noqa: E402
from magazine.articles.frontmatter import FrontMatter  # noqa: E402

CSL = ROOT / "tests" / "data" / "csl"
LOCALE = CSL / "locales-en-US.xml"
STYLES = ("apa", "harvard-cite-them-right")
NAMES = [d.rsplit("/", 1)[1] for d in (ARTICLE, SECOND_ARTICLE)]


def downloads(site: Path, suffix: str) -> list[Path]:
    found = sorted((site / "cite").glob(f"*{suffix}"))
    # the two articles' own records and their Works Cited lists
    assert len(found) == 2 * len(NAMES), found
    return found


def plain(bibtex: str) -> dict[str, str]:
    """Key -> the entry formatted by pybtex's plain style, every problem an error."""
    pybtex.errors.set_strict_mode(True)
    style = find_plugin("pybtex.style.formatting", "plain")()
    data = parse_string(bibtex, "bibtex")
    return {e.key: e.text.render_as("text") for e in style.format_entries(data.entries.values())}


def apa(entry) -> str:  # noqa: ANN001
    """The article's reference as the Cite box writes it (APA, the magazine's settings)."""
    bibstyle.register_plugins()
    name = ApaSettings(order="citation", personal_communications="listed",
                       article_number_label=False).plugin_name
    return citetools.format_reference(name, "a", entry)[1]


def citeproc(style: str, path: Path) -> dict:
    try:
        command = find()
    except CiteprocNotFound as error:
        pytest.fail(str(error), pytrace=False)
    result = subprocess.run([*command, str(CSL / f"{style}.csl"), str(LOCALE), str(path)],
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# -- BibTeX ----------------------------------------------------------------------------------


def test_every_bib_download_formats_in_plain_bibtex(metadata_site: Path) -> None:
    texts = {path.name: list(plain(path.read_text("utf-8")).values())
             for path in downloads(metadata_site, ".bib")}
    seed = texts["stem-cell-therapy-spinal-cord-injuries-works-cited.bib"]
    # an article number is the classic "pages"; the date of a web page keeps its month
    assert any("Clinical Neurology and Neurosurgery, 203:106565, 2021." in t for t in seed)
    assert any("YaleNews, February 2021." in t for t in seed)
    assert any(t.startswith("J. Kocsis. Personal interview. March 2021.") for t in seed)
    (own,) = texts["stem-cell-therapy-spinal-cord-injuries.bib"]
    assert own.startswith("The Open Bench editors. Stem cell therapy for spinal cord injuries. ")
    # its issue's numbers and its page (issues/1-1.md records page 1)
    assert "The Open Bench, 1(1):1, November 2026. URL: https://" in own
    record = parse_string((metadata_site / "cite" / f"{NAMES[0]}.bib").read_text("utf-8"),
                          "bibtex").entries[NAMES[0]]
    assert (record.fields["volume"], record.fields["number"]) == ("1", "1")
    (second,) = texts["axolotl-spinal-cord-regeneration.bib"]
    assert second.startswith("Ada Lovelace and Grace Hopper. How axolotls")


def test_classic_maps_each_biblatex_type_to_a_complete_classic_entry() -> None:
    bib = parse_string("""
@thesis{t, author = {Knuth, Donald E.}, title = {Finite Semifields}, year = {1963},
  type = {Unpublished doctoral dissertation}, institution = {Caltech}}
@report{r, author = {{World Bank}}, title = {World Development Report}, year = {2018},
  institution = {World Bank}}
@report{r2, author = {{World Bank}}, title = {No institution}, year = {2018}}
@software{s, author = {{Python Software Foundation}}, title = {Python}, version = {3.12},
  date = {2023}, url = {https://www.python.org/}}
@article{a, author = {Doe, J.}, title = {T}, subtitle = {S}, journaltitle = {J},
  date = {2020-05-04}, eid = {e12}, location = {Paris}}
""", "bibtex")
    got = {key: records.classic(entry) for key, entry in bib.entries.items()}
    assert (got["t"].type, got["t"].fields["school"]) == ("phdthesis", "Caltech")
    assert got["r"].type == "techreport"
    assert (got["r2"].type, "institution" in got["r2"].fields) == ("misc", False)
    assert (got["s"].type, got["s"].fields["note"]) == ("misc", "Version 3.12")
    article = got["a"].fields
    assert (article["title"], article["journal"], article["pages"], article["address"]) == (
        "T: S", "J", "e12", "Paris")
    assert (article["year"], article["month"]) == ("2020", "May")
    assert not set(article) & records.BIBLATEX_ONLY
    texts = plain(records.bibtex(bib.entries.items()))
    assert texts["t"] == ("Donald E. Knuth. Finite Semifields. Unpublished doctoral "
                          "dissertation, Caltech, 1963.")
    assert "Version 3.12." in texts["s"]
    assert texts["a"].startswith("J. Doe. T: s. J, pages e12, May 2020.")


# -- RIS -------------------------------------------------------------------------------------


def test_every_ris_download_is_read_by_rispy(metadata_site: Path) -> None:
    for path in downloads(metadata_site, ".ris"):
        found = rispy.loads(path.read_text("utf-8"))
        assert found, path.name
        for record in found:
            assert record["type_of_reference"] in rispy.TYPE_OF_REFERENCE_MAPPING, path.name
            assert record["title"] and record["authors"], (path.name, record)
    (seed,) = rispy.loads((metadata_site / "cite" / f"{NAMES[0]}.ris").read_text("utf-8"))
    assert seed["authors"] == ["The Open Bench editors"]  # the house byline, a group
    assert (seed["start_page"], seed.get("end_page")) == ("1", None)  # one page: SP alone


# -- CSL-JSON --------------------------------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
def test_every_csl_json_download_renders_in_citeproc_js(metadata_site: Path, style: str) -> None:
    rendered = {path.name: citeproc(style, path) for path in downloads(metadata_site, ".json")}
    for name, result in rendered.items():
        items = json.loads((metadata_site / "cite" / name).read_text("utf-8"))
        left_out = {e["itemID"] for e in result["errors"]}
        # APA puts personal communications in the text only, never in a reference list
        expected = {i["id"] for i in items if i["type"] == "personal_communication"} \
            if style == "apa" else set()
        assert left_out == expected, (name, result["errors"])
        assert set(result["entries"]) == {i["id"] for i in items} - expected
        for text in result["entries"].values():
            assert "p. 106565" not in text and "pp. 106565" not in text
    honmou = rendered["stem-cell-therapy-spinal-cord-injuries-works-cited.json"]["entries"][
        "honmou2021intravenous"]
    if style == "apa":
        assert honmou.endswith("Clinical Neurology and Neurosurgery, 203, Article 106565.")
        own = rendered["stem-cell-therapy-spinal-cord-injuries.json"]["entries"][
            "stem-cell-therapy-spinal-cord-injuries"]
        assert own.startswith("The Open Bench editors. (2026, November 25). Stem Cell Therapy")
        assert "The Open Bench, 1(1), 1. http" in own
    else:
        assert honmou.endswith("Clinical Neurology and Neurosurgery, 203.")
        tazaki = rendered["axolotl-spinal-cord-regeneration-works-cited.json"]["entries"][
            "tazaki2017salamander"]
        assert "pp. 63–71" in tazaki  # real pages are labelled


# -- an article with pages -------------------------------------------------------------------


def paged_entry(pages: tuple[int, int] | None):  # noqa: ANN201
    record = FrontMatter(title="{Yale} Scientists Repair Spinal Cords", column="News Byte",
                         summary="s", date="2027-03-01")
    return records.article_entry(record, journal="The Open Bench", url=f"{SITE_URL}a.html",
                                 issue=(1, 2), pages=pages, byline="The Open Bench editors")


def test_recorded_pages_reach_the_apa_reference_and_every_download(tmp_path: Path) -> None:
    entry = paged_entry((14, 17))
    text = apa(entry)
    assert text == ("The Open Bench editors. (2027, March 1). Yale scientists repair spinal "
                    f"cords. The Open Bench, 1(2), 14–17. {SITE_URL}a.html")
    files = citetools.formats([("a", entry)])
    assert records.classic(entry).fields["pages"] == "14--17"
    assert "The Open Bench, 1(2):14–17, March 2027." in plain(files["bib"])["a"]
    (ris,) = rispy.loads(files["ris"])
    assert (ris["start_page"], ris["end_page"]) == ("14", "17")
    (item,) = json.loads(files["json"])
    assert item["page"] == "14-17" and "number" not in item
    path = tmp_path / "a.json"
    path.write_text(files["json"], encoding="utf-8")
    assert citeproc("apa", path)["entries"]["a"].endswith(f"The Open Bench, 1(2), 14–17. {SITE_URL}a.html")
    assert "pp. 14–17" in citeproc("harvard-cite-them-right", path)["entries"]["a"]


def test_without_pages_nothing_about_pages_appears() -> None:
    entry = paged_entry(None)
    files = citetools.formats([("a", entry)])
    assert "pages" not in entry.fields
    assert "SP  -" not in files["ris"] and '"page"' not in files["json"]
    assert "1(2). http" in apa(entry)
