"""The web side: sphinx-autobuild's watcher, websocket and script injector; the builder
process supervised (restarted when conf.py or _ext/ change); problems in the terminal and
on the served page; on each served article page a link, "PDF of this article", to
``/_preview/pdf/<docname>``, which builds that one article's PDF into ``_build/preview-pdf``
and returns it. The link and the problems box are added to responses only, never to files,
so nothing of the preview can reach a published build."""

from __future__ import annotations

import asyncio
import html
import multiprocessing
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import watchfiles
from sphinx_autobuild.middleware import JavascriptInjectorMiddleware
from sphinx_autobuild.server import RebuildServer
from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles

from ..gate.check import SPHINX_LINE_RE, Finding
from . import builder

if TYPE_CHECKING:
    from collections.abc import Callable

WATCHED = ("articles", "_static", "issues", "_templates", "index.md", "references.bib")
RESTARTS = ("conf.py", "_ext")
PDF_ROUTE = "/_preview/pdf/"  # + docname: the article's PDF, made when asked for


def relative(srcdir: Path, path: Path) -> str:
    try:
        return path.resolve().relative_to(srcdir).as_posix()
    except ValueError:
        return ""


def findings(srcdir: Path, text: str) -> list[Finding]:
    """Sphinx's warnings as ``make check`` prints them."""
    found = []
    for line in text.splitlines():
        match = SPHINX_LINE_RE.match(line.strip())
        if match is None:
            continue
        where = match.group("where").removeprefix(str(srcdir) + "/").rstrip(":")
        number = int(match.group("line")) if match.group("line") else None
        found.append(Finding(where, number, match.group("message")))
    return found


class Builder:
    """The builder process, one request at a time."""

    def __init__(self, srcdir: Path, outdir: Path, doctreedir: Path,
                 pdfdir: Path | None = None) -> None:
        self.args = (str(srcdir), str(outdir), str(doctreedir))
        self.srcdir = srcdir
        self.pdfdir = pdfdir or outdir.parent / "preview-pdf"
        self.lock = threading.Lock()
        self.process: Any = None
        self.problems: list[Finding] = []
        self.articles: set[str] = set()  # the docnames whose pages get the PDF link

    def start(self) -> None:
        context = multiprocessing.get_context("spawn")  # fresh imports on every start
        self.conn, child = context.Pipe()
        self.process = context.Process(target=builder.run, args=(child, *self.args))
        self.process.start()
        child.close()

    def stop(self) -> None:
        if self.process is None:
            return
        try:
            self.conn.send(("stop",))
        except OSError:
            pass
        self.process.join(30)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = None

    def __call__(self, changed_paths: list[Path]) -> dict[str, Any]:
        with self.lock:
            if any(relative(self.srcdir, p).split("/")[0] in RESTARTS for p in changed_paths):
                print("preview: conf.py or _ext/ changed; restarting the builder", flush=True)
                self.stop()
                self.start()
            self.conn.send(("build", [str(p) for p in changed_paths]))
            result = self.conn.recv()
        return self.reported(result)

    def pdf(self, docname: str) -> dict[str, Any]:
        """A build (whatever was saved since the last one), then ``docname``'s PDF."""
        with self.lock:
            self.conn.send(("pdf", docname, str(self.pdfdir)))
            result = self.conn.recv()
        result = self.reported(result)
        if "pdf" in result:
            print(f"preview: PDF of {docname} made in {result.get('seconds', 0)} s", flush=True)
        return result

    def reported(self, result: dict[str, Any]) -> dict[str, Any]:
        problems = findings(self.srcdir, result.get("warnings", ""))
        if not result.get("ok"):
            problems.append(Finding("(build)", None, result.get("error", "")))
        if result.get("pdf_error"):
            problems.append(Finding("(PDF)", None, result["pdf_error"]))
        self.problems = problems
        if "articles" in result:
            self.articles = set(result["articles"])
        for problem in problems:
            print(problem, file=sys.stderr, flush=True)
        print(f"preview: built in {result.get('seconds', 0)} s; read: "
              f"{', '.join(result.get('read', [])) or 'nothing'}", flush=True)
        return result


