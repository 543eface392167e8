# ruff: noqa: F811  (fixtures imported from tests/notify/conftest.py)
from __future__ import annotations

import pytest
from sqlalchemy import update

from rejoinder.errors import ConfigError
from rejoinder.notify.config import NotifyConfig
from rejoinder.notify.worker import OutboxWorker
from rejoinder.store import outbox as outbox_store
from rejoinder.store.notify_tables import outbox
from tests.notify.conftest import notify_client, notify_config  # noqa: F401
from tests.notify.helpers import hold, links_in, post_and_notify


def test_config_reads_a_mapping_and_checks_values():
    cfg = NotifyConfig.from_mapping({"smtp_host": "mail", "smtp_port": "2525",
                                     "notify_moderators": "a@x.org, b@x.org",
                                     "public_url": "https://c.example/", "unknown": 1})
    assert (cfg.smtp_port, cfg.moderators, cfg.public_url) == (
        2525, ["a@x.org", "b@x.org"], "https://c.example")
    assert cfg.email_enabled and not NotifyConfig().email_enabled
    with pytest.raises(ConfigError):
        NotifyConfig.from_mapping({"smtp_security": "ssl"})


async def test_digest_collects_held_comments_into_one_email(notify_client, mailbox):
    client = notify_client
    client.app.state.notify_config = notify_config(mailbox, moderator_digest_minutes=60)
    first = await post_and_notify(client, "First held")
    second = await post_and_notify(client, "Second held")
    await hold(client, first)
    await hold(client, second)
    async with client.services.db.write() as conn:
        [row] = await outbox_store.rows(conn, kind="email")
        assert len(row.payload["items"]) == 2
        await conn.execute(update(outbox).values(
            next_attempt_at=row.next_attempt_at.replace(year=2000)))
    worker = OutboxWorker(client.services.db, client.app.state.notify_config)
    assert (await worker.run_once()).sent == 1
    await worker.stop()
    [message] = mailbox.messages
    assert message["Subject"] == "[Test site] 2 comments are waiting for moderation"
    assert len(links_in(message)) == 4


async def test_no_email_rows_when_smtp_is_not_configured(notify_client):
    client = notify_client
    client.app.state.notify_config = NotifyConfig(public_url="http://testserver",
                                                  notify_moderators="m@x.org")
    parent = await post_and_notify(client, "Top", email="a@x.org", notify=True)
    await post_and_notify(client, "Reply", parent=parent, email="b@x.org")
    assert await hold(client, parent) == 0
    async with client.services.db.read() as conn:
        assert await outbox_store.rows(conn) == []
