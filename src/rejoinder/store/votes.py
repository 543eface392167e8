from __future__ import annotations

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import now
from rejoinder.store.tables import comments, votes


async def add_vote(conn: AsyncConnection, comment_id: int, voter: str) -> bool:
    """Record a like; False when this voter had already liked the comment."""
    already = (
        await conn.execute(
            select(votes.c.voter).where(votes.c.comment_id == comment_id, votes.c.voter == voter)
        )
    ).first()
    if already:
        return False
    try:
        async with conn.begin_nested():
            await conn.execute(
                insert(votes).values(comment_id=comment_id, voter=voter, created=now())
            )
    except IntegrityError:
        return False
    await conn.execute(
        update(comments).where(comments.c.id == comment_id).values(likes=comments.c.likes + 1)
    )
    return True


async def remove_vote(conn: AsyncConnection, comment_id: int, voter: str) -> bool:
    result = await conn.execute(
        delete(votes).where(votes.c.comment_id == comment_id, votes.c.voter == voter)
    )
    if not result.rowcount:
        return False
    await conn.execute(
        update(comments).where(comments.c.id == comment_id).values(likes=comments.c.likes - 1)
    )
    return True


async def like_count(conn: AsyncConnection, comment_id: int) -> int:
    value = (
        await conn.execute(select(comments.c.likes).where(comments.c.id == comment_id))
    ).scalar()
    return int(value or 0)
