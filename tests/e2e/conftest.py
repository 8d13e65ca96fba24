"""End-to-end tests in a real browser: Playwright driving Debian's Chromium.

Playwright's own browser download does not work offline, so the tests use the system
Chromium (`apt-get install chromium`). Without it they are skipped, unless
TSUNAGU_REQUIRE_BROWSER=1 (as in CI), where a missing browser is a failure.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls that set up
# test data are still synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.getenv("TSUNAGU_CHROMIUM", "/usr/bin/chromium")
SCREENSHOT_DIR = os.getenv("TSUNAGU_SCREENSHOT_DIR", "")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.getenv("TSUNAGU_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium がありません: {CHROMIUM}（apt-get install chromium）")
        pytest.skip("Chromium がないためブラウザテストを省略します（apt-get install chromium）")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(browser, live_server):  # type: ignore[no-untyped-def]
    """A factory of pages, each in its own browser context (its own cookies)."""
    contexts = []

    def make(width: int = 1280, height: int = 860):  # type: ignore[no-untyped-def]
        context = browser.new_context(
            base_url=live_server.url, locale="ja-JP", viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):  # type: ignore[no-untyped-def]
    return new_page()


def login(page, username: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login/")
    page.get_by_label("ユーザー名").fill(username)
    page.get_by_label("パスワード").fill(password)
    page.get_by_role("button", name="ログイン").click()
    page.wait_for_url("**/")


def screenshot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Save a screenshot for the docs when TSUNAGU_SCREENSHOT_DIR is set."""
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=True)
