"""The one door to pybtex's internals, written against pybtex 0.26.1.

The magazine uses pybtex through its documented interfaces wherever it can: the database
(``pybtex.database``: ``parse_string``, ``BibliographyData``, ``Entry``, ``Person``), rich
text, the formatting styles and their templates, label and sorting styles, backends and
plugin registration: :data:`PUBLIC_MODULES`.

Everything else it takes from pybtex is here, and only here (``tests/test_codebase.py``
fails if another module imports it):

- :func:`capture_errors`: pybtex's error capture, made to nest. pybtex reports a problem in
  a bib file (a duplicate key, a name with too many commas) through
  ``pybtex.errors.report_error``, which raises unless a capture is open and then appends to
  the capture's list. ``pybtex.errors.capture()`` keeps one global list and clears it on
  exit, so a capture opened inside another (a bib check during the build, which captures
  from start to end) would end the outer one, and pybtex would raise the next error; this
  one puts the outer list back when it ends;
- the BibTeX parser's lower level, which :mod:`.bibbounds` subclasses to measure ``@string``
  expansions without building them (:class:`LowLevelParser`, its month macros
  :data:`month_names`, and :class:`PybtexSyntaxError`);
- BibTeX's rule for splitting a name list on "and" (:func:`split_name_list`), which the
  style and the reading step apply to fields pybtex does not read as names itself;
- the BibTeX writer (:class:`BibtexWriter`), which :mod:`.records` subclasses to quote and
  encode each value once.

Any of these could change in another version and give wrong output with no error, so the
magazine refuses to start with any version but :data:`SUPPORTED` (:func:`check_version`, at
import): a Sphinx ``ExtensionError`` that names the installed version. To upgrade, read each
use here against the new version's source, then add it to :data:`SUPPORTED`.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

from sphinx.errors import ExtensionError

from .. import doors

if TYPE_CHECKING:
    from collections.abc import Iterator

#: the distribution this door opens onto
DISTRIBUTION = "pybtex"
#: the versions whose internals this module was written against (and read against)
SUPPORTED = ("0.26.1",)
#: pybtex's modules any part of the magazine may import: its documented interfaces
PUBLIC_MODULES = (
    "pybtex.database",
    "pybtex.exceptions",
    "pybtex.plugin",
    "pybtex.richtext",
    "pybtex.style",
    "pybtex.style.formatting",
    "pybtex.style.labels",
    "pybtex.style.sorting",
    "pybtex.style.template",
    "pybtex.backends",
)


def is_public(module: str) -> bool:
    """A module of pybtex's documented interfaces (or one of the styles and backends it
    ships under them)."""
    return module in PUBLIC_MODULES or module.startswith(
        ("pybtex.style.sorting.", "pybtex.style.formatting.", "pybtex.style.labels.",
         "pybtex.backends."))


def installed_version() -> str | None:
    """The installed version of pybtex, or None if it is not installed."""
    return doors.installed_version(DISTRIBUTION)


def refusal(installed: str | None) -> str:
    """Why the magazine does not start, and what to do."""
    return doors.refusal(DISTRIBUTION, installed, SUPPORTED, "_ext/magazine/doors/pybtex026.py",
                         "another version could misread bib files or hide their errors")


def check_version(installed: str | None = None) -> None:
    """Raise ExtensionError unless the installed pybtex is a supported one."""
    doors.check_version(installed if installed is not None else installed_version(),
                        SUPPORTED, refusal)


check_version()

try:  # the modules take these names from here, and only from here
    import pybtex.errors
    from pybtex.bibtex.utils import split_name_list
    from pybtex.database.input.bibtex import LowLevelParser, Parser, month_names
    from pybtex.database.output.bibtex import Writer as BibtexWriter
    from pybtex.scanner import PybtexSyntaxError
except ImportError as exc:  # a version that claims to be supported and is not
    raise ExtensionError(refusal(installed_version())) from exc

__all__ = [
    "BibtexWriter", "LowLevelParser", "Parser", "PybtexSyntaxError", "capture_errors", "check_version", "is_public",
    "month_names", "split_name_list",
]


@contextlib.contextmanager
def capture_errors() -> Iterator[list[Exception]]:
    """The errors pybtex reports inside the block, leaving any outer capture as it was."""
    outer = pybtex.errors.captured_errors
    try:
        with pybtex.errors.capture() as captured:
            yield captured
    finally:
        pybtex.errors.captured_errors = outer
