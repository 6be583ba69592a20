"""pybtex's error capture does not nest: `pybtex.errors.capture()` sets one global list and
clears it on exit. The build captures pybtex's errors from start to end; a bib check that
parses during the build captures them too, and must leave the build's capture open."""

from __future__ import annotations

import pybtex.errors
from pybtex.database import BibliographyDataError

from magazine.citations.bibcheck import check_bib_text


def test_a_check_inside_the_builds_capture_leaves_it_capturing() -> None:
    with pybtex.errors.capture() as outer:  # as the build opens it
        report = check_bib_text("@book{a, title={T}}\n@book{a, title={U}}\n")  # parses
        assert any("used twice" in p.message for p in report.problems)
        # an error pybtex reports later in the build is captured, not raised
        pybtex.errors.report_error(BibliographyDataError("repeated bibliography entry: a"))
    assert [str(e) for e in outer] == ["repeated bibliography entry: a"]
    assert pybtex.errors.captured_errors is None  # and closed once the build's capture ends


def test_the_inner_capture_keeps_its_own_errors() -> None:
    from magazine.doors.pybtex026 import capture_errors

    with capture_errors() as outer:
        with capture_errors() as inner:
            pybtex.errors.report_error(BibliographyDataError("inner"))
        pybtex.errors.report_error(BibliographyDataError("outer"))
    assert [str(e) for e in inner] == ["inner"]
    assert [str(e) for e in outer] == ["outer"]
