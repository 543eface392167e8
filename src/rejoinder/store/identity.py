"""Queries over reader accounts, tokens, email links, OAuth states and Mastodon apps."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Executable, and_, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.identity_tables import (
    avatar_cache,
    mastodon_apps,
    reader_accounts,
    reader_tokens,
    signin_links,
    signin_states,
)
from rejoinder.store.rows import insert_ignoring_conflicts, now, utc
from rejoinder.store.tables import authors, comments, threads


@dataclass(frozen=True, slots=True)
class Account:
    id: int
    site_id: int
    author_id: int
    provider: str
    subject: str
    display_name: str
    website: str | None
    email: str | None
    email_verified: bool
    avatar_url: str | None
    created: datetime


@dataclass(frozen=True, slots=True)
class StateRow:
    site_id: int
    provider: str
    instance: str | None
    origin: str
    code_verifier: str
    nonce: str
    claims: str | None


def _account(r: Any) -> Account:
    return Account(
        id=int(r.id), site_id=int(r.site_id), author_id=int(r.author_id), provider=r.provider,
        subject=r.subject, display_name=r.display_name, website=r.website, email=r.email,
        email_verified=bool(r.email_verified), avatar_url=r.avatar_url,
        created=utc(r.created),  # type: ignore[arg-type]
    )


async def account_by_subject(
    conn: AsyncConnection, site_id: int, provider: str, subject: str
) -> Account | None:
    row = (await conn.execute(select(reader_accounts).where(
        reader_accounts.c.site_id == site_id, reader_accounts.c.provider == provider,
        reader_accounts.c.subject == subject,
    ))).first()
    return _account(row) if row else None


async def account_by_id(conn: AsyncConnection, account_id: int) -> Account | None:
    row = (await conn.execute(
        select(reader_accounts).where(reader_accounts.c.id == account_id)
    )).first()
    return _account(row) if row else None


async def insert_account(conn: AsyncConnection, **values: Any) -> int:
    result = await conn.execute(insert(reader_accounts).values(created=now(), **values))
    return int(result.inserted_primary_key[0])  # type: ignore[index]


async def update_account(conn: AsyncConnection, account_id: int, **values: Any) -> None:
    await conn.execute(
        update(reader_accounts).where(reader_accounts.c.id == account_id).values(**values)
    )


async def delete_account(conn: AsyncConnection, account_id: int) -> None:
    await conn.execute(delete(reader_accounts).where(reader_accounts.c.id == account_id))


async def name_taken(
    conn: AsyncConnection, site_id: int, name_key: str, except_account: int | None = None
) -> bool:
    params = {"site_id": site_id, "name_key": name_key, "except_account": except_account}
    query = _name_taken(except_account is not None)
    return (await conn.execute(query, params)).first() is not None


@cache  # every guest's post asks: built once
def _name_taken(excepting: bool) -> Executable:
    query = select(reader_accounts.c.id).where(
        reader_accounts.c.site_id == bindparam("site_id"),
        reader_accounts.c.name_key == bindparam("name_key"),
    )
    if excepting:
        query = query.where(reader_accounts.c.id != bindparam("except_account"))
    return query.limit(1)


async def add_token(
    conn: AsyncConnection, account_id: int, token_hash: str, expires: datetime
) -> None:
    await conn.execute(insert(reader_tokens).values(
        account_id=account_id, token_hash=token_hash, created=now(), expires=expires,
    ))


async def account_for_token(conn: AsyncConnection, token_hash: str) -> Account | None:
    row = (await conn.execute(
        select(reader_accounts)
        .join(reader_tokens, reader_tokens.c.account_id == reader_accounts.c.id)
        .where(reader_tokens.c.token_hash == token_hash, reader_tokens.c.revoked.is_(None),
               reader_tokens.c.expires > now())
    )).first()
    return _account(row) if row else None


async def revoke_token(conn: AsyncConnection, token_hash: str) -> None:
    await conn.execute(update(reader_tokens).where(
        reader_tokens.c.token_hash == token_hash, reader_tokens.c.revoked.is_(None)
    ).values(revoked=now()))


async def revoke_all(conn: AsyncConnection, account_id: int) -> int:
    result = await conn.execute(update(reader_tokens).where(
        reader_tokens.c.account_id == account_id, reader_tokens.c.revoked.is_(None)
    ).values(revoked=now()))
    return int(result.rowcount)


async def add_link(
    conn: AsyncConnection, site_id: int, email: str, link_hash: str, waiter_hash: str,
    expires: datetime,
) -> None:
    await conn.execute(insert(signin_links).values(
        site_id=site_id, email=email, link_hash=link_hash, waiter_hash=waiter_hash,
        created=now(), expires=expires,
    ))


async def use_link(conn: AsyncConnection, link_hash: str) -> tuple[int, int, str] | None:
    """Mark an unused, unexpired link used; (link id, site id, email) or None. Atomic: the
    UPDATE's WHERE is the check, so two clicks racing get one success."""
    stamp = now()
    result = await conn.execute(update(signin_links).where(
        signin_links.c.link_hash == link_hash, signin_links.c.used.is_(None),
        signin_links.c.expires > stamp,
    ).values(used=stamp))
    if result.rowcount != 1:
        return None
    row = (await conn.execute(select(
        signin_links.c.id, signin_links.c.site_id, signin_links.c.email
    ).where(signin_links.c.link_hash == link_hash))).one()
    return int(row.id), int(row.site_id), str(row.email)


async def bind_link(conn: AsyncConnection, link_id: int, account_id: int) -> None:
    await conn.execute(
        update(signin_links).where(signin_links.c.id == link_id).values(account_id=account_id)
    )


