"""Images are content: each one is checked before a page or the PDF uses it.

A picture in a pull request is a file a stranger wrote, and the web edition serves it from
the magazine's own address: an SVG that carries script runs it for anyone who opens the
image, and a small PNG can claim a size that takes gigabytes to decode. So every image is
read as data, not trusted as a file:

* **SVG** is parsed by defusedxml's expat parser, which refuses entity declarations and
  external entities; a ``DOCTYPE`` with an internal subset is refused too. The picture is
  refused, with the line, when it holds script (``<script>``, event-handler attributes such
  as ``onload``, ``javascript:`` addresses, animations that rewrite a link or a handler),
  ``foreignObject`` or HTML, or refers to anything outside itself (a ``href`` that is not
  ``#fragment`` or an embedded raster ``data:`` address, ``url()`` in styles, ``@import``,
  stylesheet processing instructions); CSS escapes are undone before styles are read. An
  SVG whose ``<use>`` elements repeat each other into millions of shapes (the picture's
  "billion laughs") is refused as well: it would stall the PDF engine and the browser.
* **Raster images** (PNG, JPEG, GIF, WebP) are opened with Pillow, which reads only the
  header to learn the size; an image over ``magazine_max_image_pixels`` is refused before
  anything is decoded, and the file is verified. Every image has a size limit in bytes,
  ``magazine_max_image_bytes``.
* Only pictures belong among the contributors' images (``_static/images/``): a file of any
  other kind there (HTML, script, a Sphinx template) is refused, since Sphinx would copy it to
  the site (or render it as a template) as it is.

Where: every image under the static folders is checked before the build
(:func:`magazine.gate.boundary.scan_project` calls :func:`static_refusals`), so the lead images,
the favicon and the PDF's cover are covered, not only what an article names; refused files
are kept out of the copy. Every image and ``{download}`` a page names is checked when the
page is read (:func:`magazine.gate.boundary.confine_page_files` calls :func:`page_file_problem`).
"""

from __future__ import annotations

import functools
import re
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import defusedxml
from defusedxml.ElementTree import DefusedXMLParser
from PIL import Image

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config
    from sphinx.util.typing import ExtensionMetadata

MB = 1024 * 1024
#: the defaults of magazine_max_image_bytes and magazine_max_image_pixels
MAX_IMAGE_BYTES = 10 * MB
MAX_IMAGE_PIXELS = 40_000_000
#: the pictures a page and the PDF can show, by file name suffix
RASTER_FORMATS = {".png": "PNG", ".jpg": "JPEG", ".jpeg": "JPEG", ".gif": "GIF", ".webp": "WEBP"}
IMAGE_SUFFIXES = frozenset({".svg", *RASTER_FORMATS})
#: downloads a browser would open as a live document on the magazine's address
ACTIVE_SUFFIXES = frozenset({
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".js", ".mjs", ".xml", ".xsl", ".xslt",
    ".svgz", ".swf",
})
#: where contributors put their pictures, inside a static folder
IMAGES_FOLDER = "images"
#: most shapes an SVG may draw once its <use> elements are expanded
MAX_SVG_SHAPES = 1_000_000

SVG_NS = "http://www.w3.org/2000/svg"
XHTML_NS = "http://www.w3.org/1999/xhtml"
#: elements that run script or embed other documents, whatever their namespace
FORBIDDEN_ELEMENTS = {
    "script": "a <script> element",
    "foreignobject": "a <foreignObject> element (HTML inside the picture)",
    "iframe": "an <iframe> element",
    "embed": "an <embed> element",
    "object": "an <object> element",
    "handler": "a <handler> element (script)",
    "listener": "a <listener> element (script)",
}
ANIMATIONS = frozenset({"set", "animate", "animatetransform", "animatemotion", "animatecolor"})
#: attributes that load a document or rewrite the addresses the picture uses
LOADING_ATTRIBUTES = frozenset({"src", "action", "formaction", "base"})
RASTER_DATA = re.compile(r"data:image/(png|jpeg|jpg|gif|webp)[;,]", re.I)
SCHEMES = re.compile(r"(javascript|vbscript|livescript|data:text)", re.I)
CSS_COMMENT = re.compile(r"/\*.*?(\*/|$)", re.S)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\r\n\f]?|\\(.)", re.S)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.I | re.S)
CSS_FORBIDDEN = {
    "@import": "an @import rule (a stylesheet from elsewhere)",
    "image-set(": "image-set() (pictures from elsewhere)",
    "image(": "image() (pictures from elsewhere)",
    "src(": "src() (a file from elsewhere)",
    "expression(": "a CSS expression (script)",
    "-moz-binding": "-moz-binding (script)",
    "behavior": "a behavior property (script)",
}
SVG_FIX = ("draw the picture without it, or export it again as a plain SVG (in Inkscape: "
           "Save As, Optimized SVG or Plain SVG), embedding pictures and fonts in the file")


