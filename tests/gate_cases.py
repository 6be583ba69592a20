"""How the gate's test cases are written: a bad input as edits to a copy of the project,
and where and how the gate must report it (shared by test_gate.py and test_gate_unsafe.py)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    """One bad input: how to make it, and where and how the gate must report it."""

    id: str
    edits: tuple[tuple[str, str, str], ...]  # (file, old text or "" to append, new text)
    where: str  # "path:line" the message must name
    hint: str  # words of the fix the message must give
    args: tuple[str, ...] = field(default=())


def appended_at(text: str) -> int:
    """The line where text appended by ``append`` (after a blank line) begins."""
    return text.rstrip("\n").count("\n") + 3


def replace(path: str, old: str, new: str) -> tuple[str, str, str]:
    return (path, old, new)


def append(path: str, text: str) -> tuple[str, str, str]:
    return (path, "", text)
