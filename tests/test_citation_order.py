"""First-citation order is each article's own: two articles that cite the same works in
opposite orders list them in opposite orders."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ARTICLE, build, copy_project

EARLIER = """---
title: An Earlier Article
column: News Byte
summary: It cites the interview and the journal article before the news story.
date: 2030-01-01
---

First the case series {cite:p}`honmou2021intravenous`, then the interview
{cite:p}`kocsis2021interview`, and last the news {cite:p}`bangalore2021yale`.
"""


def entry_ids(page: Path) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return [e["id"] for e in soup.select("section#works-cited .works-cited-entry")]


def test_each_list_follows_its_own_article(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "src")
    # "aaa-" sorts before the seed article, so it is read, and cites, first
    (project / "articles" / "aaa-earlier.md").write_text(EARLIER, encoding="utf-8")
    result = build(project)
    assert result.returncode == 0, result.stderr
    html = result.outdir
    assert entry_ids(html / "articles" / "aaa-earlier.html") == [
        "ref-honmou2021intravenous", "ref-kocsis2021interview", "ref-bangalore2021yale",
    ]
    assert entry_ids(html / f"{ARTICLE}.html") == [
        "ref-bangalore2021yale", "ref-kocsis2021interview", "ref-honmou2021intravenous",
    ]
