from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory

from rejoinder.store.engine import Database
from rejoinder.store.migrate import alembic_config, current_revision, head_revision, needs_upgrade


def test_one_head():
    heads = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert len(heads) == 1, f"merge the migration heads {heads}"


def test_migrations_match_the_tables(database_url):
    # raises when the migrated schema differs from the table definitions
    command.check(alembic_config(database_url))


async def test_fresh_database_needs_upgrade(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        assert await current_revision(db) is None
        assert await needs_upgrade(db)
    finally:
        await db.dispose()


async def test_migrated_database_is_current(db):
    assert await current_revision(db) == head_revision()
    assert not await needs_upgrade(db)
