"""The pull-request gate: a corpus of contributors' mistakes, each caught with a located,
actionable message, and none of them able to damage the published edition."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, copy_project

BIB = "references.bib"
ART = f"{ARTICLE}.md"
BIB_TEXT = (ROOT / BIB).read_text(encoding="utf-8")
ART_TEXT = (ROOT / ART).read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def bib_at(needle: str) -> str:
    return f"{BIB}:{line_of(BIB_TEXT, needle)}"


def art_at(needle: str) -> str:
    return f"{ART}:{line_of(ART_TEXT, needle)}"


def appended_at(text: str) -> int:
    """The line where text appended by ``append`` (after a blank line) begins."""
    return text.rstrip("\n").count("\n") + 3


JOURNAL_LINE = next(line for line in BIB_TEXT.splitlines(True) if "Neurosurgery}" in line)


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and where and how the gate must report it."""

    id: str
    edits: tuple[tuple[str, str, str], ...]  # (file, old text or "" to append, new text)
    where: str  # "path:line" the message must name
    hint: str  # words of the fix the message must give
    args: tuple[str, ...] = field(default=())


def replace(path: str, old: str, new: str) -> tuple[str, str, str]:
    return (path, old, new)


def append(path: str, text: str) -> tuple[str, str, str]:
    return (path, "", text)


def front(old: str, new: str) -> tuple[str, str, str]:
    return replace(ART, old, new)


NEW = appended_at(ART_TEXT)


def body(text: str) -> tuple[str, str, str]:
    return append(ART, "\n" + text + "\n")


EXTRA_ENTRY = "@misc{{{key},\n  title = {{{title}}},\n  year  = {{2020}},{extra}\n}}\n"


def entry(key: str, title: str = "A work", extra: str = "") -> tuple[str, str, str]:
    return append(BIB, "\n" + EXTRA_ENTRY.format(key=key, title=title, extra=extra))


BIB_NEW = appended_at(BIB_TEXT)

