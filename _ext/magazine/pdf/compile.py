"""Runs the Typst compiler that ships in the ``typst`` wheel: offline, pinned, dated.

Only Typst's embedded fonts are used (plus ``magazine_pdf_font_paths``), never the
machine's; the creation date comes from ``SOURCE_DATE_EPOCH`` or the article's own date,
never from the clock; generated sources import nothing but ``/magazine.typ``, so Typst
has no package to download. Two builds of the same sources give the same bytes, so a PDF
whose sources did not change is not made again (:class:`Made`): after an edit only the
article's PDF and its issue's are typeset.

Every compilation also reports the pages of each article it laid out: the design marks an
article's first and last page (``<mag-pages>`` in ``magazine.typ``), and the compiler that
made the PDF is asked for those marks, which costs nothing more (Typst keeps the layout).
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import os
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typst

from ..serial.builddate import source_date_epoch

if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence


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
    #: each article's (first, last) page number as laid out, by docname
    pages: dict[str, tuple[int, int]] = field(default_factory=dict)


PAGE_MARKS = "<mag-pages>"


def read_marks(marks: list[dict[str, Any]]) -> dict[str, tuple[int, int]]:
    """The ``<mag-pages>`` marks of a document as {docname: (first, last)}."""
    edges: dict[str, dict[str, int]] = {}
    for mark in marks:
        edges.setdefault(mark["docname"], {})[mark["edge"]] = int(mark["page"])
    return {name: (found["first"], found.get("last", found["first"]))
            for name, found in edges.items() if "first" in found}


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
        marks = json.loads(self.compiler.query(PAGE_MARKS, field="value", format="json"))
        return Result(warnings=[_describe(w) for w in warnings], pages=read_marks(marks))


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


_USED_RE = re.compile(r'#include "(/[^"]+)"|"(/_images/[^"]+)"')


class Made:
    """What the last build compiled: for each PDF, a digest of everything it was made from
    (its Typst files, the images they show, the design, the compiler, the fonts and the
    date) and the result, kept in ``made.json`` among the sources. A PDF whose digest is
    unchanged and which is still there is not compiled again; its result, warnings
    included, is the stored one, so a build reports the same problems every time."""

    FILE = "made.json"

    def __init__(self, root: Path, font_paths: Sequence[Path], standards: Sequence[str]) -> None:
        self.root = root
        self.path = root / self.FILE
        fonts = sorted((str(f), f.stat().st_size) for p in font_paths if p.is_dir()
                       for f in p.rglob("*") if f.is_file())
        self.common = json.dumps([typst.__version__, fonts, list(standards)])
        try:
            self.stored: dict[str, dict[str, Any]] = json.loads(self.path.read_text("utf-8"))
        except (OSError, ValueError):
            self.stored = {}

    def digest(self, main: Path, timestamp: int) -> str:
        """Of the main file, every file it includes and every image they name."""
        hashed = hashlib.sha256(f"{self.common}|{timestamp}".encode())
        seen: set[str] = set()
        pending = [main]
        while pending:
            path = pending.pop()
            try:
                data = path.read_bytes()
            except OSError:
                data = b""
            hashed.update(str(path.relative_to(self.root)).encode() + b"\0" + data + b"\0")
            if path.suffix != ".typ":
                continue
            for include, image in _USED_RE.findall(data.decode("utf-8", "replace")):
                used = include or image
                if used not in seen:
                    seen.add(used)
                    pending.append(self.root / used.lstrip("/"))
        return hashed.hexdigest()

    def unchanged(self, output: Path, digest: str) -> Result | None:
        stored = self.stored.get(output.name)
        if stored is None or stored["digest"] != digest or not output.is_file():
            return None
        return Result(warnings=stored["warnings"],
                      pages={k: tuple(v) for k, v in stored["pages"].items()})

    def record(self, outputs: dict[str, tuple[str, Result]]) -> None:
        """Keep the results of this build's PDFs (not those that failed: they are made
        again next time)."""
        self.stored = {name: {"digest": digest, "warnings": result.warnings,
                              "pages": result.pages}
                       for name, (digest, result) in sorted(outputs.items())
                       if result.error is None}
        self.path.write_text(json.dumps(self.stored, indent=1, sort_keys=True), "utf-8")


def _describe(problem: typst.TypstError | typst.TypstWarning) -> str:
    text = getattr(problem, "diagnostic", "") or getattr(problem, "message", "") or str(problem)
    hints = getattr(problem, "hints", None) or []
    return " ".join([text.strip(), *(f"(hint: {h})" for h in hints)])
