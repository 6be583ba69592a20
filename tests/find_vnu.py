"""Find the Nu Html Checker (vnu.jar) and the Java that runs it, for tests/test_validators.py.

    python tests/find_vnu.py [--install]

vnu.jar is the npm package ``vnu-jar``, pinned beside citeproc-js in
``tests/citeproc/package.json`` and its lock file, so one ``npm ci`` installs both (with
its install script left out: it would download a Java runtime from outside the npm
registry; the system's Java is used instead). The checker needs Java 11 or newer. With
``--install``, when the jar is not in ``tests/citeproc/node_modules/`` it is installed there
(:func:`find_citeproc.install`), and on Debian as root, or where ``sudo -n`` works, Java is
installed with apt-get (``default-jre-headless``) when there is none. Otherwise, or if that
fails, it stops with the command to run. ``make test`` runs it before pytest; the tests
call :func:`find` for the command that checks.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import find_citeproc
from find_browser import privilege, system

JAR = find_citeproc.HERE / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
#: the oldest Java that runs vnu.jar (its classes are Java 11's, class file version 55)
JAVA_MIN = 11
APT_INSTALL = ["apt-get", "install", "-y", "-qq", "--no-install-recommends",
               "default-jre-headless"]
INSTALL_JAVA = ("install Java 11 or newer (Debian and Ubuntu: sudo apt-get install "
                "default-jre-headless; make test does it itself on Debian as root or where "
                "sudo -n works; macOS: brew install openjdk)")


class VnuNotFound(RuntimeError):
    """Java or vnu.jar is missing; the message says what to run."""


def java() -> str | None:
    """JAVA_HOME's java, else the one on PATH."""
    home = os.environ.get("JAVA_HOME", "").strip()
    if home and (Path(home) / "bin" / "java").is_file():
        return str(Path(home) / "bin" / "java")
    return shutil.which("java")


def java_major(executable: str) -> int | None:
    """17 for 'openjdk version "17.0.15"', 8 for '"1.8.0_392"'; None if it does not run."""
    try:
        result = subprocess.run([executable, "-version"], capture_output=True, text=True,
                                check=False, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.(\d+))?', result.stderr + result.stdout)
    if match is None:
        return None
    major = int(match.group(1))
    return int(match.group(2) or 0) if major == 1 else major


def find() -> list[str]:
    """The command that checks (``java -jar .../vnu.jar``); raises VnuNotFound."""
    executable = java()
    if executable is None:
        raise VnuNotFound(f"the Nu Html Checker needs Java: {INSTALL_JAVA}")
    major = java_major(executable)
    if major is None or major < JAVA_MIN:
        raise VnuNotFound(f"{executable} is not Java {JAVA_MIN} or newer (found: {major}): "
                          f"{INSTALL_JAVA}")
    if not JAR.is_file():
        raise VnuNotFound("vnu.jar is not installed: run python tests/find_vnu.py --install "
                          f"(npm ci --ignore-scripts in {find_citeproc.HERE})")
    return [executable, "-jar", str(JAR)]


def install_java() -> None:
    """apt-get install default-jre-headless, on Debian as root or with sudo -n."""
    prefix = privilege() if system() == "debian" else None
    if prefix is None:
        return  # find() then says what to run
    print("find_vnu: installing Java (default-jre-headless) with apt-get", file=sys.stderr)
    for command in (["apt-get", "update", "-qq"], APT_INSTALL):
        subprocess.run([*prefix, "env", "DEBIAN_FRONTEND=noninteractive", *command],
                       check=True, stdout=sys.stderr)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--install", action="store_true",
                        help="npm ci when vnu.jar is missing; on Debian, Java when it is")
    args = parser.parse_args()
    try:
        if args.install and java() is None:
            install_java()
        if args.install and not JAR.is_file():
            find_citeproc.install()
        print(" ".join(find()))
    except (VnuNotFound, find_citeproc.CiteprocNotFound, subprocess.CalledProcessError) as error:
        print(f"find_vnu: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
