"""The social image (magazine.web.social): the lead image drawn as a 1200 x 630 PNG, and a
hostile picture cannot make the renderer read a file outside it or fetch an address.

The pictures are written here; the "secret" is a red PNG outside the project that an SVG
names in every way resvg would otherwise follow (an absolute path, a file: URL, a relative
name resolved from the working folder, a style's url(), an @import), and an http address
on this machine where a server would count any request.
"""

from __future__ import annotations

import http.server
import sys
import threading
from pathlib import Path

import pytest
from conftest import ROOT
from PIL import Image

sys.path.insert(0, str(ROOT / "_ext"))
from magazine.web import social  # noqa: E402

RED = (255, 0, 0)


def drawn(png: bytes) -> Image.Image:
    import io

    image = Image.open(io.BytesIO(png))
    assert (image.format, image.size) == ("PNG", social.SIZE)
    return image.convert("RGB")


def test_the_seed_lead_image_is_drawn_and_the_same_twice() -> None:
    source = ROOT / "_static" / "images" / "spinal-cord-stem-cells.svg"
    png = social.social_png(source)
    assert social.social_png(source) == png
    image = drawn(png)
    assert image.getpixel((10, 10)) != (255, 255, 255)  # the picture's night sky, not blank


def test_a_large_raster_is_scaled_and_cut_to_the_frame(tmp_path: Path) -> None:
    path = tmp_path / "photo.png"
    Image.new("RGB", (3000, 1000), (0, 128, 0)).save(path)
    assert drawn(social.social_png(path)).getpixel((600, 315)) == (0, 128, 0)


@pytest.fixture
def server() -> tuple[str, list[str]]:
    requests: list[str] = []

    class Counting(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Counting)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    httpd.shutdown()
    httpd.server_close()


def test_a_hostile_svg_reads_no_file_and_fetches_nothing(
        tmp_path: Path, server: tuple[str, list[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    address, requests = server
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = outside / "secret.png"
    Image.new("RGB", (40, 40), RED).save(secret)
    project = tmp_path / "project"
    project.mkdir()
    monkeypatch.chdir(outside)  # a relative name would be found from here
    names = [str(secret), secret.as_uri(), "secret.png", "file:///etc/passwd",
             f"{address}/leak.png"]
    images = "".join(
        f'<image x="{40 * i}" y="0" width="40" height="40" xlink:href="{name}"/>'
        f'<image x="{40 * i}" y="40" width="40" height="40" href="{name}"/>'
        for i, name in enumerate(names))
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="1200" height="630">'
        f'<style>@import url("{address}/style.css"); .f {{ fill: url({address}/p.svg#p) }}</style>'
        f'<rect class="f" x="0" y="100" width="100" height="100" style="fill: url({secret}#x)"/>'
        f'{images}</svg>')
    path = project / "hostile.svg"
    path.write_text(svg, encoding="utf-8")
    image = drawn(social.social_png(path))
    reds = sum(1 for pixel in image.get_flattened_data() if pixel == RED)
    assert reds == 0, f"{reds} pixels of the file outside the project were drawn"
    assert requests == []
    kept = social.self_contained_svg(path.read_bytes())
    assert str(outside) not in kept and address not in kept and "passwd" not in kept
