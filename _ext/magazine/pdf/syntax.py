"""Typst source built from values: the one place where text becomes Typst.

The builder never writes an article's words, a bib field, a URL or a path into Typst
*markup*. Every such value becomes a Typst string literal (:func:`string`), in which only
``\\`` and ``"`` are special, and both are escaped; the code around it (function calls,
arrays, labels) comes from this package alone. So no character a contributor types, such as
``# $ * _ @ < ` \\ [ ]``, can turn into Typst markup or code: injection is impossible by
construction, not by listing dangerous characters.

Trusted Typst code is a :class:`Code` (a ``str`` subclass); any other ``str`` that reaches
:func:`value` is treated as text and quoted.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_WHITESPACE_RE = re.compile(r"[ \t\r\n\f\v]+")
_NAME_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")


class Code(str):
    """A piece of Typst code made by this package (never by an article)."""

    __slots__ = ()


def string(text: str) -> Code:
    """A Typst string literal holding exactly ``text``."""
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif unicodedata.category(char) in {"Cc", "Cs", "Zl", "Zp"}:
            out.append(f"\\u{{{ord(char):x}}}")
        else:
            out.append(char)
    return Code('"' + "".join(out) + '"')


def collapse(text: str) -> str:
    """Text as a browser shows it: each run of ASCII whitespace becomes one space."""
    return _WHITESPACE_RE.sub(" ", text)


def value(item: Any) -> Code:
    """Any Python value as Typst: ``Code`` as is, text quoted, containers element-wise."""
    if isinstance(item, Code):
        return item
    if isinstance(item, str):
        return string(item)
    if item is None:
        return Code("none")
    if isinstance(item, bool):
        return Code("true" if item else "false")
    if isinstance(item, int):
        return Code(str(item))
    if isinstance(item, float):
        return Code(repr(item))
    if isinstance(item, dt.date):
        return call("datetime", year=item.year, month=item.month, day=item.day)
    if isinstance(item, (list, tuple)):
        return array(item)
    if isinstance(item, dict):
        pairs = ", ".join(f"{string(str(k))}: {value(v)}" for k, v in item.items())
        return Code(f"({pairs})" if pairs else "(:)")
    msg = f"no Typst form for {type(item).__name__}"
    raise TypeError(msg)


def array(items: Any) -> Code:
    """A Typst array; the trailing comma keeps a one-item array an array."""
    parts = [value(i) for i in items]
    return Code("(" + "".join(p + ", " for p in parts).rstrip(" ") + ")")


def call(function: str, *args: Any, **kwargs: Any) -> Code:
    """``function(arg, ..., name: value)``; keyword names use ``-`` for ``_``."""
    if not _NAME_RE.match(function):
        msg = f"not a Typst function name: {function!r}"
        raise ValueError(msg)
    parts = [value(a) for a in args]
    parts += [f"{k.replace('_', '-')}: {value(v)}" for k, v in kwargs.items()]
    return Code(f"{function}({', '.join(parts)})")


def label(name: str) -> Code:
    """A label from any string, e.g. ``articles/x:ref-key`` (no label syntax needed)."""
    return call("label", name)


def inline(parts: list[Code]) -> Code:
    """Inline content: the parts joined with nothing between them, as a code block."""
    if not parts:
        return Code("[]")
    return Code("{" + "; ".join(parts) + "}")


def blocks(parts: list[Code]) -> Code:
    """Block content: one part a line, as an indented code block.

    Every newline inside a ``Code`` is structure (string literals escape theirs), so
    re-indenting the lines cannot change any text."""
    if not parts:
        return Code("[]")
    lines = "".join("  " + p.replace("\n", "\n  ") + "\n" for p in parts)
    return Code("{\n" + lines + "}")