CASES = [
    # -- the bibliography file ---------------------------------------------------------------
    Case("bib-unclosed-brace", (replace(BIB, "title  = {Personal interview},",
                                        "title  = {Personal interview,"),),
         bib_at("title  = {Personal"), "never closed"),
    Case("bib-missing-comma", (replace(BIB, "title  = {Personal interview},",
                                       "title  = {Personal interview}"),),
         bib_at("title  = {Personal"), "comma is missing"),
    Case("bib-unterminated-quote", (replace(BIB, "title  = {Personal interview},",
                                            'title  = "Personal interview,'),),
         bib_at("title  = {Personal"), "never closed"),
    Case("bib-field-without-value", (replace(BIB, "title  = {Personal interview},",
                                             "title  = ,"),),
         bib_at("title  = {Personal"), "has no value"),
    Case("bib-entry-without-key", (replace(BIB, "@letter{kocsis2021interview,", "@letter{,"),),
         bib_at("@letter{kocsis"), "has no key"),
    Case("bib-duplicate-key", (entry("bangalore2021yale", "Another work"),),
         f"{BIB}:{BIB_NEW}", "used twice"),
    Case("bib-duplicate-key-other-case", (entry("Bangalore2021Yale", "Another work"),),
         f"{BIB}:{BIB_NEW}", "used twice"),
    Case("bib-duplicate-doi", (
        replace(BIB, "  year         = {2021},\n}", "  year         = {2021},\n"
                "  doi          = {10.1016/j.clineuro.2021.106565},\n}"),
        entry("other2020work", extra="\n  doi   = {10.1016/J.CLINEURO.2021.106565},")),
        f"{BIB}:{BIB_NEW + 4}", "same DOI"),
    Case("bib-same-title-and-year", (entry("honmou2021again", "Intravenous infusion of auto "
                                           "serum-expanded autologous mesenchymal stem cells in "
                                           "spinal cord injury patients: 13 case series",
                                           "\n  date  = {2021-05-01},"),),
         f"{BIB}:{BIB_NEW}", "same title and year"),
    Case("bib-missing-journal", (replace(BIB, JOURNAL_LINE, ""),),
         bib_at("@article{honmou"), "needs 'journaltitle' or 'journal'"),
    Case("bib-letter-without-date", (replace(BIB, "  date   = {2021-03-30},\n", ""),),
         bib_at("@letter{kocsis"), "needs 'date' or 'year'"),
    Case("bib-impossible-date", (replace(BIB, "date         = {2021-02-22}",
                                         "date         = {2021-02-30}"),),
         bib_at("date         = {2021-02-22}"), "YYYY-MM-DD"),
    Case("bib-date-in-words", (replace(BIB, "date         = {2021-02-22}",
                                       "date         = {February 22, 2021}"),),
         bib_at("date         = {2021-02-22}"), "YYYY-MM-DD"),
    Case("bib-year-not-a-year", (replace(BIB, "year         = {2021}", "year         = {21}"),),
         bib_at("year         = {2021}"), "four digits"),
    Case("bib-doi-not-a-doi", (replace(BIB, "  year         = {2021},\n}",
                                       "  year         = {2021},\n  doi = {11.1016/x},\n}"),),
         f"{BIB}:{line_of(BIB_TEXT, 'year         = {2021}') + 1}", "10.NNNN/suffix"),
    Case("bib-doi-as-link", (replace(BIB, "  year         = {2021},\n}",
                                     "  year         = {2021},\n  doi = {https://doi.org/10.1016/x},\n}"),),
         f"{BIB}:{line_of(BIB_TEXT, 'year         = {2021}') + 1}", "without 'https://doi.org/'"),
    Case("bib-url-ftp", (replace(BIB, "  date         = {2021-02-22},",
                                 "  date         = {2021-02-22},\n  url = {ftp://news.yale.edu/x},"),),
         f"{BIB}:{line_of(BIB_TEXT, '2021-02-22') + 1}", "https://"),
    Case("bib-url-javascript", (replace(BIB, "  date         = {2021-02-22},",
                                        "  date         = {2021-02-22},\n  url = {javascript:alert(1)},"),),
         f"{BIB}:{line_of(BIB_TEXT, '2021-02-22') + 1}", "https://"),
    Case("bib-uncited-entry-strict", (entry("unused2020work"),),
          f"{BIB}:{BIB_NEW}", "no article cites", ("--strict",)),
    # -- citations ---------------------------------------------------------------------------
    Case("cite-unknown-key", (replace(ART, "{cite:p}`honmou2021intravenous`. Researchers",
                                      "{cite:p}`honmou2021intravenus`. Researchers"),),
         art_at("Following the cells"), "did you mean 'honmou2021intravenous'"),
    Case("cite-key-wrong-case", (replace(ART, "{cite:p}`honmou2021intravenous`. Researchers",
                                         "{cite:p}`Honmou2021intravenous`. Researchers"),),
         art_at("Following the cells"), "case-sensitive"),
    Case("cite-own-bibliography", (body("## References\n\n```{bibliography}\n```"),),
         f"{ART}:{NEW + 2}", "automatically"),
    # -- front matter ------------------------------------------------------------------------
    Case("fm-unknown-field", (front("column: News Byte", "colum: News Byte"),),
         art_at("column:"), "did you mean 'column'"),
    Case("fm-missing-title", (front("title: Stem Cell Therapy for Spinal Cord Injuries\n", ""),),
         f"{ART}:2", "needs 'title:'"),
    Case("fm-missing-summary", (front("summary: >-", "abstract: >-"),),
         art_at("summary:"), "unknown front matter field 'abstract'"),
    Case("fm-date-not-iso", (front("column: News Byte", "column: News Byte\ndate: 22/02/2021"),),
         f"{ART}:{line_of(ART_TEXT, 'column:') + 1}", "YYYY-MM-DD"),
    Case("fm-image-without-alt", (front("  alt: >-\n    Illustration of a spinal column in "
                                        "profile, with a glowing section of spinal cord\n    "
                                        "surrounded by small round stem cells drifting in from "
                                        "a blood vessel.\n", ""),),
         art_at("image:"), "needs 'alt:'"),
    Case("fm-image-without-credit", (front("  credit: Illustration made for The Open Bench, "
                                           "CC BY 4.0.\n", ""),),
         art_at("image:"), "needs 'credit:'"),
    Case("fm-licence-not-spdx", (front("column: News Byte", "column: News Byte\nlicense: CC-BY"),),
         f"{ART}:{line_of(ART_TEXT, 'column:') + 1}", "SPDX"),
    Case("fm-orcid-bad-checksum", (front("column: News Byte", "column: News Byte\nauthors:\n"
                                         "  - name: Ada Lovelace\n    orcid: 0000-0002-1825-0098"),),
         f"{ART}:{line_of(ART_TEXT, 'column:') + 3}", "ORCID"),
    Case("fm-invalid-yaml", (front("column: News Byte", "column: News Byte: Extra: [oops"),),
         art_at("column:"), "YAML"),
    Case("fm-template-summary", (front("summary: >-", "summary: Replace this with one sentence "
                                       "on what the article reports.\nsummery: >-"),),
         art_at("summary:"), "replace the template"),
    # -- links and images --------------------------------------------------------------------
    Case("link-to-missing-page", (body("See [the other article](other-article.md)."),),
         f"{ART}:{NEW}", "other-article"),
    Case("image-missing-file", (body("![A diagram](/_static/images/missing.png)"),),
         f"{ART}:{NEW}", "missing.png"),
    Case("lead-image-missing-file", (front("src: /_static/images/spinal-cord-stem-cells.svg",
                                           "src: /_static/images/lead.svg"),),
         art_at("src:"), "lead.svg"),
    # -- unsafe content ----------------------------------------------------------------------
    Case("html-block", (body("<script>alert('x')</script>"),), f"{ART}:{NEW}", "raw HTML"),
    Case("html-inline", (body('Text with <span onclick="steal()">inline HTML</span>.'),),
         f"{ART}:{NEW}", "raw HTML"),
    Case("raw-directive", (body("```{raw} html\n<b>bold</b>\n```"),), f"{ART}:{NEW}",
         "raw directive"),
    Case("eval-rst", (body("```{eval-rst}\n.. note:: rST\n```"),), f"{ART}:{NEW}", "eval-rst"),
    Case("include-outside", (body("```{literalinclude} ../../../../etc/hostname\n```"),),
         f"{ART}:{NEW}", "files of this project"),
    Case("link-javascript", (body("[click](javascript:alert(1))"),), f"{ART}:{NEW}",
         "'javascript:'"),
    Case("link-data", (body("[click](data:text/html;base64,PGI+)"),), f"{ART}:{NEW}", "'data:'"),
    Case("image-data", (body("![pixel](data:image/png;base64,iVBORw0KGgo=)"),), f"{ART}:{NEW}",
         "an image from a 'data:' address"),
    Case("link-vbscript", (body("<vbscript:msgbox>"),), f"{ART}:{NEW}", "'vbscript:'"),
]


