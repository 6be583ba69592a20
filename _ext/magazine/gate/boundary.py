"""The project boundary: a build reads only files inside the project.

Articles, images and references arrive in pull requests from anyone, so every path they
can name is resolved (symbolic links followed) and must lie inside the project, outside
the folders that hold the project's machinery (``.git``, ``.venv``, ``_build`` and the
build's own output). One rule, :meth:`Boundary.refusal`, enforced at three points:

1. **Before the build** (``config-inited``): the project's files are walked once. A symbolic
   link among the content files (the article folder, the static folders, the bib files) is
   refused whatever it points to, and one elsewhere if it leads out of the project; an
   article whose file name is not in the documented alphabet
   (:mod:`magazine.articles.identifiers`), an article or bib file over its size limit, are refused.
   Each is reported with its file name and kept out of the build (``exclude_patterns``,
   ``bibtex_bibfiles``), so nothing of it is read or copied.
2. **While documents are read** (between ``env-before-read-docs`` and ``env-updated``, in
   every reading process): a Python audit hook refuses any ``open`` for reading of a file
   outside the boundary, and any network access. Whatever directive or role asks (include,
   literalinclude, csv-table, one added to Sphinx, docutils or MyST later), the file is
   never read; the directive reports the refusal at its line with this module's message.
   Python's own installation outside the project stays readable (Python imports modules
   from it while articles are read); inside the project, ``.venv`` is readable only by the
   import system.
3. **What a page asks the builder to copy** (``doctree-read``, before Sphinx's collectors):
   images, figures and ``{download}`` targets outside the boundary are reported at their
   line and removed from the page, so the builders never copy or embed them.
"""

from __future__ import annotations

import functools
import glob
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes
from sphinx import addnodes

from .. import schedule
from ..articles import page
from ..articles.identifiers import (
    article_name_problem,
    file_name_problem,
    issue_name_problem,
)
from ..warnings import Subtype, warn
from .bibbounds import expansion_problem
from .images import IMAGE_SUFFIXES, Limits, page_file_problem, static_refusals

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

#: folders of the project that hold its machinery, never content
PRIVATE_DIRS = (".git", ".venv", "_build")
#: folders the walk of the project skips: machinery, and caches nobody commits
SKIPPED_DIRS = frozenset({*PRIVATE_DIRS, "node_modules", "__pycache__", ".pytest_cache"})
#: modules allowed to read Python's files inside the project's private folders
IMPORT_SYSTEM = ("importlib", "zipimport", "linecache", "encodings")
#: audit events of network access, refused while documents are read
NETWORK_EVENTS = frozenset({"socket.getaddrinfo", "socket.gethostbyname", "urllib.Request"})
MB = 1024 * 1024
#: the defaults of magazine_max_article_bytes and magazine_max_bib_bytes
MAX_ARTICLE_BYTES = 1 * MB
MAX_BIB_BYTES = 20 * MB


def _real(path: str | os.PathLike[str]) -> str:
    return os.path.realpath(os.path.abspath(path))


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


@dataclass(frozen=True)
class Boundary:
    """The project's folder and, inside it, the folders that are not content."""

    root: str
    private: tuple[str, ...]
    python: tuple[str, ...]

    @classmethod
    def of(cls, srcdir: str | os.PathLike[str], *outputs: str | os.PathLike[str]) -> Boundary:
        """The boundary of the project in ``srcdir`` with the build's output folders."""
        return _boundary(os.fspath(srcdir), tuple(os.fspath(p) for p in outputs if p))

    @classmethod
    def _make(cls, srcdir: str, outputs: tuple[str, ...]) -> Boundary:
        root = _real(srcdir)
        private = {os.path.join(root, name) for name in PRIVATE_DIRS}
        private.update(_real(p) for p in outputs)
        installed = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix,
                     *sysconfig.get_paths().values()}
        return cls(root, tuple(sorted(private)), tuple(sorted({_real(p) for p in installed})))

    def relative(self, path: str) -> str:
        return os.path.relpath(path, self.root)

    def problem(self, path: str | os.PathLike[str]) -> str | None:
        """What is wrong with reading ``path``, in a few words (None: nothing)."""
        real = _real(path)
        if not _within(real, self.root):
            return "leads out of the project" if os.path.islink(path) else "is outside the project"
        for folder in self.private:
            if _within(real, folder):
                return f"is inside {self.relative(folder)}/, which holds the project's machinery"
        return None

    def refusal(self, path: str | os.PathLike[str]) -> str | None:
        """Why a content file may not use ``path`` (None: it may), with how to fix it."""
        problem = self.problem(path)
        if problem is None:
            return None
        return (
            f"'{os.fspath(path)}' {problem}; an article may use only files of this project "
            "(its folder and _static/images/): copy what it needs into the project"
        )

    def read_refusal(self, path: str) -> str | None:
        """:meth:`refusal` for a file opened while documents are read."""
        reason = self.refusal(path)
        if reason is None:
            return None
        real = _real(path)
        if not any(_within(real, folder) for folder in self.python):
            return reason
        if not _within(real, self.root):
            return None  # Python's own installation, outside the project
        return None if _called_by_import_system() else reason


