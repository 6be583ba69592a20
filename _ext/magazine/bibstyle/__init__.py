"""APA 7 reference list and in-text citations (placeholder until the full style lands)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pybtex.plugin import register_plugin
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.author_year import AuthorYearReferenceStyle

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata


class Apa7Style(UnsrtStyle):
    default_sorting_style = "none"

    def get_letter_template(self, e):
        return self.get_misc_template(e)

    get_online_template = get_letter_template


def _round() -> BracketStyle:
    return BracketStyle(left="(", right=")", sep="; ")


@dataclass
class Apa7ReferenceStyle(AuthorYearReferenceStyle):
    bracket_parenthetical: BracketStyle = field(default_factory=_round)
    bracket_textual: BracketStyle = field(default_factory=_round)


def configure(app: Sphinx, config: Config) -> None:
    config.bibtex_default_style = "magazine-apa7"
    config.bibtex_reference_style = "magazine-apa7"


def setup(app: Sphinx) -> ExtensionMetadata:
    register_plugin("pybtex.style.formatting", "magazine-apa7", Apa7Style)
    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", "magazine-apa7", Apa7ReferenceStyle
    )
    app.connect("config-inited", configure)
    return {"version": "0", "parallel_read_safe": True, "parallel_write_safe": True}
