"""``make bench``: how long the magazine takes to build as the archive grows.

    python benchmarks/run.py [--sizes 100x1000,500x5000] [--repeat 3] [--out benchmarks/out]

For each size N x M it generates (with :mod:`generate`) a magazine of N articles citing a
bibliography of M entries, and the same articles without citations (the *bare baseline*:
each citation replaced by its text, an empty bib file), both with this checkout's
``conf.py`` and extension, in a temporary folder. Then it times, each phase ``--repeat``
times and reporting the median, the baseline's and the magazine's samples taken in turn
(bare, magazine, bare, ...) so that a shared machine's changing load falls on both sides
of each ratio:

- ``full_j1`` / ``full_jN``: a full HTML build from nothing, with ``-j 1`` and ``-j auto``
  (and checks that both give the same files, byte for byte);
- ``no_change``: a rebuild with nothing changed;
- ``article_edit``: a rebuild after one sentence of one article changed;
- ``bib_edit`` / ``bib_add``: a rebuild after the title of one cited entry changed, and
  after an entry was added to the bib file;
- ``pdf_edition``: the PDF edition (``-b typst``: every article's PDF; these sites have no
  issues) from nothing; ``pdf_publish``: the same after the web edition, on its doctrees,
  as ``make publish`` builds it; ``article_pdf``: compiling one article's PDF from its
  Typst sources;
- peak memory (maximum resident set size) of the ``-j 1`` and ``-j auto`` full builds, and
  of the PDF edition.

Then, for each ``--serial`` size (by default the same sizes), the serial: the same articles
filed into issues of 20 (50 issues for 1,000 articles), against the same articles in one
issue, which is the whole-archive PDF the magazine made before it had issues. Both are
paginated as ``make paginate`` does (``paginate``), then timed in turn: ``pdf_all``, every
PDF from nothing; ``pdf_no_change``; ``pdf_article_edit``, after one sentence of one
article changed, with the PDFs it typeset again; ``issue_pdf``, compiling one issue's PDF
(the middle one; the whole archive's) from its Typst sources, with its peak memory.

Then, for each size (when the PDF phases run, with ``--preview``, or alone with
``--preview-only``), the preview (issue 17): ``make preview``'s server on the magazine,
against the rebuild sphinx-autobuild runs on each save (a fresh ``python -m sphinx``
process on the same sources), sample by sample in turn: ``preview_article_edit`` and
``preview_bib_edit``, from the save of one article (one cited entry) to the reload message
on the server's websocket, the page on disk rewritten by then, against
``autobuild_article_edit`` and ``autobuild_bib_edit``, the fresh process building the same
save;
``pdf_click``, the article's "PDF of this article" link until its last byte (and
``pdf_click_after_save``, clicked right after a save); the server's peak memory (PSS of all
its processes, summed).

Builds run as ``make html`` runs them (``-W -n --keep-going``): a warning fails the
benchmark. It prints a Markdown table per size, with the ratio of each phase to the bare
baseline, the documents each rebuild re-read and wrote, and the targets of issues 7 and 14, and
writes everything, every sample included, as JSON into ``--out``; ``--report JSON`` prints
the tables of an earlier run again.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import ROOT, Site, differing, files_of_commit, generate  # noqa: E402

SPHINX_OPTIONS = ("-W", "-n", "--keep-going")
UPDATED_RE = re.compile(r"(\d+) added, (\d+) changed, (\d+) removed")
KB = 1024


@dataclass
class Sample:
    """One timed command."""

    seconds: float
    max_rss_mb: float
    reread: int | None = None  # documents Sphinx read again
    written: int | None = None  # article pages rewritten


@dataclass
class Phase:
    name: str
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak_mb(self) -> float:
        return max(s.max_rss_mb for s in self.samples)

    def summary(self) -> dict:
        last = self.samples[-1]
        return {"median_s": round(self.median, 3), "peak_rss_mb": round(self.peak_mb, 1),
                "reread": last.reread, "written": last.written,
                "samples": [asdict(s) for s in self.samples]}


class BenchError(RuntimeError):
    pass


# -- running things --------------------------------------------------------------------------


def timed(command: list[str], cwd: Path, extra_env: dict[str, str] | None = None
          ) -> tuple[Sample, str]:
    """Run ``command``; its wall time, peak memory (its own and its children's) and output."""
    # plain output whatever the terminal asks for: the progress lines are read back
    env = {**os.environ, "PYTHONHASHSEED": "0", "NO_COLOR": "1", **(extra_env or {})}
    env.pop("FORCE_COLOR", None)
    with tempfile.TemporaryFile("w+", encoding="utf-8") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                   env=env)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        output = log.read()
    if process.returncode != 0:
        tail = "\n".join(output.splitlines()[-30:])
        raise BenchError(f"{' '.join(command)} failed ({process.returncode}):\n{tail}")
    return Sample(seconds, usage.ru_maxrss / KB), output


def html_mtimes(outdir: Path) -> dict[Path, int]:
    if not outdir.is_dir():
        return {}
    return {p: p.stat().st_mtime_ns for p in outdir.rglob("*.html")}


def sphinx(site: Site, builder: str, outdir: Path, doctrees: Path, jobs: str = "1") -> Sample:
    """One ``sphinx-build``, with the documents it re-read and the pages it rewrote."""
    before = html_mtimes(outdir)
    command = [sys.executable, "-m", "sphinx", "-b", builder, *SPHINX_OPTIONS,
               "-j", jobs, "-d", str(doctrees), str(site.srcdir), str(outdir)]
    sample, output = timed(command, site.srcdir)
    updated = UPDATED_RE.search(output)
    if updated:
        sample.reread = int(updated.group(1)) + int(updated.group(2))
    after = html_mtimes(outdir)
    sample.written = sum(1 for p, t in after.items()
                         if before.get(p) != t and p.parent.name == "articles")
    return sample


