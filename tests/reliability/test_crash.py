"""Durability and outages with the server as a real process.

* SIGKILL in the middle of a concurrent write load: every comment that got a 201 must be there,
  with the same text, after a restart (SQLite and PostgreSQL).
* PostgreSQL going away (a TCP proxy between server and database is cut): requests answer 503
  ``database_unavailable``, never 500, and the server recovers by itself when it comes back.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import pytest

from bench import rejoinder_side
from bench.servers import Server
from rejoinder.services.sites import SiteDirectory
from rejoinder.store.engine import Database
from rejoinder.store.migrate import upgrade
from tests.reliability.tcp_proxy import CuttableProxy

pytestmark = pytest.mark.slow

SITE = "crash"
ORIGIN = "https://crash.example.org"
WORKERS = 24
KILL_AFTER_ACKS = 80
KILL_AFTER_SECONDS = 8.0


async def prepare(url: str) -> None:
    db = Database(url)
    try:
        await upgrade(db)
        # many readers in one thread at once: lift only the per-thread posting limit
        await SiteDirectory(db).add(SITE, "Crash", [ORIGIN], {"post_per_thread": [10**6, 60]})
    finally:
        await db.dispose()


def base(server: Server) -> str:
    return f"http://127.0.0.1:{server.port}"


def comment_body(worker: int, n: int, parent: int | None) -> dict[str, Any]:
    text = (f"Worker {worker} comment {n}: *durable* text with a [link](https://example.org/{n})"
            f"\n\n> quoting {worker}.{n}\n\nAnd a last paragraph {n * 7919 % 104729}.")
    return {"site": SITE, "uri": f"/t/{worker % 3}", "text": text, "name": f"Writer {worker}-{n}",
            "parent": parent}


async def write_until_killed(server: Server) -> dict[int, tuple[str, str]]:
    """Post from many connections; SIGKILL the server mid-load; return what was acknowledged."""
    acked: dict[int, tuple[str, str]] = {}
    async with httpx.AsyncClient(base_url=base(server), timeout=60) as client:
        # the first post loads the moderation models; the load starts after it
        r = await client.post("/api/v1/comments", json=comment_body(0, -1, None),
                              headers={"Origin": ORIGIN, "X-Forwarded-For": "10.2.0.1"})
        assert r.status_code == 201, r.text
    started = time.monotonic()
    killed = asyncio.Event()
    statuses: Counter[int] = Counter()

    async def worker(w: int) -> None:
        async with httpx.AsyncClient(base_url=base(server), timeout=10) as client:
            n = 0
            last: int | None = None
            while not killed.is_set():
                body = comment_body(w, n, last if n % 3 == 2 else None)
                n += 1
                try:
                    r = await client.post("/api/v1/comments", json=body, headers={
                        "Origin": ORIGIN, "X-Forwarded-For": f"10.1.{w}.{n % 250}"})
                except httpx.TransportError:
                    return
                statuses[r.status_code] += 1
                if r.status_code == 201:
                    data = r.json()
                    acked[data["comment"]["id"]] = (body["text"], data["edit_token"])
                    last = data["comment"]["id"]
                else:
                    assert r.status_code < 500, r.text

    async def killer() -> None:
        while len(acked) < KILL_AFTER_ACKS and time.monotonic() - started < KILL_AFTER_SECONDS:
            await asyncio.sleep(0.01)
        server.kill()
        killed.set()

    await asyncio.gather(killer(), *(worker(w) for w in range(WORKERS)))
    assert len(acked) >= 10, f"too few writes before the kill: {statuses}\n{server.tail()}"
    return acked


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_acknowledged_comments_survive_sigkill(backend: str, tmp_path: Path) -> None:
    with rejoinder_side.database(backend, tmp_path) as url:
        asyncio.run(prepare(url))
        log = tmp_path / "server.log"
        server = rejoinder_side.server(url, log).start()
        try:
            acked = asyncio.run(write_until_killed(server))
        finally:
            server.kill()

        server = rejoinder_side.server(url, log).start()
        try:
            with httpx.Client(base_url=base(server), timeout=10) as client:
                missing, altered = [], []
                for comment_id, (text, token) in sorted(acked.items()):
                    r = client.get(f"/api/v1/comments/{comment_id}",
                                   headers={"X-Rejoinder-Edit-Token": token})
                    if r.status_code != 200:
                        missing.append((comment_id, r.status_code))
                    elif r.json()["text"] != text:
                        altered.append(comment_id)
                assert not missing, f"acknowledged but lost: {missing}"
                assert not altered, f"acknowledged but changed: {altered}"
                # the server still takes writes after the crash
                r = client.post("/api/v1/comments", json=comment_body(99, 0, None),
                                headers={"Origin": ORIGIN})
                assert r.status_code == 201, r.text
        finally:
            server.stop()
        if backend == "sqlite":
            path = url.removeprefix("sqlite:///")
            with sqlite3.connect(path) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def _assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, (response.request.url, response.text)
    assert response.json()["code"] == "database_unavailable"
    assert response.headers.get("retry-after")


@pytest.mark.postgres
def test_postgres_outage_answers_503_and_recovers(tmp_path: Path) -> None:
    with rejoinder_side.database("postgres", tmp_path) as url:
        asyncio.run(prepare(url))
        proxy = CuttableProxy("127.0.0.1", 5432).start()
        try:
            proxied = url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
            assert proxied != url
            server = rejoinder_side.server(proxied, tmp_path / "server.log").start()
            try:
                run_outage(server, proxy)
            finally:
                server.stop()
        finally:
            proxy.close()


def run_outage(server: Server, proxy: CuttableProxy) -> None:
    listing = {"site": SITE, "uri": "/t/0"}
    with httpx.Client(base_url=base(server), timeout=20) as client:
        first = client.post("/api/v1/comments", json=comment_body(1, 1, None),
                            headers={"Origin": ORIGIN})
        assert first.status_code == 201, first.text
        assert client.get("/api/v1/comments", params=listing).status_code == 200
        assert client.get("/healthz").status_code == 200

        proxy.cut()
        # a process may answer a listing it read less than listing_cache_seconds ago without
        # asking the database; after that, every request needs the database
        time.sleep(1.2)
        attempts = [
            lambda: client.get("/healthz"),
            lambda: client.get("/api/v1/comments", params=listing),
            lambda: client.get("/api/v1/comments", params={"site": SITE, "uri": "/fresh"}),
            lambda: client.post("/api/v1/comments", json=comment_body(2, 2, None),
                                headers={"Origin": ORIGIN, "X-Forwarded-For": "10.9.9.9"}),
            lambda: client.get(f"/api/v1/comments/{first.json()['comment']['id']}"),
            lambda: client.post("/api/v1/counts", json={"site": SITE, "uris": ["/t/0"]}),
        ]
        for attempt in attempts:
            t0 = time.monotonic()
            _assert_unavailable(attempt())
            assert time.monotonic() - t0 < 10, "an outage answer should not hang"

        proxy.restore()
        deadline = time.monotonic() + 20
        while client.get("/healthz").status_code != 200:
            assert time.monotonic() < deadline, "the server did not recover by itself"
            time.sleep(0.2)
        again = client.post("/api/v1/comments", json=comment_body(3, 3, None),
                            headers={"Origin": ORIGIN, "X-Forwarded-For": "10.9.9.10"})
        assert again.status_code == 201, again.text
        for posted in (first, again):  # with the edit token: a held comment is shown too
            r = client.get(f"/api/v1/comments/{posted.json()['comment']['id']}",
                           headers={"X-Rejoinder-Edit-Token": posted.json()["edit_token"]})
            assert r.status_code == 200, r.text
        assert client.get("/api/v1/comments", params=listing).status_code == 200


async def test_store_outage_in_middleware_is_a_503_not_a_500(tmp_path: Path) -> None:
    """The CORS check reads the sites' origins before any route runs; when the database is gone
    there, the answer must still be the 503 problem."""
    from rejoinder.app import build_services, create_app
    from rejoinder.errors import StoreUnavailable
    from tests.conftest import make_settings

    url = f"sqlite:///{tmp_path / 'm.sqlite3'}"
    await prepare(url)
    config = make_settings(url)
    services = build_services(config)

    async def unreachable(_origin: str) -> bool:
        raise StoreUnavailable("connection refused")

    services.sites.any_site_allows = unreachable  # type: ignore[method-assign]
    app = create_app(config, services)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.get("/api/v1/comments", params={"site": SITE, "uri": "/a"},
                             headers={"Origin": ORIGIN})
    await services.db.dispose()
    _assert_unavailable(r)
