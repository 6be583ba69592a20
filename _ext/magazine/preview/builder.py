"""The builder process: warm imports, the environment held, one forked child per build."""

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

ENV_PICKLE = "environment.pickle"


def _load_env(doctreedir: Path) -> Any:
    try:
        with open(doctreedir / ENV_PICKLE, "rb") as f:
            env = pickle.load(f)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    gc.freeze()  # the held environment is shared with the children, not copied by the GC
    return env


def _child_build(env: Any, srcdir: Path, outdir: Path, doctreedir: Path,
                 changed: list[str], report: int) -> None:
    """In the forked child: build, report the pages written, then pickle the environment."""
    import sphinx.builders as builders_module  # noqa: PLC0415
    from sphinx.application import Sphinx  # noqa: PLC0415
    from sphinx.environment import BuildEnvironment  # noqa: PLC0415

    deferred: list[tuple[Any, str]] = []

    class DeferredPickle:
        """``pickle`` as sphinx.builders sees it: the environment's dump is kept for later."""

        def __getattr__(self, name: str) -> Any:
            return getattr(pickle, name)

        @staticmethod
        def dump(obj: Any, f: Any, protocol: int | None = None) -> None:
            if isinstance(obj, BuildEnvironment):
                deferred.append((obj, f.name))
            else:
                pickle.dump(obj, f, protocol)

    builders_module.pickle = DeferredPickle()  # type: ignore[assignment]

    class PreviewSphinx(Sphinx):
        def _load_existing_env(self, filename: Path) -> BuildEnvironment:
            if env is None:
                return super()._load_existing_env(filename)
            env.setup(self)
            self._fresh_env_used = False
            return env

    start = time.perf_counter()
    warnings = io.StringIO()
    read: list[str] = []
    result: dict[str, Any] = {"ok": True}
    try:
        app = PreviewSphinx(srcdir, srcdir, outdir, doctreedir, "html",
                            confoverrides={"nitpicky": True}, status=None,
                            warning=warnings, keep_going=True)
        app.connect("env-before-read-docs", lambda _a, _e, docnames: read.extend(docnames))
        app.builder.dump_search_index = lambda: None  # type: ignore[method-assign]
        static = str(srcdir / "_static")
        if (outdir / "_static").is_dir() and not any(p.startswith(static) for p in changed):
            app.builder.copy_static_files = lambda: None  # type: ignore[method-assign]
        app.build()
    except Exception:  # noqa: BLE001 - shown to the contributor, the server keeps running
        result = {"ok": False, "error": traceback.format_exc(limit=3)}
    result.update(warnings=warnings.getvalue(), read=sorted(read),
                  seconds=round(time.perf_counter() - start, 3), pickled=bool(deferred))
    os.write(report, (json.dumps(result) + "\n").encode())
    for obj, name in deferred:
        with open(name + ".tmp", "wb") as f:
            pickle.dump(obj, f, pickle.HIGHEST_PROTOCOL)
        os.replace(name + ".tmp", name)


def run(conn: Any, srcdir: str, outdir: str, doctreedir: str) -> None:
    """The process's loop: ("build", changed paths) -> result; ("stop",) ends it."""
    # imported once, before any fork: this is the warm part
    import myst_parser  # noqa: F401, PLC0415
    import pydata_sphinx_theme  # noqa: F401, PLC0415
    import sphinx.application  # noqa: F401, PLC0415
    import sphinx_sitemap  # noqa: PLC0415
    import sphinxcontrib.bibtex  # noqa: F401, PLC0415
    from sphinx.util.console import nocolor  # noqa: PLC0415

    import magazine  # noqa: F401, PLC0415

    nocolor()
    # Ctrl-C stops the server, which stops this process by its pipe
    import signal  # noqa: PLC0415
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # sphinx-sitemap collects links through a multiprocessing.Manager, a server process that a
    # child leaving by os._exit would leave behind; a preview has no sitemap to publish
    sphinx_sitemap.Manager = lambda: type("M", (), {"Queue": staticmethod(__import__("queue").Queue)})()
    src, out, doctrees = Path(srcdir), Path(outdir), Path(doctreedir)
    env = _load_env(doctrees)
    while True:
        try:
            message = conn.recv()
        except EOFError:
            break
        if message[0] != "build":
            break
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read_end)
            try:
                _child_build(env, src, out, doctrees, message[1], write_end)
            finally:
                os._exit(0)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as report:
            line = report.readline()
            result = json.loads(line) if line else {
                "ok": False, "error": "the build stopped", "warnings": "", "read": []}
            conn.send(result)
            report.read()
        os.waitpid(pid, 0)
        if result.get("pickled") or env is None:
            env = _load_env(doctrees)
