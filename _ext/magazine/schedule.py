"""When each part of the magazine runs: every priority of its event handlers and
transforms, by name, with the reason for its place.

Sphinx calls the handlers of one event in the order of their priority, lowest first; the
default, 500, is where Sphinx's own collectors and sphinxcontrib-bibtex's handlers run.
Post-transforms are ordered the same way: sphinxcontrib-bibtex fills bibliographies at 5,
Sphinx resolves references at 10. The modules connect their handlers with these names, so
that the order of a build can be read here, in one place.
"""

from __future__ import annotations

# -- config-inited ---------------------------------------------------------------------------
#: gcexit: the collector is unfrozen before anything of the build is allocated
GC_UNFREEZE = 0
#: bibstyle: the APA style that matches the magazine's settings is chosen
STYLE_CONFIG = 600
#: boundary: after the other checks of the configuration, before the environment compares it
BOUNDARY_REFUSE = 900

# -- builder-inited --------------------------------------------------------------------------
#: progress: the bib files are named first, so a stop while they are parsed names them
PROGRESS_BIB = 1
#: bibcheck: pybtex's errors are captured before sphinxcontrib-bibtex parses (at 500)
BIB_CAPTURE = 400
#: bibcheck: the parsed entries are checked and read (magazine.reading) after that parse
BIB_CHECK = 600
#: citeindex: the entries' fingerprints, once sphinxcontrib-bibtex has read the files
FINGERPRINTS = 600

# -- source-read -----------------------------------------------------------------------------
#: progress: a source is named before anything reads it
PROGRESS_READ = 1

# -- doctree-read ----------------------------------------------------------------------------
#: frontmatter: kicker, summary, byline and lead image, before Sphinx's collectors (500);
#: issuepages: an issue page's date, editors and cover, at the same place for the same reason
ARTICLE_HEADER = 400
#: boundary: a page's images and downloads confined, after the lead image is added (400)
#: and before Sphinx's image and download collectors (500)
PAGE_FILES = 450
#: bibdeps: the Works Cited lists completed, before workscited checks the doctree (500)
WORKS_CITED_LISTS = 450

# -- doctree-resolved ------------------------------------------------------------------------
#: progress: a page is named before it is resolved and written
PROGRESS_WRITE = 1
#: issuepages: an article's neighbours in its issue, before citetools (500) puts the Cite
#: box before the Works Cited list, so that the links come after the text and before both
ISSUE_LINKS = 450
#: notices: an article's notices under its header (after the issue line is put in it, 450)
#: and its versions after everything else of the text (the Cite box and Works Cited, 500)
NOTICES = 550
#: typst: the PDF links, after the front page's list is filled in (listing, 500)
PDF_LINKS = 600

# -- env-updated -----------------------------------------------------------------------------
#: bibstyle: entries the style could not place are reported once the lists are formatted
STYLE_PROBLEMS = 600
#: notices: a notice dated before its article's publication, once issues.check_issues (500)
#: has placed every article
NOTICE_DATES = 600
#: citetools: the index of each article's Works Cited, after the cite domain is updated
WORKS_CITED_INDEX = 900

# -- html-page-context -----------------------------------------------------------------------
#: metadata: the article's tags, before sphinxext-opengraph (500) reads the context
METADATA = 450

# -- build-finished --------------------------------------------------------------------------
#: boundary: the audit hook is lifted first, whatever else fails
BOUNDARY_RELEASE = 1
#: sitemap: the pages are completed before sphinx-sitemap writes the file (500)
SITEMAP = 400
#: gcexit: the build's objects are frozen last, out of the collections at exit
GC_FREEZE = 10_000

# -- post-transforms -------------------------------------------------------------------------
#: citeindex: each article's bibliography filled one step ahead of the library's (5), which
#: then finds none left to fill
BIBLIOGRAPHY = 4
#: workscited: the Works Cited list's entries as list items, after the bibliography (4, 5)
WORKS_CITED = 6
#: abbreviations: a group's abbreviation after its first citation, once references are
#: resolved (10)
GROUP_ABBREVIATIONS = 20
#: safety: the last look at a page before it is written
SAFETY = 900