@dataclass(frozen=True)
class ImageProblem:
    line: int | None  # in the image file, when it has lines
    message: str

    def located(self, name: str) -> str:
        where = f"{name} line {self.line}" if self.line else name
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_pixels: int

    @classmethod
    def of(cls, config: Config | object) -> Limits:
        from ..config import (
            magazine_config,  # config declares the limits, from this module
        )

        values = magazine_config(config)
        return cls(int(values.max_image_bytes), int(values.max_image_pixels))


# -- SVG ---------------------------------------------------------------------------------------


def _split(tag: str) -> tuple[str, str]:
    """``{namespace}local`` as (namespace, local name in lower case)."""
    if tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        return namespace, local.lower()
    return "", tag.lower()


def unescape_css(text: str) -> str:
    """CSS as a browser reads it: comments dropped, ``\\75 rl(`` and ``\\u`` escapes undone."""
    text = CSS_COMMENT.sub("", text)

    def character(match: re.Match[str]) -> str:
        if match.group(1):
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2)

    return CSS_ESCAPE.sub(character, text)


def css_problem(text: str) -> str | None:
    """Why a stylesheet or style attribute reaches outside the picture, or None."""
    css = unescape_css(text)
    folded = re.sub(r"\s+", "", css).lower()
    for needle, what in CSS_FORBIDDEN.items():
        if needle in folded:
            return f"its style uses {what}"
    if SCHEMES.search(folded):
        return "its style holds a script address"
    for match in CSS_URL.finditer(css):
        if not match.group(2).strip().startswith("#"):
            return f"its style loads url({match.group(2).strip()[:60]}) from outside the file"
    if "url(" in re.sub(r"\s+", "", CSS_URL.sub("", css)).lower():  # one the pattern missed
        return "its style holds a url() that is not a reference inside the file"
    return None


