"""What to tell whom when a comment is posted or changes state: rows added to the outbox.

Every ``enqueue_*`` method runs on the caller's connection, inside the caller's transaction,
so a comment and its notifications are committed together or not at all.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.domain.thread import Thread
from rejoinder.errors import RejoinderError, invalid, not_found
from rejoinder.notify import links
from rejoinder.notify.config import NotifyConfig
from rejoinder.notify.i18n import language_of
from rejoinder.notify.messages import Held, Reply, held_email, reply_email
from rejoinder.services.tokens import Signer
from rejoinder.store import audit
from rejoinder.store import comments as comment_store
from rejoinder.store import outbox as outbox_store
from rejoinder.store import sites as site_store
from rejoinder.store import threads as thread_store
from rejoinder.store.comments import StoredComment
from rejoinder.store.engine import Database
from rejoinder.store.rows import now
from rejoinder.store.tables import authors, comments

STATE_EVENTS = {"held", "approved", "rejected", "flagged"}


def thread_link(site: Site, uri: str, url: str | None) -> str:
    if url:
        return url
    return (site.origins[0].rstrip("/") if site.origins else "") + uri


async def _author(conn: AsyncConnection, author_id: int | None) -> tuple[str | None, str | None]:
    if author_id is None:
        return None, None
    row = (await conn.execute(
        select(authors.c.email, authors.c.name).where(authors.c.id == author_id)
    )).first()
    return (row.email, row.name) if row else (None, None)


def event_body(event: str, site: Site, comment: StoredComment, uri: str, title: str | None,
               url: str | None) -> dict[str, Any]:
    """The JSON a webhook receives; never an email or IP address."""
    return {
        "event": event,
        "site": site.key,
        "at": now().isoformat(),
        "comment": {
            "id": comment.id, "parent": comment.parent_id, "reply_to": comment.reply_to_id,
            "state": comment.state.value, "author_name": comment.author_name,
            "author_website": comment.author_website, "text": comment.text,
            "html": comment.html, "created": comment.created.isoformat(),
        },
        "thread": {"id": comment.thread_id, "uri": uri, "title": title,
                   "url": thread_link(site, uri, url)},
    }


@dataclass(frozen=True, slots=True)
class Notifications:
    cfg: NotifyConfig
    signer: Signer

    async def enqueue_for_new_comment(
        self, conn: AsyncConnection, site: Site, comment_id: int,
        *, reasons: Sequence[str] = (), comment: StoredComment | None = None,
        thread: Thread | None = None,
    ) -> int:
        """Call after inserting the comment; returns how many outbox rows were added.

        ``comment`` and ``thread``, when the caller has them as written in this transaction,
        save reading them again."""
        if comment is None:
            comment = await comment_store.comment_by_id(conn, comment_id)
            if comment is None:
                return 0
        if comment.state is CommentState.PUBLISHED:
            added = await self._webhooks(conn, site, comment, "comment.created", thread)
            return added + await self._reply(conn, site, comment, thread)
        if comment.state is CommentState.PENDING:
            return await self._held(conn, site, comment, reasons, thread)
        return 0

    async def enqueue_for_state_change(
        self, conn: AsyncConnection, site: Site, comment_id: int, event: str,
        *, reasons: Sequence[str] = (),
    ) -> int:
        """``event``: held | approved | rejected | flagged, after the change is written."""
        if event not in STATE_EVENTS:
            raise ValueError(f"unknown comment event {event!r}")
        comment = await comment_store.comment_by_id(conn, comment_id)
        if comment is None:
            return 0
        if event == "held":
            return await self._held(conn, site, comment, reasons)
        added = await self._webhooks(conn, site, comment, f"comment.{event}")
        if event == "approved":
            added += await self._reply(conn, site, comment)
        return added

    async def _webhooks(
        self, conn: AsyncConnection, site: Site, comment: StoredComment, event: str,
        known: Thread | None = None,
    ) -> int:
        hooks = await outbox_store.site_webhooks(conn, site.id, event=event)
        if not hooks:
            return 0
        thread = await _thread_of(conn, comment, known)
        body = event_body(event, site, comment, thread.uri, thread.title, thread.url)
        added = 0
        stamp = now().strftime("%Y%m%d%H%M%S%f")
        for hook in hooks:
            once = "" if event in ("comment.created", "comment.held") else f":{stamp}"
            added += await outbox_store.enqueue(
                conn, "webhook", {"webhook_id": hook.id, "event": body},
                f"webhook:{hook.id}:{event}:{comment.id}{once}", site_id=site.id,
            )
        return added

    async def _reply(
        self, conn: AsyncConnection, site: Site, comment: StoredComment,
        known: Thread | None = None,
    ) -> int:
        answered_id = comment.reply_to_id or comment.parent_id
        if answered_id is None or not self.cfg.email_enabled:
            return 0
        answered = await comment_store.comment_by_id(conn, answered_id)
        if answered is None or not answered.notify or answered.author_id is None:
            return 0
        if answered.state is not CommentState.PUBLISHED:
            return 0
        to, _ = await _author(conn, answered.author_id)
        mine, _ = await _author(conn, comment.author_id)
        if not to or answered.author_id == comment.author_id or (
            mine and mine.strip().lower() == to.strip().lower()
        ):
            return 0
        thread = await _thread_of(conn, comment, known)
        payload = reply_email(self.cfg, self.signer, language_of(site.settings), Reply(
            recipient=to, recipient_author_id=answered.author_id, site_id=site.id,
            comment_id=comment.id, replier_name=comment.author_name,
            thread_title=thread.title or thread.uri,
            thread_url=thread_link(site, thread.uri, thread.url),
            text=comment.text, html=comment.html,
        ))
        return int(await outbox_store.enqueue(
            conn, "email", payload, f"reply:{comment.id}:{answered.author_id}", site_id=site.id,
        ))

    async def _held(
        self, conn: AsyncConnection, site: Site, comment: StoredComment, reasons: Sequence[str],
        known: Thread | None = None,
    ) -> int:
        added = await self._webhooks(conn, site, comment, "comment.held", known)
        recipients = self.cfg.moderators + [
            a for a in site.settings.get("moderator_emails", []) or [] if isinstance(a, str)
        ]
        if not recipients or not self.cfg.email_enabled:
            return added
        thread = await _thread_of(conn, comment, known)
        item = Held(comment.id, comment.author_name, thread.title or thread.uri, comment.text,
                    comment.html, "; ".join(reasons))
        lang = language_of(site.settings)
        digest = self.cfg.moderator_digest_minutes * 60
        for to in dict.fromkeys(recipients):
            if digest:
                added += await _add_to_digest(conn, self, site, to, item, digest, lang)
                continue
            payload = held_email(self.cfg, self.signer, lang, to, site.name, [item])
            added += await outbox_store.enqueue(
                conn, "email", payload, f"held:{comment.id}:{to.lower()}", site_id=site.id,
            )
        return added


async def _thread_of(
    conn: AsyncConnection, comment: StoredComment, known: Thread | None
) -> Thread:
    if known is not None and known.id == comment.thread_id:
        return known
    thread = await thread_store.thread_by_id(conn, comment.thread_id)
    assert thread is not None
    return thread


async def _add_to_digest(
    conn: AsyncConnection, notes: Notifications, site: Site, to: str, item: Held,
    interval: int, lang: str,
) -> int:
    """Digest mode: one row per recipient and interval, rebuilt as held comments arrive."""
    stamp = now()
    bucket = int(stamp.timestamp()) // interval
    key = f"digest:{site.id}:{to.lower()}:{bucket}"
    due = stamp.replace(microsecond=0) + timedelta(seconds=interval - stamp.timestamp() % interval)
    existing = await outbox_store.row_by_key(conn, key)
    items = [Held(**h) for h in existing.payload.get("items", [])] if existing else []
    items.append(item)
    payload = held_email(notes.cfg, notes.signer, lang, to, site.name, items)
    payload["items"] = [
        {"comment_id": h.comment_id, "name": h.name, "title": h.title, "text": h.text,
         "html": h.html, "reasons": h.reasons} for h in items
    ]
    if existing is None:
        return int(await outbox_store.enqueue(conn, "email", payload, key, site_id=site.id,
                                              not_before=due))
    if existing.sent_at is None:
        await outbox_store.replace_payload(conn, existing.id, payload)
    return 0


async def apply_moderation_link(
    db: Database, notes: Notifications, token: str, *, actor: str = "email link"
) -> dict[str, Any]:
    """Approve or reject a held comment from a signed moderator link."""
    claims = links.verify(notes.signer, links.MODERATE, token)
    action, comment_id = claims.get("do"), claims.get("c")
    if action not in ("approve", "reject") or not isinstance(comment_id, int):
        raise RejoinderError(403, "link_invalid", "This link is not valid.")
    target = CommentState.PUBLISHED if action == "approve" else CommentState.REJECTED
    async with db.write() as conn:
        comment = await comment_store.comment_by_id(conn, comment_id)
        if comment is None:
            raise not_found("comment_not_found", "There is no such comment.")
        if comment.state is not CommentState.PENDING:
            return {"id": comment_id, "state": comment.state.value, "changed": False}
        site_ref = await comment_store.site_of_comment(conn, comment_id)
        assert site_ref is not None
        site = await site_store.site_by_id(conn, site_ref[0])
        assert site is not None
        await comment_store.update_comment(conn, comment_id, state=target)
        await thread_store.bump_version(conn, comment.thread_id)
        await audit.record_action(
            conn, site_id=site.id, comment_id=comment_id, actor=actor, action=str(action),
            from_state=comment.state.value, to_state=target.value,
        )
        await notes.enqueue_for_state_change(
            conn, site, comment_id, "approved" if action == "approve" else "rejected"
        )
    return {"id": comment_id, "state": target.value, "changed": True}


async def unsubscribe(db: Database, signer: Signer, token: str) -> int:
    """Stop reply emails for every comment of the link's author; returns comments changed."""
    claims = links.verify(signer, links.UNSUBSCRIBE, token)
    author_id = claims.get("a")
    if not isinstance(author_id, int):
        raise RejoinderError(403, "link_invalid", "This link is not valid.")
    async with db.write() as conn:
        result = await conn.execute(
            update(comments)
            .where(comments.c.author_id == author_id, comments.c.notify.is_(True))
            .values(notify=False)
        )
    return int(result.rowcount or 0)


