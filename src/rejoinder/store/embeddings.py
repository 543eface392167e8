"""Sentence embeddings stored per comment, for finding reworded copies of recent comments."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import insert_ignoring_conflicts, now
from rejoinder.store.tables import authors, comment_embeddings, comments, sites


async def save_embedding(
    conn: AsyncConnection, comment_id: int, site_id: int, vector: bytes
) -> None:
    await conn.execute(
        insert_ignoring_conflicts(conn, comment_embeddings).values(
            comment_id=comment_id, site_id=site_id, created=now(), vector=vector
        )
    )


async def recent_embeddings(
    conn: AsyncConnection, site_key: str, since: datetime, limit: int
) -> list[tuple[int, str | None, bytes]]:
    """(comment id, author key, vector) newest first."""
    query = (
        select(comment_embeddings.c.comment_id, authors.c.key, comment_embeddings.c.vector)
        .select_from(
            comment_embeddings.join(sites, comment_embeddings.c.site_id == sites.c.id)
            .join(comments, comment_embeddings.c.comment_id == comments.c.id)
            .outerjoin(authors, comments.c.author_id == authors.c.id)
        )
        .where(sites.c.key == site_key, comment_embeddings.c.created >= since)
        .order_by(comment_embeddings.c.created.desc())
        .limit(limit)
    )
    return [(int(r[0]), r[1], bytes(r[2])) for r in (await conn.execute(query)).all()]
