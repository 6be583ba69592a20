"""Install citeproc-js, Zotero's citation engine, for tests/test_downloads.py.

    python tests/find_citeproc.py [--install]

citeproc-js is an npm package (``citeproc``, pinned in ``tests/citeproc/package.json`` and
its lock file); the tests run it with Node.js (``tests/citeproc/render.js``). With
``--install``, when it is not in ``tests/citeproc/node_modules/`` it is installed there
with ``npm ci`` (once: after that the tests run offline); on Debian as root, Node.js and
npm themselves are installed with apt-get when they are missing. Otherwise, or if that
fails, it stops with the command to run. ``make test`` runs it before pytest; the tests
call :func:`find` for the command that renders. The same npm project holds the Nu Html
Checker (``vnu-jar``, for tests/test_validators.py; ``tests/find_vnu.py``), so one
``npm ci`` installs both.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent / "citeproc"
MODULE = HERE / "node_modules" / "citeproc" / "citeproc_commonjs.js"
RENDER = HERE / "render.js"
APT = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "nodejs", "npm"]


class CiteprocNotFound(RuntimeError):
    """Node.js or citeproc-js is missing; the message says what to run."""


def find() -> list[str]:
    """The command that renders (``node tests/citeproc/render.js``)."""
    node = shutil.which("node")
    if node is None:
        msg = ("the citeproc-js tests need Node.js: install it (Debian: apt-get install "
               "nodejs npm), then run: python tests/find_citeproc.py --install")
        raise CiteprocNotFound(msg)
    if not MODULE.is_file():
        msg = f"citeproc-js is not installed: run python tests/find_citeproc.py --install (npm ci in {HERE})"
        raise CiteprocNotFound(msg)
    return [node, str(RENDER)]


def install() -> None:
    if shutil.which("npm") is None and sys.platform == "linux" and os.geteuid() == 0 \
            and Path("/etc/debian_version").is_file():
        print("find_citeproc: installing Node.js and npm with apt-get", file=sys.stderr)
        for command in (["apt-get", "update", "-qq"], APT):
            subprocess.run(command, check=True)
    npm = shutil.which("npm")
    if npm is None:
        msg = "the citeproc-js tests need npm (with Node.js) to install citeproc-js"
        raise CiteprocNotFound(msg)
    # --ignore-scripts: vnu-jar's install script would download a Java runtime from outside
    # the npm registry (it cannot here, and the tests use the system's Java: find_vnu.py);
    # citeproc has no install script
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund",
                    "--loglevel=error"], cwd=HERE, check=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true", help="npm ci when it is missing")
    args = parser.parse_args()
    try:
        if args.install and not MODULE.is_file():
            install()
        print(" ".join(find()))
    except (CiteprocNotFound, subprocess.CalledProcessError) as error:
        print(f"find_citeproc: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
