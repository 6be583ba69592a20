"""The APA style on real-world BibTeX (tests/data/apa-realworld/: 192 entries copied from
other projects' .bib files, graded against the two oracles where they agree and against our
own judged APA forms in judged.tsv elsewhere). The score is printed; the test fails if it
falls below the last one recorded here, so that no change makes real entries worse. Issue
12 asks for 98%; the entries still wrong are listed by `python tests/apa_realworld.py
--verbose`."""

from __future__ import annotations

from apa_realworld import ROOT, score

#: the score at the last change of the style; raise it as entries are put right
RECORDED = 143


def test_real_world_entries_score_at_least_the_recorded_score() -> None:
    exact, graded, rows = score()
    crashed = [row.key for row in rows if row.source == "ungraded"]
    print(f"\nAPA real-world corpus: {exact}/{graded} exact ({exact / graded:.0%}); "
          f"{len(rows) - graded} unjudgeable or ungraded")
    assert graded >= 170 and crashed == [], crashed
    assert exact >= RECORDED, f"{exact}/{graded}, below the recorded {RECORDED}"


HOLDOUT = ROOT / "tests" / "data" / "apa-realworld-holdout"


def test_held_out_entries_are_scored() -> None:
    """tests/data/apa-realworld-holdout/: entries from other projects that no rule of the
    style was written from; it measures how the style generalises, and is printed, not
    held to a score (holding it would make it one more corpus to tune on)."""
    exact, graded, rows = score(HOLDOUT)
    crashed = [row.key for row in rows if row.source == "ungraded"]
    print(f"\nAPA real-world held-out corpus: {exact}/{graded} exact ({exact / graded:.0%})")
    assert graded >= 60 and crashed == [], crashed