def apply(project: Path, case: Case) -> None:
    for name, old, new in case.edits:
        path = project / name
        text = path.read_text(encoding="utf-8")
        if old:
            assert text.count(old) == 1, f"{case.id}: the text to replace is not in {name}"
            text = text.replace(old, new)
        else:
            text = text.rstrip("\n") + "\n" + new
        path.write_text(text, encoding="utf-8")


def run_module(project: Path, module: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(project / "_ext")}
    return subprocess.run([sys.executable, "-m", module, *args], cwd=project, env=env,
                          capture_output=True, text=True, check=False)


def tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with both editions published by `make publish`'s script."""
    project = copy_project(tmp_path_factory.mktemp("published") / "src")
    result = run_module(project, "magazine.publish")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


@pytest.fixture(scope="module")
def gate_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[int, str]]:
    """Every case through `make check`, two at a time."""
    base = tmp_path_factory.mktemp("gate")

    def run(case: Case) -> tuple[str, tuple[int, str]]:
        project = copy_project(base / case.id)
        apply(project, case)
        result = run_module(project, "magazine.check", *case.args)
        return case.id, (result.returncode, result.stdout + result.stderr)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, CASES))


def test_the_corpus_has_at_least_30_bad_inputs() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_gate_reports_the_mistake_where_it_is(
    case: Case, gate_results: dict[str, tuple[int, str]]
) -> None:
    status, output = gate_results[case.id]
    assert status != 0, output
    located = [line for line in output.splitlines() if line.startswith(case.where + ":")]
    assert located, f"no message at {case.where}:\n{output}"
    assert any(case.hint in line for line in located), output
    assert "Traceback" not in output


