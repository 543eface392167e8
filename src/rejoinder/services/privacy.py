"""A reader's own data: export it, or erase it while keeping the shape of the threads."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.site import Site
from rejoinder.domain.states import CommentState
from rejoinder.errors import RejoinderError, invalid
from rejoinder.notify import links
from rejoinder.notify.i18n import language_of
from rejoinder.notify.messages import privacy_email
from rejoinder.services.notifications import Notifications
from rejoinder.store import audit
from rejoinder.store import outbox as outbox_store
from rejoinder.store import threads as thread_store
from rejoinder.store.engine import Database
from rejoinder.store.notify_tables import outbox
from rejoinder.store.rows import utc
from rejoinder.store.tables import authors, comments, threads

Kind = Literal["export", "erase"]
LINK_HOURS = 24


def _iso(value: Any) -> str | None:
    stamp = utc(value)
    return stamp.isoformat() if stamp else None


async def _author_ids(conn: AsyncConnection, site_id: int, email: str) -> list[int]:
    query = select(authors.c.id).where(
        authors.c.site_id == site_id, func.lower(authors.c.email) == email.strip().lower()
    )
    return [int(i) for i in (await conn.execute(query)).scalars().all()]


async def author_data(db: Database, site: Site, email: str) -> dict[str, Any]:
    """Everything stored about the authors with this email on ``site``, as JSON-ready data."""
    async with db.read() as conn:
        ids = await _author_ids(conn, site.id, email)
        people = (await conn.execute(
            select(authors).where(authors.c.id.in_(ids)).order_by(authors.c.id)
        )).mappings().all()
        rows = (await conn.execute(
            select(comments, threads.c.uri, threads.c.title)
            .select_from(comments.join(threads, comments.c.thread_id == threads.c.id))
            .where(comments.c.author_id.in_(ids))
            .order_by(comments.c.id)
        )).mappings().all()
    return {
        "site": site.key,
        "email": email,
        "authors": [
            {"name": p["name"], "email": p["email"], "website": p["website"],
             "created": _iso(p["created"])} for p in people
        ],
        "comments": [
            {"id": r["id"], "thread": {"uri": r["uri"], "title": r["title"]},
             "parent": r["parent_id"], "state": r["state"], "text": r["text"],
             "author_name": r["author_name"], "author_website": r["author_website"],
             "ip": r["ip"], "notify": bool(r["notify"]), "likes": r["likes"],
             "created": _iso(r["created"]), "edited": _iso(r["edited"])} for r in rows
        ],
    }


@dataclass(slots=True)
class Erasure:
    authors: int = 0
    removed: int = 0  # comments without replies, deleted outright
    placeholders: int = 0  # comments with replies, kept as "[deleted]"
    threads: set[int] = field(default_factory=set)


async def erase_author(db: Database, site: Site, email: str, *, actor: str) -> Erasure:
    """Remove the author's words and personal data in one transaction.

    Comments with replies stay as deleted placeholders so the replies keep their place;
    the others are removed, deepest first so a chain of the author's own comments goes too.
    """
    result = Erasure()
    async with db.write() as conn:
        ids = await _author_ids(conn, site.id, email)
        result.authors = len(ids)
        if not ids:
            return result
        rows = (await conn.execute(
            select(comments.c.id, comments.c.thread_id, comments.c.state)
            .where(comments.c.author_id.in_(ids))
            .order_by(comments.c.depth.desc(), comments.c.id.desc())
        )).all()
        for comment_id, thread_id, state in rows:
            result.threads.add(int(thread_id))
            has_replies = (await conn.execute(
                select(exists().where(comments.c.parent_id == comment_id))
            )).scalar()
            if has_replies:
                await conn.execute(update(comments).where(comments.c.id == comment_id).values(
                    state=CommentState.DELETED.value, text="", html="", author_name=None,
                    author_website=None, ip=None, notify=False, author_id=None, avatar="",
                ))
                result.placeholders += 1
            else:
                await conn.execute(update(comments).where(comments.c.reply_to_id == comment_id)
                                   .values(reply_to_id=None))
                await conn.execute(delete(comments).where(comments.c.id == comment_id))
                result.removed += 1
            await audit.record_action(
                conn, site_id=site.id, comment_id=comment_id if has_replies else None,
                actor=actor, action="erase", from_state=state,
                to_state=CommentState.DELETED.value,
            )
        for author_id in ids:
            await conn.execute(update(authors).where(authors.c.id == author_id).values(
                name=None, email=None, website=None, key=f"erased-{author_id}",
            ))
        for thread_id in sorted(result.threads):
            await thread_store.bump_version(conn, thread_id)
        await _drop_queued_mail(conn, email)
    return result


async def _drop_queued_mail(conn: AsyncConnection, email: str) -> None:
    wanted = email.strip().lower()
    for row in await outbox_store.rows(conn, kind="email", pending_only=True):
        if str(row.payload.get("to", "")).strip().lower() == wanted:
            await conn.execute(delete(outbox).where(outbox.c.id == row.id))


async def request_by_email(
    db: Database, notes: Notifications, site: Site, email: str, kind: str
) -> None:
    """Email a signed link to a known address; the caller answers the same either way."""
    if kind not in ("export", "erase"):
        raise invalid("privacy_kind", "kind is export or erase.", "kind")
    address = email.strip()
    if "@" not in address or len(address) > 320:
        raise invalid("email_invalid", "That is not an email address.", "email")
    async with db.write() as conn:
        if not await _author_ids(conn, site.id, address):
            return
        token = links.sign(notes.signer, links.PRIVACY,
                           {"s": site.id, "e": address.lower(), "k": kind}, LINK_HOURS * 3600)
        payload = privacy_email(notes.cfg, language_of(site.settings), address, site.name,
                                kind, token, LINK_HOURS)
        hour = int(time.time()) // 3600
        key = "privacy:{}:{}:{}:{}".format(
            site.id, kind, notes.signer.keyed_hash("privacy", address.lower()), hour)
        await outbox_store.enqueue(conn, "email", payload, key, site_id=site.id)


def open_link(notes: Notifications, token: str) -> tuple[int, str, Kind]:
    """(site id, email, kind) from a valid privacy link."""
    claims = links.verify(notes.signer, links.PRIVACY, token)
    site_id, email, kind = claims.get("s"), claims.get("e"), claims.get("k")
    if not isinstance(site_id, int) or not isinstance(email, str) or kind not in (
        "export", "erase"
    ):
        raise RejoinderError(403, "link_invalid", "This link is not valid.")
    return site_id, email, kind  # type: ignore[return-value]
