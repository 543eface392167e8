"""A real Rejoinder server on loopback for browser tests and the widget benchmark.

It runs uvicorn in a background thread over a fresh SQLite file, with the demo site (seeded with
the sample discussion) and a ``test`` site whose pages are served by a small host-page route:
``/t/<name>?lang=de&theme=dark&max-depth=2&sort=newest`` embeds the widget for thread ``/t/<name>``.
"""

from __future__ import annotations

import asyncio
import html
import secrets
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import uvicorn
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from rejoinder.app import build_services, create_app
from rejoinder.demo.seed import seed_discussion
from rejoinder.domain.states import CommentState
from rejoinder.render import render
from rejoinder.services.sites import SiteDirectory
from rejoinder.services.tokens import Signer, author_key, avatar_seed
from rejoinder.settings import load_settings
from rejoinder.store import authors as author_store
from rejoinder.store import comments as comment_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import NewCommentRow
from rejoinder.store.engine import Database
from rejoinder.store.migrate import upgrade_sync
from rejoinder.web import demo
from tests.conftest import RELAXED as TEST_LIMITS

# Browser tests post quickly and often from one address: relax the abuse limits for the test sites.
RELAXED = {**TEST_LIMITS, "min_seconds_to_post": 0}
OPTIONS = ("lang", "theme", "max-depth", "sort", "uri", "title")
HELD_SITE = "held"

PAGE = """<!doctype html>
<html lang="{html_lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Test page {name}</title>
<style>body{{font:17px/1.6 Georgia,serif;max-width:46rem;margin:1.5rem auto;padding:0 1rem}}
{page_css}</style></head>
<body><h1>On the matter of {name}</h1><p>An article worth arguing about.</p>
<div id="rejoinder"></div>
<script src="/embed.js" data-rejoinder-site="{site}"{attrs} async></script>
</body></html>"""


def run_async(coro):  # type: ignore[no-untyped-def]
    """asyncio.run on a worker thread: Playwright's sync API keeps a loop on the main thread."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


host_pages = APIRouter()


@host_pages.get("/t/{name}")
async def host_page(request: Request, name: str) -> HTMLResponse:
    attrs = "".join(
        f' data-rejoinder-{key}="{html.escape(request.query_params[key])}"'
        for key in OPTIONS
        if key in request.query_params
    )
    dark = request.query_params.get("theme") == "dark"
    return HTMLResponse(PAGE.format(
        name=html.escape(name), attrs=attrs,
        site=html.escape(request.query_params.get("site", "test")),
        html_lang=html.escape(request.query_params.get("page-lang", "en")),
        page_css="body{background:#16181c;color:#e6e8eb}" if dark else "",
    ))


@dataclass
class LiveServer:
    base: str
    database_url: str
    secret: str
    server: uvicorn.Server
    thread: threading.Thread

    def page(self, name: str, **options: str) -> str:
        query = "&".join(f"{k.replace('_', '-')}={v}" for k, v in options.items())
        return f"{self.base}/t/{name}" + (f"?{query}" if query else "")

    def run(self, coro_fn, *args):  # type: ignore[no-untyped-def]
        """Run ``coro_fn(db, *args)`` against the server's database on a private loop."""

        async def go():  # type: ignore[no-untyped-def]
            db = Database(self.database_url)
            try:
                return await coro_fn(db, *args)
            finally:
                await db.dispose()

        return run_async(go())

    def seed(self, uri: str, tops: int, replies: int = 0, site: str = "test") -> list[int]:
        """``tops`` top-level comments, each with a chain-free run of ``replies`` direct replies."""
        return self.run(seed_thread, site, Signer.from_secret(self.secret), uri, tops, replies)

    def configure(self, site: str, settings: dict[str, object]) -> None:
        async def update(db: Database) -> None:
            await SiteDirectory(db).update(site, settings=settings)

        self.run(update)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


async def seed_thread(
    db: Database, site_key: str, signer: Signer, uri: str, tops: int, replies: int
) -> list[int]:
    site = await SiteDirectory(db).require(site_key)
    start = datetime.now(UTC) - timedelta(hours=tops + 1)
    made: list[int] = []
    async with db.write() as conn:
        thread = await thread_store.get_or_create_thread(conn, site.id, uri, "Seeded", None)
        n = 0
        for top in range(tops):
            parent = await _insert(conn, thread.id, site.id, signer, None, top, 0, start, n)
            made.append(parent[0])
            n += 1
            for reply in range(replies):
                child = await _insert(conn, thread.id, site.id, signer, parent, top, reply + 1,
                                      start, n)
                made.append(child[0])
                n += 1
        await thread_store.bump_version(conn, thread.id)
    return made


async def _insert(conn, thread_id, site_id, signer, parent, top, reply, start, n):  # type: ignore[no-untyped-def]
    name = f"Reader {top}" if not reply else f"Replier {top}.{reply}"
    text = (f"Top-level comment number {top}." if not reply
            else f"Reply {reply} to comment {top}.")
    author = await author_store.upsert_author(
        conn, site_id, author_key(signer, None, name, "seed"), name, None, None
    )
    comment_id, path = await comment_store.insert_comment(conn, NewCommentRow(
        thread_id=thread_id, parent_id=parent[0] if parent else None,
        parent_path=parent[1] if parent else None, reply_to_id=parent[0] if parent else None,
        depth=1 if parent else 0, author_id=author, state=CommentState.PUBLISHED, text=text,
        html=render(text), author_name=name, author_website=None,
        avatar=avatar_seed(signer, None, name, "seed"), ip=None, notify=False,
        created=start + timedelta(minutes=n),
    ))
    return comment_id, path


def start_server(folder: Path) -> LiveServer:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    url = f"sqlite:///{folder / 'browser.sqlite3'}"
    secret = secrets.token_urlsafe(32)
    upgrade_sync(url)

    async def sites(db: Database) -> None:
        directory = SiteDirectory(db)
        demo_site = await directory.add("demo", "The Riverside Courier", [base], dict(RELAXED))
        await directory.add("test", "Test blog", [base], dict(RELAXED))
        held = {**RELAXED, "moderation_mode": "pre", "mode": "pre"}
        await directory.add(HELD_SITE, "Pre-moderated blog", [base], held)
        await seed_discussion(db, demo_site, Signer.from_secret(secret), base)

    async def go() -> None:
        db = Database(url)
        try:
            await sites(db)
        finally:
            await db.dispose()

    run_async(go())
    settings = load_settings(environ={}, database_url=url, secret_key=secret,
                             host="127.0.0.1", port=port)
    app = create_app(settings, build_services(settings))
    app.include_router(demo.router)
    app.include_router(host_pages)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                            timeout_graceful_shutdown=1, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    scoring = app.state.services.scoring
    while scoring is not None and scoring.load_seconds is None:  # models warm up at startup
        if time.monotonic() > deadline + 40:
            raise RuntimeError("the classifiers did not load")
        time.sleep(0.05)
    return LiveServer(base, url, secret, server, thread)
