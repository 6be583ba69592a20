"""The editors' mistakes in issue files, each caught with a located message and its fix.

What one issue file shows is checked by its parser (``magazine.serial.issues.parse_issue``, the
same that the build and ``make check`` run); what only all the files together show (an
article that does not exist or is in two issues, two issues with one number, dates out of
order, a published issue with an article that cannot be published) in one build holding
every such mistake, each at its own file and line. ``make check`` and ``make new-issue``
run end to end; the boundary walk admits the folder and keeps refusing what it refuses.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ARTICLE, ROOT, build, copy_project, messages_at
from gate_cases import Case, replace

from magazine.serial import newissue
from magazine.gate.boundary import scan_project
from magazine.serial.issues import Issue, first_page, pagination_problems, parse_issue

ISSUE = "issues/1-1.md"
ISSUE_TEXT = (ROOT / ISSUE).read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


def at(needle: str) -> str:
    return f"{ISSUE}:{line_of(ISSUE_TEXT, needle)}"


def edit(old: str, new: str) -> tuple[str, str, str]:
    return replace(ISSUE, old, new)


SEED_LINE = f"  - {ARTICLE}\n"
PAGES_LINE = f"  {ARTICLE}: 1\n"  # written by make paginate
CLOSING = "---\n\nThe first issue"  # the front matter's closing line, and the editorial

# -- one file --------------------------------------------------------------------------------

CASES = [
    Case("unknown-field", (edit("editors:", "editor:"),), at("editors:"), "did you mean 'editors'"),
    Case("missing-volume", (edit("volume: 1\n", ""),), f"{ISSUE}:2", "needs 'volume:'"),
    Case("volume-not-a-number", (edit("volume: 1", "volume: one"),), at("volume:"),
         "whole number"),
    Case("bad-date", (edit("date: 2026-11-25", "date: 25/11/2026"),), at("date:"),
         "YYYY-MM-DD"),
    Case("impossible-date", (edit("date: 2026-11-25", "date: 2026-02-30"),), at("date:"),
         "YYYY-MM-DD"),
    Case("unknown-status", (edit("status: published", "status: ready"),), at("status:"),
         "'status: in preparation'"),
    Case("article-listed-twice", (edit(SEED_LINE, SEED_LINE * 2),),
         f"{ISSUE}:{line_of(ISSUE_TEXT, SEED_LINE) + 1}", "listed twice"),
    Case("article-with-md", (edit(SEED_LINE, SEED_LINE.replace("\n", ".md\n")),),
         at(SEED_LINE), "without '.md'"),
    Case("article-outside-the-folder", (edit(SEED_LINE, "  - index\n"),), at(SEED_LINE),
         "'articles/NAME'"),
    Case("cover-without-credit", (edit("  credit: Illustration made for The Open Bench, CC BY 4.0.\n",
                                       ""),), at("cover:"), "needs 'credit:'"),
    Case("published-without-cover", (edit(ISSUE_TEXT[ISSUE_TEXT.index("cover:"):
                                                     ISSUE_TEXT.index("status:")], ""),),
         f"{ISSUE}:2", "needs 'cover:'"),
    Case("published-without-editors", (edit("editors: [The Open Bench editors]\n", ""),),
         f"{ISSUE}:2", "needs 'editors:'"),
    Case("published-without-articles", (edit(f"articles:\n{SEED_LINE}", "articles: []\n"),),
         at("articles:"), "needs 'articles:'"),
    Case("published-without-editorial", (edit(ISSUE_TEXT.split("---\n", 2)[2], ""),),
         f"{ISSUE}:{line_of(ISSUE_TEXT, CLOSING) + 1}", "needs its editorial"),
    Case("yaml-alias", (edit("editors: [The Open Bench editors]",
                             "editors: &e [The Open Bench editors]\ntitle: *e"),),
         at("editors:"), "anchor"),
    Case("no-front-matter", (edit(ISSUE_TEXT, "Just an editorial.\n"),), f"{ISSUE}:1",
         "make new-issue"),
    Case("pages-not-a-range", (edit(PAGES_LINE, PAGES_LINE.replace(": 1", ": one")),),
         at(PAGES_LINE), "is not a page range such as 14-17; run make paginate"),
    Case("pages-backwards", (edit(PAGES_LINE, PAGES_LINE.replace(": 1", ": 5-3")),),
         at(PAGES_LINE), "is not a page range"),
    Case("pages-of-an-article-not-listed", (edit(PAGES_LINE, PAGES_LINE
                                                 + "  articles/another: 2\n"),),
         f"{ISSUE}:{line_of(ISSUE_TEXT, PAGES_LINE) + 1}", "not in this issue's 'articles:'"),
    # the DOIs make paginate records under the pages (a DOI prefix set in conf.py)
    Case("doi-not-a-doi", (edit(PAGES_LINE, PAGES_LINE + f"dois:\n  {ARTICLE}: 10.55/x\n"),),
         f"{ISSUE}:{line_of(ISSUE_TEXT, PAGES_LINE) + 2}",
         "is not a DOI such as 10.5555/abc.1; a recorded DOI is the article's for good"),
    Case("doi-of-an-article-not-listed", (edit(PAGES_LINE, PAGES_LINE + (
        "dois:\n  articles/another: 10.5555/x.1\n")),),
         f"{ISSUE}:{line_of(ISSUE_TEXT, PAGES_LINE) + 2}",
         "articles/another has a DOI but is not in this issue's 'articles:' list"),
    Case("dois-not-lines", (edit(PAGES_LINE, PAGES_LINE + "dois: 10.5555/x.1\n"),),
         f"{ISSUE}:{line_of(ISSUE_TEXT, PAGES_LINE) + 1}",
         "'dois' must be 'articles/NAME: 10.NNNN/suffix' lines"),
]


def apply(text: str, edits: tuple[tuple[str, str, str], ...]) -> str:
    for _, old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def located(case: Case) -> tuple[int, list[str]]:
    text = apply(ISSUE_TEXT, case.edits)
    parsed = parse_issue(text, ISSUE.removesuffix(".md"))
    line = int(case.where.rsplit(":", 1)[1])
    return line, [p.message for p in parsed.problems if p.line == line]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_mistake_in_one_issue_file_is_located_with_its_fix(case: Case) -> None:
    line, messages = located(case)
    assert any(case.hint in m for m in messages), (line, parse_issue(
        apply(ISSUE_TEXT, case.edits), ISSUE.removesuffix(".md")).problems)


def recorded(number: int, pages: dict[str, tuple[int, int]], volume: int = 1) -> Issue:
    return Issue(docname=f"issues/{volume}-{number}", volume=volume, number=number,
                 status="published", articles=tuple(pages), pages=pages,
                 lines={f"pages.{name}": 20 + i for i, name in enumerate(pages)})


def test_recorded_pages_follow_each_other_from_the_first_page() -> None:
    first = recorded(1, {"articles/a": (1, 4), "articles/b": (5, 6)})
    gap = recorded(2, {"articles/c": (1, 2), "articles/d": (4, 5)})
    late = recorded(3, {"articles/e": (2, 3)})
    names = {f"articles/{n}" for n in "abcde"}
    found = list(pagination_problems([first, gap, late], names, "issue"))
    assert [(issue.number, line) for _, issue, line in found] == [(2, 21), (3, 20)]
    assert "articles/d is recorded at pages 4-5, but it must start at page 3, the page after " \
        "the article before it in the contents" in found[0][0]
    assert "must start at page 1, the issue's first page" in found[1][0]
    # across a volume: the second issue goes on from the first's last page
    volume = [first, recorded(2, {"articles/c": (7, 9), "articles/d": (10, 10)})]
    assert list(pagination_problems(volume, names, "volume")) == []
    assert [m for m, _, _ in pagination_problems(volume, names, "issue")] == [
        "articles/c is recorded at pages 7-9, but it must start at page 1, the issue's first "
        "page; the contents changed since the pages were recorded: run make paginate "
        "ISSUE=1-2 again"]
    # another volume starts again at 1
    assert first_page(recorded(1, {"articles/f": (1, 1)}, volume=2), volume, "volume") == 1


def test_the_published_issue_of_the_site_is_valid() -> None:
    parsed = parse_issue(ISSUE_TEXT, ISSUE.removesuffix(".md"))
    assert parsed.problems == [] and parsed.lacks == []
    assert parsed.record.articles == (ARTICLE,)


def test_an_issue_in_preparation_may_lack_what_publishing_needs() -> None:
    text = apply(ISSUE_TEXT, (edit("status: published", "status: in preparation"),
                              edit("editors: [The Open Bench editors]\n", "")))
    parsed = parse_issue(text, "issues/1-1")
    assert parsed.problems == []
    assert [p.message for p in parsed.lacks] == [
        "a published issue needs 'editors:' (a list of the editors' names)"]


# -- what all the files show together: one build ---------------------------------------------

BROKEN = "articles/broken-front-matter"
PUBLISHED = """---
volume: 1
number: {number}
date: {date}
editors: [Ada Lovelace]
cover:
  src: /_static/images/spinal-cord-stem-cells.svg
  alt: A spinal cord.
  credit: CC BY 4.0.
