"""``make preview`` (issue 17): the warm preview server on a copy of the site.

No timings: what is checked is what it serves, which files a change rewrites, where a
problem is shown, and that nothing is left running when it stops.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from conftest import ARTICLE, copy_project

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
