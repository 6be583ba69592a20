"""Hostile images: a picture in a pull request is checked as content, never trusted as a file.

SVG variants that would run script on the magazine's address or reach outside the file,
raster images that claim sizes too large to decode, and files that are not pictures at all
are tested on the checking functions first; then a copy of the project holding each kind is
built with warnings as errors (it fails, each refusal named with its file and line) and with
warnings allowed, for the web and the PDF edition (nothing of the hostile files may reach any
output)."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from conftest import ARTICLE, ROOT, copy_project, line_in_appended, messages_at, sphinx_build
from PIL import Image

from magazine.gate.boundary import scan_project
from magazine.gate.images import Limits, css_problem, image_problem, svg_problem, unescape_css

MARK = "HOSTILE-7F3A"  # in every hostile file, so that no output may hold it
SVG = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
LIMITS = Limits(max_bytes=10 * 2**20, max_pixels=40_000_000)


def svg(body: str, head: str = "", root: str = SVG) -> bytes:
    return f"{head}{root}\n{body}\n</svg>\n".encode()


# -- SVG ---------------------------------------------------------------------------------------

HOSTILE_SVGS = {
    "script": (svg(f"<script>alert('{MARK}')</script>"), "<script>"),
    "script in upper case": (svg(f"<SCRIPT>alert('{MARK}')</SCRIPT>"), "<script>"),
    "script in CDATA": (svg(f"<script><![CDATA[alert('{MARK}')]]></script>"), "<script>"),
    "script in a namespace prefix": (
        svg(f"<s:script xmlns:s='http://www.w3.org/2000/svg'>alert('{MARK}')</s:script>"),
        "<script>"),
    "onload on the root": (svg("", root=SVG.replace(">", f' onload="alert(\'{MARK}\')">', 1)),
                           "onload="),
    "onclick in upper case": (svg(f'<rect ONCLICK="alert(\'{MARK}\')"/>'), "onclick="),
    "onmouseover with entities": (svg('<rect onmouseover="&#97;lert(1)"/>'), "onmouseover="),
    "foreignObject": (svg(f"<foreignObject><div>{MARK}</div></foreignObject>"), "foreignObject"),
    "HTML inside": (svg(f"<h:iframe xmlns:h='http://www.w3.org/1999/xhtml'>{MARK}</h:iframe>"),
                    "<iframe>"),
    "embed": (svg(f"<embed src='{MARK}.swf'/>"), "<embed>"),
    "javascript link": (svg(f"<a href=\"javascript:alert('{MARK}')\"><text>x</text></a>"),
                        "points outside the file"),
    "javascript link with a tab": (svg('<a xlink:href="java&#9;script:alert(1)"><text/></a>'),
                                   "points outside the file"),
    "external image": (svg('<image href="https://tracker.example/p.png"/>'),
                       "points outside the file"),
    "external use": (svg('<use xlink:href="file:///etc/passwd#x"/>'), "points outside the file"),
    "nested SVG document": (svg('<image href="data:image/svg+xml;base64,PHN2Zz4="/>'),
                            "embeds a document"),
    "HTML data address": (svg('<image href="data:text/html,&lt;script&gt;"/>'),
                          "embeds a document"),
    "set rewriting a link": (svg("<a><set attributeName='href' to='javascript:alert(1)'/></a>"),
                             "animation rewrites"),
    "animate rewriting xlink:href": (
        svg("<a><animate attributeName='xlink:href' values='javascript:alert(1)'/></a>"),
        "animation rewrites"),
    "animation adding a handler": (svg("<rect><set attributeName='onclick' to='alert(1)'/></rect>"),
                                   "animation rewrites"),
    "style url to the web": (svg("<rect style=\"fill:url(https://evil.example/x)\"/>"),
                             "url(https://evil.example/x)"),
    "style with CSS escapes": (svg("<style>rect { background: \\75 rl(//evil.example) }</style>"),
                               "url(//evil.example)"),
    "style with an escaped letter": (svg("<style>rect { background: u\\rl(//e.example) }</style>"),
                                     "url(//e.example)"),
    "@import": (svg('<style>@import "https://evil.example/x.css";</style>'), "@import"),
    "@import split by a comment": (svg('<style>@im/**/port "x.css";</style>'), "@import"),
    "font from the web": (svg("<style>@font-face { src: url(https://f.example/f.woff) }</style>"),
                          "from outside the file"),
    "image-set": (svg("<style>rect { background: image-set('x.png' 1x) }</style>"), "image-set"),
    "-moz-binding": (svg("<style>rect { -moz-binding: url(#x) }</style>"), "-moz-binding"),
    "presentation attribute url": (svg('<rect fill="url(https://evil.example/g)"/>'),
                                   "from outside the file"),
    "xml-stylesheet": (svg("", head='<?xml-stylesheet href="https://evil.example/x.css"?>\n'),
                       "xml-stylesheet"),
    "entity declaration": (svg("<text>&a;</text>", head='<!DOCTYPE svg [<!ENTITY a "b">]>\n'),
                           "declares XML entities"),
    "billion laughs": (svg("<text>&l2;</text>", head=(
        '<!DOCTYPE svg [<!ENTITY l0 "lol"><!ENTITY l1 "&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;">'
        '<!ENTITY l2 "&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;">]>\n')), "declares XML entities"),
    "external entity": (svg("<text>&x;</text>", head=(
        '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n')), "entities"),
    "attribute defaults in a DTD": (svg("", head=(
        '<!DOCTYPE svg [<!ATTLIST svg onload CDATA "alert(1)">]>\n')), "declares its own DTD"),
    "use bomb": (svg(
        '<defs><rect id="l0" width="1" height="1"/>'
        + "".join(f'<g id="l{i}">' + f'<use href="#l{i - 1}"/>' * 10 + "</g>" for i in range(1, 9))
        + '</defs><use href="#l8"/>'), "more than 1,000,000 shapes"),
    "use cycle": (svg('<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>'),
                  "refers to itself"),
    "HTML named .svg": (f"<html><body>{MARK}</body></html>".encode(), "not an SVG picture"),
    "not XML": (b"GIF89a" + MARK.encode(), "not well-formed XML"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_SVGS))
def test_hostile_svg_is_refused_with_the_reason(name: str) -> None:
    data, words = HOSTILE_SVGS[name]
    problem = svg_problem(data)
    assert problem is not None and words in problem.message, problem
    assert "Inkscape" in problem.message or "DOCTYPE" in problem.message \
        or "SVG picture" in problem.message


def test_the_refusal_names_the_line_of_the_svg() -> None:
    data = svg("<rect/>\n<g>\n<script>alert(1)</script>\n</g>")
    assert svg_problem(data).line == 4  # <svg> on line 1, <rect/> 2, <g> 3, <script> 4


BENIGN_SVGS = {
    "gradient fill": svg('<defs><linearGradient id="g"/></defs><rect fill="url(#g)"/>'),
    "quoted local url in a style": svg("<style>.a { fill: url('#g') }</style><g id='g'/>"),
    "public DOCTYPE": svg("<rect/>", head=(
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n')),
    "Inkscape metadata": svg(
        '<sodipodi:namedview xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/'
        'sodipodi-0.dtd" id="nv"/><metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
        '22-rdf-syntax-ns#"/></metadata>'),
    "embedded PNG": svg('<image href="data:image/png;base64,iVBORw0KGgo="/>'),
    "local use": svg('<defs><circle id="c" r="2"/></defs><use xlink:href="#c" x="4"/>'),
    "animation of a colour": svg("<rect><animate attributeName='fill' values='red;blue'/></rect>"),
    "text mentioning script": svg("<text>onload and javascript: are words</text>"),
}


@pytest.mark.parametrize("name", sorted(BENIGN_SVGS))
def test_ordinary_svg_passes(name: str) -> None:
    assert svg_problem(BENIGN_SVGS[name]) is None


@pytest.mark.parametrize("path", sorted((ROOT / "_static").glob("**/*.svg")))
def test_the_projects_own_pictures_pass(path: Path) -> None:
    assert image_problem(path, LIMITS) is None


def test_css_is_read_as_a_browser_reads_it() -> None:
    assert unescape_css("\\75 rl(x) /* c */ \\@import") == "url(x)  @import"
    assert css_problem("fill: url(#a); stroke: url( '#b' )") is None
    assert "url(" in (css_problem("fill: url(x.png)") or "")


# -- raster images -----------------------------------------------------------------------------


def raster(kind: str, size: tuple[int, int] = (8, 6)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""
    data = bytearray(raster("PNG", (1, 1)))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    import zlib
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")  # the IHDR checksum
    return bytes(data)


@pytest.mark.parametrize(("name", "kind"), [
    ("a.png", "PNG"), ("a.jpg", "JPEG"), ("a.jpeg", "JPEG"), ("a.gif", "GIF"), ("a.webp", "WEBP"),
])
def test_ordinary_rasters_pass(tmp_path: Path, name: str, kind: str) -> None:
    (tmp_path / name).write_bytes(raster(kind))
    assert image_problem(tmp_path / name, LIMITS) is None


@pytest.mark.parametrize(("data", "limits", "words"), [
    (png_claiming(100_000, 100_000), LIMITS, "far over the limit"),
    (png_claiming(9_000, 5_000), LIMITS, "9000 x 5000 pixels, over the limit of 40,000,000"),
    (raster("PNG", (40, 40)), Limits(10 * 2**20, 1_000), "40 x 40 pixels"),
    (raster("PNG"), Limits(50, 40_000_000), "over the limit of 0.0 MB"),
    (f"<html><script>{MARK}</script></html>".encode(), LIMITS, "cannot be read as a PNG"),
    (raster("PNG")[:40], LIMITS, "cannot be read as a PNG"),
])
def test_oversized_bombs_and_fakes_are_refused(
    tmp_path: Path, data: bytes, limits: Limits, words: str
) -> None:
    (tmp_path / "x.png").write_bytes(data)
    problem = image_problem(tmp_path / "x.png", limits)
    assert problem is not None and words in problem.message, problem


def test_a_decompression_bomb_fails_fast_in_a_fresh_process(tmp_path: Path) -> None:
    """Refused from the header: no decoding, so a fresh interpreter stays small."""
    (tmp_path / "bomb.png").write_bytes(png_claiming(60_000, 60_000))
    code = (
        "import resource, sys; from pathlib import Path;"
        "from magazine.gate.images import Limits, image_problem;"
        f"p = image_problem(Path({str(tmp_path / 'bomb.png')!r}), Limits(10 * 2**20, 40_000_000));"
        "print(p.message); print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60, env={"PYTHONPATH": str(ROOT / "_ext")})
    message, peak_kb = result.stdout.splitlines()
    assert "far over the limit" in message
    assert int(peak_kb) < 200 * 1024  # 3.6 gigapixels decoded would be over 10 GB


# -- what the static folders may hold ----------------------------------------------------------


@pytest.mark.parametrize(("name", "words"), [
    ("page.html", "only pictures belong in _static/images/"),
    ("feed.xml", "only pictures belong in _static/images/"),
    ("tracker.js", "only pictures belong in _static/images/"),
    ("page.html_t", "only pictures belong in _static/images/"),  # a Sphinx template
    ("style.css.jinja", "only pictures belong in _static/images/"),
    ("evil.svg", "<script>"),
    ("bomb.png", "far over the limit"),
])
def test_the_static_scan_refuses_hostile_files(tmp_path: Path, name: str, words: str) -> None:
    images = tmp_path / "_static" / "images"
    images.mkdir(parents=True)
    (tmp_path / "articles").mkdir()
    data = {"evil.svg": HOSTILE_SVGS["script"][0], "bomb.png": png_claiming(90_000, 90_000)}
    (images / name).write_bytes(data.get(name, f"<script>{MARK}</script>".encode()))
    (images / "fine.svg").write_bytes(BENIGN_SVGS["gradient fill"])
    (images / ".gitkeep").write_text("")
    settings = SimpleNamespace(
        magazine_article_dir="articles", html_static_path=["_static"], bibtex_bibfiles=[],
        magazine_max_article_bytes=2**20, magazine_max_bib_bytes=2**20,
        magazine_max_image_bytes=10 * 2**20, magazine_max_image_pixels=40_000_000,
    )
    refused = {r.path: r for r in scan_project(tmp_path, settings)}
    assert list(refused) == [f"_static/images/{name}"]
    assert words in refused[f"_static/images/{name}"].message


# -- a hostile copy of the project, built ------------------------------------------------------

PAGE = """

