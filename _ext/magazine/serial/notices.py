"""Corrections, expressions of concern and retractions: never silent.

An article's front matter lists its notices, oldest first (``frontmatter.Notice``; checked
there: a type, a date, a text; the dates in order and none before the article's own date;
a retraction last)::

    notices:
      - type: correction            # or: expression of concern, retraction
        date: 2025-03-02
        text: The second paragraph gave the dose as 5 mg; it is 0.5 mg.

What each reader and indexer gets:

- the article's page: every notice at the top of the article, under its header and before
  its text, newest first, each in a box with its type and date (``#notice-N``, N counting
  from the oldest, 1); a retracted article keeps its text, marked as retracted (the class
  ``article-retracted``, which the CSS shows as a watermark-like label), and its page title
  is prefixed ``Retracted:``. After the text, its versions: the git history of its file
  (dates, and links to each commit when ``magazine_repository_url`` is set);
- ``corrections.html`` (made at ``html-collect-pages``, linked from the footer and the
  archive): every notice of the magazine, newest first, each linked to its article;
- the PDF (:mod:`magazine.pdf`), the Atom feed (:mod:`magazine.web.feed`), the tags and
  JSON-LD (:mod:`magazine.web.metadata`) and the Crossref deposit (:mod:`magazine.registration.crossref`),
  from :func:`article_notices` and the record;
- ``make check`` with a base commit (:func:`removed_notices`): a published notice cannot be
  removed, nor its type or date changed (its text may be amended; the versions list and the
  git history keep every wording).

:func:`article_notices` gives an article's notices as plain data (numbers, anchors, DOIs),
for any other edition (the JATS builder) to call.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docutils import nodes

from .. import schedule
from ..articles import page
from ..articles.frontmatter import (
    FrontMatter,
    Notice,
    articles_domain,
    format_date,
    is_article,
    read_block,
)
from ..warnings import Subtype, warn
from ..web.listing import makes_pages, page_fragment
from .builddate import files_at, git
from .issues import domain, published

if TYPE_CHECKING:
    from collections.abc import Iterator

    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata

CORRECTIONS = "corrections"
#: the page title's prefix of a retracted article (and citation_title's, the feed's)
RETRACTED = "Retracted: "
#: Crossref's update types (common5.3.1.xsd, cm_update_type)
CROSSREF_TYPES = {"correction": "correction", "expression of concern": "expression_of_concern",
                  "retraction": "retraction"}


def anchor(number: int) -> str:
    return f"notice-{number}"


def notice_doi(article_doi: str, number: int) -> str:
    """A notice's own DOI, for Crossref: the article's with ``.nN`` (N from 1, the oldest);
    stable, since published notices are never removed or reordered (the gate refuses)."""
    return f"{article_doi}.n{number}"


def shown_title(record: FrontMatter) -> str:
    """The title as tabs, citation tags and feeds give it: ``Retracted: `` before it once
    the article is retracted."""
    return RETRACTED + record.title if record.retracted else record.title


def notice_data(record: FrontMatter, number: int, notice: Notice, url: str = "",
                doi: str | None = None) -> dict[str, Any]:
    data = {
        "number": number,
        "type": notice.type,
        "label": notice.label,
        "date": notice.date,
        "text": notice.text,
        "anchor": anchor(number),
        "title": f"{notice.label}: {record.title}",
        "crossref_type": CROSSREF_TYPES[notice.type],
        "url": f"{url}#{anchor(number)}" if url else "",
        "doi": notice_doi(doi, number) if doi else None,
    }
    return data


def article_notices(env: BuildEnvironment, docname: str, url: str = "") -> list[dict[str, Any]]:
    """An article's notices as plain data, oldest first: number, type, label, date
    (YYYY-MM-DD), text, anchor on the page, the notice's title, Crossref's update type, its
    address (``url``: the article page's) and its DOI (when the article has one). The hook
    for other editions (JATS: ``<notes notes-type="correction">``, ``<related-article>``)."""
    record = published(env, docname)
    if record is None:
        return []
    return [notice_data(record, number, notice, url, record.doi)
            for number, notice in enumerate(record.notices, start=1)]


# -- the article page ------------------------------------------------------------------------


def notice_head(notice: Notice, *after: nodes.Node) -> nodes.paragraph:
    """"Correction · March 2, 2025", and what follows (the corrections page's link)."""
    head = nodes.paragraph(classes=["article-notice-head"])
    head += nodes.strong("", notice.label, classes=["article-notice-type"])
    head += nodes.Text(" · ")
    head += nodes.inline("", format_date(notice.date), classes=["article-notice-date"])
    for node in after:
        head += nodes.Text(" · ")
        head += node
    return head


def notices_box(record: FrontMatter) -> nodes.container:
    """Every notice, newest first, each with its type and date, as docutils nodes (so
    their text is escaped like any other)."""
    box = nodes.container(classes=["article-notices"])
    numbered = list(enumerate(record.notices, start=1))
    for number, notice in reversed(numbered):
        kind = notice.type.replace(" ", "-")
        item = nodes.container(ids=[anchor(number)],
                               classes=["article-notice", f"article-notice-{kind}"])
        item += notice_head(notice)
        item += nodes.paragraph("", notice.text, classes=["article-notice-text"])
        box += item
    return box


def versions_section(app: Sphinx, docname: str) -> nodes.section | None:
    """The article's versions: each commit of its file, newest first, dated, linked to the
    commit when the repository is named."""
    history = article_history(app, docname)
    if not history:
        return None
    repository = app.config.magazine_repository_url.rstrip("/")
    branch = app.config.magazine_repository_branch
    path = source_path(app, docname)
    section = nodes.section(ids=["versions"], classes=["article-versions"])
    section += nodes.title("", "Versions")
    intro = nodes.paragraph(classes=["article-versions-intro"])
    changes = len(history) - 1  # the oldest commit is the article's first version
    intro += nodes.Text("This article has not changed since it was first committed"
                        if not changes else f"This article has changed {changes} time"
                        f"{'' if changes == 1 else 's'} since it was first committed")
    if repository:
        intro += nodes.Text(" (")
        intro += nodes.reference("", "its full history",
                                 refuri=f"{repository}/commits/{branch}/{path}")
        intro += nodes.Text(")")
    intro += nodes.Text(".")
    section += intro
    listed = nodes.bullet_list(classes=["article-versions-list"])
    for sha, date in history:
        item = nodes.paragraph()
        if repository:
            item += nodes.reference("", format_date(date), refuri=f"{repository}/commit/{sha}")
        else:
            item += nodes.Text(format_date(date))
        item += nodes.Text(" · ")
        item += nodes.literal("", sha[:10])
        listed += nodes.list_item("", item)
    section += listed
    return section


def add_notices(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` (HTML): the notices under the header, the retracted mark, the
    versions after the text."""
    env = app.env
    if app.builder.format != "html" or not is_article(env, docname):
        return
    record = published(env, docname)
    section = next(iter(doctree.findall(nodes.section)), None)
    if record is None or section is None:
        return
    if record.notices:
        page.add_after_header(section, notices_box(record))
    if record.retracted:
        section["classes"].append("article-retracted")
    versions = versions_section(app, docname)
    if versions is not None:
        page.add_after_text(section, versions, page.VERSIONS)


def retitle_page(app: Sphinx, pagename: str, templatename: str, context: dict,
                 doctree: nodes.document | None) -> None:
    """``html-page-context``: a retracted article's tab says so; every page's footer links
    the corrections page once there is a notice."""
    env = app.env
    if any_notices(env):
        context["magazine_corrections"] = app.builder.get_relative_uri(pagename, CORRECTIONS)
    if doctree is None or not is_article(env, pagename):
        return
    record = articles_domain(env).article(pagename)
    if record is not None and record.retracted and context.get("title"):
        context["title"] = RETRACTED + context["title"]


# -- the dates once the article is placed ----------------------------------------------------


def check_dates(app: Sphinx, env: BuildEnvironment) -> None:
    """``env-updated``: no notice before the article's publication date, as its issue gives
    it (the front matter's own date is checked where it is read)."""
    magazine = articles_domain(env)
    for docname in sorted(magazine.articles):  # type: ignore[attr-defined]
        record = magazine.article(docname)  # type: ignore[attr-defined]
        placement = domain(env).placement(docname)
        if record is None or not record.notices or placement is None:
            continue
        if placement.issue is None and not record.date:
            continue  # undated online first: published on the build's date, always today
        for notice in record.notices:
            if notice.date < placement.date:
                where = placement.issue and f"in {placement.issue}" or "online"
                warn(f"this {notice.type} is dated {notice.date}, before the article was "
                     f"published ({placement.date}, {where}); give the day the notice "
                     "itself is published", Subtype.frontmatter,
                     location=(docname, notice.line))


# -- every notice ----------------------------------------------------------------------------


def all_notices(env: BuildEnvironment) -> list[tuple[str, FrontMatter, int, Notice]]:
    """Every notice of the magazine, newest first (then by article and number)."""
    found = []
    magazine = articles_domain(env)
    for docname in magazine.articles:  # type: ignore[attr-defined]
        record = published(env, docname)
        if record is not None:
            found += [(docname, record, n, notice)
                      for n, notice in enumerate(record.notices, start=1)]
    found.sort(key=lambda item: (item[0], -item[2]))
    found.sort(key=lambda item: item[3].date, reverse=True)
    return found


def any_notices(env: BuildEnvironment) -> bool:
    return any(record.get("notices") for record in
               articles_domain(env).articles.values())


def corrections_body(app: Sphinx) -> str:
    section = nodes.section(ids=["corrections"])
    section += nodes.title("", "Corrections and retractions")
    section += nodes.paragraph("", (
        f"Every correction, expression of concern and retraction of {app.config.project}, "
        "newest first. The article keeps its text, with the notice at its top."),
        classes=["column-intro"])
    listed = nodes.bullet_list(classes=["corrections-list"])
    for docname, record, number, notice in all_notices(app.env):
        item = nodes.list_item(classes=["corrections-item", "article-notice-"
                                        + notice.type.replace(" ", "-")])
        item += notice_head(notice, nodes.reference("", record.title, internal=True, refuri=(
            app.builder.get_relative_uri(CORRECTIONS, docname) + "#" + anchor(number))))
        item += nodes.paragraph("", notice.text, classes=["article-notice-text"])
        listed += item
    section += listed
    return page_fragment(app, section)


def corrections_page(app: Sphinx) -> Iterator[tuple[str, dict, str]]:
    """``html-collect-pages``: ``corrections.html``, once there is a notice."""
    if not makes_pages(app):
        return
    if not any_notices(app.env):
        return
    yield CORRECTIONS, {"title": "Corrections and retractions",
                        "body": corrections_body(app)}, "page.html"


# -- the versions: git history ---------------------------------------------------------------


def source_path(app: Sphinx, docname: str) -> str:
    return f"{docname}.md"


@functools.cache
def histories(srcdir: str, folder: str) -> dict[str, tuple[tuple[str, str], ...]]:
    """Each file of ``folder`` (relative to ``srcdir``) -> its commits, newest first, as
    (sha, YYYY-MM-DD), renames followed: one ``git log`` for the folder, local (no network).
    No git, no repository, no history: an empty mapping, quietly."""
    result = git(srcdir, "log", "--relative", "-M", "--format=%x00%H %cs", "--name-status",
                 "--", folder)
    if result is None or result.returncode != 0:
        return {}
    found: dict[str, list[tuple[str, str]]] = {}
    alias: dict[str, str] = {}  # a path in an older commit -> the file's name today
    gone: set[str] = set()
    for chunk in result.stdout.split("\x00")[1:]:
        lines = chunk.strip("\n").split("\n")
        sha, _, date = lines[0].partition(" ")
        for line in lines[1:]:
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            status, paths = parts[0], parts[1:]
            now = paths[-1]
            if now in gone and now not in alias:
                continue  # a file deleted since: no page shows its history
            if status.startswith("D"):
                if now not in alias:
                    gone.add(now)
                continue
            name = alias.get(now, now)
            commits = found.setdefault(name, [])
            if not commits or commits[-1][0] != sha:
                commits.append((sha, date))
            if status.startswith("R") and len(paths) == 2:
                alias[paths[0]] = name
    return {name: tuple(commits) for name, commits in found.items()}


def article_history(app: Sphinx, docname: str) -> tuple[tuple[str, str], ...]:
    folder = app.config.magazine_article_dir.strip("/")
    return histories(str(Path(app.srcdir).resolve()), folder).get(
        source_path(app, docname), ())


def outdated_histories(app: Sphinx, env: BuildEnvironment, added: set[str],
                       changed: set[str], removed: set[str]) -> list[str]:
    """``env-get-outdated``: an article whose history has a new commit is read again, so
    that its page lists the new version (a commit changes no file's time)."""
    histories.cache_clear()
    known: dict[str, Any] = getattr(env, "magazine_histories", {})
    now = {d: article_history(app, d) for d in env.found_docs if is_article(env, d)}
    env.magazine_histories = now  # type: ignore[attr-defined]
    return sorted(d for d, history in now.items()
                  if known.get(d, ()) != history and d not in added | changed)


# -- the gate: no published notice removed ---------------------------------------------------


def _notices_of(text: str) -> tuple[list[dict[str, Any]], dict[str, int]] | None:
    """The notices as written (type and date normalized), and the lines, of a file."""
    block = read_block(text, "")
    if not hasattr(block, "data") or not isinstance(block.data, dict):
        return None
    value = block.data.get("notices")
    written = []
    for item in value if isinstance(value, list) else ():
        item = item if isinstance(item, dict) else {}
        kind = " ".join(str(item.get("type") or "").lower().replace("_", " ").split())
        date = item.get("date")
        written.append({"type": kind, "date": str(date)[:10] if date is not None else "",
                        "text": str(item.get("text") or "")})
    return written, block.lines


def removed_notices(srcdir: Path, base: str, article_dir: str) -> list[tuple[str, int | None, str]]:
    """Every published notice (in an article at the ``base`` commit) that is gone, or whose
    type or date changed, as (path, line, message); the text may change. A base commit
    that cannot be read is one finding (the CI job must fetch it)."""
    at_base = files_at(srcdir, base, article_dir.strip("/"), "^notices:")
    if isinstance(at_base, str):
        return [("(check)", None, (
            f"cannot read the base commit {base} to compare the articles' notices with "
            f"({at_base}); fetch it (actions/checkout with fetch-depth: 0) or unset "
            "MAGAZINE_BASE"))]
    found = []
    for path, text in at_base.items():
        before = _notices_of(text)
        if not before or not before[0]:
            continue
        old = before[0]
        current = srcdir / path
        if not current.is_file():
            found.append((path, None, (
                f"this article had {len(old)} published notice{'s' if len(old) > 1 else ''} "
                f"at {base[:10]} and is gone; a corrected or retracted article stays "
                "published: restore the file (a retraction keeps the text, marked)")))
            continue
        after = _notices_of(current.read_text(encoding="utf-8"))
        new, lines = after if after is not None else ([], {})
        for index, notice in enumerate(old):
            now = new[index] if index < len(new) else None
            if now is not None and now["type"] == notice["type"] and \
                    now["date"] == notice["date"]:
                continue
            what = f"the {notice['type'] or 'notice'} of {notice['date']}"
            change = "removed" if now is None else "changed in its type or date"
            found.append((path, lines.get(f"notices.{index}", lines.get("notices", 1)), (
                f"{what} (notice {index + 1}) was published at {base[:10]} and is {change}; "
                "a published notice stays as it was, in its place: put it back with its type "
                "and date (its text may be amended), and add a new notice after it for what "
                "changed")))
    return found


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("env-get-outdated", outdated_histories)
    app.connect("env-updated", check_dates, priority=schedule.NOTICE_DATES)
    app.connect("doctree-resolved", add_notices, priority=schedule.NOTICES)
    app.connect("html-page-context", retitle_page)
    app.connect("html-collect-pages", corrections_page)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
