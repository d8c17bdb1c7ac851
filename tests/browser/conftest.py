"""Real Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's live server.

Playwright's sync API keeps an event loop running in the test thread; Django's ORM refuses
to run beside one unless told the test thread is safe, which it is here (one thread, no loop
tasks touching the database).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM):
        pytest.fail("Debian's chromium is missing: `make browser` installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:
    """A fresh Chinese-speaking browser context; console errors and page errors fail the test."""
    context = browser.new_context(
        locale="zh-CN", base_url=live_server.url, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    problems: list[str] = []

    def on_console(msg) -> None:
        if msg.type == "error":
            problems.append(f"console: {msg.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    yield page
    context.close()
    assert not problems, problems


@pytest.fixture
def artifact_dir() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


class Pages:
    """Pages in fresh browser contexts (``open(locale)``); console errors and page errors of
    every page opened fail the test, as the ``page`` fixture does — except a refusal the test
    provokes on purpose (``expect_refusal``): Chromium logs a 4xx document as a console error."""

    def __init__(self, browser, base_url: str) -> None:
        self.browser, self.base_url = browser, base_url
        self.contexts: list[object] = []
        self.problems: list[str] = []
        self.refusals: list[tuple[int, str]] = []  # (status, URL) the test expects

    def open(self, locale: str = "zh-CN", *, width: int = 390, downloads: bool = False) -> object:
        context = self.browser.new_context(
            locale=locale,
            base_url=self.base_url,
            viewport={"width": width, "height": 844},
            accept_downloads=downloads,
        )
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        return page

    def _console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        if any(f"status of {status} " in msg.text and url == where for status, where in self.refusals):
            return
        self.problems.append(f"console: {msg.text} ({url})")

    def expect_refusal(self, status: int, path: str) -> None:
        self.refusals.append((status, self.base_url + path))

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def pages(browser, live_server) -> Iterator[Pages]:
    opened = Pages(browser, live_server.url)
    yield opened
    opened.close()
    assert not opened.problems, opened.problems
