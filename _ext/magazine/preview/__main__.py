"""``python -m magazine.preview [--port 8000] [--host 127.0.0.1]`` (``make preview``)."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from sphinx_autobuild.utils import find_free_port

from .server import Builder, application


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magazine.preview", description=__doc__)
    parser.add_argument("--srcdir", type=Path, default=Path())
    parser.add_argument("--builddir", type=Path, default=Path("_build"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0: a free port")
    args = parser.parse_args(argv)
    srcdir = args.srcdir.resolve()
    builddir = (srcdir / args.builddir).resolve()
    outdir, doctrees = builddir / "preview", builddir / "doctrees-preview"
    outdir.mkdir(parents=True, exist_ok=True)
    port = args.port or find_free_port()
    build = Builder(srcdir, outdir, doctrees)
    build.start()
    try:
        build([])

        def ready() -> None:  # the watcher runs: from now on every save is built
            print(f"preview: serving http://{args.host}:{port}/", flush=True)

        uvicorn.run(application(srcdir, outdir, build, f"{args.host}:{port}", ready),
                    host=args.host, port=port, log_level="warning")
    finally:
        build.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
