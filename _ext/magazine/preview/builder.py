"""The builder process: Sphinx set up once, the environment held, one forked child per build.

The process makes one Sphinx application and stops it halfway: the extensions are set up
and ``conf.py`` is read, and where Sphinx would load the environment
(:meth:`PreviewSphinx._init_env`) the process waits for builds instead. For each build it
forks; the child returns from there with the held environment (no unpickling), creates the
builder and builds, reports, and only then pickles the environment, which the process
loads back as the one it holds. The application and the extensions are thus set up once
per process, not once per build.

A ``("pdf", docname, folder)`` request is a build like the others (so a save the watcher has
not built yet is in it), after which the child makes that one article's PDF into ``folder``
with the project's Typst builder on the environment it holds: the article resolved and
written as Typst, its main file, its images, and one compilation (:func:`_article_pdf`). No
other document is read, written or typeset.
"""

from __future__ import annotations

import gc
import io
import json
import os
import pickle
import time
import traceback
from pathlib import Path
from typing import Any

from . import incremental

ENV_PICKLE = "environment.pickle"


class Stopped(Exception):  # noqa: N818 - not an error: the server asked the process to end
    """The server asked the builder process to end."""


def _load_env(doctreedir: Path) -> Any:
    gc.disable()  # millions of objects made at once: the collector would walk them over and
    try:          # over (at 1,000 articles 1.3 s to load, 0.3 s without)
        with open(doctreedir / ENV_PICKLE, "rb") as f:
            env = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    finally:
        gc.enable()
    gc.freeze()  # the held environment is shared with the children, not copied by the GC
    return env


def _drop_env(serve: Serve) -> None:
    """Let go of the held environment before the next is loaded: frozen objects are never
    collected, and an environment is full of reference cycles, so each build's environment
    stayed in memory for as long as the process ran."""
    serve.env = None
    gc.unfreeze()
    gc.collect()


class Serve:
    """The process's side of the pipe, and what each child needs to know of its build."""

    def __init__(self, conn: Any, doctreedir: Path) -> None:
        self.conn, self.doctreedir = conn, doctreedir
        self.env: Any = _load_env(doctreedir)
        #: what this process's builds remember of each other (preview.incremental) is theirs
        self.token = os.urandom(8).hex()
        self.in_child = False
        self.changed: list[str] = []
        self.pdf: tuple[str, str] | None = None  # (docname, folder): this build makes its PDF
        self.report = -1
        self.started = 0.0
        self.profile: Any = None

    def serve(self) -> None:
        """Fork a child per build request and relay its report; return in the child only."""
        while True:
            try:
                message = self.conn.recv()
            except EOFError:
                raise Stopped from None
            if message[0] not in ("build", "pdf"):
                raise Stopped
            self.started = time.perf_counter()
            self.changed, self.pdf = ([], (message[1], message[2])) if message[0] == "pdf" \
                else (message[1], None)
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                self.in_child, self.report = True, write_end
                if os.environ.get("MAGAZINE_PREVIEW_PROFILE"):  # the whole child, for work on this
                    import cProfile  # noqa: PLC0415

                    self.profile = cProfile.Profile()
                    self.profile.enable()  # from the fork: the builder's set-up too
                return
            os.close(write_end)
            with os.fdopen(read_end, "rb") as report:
                line = report.readline()
                result = json.loads(line) if line else {
                    "ok": False, "error": "the build stopped", "warnings": "", "read": []}
                self.conn.send(result)
                reload = result.get("pickled") or self.env is None
                if reload:  # while the child pickles the new one (it has its own copy)
                    _drop_env(self)
                report.read()  # the child pickles the environment, then closes its end
            os.waitpid(pid, 0)
            if reload:
                self.env = _load_env(self.doctreedir)

    def send(self, result: dict[str, Any]) -> None:
        """In the child: the report, one line of JSON."""
        result["seconds"] = round(time.perf_counter() - self.started, 3)
        os.write(self.report, (json.dumps(result) + "\n").encode())


