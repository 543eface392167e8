from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything Rejoinder stores is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)


def dialect_insert(conn: AsyncConnection, table: Table) -> Any:
    """An INSERT with the connection's dialect's ON CONFLICT clauses (SQLite or PostgreSQL)."""
    if conn.dialect.name == "postgresql":
        return pg_insert(table)
    return sqlite_insert(table)


def insert_ignoring_conflicts(conn: AsyncConnection, table: Table) -> Any:
    """INSERT … ON CONFLICT DO NOTHING in the connection's dialect (SQLite or PostgreSQL)."""
    return dialect_insert(conn, table).on_conflict_do_nothing()