class _SvgCheck:
    """The parser's target: checks each element as it is parsed and records the
    ``<use>`` graph for the shape count."""

    def __init__(self) -> None:
        self.parser: DefusedXMLParser | None = None
        self.problem: ImageProblem | None = None
        self.stack: list[int] = []  # open elements, as indexes into the lists below
        self.children: list[list[int]] = []
        self.uses: dict[int, str] = {}  # element -> the id its <use> names
        self.ids: dict[str, int] = {}
        self.root: tuple[str, str] | None = None
        self.in_style = 0
        self.style_text: list[str] = []
        self.style_line = 0

    @property
    def line(self) -> int:
        return self.parser.parser.CurrentLineNumber if self.parser else 0  # type: ignore[attr-defined]

    def refuse(self, message: str, line: int | None = None) -> None:
        if self.problem is None:
            self.problem = ImageProblem(line or self.line, message)

    def on_doctype(self, name: str, sysid: str | None, pubid: str | None, internal: int) -> None:
        if internal:
            self.refuse("the file declares its own DTD (a DOCTYPE with [...]); remove the "
                        "DOCTYPE line, an SVG does not need it")

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        namespace, local = _split(tag)
        index = len(self.children)
        self.children.append([])
        if self.stack:
            self.children[self.stack[-1]].append(index)
        elif self.root is None:
            self.root = (namespace, local)
        self.stack.append(index)
        if local in FORBIDDEN_ELEMENTS:
            self.refuse(f"the picture contains {FORBIDDEN_ELEMENTS[local]}; {SVG_FIX}")
        elif namespace == XHTML_NS:
            self.refuse(f"the picture contains HTML (<{local}>); {SVG_FIX}")
        elif local == "style":
            self.in_style += 1
            self.style_line = self.line
        for name, value in attrib.items():
            self.attribute(local, *_split(name), value)
        if (element_id := attrib.get("id")) is not None:
            self.ids.setdefault(element_id, index)
        if local == "use":
            href = attrib.get("href") or attrib.get("{http://www.w3.org/1999/xlink}href") or ""
            if href.startswith("#"):
                self.uses[index] = href[1:]

    def attribute(self, element: str, namespace: str, name: str, value: str) -> None:
        folded = re.sub(r"[\s\x00-\x1f]+", "", value).lower()
        if name.startswith("on"):
            self.refuse(f"the attribute {name}= runs script; {SVG_FIX}")
        elif name == "href":
            if value.strip().lower().startswith("data:") and not RASTER_DATA.match(value.strip()):
                self.refuse("the picture embeds a document that is not a PNG, JPEG, GIF or WebP "
                            f"picture (href=\"{value.strip()[:40]}...\"); {SVG_FIX}")
            elif not (value.startswith("#") or RASTER_DATA.match(value.strip())):
                self.refuse(f"the link href=\"{value.strip()[:80]}\" points outside the file; "
                            "only references inside the picture (#id) and embedded PNG, JPEG, "
                            f"GIF or WebP pictures are allowed; {SVG_FIX}")
        elif name in LOADING_ATTRIBUTES:
            self.refuse(f"the attribute {name}= loads something from outside the file; {SVG_FIX}")
        elif element in ANIMATIONS and name == "attributename" and (
                folded.split(":")[-1] == "href" or folded.startswith("on")):
            self.refuse(f"the animation rewrites {value.strip()}= (which can run script); {SVG_FIX}")
        elif SCHEMES.search(folded):
            self.refuse(f"the attribute {name}= holds a script address; {SVG_FIX}")
        elif name == "style" or "url(" in folded or "\\" in value:
            if reason := css_problem(value):
                self.refuse(f"{reason}; {SVG_FIX}")

    def end(self, tag: str) -> None:
        self.stack.pop()
        if _split(tag)[1] == "style" and self.in_style:
            self.in_style -= 1
            if not self.in_style:
                if reason := css_problem("".join(self.style_text)):
                    self.refuse(f"{reason}; {SVG_FIX}", self.style_line)
                self.style_text.clear()

    def data(self, text: str) -> None:
        if self.in_style:
            self.style_text.append(text)

    def pi(self, target: str, text: str) -> None:
        if target.lower() == "xml-stylesheet":
            self.refuse(f"the picture loads a stylesheet from elsewhere (<?xml-stylesheet?>); "
                        f"{SVG_FIX}")

    def close(self) -> None:
        return None

    def shapes(self, limit: int) -> int | str:
        """The number of elements drawn once every ``<use>`` is expanded (at most
        ``limit + 1``), or why it cannot be counted."""
        weight: dict[int, int] = {}
        on_path: set[int] = set()
        for start in range(len(self.children)):
            if start in weight:
                continue
            stack: list[tuple[int, bool]] = [(start, False)]
            while stack:
                node, expanded = stack.pop()
                if node in weight:
                    continue
                edges = list(self.children[node])
                if (ref := self.uses.get(node)) is not None and ref in self.ids:
                    edges.append(self.ids[ref])
                if not expanded:
                    if node in on_path:
                        return "a <use> element refers to itself or to an element that contains it"
                    on_path.add(node)
                    stack.append((node, True))
                    for edge in edges:
                        if edge in on_path:
                            return ("a <use> element refers to itself or to an element that "
                                    "contains it")
                        if edge not in weight:
                            stack.append((edge, False))
                else:
                    on_path.discard(node)
                    weight[node] = min(limit + 1, 1 + sum(weight[e] for e in edges))
        return weight.get(0, 0)


def svg_problem(data: bytes) -> ImageProblem | None:
    """Why an SVG file must not be published, or None."""
    check = _SvgCheck()
    parser = DefusedXMLParser(target=check, forbid_dtd=False, forbid_entities=True,
                              forbid_external=True)
    check.parser = parser
    parser.parser.StartDoctypeDeclHandler = check.on_doctype  # type: ignore[attr-defined]
    try:
        parser.feed(data)
        parser.close()
    except defusedxml.EntitiesForbidden:
        return ImageProblem(check.line, "the file declares XML entities (<!ENTITY ...>); remove "
                                        "the DOCTYPE and write the text out instead")
    except defusedxml.DefusedXmlException:
        return ImageProblem(check.line, "the file refers to an external XML entity or DTD; "
                                        "remove the DOCTYPE")
    except SyntaxError as error:  # ElementTree's ParseError
        if check.problem:
            return check.problem
        line = getattr(error, "position", (check.line, 0))[0]
        reason = str(error).split(":")[0]
        return ImageProblem(line, f"the file is not well-formed XML ({reason}); open it in an "
                                  "editor that saves SVG, such as Inkscape, and save it again")
    if check.problem:
        return check.problem
    if check.root != (SVG_NS, "svg"):
        return ImageProblem(1, "the file is not an SVG picture: its first element must be "
                               "<svg xmlns=\"http://www.w3.org/2000/svg\">")
    shapes = check.shapes(MAX_SVG_SHAPES)
    if isinstance(shapes, str):
        return ImageProblem(None, f"{shapes}; {SVG_FIX}")
    if shapes > MAX_SVG_SHAPES:
        return ImageProblem(None, f"its <use> elements repeat each other into more than "
                                  f"{MAX_SVG_SHAPES:,} shapes, more than a page can draw; "
                                  f"{SVG_FIX}")
    return None


