"""The dashboard in Chromium: sign in, read why a comment was held, approve it with a key."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn

from rejoinder.app import build_services, create_app
from rejoinder.domain.states import CommentState
from rejoinder.services.accounts import AccountService
from rejoinder.services.sites import SiteDirectory
from rejoinder.settings import load_settings
from rejoinder.store.engine import Database
from rejoinder.store.migrate import upgrade_sync
from tests.browser.server import free_port
from tests.web.seeding import HELD_SIGNALS, seed_comment

playwright_sync = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "dashboard.png"
PASSWORD = "correct horse battery"


@dataclass
class Server:
    base: str
    held: int


async def _seed(url: str) -> int:
    db = Database(url)
    try:
        sites = SiteDirectory(db)
        await sites.add("test", "Riverside Courier", ["https://blog.example.org"])
        await AccountService(db, sites).add_user("alice", PASSWORD, "moderator", ["test"])
        uri = "/2022/03/peace-talks"
        first = await seed_comment(
            db, "Negotiations only work when both sides believe the other can still lose.",
            uri=uri, author="Olena K.", state=CommentState.PUBLISHED)
        await seed_comment(
            db, "> both sides believe\n\nThey don't. Read the communiqué again.", uri=uri,
            author="Marek", parent=first, state=CommentState.PUBLISHED)
        held = await seed_comment(
            db, "Only an idiot would believe this. Proof: https://a.example/1 "
            "https://b.example/2 https://c.example/3", uri=uri, author="truthseeker",
            parent=first, signals=HELD_SIGNALS)
        await seed_comment(db, "BUY CHEAP WATCHES https://spam.example", uri=uri,
                           author="deals", signals=[HELD_SIGNALS[0]])
        return held
    finally:
        await db.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    url = f"sqlite:///{tmp_path_factory.mktemp('dash') / 'dash.sqlite3'}"
    upgrade_sync(url)
    held = asyncio.run(_seed(url))
    port = free_port()
    settings = load_settings(environ={}, database_url=url, secret_key="browser-test",
                             host="127.0.0.1", port=port)
    app = create_app(settings, build_services(settings))
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            timeout_graceful_shutdown=1)
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "server did not start"
        time.sleep(0.05)
    yield Server(f"http://127.0.0.1:{port}", held)
    uv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright_sync.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


def _public_html(base: str) -> str:
    r = httpx.get(f"{base}/api/v1/comments",
                  params={"site": "test", "uri": "/2022/03/peace-talks"})
    assert r.status_code == 200
    return r.text


def test_sign_in_read_reasons_and_approve_with_the_keyboard(server: Server, browser) -> None:
    context = browser.new_context(viewport={"width": 1200, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{server.base}/moderate")
        assert "/moderate/login" in page.url
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/moderate/test/queue/pending")
        page.locator("body[data-ready='1']").wait_for(state="attached")
        item = page.locator(f"#c{server.held}")
        reasons = item.locator(".reasons").inner_text()
        for reason in ("3 links", "suspect word: idiot", "toxicity 0.93"):
            assert reason in reasons
        assert "in reply to Olena K." in item.inner_text()
        page.keyboard.press("?")
        assert page.locator("#help").is_visible()
        page.keyboard.press("Escape")
        assert not page.locator("#help").is_visible()
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=False)

        assert "Only an idiot" not in _public_html(server.base)
        page.locator(f"#c{server.held}").click(position={"x": 5, "y": 5})
        assert "current" in (item.get_attribute("class") or "")
        page.keyboard.press("a")
        page.locator(f"#c{server.held}[data-done='approve']").wait_for(state="attached")
        assert "Only an idiot" in _public_html(server.base)
        # the selection moved on to the next held comment
        assert "current" in (page.locator(".item:not(.gone)").first.get_attribute("class") or "")
        page.reload()
        assert page.locator(f"#c{server.held}").count() == 0
    finally:
        context.close()
