"""Where a work is found: BibTeX's field names as biblatex's, addresses and DOIs as
written, and arXiv preprints in APA's form (APA 10.8)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..registration.dois import ARXIV_ID as DOI_ARXIV_ID
from ..registration.dois import PREFIX_RE, arxiv_doi, bare_doi, is_doi

if TYPE_CHECKING:
    from .work import Work

#: BibTeX field names read as the biblatex names the style uses
ALIASES = {"journal": "journaltitle", "address": "location", "school": "institution"}


#: types a preprint is exported as
PREPRINT_TYPES = frozenset({"misc", "online", "unpublished", "techreport", "report", "electronic"})




ARXIV_ID = DOI_ARXIV_ID + r"(?:v\d+)?"  # as written, with its version




URL_MACRO_RE = re.compile(r"\\(?:url|href|nolinkurl)\s*\{([^{}]*)\}(?:\s*\{[^{}]*\})?")


URL_RE = re.compile(r"https?://[^\s{}]+")


#: a library's proxy or login link: no reader outside that library can open it
PROXY_RE = re.compile(r"/login\?(?:qurl|url)=", re.I)


ARXIV_JOURNAL_RE = re.compile(rf"^\s*(?:arXiv\s+preprint\s+)?arXiv\s*:\s*({ARXIV_ID})", re.I)


CORR_VOLUME_RE = re.compile(rf"^abs/({ARXIV_ID})$")


# -- field names ----------------------------------------------------------------------------


def field_names(work: Work) -> None:
    for bibtex, biblatex in ALIASES.items():
        if bibtex in work.fields:
            work.fill(biblatex, work.get(bibtex))
            work.drop(bibtex)


# -- addresses ------------------------------------------------------------------------------


def clean_url(value: str) -> str:
    """``\\url{https://x.org/a\\_b}`` -> ``https://x.org/a_b``."""
    value = URL_MACRO_RE.sub(lambda m: m.group(1), value).strip()
    value = re.sub(r"\{?\\([_%&#$])\}?", r"\1", value).replace(r"\~{}", "~").replace(r"\~", "~")
    return value.strip("{} ")


def clean_doi(value: str) -> str:
    """A DOI however written (a link, ``doi:``, ``\\url{}``, ``%2F``) as the DOI itself."""
    return bare_doi(clean_url(value))


def addresses(work: Work) -> None:
    if work.get("url"):
        work.set("url", clean_url(work.get("url")))
    howpublished = work.get("howpublished")
    if howpublished and (URL_MACRO_RE.search(howpublished) or URL_RE.search(howpublished)):
        match = URL_MACRO_RE.search(howpublished) or URL_RE.search(howpublished)
        # a bare address ends before the full stop of the sentence it stands in
        address = clean_url(match.group(1)) if match.re is URL_MACRO_RE else \
            clean_url(match.group(0)).rstrip(".,;:")
        if work.get("url") and address.startswith(work.get("url").rstrip("/")) \
                and address != work.get("url"):
            work.set("url", address)  # the page cited, not its site's home page
        work.fill("url", address)
        rest = (howpublished[:match.start()] + howpublished[match.end():]).strip(" ,.;:{}")
        if rest:
            work.set("howpublished", rest)
        else:
            work.drop("howpublished")
    journal = work.get("journaltitle")
    if URL_RE.fullmatch(journal.strip("{} ")) and work.type != "article":
        work.fill("url", clean_url(journal))  # "journal = {http://hippasus.com}": an address
        work.drop("journaltitle")
    if PROXY_RE.search(work.get("url")):
        work.report("url", (
            f"the address '{work.get('url')[:60]}...' is a library's login link, which "
            "readers cannot open: it is left out; give the work's public address or its DOI"))
        work.drop("url")
    if work.get("doi"):
        work.set("doi", clean_doi(work.get("doi")))
    url = work.get("url")
    if url and PREFIX_RE.match(url):
        doi = clean_doi(url)
        if is_doi(doi):
            work.fill("doi", doi)
            if work.get("doi").lower() == doi.lower():
                work.drop("url")


# -- preprints ------------------------------------------------------------------------------


def preprints(work: Work) -> None:
    """An arXiv preprint in APA's form; a published article keeps its journal, and its
    arXiv fields are left out (APA cites the version of record)."""
    prefix = (work.get("archiveprefix") or work.get("eprinttype")).lower()
    arxiv = re.sub(r"^arxiv:\s*", "", work.get("eprint"), flags=re.I) if prefix == "arxiv" else ""
    journal = work.get("journaltitle")
    in_journal = ARXIV_JOURNAL_RE.match(journal) or (
        journal.lower() == "corr" and CORR_VOLUME_RE.match(work.get("volume")))
    if in_journal:
        arxiv = in_journal.group(1)
    elif not arxiv and (match := ARXIV_JOURNAL_RE.match(work.get("howpublished"))):
        arxiv = match.group(1)
        work.drop("howpublished")
    if arxiv and (in_journal or work.type in PREPRINT_TYPES or (
            work.type == "article" and not journal)):
        work.type = "misc"
        for name in ("journaltitle", "volume", "pages", "number") if in_journal else ("number",):
            work.drop(name)
        work.set("number", f"arXiv:{arxiv}")
        work.fill("publisher", "arXiv")
        work.fill("doi", arxiv_doi(arxiv))
        if "arxiv.org" in work.get("url") and work.get("doi"):
            work.drop("url")
    elif arxiv and work.type != "article" and not work.get("doi") and not work.get("url"):
        work.set("url", f"https://arxiv.org/abs/{arxiv}")  # where the reader finds it
    if prefix == "arxiv" or arxiv:
        for name in ("eprint", "archiveprefix", "eprinttype", "primaryclass", "eprintclass"):
            work.drop(name)
