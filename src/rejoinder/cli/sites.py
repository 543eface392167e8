from __future__ import annotations

import json

import click

from rejoinder.cli.common import async_command, config_option, open_database, settings_from
from rejoinder.services.sites import SiteDirectory


@click.group()
def site() -> None:
    """Sites served by this installation."""


@site.command("add")
@click.argument("key")
@click.option("--name", help="Display name (default: the key).")
@click.option("--origin", "origins", multiple=True,
              help="Allowed origin, e.g. https://blog.example.org (repeatable).")
@config_option
@async_command
async def site_add(key: str, name: str | None, origins: tuple[str, ...],
                   config_path: str | None) -> None:
    """Add a site that pages can embed comments for."""
    db = await open_database(settings_from(config_path))
    try:
        created = await SiteDirectory(db).add(key, name or key, list(origins))
        click.echo(f"added site {created.key} ({created.name}); origins: "
                   f"{', '.join(created.origins) or 'none'}")
    finally:
        await db.dispose()


@site.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@config_option
@async_command
async def site_list(as_json: bool, config_path: str | None) -> None:
    """List sites."""
    db = await open_database(settings_from(config_path))
    try:
        sites = await SiteDirectory(db).all()
    finally:
        await db.dispose()
    if as_json:
        click.echo(json.dumps(
            [{"key": s.key, "name": s.name, "origins": s.origins, "settings": s.settings}
             for s in sites], indent=2))
        return
    for s in sites:
        click.echo(f"{s.key}\t{s.name}\t{' '.join(s.origins)}")


@site.command("update")
@click.argument("key")
@click.option("--name", help="New display name.")
@click.option("--origin", "origins", multiple=True,
              help="Replace the allowed origins (repeatable).")
@click.option("--set", "pairs", multiple=True, metavar="NAME=JSON",
              help="Change one site setting, e.g. --set moderation_mode='\"pre\"'.")
@config_option
@async_command
async def site_update(key: str, name: str | None, origins: tuple[str, ...],
                      pairs: tuple[str, ...], config_path: str | None) -> None:
    """Change a site's name, origins or settings."""
    settings: dict[str, object] = {}
    for pair in pairs:
        field, sep, raw = pair.partition("=")
        if not sep:
            raise click.BadParameter(f"{pair!r} is not NAME=JSON", param_hint="--set")
        try:
            settings[field.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            settings[field.strip()] = raw
    db = await open_database(settings_from(config_path))
    try:
        updated = await SiteDirectory(db).update(
            key, name=name, origins=list(origins) if origins else None,
            settings=settings or None,
        )
    finally:
        await db.dispose()
    click.echo(f"updated site {updated.key} ({updated.name}); origins: "
               f"{', '.join(updated.origins) or 'none'}")
