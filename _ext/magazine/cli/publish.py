"""``make publish``: build both editions aside, and replace the published ones only if both
built cleanly.

    python -m magazine.cli.publish [--srcdir .] [--builddir _build]
                               [--time-limit SECONDS] [--memory-limit MB]

The web edition goes to ``<builddir>/html`` (with the PDFs copied into its ``pdf/`` folder
and the JATS files into its ``jats/``, so that the site links to them), the PDF edition to
``<builddir>/pdf`` and the JATS files to ``<builddir>/jats``. All are built
in ``<builddir>/.staging`` with warnings as errors, on a copy of the Sphinx environment
cache. Only when every build succeeds are the editions and the cache moved into place; a
failed build leaves the published editions and the cache exactly as they were, so the
next build starts from the last good state and reports the same problems again.

Each build is a stage (:mod:`magazine.cli.stages`) with the limits of
:data:`magazine.cli.stages.BUILD` (``MAGAZINE_TIME_LIMIT``, ``MAGAZINE_MEMORY_LIMIT`` or the
flags say otherwise; 0 is none): one that runs past them is stopped with a message naming
the edition and the file it was on, and nothing is published, as for a failed build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from ..web.links import JATS_DIR, PDF_DIR
from . import stages

# (builder, folder, the stage's name in messages)
EDITIONS = (("html", "html", "the web edition build"), ("typst", "pdf", "the PDF edition build"),
            ("jats", "jats", "the JATS build"))
SPHINX_OPTIONS = ("-W", "-n", "--keep-going")


def sphinx_build(srcdir: Path, builder: str, outdir: Path, doctrees: Path,
                 extra: list[str], stage: str, limits: stages.Limits) -> stages.StageResult:
    command = [
        sys.executable, "-m", "sphinx", "-b", builder, *SPHINX_OPTIONS,
        "-d", str(doctrees), *extra, str(srcdir), str(outdir),
    ]
    print(f"building the {outdir.name} edition ...", flush=True)
    return stages.run_stage(stage, command, time_limit=limits.time,
                            memory_limit=limits.memory, cwd=srcdir)


def replace(target: Path, new: Path) -> None:
    """Put ``new`` where ``target`` is, keeping the old one until the new one is in place."""
    old = target.with_name(f".old-{target.name}")
    if old.exists():
        shutil.rmtree(old)
    if target.exists():
        target.rename(old)
    new.rename(target)
    if old.exists():
        shutil.rmtree(old)


def publish(srcdir: Path, builddir: Path, extra: list[str],
            limits: stages.Limits = stages.BUILD) -> int:
    staging = builddir / ".staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    doctrees = staging / "doctrees"
    if (builddir / "doctrees").is_dir():
        shutil.copytree(builddir / "doctrees", doctrees)
    # the PDF edition is only built once the web edition has built: its problems are the same
    for builder, name, stage in EDITIONS:
        result = sphinx_build(srcdir, builder, staging / name, doctrees, extra, stage, limits)
        if result.ok:
            continue
        shutil.rmtree(staging)
        stages.print_stop(result)
        what = "was stopped" if result.stopped else "did not build; fix the problems above"
        print(
            f"\nThe {name} edition {what}. "
            f"Nothing was published: {builddir}/html and {builddir}/pdf are as they were.",
            file=sys.stderr,
        )
        return 1
    web_pdfs = staging / "html" / PDF_DIR
    web_pdfs.mkdir(parents=True, exist_ok=True)
    for pdf in sorted((staging / "pdf").glob("*.pdf")):
        shutil.copy2(pdf, web_pdfs / pdf.name)
    jats = staging / "jats"
    if any(jats.glob("*.xml")):  # (none without an ISSN: magazine.jats)
        shutil.copytree(jats, staging / "html" / JATS_DIR, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(".*"))
    for name in ("html", "pdf", "jats", "doctrees"):
        replace(builddir / name, staging / name)
    shutil.rmtree(staging)
    print(f"\nPublished: {builddir}/html (web edition) and {builddir}/pdf (PDF edition).")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magazine.cli.publish", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--srcdir", type=Path, default=Path())
    parser.add_argument("--builddir", type=Path, default=Path("_build"))
    stages.add_arguments(parser)
    parser.add_argument("sphinx_options", nargs="*", help="passed on to sphinx-build")
    args = parser.parse_args(argv)
    try:
        limits = stages.limits(stages.BUILD, time=args.time_limit, memory=args.memory_limit)
    except stages.LimitError as err:
        print(err, file=sys.stderr)
        return 2
    os.environ.setdefault("PYTHONHASHSEED", "0")
    builddir = args.builddir.resolve()
    try:
        with stages.terminate_as_interrupt():
            return publish(args.srcdir.resolve(), builddir, args.sphinx_options, limits)
    except KeyboardInterrupt:  # between two stages (a stage's own ends as a stop)
        shutil.rmtree(builddir / ".staging", ignore_errors=True)
        print("\nInterrupted; run the command again.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