def preview_application(serve: Serve) -> type:
    """Sphinx's application, waiting for builds where it would load the environment."""
    from sphinx.application import Sphinx  # noqa: PLC0415

    class PreviewSphinx(Sphinx):
        def _init_env(self, freshenv: bool) -> Any:  # noqa: FBT001 - Sphinx's signature
            serve.serve()  # returns in a forked child only
            if serve.env is None:
                env = super()._init_env(freshenv)
            else:
                env = serve.env
                env.setup(self)
                self._fresh_env_used = False
            incremental.install_bib(env, serve.token)  # before the bib files are parsed
            return env

    return PreviewSphinx


def _defer_pickling() -> list[tuple[Any, str]]:
    """``pickle`` as sphinx.builders sees it: the environment's dump is kept for after the
    report (the other pickles are written as usual)."""
    import sphinx.builders as builders_module  # noqa: PLC0415
    from sphinx.environment import BuildEnvironment  # noqa: PLC0415

    deferred: list[tuple[Any, str]] = []

    class DeferredPickle:
        def __getattr__(self, name: str) -> Any:
            return getattr(pickle, name)

        @staticmethod
        def dump(obj: Any, f: Any, protocol: int | None = None) -> None:
            if isinstance(obj, BuildEnvironment):
                deferred.append((obj, f.name))
            else:
                pickle.dump(obj, f, protocol)

    builders_module.pickle = DeferredPickle()  # type: ignore[assignment]
    return deferred


def _child_build(app: Any, serve: Serve, srcdir: Path, outdir: Path,
                 warnings: io.StringIO, deferred: list[tuple[Any, str]]) -> None:
    """In the forked child, the application made: build, report, then pickle."""
    read: list[str] = []
    result: dict[str, Any] = {"ok": True}
    try:
        app.connect("env-before-read-docs", lambda _a, _e, docnames: read.extend(docnames))
        builder = app.builder
        # a preview has no search: no index to load, add pages to or write
        builder.load_indexer = lambda _docnames: None
        builder.index_page = lambda *_args: None
        builder.dump_search_index = lambda: None
        # each child makes its builder afresh, and Jinja would compile every template of the
        # theme again (about a second): the compiled templates are kept between builds
        # (Jinja's bytecode cache checks each template's source, so an edit is seen)
        from jinja2 import FileSystemBytecodeCache  # noqa: PLC0415

        cache = serve.doctreedir / "jinja-bytecode"
        cache.mkdir(parents=True, exist_ok=True)
        builder.templates.environment.bytecode_cache = FileSystemBytecodeCache(str(cache))
        static = str(srcdir / "_static")
        static_changed = any(p.startswith(static) for p in serve.changed)
        if (outdir / "_static").is_dir() and not static_changed:
            builder.copy_static_files = lambda: None
        # what did not change since this process's last build is not made again
        incremental.install(app, serve.token, read, forced=static_changed)
        app.build()
    except Exception:  # noqa: BLE001 - shown to the contributor, the server keeps running
        result = {"ok": False, "error": traceback.format_exc(limit=3)}
        incremental.forget(app.env)  # what was remembered may not have been written
    if serve.pdf is not None:
        try:
            result.update(_article_pdf(app, *serve.pdf))
        except Exception:  # noqa: BLE001 - shown to the contributor, the server keeps running
            result.update(pdf_error=traceback.format_exc(limit=3))
    result.update(warnings=warnings.getvalue(), read=sorted(read), pickled=bool(deferred),
                  articles=_articles(app.env))
    serve.send(result)
    for obj, name in deferred:
        with open(name + ".tmp", "wb") as f:
            pickle.dump(obj, f, pickle.HIGHEST_PROTOCOL)
        os.replace(name + ".tmp", name)


def _articles(env: Any) -> list[str]:
    from ..articles.frontmatter import article_docnames  # noqa: PLC0415

    return list(article_docnames(env)) if env is not None else []


