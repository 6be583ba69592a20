"""What a build is working on, for the supervisor that watches it (:mod:`magazine.cli.stages`).

When the environment variable ``MAGAZINE_PROGRESS_FILE`` names a file, the build writes one
short line there each time it starts on a file: ``reading<TAB>articles/x.md`` when Sphinx
reads a source, ``writing<TAB>articles/x.md`` when a page is resolved and written,
``compiling<TAB>articles/x.md`` when the PDF builder waits for an article's PDF, and
``reading<TAB>references.bib`` before the bibliography is parsed. If the build runs past a
limit, the supervisor kills it and names the file from the last line.

The line replaces the one before (written aside, then renamed: a reader sees the old line or
the new one, never half of one). A process forked by a parallel build (``-j``) writes to a
file of its own, ``<file>.<pid>``, so that the supervisor can name the file of the process
that grew. Without the variable nothing is written; with it, one small write per document
per phase, no ``fsync``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .. import schedule

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator
    from typing import TypeVar

    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

    T = TypeVar("T")

VARIABLE = "MAGAZINE_PROGRESS_FILE"

# The process that loaded the extension; a process forked from it writes to a file of its own.
_owner = os.getpid()


def target(pid: int | None = None) -> Path | None:
    """The file this process (or ``pid``) reports to, or None when nobody listens."""
    base = os.environ.get(VARIABLE)
    if not base:
        return None
    pid = os.getpid() if pid is None else pid
    return Path(base) if pid == _owner else Path(f"{base}.{pid}")


def note(activity: str, path: str) -> None:
    """Say that this process is now ``activity`` (a verb: reading, writing, ...) ``path``."""
    file = target()
    if file is None:
        return
    aside = file.with_name(f"{file.name}.tmp{os.getpid()}")
    try:
        aside.write_text(f"{activity}\t{path}\n", encoding="utf-8")
        os.replace(aside, file)
    except OSError:
        pass  # progress is a courtesy to the supervisor; it never fails a build


def each(items: Iterable[T], labels: Iterable[tuple[str, str]]) -> Iterator[T]:
    """``items``, noting each ``(activity, path)`` of ``labels`` before waiting for the next
    item (for results that arrive in order from a pool: the one awaited is named)."""
    iterator = iter(items)
    for activity, path in labels:
        note(activity, path)
        try:
            yield next(iterator)
        except StopIteration:
            return
    yield from iterator


def read(file: Path) -> tuple[str, str] | None:
    """The ``(activity, path)`` last written to ``file``, or None."""
    try:
        activity, _, path = file.read_text(encoding="utf-8").strip().partition("\t")
    except (OSError, UnicodeDecodeError):
        return None
    return (activity, path) if path else None


def watch_opens(root: Path, suffixes: tuple[str, ...] = (".md", ".bib")) -> None:
    """For a process without Sphinx's events (the quick check): note every content file
    under ``root`` that the process opens, as it opens it (an audit hook; for good)."""
    if target() is None:
        return
    roots = tuple(dict.fromkeys((Path(os.path.abspath(root)), root.resolve())))
    busy = False  # noting opens a file too; that open is not noted

    def hook(event: str, args: tuple[object, ...]) -> None:
        nonlocal busy
        if event != "open" or busy or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        busy = True
        try:
            path = Path(os.path.abspath(os.fsdecode(args[0])))  # relative: to the cwd
            if path.suffix in suffixes:
                inside = next((r for r in roots if path.is_relative_to(r)), None)
                if inside is not None:
                    note("reading", str(path.relative_to(inside)))
        finally:
            busy = False

    sys.addaudithook(hook)


def source_file(env: BuildEnvironment, docname: str) -> str:
    """The source of ``docname``, relative to the project, for progress lines."""
    try:
        return str(Path(env.doc2path(docname)).relative_to(env.srcdir))
    except ValueError:
        return docname


def builder_inited(app: Sphinx) -> None:
    for name in app.config.bibtex_bibfiles or ():
        note("reading", name)


def source_read(app: Sphinx, docname: str, source: list[str]) -> None:
    note("reading", source_file(app.env, docname))


def doctree_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    note("writing", source_file(app.env, docname))


def setup(app: Sphinx) -> ExtensionMetadata:
    if os.environ.get(VARIABLE):
        app.connect("builder-inited", builder_inited, priority=schedule.PROGRESS_BIB)
        app.connect("source-read", source_read, priority=schedule.PROGRESS_READ)
        app.connect("doctree-resolved", doctree_resolved, priority=schedule.PROGRESS_WRITE)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
