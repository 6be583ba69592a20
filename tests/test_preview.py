"""``make preview`` (issue 17): the warm preview server on a copy of the site.

No timings: what is checked is what it serves, which files a change rewrites, where a
problem is shown, and that nothing is left running when it stops.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pypdfium2 as pdfium
import pytest
from conftest import ARTICLE, copy_project, sphinx_build

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(log: Path, text: str, count: int = 1, timeout: float = 120) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        output = log.read_text(encoding="utf-8")
        if output.count(text) >= count:
            return output
        time.sleep(0.2)
    raise AssertionError(f"no {count}x {text!r} in:\n{log.read_text(encoding='utf-8')}")


def get(url: str) -> str:
    """The served page (the server may still be opening its port)."""
    for _ in range(300):
        try:
            return urllib.request.urlopen(url).read().decode()
        except OSError:
            time.sleep(0.1)
    return urllib.request.urlopen(url).read().decode()


def pages(outdir: Path) -> dict[str, int]:
    return {str(p.relative_to(outdir)): p.stat().st_mtime_ns for p in outdir.rglob("*.html")}


def test_the_preview_serves_rebuilds_reports_and_stops_cleanly(tmp_path: Path) -> None:
    src = copy_project(tmp_path / "src")
    port, log = free_port(), tmp_path / "preview.log"
    env = {**os.environ, "PYTHONPATH": str(src / "_ext"), "NO_COLOR": "1"}
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "magazine.preview", "--port", str(port)],
                                  cwd=src, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_for(log, "preview: serving")
        url = f"http://127.0.0.1:{port}/{ARTICLE}.html"
        served = get(url)
        assert "/websocket-reload" in served
        outdir = src / "_build" / "preview"
        on_disk = (outdir / f"{ARTICLE}.html").read_text(encoding="utf-8")
        assert "websocket-reload" not in on_disk  # the script is in the response only

        # an article edit rewrites that article's page
        before = pages(outdir)
        article = src / f"{ARTICLE}.md"
        text = article.read_text(encoding="utf-8")
        article.write_text(text + "\nA sentence added in the preview.\n", encoding="utf-8")
        wait_for(log, "preview: built", 2)
        after = pages(outdir)
        changed = {p for p in after if after[p] != before.get(p)}
        assert f"{ARTICLE}.html" in changed
        assert "A sentence added in the preview." in (outdir / f"{ARTICLE}.html").read_text()

        # a broken edit: located in the terminal and on the page; a fix recovers
        article.write_text(text.replace("title:", "bogusfield: x\ntitle:", 1), encoding="utf-8")
        output = wait_for(log, "preview: built", 3)
        located = f"{ARTICLE}.md:2: error: unknown front matter field 'bogusfield'"
        assert located in output
        served = get(url)
        assert "magazine-preview-problems" in served and "bogusfield" in served
        article.write_text(text, encoding="utf-8")
        wait_for(log, "preview: built", 4)
        assert "magazine-preview-problems" not in get(url)

        # conf.py changed: the builder process starts again, with fresh imports
        conf = src / "conf.py"
        conf.write_text(conf.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        wait_for(log, "restarting the builder")
        wait_for(log, "preview: built", 5)
        children = psutil.Process(server.pid).children(recursive=True)
        assert children  # the builder process
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(60)
    # nothing left behind: no builder, no forked child, no Manager (multiprocessing's
    # resource tracker ends a moment after the server, when its pipe closes)
    _, alive = psutil.wait_procs(children, timeout=20)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE]


# two more articles for the second test: one cites the entry it edits, one does not
CITING, OTHER = "articles/second-look-at-stem-cells", "articles/other-news"
ARTICLES = {
    CITING: ("A Second Look at Stem Cells", "The trial again {cite:p}`honmou2021intravenous`."),
    OTHER: ("Other News", "A note that cites another work {cite:p}`bangalore2021yale`."),
}
ENTRY_TITLE = "in spinal cord injury patients: 13 case series"


def add_articles(src: Path) -> None:
    for docname, (title, body) in ARTICLES.items():
        (src / f"{docname}.md").write_text(
            f"---\ntitle: {title}\ncolumn: News Byte\nsummary: >-\n  A short piece written "
            f"for the preview's tests, online first.\n---\n\n{body}\n", encoding="utf-8")


def start(src: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(src / "_ext"), "NO_COLOR": "1"}
    with log.open("w") as out:
        server = subprocess.Popen([sys.executable, "-m", "magazine.preview", "--port", str(port)],
                                  cwd=src, stdout=out, stderr=subprocess.STDOUT, env=env)
    return server, port


def next_build(log: Path, offset: int, timeout: float = 120) -> int:
    """Wait for a build reported after ``offset`` (in characters of the log); the new offset."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        output = log.read_text(encoding="utf-8")
        found = output.find("preview: built", offset)
        if found >= 0 and output.find("\n", found) >= 0:
            return output.find("\n", found) + 1
        time.sleep(0.1)
    raise AssertionError(f"no build after {offset} in:\n{log.read_text(encoding='utf-8')}")


