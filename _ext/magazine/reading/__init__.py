"""The reading step: a bib entry as exporters write it, turned into the fields the APA style,
the downloads and the page metadata read.

Contributors paste what Google Scholar, Zotero, Mendeley, JabRef, doi.org, arXiv or a
publisher's page gives them. Between pybtex's parse and everything that prints an entry,
:func:`read_entry` makes one :class:`Reading` per entry: the entry with its fields put where
the style looks for them, and the problems it could not put right, each naming its field
(so that the bib check locates it at the field's line) and the fix. What it does, one rule
per function below:

* field names: BibTeX's ``journal``, ``address`` and ``school`` read as biblatex's
  ``journaltitle``, ``location`` and ``institution``;
* addresses: ``\\url{...}`` unwrapped and LaTeX escapes undone in URLs; a URL in
  ``howpublished`` moved to ``url``; a DOI written as a link or with ``doi:`` reduced to the
  DOI, and a ``url`` that only repeats the DOI dropped;
* preprints: arXiv ids from ``eprint``/``archivePrefix``, Google Scholar's ``journal =
  {arXiv preprint arXiv:...}`` and DBLP's CoRR volumes become APA's preprint form (APA 10.8):
  "(arXiv:ID). arXiv." with the DOI arXiv assigns to every paper;
* ``note``: never printed. What it holds is used when it is understood (an access date
  becomes ``urldate``; Zotero's "Publisher: ...", "Number: ...", "Place: ..." lines fill the
  fields they name; PubMed ids, ISBNs and ISSNs are kept out of print) and reported when not;
* names: "and others" reported (APA lists up to 20 authors); ``{W}es {M}c{K}inney`` keeps
  its given name; "Brito da Silva, Leonardo" keeps its compound surname;
* page ranges: "353--66" written out in full as "353--366" (APA 9.27: inclusive numbers);
* editions: "2nd", "second", "2nd ed." read as 2, so the style prints "(2nd ed.)";
* thesis types: "PhD thesis", "Ph.D. dissertation", "MSc thesis" read as the types the style
  names "Doctoral dissertation" and "Master's thesis";
* periodical names: written in lower case after the first word by an exporter, they are set
  in title case (APA 9.25) and reported, so the bib file can be corrected;
* LaTeX: commands latexcodec does not know are decoded by pylatexenc, font switches
  (``{\\em ...}``) dropped; what neither decoder knows is reported;
* titles wrapped whole in braces are reported: braces keep capitals, so the style cannot set
  such a title in sentence case.

Every rule leaves alone an entry that does not need it: running :func:`read_entry` on its
own output changes nothing. The rules live by concern: :mod:`.sources` (field names,
addresses, DOIs, preprints), :mod:`.notes`, :mod:`.people` (names and media roles),
:mod:`.numbers` (issues, pages, editions), :mod:`.kinds` (proceedings, chapters,
manuscripts, reports, theses) and :mod:`.text` (LaTeX, names of periodicals, titles);
:mod:`.work` holds the record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pybtex.database import BibliographyData, Entry

from .kinds import containers, report_type, thesis, videos
from .notes import access_phrases, iso_date, notes
from .numbers import edition, issue, pages
from .people import names, roles, usernames
from .sources import ALIASES, addresses, clean_doi, field_names, preprints
from .text import (
    braced_titles,
    final_stops,
    languages,
    latex,
    periodical_case,
    proceedings_case,
    sentence_case_preview,
    title_case,
)
from .work import Reading, ReadingProblem, Work

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "ALIASES", "Reading", "ReadingProblem", "clean_doi", "iso_date", "read_bibliography",
    "read_entry", "title_case",
]

#: the rules, in order: each reads what the ones before it have put right
RULES: tuple[Callable[[Work], None], ...] = (
    field_names, addresses, access_phrases, preprints, notes, roles, names, usernames, issue,
    pages, edition, containers, videos, report_type, thesis, latex, languages, periodical_case,
    proceedings_case, braced_titles, final_stops,
)

#: what only the one adding entries asks for (``make references``): a build never reads it
PREVIEWS: tuple[Callable[[Work], None], ...] = (sentence_case_preview,)


def read_entry(entry: Entry, previews: bool = False) -> Reading:
    """The entry as the style and every other reader of the bibliography use it."""
    work = Work(entry)
    for rule in (*RULES, *PREVIEWS) if previews else RULES:
        rule(work)
    work.key = entry.key
    read = work.entry()
    read.key = entry.key
    return Reading(entry.key, read, tuple(work.problems))


def read_bibliography(data: BibliographyData, previews: bool = False,
                      ) -> tuple[BibliographyData, dict[str, Reading]]:
    """Every entry read; the bibliography of the read entries, and each reading by key."""
    readings = {key: read_entry(entry, previews) for key, entry in data.entries.items()}
    read = BibliographyData(
        entries=[(key, r.entry) for key, r in readings.items()],
        preamble=list(data.preamble_list),
    )
    return read, readings
