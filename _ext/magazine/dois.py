"""DOIs, in one place: what one looks like, how people write it, and its link.

A DOI is ``10.NNNN/suffix``; people also write it as a link (``https://doi.org/...``,
``http://dx.doi.org/...``), with a ``doi:`` or ``DOI`` prefix, or with its slash encoded
(``%2F``). Every reader of a DOI (the front matter, the bib check and reading step, the
APA style, the page metadata, ``make reference``) uses these, so that all agree.
"""

from __future__ import annotations

import re
import urllib.parse

#: a DOI itself: "10." + registrant code + "/" + suffix
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
#: the ways a DOI is introduced: as a doi.org link, or with a doi: or DOI prefix
PREFIX_RE = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*|DOI\s+)", re.I)
RESOLVER = "https://doi.org/"
#: an arXiv identifier, new style (2101.00001) or old (hep-th/9901001, math.AG/0601001),
#: without its version
ARXIV_ID = r"(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})"
#: the DOI arXiv registers for every paper (with DataCite)
ARXIV_DOI_RE = re.compile(r"^10\.48550/arxiv\.(.+)$", re.I)


def bare_doi(text: str) -> str:
    """``https://doi.org/10.1/x``, ``doi:10.1/x``, ``10.1%2Fx`` -> ``10.1/x`` (whatever it
    is; :func:`is_doi` says whether it is a DOI)."""
    value = PREFIX_RE.sub("", text.strip()).strip()
    return urllib.parse.unquote(value) if "%2f" in value.lower() else value


def is_doi(text: str) -> bool:
    return DOI_RE.match(text) is not None


def arxiv_doi(identifier: str) -> str:
    """``1706.03762v5`` -> ``10.48550/arXiv.1706.03762``: the paper's DOI, any version."""
    return "10.48550/arXiv." + re.sub(r"v\d+$", "", identifier)


def doi_url(doi: str) -> str:
    """The DOI's link, as APA 9.34 writes it: ``https://doi.org/10.1/x``."""
    return RESOLVER + bare_doi(doi)
