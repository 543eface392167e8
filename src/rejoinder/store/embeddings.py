"""Sentence embeddings stored per comment, for finding reworded copies of recent comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import insert_ignoring_conflicts, now, utc
from rejoinder.store.tables import comment_embeddings, sites


async def save_embedding(
    conn: AsyncConnection, comment_id: int, site_id: int, vector: bytes
) -> None:
    await conn.execute(
        insert_ignoring_conflicts(conn, comment_embeddings).values(
            comment_id=comment_id, site_id=site_id, created=now(), vector=vector
        )
    )


async def recent_embeddings(
    conn: AsyncConnection, site_key: str, since: datetime, limit: int,
    after_id: int | None = None,
) -> list[tuple[int, bytes, datetime | None]]:
    """(comment id, vector, created) newest first; with ``after_id`` only higher comment ids."""
    query = (
        select(comment_embeddings.c.comment_id, comment_embeddings.c.vector,
               comment_embeddings.c.created)
        .select_from(
            comment_embeddings.join(sites, comment_embeddings.c.site_id == sites.c.id)
        )
        .where(sites.c.key == site_key, comment_embeddings.c.created >= since)
        .order_by(comment_embeddings.c.created.desc(), comment_embeddings.c.comment_id.desc())
        .limit(limit)
    )
    if after_id is not None:
        query = query.where(comment_embeddings.c.comment_id > after_id)
    rows = (await conn.execute(query)).all()
    return [(int(r[0]), bytes(r[1]), utc(r[2])) for r in rows]