def settle(log: Path, offset: int) -> int:
    """The builds of one save: the first reported, then any more for a second seconds."""
    offset = next_build(log, offset)
    while True:
        try:
            offset = next_build(log, offset, timeout=2)
        except AssertionError:
            return offset


def article_pages(outdir: Path) -> dict[str, int]:
    return {p: t for p, t in pages(outdir).items() if p.startswith("articles/")}


def rewritten(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {p for p in after if after[p] != before.get(p)}


def pdf_text(data: bytes) -> str:
    """The PDF's text, without spaces, line ends or hyphens (where a line breaks a word)."""
    document = pdfium.PdfDocument(data)
    text = "".join(page.get_textpage().get_text_range() for page in document)
    return re.sub(r"[\s\-\u00ad\u2010\x02]", "", text)


def squeeze(text: str) -> str:
    return re.sub(r"[\s\-]", "", text)


def fetch(url: str) -> tuple[str, bytes]:
    with urllib.request.urlopen(url, timeout=120) as response:
        return response.headers["Content-Type"], response.read()


#: the pages made from every article's record (the front page's list, the article's column
#: page, the feed), and the article's title there before and after an edit
RECORD_PAGES = ("index.html", "columns/news-byte.html", "atom.xml")
TITLE, RETITLED = "Stem Cell Therapy for Spinal Cord Injuries", "Stem Cells Retitled in the Preview"


def stamps(outdir: Path, names: tuple[str, ...]) -> dict[str, int]:
    return {name: (outdir / name).stat().st_mtime_ns for name in names}


def digests(outdir: Path) -> dict[str, str]:
    return {str(p.relative_to(outdir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(outdir.rglob("*")) if p.is_file()}


def test_preview_rewrites_only_what_a_save_changed_and_makes_the_article_pdf(
        tmp_path: Path) -> None:
    src = copy_project(tmp_path / "src")
    add_articles(src)
    # the published build of this root before any preview ran
    before_preview = src / "_build" / "published-before"
    done = sphinx_build(src, outdir=before_preview)
    assert done.returncode == 0, done.stdout + done.stderr
    article, bib = src / f"{ARTICLE}.md", src / "references.bib"
    originals = {path: path.read_text(encoding="utf-8") for path in (article, bib)}
    log = tmp_path / "preview.log"
    server, port = start(src, log)
    outdir = src / "_build" / "preview"
    try:
        wait_for(log, "preview: serving")
        offset = len(log.read_text(encoding="utf-8"))
        base = f"http://127.0.0.1:{port}"

        # an article edit rewrites that article's page and no other article's page, and
        # none of the pages made from every article's record (its record did not change)
        before, listed = article_pages(outdir), stamps(outdir, RECORD_PAGES)
        article.write_text(originals[article] + "\nA sentence added in the preview.\n",
                           encoding="utf-8")
        offset = settle(log, offset)
        assert rewritten(before, article_pages(outdir)) == {f"{ARTICLE}.html"}
        assert stamps(outdir, RECORD_PAGES) == listed
        # the pages kept are still in the sitemap (sphinx-sitemap lists the pages written)
        sitemap = (outdir / "sitemap.xml").read_text(encoding="utf-8")
        assert "columns/news-byte.html" in sitemap and f"{ARTICLE}.html" in sitemap

        # a bib entry edit rewrites the pages of the articles citing it, not the others'
        before = article_pages(outdir)
        bib.write_text(originals[bib].replace(ENTRY_TITLE, ENTRY_TITLE + ", revised"),
                       encoding="utf-8")
        offset = settle(log, offset)
        assert rewritten(before, article_pages(outdir)) == {f"{ARTICLE}.html", f"{CITING}.html"}
        assert "series, revised" in (outdir / f"{CITING}.html").read_text(encoding="utf-8")
        assert stamps(outdir, RECORD_PAGES) == listed

        # a new title is on the front page, its column's page and in the feed at once
        article.write_text(originals[article].replace(TITLE, RETITLED, 1)
                           + "\nA sentence added in the preview.\n", encoding="utf-8")
        offset = settle(log, offset)
        for page in RECORD_PAGES:
            text = (outdir / page).read_text(encoding="utf-8")
            assert RETITLED in text and TITLE not in text, page
        article.write_text(originals[article] + "\nA sentence added in the preview.\n",
                           encoding="utf-8")
        offset = settle(log, offset)
        for page in RECORD_PAGES:
            text = (outdir / page).read_text(encoding="utf-8")
            assert TITLE in text and RETITLED not in text, page

        # each article's served page links to its PDF; the page on disk does not
        served = get(f"{base}/{ARTICLE}.html")
        assert f'href="/_preview/pdf/{ARTICLE}"' in served and "PDF of this article" in served
        assert "PDF of this article" not in get(f"{base}/index.html")
        assert "_preview" not in (outdir / f"{ARTICLE}.html").read_text(encoding="utf-8")

        # the link gives the article's PDF, made from what is saved now
        kind, data = fetch(f"{base}/_preview/pdf/{ARTICLE}")
        assert kind == "application/pdf" and data.startswith(b"%PDF-")
        text = pdf_text(data)
        assert squeeze("Stem Cell Therapy for Spinal Cord Injuries") in text
        assert squeeze("A sentence added in the preview.") in text
        # saved and asked for at once, before the watcher has built it: the PDF has it
        article.write_text(originals[article] + "\nWords written just before the click.\n",
                           encoding="utf-8")
        _, data = fetch(f"{base}/_preview/pdf/{ARTICLE}")
        text = pdf_text(data)
        assert squeeze("Words written just before the click.") in text
        assert squeeze("A sentence added in the preview.") not in text
        # not an article: no PDF, and why
        with pytest.raises(urllib.error.HTTPError) as refused:
            fetch(f"{base}/_preview/pdf/index")
        assert refused.value.code == 500 and b"not an article" in refused.value.read()

        for path, text in originals.items():  # the sources as they were
            path.write_text(text, encoding="utf-8")
        settle(log, offset)
        _, final_pdf = fetch(f"{base}/_preview/pdf/{ARTICLE}")
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(60)

    # the PDF is the one the PDF edition publishes for the same sources, byte for byte
    done = sphinx_build(src, "typst", outdir=src / "_build" / "pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    name = f"{ARTICLE.split('/')[-1]}.pdf"
    assert final_pdf == (src / "_build" / "pdf" / name).read_bytes()

    # the published build after the preview is the one made before it: no preview in it
    after_preview = src / "_build" / "published-after"
    done = sphinx_build(src, outdir=after_preview)
    assert done.returncode == 0, done.stdout + done.stderr
    assert digests(after_preview) == digests(before_preview)
    for page in after_preview.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "websocket-reload" not in text and "magazine-preview" not in text
        assert "_preview/pdf" not in text


def entries_as_text(data) -> list[tuple[str, str, list, list]]:  # noqa: ANN001
    return [(key, e.type, sorted(e.fields.items()),
             sorted((role, [str(p) for p in people]) for role, people in e.persons.items()))
            for key, e in data.entries.items()]


def test_the_preview_parses_the_bib_file_by_pieces_as_pybtex_parses_it_whole() -> None:
    """What the preview's bib parse gives (pieces parsed alone, then pieces kept from the
    last build) is what pybtex gives for the whole file; a piece pybtex would not parse
    alone (an error here) makes it parse the whole file, and keep nothing."""
    from conftest import ROOT
    from magazine.doors.pybtex026 import Parser, capture_errors
    from magazine.preview.incremental import BibMemo

    text = (ROOT / "references.bib").read_text(encoding="utf-8")
    whole = entries_as_text(Parser().parse_string(text))
    remembered: dict = {}
    memo = BibMemo(remembered)
    first = entries_as_text(memo.parser(Parser)().parse_string(text))
    memo.keep()
    assert first == whole and memo.parsed and remembered["bib"]["pieces"]
    edited = text.replace("in spinal cord injury patients", "in patients", 1)
    memo = BibMemo(remembered)
    again = memo.parser(Parser)().parse_string(edited)
    assert entries_as_text(again) == entries_as_text(Parser().parse_string(edited))
    unchanged = [k for k, e in again.entries.items() if any(e is kept for kept in
                 (x for entries in remembered["bib"]["pieces"].values() for x in entries))]
    assert len(unchanged) == len(again.entries) - 1  # every entry but the edited one kept
    broken = text.replace("@", "@misc{broken,\n  title = {no end}\n\n@", 1)
    memo = BibMemo(remembered)
    with capture_errors() as errors:
        parsed = memo.parser(Parser)().parse_string(broken)
    with capture_errors() as errors_whole:
        expected = Parser().parse_string(broken)
    assert entries_as_text(parsed) == entries_as_text(expected)
    assert [str(e) for e in errors] == [str(e) for e in errors_whole] and memo.whole
    memo.keep()
    assert remembered["bib"] == {}