class WebhookDirectory:
    """Webhooks of a site and their delivery log, for the CLI and the dashboard."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self, site: Site, url: str, *, secret: str | None = None,
        events: Sequence[str] = (), fmt: str = "json",
    ) -> outbox_store.Webhook:
        from rejoinder.notify.webhook import EVENTS

        if not url.startswith(("https://", "http://")):
            raise invalid("webhook_url", "A webhook address starts with https://.", "url")
        unknown = [e for e in events if e not in EVENTS]
        if unknown:
            raise invalid("webhook_events", f"Unknown events: {', '.join(unknown)}.", "events")
        if fmt not in ("json", "slack"):
            raise invalid("webhook_format", "format is json or slack.", "format")
        async with self.db.write() as conn:
            return await outbox_store.add_webhook(
                conn, site.id, url, secret or secrets.token_urlsafe(32), list(events), fmt
            )

    async def all(self, site: Site) -> list[outbox_store.Webhook]:
        async with self.db.read() as conn:
            return await outbox_store.site_webhooks(conn, site.id)

    async def set_active(self, webhook_id: int, active: bool) -> None:
        async with self.db.write() as conn:
            await outbox_store.set_webhook_active(conn, webhook_id, active)

    async def remove(self, webhook_id: int) -> None:
        async with self.db.write() as conn:
            await outbox_store.delete_webhook(conn, webhook_id)

    async def deliveries(
        self, site_id: int, limit: int = 50, webhook_id: int | None = None
    ) -> list[outbox_store.Delivery]:
        async with self.db.read() as conn:
            return await outbox_store.deliveries(conn, site_id, limit, webhook_id)
