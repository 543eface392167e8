"""Bans: who may not post on a site (author, email domain, network) and the lookups for them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Executable, and_, bindparam, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.account_tables import bans
from rejoinder.store.rows import now, utc
from rejoinder.store.tables import sites


@dataclass(frozen=True, slots=True)
class BanRow:
    id: int
    site_id: int
    kind: str
    value: str
    reason: str | None
    created_by: str
    created: datetime
    expires: datetime | None



def _ban(r: Any) -> BanRow:
    return BanRow(
        id=int(r.id), site_id=int(r.site_id), kind=r.kind, value=r.value, reason=r.reason,
        created_by=r.created_by, created=utc(r.created),  # type: ignore[arg-type]
        expires=utc(r.expires),
    )


async def add_ban(
    conn: AsyncConnection, *, site_id: int, kind: str, value: str, reason: str | None,
    created_by: str, expires: datetime | None,
) -> int:
    result = await conn.execute(
        insert(bans).values(
            site_id=site_id, kind=kind, value=value, reason=reason, created_by=created_by,
            created=now(), expires=expires,
        ).returning(bans.c.id)
    )
    return int(result.scalar_one())


async def ban_by_id(conn: AsyncConnection, ban_id: int) -> BanRow | None:
    row = (await conn.execute(select(bans).where(bans.c.id == ban_id))).first()
    return _ban(row) if row else None


async def delete_ban(conn: AsyncConnection, ban_id: int) -> None:
    await conn.execute(delete(bans).where(bans.c.id == ban_id))


async def site_bans(
    conn: AsyncConnection, site_id: int, *, active_at: datetime | None = None
) -> list[BanRow]:
    query = select(bans).where(bans.c.site_id == site_id)
    if active_at is not None:
        query = query.where(or_(bans.c.expires.is_(None), bans.c.expires > active_at))
    rows = (await conn.execute(query.order_by(bans.c.id.desc()))).all()
    return [_ban(r) for r in rows]


async def find_bans(
    conn: AsyncConnection, site_key: str, *, kinds_values: Sequence[tuple[str, str]],
    with_kind: str | None = None,
) -> list[BanRow]:
    """Bans whose (kind, value) is in ``kinds_values``, plus every ban of ``with_kind``."""
    if not kinds_values and with_kind is None:
        return []
    params = {"site_key": site_key, "with_kind": with_kind}
    for i, (kind, value) in enumerate(kinds_values):
        params[f"kind_{i}"], params[f"value_{i}"] = kind, value
    query = _find_bans(len(kinds_values), with_kind is not None)
    return [_ban(r) for r in (await conn.execute(query, params)).all()]


@lru_cache(maxsize=64)  # every post looks its author up: built once per shape
def _find_bans(pairs: int, with_kind: bool) -> Executable:
    wanted = [and_(bans.c.kind == bindparam(f"kind_{i}"), bans.c.value == bindparam(f"value_{i}"))
              for i in range(pairs)]
    if with_kind:
        wanted.append(bans.c.kind == bindparam("with_kind"))
    return (
        select(bans).select_from(bans.join(sites, bans.c.site_id == sites.c.id))
        .where(sites.c.key == bindparam("site_key"), or_(*wanted))
        .order_by(bans.c.id)
    )


async def bans_of_kind(conn: AsyncConnection, site_key: str, kind: str) -> list[BanRow]:
    query = (
        select(bans).select_from(bans.join(sites, bans.c.site_id == sites.c.id))
        .where(sites.c.key == site_key, bans.c.kind == kind)
        .order_by(bans.c.id)
    )
    return [_ban(r) for r in (await conn.execute(query)).all()]
