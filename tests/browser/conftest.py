"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium; nothing is downloaded).

Without /usr/bin/chromium the tests are skipped with a message, unless REQUIRE_BROWSER_TESTS=1
(set by .ci/run, which installs chromium) turns that into a failure. Each test gets a fresh
browser profile; requests to anything but this machine are refused and fail the test (the
widget must not load from a CDN), and so do JavaScript errors and anything the page's
Content-Security-Policy blocks. Screenshots go to test-output/browser/.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))  # override only to test the skip
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = REPO / "test-output" / "browser"
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

# Records whether the widget's typing indicator was ever on screen.
WATCH_TYPING = """
window.__typingSeen = false;
new MutationObserver(() => {
  if (document.querySelector('.hepb-typing:not([hidden])')) window.__typingSeen = true;
}).observe(document, {childList: true, subtree: true, attributes: true, attributeFilter: ['hidden']});
"""


@pytest.fixture(scope="module")
def playwright_driver():
    """Playwright's sync driver, per module: while it runs, asyncio sees a running event loop,
    which would break the asyncio tests collected after these."""
    if not CHROMIUM.exists():
        message = (
            f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) "
            "to run the browser tests; .ci/run does"
        )
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(message + " (REQUIRE_BROWSER_TESTS=1)", pytrace=False)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        yield driver


@dataclass
class Widget:
    """A page in a fresh browser, the URL of the widget page, and screenshots by name."""

    page: object
    base_url: str
    test_name: str
    outside_requests: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    policy_violations: list[str] = field(default_factory=list)

    def open(self, query: str = ""):
        self.page.goto(f"{self.base_url}/{query}")
        return self.page

    def shot(self, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{self.test_name}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def widget(playwright_driver, request, tmp_path):
    base_url = request.getfixturevalue("web_url")  # servers start only once Chromium is known
    context = playwright_driver.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=str(CHROMIUM),
        args=ARGS,
        headless=True,
        viewport={"width": 1280, "height": 800},
    )
    test_name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
    widget = Widget(page=None, base_url=base_url, test_name=test_name)

    def only_this_machine(route):
        if urlparse(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            widget.outside_requests.append(route.request.url)
            route.abort()

    context.route("**/*", only_this_machine)
    context.add_init_script(WATCH_TYPING)
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(20_000)
    page.on("pageerror", lambda error: widget.page_errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            widget.policy_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    widget.page = page
    yield widget
    if getattr(request.node, "rep_call_failed", False):
        widget.shot("failure")
    context.close()
    assert widget.outside_requests == [], "the page tried to load from outside this machine"
    assert widget.page_errors == [], "JavaScript errors on the page"
    assert widget.policy_violations == [], "the Content-Security-Policy blocked something"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call_failed = report.failed
