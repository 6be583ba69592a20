"""Hostile contributions: a pull request's content files can never make a build read a file
outside the project, give a page a name that breaks its scripts, or stall the build.

The rules are tested on the checking functions (many variants, no build), then a copy of the
project with every kind of hostile content at once is built twice: with warnings as errors
(it must fail, each refusal located, no traceback) and with warnings allowed (nothing of the
outside files may reach any output file)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ARTICLE, ROOT, copy_project, line_in_appended, messages_at, sphinx_build

from magazine.gate.bibbounds import expansion_problem
from magazine.gate.boundary import Boundary, scan_project
from magazine.articles.frontmatter import front_matter_hazard, parse_front_matter
from magazine.articles.identifiers import article_name_problem, bib_key_problem, file_name_problem

SECRET = "S3CRET-OUTSIDE-THE-PROJECT"

# -- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [
    "Stem-Cells.md", "stem cells.md", "x';alert(1)//.md", 'x"y.md', "über.md", "a--b.md",
    "-lead.md", "notes.MD", "a_b.md", "%2e%2e.md",
])
def test_bad_article_names_are_refused_with_a_suggestion(name: str) -> None:
    problem = article_name_problem(name)
    assert problem is not None
    assert "lower-case letters, digits and hyphens" in problem
    suggestion = problem.rsplit("'", 2)[-2]
    assert article_name_problem(suggestion) is None


@pytest.mark.parametrize("name", ["stem-cell-therapy.md", "covid-19-in-2021.md", "a.md"])
def test_good_article_names_pass(name: str) -> None:
    assert article_name_problem(name) is None


@pytest.mark.parametrize("key", ["<script>", "a'b", "smith 2020", "", "_x", "a" * 101, 'k"'])
def test_bad_bib_keys_are_refused(key: str) -> None:
    problem = bib_key_problem(key)
    assert problem is not None and "letters, digits" in problem


@pytest.mark.parametrize(("name", "suggestion"), [
    ("Figure 1.PNG", "figure-1.png"), ("x'onerror='alert(1).svg", "x-onerror-alert-1.svg"),
    ("a<b>.jpg", "a-b.jpg"), ("ﬁgure.svg", "figure.svg"), ("-lead.svg", "lead.svg"),
    ("spectra%2e.csv", "spectra-2e.csv"), ("a#b?.png", "a-b.png"), ("x" * 101, "x" * 101),
])
def test_bad_file_names_are_refused_with_a_suggestion(name: str, suggestion: str) -> None:
    problem = file_name_problem(name)
    assert problem is not None and f"'{suggestion}'" in problem, problem


@pytest.mark.parametrize("name", ["lead.svg", "Fig_2.PNG", "data-2021.v2.csv", "a"])
def test_good_file_names_pass(name: str) -> None:
    assert file_name_problem(name) is None


@pytest.mark.parametrize("key", ["honmou2021intravenous", "DBLP:journals/corr/abs-1234-5678",
                                 "Smith_2020", "doe.2019", "10.1000/xyz"])
def test_real_bib_keys_pass(key: str) -> None:
    assert bib_key_problem(key) is None


# -- paths -----------------------------------------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> SimpleNamespace:
    root = tmp_path / "project"
    (root / "articles").mkdir(parents=True)
    (root / "_static" / "images").mkdir(parents=True)
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("token")
    (root / "articles" / "ok.md").write_text("---\ntitle: t\n---\n")
    (root / "references.bib").write_text("")
    outside = tmp_path / "secret.txt"
    outside.write_text(SECRET)
    return SimpleNamespace(root=root, outside=outside, boundary=Boundary.of(root))


@pytest.mark.parametrize("path", [
    "../secret.txt", "articles/../../secret.txt", "articles/../../../../../etc/passwd",
    "/etc/passwd", ".git/config", "_build/html/index.html", ".venv/pyvenv.cfg",
    "articles/./../.git/config",
])
def test_paths_out_of_the_project_or_into_its_machinery_are_refused(
    tree: SimpleNamespace, path: str
) -> None:
    target = path if path.startswith("/") else os.path.join(tree.root, path)
    assert tree.boundary.refusal(target) is not None


def test_paths_inside_the_project_pass(tree: SimpleNamespace) -> None:
    assert tree.boundary.refusal(tree.root / "articles" / "ok.md") is None
    assert tree.boundary.refusal(tree.root / "_static" / "images" / "x.png") is None
    # a file merely named like a parent folder is not a climb
    assert tree.boundary.refusal(tree.root / "articles" / "..%2f..%2fsecret.txt") is None


def test_a_link_inside_the_project_that_leads_out_is_refused(tree: SimpleNamespace) -> None:
    (tree.root / "notes").symlink_to(tree.outside.parent)
    reason = tree.boundary.refusal(tree.root / "notes" / "secret.txt")
    assert reason is not None and "outside the project" in reason


def _settings(**limits: int) -> SimpleNamespace:
    return SimpleNamespace(
        magazine_article_dir="articles", html_static_path=["_static"],
        bibtex_bibfiles=["references.bib"], magazine_max_article_bytes=limits.get("article", 10**6),
        magazine_max_bib_bytes=limits.get("bib", 10**7),
    )


def _refused(tree: SimpleNamespace, **limits: int) -> dict[str, str]:
    return {r.path: r.message for r in scan_project(tree.root, _settings(**limits))}


def test_links_among_content_files_are_refused_whatever_they_point_to(
    tree: SimpleNamespace,
) -> None:
    (tree.root / "articles" / "to-secret.md").symlink_to(tree.outside)
    (tree.root / "articles" / "to-article.md").symlink_to(tree.root / "articles" / "ok.md")
    (tree.root / "_static" / "images" / "pic.svg").symlink_to(tree.outside)
    (tree.root / "_static" / "etc").symlink_to("/etc")
    refused = _refused(tree)
    for path in ("articles/to-secret.md", "articles/to-article.md",
                 "_static/images/pic.svg", "_static/etc"):
        assert "symbolic link" in refused[path], path
    assert "articles/ok.md" not in refused


def test_a_bib_file_that_is_a_link_is_refused(tree: SimpleNamespace) -> None:
    (tree.root / "references.bib").unlink()
    (tree.root / "references.bib").symlink_to(tree.outside)
    assert "symbolic link" in _refused(tree)["references.bib"]


def test_a_link_elsewhere_is_refused_only_if_it_leads_out(tree: SimpleNamespace) -> None:
    (tree.root / "docs").mkdir()
    (tree.root / "docs" / "out").symlink_to(tree.outside)
    (tree.root / "docs" / "in").symlink_to(tree.root / "articles")
    refused = _refused(tree)
    assert "leads out of the project" in refused["docs/out"]
    assert "docs/in" not in refused


def test_oversized_articles_and_bib_files_are_refused(tree: SimpleNamespace) -> None:
    (tree.root / "articles" / "long.md").write_text("x" * 2000)
    (tree.root / "references.bib").write_text("%" * 3000)
    refused = _refused(tree, article=1000, bib=1000)
    assert "over the limit" in refused["articles/long.md"]
    assert "over the limit" in refused["references.bib"]


# -- front matter ----------------------------------------------------------------------------

LAUGHS = "\n".join([
    "title: Lol", "a: &a ['lol','lol','lol','lol','lol','lol','lol','lol','lol']",
    *(f"{n}: &{n} [{','.join([f'*{p}'] * 9)}]" for p, n in zip("abcdefgh", "bcdefghi")),
])


@pytest.mark.parametrize(("yaml_text", "words"), [
    (LAUGHS, "anchor (&a)"),
    ("title: x\nsummary: *nothing", "alias (*nothing)"),
    ("base: &b {column: News}\ntitle: x\n<<: *b", "anchor (&b)"),
    ("title: !!str &t x\ncolumn: *t", "anchor (&t)"),
    ("title: " + "[" * 50 + "]" * 50, "nests more than"),
    ("".join(f"{' ' * i}k{i}:\n" for i in range(20)) + " " * 20 + "v: 1", "nests more than"),
    ("title: " + "x" * 70_000, "over the limit"),
])
def test_front_matter_that_could_stall_a_loader_is_refused_unread(
    yaml_text: str, words: str
) -> None:
    problem = front_matter_hazard(yaml_text, 2)
    assert problem is not None and words in problem.message
    parsed = parse_front_matter(f"---\n{yaml_text}\n---\nBody.\n")
    assert parsed.unsafe and parsed.record is None


def test_ordinary_front_matter_has_no_hazard() -> None:
    text = (ROOT / f"{ARTICLE}.md").read_text(encoding="utf-8")
    parsed = parse_front_matter(text)
    assert not parsed.unsafe and parsed.record is not None


# -- a hostile copy of the project, built ----------------------------------------------------

BODY = """

