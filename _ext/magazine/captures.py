"""pybtex's error capture, made to nest.

pybtex reports a problem in a bib file (a duplicate key, a name with too many commas)
through ``pybtex.errors.report_error``, which raises unless a capture is open, and then
appends to the capture's list. ``pybtex.errors.capture()`` keeps one global list and clears
it on exit, so a capture opened inside another (a bib check during the build, which captures
from start to end) would end the outer one, and pybtex would raise the next error.
:func:`capture_errors` restores the outer list when it ends.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING

import pybtex.errors

if TYPE_CHECKING:
    from collections.abc import Iterator


@contextlib.contextmanager
def capture_errors() -> Iterator[list[Exception]]:
    """The errors pybtex reports inside the block, leaving any outer capture as it was."""
    outer = pybtex.errors.captured_errors
    try:
        with pybtex.errors.capture() as captured:
            yield captured
    finally:
        pybtex.errors.captured_errors = outer
