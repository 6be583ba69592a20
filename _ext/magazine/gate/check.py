"""``make check``: the pull-request gate.

    python -m magazine.gate.check [--strict] [--quick] [--srcdir .] [--base COMMIT]
                             [--time-limit SECONDS] [--memory-limit MB] [--no-supervise]

Every problem is printed as ``file:line: what is wrong; how to fix it``, all of them in one
run, and the exit status is non-zero if there is any.

- The full check builds the web edition into a temporary folder with warnings as errors
  (``-W -n --keep-going``): that covers the bibliography file (syntax, duplicate keys,
  DOIs, URLs, dates, missing fields), the articles (front matter, unknown citation keys,
  the Works Cited list, links and images, unsafe content) and every Sphinx warning.
- ``--quick`` checks only the bibliography file and the articles' front matter and
  citation keys, without Sphinx: fast enough for a pre-commit hook.
- Entries that no article cites are reported as warnings; ``--strict`` makes them fail.
- With a base commit (``--base``, else ``MAGAZINE_BASE``: the pull request's base, which
  the CI job passes), no published notice may go: every notice an article had there is
  still there, in its place, with its type and date (:func:`magazine.serial.notices.removed_notices`;
  its text may be amended).
- What an issue in preparation still lacks to be published (its date, editors, cover,
  articles, editorial) is reported as notes, at the lines to fill in; they never fail.

Nothing is written outside the temporary folder: the published edition is not touched.

Each part runs in a child process with limits (:mod:`magazine.cli.stages`): the reading of the
bibliography and the articles (the quick check) those of :data:`~magazine.cli.stages.QUICK`,
the build those of :data:`~magazine.cli.stages.BUILD`, unless ``MAGAZINE_TIME_LIMIT``,
``MAGAZINE_MEMORY_LIMIT`` or the flags say otherwise (0: none). A part that runs past them
is stopped, and reported as a problem at the file it was on. ``--no-supervise`` runs both
parts in this process without limits.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace

from ..articles.frontmatter import parse_front_matter
from ..citations.bibcheck import check_bib_file, suggest_keys, uncited
from ..cli import progress, stages
from ..config import magazine_config, read_conf
from ..doors.bibtex27 import parse_citation_targets
from ..serial.issues import IN_PREPARATION, changed_dois, parse_issue
from ..serial.notices import removed_notices
from .boundary import scan_project
from .safety import unsafe_source_lines

CITE_RE = re.compile(r"\{cite(?::[a-z]+)?\}`([^`]*)`")
SPHINX_LINE_RE = re.compile(
    r"^(?P<where>.*?):(?:(?P<line>\d+):)? (?P<level>WARNING|ERROR|CRITICAL|SEVERE): "
    r"(?P<message>.*?)(?: \[(?P<kind>[\w.\-]+)\])?$"
)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int | None
    message: str
    severity: str = "error"

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        label = self.severity if self.severity in ("warning", "note") else "error"
        return f"{where}: {label}: {self.message}"


@dataclass(frozen=True)
class Project:
    srcdir: Path
    bibfiles: tuple[Path, ...]
    article_dir: Path
    issue_dir: Path
    default_license: str
    settings: SimpleNamespace  # what the boundary's scan reads of conf.py

    @classmethod
    def read(cls, srcdir: Path) -> Project:
        raw = read_conf(srcdir)
        values = magazine_config(raw)
        return cls(
            # conf.py's values with the defaults config.SETTINGS declares
            settings=SimpleNamespace(
                **{f"magazine_{name}": value
                   for name, value in asdict(values).items()},
                html_static_path=raw.get("html_static_path") or (),
                bibtex_bibfiles=raw.get("bibtex_bibfiles") or (),
            ),
            srcdir=srcdir,
            bibfiles=tuple(srcdir / name for name in raw.get("bibtex_bibfiles") or ()),
            article_dir=srcdir / values.article_dir.strip("/"),
            issue_dir=srcdir / values.issue_dir.strip("/"),
            default_license=values.default_license,
        )

    def relative(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.srcdir))
        except ValueError:
            return str(path)

    def articles(self) -> list[Path]:
        return sorted(self.article_dir.glob("**/*.md"))

    def documents(self) -> list[Path]:
        return sorted(p for p in self.srcdir.glob("**/*.md") if not _private(p, self.srcdir))


def _private(path: Path, srcdir: Path) -> bool:
    parts = path.relative_to(srcdir).parts
    return any(part.startswith((".", "_")) for part in parts[:-1]) or parts[0] in (
        "tests", "benchmarks", "node_modules",
    ) or path.name in ("README.md", "CONTRIBUTING.md")


def cited_keys(text: str) -> list[tuple[str, int]]:
    """The keys cited in a Markdown text, each with its line."""
    found = []
    for match in CITE_RE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        try:
            found.extend((t.key, line) for t in parse_citation_targets(match.group(1)))
        except ValueError:
            found.append((match.group(1), line))
    return found


def quick_findings(project: Project, *, with_build_checks: bool = True, base: str = ""
                   ) -> list[Finding]:
    """Checks that need no Sphinx build. Without ``with_build_checks`` only what the build
    does not report itself (entries no article cites, the notices removed since ``base``)."""
    findings: list[Finding] = []
    if base:
        findings.extend(Finding(path, line, message) for path, line, message in
                        removed_notices(project.srcdir, base,
                                        project.relative(project.article_dir)))
        findings.extend(Finding(path, line, message) for path, line, message in
                        changed_dois(project.srcdir, base, project.relative(project.issue_dir)))
    keys: set[str] = set()
    reports = []
    # what the build would refuse to read (links, bad names, oversized files) is not read here
    refused = scan_project(project.srcdir, project.settings)
    findings.extend(Finding(r.path, r.line, r.message) for r in refused if with_build_checks)
    skipped = {project.srcdir / r.path for r in refused}
    # a refused bib file's keys are unknown: its refusal is the one message to give
    bib_refused = bool(skipped & set(project.bibfiles))
    for bibfile in project.bibfiles:
        if bibfile in skipped:
            continue
        if not bibfile.is_file():
            findings.append(Finding(project.relative(bibfile), None,
                                    "the bibliography file named in conf.py does not exist"))
            continue
        report = check_bib_file(bibfile)
        reports.append((bibfile, report))
        keys.update(report.data.entries.keys())
        if with_build_checks:
            findings.extend(
                Finding(project.relative(bibfile), p.line, p.message) for p in report.problems
                if p.severity != "note"  # a preview for the one who adds the entry
            )
    cited: set[str] = set()
    for document in project.documents():
        relative = document.relative_to(project.srcdir)
        inside = (relative, *relative.parents[:-1])  # the project's own folders, not above it
        if document in skipped or any((project.srcdir / p).is_symlink() for p in inside):
            continue
        text = document.read_text(encoding="utf-8")
        path = project.relative(document)
        for key, line in cited_keys(text):
            cited.add(key)
            if with_build_checks and key not in keys and not bib_refused:
                close = suggest_keys(key, keys)
                hint = ("did you mean " + " or ".join(f"'{k}'" for k in close) + "?") if close \
                    else "add an entry with this key to the bibliography, or check the spelling"
                findings.append(Finding(path, line,
                                        f"no bibliography entry has the key '{key}'; {hint}"))
        if with_build_checks:
            findings.extend(Finding(path, line, message)
                            for line, message in unsafe_source_lines(text))
            if document.is_relative_to(project.article_dir):
                parsed = parse_front_matter(text, project.default_license)
                findings.extend(Finding(path, p.line, p.message) for p in parsed.problems)
        if document.is_relative_to(project.issue_dir):
            findings.extend(issue_findings(project, document, text, with_build_checks))
    for bibfile, report in reports:
        findings.extend(
            Finding(project.relative(bibfile), p.line, p.message, "warning")
            for p in uncited(report, cited)
        )
    return findings


def issue_findings(project: Project, document: Path, text: str, with_build_checks: bool
                   ) -> list[Finding]:
    """An issue file's problems (the quick check; the build reports them too) and, while
    it is in preparation, what it still lacks, as notes."""
    path = project.relative(document)
    docname = path.removesuffix(".md")
    article_dir = project.relative(project.article_dir)
    parsed = parse_issue(text, docname, article_dir)
    found = [Finding(path, p.line, p.message) for p in parsed.problems] if with_build_checks \
        else []
    if parsed.record is not None and parsed.record.status == IN_PREPARATION:
        found += [Finding(path, p.line, f"(in preparation) {p.message}", "note")
                  for p in parsed.lacks]
    return found


QUICK_STAGE = "the quick check"
BUILD_STAGE = "the web edition build"
NO_LIMITS = stages.Limits(time=None, memory=None)


def supervised_quick_findings(srcdir: Path, *, with_build_checks: bool,
                              limits: stages.Limits, base: str = ""
                              ) -> tuple[bool, list[Finding]]:
    """:func:`quick_findings` in a child process (this module, ``--findings-json``) within
    ``limits``, and whether it finished: a stop or a crash is one finding (a stop's at the
    file the child was reading)."""
    command = [sys.executable, "-m", "magazine.gate.check", "--no-supervise", "--findings-json",
               "--srcdir", str(srcdir), *(["--quick"] if with_build_checks else []),
               *(["--base", base] if base else [])]
    package_root = str(Path(__file__).resolve().parents[2])  # where magazine is imported from
    path = os.pathsep.join(p for p in (package_root, os.environ.get("PYTHONPATH")) if p)
    result = stages.run_stage(QUICK_STAGE, command, time_limit=limits.time,
                              memory_limit=limits.memory, cwd=srcdir,
                              env={"PYTHONPATH": path}, capture=True)
    if result.stopped:
        return False, [Finding(str(result.file), None, str(result.reason))]
    sys.stderr.write(result.stderr)  # what the child warned of, as if it ran here
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        return False, [Finding("(check)", None, f"the quick check failed:\n{tail}")]
    return True, [Finding(**item) for item in json.loads(lines[-1])]


def build_findings(srcdir: Path, limits: stages.Limits = NO_LIMITS
                   ) -> tuple[int, list[Finding]]:
    """Build the web edition aside with warnings as errors, within ``limits``, then (if it
    built) the JATS files on its doctrees, whose schema check the web build does not make;
    every warning is a finding, and so is a stop (at the file the build was on)."""
    with tempfile.TemporaryDirectory(prefix="magazine-check-") as tmp:
        for builder in ("html", "jats"):
            command = [
                sys.executable, "-m", "sphinx", "-b", builder, "-W", "-n", "--keep-going",
                "-q", "-N", "-d", str(Path(tmp, "doctrees")), str(srcdir), str(Path(tmp, builder)),
            ]
            result = stages.run_stage(BUILD_STAGE, command, time_limit=limits.time,
                                      memory_limit=limits.memory, cwd=srcdir, capture=True)
            if result.returncode != 0 or result.stopped:
                break
    findings = []
    prefix = str(srcdir) + "/"
    follows_finding = False
    for line in result.stderr.splitlines():
        match = SPHINX_LINE_RE.match(line.strip())
        if match is None:
            # a warning's second line (docutils and MyST put the reason there) stays with it
            if follows_finding and line.strip():
                last = findings[-1]
                findings[-1] = Finding(last.path, last.line, f"{last.message}: {line.strip()}")
            follows_finding = False
            continue
        follows_finding = True
        # a file without a line is written "PATH:: WARNING" by Sphinx
        where = match.group("where").removeprefix(prefix).rstrip(":")
        number = int(match.group("line")) if match.group("line") else None
        message = match.group("message")
        if match.group("kind"):
            message += f" [{match.group('kind')}]"
        findings.append(Finding(where, number, message))
    if result.stopped:
        findings.append(Finding(str(result.file), None, str(result.reason)))
        return 1, findings
    if result.returncode != 0 and not findings:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        findings.append(Finding("(build)", None, f"the build failed:\n{tail}"))
    return result.returncode, findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magazine.gate.check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--srcdir", type=Path, default=Path())
    parser.add_argument("--strict", action="store_true",
                        help="fail on entries that no article cites")
    parser.add_argument("--quick", action="store_true",
                        help="bibliography and front matter only, without a build")
    parser.add_argument("--base", default=None, help=(
        "the commit to compare with (a pull request's base): no published notice may be "
        "removed (default: MAGAZINE_BASE)"))
    stages.add_arguments(parser)
    parser.add_argument("--no-supervise", action="store_true",
                        help="run in this process, without time or memory limits")
    # the quick check's part as the supervised child runs it: its findings, as JSON
    parser.add_argument("--findings-json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    srcdir = args.srcdir.resolve()
    base = (os.environ.get("MAGAZINE_BASE", "") if args.base is None else args.base).strip()
    if args.findings_json:
        progress.watch_opens(srcdir)  # the supervisor names the file being read
        found = quick_findings(Project.read(srcdir), with_build_checks=args.quick, base=base)
        print(json.dumps([asdict(f) for f in found]))
        return 0

    if args.no_supervise:
        quick_limits = build_limits = None
    else:
        try:
            quick_limits, build_limits = (
                stages.limits(default, time=args.time_limit, memory=args.memory_limit)
                for default in (stages.QUICK, stages.BUILD)
            )
        except stages.LimitError as err:
            print(err, file=sys.stderr)
            return 2
    finished = True
    if quick_limits is None:
        findings = quick_findings(Project.read(srcdir), with_build_checks=args.quick,
                                  base=base)
    else:
        finished, findings = supervised_quick_findings(srcdir, with_build_checks=args.quick,
                                                       limits=quick_limits, base=base)
    status = 0 if finished else 1
    if not args.quick and finished:
        status, built = build_findings(srcdir, build_limits or NO_LIMITS)
        findings = built + findings
    if args.strict:
        findings = [Finding(f.path, f.line, f.message, "error" if f.severity == "warning"
                            else f.severity) for f in findings]
    errors = [f for f in findings if f.severity == "error"]
    for finding in findings:
        print(finding)
    if errors or status:
        count = len(errors) or 1
        print(f"\n{count} problem{'s' if count != 1 else ''} to fix before this can be merged; "
              "CONTRIBUTING.md explains each check.", file=sys.stderr)
        return 1
    warnings = [f for f in findings if f.severity == "warning"]
    print("All checks passed" + (f" ({len(warnings)} warnings)." if warnings else "."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
