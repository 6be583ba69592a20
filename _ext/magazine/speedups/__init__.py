"""Speed-ups: work that makes builds faster and changes nothing in what they write.

Each part works around a cost in Sphinx or Python that the magazine meets at archive scale;
none adds a feature, and each can go once what it works around is gone. One switch turns
them all off, ``magazine_speedups = False`` in ``conf.py`` (or ``-D magazine_speedups=0``):
``tests/test_codebase.py`` builds the seed site both ways and finds the same files, byte for
byte. :data:`SPEEDUPS` says, for each, what it works around, what it was measured to save,
and when it can be removed.

All three together, measured with the switch on a generated archive of 200 articles and
2,000 references (two samples each, taken in turn, on the shared 2-core machine; the
outputs identical): a full build 13.4 and 13.7 s against 16.9 and 16.8 s without them
(0.81x), with ``-j 2`` 9.0 and 11.0 s against 12.3 and 13.6 s (0.77x), a rebuild with
nothing changed 1.65 and 1.91 s against 2.80 and 2.55 s (0.67x).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata


class Speedup(NamedTuple):
    module: str
    works_around: str
    measured: str
    remove_when: str


SPEEDUPS = (
    Speedup(
        "forkdata",
        "with -j, every reading process sends the whole environment back, pickled, and the "
        "main process unpickles each copy although the merge takes only the chunk's part",
        "-j auto went from no faster than -j 1 to 0.79x of it at 100 articles and 0.92x at "
        "500 (benchmarks/README.md)",
        "Sphinx sends back only what merge_domaindata takes, or stops forking readers",
    ),
    Speedup(
        "gcexit",
        "at exit, Python's garbage collector walks every object the finished build left "
        "alive (some 480,000 at 500 articles)",
        "2 of the 6.5 s of a rebuild with nothing to do, at 500 articles",
        "sphinx-build exits without a final collection, or Python's exit stops walking them",
    ),
    Speedup(
        "stems",
        "Sphinx 9.0's English search indexer stems each page's words afresh: the same "
        "thousands of words are stemmed again for every page",
        "not measured alone: part of the full build's 0.81x of all three (above)",
        "Sphinx remembers stems across pages",
    ),
    Speedup(
        "quietdups",
        "sphinxcontrib-bibtex warns of a duplicate citation for every work a second article "
        "cites (3,016 at 200 articles, every build), and Sphinx makes, routes and, from a "
        "parallel reader, pickles each before its handler drops it as suppressed",
        "a rebuild after one article edit at 200 articles x 2,000 references: 2.64 s against "
        "2.78 s without it (medians of three, taken in turn; 0.95x); the preview's builds "
        "gain the same",
        "sphinxcontrib-bibtex checks duplicates per bibliography, or Sphinx filters "
        "suppressed warnings before making their records",
    ),
)

PARTS = ("magazine.speedups.gcexit", "magazine.speedups.stems", "magazine.speedups.quietdups")


def enabled(config: Config) -> bool:
    """Whether the speed-ups are on (they are unless conf.py turns them off)."""
    return bool(getattr(config, "magazine_speedups", True))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.config")  # magazine_speedups
    for part in PARTS:
        app.setup_extension(part)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
