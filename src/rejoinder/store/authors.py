from __future__ import annotations

from functools import cache

from sqlalchemy import Executable, func
from sqlalchemy.ext.asyncio import AsyncConnection

from rejoinder.store.rows import dialect_insert, now
from rejoinder.store.tables import authors


async def upsert_author(
    conn: AsyncConnection,
    site_id: int,
    key: str,
    name: str | None,
    email: str | None,
    website: str | None,
) -> int:
    """The author's id, created on first use; a later name, email or website replaces the
    stored one, a missing (None or empty) one keeps it. One statement either way."""
    values = {"site_id": site_id, "key": key, "name": name, "email": email, "website": website,
              "trusted": False, "always_hold": False, "created": now()}
    return int((await conn.execute(_upsert(conn.dialect.name), values)).scalar_one())


@cache  # built once per dialect: building it per post cost more than running it
def _upsert(dialect: str) -> Executable:
    stmt = dialect_insert(dialect, authors)
    return stmt.on_conflict_do_update(
        index_elements=[authors.c.site_id, authors.c.key],
        set_={
            column: func.coalesce(func.nullif(stmt.excluded[column], ""), authors.c[column])
            for column in ("name", "email", "website")
        },
    ).returning(authors.c.id)
