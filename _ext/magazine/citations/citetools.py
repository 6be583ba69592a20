"""Citation tools for readers on every article page.

- **Cite this article**: a box before the Works Cited list with the article's own APA
  reference, formatted by the pybtex style named in ``bibtex_default_style`` (the
  magazine's APA 7 style), a copy button (shown by ``magazine.js``; without JavaScript the
  text can still be selected), and the article's record as BibTeX, RIS and CSL-JSON (with
  its issue and pages once it is in one, and the house byline if it has no authors).
- **Works Cited downloads**: the article's reference list as BibTeX, RIS and CSL-JSON,
  linked under the list.
- **Hover previews** of in-text citations are ``magazine.js`` alone: it shows the entry
  the citation links to, which is on the same page; without JavaScript the link remains.

Which entries an article lists is read once per build from sphinxcontrib-bibtex (at
``env-updated``, after it has decided the lists) and kept per article in the magazine
domain, so a page never looks at another article's citations. Files are written per
article while its page is written (``cite/NAME*.{bib,ris,json}``, see :mod:`.links`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import TYPE_CHECKING

from docutils import nodes
from markupsafe import Markup
from pybtex.database import BibliographyData
from pybtex.plugin import find_plugin

from .. import schedule
from ..articles import page
from ..articles.frontmatter import FrontMatter, articles_domain, is_article
from ..registration.dois import issns
from ..serial.issues import domain, published
from ..web import links
from . import records

if TYPE_CHECKING:
    from collections.abc import Iterable

    from pybtex.database import Entry
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment
    from sphinx.util.typing import ExtensionMetadata


def index_works_cited(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """``env-updated``: note each article's Works Cited keys, in list order."""
    index: dict[str, list[str]] = defaultdict(list)
    for citation in env.get_domain("cite").citations:  # type: ignore[attr-defined]
        index[citation.bibliography_key.docname].append(citation.key)
    works_cited = articles_domain(env).works_cited
    works_cited.clear()
    works_cited.update({docname: tuple(keys) for docname, keys in sorted(index.items())})
    return []


def works_cited_entries(env: BuildEnvironment, docname: str) -> list[tuple[str, Entry]]:
    """The entries of an article's Works Cited list, in list order."""
    keys = articles_domain(env).works_cited.get(docname, ())
    entries = env.get_domain("cite").bibdata.data.entries  # type: ignore[attr-defined]
    return [(key, entries[key]) for key in keys if key in entries]


def article_record(app: Sphinx, docname: str) -> tuple[str, Entry]:
    """The article's own bib entry and its key (the article's name)."""
    record: FrontMatter = published(app.env, docname)  # type: ignore[assignment]
    placement = domain(app.env).placement(docname)
    url = links.absolute(app.config, app.builder.get_target_uri(docname))
    in_issue = placement is not None and placement.issue is not None
    issue = (placement.volume, placement.number) if in_issue else None
    pages = None
    if in_issue and placement.first_page is not None:
        pages = (placement.first_page, placement.last_page or placement.first_page)
    entry = records.article_entry(record, journal=app.config.project, url=url, issue=issue,
                                  pages=pages, byline=app.config.magazine_house_byline)
    return links.article_name(app.config, docname), entry


def format_reference(style_name: str, key: str, entry: Entry) -> tuple[str, str]:
    """The entry formatted by the named pybtex style, as (HTML, plain text)."""
    style = find_plugin("pybtex.style.formatting", style_name)()
    data = BibliographyData({key: entry})
    formatted = next(iter(style.format_entries(data.entries.values())))
    return formatted.text.render_as("html"), formatted.text.render_as("text")


# -- the page --------------------------------------------------------------------------------


