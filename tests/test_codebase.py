"""The shape of the extension, kept: the order of a build is written in one place."""

from __future__ import annotations

import re

from conftest import ROOT

EXT = ROOT / "_ext" / "magazine"


def test_every_priority_is_a_name_from_the_schedule() -> None:
    """`priority=` and `default_priority` name a value of magazine.schedule, never a number,
    so that the order of a build can be read in schedule.py alone."""
    numbered = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(EXT.rglob("*.py")) if path.name != "schedule.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.search(r"(?:priority=|default_priority\s*=\s*)\d", line)
    ]
    assert numbered == []


def test_no_module_imports_a_siblings_private_name() -> None:
    private = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted(EXT.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if re.match(r"\s*from \.+[\w.]* import .*\b_[a-z]", line)
    ]
    assert private == []
