"""APA 7 in-text citations: a sphinxcontrib-bibtex referencing style.

- Parenthetical ``{cite:p}`` "(Bangalore, 2021)" and narrative ``{cite:t}`` "Bangalore (2021)",
  round brackets; "&" between two authors in parentheses, "and" in running text; "et al."
  from three authors (APA 8.17); suffixes such as Jr. left out.
- Several works in one citation in reference-list order, separated by semicolons, and one
  author's works under one name: "(Einstein, 1905a, 1905b)" (8.12).
- Pre- and post-text come from sphinxcontrib-bibtex's target syntax,
  ``{cite:p}`{see}hochreiter1997long{p. 3}``` -> "(see Hochreiter & Schmidhuber, 1997, p. 3)":
  the braces before a key hold the pre-text, the braces after it the post-text (usually a
  page locator; a hyphen between numbers becomes an en dash).
- A work with no author is cited by its title, in italics if the list italicises it, else
  in quotation marks: ("Anonymous Article Title," 2020) (8.14).
- A personal communication cited in text only has no entry to link to:
  "(J. Kocsis, personal communication, March 30, 2021)" (8.9).

sphinxcontrib-bibtex formats each work with :meth:`Apa7ReferenceStyle.inner` and then the
list with :meth:`~Apa7ReferenceStyle.outer`; the works travel between the two as
:class:`Work` records inside the rich text, so that ``outer`` can order and group them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pybtex.richtext import Tag, Text
from pybtex.style.template import node
from sphinxcontrib.bibtex.style.referencing import BaseReferenceStyle
from sphinxcontrib.bibtex.style.template import SphinxReferenceInfo, SphinxReferenceText

from . import dates
from .apa7 import is_italic_title
from .disambiguation import USUAL, CiteForm
from .entries import is_personal_communication, lead_identity, lead_persons
from .names import given_first_name, in_text, uses_prefix
from .settings import APA, ApaSettings
from .sorting import sort_key
from .titles import latex_text

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

    from pybtex.database import Entry
    from pybtex.richtext import BaseText
    from pybtex.style.template import Node

ROLE_NAMES = (
    "p", "ps", "alp", "alps", "t", "ts", "ct", "cts", "author", "authors", "authorpar",
    "authorpars", "cauthor", "cauthors", "year", "yearpar", "label", "labelpar", "empty",
)
_NUMBER_RANGE_RE = re.compile(r"(?<=\d)\s*-{1,2}\s*(?=\d)")


@dataclass(frozen=True)
class Work:
    """One cited work, in parts: who, when, and what the author wrote around the key."""

    names: Text
    names_narrative: Text
    year: str
    pre: str = ""
    post: str = ""
    group: tuple = ()
    entry: Any = None
    info: Any = None
    #: "work", "quoted" (a title in quotation marks) or "personal" (a communication)
    form: str = "work"
    #: a group author's abbreviation (``shortauthor``), given at the first citation (8.21)
    short: str = ""

    @property
    def order(self) -> tuple:
        """Where the work files in an alphabetical list (asked only when one is)."""
        return sort_key(self.entry)


class WorkText(Text):
    """Rich text that carries its :class:`Work` from ``inner`` to ``outer``."""

    def __init__(self, work: Work) -> None:
        super().__init__(work.names, ", ", work.year)
        self.work = work


def locator(text: str) -> str:
    """"pp. 191-193" -> "pp. 191–193"."""
    return _NUMBER_RANGE_RE.sub("\u2013", text.strip())


def cited_year(entry: Entry, label: str | None) -> str:
    """"2021a" from the label; "1936/1952" for a translation or reprint (APA 8.15)."""
    year = label or dates.year_text(entry)
    original = dates.original_year(entry)
    return f"{original}/{year}" if original else year


def title_names(entry: Entry, narrative: bool) -> tuple[Text, str]:
    """The title in the author position: italic, or in quotation marks (APA 8.14)."""
    title = latex_text(entry.fields.get("title", "").strip())
    if is_italic_title(entry):
        return Text(Tag("em", title)), "work"
    return Text("\u201c", title, "\u201d" if narrative else ",\u201d"), "quoted"


def make_work(entry: Entry, label: str | None, info: Any, settings: ApaSettings,
              full: bool = False, form: CiteForm = USUAL) -> Work:
    """The in-text parts of one work, as the role will print them; ``form`` is what its
    list needs to tell it from the others (:mod:`.disambiguation`)."""
    pre = getattr(info, "pre_text", "") or ""
    post = locator(getattr(info, "post_text", "") or "")
    authors = entry.persons.get("author")
    if settings.in_text_only and authors and is_personal_communication(entry):
        name = Text(given_first_name(authors[0]))
        when = dates.long_date(dates.work_date(entry))
        return Work(name, name, f"personal communication, {when}", pre, post,
                    group=("personal", entry.key), entry=entry, info=info,
                    form="personal")
    persons = lead_persons(entry)
    short = group_abbreviation(entry)
    if short:  # "(National Institute of Mental Health [NIMH], 2020)" (APA 8.21)
        group = in_text(persons, False, narrative=False)
        return Work(Text(f"{group} [{short}]"), Text(group), cited_year(entry, label), pre,
                    post, group=lead_identity(entry), entry=entry, info=info, short=short)
    if persons:
        useprefix = uses_prefix(entry)
        shape = {"full": full, "shown": form.names, "first_initials": form.initials}
        names = Text(in_text(persons, useprefix, narrative=False, **shape))
        narrative = Text(in_text(persons, useprefix, narrative=True, **shape))
        form = "work"
    else:
        names, form = title_names(entry, narrative=False)
        narrative, _ = title_names(entry, narrative=True)
    return Work(names, narrative, cited_year(entry, label), pre, post,
                group=lead_identity(entry), entry=entry, info=info, form=form)


@node
def work(children, data, full=False):  # noqa: ANN001
    """``inner``: one work of a citation."""
    assert not children
    style = data["style"]
    formatted = data["formatted_entry"]
    return WorkText(make_work(data["entry"], formatted.label, data["reference_info"],
                              style.settings, full=full,
                              form=getattr(formatted, "cite_form", USUAL)))


def link(work: Work, *parts: BaseText | str) -> Text:
    """Parts linked to the work's Works Cited entry (a personal communication has none)."""
    if work.form == "personal" or not isinstance(work.info, SphinxReferenceInfo):
        return Text(*parts)
    return Text(SphinxReferenceText(work.info, *parts))


