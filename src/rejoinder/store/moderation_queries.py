"""Reads and writes of the moderation dashboard: queues, context, labels, audit, stats."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    and_,
    exists,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.sql import Select

from rejoinder.domain.states import CommentState
from rejoinder.store.account_tables import moderation_labels
from rejoinder.store.comments import StoredComment
from rejoinder.store.rows import now, utc
from rejoinder.store.tables import audit_log, authors, comments, decisions, flags, threads

QUEUES = ("pending", "reported", "spam", "rejected", "recent")


@dataclass(slots=True)
class QueueRow:
    comment: StoredComment
    site_id: int
    ip: str | None
    thread_uri: str
    thread_title: str | None
    thread_url: str | None
    thread_closed: bool
    author_key: str | None
    author_email: str | None
    trusted: bool
    always_hold: bool


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    comment_id: int | None
    actor: str
    action: str
    from_state: str | None
    to_state: str | None
    reason: str | None
    created: datetime


_open_flag = exists().where(flags.c.comment_id == comments.c.id, flags.c.resolved.is_(False))


def _queue_select() -> Select[Any]:
    return select(
        comments, threads.c.site_id, threads.c.uri.label("thread_uri"),
        threads.c.title.label("thread_title"), threads.c.url.label("thread_url"),
        threads.c.closed.label("thread_closed"), authors.c.key.label("author_key"),
        authors.c.email.label("author_email"), authors.c.trusted, authors.c.always_hold,
    ).select_from(
        comments.join(threads, comments.c.thread_id == threads.c.id)
        .outerjoin(authors, comments.c.author_id == authors.c.id)
    )


def _stored(r: Any) -> StoredComment:
    return StoredComment(
        id=r.id, thread_id=r.thread_id, parent_id=r.parent_id, reply_to_id=r.reply_to_id,
        author_id=r.author_id, path=r.path, depth=r.depth, state=CommentState(r.state),
        text=r.text, html=r.html, author_name=r.author_name, author_website=r.author_website,
        avatar=r.avatar, likes=r.likes, pinned=bool(r.pinned),
        created=utc(r.created), edited=utc(r.edited), notify=bool(r.notify),  # type: ignore[arg-type]
    )


def _queue_row(r: Row[Any]) -> QueueRow:
    return QueueRow(
        comment=_stored(r), site_id=int(r.site_id), ip=r.ip, thread_uri=r.thread_uri,
        thread_title=r.thread_title, thread_url=r.thread_url, thread_closed=bool(r.thread_closed),
        author_key=r.author_key, author_email=r.author_email, trusted=bool(r.trusted),
        always_hold=bool(r.always_hold),
    )


def _queue_filter(queue: str) -> Any:
    if queue == "pending":
        return comments.c.state == CommentState.PENDING.value
    if queue == "reported":
        return and_(_open_flag, comments.c.state != CommentState.DELETED.value)
    if queue == "spam":
        return comments.c.state == CommentState.SPAM.value
    if queue == "rejected":
        return comments.c.state == CommentState.REJECTED.value
    if queue == "recent":
        return comments.c.state != CommentState.DELETED.value
    raise ValueError(f"unknown queue {queue!r}")


def _like(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def queue_comments(
    conn: AsyncConnection,
    site_id: int,
    queue: str,
    *,
    text: str | None = None,
    author: str | None = None,
    thread: str | None = None,
    limit: int = 25,
    offset: int = 0,
) -> list[QueueRow]:
    query = _queue_select().where(threads.c.site_id == site_id, _queue_filter(queue))
    if text:
        query = query.where(comments.c.text.ilike(_like(text), escape="\\"))
    if author:
        query = query.where(or_(
            comments.c.author_name.ilike(_like(author), escape="\\"),
            authors.c.email.ilike(_like(author), escape="\\"),
        ))
    if thread:
        query = query.where(or_(
            threads.c.uri.ilike(_like(thread), escape="\\"),
            threads.c.title.ilike(_like(thread), escape="\\"),
        ))
    order = (comments.c.created.asc(), comments.c.id.asc()) if queue == "pending" else (
        comments.c.created.desc(), comments.c.id.desc())
    query = query.order_by(*order).limit(limit).offset(offset)
    return [_queue_row(r) for r in (await conn.execute(query)).all()]


async def queue_row(conn: AsyncConnection, comment_id: int) -> QueueRow | None:
    row = (await conn.execute(_queue_select().where(comments.c.id == comment_id))).first()
    return _queue_row(row) if row else None


async def queue_counts(conn: AsyncConnection, site_id: int) -> dict[str, int]:
    base = select(func.count(comments.c.id)).select_from(
        comments.join(threads, comments.c.thread_id == threads.c.id)
    ).where(threads.c.site_id == site_id)
    counts = {}
    for queue in ("pending", "reported", "spam", "rejected"):
        counts[queue] = int((await conn.execute(base.where(_queue_filter(queue)))).scalar() or 0)
    return counts


async def latest_decisions(
    conn: AsyncConnection, comment_ids: Sequence[int]
) -> dict[int, tuple[str, list[dict[str, Any]]]]:
    if not comment_ids:
        return {}
    query = (
        select(decisions.c.comment_id, decisions.c.verdict, decisions.c.signals)
        .where(decisions.c.comment_id.in_(list(comment_ids)))
        .order_by(decisions.c.id)
    )
    return {r[0]: (r[1], list(r[2] or [])) for r in (await conn.execute(query)).all()}


async def open_flags(
    conn: AsyncConnection, comment_ids: Sequence[int]
) -> dict[int, list[tuple[str, str | None]]]:
    if not comment_ids:
        return {}
    query = (
        select(flags.c.comment_id, flags.c.reason, flags.c.note)
        .where(flags.c.comment_id.in_(list(comment_ids)), flags.c.resolved.is_(False))
        .order_by(flags.c.id)
    )
    found: dict[int, list[tuple[str, str | None]]] = {}
    for comment_id, reason, note in (await conn.execute(query)).all():
        found.setdefault(comment_id, []).append((reason, note))
    return found


async def resolve_open_flags(conn: AsyncConnection, comment_id: int) -> int:
    """Mark the comment's open flags resolved; returns how many were open."""
    result = await conn.execute(
        update(flags)
        .where(flags.c.comment_id == comment_id, flags.c.resolved.is_(False))
        .values(resolved=True)
    )
    return int(result.rowcount or 0)


