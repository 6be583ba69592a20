"""Sphinx configuration of The Open Bench, a science magazine.

Values only: the magazine's behaviour lives in the local extension package ``_ext/magazine``.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- The magazine ----------------------------------------------------------------------------
project = "The Open Bench"
author = "The Open Bench editors"
copyright = "The Open Bench editors; text CC BY 4.0 unless an article says otherwise"
language = "en"

magazine_article_dir = "articles"
magazine_default_license = "CC-BY-4.0"
# What search engines and link previews say of the front page.
magazine_description = (
    "A science magazine written by students and scientists: short news, features and "
    "interviews, every claim tied to its source."
)
# Who an article without authors is credited to, on its page, in its metadata, the feed and
# its downloads: a group, never a person ("" credits no one).
magazine_house_byline = "The Open Bench editors"
# Columns that report news: their articles are schema.org NewsArticles, the rest ScholarlyArticles.
magazine_news_columns = ["News Byte"]

# House style for Works Cited lists (APA 7 itself: "alphabetical" and "in-text").
magazine_bib_order = "citation"  # "alphabetical" or "citation" (order of first citation)
magazine_personal_communications = "listed"  # "listed" or "in-text"
magazine_article_number_label = False  # APA: True, "Article 106565"

# -- Sphinx ----------------------------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinxext.opengraph",
    "sphinx_sitemap",
    "notfound.extension",
    "magazine",
]

root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = [
    "_build",
    "_ext",
    ".venv",
    "README.md",
    "CONTRIBUTING.md",
    "tests",
    "benchmarks",
    ".github",
    ".ci",
    ".pytest_cache",
]
templates_path = ["_templates"]

myst_enable_extensions = ["colon_fence", "smartquotes"]
myst_title_to_header = True
myst_heading_anchors = 3

bibtex_bibfiles = ["references.bib"]
bibtex_encoding = "utf-8"
bibtex_cite_id = "ref-{key}"
bibtex_bibliography_id = "works-cited-list"

# Works Cited lists are per article: the same work cited in two articles is listed in
# both, and APA labels (author and year) are not identifiers. The first two
# sphinxcontrib-bibtex checks assume one global list, so they are off; an unknown key is
# reported by the magazine itself, at its line and with the closest keys suggested.
suppress_warnings = [
    "bibtex.duplicate_citation",
    "bibtex.duplicate_label",
    "bibtex.key_not_found",
]

# -- HTML edition ----------------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = project
html_static_path = ["_static"]
html_css_files = ["magazine.css"]
html_favicon = "_static/images/favicon.svg"
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "navbar_center": [],
    "article_header_start": [],
    "show_prev_next": False,
    "secondary_sidebar_items": [],
    "footer_start": ["copyright"],
    "footer_end": ["corrections-link"],
    "navigation_with_keys": False,
    "header_links_before_dropdown": 6,
}
html_sidebars = {"**": []}
# light or dark as the reader's system prefers (unset, the theme logs a console error)
html_context = {"default_mode": "auto"}

# -- Where the web edition is published -------------------------------------------------------
# The web edition's public address, ending in "/". Canonical links, the sitemap, the Atom
# feed, Open Graph and citation_* tags are absolute URLs on it. The publisher sets it with the
# environment variable MAGAZINE_SITE_URL (the GitHub Pages deployment sets it to the Pages
# address, https://OWNER.github.io/REPOSITORY/); on Read the Docs, READTHEDOCS_CANONICAL_URL
# is used. Without either, the build is for local reading: its absolute links point at the
# address that `make preview` serves.
html_baseurl = (
    os.environ.get("MAGAZINE_SITE_URL")
    or os.environ.get("READTHEDOCS_CANONICAL_URL")
    or "http://127.0.0.1:8000/"
)

# Open Graph and Twitter cards (sphinxext-opengraph); articles add their own image and type.
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}

# sitemap.xml (sphinx-sitemap): page addresses as published, without a language folder.
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]

# 404.html (sphinx-notfound-page): its links are absolute paths on the site's address.
notfound_urls_prefix = urlsplit(html_baseurl).path or "/"
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>\n<p>There is no page at this address. The "
        f'<a href="{notfound_urls_prefix}">front page</a> shows the current issue and the '
        "newest articles, and the search box above finds any word in any of them.</p>"
    ),
}
