"""How long `make references` takes to format a bib file once Python has started.

    .venv/bin/python benchmarks/references.py [BIB ...]

By default it formats the APA oracle corpus (tests/data/apa-oracle/corpus.bib) and this
project's references.bib, each REPEAT times in one process, and prints the median time
per file for what `make references` does after start-up: check, sort, label, format and
render. Run by `make bench`.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "_ext"))

from magazine.bibstyle.cli import reference_list  # noqa: E402
from magazine.bibstyle.settings import APA  # noqa: E402

DEFAULTS = [ROOT / "tests" / "data" / "apa-oracle" / "corpus.bib", ROOT / "references.bib"]


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
        source = bib.read_text(encoding="utf-8")
        times, count = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            entries, _ = reference_list(source, APA)
            times.append(time.perf_counter() - start)
            count = len(entries)
        print(f"make references {bib.name}: {count} entries, median "
              f"{statistics.median(times) * 1000:.0f} ms over {args.repeat} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
