from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rejoinder.notify.webhook import slack_text
from rejoinder.notify.worker import OutboxWorker, backoff
from rejoinder.services.notifications import WebhookDirectory
from rejoinder.store import outbox as outbox_store
from tests.notify.helpers import hold, post_and_notify, run_outbox


class Receiver:
    """A tiny HTTP server that records requests and answers with scripted status codes."""

    def __init__(self, statuses: list[int] | None = None) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses = list(statuses or [])
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers.items()), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"boom")

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()




async def test_signed_json_webhook_for_created_and_held(notify_client, receiver):
    client = notify_client
    site = await client.services.sites.require("test")
    hook = await WebhookDirectory(client.services.db).add(site, receiver.url, secret="s3cret")
    comment = await post_and_notify(client, "Hello *hook*", name="Ann", email="a@example.org",
                                    title="Essay")
    await hold(client, comment, ("bad words",))
    assert await run_outbox(client) == (3, 0)  # two webhooks and the moderator's email
    events = []
    for headers, body in receiver.requests:
        expected = "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
        assert headers["X-Rejoinder-Signature"] == expected
        assert int(headers["X-Rejoinder-Timestamp"]) > 1_600_000_000
        data = json.loads(body)
        assert headers["X-Rejoinder-Event"] == data["event"]
        assert data["comment"]["id"] == comment and data["thread"]["title"] == "Essay"
        assert "a@example.org" not in body.decode() and "203.0.113.7" not in body.decode()
        events.append(data["event"])
    assert events == ["comment.created", "comment.held"]
    log = await WebhookDirectory(client.services.db).deliveries(site.id, 10)
    assert [d.status_code for d in log] == [200, 200]
    assert all(d.webhook_id == hook.id and d.response == "ok" for d in log)


async def test_failed_delivery_is_logged_and_retried(notify_client, receiver):
    client = notify_client
    receiver.statuses = [500]
    site = await client.services.sites.require("test")
    await WebhookDirectory(client.services.db).add(site, receiver.url,
                                                   events=["comment.created"])
    await post_and_notify(client, "One")
    assert await run_outbox(client) == (0, 1)
    async with client.services.db.write() as conn:
        [row] = await outbox_store.rows(conn, kind="webhook")
        assert row.last_error == "HTTP 500" and row.sent_at is None
        from sqlalchemy import update

        from rejoinder.store.notify_tables import outbox
        await conn.execute(update(outbox).values(
            next_attempt_at=row.next_attempt_at.replace(year=2000)))
    assert await run_outbox(client) == (1, 0)
    log = await WebhookDirectory(client.services.db).deliveries(site.id, 10)
    assert [(d.status_code, d.error) for d in log] == [(200, None), (500, "HTTP 500")]
    assert len(receiver.requests) == 2
    assert receiver.requests[0][0]["X-Rejoinder-Delivery"] == str(row.id)


async def test_slack_format_sends_text_only(notify_client, receiver):
    client = notify_client
    site = await client.services.sites.require("test")
    await WebhookDirectory(client.services.db).add(site, receiver.url, fmt="slack")
    await post_and_notify(client, "Short note", name="Ann", title="Essay")
    assert await run_outbox(client) == (1, 0)
    data = json.loads(receiver.requests[0][1])
    assert list(data) == ["text"]
    assert "*Ann* commented on _Essay_" in data["text"] and "Short note" in data["text"]
    assert slack_text({"event": "comment.flagged", "comment": {}, "thread": {}}).startswith(
        "*Someone* was flagged on _a page_")


async def test_paused_and_unsubscribed_hooks_get_nothing(notify_client, receiver):
    client = notify_client
    site = await client.services.sites.require("test")
    hooks = WebhookDirectory(client.services.db)
    only_held = await hooks.add(site, receiver.url, events=["comment.held"])
    paused = await hooks.add(site, receiver.url)
    await hooks.set_active(paused.id, False)
    await post_and_notify(client, "Published")
    assert await run_outbox(client) == (0, 0)
    assert receiver.requests == [] and only_held.events == ["comment.held"]


async def test_two_workers_deliver_each_row_exactly_once(notify_client, receiver):
    client = notify_client
    site = await client.services.sites.require("test")
    await WebhookDirectory(client.services.db).add(site, receiver.url)
    for i in range(30):
        await post_and_notify(client, f"comment {i}")
    cfg = client.app.state.notify_config
    workers = [OutboxWorker(client.services.db, cfg, batch_size=4) for _ in range(3)]
    results = await asyncio.gather(*(w.run_once() for w in workers))
    for w in workers:
        await w.stop()
    assert sum(r.sent for r in results) == 30
    ids = [h["X-Rejoinder-Delivery"] for h, _ in receiver.requests]
    assert len(ids) == 30 and len(set(ids)) == 30


async def test_a_poll_with_nothing_due_takes_no_write_transaction(notify_client, receiver):
    client = notify_client
    db = client.services.db
    site = await client.services.sites.require("test")
    await WebhookDirectory(db).add(site, receiver.url)
    writes: list[int] = []
    original = db.write

    def counting_write():  # type: ignore[no-untyped-def]
        writes.append(1)
        return original()

    db.write = counting_write
    try:
        assert await run_outbox(client) == (0, 0)
        assert writes == []  # on SQLite a write transaction would take the one write lock
        await post_and_notify(client, "Now something is due")
        assert await run_outbox(client) == (1, 0)
        assert len(writes) >= 1 and len(receiver.requests) == 1
    finally:
        del db.write


def test_backoff_doubles_with_jitter_and_a_cap():
    import random

    rng = random.Random(1)
    first = [backoff(1, rng) for _ in range(50)]
    assert all(15 <= d <= 45 for d in first) and len(set(first)) > 40
    assert 120 * 0.5 <= backoff(3, rng) <= 120 * 1.5
    assert backoff(40, rng) <= 6 * 3600 * 1.5
