"""The three choices a publication makes on top of APA 7, and the plugin names they give.

APA itself files the reference list alphabetically, cites personal communications in the
text only and labels article numbers ("Article e1000097"); a house style may differ. Each
combination is registered as its own pybtex and sphinxcontrib-bibtex plugin, because both
libraries build styles by name, with no arguments.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

ORDERS = ("alphabetical", "citation")
PERSONAL_COMMUNICATIONS = ("in-text", "listed")


@dataclass(frozen=True)
class ApaSettings:
    """APA 7 as published (the defaults), or a house variant of it."""

    #: "alphabetical" (APA 9.44-9.49) or "citation" (order of first citation)
    order: str = "alphabetical"
    #: "in-text" (APA 8.9: no reference-list entry) or "listed"
    personal_communications: str = "in-text"
    #: print "Article" before an article number (APA 9.27)
    article_number_label: bool = True

    @property
    def in_text_only(self) -> bool:
        return self.personal_communications == "in-text"

    @property
    def plugin_name(self) -> str:
        label = "label" if self.article_number_label else "nolabel"
        return f"magazine-apa7-{self.order}-{self.personal_communications}-{label}"


APA = ApaSettings()


def all_settings() -> list[ApaSettings]:
    """Every combination, for registering one named plugin each."""
    return [
        ApaSettings(order, pc, label)
        for order, pc, label in itertools.product(
            ORDERS, PERSONAL_COMMUNICATIONS, (True, False)
        )
    ]
