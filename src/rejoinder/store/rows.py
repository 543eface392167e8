from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert


def utc(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; everything Rejoinder stores is UTC."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def now() -> datetime:
    return datetime.now(UTC)


def dialect_insert(dialect: str, table: Table) -> Any:
    """An INSERT with the ON CONFLICT clauses of ``dialect`` (``conn.dialect.name``)."""
    if dialect == "postgresql":
        return pg_insert(table)
    return sqlite_insert(table)


def insert_ignoring_conflicts(dialect: str, table: Table) -> Any:
    """INSERT … ON CONFLICT DO NOTHING in ``dialect`` (SQLite or PostgreSQL)."""
    return dialect_insert(dialect, table).on_conflict_do_nothing()
