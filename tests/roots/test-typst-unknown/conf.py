"""test-typst-unknown: a magazine of one article holding a node no builder knows.

A root of its own (no copy of the real site): the magazine extension, its Markdown parser,
and the test-only ``mystery_node`` extension beside this file.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Unknown Nodes"
extensions = ["myst_parser", "magazine", "mystery_node"]
source_suffix = {".md": "markdown"}
exclude_patterns = ["_build"]
bibtex_bibfiles = ["references.bib"]
html_baseurl = "https://openbench.test/"
