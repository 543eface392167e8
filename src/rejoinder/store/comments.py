from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Executable,
    String,
    and_,
    bindparam,
    cast,
    exists,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Row
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.domain.comment import PATH_WIDTH
from rejoinder.domain.states import CommentState
from rejoinder.store.identity_tables import reader_accounts
from rejoinder.store.rows import utc
from rejoinder.store.tables import comments, sites, threads


@dataclass(slots=True)
class StoredComment:
    id: int
    thread_id: int
    parent_id: int | None
    reply_to_id: int | None
    author_id: int | None
    path: str
    depth: int
    state: CommentState
    text: str
    html: str
    author_name: str | None
    author_website: str | None
    avatar: str
    likes: int
    pinned: bool
    created: datetime
    edited: datetime | None
    notify: bool = False
    account_id: int | None = None  # a signed-in reader's account: the comment gets a badge
    account_avatar: bool = False


_COLUMNS = (
    comments.c.id, comments.c.thread_id, comments.c.parent_id, comments.c.reply_to_id,
    comments.c.author_id, comments.c.path, comments.c.depth, comments.c.state, comments.c.text,
    comments.c.html, comments.c.author_name, comments.c.author_website, comments.c.avatar,
    comments.c.likes, comments.c.pinned, comments.c.created, comments.c.edited, comments.c.notify,
)


def _stored(row: Row[Any]) -> StoredComment:
    mapping = row._mapping
    return StoredComment(
        account_id=mapping.get("account_id"),
        account_avatar=bool(mapping.get("account_avatar")),
        id=row.id, thread_id=row.thread_id, parent_id=row.parent_id, reply_to_id=row.reply_to_id,
        author_id=row.author_id, path=row.path, depth=row.depth, state=CommentState(row.state),
        text=row.text, html=row.html, author_name=row.author_name,
        author_website=row.author_website, avatar=row.avatar, likes=row.likes,
        pinned=bool(row.pinned), created=utc(row.created),  # type: ignore[arg-type]
        edited=utc(row.edited), notify=bool(row.notify),
    )


@dataclass(frozen=True, slots=True)
class NewCommentRow:
    thread_id: int
    parent_id: int | None
    parent_path: str | None
    reply_to_id: int | None
    depth: int
    author_id: int | None
    state: CommentState
    text: str
    html: str
    author_name: str | None
    author_website: str | None
    avatar: str
    ip: str | None
    notify: bool
    created: datetime
    likes: int = 0
    edited: datetime | None = None
    pinned: bool = False
    import_key: str | None = None


async def insert_comment(conn: AsyncConnection, row: NewCommentRow) -> tuple[int, str]:
    stored = await add_comment(conn, row)
    return stored.id, stored.path


async def add_comment(conn: AsyncConnection, row: NewCommentRow) -> StoredComment:
    """Insert the comment with its materialised path and return it as ``comment_by_id`` would,
    in one INSERT … SELECT … RETURNING: the path needs the new id, so the id is taken first."""
    values = {
        "thread_id": row.thread_id, "parent_id": row.parent_id, "reply_to_id": row.reply_to_id,
        "author_id": row.author_id, "depth": row.depth, "state": row.state.value,
        "text": row.text, "html": row.html, "author_name": row.author_name,
        "author_website": row.author_website, "avatar": row.avatar, "ip": row.ip,
        "notify": row.notify, "likes": row.likes, "pinned": row.pinned, "created": row.created,
        "edited": row.edited, "import_key": row.import_key,
    }
    if row.parent_path is not None:
        values["parent_prefix"] = f"{row.parent_path}."
    statement = _add_comment(conn.dialect.name, row.parent_path is not None)
    return _stored((await conn.execute(statement, values)).one())


_NEW_VALUES = (
    "thread_id", "parent_id", "reply_to_id", "author_id", "depth", "state", "text", "html",
    "author_name", "author_website", "avatar", "ip", "notify", "likes", "pinned", "created",
    "edited", "import_key",
)


@cache  # built once: constructing it costs more Python time than SQLite takes to run it
def _add_comment(dialect: str, reply: bool) -> Executable:
    new = select(_next_comment_id(dialect).label("id")).subquery("next_comment")
    segment = _path_segment(dialect, new.c.id)
    path = bindparam("parent_prefix", type_=String).concat(segment) if reply else segment
    source = select(
        new.c.id, path, *(bindparam(k, type_=comments.c[k].type) for k in _NEW_VALUES)
    )
    return insert(comments).from_select(["id", "path", *_NEW_VALUES], source).returning(
        *_COLUMNS)


