from __future__ import annotations

import click

from rejoinder.cli.common import async_command, config_option, open_database, settings_from
from rejoinder.store.migrate import current_revision, head_revision, upgrade


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@config_option
@async_command
async def db_upgrade(config_path: str | None) -> None:
    """Create or migrate the schema to this version's revision."""
    settings = settings_from(config_path)
    database = await open_database(settings, require_current=False)
    try:
        before = await current_revision(database)
        await upgrade(database)
        click.echo(f"database at revision {head_revision()} (was {before or 'empty'})")
    finally:
        await database.dispose()


@db.command("status")
@config_option
@async_command
async def db_status(config_path: str | None) -> None:
    """Show the schema revision and whether it needs upgrading."""
    settings = settings_from(config_path)
    database = await open_database(settings, require_current=False)
    try:
        current = await current_revision(database)
        head = head_revision()
        state = "up to date" if current == head else "needs `rejoinder db upgrade`"
        click.echo(f"revision {current or 'empty'}; this version expects {head}: {state}")
    finally:
        await database.dispose()
