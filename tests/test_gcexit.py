"""A finished build's objects are frozen out of the exit's garbage collections, and a later
build in the same process unfreezes them (``_ext/magazine/speedups/gcexit.py``)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from conftest import copy_project


@pytest.fixture
def no_frozen_objects():
    gc.unfreeze()
    yield
    gc.unfreeze()


# sphinx-sitemap uses an API that Sphinx 9 deprecates; in-process builds show the warning
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")
@pytest.mark.usefixtures("no_frozen_objects")
def test_a_finished_build_is_frozen_and_the_next_build_thaws_it(tmp_path: Path) -> None:
    from sphinx.testing.util import SphinxTestApp

    src = copy_project(tmp_path / "src")
    app = SphinxTestApp("html", srcdir=src)
    try:
        app.build()
    finally:
        app.cleanup()
    assert gc.get_freeze_count() > 1000  # the environment, the theme, the parsed bib file

    again = SphinxTestApp("html", srcdir=src)  # reads conf.py: config-inited
    try:
        assert gc.get_freeze_count() == 0
    finally:
        again.cleanup()


@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning", "ignore::DeprecationWarning")
@pytest.mark.usefixtures("no_frozen_objects")
def test_freezing_can_be_turned_off(tmp_path: Path) -> None:
    from sphinx.testing.util import SphinxTestApp

    src = copy_project(tmp_path / "src")
    app = SphinxTestApp("html", srcdir=src,
                        confoverrides={"magazine_gc_freeze_at_exit": False})
    try:
        app.build()
    finally:
        app.cleanup()
    assert gc.get_freeze_count() == 0
