"""Outbox rows: enqueued in the caller's transaction, claimed and settled by the worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.notify_tables import outbox, webhook_deliveries, webhooks
from rejoinder.store.rows import insert_ignoring_conflicts, now, utc


@dataclass(frozen=True, slots=True)
class OutboxRow:
    id: int
    kind: str
    site_id: int | None
    payload: dict[str, Any]
    dedupe_key: str
    attempts: int
    next_attempt_at: datetime
    sent_at: datetime | None
    last_error: str | None


@dataclass(frozen=True, slots=True)
class Webhook:
    id: int
    site_id: int
    url: str
    secret: str
    events: list[str]
    format: str
    active: bool


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    outbox_id: int
    webhook_id: int
    event: str
    status_code: int | None
    response: str | None
    error: str | None
    duration_ms: int
    at: datetime


def _row(r: Any) -> OutboxRow:
    return OutboxRow(
        id=r.id, kind=r.kind, site_id=r.site_id, payload=dict(r.payload),
        dedupe_key=r.dedupe_key, attempts=r.attempts,
        next_attempt_at=utc(r.next_attempt_at),  # type: ignore[arg-type]
        sent_at=utc(r.sent_at), last_error=r.last_error,
    )


async def enqueue(
    conn: AsyncConnection,
    kind: str,
    payload: dict[str, Any],
    dedupe_key: str,
    *,
    site_id: int | None = None,
    not_before: datetime | None = None,
) -> bool:
    """Add a row unless one with ``dedupe_key`` exists; True when a row was added."""
    stamp = now()
    result = await conn.execute(
        insert_ignoring_conflicts(conn.dialect.name, outbox).values(
            kind=kind, site_id=site_id, payload=payload, dedupe_key=dedupe_key[:300],
            attempts=0, next_attempt_at=not_before or stamp, created=stamp,
        )
    )
    return bool(result.rowcount)


def _due(stamp: datetime, max_attempts: int, kinds: tuple[str, ...]) -> tuple[Any, ...]:
    return (
        outbox.c.sent_at.is_(None),
        outbox.c.next_attempt_at <= stamp,
        outbox.c.attempts < max_attempts,
        outbox.c.kind.in_(kinds),
    )


async def any_due(conn: AsyncConnection, *, max_attempts: int,
                  kinds: tuple[str, ...] = ("email", "webhook")) -> bool:
    """A plain read: lets a worker skip the write transaction of ``claim_due`` when nothing is
    due, which on SQLite would take the database's one write lock every poll."""
    query = select(outbox.c.id).where(*_due(now(), max_attempts, kinds)).limit(1)
    return (await conn.execute(query)).first() is not None


