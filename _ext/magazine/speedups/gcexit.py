"""A finished build's objects are left out of the garbage collections of the exit.

A build ends with everything it loaded still alive: the environment (at 500 articles, some
480,000 objects: the parsed bib file, each list's entries, the references), the doctrees
in use, the theme. ``sphinx-build`` then exits, and on the way out Python's garbage
collector walks them all, several times: 2 of the 6.5 seconds of a rebuild with nothing to
do, at 500 articles.

When the build has finished (the last ``build-finished`` handler), the objects that exist
are frozen (:func:`gc.freeze`): the collector leaves them alone, and the operating system
takes back the memory when the process ends. A later build in the same process (a test, a
tool that builds in-process) unfreezes them first, so that what the first build left
behind can be collected as usual. ``magazine_gc_freeze_at_exit = False`` turns this off
(and so does ``magazine_speedups = False``, which turns off every speed-up).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from .. import schedule
from . import enabled

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata


def unfreeze(app: Sphinx, config: Config) -> None:
    """``config-inited``: what an earlier build in this process froze is collectable again."""
    if gc.get_freeze_count():
        gc.unfreeze()


def freeze(app: Sphinx, exception: BaseException | None) -> None:
    """``build-finished``, last of all: the build's objects stay out of the exit's work."""
    if app.config.magazine_gc_freeze_at_exit and enabled(app.config):
        gc.freeze()


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.config")  # magazine_gc_freeze_at_exit
    app.connect("config-inited", unfreeze, priority=schedule.GC_UNFREEZE)
    app.connect("build-finished", freeze, priority=schedule.GC_FREEZE)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
