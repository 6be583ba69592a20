"""``make reference DOI=10.xxxx/...`` (or ``ARXIV=2101.00001``): a bib entry from the DOI.

    PYTHONPATH=_ext python -m magazine.cli.fetchref 10.1016/j.clineuro.2021.106565
    PYTHONPATH=_ext python -m magazine.cli.fetchref arXiv:1706.03762

The one command of the project that uses the network, and only when a contributor runs it:
builds never do. It asks doi.org for the work's metadata as CSL-JSON (content negotiation:
``Accept: application/vnd.citationstyles.csl+json``; Crossref, DataCite and the other
registration agencies answer it), writes the entry in the magazine's biblatex form with a
key of the house pattern (``firstauthorYEARword``), runs the bibliography check on it, and
prints it ready to paste into ``references.bib``. An arXiv id is looked up by the DOI arXiv
gives every paper (``10.48550/arXiv.ID``). The check's findings go to standard error; so
does a reminder to brace the proper nouns of the title, which no metadata marks.

``MAGAZINE_DOI_RESOLVER`` replaces ``https://doi.org/`` (the tests serve recorded answers
from 127.0.0.1). Without a network the command says so in one line and exits with 2.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import unicodedata
import urllib.error
import urllib.parse
import urllib.request
from typing import Any

from ..citations.bibcheck import check_bib_text
from ..registration.dois import ARXIV_DOI_RE, ARXIV_ID, arxiv_doi, bare_doi, is_doi

RESOLVER = "https://doi.org/"
RESOLVER_VARIABLE = "MAGAZINE_DOI_RESOLVER"
ACCEPT = "application/vnd.citationstyles.csl+json"
TIMEOUT = 20  # seconds
MAX_RESPONSE = 5 * 1024 * 1024
ARXIV_RE = re.compile(rf"^(?:arxiv:|https?://arxiv\.org/abs/)?({ARXIV_ID})(?:v\d+)?$", re.I)
#: CSL types as biblatex types (and the field the container's title goes in)
TYPES = {
    "article-journal": ("article", "journaltitle"),
    "article-magazine": ("article", "journaltitle"),
    "article-newspaper": ("article", "journaltitle"),
    "paper-conference": ("inproceedings", "booktitle"),
    "chapter": ("incollection", "booktitle"),
    "entry-encyclopedia": ("incollection", "booktitle"),
    "entry-dictionary": ("incollection", "booktitle"),
    "book": ("book", None),
    "monograph": ("book", None),
    "edited-book": ("collection", None),
    "report": ("report", None),
    "thesis": ("thesis", None),
    "dataset": ("dataset", None),
    "software": ("software", None),
    "webpage": ("online", None),
    "post-weblog": ("online", None),
    "motion_picture": ("video", None),
    "song": ("audio", None),
}
SUBTYPES = {"article-magazine": "magazine", "article-newspaper": "newspaper"}
#: words a key's title word skips
MINOR = frozenset({"a", "an", "the", "on", "of", "in", "for", "and", "to", "at", "by", "with",
                   "from", "is", "are", "how", "what", "why", "when"})


class FetchError(Exception):
    """Why no metadata came back: one line for the contributor."""


def parse_identifier(text: str) -> str:
    """The DOI to ask for: a DOI however written, or an arXiv id's DOI."""
    text = text.strip()
    if is_doi(bare_doi(text)):
        return bare_doi(text)
    if match := ARXIV_RE.match(text):
        return arxiv_doi(match.group(1))
    raise FetchError(f"'{text}' is neither a DOI (10.NNNN/suffix) nor an arXiv id "
                     "(2101.00001)")


def fetch_csl(doi: str, resolver: str | None = None) -> dict[str, Any]:
    """The work's CSL-JSON from the resolver."""
    base = resolver or os.environ.get(RESOLVER_VARIABLE) or RESOLVER
    url = base.rstrip("/") + "/" + urllib.parse.quote(doi, safe="/:;()")
    request = urllib.request.Request(url, headers={
        "Accept": ACCEPT, "User-Agent": "the-open-bench/1 (make reference)"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE + 1)
    except urllib.error.HTTPError as error:
        if error.code == 404:
            raise FetchError(f"doi.org knows no DOI {doi}; check it against the article's "
                             "page") from None
        raise FetchError(f"doi.org answered {error.code} for {doi}; try again later, or "
                         "write the entry by hand (CONTRIBUTING.md, Add a reference)") from None
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise FetchError(f"cannot reach {urllib.parse.urlsplit(base).netloc or base} "
                         f"({reason}); check the network, or write the entry by hand "
                         "(CONTRIBUTING.md, Add a reference)") from None
    if len(body) > MAX_RESPONSE:
        raise FetchError(f"the answer for {doi} is larger than 5 MB; write the entry by hand")
    try:
        data = json.loads(body)
    except ValueError:
        raise FetchError(f"the answer for {doi} is not CSL-JSON; write the entry by hand") from None
    if not isinstance(data, dict):
        raise FetchError(f"the answer for {doi} is not one work's CSL-JSON")
    return data


# -- CSL-JSON to the magazine's biblatex ----------------------------------------------------


def _text(value: Any) -> str:
    if isinstance(value, list):
        value = value[0] if value else ""
    text = re.sub(r"<[^>]+>", "", str(value or ""))  # Crossref's JATS tags in titles
    return " ".join(text.split())


def _bib(value: str) -> str:
    """A value for a braced bib field: TeX's special characters escaped, braces balanced."""
    value = re.sub(r"([&%#_$])", r"\\\1", value)
    return value.replace("{", "(").replace("}", ")")


def _person(name: dict[str, Any]) -> str:
    if name.get("literal"):
        return "{" + _bib(str(name["literal"])) + "}"
    family = _bib(_text(name.get("family")))
    given = _bib(_text(name.get("given")))
    particle = _bib(_text(name.get("non-dropping-particle")))
    if particle:
        family = f"{particle} {family}"
    suffix = _bib(_text(name.get("suffix")))
    parts = [family, suffix, given] if suffix else [family, given]
    return ", ".join(p for p in parts if p)


def _date(csl: dict[str, Any]) -> str:
    for name in ("issued", "published-print", "published-online", "created"):
        parts = (csl.get(name) or {}).get("date-parts") or [[]]
        numbers = [int(n) for n in parts[0] if str(n).isdigit()]
        if numbers:
            return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:3])])
    return ""


