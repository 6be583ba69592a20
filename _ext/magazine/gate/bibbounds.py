"""How large a bib file becomes once its ``@string`` macros are expanded, measured without
expanding them.

BibTeX's ``@string{b = a # a # a}`` joins macros into new ones, so a few hundred bytes of
definitions can stand for gigabytes of text: pybtex (and so sphinxcontrib-bibtex and the
bib check) would build every string in memory. Before the build, :func:`expansion_problem`
walks the file with pybtex's own tokenizer, adding up lengths instead of joining strings, and
refuses the file when its values would grow past a bound proportional to its size. A file
without ``@string`` needs no walk: month names are its only macros, and they are short.
"""

from __future__ import annotations

import re

from ..doors.pybtex026 import LowLevelParser, PybtexSyntaxError, month_names

STRING_COMMAND = re.compile(r"@\s*string\s*[({]", re.I)
#: expanded text allowed, in multiples of the file's size, plus a floor for small files
GROWTH = 8
FLOOR = 2 * 1024 * 1024


class _TooLarge(Exception):
    def __init__(self, line: int, name: str) -> None:
        super().__init__(line, name)
        self.line, self.name = line, name


class _Measure(LowLevelParser):
    """pybtex's low-level parser with values measured, not built."""

    def __init__(self, text: str, budget: int) -> None:
        super().__init__(text, macros={}, handle_error=lambda error: None)
        self.lengths = {name.lower(): len(value) for name, value in month_names.items()}
        self.budget = budget
        self.total = 0

    def parse_value(self) -> None:
        length = 0
        first = True
        while first or self.optional([self.HASH]):
            length += self.measure_part()
            first = False
        self.total += length
        if self.total > self.budget:
            raise _TooLarge(self.lineno, self.current_field_name or "@preamble")
        self.current_value = [length]

    def measure_part(self) -> int:
        token = self.required([self.QUOTE, self.LBRACE, self.NUMBER, self.NAME],
                              description="field value")
        if token.pattern is self.QUOTE:
            return sum(len(part.value) for part in self.parse_string(string_end=self.QUOTE))
        if token.pattern is self.LBRACE:
            return sum(len(part.value) for part in self.parse_string(string_end=self.RBRACE))
        if token.pattern is self.NUMBER:
            return len(token.value)
        return self.lengths.get(token.value.lower(), 0)

    def parse_string_body(self, body_end: object) -> None:
        self.current_field_name = self.required([self.NAME]).value
        self.required([self.EQUALS])
        self.parse_value()
        self.lengths[self.current_field_name.lower()] = self.current_value[0]


def expansion_problem(text: str) -> tuple[int, str] | None:
    """``(line, message)`` when the file's macros expand past the bound, else None."""
    if not STRING_COMMAND.search(text):
        return None
    budget = GROWTH * len(text) + FLOOR
    try:
        for _ in _Measure(text, budget):
            pass
    except _TooLarge as error:
        return error.line, (
            f"the @string macros of this file expand to more than {budget / 2**20:.0f} MB of "
            f"text (at '{error.name}'), which would stall the build; write the text out "
            "instead of joining macros with #")
    except PybtexSyntaxError:
        return None  # the bib check reports syntax errors at their line
    return None
