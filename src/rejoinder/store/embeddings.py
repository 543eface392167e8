"""Sentence embeddings stored per comment, for finding reworded copies of recent comments."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from sqlalchemy import Executable, bindparam, select
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import insert_ignoring_conflicts, now, utc
from rejoinder.store.tables import comment_embeddings, sites


async def save_embedding(
    conn: AsyncConnection, comment_id: int, site_id: int, vector: bytes
) -> None:
    await conn.execute(_save(conn.dialect.name), {
        "comment_id": comment_id, "site_id": site_id, "created": now(), "vector": vector,
    })


@cache  # statements on the posting path are built once, not per post
def _save(dialect: str) -> Executable:
    return insert_ignoring_conflicts(dialect, comment_embeddings)


async def recent_embeddings(
    conn: AsyncConnection, site_key: str, since: datetime, limit: int,
    after_id: int | None = None,
) -> list[tuple[int, bytes, datetime | None]]:
    """(comment id, vector, created) newest first; with ``after_id`` only higher comment ids."""
    params = {"site_key": site_key, "since": since, "limit": limit, "after_id": after_id}
    rows = (await conn.execute(_recent(after_id is not None), params)).all()
    return [(int(r[0]), bytes(r[1]), utc(r[2])) for r in rows]


@cache
def _recent(after: bool) -> Executable:
    query = (
        select(comment_embeddings.c.comment_id, comment_embeddings.c.vector,
               comment_embeddings.c.created)
        .select_from(
            comment_embeddings.join(sites, comment_embeddings.c.site_id == sites.c.id)
        )
        .where(sites.c.key == bindparam("site_key"),
               comment_embeddings.c.created >= bindparam("since"))
        .order_by(comment_embeddings.c.created.desc(), comment_embeddings.c.comment_id.desc())
        .limit(bindparam("limit"))
    )
    if after:
        query = query.where(comment_embeddings.c.comment_id > bindparam("after_id"))
    return query
