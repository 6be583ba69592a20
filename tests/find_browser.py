"""Find the Chromium-family browser that the browser tests (tests/test_browser.py) drive.

    python tests/find_browser.py [--install] [--if-selected PYTEST_ARGS...]

Looks, in this order, for:

1. the file named by the environment variable ``MAGAZINE_BROWSER`` (when it is set, it is
   the only place looked at: a wrong path is an error, not a reason to look elsewhere);
2. the Chromium that Playwright has installed for its own version
   (``python -m playwright install chromium``; ``PLAYWRIGHT_BROWSERS_PATH`` is honoured);
3. a system Chromium: Debian's and Ubuntu's ``/usr/bin/chromium``, Fedora's
   ``/usr/bin/chromium-browser``, ``Chromium.app`` on macOS (Ubuntu's snap wrapper is not
   used: Playwright cannot drive the confined snap);
4. Google Chrome.

With ``--install``, when none is found on Debian (not Ubuntu, whose ``chromium`` package is
the snap) and the user is root or ``sudo -n`` works, Debian's ``chromium`` is installed with
apt-get. Otherwise it stops with one message that names the command for this system.
With ``--if-selected``, it first asks pytest whether the given arguments select any test
marked ``browser`` and does nothing when they select none (``-m 'not browser'``).
It prints the path it found. ``make test`` runs it before pytest; the tests call
:func:`find` for Playwright's ``executable_path``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

ENV = "MAGAZINE_BROWSER"
MARKER = "browser"
#: system browsers, in the order of preference after Playwright's own
CHROMIUM = [
    "/usr/bin/chromium",  # Debian; on GitHub's Ubuntu runners, a Chromium snapshot
    "/usr/bin/chromium-browser",  # Fedora (on Ubuntu: the snap wrapper, refused below)
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
]
CHROME = [
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/google/chrome/chrome",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
]
APT_INSTALL = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]


class BrowserNotFound(RuntimeError):
    """No usable browser; the message says what to run."""


def is_snap(path: Path) -> bool:
    """Ubuntu's chromium: the file is, or is a script that starts, /snap/bin/chromium."""
    try:
        if str(path.resolve()).startswith("/snap/"):
            return True
        with path.open("rb") as file:
            head = file.read(4096)
    except OSError:
        return False
    return head.startswith(b"#!") and b"/snap/" in head


def usable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK) and not is_snap(path)