![a figure](figure.svg)

```{figure} /_static/images/bomb.png
A huge picture.
```

{download}`the data <page.html>`

{download}`the chart <figure.svg>`
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    base = tmp_path_factory.mktemp("hostile-images")
    src = copy_project(base / "src")
    images = src / "_static" / "images"
    (images / "lead.svg").write_bytes(HOSTILE_SVGS["onload on the root"][0])
    (images / "bomb.png").write_bytes(png_claiming(90_000, 90_000))
    (images / "page.html").write_text(f"<script>alert('{MARK}')</script>")
    (images / "layout.html_t").write_text(f"{{{{ '{MARK}' }}}}")
    (images / "spinal-cord-stem-cells.svg").write_bytes(HOSTILE_SVGS["style with CSS escapes"][0]
                                                        .replace(b"evil", MARK.encode()))
    (src / "articles" / "figure.svg").write_bytes(HOSTILE_SVGS["script"][0])
    (src / "articles" / "page.html").write_text(f"<script>alert('{MARK}')</script>")
    article = src / f"{ARTICLE}.md"
    original = article.read_text(encoding="utf-8")
    article.write_text(original + PAGE, encoding="utf-8")
    other = src / "articles" / "second-article.md"
    other.write_text(original.replace("spinal-cord-stem-cells.svg", "lead.svg")
                     .replace("title: Stem Cell", "title: Second Stem Cell"), encoding="utf-8")
    strict = sphinx_build(src, outdir=base / "strict")
    lenient = {builder: sphinx_build(src, builder, outdir=base / builder, strict=False)
               for builder in ("html", "typst")}
    return SimpleNamespace(src=src, base=base, strict=strict, lenient=lenient, original=original)


