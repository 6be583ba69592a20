"""The APA 7 style, rule by rule and entry type by entry type, without a site build.

Mostly cases the oracle does not hold; the expected strings follow the Publication Manual
(section numbers in the comments) and, where it is silent, pandoc's citeproc with apa.csl.
"""

from __future__ import annotations

import re

import pytest
from apa_helpers import Formatted, em_runs

from magazine.bibstyle.cli import main, reference_list
from magazine.bibstyle.settings import APA, ApaSettings

HOUSE = ApaSettings("citation", "listed", article_number_label=False)


def one(bib: str, settings: ApaSettings = APA) -> str:
    (text,) = Formatted(bib, settings).text()
    return text


def names(count: int) -> str:
    return " and ".join(f"Author{chr(65 + i // 26)}{chr(65 + i % 26)}, Ann" for i in range(count))


# -- names (APA 9.8-9.12) --------------------------------------------------------------------


def test_twenty_authors_are_all_listed() -> None:
    text = one(f"@article{{k, author={{{names(20)}}}, title={{T}}, journaltitle={{J}}, year={{2020}}}}")
    assert text.startswith("AuthorAA, A., AuthorAB, A., ")
    assert "AuthorAS, A., & AuthorAT, A. (2020)." in text
    assert "\u2026" not in text


def test_twenty_one_or_more_authors_give_nineteen_an_ellipsis_and_the_last() -> None:
    text = one(f"@article{{k, author={{{names(25)}}}, title={{T}}, journaltitle={{J}}, year={{2020}}}}")
    assert "AuthorAS, A., \u2026 AuthorAY, A. (2020)." in text  # 19th, ellipsis, 25th
    assert "AuthorAT" not in text


@pytest.mark.parametrize(
    ("author", "options", "expected"),
    [
        ("Li, Li-Jia", "", "Li, L.-J. (2009)."),
        ("Cherry, J. Michael", "", "Cherry, J. M. (2009)."),
        ("Brooks, Jr., Frederick P.", "", "Brooks, F. P., Jr. (2009)."),
        ("van Rossum, Guido", "useprefix=true", "van Rossum, G. (2009)."),
        ("van Rossum, Guido", "", "Rossum, G. van. (2009)."),
        ("{World Bank}", "", "World Bank. (2009)."),
        ("Erd{\\H{o}}s, Paul and R{\\'e}nyi, Alfr{\\'e}d", "", "Erdős, P., & Rényi, A. (2009)."),
        ("O'Brien, Mary", "", "O\u2019Brien, M. (2009)."),
    ],
)
def test_names(author: str, options: str, expected: str) -> None:
    bib = f"@book{{k, author={{{author}}}, title={{T}}, publisher={{P}}, year={{2009}}, options={{{options}}}}}"
    assert one(bib).startswith(expected)


# -- dates and year suffixes (APA 9.14-9.17, 9.47) -------------------------------------------


def test_year_suffixes_follow_the_list_and_need_the_same_authors() -> None:
    bib = """
    @book{b, author={Smith, Jane}, title={Beta}, publisher={P}, year={2021}}
    @book{a, author={Smith, Jane}, title={The Alpha}, publisher={P}, year={2021}}
    @book{c, author={Smith, Jane and Doe, John}, title={Gamma}, publisher={P}, year={2021}}
    @online{n1, author={Smith, Jane}, title={Undated one}, url={https://example.org/1}}
    @online{n2, author={Smith, Jane}, title={Undated two}, url={https://example.org/2}}
    """
    assert Formatted(bib).text() == [
        "Smith, J. (n.d.-a). Undated one. https://example.org/1",
        "Smith, J. (n.d.-b). Undated two. https://example.org/2",
        "Smith, J. (2021a). The alpha. P.",
        "Smith, J. (2021b). Beta. P.",
        "Smith, J., & Doe, J. (2021). Gamma. P.",
    ]


def test_day_level_dates_for_newspapers_but_years_for_journals() -> None:
    news = "@article{k, author={A, B}, title={T}, journaltitle={The Times}, entrysubtype={newspaper}, date={2020-05-06/2020-05-08}, pages={A1}}"
    journal = "@article{k, author={A, B}, title={T}, journaltitle={J}, date={2020-05-06}, volume={1}}"
    assert one(news) == "A, B. (2020, May 6\u20138). T. The Times, A1."
    assert one(journal) == "A, B. (2020). T. J, 1."