@functools.lru_cache(maxsize=16)
def _boundary(srcdir: str, outputs: tuple[str, ...]) -> Boundary:
    """One boundary per project and build, not one per document or directive."""
    return Boundary._make(srcdir, outputs)


def _called_by_import_system() -> bool:
    frame = sys._getframe(2)  # the hook, the audit machinery's caller, then its caller
    for _ in range(4):
        if frame is None:
            return False
        if str(frame.f_globals.get("__name__", "")).startswith(IMPORT_SYSTEM):
            return True
        frame = frame.f_back
    return False


# -- 2. while documents are read -------------------------------------------------------------

#: the boundary being enforced in this process, or None (one build at a time per process)
_active: list[Boundary | None] = [None]
_hook_installed = [False]


def _opens_for_writing(mode: object, flags: object) -> bool:
    if isinstance(mode, str):
        return any(ch in mode for ch in "wax+")
    return isinstance(flags, int) and bool(flags & (os.O_WRONLY | os.O_RDWR))


def _audit(event: str, args: tuple[Any, ...]) -> None:
    boundary = _active[0]
    if boundary is None:
        return
    if event == "open":
        path, mode, flags = args
        if not isinstance(path, (str, bytes, os.PathLike)) or _opens_for_writing(mode, flags):
            return
        reason = boundary.read_refusal(os.fsdecode(path))
        if reason is not None:
            raise PermissionError(reason)
    elif event in NETWORK_EVENTS or (event == "socket.connect" and isinstance(args[1], tuple)):
        # (a connection to a local socket, such as multiprocessing's, is not the network)
        msg = "a build reads no addresses on the network; put the file in the project instead"
        raise PermissionError(msg)


def enforce(boundary: Boundary | None) -> None:
    """Confine this process's reads to ``boundary`` (None: stop confining)."""
    if not _hook_installed[0]:
        sys.addaudithook(_audit)
        _hook_installed[0] = True
    _active[0] = boundary


def start_reading(app: Sphinx, env: BuildEnvironment, *args: object) -> None:
    """``env-before-read-docs``: confine the reading of documents (forked readers inherit it)."""
    enforce(Boundary.of(app.srcdir, app.outdir, app.doctreedir))


