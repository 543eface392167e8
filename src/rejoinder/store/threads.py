from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.thread import Thread
from rejoinder.store.rows import insert_ignoring_conflicts, now
from rejoinder.store.tables import threads


@dataclass(frozen=True, slots=True)
class ThreadHead:
    """The few columns a cached listing needs to know whether it is still current."""

    id: int
    version: int
    closed: bool
    title: str | None
    url: str | None


async def thread_head(conn: AsyncConnection, site_id: int, uri: str) -> ThreadHead | None:
    row = (
        await conn.execute(
            select(
                threads.c.id, threads.c.version, threads.c.closed, threads.c.title, threads.c.url
            ).where(threads.c.site_id == site_id, threads.c.uri == uri)
        )
    ).first()
    return ThreadHead(*row) if row else None


async def thread_by_uri(conn: AsyncConnection, site_id: int, uri: str) -> Thread | None:
    row = (
        await conn.execute(
            select(threads).where(threads.c.site_id == site_id, threads.c.uri == uri)
        )
    ).mappings().first()
    return _thread(row) if row else None


async def thread_by_id(conn: AsyncConnection, thread_id: int) -> Thread | None:
    row = (await conn.execute(select(threads).where(threads.c.id == thread_id))).mappings().first()
    return _thread(row) if row else None


def _thread(row: object) -> Thread:
    r = dict(row)  # type: ignore[call-overload]
    return Thread(
        id=r["id"], site_id=r["site_id"], uri=r["uri"], title=r["title"], url=r["url"],
        closed=bool(r["closed"]),
    )


async def get_or_create_thread(
    conn: AsyncConnection, site_id: int, uri: str, title: str | None, url: str | None
) -> Thread:
    """The thread of ``uri``, created when missing; a given title or url fills a blank one."""
    return await _find_or_create(conn, site_id, uri, title, url, bump=False, exists=True)


async def thread_for_comment(
    conn: AsyncConnection, site_id: int, uri: str, title: str | None, url: str | None,
    *, exists: bool = True,
) -> Thread:
    """``get_or_create_thread`` followed by ``bump_version``, for a comment about to be added.

    One statement when ``exists`` (whether the thread was there a moment ago) guesses right:
    an UPDATE … RETURNING for a known thread, an INSERT … RETURNING for a new one. The thread
    row stays locked until the transaction ends, so ``closed`` cannot change under the caller.
    """
    return await _find_or_create(conn, site_id, uri, title, url, bump=True, exists=exists)


async def _find_or_create(
    conn: AsyncConnection, site_id: int, uri: str, title: str | None, url: str | None,
    *, bump: bool, exists: bool,
) -> Thread:
    if exists and (found := await _touch(conn, site_id, uri, title, url, bump)) is not None:
        return found
    created = (await conn.execute(
        insert_ignoring_conflicts(conn, threads).values(
            site_id=site_id, uri=uri, title=title, url=url, closed=False,
            version=1 if bump else 0, created=now(),
        ).returning(*threads.c)
    )).mappings().first()
    if created is not None:
        return _thread(created)
    found = await _touch(conn, site_id, uri, title, url, bump)  # created meanwhile elsewhere
    assert found is not None
    return found


async def _touch(
    conn: AsyncConnection, site_id: int, uri: str, title: str | None, url: str | None,
    bump: bool,
) -> Thread | None:
    """Fill blanks (and bump the version when ``bump``) in one UPDATE … RETURNING; a plain
    read when there is nothing to change."""
    values = _fill_blanks(title, url)
    if bump:
        values["version"] = threads.c.version + 1
    if not values:
        return await thread_by_uri(conn, site_id, uri)
    row = (await conn.execute(
        update(threads)
        .where(threads.c.site_id == site_id, threads.c.uri == uri)
        .values(**values)
        .returning(*threads.c)
    )).mappings().first()
    return _thread(row) if row else None


def _fill_blanks(title: str | None, url: str | None) -> dict[str, Any]:
    """get_or_create_thread's rule in SQL: when a given title or url meets a blank (None or
    empty) one, each blank column takes the given value."""
    given = [(threads.c.title, title), (threads.c.url, url)]
    meets_blank = [_blank(column) for column, value in given if value]
    if not meets_blank:
        return {}
    kept_or_given = {
        column: func.coalesce(func.nullif(column, ""), literal(value, column.type))
        for column, value in given
    }
    return {
        column.name: case((or_(*meets_blank), value), else_=column)
        for column, value in kept_or_given.items()
    }


def _blank(column: ColumnElement[Any]) -> ColumnElement[bool]:
    return or_(column.is_(None), column == "")


async def bump_version(conn: AsyncConnection, thread_id: int) -> None:
    """Every change that can alter a listing bumps this, in the same transaction."""
    await conn.execute(
        update(threads).where(threads.c.id == thread_id).values(version=threads.c.version + 1)
    )


async def set_closed(conn: AsyncConnection, thread_id: int, closed: bool) -> None:
    await conn.execute(
        update(threads)
        .where(threads.c.id == thread_id)
        .values(closed=closed, version=threads.c.version + 1)
    )
