"""The search index's English stemmer, remembering the stem of each word across pages.

Sphinx stems every word of every page for the search index with snowball's English stemmer,
written in Python. Sphinx 9.0 remembers stems within one page (``feed`` wraps the stemmer
in a ``functools.cache`` made afresh for each document), so each page stems its own words
once, but the next page starts again: in an archive the same few thousand words are
stemmed again for every page that uses them. The language registered here is Sphinx's own
English, with each stem remembered for the whole build: the same index, byte for byte.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinx.search.en import SearchEnglish

from . import enabled

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata


class RememberingEnglish(SearchEnglish):
    """Sphinx's English search language; each word is stemmed once."""

    def __init__(self, options: dict[str, str]) -> None:
        super().__init__(options)
        self.stems: dict[str, str] = {}

    def stem(self, word: str) -> str:
        stem = self.stems.get(word)
        if stem is None:
            stem = self.stems[word] = super().stem(word)
        return stem


def choose_english(app: Sphinx, config: Config) -> None:
    """``config-inited``: the remembering English, or Sphinx's own with the speed-ups off
    (Sphinx keeps search languages in one table for the whole process)."""
    app.add_search_language(RememberingEnglish if enabled(config) else SearchEnglish)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("config-inited", choose_english)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
