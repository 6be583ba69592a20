"""In-text citations that tell the works of one list apart (APA 8.18, 8.20): on the style's
own list and in a built article, where the Works Cited list is the article's."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup
from conftest import ARTICLE, build, copy_project
from pybtex.database import parse_string

from magazine.bibstyle.apa7 import Apa7Style
from magazine.bibstyle.disambiguation import USUAL
from magazine.bibstyle.intext import make_work
from magazine.bibstyle.settings import APA

WORKS = r"""
@article{kapoor2017one, author={Kapoor, A. and Bloom, B. and Montez, C. and Warner, D. and Hill, E.},
  title={One}, journal={J}, year=2017}
@article{kapoor2017two, author={Kapoor, A. and Bloom, B. and Zucker, F. and Tang, G. and Daly, H.},
  title={Two}, journal={J}, year=2017}
@article{taylor2015three, author={Taylor, J. M. and Neimeyer, R.}, title={Three}, journal={J}, year=2015}
@article{taylor2014four, author={Taylor, T.}, title={Four}, journal={J}, year=2014}
@article{smith2010five, author={Smith, A. and Jones, B. and Lee, C.}, title={Five}, journal={J}, year=2010}
@article{smith2010six, author={Smith, A. and Jones, B. and Park, D.}, title={Six}, journal={J}, year=2010}
@article{doe2020seven, author={Doe, A. and Roe, B. and Poe, C.}, title={Seven}, journal={J}, year=2020}
@article{doe2020eight, author={Doe, A. and Roe, B. and Poe, C.}, title={Eight}, journal={J}, year=2020}
@article{doe2021nine, author={Doe, A. and Zed, B. and Poe, C.}, title={Nine}, journal={J}, year=2021}
"""

EXPECTED = {  # key: (parenthetical names and year, narrative names)
    "kapoor2017one": ("Kapoor, Bloom, Montez, et al., 2017", "Kapoor, Bloom, Montez, et al."),
    "kapoor2017two": ("Kapoor, Bloom, Zucker, et al., 2017", "Kapoor, Bloom, Zucker, et al."),
    "taylor2015three": ("J. M. Taylor & Neimeyer, 2015", "J. M. Taylor and Neimeyer"),
    "taylor2014four": ("T. Taylor, 2014", "T. Taylor"),
    # only the last author differs: "et al." cannot stand for one name, so all are written
    "smith2010five": ("Smith, Jones, & Lee, 2010", "Smith, Jones, and Lee"),
    "smith2010six": ("Smith, Jones, & Park, 2010", "Smith, Jones, and Park"),
    # the same authors: the year suffixes tell the works apart; another year: no collision
    "doe2020seven": ("Doe et al., 2020b", "Doe et al."),
    "doe2020eight": ("Doe et al., 2020a", "Doe et al."),
    "doe2021nine": ("Doe et al., 2021", "Doe et al."),
}


def test_the_list_decides_how_each_work_is_named_in_text() -> None:
    data = parse_string(WORKS, "bibtex")
    for formatted in Apa7Style(APA).format_entries(data.entries.values()):
        work = make_work(data.entries[formatted.key], formatted.label, None, APA,
                         form=getattr(formatted, "cite_form", USUAL))
        parenthetical, narrative = EXPECTED[formatted.key]
        assert f"{work.names}, {work.year}" == parenthetical, formatted.key
        assert str(work.names_narrative) == narrative, formatted.key


def test_a_built_article_names_its_works_apart(tmp_path) -> None:  # noqa: ANN001
    src = copy_project(tmp_path / "src")
    with (src / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(WORKS)
    article = src / f"{ARTICLE}.md"
    keys = ",".join(EXPECTED)
    article.write_text(article.read_text(encoding="utf-8")
                       + f"\nMore work followed {{cite:p}}`{keys}`.\n", encoding="utf-8")
    result = build(src)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((result.outdir / f"{ARTICLE}.html").read_text(encoding="utf-8"),
                         "html.parser")
    text = " ".join(page.get_text(" ").split())
    text = re.sub(r"\s+([,;)])", r"\1", text).replace("( ", "(")
    for key, (parenthetical, _) in EXPECTED.items():
        if not key.startswith("doe2020"):  # the house order is first citation: see below
            assert parenthetical in text, parenthetical
    assert "Doe et al., 2020a, 2020b" in text  # one author group, suffixes in list order
    # in this list neither Kapoor work may be cited in the form the two share
    assert "Kapoor et al." not in text


GROUP = r"""
@report{nimh2020, author={{National Institute of Mental Health}}, shortauthor={NIMH},
  title={Depression}, institution={National Institute of Mental Health}, year=2020}
"""


def _body_with(tmp_path, bib: str, text: str) -> tuple[str, BeautifulSoup]:  # noqa: ANN001
    """The article's text, built with ``bib`` added and ``text`` appended, spaces before
    punctuation closed up."""
    src = copy_project(tmp_path / "src")
    with (src / "references.bib").open("a", encoding="utf-8") as handle:
        handle.write(bib)
    article = src / f"{ARTICLE}.md"
    article.write_text(article.read_text(encoding="utf-8") + text, encoding="utf-8")
    result = build(src)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((result.outdir / f"{ARTICLE}.html").read_text(encoding="utf-8"),
                         "html.parser")
    body = " ".join(page.select_one("article").get_text(" ").split())
    return re.sub(r"\s+([,;).])", r"\1", body).replace("( ", "("), page


def test_a_group_abbreviation_is_given_at_the_first_citation_only(tmp_path) -> None:  # noqa: ANN001
    body, page = _body_with(
        tmp_path, GROUP,
        "\nDepression is common {cite:p}`nimh2020`. It is treatable {cite:p}`nimh2020`."
        "\n\nAs {cite:t}`nimh2020` reports, and {cite:t}`nimh2020` repeats.\n")
    assert "common (National Institute of Mental Health [NIMH], 2020)." in body, body
    assert "treatable (NIMH, 2020)." in body
    assert "As NIMH (2020) reports, and NIMH (2020) repeats." in body
    works_cited = page.select_one("#ref-nimh2020").get_text(" ", strip=True)
    assert works_cited.startswith("National Institute of Mental Health. (2020).")


def test_a_narrative_first_citation_gives_the_abbreviation_with_the_year(tmp_path) -> None:  # noqa: ANN001
    body, _ = _body_with(
        tmp_path, GROUP, "\n{cite:t}`nimh2020` reports it; it is common {cite:p}`nimh2020`.\n")
    assert "National Institute of Mental Health (NIMH, 2020) reports it; it is common " \
        "(NIMH, 2020)." in body
