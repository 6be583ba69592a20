"""Crossref deposits: one ``doi_batch`` per published issue, in Crossref's schema 5.3.1.

When the magazine registers DOIs (``magazine_doi_prefix``), every web build writes, for each
published issue whose DOIs are recorded (:mod:`magazine.serial.issues`), the file an editor uploads
to Crossref to register them::

    _build/html/crossref/the-open-bench-1-2.xml

It holds the journal (title, ISSNs, or a title DOI made from the prefix when there is no
ISSN), the issue (volume, number, publication date) and each article: titles, contributors
(people with given name, surname, affiliation and ORCID, in order; an unsigned piece is by
the house byline as an organization), the summary as the abstract, the publication date,
pages, the licence (Crossref's AccessIndicators: free to read, and the licence's deed), the
DOI with the article's address, and its Works Cited as a ``citation_list``: each work's DOI,
title, container, first author, volume, issue, first page and year where its bib entry has
them, and always its APA reference as ``unstructured_citation``.

Every file is built with lxml's element tree (text is escaped by the library, never by
string formatting; characters XML cannot hold are left out) and validated against the
schema in ``schemas/crossref-5.3.1`` (vendored, offline): an invalid file is a warning
naming the element and the reason, so the build fails before anyone uploads it. The
depositor's name and e-mail address are ``magazine_crossref_depositor`` and
``magazine_crossref_email``; the batch's timestamp is the build's date
(:mod:`magazine.serial.builddate`), so that two builds of one commit write the same file and a
later commit a later batch.

Corrections and retractions (:mod:`magazine.serial.notices`) are Crossmark updates, deposited only
when ``magazine_crossmark_policy`` names the DOI of the magazine's Crossmark policy page
(Crossref's terms: a Crossmark needs a policy, and a publisher who deposits one commits to
depositing every later update); without it the deposit has no Crossmark and no notice items,
and the notices are on the web and PDF editions only. With it, each article carries a
``crossmark`` (version 1, the policy, the site's domain, the licence moved into its
``custom_metadata`` as the schema wants), and each notice is an item of its own in its
article's issue: a ``journal_article`` titled "Correction: <title>" (or "Expression of
concern: ", "Retraction: "), with the notice as its abstract, its date, a DOI made from the
article's (``.n1``, ``.n2``: :func:`magazine.serial.notices.notice_doi`), the article page's
address with the notice's anchor, and a ``crossmark`` whose ``update`` (correction,
expression_of_concern, retraction; its date) names the article's DOI.

Depositing is done by hand with the publisher's Crossref
account (the README says how); no build uses the network or any credential.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree
from pybtex.database import Person

from ..articles.licenses import LICENSES
from ..citations.citetools import format_reference, works_cited_entries
from ..citations.records import container, date_parts, field, names, pages
from ..pdf.names import issue_stem
from ..serial import builddate
from ..serial.issues import Issue, published, published_issues
from ..serial.notices import CROSSREF_TYPES, anchor, notice_doi
from ..warnings import Subtype, warn
from ..web import links
from . import xmlcheck
from .dois import issns, magazine_token

if TYPE_CHECKING:
    from pybtex.database import Entry
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

    from ..articles.frontmatter import Author, FrontMatter

CROSSREF = "http://www.crossref.org/schema/5.3.1"
JATS = "http://www.ncbi.nlm.nih.gov/JATS1"
ACCESS = "http://www.crossref.org/AccessIndicators.xsd"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA = xmlcheck.SCHEMAS / "crossref-5.3.1" / "crossref5.3.1.xsd"
SCHEMA_LOCATION = f"{CROSSREF} https://www.crossref.org/schemas/crossref5.3.1.xsd"
FOLDER = "crossref"


def child(parent: etree._Element, tag: str, value: str | None = None,
          namespace: str = CROSSREF, **attributes: str) -> etree._Element:
    """An element of Crossref's schema (or of ``namespace``) under ``parent``."""
    return xmlcheck.element(parent, f"{{{namespace}}}{tag}", value, **attributes)


def date_element(parent: etree._Element, tag: str, iso: str) -> None:
    """``<publication_date media_type="online">``: month, day, year, in Crossref's order."""
    day = dt.date.fromisoformat(iso)
    element = child(parent, tag, media_type="online")
    child(element, "month", f"{day.month:02d}")
    child(element, "day", f"{day.day:02d}")
    child(element, "year", str(day.year))