def fresh(*paths: Path) -> None:
    for path in paths:
        shutil.rmtree(path, ignore_errors=True)


def digest(outdir: Path) -> dict[str, str]:
    return {
        str(p.relative_to(outdir)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(outdir.rglob("*")) if p.is_file()
    }


# -- edits -----------------------------------------------------------------------------------


class Editor:
    """Changes one article or one bib entry at a time, each time differently: the edits of
    every editor of a run are numbered from one counter, so that no edit writes again what
    an earlier phase's editor wrote (the same text is no change, and no build follows)."""

    numbers = itertools.count(1)

    def __init__(self, site: Site) -> None:
        self.site = site
        self.count = 0
        self.article = site.articles[len(site.articles) // 2]
        cited = [w for w in site.works if site.citers(w.key)] if not site.bare else []
        # a typical cited work: cited by the fewest articles among the popular ones
        self.work = min(cited[:60], key=lambda w: (len(site.citers(w.key)), w.key)) \
            if cited else None

    def edit_article(self) -> None:
        self.count = next(Editor.numbers)
        path = self.site.article_path(self.article)
        text = path.read_text(encoding="utf-8")
        marker = re.search(r" \(edit \d+\)\.$", text, re.MULTILINE)
        if marker:
            text = text[: marker.start()] + text[marker.end() - 1:]
        text = text.rstrip("\n")[:-1] + f" (edit {self.count}).\n"
        path.write_text(text, encoding="utf-8")

    def edit_entry(self) -> None:
        assert self.work is not None
        self.count = next(Editor.numbers)
        bib = self.site.bibfile
        text = bib.read_text(encoding="utf-8")
        start = text.index(f"{{{self.work.key},")
        title = re.compile(r"(title\s*=\s*\{)([^\n]*?)( \(revised \d+\))?(\},)")
        match = title.search(text, start)
        assert match is not None
        text = (text[: match.start()] + match.group(1) + match.group(2)
                + f" (revised {self.count})" + match.group(4) + text[match.end():])
        bib.write_text(text, encoding="utf-8")

    def add_entry(self) -> None:
        self.count = next(Editor.numbers)
        with self.site.bibfile.open("a", encoding="utf-8") as bib:
            bib.write(
                f"\n@book{{added{self.count}benchmark,\n"
                "  author    = {Núñez, María José},\n"
                f"  title     = {{A book added by the benchmark, number {self.count}}},\n"
                "  publisher = {Academic Press},\n"
                "  year      = {2024},\n}\n"
            )


# -- phases ----------------------------------------------------------------------------------


@dataclass
class Layout:
    html: Path
    doctrees: Path
    html_jn: Path
    doctrees_jn: Path
    pdf: Path
    doctrees_pdf: Path
    pdf_after_html: Path

    @classmethod
    def of(cls, site: Site) -> Layout:
        build = site.srcdir / "_build"
        return cls(build / "html", build / "doctrees", build / "html-jN",
                   build / "doctrees-jN", build / "pdf", build / "doctrees-pdf",
                   build / "pdf-after-html")


class Bench:
    """One site's phases: its layout, its editor and the samples taken so far."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.layout = Layout.of(site)
        self.editor = Editor(site)
        self.phases: dict[str, Phase] = {}
        self.differing: list[str] = []

    def sample(self, name: str, *, builder: str = "html", jobs: str = "1",
               parallel: bool = False, clean: bool = False, action: str | None = None,
               after_html: bool = False) -> None:
        layout = self.layout
        outdir, doctrees = ((layout.html_jn, layout.doctrees_jn) if parallel
                            else (layout.html, layout.doctrees))
        if builder == "typst":
            # from nothing, or as `make publish` makes it: on the web edition's doctrees
            outdir, doctrees = ((layout.pdf_after_html, layout.doctrees) if after_html
                                else (layout.pdf, layout.doctrees_pdf))
        if clean:
            fresh(outdir)
            if not after_html:
                fresh(doctrees)
        if action is not None:
            getattr(self.editor, action)()
        phase = self.phases.setdefault(name, Phase(name))
        phase.samples.append(sphinx(self.site, builder, outdir, doctrees, jobs))

    def compare_full_builds(self) -> None:
        """The files where the -j auto build differs from the -j 1 build."""
        self.differing = differing(digest(self.layout.html), digest(self.layout.html_jn))

    def summary(self) -> dict:
        return {"phases": {name: phase.summary() for name, phase in self.phases.items()},
                "jN_differs_from_j1": self.differing}


def run_plan(benches: dict[str, Bench], plan: list[tuple[str, tuple[str, ...], dict]],
             repeat: int, after: Callable[[str], None]) -> None:
    """Each phase of ``plan`` (name, the benches it runs on, their options) ``repeat`` times,
    sample by sample in turn across the benches; ``after(name)`` once a phase is done. A
    phase named ``settle`` runs once and is not kept (the build after it is a true no-op)."""
    for name, labels, options in plan:
        for _ in range(1 if name == "settle" else repeat):
            for label in labels:
                benches[label].sample(name, **options)
        after(name)
        if name != "settle":
            say("  " + name.ljust(13) + "".join(
                f" {label} {benches[label].phases[name].median:7.2f} s" for label in labels))
    for bench in benches.values():
        bench.phases.pop("settle")


def bench_pair(bare: Site, magazine: Site, repeat: int, jobs: str, *, pdf: bool) -> dict:
    """Every phase on the bare baseline and on the magazine, sample by sample in turn
    (bare, magazine, bare, ...), so that a shared machine's changing load falls on both."""
    benches = {"bare": Bench(bare), "magazine": Bench(magazine)}
    both, cited = ("bare", "magazine"), ("magazine",)
    plan: list[tuple[str, tuple[str, ...], dict]] = [
        ("full_jN", both, {"jobs": jobs, "parallel": True, "clean": True}),
        ("full_j1", both, {"clean": True}),
        ("settle", both, {}),  # the next build is a true no-op
        ("no_change", both, {}),
        ("article_edit", both, {"action": "edit_article"}),
        ("bib_edit", cited, {"action": "edit_entry"}),
        ("bib_add", cited, {"action": "add_entry"}),
    ]
    if pdf:
        plan.append(("pdf_edition", cited, {"builder": "typst", "clean": True}))
        plan.append(("pdf_publish", cited, {"builder": "typst", "clean": True,
                                            "after_html": True}))
    def compare(name: str) -> None:
        if name == "full_j1":
            for bench in benches.values():
                bench.compare_full_builds()

    run_plan(benches, plan, repeat, compare)
    result = {label: bench.summary() for label, bench in benches.items()}
    if pdf:
        article_pdf = time_article_pdf(magazine, benches["magazine"].layout.pdf, repeat)
        result["magazine"]["phases"]["article_pdf"] = article_pdf.summary()
        say(f"  {'article_pdf':<13} magazine {article_pdf.median:7.2f} s")
    return result


# -- this checkout's extension against another commit's (--against) ---------------------------


def with_extension_of(site: Site, rev: str) -> Site:
    """``site`` with the extension and ``conf.py`` of commit ``rev`` of this repository."""
    shutil.rmtree(site.srcdir / "_ext")
    try:
        files_of_commit(rev, site.srcdir, "_ext", "conf.py")
    except ValueError as error:
        raise BenchError(f"--against {rev}: {error}") from error
    return site


def bench_against(base: Site, magazine: Site, rev: str, repeat: int, jobs: str) -> dict:
    """The same magazine built by the extension of commit ``rev`` and by this checkout's,
    sample by sample in turn; a change meant to change nothing shows as ratios near 1 and
    no file that differs."""
    benches = {"against": Bench(base), "magazine": Bench(magazine)}
    both = ("against", "magazine")
    plan: list[tuple[str, tuple[str, ...], dict]] = [
        ("full_jN", both, {"jobs": jobs, "parallel": True, "clean": True}),
        ("full_j1", both, {"clean": True}),
        ("settle", both, {}),
        ("no_change", both, {}),
        ("article_edit", both, {"action": "edit_article"}),
        ("bib_edit", both, {"action": "edit_entry"}),
    ]
    found: list[str] = []

    def compare(name: str) -> None:
        if name == "full_j1":
            found.extend(differing(digest(benches["magazine"].layout.html),
                                   digest(benches["against"].layout.html)))

    run_plan(benches, plan, repeat, compare)
    return {"rev": rev, "differing": found,
            **{label: bench.summary() for label, bench in benches.items()}}


def compare_with(rev: str, work: Path, articles: int, references: int, repeat: int,
                 jobs: str) -> dict:
    """:func:`bench_against` on two magazines just made (the other phases edit theirs)."""
    pair = []
    for label in ("against", "ours"):
        folder = work / label
        fresh(folder)
        pair.append(generate(folder, articles, references))
    say(f"{articles}x{references}: the extension of {rev} and this checkout's, in turn")
    result = bench_against(with_extension_of(pair[0], rev), pair[1], rev, repeat, jobs)
    say("\n" + against_table(f"{articles}x{references}", result) + "\n")
    return result


def against_table(size: str, result: dict) -> str:
    rows = [f"{size}: this checkout against {result['rev']}", "",
            "| phase | " + result["rev"] + " | this checkout | ratio |", "|---|---|---|---|"]
    theirs, ours = result["against"]["phases"], result["magazine"]["phases"]
    for name in ours:
        before, after = theirs[name]["median_s"], ours[name]["median_s"]
        rows.append(f"| {name} | {seconds(before)} | {seconds(after)} | {after / before:.2f}× |")
    rows.append("")
    rows.append("files that differ (full build, -j 1): "
                + (", ".join(result["differing"]) if result["differing"] else "none"))
    return "\n".join(rows)


# -- the serial: issue PDFs against the whole archive as one (issue 14) ----------------------

ISSUE_SIZE = 20


def size_of(site: Site) -> int:
    return max(len(issue.articles) for issue in site.issues)


def pdf_mtimes(outdir: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in outdir.glob("*.pdf")}


class Serial:
    """A site filed into issues, paginated; its PDF builds timed and counted."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.outdir = site.srcdir / "_build" / "pdf"
        self.doctrees = site.srcdir / "_build" / "doctrees-pdf"
        self.editor = Editor(site)
        self.phases: dict[str, Phase] = {}
        self.remade: list[str] = []

    def paginate(self) -> None:
        """Every issue laid out and its pages recorded, as ``make paginate ISSUE=1-1,...``."""
        stems = ",".join(issue.stem for issue in self.site.issues)
        command = [sys.executable, "-m", "magazine.serial.paginate", "--issue", stems,
                   "--builddir", str(self.site.srcdir / "_build" / "paginating")]
        sample, _ = timed(command, self.site.srcdir,
                          {"PYTHONPATH": str(self.site.srcdir / "_ext")})
        self.phases.setdefault("paginate", Phase("paginate")).samples.append(sample)
        fresh(self.site.srcdir / "_build" / "paginating")

    def build(self, name: str, *, clean: bool = False, edit: bool = False) -> None:
        if clean:
            fresh(self.outdir, self.doctrees)
        if edit:
            self.editor.edit_article()
        before = pdf_mtimes(self.outdir)
        sample = sphinx(self.site, "typst", self.outdir, self.doctrees)
        after = pdf_mtimes(self.outdir)
        self.remade = sorted(n for n, t in after.items() if before.get(n) != t)
        sample.written = len(self.remade)
        self.phases.setdefault(name, Phase(name)).samples.append(sample)

    def compile_issue(self) -> None:
        """The middle issue's PDF from its Typst sources, in a process of its own."""
        issue = self.site.issues[len(self.site.issues) // 2]
        [main] = (self.outdir / "typst").glob(f"*-{issue.stem}.typ")
        sample = compile_one(self.site, self.outdir, main)
        self.phases.setdefault("issue_pdf", Phase("issue_pdf")).samples.append(sample)


def bench_serial(work: Path, articles: int, references: int, repeat: int,
                 issue_size: int = ISSUE_SIZE) -> dict:
    """The archive in issues of ``issue_size`` against the same archive in one issue (the
    whole-archive PDF edition the magazine had before it had issues), in turn."""
    serials = {}
    for label, size in (("archive", articles), ("issues", issue_size)):
        folder = work / label
        fresh(folder)
        serials[label] = Serial(generate(folder, articles, references, issue_size=size))
    for serial in serials.values():
        serial.paginate()
    remade: dict[str, list[str]] = {}
    for name, options in (("pdf_all", {"clean": True}), ("pdf_no_change", {}),
                          ("pdf_article_edit", {"edit": True})):
        for _ in range(repeat):
            for serial in serials.values():
                serial.build(name, **options)
                if name == "pdf_article_edit":
                    remade[serial.site.srcdir.name] = serial.remade
        say(f"  {name:<17}" + "".join(f" {label} {s.phases[name].median:7.2f} s"
                                      for label, s in serials.items()))
    for _ in range(repeat):
        for serial in serials.values():
            serial.compile_issue()
    say("  issue_pdf        " + "".join(f" {label} {s.phases['issue_pdf'].median:7.2f} s"
                                       for label, s in serials.items()))
    return {label: {"issues": len(s.site.issues), "issue_size": size_of(s.site),
                    "remade_after_edit": remade[label],
                    "phases": {n: p.summary() for n, p in s.phases.items()}}
            for label, s in serials.items()}


ARTICLE_PDF = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from magazine.pdf.compile import PdfCompiler
result = PdfCompiler(Path(sys.argv[2]), (), ["ua-1"]).compile(Path(sys.argv[3]), Path(sys.argv[4]), 0)
sys.exit(result.error)
"""


def time_article_pdf(site: Site, pdfdir: Path, repeat: int) -> Phase:
    """One article's PDF from the Typst sources the edition build wrote, as the builder
    compiles it, in a process of its own (Python, the typst module and its fonts included)."""
    article = site.articles[len(site.articles) // 2]
    main = pdfdir / "typst" / "articles" / f"{article.name}.typ"
    phase = Phase("article_pdf")
    for _ in range(repeat):
        phase.samples.append(compile_one(site, pdfdir, main))
    return phase


def compile_one(site: Site, pdfdir: Path, main: Path) -> Sample:
    """One PDF compiled from the Typst sources a build wrote, as the builder compiles it."""
    command = [sys.executable, "-c", ARTICLE_PDF, str(site.srcdir / "_ext"),
               str(pdfdir / "typst"), str(main), str(pdfdir.parent / "one.pdf")]
    return timed(command, site.srcdir)[0]


# -- the preview (issue 17): save to reloaded page, warm server against a fresh process ----

PREVIEW_WAIT = 1800  # seconds the preview may take for its first, full build


class PreviewServer:
    """``python -m magazine.preview`` on a site, its reload websocket and its memory: the
    proportional set size (PSS: shared pages split between the processes sharing them) of
    the server, the builder process and its forked children, summed, sampled while it runs."""

    def __init__(self, site: Site, folder: Path) -> None:
        import psutil  # noqa: PLC0415
        from websockets.sync.client import connect  # noqa: PLC0415

        self.site, self.log = site, folder / "preview.log"
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        env = {**os.environ, "PYTHONPATH": str(site.srcdir / "_ext"), "NO_COLOR": "1",
               "PYTHONHASHSEED": "0"}
        env.pop("FORCE_COLOR", None)
        with self.log.open("w", encoding="utf-8") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "magazine.preview", "--port", str(self.port)],
                cwd=site.srcdir, stdout=log, stderr=subprocess.STDOUT, env=env)
        self.peak_pss_mb = self.peak_rss_mb = 0.0
        self.closing = contextlib.ExitStack()
        self.running = True
        self.tree = psutil.Process(self.process.pid)
        self.watching = threading.Thread(target=self._watch_memory, daemon=True)
        self.watching.start()
        self.started = time.perf_counter()
        self.socket = None
        try:
            self._wait_for_serving()
        except BaseException:  # Ctrl-C too: no server left behind
            self.stop()
            raise
        self.first_build = time.perf_counter() - self.started
        for _ in range(100):
            try:
                self.socket = self.closing.enter_context(
                    connect(f"ws://127.0.0.1:{self.port}/websocket-reload"))
                break
            except OSError:
                time.sleep(0.1)
        if self.socket is None:
            self.stop()
            raise BenchError("cannot reach the preview's reload websocket")

    def _wait_for_serving(self) -> None:
        end = time.monotonic() + PREVIEW_WAIT
        while "preview: serving" not in self.log.read_text(encoding="utf-8"):
            if self.process.poll() is not None or time.monotonic() > end:
                raise BenchError("the preview did not start:\n" + self.output()[-3000:])
            time.sleep(0.1)

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def _watch_memory(self) -> None:
        import psutil  # noqa: PLC0415

        while self.running:
            pss = rss = 0.0
            try:
                for proc in [self.tree, *self.tree.children(recursive=True)]:
                    try:
                        info = proc.memory_full_info()
                    except (psutil.NoSuchProcess, psutil.AccessDenied):
                        continue
                    pss += info.pss / KB / KB
                    rss = max(rss, info.rss / KB / KB)
            except psutil.NoSuchProcess:
                return
            self.peak_pss_mb = max(self.peak_pss_mb, pss)
            self.peak_rss_mb = max(self.peak_rss_mb, rss)
            time.sleep(0.25)

    def drain(self) -> None:
        """Reloads still on their way (a save the watcher saw as two changes)."""
        assert self.socket is not None
        while True:
            try:
                self.socket.recv(timeout=2)
            except TimeoutError:
                return

    def reload_after(self, action: Callable[[], None], page: Path) -> Sample:
        """From the save to the reload message, the page on disk rewritten by then."""
        assert self.socket is not None
        self.drain()
        before = page.stat().st_mtime_ns if page.exists() else None
        start = time.perf_counter()
        action()
        # the first reload with the page rewritten (a reload of an earlier build that was
        # still on its way when the save was made does not count)
        while True:
            try:
                message = self.socket.recv(timeout=600)
            except TimeoutError:
                raise BenchError(f"no reload with {page.name} rewritten:\n"
                                 + self.output()[-3000:]) from None
            if message != "refresh":
                raise BenchError(f"the preview sent {message!r}, not a reload")
            if page.stat().st_mtime_ns != before:
                break
        seconds = time.perf_counter() - start
        read = re.findall(r"preview: built in [\d.]+ s; read: (.*)", self.output())
        reread = 0 if not read or read[-1] == "nothing" else len(read[-1].split(", "))
        return Sample(seconds, self.peak_pss_mb, reread=reread, written=1)

    def click_pdf(self, docname: str) -> Sample:
        """The article's PDF asked for as its link asks, until the last byte."""
        start = time.perf_counter()
        url = f"http://127.0.0.1:{self.port}/_preview/pdf/{docname}"
        with urllib.request.urlopen(url, timeout=600) as response:
            kind, data = response.headers["Content-Type"], response.read()
        seconds = time.perf_counter() - start
        if kind != "application/pdf" or not data.startswith(b"%PDF-"):
            raise BenchError(f"the PDF link gave {kind}:\n" + self.output()[-3000:])
        return Sample(seconds, self.peak_pss_mb)

    def stop(self) -> None:
        self.closing.close()
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(120)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.running = False
        self.watching.join(5)


def autobuild(site: Site) -> Sample:
    """The rebuild sphinx-autobuild runs on a save: a fresh ``python -m sphinx`` process on
    the same sources, into its own folder (kept, so the rebuild is incremental, as
    sphinx-autobuild's is), with the Makefile's options; timed from the save (made just
    before) to the process's end, without the watcher's delay."""
    build = site.srcdir / "_build"
    return sphinx(site, "html", build / "autobuild", build / "doctrees-autobuild")


def bench_preview(site: Site, repeat: int) -> dict:
    """The preview against sphinx-autobuild's rebuild, sample by sample in turn: one article
    edited (save to reload), one cited bib entry edited, and the article's PDF clicked."""
    editor = Editor(site)
    docname = f"articles/{editor.article.name}"
    page = site.srcdir / "_build" / "preview" / f"{docname}.html"
    cited = editor.work and site.citers(editor.work.key)[0]
    cited_page = site.srcdir / "_build" / "preview" / f"articles/{cited.name}.html" \
        if cited else page
    phases = {name: Phase(name) for name, _ in PREVIEW_ROWS}
    fresh(site.srcdir / "_build" / "preview", site.srcdir / "_build" / "doctrees-preview",
          site.srcdir / "_build" / "preview-pdf", site.srcdir / "_build" / "autobuild",
          site.srcdir / "_build" / "doctrees-autobuild")
    server = PreviewServer(site, site.srcdir.parent)
    try:
        autobuild(site)  # sphinx-autobuild's first build, before it watches
        for _ in range(repeat):
            # each save timed on both sides: the fresh process builds the save the preview
            # just built (a second save would have the preview build while it is timed)
            phases["preview_article_edit"].samples.append(
                server.reload_after(editor.edit_article, page))
            phases["autobuild_article_edit"].samples.append(autobuild(site))
            if editor.work is not None:
                phases["preview_bib_edit"].samples.append(
                    server.reload_after(editor.edit_entry, cited_page))
                phases["autobuild_bib_edit"].samples.append(autobuild(site))
            phases["pdf_click"].samples.append(server.click_pdf(docname))
            editor.edit_article()  # saved, and the link clicked at once
            phases["pdf_click_after_save"].samples.append(server.click_pdf(docname))
        server.drain()
    finally:
        server.stop()
    for name, phase in phases.items():
        if phase.samples:
            say(f"  {name:<24} {phase.median:7.2f} s")
    say(f"  preview server peak memory {server.peak_pss_mb:.0f} MB (PSS, all its processes); "
        f"largest process {server.peak_rss_mb:.0f} MB RSS")
    return {"first_build_s": round(server.first_build, 3),
            "peak_pss_mb": round(server.peak_pss_mb, 1),
            "peak_rss_mb": round(server.peak_rss_mb, 1),
            "phases": {n: p.summary() for n, p in phases.items() if p.samples}}


PREVIEW_ROWS = (
    ("preview_article_edit", "one article edited: save to reload, preview"),
    ("autobuild_article_edit", "one article edited: fresh sphinx build process (sphinx-autobuild)"),
    ("preview_bib_edit", "one bib entry edited: save to reload, preview"),
    ("autobuild_bib_edit", "one bib entry edited: fresh sphinx build process (sphinx-autobuild)"),
    ("pdf_click", "the article's PDF link clicked (after its page reloaded)"),
    ("pdf_click_after_save", "the PDF link clicked right after a save"),
)


def preview_table(size: str, result: dict) -> str:
    phases = result["phases"]
    lines = [f"### {size}: the preview (make preview) against sphinx-autobuild's rebuild", "",
             "| phase | median | docs re-read / articles written |", "|---|---|---|"]
    for key, label in PREVIEW_ROWS:
        if key in phases:
            phase = phases[key]
            counts = (f"{phase['reread']} / {phase['written']}"
                      if phase.get("reread") is not None else "")
            lines.append(f"| {label} | {seconds(phase['median_s'])} | {counts} |")
    lines.append(f"| preview server peak memory (PSS of all its processes; largest process RSS)"
                 f" | {result['peak_pss_mb']:.0f} MB; {result['peak_rss_mb']:.0f} MB | |")
    lines.append(f"| preview's first build (start to serving) | {seconds(result['first_build_s'])}"
                 " | |")
    return "\n".join(lines)


def preview_targets(results: dict[str, dict]) -> list[str]:
    """Issue 17's targets: an article edit shows in the preview within 1 s, a bib entry edit
    within 1.5 s, and the server stays under 1 GB, at every size."""
    lines = []
    for size, result in results.items():
        phases = result["phases"]
        for key, label, limit in (("preview_article_edit", "one article edited", 1.0),
                                  ("preview_bib_edit", "one bib entry edited", 1.5)):
            if key in phases:
                value = phases[key]["median_s"]
                state = "met" if value <= limit else "NOT met"
                lines.append(f"- {size}: preview, {label}, save to reload within {limit:g} s: "
                             f"{value:.2f} (target {limit:g}) {state}")
        if "peak_pss_mb" in result:
            value = result["peak_pss_mb"] / KB
            lines.append(f"- {size}: preview server's memory under 1 GB (GB): {value:.2f} "
                         f"(target 1.0) {'met' if value <= 1.0 else 'NOT met'}")
    return lines


# -- reporting -------------------------------------------------------------------------------

ROWS = (
    ("full_j1", "full HTML build, -j 1"),
    ("full_jN", "full HTML build, -j auto"),
    ("no_change", "no-change rebuild"),
    ("article_edit", "one article edited"),
    ("bib_edit", "one bib entry edited"),
    ("bib_add", "one bib entry added"),
    ("pdf_edition", "PDF edition (every article's PDF)"),
    ("pdf_publish", "PDF edition after the web edition (make publish)"),
    ("article_pdf", "one article's PDF (compile)"),
)


def say(text: str) -> None:
    print(text, flush=True)


def machine() -> dict:
    model = ""
    memory = ""
    with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / KB / KB:.1f} GiB"
    import sphinx  # noqa: PLC0415

    return {"nproc": len(os.sched_getaffinity(0)), "cpu": model, "memory": memory,
            "python": platform.python_version(), "sphinx": sphinx.__version__,
            "platform": platform.platform()}


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def table(size: str, result: dict) -> str:
    bare = result["bare"]["phases"]
    mag = result["magazine"]["phases"]
    lines = [f"### {size}", "",
             "| phase | bare baseline | magazine | ratio | docs re-read / articles written |",
             "|---|---|---|---|---|"]
    for key, label in ROWS:
        if key not in mag:
            continue
        base = bare.get(key)
        ratio = f"{mag[key]['median_s'] / base['median_s']:.2f}×" if base else ""
        counts = (f"{mag[key]['reread']} / {mag[key]['written']}"
                  if mag[key].get("reread") is not None else "")
        lines.append(f"| {label} | {seconds(base['median_s']) if base else ''} | "
                     f"{seconds(mag[key]['median_s'])} | {ratio} | {counts} |")
    lines.append(f"| peak memory, -j 1 / -j auto | {bare['full_j1']['peak_rss_mb']:.0f} / "
                 f"{bare['full_jN']['peak_rss_mb']:.0f} MB | "
                 f"{mag['full_j1']['peak_rss_mb']:.0f} / {mag['full_jN']['peak_rss_mb']:.0f} MB"
                 " | | |")
    if "pdf_edition" in mag:
        lines.append(f"| peak memory, PDF edition | | {mag['pdf_edition']['peak_rss_mb']:.0f} MB | | |")
    differs = result["magazine"]["jN_differs_from_j1"]
    lines += ["", "-j auto output identical to -j 1: "
              + ("yes" if not differs else f"no ({len(differs)} files: {', '.join(differs[:5])})")]
    return "\n".join(lines)


def targets(results: dict[str, dict]) -> list[str]:
    """Each target of issue 7 with its measured value, for every size it applies to."""
    lines = []
    for size, result in results.items():
        mag, bare = result["magazine"]["phases"], result["bare"]["phases"]
        edit = mag["article_edit"]["median_s"]
        checks = [
            ("full build -j 1 within 1.15x the bare baseline",
             mag["full_j1"]["median_s"] / bare["full_j1"]["median_s"], 1.15),
            ("bib entry edited within 2x one article edited", mag["bib_edit"]["median_s"] / edit, 2),
            ("bib entry added within 2x one article edited", mag["bib_add"]["median_s"] / edit, 2),
            ("article edit within 1.5x no-change", edit / mag["no_change"]["median_s"], 1.5),
            ("-j auto no slower than -j 1",
             mag["full_jN"]["median_s"] / mag["full_j1"]["median_s"], 1.0),
        ]
        if "pdf_edition" in mag:
            checks += [
                ("PDF edition from nothing no slower than the HTML build",
                 mag["pdf_edition"]["median_s"] / mag["full_j1"]["median_s"], 1.0),
                ("PDF edition after the web edition (make publish) no slower than the HTML "
                 "build", mag["pdf_publish"]["median_s"] / mag["full_j1"]["median_s"], 1.0),
                ("one article's PDF under 0.5 s", mag["article_pdf"]["median_s"], 0.5),
            ]
        checks.append(("peak memory under 1 GB (GB)", mag["full_j1"]["peak_rss_mb"] / KB, 1.0))
        if "pdf_edition" in mag:
            checks.append(("PDF edition peak memory under 1 GB (GB)",
                           mag["pdf_edition"]["peak_rss_mb"] / KB, 1.0))
        for label, value, limit in checks:
            state = "met" if value <= limit else "NOT met"
            lines.append(f"- {size}: {label}: {value:.2f} (target {limit}) {state}")
        same = not result["magazine"]["jN_differs_from_j1"]
        lines.append(f"- {size}: -j auto output identical to -j 1: "
                     f"{'met' if same else 'NOT met'}")
    per_article = {
        size: r["magazine"]["phases"]["full_j1"]["median_s"] / r["articles"]
        for size, r in results.items()
    }
    if len(per_article) > 1:
        sizes = sorted(per_article, key=lambda s: results[s]["articles"])
        growth = per_article[sizes[-1]] / per_article[sizes[0]]
        state = "met" if growth <= 1.10 else "NOT met"
        lines.append(f"- linear growth: time per article at {sizes[-1]} / at {sizes[0]}: "
                     f"{growth:.2f} (target 1.10) {state}")
    return lines


def report(results: dict[str, dict], serial: dict[str, dict]) -> list[str]:
    """Print the targets; return them."""
    lines = targets(results) if results else []
    if lines:
        say("Targets (issue 7):\n" + "\n".join(lines))
    more = serial_targets(serial)
    if more:
        say("Targets (issue 14):\n" + "\n".join(more))
    return lines + more


def report_preview(previews: dict[str, dict]) -> list[str]:
    """Print issue 17's targets; return them."""
    lines = preview_targets(previews)
    if lines:
        say("Targets (issue 17):\n" + "\n".join(lines))
    return lines


# -- main ------------------------------------------------------------------------------------


SERIAL_ROWS = (
    ("paginate", "every issue laid out, pages recorded (make paginate)"),
    ("pdf_all", "all PDFs from nothing"),
    ("pdf_no_change", "PDFs rebuilt, nothing changed"),
    ("pdf_article_edit", "PDFs rebuilt after one article edited"),
    ("issue_pdf", "one issue's PDF (compile)"),
)


def serial_table(size: str, result: dict) -> str:
    archive, issues = result["archive"], result["issues"]
    lines = [f"### {size}: {issues['issues']} issues of {issues['issue_size']} against one issue of "
             "every article (the whole-archive edition)", "",
             "| phase | whole archive | issues | ratio | PDFs remade |", "|---|---|---|---|---|"]
    for key, label in SERIAL_ROWS:
        old, new = archive["phases"][key], issues["phases"][key]
        remade = (f"{old['written']} / {new['written']}" if new.get("written") is not None
                  else "")
        lines.append(f"| {label} | {seconds(old['median_s'])} | {seconds(new['median_s'])} | "
                     f"{new['median_s'] / old['median_s']:.2f}× | {remade} |")
    for key, label in (("pdf_all", "all PDFs"), ("issue_pdf", "one issue's PDF")):
        lines.append(f"| peak memory, {label} | {archive['phases'][key]['peak_rss_mb']:.0f} MB"
                     f" | {issues['phases'][key]['peak_rss_mb']:.0f} MB | | |")
    lines += ["", "remade after one article edited: "
              + ", ".join(issues["remade_after_edit"])]
    return "\n".join(lines)


def serial_targets(results: dict[str, dict]) -> list[str]:
    """Each target of issue 14 with its measured value."""
    lines = []
    for size, result in results.items():
        archive, issues = result["archive"]["phases"], result["issues"]["phases"]
        remade = result["issues"]["remade_after_edit"]
        checks = [
            ("one issue's PDF under 1 GB (GB)", issues["issue_pdf"]["peak_rss_mb"] / KB, 1.0),
            ("all issues from nothing no slower than the whole-archive edition",
             issues["pdf_all"]["median_s"] / archive["pdf_all"]["median_s"], 1.0),
        ]
        for label, value, limit in checks:
            state = "met" if value <= limit else "NOT met"
            lines.append(f"- {size}: {label}: {value:.2f} (target {limit}) {state}")
        issue_pdfs = [n for n in remade if re.search(r"-\d+-\d+\.pdf$", n)]
        one_each = len(remade) == 2 and len(issue_pdfs) == 1
        lines.append(f"- {size}: one article edited re-typesets one issue and one article: "
                     f"{', '.join(remade) or 'nothing'} {'met' if one_each else 'NOT met'}")
    return lines


def parse_sizes(text: str) -> list[tuple[int, int]]:
    if text.strip().lower() in ("", "none"):
        return []
    sizes = []
    for part in text.replace(" ", "").split(","):
        match = re.fullmatch(r"(\d+)x(\d+)", part)
        if match is None:
            msg = f"'{part}' is not a size; write ARTICLESxREFERENCES, such as 100x1000"
            raise argparse.ArgumentTypeError(msg)
        sizes.append((int(match.group(1)), int(match.group(2))))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=parse_sizes, default=parse_sizes("100x1000"))
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--jobs", default="auto", help="-j for the parallel build")
    parser.add_argument("--no-pdf", action="store_true",
                        help="skip the PDF phases (and the preview, unless --preview)")
    parser.add_argument("--preview", action="store_true",
                        help="measure the preview (make preview) even with --no-pdf")
    parser.add_argument("--preview-only", action="store_true",
                        help="measure only the preview, on the magazine of each size")
    parser.add_argument("--serial", type=parse_sizes, default=None,
                        help="sizes for the issues against the whole archive (default: "
                             "--sizes; none: skip)")
    parser.add_argument("--issue-size", type=int, default=ISSUE_SIZE,
                        help="articles in each issue of the serial")
    parser.add_argument("--against", metavar="REV",
                        help="also build each magazine with the extension of commit REV, in "
                             "turn with this checkout's (a refactor's check)")
    parser.add_argument("--against-only", action="store_true",
                        help="with --against: only that comparison")
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "out")
    parser.add_argument("--workdir", type=Path, help="keep the generated sites here")
    parser.add_argument("--report", type=Path, metavar="JSON",
                        help="print the tables and targets of an earlier run, and build nothing")
    args = parser.parse_args(argv)

    if args.against_only and not args.against:
        parser.error("--against-only needs --against REV")
    if args.against:
        known = subprocess.run(["git", "rev-parse", "--verify", "--quiet",
                                f"{args.against}^{{commit}}"], cwd=ROOT, capture_output=True,
                               check=False)
        if known.returncode != 0:
            raise BenchError(f"--against {args.against}: not a commit of this repository")
    if args.report is not None:
        recorded = json.loads(args.report.read_text(encoding="utf-8"))
        info = recorded["machine"]
        say(f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory']}; "
            f"Python {info['python']}, Sphinx {info['sphinx']}; repeat {recorded['repeat']}")
        previews = recorded.get("preview", {})
        for size, result in recorded["results"].items():
            say("\n" + table(size, result) + "\n")
            if size in previews:  # in the order the run printed them
                say("\n" + preview_table(size, previews[size]) + "\n")
        for size, result in previews.items():
            if size not in recorded["results"]:
                say("\n" + preview_table(size, result) + "\n")
        for size, result in recorded.get("serial", {}).items():
            say("\n" + serial_table(size, result) + "\n")
        report(recorded["results"], recorded.get("serial", {}))
        report_preview(previews)
        return 0

    info = machine()
    say(f"machine: {info['nproc']} cores, {info['cpu']}, {info['memory']}; "
        f"Python {info['python']}, Sphinx {info['sphinx']}")
    results: dict[str, dict] = {}
    previews: dict[str, dict] = {}
    against: dict[str, dict] = {}
    measure_preview = args.preview or args.preview_only or not args.no_pdf
    with tempfile.TemporaryDirectory(prefix="magazine-bench-") as tmp:
        work = args.workdir or Path(tmp)
        for articles, references in args.sizes:
            size = f"{articles}x{references}"
            if args.preview_only:
                folder = work / size / "preview"
                fresh(folder)
                say(f"{size}: generated; the preview against sphinx-autobuild's rebuild, in turn")
                previews[size] = bench_preview(generate(folder / "site", articles, references),
                                               args.repeat)
                say("\n" + preview_table(size, previews[size]) + "\n")
                continue
            if args.against_only:
                against[size] = compare_with(args.against, work / size, articles, references,
                                             args.repeat, args.jobs)
                continue
            sites = {}
            for label, bare in (("bare", True), ("magazine", False)):
                folder = work / size / label
                fresh(folder)
                sites[label] = generate(folder, articles, references, bare=bare)
            say(f"{size}: generated; bare baseline and magazine measured in turn")
            result: dict = {"articles": articles, "references": references}
            result.update(bench_pair(sites["bare"], sites["magazine"], args.repeat, args.jobs,
                                     pdf=not args.no_pdf))
            results[size] = result
            say("\n" + table(size, result) + "\n")
            if args.against:
                against[size] = compare_with(args.against, work / size, articles, references,
                                             args.repeat, args.jobs)
            if measure_preview:
                say(f"{size}: the preview against sphinx-autobuild's rebuild, in turn")
                previews[size] = bench_preview(sites["magazine"], args.repeat)
                say("\n" + preview_table(size, previews[size]) + "\n")
        serial: dict[str, dict] = {}
        if not args.no_pdf and not args.preview_only and not args.against_only:
            for articles, references in (args.serial if args.serial is not None
                                         else args.sizes):
                size = f"{articles}x{references}"
                say(f"{size}: issues of {args.issue_size} against the whole archive, in turn")
                serial[size] = bench_serial(work / size / "serial", articles, references,
                                            args.repeat, args.issue_size)
                say("\n" + serial_table(size, serial[size]) + "\n")
    lines = report(results, serial) + report_preview(previews)
    args.out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = args.out / f"bench-{stamp}.json"
    path.write_text(json.dumps({"machine": info, "repeat": args.repeat, "results": results,
                                "serial": serial, "preview": previews, "against": against,
                                "targets": lines}, indent=1) + "\n",
                    encoding="utf-8")
    say(f"\nwrote {path}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        sys.exit(1)