def playwright_chromium() -> Path | None:
    """Where Playwright keeps the Chromium of its own version, if it is there."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            path = Path(playwright.chromium.executable_path)
    except Exception:  # noqa: BLE001 - no driver, no registry: no Playwright browser
        return None
    return path if path.is_file() else None


def candidates(playwright: Callable[[], Path | None]) -> Iterable[tuple[str, Path]]:
    """(what it is, where) in the order of preference, looked up lazily."""
    found = playwright()
    if found is not None:
        yield "Playwright's Chromium", found
    for path in CHROMIUM:
        yield "Chromium", Path(path)
    for path in CHROME:
        yield "Google Chrome", Path(path)


def find(
    environ: Mapping[str, str] = os.environ,
    playwright: Callable[[], Path | None] = playwright_chromium,
    check: Callable[[Path], bool] = usable,
) -> Path:
    """The browser to drive, by the order above; raises BrowserNotFound with the command
    to run when there is none."""
    explicit = environ.get(ENV, "").strip()
    if explicit:
        path = Path(explicit).expanduser()
        if check(path):
            return path
        raise BrowserNotFound(
            f"{ENV}={explicit} is not an executable file: point it at a Chromium or Google "
            f"Chrome executable, or unset it to let the tests look for one"
        )
    for _, path in candidates(playwright):
        if check(path):
            return path
    raise BrowserNotFound(advice(system()))


# -- what this system is, and what to run on it -------------------------------------------------


def os_release(path: Path = Path("/etc/os-release")) -> dict[str, str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return {}
    pairs = (line.split("=", 1) for line in lines if "=" in line)
    return {key: value.strip().strip('"') for key, value in pairs}


def system(
    kernel: str | None = None,
    release: Mapping[str, str] | None = None,
    osrelease: str | None = None,
) -> str:
    """One of "macos", "wsl", "ubuntu", "debian", "fedora", "linux", "other"."""
    kernel = kernel or platform.system()
    if kernel == "Darwin":
        return "macos"
    if kernel != "Linux":
        return "other"
    if osrelease is None:
        try:
            osrelease = Path("/proc/sys/kernel/osrelease").read_text(encoding="utf-8")
        except OSError:
            osrelease = ""
    if "microsoft" in osrelease.lower():
        return "wsl"
    release = os_release() if release is None else release
    family = {release.get("ID", "")} | set(release.get("ID_LIKE", "").split())
    if "ubuntu" in family:
        return "ubuntu"
    if "debian" in family:
        return "debian"
    if family & {"fedora", "rhel", "centos"}:
        return "fedora"
    return "linux"


def venv_python() -> str:
    here = Path(sys.executable)
    with contextlib.suppress(ValueError):
        return str(here.relative_to(Path.cwd()))
    return str(here)


def advice(kind: str) -> str:
    """The one message for a system without a browser."""
    playwright = f"{venv_python()} -m playwright install chromium"
    commands = {
        "macos": f"brew install --cask chromium   (or: {playwright})",
        "wsl": f"{playwright} --with-deps",
        "ubuntu": f"{playwright} --with-deps   (Ubuntu's apt chromium is a snap, which "
                  "Playwright cannot drive)",
        "debian": "sudo apt-get install chromium   (make test does it itself as root or "
                  "where sudo -n works)",
        "fedora": "sudo dnf install chromium",
    }
    command = commands.get(kind, playwright)
    return (
        f"No browser for the browser tests: {ENV} is not set, Playwright has no Chromium "
        f"installed, and none of {', '.join(CHROMIUM + CHROME)} is there. "
        f"On this system ({kind}) run: {command} ; or set {ENV}=/path/to/chromium-or-chrome; "
        """or leave the browser tests out: make test PYTEST_ARGS="-m 'not browser'"."""
    )


# -- installing Debian's chromium ---------------------------------------------------------------


def privilege(
    euid: int | None = None, run: Callable[..., subprocess.CompletedProcess] = subprocess.run
) -> list[str] | None:
    """[] as root, ["sudo", "-n"] where sudo needs no password, else None."""
    euid = os.geteuid() if euid is None and hasattr(os, "geteuid") else euid
    if euid == 0:
        return []
    if shutil.which("sudo") is None:
        return None
    probe = run(["sudo", "-n", "true"], capture_output=True, check=False)
    return ["sudo", "-n"] if probe.returncode == 0 else None


def install_debian_chromium(prefix: list[str]) -> None:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    print("find_browser: installing Debian's chromium with apt-get", file=sys.stderr)
    for command in (["apt-get", "update", "-qq"], APT_INSTALL):
        subprocess.run([*prefix, "env", "DEBIAN_FRONTEND=noninteractive", *command],
                       check=True, env=env, stdout=sys.stderr)


def ensure(install: bool) -> Path:
    """find(), and on Debian with the rights to, install chromium when nothing is found."""
    try:
        return find()
    except BrowserNotFound:
        if not install or os.environ.get(ENV, "").strip() or system() != "debian":
            raise
        prefix = privilege()
        if prefix is None:
            raise
    install_debian_chromium(prefix)
    return find()


# -- does this pytest run select a browser test? ------------------------------------------------


class _Selected:
    """A pytest plugin that records whether the collected tests carry the marker."""

    def __init__(self) -> None:
        self.any = False

    def pytest_collection_finish(self, session: object) -> None:
        self.any = any(item.get_closest_marker(MARKER) for item in session.items)


def selects_browser_tests(pytest_args: list[str]) -> bool:
    """Collect (without running) what pytest would run with these arguments. A collection
    that fails counts as selecting nothing: pytest itself then reports the error."""
    import pytest

    plugin = _Selected()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = pytest.main(["--collect-only", "-q", *pytest_args], plugins=[plugin])
    return code == 0 and plugin.any


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--install", action="store_true",
                        help="on Debian, as root or with sudo -n, apt-get install chromium")
    parser.add_argument("--if-selected", nargs=argparse.REMAINDER, metavar="PYTEST_ARGS",
                        help="only when these pytest arguments select a browser test")
    args = parser.parse_args(argv)
    if args.if_selected is not None and not selects_browser_tests(args.if_selected):
        return 0
    try:
        path = ensure(args.install)
    except BrowserNotFound as error:
        print(error, file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
