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
