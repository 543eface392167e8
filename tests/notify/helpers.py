from __future__ import annotations

import re
from email.message import EmailMessage
from typing import Any

from rejoinder.notify.config import NotifyConfig
from rejoinder.services.notifications import Notifications
from rejoinder.store import comments as comment_store
from tests.helpers import post

URL = re.compile(r"http://testserver(/api/v1/[^\s\"<>]+)")


def notes_of(client: Any) -> Notifications:
    cfg: NotifyConfig = client.app.state.notify_config
    return Notifications(cfg, client.services.signer)


async def post_and_notify(client: Any, text: str = "Hello", **fields: Any) -> int:
    """Post through the API, then run the posting hook as the posting service does."""
    response = await post(client, text, **fields)
    assert response.status_code == 201, response.text
    comment_id = int(response.json()["comment"]["id"])
    site = await client.services.sites.require("test")
    async with client.services.db.write() as conn:
        await notes_of(client).enqueue_for_new_comment(conn, site, comment_id)
    return comment_id


async def hold(client: Any, comment_id: int, reasons: tuple[str, ...] = ()) -> int:
    from rejoinder.domain.states import CommentState

    site = await client.services.sites.require("test")
    async with client.services.db.write() as conn:
        await comment_store.update_comment(conn, comment_id, state=CommentState.PENDING)
        return await notes_of(client).enqueue_for_state_change(
            conn, site, comment_id, "held", reasons=reasons)


def body_text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return str(part.get_content())


def links_in(message: EmailMessage) -> list[str]:
    return URL.findall(body_text(message))


async def run_outbox(client: Any) -> tuple[int, int]:
    """Deliver what is due once, with the test's notification config; (sent, failed)."""
    from rejoinder.notify.worker import OutboxWorker

    worker = OutboxWorker(client.services.db, client.app.state.notify_config)
    try:
        stats = await worker.run_once()
    finally:
        await worker.stop()
    return stats.sent, stats.failed