def add_citation_tools(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """``doctree-resolved`` (HTML only): the Cite box and the Works Cited downloads, and
    the files they link to."""
    if app.builder.format != "html" or not is_article(app.env, docname):
        return
    if articles_domain(app.env).article(docname) is None:
        return
    section = next(iter(doctree.findall(nodes.section)), None)
    if section is None:
        return
    key, entry = article_record(app, docname)
    cited = works_cited_entries(app.env, docname)
    write_files(app, docname, key, entry, cited)

    html, _ = format_reference(app.config.bibtex_default_style, key, entry)
    box = page.web_part(cite_box(app, docname, html))
    works_cited = page.works_cited_section(doctree)
    page.add_after_text(section if works_cited is None else works_cited.parent, box,
                        page.CITE_BOX)
    if works_cited is not None:
        works_cited += page.web_part(works_cited_downloads(app, docname))


def download_links(docname: str, paths: Iterable[tuple[str, str, str]]) -> Markup:
    """``<a download>`` links, one per (path from the site root, label, media type)."""
    return Markup(" · ").join(
        Markup('<a href="{}" download="{}" type="{}">{}</a>').format(
            links.relative(docname, path), path.rsplit("/", 1)[-1], media_type, label
        )
        for path, label, media_type in paths
    )


def cite_box(app: Sphinx, docname: str, reference_html: str) -> str:
    config = app.config
    downloads = download_links(
        docname,
        (
            (links.record_path(config, docname, ext), label, media_type)
            for ext, (label, media_type) in ARTICLE_FORMATS.items()
        ),
    )
    return Markup(
        '<aside class="cite-this-article" aria-labelledby="cite-this-article">\n'
        '<h2 id="cite-this-article">Cite this article</h2>\n'
        '<p class="cite-reference" id="cite-reference">{}</p>\n'
        '<p class="cite-actions">'
        '<button type="button" class="cite-copy" data-copy-from="cite-reference" hidden>'
        "Copy reference</button> "
        '<span class="cite-copy-status" role="status"></span>'
        '<span class="cite-downloads">Download the reference: {}</span></p>\n'
        "{}</aside>\n"
    ).format(Markup(reference_html), downloads, archive_link(app, docname))


def archive_link(app: Sphinx, docname: str) -> Markup:
    """The article as JATS XML (magazine.jats), when the magazine has an ISSN."""
    if not issns(app.config):
        return Markup("")
    return Markup('<p class="cite-archive">For archives and text mining: {}</p>\n').format(
        download_links(docname, [(links.jats_path(app.config, docname),
                                  "the article as JATS XML", links.JATS_TYPE)]))


def works_cited_downloads(app: Sphinx, docname: str) -> str:
    downloads = download_links(
        docname,
        (
            (links.works_cited_path(app.config, docname, ext), label, media_type)
            for ext, (label, media_type) in links.WORKS_CITED_FORMATS.items()
        ),
    )
    return Markup('<p class="works-cited-downloads">Download this list: {}</p>\n').format(
        downloads
    )


# -- the files -------------------------------------------------------------------------------


#: the article's own record: the three formats of its Works Cited
ARTICLE_FORMATS = links.WORKS_CITED_FORMATS


def formats(entries: list[tuple[str, Entry]]) -> dict[str, str]:
    """Entries as each download format (extension -> text)."""
    return {
        "bib": records.bibtex(entries),
        "ris": records.ris(entries),
        "json": json.dumps(records.csl_json(entries), ensure_ascii=False, indent=2) + "\n",
    }


def write_files(
    app: Sphinx, docname: str, key: str, entry: Entry, cited: list[tuple[str, Entry]]
) -> None:
    config = app.config
    files = {
        **{links.record_path(config, docname, ext): text
           for ext, text in formats([(key, entry)]).items() if ext in ARTICLE_FORMATS},
        **{links.works_cited_path(config, docname, ext): text
           for ext, text in formats(cited).items() if ext in links.WORKS_CITED_FORMATS},
    }
    for path, text in files.items():
        target = app.outdir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def setup(app: Sphinx) -> ExtensionMetadata:
    # after sphinxcontrib-bibtex's own env-updated handler (500), which decides the lists
    app.connect("env-updated", index_works_cited, priority=schedule.WORKS_CITED_INDEX)
    app.connect("doctree-resolved", add_citation_tools)
    app.add_js_file("magazine.js", loading_method="defer")
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