@pytest.mark.parametrize(("needle", "words"), [
    ("![a figure]", "articles/figure.svg line 2: the picture contains a <script> element"),
    ("```{figure}", "_static/images/bomb.png: the picture claims a size far over"),
    ("{download}`the data", "a .html file opens as a web page"),
    ("{download}`the chart", "articles/figure.svg line 2: the picture contains a <script>"),
])
def test_each_page_refusal_is_reported_at_its_line(
    hostile: SimpleNamespace, needle: str, words: str
) -> None:
    where = f"{ARTICLE}.md:{line_in_appended(hostile.original, PAGE, needle)}:"
    located = messages_at(hostile.strict.stderr, where)
    assert located and words in located[0], f"{where}\n{hostile.strict.stderr}"


@pytest.mark.parametrize(("where", "words"), [
    ("_static/images/lead.svg:1:", "the attribute onload= runs script"),
    ("_static/images/spinal-cord-stem-cells.svg:2:", "its style loads url(//"),
    ("_static/images/bomb.png::", "far over the limit"),
    ("_static/images/page.html::", "only pictures belong"),
    ("_static/images/layout.html_t::", "only pictures belong"),
])
def test_each_static_refusal_names_the_file(
    hostile: SimpleNamespace, where: str, words: str
) -> None:
    located = messages_at(hostile.strict.stderr, where)
    assert located and words in located[0], f"{where}\n{hostile.strict.stderr}"