async def claim_due(
    conn: AsyncConnection,
    *,
    limit: int,
    lease_seconds: float,
    max_attempts: int,
    kinds: tuple[str, ...] = ("email", "webhook"),
) -> list[OutboxRow]:
    """Take up to ``limit`` due rows: count the attempt and push them a lease into the future.

    PostgreSQL skips rows another worker holds (``FOR UPDATE SKIP LOCKED``); SQLite's write
    transaction makes the UPDATE atomic. A worker that dies mid-send leaves its rows to be
    picked up again once the lease has passed.
    """
    stamp = now()
    due = (
        select(outbox.c.id)
        .where(*_due(stamp, max_attempts, kinds))
        .order_by(outbox.c.next_attempt_at, outbox.c.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = [int(i) for i in (await conn.execute(due)).scalars().all()]
    if not ids:
        return []
    await conn.execute(
        update(outbox)
        .where(outbox.c.id.in_(ids))
        .values(attempts=outbox.c.attempts + 1,
                next_attempt_at=stamp + timedelta(seconds=lease_seconds))
    )
    rows = (await conn.execute(select(outbox).where(outbox.c.id.in_(ids)).order_by(outbox.c.id)))
    return [_row(r) for r in rows.all()]


async def mark_sent(conn: AsyncConnection, row_id: int) -> None:
    await conn.execute(
        update(outbox).where(outbox.c.id == row_id).values(sent_at=now(), last_error=None)
    )


async def mark_failed(
    conn: AsyncConnection, row_id: int, error: str, retry_at: datetime
) -> None:
    await conn.execute(
        update(outbox)
        .where(outbox.c.id == row_id, outbox.c.sent_at.is_(None))
        .values(last_error=error[:1000], next_attempt_at=retry_at)
    )


async def row_by_id(conn: AsyncConnection, row_id: int) -> OutboxRow | None:
    r = (await conn.execute(select(outbox).where(outbox.c.id == row_id))).first()
    return _row(r) if r else None


async def rows(
    conn: AsyncConnection, *, kind: str | None = None, pending_only: bool = False
) -> list[OutboxRow]:
    query = select(outbox).order_by(outbox.c.id)
    if kind:
        query = query.where(outbox.c.kind == kind)
    if pending_only:
        query = query.where(outbox.c.sent_at.is_(None))
    return [_row(r) for r in (await conn.execute(query)).all()]


async def purge_sent(conn: AsyncConnection, older_than: datetime) -> int:
    result = await conn.execute(
        delete(outbox).where(outbox.c.sent_at.is_not(None), outbox.c.sent_at < older_than)
    )
    return int(result.rowcount or 0)


def _webhook(r: Any) -> Webhook:
    return Webhook(id=r.id, site_id=r.site_id, url=r.url, secret=r.secret,
                   events=list(r.events or []), format=r.format, active=bool(r.active))


async def add_webhook(
    conn: AsyncConnection, site_id: int, url: str, secret: str, events: list[str], fmt: str
) -> Webhook:
    result = await conn.execute(
        insert(webhooks)
        .values(site_id=site_id, url=url, secret=secret, events=events, format=fmt,
                active=True, created=now())
        .returning(webhooks.c.id)
    )
    return Webhook(int(result.scalar_one()), site_id, url, secret, events, fmt, True)


async def webhook_by_id(conn: AsyncConnection, webhook_id: int) -> Webhook | None:
    r = (await conn.execute(select(webhooks).where(webhooks.c.id == webhook_id))).first()
    return _webhook(r) if r else None


# asked on every post, so built once
_SITE_WEBHOOKS = (
    select(webhooks).where(webhooks.c.site_id == bindparam("site_id")).order_by(webhooks.c.id)
)


async def site_webhooks(
    conn: AsyncConnection, site_id: int, *, event: str | None = None
) -> list[Webhook]:
    rows = (await conn.execute(_SITE_WEBHOOKS, {"site_id": site_id})).all()
    found = [_webhook(r) for r in rows]
    if event is None:
        return found
    return [w for w in found if w.active and (not w.events or event in w.events)]


async def set_webhook_active(conn: AsyncConnection, webhook_id: int, active: bool) -> None:
    await conn.execute(update(webhooks).where(webhooks.c.id == webhook_id).values(active=active))


async def delete_webhook(conn: AsyncConnection, webhook_id: int) -> None:
    await conn.execute(delete(webhooks).where(webhooks.c.id == webhook_id))


async def log_delivery(
    conn: AsyncConnection,
    *,
    outbox_id: int,
    webhook_id: int,
    site_id: int,
    event: str,
    status_code: int | None,
    response: str | None,
    error: str | None,
    duration_ms: int,
) -> None:
    await conn.execute(
        insert(webhook_deliveries).values(
            outbox_id=outbox_id, webhook_id=webhook_id, site_id=site_id, event=event,
            status_code=status_code, response=response, error=error and error[:1000],
            duration_ms=duration_ms, at=now(),
        )
    )


async def deliveries(
    conn: AsyncConnection, site_id: int, limit: int, webhook_id: int | None = None
) -> list[Delivery]:
    conditions = [webhook_deliveries.c.site_id == site_id]
    if webhook_id is not None:
        conditions.append(webhook_deliveries.c.webhook_id == webhook_id)
    query = (
        select(webhook_deliveries)
        .where(and_(*conditions))
        .order_by(webhook_deliveries.c.at.desc(), webhook_deliveries.c.id.desc())
        .limit(limit)
    )
    return [
        Delivery(id=r.id, outbox_id=r.outbox_id, webhook_id=r.webhook_id, event=r.event,
                 status_code=r.status_code, response=r.response, error=r.error,
                 duration_ms=r.duration_ms, at=utc(r.at))  # type: ignore[arg-type]
        for r in (await conn.execute(query)).all()
    ]




async def row_by_key(conn: AsyncConnection, dedupe_key: str) -> OutboxRow | None:
    r = (await conn.execute(select(outbox).where(outbox.c.dedupe_key == dedupe_key))).first()
    return _row(r) if r else None


async def replace_payload(conn: AsyncConnection, row_id: int, payload: dict[str, Any]) -> None:
    await conn.execute(
        update(outbox).where(outbox.c.id == row_id, outbox.c.sent_at.is_(None))
        .values(payload=payload)
    )
