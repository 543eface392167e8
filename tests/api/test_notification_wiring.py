"""Posting and flagging through the API queue notifications in the same transaction."""

from __future__ import annotations

from rejoinder.notify.worker import OutboxWorker
from rejoinder.store import outbox as outbox_store
from tests.conftest import RELAXED
from tests.helpers import post


async def test_reply_email_is_queued_by_posting_and_delivered(client_factory, mailbox):
    client = await client_factory(
        public_url="http://testserver", smtp_host="127.0.0.1", smtp_port=mailbox.port,
        smtp_security="none", smtp_from="Comments <c@example.org>",
        notify_moderators="mod@example.org", notify_worker=False,
    )
    parent = (await post(client, "Top comment", name="Ann", email="ann@example.org",
                         notify=True)).json()["comment"]["id"]
    await post(client, "A reply to Ann", parent=parent, name="Bob", email="bob@example.org")
    await post(client, "Ann answers herself", parent=parent, email="ann@example.org")
    async with client.services.db.read() as conn:
        kinds = [r.kind for r in await outbox_store.rows(conn)]
    assert kinds.count("email") == 1
    worker = OutboxWorker(client.services.db, client.services.notifications.cfg)
    assert (await worker.run_once()).sent == 1
    await worker.stop()
    [message] = mailbox.messages
    assert message["To"] == "ann@example.org"
    assert "List-Unsubscribe" in message


async def test_held_comment_notifies_moderators(client_factory, mailbox):
    client = await client_factory(
        site_settings={**RELAXED, "mode": "pre"},
        public_url="http://testserver", smtp_host="127.0.0.1", smtp_port=mailbox.port,
        smtp_security="none", notify_moderators="mod@example.org", notify_worker=False,
    )
    await post(client, "Please review me")
    worker = OutboxWorker(client.services.db, client.services.notifications.cfg)
    await worker.run_once()
    await worker.stop()
    assert [m["To"] for m in mailbox.messages] == ["mod@example.org"]
