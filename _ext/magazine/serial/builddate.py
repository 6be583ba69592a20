"""The build's date, where one is needed: ``SOURCE_DATE_EPOCH`` if set, else the time of the
project's last git commit, so that a local build and a CI build of one commit agree and two
builds give the same bytes.

It dates what has no date of its own: an online-first article whose front matter gives
none, and the Atom feed when no article is dated. Without git (or outside a repository)
it is ``None``, quietly: callers fall back to the newest date they know.
"""

from __future__ import annotations

import datetime as dt
import functools
import os
import subprocess
from pathlib import Path

from sphinx.errors import ConfigError

#: how long ``git log`` may take before the build goes on without it
GIT_TIMEOUT = 10


def source_date_epoch(environ: dict[str, str] | os._Environ[str] | None = None) -> int | None:
    """``SOURCE_DATE_EPOCH`` as seconds, None when unset; a value that is not whole seconds
    stops the build with the fix."""
    environ = os.environ if environ is None else environ
    text = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        msg = f"SOURCE_DATE_EPOCH = {text!r} must be whole seconds since 1970-01-01 UTC"
        raise ConfigError(msg) from None


def git(srcdir: str | os.PathLike[str], *args: str) -> subprocess.CompletedProcess[str] | None:
    """``git ARGS`` in ``srcdir``, locally and bounded in time, reading only (no optional
    locks, so a build never blocks an editor's git); None without git."""
    try:
        return subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=srcdir,
                              capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"})
    except (OSError, subprocess.SubprocessError):
        return None


def files_at(srcdir: str | os.PathLike[str], commit: str, folder: str, pattern: str
             ) -> dict[str, str] | str:
    """The files of ``folder`` at ``commit`` that have a line matching ``pattern`` (a
    pull request's base, for the checks of what may not change once published), path ->
    text; or, when the commit cannot be read, why."""
    listed = git(srcdir, "grep", "-l", "-E", pattern, commit, "--", folder)
    if listed is None or listed.returncode not in (0, 1):  # 1: no file matches
        return (listed.stderr.strip().splitlines() or ["git is not available"])[-1] \
            if listed is not None else "git is not available"
    found = {}
    for line in listed.stdout.splitlines():
        path = line.split(":", 1)[1] if line.startswith(commit + ":") else line
        shown = git(srcdir, "show", f"{commit}:{path}")
        if shown is not None and shown.returncode == 0:
            found[path] = shown.stdout
    return found


@functools.cache
def last_commit(srcdir: str) -> int | None:
    """The time of the last commit of the repository holding ``srcdir``, or None."""
    try:
        result = subprocess.run(
            ["git", "log", "-1", "--format=%ct"], cwd=srcdir, capture_output=True, text=True,
            timeout=GIT_TIMEOUT, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    text = result.stdout.strip()
    return int(text) if result.returncode == 0 and text.isdigit() else None


def build_time(srcdir: str | os.PathLike[str]) -> dt.datetime | None:
    """When this build says it was made (see the module's docstring), in UTC."""
    seconds = source_date_epoch()
    if seconds is None:
        seconds = last_commit(str(Path(srcdir).resolve()))
    if seconds is None:
        return None
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
