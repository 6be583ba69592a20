"""pybtex's plugins found once per process, not once per citation.

pybtex finds a plugin by name (the backend of ``Text.render_as("text")``, the name, label
and sorting styles every ``BaseStyle`` starts with, the BibTeX writer) first in its runtime
store and then among the installed packages' entry points, through ``importlib.metadata``,
which reads the metadata of every installed distribution: about 10 ms a lookup, and an
alias such as "text" takes two. A build asks for every in-text citation
(sphinxcontrib-bibtex's ``resolve_xref`` looks up the "plaintext" backend), every style it
makes and every bib field the page metadata renders as text, so at archive scale the
lookups, not the formatting, were most of the build.

:func:`cache_plugins` puts the plugins a build asks for into pybtex's runtime store with
pybtex's own ``register_plugin``: the same classes that the entry points name, found in a
dictionary from then on.
"""

from __future__ import annotations

from pybtex.plugin import find_plugin, register_plugin

#: plugin group -> the names a build looks up (aliases included, as they are asked for)
LOOKED_UP: dict[str, tuple[str, ...]] = {
    "pybtex.backends": ("text", "plaintext", "html", "latex", "markdown"),
    "pybtex.style.names": ("plain", "last"),
    "pybtex.style.labels": ("number",),
    "pybtex.style.sorting": ("none",),
    "pybtex.database.input": ("bibtex",),
    "pybtex.database.output": ("bibtex",),
}


def cache_plugins() -> None:
    """Register each looked-up plugin under the name it is asked for, once."""
    for group, names in LOOKED_UP.items():
        for name in names:
            register_plugin(group, name, find_plugin(group, name), force=True)
