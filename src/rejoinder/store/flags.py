from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import insert_ignoring_conflicts, now
from rejoinder.store.tables import flags


async def add_flag(
    conn: AsyncConnection, comment_id: int, reporter: str, reason: str, note: str | None
) -> bool:
    """Record a reader's flag; False when this reader had flagged the comment already."""
    result = await conn.execute(
        insert_ignoring_conflicts(conn.dialect.name, flags).values(
            comment_id=comment_id, reporter=reporter, reason=reason, note=note, resolved=False,
            created=now(),
        )
    )
    return bool(result.rowcount)


async def open_flaggers(conn: AsyncConnection, comment_id: int) -> list[str]:
    rows = await conn.execute(
        select(flags.c.reporter).where(
            flags.c.comment_id == comment_id, flags.c.resolved.is_(False)
        )
    )
    return [r[0] for r in rows.all()]


async def resolve_flags(conn: AsyncConnection, comment_id: int) -> None:
    await conn.execute(
        update(flags).where(flags.c.comment_id == comment_id).values(resolved=True)
    )