# -- the parts of a deposit ------------------------------------------------------------------


def contributors(parent: etree._Element, authors: tuple[Author, ...], house: str) -> None:
    if not authors and not house:
        return
    element = child(parent, "contributors")
    if not authors:
        child(element, "organization", house, sequence="first", contributor_role="author")
        return
    for index, author in enumerate(authors):
        person = Person(author.name)
        given = " ".join(person.first_names + person.middle_names)
        surname = " ".join(person.prelast_names + person.last_names) or author.name
        name = child(element, "person_name", sequence="first" if index == 0 else "additional",
                     contributor_role="author")
        if given:
            child(name, "given_name", given)
        child(name, "surname", surname)
        if author.affiliation:
            institution = child(child(name, "affiliations"), "institution")
            child(institution, "institution_name", author.affiliation)
        if author.orcid:
            child(name, "ORCID", "https://orcid.org/" + author.orcid.rsplit("/", 1)[-1])


def citation(parent: etree._Element, key: str, entry: Entry, apa: str) -> None:
    """One work of the Works Cited, structured where its entry says, and its APA text."""
    element = child(parent, "citation", key=key)
    first_author = next(iter(names(entry)), None)
    parts = date_parts(entry)
    structured = [
        ("journal_title", container(entry) if entry.type == "article" else None),
        ("author", first_author.family if first_author else None),
        ("volume", field(entry, "volume")),
        ("issue", field(entry, "number", "issue")),
        ("first_page", pages(entry, article_number=False)[0]),
        ("elocation_id", field(entry, "eid")),  # an article number
        ("cYear", str(parts[0]) if parts else None),
        ("doi", field(entry, "doi")),
        ("article_title", field(entry, "title")),
    ]
    for tag, value in structured:
        if value:
            child(element, tag, value)
    child(element, "unstructured_citation", apa)


def article(app: Sphinx, parent: etree._Element, docname: str, record: FrontMatter,
            issue: Issue) -> None:
    config = app.config
    element = child(parent, "journal_article", publication_type="full_text",
                    language=(config.language or "en").split("_")[0].split("-")[0])
    titles = child(element, "titles")
    child(titles, "title", record.title)
    if record.subtitle:
        child(titles, "subtitle", record.subtitle)
    contributors(element, record.authors, config.magazine_house_byline)
    abstract = child(element, "abstract", namespace=JATS)
    child(abstract, "p", record.summary, namespace=JATS)
    date_element(element, "publication_date", record.date or issue.date or "")
    if docname in issue.pages:
        first, last = issue.pages[docname]
        span = child(element, "pages")
        child(span, "first_page", str(first))
        child(span, "last_page", str(last))
    license_program(app, element, record, record.date or issue.date or "")
    doi_data = child(element, "doi_data")
    child(doi_data, "doi", issue.dois[docname])
    child(doi_data, "resource", links.absolute(config, app.builder.get_target_uri(docname)))
    works = works_cited_entries(app.env, docname)
    if works:
        listed = child(element, "citation_list")
        style = config.bibtex_default_style
        for index, (key, entry) in enumerate(works, start=1):
            citation(listed, f"ref{index}-{key}"[:128], entry,
                     format_reference(style, key, entry)[1])


def license_program(app: Sphinx, element: etree._Element, record: FrontMatter, start: str,
                    updates: tuple[tuple[str, str, str], ...] = ()) -> None:
    """The licence (AccessIndicators); with a Crossmark policy, inside the ``crossmark``
    (the schema takes one or the other at this place), after its ``updates``: (type, date,
    DOI of the work updated)."""
    policy = app.config.magazine_crossmark_policy.strip()
    parent = element
    if policy:
        mark = child(element, "crossmark")
        child(mark, "crossmark_version", "1")
        child(mark, "crossmark_policy", policy.removeprefix("https://doi.org/"))
        domain = crossmark_domain(app)
        if domain:
            child(child(child(mark, "crossmark_domains"), "crossmark_domain"), "domain", domain)
        if updates:
            listed = child(mark, "updates")
            for kind, date, doi in updates:
                child(listed, "update", doi, type=kind, date=date)
        parent = child(mark, "custom_metadata")
    access = child(parent, "program", namespace=ACCESS, name="AccessIndicators")
    child(access, "free_to_read", namespace=ACCESS)
    child(access, "license_ref", LICENSES[record.license][1], namespace=ACCESS,
          applies_to="vor", start_date=start)


