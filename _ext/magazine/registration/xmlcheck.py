"""What every XML file the magazine writes shares: text as XML may hold it, and the check
against a schema vendored in ``schemas/`` (read once per process, never from the network).

The Crossref deposits (:mod:`magazine.registration.crossref`) and the JATS files (:mod:`magazine.jats`)
are built with lxml's element tree, which escapes every text; what it cannot do is hold a
character XML 1.0 forbids (a control character pasted into an article), which :func:`clean`
leaves out.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from lxml import etree

SCHEMAS = Path(__file__).parent / "schemas"
#: what XML 1.0 cannot hold: control characters but tab, newline and carriage return
_NOT_XML_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(text: str) -> str:
    """Text without the characters XML cannot hold."""
    return _NOT_XML_RE.sub("", text)


def element(parent: etree._Element, tag: str, text: str | None = None, **attributes: str
            ) -> etree._Element:
    """A child element, with ``text`` (cleaned, its spaces single) set through lxml."""
    made = etree.SubElement(parent, tag, attributes)
    if text is not None:
        made.text = " ".join(clean(text).split())
    return made


def parser() -> etree.XMLParser:
    """A parser that reads nothing but the file: no network, no entities, no DTD."""
    return etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)


@cache
def schema(entry_point: Path) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(entry_point), parser()))


def problems(entry_point: Path, tree: etree._ElementTree) -> list[str]:
    """What the schema says is wrong with a document: line and reason; [] if it is valid."""
    checker = schema(entry_point)
    if checker.validate(tree):
        return []
    return [f"line {e.line}: {e.message}" for e in checker.error_log]