@pytest.mark.parametrize(
    ("fields", "end"),
    [
        ("urldate={2026-11-25}", "NobelPrize.org. Retrieved November 25, 2026, from https://example.org/"),
        ("urldate={2026-11-25}, date={2016-10-13}", "NobelPrize.org. https://example.org/"),
        ("", "NobelPrize.org. https://example.org/"),
    ],
)
def test_retrieval_date_only_for_undated_pages(fields: str, end: str) -> None:
    bib = f"@online{{k, title={{The Page}}, journaltitle={{NobelPrize.org}}, url={{https://example.org/}}, {fields}}}"
    assert one(bib).endswith(end)


# -- titles (APA 6.17, 9.19) -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "langid", "expected"),
    [
        ("Power Failure: Why Small Samples Fail", "", "Power failure: Why small samples fail"),
        ("Are Voices Harder? Effects of Gender", "", "Are voices harder? Effects of gender"),
        ("{PEP} 8 -- A Style Guide", "", "PEP 8 \u2013 A style guide"),
        ("What Do I Know About {DNA} and NASA", "", "What do I know about DNA and NASA"),
        ("Face--Voice Gender Incongruency", "", "Face\u2013voice gender incongruency"),
        ("Study of {\\'E}tudes", "", "Study of études"),
        ("{\\\"U}ber den Inhalt der Kinematik", "german", "Über den Inhalt der Kinematik"),
        ("Cien A{\\~n}os de Soledad", "spanish", "Cien Años de Soledad"),
    ],
)
def test_sentence_case(title: str, langid: str, expected: str) -> None:
    bib = f"@book{{k, author={{A, B}}, title={{{title}}}, publisher={{P}}, year={{2000}}, langid={{{langid}}}}}"
    assert one(bib) == f"A, B. (2000). {expected}. P."


# -- entry types -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bib", "expected"),
    [
        ("@book{k, author={Piaget, Jean}, title={The Origins}, translator={Cook, Margaret}, edition={2}, publisher={P}, year={1952}, origdate={1936}}",
         "Piaget, J. (1952). The origins (M. Cook, Trans.; 2nd ed.). P. (Original work published 1936)"),
        ("@collection{k, editor={Doe, Jane}, title={Coll}, edition={3}, publisher={P}, year={2007}}",
         "Doe, J. (Ed.). (2007). Coll (3rd ed.). P."),
        ("@inbook{k, author={Smith, Jo}, title={Part}, booktitle={The Big Book}, editor={Edi, Tor}, edition={3}, volume={2}, pages={5--9}, publisher={P}, year={2020}}",
         "Smith, J. (2020). Part. In T. Edi (Ed.), The big book (3rd ed., Vol. 2, pp. 5\u20139). P."),
        ("@incollection{k, author={Smith, Jo}, title={Chapter}, booktitle={Book}, pages={45}, publisher={P}, year={2006}}",
         "Smith, J. (2006). Chapter. In Book (p. 45). P."),
        ("@inproceedings{k, author={Smith, Jo}, title={Paper}, booktitle={Proceedings of Things}, editor={Edi, Tor and Other, Anne and Third, T.}, pages={1--10}, publisher={P}, year={2020}}",
         # the conference's name is a proper noun, also in the sentence case of a book title
         "Smith, J. (2020). Paper. In T. Edi, A. Other, & T. Third (Eds.), Proceedings of Things (pp. 1\u201310). P."),
        ("@report{k, author={Smith, Jo}, title={Report}, number={42}, institution={Inst}, year={2019}}",
         "Smith, J. (2019). Report (No. 42). Inst."),
        ("@report{k, author={{Agency}}, title={Report}, type={Technical report}, institution={Agency}, year={2019}}",
         "Agency. (2019). Report [Technical report]."),
        ("@thesis{k, author={Smith, Jo}, title={Thesis}, type={phdthesis}, institution={Uni}, year={2020}}",
         "Smith, J. (2020). Thesis [Unpublished doctoral dissertation]. Uni."),
        ("@phdthesis{k, author={Smith, Jo}, title={Thesis}, school={Uni}, year={2020}, url={https://example.org/t}}",
         "Smith, J. (2020). Thesis [Doctoral dissertation, Uni]. https://example.org/t"),
        ("@dataset{k, author={Smith, Jo}, title={Data}, version={1.2}, publisher={Zenodo}, year={2020}, doi={10.5281/zenodo.1}}",
         "Smith, J. (2020). Data (Version 1.2) [Data set]. Zenodo. https://doi.org/10.5281/zenodo.1"),
        ("@software{k, author={Smith, Jo}, title={tool}, version={1.0}, publisher={GitHub}, year={2020}, url={https://github.com/x/y}}",
         "Smith, J. (2020). Tool (Version 1.0) [Computer software]. GitHub. https://github.com/x/y"),
        ("@movie{k, author={Nolan, Christopher}, title={Inception}, publisher={Warner Bros.}, year={2010}}",
         "Nolan, C. (2010). Inception [Film]. Warner Bros."),
        ("@audio{k, author={Smith, Jo}, title={Song}, publisher={Label}, date={2020-02-03}}",
         "Smith, J. (2020, February 3). Song [Audio recording]. Label."),
        ("@video{k, author={{Channel}}, title={My Video}, publisher={YouTube}, date={2020-02-03}, url={https://youtube.com/x}}",
         "Channel. (2020, February 3). My video [Video]. YouTube. https://youtube.com/x"),
        ("@online{k, author={{Org}}, title={Page}, organization={Org}, date={2020-05}, url={https://x.org/g}}",
         "Org. (2020, May). Page. https://x.org/g"),
        ("@article{k, title={Anonymous Article Title}, journaltitle={J}, volume={3}, pages={1--2}, date={2020}}",
         "Anonymous article title. (2020). J, 3, 1\u20132."),
        ("@misc{k, author={Smith, Jo}, title={Preprint}, howpublished={arXiv}, number={arXiv:1710.10903}, year={2017}, doi={doi:10.48550/arXiv.1710.10903}}",
         "Smith, J. (2017). Preprint (arXiv:1710.10903). arXiv. https://doi.org/10.48550/arXiv.1710.10903"),
        ("@article{k, author={Smith, Jo}, title={In Press}, journaltitle={J}, pubstate={inpress}}",
         "Smith, J. (in press). In press. J."),
    ],
)
def test_entry_types(bib: str, expected: str) -> None:
    assert one(bib) == expected