def test_the_real_magazine_passes_the_gate(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    result = run_module(project, "magazine.check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed" in result.stdout


def test_uncited_entry_is_only_a_warning_without_strict(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    apply(project, Case("uncited", (entry("unused2020work"),), "", ""))
    result = run_module(project, "magazine.check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{BIB}:{BIB_NEW}: warning: no article cites 'unused2020work'" in result.stdout


def test_quick_check_reads_bib_and_front_matter_without_a_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    apply(project, CASES[0])
    apply(project, next(c for c in CASES if c.id == "fm-unknown-field"))
    result = run_module(project, "magazine.check", "--quick")
    assert result.returncode == 1
    assert f"{bib_at('title  = {Personal')}: error:" in result.stdout
    assert f"{art_at('column:')}: error: unknown front matter field 'colum'" in result.stdout
    assert not (project / "_build").exists()


def test_a_duplicate_key_never_drops_the_entries_after_it(tmp_path: Path) -> None:
    """pybtex stops reading at a duplicate key in strict mode; the build must not."""
    project = copy_project(tmp_path / "src")
    bib = project / BIB
    text = bib.read_text(encoding="utf-8")
    first, rest = text.split("@letter{kocsis2021interview", 1)
    bib.write_text(first + EXTRA_ENTRY.format(key="bangalore2021yale", title="Dup", extra="")
                   + "\n@letter{kocsis2021interview" + rest, encoding="utf-8")
    sys.path.insert(0, str(project / "_ext"))
    try:
        from magazine.bibcheck import check_bib_file
    finally:
        sys.path.pop(0)
    report = check_bib_file(bib)
    assert {"bangalore2021yale", "kocsis2021interview", "honmou2021intravenous"} <= set(
        report.data.entries
    )
    # and in the build: the entries after the duplicate are still cited and listed
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-q", str(project),
         str(project / "_build" / "html")], capture_output=True, text=True, check=False,
    )
    assert "used twice" in result.stderr
    page = (project / "_build" / "html" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert 'id="ref-kocsis2021interview"' in page
    assert 'id="ref-honmou2021intravenous"' in page


SAMPLE_FAILURES = ["bib-unclosed-brace", "cite-unknown-key", "fm-missing-title", "html-block",
                   "link-javascript"]


@pytest.mark.parametrize("case_id", SAMPLE_FAILURES)
def test_a_failed_publish_leaves_the_published_edition_intact(
    case_id: str, published: Path, tmp_path: Path
) -> None:
    project = tmp_path / "src"
    shutil.copytree(published, project, symlinks=True)
    before = {name: tree_digest(project / "_build" / name) for name in ("html", "pdf", "doctrees")}
    case = next(c for c in CASES if c.id == case_id)
    apply(project, case)
    result = run_module(project, "magazine.publish")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert case.hint in output
    assert "Nothing was published" in output
    after = {name: tree_digest(project / "_build" / name) for name in ("html", "pdf", "doctrees")}
    assert after == before
    assert not (project / "_build" / ".staging").exists()


def test_after_a_failed_publish_the_next_good_one_matches_a_fresh_build(
    published: Path, tmp_path: Path
) -> None:
    """The environment cache is never left in a state that makes the next build wrong."""
    project = tmp_path / "src"
    shutil.copytree(published, project, symlinks=True)
    article = project / ART
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("honmou2021intravenous`. Researchers",
                                    "honmou2021intravenus`. Researchers"), encoding="utf-8")
    assert run_module(project, "magazine.publish").returncode != 0
    article.write_text(good.replace("Researchers did not", "Researchers did not"),
                       encoding="utf-8")
    result = run_module(project, "magazine.publish")
    assert result.returncode == 0, result.stdout + result.stderr
    page = project / "_build" / "html" / f"{ARTICLE}.html"
    assert page.read_bytes() == (published / "_build" / "html" / f"{ARTICLE}.html").read_bytes()


def test_all_problems_are_reported_in_one_run(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    chosen = [c for c in CASES if c.id in ("bib-impossible-date", "fm-unknown-field",
                                            "html-block", "cite-unknown-key")]
    for case in chosen:
        apply(project, case)
    result = run_module(project, "magazine.check")
    assert result.returncode == 1
    for case in chosen:
        located = [line for line in result.stdout.splitlines() if line.startswith(case.where)]
        assert any(case.hint in line for line in located), (case.id, result.stdout)


def test_new_article_starts_from_valid_front_matter(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    made = run_module(project, "magazine.newarticle", "--title", "Ünïcode: CRISPR & the Cell?",
                      "--column", "Feature")
    assert made.returncode == 0, made.stderr
    article = project / "articles" / "unicode-crispr-the-cell.md"
    assert article.is_file()
    again = run_module(project, "magazine.newarticle", "--title", "Unicode: CRISPR & the cell",
                       "--column", "Feature")
    assert again.returncode == 1 and "exists already" in again.stderr
    # the only thing left to do is the summary, and the gate says so at its line
    quick = run_module(project, "magazine.check", "--quick")
    assert quick.returncode == 1
    assert "articles/unicode-crispr-the-cell.md:4: error: replace the template's summary" \
        in quick.stdout
    text = article.read_text(encoding="utf-8").replace(
        "Replace this with one sentence on what the article reports.",
        "A first article in the Feature column.",
    )
    article.write_text(text, encoding="utf-8")
    full = run_module(project, "magazine.check")
    assert full.returncode == 0, full.stdout + full.stderr
    page = run_module(project, "sphinx", "-b", "html", "-q", ".", "_build/html")
    assert page.returncode == 0
    html = (project / "_build/html/articles/unicode-crispr-the-cell.html").read_text()
    assert "Ünïcode: CRISPR &amp; the Cell?" in html