_DOMAIN_RE = re.compile(r"^[A-Za-z0-9_]+([-.][A-Za-z0-9_]+)*\.[A-Za-z0-9_]+([-.][A-Za-z0-9_]+)*$")


def crossmark_domain(app: Sphinx) -> str | None:
    """The site's host name, where its updates are shown (none for an address such as
    localhost, which Crossmark cannot name)."""
    from urllib.parse import urlsplit  # noqa: PLC0415

    host = urlsplit(links.site_url(app.config)).hostname or ""
    return host if _DOMAIN_RE.match(host) else None


def notice_items(app: Sphinx, parent: etree._Element, docname: str, record: FrontMatter,
                 doi: str) -> None:
    """Each notice of an article as its own item, a Crossmark update of the article."""
    config = app.config
    url = links.absolute(config, app.builder.get_target_uri(docname))
    for number, notice in enumerate(record.notices, start=1):
        element = child(parent, "journal_article", publication_type="full_text",
                        language=(config.language or "en").split("_")[0].split("-")[0])
        child(child(element, "titles"), "title", f"{notice.label}: {record.title}")
        abstract = child(element, "abstract", namespace=JATS)
        child(abstract, "p", notice.text, namespace=JATS)
        date_element(element, "publication_date", notice.date)
        license_program(app, element, record, notice.date,
                        ((CROSSREF_TYPES[notice.type], notice.date, doi),))
        doi_data = child(element, "doi_data")
        child(doi_data, "doi", notice_doi(doi, number))
        child(doi_data, "resource", f"{url}#{anchor(number)}")


def deposit(app: Sphinx, issue: Issue, timestamp: dt.datetime) -> etree._ElementTree:
    """The ``doi_batch`` that registers the issue's articles."""
    config = app.config
    root = etree.Element(f"{{{CROSSREF}}}doi_batch", nsmap={
        None: CROSSREF, "jats": JATS, "ai": ACCESS, "xsi": XSI}, version="5.3.1")
    root.set(f"{{{XSI}}}schemaLocation", SCHEMA_LOCATION)
    stamp = timestamp.strftime("%Y%m%d%H%M%S")
    head = child(root, "head")
    child(head, "doi_batch_id", f"{magazine_token(config.project)}-{issue.stem}-{stamp}")
    child(head, "timestamp", stamp)
    depositor = child(head, "depositor")
    child(depositor, "depositor_name", config.magazine_crossref_depositor)
    child(depositor, "email_address", config.magazine_crossref_email)
    child(head, "registrant", config.magazine_publisher or config.project)
    journal = child(child(root, "body"), "journal")
    meta = child(journal, "journal_metadata", language=(config.language or "en")[:2])
    child(meta, "full_title", config.project)
    for value, media in issns(config):
        child(meta, "issn", value, media_type=media)
    if not issns(config):
        # Crossref needs an ISSN or a title DOI to know the journal
        title_doi = child(meta, "doi_data")
        child(title_doi, "doi", f"{config.magazine_doi_prefix}/{magazine_token(config.project)}")
        child(title_doi, "resource", links.site_url(config))
    number = child(journal, "journal_issue")
    date_element(number, "publication_date", issue.date or "")
    child(child(number, "journal_volume"), "volume", str(issue.volume))
    child(number, "issue", str(issue.number))
    for name in issue.articles:
        record = published(app.env, name)
        if record is not None and name in issue.dois:
            article(app, journal, name, record, issue)
    if config.magazine_crossmark_policy.strip():
        for name in issue.articles:
            record = published(app.env, name)
            if record is not None and name in issue.dois and record.notices:
                notice_items(app, journal, name, record, issue.dois[name])
    return etree.ElementTree(root)


def problems(tree: etree._ElementTree) -> list[str]:
    """What Crossref's schema says is wrong with a deposit: line and reason."""
    return xmlcheck.problems(SCHEMA, tree)


def deposit_path(app: Sphinx, issue: Issue) -> Path:
    return Path(app.outdir) / FOLDER / f"{issue_stem(app.config, issue)}.xml"