status: published
articles:
{articles}---

An issue.
"""
SECOND = PUBLISHED.format(number=2, date="2026-12-01", articles=(
    f"  - articles/no-such-article\n  - {ARTICLE}\n"))
THIRD = PUBLISHED.format(number=3, date="2026-11-30", articles=f"  - {BROKEN}\n")
FOURTH = """---
volume: 1
number: 3
status: in preparation
cover:
  src: /_static/images/no-such-cover.svg
  alt: A cover that is not there.
  credit: Nobody.
---
"""


@pytest.fixture(scope="module")
def crossed(tmp_path_factory: pytest.TempPathFactory) -> str:
    src = copy_project(tmp_path_factory.mktemp("crossed") / "src")
    (src / "issues" / "1-2.md").write_text(SECOND, encoding="utf-8")
    (src / "issues" / "1-3.md").write_text(THIRD, encoding="utf-8")
    (src / "issues" / "1-4.md").write_text(FOURTH, encoding="utf-8")
    (src / f"{BROKEN}.md").write_text("---\ntitle: Broken\ncolumn: Feature\n---\n\nText.\n",
                                      encoding="utf-8")
    result = build(src)
    assert result.returncode == 1
    return result.stderr


@pytest.mark.parametrize(("where", "hint"), [
    ("issues/1-2.md:12:", "there is no article articles/no-such-article (no file "
     "articles/no-such-article.md)"),
    ("issues/1-2.md:13:", f"{ARTICLE} is already in Volume 1, Issue 1 (issues/1-1.md); an "
     "article belongs to one issue"),
    ("issues/1-3.md:4:", "Volume 1, Issue 3 is dated 2026-11-30, before Volume 1, Issue 2 "
     "(2026-12-01, issues/1-2.md)"),
    ("issues/1-3.md:12:", f"{BROKEN} cannot be published in this issue: its front matter has "
     "problems"),
    ("issues/1-4.md:3:", "Volume 1, Issue 3 is also issues/1-3.md; two issues cannot have one "
     "number"),
    ("issues/1-4.md:3:", "rename the file to '1-3.md'"),
    ("issues/1-4.md:6:", "the cover image '/_static/images/no-such-cover.svg' does not "
     "exist; put the file in _static/images/"),
    (f"{BROKEN}.md:2:", "needs 'summary:'"),
    ("issues/1-2.md:13:", f"Volume 1, Issue 2 is published, but no pages are recorded for "
     f"{ARTICLE}: run make paginate ISSUE=1-2 and commit this file"),
    ("issues/1-3.md:12:", f"no pages are recorded for {BROKEN}: run make paginate ISSUE=1-3"),
])
def test_a_mistake_across_issues_is_located_with_its_fix(crossed: str, where: str,
                                                          hint: str) -> None:
    messages = messages_at(crossed, where)
    assert any(hint in m for m in messages), (where, crossed)
    kind = "[magazine.frontmatter]" if where.startswith("articles/") else "[magazine.issue]"
    assert all(m.endswith(kind) for m in messages), messages


def test_every_problem_of_the_crossed_build_was_expected(crossed: str) -> None:
    warnings = [line for line in crossed.splitlines() if "WARNING" in line]
    assert len(warnings) == 10, crossed


# -- the boundary ----------------------------------------------------------------------------


def test_the_walk_admits_issues_and_refuses_bad_names_and_links(tmp_path: Path) -> None:
    src = copy_project(tmp_path / "src")
    from magazine.gate.check import Project

    settings = Project.read(src).settings
    assert scan_project(src, settings) == []
    (src / "issues" / "Spring Issue.md").write_text(ISSUE_TEXT, encoding="utf-8")
    (src / "issues" / "1-2.md").symlink_to(src / "conf.py")
    cover = "_static/images/cover-link.svg"  # a link to a picture outside the project
    outside = tmp_path / "outside.svg"
    outside.write_bytes((src / "_static" / "images" / "favicon.svg").read_bytes())
    (src / cover).symlink_to(outside)
    refused = {r.path: r.message for r in scan_project(src, settings)}
    assert set(refused) == {"issues/Spring Issue.md", "issues/1-2.md", cover}
    assert "cannot be used for an issue" in refused["issues/Spring Issue.md"]
    assert "symbolic link" in refused["issues/1-2.md"]
    # an editorial is content: raw HTML and reads outside the project are refused there too
    (tmp_path / "secret.txt").write_text("outside-the-project-7f3a", encoding="utf-8")
    hostile = "\n<script>alert('editorial')</script>\n\n```{include} ../../secret.txt\n```\n"
    issue = src / ISSUE
    issue.write_text(ISSUE_TEXT.replace("images/spinal-cord-stem-cells.svg", "images/cover-link.svg")
                     + hostile, encoding="utf-8")
    result = build(src)
    assert "issues/1-2" not in (result.outdir / "sitemap.xml").read_text(encoding="utf-8")
    assert not (result.outdir / "issues" / "1-2.html").exists()
    assert messages_at(result.stderr, "Spring Issue.md")
    script, include = (ISSUE_TEXT.count("\n") + 2, ISSUE_TEXT.count("\n") + 4)
    assert messages_at(result.stderr, f"{ISSUE}:{script}:"), result.stderr
    assert messages_at(result.stderr, f"{ISSUE}:{include}:"), result.stderr
    page = (result.outdir / "issues" / "1-1.html").read_text(encoding="utf-8")
    assert "alert('editorial')" not in page
    assert "outside-the-project-7f3a" not in page
    # the refused cover is on no page: not the issue's, the front page's nor the archive's
    assert any("this image cannot be shown" in m for m in messages_at(result.stderr, ISSUE))
    for name in ("issues/1-1", "index", "archive"):
        assert "cover-link" not in (result.outdir / f"{name}.html").read_text(encoding="utf-8")


# -- the commands ----------------------------------------------------------------------------


def run_check(src: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "_ext")}
    return subprocess.run([sys.executable, "-m", "magazine.gate.check", "--no-supervise", *args],
                          cwd=src, env=env, capture_output=True, text=True, check=False)


def test_new_issue_starts_an_issue_that_make_check_says_what_it_lacks(tmp_path: Path) -> None:
    src = copy_project(tmp_path / "src")
    assert newissue.main(["--volume", "1", "--number", "2", "--srcdir", str(src)]) == 0
    assert newissue.main(["--volume", "1", "--number", "2", "--srcdir", str(src)]) == 1
    assert newissue.main(["--volume", "one", "--number", "2", "--srcdir", str(src)]) == 2
    text = (src / "issues" / "1-2.md").read_text(encoding="utf-8")
    result = run_check(src, "--quick")
    assert result.returncode == 0, result.stdout + result.stderr
    notes = [line for line in result.stdout.splitlines() if ": note: " in line]
    assert notes == [
        f"issues/1-2.md:{line_of(text, '# date:')}: note: (in preparation) a published issue "
        "needs 'date:' (the publication date, as YYYY-MM-DD)",
        f"issues/1-2.md:{line_of(text, 'editors:')}: note: (in preparation) a published issue "
        "needs 'editors:' (a list of the editors' names)",
        f"issues/1-2.md:{line_of(text, '# cover:')}: note: (in preparation) a published issue "
        "needs 'cover:' (the cover image: {src, alt, credit})",
        f"issues/1-2.md:{line_of(text, 'articles:')}: note: (in preparation) a published issue "
        "needs 'articles:' (the articles in the order of the contents, one 'articles/NAME' a "
        "line)",
        f"issues/1-2.md:{line_of(text, 'Replace this')}: note: (in preparation) a published "
        "issue needs its editorial: write it below the front matter's closing '---' line, in "
        "place of the template's paragraph",
    ]
    assert result.stdout.rstrip().endswith("All checks passed.")
    # the issue in preparation builds: its page is the editors' preview
    built = build(src)
    assert built.returncode == 0, built.stderr
    assert (built.outdir / "issues" / "1-2.html").is_file()
    # published as it is, the same lacks fail the gate
    (src / "issues" / "1-2.md").write_text(text.replace("status: in preparation",
                                                        "status: published"), encoding="utf-8")
    failed = run_check(src, "--quick")
    assert failed.returncode == 1
    assert f"issues/1-2.md:{line_of(text, '# date:')}: error: a published issue needs 'date:'" \
        in failed.stdout
