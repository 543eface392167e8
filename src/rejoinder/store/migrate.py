"""Schema migrations through Alembic, driven from code (no alembic.ini needed)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from rejoinder.store.engine import Database

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revision() -> str:
    """The revision(s) this version expects; several only while branches await a merge."""
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    return ",".join(sorted(heads))


async def current_revision(db: Database) -> str | None:
    async with db.read() as conn:
        heads = await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_heads())
    return ",".join(sorted(heads)) or None


async def needs_upgrade(db: Database) -> bool:
    return await current_revision(db) != head_revision()


async def upgrade(db: Database, revision: str = "heads") -> None:
    """Bring the schema to ``revision``; Alembic runs on its own connection in a worker thread."""
    await asyncio.to_thread(upgrade_sync, db.url, revision)


def upgrade_sync(url: str, revision: str = "heads") -> None:
    command.upgrade(alembic_config(url), revision)