# -- raster images -----------------------------------------------------------------------------


def raster_problem(path: Path, suffix: str, max_pixels: int) -> ImageProblem | None:
    """Why a PNG, JPEG, GIF or WebP file must not be published, or None."""
    kind = RASTER_FORMATS[suffix]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path, formats=sorted(set(RASTER_FORMATS.values()))) as image:
                width, height = image.size
                if width * height > max_pixels:
                    return _too_many_pixels(width, height, max_pixels)
                image.verify()
    except Image.DecompressionBombError:
        return ImageProblem(None, f"the picture claims a size far over the limit of "
                                  f"{max_pixels:,} pixels; {_PIXEL_FIX}")
    except Exception as error:  # noqa: BLE001 - Pillow raises many kinds on a broken file
        return ImageProblem(None, f"the file cannot be read as a {kind} picture "
                                  f"({type(error).__name__}: {str(error)[:80]}); export it "
                                  f"again from an image editor as {kind}")
    return None


_PIXEL_FIX = ("scale it down (a page needs at most about 3000 pixels across) or raise "
              "magazine_max_image_pixels in conf.py")


def _too_many_pixels(width: int, height: int, limit: int) -> ImageProblem:
    return ImageProblem(None, f"the picture is {width} x {height} pixels, over the limit of "
                              f"{limit:,} pixels; {_PIXEL_FIX}")


# -- any image ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4096)
def _cached(path: str, size: int, mtime: int, limits: Limits) -> ImageProblem | None:
    suffix = Path(path).suffix.lower()
    if size > limits.max_bytes:
        return ImageProblem(None, f"the picture is {size / MB:.1f} MB, over the limit of "
                                  f"{limits.max_bytes / MB:.1f} MB; save it smaller (as JPEG "
                                  "for a photograph) or raise magazine_max_image_bytes in conf.py")
    if suffix == ".svg":
        with open(path, "rb") as file:
            return svg_problem(file.read())
    return raster_problem(Path(path), suffix, limits.max_pixels)


def image_problem(path: Path, limits: Limits) -> ImageProblem | None:
    """Why the picture at ``path`` must not be published, or None (checked once per version
    of the file in a process)."""
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        return ImageProblem(None, f"'{path.name}' is not a picture the magazine publishes; "
                                  "use SVG, PNG, JPEG, GIF or WebP")
    stat = path.stat()
    return _cached(str(path), stat.st_size, stat.st_mtime_ns, limits)


def static_refusals(root: Path, relative: str, static: str, limits: Limits) -> ImageProblem | None:
    """The check of one file of a static folder: every image is checked; a file in the
    contributors' image folder that is not an image is refused."""
    path = root / relative
    if path.name.startswith("."):
        return None  # Sphinx never copies hidden files
    inside = relative[len(static) + 1:]
    if inside.startswith(IMAGES_FOLDER + "/") and path.suffix.lower() not in IMAGE_SUFFIXES:
        return ImageProblem(None, (
            f"only pictures belong in {static}/{IMAGES_FOLDER}/ (SVG, PNG, JPEG, GIF or WebP), "
            f"and Sphinx would publish this file as it is: remove it, or offer data with "
            "{download} from the article's folder"))
    if path.suffix.lower() in IMAGE_SUFFIXES:
        return image_problem(path, limits)
    return None


def page_file_problem(path: Path, limits: Limits, *, download: bool) -> ImageProblem | None:
    """The check of a file a page shows (``download`` False) or offers for download."""
    suffix = path.suffix.lower()
    if download:
        if suffix in ACTIVE_SUFFIXES:
            return ImageProblem(None, (
                f"a {suffix} file opens as a web page on the magazine's address, with whatever "
                "script it holds; offer it as a .zip, or as plain text (.txt, .csv)"))
        return image_problem(path, limits) if suffix == ".svg" else None
    return image_problem(path, limits)


def setup(app: Sphinx) -> ExtensionMetadata:
    app.setup_extension("magazine.config")  # the size limits: magazine_max_image_*
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