def _pages(page: str) -> str:
    return re.sub(r"\s*[-\u2013\u2014]+\s*", "--", page)


def house_key(csl: dict[str, Any], date: str) -> str:
    """``honmou2021intravenous``: first author's surname, year, first significant word."""
    authors = csl.get("author") or csl.get("editor") or []
    first = authors[0] if authors else {}
    name = first.get("family") or first.get("literal") or "anonymous"
    words = [w for w in re.findall(r"[^\W_]+", _text(csl.get("title")).lower()) if w not in MINOR]
    word = words[0] if words else "work"

    def ascii_lower(text: str) -> str:
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]", "", plain.lower())

    return f"{ascii_lower(str(name).split()[-1]) or 'anonymous'}{date[:4] or 'nd'}{ascii_lower(word)}"


def to_biblatex(csl: dict[str, Any], doi: str) -> str:
    """The entry in the magazine's biblatex form (the fields CONTRIBUTING.md describes)."""
    kind, container = TYPES.get(str(csl.get("type", "")), ("misc", None))
    date = _date(csl)
    fields: list[tuple[str, str]] = []
    authors = [_person(p) for p in csl.get("author") or []]
    editors = [_person(p) for p in csl.get("editor") or []]
    if authors:
        fields.append(("author", " and ".join(authors)))
    if editors:
        fields.append(("editor", " and ".join(editors)))
    fields.append(("title", _bib(_text(csl.get("title")))))
    if subtitle := _text(csl.get("subtitle")):
        fields.append(("subtitle", _bib(subtitle)))
    if container and (name := _text(csl.get("container-title"))):
        fields.append((container, _bib(name)))
    if subtype := SUBTYPES.get(str(csl.get("type", ""))):
        fields.append(("entrysubtype", subtype))
    for csl_name, name in (("volume", "volume"), ("issue", "number"), ("edition", "edition")):
        if value := _text(csl.get(csl_name)):
            fields.append((name, _bib(value)))
    if number := _text(csl.get("article-number")):
        fields.append(("eid", _bib(number)))
    elif page := _text(csl.get("page")):
        fields.append(("pages", _pages(page)))
    if kind in ("book", "collection", "incollection", "report", "dataset", "software",
                "inproceedings", "thesis", "online") and (publisher := _text(csl.get("publisher"))):
        fields.append(("institution" if kind == "thesis" else "publisher", _bib(publisher)))
    if version := _text(csl.get("version")):
        fields.append(("version", _bib(version)))
    if date:
        fields.append(("date", date))
    if arxiv := ARXIV_DOI_RE.match(doi):  # the reading step prints APA's preprint form
        kind = "misc"
        fields += [("eprinttype", "arxiv"), ("eprint", arxiv.group(1))]
    elif kind == "misc" and (publisher := _text(csl.get("publisher"))):
        fields.append(("publisher", _bib(publisher)))  # a preprint server, a repository
    fields.append(("doi", doi))
    key = house_key(csl, date)
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{key},\n{body},\n}}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="make reference", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("identifier", help="a DOI (10.NNNN/suffix) or an arXiv id")
    args = parser.parse_args(argv)
    try:
        doi = parse_identifier(args.identifier)
        entry = to_biblatex(fetch_csl(doi), doi)
    except FetchError as error:
        print(f"make reference: {error}", file=sys.stderr)
        return 2
    report = check_bib_text(entry, previews=True)
    for problem in report.problems:
        print(f"entry line {problem.line}: {problem.severity}: {problem.message}", file=sys.stderr)
    print("note: the title is as the publisher gives it; put braces around its proper nouns "
          "and acronyms ({Yale}, {DNA}) so that they keep their capitals", file=sys.stderr)
    sys.stdout.write(entry)
    return 1 if any(p.severity == "error" for p in report.problems) else 0


if __name__ == "__main__":
    sys.exit(main())
