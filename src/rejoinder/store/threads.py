from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Executable, bindparam, case, func, or_, select, update
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


# Statements the posting path runs are built once (building one took longer than running it);
# bound parameter names differ from column names, which UPDATE reserves for its SET clause.
_THREAD_BY_URI = select(threads).where(
    threads.c.site_id == bindparam("where_site"), threads.c.uri == bindparam("where_uri"))


async def thread_by_uri(conn: AsyncConnection, site_id: int, uri: str) -> Thread | None:
    params = {"where_site": site_id, "where_uri": uri}
    row = (await conn.execute(_THREAD_BY_URI, params)).mappings().first()
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
        insert_ignoring_conflicts(conn.dialect.name, threads).values(
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
    if not (title or url or bump):
        return await thread_by_uri(conn, site_id, uri)
    params = {"where_site": site_id, "where_uri": uri, "given_title": title, "given_url": url}
    statement = _touch_statement(bool(title), bool(url), bump)
    row = (await conn.execute(statement, params)).mappings().first()
    return _thread(row) if row else None


@cache
def _touch_statement(title: bool, url: bool, bump: bool) -> Executable:
    values = _fill_blanks(title, url)
    if bump:
        values["version"] = threads.c.version + 1
    return (
        update(threads)
        .where(threads.c.site_id == bindparam("where_site"),
               threads.c.uri == bindparam("where_uri"))
        .values(**values)
        .returning(*threads.c)
    )


def with_blanks_filled(thread: Thread, title: str | None, url: str | None) -> Thread:
    """The thread as ``thread_for_comment`` will leave it (``_fill_blanks`` in Python)."""
    meets_blank = (title and not thread.title) or (url and not thread.url)
    if not meets_blank:
        return thread
    return replace(thread, title=thread.title or title, url=thread.url or url)


def _fill_blanks(title: bool, url: bool) -> dict[str, Any]:
    """get_or_create_thread's rule in SQL: when a given title or url meets a blank (None or
    empty) one, each blank column takes the given value (parameters given_title, given_url)."""
    given = [(threads.c.title, "given_title", title), (threads.c.url, "given_url", url)]
    meets_blank = [_blank(column) for column, _, is_given in given if is_given]
    if not meets_blank:
        return {}
    kept_or_given = {
        column: func.coalesce(func.nullif(column, ""), bindparam(name, type_=column.type))
        for column, name, _ in given
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
