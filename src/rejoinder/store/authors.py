from __future__ import annotations

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import now
from rejoinder.store.tables import authors


async def upsert_author(
    conn: AsyncConnection,
    site_id: int,
    key: str,
    name: str | None,
    email: str | None,
    website: str | None,
) -> int:
    row = (
        await conn.execute(
            select(authors.c.id, authors.c.name, authors.c.email, authors.c.website).where(
                authors.c.site_id == site_id, authors.c.key == key
            )
        )
    ).first()
    if row is None:
        result = await conn.execute(
            insert(authors)
            .values(site_id=site_id, key=key, name=name, email=email, website=website,
                    trusted=False, always_hold=False, created=now())
            .returning(authors.c.id)
        )
        return int(result.scalar_one())
    if (name, email, website) != (row.name, row.email, row.website):
        await conn.execute(
            update(authors)
            .where(authors.c.id == row.id)
            .values(name=name or row.name, email=email or row.email, website=website or row.website)
        )
    return int(row.id)
