"""The web edition in a real browser: Chromium or Google Chrome, driven by Playwright.

The site (the ``metadata_site`` build: the seed and a second article) is served on
127.0.0.1 from a thread. The browser is the one ``tests/find_browser.py`` finds
(``MAGAZINE_BROWSER``, Playwright's own Chromium, the system's Chromium, Google Chrome);
``make test`` runs it first, and on Debian installs chromium when there is none. Every
test here is marked ``browser``: ``make test PYTEST_ARGS="-m 'not browser'"`` leaves them
out. axe-core comes inside axe-playwright-python. Screenshots go to the session's
temporary folder, printed at the start of the run.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import ARTICLE, SECOND_ARTICLE, SITE_URL
from find_browser import BrowserNotFound, find
from playwright.sync_api import expect, sync_playwright

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser

PREFIX = urlsplit(SITE_URL).path  # /magazine/
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under the path of its published address, as GitHub Pages does:
    /magazine/... from the build folder, and 404.html (status 404) for what is missing."""

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0]
        if path.startswith(PREFIX):
            path = "/" + path[len(PREFIX):]
        return super().translate_path(path)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def site_url(metadata_site: Path) -> Iterator[str]:
    """The built site at http://127.0.0.1:PORT/magazine/, served from a thread."""
    handler = functools.partial(SiteHandler, directory=str(metadata_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}{PREFIX}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    try:
        executable = find()
    except BrowserNotFound as error:
        pytest.fail(str(error), pytrace=False)
    print(f"\nbrowser: {executable}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(executable), args=ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("screenshots")
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=DESKTOP, color_scheme="light")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors  # type: ignore[attr-defined]
    yield page
    context.close()


def set_theme(page: Page, theme: str) -> None:
    """Switch pydata-sphinx-theme's light/dark mode as its theme switcher does."""
    page.evaluate(
        "theme => { document.documentElement.dataset.theme = theme;"
        " document.documentElement.dataset.mode = theme;"
        " localStorage.setItem('theme', theme); localStorage.setItem('mode', theme); }",
        theme,
    )
    page.wait_for_timeout(100)


def wcag_rules(page: Page) -> list[str]:
    """Every axe-core rule tagged WCAG 2.1 A or AA, the experimental ones included: a run
    by tags leaves those out, and label-content-name-mismatch (2.5.3) is one of them."""
    page.evaluate(Axe().axe_script)
    return page.evaluate("tags => axe.getRules(tags).map(rule => rule.ruleId)", WCAG_21_AA)


def axe_violations(page: Page) -> str:
    rules = wcag_rules(page)
    assert "label-content-name-mismatch" in rules
    results = Axe().run(
        page, options={"runOnly": {"type": "rule", "values": rules}, "resultTypes": ["violations"]}
    )
    return "" if results.violations_count == 0 else results.generate_report()


@pytest.mark.parametrize("docname", [ARTICLE, SECOND_ARTICLE])
def test_article_loads_without_console_errors(page: Page, site_url: str, docname: str) -> None:
    page.goto(f"{site_url}{docname}.html")
    page.wait_for_load_state("networkidle")
    expect(page.locator("article h1")).to_be_visible()
    expect(page.locator("button.cite-copy")).to_be_visible()  # JavaScript ran
    assert page.console_errors == []  # type: ignore[attr-defined]


def test_clicking_a_citation_reaches_its_entry(page: Page, site_url: str) -> None:
    page.goto(f"{site_url}{ARTICLE}.html")
    citation = page.locator(".bibtex-citation a").first
    target = citation.get_attribute("href")
    citation.click()
    assert page.url.endswith(target)
    expect(page.locator(target)).to_be_in_viewport()


def test_hover_and_focus_show_the_entry(page: Page, site_url: str, screenshots: Path) -> None:
    page.goto(f"{site_url}{SECOND_ARTICLE}.html")
    citation = page.locator('.bibtex-citation a[href="#ref-tazaki2017salamander"]').first
    preview = page.locator("#citation-preview")
    citation.hover()
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("Salamander spinal cord regeneration")
    expect(preview).to_contain_text("Developmental Biology")
    assert citation.get_attribute("aria-describedby") == "citation-preview"
    page.screenshot(path=screenshots / "preview-hover.png")
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    page.mouse.move(0, 0)

    other = page.locator('.bibtex-citation a[href="#ref-honmou2021intravenous"]').first
    other.focus()  # keyboard users get the same preview
    expect(preview).to_be_visible()
    expect(preview).to_contain_text("Clinical Neurology and Neurosurgery")
    page.keyboard.press("Escape")
    expect(preview).to_be_hidden()
    page.keyboard.press("Tab")  # the next citation: its own preview
    expect(preview).to_be_visible()
    expect(preview).not_to_contain_text("Clinical Neurology")
    page.evaluate("document.activeElement.blur()")
    expect(preview).to_be_hidden()


def test_without_javascript_a_citation_is_a_link(browser: Browser, site_url: str) -> None:
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    page.goto(f"{site_url}{ARTICLE}.html")
    expect(page.locator("button.cite-copy")).to_be_hidden()
    page.locator(".bibtex-citation a").first.click()
    assert "#ref-" in page.url
    context.close()


def test_copy_button_copies_the_reference(browser: Browser, site_url: str) -> None:
    context = browser.new_context(viewport=DESKTOP)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    page = context.new_page()
    page.goto(f"{site_url}{ARTICLE}.html")
    page.locator("button.cite-copy").click()
    expect(page.locator(".cite-copy-status")).to_have_text("Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(
        "The Open Bench editors. (2026, November 25). Stem cell therapy for spinal cord "
        "injuries. The Open Bench, 1(1), 1.")
    context.close()


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("ependymoglia", "How Axolotls Regrow"),  # a word of the second article's body
        ("Neurosurgery", "Stem Cell Therapy"),  # a word only in the seed's Works Cited
    ],
)
def test_search_finds_the_article(page: Page, site_url: str, query: str, title: str) -> None:
    page.goto(f"{site_url}search.html?q={query}")
    results = page.locator("#search-results ul.search li")
    expect(results.first).to_be_visible(timeout=10_000)
    expect(page.locator("#search-results ul.search")).to_contain_text(title)


