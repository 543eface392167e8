"""Moderator accounts and their sessions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.account_tables import sessions, user_sites, users
from rejoinder.store.rows import now, utc
from rejoinder.store.tables import sites


class UserExists(Exception):
    pass


@dataclass(slots=True)
class UserRow:
    id: int
    username: str
    password_hash: str
    role: str
    created: datetime
    last_login: datetime | None
    failed_logins: int
    locked_until: datetime | None
    site_keys: list[str] = field(default_factory=list)
    site_ids: list[int] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class SessionRow:
    id: str
    user_id: int
    csrf: str
    created: datetime
    expires: datetime
    last_seen: datetime
    revoked: bool


async def create_user(
    conn: AsyncConnection, username: str, password_hash: str, role: str, site_ids: Sequence[int]
) -> int:
    try:
        result = await conn.execute(
            insert(users)
            .values(username=username, password_hash=password_hash, role=role, created=now(),
                    failed_logins=0)
            .returning(users.c.id)
        )
    except IntegrityError:
        raise UserExists(username) from None
    user_id = int(result.scalar_one())
    await set_user_sites(conn, user_id, site_ids)
    return user_id


async def set_user_sites(conn: AsyncConnection, user_id: int, site_ids: Sequence[int]) -> None:
    await conn.execute(delete(user_sites).where(user_sites.c.user_id == user_id))
    if site_ids:
        await conn.execute(
            insert(user_sites), [{"user_id": user_id, "site_id": s} for s in set(site_ids)]
        )


async def _with_sites(conn: AsyncConnection, rows: list[UserRow]) -> list[UserRow]:
    if not rows:
        return rows
    query = (
        select(user_sites.c.user_id, sites.c.id, sites.c.key)
        .select_from(user_sites.join(sites, user_sites.c.site_id == sites.c.id))
        .where(user_sites.c.user_id.in_([r.id for r in rows]))
        .order_by(sites.c.key)
    )
    by_id = {r.id: r for r in rows}
    for user_id, site_id, key in (await conn.execute(query)).all():
        by_id[user_id].site_ids.append(int(site_id))
        by_id[user_id].site_keys.append(str(key))
    return rows


def _user(row: object) -> UserRow:
    r = dict(row)  # type: ignore[call-overload]
    return UserRow(
        id=int(r["id"]), username=r["username"], password_hash=r["password_hash"],
        role=r["role"], created=utc(r["created"]),  # type: ignore[arg-type]
        last_login=utc(r["last_login"]), failed_logins=int(r["failed_logins"] or 0),
        locked_until=utc(r["locked_until"]),
    )


async def user_by_username(conn: AsyncConnection, username: str) -> UserRow | None:
    row = (await conn.execute(select(users).where(users.c.username == username))).mappings().first()
    return (await _with_sites(conn, [_user(row)]))[0] if row else None


async def user_by_id(conn: AsyncConnection, user_id: int) -> UserRow | None:
    row = (await conn.execute(select(users).where(users.c.id == user_id))).mappings().first()
    return (await _with_sites(conn, [_user(row)]))[0] if row else None


async def all_users(conn: AsyncConnection) -> list[UserRow]:
    rows = (await conn.execute(select(users).order_by(users.c.username))).mappings().all()
    return await _with_sites(conn, [_user(r) for r in rows])


async def delete_user(conn: AsyncConnection, user_id: int) -> None:
    await conn.execute(delete(sessions).where(sessions.c.user_id == user_id))
    await conn.execute(delete(user_sites).where(user_sites.c.user_id == user_id))
    await conn.execute(delete(users).where(users.c.id == user_id))


async def set_password_hash(conn: AsyncConnection, user_id: int, password_hash: str) -> None:
    await conn.execute(
        update(users).where(users.c.id == user_id).values(password_hash=password_hash)
    )


async def record_failed_login(
    conn: AsyncConnection, user_id: int, *, lock_after: int, lock_until: datetime
) -> int:
    """Count one more failure in a row; lock the account when the count reaches ``lock_after``."""
    await conn.execute(
        update(users).where(users.c.id == user_id)
        .values(failed_logins=users.c.failed_logins + 1)
    )
    failures = int((await conn.execute(
        select(users.c.failed_logins).where(users.c.id == user_id)
    )).scalar_one())
    if failures >= lock_after:
        await conn.execute(
            update(users).where(users.c.id == user_id)
            .values(locked_until=lock_until, failed_logins=0)
        )
    return failures


async def record_login(conn: AsyncConnection, user_id: int) -> None:
    await conn.execute(
        update(users).where(users.c.id == user_id)
        .values(failed_logins=0, locked_until=None, last_login=now())
    )


async def create_session(
    conn: AsyncConnection, session_id: str, user_id: int, csrf: str, expires: datetime
) -> None:
    stamp = now()
    await conn.execute(insert(sessions).values(
        id=session_id, user_id=user_id, csrf=csrf, created=stamp, expires=expires,
        last_seen=stamp, revoked=False,
    ))


async def session_by_id(conn: AsyncConnection, session_id: str) -> SessionRow | None:
    row = (await conn.execute(select(sessions).where(sessions.c.id == session_id))).first()
    if row is None:
        return None
    return SessionRow(
        id=row.id, user_id=int(row.user_id), csrf=row.csrf,
        created=utc(row.created), expires=utc(row.expires),  # type: ignore[arg-type]
        last_seen=utc(row.last_seen), revoked=bool(row.revoked),  # type: ignore[arg-type]
    )


async def touch_session(conn: AsyncConnection, session_id: str) -> None:
    await conn.execute(update(sessions).where(sessions.c.id == session_id).values(last_seen=now()))


async def revoke_session(conn: AsyncConnection, session_id: str) -> None:
    await conn.execute(update(sessions).where(sessions.c.id == session_id).values(revoked=True))


async def revoke_user_sessions(
    conn: AsyncConnection, user_id: int, *, keep: str | None = None
) -> None:
    query = update(sessions).where(sessions.c.user_id == user_id)
    if keep is not None:
        query = query.where(sessions.c.id != keep)
    await conn.execute(query.values(revoked=True))


async def purge_sessions(conn: AsyncConnection, before: datetime) -> None:
    await conn.execute(delete(sessions).where(sessions.c.expires < before))


async def unlock_user(conn: AsyncConnection, user_id: int) -> None:
    await conn.execute(
        update(users).where(users.c.id == user_id).values(failed_logins=0, locked_until=None)
    )
