"""Runs the Typst compiler that ships in the ``typst`` wheel: offline, pinned, dated.

Only Typst's embedded fonts are used (plus ``magazine_pdf_font_paths``), never the
machine's; the creation date comes from ``SOURCE_DATE_EPOCH`` or the article's own date,
never from the clock; generated sources import nothing but ``/magazine.typ``, so Typst
has no package to download. Two builds of the same sources give the same bytes.
"""

from __future__ import annotations

import calendar
import datetime as dt
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import typst

from ..builddate import source_date_epoch

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from pathlib import Path


@dataclass(frozen=True)
class Stamp:
    """What a PDF says about when it was made."""

    timestamp: int  # seconds since 1970, UTC: the PDF's creation date
    date: dt.date | None  # the document date, or None to leave the date out


def stamp(date: str | None, environ: dict[str, str] | None = None) -> Stamp:
    """``SOURCE_DATE_EPOCH`` if set, else the article's (or edition's) date, else none."""
    day = dt.date.fromisoformat(date) if date else None
    timestamp = source_date_epoch(environ)
    if timestamp is not None:
        when = dt.datetime.fromtimestamp(timestamp, tz=dt.timezone.utc).date()
        return Stamp(timestamp, day or when)
    if day is not None:
        return Stamp(calendar.timegm(day.timetuple()), day)
    return Stamp(0, None)


@dataclass
class Result:
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


class PdfCompiler:
    """One Typst compiler (fonts loaded once) for every PDF of a build."""

    def __init__(
        self, root: Path, font_paths: Sequence[Path] = (), standards: Sequence[str] = ()
    ) -> None:
        self.root = root
        self.standards = list(standards)
        self.compiler = typst.Compiler(
            root=str(root),
            font_paths=[str(p) for p in font_paths],
            ignore_system_fonts=True,
        )

    def compile(self, main: Path, output: Path, timestamp: int) -> Result:
        output.parent.mkdir(parents=True, exist_ok=True)
        try:
            _, warnings = self.compiler.compile_with_warnings(
                input=str(main),
                output=str(output),
                format="pdf",
                pdf_standards=self.standards,
                timestamp=timestamp,
                pdf_tags=True,
            )
        except typst.TypstError as err:
            return Result(error=_describe(err))
        return Result(warnings=[_describe(w) for w in warnings])


def compile_all(
    root: Path, font_paths: Sequence[Path], standards: Sequence[str],
    jobs: Sequence[tuple[Path, Path, int]], workers: int | None = None,
) -> Iterator[Result]:
    """Each (main, output, timestamp) compiled, the results in the order of ``jobs``.

    Typst releases the interpreter while it compiles, so the PDFs are made on as many
    threads as there are processors (as the ``typst`` command does), each thread with a
    compiler of its own: a compiler serves one compilation at a time. The PDFs are the
    same bytes as when made one after another.
    """
    local = threading.local()

    def one(job: tuple[Path, Path, int]) -> Result:
        compiler = getattr(local, "compiler", None)
        if compiler is None:
            compiler = local.compiler = PdfCompiler(root, font_paths, standards)
        return compiler.compile(*job)

    workers = max(1, min(len(jobs), workers or os.cpu_count() or 1))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(one, jobs)


def _describe(problem: typst.TypstError | typst.TypstWarning) -> str:
    text = getattr(problem, "diagnostic", "") or getattr(problem, "message", "") or str(problem)
    hints = getattr(problem, "hints", None) or []
    return " ".join([text.strip(), *(f"(hint: {h})" for h in hints)])
