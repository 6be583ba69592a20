"""How long `make references` takes to format a bib file once Python has started.

    .venv/bin/python benchmarks/references.py [BIB ...]

By default it formats the APA oracle corpus (tests/data/apa-oracle/corpus.bib), the
real-world corpus (tests/data/apa-realworld/corpus.bib) when present, this project's
references.bib and a large list (the oracle corpus twenty times over, keys renamed), each
REPEAT times in one process, and prints the median time per file for what `make references`
does after start-up: check, read, sort, label, format and render. The same run times the
large list with the reading step (magazine.reading) left out, and prints the ratio: what
reading the entries costs, measured against a baseline of the same run. Run by `make bench`.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

import magazine.citations.bibcheck  # noqa: E402
from magazine.bibstyle.cli import reference_list  # noqa: E402
from magazine.bibstyle.settings import APA  # noqa: E402

ORACLE = ROOT / "tests" / "data" / "apa-oracle" / "corpus.bib"
DEFAULTS = [ORACLE, ROOT / "tests" / "data" / "apa-realworld" / "corpus.bib",
            ROOT / "references.bib"]
COPIES = 20


def large_list() -> str:
    """The oracle corpus COPIES times, each copy's keys made unique."""
    text = ORACLE.read_text(encoding="utf-8")
    return "\n".join(re.sub(r"(@\w+\s*\{\s*)([^,\s]+)", rf"\1\2x{n}", text)
                     for n in range(COPIES))


def median_ms(source: str, repeat: int, previews: bool = False) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        entries, _ = reference_list(source, APA, previews=previews)
        times.append(time.perf_counter() - start)
        count = len(entries)
    return statistics.median(times) * 1000, count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("bibs", nargs="*", type=Path, default=DEFAULTS)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    for bib in args.bibs:
        if not bib.is_file():
            print(f"{bib}: not found, skipped")
            continue
        ms, count = median_ms(bib.read_text(encoding="utf-8"), args.repeat)
        print(f"make references {bib.name}: {count} entries, median {ms:.0f} ms over "
              f"{args.repeat} runs")
    large = large_list()
    read_ms, count = median_ms(large, args.repeat)
    reading = magazine.citations.bibcheck.read_bibliography
    magazine.citations.bibcheck.read_bibliography = lambda data, previews=False: (data, {})  # no reading
    try:
        bare_ms, _ = median_ms(large, args.repeat)
    finally:
        magazine.citations.bibcheck.read_bibliography = reading
    preview_ms, _ = median_ms(large, args.repeat, previews=True)
    print(f"make references, large list: {count} entries, median {read_ms:.0f} ms with the "
          f"reading step, {bare_ms:.0f} ms without: {read_ms / bare_ms:.2f}x (and "
          f"{preview_ms:.0f} ms with the title-case notes only make references prints: "
          f"{preview_ms / bare_ms:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
