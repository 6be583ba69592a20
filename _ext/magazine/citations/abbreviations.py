"""A group author's abbreviation: in full with the abbreviation at an article's first
citation of the group, the abbreviation alone after it (APA 8.21).

The bib entry names the abbreviation in biblatex's ``shortauthor`` field::

    @report{nimh2020,
      author      = {{National Institute of Mental Health}},
      shortauthor = {NIMH},
      ...

The in-text style (:mod:`magazine.bibstyle.intext`) writes every citation of the group in
the first-citation form, "(National Institute of Mental Health [NIMH], 2020)" or, in running
text, "National Institute of Mental Health (NIMH, 2020)". Once the references of a page are
resolved, this transform walks the article in reading order and, after the first citation of
each group, shortens the later ones to "(NIMH, 2020)" and "NIMH (2020)". The Works Cited list
names the group in full, as APA does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform

from .. import schedule
from ..articles import page
from ..bibstyle.entries import lead_persons
from ..bibstyle.intext import group_abbreviation
from ..bibstyle.names import in_text
from .citetools import works_cited_entries

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata


class GroupAbbreviations(SphinxPostTransform):
    """After the citations are resolved (priority 10): later citations abbreviated."""

    default_priority = schedule.GROUP_ABBREVIATIONS

    def run(self, **kwargs: object) -> None:
        groups = {}
        for _, entry in works_cited_entries(self.env, self.env.docname):
            short = group_abbreviation(entry)
            if short:
                groups[short] = in_text(lead_persons(entry), False, narrative=False)
        if not groups:
            return
        texts = [t for t in self.document.findall(nodes.Text) if not page.in_works_cited(t)]
        seen: set[str] = set()
        for index, text in enumerate(texts):
            value = changed = str(text)
            for short, name in groups.items():
                # parenthetical: "National Institute of Mental Health [NIMH]" in one text
                long_form = f"{name} [{short}]"
                while long_form in changed:
                    if short not in seen:
                        seen.add(short)
                        head, _, tail = changed.partition(long_form)
                        changed = head + long_form + tail.replace(long_form, short)
                        break
                    changed = changed.replace(long_form, short)
                # narrative: the linked name, then " (NIMH, " in the next text
                marker = f" ({short}, "
                if marker in changed and index > 0 and str(texts[index - 1]).endswith(name):
                    if short not in seen:
                        seen.add(short)
                    else:
                        changed = changed.replace(marker, " (", 1)
                        before = texts[index - 1]
                        shortened = str(before)[: -len(name)] + short
                        before.parent.replace(before, nodes.Text(shortened))
                        texts[index - 1] = before
            if changed != value:
                text.parent.replace(text, nodes.Text(changed))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.add_post_transform(GroupAbbreviations)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
