"""Reads the moderation signals need: recent comments of a site, an author's status and record."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Executable, bindparam, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.states import CommentState
from rejoinder.store.rows import utc
from rejoinder.store.tables import authors, comments, sites, threads


async def recent_site_comments(
    conn: AsyncConnection, site_key: str, since: datetime, limit: int,
    after_id: int | None = None,
) -> list[tuple[int, str, str, datetime | None]]:
    """(id, author key, text, created) newest first, whatever their state; with ``after_id``
    only comments with a higher id."""
    params = {"site_key": site_key, "since": since, "limit": limit, "after_id": after_id}
    rows = (await conn.execute(_recent(after_id is not None), params)).all()
    return [(r[0], r[1], r[2], utc(r[3])) for r in rows]


# The reads every post makes are built once: building a statement took longer than SQLite
# took to answer it.
@cache
def _recent(after: bool) -> Executable:
    query = (
        select(comments.c.id, authors.c.key, comments.c.text, comments.c.created)
        .select_from(
            comments.join(threads, comments.c.thread_id == threads.c.id)
            .join(sites, threads.c.site_id == sites.c.id)
            .join(authors, comments.c.author_id == authors.c.id)
        )
        .where(sites.c.key == bindparam("site_key"), comments.c.created >= bindparam("since"))
        .order_by(comments.c.created.desc(), comments.c.id.desc())
        .limit(bindparam("limit"))
    )
    if after:
        query = query.where(comments.c.id > bindparam("after_id"))
    return query


_AUTHOR_FLAGS = (
    select(authors.c.trusted, authors.c.always_hold)
    .select_from(authors.join(sites, authors.c.site_id == sites.c.id))
    .where(sites.c.key == bindparam("site_key"), authors.c.key == bindparam("author_key"))
)


async def author_flags(
    conn: AsyncConnection, site_key: str, author_key: str
) -> tuple[bool, bool] | None:
    """(trusted, always_hold), or None for an author the site has not seen."""
    params = {"site_key": site_key, "author_key": author_key}
    row = (await conn.execute(_AUTHOR_FLAGS, params)).first()
    return (bool(row[0]), bool(row[1])) if row else None


async def approved_count(conn: AsyncConnection, site_key: str, author_key: str) -> int:
    query = (
        select(func.count(comments.c.id))
        .select_from(
            comments.join(authors, comments.c.author_id == authors.c.id)
            .join(sites, authors.c.site_id == sites.c.id)
        )
        .where(
            sites.c.key == site_key,
            authors.c.key == author_key,
            comments.c.state == CommentState.PUBLISHED.value,
        )
    )
    return int((await conn.execute(query)).scalar() or 0)