def _article_pdf(app: Any, docname: str, folder: str) -> dict[str, Any]:
    """One article's PDF, as the ``typst`` builder makes it (same templates, translator,
    page numbers and compiler), into ``folder``: ``{"pdf": path}`` or ``{"pdf_error": why}``.

    Only this article is resolved and compiled; its issue's PDF, the other articles' and the
    page check of ``make paginate`` are the PDF edition's, not the preview's."""
    from sphinx.util.osutil import copyfile  # noqa: PLC0415

    from ..pdf.builder import LIBRARY, TEMPLATES, TypstBuilder  # noqa: PLC0415
    from ..pdf.compile import PdfCompiler  # noqa: PLC0415
    from ..serial.issues import published  # noqa: PLC0415

    env = app.env
    record = published(env, docname) if docname in env.found_docs else None
    if record is None:
        return {"pdf_error": f"{docname} is not an article of this preview"}
    app.outdir = Path(folder)
    builder = TypstBuilder(app, env)
    app.builder = builder  # the post-transforms and handlers see the typst builder
    builder.init()  # builder-inited is not emitted again: the bib files are parsed already
    builder.prepare_writing({docname})
    builder.write_doc(docname, env.get_and_resolve_doctree(docname, builder, tags=builder.tags))
    _, main, output, timestamp = builder._write_article(docname, record)  # noqa: SLF001
    builder.copy_image_files()
    copyfile(TEMPLATES / LIBRARY, builder.sources / LIBRARY, force=True)
    config = app.config
    fonts = [Path(app.confdir, p) for p in config.magazine_pdf_font_paths]
    result = PdfCompiler(builder.sources, fonts, config.magazine_pdf_standards).compile(
        main, output, timestamp)
    if result.error is not None:
        return {"pdf_error": f"Typst could not make {output.name}: {result.error}"}
    return {"pdf": str(output), "pdf_warnings": result.warnings}


def _serve_errors(serve: Serve, error: str) -> None:
    """Sphinx could not even be set up (conf.py broken): every build reports why, until
    the server restarts the process."""
    while True:
        try:
            message = serve.conn.recv()
        except EOFError:
            return
        if message[0] not in ("build", "pdf"):
            return
        serve.conn.send({"ok": False, "error": error, "warnings": "", "read": []})


def _warm_imports() -> None:
    """Imported once, before any fork: the warm part."""
    import myst_parser  # noqa: F401, PLC0415
    import pydata_sphinx_theme  # noqa: F401, PLC0415
    import sphinx.application  # noqa: F401, PLC0415
    import sphinx_sitemap  # noqa: PLC0415
    import sphinxcontrib.bibtex  # noqa: F401, PLC0415
    from sphinx.util.console import nocolor  # noqa: PLC0415

    import magazine  # noqa: F401, PLC0415

    nocolor()
    # sphinx-sitemap collects links through a multiprocessing.Manager, a server process that a
    # child leaving by os._exit would leave behind; a preview has no sitemap to publish
    sphinx_sitemap.Manager = lambda: type("M", (), {"Queue": staticmethod(__import__("queue").Queue)})()


def run(conn: Any, srcdir: str, outdir: str, doctreedir: str) -> None:
    """The process's loop: ("build", changed paths) or ("pdf", docname, folder) -> result;
    ("stop",) ends it."""
    import signal  # noqa: PLC0415

    _warm_imports()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the server, which stops this
    src, out = Path(srcdir), Path(outdir)
    serve = Serve(conn, Path(doctreedir))
    warnings = io.StringIO()
    try:
        app = preview_application(serve)(
            src, src, out, doctreedir, "html", confoverrides={"nitpicky": True},
            status=None, warning=warnings, keep_going=True)
    except Stopped:
        return
    except Exception:  # noqa: BLE001 - reported for every build, the server keeps running
        error = traceback.format_exc(limit=3)
        if not serve.in_child:
            _serve_errors(serve, error)
            return
        serve.send({"ok": False, "error": error, "warnings": warnings.getvalue(), "read": []})
        os._exit(0)
    # only a forked child gets here, with its application made
    try:
        _child_build(app, serve, src, out, warnings, _defer_pickling())
        if serve.profile is not None:  # MAGAZINE_PREVIEW_PROFILE: a profile of each build
            serve.profile.disable()
            serve.profile.dump_stats(os.environ["MAGAZINE_PREVIEW_PROFILE"])
    finally:
        os._exit(0)