@pytest.mark.parametrize(("name", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_layout_holds_and_reads_in_both_themes(
    browser: Browser, site_url: str, screenshots: Path, name: str, viewport: dict, theme: str
) -> None:
    context = browser.new_context(viewport=viewport, color_scheme=theme)
    page = context.new_page()
    for docname in ("index", ARTICLE, SECOND_ARTICLE, "columns/news-byte", "issues/1-1",
                    "archive", "search", "404"):
        page.goto(f"{site_url}{docname}.html")
        page.wait_for_load_state("networkidle")
        set_theme(page, theme)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{docname} scrolls sideways by {overflow}px at {name} width"
        if docname == ARTICLE:
            box = page.locator("article h1").bounding_box()
            assert box["width"] <= viewport["width"]
        slug = docname.rsplit("/", 1)[-1]
        page.screenshot(path=screenshots / f"{slug}-{name}-{theme}.png", full_page=True)
        assert axe_violations(page) == "", f"{docname}, {theme}, {name}"
    context.close()


@pytest.mark.parametrize("docname", ["index", ARTICLE, SECOND_ARTICLE, "columns/news-byte",
                                     "issues/1-1", "archive"])
def test_axe_finds_no_wcag_21_aa_violations(page: Page, site_url: str, docname: str) -> None:
    page.goto(f"{site_url}{docname}.html")
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == ""


def test_404_page_is_styled_and_leads_to_the_front_page(page: Page, site_url: str) -> None:
    response = page.goto(f"{site_url}articles/no-such-article.html")
    assert response.status == 404
    expect(page.locator("article h1")).to_have_text("Page not found")
    # the theme's stylesheet loaded although the page sits at another depth
    assert page.evaluate("getComputedStyle(document.querySelector('.bd-header')).position") in (
        "sticky", "fixed",
    )
    page.locator("article a", has_text="front page").click()
    expect(page.locator(".article-card").first).to_be_visible()