async def collect_link(conn: AsyncConnection, waiter_hash: str) -> int | None:
    """The account a used link signed in, once per link; None while it waits (or after)."""
    stamp = now()
    result = await conn.execute(update(signin_links).where(
        signin_links.c.waiter_hash == waiter_hash, signin_links.c.account_id.is_not(None),
        signin_links.c.collected.is_(None), signin_links.c.expires > stamp,
    ).values(collected=stamp))
    if result.rowcount != 1:
        return None
    row = (await conn.execute(select(signin_links.c.account_id).where(
        signin_links.c.waiter_hash == waiter_hash))).one()
    return int(row.account_id)


async def add_state(conn: AsyncConnection, state_hash: str, expires: datetime,
                    **values: Any) -> None:
    await conn.execute(insert(signin_states).values(
        state_hash=state_hash, created=now(), expires=expires, **values
    ))


async def take_state(conn: AsyncConnection, state_hash: str) -> StateRow | None:
    """Use a state once: unknown, expired or already used states give None."""
    stamp = now()
    result = await conn.execute(update(signin_states).where(
        signin_states.c.state_hash == state_hash, signin_states.c.used.is_(None),
        signin_states.c.expires > stamp,
    ).values(used=stamp))
    if result.rowcount != 1:
        return None
    r = (await conn.execute(
        select(signin_states).where(signin_states.c.state_hash == state_hash)
    )).one()
    return StateRow(site_id=int(r.site_id), provider=r.provider, instance=r.instance,
                    origin=r.origin, code_verifier=r.code_verifier, nonce=r.nonce,
                    claims=r.claims)


async def purge_expired(conn: AsyncConnection, before: datetime) -> None:
    await conn.execute(delete(signin_states).where(signin_states.c.expires < before))
    await conn.execute(delete(signin_links).where(signin_links.c.expires < before))
    await conn.execute(delete(reader_tokens).where(reader_tokens.c.expires < before))


async def mastodon_app(conn: AsyncConnection, instance: str) -> tuple[str, str, str] | None:
    row = (await conn.execute(
        select(mastodon_apps).where(mastodon_apps.c.instance == instance)
    )).first()
    return (row.client_id, row.client_secret, row.redirect_uri) if row else None


async def save_mastodon_app(
    conn: AsyncConnection, instance: str, client_id: str, client_secret: str, redirect_uri: str
) -> None:
    await conn.execute(insert_ignoring_conflicts(conn.dialect.name, mastodon_apps).values(
        instance=instance, client_id=client_id, client_secret=client_secret,
        redirect_uri=redirect_uri, created=now(),
    ))


async def cached_avatar(
    conn: AsyncConnection, account_id: int, fresh_after: datetime
) -> tuple[str, bytes] | None:
    row = (await conn.execute(select(avatar_cache).where(and_(
        avatar_cache.c.account_id == account_id, avatar_cache.c.fetched > fresh_after
    )))).first()
    return (row.content_type, bytes(row.body)) if row else None


async def store_avatar(
    conn: AsyncConnection, account_id: int, content_type: str, body: bytes
) -> None:
    await conn.execute(delete(avatar_cache).where(avatar_cache.c.account_id == account_id))
    await conn.execute(insert(avatar_cache).values(
        account_id=account_id, content_type=content_type, body=body, fetched=now()
    ))


async def comments_of_author(
    conn: AsyncConnection, author_id: int, limit: int = 200
) -> list[dict[str, Any]]:
    rows = await conn.execute(
        select(comments.c.id, comments.c.state, comments.c.text, comments.c.created,
               comments.c.thread_id, threads.c.uri, threads.c.title, threads.c.url)
        .join(threads, threads.c.id == comments.c.thread_id)
        .where(comments.c.author_id == author_id, comments.c.state != "deleted")
        .order_by(comments.c.created.desc(), comments.c.id.desc())
        .limit(limit)
    )
    return [
        {"id": int(r.id), "state": r.state, "text": r.text,
         "created": utc(r.created).isoformat(),  # type: ignore[union-attr]
         "thread": {"uri": r.uri, "title": r.title, "url": r.url}}
        for r in rows.all()
    ]


async def move_comments(
    conn: AsyncConnection, comment_ids: list[int], site_id: int, author_id: int, name: str,
    website: str | None,
) -> list[int]:
    """Give guest comments of ``site_id`` to an account's author row; returns the moved ids."""
    if not comment_ids:
        return []
    found = await conn.execute(
        select(comments.c.id, comments.c.thread_id)
        .join(threads, threads.c.id == comments.c.thread_id)
        .where(comments.c.id.in_(comment_ids), threads.c.site_id == site_id,
               comments.c.state != "deleted")
    )
    rows = found.all()
    ids = [int(r.id) for r in rows]
    if ids:
        await conn.execute(update(comments).where(comments.c.id.in_(ids)).values(
            author_id=author_id, author_name=name, author_website=website,
        ))
    return ids


async def erase_author_comments(conn: AsyncConnection, author_id: int) -> list[int]:
    """Empty every comment of an author in place (replies keep their parent); thread ids."""
    thread_ids = sorted({int(t) for t in (await conn.execute(
        select(comments.c.thread_id).where(comments.c.author_id == author_id)
    )).scalars().all()})
    await conn.execute(update(comments).where(comments.c.author_id == author_id).values(
        state="deleted", text="", html="", author_name=None, author_website=None, ip=None,
        notify=False,
    ))
    await conn.execute(update(authors).where(authors.c.id == author_id).values(
        name=None, email=None, website=None,
    ))
    return thread_ids
