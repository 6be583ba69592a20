"""The magazine at archive scale: the same pages however the work is divided.

The sites come from the benchmark's generator (``benchmarks/generate.py``): articles of
ten citations each, works cited by several articles, every entry type the style knows.
Nothing here measures time; the benchmark does (``make bench``).
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path

import pytest
from conftest import ROOT, build

sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import Site, generate  # noqa: E402

from magazine.config import read_conf

# sphinxcontrib-bibtex's own (unindexed) domain under the magazine's citation order
LIBRARY_DOMAIN = '''
from magazine.citations.workscited import WorksCitedDomain


def setup(app):
    app.setup_extension("magazine")
    app.add_domain(WorksCitedDomain, override=True)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
'''


def files(outdir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(outdir)): p.read_bytes()
            for p in sorted(outdir.rglob("*")) if p.is_file()}


def different(one: dict[str, bytes], two: dict[str, bytes]) -> list[str]:
    return sorted(name for name in one.keys() | two.keys() if one.get(name) != two.get(name))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return generate(tmp_path_factory.mktemp("scale") / "src", articles=12, references=150)


@pytest.fixture(scope="module")
def serial_html(site: Site, tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    result = build(site.srcdir, builddir=tmp_path_factory.mktemp("serial"))
    assert result.returncode == 0, result.stderr
    return files(result.outdir)


def test_parallel_build_writes_the_same_files(site: Site, serial_html: dict, tmp_path: Path) -> None:
    result = build(site.srcdir, parallel=2, builddir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert different(serial_html, files(result.outdir)) == []


def test_indexed_domain_gives_the_librarys_answers(site: Site, serial_html: dict,
                                                   tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(site.srcdir, src)
    (src / "_ext" / "library_domain.py").write_text(LIBRARY_DOMAIN, encoding="utf-8")
    extensions = [*read_conf(src)["extensions"], "library_domain"]
    result = build(src, confoverrides={"extensions": extensions}, builddir=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "library_domain" in sys.modules  # the library's domain did answer
    assert different(serial_html, files(result.outdir)) == []


def build_counting_lists(src: Path) -> list[str]:
    """Build in this process; the documents whose Works Cited list was formatted."""
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=src)
    formatted: list[str] = []
    domain = app.env.get_domain("cite")
    original = domain._format  # type: ignore[attr-defined]

    def counting(bibliography_key, *args):  # noqa: ANN001, ANN202
        formatted.append(bibliography_key.docname)
        return original(bibliography_key, *args)

    domain._format = counting  # type: ignore[attr-defined]
    try:
        app.build()
        assert "WARNING" not in app.warning.getvalue()
    finally:
        app.cleanup()
    return sorted(formatted)


def test_lists_are_formatted_again_only_when_their_entries_change(site: Site,
                                                                  tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(site.srcdir, src)
    articles = sorted(f"articles/{a.name}" for a in site.articles)
    assert build_counting_lists(src) == articles
    assert build_counting_lists(src) == []  # nothing changed

    work = next(w for w in site.works if len(site.citers(w.key)) >= 2)
    bib = src / "references.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index(f"{{{work.key},")
    at = text.index("title", start)
    bib.write_text(text[:at] + "title = {A retitled work},\n  old" + text[at:], encoding="utf-8")
    assert build_counting_lists(src) == sorted(f"articles/{a.name}" for a in site.citers(work.key))


def test_article_pages_do_not_grow_with_the_archive(site: Site, serial_html: dict) -> None:
    """No navigation lists the archive on an article page: at most the previous and next
    article are linked (the front page and the column pages list them all)."""
    for article in site.articles[:3]:
        page = serial_html[f"articles/{article.name}.html"].decode("utf-8")
        others = set(re.findall(r'href="(?:[^"#]*/)?(article-\d+)\.html', page)) - {article.name}
        assert len(others) <= 2, others


def test_the_environment_keeps_no_written_page(site: Site, tmp_path: Path) -> None:
    """sphinxcontrib-bibtex fills the citation nodes its directive keeps in the environment
    and moves them into the page it writes; the magazine has it fill copies. Otherwise the
    environment holds every page written (memory, and collections that cross them all), and
    a page written again in the same process lists each work twice."""
    from sphinx.testing.util import SphinxTestApp

    src = tmp_path / "src"
    shutil.copytree(site.srcdir, src)
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
        assert "WARNING" not in app.warning.getvalue()
        kept = [node for bibliography in app.env.get_domain("cite").bibliographies.values()
                for node in bibliography.citation_nodes.values()]
        assert kept
        assert all(node.parent is None and not node.children for node in kept)

        docname = f"articles/{site.articles[0].name}"
        page = app.outdir / f"{docname}.html"
        first = page.read_text(encoding="utf-8")
        app.builder.write_documents({docname})
        assert page.read_text(encoding="utf-8") == first
    finally:
        app.cleanup()


def test_a_parallel_reader_sends_back_only_what_is_merged() -> None:
    """With -j, each reading process pickles its environment back to the main process; the
    parsed bib file and the formatted lists stay out of it (``_ext/magazine/speedups/forkdata.py``)."""
    import pickle

    sys.path.insert(0, str(ROOT / "_ext"))
    from magazine.speedups import forkdata

    data = forkdata.MainProcessData(bibdata="the parsed bib file", bibliographies={"a": 1},
                                    citation_refs=[2])
    data.main_only = frozenset({"bibdata"})
    data.owner_pid = os.getpid()

    saved = pickle.loads(pickle.dumps(data))  # the main process saving the environment
    assert type(saved) is dict
    assert saved == {"bibdata": "the parsed bib file", "bibliographies": {"a": 1},
                     "citation_refs": [2]}

    data.owner_pid = os.getpid() + 1  # pickled in another process, as a reader does
    sent = pickle.loads(pickle.dumps(data))
    assert type(sent) is dict
    assert sent == {"bibliographies": {"a": 1}, "citation_refs": [2]}