def test_the_builds_fail_or_finish_without_a_traceback(hostile: SimpleNamespace) -> None:
    assert hostile.strict.returncode != 0
    for result in (hostile.strict, *hostile.lenient.values()):
        assert "Traceback" not in result.stderr + result.stdout
        assert "Exception occurred" not in result.stderr


def test_nothing_hostile_reaches_any_output(hostile: SimpleNamespace) -> None:
    html, pdf = hostile.base / "html", hostile.base / "typst"
    assert (html / "index.html").is_file(), hostile.lenient["html"].stderr
    assert list(pdf.glob("*.pdf")), hostile.lenient["typst"].stderr
    outputs = [p for folder in (html, pdf) for p in folder.rglob("*") if p.is_file()]
    assert [p for p in outputs if MARK.encode() in p.read_bytes()] == []
    assert [p for p in outputs if b"onload=" in p.read_bytes() and p.suffix == ".svg"] == []
    names = {p.name for p in outputs}
    assert not names & {"lead.svg", "bomb.png", "page.html", "figure.svg", "layout.html"}


def test_a_refused_lead_image_is_reported_at_its_front_matter_line(
    hostile: SimpleNamespace,
) -> None:
    where = "articles/second-article.md:9: WARNING: the lead image cannot be shown: "
    located = messages_at(hostile.strict.stderr, where)
    assert located and "_static/images/lead.svg line 1: the attribute onload=" in located[0], \
        hostile.strict.stderr


def test_a_refused_lead_image_leaves_the_page_and_its_metadata(hostile: SimpleNamespace) -> None:
    page = (hostile.base / "html" / "articles" / "second-article.html").read_text()
    assert "lead.svg" not in page  # no <img>, og:image or JSON-LD image pointing at it
    assert 'id="lead-image"' not in page
    front = (hostile.base / "html" / "index.html").read_text()
    assert "lead.svg" not in front


def test_the_quick_check_refuses_a_hostile_picture_with_the_limits_of_conf_py(
    tmp_path: Path,
) -> None:
    src = copy_project(tmp_path / "src")
    (src / "_static" / "images" / "evil.svg").write_bytes(HOSTILE_SVGS["script"][0])
    (src / "_static" / "images" / "wide.png").write_bytes(raster("PNG", (100, 100)))
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nmagazine_max_image_pixels = 5000\n")
    result = subprocess.run(
        [sys.executable, "-m", "magazine.gate.check", "--quick"], cwd=src, capture_output=True,
        text=True, env={"PYTHONPATH": str(src / "_ext"), "PATH": "/usr/bin:/bin"},
        check=False, timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "_static/images/evil.svg:2: error: the picture contains a <script> element" \
        in result.stdout
    assert "_static/images/wide.png: error: the picture is 100 x 100 pixels, over the limit " \
        "of 5,000 pixels" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
