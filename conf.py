"""Sphinx configuration of The Open Bench, a science magazine.

Values only: the magazine's behaviour lives in the local extension package ``_ext/magazine``.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- The magazine ----------------------------------------------------------------------------
project = "The Open Bench"
author = "The Open Bench editors"
copyright = "The Open Bench editors; text CC BY 4.0 unless an article says otherwise"
language = "en"

magazine_edition = "Issue 1"
magazine_article_dir = "articles"
magazine_default_license = "CC-BY-4.0"

# House style for Works Cited lists (APA 7 itself: "alphabetical" and "in-text").
magazine_bib_order = "citation"  # "alphabetical" or "citation" (order of first citation)
magazine_personal_communications = "listed"  # "listed" or "in-text"
magazine_article_number_label = False  # APA: True, "Article 106565"

# -- Sphinx ----------------------------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "magazine",
]

root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = [
    "_build",
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
# both, and APA labels (author and year) are not identifiers. These two sphinxcontrib-bibtex
# checks assume one global list, so they are off; the magazine checks keys itself.
# An unknown key is reported by the magazine itself, with the closest keys suggested.
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
    "footer_end": [],
    "navigation_with_keys": False,
    "header_links_before_dropdown": 6,
}
html_sidebars = {"**": []}
