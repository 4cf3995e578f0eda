"""Shared browser-test fixtures: Playwright's sync API driving Debian's chromium, headless.

Registered for the whole suite by ``pytest_plugins`` in the root conftest.py. No browser is
ever downloaded: Playwright launches the system ``chromium`` through ``executable_path``.
Screenshots land in ``test-artifacts/screenshots/`` (gitignored), see docs/ui.md.
"""

import shutil
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTEFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT_MS = 10_000  # one element or navigation; a healthy page answers in well under a second


def chromium_required():
    """Marks for a browser test module: skipped only when the system has no chromium at all
    (``make test`` installs it through scripts/system-deps.sh)."""
    return [
        pytest.mark.browser,
        pytest.mark.django_db(transaction=True),
        pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)"),
    ]


@pytest.fixture
def browser(live_server, monkeypatch):
    """A headless chromium for one test, talking to ``live_server``."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


class Dialogs(list):
    """Every JavaScript dialog (alert/confirm/prompt) a page opened, by message."""


@pytest.fixture
def new_tab(browser, live_server):
    """``new_tab(user=None, viewport=PHONE)``: a page in a fresh context (its own cookies),
    logged in as ``user`` when given; ``page.dialogs`` records any dialog, which is dismissed."""
    contexts = []

    def make(user=None, viewport=PHONE, locale="en-US"):
        context = browser.new_context(viewport=viewport, locale=locale, base_url=live_server.url)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if user is not None:
            from django.test import Client

            client = Client()
            client.force_login(user)
            context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "url": live_server.url,
                                  "value": client.cookies[settings.SESSION_COOKIE_NAME].value}])
        page = context.new_page()
        page.dialogs = Dialogs()

        def on_dialog(dialog):
            page.dialogs.append(dialog.message)
            dialog.dismiss()

        page.on("dialog", on_dialog)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def screenshot():
    """``screenshot(page, name)``: a full-page PNG under test-artifacts/screenshots/; returns its path."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTEFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def no_horizontal_scroll(page) -> bool:
    """The page fits its viewport's width (nothing forces sideways scrolling on a phone)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# In the page: HTML pasted into the article editor (static/js/editor.js), as an author pasting
# from another page would; the editor keeps what it supports and submits its own HTML.
_PASTE_HTML = """(html) => {
  const data = new DataTransfer();
  data.setData('text/html', html);
  data.setData('text/plain', html.replace(/<[^>]*>/g, ''));
  tinybook.editor.root.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


def editor_paste_html(page, html: str) -> None:
    """Put ``html`` into the article form's rich-text editor, through a paste."""
    page.wait_for_function("() => window.tinybook && window.tinybook.editor")
    page.locator(".ql-editor").click()
    page.evaluate(_PASTE_HTML, html)
