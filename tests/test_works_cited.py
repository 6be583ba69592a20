"""The Works Cited list and in-text citations in a real build of a copy of the site.

With the house settings the seed article's list must be the seed's three lines, character
for character, in the seed's order, with APA's italics; with APA's own settings the list
is alphabetical and the interview is cited in the text only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from apa_helpers import em_runs
from bs4 import BeautifulSoup
from conftest import ARTICLE, build, copy_project

SEED_LINES = [
    "Bangalore, L. (2021, February 22). Yale scientists repair injured spinal cords using "
    "patients’ own stem cells. YaleNews.",
    "Kocsis, J. (2021, March 30). Personal interview [Personal interview].",
    "Honmou, O., Yamashita, T., Morita, T., Oshigiri, T., Hirota, R., Iyama, S., Kato, J., "
    "Sasaki, Y., Ishiai, S., Ito, Y. M., Namioka, A., Namioka, T., Nakazaki, M., "
    "Kataoka-Sasaki, Y., Onodera, R., Oka, S., Sasaki, M., Waxman, S. G., & Kocsis, J. D. "
    "(2021). Intravenous infusion of auto serum-expanded autologous mesenchymal stem cells in "
    "spinal cord injury patients: 13 case series. Clinical Neurology and Neurosurgery, 203, "
    "106565.",
]
SEED_ITALICS = [
    ["Yale scientists repair injured spinal cords using patients’ own stem cells"],
    [],
    ["Clinical Neurology and Neurosurgery", "203"],
]
APA_SETTINGS = {
    "magazine_bib_order": "alphabetical",
    "magazine_personal_communications": "in-text",
    "magazine_article_number_label": True,
}


def works_cited(html_dir: Path) -> tuple[list[str], list[list[str]], BeautifulSoup]:
    page = BeautifulSoup((html_dir / f"{ARTICLE}.html").read_text(encoding="utf-8"), "html.parser")
    entries = page.select("div.works-cited-entry p")
    texts = [" ".join(p.get_text().split()) for p in entries]
    italics = [em_runs(p.decode_contents()) for p in entries]
    return texts, italics, page


def citations(page: BeautifulSoup) -> list[tuple[str, list[str]]]:
    """Each in-text citation: its text and the anchors it links to."""
    return [
        (" ".join(span.get_text().split()), [a["href"] for a in span.find_all("a")])
        for span in page.select("span.bibtex-citation")
    ]


def test_house_settings_reproduce_the_seed(built_site: Path) -> None:
    texts, italics, page = works_cited(built_site)
    assert texts == SEED_LINES
    assert italics == SEED_ITALICS
    ids = [div["id"] for div in page.select("div.works-cited-entry")]
    assert ids == ["ref-bangalore2021yale", "ref-kocsis2021interview", "ref-honmou2021intravenous"]
    cited = citations(page)
    assert cited[0] == ("(Bangalore, 2021)", ["#ref-bangalore2021yale"])
    assert ("(Honmou et al., 2021)", ["#ref-honmou2021intravenous"]) in cited
    assert ("(Kocsis, 2021)", ["#ref-kocsis2021interview"]) in cited
    for text, links in cited:
        assert links and all(re.fullmatch(r"#ref-[a-z0-9]+", link) for link in links), text


@pytest.fixture(scope="module")
def apa_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    src = copy_project(tmp_path_factory.mktemp("apa") / "src")
    result = build(src, confoverrides=APA_SETTINGS)
    assert result.returncode == 0, result.stderr
    return result.outdir


def test_apa_settings_file_alphabetically_and_cite_the_interview_in_text(apa_site: Path) -> None:
    texts, italics, page = works_cited(apa_site)
    assert texts == [SEED_LINES[0], SEED_LINES[2].replace("203, 106565.", "203, Article 106565.")]
    assert italics == [SEED_ITALICS[0], SEED_ITALICS[2]]
    cited = citations(page)
    interview = ("(J. Kocsis, personal communication, March 30, 2021)", [])
    assert interview in cited
    assert "ref-kocsis2021interview" not in str(page)
    assert all(links for text, links in cited if text != interview[0])


def test_bad_entries_warn_with_key_and_line_and_never_raise(tmp_path: Path) -> None:
    src = copy_project(tmp_path / "src")
    bib = src / "references.bib"
    bib.write_text(
        bib.read_text(encoding="utf-8")
        + "\n@podcast{smith2020episode,\n  author = {Smith, Jo},\n  title = {An Episode},\n"
        "  publisher = {A Host},\n  year = {2020},\n}\n"
        "\n@article{doe2019broken,\n  author = {Doe, J. and and},\n  title = {Broken {Braces,\n}\n",
        encoding="utf-8",
    )
    line = bib.read_text(encoding="utf-8").splitlines().index("@podcast{smith2020episode,") + 1
    article = src / f"{ARTICLE}.md"
    article.write_text(
        article.read_text(encoding="utf-8")
        + "\nA podcast {cite:p}`smith2020episode`, a page {cite:p}`{see}honmou2021intravenous{p. 3}`.\n",
        encoding="utf-8",
    )
    result = build(src)
    assert "Traceback" not in result.stderr
    assert f"references.bib:{line}: WARNING: 'smith2020episode' has the entry type @podcast" in (
        result.stderr
    )
    assert "[magazine.bibliography]" in result.stderr
    texts, _, page = works_cited(src / "_build" / "html")
    assert "Smith, J. (2020). An episode. A Host." in texts
    # sphinxcontrib-bibtex: {pre}key{post}; the post-text is the locator
    assert ("(see Honmou et al., 2021, p. 3)", ["#ref-honmou2021intravenous"]) in citations(page)