def _next_comment_id(dialect: str) -> ColumnElement[int]:
    if dialect == "postgresql":
        return func.nextval(func.pg_get_serial_sequence(comments.name, "id"))
    # SQLite gives a table without AUTOINCREMENT max(rowid) + 1 too; writers hold the lock
    return select(func.coalesce(func.max(comments.c.id), 0) + 1).scalar_subquery()


def _path_segment(dialect: str, comment_id: ColumnElement[int]) -> ColumnElement[str]:
    """``child_path``'s segment in SQL: the id zero-padded to PATH_WIDTH, never cut."""
    if dialect == "postgresql":
        digits = cast(comment_id, String)
        return func.lpad(digits, func.greatest(PATH_WIDTH, func.length(digits)), "0",
                         type_=String)
    return func.printf(f"%0{PATH_WIDTH}d", comment_id, type_=String)


_COMMENT_BY_ID = select(*_COLUMNS).where(comments.c.id == bindparam("comment_id"))


async def comment_by_id(conn: AsyncConnection, comment_id: int) -> StoredComment | None:
    row = (await conn.execute(_COMMENT_BY_ID, {"comment_id": comment_id})).first()
    return _stored(row) if row else None


async def thread_comments(conn: AsyncConnection, thread_id: int) -> list[StoredComment]:
    """Every comment of a thread in tree (path) order; the listing decides what to show."""
    rows = (
        await conn.execute(
            select(
                *_COLUMNS,
                reader_accounts.c.id.label("account_id"),
                reader_accounts.c.avatar_url.isnot(None).label("account_avatar"),
            )
            .select_from(comments.outerjoin(
                reader_accounts, reader_accounts.c.author_id == comments.c.author_id
            ))
            .where(comments.c.thread_id == thread_id)
            .order_by(comments.c.path)
        )
    ).all()
    return [_stored(r) for r in rows]


async def update_comment(conn: AsyncConnection, comment_id: int, **values: Any) -> None:
    if "state" in values and isinstance(values["state"], CommentState):
        values["state"] = values["state"].value
    await conn.execute(update(comments).where(comments.c.id == comment_id).values(**values))


async def has_live_replies(conn: AsyncConnection, comment_id: int) -> bool:
    query = select(
        exists().where(
            comments.c.parent_id == comment_id, comments.c.state != CommentState.DELETED.value
        )
    )
    return bool((await conn.execute(query)).scalar())


async def counts_for_uris(
    conn: AsyncConnection, site_id: int, uris: Sequence[str]
) -> dict[str, int]:
    query = (
        select(threads.c.uri, func.count(comments.c.id))
        .select_from(threads.join(comments, and_(
            comments.c.thread_id == threads.c.id,
            comments.c.state == CommentState.PUBLISHED.value,
        )))
        .where(threads.c.site_id == site_id, threads.c.uri.in_(list(uris)))
        .group_by(threads.c.uri)
    )
    return {uri: int(n) for uri, n in (await conn.execute(query)).all()}


async def state_counts(conn: AsyncConnection, thread_id: int) -> dict[str, int]:
    query = (
        select(comments.c.state, func.count())
        .where(comments.c.thread_id == thread_id)
        .group_by(comments.c.state)
    )
    return {state: int(n) for state, n in (await conn.execute(query)).all()}


async def recent_published(
    conn: AsyncConnection, site_id: int, limit: int
) -> list[tuple[StoredComment, str, str | None]]:
    query = (
        select(*_COLUMNS, threads.c.uri.label("thread_uri"), threads.c.title.label("thread_title"))
        .select_from(comments.join(threads, comments.c.thread_id == threads.c.id))
        .where(threads.c.site_id == site_id, comments.c.state == CommentState.PUBLISHED.value)
        .order_by(comments.c.created.desc(), comments.c.id.desc())
        .limit(limit)
    )
    return [(_stored(r), r.thread_uri, r.thread_title) for r in (await conn.execute(query)).all()]


async def site_of_comment(conn: AsyncConnection, comment_id: int) -> tuple[int, str] | None:
    query = (
        select(sites.c.id, sites.c.key)
        .select_from(
            comments.join(threads, comments.c.thread_id == threads.c.id).join(
                sites, threads.c.site_id == sites.c.id
            )
        )
        .where(comments.c.id == comment_id)
    )
    row = (await conn.execute(query)).first()
    return (int(row[0]), str(row[1])) if row else None