def stop_reading(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: documents are read; the builders' own files are theirs to read."""
    enforce(None)
    return []


def stop_on_failure(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: never leave a process confined after a failed build."""
    enforce(None)


# -- 1. before the build ---------------------------------------------------------------------


@dataclass(frozen=True)
class Refused:
    path: str  # relative to the project
    message: str
    line: int | None = None  # in the file, when the problem has one

    @property
    def location(self) -> str:
        """``path:line``, or ``path:`` (Sphinx then writes ``PATH:: WARNING: ...``)."""
        return f"{self.path}:{self.line or ''}"


def walk_project(root: Path) -> Iterator[Path]:
    """Every file and link of the project, not following links, skipping machinery."""
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        links = [d for d in dirs if (here / d).is_symlink()]
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and d not in links)
        for name in sorted(files + links):
            yield here / name


def issue_dir(config: Config) -> str:
    """The folder of the issue files, relative to the project."""
    from ..config import magazine_config  # config takes its size defaults from here

    return magazine_config(config).issue_dir.strip("/")


def content_roots(config: Config) -> tuple[str, ...]:
    """The project's content, relative to it: the article and issue folders, static
    folders, bib files."""
    statics = tuple(str(p).strip("/") for p in getattr(config, "html_static_path", ()))
    bibs = tuple(str(p) for p in getattr(config, "bibtex_bibfiles", None) or ())
    return (config.magazine_article_dir.strip("/"), issue_dir(config), *statics, *bibs)


def scan_project(root: Path, config: Config) -> list[Refused]:
    """What the build must not read or publish: links, badly named or oversized articles and
    bib files, and images that fail :mod:`magazine.gate.images`."""
    boundary = Boundary.of(root)
    contents = content_roots(config)
    article_dir = config.magazine_article_dir.strip("/")
    issues = issue_dir(config)
    bibs = {str(p) for p in getattr(config, "bibtex_bibfiles", None) or ()}
    statics = [str(p).strip("/") for p in getattr(config, "html_static_path", ())]
    limits = Limits.of(config)
    refused: list[Refused] = []
    for path in walk_project(root):
        relative = path.relative_to(root).as_posix()
        in_content = any(relative == c or relative.startswith(c + "/") for c in contents)
        if path.is_symlink():
            if in_content:
                refused.append(Refused(relative, (
                    "this file is a symbolic link; content files must be ordinary files, whatever the "
                    "link points to: replace the link with a copy of the file it names")))
            elif reason := boundary.refusal(path):
                refused.append(Refused(relative, f"is a symbolic link: {reason}"))
            continue
        if in_content and relative not in bibs and (problem := _name_problem(relative, contents)):
            refused.append(Refused(relative, problem))
        elif relative.startswith((article_dir + "/", issues + "/")) and path.suffix == ".md":
            issue = relative.startswith(issues + "/")
            if problem := (issue_name_problem if issue else article_name_problem)(path.name):
                refused.append(Refused(relative, problem))
            elif (size := path.stat().st_size) > config.magazine_max_article_bytes:
                refused.append(Refused(relative, _too_large(
                    "issue" if issue else "article", size, config.magazine_max_article_bytes,
                    "shorten the editorial" if issue else
                    "split it into several articles, or move long data into a download")))
        elif relative in bibs and (size := path.stat().st_size) > config.magazine_max_bib_bytes:
            refused.append(Refused(relative, _too_large(
                "bibliography file", size, config.magazine_max_bib_bytes,
                "remove the entries no article cites (make check STRICT=1 lists them), or "
                "raise magazine_max_bib_bytes in conf.py")))
        elif relative in bibs and (found := expansion_problem(
                path.read_text(encoding="utf-8", errors="replace"))):
            refused.append(Refused(relative, found[1], found[0]))
        elif static := next((s for s in statics if relative.startswith(s + "/")), None):
            if problem := static_refusals(root, relative, static, limits):
                refused.append(Refused(relative, problem.message, problem.line))
    return refused


def _name_problem(relative: str, contents: tuple[str, ...]) -> str | None:
    """The file's name, or a folder's between its content root and it, outside the alphabet
    of :mod:`magazine.articles.identifiers` (articles have their own rule); hidden files are never
    published."""
    root = next(c for c in contents if relative == c or relative.startswith(c + "/"))
    parts = relative[len(root) + 1:].split("/")
    if any(part.startswith(".") for part in parts):
        return None
    for part in parts[:-1]:
        if problem := file_name_problem(part):
            return problem.replace("the name", "the folder name", 1)
    return None if parts[-1].endswith(".md") else file_name_problem(parts[-1])


def _too_large(what: str, size: int, limit: int, fix: str) -> str:
    return f"the {what} is {size / MB:.1f} MB, over the limit of {limit / MB:.1f} MB; {fix}"


#: the bib files refused in the last configuration of each project, by its folder
_refused_bibfiles: dict[str, tuple[str, ...]] = {}


def refused_bibfiles(srcdir: str | os.PathLike[str]) -> tuple[str, ...]:
    """The bib files of the project that the walk refused: their keys are unknown, so a
    citation of an unknown key says nothing new (the file's refusal names the problem)."""
    return _refused_bibfiles.get(str(srcdir), ())


def refuse_before_build(app: Sphinx, config: Config) -> None:
    """``config-inited``: report what the walk refused and keep it out of the build."""
    refused = scan_project(Path(app.srcdir), config)
    bibs = {str(p) for p in config.bibtex_bibfiles or ()}
    _refused_bibfiles[str(app.srcdir)] = tuple(r.path for r in refused if r.path in bibs)
    if not refused:
        return
    statics = [str(p).strip("/") for p in config.html_static_path]
    patterns = list(config.exclude_patterns)
    bibfiles = list(config.bibtex_bibfiles or ())
    for item in refused:
        # a file without a line, as Sphinx writes one ("PATH:: WARNING: ...")
        warn(item.message, Subtype.unsafe, location=str(Path(app.srcdir, item.location)))
        path = glob.escape(item.path)  # a name may hold [ ] * ?, which patterns read
        patterns += [path, path + "/**"]
        for static in statics:  # static files are matched relative to their folder
            if item.path.startswith(static + "/"):
                rest = glob.escape(item.path[len(static) + 1:])
                patterns += [rest, rest + "/**"]
        if item.path in bibfiles:
            bibfiles.remove(item.path)
        for name in ("html_favicon", "html_logo"):  # Sphinx copies these whatever is excluded
            if Path(str(getattr(config, name, None) or "")).as_posix() == item.path:
                setattr(config, name, None)
    config.exclude_patterns = patterns
    config.bibtex_bibfiles = bibfiles


# -- 3. what a page asks the builder to copy -------------------------------------------------


def _local(uri: str) -> bool:
    return bool(uri) and "://" not in uri and not uri.startswith(("data:", "#", "mailto:"))


def confine_page_files(app: Sphinx, doctree: nodes.document) -> None:
    """``doctree-read``, before Sphinx's image and download collectors."""
    env = app.env
    boundary = Boundary.of(app.srcdir, app.outdir, app.doctreedir)
    limits = Limits.of(app.config)
    for node in list(doctree.findall(nodes.image)):
        uri = node.get("uri", "")
        if _local(uri) and (reason := _page_file_refusal(env, boundary, limits, uri, False)):
            warn(f"this image cannot be shown: {reason}", Subtype.unsafe,
                 location=node if node.line else (env.docname, None))
            if isinstance(node.parent, (page.lead_image, page.issue_cover)):
                _drop_lead_image(env)
                node.parent.parent.remove(node.parent)
            else:
                node.parent.remove(node)
    for node in list(doctree.findall(addnodes.download_reference)):
        target = node.get("reftarget", "")
        if _local(target) and (reason := _page_file_refusal(env, boundary, limits, target, True)):
            warn(f"this download cannot be offered: {reason}", Subtype.unsafe,
                 location=node if node.line else (env.docname, None))
            node.replace_self(nodes.inline("", "", *node.children))


def _drop_lead_image(env: BuildEnvironment) -> None:
    """A refused lead image leaves the article's record too (cards, og:image, the PDF
    cover); a refused cover, the issue's (the front page, the archive)."""
    articles = getattr(env.get_domain("magazine"), "articles", {})
    if env.docname in articles:
        articles[env.docname]["image"] = None
    issues = getattr(env.get_domain("issue"), "issues", {})
    if env.docname in issues:
        issues[env.docname]["cover"] = None


def _page_file_refusal(env: BuildEnvironment, boundary: Boundary, limits: Limits, uri: str,
                       download: bool) -> str | None:
    _, path = env.relfn2path(uri.split("?", 1)[0], env.docname)
    if reason := boundary.refusal(path):
        return reason.replace(f"'{path}'", f"'{uri}'")
    if os.path.islink(path):
        return (f"'{uri}' is a symbolic link; content files must be ordinary files: replace "
                "the link with a copy of the file")
    candidates = sorted(Path(path).parent.glob(Path(path).name)) if "*" in uri else [Path(path)]
    for candidate in candidates:
        if not candidate.is_file() or ("*" in uri and candidate.suffix.lower() not in IMAGE_SUFFIXES):
            continue  # Sphinx reports a missing file itself, and picks only pictures of a glob
        if problem := page_file_problem(candidate, limits, download=download):
            return problem.located(boundary.relative(str(candidate)))
    return None


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.config")  # the size limits: magazine_max_*_bytes
    # after the other config-inited checks, before the environment compares the config
    app.connect("config-inited", refuse_before_build, priority=schedule.BOUNDARY_REFUSE)
    app.connect("env-before-read-docs", start_reading)
    app.connect("env-updated", stop_reading)
    app.connect("build-finished", stop_on_failure, priority=schedule.BOUNDARY_RELEASE)
    # after the front matter adds the lead image (400), before Sphinx's collectors (500)
    app.connect("doctree-read", confine_page_files, priority=schedule.PAGE_FILES)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