```{include} ../../secret.txt
```

```{include} ../.git/config
```

```{literalinclude} ../../secret.txt
```

```{csv-table} Data
:file: ../../secret.csv
```

```{csv-table} Remote
:url: http://127.0.0.1:9/data.csv
```

![leak](../../secret.png)

```{figure} ../../secret.png
A figure.
```

{download}`get it <../../secret.txt>`
"""


# every field a contributor writes that reaches a page's metadata, JSON-LD, search index
# or scripts, each trying to close the element it lands in
CLOSE = "</script><script>alert(1)</script>\"'-->"
SCRIPT_FIELDS = f"""---
title: {json.dumps("Title " + CLOSE)}
column: {json.dumps("Column " + CLOSE)}
summary: {json.dumps("Summary " + CLOSE)}
keywords: [{json.dumps("keyword " + CLOSE)}]
authors:
  - name: {json.dumps("Author " + CLOSE)}
    affiliation: {json.dumps("Affiliation " + CLOSE)}
---

Body {CLOSE}
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    base = tmp_path_factory.mktemp("hostile-paths")
    (base / "secret.txt").write_text(SECRET + "\n")
    (base / "secret.csv").write_text(f"a,b\n{SECRET},1\n")
    (base / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n" + SECRET.encode())
    src = copy_project(base / "src")
    (src / ".git").mkdir()
    (src / ".git" / "config").write_text(f"[http] extraheader = {SECRET}\n")
    article = src / f"{ARTICLE}.md"
    original = article.read_text(encoding="utf-8")
    article.write_text(original + BODY, encoding="utf-8")
    (src / "articles" / "linked.md").symlink_to(base / "secret.txt")
    (src / "articles" / "folder").symlink_to(base)
    (src / "_static" / "images" / "linked.png").symlink_to(base / "secret.png")
    (src / "articles" / "x';alert(1)'.md").write_text(original, encoding="utf-8")
    (src / "articles" / "script-fields.md").write_text(SCRIPT_FIELDS, encoding="utf-8")
    pictures = src / "_static" / "images"
    (pictures / "x'onerror='alert(1).svg").write_bytes((pictures / "favicon.svg").read_bytes())
    (pictures / "a[1]").mkdir()
    (pictures / "a[1]" / "b.svg").write_bytes((pictures / "favicon.svg").read_bytes())
    bomb = original.replace("---\n", "---\n" + LAUGHS.replace("title: Lol\n", "") + "\n", 1)
    (src / "articles" / "laughs.md").write_text(bomb, encoding="utf-8")
    strict = sphinx_build(src, outdir=base / "strict")
    lenient = sphinx_build(src, outdir=base / "lenient", strict=False)
    lines = original.count("\n") + BODY[: BODY.index("```{include}")].count("\n")
    return SimpleNamespace(src=src, strict=strict, lenient=lenient, out=base / "lenient",
                           first_line=lines + 1, original=original)


@pytest.mark.parametrize(("needle", "words"), [
    ("```{include} ../../secret.txt", "is outside the project"),
    ("```{include} ../.git/config", "is inside .git/"),
    ("```{literalinclude}", "is outside the project"),
    ("```{csv-table} Data", "is outside the project"),
    ("```{csv-table} Remote", "may not read a web address"),
    ("![leak]", "this image cannot be shown"),
    ("```{figure}", "this image cannot be shown"),
    ("{download}", "this download cannot be offered"),
])
def test_each_refusal_is_reported_at_its_line(
    hostile: SimpleNamespace, needle: str, words: str
) -> None:
    where = f"{ARTICLE}.md:{line_in_appended(hostile.original, BODY, needle)}:"
    located = messages_at(hostile.strict.stderr, where)
    text = hostile.strict.stderr
    assert located, f"nothing at {where}:\n{text}"
    block = text[text.index(located[0]):][:600]
    assert words in block


@pytest.mark.parametrize(("path", "words"), [
    ("articles/linked.md", "symbolic link"),
    ("articles/folder", "symbolic link"),
    ("_static/images/linked.png", "symbolic link"),
    ("articles/x';alert(1)'.md", "cannot be used for an article"),
    ("articles/laughs.md:2", "anchor (&a)"),
    ("_static/images/x'onerror='alert(1).svg", "rename it, for example to 'x-onerror-alert-1.svg'"),
    ("_static/images/a[1]/b.svg", "the folder name 'a[1]' cannot be used"),
])
def test_files_are_refused_by_name(hostile: SimpleNamespace, path: str, words: str) -> None:
    lines = messages_at(hostile.strict.stderr, f"{path}:")
    assert lines and words in lines[0], hostile.strict.stderr


def test_the_strict_build_fails_without_a_traceback(hostile: SimpleNamespace) -> None:
    assert hostile.strict.returncode != 0
    for result in (hostile.strict, hostile.lenient):
        assert "Traceback" not in result.stderr + result.stdout
        assert "Exception occurred" not in result.stderr


def test_nothing_outside_the_project_reaches_any_output(hostile: SimpleNamespace) -> None:
    assert (hostile.out / "index.html").is_file(), hostile.lenient.stderr
    leaked = [
        path for path in hostile.out.rglob("*")
        if path.is_file() and SECRET.encode() in path.read_bytes()
    ]
    assert leaked == []
    assert not (hostile.out / "articles" / "linked.html").exists()
    assert not (hostile.out / "_static" / "images" / "linked.png").exists()
    assert not [p for p in hostile.out.rglob("*") if set(p.name) & set("'\"<>;()")]
    assert not [p for p in hostile.out.rglob("*") if "a[1]" in str(p) and p.is_file()]


def test_no_page_holds_the_hostile_name_in_a_script(hostile: SimpleNamespace) -> None:
    """Contributors' strings reach scripts only escaped: never as markup that could close
    the element or a JavaScript string, and JSON-LD still reads back to the exact text."""
    page = hostile.out / "articles" / "script-fields.html"
    assert "Title &lt;/script&gt;" in page.read_text(encoding="utf-8")  # shown, as text
    found = []
    for page in hostile.out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        for block in html.split("<script")[1:]:
            attributes, _, body = block.split("</script>", 1)[0].partition(">")
            for raw in ("<script>alert(1)", "';alert(1)'", "-->"):
                assert raw not in body, (page, body[:200])
            if "application/ld+json" in attributes and "Title" in body:
                found.append(json.loads(body))
    assert any(data.get("headline") == f"Title {CLOSE}" for data in found), found


def _gate_refuses(src: Path, expected: str, absent: str = "Traceback") -> None:
    """``make check-quick`` and ``make check`` on ``src`` both fail with ``expected`` and no
    traceback (nor ``absent``)."""
    env = {**os.environ, "PYTHONPATH": str(src / "_ext")}
    for extra in (["--quick"], []):
        result = subprocess.run(
            [sys.executable, "-m", "magazine.gate.check", *extra], cwd=src, env=env,
            capture_output=True, text=True, check=False, timeout=300,
        )
        output = result.stdout + result.stderr
        assert result.returncode == 1, output
        assert expected in output, output
        assert "Traceback" not in output and "MemoryError" not in output
        assert absent not in output, output


def test_the_gate_refuses_the_alias_bomb_fast(tmp_path: Path) -> None:
    src = copy_project(tmp_path / "src")
    article = src / f"{ARTICLE}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("---\n", "---\n" + LAUGHS + "\n", 1), encoding="utf-8")
    _gate_refuses(src, f"{ARTICLE}.md:3: error: the front matter uses a YAML anchor (&a)")


def test_the_gate_names_the_reason_for_a_refused_include(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text(SECRET)
    src = copy_project(tmp_path / "src")
    article = src / f"{ARTICLE}.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text + "\n```{include} ../../secret.txt\n```\n", encoding="utf-8")
    line = text.count("\n") + 2
    result = subprocess.run(
        [sys.executable, "-m", "magazine.gate.check"], cwd=src, capture_output=True, text=True,
        env={**os.environ, "PYTHONPATH": str(src / "_ext")}, check=False, timeout=300,
    )
    found = [out for out in result.stdout.splitlines() if out.startswith(f"{ARTICLE}.md:{line}:")]
    assert result.returncode == 1 and found, result.stdout + result.stderr
    assert "is outside the project" in found[0] and "copy what it needs" in found[0]
    assert SECRET not in result.stdout + result.stderr


# -- @string macros that expand without bound -----------------------------------------------


def _doubling(levels: int, fan: int = 10) -> str:
    rules = [f"@string{{m{i} = " + " # ".join([f"m{i - 1}"] * fan) + "}" for i in range(1, levels)]
    return "\n".join(['@string{m0 = "0123456789"}', *rules,
                      f"@article{{k, title = m{levels - 1}, journal = {{J}}, year = 2020}}", ""])


@pytest.mark.parametrize(("text", "line"), [
    (_doubling(10), 7),  # ten times longer at each level
    (_doubling(40, fan=2), 18),  # twice as long at each level
    (_doubling(10).replace("@string{", "@STRING("). replace("}\n@", ")\n@"), 7),
    ('@string{big = "' + "x" * 300_000 + '"}\n'
     + "".join(f"@misc{{k{i}, note = big # big}}\n" for i in range(100)), 9),
    ('@string{big = "' + "x" * 300_000 + '"}\n' + "@preamble{big # big}\n" * 10, 8),
])
def test_macros_that_expand_past_the_bound_are_refused(text: str, line: int) -> None:
    found = expansion_problem(text)
    assert found is not None, "not refused"
    assert found[0] == line and "expand to more than" in found[1] and "#" in found[1]


@pytest.mark.parametrize("text", [
    (ROOT / "references.bib").read_text(encoding="utf-8"),
    '@string{jn = "Journal of Things"}\n@article{a, journal = jn # " Quarterly", month = jan}\n',
    '@string{big = "' + "x" * 300_000 + '"}\n@misc{a, note = big}\n',  # large, not multiplied
    "@article{a, title = {A # B}, note = \"@string{x = y}\"}\n",
])
def test_ordinary_macros_pass(text: str) -> None:
    assert expansion_problem(text) is None


def test_the_gate_refuses_a_macro_bomb_without_building_it(tmp_path: Path) -> None:
    src = copy_project(tmp_path / "src")
    bib = src / "references.bib"
    before = bib.read_text(encoding="utf-8").count("\n")
    bib.write_text(bib.read_text(encoding="utf-8") + _doubling(12), encoding="utf-8")
    # one message: the citations of its entries do not each say the key is missing
    _gate_refuses(src, f"references.bib:{before + 7}: error: the @string macros",
                  absent="no bibliography entry has the key")


def test_one_slug_for_article_names_columns_and_new_articles() -> None:
    """Article names, column pages and `make new-article` share one slug: accents folded."""
    from magazine.web import links
    from magazine.articles.identifiers import slug
    from magazine.cli.newarticle import slugify

    assert slug("Ciência Aberta") == links.slug("Ciência Aberta") == "ciencia-aberta"
    assert slugify("Ciência Aberta: " + "x" * 100).startswith("ciencia-aberta-x")
    assert len(slugify("y" * 200)) == 80
    assert links.slug("!!!") == "column"
