from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import insert_ignoring_conflicts, now
from rejoinder.store.tables import authors


async def upsert_author(
    conn: AsyncConnection,
    site_id: int,
    key: str,
    name: str | None,
    email: str | None,
    website: str | None,
) -> int:
    await conn.execute(
        insert_ignoring_conflicts(conn, authors).values(
            site_id=site_id, key=key, name=name, email=email, website=website,
            trusted=False, always_hold=False, created=now(),
        )
    )
    row = (
        await conn.execute(
            select(authors.c.id, authors.c.name, authors.c.email, authors.c.website).where(
                authors.c.site_id == site_id, authors.c.key == key
            )
        )
    ).one()
    if (name, email, website) != (row.name, row.email, row.website):
        await conn.execute(
            update(authors)
            .where(authors.c.id == row.id)
            .values(name=name or row.name, email=email or row.email, website=website or row.website)
        )
    return int(row.id)