async def comments_by_ids(
    conn: AsyncConnection, comment_ids: Sequence[int]
) -> dict[int, StoredComment]:
    if not comment_ids:
        return {}
    rows = (await conn.execute(select(comments).where(comments.c.id.in_(list(comment_ids))))).all()
    return {r.id: _stored(r) for r in rows}


async def author_state_counts(
    conn: AsyncConnection, author_ids: Sequence[int]
) -> dict[int, dict[str, int]]:
    if not author_ids:
        return {}
    query = (
        select(comments.c.author_id, comments.c.state, func.count())
        .where(comments.c.author_id.in_(list(author_ids)))
        .group_by(comments.c.author_id, comments.c.state)
    )
    found: dict[int, dict[str, int]] = {}
    for author_id, state, n in (await conn.execute(query)).all():
        found.setdefault(author_id, {})[state] = int(n)
    return found


async def earlier_comments(
    conn: AsyncConnection, author_id: int, before_id: int, limit: int = 3
) -> list[StoredComment]:
    query = (
        select(comments)
        .where(comments.c.author_id == author_id, comments.c.id < before_id,
               comments.c.state != CommentState.DELETED.value)
        .order_by(comments.c.id.desc())
        .limit(limit)
    )
    return [_stored(r) for r in (await conn.execute(query)).all()]


async def set_author_flags(conn: AsyncConnection, author_id: int, **values: bool) -> None:
    await conn.execute(update(authors).where(authors.c.id == author_id).values(**values))


async def add_label(
    conn: AsyncConnection, *, comment_id: int, site_id: int, label: str, text: str
) -> None:
    await conn.execute(insert(moderation_labels).values(
        comment_id=comment_id, site_id=site_id, label=label, text=text, created=now()
    ))


async def labels(conn: AsyncConnection, site_id: int, limit: int = 1000) -> list[tuple[str, str]]:
    """(label, text) newest first: what the classifiers can learn from."""
    query = (
        select(moderation_labels.c.label, moderation_labels.c.text)
        .where(moderation_labels.c.site_id == site_id)
        .order_by(moderation_labels.c.id.desc())
        .limit(limit)
    )
    return [(r[0], r[1]) for r in (await conn.execute(query)).all()]


async def audit_entries(
    conn: AsyncConnection, site_id: int, *, limit: int = 50, offset: int = 0
) -> list[AuditRow]:
    query = (
        select(audit_log).where(audit_log.c.site_id == site_id)
        .order_by(audit_log.c.id.desc()).limit(limit).offset(offset)
    )
    return [
        AuditRow(
            id=r.id, comment_id=r.comment_id, actor=r.actor, action=r.action,
            from_state=r.from_state, to_state=r.to_state, reason=r.reason,
            created=utc(r.created),  # type: ignore[arg-type]
        )
        for r in (await conn.execute(query)).all()
    ]


async def created_since(
    conn: AsyncConnection, site_id: int, since: datetime
) -> list[tuple[int, datetime, str | None]]:
    """(comment id, created, first verdict) of the site's comments since ``since``."""
    first = (
        select(decisions.c.comment_id, func.min(decisions.c.id).label("first_id"))
        .group_by(decisions.c.comment_id).subquery()
    )
    query = (
        select(comments.c.id, comments.c.created, decisions.c.verdict)
        .select_from(
            comments.join(threads, comments.c.thread_id == threads.c.id)
            .outerjoin(first, first.c.comment_id == comments.c.id)
            .outerjoin(decisions, decisions.c.id == first.c.first_id)
        )
        .where(threads.c.site_id == site_id, comments.c.created >= since)
    )
    return [(r[0], utc(r[1]), r[2]) for r in (await conn.execute(query)).all()]  # type: ignore[misc]


async def first_reviews(
    conn: AsyncConnection, site_id: int, since: datetime, actions: Sequence[str]
) -> dict[int, datetime]:
    """The first moderator action of each comment (among ``actions``) since ``since``."""
    query = (
        select(audit_log.c.comment_id, func.min(audit_log.c.created))
        .where(audit_log.c.site_id == site_id, audit_log.c.created >= since,
               audit_log.c.action.in_(list(actions)), audit_log.c.comment_id.is_not(None))
        .group_by(audit_log.c.comment_id)
    )
    return {r[0]: utc(r[1]) for r in (await conn.execute(query)).all()}  # type: ignore[misc]
