"""The social image of an article: its lead image as a 1200 x 630 PNG.

Link previews (Open Graph, the large Twitter/X card) show neither SVG nor very large
rasters, and 1200 x 630 is the size the big networks recommend for a large preview. So
each lead image is drawn once per build into ``social/NAME.png`` (:mod:`.links`), scaled to
cover that frame and cut to it around the centre, and ``og:image``, ``twitter:image`` and
the JSON-LD ``image`` name the PNG with its width and height.

Drawing is done by resvg (the ``resvg-py`` wheel: Rust, no system libraries) for SVG and
Pillow for rasters. The picture is content a stranger may have written, and resvg reads
files on its own: an ``<image href="/etc/...">`` or a relative name is loaded from disk.
:mod:`.images` refuses such pictures before the build, and this module does not rely on
that alone: the SVG is parsed again (defusedxml, no entities), every ``href`` that is not a
``#fragment`` or an embedded raster ``data:`` address is removed, so is every ``url()``
that does not point into the picture and every ``@import``; resvg is given an empty
folder to resolve names in and no system fonts (text is drawn only with the fonts of
``magazine_pdf_font_paths``, which belong to the project). Nothing is fetched from the
network: resvg has no network access at all.
"""

from __future__ import annotations

import io
import re
import tempfile
from typing import TYPE_CHECKING

import resvg_py
from defusedxml.ElementTree import fromstring, tostring
from PIL import Image

from ..gate.images import CSS_URL, RASTER_DATA, unescape_css

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

#: the folder of the social images in the web edition
SOCIAL_DIR = "social"
#: the frame the big networks recommend for a large link preview (width, height)
SIZE = (1200, 630)
#: what a transparent picture is drawn on
BACKGROUND = "#ffffff"
_IMPORT = re.compile(r"@import[^;]*;?", re.I)


def image_path(name: str) -> str:
    """The social image of the article ``NAME``, from the site root."""
    return f"{SOCIAL_DIR}/{name}.png"


def _local(url: str) -> bool:
    url = url.strip()
    return url.startswith("#") or bool(RASTER_DATA.match(url))


def _css_without_outside(text: str) -> str:
    """Styles with every ``url()`` that leaves the picture, and every ``@import``, removed."""
    text = _IMPORT.sub("", unescape_css(text))
    return CSS_URL.sub(lambda m: m.group(0) if _local(m.group(2)) else "none", text)


def self_contained_svg(data: bytes) -> str:
    """The SVG with everything that refers outside it removed (see the module's docstring)."""
    root = fromstring(data, forbid_dtd=True)
    for element in root.iter():
        for name in list(element.attrib):
            value = element.attrib[name]
            local = name.rsplit("}", 1)[-1].lower()
            if local == "href" and not _local(value):
                del element.attrib[name]
            elif local == "style" or "url(" in value.lower() or "@import" in value.lower():
                element.attrib[name] = _css_without_outside(value)
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag == "style" and element.text:
            element.text = _css_without_outside(element.text)
    return tostring(root, encoding="unicode")


def _render_svg(svg: str, fonts: Sequence[str], zoom: float | None = None) -> Image.Image:
    with tempfile.TemporaryDirectory() as empty:
        png = resvg_py.svg_to_bytes(
            svg_string=svg, background=BACKGROUND, skip_system_fonts=True,
            font_dirs=list(fonts) or None, resources_dir=empty, zoom=zoom,
        )
    return Image.open(io.BytesIO(bytes(png)))


def _cover(image: Image.Image) -> Image.Image:
    """Scaled to cover SIZE, cut to it around the centre."""
    width, height = SIZE
    scale = max(width / image.width, height / image.height)
    scaled = (max(width, round(image.width * scale)), max(height, round(image.height * scale)))
    if scaled != image.size:
        image = image.resize(scaled, Image.Resampling.LANCZOS)
    left, top = (scaled[0] - width) // 2, (scaled[1] - height) // 2
    return image.crop((left, top, left + width, top + height))


def social_png(path: Path, fonts: Sequence[str] = ()) -> bytes:
    """The picture at ``path`` (SVG or raster, already checked by :mod:`.images`) as the
    PNG of a link preview, SIZE pixels; the same bytes for the same picture."""
    if path.suffix.lower() == ".svg":
        svg = self_contained_svg(path.read_bytes())
        first = _render_svg(svg, fonts)
        scale = max(SIZE[0] / first.width, SIZE[1] / first.height)
        image = _render_svg(svg, fonts, zoom=scale) if abs(scale - 1) > 1e-6 else first
    else:
        with Image.open(path) as opened:
            opened.load()
            image = opened.copy()
    if image.mode not in ("RGB", "RGBA"):
        image = image.convert("RGBA")
    if image.mode == "RGBA":
        flat = Image.new("RGB", image.size, BACKGROUND)
        flat.paste(image, mask=image.getchannel("A"))
        image = flat
    out = io.BytesIO()
    _cover(image).save(out, format="PNG", optimize=True)
    return out.getvalue()
