"""The record the reading step makes of each entry, and the entry while it is being read."""

from __future__ import annotations

from dataclasses import dataclass

from pybtex.database import Entry, Person


@dataclass(frozen=True)
class ReadingProblem:
    """What the reading step could not put right, at a field (for its line)."""

    field: str | None
    message: str
    severity: str = "warning"


@dataclass(frozen=True)
class Reading:
    """One entry, read: the fields everything that prints it uses, and its problems."""

    key: str
    entry: Entry
    problems: tuple[ReadingProblem, ...]


class Work:
    """The entry being read: a mutable copy of its fields and persons."""

    def __init__(self, entry: Entry) -> None:
        self.key = entry.key
        self.type = entry.type.lower()
        # plain dicts by lower-case name: fields are read many times per entry, and
        # pybtex's case-insensitive dictionaries are slow to read
        self.fields: dict[str, str] = {name.lower(): value for name, value in entry.fields.items()}
        self.persons: dict[str, list[Person]] = {
            role.lower(): list(people) for role, people in entry.persons.items()}
        self.problems: list[ReadingProblem] = []

    def get(self, name: str) -> str:
        value = self.fields.get(name)
        return value.strip() if value else ""

    def set(self, name: str, value: str) -> None:
        self.fields[name] = value

    def drop(self, name: str) -> None:
        if name in self.fields:
            del self.fields[name]

    def fill(self, name: str, value: str) -> None:
        """Give ``name`` a value if it has none."""
        if value and not self.get(name):
            self.set(name, value)

    def report(self, field: str | None, message: str, severity: str = "warning") -> None:
        self.problems.append(ReadingProblem(field, message, severity))

    def entry(self) -> Entry:
        return Entry(self.type, fields=list(self.fields.items()),
                     persons={role: people for role, people in self.persons.items() if people})