def _with_pre(work: Work, text: Text) -> Text:
    return Text(work.pre, " ", text) if work.pre else text


def _post(work: Work) -> Text:
    return Text(", ", work.post) if work.post else Text()


def _years(works: Sequence[Work], first: Text | None = None) -> Text:
    """"1905a, 1905b" after one name; "; " between them when they carry locators."""
    separator = "; " if any(w.post for w in works) else ", "
    parts = []
    for index, item in enumerate(works):
        year = link(item, first, item.year) if index == 0 and first is not None else link(
            item, item.year
        )
        parts.append(Text(year, _post(item)))
    return Text(separator).join(parts)


def parenthetical_group(works: Sequence[Work]) -> Text:
    head = works[0]
    if head.form == "personal":
        return _with_pre(head, Text(link(head, head.names, ", ", head.year), _post(head)))
    separator = " " if head.form == "quoted" else ", "
    return _with_pre(head, _years(works, Text(head.names, separator)))


def narrative_group(works: Sequence[Work], capfirst: bool) -> Text:
    head = works[0]
    names = head.names_narrative.capfirst() if capfirst else head.names_narrative
    years = Text(head.pre, " ", _years(works)) if head.pre else _years(works)
    if head.short:  # "National Institute of Mental Health (NIMH, 2020)"
        return Text(link(head, names), " (", head.short, ", ", years, ")")
    return Text(link(head, names), " (", years, ")")


def group_abbreviation(entry: Entry) -> str:
    """A group author's abbreviation, from biblatex's ``shortauthor`` (APA 8.21); only a
    group author (one name in double braces) has one."""
    short = latex_text(entry.fields.get("shortauthor", "").strip()).render_as("text").strip("{} ")
    persons = lead_persons(entry)
    if not short or len(persons) != 1 or persons[0].first_names or persons[0].middle_names:
        return ""
    return short


def grouped(works: Iterable[Work]) -> list[list[Work]]:
    """Works of the same authors together, at the place of the first of them."""
    groups: dict[tuple, list[Work]] = {}
    for item in works:
        groups.setdefault(item.group, []).append(item)
    return list(groups.values())


def and_list(parts: Sequence[Text]) -> Text:
    if len(parts) <= 2:
        return Text(" and ").join(parts)
    return Text(Text(", ").join(parts[:-1]), ", and ", parts[-1])


@node
def citation(children, data, role, alphabetical):  # noqa: ANN001
    """``outer``: the works of one citation, in reference-list order, grouped by author."""
    works = [child.work for child in children if isinstance(child, WorkText)]
    if alphabetical:
        works.sort(key=lambda w: w.order)
    groups = grouped(works)
    if not groups or role == "empty":
        return Text()
    if role in ("t", "ts", "ct", "cts"):
        return and_list([narrative_group(g, capfirst=i == 0 and role.startswith("c"))
                         for i, g in enumerate(groups)])
    if role.startswith(("author", "cauthor")):
        names = [link(g[0], g[0].names_narrative) for g in groups]
        if role.startswith("c"):
            names[0] = link(groups[0][0], groups[0][0].names_narrative.capfirst())
        text = and_list(names)
        return Text("(", text, ")") if "par" in role else text
    if role.startswith(("year", "label")):
        text = Text("; ").join(_with_pre(g[0], _years(g)) for g in groups)
        return Text("(", text, ")") if role.endswith("par") else text
    text = Text("; ").join(parenthetical_group(g) for g in groups)
    return text if role.startswith("al") else Text("(", text, ")")


@dataclass
class Apa7ReferenceStyle(BaseReferenceStyle):
    """APA 7 author-date citations for every role of sphinxcontrib-bibtex's ``cite``."""

    settings: ClassVar[ApaSettings] = APA
    roles: tuple[str, ...] = field(default=ROLE_NAMES)

    @classmethod
    def with_settings(cls, settings: ApaSettings) -> type[Apa7ReferenceStyle]:
        """A subclass fixed to ``settings``, for registering under its plugin name."""
        name = f"Apa7ReferenceStyle_{settings.plugin_name.replace('-', '_')}"
        return dataclass(type(name, (cls,), {"settings": settings, "__module__": cls.__module__}))

    def role_names(self) -> Iterable[str]:
        return self.roles

    def inner(self, role_name: str) -> Node:
        # the roles ending in "s" (ps, ts, authors, ...) list every author
        return work(full=role_name.endswith("s"))

    def outer(self, role_name: str, children: list[BaseText]) -> Node:
        return citation(role=role_name, alphabetical=self.settings.order == "alphabetical")[
            children
        ]
