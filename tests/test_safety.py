"""Untrusted input never becomes live markup: not from an article, not from a bib field, in
no output (pages, metadata, feed, downloads, PDF source). Built here without -W, as if a
warning had been silenced, to prove the neutralising does not depend on the build failing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ARTICLE, copy_project

SCRIPT_TITLE = "<script>alert(1)</script> and <img src=x onerror=alert(2)>"
HOSTILE_ENTRY = f"""
@online{{hostile2020title,
  author       = {{Mallory, M.}},
  title        = {{{SCRIPT_TITLE}}},
  organization = {{"><script>alert(3)</script>}},
  url          = {{javascript:alert(4)}},
  date         = {{2020-01-01}},
}}
"""
HOSTILE_BODY = """
Inline <span onclick="alert(5)">HTML</span> and a [link](javascript:alert(6)), a
[data link](data:text/html;base64,PHNjcmlwdD4=) and [vb](vbscript:msgbox(7)).

<script>alert(8)</script>

<iframe src="https://example.org"></iframe>

```{raw} html
<script>alert(9)</script>
```

```{eval-rst}
.. raw:: html

   <script>alert(10)</script>
```

![pixel](data:image/svg+xml;base64,PHN2Zy8+)

Cited: {cite:p}`hostile2020title`.
"""

LIVE = [
    re.compile(r"<script>alert", re.IGNORECASE),
    re.compile(r"<(?:span|img|iframe)\b[^>]*\bon\w+\s*=", re.IGNORECASE),
    re.compile(r"<iframe", re.IGNORECASE),
    re.compile(r"""(?:href|src)\s*=\s*["']?\s*(?:javascript|data|vbscript):""", re.IGNORECASE),
]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    project = copy_project(tmp_path_factory.mktemp("hostile") / "src")
    with (project / "references.bib").open("a", encoding="utf-8") as bib:
        bib.write(HOSTILE_ENTRY)
    with (project / f"{ARTICLE}.md").open("a", encoding="utf-8") as article:
        article.write(HOSTILE_BODY)
    outputs = project / "_build"
    log = ""
    for builder in ("html", "typst"):
        result = subprocess.run(
            [sys.executable, "-m", "sphinx", "-b", builder, "-n", "-q", "-d",
             str(outputs / "doctrees"), str(project), str(outputs / builder)],
            capture_output=True, text=True, check=False,
        )
        assert "Traceback" not in result.stderr, result.stderr
        log += result.stderr
    return outputs, log


def markup_outputs(outputs: Path) -> list[Path]:
    """Every file a browser or feed reader parses as markup (pages, feed, sitemap). The
    downloads (.bib, .ris, .json) and the PDF's Typst source hold the hostile text as data,
    which is what they are for; the Typst tests prove it stays inside string literals."""
    return [p for p in outputs.rglob("*") if p.is_file() and p.suffix in {".html", ".xml"}
            and "doctrees" not in p.parts and "_static" not in p.parts]


def test_every_page_and_feed_is_free_of_live_markup(hostile_site: tuple[Path, str]) -> None:
    outputs, _ = hostile_site
    files = markup_outputs(outputs)
    assert {p.name for p in files} >= {"index.html", "atom.xml", f"{Path(ARTICLE).name}.html"}
    offending = [
        f"{path.relative_to(outputs)}: {pattern.pattern}"
        for path in files
        for pattern in LIVE
        if pattern.search(path.read_text(encoding="utf-8", errors="replace"))
    ]
    assert offending == []


def test_hostile_text_is_still_shown_as_text(hostile_site: tuple[Path, str]) -> None:
    outputs, _ = hostile_site
    html = (outputs / "html" / f"{ARTICLE}.html").read_text(encoding="utf-8")
    text = BeautifulSoup(html, "html.parser").get_text()
    assert SCRIPT_TITLE in text  # the bib title, as text in the Works Cited
    assert "<script>alert(8)</script>" in text  # the HTML block, as literal text


def test_each_refusal_was_reported(hostile_site: tuple[Path, str]) -> None:
    _, log = hostile_site
    for needle in ("raw HTML is not allowed", "'javascript:' address", "'data:' address",
                   "'vbscript:' address", "raw directive is not allowed",
                   "eval-rst directive is not allowed", "an image from a 'data:' address",
                   "only web addresses starting with https://"):
        assert needle in log, needle