def write_deposits(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished`` (HTML): each published issue's deposit, checked by the schema."""
    if exception is not None or app.builder.format != "html" or \
            not app.config.magazine_doi_prefix:
        return
    when = builddate.build_time(app.srcdir) or dt.datetime.now(dt.timezone.utc)
    for issue in published_issues(app.env):
        if not issue.dois:
            continue  # the gate reports the issue (magazine.serial.issues.doi_problems)
        tree = deposit(app, issue, when)
        path = deposit_path(app, issue)
        path.parent.mkdir(parents=True, exist_ok=True)
        tree.write(str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True)
        for problem in problems(tree):
            warn(f"the Crossref deposit {FOLDER}/{path.name} is not valid against Crossref's "
                 f"schema 5.3.1 ({problem}); report this to the maintainers (magazine.registration.crossref)",
                 Subtype.registration, location=(issue.docname, None))


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("build-finished", write_deposits)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}



# -- make crossref ISSUE=1-2 -----------------------------------------------------------------

STEPS = """To register the DOIs, upload {path} with the publisher's Crossref account:
  - on https://doi.crossref.org (Submissions > Upload > Metadata), or
  - by HTTPS POST to https://doi.crossref.org/servlet/deposit (operation=doMDUpload,
    login_id, login_passwd and the file as fname), which is what Crossref's own tools do.
(Crossref's test system, https://test.crossref.org, takes the same upload without
registering anything: try a first deposit there.) Crossref e-mails the result to {email};
the DOIs resolve once it says they were added. A later deposit of the same DOIs (after a
correction, say) replaces the metadata: run make crossref again and upload the new file."""


def main(argv: list[str] | None = None) -> int:
    """Build the web edition, then name and check the issue's deposit and say what to do."""
    import argparse  # noqa: PLC0415
    import sys  # noqa: PLC0415
    from types import SimpleNamespace  # noqa: PLC0415

    from sphinx.cmd.build import build_main  # noqa: PLC0415

    from ..articles.identifiers import ISSUE_STEM_RE  # noqa: PLC0415
    from ..config import magazine_config, read_conf  # noqa: PLC0415
    from ..pdf.names import magazine_slug  # noqa: PLC0415

    parser = argparse.ArgumentParser(prog="python -m magazine.registration.crossref", description=__doc__)
    parser.add_argument("--issue", required=True, help="the issue, as VOLUME-NUMBER: 1-2")
    parser.add_argument("--srcdir", type=Path, default=Path())
    parser.add_argument("--builddir", type=Path, default=Path("_build"))
    args = parser.parse_args(argv)
    stem = args.issue.strip()
    if not ISSUE_STEM_RE.match(stem):
        print("name the issue by its volume and number: make crossref ISSUE=1-2", file=sys.stderr)
        return 2
    raw = read_conf(args.srcdir.resolve())
    settings = magazine_config(raw)
    if not settings.doi_prefix:
        print("conf.py names no DOI prefix (magazine_doi_prefix): the magazine registers no "
              "DOIs, so there is nothing to deposit", file=sys.stderr)
        return 2
    outdir = args.builddir / "html"
    status = build_main(["-b", "html", "-q", "-W", "--keep-going", "-n",
                         "-d", str(args.builddir / "doctrees"), str(args.srcdir), str(outdir)])
    if status != 0:
        print("the web edition did not build; fix the problems above, then run make crossref "
              f"ISSUE={stem} again", file=sys.stderr)
        return 1
    name = f"{magazine_slug(SimpleNamespace(project=raw.get('project', '')))}-{stem}.xml"
    path = outdir / FOLDER / name
    if not path.is_file():
        print(f"no deposit for {stem}: only a published issue whose DOIs are recorded has one "
              f"(set 'status: published', run make paginate ISSUE={stem}, commit)",
              file=sys.stderr)
        return 1
    tree = etree.parse(str(path), xmlcheck.parser())
    found = problems(tree)
    if found:
        print(f"{path} is not valid against Crossref's schema 5.3.1:", *found, sep="\n  ",
              file=sys.stderr)
        return 1
    dois = tree.findall(f".//{{{CROSSREF}}}journal_article/{{{CROSSREF}}}doi_data/"
                        f"{{{CROSSREF}}}doi")
    print(f"{path}: valid (Crossref 5.3.1), {len(dois)} article DOIs:")
    for doi in dois:
        print(f"  {doi.text}")
    print(STEPS.format(path=path, email=settings.crossref_email))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
