"""The pull-request gate: a corpus of contributors' mistakes, each caught with a located,
actionable message, and none of them able to damage the published edition.

Each case is checked where the gate finds it: mistakes in ``references.bib`` by the bib
check (``magazine.citations.bibcheck``), mistakes in front matter by its parser
(``magazine.articles.frontmatter``), and the mistakes only a build sees (citation keys, links and
images) in one in-process build holding every such case as an article of its own. The
messages are the ones ``make check`` prints, at the same file and line. A few end-to-end
runs of ``python -m magazine.gate.check`` and ``python -m magazine.cli.publish`` prove the wiring:
exit status, located messages, no traceback, the published edition untouched. The unsafe
content cases run end to end in ``test_gate_unsafe.py``.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, build, copy_project
from gate_cases import Case, append, appended_at, replace

from magazine.gate import check

from magazine.cli import newarticle
from magazine.citations.bibcheck import check_bib_file, check_bib_text, uncited
from magazine.articles.frontmatter import parse_front_matter

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


JOURNAL_LINE = next(line for line in BIB_TEXT.splitlines(True) if "Neurosurgery}" in line)


def front(old: str, new: str) -> tuple[str, str, str]:
    return replace(ART, old, new)


NEW = appended_at(ART_TEXT)


def body(text: str) -> tuple[str, str, str]:
    return append(ART, "\n" + text + "\n")


EXTRA_ENTRY = "@misc{{{key},\n  title = {{{title}}},\n  year  = {{2020}},{extra}\n}}\n"


def entry(key: str, title: str = "A work", extra: str = "") -> tuple[str, str, str]:
    return append(BIB, "\n" + EXTRA_ENTRY.format(key=key, title=title, extra=extra))


BIB_NEW = appended_at(BIB_TEXT)
#: the line of an article's first notice, written after its column line (and a date)
NOTICE = line_of(ART_TEXT, "column:") + 2


def notice(items: str, dated: bool = False) -> tuple[str, str, str]:
    """The seed article with the notices ``items`` (and a date of its own, if ``dated``)."""
    date = "date: 2026-11-25\n" if dated else ""
    return front("column: News Byte", f"column: News Byte\nnotices:\n{items}\n{date}")

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
    Case("bib-doi-link-not-a-doi", (replace(BIB, "  year         = {2021},\n}",
                                            "  year         = {2021},\n  doi = {https://doi.org/11.1016/x},\n}"),),
         f"{BIB}:{line_of(BIB_TEXT, 'year         = {2021}') + 1}", "10.NNNN/suffix"),
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
    Case("fm-date-no-day-of-the-calendar", (front("column: News Byte",
                                                 "column: News Byte\ndate: 2021-02-30"),),
         f"{ART}:4", "YYYY-MM-DD"),
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
    # -- notices (magazine.serial.notices): each at the line of the notice or its field --------------
    Case("fm-notice-without-date", (notice("  - type: correction\n    text: A fix."),),
         f"{ART}:{NOTICE}", "needs 'date:'"),
    Case("fm-notice-without-reason", (notice("  - type: retraction\n    date: 2026-12-01"),),
         f"{ART}:{NOTICE}", "needs 'text:': the reason for the retraction"),
    Case("fm-notice-unknown-type", (notice("  - type: erratum\n    date: 2026-12-01\n"
                                           "    text: A fix."),),
         f"{ART}:{NOTICE}", "correction, expression of concern or retraction"),
    Case("fm-notice-before-publication", (notice("  - type: correction\n    date: 2026-11-01\n"
                                                 "    text: A fix.", dated=True),),
         f"{ART}:{NOTICE + 1}", "before the article was published"),
    Case("fm-notice-out-of-order", (notice("  - type: correction\n    date: 2026-12-05\n"
                                           "    text: A fix.\n  - type: correction\n"
                                           "    date: 2026-12-01\n    text: Another."),),
         f"{ART}:{NOTICE + 4}", "oldest first"),
    Case("fm-notice-retraction-not-last", (notice("  - type: retraction\n    date: 2026-12-01\n"
                                                  "    text: Fraud.\n  - type: correction\n"
                                                  "    date: 2026-12-05\n    text: A fix."),),
         f"{ART}:{NOTICE}", "put the retraction last"),
    # -- links and images --------------------------------------------------------------------
    Case("link-to-missing-page", (body("See [the other article](other-article.md)."),),
         f"{ART}:{NEW}", "other-article"),
    Case("image-missing-file", (body("![A diagram](/_static/images/missing.png)"),),
         f"{ART}:{NEW}", "missing.png"),
    Case("lead-image-missing-file", (front("src: /_static/images/spinal-cord-stem-cells.svg",
                                           "src: /_static/images/lead.svg"),),
         art_at("src:"), "lead.svg"),
]
BIB_CASES = [case for case in CASES if case.id.startswith("bib-")]
FRONT_MATTER_CASES = [case for case in CASES if case.id.startswith("fm-")]
BUILD_CASES = [case for case in CASES if case not in BIB_CASES + FRONT_MATTER_CASES]


def ids(cases: list[Case]) -> list[str]:
    return [case.id for case in cases]


def edited(case: Case, name: str, text: str | None = None) -> str:
    """The text of the file ``name`` (the project's own, or ``text``) with the case's
    edits of it made."""
    text = (ROOT / name).read_text(encoding="utf-8") if text is None else text
    for path, old, new in case.edits:
        if path != name:
            continue
        if old:
            assert text.count(old) == 1, f"{case.id}: the text to replace is not in {name}"
            text = text.replace(old, new)
        else:
            text = text.rstrip("\n") + "\n" + new
    return text


def apply(project: Path, case: Case) -> None:
    for name in dict.fromkeys(path for path, _, _ in case.edits):
        path = project / name
        path.write_text(edited(case, name, path.read_text(encoding="utf-8")), encoding="utf-8")


def assert_reported(case: Case, findings: list[str], where: str | None = None) -> None:
    """The case's message is among the findings (``path:line: level: message``), at its
    place and with its hint."""
    where = where or case.where
    located = [line for line in findings if line.startswith(where + ":")]
    assert located, f"no message at {where}:\n" + "\n".join(findings)
    assert any(case.hint in line for line in located), "\n".join(findings)


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


def test_the_corpus_has_at_least_30_bad_inputs() -> None:
    assert len(CASES) >= 30
    assert len({case.id for case in CASES}) == len(CASES)
    assert BUILD_CASES and all(
        {path for path, _, _ in case.edits} == {ART} for case in BUILD_CASES
    )


# -- the bibliography file: the bib check ----------------------------------------------------

DEFAULT_LICENSE = check.Project.read(ROOT).default_license
CITED = {key for key, _ in check.cited_keys(ART_TEXT)}


def bib_findings(case: Case) -> list[str]:
    """What `make check` reports about ``references.bib`` with the case's edits."""
    report = check_bib_text(edited(case, BIB))
    problems = [*report.problems, *uncited(report, CITED)]
    return [str(check.Finding(BIB, p.line, p.message, p.severity)) for p in problems]


@pytest.mark.parametrize("case", BIB_CASES, ids=ids(BIB_CASES))
def test_the_bib_check_reports_the_mistake_where_it_is(case: Case) -> None:
    findings = bib_findings(case)
    level = "warning" if case.args == ("--strict",) else "error"
    assert_reported(case, [line for line in findings if f": {level}: " in line])


# -- front matter: the parser ----------------------------------------------------------------


@pytest.mark.parametrize("case", FRONT_MATTER_CASES, ids=ids(FRONT_MATTER_CASES))
def test_the_front_matter_check_reports_the_mistake_where_it_is(case: Case) -> None:
    parsed = parse_front_matter(edited(case, ART), DEFAULT_LICENSE)
    assert parsed.record is None
    assert_reported(case, [str(check.Finding(ART, p.line, p.message)) for p in parsed.problems])


def test_the_real_front_matter_and_bib_file_have_no_problems() -> None:
    parsed = parse_front_matter(ART_TEXT, DEFAULT_LICENSE)
    assert parsed.problems == [] and parsed.record is not None
    report = check_bib_text(BIB_TEXT)
    assert report.problems == [] and uncited(report, CITED) == []


# -- what only a build sees: one build, each case an article of its own ----------------------

# a front matter case as an article of its own, and a bib case in references.bib
FRONT_IN_BUILD, BIB_IN_BUILD = (next(case for case in CASES if case.id == name)
                                for name in ("fm-unknown-field", "bib-impossible-date"))


def case_article(case: Case) -> str:
    return f"articles/gate-{case.id}.md"


@pytest.fixture(scope="module")
def gate_build(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """A copy of the site holding every build case (and a front matter case) as an article
    of its own, and a bib mistake in references.bib, built once as `make check` builds
    (-n); its warnings as `make check` prints them."""
    project = copy_project(tmp_path_factory.mktemp("gate") / "src")
    for case in [*BUILD_CASES, FRONT_IN_BUILD]:
        (project / case_article(case)).write_text(edited(case, ART), encoding="utf-8")
    apply(project, BIB_IN_BUILD)
    result = build(project)
    assert "Traceback" not in result.stderr
    findings = []
    for line in result.stderr.splitlines():
        match = check.SPHINX_LINE_RE.match(line.strip())
        assert match is not None, line
        where = match.group("where").removeprefix(str(project) + "/")
        message = match.group("message") + (f" [{match.group('kind')}]" if match.group("kind")
                                             else "")
        findings.append(str(check.Finding(where, int(match.group("line") or 0), message)))
    return findings


@pytest.mark.parametrize("case", BUILD_CASES, ids=ids(BUILD_CASES))
def test_the_build_reports_the_mistake_where_it_is(case: Case, gate_build: list[str]) -> None:
    assert_reported(case, gate_build, case.where.replace(ART, case_article(case)))


def test_the_build_reports_no_more_than_the_mistakes(gate_build: list[str]) -> None:
    """Each case article gives its one message; the unchanged seed article gives none."""
    for case in BUILD_CASES:
        assert len([f for f in gate_build if f.startswith(case_article(case) + ":")]) == 1, (
            case.id, gate_build)
    assert not [f for f in gate_build if f.startswith(ART)]


def test_the_build_reports_what_the_checking_functions_find(gate_build: list[str]) -> None:
    """The build's warnings are the checking functions' messages, at the same places."""
    problems = parse_front_matter(edited(FRONT_IN_BUILD, ART), DEFAULT_LICENSE).problems
    assert problems
    for problem in problems:
        assert f"{case_article(FRONT_IN_BUILD)}:{problem.line}: error: {problem.message} " \
            "[magazine.frontmatter]" in gate_build
    direct = [line for line in bib_findings(BIB_IN_BUILD) if ": error: " in line]
    assert direct
    for finding in direct:
        assert f"{finding} [magazine.bibliography]" in gate_build


def test_a_duplicate_key_never_drops_the_entries_after_it(tmp_path: Path) -> None:
    """pybtex stops reading at a duplicate key in strict mode; the build must not."""
    project = copy_project(tmp_path / "src")
    bib = project / BIB
    text = bib.read_text(encoding="utf-8")
    first, rest = text.split("@letter{kocsis2021interview", 1)
    bib.write_text(first + EXTRA_ENTRY.format(key="bangalore2021yale", title="Dup", extra="")
                   + "\n@letter{kocsis2021interview" + rest, encoding="utf-8")
    report = check_bib_file(bib)
    assert {"bangalore2021yale", "kocsis2021interview", "honmou2021intravenous"} <= set(
        report.data.entries
    )
    # and in the build: the entries after the duplicate are still cited and listed
    result = build(project)
    assert "used twice" in result.stderr
    page = (result.outdir / f"{ARTICLE}.html").read_text(encoding="utf-8")
    assert 'id="ref-kocsis2021interview"' in page
    assert 'id="ref-honmou2021intravenous"' in page


# -- the commands, in-process: make check-quick and make new-article -------------------------


@pytest.fixture
def own_sys_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading a copy's conf.py puts its _ext on sys.path; keep that to the test."""
    monkeypatch.setattr(sys, "path", list(sys.path))


@pytest.mark.usefixtures("own_sys_path")
def test_quick_check_reads_bib_and_front_matter_without_a_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "src")
    apply(project, CASES[0])
    apply(project, next(c for c in CASES if c.id == "fm-unknown-field"))
    assert check.main(["--quick", "--srcdir", str(project)]) == 1
    out = capsys.readouterr().out
    assert f"{bib_at('title  = {Personal')}: error:" in out
    assert f"{art_at('column:')}: error: unknown front matter field 'colum'" in out
    assert not (project / "_build").exists()


@pytest.mark.usefixtures("own_sys_path")
def test_new_article_starts_from_valid_front_matter(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = copy_project(tmp_path / "src")
    new = ["--srcdir", str(project), "--column", "Feature", "--title"]
    assert newarticle.main([*new, "Ünïcode: CRISPR & the Cell?"]) == 0
    article = project / "articles" / "unicode-crispr-the-cell.md"
    assert article.is_file()
    assert newarticle.main([*new, "Unicode: CRISPR & the cell"]) == 1
    assert "exists already" in capsys.readouterr().err
    # the only thing left to do is the summary, and the gate says so at its line
    assert check.main(["--quick", "--srcdir", str(project)]) == 1
    assert "articles/unicode-crispr-the-cell.md:4: error: replace the template's summary" \
        in capsys.readouterr().out
    text = article.read_text(encoding="utf-8").replace(
        "Replace this with one sentence on what the article reports.",
        "A first article in the Feature column.",
    )
    article.write_text(text, encoding="utf-8")
    assert check.main(["--quick", "--strict", "--srcdir", str(project)]) == 0
    # and the build the full gate runs (-n, warnings as errors) has nothing to say
    result = build(project)
    assert result.returncode == 0, result.stderr
    html = (result.outdir / "articles/unicode-crispr-the-cell.html").read_text()
    assert "Ünïcode: CRISPR &amp; the Cell?" in html


# -- end to end: python -m magazine.gate.check and python -m magazine.cli.publish ---------------------


def test_the_real_magazine_passes_the_gate(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    result = run_module(project, "magazine.gate.check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "All checks passed" in result.stdout


def test_uncited_entry_is_only_a_warning_without_strict(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    apply(project, Case("uncited", (entry("unused2020work"),), "", ""))
    result = run_module(project, "magazine.gate.check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{BIB}:{BIB_NEW}: warning: no article cites 'unused2020work'" in result.stdout


def test_all_problems_are_reported_in_one_run(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    chosen = [c for c in CASES if c.id in ("bib-impossible-date", "fm-unknown-field",
                                            "image-missing-file", "cite-unknown-key")]
    for case in chosen:
        apply(project, case)
    result = run_module(project, "magazine.gate.check")
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for case in chosen:
        located = [line for line in result.stdout.splitlines() if line.startswith(case.where)]
        assert any(case.hint in line for line in located), (case.id, result.stdout)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with both editions published by `make publish`'s script."""
    project = copy_project(tmp_path_factory.mktemp("published") / "src")
    result = run_module(project, "magazine.cli.publish")
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def published_digests(project: Path) -> dict[str, str]:
    return {name: tree_digest(project / "_build" / name) for name in ("html", "pdf", "doctrees")}


SAMPLE_FAILURES = ["bib-unclosed-brace", "fm-missing-title"]


@pytest.mark.parametrize("case_id", SAMPLE_FAILURES)
def test_a_failed_publish_leaves_the_published_edition_intact(
    case_id: str, published: Path, tmp_path: Path
) -> None:
    project = tmp_path / "src"
    shutil.copytree(published, project, symlinks=True)
    before = published_digests(project)
    case = next(c for c in CASES if c.id == case_id)
    apply(project, case)
    result = run_module(project, "magazine.cli.publish")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert case.hint in output
    assert "Nothing was published" in output
    assert "Traceback" not in output
    assert published_digests(project) == before
    assert not (project / "_build" / ".staging").exists()


def test_after_a_failed_publish_the_next_good_one_matches_a_fresh_build(
    published: Path, tmp_path: Path
) -> None:
    """The environment cache is never left in a state that makes the next build wrong."""
    project = tmp_path / "src"
    shutil.copytree(published, project, symlinks=True)
    before = published_digests(project)
    article = project / ART
    good = article.read_text(encoding="utf-8")
    article.write_text(good.replace("honmou2021intravenous`. Researchers",
                                    "honmou2021intravenus`. Researchers"), encoding="utf-8")
    failed = run_module(project, "magazine.cli.publish")
    assert failed.returncode != 0
    assert "did you mean 'honmou2021intravenous'" in failed.stdout + failed.stderr
    assert published_digests(project) == before
    article.write_text(good.replace("Researchers did not", "Researchers did not"),
                       encoding="utf-8")
    result = run_module(project, "magazine.cli.publish")
    assert result.returncode == 0, result.stdout + result.stderr
    page = project / "_build" / "html" / f"{ARTICLE}.html"
    assert page.read_bytes() == (published / "_build" / "html" / f"{ARTICLE}.html").read_bytes()