class Watcher(RebuildServer):
    """sphinx-autobuild's server, the rebuild in a thread instead of a process pool.

    ``on_ready`` is called once the file watcher runs: a save made before that would be
    missed, so "serving" is said only then (the first empty round of the watch shows it)."""

    on_ready: Callable[[], None] | None = None

    async def watch(self) -> None:
        ready = False
        async for changes in watchfiles.awatch(
            *self.paths, watch_filter=lambda _, path: not self.ignore(path),
            stop_event=self.should_exit, yield_on_timeout=True, rust_timeout=200,
        ):
            if not ready:
                ready = True
                if self.on_ready is not None:
                    self.on_ready()
            if not changes:
                continue
            changed = [Path(path).resolve() for _, path in changes]
            await asyncio.to_thread(self.change_callback, changed)
            self.flag.set()


def pdf_link(docname: str) -> bytes:
    """The link an article's served page gets (the page's own PDF links are the edition's)."""
    return (f'<a id="magazine-preview-pdf" href="{html.escape(PDF_ROUTE + docname)}" '
            f'target="_blank" rel="noopener" style="position:fixed;top:.5em;right:.5em;'
            f'z-index:9999;background:#ffd;color:#003;border:1px solid #663;padding:.3em .6em;'
            f'font:bold 14px sans-serif">PDF of this article</a>').encode()


def served_docname(path: str) -> str:
    """``/articles/name.html`` (or ``/articles/name``) -> ``articles/name``."""
    return path.strip("/").removesuffix(".html")


class ProblemsMiddleware:
    """Adds the current problems, escaped, to served HTML pages, and to an article's page the
    link to its PDF (never to files)."""

    def __init__(self, app: Any, build: Builder) -> None:
        self.app, self.build = app, build

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = b""
        docname = served_docname(scope.get("path", ""))

        async def wrapped(message: Any) -> None:
            nonlocal extra
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                is_html = headers.get("Content-Type", "").startswith("text/html")
                if is_html and docname in self.build.articles:
                    extra += pdf_link(docname)
                if is_html and self.build.problems:
                    items = "".join(f"<li>{html.escape(str(p))}</li>" for p in self.build.problems)
                    extra += (f'<div id="magazine-preview-problems" role="alert" style="position:'
                             f'fixed;bottom:0;left:0;right:0;max-height:40vh;overflow:auto;'
                             f'background:#fee;color:#600;border-top:2px solid #c00;padding:'
                             f'.5em 1em;z-index:9999"><strong>Problems</strong><ul>{items}'
                             f"</ul></div>").encode()
                if extra and "Content-Length" in headers:
                        headers["Content-Length"] = str(int(headers["Content-Length"]) + len(extra))
            elif message["type"] == "http.response.body" and not message.get("more_body"):
                message["body"] += extra
            await send(message)

        await self.app(scope, receive, wrapped)


def pdf_endpoint(build: Builder) -> Any:
    """``GET /_preview/pdf/<docname>``: the article's PDF, made now from what is saved."""

    async def article_pdf(request: Request) -> Response:
        docname = request.path_params["docname"].removesuffix(".pdf")
        result = await asyncio.to_thread(build.pdf, docname)
        if "pdf" not in result:
            problems = "".join(f"<li>{html.escape(str(p))}</li>" for p in build.problems)
            return HTMLResponse(f"<!DOCTYPE html><title>No PDF</title><h1>No PDF of "
                                f"{html.escape(docname)}</h1><ul>{problems}</ul>", 500)
        data = Path(result["pdf"]).read_bytes()
        name = Path(result["pdf"]).name
        return Response(data, media_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{name}"', "Cache-Control": "no-store"})

    return article_pdf


def application(srcdir: Path, outdir: Path, build: Builder, url_host: str,
                on_ready: Callable[[], None] | None = None) -> Starlette:
    paths = [srcdir]

    def ignore(path: str) -> bool:
        rel = relative(srcdir, Path(path))
        name = Path(path).name
        if not rel or name.startswith(".") or name.endswith(("~", ".swp", ".pyc", ".tmp")):
            return True
        if "__pycache__" in rel.split("/"):
            return True
        top = rel.split("/")[0]
        return top not in WATCHED + RESTARTS and not (top == rel and rel.endswith(".bib"))

    watcher = Watcher(paths, ignore, change_callback=build)
    watcher.on_ready = on_ready
    return Starlette(
        routes=[
            WebSocketRoute("/websocket-reload", watcher, name="reload"),
            Route(PDF_ROUTE + "{docname:path}", pdf_endpoint(build), name="pdf"),
            Mount("/", app=StaticFiles(directory=outdir, html=True), name="static"),
        ],
        middleware=[Middleware(JavascriptInjectorMiddleware, ws_url=url_host),
                    Middleware(ProblemsMiddleware, build=build)],
        lifespan=watcher.lifespan,
    )