def test_italics_where_apa_puts_them() -> None:
    journal = Formatted("@article{k, author={A, B}, title={T}, journaltitle={J}, volume={1}, number={2}, pages={3}, year={2000}}")
    book = Formatted("@book{k, author={A, B}, title={Book: A Subtitle}, type={A translation}, publisher={P}, year={2000}}")
    assert em_runs(journal.html()[0]) == ["J", "1"]
    assert em_runs(book.html()[0]) == ["Book: A subtitle"]


@pytest.mark.parametrize(("settings", "number"), [(APA, "Article 106565"), (HOUSE, "106565")])
def test_article_number_with_or_without_label(settings: ApaSettings, number: str) -> None:
    bib = "@article{k, author={A, B}, title={T}, journaltitle={J}, volume={203}, eid={106565}, year={2021}}"
    assert one(bib, settings) == f"A, B. (2021). T. J, 203, {number}."


# -- order (APA 9.44-9.49) -------------------------------------------------------------------


def test_alphabetical_order_and_title_led_entries() -> None:
    bib = """
    @book{browning, author={Browning, Ann}, title={X}, publisher={P}, year={2000}}
    @online{nobel, title={The Nobel Prize}, journaltitle={Site}, url={https://x.org/}}
    @book{brown, author={Brown, Jack}, title={Y}, publisher={P}, year={2000}}
    @book{two, author={Brown, Jack and Adams, Zoe}, title={Z}, publisher={P}, year={1990}}
    @book{zed, author={Zed, Zack}, title={W}, publisher={P}, year={2000}}
    """
    keys = [e.key for e in Formatted(bib).entries]
    assert keys == ["brown", "two", "browning", "nobel", "zed"]
    assert [e.key for e in Formatted(bib, HOUSE).entries] == [
        "browning", "nobel", "brown", "two", "zed"
    ]


# -- personal communications (APA 8.9) -------------------------------------------------------

LETTER = "@letter{kocsis, author={Kocsis, J.}, title={Personal interview}, type={Personal interview}, date={2021-03-30}}"


def test_personal_communications_are_cited_in_text_only() -> None:
    formatted = Formatted(LETTER)
    assert formatted.text() == []
    assert formatted.cite("p", [("kocsis", "", "")]) == "(J. Kocsis, personal communication, March 30, 2021)"
    assert formatted.cite("t", [("kocsis", "", "")]) == "J. Kocsis (personal communication, March 30, 2021)"


def test_house_settings_list_personal_communications() -> None:
    formatted = Formatted(LETTER, HOUSE)
    assert formatted.text() == ["Kocsis, J. (2021, March 30). Personal interview [Personal interview]."]
    assert formatted.cite("p", [("kocsis", "", "")]) == "(Kocsis, 2021)"


