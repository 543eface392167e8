from __future__ import annotations

from collections.abc import Iterator

import pytest

playwright_sync = pytest.importorskip("playwright.sync_api")

from tests.browser.server import LiveServer, start_server  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    server = start_server(tmp_path_factory.mktemp("browser"))
    yield server
    server.stop()


# Per module, not per session: Playwright's sync API keeps an event loop running on the main
# thread while it is open, which would stop asyncio tests elsewhere in the suite from running.
@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser):  # type: ignore[no-untyped-def]
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.set_default_timeout(10000)
    return page


def wait_ready(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_function(
        "performance.getEntriesByName('rejoinder:ready').length > 0", timeout=10000
    )
