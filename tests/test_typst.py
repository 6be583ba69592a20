"""The Typst writer's parts without a whole build: escaping, dates, names, unknown nodes."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
import typst
from pypdf import PdfReader
from sphinx.errors import ConfigError
from sphinx.testing.util import SphinxTestApp

from magazine.pdf.compile import stamp
from magazine.serial.issues import Issue
from magazine.pdf.names import issue_stem
from magazine.pdf.syntax import Code, array, blocks, call, inline, string, value

TRICKY = [
    "#panic(\"x\")",
    "$x^2$",
    "*bold* _under_ `code`",
    "@label <label> [content] {code}",
    "back\\slash \\\" \\u{41} \\n",
    "// comment /* block */",
    '"quoted" and \'single\'',
    "= heading\n- list\n+ enum\n/ term: x",
    "line\nbreak\r\ttab\x00nul\x1bescape\u2028separator",
    "Zoë Ångström-Łukasiewicz αβγ ± µ ≥ “quotes” — … 🙂",
    "",
]


def evaluate(literals: list[str], tmp_path: Path) -> list[str]:
    """What Typst makes of each literal: compiled, then read back through a query."""
    source = "".join(f"#metadata({lit}) <case>\n" for lit in literals)
    main = tmp_path / "main.typ"
    main.write_text(source, encoding="utf-8")
    result = typst.query(str(main), "<case>", field="value", root=str(tmp_path),
                         ignore_system_fonts=True)
    return json.loads(result)


def test_string_literals_hold_exactly_the_text(tmp_path: Path) -> None:
    assert evaluate([string(text) for text in TRICKY], tmp_path) == TRICKY


def test_every_character_survives(tmp_path: Path) -> None:
    every = "".join(chr(c) for c in range(1, 0x3000) if not 0xD800 <= c <= 0xDFFF)
    assert evaluate([string(every)], tmp_path) == [every]


def test_text_is_quoted_and_code_is_not() -> None:
    assert value("#x") == '"#x"'
    assert value(Code("auto")) == "auto"
    assert value(None) == "none"
    assert value(True) == "true"
    assert value(("a",)) == '("a",)'
    assert array([]) == "()"
    assert value({"title": "#t"}) == '("title": "#t")'
    assert call("mag.entry", "x", hanging_indent=Code("1em")) == 'mag.entry("x", hanging-indent: 1em)'
    assert inline([]) == "[]"
    assert blocks([Code("a"), Code("b\nc")]) == "{\n  a\n  b\n  c\n}"
    with pytest.raises(ValueError, match="function name"):
        call("panic(); x", "y")
    with pytest.raises(TypeError):
        value(object())


def test_the_date_comes_from_source_date_epoch_then_the_front_matter() -> None:
    assert stamp(None, {}).timestamp == 0
    assert stamp(None, {}).date is None
    dated = stamp("2021-04-12", {})
    assert dated.timestamp == 1618185600
    assert str(dated.date) == "2021-04-12"
    epoch = stamp("2021-04-12", {"SOURCE_DATE_EPOCH": "1700000000"})
    assert epoch.timestamp == 1700000000
    assert str(epoch.date) == "2021-04-12"
    assert str(stamp(None, {"SOURCE_DATE_EPOCH": "1700000000"}).date) == "2023-11-14"
    with pytest.raises(ConfigError, match="SOURCE_DATE_EPOCH"):
        stamp(None, {"SOURCE_DATE_EPOCH": "yesterday"})


def test_an_issue_pdf_is_named_after_the_magazine_and_the_issue() -> None:
    issue = Issue(docname="issues/1-2", volume=1, number=2, status="published")
    assert issue_stem(SimpleNamespace(project="The Open Bench"), issue) == "the-open-bench-1-2"
    assert issue_stem(SimpleNamespace(project="¿¡"), issue) == "magazine-1-2"


@pytest.mark.sphinx("typst", testroot="typst-unknown", srcdir="typst-unknown",
                    confoverrides={"nitpicky": True})
def test_an_unknown_node_gives_a_located_warning_and_its_text(app: SphinxTestApp) -> None:
    app.build()
    warnings = [line for line in app.warning.getvalue().splitlines() if "WARNING" in line]
    assert len(warnings) == 1, app.warning.getvalue()
    assert "articles/mystery.md:9" in warnings[0]
    assert "no layout for 'mystery' nodes" in warnings[0]
    assert "[magazine.pdf]" in warnings[0]
    text = "".join(p.extract_text() for p in PdfReader(app.outdir / "mystery.pdf").pages)
    assert "Text inside the #mystery node." in text
    assert "After the node." in text