def test_a_letter_that_can_be_retrieved_is_listed() -> None:
    bib = LETTER.replace("}}", "}, url={https://archive.example.org/letter}}")
    assert len(Formatted(bib).entries) == 1


# -- in-text citations (APA 8.10-8.22) -------------------------------------------------------

WORKS = """
@book{vn, author={von Neumann, John and Morgenstern, Oskar}, title={Theory}, publisher={P}, year={1944}, options={useprefix=true}}
@article{anon, title={Anonymous Article Title}, journaltitle={J}, year={2020}}
@online{page, title={A Page Title}, journaltitle={Site}, url={https://x.org/}}
@article{e1, author={Einstein, Albert}, title={On a Heuristic Point of View}, journaltitle={Annalen der Physik}, year={1905}}
@article{e2, author={Einstein, Albert}, title={Does the Inertia}, journaltitle={Annalen der Physik}, year={1905}}
"""


@pytest.mark.parametrize(
    ("role", "targets", "expected"),
    [
        ("ct", [("vn", "", "")], "Von Neumann and Morgenstern (1944)"),
        ("p", [("anon", "", "")], "(\u201cAnonymous Article Title,\u201d 2020)"),
        ("t", [("anon", "", "")], "\u201cAnonymous Article Title\u201d (2020)"),
        ("p", [("page", "", "")], "(A Page Title, n.d.)"),
        ("p", [("e1", "", ""), ("e2", "", "")], "(Einstein, 1905a, 1905b)"),
        # "Does the inertia" (e2) files before "On a heuristic" (e1): e2 is 1905a
        ("p", [("e1", "", "p. 3"), ("e2", "", "pp. 5-7")], "(Einstein, 1905a, pp. 5\u20137; 1905b, p. 3)"),
        ("t", [("e1", "", ""), ("vn", "", "")], "Einstein (1905b) and von Neumann and Morgenstern (1944)"),
        ("ps", [("vn", "see", "")], "(see von Neumann & Morgenstern, 1944)"),
        ("yearpar", [("e1", "", "")], "(1905b)"),
    ],
)
def test_in_text(role: str, targets: list, expected: str) -> None:
    assert Formatted(WORKS).cite(role, targets) == expected


# -- bad input -------------------------------------------------------------------------------

BAD = """
@article{nojournal, author={Smith, Jo}, title={An Article}, year={2020}}
@podcast{strange, author={Smith, Jo}, title={Episode}, publisher={Host}, year={2020}}
@book{toomany, author={A, B, C, D}, title={Names}, publisher={P}, year={2020}}
@book{baddate, author={Doe, J.}, title={Dates}, publisher={P}, date={sometime}, month={13}}
@book{broken, author={Doe, J., title={Unclosed}, year={2020}}
@book{fine, author={Fine, F.}, title={Fine}, publisher={P}, year={2020}}
"""


def test_bad_input_warns_and_never_raises() -> None:
    entries, warnings = reference_list(BAD, APA, name="bad.bib")
    text = "\n".join(warnings)
    assert "strange" in text and "@podcast" in text and "Use one of" in text
    assert "nojournal" in text and "journaltitle" in text
    assert "Smith, J. (2020b). Episode. Host." in entries  # 2020a: the article
    assert any(entry.startswith("Fine, F. (2020).") for entry in entries)


def test_command_line(tmp_path, capsys) -> None:  # noqa: ANN001
    bib = tmp_path / "new.bib"
    bib.write_text(WORKS + BAD, encoding="utf-8")
    assert main([str(bib), "--format", "html"]) == 1  # the file has errors
    out, err = capsys.readouterr()
    paragraphs = out.strip().split("\n\n")
    assert "<em>Annalen der Physik</em>" in out
    assert all("\n" not in p for p in paragraphs)
    assert f"{bib}:" in err and "strange" in err
    assert main([str(tmp_path / "missing.bib")]) == 2


def test_conf_py_may_choose_other_styles_and_is_told(tmp_path) -> None:  # noqa: ANN001
    from conftest import build, copy_project

    src = copy_project(tmp_path / "src")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write('\nbibtex_reference_style = "author_year"\n')
    result = build(src, nitpicky=False)
    assert "conf.py sets bibtex_reference_style = 'author_year'" in result.stdout
    page = (result.outdir / "articles" / "stem-cell-therapy-spinal-cord-injuries.html").read_text(
        encoding="utf-8")
    assert "[Bangalore" in re.sub(r"<[^>]+>", "", page), result.stderr  # the library's style
