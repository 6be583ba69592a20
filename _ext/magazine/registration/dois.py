"""DOIs, in one place: what one looks like, how people write it, and its link.

A DOI is ``10.NNNN/suffix``; people also write it as a link (``https://doi.org/...``,
``http://dx.doi.org/...``), with a ``doi:`` or ``DOI`` prefix, or with its slash encoded
(``%2F``). Every reader of a DOI (the front matter, the bib check and reading step, the
APA style, the page metadata, ``make reference``) uses these, so that all agree.
"""

from __future__ import annotations

import re
import string
import urllib.parse
from typing import Any

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


# -- the magazine's own DOIs and ISSNs -------------------------------------------------------

#: what a DOI pattern may name: {prefix}/{magazine}.v{volume}i{number}.{position}
PATTERN_FIELDS = ("prefix", "magazine", "volume", "number", "position", "name")
PREFIX_ONLY_RE = re.compile(r"^10\.\d{4,9}$")
ISSN_RE = re.compile(r"^(\d{4})-(\d{3})([\dX])$")


def magazine_token(project: str) -> str:
    """``The Open Bench`` -> ``theopenbench``: the magazine in a DOI suffix."""
    return re.sub(r"[^a-z0-9]+", "", project.lower()) or "magazine"


def article_doi(pattern: str, prefix: str, project: str, volume: int, number: int,
                position: int, name: str) -> str:
    """The DOI an article gets from the magazine's pattern: ``position`` is its place in
    its issue's contents (1 for the first), ``name`` its file name (``articles/NAME``)."""
    return pattern.format(prefix=prefix, magazine=magazine_token(project), volume=volume,
                          number=number, position=position, name=name.rsplit("/", 1)[-1])


def pattern_problem(pattern: str, prefix: str) -> str | None:
    """What is wrong with a DOI prefix and pattern, or None."""
    if not PREFIX_ONLY_RE.match(prefix):
        return (f"magazine_doi_prefix = {prefix!r} is not a DOI prefix; write the prefix "
                "Crossref gave the magazine, such as '10.5555'")
    if not pattern.startswith("{prefix}/"):
        return "magazine_doi_pattern must start with '{prefix}/'"
    try:
        names = {f[1] for f in string.Formatter().parse(pattern) if f[1]}
        sample = article_doi(pattern, prefix, "Magazine", 1, 2, 3, "articles/a-b")
    except (ValueError, KeyError, IndexError) as err:
        return (f"magazine_doi_pattern = {pattern!r} cannot be filled in ({err}); it may name "
                + ", ".join("{" + f + "}" for f in PATTERN_FIELDS))
    unknown = names - set(PATTERN_FIELDS)
    if unknown:
        return (f"magazine_doi_pattern names {', '.join(sorted(unknown))}, which it cannot "
                "know; it may name " + ", ".join("{" + f + "}" for f in PATTERN_FIELDS))
    if "name" not in names and not {"volume", "number", "position"} <= names:
        return ("magazine_doi_pattern must tell every article apart: name {name}, or "
                "{volume}, {number} and {position} together")
    if not is_doi(sample) or any(c in sample for c in ' "<>#%{}|\\^`'):
        return f"magazine_doi_pattern = {pattern!r} does not make a DOI (it gives {sample!r})"
    return None


def issns(config: Any) -> tuple[tuple[str, str], ...]:  # noqa: ANN401 - a Sphinx config
    """The magazine's ISSNs as (value, medium): the online one ("electronic") first, then the
    print one; none set, none (no JATS file then, and no ISSN anywhere)."""
    return tuple((value, medium) for value, medium in (
        (config.magazine_issn, "electronic"), (config.magazine_print_issn, "print")) if value)


def issn_problem(value: str) -> str | None:
    """What is wrong with an ISSN (``2049-3630``: seven digits and a check digit)."""
    match = ISSN_RE.match(value)
    if match is None:
        return f"{value!r} is not an ISSN; write it as NNNN-NNNC, such as 2049-3630"
    digits = match[1] + match[2]
    total = sum(int(d) * w for d, w in zip(digits, range(8, 1, -1)))
    check = (11 - total % 11) % 11
    if match[3] != ("X" if check == 10 else str(check)):
        return f"{value!r} is not an ISSN: its check digit should be {'X' if check == 10 else check}"
    return None
