from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.site import Site
from rejoinder.store.rows import now
from rejoinder.store.tables import sites


class SiteExists(Exception):
    pass


def _site(row: RowMapping) -> Site:
    return Site(
        id=row["id"],
        key=row["key"],
        name=row["name"],
        origins=list(row["origins"] or []),
        settings=dict(row["settings"] or {}),
    )


async def create_site(
    conn: AsyncConnection, key: str, name: str, origins: list[str], settings: dict[str, Any]
) -> Site:
    try:
        result = await conn.execute(
            insert(sites)
            .values(key=key, name=name, origins=origins, settings=settings, created=now())
            .returning(sites.c.id)
        )
    except IntegrityError:
        raise SiteExists(key) from None
    return Site(id=result.scalar_one(), key=key, name=name, origins=origins, settings=settings)


async def site_by_key(conn: AsyncConnection, key: str) -> Site | None:
    row = (await conn.execute(select(sites).where(sites.c.key == key))).mappings().first()
    return _site(row) if row else None


async def site_by_id(conn: AsyncConnection, site_id: int) -> Site | None:
    row = (await conn.execute(select(sites).where(sites.c.id == site_id))).mappings().first()
    return _site(row) if row else None


async def all_sites(conn: AsyncConnection) -> list[Site]:
    rows = (await conn.execute(select(sites).order_by(sites.c.key))).mappings().all()
    return [_site(r) for r in rows]


async def update_site(conn: AsyncConnection, site_id: int, **values: Any) -> None:
    await conn.execute(update(sites).where(sites.c.id == site_id).values(**values))
