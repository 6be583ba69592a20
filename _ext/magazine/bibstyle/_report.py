"""The style's problems with entries as located Sphinx warnings (``magazine.bibliography``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..citations.bibcheck import bib_report, project_path
from ..warnings import Subtype, warn

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

    from .apa7 import Problem


def report_entry_problems(app: Sphinx, env: BuildEnvironment) -> None:
    """Each problem of an entry in a Works Cited list, once, at the entry's line."""
    domain = env.get_domain("cite")
    problems: list[Problem] = []
    for citation in domain.citations:  # type: ignore[attr-defined]
        for problem in getattr(citation.formatted_entry, "problems", ()):
            if problem not in problems:
                problems.append(problem)
    if not problems:
        return
    bibfiles = domain.bibdata.bibfiles  # type: ignore[attr-defined]
    for problem in problems:
        warn(problem.message, Subtype.bibliography,
             location=entry_location(app, bibfiles, problem.key))


def entry_location(app: Sphinx, bibfiles: dict[Path, object], key: str) -> str | None:
    """``references.bib:12``: the bib file and line where the entry starts."""
    for path, bibfile in bibfiles.items():
        if key in getattr(bibfile, "keys", ()) and path.is_file():
            span = bib_report(app.env, path).spans.get(key.lower())
            where = project_path(app, path)
            return f"{where}:{span.line}" if span else where
    return None
