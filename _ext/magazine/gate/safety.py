"""Article sources are untrusted: nothing a contributor writes may run in a reader's browser
or read files on the build machine.

Refused, each with a warning naming the file and line (so ``-W`` fails the build) and
neutralised as well (so the output holds no live markup even where a warning is
suppressed):

- raw HTML, blocks and inline, and the ``raw`` directive: shown as literal text;
- the ``eval-rst`` directive: shown as a literal block, never parsed;
- ``include``, ``literalinclude`` and ``csv-table`` of a file outside the project boundary
  (:mod:`magazine.gate.boundary`, which also confines every other read), or of a web address:
  left out;
- ``javascript:``, ``data:``, ``vbscript:`` (and other non-web) link targets, in the text
  and in bibliography fields: the link is dropped and its text kept; images from such
  addresses are dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.directives.code import LiteralInclude
from sphinx.directives.other import Include
from sphinx.directives.patches import CSVTable
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .. import schedule
from ..articles import page
from ..warnings import Subtype, warn
from .boundary import Boundary

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.util.typing import ExtensionMetadata

UNSAFE_SCHEMES = frozenset({"javascript", "data", "vbscript", "file"})
EVAL_RST_RE = re.compile(r"^([ \t]*(?:`{3,}|~{3,}|:{3,})[ \t]*)\{eval-rst\}", re.MULTILINE)
# Markdown link targets, autolinks and link definitions with a script or data scheme. The
# Markdown parser already refuses to make links of most of them; this names the line.
UNSAFE_TARGET_RE = re.compile(
    r"(?:\]\(\s*<?|<|^[ \t]*\[[^\]\n]+\]:[ \t]*<?|\{(?:image|figure)\}[ \t]+)"
    r"[\s\x00-\x1f]*"
    r"(javascript|data|vbscript|file)[\s\x00-\x1f]*:",
    re.IGNORECASE | re.MULTILINE,
)


def link_scheme(uri: str) -> str:
    """The scheme of a link as a browser reads it (control characters and spaces dropped)."""
    cleaned = "".join(ch for ch in uri if ch.isprintable() and not ch.isspace())
    return urlsplit(cleaned).scheme.lower() if ":" in cleaned else ""


def unsafe_link(uri: str) -> bool:
    return link_scheme(uri) in UNSAFE_SCHEMES


EVAL_RST_MESSAGE = (
    "the eval-rst directive is not allowed in articles; write the passage in Markdown "
    "(see CONTRIBUTING.md for tables, figures and notes)"
)


def unsafe_source_lines(text: str) -> list[tuple[int, str]]:
    """Problems that can be seen in the Markdown source, each with its line."""
    found = [
        (text.count("\n", 0, match.start()) + 1, EVAL_RST_MESSAGE)
        for match in EVAL_RST_RE.finditer(text)
    ]
    for match in UNSAFE_TARGET_RE.finditer(text):
        scheme = match.group(1).lower()
        what = (
            f"an image from a '{scheme}:' address is not allowed; put the picture in "
            "_static/images/ and show it with ![description](/_static/images/NAME)"
            if _is_image(text, match.start()) or match.group(0).startswith("{")
            else f"a link to a '{scheme}:' address is not allowed; link only to web "
            "addresses (https://...) or to pages of the magazine"
        )
        found.append((text.count("\n", 0, match.start()) + 1, what))
    return sorted(found)


def check_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """``source-read``: report what the source shows; turn ``eval-rst`` blocks into plain
    literal blocks so they are never parsed."""
    for line, message in unsafe_source_lines(source[0]):
        warn(message, Subtype.unsafe, location=(docname, line))
    source[0] = EVAL_RST_RE.sub(lambda match: match.group(1) + "text", source[0])


def _is_image(text: str, start: int) -> bool:
    """Whether the ``](`` at ``start`` closes an image's ``![description]``."""
    if not text.startswith("](", start):
        return False
    opening = text.rfind("[", text.rfind("\n", 0, start) + 1, start)
    return opening > 0 and text[opening - 1] == "!"


class RefusedRawDirective(SphinxDirective):
    """``raw``: refused; its content is shown as literal text."""

    has_content = True
    required_arguments = 1
    optional_arguments = 0
    final_argument_whitespace = True
    option_spec: ClassVar[dict] = {"file": directives.unchanged, "url": directives.unchanged,
                                   "encoding": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        warn(
            "the raw directive is not allowed in articles; write the passage in Markdown",
            Subtype.unsafe,
            location=self.get_location(),
        )
        text = "\n".join(self.content)
        return [nodes.literal_block(text, text)] if text else []


class _ProjectFilesOnly:
    """Mixin for directives that read a file: only files inside the project boundary
    (:mod:`magazine.gate.boundary`), and no addresses on the network."""

    path_option: str | None = None  # the option naming the file; None: the argument

    def _where(self) -> str:
        """The directive's file and line (docutils' directives have no ``get_location``)."""
        source, line = self.state_machine.get_source_and_line(self.lineno)
        return f"{source}:{line}"

    def run(self) -> list[nodes.Node]:
        if "url" in getattr(self, "options", {}):
            warn(
                f"'{self.name}' may not read a web address; put the data in the article "
                "or in a file of the project",
                Subtype.unsafe,
                location=self._where(),
            )
            return []
        if self.path_option is None:
            argument = self.arguments[0].strip()
        elif self.path_option in self.options:
            argument = self.options[self.path_option].strip()
        else:
            return super().run()  # type: ignore[misc]
        if argument.startswith("<") and argument.endswith(">"):
            reason: str | None = "is a docutils standard file, outside the project"
        else:
            env = self.state.document.settings.env  # docutils' directives have no .env
            _, filename = env.relfn2path(argument)
            reason = Boundary.of(env.srcdir).problem(filename)
        if reason is not None:
            warn(
                f"'{self.name}' may only read files of this project, and '{argument}' "
                f"{reason}; copy what you need into the article",
                Subtype.unsafe,
                location=self._where(),
            )
            return []
        return super().run()  # type: ignore[misc]


class SafeInclude(_ProjectFilesOnly, Include):
    pass


class SafeLiteralInclude(_ProjectFilesOnly, LiteralInclude):
    pass


class SafeCSVTable(_ProjectFilesOnly, CSVTable):
    path_option = "file"


class SafeContentTransform(SphinxPostTransform):
    """Last look at every page before it is written: no raw markup, no unsafe links."""

    default_priority = schedule.SAFETY

    def run(self, **kwargs: object) -> None:
        reported: set[tuple[str | None, int | None]] = set()
        for raw in list(self.document.findall(nodes.raw)):
            if isinstance(raw, page.web_part):
                continue  # the magazine's own, escaped, wherever it is added (articles.page)
            text = raw.astext()
            inline = isinstance(raw.parent, nodes.TextElement)
            raw.replace_self(nodes.literal(text, text) if inline else nodes.literal_block(text, text))
            if (raw.source, raw.line) in reported:  # one message for a tag pair on a line
                continue
            reported.add((raw.source, raw.line))
            warn(
                "raw HTML is not allowed in articles; write it in Markdown (a link is "
                "[text](https://...), a picture is ![description](path))",
                Subtype.unsafe,
                location=raw,
            )
        for reference in list(self.document.findall(nodes.reference)):
            uri = reference.get("refuri", "")
            if uri and unsafe_link(uri):
                warn(
                    f"the link target '{uri[:60]}' is not allowed; link only to web "
                    "addresses (https://...) or to pages of the magazine",
                    Subtype.unsafe,
                    location=reference if reference.line else (self.env.docname, None),
                )
                reference.replace_self(nodes.inline("", "", *reference.children))
        for image in list(self.document.findall(nodes.image)):
            if unsafe_link(image.get("uri", "")):
                # the source check has named the line; what remains is to drop the image
                image.parent.remove(image)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.connect("source-read", check_source)
    app.add_directive("raw", RefusedRawDirective, override=True)
    app.add_directive("include", SafeInclude, override=True)
    app.add_directive("literalinclude", SafeLiteralInclude, override=True)
    app.add_directive("csv-table", SafeCSVTable, override=True)
    app.add_post_transform(SafeContentTransform)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
