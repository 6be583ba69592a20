"""The magazine's Atom feed, ``atom.xml``, written with feedgen.

One entry per article, newest first, each with its title, link, full summary, authors,
column and keywords as categories, licence, and date. Atom needs an ``updated`` time for
every entry and for the feed: an article's publication date (its own, else its issue's,
else the build's: :mod:`magazine.serial.issues`), and for a feed without articles the build's
date (:mod:`magazine.serial.builddate`: ``SOURCE_DATE_EPOCH``, else the last commit), so that two
builds of the same sources give the same feed. Every page links the feed in its ``<head>``.

Atom needs an author for every entry (RFC 4287, 4.1.1), which an entry without one of its
own takes from the feed: the feed's author is the editors (``author`` in ``conf.py``), and an
article without authors names the house byline (``magazine_house_byline``) if one is set.

A notice (:mod:`magazine.serial.notices`) updates its entry: ``updated`` is the newest notice's date,
the summary starts with a line for each notice, newest first ("Correction (March 2, 2025):
..."), and a retracted article's title is prefixed "Retracted: ", so that feed readers show
the entry as changed.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from feedgen.feed import FeedGenerator
from markupsafe import Markup

from ..articles.frontmatter import format_date
from ..articles.licenses import LICENSES
from ..serial.builddate import build_time
from ..serial.notices import shown_title
from . import links
from .listing import ordered_articles

if TYPE_CHECKING:
    from docutils import nodes
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

    from ..articles.frontmatter import FrontMatter

def as_time(iso_date: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso_date).replace(tzinfo=dt.timezone.utc)


def build_feed(
    *, title: str, site_url: str, language: str, articles: list[tuple[str, FrontMatter, str]],
    built: dt.datetime, editors: str, house_byline: str = "",
) -> bytes:
    """The Atom document for (docname, record, page URL) triples, given newest first;
    ``built``: the time of an undated record, and of a feed without records; ``editors``:
    the feed's author; ``house_byline``: the author of an entry without authors."""
    fallback = built
    feed = FeedGenerator()
    feed.id(site_url)
    feed.title(title)
    feed.author({"name": editors, "uri": site_url})
    feed.link(href=site_url, rel="alternate")
    feed.link(href=site_url + links.FEED, rel="self")
    feed.language(language)
    times = [max([as_time(r.date) if r.date else fallback,
                  *(as_time(n.date) for n in r.notices)]) for _, r, _ in articles]
    feed.updated(max(times, default=fallback))
    # feedgen puts the last added entry first, so add the oldest first
    for (_, record, url), updated in reversed(list(zip(articles, times))):
        entry = feed.add_entry()
        entry.id(url)
        entry.title(shown_title(record))
        entry.link(href=url, rel="alternate")
        entry.summary(summary(record))
        entry.updated(updated)
        if record.date:
            entry.published(as_time(record.date))
        for author in record.authors:
            entry.author(
                {"name": author.name, **({"uri": f"https://orcid.org/{author.orcid}"}
                                         if author.orcid else {})}
            )
        if not record.authors and house_byline:
            entry.author({"name": house_byline})
        entry.category([{"term": record.column}, *({"term": k} for k in record.keywords)])
        entry.rights(LICENSES[record.license][0])
    return feed.atom_str(pretty=True)


def summary(record: FrontMatter) -> str:
    """The entry's summary: a line per notice, newest first, then the article's summary."""
    lines = [f"{n.label} ({format_date(n.date)}): {n.text}" for n in reversed(record.notices)]
    return "\n\n".join([*lines, record.summary])


def write_feed(app: Sphinx, exception: Exception | None) -> None:
    """``build-finished``: write ``atom.xml`` beside the front page."""
    if exception is not None or app.builder.format != "html":
        return
    config = app.config
    articles = [
        (docname, record, links.absolute(config, app.builder.get_target_uri(docname)))
        for docname, record in ordered_articles(app.env)
    ]
    atom = build_feed(
        title=config.project,
        site_url=links.site_url(config),
        language=config.language or "en",
        articles=articles,
        built=build_time(app.srcdir) or dt.datetime.now(tz=dt.timezone.utc),
        editors=config.author or config.project,
        house_byline=config.magazine_house_byline,
    )
    (app.outdir / links.FEED).write_bytes(atom)


def link_feed(
    app: Sphinx, pagename: str, templatename: str, context: dict, doctree: nodes.document | None
) -> None:
    """``html-page-context``: feed readers find the feed from any page."""
    href = links.absolute(app.config, links.FEED)
    link = Markup(
        '<link rel="alternate" type="application/atom+xml" title="{}" href="{}" />'
    ).format(app.config.project, href)
    context["metatags"] = f"{context.get('metatags', '')}{link}\n"


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("build-finished", write_feed)
    app.connect("html-page-context", link_feed)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
